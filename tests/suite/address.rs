//! Free-text addresses: the golden cases of `tests/data/address_cases.csv`
//! (the traps parsers fall into), spans and remainders, old names (the
//! profile's and the builder's), short forms from the profile, a schema
//! that is not China's, and routing with text places.

use std::sync::Arc;

use xzqh::address::{AddressError, AddressResolver, Candidate, Form, OldName, Outcome};
use xzqh::china::ChinaKind;
use xzqh::routing::{Case, Place, RouteError, Router, Step};
use xzqh::{Hierarchy, Role, Schema, Unit};

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<AddressResolver<'static>>();
    send_sync::<xzqh::address::Resolution<'static>>();
};

/// The resolver with the two old names the golden cases use, given through
/// the builder hook: they hold whether or not the profile's own old names
/// (the `history` feature) are there too.
fn with_old_names(h: &Hierarchy) -> AddressResolver<'_> {
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
fn tied<'a, 'c>(c: &'c [Candidate<'a>]) -> Vec<&'c Candidate<'a>> {
    c.iter()
        .take_while(|x| (x.chars, x.quality) == (c[0].chars, c[0].quality))
        .collect()
}

fn codes<'a>(units: impl IntoIterator<Item = Unit<'a>>) -> Vec<&'a str> {
    units.into_iter().map(|u| u.code()).collect()
}

#[track_caller]
fn check_golden(resolver: &AddressResolver<'_>, data: &str) {
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
        match (outcome.as_str(), r.outcome()) {
            ("resolved", Outcome::Resolved(u)) => {
                assert_eq!(u.code(), codes, "{at}");
                let said: Vec<&str> = r.spans().iter().map(|s| s.text).collect();
                assert_eq!(said.join("|"), *spans, "{at}");
                for s in r.spans() {
                    assert_eq!(&text[s.range.clone()], s.text, "{at}");
                }
                // The chain ends at the unit, and every span names a unit on it.
                assert_eq!(r.chain().last(), Some(u), "{at}");
                assert!(
                    r.spans().iter().all(|s| r.chain().contains(&s.unit)),
                    "{at}"
                );
            }
            ("ambiguous", Outcome::Ambiguous(c)) => {
                let mut got: Vec<&str> = tied(c).iter().map(|x| x.unit.code()).collect();
                got.sort_unstable();
                let want: Vec<&str> = codes.split('|').collect();
                assert_eq!(got, want, "{at}");
            }
            ("not_found", Outcome::NotFound) => {
                assert_eq!(r.remainder_range(), 0..text.len(), "{at}");
                assert_eq!(r.remainder(), text.as_str(), "{at}");
            }
            (want, got) => panic!("{at}: expected {want}, got {got:?}"),
        }
        checked += 1;
    }
    assert!(checked > 0, "no golden case for {data}");
}

#[test]
fn golden_cases_township_data() {
    check_golden(&with_old_names(xzqh::china()), "township");
}

/// The old names of the golden cases are China's profile's own.
#[cfg(feature = "history")]
#[test]
fn golden_cases_with_the_profiles_old_names() {
    check_golden(&xzqh::china().addresses().unwrap(), "township");
}

#[cfg(feature = "villages")]
#[test]
fn golden_cases_village_data() {
    check_golden(&with_old_names(xzqh::china_with_villages()), "villages");
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
    let text = "广西 南宁市，青秀区新竹街道 民族大道100号";
    let r = xzqh::china().addresses().unwrap().resolve(text);
    assert_eq!(r.unit().expect("resolves").name(), "新竹街道");
    let said: Vec<&str> = r.spans().iter().map(|s| &text[s.range.clone()]).collect();
    assert_eq!(said, ["广西", "南宁市", "青秀区", "新竹街道"]);
    let forms: Vec<Form> = r.spans().iter().map(|s| s.form).collect();
    assert_eq!(forms, [Form::Short, Form::Full, Form::Full, Form::Full]);
    assert_eq!(r.remainder(), "民族大道100号");
    assert_eq!(&text[r.remainder_range()], "民族大道100号");
    assert_eq!(r.text(), text);
    let chain: Vec<&str> = r.chain().iter().map(|u| u.name()).collect();
    assert_eq!(chain, ["广西壮族自治区", "南宁市", "青秀区", "新竹街道"]);
}

#[test]
fn ambiguity_lists_every_candidate_with_its_reading() {
    let addresses = xzqh::china().addresses().unwrap();
    let r = addresses.resolve("鼓楼区");
    let Outcome::Ambiguous(c) = r.outcome() else {
        panic!("four 鼓楼区: {r:?}");
    };
    let tied_codes = codes(tied(c).iter().map(|x| x.unit));
    assert_eq!(tied_codes, ["320106", "320302", "350102", "410204"]);
    assert_eq!(
        c[2].explain(),
        "350102 鼓楼区 (福建省 福州市): 鼓楼区 = full name of 350102 鼓楼区"
    );
    assert!(r.chain().is_empty() && r.spans().is_empty());
    assert!(r.unit().is_none());
    assert_eq!(r.candidates(), c.as_slice());
    // Scoped by what comes before, it resolves.
    let r = addresses.resolve("福州鼓楼区");
    assert_eq!(r.unit().unwrap().code(), "350102");
    assert!(r.candidates().is_empty());
}

#[test]
fn ambiguity_inside_one_city_keeps_the_shared_part() {
    // Two 城关镇 are not in one county, but a text can name a province and
    // a township two of its counties have.
    let r = xzqh::china().addresses().unwrap().resolve("甘肃省城关镇");
    let Outcome::Ambiguous(c) = r.outcome() else {
        panic!("several 城关镇 in 甘肃: {r:?}");
    };
    assert!(tied(c).len() > 1);
    assert_eq!(r.chain()[0].code(), "62");
    assert_eq!(r.spans().len(), 1, "the shared span: 甘肃省");
    assert_eq!(r.spans()[0].text, "甘肃省");
}

#[test]
fn old_names_are_a_hook_with_exact_errors() {
    let h = crate::common::small_china();
    let err = AddressResolver::builder(&h)
        .old_name(OldName::new("宝安县", [xzqh::UnitId::new(4096)], ""))
        .build()
        .unwrap_err();
    assert!(matches!(err, AddressError::UnknownUnit { .. }));
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
    let err = AddressResolver::builder(&h)
        .old_name(OldName::new(" \t", [h.root().id()], ""))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"old name " \t" is empty or names no unit"#
    );

    // An old name given to the builder is read, with its short form.
    let nanshan = h.by_code("440305").unwrap().id();
    let resolver = AddressResolver::builder(&h)
        .old_name(OldName::new("南头县", [nanshan], "a name 南山区 never had"))
        .build()
        .unwrap();
    let r = resolver.resolve("广东深圳南头县粤海街道");
    assert_eq!(r.unit().unwrap().code(), "440305007");
    let Form::Old { index } = r.spans()[2].form else {
        panic!("an old name: {r:?}");
    };
    assert_eq!(resolver.old_names()[index].note, "a name 南山区 never had");
    assert_eq!(resolver.resolve("南头").unit().unwrap().code(), "440305");
    // The hierarchy's own resolver does not change.
    assert_eq!(
        h.addresses().unwrap().resolve("南头县").outcome(),
        &Outcome::NotFound
    );

    let resolver = with_old_names(xzqh::china());
    let r = resolver.resolve("山东省莱芜市");
    let Form::Old { index } = r.spans()[1].form else {
        panic!("an old name: {r:?}");
    };
    assert_eq!(resolver.old_names()[index].name, "莱芜市");
    assert_eq!(r.unit().unwrap().code(), "3701");
}

#[cfg(feature = "history")]
#[test]
fn the_profile_gives_old_names() {
    let addresses = xzqh::china().addresses().unwrap();
    let r = addresses.resolve("山东莱芜市莱城区");
    assert_eq!(r.unit().unwrap().code(), "370116");
    let old: Vec<&str> = r
        .spans()
        .iter()
        .filter_map(|s| match s.form {
            Form::Old { index } => Some(addresses.old_names()[index].name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(old, ["莱芜市", "莱城区"]);
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
    let h = Hierarchy::builder(schema)
        .unit("E", "England", "country", None)
        .unit("E10000016", "Kent", "county", Some("E"))
        .unit("E07000110", "Maidstone", "district", Some("E10000016"))
        .unit("E10000030", "Surrey", "county", Some("E"))
        .unit("E07000209", "Guildford", "district", Some("E10000030"))
        .build()
        .unwrap();
    let resolver = h.addresses().unwrap();
    // Only left-to-right readings nest: the district alone wins here.
    let r = resolver.resolve("12 High Street, maidstone, KENT");
    assert_eq!(r.unit().unwrap().code(), "E07000110");
    assert_eq!(r.remainder(), "KENT");
    let r = resolver.resolve("Surrey Guildford GU1");
    assert_eq!(r.unit().unwrap().code(), "E07000209");
    assert_eq!(r.remainder(), "GU1");
}

#[test]
fn short_forms_come_from_the_profile() {
    // Without a profile, names are read as written, whatever the schema.
    let schema = Arc::new(
        Schema::builder("other")
            .level("top")
            .level("region")
            .kind("root", "Root", "top", Role::Government)
            .kind("region", "Region", "region", Role::Government)
            .build()
            .unwrap(),
    );
    let h = Hierarchy::builder(schema)
        .unit("0", "root", "root", None)
        .unit("1", "深圳市", "region", Some("0"))
        .build()
        .unwrap();
    let resolver = h.addresses().unwrap();
    assert!(resolver.resolve("深圳市").unit().is_some());
    assert_eq!(resolver.resolve("深圳").outcome(), &Outcome::NotFound);
    let china = |profile: bool| {
        let mut b = Hierarchy::builder(xzqh::china::schema());
        if profile {
            b = b.profile(xzqh::china::profile());
        }
        b.unit("0", "中华人民共和国", ChinaKind::State, None)
            .unit("4403", "深圳市", ChinaKind::PrefectureCity, Some("0"))
            .build()
            .unwrap()
    };
    // China's schema alone gives no short forms; China's profile does.
    let h = china(false);
    assert_eq!(
        h.addresses().unwrap().resolve("深圳").outcome(),
        &Outcome::NotFound
    );
    let h = china(true);
    let r = h.addresses().unwrap().resolve("深圳");
    assert_eq!(r.unit().unwrap().code(), "4403");
    assert_eq!(r.spans()[0].form, Form::Short);
}

#[test]
fn no_panic_on_odd_text() {
    let resolver = xzqh::china().addresses().unwrap();
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
        let rest = r.remainder_range();
        assert!(rest.start <= rest.end && rest.end <= text.len());
        assert_eq!(text.get(rest), Some(r.remainder()));
        for s in r.spans() {
            assert_eq!(text.get(s.range.clone()), Some(s.text));
        }
    }
}

#[test]
fn routing_reads_text_places() {
    let h = Arc::new(crate::common::small_china());
    let router = Router::new(h.clone(), xzqh::china::policy()).unwrap();
    let places = [
        Place::Text("北京市朝阳区南磨房地区3号楼"),
        Place::Code("110118101"),
    ];
    let d = router
        .route(&Case::new(&places, "public_complaint"))
        .unwrap();
    assert_eq!(d.handler().code(), "11");
    let south = h.by_code("110105021").unwrap();
    assert_eq!(
        d.trace()[0],
        Step::ResolvedText {
            place: 0,
            unit: south
        }
    );
    assert_eq!(d.trace()[0].kind(), "resolved_text");
    assert!(
        d.explain()
            .to_string()
            .starts_with("place 1 (text) reads as 110105021 南磨房地区\n")
    );
}

#[test]
fn routing_refuses_to_guess() {
    let h = Arc::new(crate::common::small_china());
    let router = Router::new(h, xzqh::china::policy()).unwrap();
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
