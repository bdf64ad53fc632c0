//! 台湾省, 香港 and 澳门: the three provincial-level units the NBS list lacks,
//! in the hierarchy, in names and text (simplified and traditional), in
//! jurisdiction, tiers and history. Golden rows in
//! `tests/data/china_provinces.csv`; routing rows in `routing_cases.csv`.

use std::collections::BTreeMap;

use xzqh::china::ChinaKind::{self, *};
use xzqh::china::PROVINCIAL;
use xzqh::{Hierarchy, Profile};

fn h() -> &'static Hierarchy {
    xzqh::china()
}

fn rows(api: &str) -> Vec<BTreeMap<String, String>> {
    crate::common::golden_csv(include_str!("../data/china_provinces.csv"))
        .into_iter()
        .filter(|r| r["api"] == api)
        .collect()
}

fn expected(row: &BTreeMap<String, String>) -> Option<&str> {
    Some(row["expected"].as_str()).filter(|e| *e != "none")
}

#[test]
fn golden_codes() {
    for row in rows("code") {
        let got = h().by_code(&row["input"]).map(|u| u.code());
        assert_eq!(got, expected(&row), "{}", row["input"]);
    }
}

#[test]
fn golden_names() {
    let names = h().names();
    for row in rows("name") {
        let got = names.lookup(&row["input"]);
        if row["expected"] == "ambiguous" {
            assert!(
                matches!(got, Err(xzqh::LookupError::Ambiguous { .. })),
                "{}: {got:?}",
                row["input"]
            );
            continue;
        }
        let got = got.map(|u| u.code()).ok();
        assert_eq!(got, expected(&row), "{}: {}", row["input"], row["note"]);
    }
}

fn check_addresses(api: &str) {
    let resolver = h().addresses().unwrap();
    let mut failures = Vec::new();
    for row in rows(api) {
        let r = resolver.resolve(&row["input"]);
        let got = (r.unit().map(|u| u.code()), r.remainder());
        if got != (expected(&row), row["remainder"].as_str()) {
            failures.push(format!("{}: got {got:?}", row["input"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn golden_addresses() {
    check_addresses("address");
}

#[test]
#[ignore = "needs the address resolver to read text through Profile::fold (src/address)"]
fn golden_addresses_in_traditional_characters() {
    check_addresses("address_folded");
}

#[test]
fn thirty_four_provincial_level_units_thirty_one_in_the_nbs_list() {
    let h = h();
    let provincial: Vec<_> = h.units().filter(|u| u.level() == PROVINCIAL).collect();
    assert_eq!(provincial.len(), 34);
    assert!(provincial.iter().all(|u| u.parent() == Some(h.root())));
    let not_nbs = h.schema().designation_id("not_nbs").unwrap();
    let outside: Vec<_> = provincial
        .iter()
        .filter(|u| u.has(not_nbs))
        .map(|u| (u.code(), u.name(), ChinaKind::from_id(u.kind_id()).unwrap()))
        .collect();
    assert_eq!(
        outside,
        [
            ("71", "台湾省", Province),
            ("81", "香港特别行政区", SpecialAdministrativeRegion),
            ("82", "澳门特别行政区", SpecialAdministrativeRegion),
        ]
    );
    assert_eq!(provincial.len() - outside.len(), 31);
    // The root's children: the 34 and the Corps.
    assert_eq!(h.root().children().count(), 34 + 1);
    // The breakdown of provincial-level units counts them too.
    let b = h.tier_breakdown(h.root(), PROVINCIAL).unwrap();
    assert_eq!(b.to_string(), "1-tier: 34");
}

#[test]
fn subdivisions_of_hong_kong_and_macau() {
    let h = h();
    let hk = h.by_code("81").unwrap();
    let areas: Vec<_> = hk.children().map(|u| u.name()).collect();
    assert_eq!(areas, ["香港岛", "九龙", "新界"]);
    let districts: Vec<_> = hk
        .descendants()
        .filter(|u| u.kind_id() == SarDistrict.id())
        .collect();
    assert_eq!(districts.len(), 18);
    let mo = h.by_code("82").unwrap();
    let parishes: Vec<_> = mo
        .descendants()
        .filter(|u| u.kind_id() == Parish.id())
        .map(|u| u.name())
        .collect();
    assert_eq!(
        parishes,
        [
            "大堂区",
            "望德堂区",
            "风顺堂区",
            "花地玛堂区",
            "圣安多尼堂区",
            "嘉模堂区",
            "圣方济各堂区"
        ]
    );
    assert_eq!(h.by_code("71").unwrap().children().count(), 0);
    // Every code below 81 and 82 is xzqh's own, and says so.
    let not_gbt = h.schema().designation_id("not_gbt2260").unwrap();
    for u in hk.descendants().chain(mo.descendants()) {
        assert!(u.has(not_gbt), "{}", u.code());
        let digits: u8 = u.code()[2..4].parse().unwrap();
        assert!((81..=89).contains(&digits), "{}", u.code());
    }
    assert!(!hk.has(not_gbt));
}

/// Every Hong Kong and Macau unit by its name in traditional characters
/// (the source's column, which hanconv wrote), folded by the profile.
#[test]
fn traditional_names_read_as_the_units() {
    let source = include_str!("../../data/china/source/hk_mo_tw.csv");
    let names = h().names();
    let profile = xzqh::china::profile();
    for line in source.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (code, name, traditional) = (f[0], f[1], f[4]);
        let folded: String = traditional.chars().map(|c| profile.fold(c)).collect();
        assert_eq!(folded, name, "{code}");
        // Scoped by the SAR below it, as district names repeat (东区 and 北区
        // are on the mainland too).
        let query = match (code.len(), &code[..2]) {
            (2, _) => traditional.to_owned(),
            (_, "81") => format!("香港 {traditional}"),
            _ => format!("澳門 {traditional}"),
        };
        assert_eq!(names.lookup(&query).map(|u| u.code()), Ok(code), "{query}");
    }
}

/// The traditional-text rows resolve once the text is folded first: the
/// data side of what the resolver will do when it reads text through the
/// profile's fold (the remainder is then in simplified characters).
#[test]
fn golden_addresses_in_traditional_characters_folded_first() {
    let resolver = h().addresses().unwrap();
    let profile = xzqh::china::profile();
    for row in rows("address_folded") {
        let text: String = row["input"].chars().map(|c| profile.fold(c)).collect();
        let got = resolver.resolve(&text).unit().map(|u| u.code());
        assert_eq!(got, expected(&row), "{text}");
    }
}

/// The fold against the conversion crate itself, character by character,
/// over the CJK blocks: OpenCC's traditional → simplified, else its HK
/// variants, else its TW variants (each of them converted on their own).
#[test]
fn the_fold_is_the_conversion_crates_one_character_at_a_time() {
    let p = xzqh::china::profile();
    let blocks = [0x3400..0xA000u32, 0xF900..0xFB00, 0x20000..0x2B820];
    let mut folded = 0;
    for c in blocks.into_iter().flatten().filter_map(char::from_u32) {
        let s = c.to_string();
        let reference = [hanconv::t2s(&s), hanconv::hk2s(&s), hanconv::tw2s(&s)]
            .into_iter()
            .find(|r| *r != s && r.chars().count() == 1)
            .map_or(c, |r| r.chars().next().unwrap());
        assert_eq!(p.fold(c), reference, "{c} U+{:X}", c as u32);
        folded += usize::from(reference != c);
    }
    assert!(folded > 4_000, "{folded} characters fold");
}

#[test]
fn jurisdiction_and_tiers_as_for_any_provincial_level_unit() {
    let h = h();
    let unit = |c: &str| h.by_code(c).unwrap();
    let (hk, kowloon_city) = (unit("81"), unit("818203"));
    assert_eq!(h.governs(hk, kowloon_city).unwrap().distance, 2);
    assert!(h.governs(unit("44"), kowloon_city).is_none());
    assert!(h.governs(h.root(), kowloon_city).is_some());
    assert_eq!(h.lca_of([kowloon_city, unit("828201")]), Some(h.root()));
    for code in ["71", "81", "82"] {
        let u = unit(code);
        assert_eq!((u.tiers(), u.administrative_levels()), (1, 1), "{code}");
    }
    // A district is an agency of the SAR government; an area and a parish
    // are functional: one tier below the State either way.
    assert_eq!(
        (kowloon_city.tiers(), kowloon_city.administrative_levels()),
        (1, 2)
    );
    let parish = unit("828201");
    assert_eq!((parish.tiers(), parish.administrative_levels()), (1, 1));
}

#[test]
fn the_profile_folds_traditional_characters() {
    let p = xzqh::china::profile();
    let fold = |s: &str| s.chars().map(|c| p.fold(c)).collect::<String>();
    assert_eq!(fold("香港九龍城區"), "香港九龙城区");
    assert_eq!(fold("臺灣臺北"), "台湾台北");
    assert_eq!(fold("區縣鎮鄉東廣"), "区县镇乡东广");
    assert_eq!(fold("北京市朝阳区 No.1"), "北京市朝阳区 No.1");
    // The plain profile folds nothing.
    assert_eq!(xzqh::PlainProfile.fold('區'), '區');
}

/// Every unit at county level and above whose name is unique, written in
/// traditional characters by the conversion crate (s2t, which converts by
/// phrase and so is an independent reference for the per-character fold),
/// reads as itself; except seven whose traditional spelling OpenCC takes
/// from place-name phrases (慈谿 for 慈溪, 濬縣 for 浚县, 澂江 for 澄江): 谿,
/// 濬 and 澂 are characters of their own in simplified text too, so no
/// character table folds them.
#[test]
fn every_unique_name_reads_in_traditional_characters() {
    let h = h();
    let names = h.names();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for u in h.units() {
        *counts.entry(u.name()).or_default() += 1;
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for u in h
        .units()
        .filter(|u| u.level().rank() <= 3 && counts[u.name()] == 1)
    {
        let traditional = hanconv::s2t(u.name());
        if traditional == u.name() {
            continue;
        }
        checked += 1;
        if names.lookup(&traditional).map(|v| v.code()) != Ok(u.code()) {
            failures.push(format!("{} {} as {traditional}", u.code(), u.name()));
        }
    }
    assert!(checked > 2_000, "{checked} names checked");
    assert_eq!(
        failures,
        [
            "330282 慈溪市 as 慈谿市",
            "330781 兰溪市 as 蘭谿市",
            "361028 资溪县 as 資谿縣",
            "410621 浚县 as 濬縣",
            "420324 竹溪县 as 竹谿縣",
            "431223 辰溪县 as 辰谿縣",
            "530481 澄江市 as 澂江市",
        ]
    );
}
