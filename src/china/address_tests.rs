//! The address engine on China's data: its dictionary is built once per
//! hierarchy, and leaving out the readings that cannot matter changes no
//! answer on text made of real names (compared with the full dynamic
//! programming through [`crate::address::resolve_without`]), nor does
//! reading a text as one chain of names when it can be.

use proptest::prelude::*;

use crate::address::{Shortcut, resolve_without, single_chain};
use crate::china::short_forms;

#[test]
fn a_hierarchy_builds_its_dictionary_once() {
    let h = crate::china();
    let a = h.addresses().expect("china's names fit");
    let b = h.addresses().expect("china's names fit");
    assert!(a.shares_dictionary(&b));
}

/// Pieces of text: names and short forms of real units near each other
/// (so that readings nest), names from anywhere, street words that are
/// short forms of townships by the dozen, separators and house numbers.
fn piece(h: &'static crate::Hierarchy) -> impl Strategy<Value = String> {
    let n = h.len() as u32;
    prop_oneof![
        4 => (1..n, 0..3usize).prop_map(move |(u, f)| {
            let unit = h.get(crate::UnitId::new(u)).expect("in range");
            let forms = short_forms(unit.name());
            // The unit with its ancestors, top-down, some written short.
            let mut chain: Vec<_> = unit.ancestors().filter(|a| a.parent().is_some()).collect();
            chain.reverse();
            chain.push(unit);
            let mut s: String = chain
                .iter()
                .skip(f % (chain.len()))
                .map(|a| {
                    let short = short_forms(a.name());
                    if f == 1 && !short.is_empty() { short[0].clone() } else { a.name().to_owned() }
                })
                .collect();
            if f == 2 && !forms.is_empty() {
                s.push_str(&forms[0]);
            }
            s
        }),
        2 => prop::sample::select(vec![
            "建设", "幸福", "人民路", "解放路", "城关镇", "朝阳区", "长安镇", "市中区",
            "红河州", "黔西南", "莱芜市", "南山", "通州区", "花园小区", "科技园",
        ]).prop_map(str::to_owned),
        1 => prop::sample::select(vec![" ", "，", "12号", "3栋201室", "-", "", "A座"])
            .prop_map(str::to_owned),
    ]
}

/// 济南高新技术产业开发区 is a functional zone beside 市中区: the answer is
/// the district written, through the best reading that reads it. That
/// reading is 济南 + 市中区 the long way; pruning leaves out 济南 (it
/// cannot beat the zone's eleven characters) and reads 市中区 alone. The
/// answer, the zone's reading and the chain are the same.
#[test]
fn pruning_keeps_the_unit_written_beside_a_zone() {
    let text = "济南高新技术产业开发区市中区";
    let resolver = crate::china().addresses().expect("china's names fit");
    let fast = resolver.resolve(text);
    let full = resolve_without(&resolver, text, Shortcut::Pruning);
    assert_eq!(fast.unit().map(|u| u.code()), Some("370103"));
    assert_eq!(fast.secondary()[0].unit.code(), "370176");
    assert_eq!(fast.chain(), full.chain());
    assert_eq!(crate::address::primary(fast), crate::address::primary(full));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]
    /// Leaving out the readings that cannot matter changes no answer:
    /// the same resolution as the full dynamic programming.
    #[test]
    fn pruning_changes_no_answer(pieces in prop::collection::vec(piece(crate::china()), 1..6)) {
        let text: String = pieces.concat();
        let resolver = crate::china().addresses().expect("china's names fit");
        let fast = resolver.resolve(&text);
        let full = resolve_without(&resolver, &text, Shortcut::Pruning);
        prop_assert_eq!(crate::address::primary(fast), crate::address::primary(full), "{}", text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]
    /// The same on texts of many names, where a name of several units
    /// that made no reading is remembered and not read again (城关镇 and
    /// 朝阳区 come back through the text).
    #[test]
    fn pruning_changes_no_answer_on_texts_of_many_names(
        pieces in prop::collection::vec(piece(crate::china()), 12..36)
    ) {
        let text: String = pieces.concat();
        let resolver = crate::china().addresses().expect("china's names fit");
        let fast = resolver.resolve(&text);
        let full = resolve_without(&resolver, &text, Shortcut::Pruning);
        prop_assert_eq!(crate::address::primary(fast), crate::address::primary(full), "{}", text);
    }
}

proptest! {
    /// The links between matches (the longer names around each, a street
    /// word after it) are those their definitions give, on China's names:
    /// street words (湖州街, 北京路, but 湖州街道 and 黄岩路桥区) and
    /// overlapping names (济南市中区).
    #[test]
    fn links_are_their_definitions_on_chinas_names(pieces in prop::collection::vec(
        prop::sample::select(vec![
            "北京", "北京市", "朝阳区", "路", "街", "街道", "湖州", "黄岩", "路桥区",
            "红河", "红河州", "济南", "市中区", "南山区", "粤海街道", "粤海", "12号",
            "，", " ", "大道", "城关镇", "县",
        ]),
        1..14,
    )) {
        let h = crate::china();
        let text: String = pieces.concat();
        let addresses = h.addresses().expect("the names fit");
        let (got, want) = crate::address::links(&addresses, &text);
        prop_assert_eq!(got, want, "{}", text);
    }
}

/// A township's address as people write it: its units top-down in one of
/// six forms (full names, no province, short prefecture, short province
/// and prefecture, county first, short county), then street text.
fn address(h: &'static crate::Hierarchy) -> impl Strategy<Value = String> {
    let towns: Vec<u32> = h
        .units()
        .filter(|u| u.level() == crate::china::TOWNSHIP)
        .map(|u| u.id().get())
        .collect();
    (
        prop::sample::select(towns),
        0..6usize,
        prop::sample::select(vec![
            "",
            "科技园路12号",
            "解放路101号",
            "幸福小区7栋",
            "人民路88号3栋201室",
            "建设大街5号",
            " 张伟 13812345678",
            "，王芳收",
            "中山路",
            "城关镇",
            "新村街道12号",
        ]),
    )
        .prop_map(move |(t, form, street)| {
            let t = h.get(crate::UnitId::new(t)).expect("in range");
            let mut chain: Vec<_> = t.ancestors().filter(|a| a.parent().is_some()).collect();
            chain.reverse();
            chain.push(t);
            let level = |u: &crate::Unit<'_>| u.depth();
            let short = |u: &crate::Unit<'_>| {
                short_forms(u.name())
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| u.name().to_owned())
            };
            let mut s = String::new();
            for u in &chain {
                let part = match (form, level(u)) {
                    (1 | 2, 1) => continue,
                    (2, 2) | (3, 1 | 2) => short(u),
                    (4 | 5, 1 | 2) => continue,
                    (5, 3) => short(u),
                    _ => u.name().to_owned(),
                };
                s.push_str(&part);
            }
            s.push_str(street);
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
    /// Reading a text as one chain of names, when it can be, gives the
    /// resolution the dynamic programming gives, whole.
    #[test]
    fn single_chains_are_the_best_readings(
        text in prop_oneof![
            address(crate::china()),
            prop::collection::vec(piece(crate::china()), 1..6).prop_map(|p| p.concat()),
        ]
    ) {
        let resolver = crate::china().addresses().expect("china's names fit");
        prop_assert_eq!(resolver.resolve(&text), resolve_without(&resolver, &text, Shortcut::SingleChain), "{}", text);
    }
}

/// The texts of `tests/data/address_single_chain.tsv`: each resolves the
/// same with the single chain and without it (names that overlap, as
/// 青岛市 + 南区 or 青岛 + 市南区, so that two sets cover the text alike,
/// among them), and the single chain reads the plain addresses and leaves
/// the others (two addresses, a township filed under another county or a
/// zone, a name of several units, a generic name) to the dynamic
/// programming.
#[test]
fn single_chains_take_plain_addresses_and_agree() {
    let r = crate::china().addresses().expect("china's names fit");
    let table = include_str!("../../tests/data/address_single_chain.tsv");
    let mut rows = 0;
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let (text, read) = line.split_once('\t').expect("two columns");
        assert_eq!(
            r.resolve(text),
            resolve_without(&r, text, Shortcut::SingleChain),
            "{text}"
        );
        match read {
            "chain" => assert!(single_chain(&r, text), "{text}"),
            "long" => assert!(!single_chain(&r, text), "{text}"),
            "either" => {}
            other => panic!("unknown reading {other:?} for {text}"),
        }
        rows += 1;
    }
    assert_eq!(rows, 32);
}

/// The names in everyday use are keyed by the NBS name of their unit, so
/// each such name must be one unit's (or the forms would go to several).
#[test]
fn common_names_are_each_one_units() {
    let h = crate::china();
    for (name, stem, tail) in crate::china::forms::COMMON_NAMES {
        assert_eq!(h.by_name(name).count(), 1, "{name} ({stem}{tail})");
    }
}
