//! Jurisdiction checks, explanations and covering units: hand cases on the
//! small China excerpt, then properties against a slow reference on random
//! hierarchies.

use std::collections::HashSet;
use std::sync::Arc;

use crate::common::{SMALL_CHINA_ROWS, small_china};
use proptest::prelude::*;
use xzqh::china::{ChinaKind, PREFECTURAL};
use xzqh::{Explanation, Hierarchy, Jurisdiction, Link, Relation, Role, Schema, Unit, UnitId};

use Relation::{Administrative, CorpsCoAdministration, Custom, Entrusted, Planning};

/// The excerpt plus units it lacks for these rules: self-governing, functional
/// and grid units, the Corps with its co-administered city, and a relation
/// (made up, `custom_7`) from the government an agency acts for.
fn extended() -> Hierarchy {
    let mut b = Hierarchy::builder(xzqh::china::schema()).profile(xzqh::china::profile());
    for &(code, name, kind, parent) in SMALL_CHINA_ROWS {
        b = b.unit(code, name, kind, parent);
    }
    b.unit(
        "440281102201",
        "测试村委会",
        ChinaKind::VillageCommittee,
        Some("440281102"),
    )
    .unit(
        "440281102201001",
        "测试网格",
        ChinaKind::Grid,
        Some("440281102201"),
    )
    .unit(
        "441900401",
        "松山湖",
        ChinaKind::EnterpriseUnit,
        Some("4419"),
    )
    .unit(
        "441900401001",
        "测试社区",
        ChinaKind::ResidentsCommittee,
        Some("441900401"),
    )
    .unit("66", "新疆生产建设兵团", ChinaKind::Corps, Some("0"))
    .unit("659001", "石河子市", ChinaKind::CountyCity, Some("65"))
    .unit(
        "659001500",
        "兵团一五二团",
        ChinaKind::EnterpriseUnit,
        Some("659001"),
    )
    .relation("44", "440281", Entrusted)
    .relation("66", "659001", CorpsCoAdministration)
    .relation("6540", "659001", Custom(7))
    .relation("440281102201", "441900401", Custom(7))
    .relation("441900401", "440281102", Custom(7))
    .build()
    .expect("the extended excerpt is valid")
}

#[track_caller]
fn unit<'h>(h: &'h Hierarchy, code: &str) -> Unit<'h> {
    h.by_code(code).unwrap_or_else(|| panic!("no unit {code}"))
}

#[track_caller]
fn check(j: Option<Jurisdiction<'_>>, relation: Relation, distance: usize, via: Unit<'_>) {
    let j = j.expect("governs");
    assert_eq!((j.relation, j.distance, j.via), (relation, distance, via));
}

#[test]
fn beijing_governs_its_area_office_at_distance_two() {
    let h = small_china();
    let (bj, nmf) = (unit(&h, "11"), unit(&h, "110105021"));
    check(h.governs(bj, nmf), Administrative, 2, bj);
    check(h.governs(bj, bj), Administrative, 0, bj);
    assert!(h.governs(nmf, bj).is_none());
    assert_eq!(
        h.governs(bj, nmf).unwrap().to_string(),
        "administrative at distance 2"
    );
    assert!(h.governs(bj, unit(&h, "220104")).is_none());
}

#[test]
fn agency_governs_below_it_for_the_government_above() {
    let h = small_china();
    let tacheng = unit(&h, "6542");
    check(
        h.governs(tacheng, unit(&h, "654201")),
        Administrative,
        1,
        tacheng,
    );
    check(
        h.governs(tacheng, unit(&h, "654201200")),
        Administrative,
        2,
        tacheng,
    );
    assert!(h.governs(tacheng, unit(&h, "6540")).is_none());
    assert_eq!(tacheng.acting_for().unwrap().code(), "6540");
    // A subdistrict and Beijing's area office act for their district.
    assert_eq!(
        h.by_code("440305007").unwrap().acting_for().unwrap().code(),
        "440305"
    );
    assert_eq!(
        h.by_code("110105021").unwrap().acting_for().unwrap().code(),
        "110105"
    );
    // Governments and self-governing units act for nobody.
    assert!(h.by_code("4403").unwrap().acting_for().is_none());
    assert!(
        extended()
            .by_code("440281102201")
            .unwrap()
            .acting_for()
            .is_none()
    );
}

#[test]
fn guangdong_governs_lechang_by_tree_and_by_entrustment() {
    let h = small_china();
    let (gd, sg, lechang, town) = (
        unit(&h, "44"),
        unit(&h, "4402"),
        unit(&h, "440281"),
        unit(&h, "440281102"),
    );
    check(h.governs(gd, lechang), Administrative, 2, gd);
    check(
        h.governs_via(gd, lechang, &[Entrusted]),
        Entrusted,
        1,
        lechang,
    );
    check(h.governs_via(gd, town, &[Entrusted]), Entrusted, 2, lechang);
    // The primary tree wins when both apply, whatever the order asked.
    check(
        h.governs_via(gd, lechang, &[Entrusted, Administrative]),
        Administrative,
        2,
        gd,
    );
    check(
        h.governs_via(gd, lechang, &[Administrative, Entrusted]),
        Administrative,
        2,
        gd,
    );
    // The relation must be asked for; the edge goes one way.
    assert!(h.governs_via(gd, lechang, &[Planning]).is_none());
    assert!(h.governs_via(gd, lechang, &[]).is_none());
    assert!(
        h.governs_via(lechang, gd, &[Administrative, Entrusted])
            .is_none()
    );
    // The managing city governs by the tree only.
    check(h.governs(sg, lechang), Administrative, 1, sg);
    assert!(h.governs_via(sg, lechang, &[Entrusted]).is_none());
    // Entrustment reaches the city's subtree, nothing beside it.
    assert!(h.governs_via(gd, sg, &[Entrusted]).is_none());
}

#[test]
fn self_governing_and_functional_units_govern_nothing() {
    let h = extended();
    let all = [
        Administrative,
        Entrusted,
        CorpsCoAdministration,
        Planning,
        Custom(7),
    ];
    for code in [
        "440281102201",
        "441900401",
        "441900401001",
        "440281102201001",
        "659001500",
    ] {
        let a = unit(&h, code);
        let role = a.role();
        assert!(
            matches!(role, Role::SelfGoverning | Role::Functional),
            "{code} is {role}"
        );
        for b in h.units() {
            assert_eq!(h.governs(a, b), None, "{code} over {}", b.code());
            assert_eq!(h.governs_via(a, b, &all), None, "{code} over {}", b.code());
            assert!(h.explain_via(a, b, &all).is_none());
        }
    }
    // Their governments govern them and everything below.
    check(
        h.governs(unit(&h, "440281102"), unit(&h, "440281102201001")),
        Administrative,
        2,
        unit(&h, "440281102"),
    );
}

#[test]
fn corps_co_administers_its_city_in_its_own_name() {
    let h = extended();
    let (corps, shz, regiment) = (unit(&h, "66"), unit(&h, "659001"), unit(&h, "659001500"));
    assert!(h.governs(corps, shz).is_none());
    check(
        h.governs_via(corps, shz, &[CorpsCoAdministration]),
        CorpsCoAdministration,
        1,
        shz,
    );
    check(
        h.governs_via(corps, regiment, &[Administrative, CorpsCoAdministration]),
        CorpsCoAdministration,
        2,
        shz,
    );
    check(
        h.governs(unit(&h, "65"), regiment),
        Administrative,
        2,
        unit(&h, "65"),
    );
    assert_eq!(corps.acting_for(), Some(h.root()));
}

#[test]
fn agency_does_not_inherit_its_governments_secondary_relations() {
    let h = extended();
    let (ili, tacheng, shz) = (unit(&h, "6540"), unit(&h, "6542"), unit(&h, "659001"));
    check(h.governs_via(ili, shz, &[Custom(7)]), Custom(7), 1, shz);
    assert!(
        h.governs_via(tacheng, shz, &[Administrative, Custom(7)])
            .is_none()
    );
}

#[test]
fn unknown_ids_and_codes_give_none() {
    let h = small_china();
    let bj = unit(&h, "11");
    let past = UnitId::new(h.len() as u32);
    for bad in [past, UnitId::new(u32::MAX)] {
        assert!(h.lca(bj, bad).is_none());
        assert!(h.path(bad, bj).is_none());
        assert!(h.governs(bj, bad).is_none());
        assert!(h.governs(bad, bj).is_none());
        assert!(h.governs(bad, bad).is_none());
        assert!(
            h.governs_via(bj, bad, &[Administrative, Entrusted])
                .is_none()
        );
        assert!(
            h.governs_via(bad, bj, &[Administrative, Entrusted])
                .is_none()
        );
        assert!(h.explain(bj, bad).is_none());
        assert!(h.explain_via(bad, bj, &[Entrusted]).is_none());
        assert!(h.lca_of([bj.id(), bad]).is_none());
        assert!(h.lca_of([bad]).is_none());
        assert!(h.lowest_covering([bad, bj.id()], |_| true).is_none());
    }
    assert!(h.lca_of(Vec::<Unit<'_>>::new()).is_none());
    assert!(h.lca_of(&[] as &[UnitId]).is_none());
    assert!(
        h.lowest_covering(std::iter::empty::<UnitId>(), |_| true)
            .is_none()
    );
}

#[test]
fn explanations_read_as_audit_lines() {
    let h = extended();
    let e = h.explain(unit(&h, "11"), unit(&h, "110105021")).unwrap();
    assert_eq!(
        e.to_string(),
        "11 北京市 -administrative-> 110105 朝阳区 -administrative-> 110105021 南磨房地区"
    );
    assert_eq!(
        e.jurisdiction(),
        h.governs(unit(&h, "11"), unit(&h, "110105021")).unwrap()
    );
    assert_eq!(e.links().len(), 2);
    assert_eq!(e.units().len(), 3);

    let e = h
        .explain(unit(&h, "440305007"), unit(&h, "440305007"))
        .unwrap();
    assert_eq!(e.to_string(), "440305007 粤海街道 (for 440305 南山区)");
    assert_eq!(e.links().count(), 0);
    assert_eq!(e.governor(), e.governed());

    let e = h
        .explain_via(
            unit(&h, "66"),
            unit(&h, "659001500"),
            &[CorpsCoAdministration],
        )
        .unwrap();
    assert_eq!(
        e.to_string(),
        "66 新疆生产建设兵团 (for 0 中华人民共和国) -corps_co_administration-> \
         659001 石河子市 -administrative-> 659001500 兵团一五二团"
    );
    assert_eq!(e.acting_for(), Some(h.root()));
    let steps: Vec<String> = e.links().map(|s| s.to_string()).collect();
    assert_eq!(
        steps,
        [
            "66 新疆生产建设兵团 -corps_co_administration-> 659001 石河子市",
            "659001 石河子市 -administrative-> 659001500 兵团一五二团",
        ]
    );
}

#[test]
fn lowest_common_ancestor_of_sets() {
    let h = small_china();
    let ids = |codes: &[&str]| codes.iter().map(|c| unit(&h, c)).collect::<Vec<_>>();
    let by_code = |codes: &[&str]| {
        // Codes to units is a lookup each; a set with an unknown code has no LCA.
        codes
            .iter()
            .map(|c| h.by_code(c))
            .collect::<Option<Vec<_>>>()
            .and_then(|units| h.lca_of(units))
    };
    let code = |u: Option<Unit<'_>>| u.map(|u| u.code().to_owned());
    // Two counties of one city go to the city; two provinces to the State.
    assert_eq!(
        code(h.lca_of(&ids(&["110105", "110118"]))),
        Some("11".into())
    );
    assert_eq!(
        code(h.lca_of(&ids(&["110105", "220104"]))),
        Some("0".into())
    );
    assert_eq!(
        code(h.lca_of(&ids(&["440281102", "4402"]))),
        Some("4402".into())
    );
    let towns = ids(&["440305007", "441900121", "440281102", "440305007"]);
    assert_eq!(code(h.lca_of(&towns)), Some("44".into()));
    assert_eq!(
        code(by_code(&["440305007", "440305"])),
        Some("440305".into())
    );
    assert_eq!(code(by_code(&["654201200", "6542"])), Some("6542".into()));
    assert_eq!(by_code(&["11", "999"]), None);
    // Units, ids, references to either, arrays, slices, vecs and iterators.
    let (a, b) = (unit(&h, "110105"), unit(&h, "110118"));
    let bj = Some(unit(&h, "11"));
    assert_eq!(h.lca_of([a, b]), bj);
    assert_eq!(h.lca_of([a.id(), b.id()]), bj);
    assert_eq!(h.lca_of(&[a, b]), bj);
    assert_eq!(h.lca_of(&[a.id(), b.id()][..]), bj);
    assert_eq!(h.lca_of(vec![a, b]), bj);
    assert_eq!(h.lca_of(h.by_name("朝阳区")), Some(h.root()));
}

#[test]
fn lowest_covering_unit_that_satisfies_a_predicate() {
    let h = small_china();
    let places = [unit(&h, "110105021"), unit(&h, "110118101")];
    let gov_prefecture_or_above =
        |u: Unit<'_>| u.role() == Role::Government && u.level() <= PREFECTURAL;
    let got = h.lowest_covering(&places, gov_prefecture_or_above).unwrap();
    assert_eq!(got.code(), "11");
    // A single place: its own prefecture-level government or the one above.
    let got = h
        .lowest_covering([unit(&h, "654201200")], gov_prefecture_or_above)
        .unwrap();
    assert_eq!(got.code(), "6540"); // 塔城地区 is an agency
    let capital = h.schema().designation_id("provincial_capital").unwrap();
    let got = h.lowest_covering([unit(&h, "220104")], |u| u.has(capital));
    assert_eq!(got.unwrap().code(), "2201");
    assert!(h.lowest_covering(&places, |_| false).is_none());
    // The predicate sees the candidates bottom up, starting at the LCA.
    let mut seen = Vec::new();
    h.lowest_covering(&places, |u| {
        seen.push(u.code());
        false
    });
    assert_eq!(seen, ["11", "0"]);
}

// ---------------------------------------------------------------------------
// Properties against a slow reference on random hierarchies.

const RELATIONS: [Relation; 5] = [
    Administrative,
    Entrusted,
    CorpsCoAdministration,
    Planning,
    Custom(3),
];

/// A random hierarchy: unit `i > 0` hangs under a random earlier unit, roles
/// are random, codes are a random permutation (so ids are not insertion
/// order), plus random secondary edges the builder accepts.
#[derive(Debug, Clone)]
struct Case {
    parents: Vec<usize>,
    roles: Vec<usize>,
    codes: Vec<usize>,
    edges: Vec<(usize, usize, usize)>,
}

fn schema() -> Arc<Schema> {
    Arc::new(
        Schema::builder("random")
            .level("any")
            .kind("government", "G", "any", Role::Government)
            .kind("agency", "A", "any", Role::Agency)
            .kind("self_governing", "S", "any", Role::SelfGoverning)
            .kind("functional", "F", "any", Role::Functional)
            .build()
            .expect("valid schema"),
    )
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..36).prop_flat_map(|n| {
        (
            proptest::collection::vec(any::<prop::sample::Index>(), n - 1),
            proptest::collection::vec(0usize..4, n),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            proptest::collection::vec((0..n, 0..n, 1usize..5), 0..n.min(24)),
        )
            .prop_map(|(parents, roles, codes, edges)| Case {
                parents: parents
                    .iter()
                    .enumerate()
                    .map(|(i, p)| p.index(i + 1))
                    .collect(),
                roles,
                codes,
                edges,
            })
    })
}

fn build(c: &Case) -> Hierarchy {
    let kinds = ["government", "agency", "self_governing", "functional"];
    let code = |i: usize| format!("u{:02}", c.codes[i]);
    let mut b = Hierarchy::builder(schema()).unit(&code(0), "root", kinds[c.roles[0]], None);
    for (i, &p) in c.parents.iter().enumerate() {
        let i = i + 1;
        b = b.unit(
            &code(i),
            &format!("n{i}"),
            kinds[c.roles[i]],
            Some(&code(p)),
        );
    }
    // Keep the edges the builder accepts: no loop, no parallel to the tree or
    // to an earlier edge.
    let mut pairs = HashSet::new();
    for &(from, to, r) in &c.edges {
        let tree = to > 0 && c.parents[to - 1] == from;
        if from != to && !tree && pairs.insert((from, to)) {
            b = b.relation(&code(from), &code(to), RELATIONS[r]);
        }
    }
    b.build().expect("random hierarchies are valid")
}

/// The unit and its ancestors, nearest first, by walking parents.
fn chain(u: Unit<'_>) -> Vec<Unit<'_>> {
    std::iter::successors(Some(u), |u| u.parent()).collect()
}

/// `governs_via` the slow way: ancestor lists and the public edge iterators.
fn reference(
    h: &Hierarchy,
    a: UnitId,
    b: UnitId,
    relations: &[Relation],
) -> Option<(Relation, usize, UnitId)> {
    let (ua, ub) = (h.get(a)?, h.get(b)?);
    if !matches!(ua.role(), Role::Government | Role::Agency) {
        return None;
    }
    let up = chain(ub);
    if relations.contains(&Administrative)
        && let Some(k) = up.iter().position(|&x| x == ua)
    {
        return Some((Administrative, k, a));
    }
    let mut best: Option<(Relation, usize, UnitId)> = None;
    for (target, r) in ua.relations_out() {
        if !relations.contains(&r) {
            continue;
        }
        if let Some(k) = up.iter().position(|&x| x == target)
            && best.is_none_or(|(_, d, _)| k + 1 < d)
        {
            best = Some((r, k + 1, target.id()));
        }
    }
    best
}

fn lca_reference<'h>(h: &'h Hierarchy, units: &[UnitId]) -> Option<Unit<'h>> {
    let chains: Vec<Vec<Unit<'h>>> = units
        .iter()
        .map(|&u| h.get(u).map(chain))
        .collect::<Option<_>>()?;
    let (first, rest) = chains.split_first()?;
    let sets: Vec<HashSet<UnitId>> = rest
        .iter()
        .map(|c| c.iter().map(|u| u.id()).collect())
        .collect();
    first
        .iter()
        .copied()
        .find(|u| sets.iter().all(|s| s.contains(&u.id())))
}

#[track_caller]
fn check_explanation(h: &Hierarchy, e: &Explanation<'_>, a: UnitId, b: UnitId) {
    let j = e.jurisdiction();
    assert_eq!((e.governor().id(), e.governed().id()), (a, b));
    let units: Vec<UnitId> = e.units().map(|u| u.id()).collect();
    assert_eq!(units.len(), j.distance + 1);
    assert_eq!(units.first(), Some(&a));
    assert_eq!(units.last(), Some(&b));
    let steps: Vec<Link<'_>> = e.links().collect();
    assert_eq!(steps.len(), j.distance);
    for (k, s) in steps.iter().enumerate() {
        assert_eq!((s.from.id(), s.to.id()), (units[k], units[k + 1]));
        let tree = s.to.parent() == Some(s.from);
        if k == 0 && !j.relation.is_primary() {
            assert_eq!(s.to, j.via);
            assert!(
                s.from
                    .relations_out()
                    .any(|(t, r)| t == s.to && r == s.relation)
            );
        } else {
            assert_eq!(s.relation, Administrative);
            assert!(tree, "step {k} of {e} is not a tree edge");
        }
    }
    let line = e.to_string();
    assert!(line.starts_with(&h.get(a).unwrap().to_string()), "{line}");
    if j.distance > 0 {
        assert!(
            line.ends_with(&format!("-> {}", h.get(b).unwrap())),
            "{line}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        // Integration tests have no lib.rs beside them for proptest's default.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("proptest-regressions/jurisdiction.txt"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn governs_matches_reference(c in case(), mask in 0usize..32) {
        let h = build(&c);
        let asked: Vec<Relation> = RELATIONS.iter().enumerate()
            .filter(|(k, _)| mask & (1 << k) != 0).map(|(_, &r)| r).collect();
        let n = h.len() as u32;
        for a in (0..n).chain([n, u32::MAX]).map(UnitId::new) {
            for b in (0..n).chain([n]).map(UnitId::new) {
                let primary = reference(&h, a, b, &[Administrative]);
                let got = h.governs(a, b).map(|j| (j.relation, j.distance, j.via.id()));
                prop_assert_eq!(got, primary);
                if let (Some(ua), Some(ub)) = (h.get(a), h.get(b)) {
                    // Units and ids are the same question.
                    prop_assert_eq!(h.governs(ua, ub), h.governs(a, b));
                    prop_assert_eq!(h.governs_via(ua, ub, &asked), h.governs_via(a, b, &asked));
                }

                let want = reference(&h, a, b, &asked);
                let got = h.governs_via(a, b, &asked);
                prop_assert_eq!(got.map(|j| (j.relation, j.distance, j.via.id())), want);
                let e = h.explain_via(a, b, &asked);
                prop_assert_eq!(e.as_ref().map(|e| e.jurisdiction()), got);
                if let Some(e) = e {
                    check_explanation(&h, &e, a, b);
                }
                prop_assert_eq!(h.explain(a, b).map(|e| e.jurisdiction()), h.governs(a, b));
            }
        }
    }

    #[test]
    fn lca_and_covering_match_reference(
        c in case(),
        sets in proptest::collection::vec(proptest::collection::vec(any::<prop::sample::Index>(), 1..12), 1..12),
        modulus in 2usize..5,
    ) {
        let h = build(&c);
        let n = h.len();
        for set in &sets {
            let units: Vec<UnitId> = set.iter().map(|i| UnitId::new(i.index(n) as u32)).collect();
            let want = lca_reference(&h, &units);
            prop_assert_eq!(h.lca_of(&units), want);
            let as_units: Vec<Unit<'_>> = units.iter().map(|&u| h.get(u).unwrap()).collect();
            prop_assert_eq!(h.lca_of(&as_units), want);
            prop_assert_eq!(h.lca_of(as_units.iter().copied()), want);
            // Pairwise LCA agrees too.
            let pairwise = as_units[1..].iter().try_fold(as_units[0], |acc, &u| h.lca(acc, u));
            prop_assert_eq!(pairwise, want);

            let preds: [&dyn Fn(Unit<'_>) -> bool; 3] = [
                &|u| u.role() == Role::Government,
                &|u| u.depth() % modulus == 0,
                &|u| u.name().ends_with('3'),
            ];
            for pred in preds {
                let slow = want.and_then(|l| chain(l).into_iter().find(|&u| pred(u)));
                prop_assert_eq!(h.lowest_covering(&units, pred), slow);
            }
            // An unknown id anywhere in the set gives `None`.
            let mut bad = units.clone();
            bad.push(UnitId::new(n as u32));
            prop_assert_eq!(h.lca_of(&bad), None);
        }
    }

    #[test]
    fn acting_for_matches_reference(c in case()) {
        let h = build(&c);
        for u in h.units() {
            let want = (u.role() == Role::Agency)
                .then(|| u.ancestors().find(|x| x.role() == Role::Government))
                .flatten();
            prop_assert_eq!(u.acting_for(), want);
        }
    }
}
