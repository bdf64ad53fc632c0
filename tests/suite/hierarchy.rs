//! The typed hierarchy: queries on hand-built data, other countries, and
//! every query against a slow reference on random hierarchies.

use std::sync::Arc;

use crate::common::{Reference, rows_strategy, small_china};
use proptest::prelude::*;
use xzqh::china::{COUNTY, ChinaKind, PREFECTURAL, TOWNSHIP};
use xzqh::{Hierarchy, Relation, Role, Schema, Unit};

fn codes<'a>(it: impl Iterator<Item = Unit<'a>>) -> Vec<&'a str> {
    it.map(|u| u.code()).collect()
}

#[test]
fn iterators_are_fused_clone_debug() {
    fn check<I: Iterator + std::iter::FusedIterator + Clone + std::fmt::Debug>(_: I) {}
    let h = small_china();
    let u = h.by_code("11").unwrap();
    check(u.children());
    check(u.ancestors());
    check(u.descendants());
    check(h.units());
    check(h.by_name("朝阳区"));
    check(u.relations_out());
    check(u.relations_in());
}

/// The tier table (one grassroots unit for each shape of chain: two-tier
/// Beijing, a county-level city under a province, a 地区 agency, the
/// entrusted 乐昌, the 塔城 agency under 伊犁), on the hand-built excerpt and
/// on the full data: tier counts count governments below the State,
/// administrative levels count governments and agencies.
#[test]
fn tier_table() {
    let h = small_china();
    let rows = [
        ("110105021", 2, 3, "北京市 朝阳区 南磨房地区"),
        ("110118101", 3, 3, "北京市 密云区 溪翁庄镇"),
        ("441900121", 3, 3, "广东省 东莞市 虎门镇"),
        ("429004100", 3, 3, "湖北省 仙桃市 郑场镇"),
        ("542521200", 3, 4, "西藏自治区 阿里地区 普兰县 巴嘎乡"),
        ("440305007", 3, 4, "广东省 深圳市 南山区 粤海街道"),
        ("440281102", 4, 4, "广东省 韶关市 乐昌市 北乡镇"),
        (
            "654201200",
            4,
            5,
            "新疆维吾尔自治区 伊犁哈萨克自治州 塔城地区 塔城市 喀拉哈巴克乡",
        ),
    ];
    let china = xzqh::china();
    for ((_, tiers, levels, chain), u) in rows.into_iter().flat_map(|row| {
        [
            (row, h.by_code(row.0).unwrap()),
            (row, china.by_code(row.0).unwrap()),
        ]
    }) {
        let mut names: Vec<_> = u.ancestors().map(|a| a.name()).collect();
        names.pop(); // the State
        names.reverse();
        names.push(u.name());
        assert_eq!(names.join(" "), chain);
        assert_eq!(u.tiers(), tiers, "tiers of {chain}");
        assert_eq!(u.administrative_levels(), levels, "levels of {chain}");
    }
}

#[test]
fn queries_on_the_excerpt() {
    let h = small_china();
    let ta = h.by_code("6542").unwrap();
    assert_eq!(ta.kind_id(), ChinaKind::Prefecture.id());
    assert_eq!(ta.level(), PREFECTURAL);
    assert_eq!(ta.parent().unwrap().code(), "6540");
    assert_eq!(ta.parent().unwrap().level(), PREFECTURAL); // equal levels are legal
    assert_eq!(codes(ta.descendants()), ["654201", "654201200"]);
    assert_eq!(codes(ta.ancestors()), ["6540", "65", "0"]);
    assert_eq!(ta.depth(), 3);
    let a = h.by_code("654201200").unwrap();
    let b = h.by_code("440281102").unwrap();
    let path: Vec<_> = h
        .path(a, b)
        .unwrap()
        .into_iter()
        .map(|u| u.code())
        .collect();
    assert_eq!(
        path,
        [
            "654201200",
            "654201",
            "6542",
            "6540",
            "65",
            "0",
            "44",
            "4402",
            "440281",
            "440281102"
        ]
    );
    assert_eq!(h.lca(a, b).unwrap(), h.root());
    assert_eq!(h.lca(a.id(), b).unwrap(), h.root()); // ids and units mix
    assert_eq!(h.path(a, a).unwrap(), [a]);
    assert_eq!(h.by_code("440281").unwrap().level(), COUNTY);
    // every township-level unit in the excerpt
    let townships = h.units().filter(|u| u.level() == TOWNSHIP).count();
    assert_eq!(townships, 8);
    // petgraph sees the same tree plus the secondary edge
    #[cfg(feature = "petgraph")]
    assert_eq!(h.graph().edge_count(), h.len() - 1 + 1);
}

#[test]
fn unknown_ids_and_codes_give_none() {
    let h = small_china();
    let bad = xzqh::UnitId::new(h.len() as u32);
    assert!(h.get(bad).is_none());
    assert!(h.lca(bad, h.root()).is_none());
    assert!(h.path(h.root(), bad).is_none());
    assert!(h.path(bad, h.root()).is_none());
    assert!(h.tier_breakdown(bad, TOWNSHIP).is_none());
    assert!(h.by_code("").is_none());
    assert!(h.by_code("１１").is_none());
    assert_eq!(h.by_name("").count(), 0);
}

/// England: a two-tier county (county and district councils) beside a
/// unitary authority doing both.
#[test]
fn england_two_tier_and_unitary() {
    let (h, _) = crate::common::england();
    let county = h.by_code("E10000003").unwrap();
    assert_eq!(codes(county.children()), ["E07000008", "E07000012"]);
    assert_eq!(h.by_code("E04001234").unwrap().tiers(), 3); // county, district, parish
    assert_eq!(h.by_code("E04004567").unwrap().tiers(), 2); // unitary, parish
    let parish = h.schema().level_id("parish").unwrap();
    let b = h.tier_breakdown(h.root(), parish).unwrap();
    assert_eq!(b.iter().collect::<Vec<_>>(), [(2, 1), (3, 1)]);
    let x = h.by_code("E04001234").unwrap();
    let y = h.by_code("E07000008").unwrap();
    assert_eq!(h.lca(x, y).unwrap().name(), "Cambridgeshire");
}

/// France: the arrondissement is an administrative level without a council
/// (an agency of the State), between the department and the commune.
#[test]
fn france_chain_with_an_arrondissement() {
    let schema = Arc::new(
        Schema::builder("france")
            .level("state")
            .level("region")
            .level("department")
            .level("arrondissement")
            .level("commune")
            .kind("state", "État", "state", Role::Government)
            .kind("region", "région", "region", Role::Government)
            .kind("department", "département", "department", Role::Government)
            .kind(
                "arrondissement",
                "arrondissement",
                "arrondissement",
                Role::Agency,
            )
            .kind("commune", "commune", "commune", Role::Government)
            .build()
            .unwrap(),
    );
    let h = Hierarchy::builder(schema)
        .unit("FR", "France", "state", None)
        .unit("84", "Auvergne-Rhône-Alpes", "region", Some("FR"))
        .unit("69", "Rhône", "department", Some("84"))
        .unit("691", "Lyon", "arrondissement", Some("69"))
        .unit("69123", "Lyon", "commune", Some("691"))
        .build()
        .unwrap();
    let lyon = h.by_code("69123").unwrap();
    assert_eq!(lyon.tiers(), 3);
    assert_eq!(lyon.administrative_levels(), 4);
    assert_eq!(codes(h.by_name("Lyon")), ["691", "69123"]);
    assert_eq!(lyon.kind().label(), "commune");
}

#[test]
fn secondary_relations_make_a_graph() {
    let h = small_china();
    let gd = h.by_code("44").unwrap();
    let lechang = h.by_code("440281").unwrap();
    assert_eq!(lechang.parent().unwrap().code(), "4402");
    let rel: Vec<_> = lechang.relations_in().map(|(u, r)| (u.code(), r)).collect();
    assert_eq!(rel, [("44", Relation::Entrusted)]);
    let out: Vec<_> = gd.relations_out().map(|(u, r)| (u.code(), r)).collect();
    assert_eq!(out, [("440281", Relation::Entrusted)]);
    assert_eq!(h.root().relations_out().count(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Every query agrees with walking parents one by one.
    #[test]
    fn queries_match_the_reference(rows in rows_strategy(60)) {
        let h = rows.build();
        let r = Reference::new(&rows);
        prop_assert_eq!(h.len(), rows.units.len());
        let mut pre = Vec::new();
        r.preorder("R", &mut pre);
        prop_assert_eq!(codes(h.units()), pre.iter().map(String::as_str).collect::<Vec<_>>());
        for row in &rows.units {
            let u = h.by_code(&row.code).unwrap();
            prop_assert_eq!(u.name(), row.name.as_str());
            prop_assert_eq!(u.kind().name(), row.kind);
            prop_assert_eq!(u.parent().map(|p| p.code().to_owned()), r.parent(&row.code));
            prop_assert_eq!(codes(u.ancestors()), r.ancestors(&row.code));
            prop_assert_eq!(codes(u.children()), r.children(&row.code));
            let mut sub = Vec::new();
            r.preorder(&row.code, &mut sub);
            prop_assert_eq!(codes(u.descendants()), &sub[1..]);
            prop_assert_eq!(u.descendant_count(), sub.len() - 1);
            prop_assert_eq!(u.depth(), r.ancestors(&row.code).len());
            prop_assert_eq!((u.tiers(), u.administrative_levels()), r.tiers(&row.code));
            let want: Vec<u8> = row.designations.clone();
            let got: Vec<u8> = u.designations().iter().map(|d| d.index() as u8).collect();
            prop_assert_eq!(got, want);
            let mut rin: Vec<_> = r.relations.iter().filter(|(_, t, _)| t == &row.code).map(|(f, _, rel)| (f.clone(), *rel)).collect();
            rin.sort_by_key(|(f, _)| h.by_code(f).unwrap().id());
            let gin: Vec<_> = u.relations_in().map(|(x, rel)| (x.code().to_owned(), rel)).collect();
            prop_assert_eq!(gin, rin);
            let mut rout: Vec<_> = r.relations.iter().filter(|(f, _, _)| f == &row.code).map(|(_, t, rel)| (t.clone(), *rel)).collect();
            rout.sort_by_key(|(t, _)| h.by_code(t).unwrap().id());
            let gout: Vec<_> = u.relations_out().map(|(x, rel)| (x.code().to_owned(), rel)).collect();
            prop_assert_eq!(gout, rout);
            let same_name: Vec<_> = pre.iter().filter(|c| r.by_code[*c].name == row.name).map(String::as_str).collect();
            prop_assert_eq!(codes(h.by_name(&row.name)), same_name);
        }
        for a in rows.units.iter().take(12) {
            for b in rows.units.iter().rev().take(12) {
                let (ua, ub) = (h.by_code(&a.code).unwrap(), h.by_code(&b.code).unwrap());
                let lca = r.lca(&a.code, &b.code);
                prop_assert_eq!(h.lca(ua, ub).unwrap().code(), lca.as_str());
                prop_assert_eq!(h.lca(ua.id(), ub.id()), h.lca(ua, ub));
                prop_assert_eq!(ua.contains(ub), r.ancestors(&b.code).contains(&a.code) || a.code == b.code);
                // Governing: a unit of a governing role over its subtree;
                // a prepared authority answers the same.
                let governs = h.governs(ua, ub);
                prop_assert_eq!(governs.is_some(), ua.role().governs() && ua.contains(ub));
                prop_assert_eq!(h.authority(ua).unwrap().governs(ub), governs);
                // path: a up to the lca, then down to b
                let up_to = |x: &str| -> Vec<String> {
                    std::iter::once(x.to_owned()).chain(r.ancestors(x)).take_while(|c| *c != lca).collect()
                };
                let mut want = up_to(&a.code);
                want.push(lca.clone());
                let mut down = up_to(&b.code);
                down.reverse();
                want.extend(down);
                let got: Vec<_> = h.path(ua, ub).unwrap().into_iter().map(|x| x.code().to_owned()).collect();
                prop_assert_eq!(got, want);
            }
        }
        // The graph holds the tree edges and the secondary edges.
        #[cfg(feature = "petgraph")]
        prop_assert_eq!(h.graph().edge_count(), rows.units.len() - 1 + rows.relations.len());
    }

    /// The same rows in any order give the same hierarchy.
    #[test]
    fn row_order_does_not_matter(rows in rows_strategy(60), seed in any::<u64>()) {
        let h = rows.build();
        let mut shuffled = rows.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.units.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.units.swap(i, (s % (i as u64 + 1)) as usize);
        }
        shuffled.relations.reverse();
        let g = shuffled.build();
        prop_assert!(h == g);
    }
}
