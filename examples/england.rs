//! A custom hierarchy and policy: England's two-tier county beside a unitary
//! authority, where the category decides the council.
//!
//! Run with `cargo run --example england --features serde`.

use std::sync::Arc;

use xzqh::routing::{Case, Place, Policy, Router};
use xzqh::{Hierarchy, Role, Schema};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The schema: levels top down, kinds with their level and role.
    let schema = Arc::new(
        Schema::builder("england")
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
            .build()?,
    );
    // The units, with their ONS (GSS) codes.
    let mut b = Hierarchy::builder(schema);
    b.unit("E92000001", "England", "country", None)
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
        );
    let h = Arc::new(b.build()?);

    // The policy ships beside this example as TOML.
    let policy = Policy::from_toml(include_str!("england_policy.toml"))?;
    let router = Router::new(h.clone(), policy)?;

    for (places, category) in [
        (&["E07000008"][..], "missed_bin"),
        (&["E07000008"][..], "pothole"),
        (&["E06000055"][..], "missed_bin"),
        (&["E06000055"][..], "pothole"),
        (&["E07000008", "E07000012"][..], "pothole"),
    ] {
        let places: Vec<Place> = places.iter().map(|&c| Place::Code(c)).collect();
        let d = router.route(&Case::new(&places, category))?;
        let handler = h.get(d.handler()).expect("a unit of h");
        println!(
            "{category:<10} in {:<40} -> {}",
            describe(&h, &places),
            handler.name()
        );
        for line in d.explain(&h).to_string().lines() {
            println!("    {line}");
        }
    }
    Ok(())
}

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
