//! Quickstart: a unit's chain with kinds and tiers.
//!
//! Run with `cargo run --release --example quickstart`.

fn main() {
    let h = xzqh::sample::small_china();
    let town = h.by_code("654201200").expect("in the sample");
    for u in std::iter::once(town).chain(town.ancestors()) {
        println!(
            "{:<10} {:<12} {:<8} tiers {} levels {}",
            u.code(),
            u.name(),
            u.kind().label(),
            u.tiers(),
            u.administrative_levels()
        );
    }
}
