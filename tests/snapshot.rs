//! JSON and binary snapshots: round trips without loss.
#![cfg(feature = "serde")]

use xzqh::{sample, Hierarchy};

#[test]
fn small_china_round_trips() {
    let h = sample::small_china();
    let json = h.to_json();
    println!("{json}");
    assert_eq!(Hierarchy::from_json(json.as_bytes()).unwrap(), h);
    let bin = h.to_snapshot();
    assert_eq!(Hierarchy::from_snapshot(&bin).unwrap(), h);
}
