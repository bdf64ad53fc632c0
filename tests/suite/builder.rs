//! The builder: one test per error with its exact message, and no panic on any input.

use proptest::prelude::*;
use xzqh::china::ChinaKind::{self, *};
use xzqh::{BuildError, BuildLimits, Designation, Hierarchy, HierarchyBuilder, KindId, Relation};

fn china() -> HierarchyBuilder {
    Hierarchy::builder(xzqh::china::schema())
        .unit("0", "中华人民共和国", State, None)
        .unit("65", "新疆维吾尔自治区", AutonomousRegion, Some("0"))
        .unit("6540", "伊犁哈萨克自治州", AutonomousPrefecture, Some("65"))
}

#[track_caller]
fn fails(b: HierarchyBuilder, message: &str) -> BuildError {
    let err = b.build().expect_err("the build must fail");
    assert_eq!(err.to_string(), message);
    err
}

#[test]
fn empty() {
    fails(
        Hierarchy::builder(xzqh::china::schema()),
        "hierarchy has no unit",
    );
}

#[test]
fn invalid_codes() {
    for (code, shown) in [
        ("", "\"\""),
        ("65 01", "\"65 01\""),
        ("６５", "\"６５\""),
        ("a\tb", "\"a\\tb\""),
    ] {
        let b = china().unit(code, "x", County, Some("6540"));
        let err = fails(
            b,
            &format!("invalid code {shown}: use 1 to 64 printable ascii characters without spaces"),
        );
        assert!(matches!(err, BuildError::InvalidCode { .. }));
    }
    let b = china().unit(&"1".repeat(65), "x", County, Some("6540"));
    assert!(matches!(
        b.build(),
        Err(BuildError::InvalidCode { max: 64, .. })
    ));
    let b = china().limits(BuildLimits::default().with_max_code_bytes(2));
    fails(
        b,
        "invalid code \"6540\": use 1 to 2 printable ascii characters without spaces",
    );
}

#[test]
fn invalid_names() {
    for name in ["", "bad\nname", "\u{7}"] {
        let b = china().unit("654002", name, CountyCity, Some("6540"));
        fails(
            b,
            "invalid name for unit 654002: names are 1 to 1024 bytes without control characters",
        );
    }
    let b = china().unit("654002", &"名".repeat(342), CountyCity, Some("6540")); // 1026 bytes
    fails(
        b,
        "invalid name for unit 654002: names are 1 to 1024 bytes without control characters",
    );
    let b = china()
        .limits(BuildLimits::default().with_max_name_bytes(24))
        .unit("654002", "伊宁市伊宁市伊宁市", CountyCity, Some("6540")); // 27 bytes
    fails(
        b,
        "invalid name for unit 654002: names are 1 to 24 bytes without control characters",
    );
}

#[test]
fn unknown_kinds() {
    let b = china().unit("654002", "伊宁市", "shire", Some("6540"));
    fails(b, "unit 654002 has unknown kind `shire`");
    let b = china().unit("654002", "伊宁市", KindId::new(999), Some("6540"));
    fails(b, "unit 654002 has unknown kind `#999`");
}

#[test]
fn duplicate_code() {
    let b = china().unit("6540", "伊犁", AutonomousPrefecture, Some("65"));
    let err = fails(b, "duplicate code 6540");
    assert_eq!(
        err,
        BuildError::DuplicateCode {
            code: "6540".into()
        }
    );
}

#[test]
fn unknown_parent() {
    let b = china().unit("654002", "伊宁市", CountyCity, Some("6599"));
    let err = fails(b, "unit 654002 names unknown parent 6599");
    assert_eq!(
        err,
        BuildError::UnknownParent {
            code: "654002".into(),
            parent: "6599".into()
        }
    );
}

#[test]
fn relation_or_designation_to_unknown_unit() {
    let b = china().relation("65", "659001", Relation::CorpsCoAdministration);
    fails(b, "relation names unknown unit 659001");
    let b = china().designate("2101", Designation::new(0));
    fails(b, "designation names unknown unit 2101");
}

#[test]
fn edges_to_itself() {
    let b = china().unit("654002", "伊宁市", CountyCity, Some("654002"));
    let err = fails(b, "edge from 654002 to itself");
    assert_eq!(
        err,
        BuildError::SelfEdge {
            code: "654002".into()
        }
    );
    let b = china().relation("6540", "6540", Relation::Planning);
    fails(b, "edge from 6540 to itself");
}

#[test]
fn second_primary_parent() {
    let b = china()
        .unit("66", "新疆生产建设兵团", Corps, Some("0"))
        .relation("66", "6540", Relation::Administrative);
    let err = fails(
        b,
        "unit 6540 has a second primary parent 66 (the first is 65)",
    );
    assert_eq!(
        err,
        BuildError::SecondPrimaryParent {
            code: "6540".into(),
            first: "65".into(),
            second: "66".into()
        }
    );
}

#[test]
fn duplicate_edges() {
    let b = china().relation("65", "6540", Relation::Planning);
    fails(b, "duplicate edge from 65 to 6540");
    let b = china().relation("0", "6540", Relation::Planning).relation(
        "0",
        "6540",
        Relation::Entrusted,
    );
    fails(b, "duplicate edge from 0 to 6540");
}

#[test]
fn unknown_designation() {
    let b = china().designate("6540", Designation::new(20));
    fails(b, "unit 6540 has unknown designation #20");
}

#[test]
fn two_roots() {
    let b = china().unit("71", "台湾省", Province, None);
    let err = fails(b, "two roots 0 and 71: exactly one unit may have no parent");
    assert_eq!(
        err,
        BuildError::MultipleRoots {
            first: "0".into(),
            second: "71".into()
        }
    );
}

#[test]
fn cycle() {
    let b = china()
        .unit("6542", "塔城地区", Prefecture, Some("6543"))
        .unit("6543", "阿勒泰地区", Prefecture, Some("6544"))
        .unit("6544", "x", Prefecture, Some("6542"));
    let err = fails(b, "cycle through 6542 -> 6543 -> 6544");
    assert_eq!(
        err,
        BuildError::Cycle {
            codes: vec!["6542".into(), "6543".into(), "6544".into()]
        }
    );
    // A cycle hanging off nothing while the real root exists elsewhere, and
    // one with no root at all, are both cycles.
    let b = Hierarchy::builder(xzqh::china::schema())
        .unit("1", "a", Province, Some("2"))
        .unit("2", "b", Province, Some("1"));
    fails(b, "cycle through 1 -> 2");
}

#[test]
fn child_ranked_above_its_parent() {
    let b = china()
        .unit("654201", "塔城市", CountyCity, Some("6540"))
        .unit("6542", "塔城地区", Prefecture, Some("654201"));
    let err = fails(
        b,
        "unit 6542 at level prefectural ranks above its parent 654201 at level county",
    );
    assert_eq!(
        err,
        BuildError::LevelAboveParent {
            code: "6542".into(),
            level: "prefectural".into(),
            parent: "654201".into(),
            parent_level: "county".into(),
        }
    );
    // Equal levels are legal: 塔城地区 under 伊犁, both prefecture-level.
    let b = china().unit("6542", "塔城地区", Prefecture, Some("6540"));
    assert_eq!(
        b.build()
            .unwrap()
            .by_code("6542")
            .unwrap()
            .parent()
            .unwrap()
            .code(),
        "6540"
    );
}

#[test]
fn too_deep_and_too_many() {
    let b = china().limits(BuildLimits::default().with_max_depth(1));
    fails(b, "unit 6540 is at depth 2, beyond the limit of 1");
    let b = china().limits(BuildLimits::default().with_max_units(2));
    fails(b, "too many units: at most 2");
}

#[test]
fn nothing_half_applied() {
    // A failed build returns no hierarchy at all; a good one has every row.
    let b = china().unit("654002", "伊宁市", CountyCity, Some("6540"));
    let good = b.clone();
    let b = b.unit("654003", "奎屯市", CountyCity, Some("nowhere"));
    assert!(b.build().is_err());
    assert_eq!(good.build().unwrap().len(), 4);
}

fn any_kind() -> impl Strategy<Value = ChinaKind> {
    proptest::sample::select(ChinaKind::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Whatever rows and relations it is given, building returns a result and
    /// never panics; a success satisfies the invariants.
    #[test]
    fn never_panics(
        rows in proptest::collection::vec(("[0-9a ]{0,3}", "\\PC{0,3}", any_kind(), proptest::option::of("[0-9a ]{0,3}")), 0..25),
        rels in proptest::collection::vec(("[0-9]{0,3}", "[0-9]{0,3}", 0u8..3), 0..6),
        desig in proptest::collection::vec(("[0-9]{0,3}", 0u8..40), 0..4),
    ) {
        let mut b = Hierarchy::builder(xzqh::china::schema());
        for (code, name, kind, parent) in &rows {
            b = b.unit(code, name, *kind, parent.as_deref());
        }
        for (f, t, r) in &rels {
            let r = [Relation::Administrative, Relation::Entrusted, Relation::Custom(1)][*r as usize];
            b = b.relation(f, t, r);
        }
        for (c, d) in &desig {
            b = b.designate(c, Designation::new(*d));
        }
        if let Ok(h) = b.build() {
            prop_assert!(h.root().parent().is_none());
            for u in h.units() {
                prop_assert_eq!(h.by_code(u.code()), Some(u));
                if let Some(p) = u.parent() {
                    prop_assert!(!u.level().is_above(p.level()));
                    prop_assert!(p.contains(u));
                }
            }
        }
    }
}
