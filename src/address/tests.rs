//! The engine on a tiny hierarchy of its own: a schema and a profile made
//! here (short forms of two strengths and one with a kind word, a deep
//! level), so that every rule is tested without any country's data.

use std::sync::Arc;

use proptest::prelude::*;

use super::read::Score;
use super::{AddressResolver, Form, OldName, Outcome, Resolution};
use crate::{FormStrength, Hierarchy, KindDef, Profile, Role, Schema, ShortForm};

/// Short forms drop " County" (a major form, and "… Co." with a kind word)
/// and " District" (a minor form); parishes are the deep level.
#[derive(Debug)]
struct Testland;

impl Profile for Testland {
    fn name(&self) -> &str {
        "testland"
    }

    fn short_forms<'n>(&self, name: &'n str, kind: &KindDef, out: &mut Vec<ShortForm<'n>>) {
        let strength = if kind.level().rank() <= 1 {
            FormStrength::Major
        } else {
            FormStrength::Minor
        };
        if let Some(stem) = name.strip_suffix(" County") {
            out.push(ShortForm::new(stem, strength));
            out.push(ShortForm::with_tail(stem, " Co."));
        } else if let Some(stem) = name.strip_suffix(" District") {
            out.push(ShortForm::new(stem, strength));
        }
    }

    fn deep_rank(&self) -> Option<u8> {
        Some(3)
    }

    /// A stand-in for a traditional-to-simplified fold: Q reads as K.
    fn fold(&self, c: char) -> char {
        if c == 'Q' { 'K' } else { c }
    }
}

/// Two counties, each with an Ashford District; three parishes named
/// Oakwood.
/// A schema of `levels`, top down, each with one government kind of the
/// same name and its label.
fn schema(name: &str, levels: &[(&str, &str)]) -> Arc<Schema> {
    let mut b = Schema::builder(name);
    for &(level, _) in levels {
        b = b.level(level);
    }
    for &(level, label) in levels {
        b = b.kind(level, label, level, Role::Government);
    }
    Arc::new(b.build().expect("a valid schema"))
}

fn testland() -> Hierarchy {
    Hierarchy::builder(schema(
        "testland",
        &[
            ("country", "Country"),
            ("county", "County"),
            ("district", "District"),
            ("parish", "Parish"),
        ],
    ))
    .profile(Arc::new(Testland))
    .unit("T", "Testland", "country", None)
    .unit("K", "Kent County", "county", Some("T"))
    .unit("KM", "Maidstone District", "district", Some("K"))
    .unit("KMB", "Bearsted", "parish", Some("KM"))
    .unit("KMO", "Oakwood", "parish", Some("KM"))
    .unit("KA", "Ashford District", "district", Some("K"))
    .unit("KAO", "Oakwood", "parish", Some("KA"))
    .unit("S", "Surrey County", "county", Some("T"))
    .unit("SA", "Ashford District", "district", Some("S"))
    .unit("SG", "Guildford District", "district", Some("S"))
    .unit("SGO", "Oakwood", "parish", Some("SG"))
    .build()
    .expect("a valid hierarchy")
}

fn codes<'a>(units: impl IntoIterator<Item = crate::Unit<'a>>) -> Vec<&'a str> {
    units.into_iter().map(|u| u.code()).collect()
}

fn candidates<'a>(r: &Resolution<'a>) -> Vec<&'a str> {
    codes(r.candidates().iter().map(|c| c.unit))
}

#[test]
fn resolver_is_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<AddressResolver<'static>>();
    check::<Resolution<'static>>();
}

#[test]
fn scores_keep_negative_qualities() {
    for q in [-12, -5, -1, 0, 1, 9] {
        let s = Score::ZERO.add(3, q);
        assert_eq!((s.chars(), s.quality()), (3, q));
    }
}

#[test]
fn a_hierarchy_builds_its_dictionary_once() {
    let h = testland();
    let a = h.addresses().expect("the names fit");
    let b = h.addresses().expect("the names fit");
    assert!(a.shares_dictionary(&b));
    let c = AddressResolver::builder(&h).build().expect("the names fit");
    assert!(
        !a.shares_dictionary(&c),
        "a builder makes a dictionary of its own"
    );
}

#[test]
fn the_profile_gives_short_forms_and_their_strengths() {
    let h = testland();
    let addresses = h.addresses().unwrap();
    let text = "Kent, Maidstone, Bearsted, 3 High Street";
    let r = addresses.resolve(text);
    assert_eq!(r.unit().map(|u| u.code()), Some("KMB"));
    let said: Vec<_> = r.spans().iter().map(|s| (s.text, s.form)).collect();
    assert_eq!(
        said,
        [
            ("Kent", Form::Short),
            ("Maidstone", Form::Short),
            ("Bearsted", Form::Full)
        ]
    );
    assert_eq!(codes(r.chain().iter().copied()), ["K", "KM", "KMB"]);
    assert_eq!(r.remainder(), "3 High Street");
    // A form with a kind word, and names in any ASCII case.
    let r = addresses.resolve("kent co. ASHFORD");
    assert_eq!(r.unit().map(|u| u.code()), Some("KA"));
    assert_eq!(r.spans()[0].text, "kent co.");
    // A minor form starts a reading at the start of the text only.
    assert_eq!(
        addresses.resolve("Maidstone").unit().map(|u| u.code()),
        Some("KM")
    );
    assert_eq!(
        addresses.resolve("12 Maidstone").outcome(),
        &Outcome::NotFound
    );
    assert_eq!(
        addresses.resolve("12 Maidstone").remainder(),
        "12 Maidstone"
    );
}

#[test]
fn ties_list_every_candidate_and_keep_what_they_share() {
    let h = testland();
    let addresses = h.addresses().unwrap();
    let r = addresses.resolve("Ashford District");
    assert_eq!(candidates(&r), ["KA", "SA"]);
    assert!(r.chain().is_empty() && r.spans().is_empty());
    assert_eq!(
        r.candidates()[1].explain(),
        "SA Ashford District (Surrey County): Ashford District = full name of SA Ashford District"
    );
    assert_eq!(
        addresses.resolve("Surrey Ashford").unit().map(|u| u.code()),
        Some("SA")
    );
    // Deep names are read inside the unit named before them.
    let r = addresses.resolve("Kent Oakwood");
    assert_eq!(candidates(&r), ["KAO", "KMO"]);
    assert_eq!(codes(r.chain().iter().copied()), ["K"]);
    assert_eq!(r.spans().len(), 1);
    assert_eq!(r.spans()[0].unit.code(), "K");
    // With nothing else named, a deep name stands alone.
    assert_eq!(
        candidates(&addresses.resolve("Oakwood")),
        ["KAO", "KMO", "SGO"]
    );
    assert_eq!(
        addresses
            .resolve("Guildford Oakwood")
            .unit()
            .map(|u| u.code()),
        Some("SGO")
    );
}

#[test]
fn old_names_and_their_short_forms() {
    let h = testland();
    let kent = h.by_code("K").unwrap().id();
    let addresses = AddressResolver::builder(&h)
        .old_name(OldName::new("Cantium County", [kent], "Roman"))
        .build()
        .unwrap();
    let r = addresses.resolve("Cantium Maidstone");
    assert_eq!(r.unit().map(|u| u.code()), Some("KM"));
    assert_eq!(r.spans()[0].form, Form::Old { index: 0 });
    assert_eq!(addresses.old_names()[0].note, "Roman");
}

/// Pieces of text: names and forms of the tiny hierarchy, separators,
/// street words and house numbers.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Testland",
        "Kent County",
        "Kent",
        "Kent Co.",
        "kent",
        "Maidstone District",
        "Maidstone",
        "Ashford District",
        "Ashford",
        "Surrey",
        "Surrey County",
        "Guildford",
        "Bearsted",
        "Oakwood",
        "Oak",
        " ",
        ", ",
        "12",
        "High Street",
        "",
    ])
}

/// A counterexample a random run found: the pruned reader answers
/// Oakwood (14 characters: Ashford + Oakwood), and so must the exhaustive
/// reference, which made the later, better-scoring reading of Ashford
/// District too and extended only that one by a parish (the best reading
/// per unit), so the parish after the first Ashford was lost.
#[test]
fn pruning_matches_the_reference_on_a_repeated_district() {
    let h = testland();
    let addresses = h.addresses().expect("the names fit");
    let text = "AshfordOakwoodKentMaidstoneAshford";
    let fast = addresses.resolve(text);
    assert_eq!(fast.unit().map(|u| u.code()), Some("KAO"));
    let full = super::resolve_without(&addresses, text, super::Shortcut::Pruning);
    assert_eq!(super::primary(fast), super::primary(full), "{text}");
}

proptest! {
    // A fixed seed: CI runs the same cases every time (a random search found
    // the case above).
    #![proptest_config(ProptestConfig {
        cases: 500,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_ADD5),
        ..ProptestConfig::default()
    })]
    /// Leaving out the readings that cannot matter changes no answer: the
    /// same resolution as the full dynamic programming.
    #[test]
    fn pruning_changes_no_answer(pieces in prop::collection::vec(piece(), 1..7)) {
        let h = testland();
        let text: String = pieces.concat();
        let addresses = h.addresses().expect("the names fit");
        let fast = addresses.resolve(&text);
        let full = super::resolve_without(&addresses, &text, super::Shortcut::Pruning);
        prop_assert_eq!(super::primary(fast), super::primary(full), "{}", text);
    }
}

proptest! {
    /// The links between matches (the longer names around each, a street
    /// word after it) are those their definitions give, pair by pair.
    #[test]
    fn links_are_their_definitions(pieces in prop::collection::vec(piece(), 1..12)) {
        let h = testland();
        let text: String = pieces.concat();
        let addresses = h.addresses().expect("the names fit");
        let (got, want) = super::links(&addresses, &text);
        prop_assert_eq!(got, want, "{}", text);
    }
}

proptest! {
    /// The map of units to readings answers as a hash map does, listed or
    /// hashed (past 16 units).
    #[test]
    fn unit_map_is_a_map(ops in prop::collection::vec((0u32..40, 0u32..1000, any::<bool>()), 0..80)) {
        let mut map = super::read::UnitMap::default();
        let mut reference = std::collections::HashMap::new();
        for (unit, n, write) in ops {
            if write {
                let slot = map.slot(unit, n);
                let want = reference.entry(unit).or_insert(n);
                prop_assert_eq!(*slot, *want);
                *slot = n + 1;
                *want = n + 1;
            }
            prop_assert_eq!(map.get(unit), reference.get(&unit).copied());
        }
        if let Some(listed) = map.listed() {
            prop_assert_eq!(listed.len(), reference.len());
        }
    }
}

/// A long text makes the scratch buffers grow; after the call they keep at
/// most 1 MiB, whatever came before.
#[test]
fn scratch_gives_back_what_a_long_text_took() {
    let h = testland();
    let addresses = h.addresses().expect("the names fit");
    let mut scratch = super::read::Scratch::default();
    let long = "Kent County, Ashford, Oakwood 12 ".repeat(40_000);
    let r = addresses.resolve_in(&long, &mut scratch);
    assert_eq!(candidates(&r).len(), 0, "{:?}", r.outcome());
    assert!(scratch.held() <= 1 << 20, "{} bytes kept", scratch.held());
    let r = addresses.resolve_in("Kent Ashford Oakwood", &mut scratch);
    assert_eq!(r.unit().map(|u| u.code()), Some("KAO"));
    assert!(scratch.held() <= 1 << 20);
}

/// The text is read through the profile's fold, and so are the names.
#[test]
fn text_is_read_folded() {
    let h = testland();
    let addresses = h.addresses().expect("the names fit");
    let r = addresses.resolve("Qent County, Maidstone");
    assert_eq!(r.unit().map(|u| u.code()), Some("KM"));
    assert_eq!(r.spans()[0].text, "Qent County");
}

/// Testland's short forms, and no deep level: every text may be read as
/// one chain.
#[derive(Debug)]
struct Cuts;

impl Profile for Cuts {
    fn name(&self) -> &str {
        "cuts"
    }

    fn short_forms<'n>(&self, name: &'n str, kind: &KindDef, out: &mut Vec<ShortForm<'n>>) {
        Testland.short_forms(name, kind, out);
    }
}

/// Two sets of names cover the text alike (NorthEast + Gate, North +
/// EastGate: short forms, so no name is written in full), each a unit
/// inside the one before: the single chain leaves such a text to the
/// dynamic programming, which tells them apart (North ends inside the
/// longer NorthEast, and loses quality for it).
#[test]
fn two_ways_to_cut_a_text_go_the_long_way() {
    let levels = [
        ("country", "Country"),
        ("county", "County"),
        ("district", "District"),
    ];
    let h = Hierarchy::builder(schema("cuts", &levels))
        .profile(Arc::new(Cuts))
        .unit("X", "Land", "country", None)
        .unit("N", "North County", "county", Some("X"))
        .unit("NE", "EastGate District", "district", Some("N"))
        .unit("M", "NorthEast County", "county", Some("X"))
        .unit("MG", "Gate District", "district", Some("M"))
        .build()
        .expect("a valid hierarchy");
    let addresses = h.addresses().expect("the names fit");
    for text in ["NorthEastGate", "NorthEastGate 12", "Land NorthEastGate"] {
        assert!(!super::single_chain(&addresses, text), "{text}");
        let fast = addresses.resolve(text);
        assert_eq!(
            fast,
            super::resolve_without(&addresses, text, super::Shortcut::SingleChain),
            "{text}"
        );
        assert_eq!(fast.unit().map(|u| u.code()), Some("MG"), "{text}");
    }
    // One way only: read as one chain.
    assert!(super::single_chain(&addresses, "NorthEast Gate"));
    let r = addresses.resolve("North EastGate");
    assert_eq!(r.unit().map(|u| u.code()), Some("NE"));
}
