//! JSON and binary snapshots: any hierarchy round-trips to an equal one that
//! answers every query alike.
#![cfg(feature = "serde")]

use std::sync::Arc;

use crate::common::{small_china, synthetic};
use proptest::prelude::*;
use xzqh::china::ChinaKind;
use xzqh::{
    Designation, Hierarchy, LoadError, LoadLimits, LoadOptions, Relation, Role, Schema, UnitId,
};

/// Options that load what China's profile saved.
fn china_options() -> LoadOptions {
    LoadOptions::default().with_profile(xzqh::china::profile())
}

/// Every query a user can ask, compared unit by unit (PartialEq compares the
/// stored arrays; this checks the indexes built from them too).
#[track_caller]
fn assert_same_answers(a: &Hierarchy, b: &Hierarchy) {
    assert_eq!(a, b);
    assert_eq!(a.len(), b.len());
    assert_eq!(a.data_version(), b.data_version());
    assert_eq!(a.profile().name(), b.profile().name());
    assert_eq!(**a.schema(), **b.schema());
    #[cfg(feature = "petgraph")]
    assert_eq!(a.graph().edge_count(), b.graph().edge_count());
    for (ua, ub) in a.units().zip(b.units()) {
        assert_eq!(ua.id(), ub.id());
        assert_eq!(ua.code(), ub.code());
        assert_eq!(ua.name(), ub.name());
        assert_eq!(ua.kind_id(), ub.kind_id());
        assert_eq!(ua.depth(), ub.depth());
        assert_eq!(ua.designations(), ub.designations());
        assert_eq!(ua.tiers(), ub.tiers());
        assert_eq!(ua.descendant_count(), ub.descendant_count());
        assert_eq!(ua.parent().map(|p| p.id()), ub.parent().map(|p| p.id()));
        let ids =
            |it: &mut dyn Iterator<Item = xzqh::Unit<'_>>| it.map(|u| u.id()).collect::<Vec<_>>();
        assert_eq!(ids(&mut ua.children()), ids(&mut ub.children()));
        assert_eq!(ids(&mut ua.ancestors()), ids(&mut ub.ancestors()));
        let rels = |it: xzqh::Relations<'_>| it.map(|(u, r)| (u.id(), r)).collect::<Vec<_>>();
        assert_eq!(rels(ua.relations_in()), rels(ub.relations_in()));
        assert_eq!(rels(ua.relations_out()), rels(ub.relations_out()));
        assert_eq!(b.by_code(ua.code()).map(|u| u.id()), Some(ua.id()));
        assert_eq!(
            a.by_name(ua.name()).map(|u| u.id()).collect::<Vec<_>>(),
            b.by_name(ua.name()).map(|u| u.id()).collect::<Vec<_>>()
        );
    }
    let n = a.len() as u32;
    let ids = |path: Option<Vec<xzqh::Unit<'_>>>| {
        path.map(|p| p.into_iter().map(|u| u.id()).collect::<Vec<_>>())
    };
    for i in 0..n.min(40) {
        for j in (0..n).step_by(1 + n as usize / 40) {
            let (x, y) = (UnitId::new(i), UnitId::new(j));
            assert_eq!(a.lca(x, y).map(|u| u.id()), b.lca(x, y).map(|u| u.id()));
            assert_eq!(ids(a.path(x, y)), ids(b.path(x, y)));
        }
    }
}

/// Saves `h` as JSON and as a snapshot and loads both with `options` (whose
/// profile must be `h`'s).
#[track_caller]
fn round_trip(h: &Hierarchy, options: &LoadOptions) {
    let json = h.to_json();
    let from_json = Hierarchy::from_json_with(json.as_bytes(), options).expect("json loads");
    assert_same_answers(h, &from_json);
    let mut written = Vec::new();
    h.write_json(&mut written).expect("writes");
    assert_eq!(written, json.as_bytes());
    let binary = h.to_snapshot();
    let from_binary = Hierarchy::from_snapshot_with(&binary, options).expect("snapshot loads");
    assert_same_answers(h, &from_binary);
    // Writing what was loaded gives the same bytes: nothing was lost.
    assert_eq!(from_binary.to_snapshot(), binary);
    assert_eq!(from_json.to_json(), json);
    // The same units in reverse order load through the builder: same result.
    assert_same_answers(
        h,
        &Hierarchy::from_json_with(reverse_units(&json).as_bytes(), options).unwrap(),
    );
}

/// The JSON with its unit lines in reverse order (children before parents).
fn reverse_units(json: &str) -> String {
    let start = json.find("\"units\":[\n").unwrap() + "\"units\":[\n".len();
    let end = json.find("\n],\n\"relations\"").unwrap();
    let mut lines: Vec<&str> = json[start..end].split(",\n").collect();
    lines.reverse();
    format!("{}{}{}", &json[..start], lines.join(",\n"), &json[end..])
}

#[test]
fn small_china_round_trips() {
    round_trip(&small_china(), &china_options());
}

#[test]
fn full_china_round_trips() {
    let h = xzqh::china();
    round_trip(h, &china_options());
    // The loaded hierarchy reads codes and names as China's profile does.
    let loaded = Hierarchy::from_snapshot_with(&h.to_snapshot(), &china_options()).unwrap();
    assert_eq!(loaded.by_code("110105000000").unwrap().name(), "朝阳区");
    assert_eq!(loaded.names().lookup("塔城市").unwrap().code(), "654201");
    assert!(loaded.successions().is_some() == h.successions().is_some());
}

#[test]
fn china_needs_its_profile_to_load() {
    let h = small_china();
    let message =
        "the input was saved with profile `china`; load it with that profile, not `plain`";
    let err = Hierarchy::from_snapshot(&h.to_snapshot()).unwrap_err();
    assert_eq!(err.to_string(), message);
    assert!(matches!(
        &err,
        LoadError::ProfileMismatch { recorded, given } if recorded == "china" && given == "plain"
    ));
    let err = Hierarchy::from_json(h.to_json().as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), message);
    // The full data too.
    let err = Hierarchy::from_snapshot(&xzqh::china().to_snapshot()).unwrap_err();
    assert_eq!(err.to_string(), message);
    // And the other way round: a plain hierarchy is not China's.
    let (england, _) = crate::common::england();
    let message =
        "the input was saved with profile `plain`; load it with that profile, not `china`";
    let err = Hierarchy::from_snapshot_with(&england.to_snapshot(), &china_options()).unwrap_err();
    assert_eq!(err.to_string(), message);
    let err =
        Hierarchy::from_json_with(england.to_json().as_bytes(), &china_options()).unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[test]
fn json_without_a_profile_field_is_plain() {
    let (england, _) = crate::common::england();
    let json = england.to_json().replace(r#""profile":"plain","#, "");
    assert!(!json.contains("profile"));
    assert_eq!(Hierarchy::from_json(json.as_bytes()).unwrap(), england);
    let err = Hierarchy::from_json_with(json.as_bytes(), &china_options()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the input was saved with profile `plain`; load it with that profile, not `china`"
    );
}

#[test]
fn a_hostile_profile_name_is_quoted_bounded() {
    let (england, _) = crate::common::england();
    let long = "p".repeat(10_000);
    let json = england
        .to_json()
        .replace(r#""profile":"plain""#, &format!(r#""profile":"{long}""#));
    let message = Hierarchy::from_json(json.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(message.len() < 200, "{message}");
    assert!(
        message.ends_with("… (10000 bytes)`; load it with that profile, not `plain`"),
        "{message}"
    );
}

#[test]
fn china_schema_survives_loading() {
    let h = small_china();
    for loaded in [
        Hierarchy::from_snapshot_with(&h.to_snapshot(), &china_options()).unwrap(),
        Hierarchy::from_json_with(h.to_json().as_bytes(), &china_options()).unwrap(),
    ] {
        assert_eq!(**loaded.schema(), *xzqh::china::schema());
        // China's kind ids mean the same in the loaded hierarchy.
        assert_eq!(
            loaded.by_code("6542").unwrap().kind_id(),
            ChinaKind::Prefecture.id()
        );
    }
}

#[test]
fn synthetic_round_trips() {
    round_trip(
        &synthetic(&[5, 30, 200, 1_500], 3).unwrap(),
        &china_options(),
    );
}

#[test]
fn another_country_with_custom_relations_round_trips() {
    let (h, _) = crate::common::england();
    assert_eq!(h.data_version(), None);
    round_trip(&h, &LoadOptions::default());
    let json = h.to_json();
    assert!(!json.contains("data_version"));
    assert!(json.contains(r#"{"from":"E47000008","to":"E10000003","relation":"custom_7"}"#));
}

#[test]
fn json_units_in_any_order_give_the_same_hierarchy() {
    let h = small_china();
    let json = h.to_json();
    let shuffled = reverse_units(&json);
    assert_ne!(shuffled, json);
    let loaded = Hierarchy::from_json_with(shuffled.as_bytes(), &china_options()).unwrap();
    assert_same_answers(&h, &loaded);
}

#[test]
fn json_written_by_hand_loads() {
    // What a Python script might write: fields in another order, escapes,
    // null parent, no relations, pretty-printed.
    let json = r#"
    {
      "format": "xzqh-hierarchy",
      "version": 1,
      "schema": {
        "name": "tiny",
        "levels": ["country", "city"],
        "kinds": [
          {"role": "government", "level": "country", "label": "Country", "name": "country"},
          {"name": "city", "label": "City", "level": "city", "role": "government"}
        ],
        "designations": ["capital"]
      },
      "units": [
        {"kind": "city", "parent": "X", "code": "X2", "name": "Zenda \"old\" \u57ce"},
        {"code": "X1", "name": "Strelsau", "kind": "city", "parent": "X", "designations": ["capital"]},
        {"code": "X", "name": "Ruritania", "kind": "country", "parent": null}
      ],
      "data_version": null
    }"#;
    let h = Hierarchy::from_json(json.as_bytes()).unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h.by_code("X2").unwrap().name(), "Zenda \"old\" 城");
    let capital = h.schema().designation_id("capital").unwrap();
    assert!(h.by_code("X1").unwrap().has(capital));
    assert_eq!(
        h.root().children().map(|u| u.code()).collect::<Vec<_>>(),
        ["X1", "X2"]
    );
    assert_eq!(h.profile().name(), "plain");
    round_trip(&h, &LoadOptions::default());
}

#[test]
fn limits_deserialize_from_configuration() {
    let limits: LoadLimits =
        serde_json::from_str(r#"{"max_units": 1000, "max_depth": 8}"#).unwrap();
    assert_eq!(
        limits,
        LoadLimits::default().with_max_units(1000).with_max_depth(8)
    );
    assert!(serde_json::from_str::<LoadLimits>(r#"{"max_unit": 1}"#).is_err());
}

/// A random hierarchy: a schema of four levels with kinds of every role,
/// three designations; units whose parents come before them in generation
/// order (so a tree), codes unique but unordered, names repeating and full
/// of awkward characters, rows added in shuffled order, random secondary
/// relations and designations.
fn arb_hierarchy() -> impl Strategy<Value = Hierarchy> {
    let names = prop::sample::select(vec![
        "朝阳区",
        "莫𡐓村委会",
        "湖㳇镇",
        "a \"quoted\" name",
        "back\\slash",
        "tab-free",
        "é",
        "X",
        "Zürich",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "",
    ]);
    (1usize..40)
        .prop_flat_map(move |n| {
            (
                Just(n),
                prop::collection::vec(any::<prop::sample::Index>(), n),
                prop::collection::vec("[!-~]{1,6}", n),
                prop::collection::vec(names.clone(), n),
                prop::collection::vec(0u8..2, n),
                prop::collection::vec(0u32..8, n),
                prop::collection::vec(
                    (
                        any::<prop::sample::Index>(),
                        any::<prop::sample::Index>(),
                        0u8..5,
                    ),
                    0..8,
                ),
                any::<prop::sample::Index>(),
                prop::option::of("[a-z0-9 ]{0,12}"),
            )
        })
        .prop_map(
            |(n, parents, codes, names, kind_pick, desig, rels, shuffle, version)| {
                let schema = Arc::new(
                    Schema::builder("random")
                        .level("l0")
                        .level("l1")
                        .level("l2")
                        .level("l3")
                        .kind("top", "Top", "l0", Role::Government)
                        .kind("gov1", "政府", "l1", Role::Government)
                        .kind("agency1", "派出", "l1", Role::Agency)
                        .kind("gov2", "Gov 2", "l2", Role::Government)
                        .kind("self2", "自治", "l2", Role::SelfGoverning)
                        .kind("gov3", "Gov 3", "l3", Role::Government)
                        .kind("fun3", "Zone", "l3", Role::Functional)
                        .designation("a")
                        .designation("b")
                        .designation("c")
                        .build()
                        .unwrap(),
                );
                let kinds = [
                    ["top", "top"],
                    ["gov1", "agency1"],
                    ["gov2", "self2"],
                    ["gov3", "fun3"],
                ];
                let code = |i: usize| format!("{}#{i}", codes[i]);
                let mut depth = vec![0usize; n];
                let mut parent = vec![None; n];
                for i in 1..n {
                    let p = parents[i].index(i);
                    parent[i] = Some(p);
                    depth[i] = depth[p] + 1;
                }
                let mut rows: Vec<usize> = (0..n).collect();
                // A deterministic shuffle from one random index.
                let k = shuffle.index(n.max(1));
                rows.rotate_left(k);
                if k % 2 == 1 {
                    rows.reverse();
                }
                let mut b = Hierarchy::builder(schema);
                for &i in &rows {
                    let level = depth[i].min(3);
                    let name = if names[i].is_empty() { "空" } else { names[i] };
                    b = b.unit(
                        &code(i),
                        name,
                        kinds[level][kind_pick[i] as usize],
                        parent[i].map(code).as_deref(),
                    );
                    for d in 0..3u8 {
                        if desig[i] >> d & 1 == 1 {
                            b = b.designate(&code(i), Designation::new(d));
                        }
                    }
                }
                let mut seen = std::collections::HashSet::new();
                for (f, t, r) in rels {
                    let (f, t) = (f.index(n), t.index(n));
                    if f == t || parent[t] == Some(f) || !seen.insert((f, t)) {
                        continue;
                    }
                    let r = match r {
                        0 => Relation::Entrusted,
                        1 => Relation::CorpsCoAdministration,
                        2 => Relation::Planning,
                        k => Relation::Custom(k * 50),
                    };
                    b = b.relation(&code(f), &code(t), r);
                }
                if let Some(v) = version {
                    b = b.data_version(&v);
                }
                b.build().expect("generated hierarchies are valid")
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_hierarchy_round_trips(h in arb_hierarchy()) {
        round_trip(&h, &LoadOptions::default());
    }
}
