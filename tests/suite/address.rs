//! Free-text addresses: the golden cases of `tests/data/address_cases.csv`
//! (the traps parsers fall into), spans and remainders, the old-name hook,
//! a schema that is not China's, and routing with text places.

use std::sync::Arc;

use xzqh::address::{AddressError, AddressResolver, Candidate, Form, OldName, Outcome};
use xzqh::china::ChinaKind;
use xzqh::routing::{Case, Place, RouteError, Router, Step, china_policy};
use xzqh::{Hierarchy, Role, Schema};

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<AddressResolver<Arc<Hierarchy>>>();
    send_sync::<AddressResolver<&'static Hierarchy>>();
    send_sync::<xzqh::address::Resolution>();
};

/// The hand-made stand-in for the history layer's old names.
fn with_old_names(h: &Hierarchy) -> AddressResolver<&Hierarchy> {
    let id = |code| h.by_code(code).expect("code in the data").id();
    AddressResolver::builder(h)
        .old_names([
            OldName::new("莱芜市", [id("3701")], "merged into 济南市 in 2019"),
            OldName::new("莱城区", [id("370116")], "renamed 莱芜区 in 2019"),
        ])
        .build()
        .expect("old names point to units of the hierarchy")
}

/// The candidates that tie with the best one.
fn tied(c: &[Candidate]) -> Vec<&Candidate> {
    c.iter()
        .take_while(|x| (x.chars, x.quality) == (c[0].chars, c[0].quality))
        .collect()
}

#[track_caller]
fn check_golden(h: &Hierarchy, data: &str) {
    let resolver = with_old_names(h);
    let file = include_str!("../data/address_cases.csv");
    let mut checked = 0;
    for (n, line) in file.lines().enumerate().skip(1) {
        let f = crate::common::split_csv(line);
        assert_eq!(f.len(), 6, "line {}: six fields", n + 1);
        if f[0] != data {
            continue;
        }
        let (text, outcome, codes, spans) = (&f[1], &f[2], &f[3], &f[4]);
        let r = resolver.resolve(text);
        let at = format!("line {} {text:?}", n + 1);
        match (outcome.as_str(), &r.outcome) {
            ("resolved", Outcome::Resolved(u)) => {
                assert_eq!(h.get(*u).unwrap().code(), codes, "{at}");
                let said: Vec<&str> = r.spans.iter().map(|s| &text[s.range.clone()]).collect();
                assert_eq!(said.join("|"), *spans, "{at}");
                // The chain ends at the unit, and every span names a unit on it.
                assert_eq!(r.chain.last(), Some(u), "{at}");
                assert!(r.spans.iter().all(|s| r.chain.contains(&s.unit)), "{at}");
            }
            ("ambiguous", Outcome::Ambiguous(c)) => {
                let mut got: Vec<&str> = tied(c)
                    .iter()
                    .map(|x| h.get(x.unit).unwrap().code())
                    .collect();
                got.sort_unstable();
                let want: Vec<&str> = codes.split('|').collect();
                assert_eq!(got, want, "{at}");
            }
            ("not_found", Outcome::NotFound) => assert_eq!(r.rest, 0..text.len(), "{at}"),
            (want, got) => panic!("{at}: expected {want}, got {got:?}"),
        }
        checked += 1;
    }
    assert!(checked > 0, "no golden case for {data}");
}

#[test]
fn golden_cases_township_data() {
    check_golden(xzqh::china(), "township");
}

#[cfg(feature = "villages")]
#[test]
fn golden_cases_village_data() {
    check_golden(xzqh::china_with_villages(), "villages");
}

#[test]
fn golden_codes_exist_in_the_data() {
    let h = xzqh::china();
    for line in include_str!("../data/address_cases.csv").lines().skip(1) {
        let f = crate::common::split_csv(line);
        if f[0] == "township" {
            for code in f[3].split('|').filter(|c| !c.is_empty()) {
                assert!(h.by_code(code).is_some(), "{code} in {line}");
            }
        }
    }
}

#[test]
fn spans_are_byte_ranges_and_name_their_units() {
    let h = xzqh::china();
    let text = "广西 南宁市，青秀区新竹街道 民族大道100号";
    let r = xzqh::china::addresses().resolve(text);
    let unit = h.get(r.unit().expect("resolves")).unwrap();
    assert_eq!(unit.name(), "新竹街道");
    let said: Vec<&str> = r.spans.iter().map(|s| &text[s.range.clone()]).collect();
    assert_eq!(said, ["广西", "南宁市", "青秀区", "新竹街道"]);
    let forms: Vec<Form> = r.spans.iter().map(|s| s.form).collect();
    assert_eq!(forms, [Form::Short, Form::Full, Form::Full, Form::Full]);
    assert_eq!(r.remainder(text), "民族大道100号");
    let chain: Vec<&str> = r.chain.iter().map(|&u| h.get(u).unwrap().name()).collect();
    assert_eq!(chain, ["广西壮族自治区", "南宁市", "青秀区", "新竹街道"]);
}

#[test]
fn ambiguity_lists_every_candidate_with_its_reading() {
    let h = xzqh::china();
    let r = xzqh::china::addresses().resolve("鼓楼区");
    let Outcome::Ambiguous(c) = &r.outcome else {
        panic!("four 鼓楼区: {r:?}");
    };
    let codes: Vec<&str> = tied(c)
        .iter()
        .map(|x| h.get(x.unit).unwrap().code())
        .collect();
    assert_eq!(codes, ["320106", "320302", "350102", "410204"]);
    assert_eq!(
        c[2].explain(h, "鼓楼区"),
        "350102 鼓楼区 (福建省 福州市): 鼓楼区 = full name of 350102 鼓楼区"
    );
    assert!(r.chain.is_empty() && r.spans.is_empty());
    // Scoped by what comes before, it resolves.
    let r = xzqh::china::addresses().resolve("福州鼓楼区");
    assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "350102");
}

#[test]
fn ambiguity_inside_one_city_keeps_the_shared_part() {
    let h = xzqh::china();
    // Two 城关镇 are not in one county, but a text can name a province and
    // a township two of its counties have.
    let r = xzqh::china::addresses().resolve("甘肃省城关镇");
    let Outcome::Ambiguous(c) = &r.outcome else {
        panic!("several 城关镇 in 甘肃: {r:?}");
    };
    assert!(tied(c).len() > 1);
    assert_eq!(h.get(r.chain[0]).unwrap().code(), "62");
    assert_eq!(r.spans.len(), 1, "the shared span: 甘肃省");
}

#[test]
fn old_names_are_a_hook_with_exact_errors() {
    let h = xzqh::sample::small_china();
    let err = AddressResolver::builder(&h)
        .old_name(OldName::new("宝安县", [xzqh::UnitId::new(4096)], ""))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"old name "宝安县" names unit #4096, which is not in the hierarchy"#
    );
    let err = AddressResolver::builder(&h)
        .old_name(OldName::new("宝安县", [], ""))
        .build()
        .unwrap_err();
    assert!(matches!(err, AddressError::EmptyOldName { .. }));
    assert_eq!(
        err.to_string(),
        r#"old name "宝安县" is empty or names no unit"#
    );

    let r = with_old_names(xzqh::china()).resolve("山东省莱芜市");
    assert_eq!(r.spans[1].form, Form::Old { index: 0 });
    assert_eq!(xzqh::china().get(r.unit().unwrap()).unwrap().code(), "3701");
}

#[test]
fn any_schema_by_full_names_case_insensitively() {
    let schema = Arc::new(
        Schema::builder("england")
            .level("country")
            .level("county")
            .level("district")
            .kind("country", "Country", "country", Role::Government)
            .kind("county", "County", "county", Role::Government)
            .kind("district", "District", "district", Role::Government)
            .build()
            .unwrap(),
    );
    let mut b = Hierarchy::builder(schema);
    b.unit("E", "England", "country", None)
        .unit("E10000016", "Kent", "county", Some("E"))
        .unit("E07000110", "Maidstone", "district", Some("E10000016"))
        .unit("E10000030", "Surrey", "county", Some("E"))
        .unit("E07000209", "Guildford", "district", Some("E10000030"));
    let h = b.build().unwrap();
    let resolver = AddressResolver::new(&h).unwrap();
    let text = "12 High Street, maidstone, KENT";
    // Only left-to-right readings nest: the district alone wins here.
    let r = resolver.resolve(text);
    assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "E07000110");
    let r = resolver.resolve("Surrey Guildford GU1");
    assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "E07000209");
    assert_eq!(r.remainder("Surrey Guildford GU1"), "GU1");
}

#[test]
fn china_names_are_read_only_in_a_china_schema() {
    // The same names in a schema that is not "china": no short forms.
    let schema = Arc::new(
        Schema::builder("other")
            .level("top")
            .level("region")
            .kind("root", "Root", "top", Role::Government)
            .kind("region", "Region", "region", Role::Government)
            .build()
            .unwrap(),
    );
    let mut b = Hierarchy::builder(schema);
    b.unit("0", "root", "root", None)
        .unit("1", "深圳市", "region", Some("0"));
    let h = b.build().unwrap();
    let resolver = AddressResolver::new(&h).unwrap();
    assert!(resolver.resolve("深圳市").unit().is_some());
    assert_eq!(resolver.resolve("深圳").outcome, Outcome::NotFound);
    // And in China's schema, built by hand, they are.
    let mut b = Hierarchy::builder(Schema::china());
    b.unit("0", "中华人民共和国", ChinaKind::State, None).unit(
        "4403",
        "深圳市",
        ChinaKind::PrefectureCity,
        Some("0"),
    );
    let h = b.build().unwrap();
    assert!(
        AddressResolver::new(&h)
            .unwrap()
            .resolve("深圳")
            .unit()
            .is_some()
    );
}

#[test]
fn no_panic_on_odd_text() {
    let resolver = xzqh::china::addresses();
    for text in [
        "",
        " ",
        "，，，",
        "🙂北京🙂",
        "𡐓𡐓𡐓",
        "a\u{0}b",
        "北京北京北京北京北京北京北京北京北京北京北京北京北京北京北京北京",
        &"朝阳区".repeat(200),
    ] {
        let r = resolver.resolve(text);
        assert!(r.rest.start <= r.rest.end && r.rest.end <= text.len());
        for s in &r.spans {
            assert!(text.get(s.range.clone()).is_some());
        }
    }
}

#[test]
fn routing_reads_text_places() {
    let h = Arc::new(xzqh::sample::small_china());
    let router = Router::new(h.clone(), china_policy()).unwrap();
    let places = [
        Place::Text("北京市朝阳区南磨房地区3号楼"),
        Place::Code("110118101"),
    ];
    let d = router
        .route(&Case::new(&places, "public_complaint"))
        .unwrap();
    assert_eq!(h.get(d.handler()).unwrap().code(), "11");
    let south = h.by_code("110105021").unwrap().id();
    assert_eq!(
        d.trace()[0],
        Step::ResolvedText {
            place: 0,
            unit: south
        }
    );
    assert_eq!(d.trace()[0].kind(), "resolved_text");
    assert!(
        d.explain(&h)
            .to_string()
            .starts_with("place 1 (text) reads as 110105021 南磨房地区\n")
    );
}

#[test]
fn routing_refuses_to_guess() {
    let h = Arc::new(xzqh::sample::small_china());
    let router = Router::new(h, china_policy()).unwrap();
    let places = [Place::Text("朝阳区")];
    let err = router.route(&Case::new(&places, "petition")).unwrap_err();
    assert_eq!(
        err,
        RouteError::AmbiguousPlace {
            place: "朝阳区".to_owned(),
            candidates: vec![
                ("110105".to_owned(), "朝阳区".to_owned()),
                ("220104".to_owned(), "朝阳区".to_owned()),
            ],
        }
    );
    assert_eq!(
        err.to_string(),
        r#"place "朝阳区" is ambiguous: 2 units match (110105 朝阳区, 220104 朝阳区)"#
    );
    let places = [Place::Text("火星基地")];
    let err = router.route(&Case::new(&places, "petition")).unwrap_err();
    assert_eq!(err.to_string(), "unknown place 火星基地");
}
