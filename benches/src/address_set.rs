//! The generated address sets of the benchmarks: real townships of the
//! embedded data, drawn at random (seeded), written in the six forms of
//! `tests/suite/address_accuracy.rs` (广东省深圳市南山区粤海街道, 深圳市南山区…,
//! 深圳南山区…, 广东深圳南山区…, 南山区…, 南山…) with street text after them.
//! [`delivery`] adds delivery-style texts (road, compound, room, name,
//! phone). `benches/address.rs` and the `address_probe` example time them;
//! the `gen-addresses` binary writes them with their labels for the CLI and
//! Python measurements.

use xzqh::china::{COUNTY, PREFECTURAL, PROVINCIAL, TOWNSHIP, short_forms};
use xzqh::{Hierarchy, Unit};

/// splitmix64: the generator's own draws (seeded, so the sets are the same
/// on every machine).
#[derive(Debug, Clone)]
pub struct Splitmix(pub u64);

impl Splitmix {
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

/// Street text written after the units.
pub const STREETS: [&str; 6] = [
    "科技园路12号",
    "人民路88号3栋201室",
    "建设大道5号",
    "幸福小区7栋",
    "",
    "解放路101号",
];

/// The first short form of a name (深圳 for 深圳市), or the name.
fn short(u: Unit<'_>) -> String {
    short_forms(u.name())
        .into_iter()
        .next()
        .unwrap_or_else(|| u.name().to_owned())
}

/// A township written in form `form` (0..6), then street text.
pub fn address(t: Unit<'_>, form: usize, street: &str) -> String {
    let mut chain: Vec<Unit<'_>> = t.ancestors().filter(|a| a.parent().is_some()).collect();
    chain.reverse();
    chain.push(t);
    let mut s = String::new();
    for u in &chain {
        let l = u.level();
        let part = match form {
            0 => u.name().to_owned(),
            1 if l == PROVINCIAL => continue,
            1 => u.name().to_owned(),
            2 if l == PROVINCIAL => continue,
            2 if l == PREFECTURAL => short(*u),
            3 if l == PROVINCIAL || l == PREFECTURAL => short(*u),
            4 if l < COUNTY => continue,
            5 if l < COUNTY => continue,
            5 if l == COUNTY => short(*u),
            _ => u.name().to_owned(),
        };
        s.push_str(&part);
    }
    s.push_str(street);
    s
}

/// `n` random townships (seeded) written in the six forms in turn, with
/// street text after them.
pub fn addresses(h: &Hierarchy, n: usize) -> Vec<String> {
    labelled(h, n).into_iter().map(|(text, _)| text).collect()
}

/// [`addresses`] with the township each text was written from: the label
/// accuracy is judged against.
pub fn labelled(h: &Hierarchy, n: usize) -> Vec<(String, Unit<'_>)> {
    let towns: Vec<Unit<'_>> = h.units().filter(|u| u.level() == TOWNSHIP).collect();
    let mut rng = Splitmix(7);
    (0..n)
        .map(|i| {
            let t = towns[rng.below(towns.len())];
            (address(t, i % 6, STREETS[rng.below(STREETS.len())]), t)
        })
        .collect()
}

const COMPOUNDS: [&str; 6] = [
    "阳光花园",
    "华润城",
    "万科城市花园",
    "碧桂园",
    "幸福家园",
    "金地名郡",
];
const NAMES: [&str; 6] = ["张伟", "王芳", "李娜", "赵敏强", "陈静", "刘洋"];

/// Delivery-style texts: a township in one of the six forms, then a road,
/// a compound, building and room, a name and a phone number.
pub fn delivery(h: &Hierarchy, n: usize) -> Vec<String> {
    let towns: Vec<Unit<'_>> = h.units().filter(|u| u.level() == TOWNSHIP).collect();
    let mut rng = Splitmix(11);
    (0..n)
        .map(|i| {
            let t = towns[rng.below(towns.len())];
            let road = STREETS[rng.below(4)];
            let mut s = address(t, i % 6, road);
            s.push_str(COMPOUNDS[rng.below(COMPOUNDS.len())]);
            s.push_str(&format!(
                "{}栋{}室 ",
                1 + rng.below(30),
                101 + rng.below(2800)
            ));
            s.push_str(NAMES[rng.below(NAMES.len())]);
            s.push_str(&format!(
                " 1{}{:09}",
                3 + rng.below(7),
                rng.below(1_000_000_000)
            ));
            s
        })
        .collect()
}
