#![cfg(feature = "history")]
//! The code history: golden cases, later changes, exact errors, and the
//! exhaustive property against a hierarchy of every 2023 code.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use proptest::prelude::*;
use xzqh::Hierarchy;
use xzqh::china::ChinaKind::*;
use xzqh::china::history::{ChangeKind, History, HistoryError, Status, data_code};

fn tree() -> &'static Hierarchy {
    static TREE: OnceLock<Hierarchy> = OnceLock::new();
    TREE.get_or_init(crate::common::history::tree_2023)
}

fn history() -> &'static History {
    History::embedded()
}

fn kinds<'a>(changes: impl Iterator<Item = xzqh::china::history::Change<'a>>) -> String {
    changes
        .map(|c| c.kind().name())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn golden_cases() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/history_cases.csv"
    ))
    .expect("golden file");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("input,year,status,units,changes,moved,later,notes")
    );
    let h = history();
    let mut seen_kinds = BTreeSet::new();
    let (mut rows, mut splits, mut long_chains) = (0, 0, 0);
    for (i, line) in lines.enumerate() {
        let line_no = i + 2;
        let f: Vec<&str> = line.splitn(8, ',').collect();
        assert_eq!(f.len(), 8, "line {line_no}");
        let (input, year) = (f[0], f[1].parse::<u16>().expect("year"));
        rows += 1;
        if !input.bytes().all(|b| b.is_ascii_digit()) {
            let codes: Vec<_> = h
                .resolve_name(input, year)
                .unwrap_or_else(|e| panic!("line {line_no}: {e}"))
                .map(|r| r.code())
                .collect();
            assert_eq!(codes.join(" "), f[3], "line {line_no}: {input} in {year}");
            continue;
        }
        let r = h
            .resolve(input, year, tree())
            .unwrap_or_else(|e| panic!("line {line_no}: {e}"));
        let status = match f[2] {
            "current" => Status::Current,
            "changed" => Status::Changed,
            "later" => Status::Later,
            "abolished" => Status::Abolished,
            "unmapped" => Status::Unmapped,
            other => panic!("line {line_no}: unknown status {other}"),
        };
        let ctx = format!("line {line_no}: {input} as of {year}:\n{r}");
        assert_eq!(r.status(), status, "{ctx}");
        let records: Vec<_> = r.records().map(|r| r.code()).collect();
        assert_eq!(records.join(" "), f[3], "{ctx}");
        let units: Vec<_> = r.units().map(|u| u.code()).collect();
        let expected: Vec<_> = f[3]
            .split(' ')
            .map(crate::common::history::data_form)
            .collect();
        assert_eq!(units, expected, "{ctx}");
        assert_eq!(kinds(r.changes()), f[4], "{ctx}");
        assert_eq!(kinds(r.moved()), f[5], "{ctx}");
        assert_eq!(kinds(r.later()), f[6], "{ctx}");
        for c in r.changes().chain(r.moved()).chain(r.later()) {
            seen_kinds.insert(c.kind());
        }
        splits += r.changes().any(|c| c.kind() == ChangeKind::Split) as usize;
        long_chains += (r.changes().count() >= 3) as usize;
    }
    assert!(rows >= 30, "{rows} golden rows");
    assert_eq!(seen_kinds, ChangeKind::ALL.into_iter().collect());
    assert!(splits >= 3 && long_chains >= 3);
}

#[test]
fn a_merged_prefecture_and_a_recoded_district() {
    let h = history();
    let r = h.resolve("371200", 1995, tree()).unwrap();
    let c = r.changes().next().unwrap();
    assert_eq!(
        (c.kind(), c.date().to_string().as_str(), c.to().code()),
        (ChangeKind::Merge, "2018-12-26", "370100")
    );
    assert_eq!(r.units().next().unwrap().code(), "3701");
    let r = h.resolve("371202", 2005, tree()).unwrap();
    assert_eq!(r.changes().next().unwrap().kind(), ChangeKind::RecodeRename);
    assert_eq!(r.units().next().unwrap().name(), "莱芜区");
    assert_eq!(
        r.to_string(),
        "371202 (2005): changed → 370116 莱芜区\n  \
         2018-12-26 recode_rename: 371202 莱城区 → 370116 莱芜区 (国函〔2018〕163号)\n  \
         part moved: 2006 transfer: 371202 莱城区 → 371203 钢城区 (鲁政字〔2006〕168号)"
    );
}

/// A hierarchy as NBS 2023 has it around the later changes: no 653228,
/// 653229 or 500157; no 460302 / 460303; no Hong Kong.
fn nbs_like() -> Hierarchy {
    Hierarchy::builder(xzqh::china::schema())
        .profile(xzqh::china::profile())
        .unit("0", "中华人民共和国", State, None)
        .unit("46", "海南省", Province, Some("0"))
        .unit("4603", "三沙市", PrefectureCity, Some("46"))
        .unit("460321", "西沙群岛", CountyZone, Some("4603"))
        .unit("50", "重庆市", Municipality, Some("0"))
        .unit("500105", "江北区", District, Some("50"))
        .unit("500109", "北碚区", District, Some("50"))
        .unit("500112", "渝北区", District, Some("50"))
        .unit("65", "新疆维吾尔自治区", AutonomousRegion, Some("0"))
        .unit("6532", "和田地区", Prefecture, Some("65"))
        .unit("653221", "和田县", County, Some("6532"))
        .unit("653223", "皮山县", County, Some("6532"))
        .build()
        .unwrap()
}

#[test]
fn later_changes_resolve_to_the_tree_as_it_stands() {
    let h = history();
    let t = nbs_like();
    let r = h.resolve("500112", 2025, &t).unwrap();
    assert_eq!(r.status(), Status::Later);
    assert_eq!(r.units().map(|u| u.code()).collect::<Vec<_>>(), ["500112"]);
    let later: Vec<_> = r.later().map(|c| c.to_string()).collect();
    assert_eq!(
        later,
        [
            "2025-11-07 split: 500112 渝北区 → 500109 北碚区 (渝府发〔2025〕15号)",
            "2025-11-07 split: 500112 渝北区 → 500157 两江新区 (渝府发〔2025〕15号)",
        ]
    );
    assert_eq!(
        r.latest().map(|r| r.to_string()).collect::<Vec<_>>(),
        ["500109 北碚区", "500157 两江新区"]
    );
    assert!(r.changes().next().is_none());
    // A record of 2023 gets the same answer: the hierarchy has 500112.
    assert_eq!(
        h.resolve("500112", 2023, &t).unwrap().status(),
        Status::Later
    );

    let r = h.resolve("500105", 2025, &t).unwrap();
    assert_eq!(r.status(), Status::Later);
    assert_eq!(r.units().next().unwrap().code(), "500105");
    assert_eq!(
        r.later().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["2025-11-07 merge: 500105 江北区 → 500157 两江新区 (渝府发〔2025〕15号)"]
    );

    // 和康县 is not in NBS 2023: the unit it came from answers.
    let r = h.resolve("653228", 2024, &t).unwrap();
    assert_eq!(r.status(), Status::Later);
    assert_eq!(r.units().map(|u| u.name()).collect::<Vec<_>>(), ["皮山县"]);
    assert_eq!(
        r.later().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["2024-12-27 establish: 653223 皮山县 → 653228 和康县"]
    );
    assert_eq!(r.latest().next().unwrap().code(), "653228");
    assert_eq!(
        h.resolve("653228", 2023, &t).unwrap_err().to_string(),
        "code 653228 was not in use in 2023 (in use 2024-2025)"
    );
    // 皮山县 itself continues; the later establishment is reported.
    let r = h.resolve("653223", 2020, &t).unwrap();
    assert_eq!(r.status(), Status::Current);
    assert_eq!(r.later().count(), 1);

    let r = h.resolve("500157", 2025, &t).unwrap();
    assert_eq!(
        r.units().map(|u| u.code()).collect::<Vec<_>>(),
        ["500105", "500109", "500112"]
    );
    assert!(r.is_ambiguous());
}

#[test]
fn later_changes_are_the_2024_2025_tables_and_one_late_2023_transfer() {
    let h = history();
    let later: Vec<_> = h.later_changes().collect();
    assert_eq!(later.len(), 18);
    assert!(later.iter().all(|c| c.is_later()));
    assert!(
        later
            .iter()
            .all(|c| c.table_year() >= 2024 || c.date().to_string() == "2024-01-30")
    );
    assert_eq!(
        h.changes().filter(|c| c.table_year() >= 2024).count(),
        17,
        "every change of the 2024 and 2025 tables is later"
    );
    let codes: BTreeSet<_> = later.iter().map(|c| c.to().code()).collect();
    for c in ["653228", "653229", "500157"] {
        assert!(codes.contains(c));
    }
}

#[test]
fn unmapped_codes_fall_back_to_the_enclosing_unit() {
    let h = history();
    let t = nbs_like();
    let resolver = h.resolver(&t);
    let r = resolver.resolve("460302", 2023).unwrap();
    assert_eq!(r.status(), Status::Unmapped);
    assert_eq!(r.units().map(|u| u.code()).collect::<Vec<_>>(), ["4603"]);
    let r = resolver.resolve("500157", 2025).unwrap();
    assert_eq!(r.units().count(), 3);
    let r = h.resolve("460302", 2023, &t).unwrap();
    assert_eq!(r.status(), Status::Unmapped);
    assert_eq!(r.units().map(|u| u.code()).collect::<Vec<_>>(), ["4603"]);
    assert_eq!(r.records().next().unwrap().name(), "西沙区");
    let r = h.resolve("810000", 2000, &t).unwrap();
    assert_eq!(r.status(), Status::Unmapped);
    assert_eq!(r.units().count(), 0);
}

#[test]
fn exact_error_messages() {
    let h = history();
    let t = tree();
    let resolver = h.resolver(t);
    let msg = |code: &str, year| {
        let e = h.resolve(code, year, t).unwrap_err();
        assert_eq!(resolver.resolve(code, year).unwrap_err(), e);
        e.to_string()
    };
    assert_eq!(
        msg("999999", 2000),
        "unknown code 999999: not in any yearly table"
    );
    assert_eq!(
        msg("37011", 2000),
        "unknown code 37011: not in any yearly table"
    );
    assert_eq!(msg("", 2000), "unknown code : not in any yearly table");
    assert_eq!(
        msg("371200", 1991),
        "code 371200 was not in use in 1991 (in use 1992-2018)"
    );
    assert_eq!(
        msg("130107", 1990),
        "code 130107 was not in use in 1990 (in use 1983-1989, 1992-2025)"
    );
    assert_eq!(
        msg("371200", 1980),
        "year 1980 is outside the history (1981-2025)"
    );
    assert_eq!(
        h.resolve("371200", 1991, t).unwrap_err(),
        HistoryError::NotValidIn {
            code: "371200".into(),
            year: 1991,
            valid: vec![1992..=2018],
        }
    );
    assert_eq!(
        h.resolve("999999", 2000, t).unwrap_err(),
        HistoryError::UnknownCode {
            code: "999999".into()
        }
    );
    assert_eq!(
        h.resolve_name("不存在县", 2000).unwrap_err().to_string(),
        "unknown name 不存在县: not in any yearly table"
    );
    assert_eq!(
        h.resolve_name("莱城区", 2019).unwrap_err().to_string(),
        "name 莱城区 was not in use in 2019 (in use 1992-2018)"
    );
    assert_eq!(
        h.resolve_name("莱城区", 2026).unwrap_err().to_string(),
        "year 2026 is outside the history (1981-2025)"
    );
}

#[test]
fn codes_in_data_form_are_accepted() {
    let h = history();
    assert_eq!(h.resolve("3712", 2000, tree()).unwrap().code(), "371200");
    assert_eq!(h.resolve("37", 2000, tree()).unwrap().code(), "370000");
    assert_eq!(data_code("460000"), "46");
    for r in h.valid_in(2023).take(50) {
        assert_eq!(
            data_code(r.code()),
            crate::common::history::data_form(r.code())
        );
    }
}

#[test]
fn as_of_year_views() {
    let h = history();
    assert_eq!(h.name_in("130503", 2019), Some("桥西区"));
    assert_eq!(h.name_in("130503", 2020), Some("信都区"));
    assert_eq!(h.name_in("999999", 2020), None);
    // valid_in = in the table of the year or of the year before
    let intervals = crate::common::history::intervals();
    for year in [1981, 1995, 2018, 2019, 2025] {
        let expected = intervals
            .iter()
            .filter(|i| i.first <= year && year <= (i.last + 1).min(2025))
            .count();
        assert_eq!(h.valid_in(year).count(), expected, "{year}");
    }
    let succ: Vec<_> = h.successors("500112").map(|c| c.to().code()).collect();
    assert_eq!(succ, ["500109", "500157"]);
    let pred: Vec<_> = h
        .predecessors("500157")
        .map(|c| c.from().unwrap().code())
        .collect();
    assert_eq!(pred, ["500105", "500109", "500112"]);
    let d = h.changes_between(2017, 2018);
    let text = d.to_string();
    assert!(
        text.contains("\n  2018-12-26 merge: 371200 莱芜市 → 370100 济南市 (国函〔2018〕163号)\n")
    );
    assert!(text.contains("\n- 371200 莱芜市\n"));
    assert!(text.contains("\n+ 370116 莱芜区\n"));
    assert_eq!(h.changes_between(2018, 2018).changes().count(), 0);
    assert_eq!(h.changes_between(2019, 2018).changes().count(), 0);
    let all = h.changes_between(1981, 2025);
    assert_eq!(all.changes().count(), h.changes().count());
}

#[test]
fn current_is_the_latest_use_of_the_code() {
    let h = history();
    let t = tree();
    let r = h.current("371200", t).unwrap();
    assert_eq!((r.year(), r.status()), (2018, Status::Changed));
    assert_eq!(r.units().next().unwrap().code(), "3701");
    let r = h.current("370116", t).unwrap();
    assert_eq!(r.status(), Status::Current);
    assert_eq!(r.changes().count(), 0);
    let r = h.current("500112", t).unwrap();
    assert_eq!((r.year(), r.status()), (2025, Status::Later));
    assert!(h.current("999999", t).is_err());
    let resolver = h.resolver(t);
    for code in ["371200", "370116", "500112", "420703", "653228"] {
        let (a, b) = (h.current(code, t).unwrap(), resolver.current(code).unwrap());
        assert_eq!(a.to_string(), b.to_string());
    }
    assert_eq!(
        resolver.current("999999").unwrap_err().to_string(),
        "unknown code 999999: not in any yearly table"
    );
}

/// Every code in use in every year resolves, never an error, to units that
/// exist in a hierarchy of all 2023 codes, or to a recorded abolition.
#[test]
fn every_code_of_every_year_resolves() {
    let h = history();
    let t = tree();
    let resolver = h.resolver(t);
    let intervals = crate::common::history::intervals();
    let mut n = 0;
    for year in 1981..=2025u16 {
        for i in intervals
            .iter()
            .filter(|i| i.first <= year && year <= (i.last + 1).min(2025))
        {
            let r = h
                .resolve(&i.code, year, t)
                .unwrap_or_else(|e| panic!("{} in {year}: {e}", i.code));
            n += 1;
            let fast = resolver.resolve(&i.code, year).unwrap();
            assert_eq!(fast.status(), r.status());
            assert!(fast.units().eq(r.units()), "{r}");
            assert!(fast.changes().eq(r.changes()));
            match r.status() {
                Status::Abolished => assert_eq!(r.units().count(), 0),
                Status::Unmapped => panic!("{r}"),
                _ => {
                    assert!(r.units().count() >= 1, "{r}");
                    assert_eq!(r.units().count(), r.records().count(), "{r}");
                    for (u, rec) in r.units().zip(r.records()) {
                        assert_eq!(u.code(), data_code(rec.code()));
                        assert_eq!(u.name(), rec.name());
                    }
                }
            }
            if r.status() == Status::Current {
                assert_eq!(r.units().next().unwrap().code(), data_code(&i.code));
            }
        }
    }
    assert!(n > 140_000, "{n} resolutions");
}

fn naive() -> &'static crate::common::history::Naive {
    static NAIVE: OnceLock<crate::common::history::Naive> = OnceLock::new();
    NAIVE.get_or_init(crate::common::history::Naive::load)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The precomputed answer equals a reference that scans the CSV rows.
    #[test]
    fn resolve_matches_the_reference(pick in 0usize..6824, offset in 0u16..64) {
        let naive = naive();
        let i = &naive.intervals[pick % naive.intervals.len()];
        let (first, last) = (i.first, (i.last + 1).min(2025));
        let year = first + offset % (last - first + 1);
        let expected = naive.resolve(&i.code, year).expect("in use");
        let r = history().resolve(&i.code, year, tree()).expect("in use");
        let tree: BTreeSet<String> = r.records().map(|r| r.code().to_owned()).collect();
        prop_assert_eq!(&tree, &expected.tree, "{}", r);
        let chain: BTreeSet<String> = r
            .changes()
            .map(|c| {
                format!("{} {} {} {}", c.date(), c.from().unwrap().code(), c.to().code(), c.kind())
            })
            .collect();
        prop_assert_eq!(&chain, &expected.chain, "{}", r);
        prop_assert_eq!(r.status() == Status::Later, expected.later, "{}", r);
    }

    /// Any year outside a code's use is an error naming the years of use.
    #[test]
    fn years_outside_use_are_errors(pick in 0usize..6451, year in 1981u16..=2025) {
        let h = history();
        let code = h.valid_in(2025).chain(h.records("110103")).nth(pick % 3000).unwrap().code();
        let in_use = h.records(code).any(|r| r.in_use().contains(&year));
        match h.resolve(code, year, tree()) {
            Ok(_) => prop_assert!(in_use),
            Err(HistoryError::NotValidIn { valid, .. }) => {
                prop_assert!(!in_use);
                prop_assert!(!valid.iter().any(|v| v.contains(&year)));
            }
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}

#[test]
fn auto_traits() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<History>();
    send_sync::<xzqh::china::history::Succession<'static>>();
    send_sync::<xzqh::china::history::Resolver<'static>>();
    send_sync::<HistoryError>();
    send_sync::<xzqh::china::DataError>();
    send_sync::<xzqh::china::ChinaProfile>();
}

fn date(y: u16, m: u8, d: u8) -> xzqh::china::Date {
    xzqh::china::Date::new(y, m, d).unwrap()
}

/// A hierarchy of codes as they stood at the end of 2024 (和康县 and 和安县
/// exist), with the given profile.
fn tree_2024(profile: xzqh::china::ChinaProfile) -> Hierarchy {
    Hierarchy::builder(xzqh::china::schema())
        .profile(std::sync::Arc::new(profile))
        .unit("0", "中华人民共和国", State, None)
        .unit("53", "云南省", Province, Some("0"))
        .unit("5306", "昭通市", PrefectureCity, Some("53"))
        .unit("530602", "昭阳区", District, Some("5306"))
        .unit("530624", "大关县", County, Some("5306"))
        .unit("65", "新疆维吾尔自治区", AutonomousRegion, Some("0"))
        .unit("6532", "和田地区", Prefecture, Some("65"))
        .unit("653221", "和田县", County, Some("6532"))
        .unit("653223", "皮山县", County, Some("6532"))
        .unit("653228", "和康县", County, Some("6532"))
        .unit("653229", "和安县", County, Some("6532"))
        .build()
        .unwrap()
}

#[test]
fn the_default_profile_cuts_at_the_embedded_data_date() {
    let p = xzqh::china::ChinaProfile::default();
    assert_eq!(p.data_date(), date(2023, 6, 30));
    assert_eq!(History::embedded().cutoff(), p.data_date());
    assert!(std::ptr::eq(p.history(), History::embedded()));
    // Asking for the embedded date again shares the embedded history.
    let same = xzqh::china::ChinaProfile::with_data_date(date(2023, 6, 30)).unwrap();
    assert!(std::ptr::eq(same.history(), History::embedded()));
    let again = History::embedded().with_cutoff(date(2023, 6, 30)).unwrap();
    assert_eq!(
        again.later_changes().count(),
        History::embedded().later_changes().count()
    );
}

#[test]
fn a_2024_profile_resolves_the_2024_changes_into_the_hierarchy() {
    let p2023 = xzqh::china::ChinaProfile::default();
    let p2024 = xzqh::china::ChinaProfile::with_data_date(date(2024, 12, 31)).unwrap();
    let (old, new) = (tree_2024(p2023.clone()), tree_2024(p2024.clone()));
    let (h2023, h2024) = (p2023.history(), p2024.history());
    assert_eq!(h2024.cutoff().to_string(), "2024-12-31");

    // 和康县, established 2024-12-27: newer than 2023 data, in 2024 data.
    let s = h2023.resolve("653228", 2024, &old).unwrap();
    assert_eq!(s.status(), Status::Later);
    assert_eq!(s.units().map(|u| u.code()).collect::<Vec<_>>(), ["653223"]);
    let s = h2024.resolve("653228", 2024, &new).unwrap();
    assert_eq!(s.status(), Status::Current);
    assert_eq!(s.units().map(|u| u.code()).collect::<Vec<_>>(), ["653228"]);
    assert_eq!(s.later().count(), 0);

    // The 2024-01-30 transfer out of 昭阳区: later for 2023, a moved part for 2024.
    let transfer = "2024-01-30 transfer: 530602 昭阳区 → 530624 大关县";
    let s = h2023.resolve("530602", 2023, &old).unwrap();
    assert_eq!(
        s.later().map(|c| c.to_string()).collect::<Vec<_>>(),
        [transfer]
    );
    assert_eq!(s.moved().count(), 0);
    let s = h2024.resolve("530602", 2023, &new).unwrap();
    assert_eq!(s.later().count(), 0);
    assert_eq!(
        s.moved().map(|c| c.to_string()).collect::<Vec<_>>(),
        [transfer]
    );

    // Only the 2025 table's changes are later than 2024-12-31.
    assert_eq!(h2024.later_changes().count(), 5);
    assert!(h2024.later_changes().all(|c| c.table_year() == 2025));
    assert!(h2024.later_changes().all(|c| c.is_later()));
}

#[test]
fn a_mid_2024_cutoff_keeps_codes_made_after_it_out() {
    // Data of 2024-06-30 has no 和康县 although the 2024 table does.
    let h = History::embedded().with_cutoff(date(2024, 6, 30)).unwrap();
    let t = nbs_like();
    let s = h.resolve("653228", 2024, &t).unwrap();
    assert_eq!(s.status(), Status::Later);
    assert_eq!(s.units().map(|u| u.name()).collect::<Vec<_>>(), ["皮山县"]);
    assert_eq!(
        s.later().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["2024-12-27 establish: 653223 皮山县 → 653228 和康县"]
    );
    // The May transfers are before it, the July ones after.
    let later: Vec<_> = h.later_changes().map(|c| c.date().to_string()).collect();
    assert!(later.iter().all(|d| d.as_str() > "2024-06-30"), "{later:?}");
    assert_eq!(later.len(), 10);
}

#[test]
fn successions_route_a_2025_split_only_with_a_2025_data_date() {
    // A hierarchy of 2025 data: 渝北区 split into 北碚区 and 两江新区.
    let tree = |profile: xzqh::china::ChinaProfile| {
        Hierarchy::builder(xzqh::china::schema())
            .profile(std::sync::Arc::new(profile))
            .unit("0", "中华人民共和国", State, None)
            .unit("50", "重庆市", Municipality, Some("0"))
            .unit("500109", "北碚区", District, Some("50"))
            .unit("500157", "两江新区", District, Some("50"))
            .build()
            .unwrap()
    };
    let p2025 = xzqh::china::ChinaProfile::with_data_date(date(2025, 12, 31)).unwrap();
    let h = tree(p2025);
    let succ = h.successions().expect("China's profile has a history");
    let mut units = Vec::new();
    let change = succ
        .successors(&h, "500112", &mut units)
        .expect("split in 2025");
    let codes: Vec<_> = units.iter().map(|&u| h.get(u).unwrap().code()).collect();
    assert_eq!(codes, ["500109", "500157"]);
    let mut text = String::new();
    succ.describe(change, &mut text).unwrap();
    assert_eq!(
        text,
        "2025-11-07 split: 500112 渝北区 → 500157 两江新区 (渝府发〔2025〕15号)"
    );

    // With the 2023 profile the split is later than the data: not followed.
    let h = tree(xzqh::china::ChinaProfile::default());
    let mut units = Vec::new();
    let succ = h.successions().unwrap();
    assert_eq!(succ.successors(&h, "500112", &mut units), None);
    assert!(units.is_empty());
}

#[test]
fn successions_are_built_once_and_agree_with_a_resolver() {
    let h = tree();
    let succ = h.successions().expect("China's profile has a history");
    assert!(std::ptr::addr_eq(succ, h.successions().unwrap()));
    let history = History::embedded();
    let resolver = history.resolver(h);
    let mut routed = 0;
    for r in history.valid_in(2025).chain(history.valid_in(1990)) {
        let mut units = Vec::new();
        let got = succ.successors(h, r.code(), &mut units);
        let s = resolver.current(r.code()).unwrap();
        match got {
            Some(change) => {
                routed += 1;
                let last = s.changes().last().expect("a change was followed");
                assert_eq!(history.change(change.0 as usize), Some(last));
                let expected: Vec<_> = s.units().map(|u| u.id()).collect();
                assert_eq!(units, expected, "{s}");
            }
            None => {
                assert!(units.is_empty());
                assert!(
                    s.changes().next().is_none() || s.units().count() == 0,
                    "{s}"
                );
            }
        }
    }
    assert!(routed > 1_500, "{routed} codes routed");
    // Old names for reading text: 莱城区 covers today's 莱芜区.
    let old = succ.old_names(h);
    let laicheng = old.iter().find(|o| o.name == "莱城区").expect("莱城区");
    let units: Vec<_> = laicheng
        .units
        .iter()
        .map(|&u| h.get(u).unwrap().code())
        .collect();
    assert_eq!(units, ["370116"]);
    // Other written forms of a superseded code route too.
    for form in ["371200", "3712", "371200000000"] {
        let mut units = Vec::new();
        assert!(succ.successors(h, form, &mut units).is_some(), "{form}");
        assert_eq!(h.get(units[0]).unwrap().code(), "3701", "{form}");
    }
    let mut units = Vec::new();
    assert_eq!(succ.successors(h, "371202001000", &mut units), None); // a township
    assert_eq!(succ.successors(h, "3712x0", &mut units), None);
    assert!(units.is_empty());
    // Another hierarchy's ids are never given out.
    let other = nbs_like();
    let mut units = Vec::new();
    assert_eq!(succ.successors(&other, "371200", &mut units), None);
    assert!(succ.old_names(&other).is_empty());
}

#[test]
fn every_data_date_builds_its_tables() {
    let h = History::embedded();
    for (year, end) in (1981..=2025).flat_map(|y| [(y, date(y, 6, 30)), (y, date(y, 12, 31))]) {
        let cut = h.with_cutoff(end).unwrap();
        assert_eq!(cut.changes().count(), h.changes().count());
        let later = |c: &xzqh::china::history::Change<'_>| c.table_year() > year || c.date() > end;
        assert!(cut.later_changes().all(|c| later(&c)), "{year}");
        assert_eq!(
            cut.later_changes().count(),
            cut.changes().filter(later).count()
        );
    }
}

fn naive_2024() -> &'static crate::common::history::Naive {
    static NAIVE: OnceLock<crate::common::history::Naive> = OnceLock::new();
    NAIVE.get_or_init(|| crate::common::history::Naive::with_cutoff("2024-06-30"))
}

fn history_2024() -> &'static History {
    static H: OnceLock<History> = OnceLock::new();
    H.get_or_init(|| History::embedded().with_cutoff(date(2024, 6, 30)).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// At another cut-off too, the precomputed answer equals the reference.
    #[test]
    fn resolve_at_2024_matches_the_reference(pick in 0usize..6824, offset in 0u16..64) {
        let naive = naive_2024();
        let i = &naive.intervals[pick % naive.intervals.len()];
        let (first, last) = (i.first, (i.last + 1).min(2025));
        let year = first + offset % (last - first + 1);
        let expected = naive.resolve(&i.code, year).expect("in use");
        let r = history_2024().resolve(&i.code, year, tree()).expect("in use");
        let tree: BTreeSet<String> = r.records().map(|r| r.code().to_owned()).collect();
        prop_assert_eq!(&tree, &expected.tree, "{}", r);
        let chain: BTreeSet<String> = r
            .changes()
            .map(|c| {
                format!("{} {} {} {}", c.date(), c.from().unwrap().code(), c.to().code(), c.kind())
            })
            .collect();
        prop_assert_eq!(&chain, &expected.chain, "{}", r);
        prop_assert_eq!(r.status() == Status::Later, expected.later, "{}", r);
    }
}

/// 台湾省, 香港 and 澳门 are units of the embedded data: their GB/T 2260
/// codes resolve to them, not to `Unmapped`.
#[test]
fn the_three_provincial_units_outside_the_nbs_list_resolve() {
    let china = xzqh::china();
    for (code, year, unit) in [
        ("810000", 2000, "香港特别行政区"),
        ("820000", 2000, "澳门特别行政区"),
        ("710000", 1981, "台湾省"),
        ("710000", 2023, "台湾省"),
    ] {
        let r = history().resolve(code, year, china).unwrap();
        assert_eq!(r.status(), Status::Current, "{code} {year}");
        let units: Vec<_> = r.units().map(|u| u.name()).collect();
        assert_eq!(units, [unit], "{code} {year}");
    }
}
