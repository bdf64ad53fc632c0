//! A custom hierarchy and policy: England's two-tier county beside a unitary
//! authority, where the category decides the council.
//!
//! Run with `cargo run --example england --features serde` (the policy is
//! read from TOML).
//!
//! Nothing here is Chinese: the schema, the units and the policy are all
//! England's. A hierarchy built without a profile reads codes as written
//! (no short forms, no code history), which is what ONS (GSS) codes need.

use std::sync::Arc;

use xzqh::routing::{Case, Place, Policy, Router};
use xzqh::{Hierarchy, Role, Schema};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The schema: levels top down, kinds with their level and role.
    let schema = Schema::builder("england")
        .level("country")
        .level("county")
        .level("district")
        .kind("country", "Country", "country", Role::Government)
        .kind(
            "county_council",
            "County council",
            "county",
            Role::Government,
        )
        .kind(
            "unitary_authority",
            "Unitary authority",
            "county",
            Role::Government,
        )
        .kind(
            "district_council",
            "District council",
            "district",
            Role::Government,
        )
        .build()?;
    // The units, with their ONS (GSS) codes.
    let h = Hierarchy::builder(Arc::new(schema))
        .unit("E92000001", "England", "country", None)
        .unit(
            "E10000003",
            "Cambridgeshire",
            "county_council",
            Some("E92000001"),
        )
        .unit(
            "E07000008",
            "Cambridge",
            "district_council",
            Some("E10000003"),
        )
        .unit(
            "E07000012",
            "South Cambridgeshire",
            "district_council",
            Some("E10000003"),
        )
        .unit(
            "E06000055",
            "Bedford",
            "unitary_authority",
            Some("E92000001"),
        )
        .build()?;

    // The policy ships beside this example as TOML; the router checks its
    // kind and level names against the schema above.
    let policy = Policy::from_toml(include_str!("england_policy.toml"))?;
    let router = Router::new(Arc::new(h), policy)?;

    for (places, category) in [
        (&["E07000008"][..], "missed_bin"),
        (&["E07000008"][..], "pothole"),
        (&["E06000055"][..], "missed_bin"),
        (&["E06000055"][..], "pothole"),
        (&["E07000008", "E07000012"][..], "pothole"),
        (&["E06000055"][..], "national_issue"),
    ] {
        let places: Vec<Place> = places.iter().map(|&c| Place::Code(c)).collect();
        let d = router.route(&Case::new(&places, category))?;
        println!(
            "{category:<14} in {:<36} -> {}",
            describe(router.hierarchy(), &places),
            d.handler().name()
        );
        for line in d.explain().to_string().lines() {
            println!("    {line}");
        }
        let parties: Vec<&str> = d.parties().map(|u| u.name()).collect();
        if parties.len() > 1 {
            println!("    coordinating {}", parties.join(" and "));
        }
    }

    // Bins on both sides of the county border: no council collects both.
    let across = [Place::Code("E07000008"), Place::Code("E06000055")];
    match router.route(&Case::new(&across, "missed_bin")) {
        Ok(d) => println!("missed_bin across the border -> {}", d.handler().name()),
        Err(e) => println!("missed_bin across the border: {e}"),
    }
    Ok(())
}

/// The places' names, joined with `+`.
fn describe(h: &Hierarchy, places: &[Place]) -> String {
    places
        .iter()
        .map(|p| match p {
            Place::Code(c) => h.by_code(c).map_or(c.to_string(), |u| u.name().to_owned()),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}
