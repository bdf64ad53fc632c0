//! Hostile input to the snapshot loaders: one test per case with the exact
//! error, memory bounded by the input's real size, and never a panic on
//! random bytes or mutated snapshots.
#![cfg(all(feature = "serde", feature = "china"))]

use std::error::Error as _;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use xzqh::china::ChinaKind;
use xzqh::{Hierarchy, LoadError, LoadLimits, LoadOptions, Role, SNAPSHOT_MAGIC, SNAPSHOT_VERSION};

/// The suite's fixtures (this test is its own binary for its allocator).
#[allow(dead_code)]
#[path = "suite/common/sample.rs"]
mod sample;

/// Options with these limits and the default (plain) profile.
fn with_limits(limits: LoadLimits) -> LoadOptions {
    LoadOptions::default().with_limits(limits)
}

// ---------------------------------------------------------------------------
// A counting allocator (live and peak bytes per thread, to show that a count
// in the input never turns into an allocation), the one the fuzz harness uses.
#[path = "support/heap.rs"]
#[allow(dead_code)] // `installed` serves the fuzz drivers
mod heap;

#[global_allocator]
static ALLOC: heap::Counting = heap::Counting;

/// Runs `f` and returns its result with the most bytes it held at once (on this thread).
fn peak_bytes<R>(f: impl FnOnce() -> R) -> (R, usize) {
    heap::peak(f)
}

// ---------------------------------------------------------------------------
// The binary layout as documented on `Hierarchy::to_snapshot`, written the way
// another program would: a serde mirror encoded with postcard.

mod blob {
    use serde::{Deserializer, Serializer, de};
    use std::fmt;

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
        }
        d.deserialize_bytes(V)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct KindW {
    name: String,
    label: String,
    level: String,
    role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SchemaW {
    name: String,
    levels: Vec<String>,
    kinds: Vec<KindW>,
    designations: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Snap {
    data_version: Option<String>,
    profile: String,
    schema: SchemaW,
    units: u64,
    #[serde(with = "blob")]
    code_offsets: Vec<u8>,
    #[serde(with = "blob")]
    codes: Vec<u8>,
    #[serde(with = "blob")]
    name_offsets: Vec<u8>,
    #[serde(with = "blob")]
    names: Vec<u8>,
    #[serde(with = "blob")]
    name_of: Vec<u8>,
    #[serde(with = "blob")]
    parent: Vec<u8>,
    #[serde(with = "blob")]
    kind: Vec<u8>,
    #[serde(with = "blob")]
    designations: Vec<u8>,
    #[serde(with = "blob")]
    relations: Vec<u8>,
}

fn le32(xs: impl IntoIterator<Item = u32>) -> Vec<u8> {
    xs.into_iter().flat_map(u32::to_le_bytes).collect()
}

impl Snap {
    fn decode(bytes: &[u8]) -> Snap {
        assert_eq!(bytes[..8], SNAPSHOT_MAGIC);
        postcard::from_bytes(&bytes[12..]).expect("the documented layout")
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = SNAPSHOT_MAGIC.to_vec();
        out.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
        out.extend(postcard::to_allocvec(self).unwrap());
        out
    }

    /// A snapshot of `(code, name, kind, parent index)` units with China's
    /// schema and the plain profile, written from scratch (names not shared
    /// between units).
    fn of(units: &[(&str, &str, ChinaKind, u32)]) -> Snap {
        let mut schema = Snap::decode(&sample::small_china_plain().to_snapshot()).schema;
        schema.name = "china".into();
        let offsets = |xs: &[&str]| {
            let mut o = vec![0u32];
            for x in xs {
                o.push(o.last().unwrap() + x.len() as u32);
            }
            le32(o)
        };
        let codes: Vec<&str> = units.iter().map(|u| u.0).collect();
        let names: Vec<&str> = units.iter().map(|u| u.1).collect();
        Snap {
            data_version: None,
            profile: "plain".into(),
            schema,
            units: units.len() as u64,
            code_offsets: offsets(&codes),
            codes: codes.concat().into_bytes(),
            name_offsets: offsets(&names),
            names: names.concat().into_bytes(),
            name_of: le32(0..units.len() as u32),
            parent: le32(units.iter().map(|u| u.3)),
            kind: units
                .iter()
                .flat_map(|u| (u.2.id().index() as u16).to_le_bytes())
                .collect(),
            designations: vec![],
            relations: vec![],
        }
    }
}

const ROOT: u32 = u32::MAX;

fn beijing() -> Snap {
    Snap::of(&[
        ("0", "中华人民共和国", ChinaKind::State, ROOT),
        ("11", "北京市", ChinaKind::Municipality, 0),
        ("110105", "朝阳区", ChinaKind::District, 1),
    ])
}

#[track_caller]
fn binary_err(bytes: &[u8]) -> LoadError {
    Hierarchy::from_snapshot(bytes).expect_err("must not load")
}

#[track_caller]
fn json_err(json: &str) -> LoadError {
    Hierarchy::from_json(json.as_bytes()).expect_err("must not load")
}

#[test]
fn the_mirror_reads_and_writes_what_the_crate_does() {
    let h = sample::small_china_plain();
    let bytes = h.to_snapshot();
    assert_eq!(Snap::decode(&bytes).encode(), bytes);
    let china = sample::small_china().to_snapshot();
    assert_eq!(Snap::decode(&china).profile, "china");
    assert_eq!(Snap::decode(&china).encode(), china);
    assert_eq!(
        Hierarchy::from_snapshot(&beijing().encode()).unwrap().len(),
        3
    );
}

// ---------------------------------------------------------------------------
// Binary snapshots.

#[test]
fn binary_truncated_anywhere() {
    let bytes = sample::small_china_plain().to_snapshot();
    for len in 0..bytes.len() {
        match binary_err(&bytes[..len]) {
            LoadError::Truncated { len: l } => assert_eq!(l, len),
            other => panic!("cut at {len}: {other}"),
        }
    }
    assert_eq!(
        binary_err(&bytes[..100]).to_string(),
        "truncated input: it ends after 100 bytes"
    );
    assert_eq!(
        binary_err(&bytes[..5]).to_string(),
        "truncated input: it ends after 5 bytes"
    );
}

#[test]
fn binary_without_magic() {
    let json = sample::small_china_plain().to_json();
    assert!(matches!(
        binary_err(json.as_bytes()),
        LoadError::NotASnapshot
    ));
    assert_eq!(
        binary_err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").to_string(),
        "not an xzqh snapshot: the input does not start with the magic bytes"
    );
    // Text-mode transfer: CR LF turned into LF.
    let mut mangled = sample::small_china_plain().to_snapshot();
    mangled.remove(5);
    assert!(matches!(binary_err(&mangled), LoadError::NotASnapshot));
}

#[test]
fn binary_future_or_unknown_version() {
    let mut bytes = sample::small_china_plain().to_snapshot();
    bytes[8..12].copy_from_slice(&3u32.to_le_bytes());
    let err = binary_err(&bytes);
    assert_eq!(
        err.to_string(),
        "unsupported format version 3: this build reads version 2"
    );
    assert!(matches!(
        err,
        LoadError::UnsupportedVersion {
            found: 3,
            supported: 2
        }
    ));
    // Version 1, before snapshots recorded their profile.
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    assert_eq!(
        binary_err(&bytes).to_string(),
        "unsupported format version 1: this build reads version 2"
    );
    bytes[8..12].copy_from_slice(&0u32.to_le_bytes());
    assert_eq!(
        binary_err(&bytes).to_string(),
        "unsupported format version 0: this build reads version 2"
    );
    bytes[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        binary_err(&bytes).to_string(),
        "unsupported format version 4294967295: this build reads version 2"
    );
}

#[test]
fn binary_invalid_utf8() {
    let mut s = beijing();
    s.names[3] = 0xFF; // inside 中
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "invalid utf-8 in names at byte 3"
    );
    let mut s = beijing();
    s.codes[1] = 0xC3; // a lead byte with no continuation
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "invalid utf-8 in codes at byte 1"
    );
    // Valid UTF-8 whose offsets split a character.
    let mut s = beijing();
    s.name_offsets[4..8].copy_from_slice(&1u32.to_le_bytes());
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "malformed snapshot: names: offsets out of order, off the end, or inside a character"
    );
    // Schema strings are postcard strings: the decoder rejects them.
    let mut bytes = beijing().encode();
    let at = bytes.windows(8).position(|w| w == b"national").unwrap();
    bytes[at] = 0xFF;
    let err = binary_err(&bytes);
    assert!(matches!(err, LoadError::Binary { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("malformed snapshot: decoding stopped at byte "),
        "{err}"
    );
    assert_eq!(
        err.source().unwrap().to_string(),
        "Tried to parse invalid utf-8"
    );
}

#[test]
fn binary_unit_count_of_billions() {
    let mut s = beijing();
    s.units = 4_000_000_000;
    let bytes = s.encode();
    let (err, peak) = peak_bytes(|| binary_err(&bytes));
    assert_eq!(
        err.to_string(),
        "too many units: 4000000000, beyond the limit of 16777216"
    );
    assert!(
        peak < 64 * 1024,
        "{peak} bytes for a {} byte input",
        bytes.len()
    );

    // With the limit raised to the id space, the arrays give the lie away.
    let limits = LoadLimits::default().with_max_units(usize::MAX);
    let options = with_limits(limits);
    let (err, peak) = peak_bytes(|| Hierarchy::from_snapshot_with(&bytes, &options).unwrap_err());
    assert_eq!(
        err.to_string(),
        "code_offsets holds 16 bytes, expected 16000000004 for 4000000000 units"
    );
    assert!(peak < 64 * 1024, "{peak} bytes");
}

#[test]
fn binary_length_prefix_of_billions() {
    // A byte string claiming 4 GiB: postcard checks it against the bytes present.
    let good = beijing().encode();
    let names_at = good
        .windows(9)
        .position(|w| w == "中华人".as_bytes())
        .unwrap();
    // The names blob's varint length is the byte before its content.
    assert_eq!(
        good[names_at - 1] as usize,
        "中华人民共和国北京市朝阳区".len()
    );
    let mut bytes = good[..names_at - 1].to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]); // varint u32::MAX
    bytes.extend_from_slice(&good[names_at..]);
    let (err, peak) = peak_bytes(|| binary_err(&bytes));
    assert_eq!(
        err.to_string(),
        format!("truncated input: it ends after {} bytes", bytes.len())
    );
    assert!(peak < 64 * 1024, "{peak} bytes");

    // A sequence (the schema's levels) claiming 4 billion strings stops at
    // its length prefix.
    let levels_at = good.windows(8).position(|w| w == b"national").unwrap() - 2;
    assert_eq!(good[levels_at], 7, "seven levels");
    let mut bytes = good[..levels_at].to_vec();
    bytes.extend_from_slice(&[0x80, 0xA8, 0xD6, 0xB9, 0x0E]); // varint 4,000,000,000
    bytes.extend_from_slice(&good[levels_at + 1..]);
    // postcard hides a length longer than the input left, so the list is
    // read up to its limit: the input runs out, or the decoder stops at
    // the element past the limit (postcard cannot skip one).
    let (err, peak) = peak_bytes(|| binary_err(&bytes));
    assert!(
        matches!(err, LoadError::Truncated { .. } | LoadError::Binary { .. }),
        "{err}"
    );
    assert!(peak < 64 * 1024, "{peak} bytes");
}

#[test]
fn route_errors_of_megabyte_inputs_are_short() {
    use xzqh::routing::{Case, Place, Router};
    let router = Router::new(xzqh::china(), xzqh::china::policy()).unwrap();
    let long = "9".repeat(1 << 20);
    let places = [Place::Code(&long)];
    let (err, peak) = peak_bytes(|| router.route(&Case::new(&places, "noise")).unwrap_err());
    assert!(err.to_string().len() < 200, "{err}");
    assert!(peak < 64 * 1024, "{peak} bytes");
    let places = [Place::Code("110105")];
    let err = router.route(&Case::new(&places, &long)).unwrap_err();
    assert!(err.to_string().len() < 200, "{err}");
    let text = "朝阳".repeat(1 << 19);
    let places = [Place::Text(&text)];
    let err = router.route(&Case::new(&places, "noise")).unwrap_err();
    assert!(err.to_string().len() < 300, "{err}");
}

/// A varint as postcard writes it.
fn varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The start of a binary snapshot up to its schema's name, then `list`
/// as the given schema list: `before` (the lists before it, each empty),
/// a count and `count` copies of `item`.
fn binary_list_bomb(before: usize, count: u64, item: &[u8]) -> Vec<u8> {
    let mut bytes = SNAPSHOT_MAGIC.to_vec();
    bytes.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
    bytes.push(0); // no data version
    bytes.extend_from_slice(b"\x05plain\x01x"); // profile, schema name
    bytes.extend(std::iter::repeat_n(0, before));
    varint(count, &mut bytes);
    for _ in 0..count {
        bytes.extend_from_slice(item);
    }
    bytes
}

#[test]
fn binary_schema_lists_of_millions_stop_at_their_limits() {
    // Ten million empty names (10 MB) as levels, kinds or designations: the
    // read stops at the list's length, before any element is kept.
    for (before, item, what, max) in [
        (0, &[0u8][..], "levels", 255),
        (1, &[0, 0, 0, 0][..], "kinds", 1024),
        (2, &[0u8][..], "designations", 32),
    ] {
        let count = 10_000_000 / item.len() as u64;
        let bytes = binary_list_bomb(before, count, item);
        let (err, peak) = peak_bytes(|| binary_err(&bytes));
        assert!(matches!(err, LoadError::TooMany { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            format!("too many {what}: {count}, beyond the limit of {max}")
        );
        assert!(peak < 64 * 1024, "{what}: {peak} bytes");
    }
    // At the limit the list is read, and the schema's own check follows.
    let mut s = beijing();
    s.schema.levels = vec!["a".into(); 255];
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "invalid schema: duplicate level `a`"
    );
    let limits = LoadLimits::default().with_max_kinds(3);
    let err = Hierarchy::from_snapshot_with(&beijing().encode(), &with_limits(limits)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "too many kinds: {}, beyond the limit of 3",
            beijing().schema.kinds.len()
        )
    );
}

#[test]
fn json_schema_lists_of_millions_stop_at_their_limits() {
    // Three million empty names (9 MB): the list stops growing at its limit
    // and the rest is skipped without being kept.
    let empties = |n: usize| vec![r#""""#; n].join(",");
    let kinds =
        |n: usize| vec![r#"{"name":"","label":"","level":"","role":"agency"}"#; n].join(",");
    for (list, what, max, count) in [
        (
            format!(r#""levels":[{}],"kinds":[]"#, empties(3_000_000)),
            "levels",
            255,
            3_000_000,
        ),
        (
            format!(r#""levels":[],"kinds":[{}]"#, kinds(200_000)),
            "kinds",
            1024,
            200_000,
        ),
        (
            format!(
                r#""levels":[],"kinds":[],"designations":[{}]"#,
                empties(3_000_000)
            ),
            "designations",
            32,
            3_000_000,
        ),
    ] {
        let json = format!(
            r#"{{"format":"xzqh-hierarchy","version":1,"schema":{{"name":"x",{list}}},"units":[]}}"#
        );
        let (err, peak) = peak_bytes(|| json_err(&json));
        assert!(matches!(err, LoadError::TooMany { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            format!("too many {what}: {count}, beyond the limit of {max}")
        );
        assert!(peak < 256 * 1024, "{what}: {peak} bytes");
    }
    // A unit names at most as many designations as a schema can declare.
    let json = doc(&[&format!(
        r#"{{"code":"1","name":"n","kind":"top","designations":[{}]}}"#,
        empties(3_000_000)
    )]);
    let (err, peak) = peak_bytes(|| json_err(&json));
    assert_eq!(
        err.source().unwrap().to_string(),
        format!("too many designations at line 1 column {}", json.len() - 3)
    );
    assert!(peak < 64 * 1024, "{peak} bytes");
}

#[test]
fn binary_cycle() {
    // Units 1 and 2 each name the other as parent: in a snapshot a parent
    // must come first, so the cycle is caught as a unit out of order.
    let s = Snap::of(&[
        ("0", "中华人民共和国", ChinaKind::State, ROOT),
        ("11", "北京市", ChinaKind::Municipality, 2),
        ("12", "天津市", ChinaKind::Municipality, 1),
    ]);
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "unit 11 is out of canonical order: its parent does not come before it"
    );
}

#[test]
fn binary_duplicate_code() {
    let s = Snap::of(&[
        ("0", "中华人民共和国", ChinaKind::State, ROOT),
        ("11", "北京市", ChinaKind::Municipality, 0),
        ("11", "北京", ChinaKind::Municipality, 0),
    ]);
    assert_eq!(binary_err(&s.encode()).to_string(), "duplicate code 11");
}

#[test]
fn binary_dangling_parent() {
    let s = Snap::of(&[
        ("0", "中华人民共和国", ChinaKind::State, ROOT),
        ("11", "北京市", ChinaKind::Municipality, 999),
    ]);
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "unit 11 is out of canonical order: its parent does not come before it"
    );
    let s = Snap::of(&[("0", "中华人民共和国", ChinaKind::State, 5)]);
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "unit 0 is out of canonical order: the first unit must be the root"
    );
}

#[test]
fn binary_name_of_megabytes() {
    let huge = "北".repeat(1 << 20);
    let s = Snap::of(&[
        ("0", "中华人民共和国", ChinaKind::State, ROOT),
        ("11", &huge, ChinaKind::Municipality, 0),
    ]);
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "invalid name for unit 11: names are 1 to 1024 bytes without control characters"
    );
}

#[test]
fn binary_deeper_than_any_real_hierarchy() {
    let codes: Vec<String> = (0..100).map(|i| format!("c{i:03}")).collect();
    let units: Vec<_> = (0..100)
        .map(|i| {
            let kind = if i == 0 {
                ChinaKind::State
            } else {
                ChinaKind::Grid
            };
            (
                codes[i].as_str(),
                "网格",
                kind,
                if i == 0 { ROOT } else { i as u32 - 1 },
            )
        })
        .collect();
    let mut s = Snap::of(&units);
    // One shared name, as the writer interns them.
    s.name_offsets = le32([0, "网格".len() as u32]);
    s.names = "网格".as_bytes().to_vec();
    s.name_of = le32(std::iter::repeat_n(0, 100));
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "unit c065 is at depth 65, beyond the limit of 64"
    );
    let limits = LoadLimits::default().with_max_depth(200);
    assert_eq!(
        Hierarchy::from_snapshot_with(&s.encode(), &with_limits(limits))
            .unwrap()
            .len(),
        100
    );
}

#[test]
fn binary_other_malformed_content() {
    let mut bytes = beijing().encode();
    bytes.extend_from_slice(b"abc");
    assert_eq!(
        binary_err(&bytes).to_string(),
        "malformed snapshot: 3 bytes after the end of the data"
    );

    let mut s = beijing();
    s.relations = le32([1, 2, 9]);
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "malformed snapshot: unknown relation code 9"
    );

    let mut s = beijing();
    s.designations = vec![0; 7];
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "malformed snapshot: designations hold 7 bytes, not a whole number of 8-byte records"
    );

    let mut s = beijing();
    s.kind[0..2].copy_from_slice(&999u16.to_le_bytes());
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "unit 0 has unknown kind `#999`"
    );

    let mut s = beijing();
    s.kind.pop();
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "kind holds 5 bytes, expected 6 for 3 units"
    );

    let mut s = beijing();
    s.schema.kinds = (0..2000)
        .map(|i| KindW {
            name: format!("k{i}"),
            label: "k".into(),
            level: "national".into(),
            role: Role::Government,
        })
        .collect();
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "too many kinds: 2000, beyond the limit of 1024"
    );

    let mut s = beijing();
    s.schema.kinds[3].level = "nowhere".into();
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "invalid schema: kind `municipality` names unknown level `nowhere`"
    );

    // An option tag postcard does not know.
    let mut bytes = beijing().encode();
    bytes[12] = 7;
    let err = binary_err(&bytes);
    assert_eq!(
        err.to_string(),
        "malformed snapshot: decoding stopped at byte 13"
    );
    assert_eq!(
        err.source().unwrap().to_string(),
        "Found an Option discriminant that wasn't 0 or 1"
    );

    let mut s = beijing();
    s.units = 0;
    s.code_offsets = le32([0]);
    s.codes.clear();
    s.name_of.clear();
    s.parent.clear();
    s.kind.clear();
    assert_eq!(binary_err(&s.encode()).to_string(), "hierarchy has no unit");
}

#[test]
fn binary_errors_of_large_inputs_checked_on_two_threads() {
    // From 262,144 units the name index is built on a second thread: errors
    // from either side come out, in the same order.
    let h = sample::synthetic(&[5, 50, 500, 5_000, 260_000], 9).unwrap();
    let mut good = Snap::decode(&h.to_snapshot());
    good.profile = "plain".into(); // loaded with the default options
    let offsets: Vec<u32> = good
        .code_offsets
        .chunks(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let code = |i: usize| &good.codes[offsets[i] as usize..offsets[i + 1] as usize];
    let last = h.len() - 1;
    assert_eq!(code(last).len(), code(last - 1).len());

    let mut s = good.clone();
    let b = offsets[last] as usize;
    let previous = code(last - 1).to_vec();
    s.codes[b..].copy_from_slice(&previous);
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        format!("duplicate code {}", String::from_utf8(previous).unwrap())
    );

    let mut s = good.clone();
    let noff: Vec<usize> = s
        .name_offsets
        .chunks(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()) as usize)
        .collect();
    let k = (1..noff.len() - 2)
        .find(|&k| noff[k + 1] - noff[k] == noff[k + 2] - noff[k + 1])
        .unwrap();
    let name = s.names[noff[k]..noff[k + 1]].to_vec();
    s.names[noff[k + 1]..noff[k + 2]].copy_from_slice(&name);
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "inconsistent hierarchy data: name table with a repeated entry"
    );
}

#[test]
fn binary_larger_than_the_limit() {
    let bytes = sample::small_china_plain().to_snapshot();
    let limits = LoadLimits::default().with_max_bytes(100);
    assert_eq!(
        Hierarchy::from_snapshot_with(&bytes, &with_limits(limits))
            .unwrap_err()
            .to_string(),
        format!(
            "input of {} bytes exceeds the limit of 100 bytes",
            bytes.len()
        )
    );
}

// ---------------------------------------------------------------------------
// JSON.

const HEAD: &str = r#"{"format":"xzqh-hierarchy","version":1,"schema":{"name":"t","levels":["a","b"],"kinds":[{"name":"top","label":"Top","level":"a","role":"government"},{"name":"unit","label":"Unit","level":"b","role":"government"}],"designations":["capital"]},"units":["#;

fn doc(units: &[&str]) -> String {
    format!("{HEAD}{}]}}", units.join(","))
}

fn unit(code: &str, parent: Option<&str>) -> String {
    match parent {
        None => format!(r#"{{"code":"{code}","name":"n{code}","kind":"top"}}"#),
        Some(p) => format!(r#"{{"code":"{code}","name":"n{code}","kind":"unit","parent":"{p}"}}"#),
    }
}

#[test]
fn json_truncated_anywhere() {
    let json = sample::small_china_plain().to_json();
    let bytes = json.as_bytes();
    // Only the final newline may go.
    for len in 0..json.trim_end().len() {
        match Hierarchy::from_json(&bytes[..len]).expect_err("a prefix must not load") {
            LoadError::Truncated { len: l } => assert_eq!(l, len),
            // Cut inside a multi-byte character.
            LoadError::InvalidUtf8 {
                field: "input",
                offset,
            } => assert!(offset < len && len - offset < 4),
            other => panic!("cut at {len}: {other}"),
        }
    }
    assert_eq!(
        Hierarchy::from_json(&bytes[..50]).unwrap_err().to_string(),
        "truncated input: it ends after 50 bytes"
    );
}

#[test]
fn json_wrong_format() {
    assert_eq!(
        json_err(r#"{"format":"geojson","version":1}"#).to_string(),
        r#"not an xzqh hierarchy: format is "geojson", expected "xzqh-hierarchy""#
    );
    let err = json_err(r#"{"version":1,"schema":{},"units":[]}"#);
    assert_eq!(err.to_string(), "invalid json at line 1, column 24");
    assert_eq!(
        err.source().unwrap().to_string(),
        "missing field `name` at line 1 column 24"
    );
    let err = json_err(r#"{"type":"FeatureCollection"}"#);
    assert_eq!(
        err.source().unwrap().to_string(),
        "unknown field `type`, expected one of `format`, `version`, `data_version`, `profile`, `schema`, `units`, `relations` at line 1 column 7"
    );
    let err = json_err("[1, 2, 3]");
    assert_eq!(
        err.source().unwrap().to_string(),
        "invalid type: sequence, expected an xzqh-hierarchy object at line 1 column 0"
    );
}

#[test]
fn json_future_version_is_rejected_before_the_rest_is_read() {
    // Version 2 with units of a shape version 1 cannot read.
    let err = json_err(r#"{"format":"xzqh-hierarchy","version":2,"units":{"packed":"..."}}"#);
    assert!(matches!(
        err,
        LoadError::UnsupportedVersion {
            found: 2,
            supported: 1
        }
    ));
    assert_eq!(
        err.to_string(),
        "unsupported format version 2: this build reads version 1"
    );
    assert_eq!(
        json_err(r#"{"format":"xzqh-hierarchy","version":0}"#).to_string(),
        "unsupported format version 0: this build reads version 1"
    );
    let err = json_err(r#"{"format":"xzqh-hierarchy","version":"1"}"#);
    assert_eq!(
        err.source().unwrap().to_string(),
        "invalid type: string \"1\", expected u64 at line 1 column 40"
    );
}

#[test]
fn json_invalid_utf8() {
    let mut bytes = doc(&[&unit("0", None)]).into_bytes();
    let at = bytes.windows(2).position(|w| w == b"n0").unwrap();
    bytes[at] = 0xFE;
    assert_eq!(
        Hierarchy::from_json(&bytes).unwrap_err().to_string(),
        format!("invalid utf-8 in input at byte {at}")
    );
}

#[test]
fn json_cycle() {
    let json = doc(&[
        &unit("0", None),
        &unit("a", Some("b")),
        &unit("b", Some("a")),
    ]);
    assert_eq!(json_err(&json).to_string(), "cycle through a -> b");
}

#[test]
fn json_duplicate_code() {
    let json = doc(&[
        &unit("0", None),
        &unit("11", Some("0")),
        &unit("11", Some("0")),
    ]);
    assert_eq!(json_err(&json).to_string(), "duplicate code 11");
}

#[test]
fn json_dangling_parent() {
    let json = doc(&[&unit("0", None), &unit("11", Some("99"))]);
    assert_eq!(
        json_err(&json).to_string(),
        "unit 11 names unknown parent 99"
    );
    let json = doc(&[&unit("0", None), &unit("1", None)]);
    assert_eq!(
        json_err(&json).to_string(),
        "two roots 0 and 1: exactly one unit may have no parent"
    );
}

#[test]
fn json_name_of_megabytes() {
    let huge = "北".repeat(1 << 20);
    let json = doc(&[
        &unit("0", None),
        &format!(r#"{{"code":"11","name":"{huge}","kind":"unit","parent":"0"}}"#),
    ]);
    let (err, peak) = peak_bytes(|| json_err(&json));
    assert_eq!(
        err.to_string(),
        "invalid name for unit 11: names are 1 to 1024 bytes without control characters"
    );
    // A few copies at most: the name is borrowed while parsing.
    assert!(
        peak < 4 * json.len(),
        "{peak} bytes for {} bytes of json",
        json.len()
    );
}

#[test]
fn json_deeper_than_any_real_hierarchy() {
    let mut units = vec![unit("c0", None)];
    units.extend((1..5_000).map(|i| unit(&format!("c{i}"), Some(&format!("c{}", i - 1)))));
    let refs: Vec<&str> = units.iter().map(String::as_str).collect();
    assert_eq!(
        json_err(&doc(&refs)).to_string(),
        "unit c65 is at depth 65, beyond the limit of 64"
    );
}

#[test]
fn json_too_many_units() {
    let units: Vec<String> = std::iter::once(unit("0", None))
        .chain((1..10).map(|i| unit(&i.to_string(), Some("0"))))
        .collect();
    let refs: Vec<&str> = units.iter().map(String::as_str).collect();
    let limits = LoadLimits::default().with_max_units(5);
    assert_eq!(
        Hierarchy::from_json_with(doc(&refs).as_bytes(), &with_limits(limits))
            .unwrap_err()
            .to_string(),
        "too many units: 10, beyond the limit of 5"
    );
    let limits = LoadLimits::default().with_max_units(10);
    assert_eq!(
        Hierarchy::from_json_with(doc(&refs).as_bytes(), &with_limits(limits))
            .unwrap()
            .len(),
        10
    );
}

/// Two units and one relation.
fn with_relation(relation: &str) -> String {
    let json = doc(&[&unit("0", None), &unit("1", Some("0"))]);
    format!(
        "{}],\"relations\":[{relation}]}}",
        json.strip_suffix("]}").unwrap()
    )
}

#[test]
fn json_names_what_it_does_not_know() {
    let json = doc(&[
        &unit("0", None),
        r#"{"code":"1","name":"x","kind":"unit","parent":"0","designations":["capitol"]}"#,
    ]);
    assert_eq!(
        json_err(&json).to_string(),
        "units[1].designations[0]: unknown designation `capitol`"
    );

    let json = doc(&[
        &unit("0", None),
        r#"{"code":"1","name":"x","kind":"shire","parent":"0"}"#,
    ]);
    assert_eq!(
        json_err(&json).to_string(),
        "unit 1 has unknown kind `shire`"
    );

    let json = with_relation(r#"{"from":"0","to":"1","relation":"owns"}"#);
    assert_eq!(
        json_err(&json).to_string(),
        "relations[0].relation: unknown relation `owns`"
    );

    let json = with_relation(r#"{"from":"0","to":"2","relation":"planning"}"#);
    assert_eq!(json_err(&json).to_string(), "relation names unknown unit 2");

    let err = json_err(&doc(&[
        r#"{"code":"0","name":"x","kind":"top","parent_code":null}"#,
    ]));
    assert_eq!(err.to_string(), "invalid json at line 1, column 299");
    assert_eq!(
        err.source().unwrap().to_string(),
        "unknown field `parent_code`, expected one of `code`, `name`, `kind`, `parent`, `designations` at line 1 column 299"
    );

    let json = HEAD.replace(r#""level":"b""#, r#""level":"c""#) + "]}";
    assert_eq!(
        json_err(&json).to_string(),
        "invalid schema: kind `unit` names unknown level `c`"
    );

    let err = json_err(&format!("{} trailing", doc(&[&unit("0", None)])));
    assert_eq!(
        err.source().unwrap().to_string(),
        "trailing characters at line 1 column 291"
    );

    let err = json_err(r#"{"format":"xzqh-hierarchy","format":"xzqh-hierarchy"}"#);
    assert_eq!(
        err.source().unwrap().to_string(),
        "duplicate field `format` at line 1 column 35"
    );
}

#[test]
fn json_nested_beyond_any_document() {
    // Nesting bombs end at a type error or serde_json's recursion limit,
    // never at the end of the stack.
    let bomb = "[".repeat(100_000);
    let err = json_err(&format!(
        r#"{{"format":"xzqh-hierarchy","version":1,"units":{bomb}"#
    ));
    assert_eq!(
        err.source().unwrap().to_string(),
        "invalid type: sequence, expected a string at line 1 column 49"
    );
    // Units past the limit are skipped over without recursion.
    let json = format!(r#"{{"format":"xzqh-hierarchy","version":1,"units":[{{}},{bomb}"#);
    let limits = LoadLimits::default().with_max_units(0);
    let err = Hierarchy::from_json_with(json.as_bytes(), &with_limits(limits)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "truncated input: it ends after 100051 bytes"
    );
}

#[test]
fn profile_mismatch_and_profile_of_megabytes() {
    let china = sample::small_china();
    let message =
        "the input was saved with profile `china`; load it with that profile, not `plain`";
    assert_eq!(binary_err(&china.to_snapshot()).to_string(), message);
    assert_eq!(json_err(&china.to_json()).to_string(), message);
    let options = LoadOptions::default().with_profile(xzqh::china::profile());
    assert_eq!(
        Hierarchy::from_snapshot_with(&china.to_snapshot(), &options).unwrap(),
        china
    );

    // A profile name of a megabyte is quoted cut, in bounded memory.
    let mut s = beijing();
    s.profile = "p".repeat(1 << 20);
    let bytes = s.encode();
    let (err, peak) = peak_bytes(|| binary_err(&bytes));
    assert!(matches!(err, LoadError::ProfileMismatch { .. }), "{err}");
    let shown = format!("{}… (1048576 bytes)", "p".repeat(64));
    assert_eq!(
        err.to_string(),
        format!(
            "the input was saved with profile `{shown}`; load it with that profile, not `plain`"
        )
    );
    assert!(
        peak < 64 * 1024,
        "{peak} bytes for a {} byte input",
        bytes.len()
    );
    let json = sample::small_china_plain().to_json().replace(
        r#""profile":"plain""#,
        &format!(r#""profile":"{}""#, "p".repeat(1 << 20)),
    );
    assert_eq!(
        json_err(&json).to_string(),
        format!(
            "the input was saved with profile `{shown}`; load it with that profile, not `plain`"
        )
    );
    // The profile must be a string.
    let json = sample::small_china_plain()
        .to_json()
        .replace(r#""profile":"plain""#, r#""profile":["plain"]"#);
    assert!(matches!(json_err(&json), LoadError::Json { .. }));
}

#[test]
fn schema_beyond_its_limits() {
    let mut s = beijing();
    s.schema.designations = (0..40).map(|i| format!("d{i}")).collect();
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "too many designations: 40, beyond the limit of 32"
    );
    let mut s = beijing();
    s.schema.levels = (0..300).map(|i| format!("l{i}")).collect();
    assert_eq!(
        binary_err(&s.encode()).to_string(),
        "too many levels: 300, beyond the limit of 255"
    );
}

// ---------------------------------------------------------------------------
// Never a panic.

/// Loading must fail cleanly or give a hierarchy that survives its own round trip.
fn must_not_panic(bytes: &[u8]) {
    if let Ok(h) = Hierarchy::from_snapshot(bytes) {
        assert_eq!(Hierarchy::from_snapshot(&h.to_snapshot()).unwrap(), h);
    }
    if let Ok(h) = Hierarchy::from_json(bytes) {
        assert_eq!(Hierarchy::from_json(h.to_json().as_bytes()).unwrap(), h);
    }
    let import =
        xzqh::CsvImport::new(xzqh::china::schema()).classify(|_| Some(ChinaKind::Town.id()));
    if let Ok(import) = import.read("fuzz.csv", bytes) {
        let _ = import.finish();
    }
}

#[test]
fn every_single_byte_mutation_of_a_snapshot() {
    let bytes = sample::small_china_plain().to_snapshot();
    let mut loaded = 0;
    for at in 0..bytes.len() {
        let b = bytes[at];
        for v in [
            0x00,
            0xFF,
            b ^ 0x01,
            b ^ 0x80,
            b.wrapping_add(1),
            b.wrapping_sub(1),
        ] {
            let mut m = bytes.clone();
            m[at] = v;
            if let Ok(h) = Hierarchy::from_snapshot(&m) {
                loaded += 1;
                assert_eq!(Hierarchy::from_snapshot(&h.to_snapshot()).unwrap(), h);
            }
        }
    }
    // Mutations of a name or label can still be valid.
    assert!(loaded > 0);
}

#[test]
fn every_single_byte_mutation_of_json() {
    let json = sample::small_china_plain().to_json().into_bytes();
    for at in 0..json.len() {
        for v in [b'"', b'}', b'0', 0xFF, json[at] ^ 0x20] {
            let mut m = json.clone();
            m[at] = v;
            if let Ok(h) = Hierarchy::from_json(&m) {
                assert_eq!(Hierarchy::from_json(h.to_json().as_bytes()).unwrap(), h);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        must_not_panic(&bytes);
    }

    #[test]
    fn random_bytes_after_a_valid_header_never_panic(tail in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut bytes = SNAPSHOT_MAGIC.to_vec();
        bytes.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&tail);
        must_not_panic(&bytes);
    }

    #[test]
    fn random_mutations_of_a_snapshot_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = sample::small_china_plain().to_snapshot();
        for (at, v) in edits {
            let at = at.index(bytes.len());
            bytes[at] = v;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        must_not_panic(&bytes);
    }
}

// ---------------------------------------------------------------------------
// Policies: size, nesting and value count checked before the parser runs.

mod policies {
    use super::peak_bytes;
    use xzqh::routing::{CategoryDef, CompiledPolicy, Policy, PolicyError, PolicyLimits};

    #[test]
    fn toml_nesting_bombs_fail_fast() {
        // 1.9 MB of `[` and 3.8 MB of `{a=`: without the limits the parser
        // peaked at 100 and 200 MiB. Past the default size first; with the
        // size allowed, at the nesting limit.
        let brackets = "[".repeat(1_900_000);
        let tables = "{a=".repeat(1_266_667);
        let dotted = format!("{} = 1", vec!["a"; 1_000_000].join("."));
        let json = "[".repeat(1_900_000);
        let large = PolicyLimits::default().with_max_bytes(16 << 20);
        for text in [&brackets, &tables, &dotted] {
            let (err, peak) = peak_bytes(|| Policy::from_toml(text).unwrap_err());
            assert_eq!(
                err,
                PolicyError::TooLarge {
                    size: text.len(),
                    max: 64 << 10
                }
            );
            assert!(peak < 4 * 1024, "{peak} bytes");
            let (err, peak) = peak_bytes(|| Policy::from_toml_with(text, &large).unwrap_err());
            assert_eq!(err, PolicyError::TooDeep { line: 1, max: 16 });
            assert_eq!(err.to_string(), "line 1: the policy nests deeper than 16");
            assert!(peak < 4 * 1024, "{peak} bytes");
        }
        let (err, peak) = peak_bytes(|| Policy::from_json_with(&json, &large).unwrap_err());
        assert_eq!(err, PolicyError::TooDeep { line: 1, max: 16 });
        assert!(peak < 4 * 1024, "{peak} bytes");
        assert!(matches!(
            Policy::from_json(&json),
            Err(PolicyError::TooLarge { .. })
        ));

        // Brackets inside strings and comments do not count.
        let text = "name = \"[[[[[[[[[[[[[[[[[[[[\" # {{{{{{{{{{{{{{{{{{{{{{{\n\
                    roles = ['[[[[[[[[[[[[[[[[[[', \"\"\"\n[[[[[[[[[[[[[[[[[[[[[\"\"\", '''{{{{{{{{{{{{{{{{{{{''']";
        assert_eq!(Policy::from_toml(text).unwrap().roles.len(), 3);
        assert_eq!(
            Policy::from_toml("name = \"[[[[[[[[[[[[[[[[[[[[[[[\" # [[[[[[[[[[[[[[[[[[[[[\n")
                .unwrap()
                .name,
            "[[[[[[[[[[[[[[[[[[[[[[["
        );
    }

    #[test]
    fn json_strings_hide_brackets() {
        let escaped = r#"{"name": "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#;
        assert_eq!(
            Policy::from_json(escaped).unwrap().name,
            "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[["
        );
    }

    #[test]
    fn size_and_value_count() {
        let limits = PolicyLimits::default().with_max_bytes(10);
        let err = Policy::from_toml_with("name = \"eleven\"", &limits).unwrap_err();
        assert_eq!(err, PolicyError::TooLarge { size: 15, max: 10 });
        assert_eq!(
            err.to_string(),
            "the policy of 15 bytes exceeds the limit of 10 bytes"
        );
        let err = Policy::from_json_with(r#"{"name": "eleven"}"#, &limits).unwrap_err();
        assert_eq!(err, PolicyError::TooLarge { size: 18, max: 10 });

        // 20,000 empty roles (60 kB): stopped at the 4,097th token.
        let roles = format!("name = \"x\"\nroles = [{}]", vec!["''"; 20_000].join(","));
        let (err, peak) = peak_bytes(|| Policy::from_toml(&roles).unwrap_err());
        assert_eq!(
            err,
            PolicyError::TooManyTokens {
                line: 2,
                max: 4_096
            }
        );
        assert!(peak < 4 * 1024, "{peak} bytes");

        // The TOML parser holds about 50 bytes per token: 65,000 line ends
        // (65 kB) took 3.5 MB, 65,000 quotes 7 MB.
        for bomb in [
            format!("name = \"x\"{}", "\n".repeat(60_000)),
            format!("name = \"x\"\nroles = [{}]", "\"\"".repeat(30_000)),
            format!("name = \"x\"\n{}", "@ ".repeat(30_000)),
        ] {
            let (err, peak) = peak_bytes(|| Policy::from_toml(&bomb).unwrap_err());
            assert!(matches!(err, PolicyError::TooManyTokens { .. }), "{err}");
            assert!(peak < 4 * 1024, "{peak} bytes");
        }

        // At the limits the parser runs, in memory bounded by the input.
        let mut cases = vec![
            format!("name = \"x\"\nroles = [{}]", vec!["''"; 2_000].join(",")),
            format!(
                "name = \"x\"\nroles = [{}]",
                vec!["\"\\u0041\""; 2_000].join(",")
            ),
            format!(
                "name = \"x\"\n{}",
                "[[categories]]\nname = \"c\"\n".repeat(130)
            ),
            format!(
                "name = \"x\"\nroles = ['{}']",
                "a".repeat(PolicyLimits::default().max_bytes - 30)
            ),
        ];
        cases.push(format!("{}\n{}", cases[0], "#".repeat(50 << 10)));
        for text in &cases {
            let (r, peak) = peak_bytes(|| Policy::from_toml(text));
            assert!(r.is_ok(), "{r:?}");
            assert!(
                peak < 4 * text.len() + 1024 * 1024,
                "{peak} bytes for {} bytes: {:?}",
                text.len(),
                r.map(|p| p.name)
            );
        }
        let json = format!(
            r#"{{"name":"x","roles":[{}]}}"#,
            vec![r#""""#; 4_090].join(",")
        );
        let (_, peak) = peak_bytes(|| Policy::from_json(&json));
        assert!(peak < 4 * json.len() + 1024 * 1024, "{peak} bytes");
    }

    #[test]
    fn errors_quote_bounded_excerpts() {
        let long = "k".repeat(50_000);
        let shown = format!("{}… (50000 bytes)", "k".repeat(64));
        // An unknown field of a megabyte, in JSON and in TOML.
        let err = Policy::from_json(&format!(r#"{{"name":"x","{long}":1}}"#)).unwrap_err();
        let message = err.to_string();
        assert!(message.len() < 400, "{} bytes", message.len());
        assert!(
            message.starts_with("cannot parse the policy: unknown field `kkkk"),
            "{message}"
        );
        assert!(message.ends_with(" at line 1 column 50014"), "{message}");
        let err = Policy::from_toml(&format!("name = \"x\"\n{long} = 1\n")).unwrap_err();
        let message = err.to_string();
        assert!(message.len() < 1000, "{} bytes: {message}", message.len());
        assert!(message.contains("unknown field `kkkk"), "{message}");

        // Names the hierarchy does not know, quoted cut.
        let mut p = Policy::new("x");
        p.categories
            .push(CategoryDef::new("c").min_level(long.clone()));
        let err = CompiledPolicy::compile(p, &super::sample::small_china()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("categories[0].min_level: unknown level `{shown}`")
        );
    }
}

// ---------------------------------------------------------------------------
// Free text: offsets are u32, so the resolver reads texts up to a cap.

#[test]
fn address_texts_beyond_the_cap_are_read_up_to_it() {
    use xzqh::address::{AddressResolver, Outcome};
    const MAX: usize = AddressResolver::MAX_TEXT_BYTES;
    let h = sample::small_china();
    let addresses = h.addresses().unwrap();
    let mut text = "x".repeat(MAX);
    let r = addresses.resolve(&text);
    assert_eq!(r.outcome(), &Outcome::NotFound);
    assert!(!r.is_truncated());
    text.push_str("深圳市南山区");
    let r = addresses.resolve(&text);
    assert!(r.is_truncated(), "the resolution says it read less");
    assert_eq!(
        r.outcome(),
        &Outcome::NotFound,
        "nothing past the cap is read"
    );
    assert_eq!(r.remainder_range().end, text.len());

    // A name repeated up to the cap and beyond: memory stays within four
    // times the text read and a megabyte.
    let h = xzqh::china();
    let addresses = h.addresses().unwrap();
    for piece in ["朝阳", "南山", "北京朝阳区", "东", "城关镇"] {
        let text = piece.repeat(2 * MAX / piece.len());
        let (r, peak) = peak_bytes(|| addresses.resolve(&text).spans().len());
        assert!(r <= text.len());
        assert!(peak < 4 * MAX + (1 << 20), "{piece}: {peak} bytes");
    }
}

#[test]
fn csv_row_of_many_fields_keeps_a_few() {
    // 65,536 fields on one line (131 kB) held 3 MB of field slices; now
    // 65 are kept and the rest counted.
    let csv = format!(
        "code,name,parent_code,kind\n0,中国,,state\n11,北京市,0,municipality{}\n",
        ",d".repeat(65_536)
    );
    let import = xzqh::CsvImport::new(xzqh::china::schema());
    let (err, peak) = peak_bytes(|| import.read("wide.csv", csv.as_bytes()).unwrap_err());
    assert_eq!(
        err.to_string(),
        "wide.csv line 3: expected 4 fields, found 65540"
    );
    assert!(peak < 64 * 1024, "{peak} bytes");
    let header = format!("code,name,parent_code,kind{}\n", ",x".repeat(65_536));
    let import = xzqh::CsvImport::new(xzqh::china::schema());
    let (err, peak) = peak_bytes(|| import.read("wide.csv", header.as_bytes()).unwrap_err());
    assert_eq!(
        err.to_string(),
        "wide.csv line 1: expected the header `code,name,parent_code` (optionally `,kind`), found `code,name,parent_code,kind,x,x,x,x,x,x,x,x,x,x,x,x,x,x,x,x,x,x,x… (148 bytes)`"
    );
    assert!(peak < 64 * 1024, "{peak} bytes");
}

#[test]
fn json_parser_messages_are_cut() {
    // serde_json quotes a rejected string in full.
    let long = "x".repeat(1 << 20);
    let json = format!(r#"{{"format":"xzqh-hierarchy","version":1,"{long}":1}}"#);
    let err = json_err(&json);
    assert_eq!(err.to_string(), "invalid json at line 1, column 1048617");
    let source = err.source().unwrap().to_string();
    assert!(source.len() < 400, "{} bytes", source.len());
    assert!(source.starts_with("unknown field `xxxx"), "{source}");
    assert!(
        source.ends_with("… (1048688 bytes) at line 1 column 1048617"),
        "{source}"
    );
    let json = format!(r#"{{"format":"{long}"}}"#);
    assert_eq!(
        json_err(&json).to_string(),
        format!(
            "not an xzqh hierarchy: format is \"{}… (1048576 bytes)\", expected \"xzqh-hierarchy\"",
            "x".repeat(64)
        )
    );
}
