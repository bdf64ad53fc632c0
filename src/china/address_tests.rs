//! The address engine on China's data: its dictionary is built once per
//! hierarchy, and leaving out the readings that cannot matter changes no
//! answer on text made of real names (compared with the full dynamic
//! programming through [`crate::address::set_exhaustive`]).

use proptest::prelude::*;

use crate::address::set_exhaustive;
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]
    /// Leaving out the readings that cannot matter changes no answer:
    /// the same resolution as the full dynamic programming.
    #[test]
    fn pruning_changes_no_answer(pieces in prop::collection::vec(piece(crate::china()), 1..6)) {
        let text: String = pieces.concat();
        let resolver = crate::china().addresses().expect("china's names fit");
        let fast = resolver.resolve(&text);
        set_exhaustive(true);
        let full = resolver.resolve(&text);
        set_exhaustive(false);
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
