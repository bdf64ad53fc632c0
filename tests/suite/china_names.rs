//! Name lookup: short forms and their strengths in China's profile, exact
//! and scoped queries, ambiguity, on `small_china()` and on small hand-built
//! hierarchies (Chinese and not).

use std::sync::Arc;

use proptest::prelude::*;
use xzqh::china::ChinaKind::{self, *};
use xzqh::china::short_forms;
use xzqh::{FormStrength, Hierarchy, LookupError, NameIndex, Profile, Role, Schema, ShortForm};

type Row<'a> = (&'a str, &'a str, ChinaKind, Option<&'a str>);

#[track_caller]
fn build(rows: &[Row<'_>]) -> Hierarchy {
    let mut b = Hierarchy::builder(xzqh::china::schema())
        .profile(xzqh::china::profile())
        .unit("0", "中华人民共和国", State, None);
    for &(code, name, kind, parent) in rows {
        b = b.unit(code, name, kind, Some(parent.unwrap_or("0")));
    }
    b.build().expect("test hierarchy is valid")
}

#[track_caller]
fn codes(names: &NameIndex<'_>, query: &str) -> Vec<String> {
    names
        .candidates(query)
        .iter()
        .map(|u| u.code().to_owned())
        .collect()
}

#[track_caller]
fn ambiguous(names: &NameIndex<'_>, query: &str) -> Vec<String> {
    match names.lookup(query) {
        Err(LookupError::Ambiguous { candidates, .. }) => {
            candidates.into_iter().map(|(code, _)| code).collect()
        }
        other => panic!("{query:?}: expected ambiguity, got {other:?}"),
    }
}

#[test]
fn short_forms_of_autonomous_areas_and_cities() {
    for (name, expected) in [
        ("广西壮族自治区", &["广西"][..]),
        ("内蒙古自治区", &["内蒙古"]),
        ("新疆维吾尔自治区", &["新疆"]),
        ("宁夏回族自治区", &["宁夏"]),
        ("西藏自治区", &["西藏"]),
        ("延边朝鲜族自治州", &["延边", "延边州"]),
        ("黔东南苗族侗族自治州", &["黔东南", "黔东南州"]),
        ("巍山彝族回族自治县", &["巍山", "巍山县"]),
        ("深圳市", &["深圳"]),
        ("朝阳区", &["朝阳"]),
        ("通州区", &["通州"]),
    ] {
        assert_eq!(short_forms(name), expected, "{name}");
    }
}

#[test]
fn short_forms_of_hard_names() {
    for (name, expected) in [
        // The ethnic group is the whole place name: keep it, drop 族.
        ("东乡族自治县", &["东乡", "东乡县"][..]),
        ("鄂温克族自治旗", &["鄂温克", "鄂温克旗"]),
        ("鄂伦春自治旗", &["鄂伦春", "鄂伦春旗"]),
        // Groups written without 族.
        ("伊犁哈萨克自治州", &["伊犁", "伊犁州"]),
        ("克孜勒苏柯尔克孜自治州", &["克孜勒苏", "克孜勒苏州"]),
        ("博尔塔拉蒙古自治州", &["博尔塔拉", "博尔塔拉州"]),
        ("察布查尔锡伯自治县", &["察布查尔", "察布查尔县"]),
        // Three or four groups; 土家族 is not 土族; 各族.
        ("积石山保安族东乡族撒拉族自治县", &["积石山", "积石山县"]),
        ("双江拉祜族佤族布朗族傣族自治县", &["双江", "双江县"]),
        ("长阳土家族自治县", &["长阳", "长阳县"]),
        ("大通回族土族自治县", &["大通", "大通县"]),
        ("龙胜各族自治县", &["龙胜", "龙胜县"]),
        ("莫力达瓦达斡尔族自治旗", &["莫力达瓦", "莫力达瓦旗"]),
        // Short forms that collide with a province: reported as ambiguous.
        ("河南蒙古族自治县", &["河南", "河南县"]),
        ("海南藏族自治州", &["海南", "海南州"]),
        // Ethnic districts and townships.
        ("顺河回族区", &["顺河"]),
        ("长坪彝族乡", &["长坪"]),
        // Other suffixes.
        ("香港特别行政区", &["香港"]),
        ("锡林郭勒盟", &["锡林郭勒"]),
        ("阿里地区", &["阿里"]),
        ("南磨房地区", &["南磨房"]),
        ("粤海街道", &["粤海"]),
        ("神农架林区", &["神农架"]),
        ("六枝特区", &["六枝"]),
        ("浦东新区", &["浦东"]),
        ("鄂托克旗", &["鄂托克"]),
        ("虎门镇", &["虎门"]),
        ("巴嘎乡", &["巴嘎"]),
        ("市中区", &["市中"]),
        ("津市市", &["津市"]),
        ("沙市区", &["沙市"]),
        ("吉林省", &["吉林"]),
        ("北京市", &["北京"]),
        // Villages keep 村 / 社区.
        ("朝阳村委会", &["朝阳村"]),
        ("东村村民委员会", &["东村"]),
        ("西坝村民委员会", &["西坝村"]),
        ("朝阳社区居委会", &["朝阳社区"]),
        ("新华路社区居民委员会", &["新华路社区"]),
        ("新华居委会", &[][..]),
        ("莫𡐓村委会", &["莫𡐓村"]),
    ] {
        assert_eq!(short_forms(name), expected, "{name}");
    }
}

#[test]
fn no_short_form() {
    for name in [
        "和县",
        "城区",
        "矿区",
        "郊区",
        "苏州工业园区",
        "石家庄高新技术产业开发区",
        "乌拉盖管理区",
        "市辖区",
        "省直辖县级行政区划",
        "自治区直辖县级行政区划",
        "兵团一五二团",
        "中华人民共和国",
        "London",
        "",
        "区",
        "自治州",
        "族自治县",
    ] {
        assert_eq!(short_forms(name), Vec::<String>::new(), "{name}");
    }
}

#[test]
fn small_china_queries() -> Result<(), LookupError> {
    let h = crate::common::small_china();
    let names = h.names();
    assert_eq!(names.lookup("北京 朝阳区")?.code(), "110105");
    assert_eq!(names.lookup("吉林 长春 朝阳区")?.code(), "220104");
    assert_eq!(ambiguous(&names, "朝阳区"), ["110105", "220104"]);
    assert_eq!(ambiguous(&names, "朝阳"), ["110105", "220104"]);
    assert_eq!(names.lookup("新疆")?.code(), "65");
    assert_eq!(names.lookup("西藏")?.code(), "54");
    assert_eq!(names.lookup("深圳")?.code(), "4403");
    assert_eq!(names.lookup("深圳市")?.code(), "4403");
    assert_eq!(names.lookup("伊犁")?.code(), "6540");
    assert_eq!(names.lookup("伊犁州")?.code(), "6540");
    assert_eq!(names.lookup("南磨房")?.code(), "110105021");
    assert_eq!(names.lookup("虎门")?.code(), "441900121");
    assert_eq!(names.lookup("阿里 普兰")?.code(), "542521");
    Ok(())
}

#[test]
fn separators() -> Result<(), LookupError> {
    let h = crate::common::small_china();
    let names = h.names();
    for q in [
        "北京 朝阳区",
        "北京/朝阳区",
        " 北京 / 朝阳区 ",
        "北京//朝阳区",
        "北京\u{3000}朝阳区",
        "北京\t 朝阳区",
        "北京市 朝阳区",
        "中华人民共和国 北京 朝阳区",
    ] {
        assert_eq!(names.lookup(q)?.code(), "110105", "{q:?}");
    }
    // Parts may skip levels, and the deepest chain is followed.
    assert_eq!(names.lookup("广东 南山")?.code(), "440305");
    assert_eq!(names.lookup("广东 深圳 南山区 粤海")?.code(), "440305007");
    assert_eq!(names.lookup("新疆 伊犁 塔城地区 塔城市")?.code(), "654201");
    // A part matches strictly below the previous one, never the unit itself.
    assert!(names.candidates("北京 北京").is_empty());
    Ok(())
}

#[test]
fn exact_error_messages() {
    let h = crate::common::small_china();
    let names = h.names();
    let msg = |q: &str| names.lookup(q).unwrap_err().to_string();
    assert_eq!(
        msg("朝阳区"),
        r#""朝阳区" is ambiguous: 2 units match (110105 朝阳区, 220104 朝阳区)"#
    );
    assert_eq!(
        msg("塔城"),
        r#""塔城" is ambiguous: 2 units match (6542 塔城地区, 654201 塔城市)"#
    );
    assert_eq!(msg("广西"), r#"no unit named "广西""#);
    assert_eq!(msg(" 广西 "), r#"no unit named "广西""#);
    assert_eq!(
        msg("北京 长春"),
        r#"no unit named "长春" (in query "北京 长春")"#
    );
    assert_eq!(
        msg("上海 浦东"),
        r#"no unit named "上海" (in query "上海 浦东")"#
    );
    assert_eq!(msg(""), r#"empty name query """#);
    assert_eq!(msg(" / "), r#"empty name query " / ""#);

    assert_eq!(
        names.lookup("北京 长春").unwrap_err(),
        LookupError::NotFound {
            query: "北京 长春".into(),
            part: "长春".into()
        }
    );
    assert_eq!(
        names.lookup("\u{3000}").unwrap_err(),
        LookupError::Empty {
            query: "\u{3000}".into()
        }
    );
}

#[test]
fn every_unit_is_found_by_its_path_of_names() {
    let h = crate::common::small_china();
    let names = h.names();
    for u in h.units().skip(1) {
        let mut path: Vec<&str> = u.ancestors().map(|a| a.name()).collect();
        path.pop(); // the root
        path.reverse();
        path.push(u.name());
        for sep in [" ", "/"] {
            let q = path.join(sep);
            assert_eq!(names.lookup(&q).map(|x| x.code()), Ok(u.code()), "{q}");
        }
    }
}

#[test]
fn synthetic_hierarchy_names_are_unique() {
    let h = crate::common::synthetic(&[3, 10, 40, 100], 5).unwrap();
    let names = h.names();
    for u in h.units() {
        assert_eq!(names.lookup(u.name()), Ok(u), "{}", u.name());
    }
}

/// 通州区 in Beijing and in 南通, plus a town whose short form is also 通州.
fn tongzhou() -> Hierarchy {
    build(&[
        ("11", "北京市", Municipality, None),
        ("110112", "通州区", District, Some("11")),
        ("110112104", "永乐店镇", Town, Some("110112")),
        ("32", "江苏省", Province, None),
        ("3206", "南通市", PrefectureCity, Some("32")),
        ("320612", "通州区", District, Some("3206")),
        ("33", "浙江省", Province, None),
        ("3399", "某市", PrefectureCity, Some("33")),
        ("339901", "某县", County, Some("3399")),
        ("339901101", "通州镇", Town, Some("339901")),
    ])
}

#[test]
fn tongzhou_is_ambiguous_in_every_spelling() -> Result<(), LookupError> {
    let h = tongzhou();
    let names = h.names();
    assert_eq!(ambiguous(&names, "通州区"), ["110112", "320612"]);
    assert_eq!(codes(&names, "通州区"), ["110112", "320612"]);
    // Both districts, never one of them; the town's short form is minor
    // (below county level), so it does not add to the districts'.
    assert_eq!(ambiguous(&names, "通州"), ["110112", "320612"]);
    assert_eq!(names.lookup("通州镇")?.code(), "339901101");
    assert_eq!(names.lookup("北京 通州")?.code(), "110112");
    assert_eq!(names.lookup("江苏 通州区")?.code(), "320612");
    assert_eq!(names.lookup("南通 通州")?.code(), "320612");
    assert_eq!(names.lookup("浙江 通州")?.code(), "339901101");
    assert_eq!(names.lookup("通州 永乐店")?.code(), "110112104");
    Ok(())
}

/// 吉林省 and 吉林市 share the short form 吉林; 海南省 and 海南藏族自治州 share 海南.
fn jilin_hainan() -> Hierarchy {
    build(&[
        ("22", "吉林省", Province, None),
        ("2201", "长春市", PrefectureCity, Some("22")),
        ("220104", "朝阳区", District, Some("2201")),
        ("2202", "吉林市", PrefectureCity, Some("22")),
        ("220202", "昌邑区", District, Some("2202")),
        ("21", "辽宁省", Province, None),
        ("2113", "朝阳市", PrefectureCity, Some("21")),
        ("211321", "朝阳县", County, Some("2113")),
        ("46", "海南省", Province, None),
        ("4601", "海口市", PrefectureCity, Some("46")),
        ("63", "青海省", Province, None),
        ("6325", "海南藏族自治州", AutonomousPrefecture, Some("63")),
        ("632521", "共和县", County, Some("6325")),
    ])
}

#[test]
fn ambiguous_scopes_resolve_when_one_chain_goes_through() -> Result<(), LookupError> {
    let h = jilin_hainan();
    let names = h.names();
    assert_eq!(ambiguous(&names, "吉林"), ["22", "2202"]);
    assert_eq!(names.lookup("吉林 长春 朝阳区")?.code(), "220104");
    assert_eq!(names.lookup("吉林 昌邑")?.code(), "220202");
    // 吉林省 → 吉林市 is the only chain; 吉林市 has nothing named 吉林 below it.
    assert_eq!(names.lookup("吉林 吉林")?.code(), "2202");
    assert_eq!(names.lookup("吉林省")?.code(), "22");
    assert_eq!(ambiguous(&names, "海南"), ["46", "6325"]);
    assert_eq!(names.lookup("海南州")?.code(), "6325");
    assert_eq!(names.lookup("海南 共和")?.code(), "632521");
    assert_eq!(names.lookup("海南 海口")?.code(), "4601");
    // 朝阳: the district's short form, the city's and the county's.
    assert_eq!(ambiguous(&names, "朝阳"), ["2113", "211321", "220104"]);
    assert_eq!(names.lookup("辽宁 朝阳 朝阳")?.code(), "211321");
    Ok(())
}

#[test]
fn exact_names_take_precedence_within_the_scope() -> Result<(), LookupError> {
    let h = build(&[
        ("11", "北京市", Municipality, None),
        ("110105", "朝阳区", District, Some("11")),
        ("110105021", "朝阳", Subdistrict, Some("110105")),
        ("22", "吉林省", Province, None),
        ("2201", "长春市", PrefectureCity, Some("22")),
        ("220104", "朝阳区", District, Some("2201")),
    ]);
    let names = h.names();
    // "朝阳" is someone's exact name: it wins over both districts' short form…
    assert_eq!(names.lookup("朝阳")?.code(), "110105021");
    assert_eq!(names.lookup("北京 朝阳")?.code(), "110105021");
    // …but only where it is: in 吉林 the short form is all there is.
    assert_eq!(names.lookup("吉林 朝阳")?.code(), "220104");
    Ok(())
}

#[test]
fn major_short_forms_shadow_minor_ones() -> Result<(), LookupError> {
    let h = build(&[
        ("23", "黑龙江省", Province, None),
        ("2301", "哈尔滨市", PrefectureCity, Some("23")),
        ("230108", "平房区", District, Some("2301")),
        ("230108005", "新疆街道", Subdistrict, Some("230108")),
        (
            "230108005001",
            "新疆村委会",
            VillageCommittee,
            Some("230108005"),
        ),
        ("65", "新疆维吾尔自治区", AutonomousRegion, None),
        ("6542", "塔城地区", Prefecture, Some("65")),
        ("654201", "塔城市", CountyCity, Some("6542")),
        ("53", "云南省", Province, None),
        ("5334", "迪庆藏族自治州", AutonomousPrefecture, Some("53")),
        ("533423", "维西傈僳族自治县", AutonomousCounty, Some("5334")),
        ("533423103", "塔城镇", Town, Some("533423")),
    ]);
    let names = h.names();
    assert_eq!(names.lookup("新疆")?.code(), "65");
    assert_eq!(names.lookup("黑龙江 新疆")?.code(), "230108005");
    assert_eq!(names.lookup("新疆街道")?.code(), "230108005");
    assert_eq!(names.lookup("新疆村")?.code(), "230108005001");
    // Major forms collide with each other: still ambiguous.
    assert_eq!(ambiguous(&names, "塔城"), ["6542", "654201"]);
    assert_eq!(names.lookup("云南 塔城")?.code(), "533423103");
    assert_eq!(names.lookup("维西 塔城")?.code(), "533423103");
    Ok(())
}

#[test]
fn long_ambiguity_lists_ten_and_keeps_all() {
    let mut rows: Vec<(String, String)> = Vec::new();
    for i in 1..=12 {
        rows.push((format!("4101{i:02}"), format!("县{i}")));
    }
    let mut b = Hierarchy::builder(xzqh::china::schema())
        .profile(xzqh::china::profile())
        .unit("0", "中华人民共和国", State, None)
        .unit("41", "河南省", Province, Some("0"))
        .unit("4101", "郑州市", PrefectureCity, Some("41"));
    for (code, name) in &rows {
        b = b.unit(code, name, County, Some("4101")).unit(
            &format!("{code}101"),
            "城关镇",
            Town,
            Some(code.as_str()),
        );
    }
    let h = b.build().unwrap();
    let names = h.names();
    let err = names.lookup("城关镇").unwrap_err();
    let LookupError::Ambiguous { candidates, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(candidates.len(), 12);
    assert_eq!(
        candidates[11],
        ("410112101".to_owned(), "城关镇".to_owned())
    );
    let listed: Vec<String> = (1..=10).map(|i| format!("4101{i:02}101 城关镇")).collect();
    assert_eq!(
        err.to_string(),
        format!(
            r#""城关镇" is ambiguous: 12 units match ({}, …)"#,
            listed.join(", ")
        )
    );
    assert_eq!(names.lookup("县3 城关").unwrap().code(), "410103101");
}

#[test]
fn long_queries_are_cut_in_errors() {
    let h = crate::common::small_china();
    let names = h.names();
    let q = "无".repeat(1000);
    match names.lookup(&q).unwrap_err() {
        LookupError::NotFound { query, part } => {
            assert_eq!(query, format!("{}… (3000 bytes)", "无".repeat(64)));
            assert_eq!(part, query);
        }
        other => panic!("{other:?}"),
    }
}

/// A schema that is not China's, with names that hold spaces.
fn united_states() -> Hierarchy {
    let schema = Arc::new(
        Schema::builder("us")
            .level("country")
            .level("state")
            .level("county")
            .level("city")
            .kind("country", "Country", "country", Role::Government)
            .kind("state", "State", "state", Role::Government)
            .kind("county", "County", "county", Role::Government)
            .kind("city", "City", "city", Role::Government)
            .build()
            .unwrap(),
    );
    Hierarchy::builder(schema)
        .unit("US", "United States", "country", None)
        .unit("NY", "New York", "state", Some("US"))
        .unit("NY-047", "Kings County", "county", Some("NY"))
        .unit("NY-061", "New York County", "county", Some("NY"))
        .unit("NY-061-NYC", "New York", "city", Some("NY-061"))
        .unit("WA", "Washington", "state", Some("US"))
        .unit("WA-033", "King County", "county", Some("WA"))
        .build()
        .unwrap()
}

#[test]
fn works_on_any_hierarchy() -> Result<(), LookupError> {
    let h = united_states();
    let names = h.names();
    assert_eq!(ambiguous(&names, "New York"), ["NY", "NY-061-NYC"]);
    assert_eq!(names.lookup("New York/New York County")?.code(), "NY-061");
    assert_eq!(
        names.lookup("New York County/New York")?.code(),
        "NY-061-NYC"
    );
    assert_eq!(names.lookup("Kings County")?.code(), "NY-047");
    assert_eq!(names.lookup("Washington King County")?.code(), "WA-033");
    assert_eq!(names.lookup("Washington/King County")?.code(), "WA-033");
    assert!(names.candidates("Kings").is_empty());
    Ok(())
}

#[test]
fn the_index_is_the_hierarchys_own() -> Result<(), LookupError> {
    let shared = Arc::new(crate::common::small_china());
    let names = shared.names();
    assert!(std::ptr::eq(names.hierarchy(), &*shared));
    assert_eq!(names.lookup("北京 朝阳区")?.code(), "110105");
    assert!(format!("{names:?}").starts_with("NameIndex"));
    // Another thread, the same hierarchy.
    let other = Arc::clone(&shared);
    let code =
        std::thread::spawn(move || other.names().lookup("深圳").map(|u| u.code().to_owned()))
            .join()
            .unwrap()?;
    assert_eq!(code, "4403");
    Ok(())
}

#[test]
fn a_hierarchy_without_chinas_profile_has_no_short_forms() {
    let plain = Hierarchy::builder(xzqh::china::schema())
        .unit("0", "中华人民共和国", State, None)
        .unit("44", "广东省", Province, Some("0"))
        .unit("4403", "深圳市", PrefectureCity, Some("44"))
        .build()
        .unwrap();
    assert_eq!(plain.names().lookup("深圳市").unwrap().code(), "4403");
    assert!(plain.names().candidates("深圳").is_empty());
    let china = build(&[
        ("44", "广东省", Province, None),
        ("4403", "深圳市", PrefectureCity, Some("44")),
    ]);
    assert_eq!(china.names().lookup("深圳").unwrap().code(), "4403");
}

/// The profile's short forms of `name` as a unit of `kind`.
fn forms(name: &str, kind: ChinaKind) -> Vec<(String, FormStrength)> {
    let schema = xzqh::china::schema();
    let def = schema.kind(kind.id()).expect("a kind of China's schema");
    let mut out: Vec<ShortForm<'_>> = Vec::new();
    xzqh::china::ChinaProfile::default().short_forms(name, def, &mut out);
    out.iter().map(|f| (f.to_string(), f.strength)).collect()
}

#[test]
fn short_form_strengths_follow_the_level_and_the_tail() {
    use FormStrength::{Major, Minor, Tail};
    let f = |form: &str, s| (form.to_owned(), s);
    // County level and above: the bare form is major.
    assert_eq!(
        forms("广西壮族自治区", AutonomousRegion),
        [f("广西", Major)]
    );
    assert_eq!(forms("北京市", Municipality), [f("北京", Major)]);
    assert_eq!(forms("深圳市", PrefectureCity), [f("深圳", Major)]);
    assert_eq!(forms("阿里地区", Prefecture), [f("阿里", Major)]);
    assert_eq!(forms("锡林郭勒盟", League), [f("锡林郭勒", Major)]);
    assert_eq!(forms("南山区", District), [f("南山", Major)]);
    assert_eq!(forms("乐昌市", CountyCity), [f("乐昌", Major)]);
    assert_eq!(forms("鄂托克旗", Banner), [f("鄂托克", Major)]);
    // A form that keeps 州, 县 or 旗 is a tail form, at any level.
    assert_eq!(
        forms("延边朝鲜族自治州", AutonomousPrefecture),
        [f("延边", Major), f("延边州", Tail)]
    );
    assert_eq!(
        forms("巍山彝族回族自治县", AutonomousCounty),
        [f("巍山", Major), f("巍山县", Tail)]
    );
    assert_eq!(
        forms("鄂温克族自治旗", AutonomousBanner),
        [f("鄂温克", Major), f("鄂温克旗", Tail)]
    );
    // Below county level: minor.
    assert_eq!(forms("粤海街道", Subdistrict), [f("粤海", Minor)]);
    assert_eq!(forms("虎门镇", Town), [f("虎门", Minor)]);
    assert_eq!(forms("南磨房地区", AreaOffice), [f("南磨房", Minor)]);
    assert_eq!(forms("长坪彝族乡", EthnicTownship), [f("长坪", Minor)]);
    assert_eq!(forms("朝阳村委会", VillageCommittee), [f("朝阳村", Minor)]);
    assert_eq!(
        forms("朝阳社区居委会", ResidentsCommittee),
        [f("朝阳社区", Minor)]
    );
    // No form at all.
    assert!(forms("和县", County).is_empty());
    assert!(forms("新华居委会", ResidentsCommittee).is_empty());
    // The forms are short_forms()'s, in the same order.
    for (name, kind) in [
        ("黔东南苗族侗族自治州", AutonomousPrefecture),
        ("新疆维吾尔自治区", AutonomousRegion),
        ("粤海街道", Subdistrict),
    ] {
        let text: Vec<_> = forms(name, kind).into_iter().map(|(t, _)| t).collect();
        assert_eq!(text, short_forms(name), "{name}");
    }
}

#[test]
fn the_profile_reads_villages_only_inside_a_named_unit() {
    let p = xzqh::china::ChinaProfile::default();
    assert_eq!(p.deep_rank(), Some(xzqh::china::VILLAGE.rank()));
    assert_eq!(p.name(), "china");
}

#[test]
fn auto_traits() {
    fn shared<T: Send + Sync>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    shared::<NameIndex<'static>>();
    shared::<xzqh::china::ChinaProfile>();
    error::<LookupError>();
}

/// Queries built from pieces of real names and separators.
fn query() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "北京",
        "北京市",
        "朝阳",
        "朝阳区",
        "吉林",
        "长春",
        "塔城",
        "伊犁",
        "新疆",
        "深圳",
        "南山",
        "中华人民共和国",
        "区",
        "",
        " ",
        "/",
        "\u{3000}",
        "族",
        "自治州",
        "x",
    ]);
    prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn lookup_agrees_with_candidates(q in query()) {
        let h = crate::common::small_china();
        let names = h.names();
        let all = names.candidates(&q);
        match names.lookup(&q) {
            Ok(u) => prop_assert_eq!(&all, &vec![u]),
            Err(LookupError::Ambiguous { candidates, .. }) => {
                prop_assert!(candidates.len() > 1);
                let got: Vec<_> = all.iter().map(|u| (u.code().to_owned(), u.name().to_owned())).collect();
                prop_assert_eq!(candidates, got);
            }
            Err(LookupError::NotFound { .. } | LookupError::Empty { .. }) => prop_assert!(all.is_empty()),
            Err(e) => prop_assert!(false, "unexpected {e:?}"),
        }
        // Candidates are in code order, without repeats.
        prop_assert!(all.windows(2).all(|w| w[0].code() < w[1].code()));
    }

    #[test]
    fn never_panics(q in any::<String>(), name in any::<String>()) {
        let h = crate::common::small_china();
        let names = h.names();
        let _ = names.lookup(&q);
        let _ = names.candidates(&q);
        for form in short_forms(&name) {
            prop_assert!(form.chars().count() >= 2);
            prop_assert!(form != name);
        }
    }
}
