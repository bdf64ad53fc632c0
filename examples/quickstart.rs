//! Quickstart: China's whole pyramid from the embedded NBS 2023 data, in
//! one call and no files.
//!
//! Run with `cargo run --release --example quickstart`.

use std::time::Instant;

use xzqh::china::TOWNSHIP;
use xzqh::{Hierarchy, Unit};

/// Prints the chain from the provincial level down to `unit`, with each
/// unit's kind, role and running tier and level counts.
fn print_chain(unit: Unit<'_>) {
    let mut chain: Vec<Unit<'_>> = std::iter::once(unit)
        .chain(unit.ancestors())
        .filter(|u| u.parent().is_some()) // the State is not a tier
        .collect();
    chain.reverse();
    println!("{} {}", unit.name(), unit.code());
    for u in chain {
        println!(
            "  {:<10} {:<10} {:<6} {:<11} tiers {}  levels {}",
            u.code(),
            u.name(),
            u.kind().label(),
            u.role().as_str(),
            u.tiers(),
            u.administrative_levels()
        );
    }
    println!(
        "  => {}-tier system, {} administrative levels\n",
        unit.tiers(),
        unit.administrative_levels()
    );
}

fn print_breakdown(h: &Hierarchy, code: &str) -> Option<()> {
    let region = h.by_code(code)?;
    let breakdown = h.tier_breakdown(region.id(), TOWNSHIP)?;
    println!(
        "{} {}: {} township-level units: {breakdown}",
        region.name(),
        region.code(),
        breakdown.total()
    );
    Some(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let h = xzqh::china();
    println!(
        "{}: {} units down to township level, decoded in {:.1?}\n",
        h.data_version().unwrap_or("?"),
        h.len(),
        start.elapsed()
    );

    // Beijing's two-tier system: the 地区 office is an agency of the district.
    let nanmofang = h
        .by_name("南磨房地区")
        .next()
        .ok_or("南磨房地区 is in the data")?;
    print_chain(nanmofang);
    // Four tiers and five levels: 伊犁 → 塔城地区 (agency) → 塔城市 → a township.
    print_chain(h.by_code("654201200").ok_or("a township of 塔城市")?);

    print_breakdown(h, "44").ok_or("广东省 is in the data")?;
    print_breakdown(h, "11").ok_or("北京市 is in the data")?;
    Ok(())
}
