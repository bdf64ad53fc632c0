//! Golden cases of the failure classes of free-text addresses, one row per
//! case in `tests/data/address_classes.tsv`, and the property that no
//! resolved answer leaves out a unit the text writes in full.

use proptest::prelude::*;
use xzqh::Unit;
use xzqh::address::Outcome;

const CASES: &str = include_str!("../data/address_classes.tsv");

/// Whether `u` is the unit with code `code` or lies inside it.
fn lies_in(u: Unit<'_>, code: &str) -> bool {
    u.code() == code || u.ancestors().any(|a| a.code() == code)
}

fn describe(o: &Outcome<'_>) -> String {
    let codes = |c: &[xzqh::address::Candidate<'_>]| {
        c.iter()
            .map(|c| c.unit.code())
            .collect::<Vec<_>>()
            .join(",")
    };
    match o {
        Outcome::Resolved(u) => format!("resolved {}", u.code()),
        Outcome::Ambiguous(c) => format!("ambiguous {}", codes(c)),
        Outcome::Conflict(c) => format!("conflict {}", codes(c)),
        Outcome::NotFound => "not found".into(),
        _ => "other".into(),
    }
}

/// Whether the resolution of `text` meets `expect` (see the data file).
fn meets(text: &str, expect: &str) -> (bool, String) {
    let h = xzqh::china();
    let r = h
        .addresses()
        .expect("China's dictionary builds")
        .resolve(text);
    let said = describe(r.outcome());
    let ok = if let Some(codes) = expect.strip_prefix("conflict:") {
        let readings = match r.outcome() {
            Outcome::Conflict(c) => c.as_slice(),
            _ => &[],
        };
        codes
            .split(',')
            .all(|code| readings.iter().any(|c| lies_in(c.unit, code)))
    } else if let Some(codes) = expect.strip_prefix("zone:") {
        let (county, zone) = codes.split_once(',').expect("two codes");
        r.unit().is_some_and(|u| lies_in(u, county))
            && r.secondary().iter().any(|c| lies_in(c.unit, zone))
    } else if let Some(code) = expect.strip_prefix('!') {
        !r.unit().is_some_and(|u| lies_in(u, code))
    } else {
        r.unit().is_some_and(|u| lies_in(u, expect))
    };
    (ok, said)
}

#[test]
fn golden_cases_of_each_class() {
    let mut failed = Vec::new();
    for line in CASES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        let [text, expect, class, status] = f[..] else {
            panic!("four columns: {line}")
        };
        let (ok, said) = meets(text, expect);
        match status {
            "ok" if !ok => failed.push(format!("{class}: {text} → {said}, expected {expect}")),
            "open" => println!("open ({class}): {text} → {said}, expected {expect}"),
            _ => {}
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

/// Names written in full, with street text and separators around.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "广东省",
        "深圳市",
        "南山区",
        "粤海街道",
        "广州市",
        "天河区",
        "京溪街道",
        "白云区",
        "浙江省",
        "杭州市",
        "余杭区",
        "西湖区",
        "河北省",
        "石家庄市",
        "裕华区",
        "长江街道",
        "北京市",
        "朝阳区",
        "城关镇",
        "开发区",
        "西区",
        "湖州街",
        "人民路",
        "12号",
        " ",
        "，",
        "深圳",
        "南山",
        "杭州",
    ])
}

/// The units a full name written in the text denotes.
fn full_names<'h>(h: &'h xzqh::Hierarchy, text: &str) -> Vec<Vec<Unit<'h>>> {
    [
        "广东省",
        "深圳市",
        "南山区",
        "广州市",
        "天河区",
        "白云区",
        "浙江省",
        "杭州市",
        "余杭区",
        "西湖区",
        "河北省",
        "石家庄市",
        "裕华区",
        "北京市",
    ]
    .iter()
    .filter(|n| text.contains(*n))
    .map(|n| h.units().filter(|u| u.name() == *n).collect())
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    /// A resolved answer's chain holds, for every county-level-or-above
    /// name the text writes in full, a unit of that name or a unit related
    /// to one (above or below it): otherwise the outcome is a conflict.
    #[test]
    fn no_answer_contradicts_a_full_name(pieces in prop::collection::vec(piece(), 1..7)) {
        let h = xzqh::china();
        let text: String = pieces.concat();
        let r = h.addresses().expect("builds").resolve(&text);
        if let Some(u) = r.unit() {
            for units in full_names(h, &text) {
                let ok = units.iter().any(|&w| lies_in(u, w.code()) || lies_in(w, u.code()));
                prop_assert!(ok, "{} → {} leaves out {}", text, u.code(), units[0].name());
            }
        }
    }
}
