//! `ChinaCode`: golden cases from `tests/data/china_code_cases.csv`, exact
//! error messages, the hierarchy bridge, and property tests against a slow
//! string-slicing reference parser.

use xzqh::china::{COUNTY, ChinaCode, CodeError, PREFECTURAL, PROVINCIAL, TOWNSHIP, VILLAGE};

use proptest::prelude::*;

use crate::common::split_csv as csv_fields;

#[test]
fn golden_cases() {
    let text = include_str!("../data/china_code_cases.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("input,short,full,gbt2260,error,note"),
        "header"
    );
    let mut cases = 0;
    for (n, line) in lines.enumerate() {
        let row = n + 2;
        let f = csv_fields(line);
        assert_eq!(f.len(), 6, "line {row}: {line:?}");
        let (input, short, full, gbt, error, note) = (&f[0], &f[1], &f[2], &f[3], &f[4], &f[5]);
        let got = ChinaCode::parse(input);
        if error.is_empty() {
            let code = got.unwrap_or_else(|e| panic!("line {row} ({note}): {input:?}: {e}"));
            assert_eq!(&code.to_string(), short, "line {row} ({note}): short form");
            assert_eq!(
                &code.full().to_string(),
                full,
                "line {row} ({note}): full form"
            );
            let gbt_got = code.gbt2260().map(|g| g.to_string()).unwrap_or_default();
            assert_eq!(&gbt_got, gbt, "line {row} ({note}): GB/T 2260 form");
            // Every form it prints parses back to the same code.
            assert_eq!(ChinaCode::parse(short), Ok(code), "line {row}");
            assert_eq!(ChinaCode::parse(full), Ok(code), "line {row}");
            if !gbt.is_empty() {
                assert_eq!(ChinaCode::parse(gbt), Ok(code), "line {row}");
            }
        } else {
            let err = got.expect_err(&format!("line {row} ({note}): {input:?} must fail"));
            assert_eq!(&err.to_string(), error, "line {row} ({note})");
        }
        cases += 1;
    }
    assert!(cases >= 60, "only {cases} cases read");
}

#[test]
fn error_variants_carry_what_to_fix() {
    let parse = |s: &str| ChinaCode::parse(s).unwrap_err();
    assert_eq!(parse(""), CodeError::Empty);
    assert_eq!(
        parse("11a105"),
        CodeError::InvalidCharacter {
            input: "11a105".into(),
            ch: 'a',
            position: 3
        }
    );
    assert_eq!(
        parse("\t11"),
        CodeError::InvalidCharacter {
            input: "\t11".into(),
            ch: '\t',
            position: 1
        }
    );
    assert_eq!(
        parse("\t11").to_string(),
        r#"invalid character '\t' at position 1 in china code "\t11""#
    );
    // Positions count characters, not bytes, supplementary plane included.
    assert_eq!(
        parse("𡐓1"),
        CodeError::InvalidCharacter {
            input: "𡐓1".into(),
            ch: '𡐓',
            position: 1
        }
    );
    assert_eq!(
        parse("莫𡐓1"),
        CodeError::InvalidCharacter {
            input: "莫𡐓1".into(),
            ch: '莫',
            position: 1
        }
    );
    assert_eq!(
        parse("12３"),
        CodeError::NonAsciiDigit {
            input: "12３".into(),
            ch: '３',
            position: 3
        }
    );
    assert_eq!(
        parse("①②"),
        CodeError::NonAsciiDigit {
            input: "①②".into(),
            ch: '①',
            position: 1
        }
    );
    assert_eq!(
        parse("11010"),
        CodeError::Length {
            input: "11010".into(),
            digits: 5
        }
    );
    assert_eq!(
        parse("000000"),
        CodeError::AllZero {
            input: "000000".into()
        }
    );
    assert_eq!(
        parse("0101"),
        CodeError::Province {
            input: "0101".into(),
            province: 1
        }
    );
    assert_eq!(
        parse("110105000001"),
        CodeError::ZeroSegment {
            input: "110105000001".into(),
            segment: "township"
        }
    );
    assert_eq!(
        parse("1100"),
        CodeError::ZeroSegment {
            input: "1100".into(),
            segment: "prefecture"
        }
    );
}

#[test]
fn huge_inputs_make_small_errors() {
    let digits = "1".repeat(1 << 20);
    let err = ChinaCode::parse(&digits).unwrap_err();
    assert_eq!(
        err,
        CodeError::Length {
            input: format!("{}… (1048576 bytes)", "1".repeat(32)),
            digits: 1 << 20
        }
    );
    let letters = format!("{}x", "1".repeat(1 << 20));
    match ChinaCode::parse(&letters).unwrap_err() {
        CodeError::InvalidCharacter {
            input,
            ch,
            position,
        } => {
            assert_eq!((ch, position), ('x', (1 << 20) + 1));
            assert_eq!(input, format!("{}… (1048577 bytes)", "1".repeat(32)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn levels_and_digits() {
    for (s, level, digits) in [
        ("11", PROVINCIAL, 2),
        ("110000", PROVINCIAL, 2),
        ("2201", PREFECTURAL, 4),
        ("220100000000", PREFECTURAL, 4),
        ("110105", COUNTY, 6),
        ("110105021", TOWNSHIP, 9),
        ("441900121000", TOWNSHIP, 9),
        ("110105021001", VILLAGE, 12),
    ] {
        let c: ChinaCode = s.parse().unwrap();
        assert_eq!((c.level(), c.digits()), (level, digits), "{s}");
    }
}

#[test]
fn parts_and_prefix_parent() {
    let c = |s: &str| s.parse::<ChinaCode>().unwrap();
    let v = c("110105021001");
    assert_eq!(v.province(), c("11"));
    assert_eq!(v.prefecture(), Some(c("1101")));
    assert_eq!(v.county(), Some(c("110105")));
    assert_eq!(v.township(), Some(c("110105021")));
    assert_eq!(c("11").prefecture(), None);
    assert_eq!(c("2201").county(), None);
    assert_eq!(c("220104").township(), None);
    assert_eq!(c("441900121").county(), None);
    assert_eq!(c("441900121001").county(), None);

    // The prefix chain of a village, up to the province.
    let chain: Vec<String> = std::iter::successors(Some(v), |x| x.parent_prefix())
        .map(|x| x.to_string())
        .collect();
    assert_eq!(chain, ["110105021001", "110105021", "110105", "1101", "11"]);
    // County digits 00 are skipped: 虎门镇's prefix parent is 东莞市.
    assert_eq!(c("441900121").parent_prefix(), Some(c("4419")));
    // Placeholders and irregular parents: the prefix parent is not always
    // the administrative parent.
    let h = crate::common::small_china();
    for (code, prefix, admin) in [
        ("110105", "1101", "11"),
        ("429004", "4290", "42"),
        ("6542", "65", "6540"),
        ("441900121", "4419", "4419"),
    ] {
        assert_eq!(c(code).parent_prefix(), Some(c(prefix)), "{code}");
        let unit = h.by_code(&c(code).to_string()).unwrap();
        assert_eq!(unit.parent().unwrap().code(), admin, "{code}");
    }
}

#[test]
fn ordering_puts_prefixes_first() {
    let mut codes: Vec<ChinaCode> = ["220104", "11", "110105021", "1101", "110105", "2201"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    codes.sort();
    let shown: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        shown,
        ["11", "1101", "110105", "110105021", "2201", "220104"]
    );
    assert_eq!(format!("{:?}", codes[2]), "ChinaCode(110105)");
}

#[test]
fn by_code_finds_units_in_every_form() {
    let h = crate::common::small_china();
    for u in h.units().skip(1) {
        let code: ChinaCode = u.code().parse().unwrap();
        assert_eq!(code.to_string(), u.code());
        assert_eq!(h.by_code(u.code()), Some(u));
        assert_eq!(h.by_code(&code.full().to_string()), Some(u), "{}", u.code());
        if let Some(gbt) = code.gbt2260() {
            assert_eq!(h.by_code(&gbt.to_string()), Some(u), "{}", u.code());
        }
    }
    // Placeholders are never units, in any form.
    for placeholder in ["1101", "110100", "110100000000", "4290", "429000"] {
        assert_eq!(h.by_code(placeholder), None, "{placeholder}");
    }
    // The whole data: every unit below the root in its 12-digit form.
    let china = xzqh::china();
    for u in china.units().skip(1).filter(|u| u.code() != "66") {
        let full = u.code().parse::<ChinaCode>().unwrap().full().to_string();
        assert_eq!(china.by_code(&full), Some(u), "{full}");
    }
}

/// What China's profile writes for a code: its data form, or nothing.
fn normalized(code: &str) -> Option<String> {
    use xzqh::{CodeBuf, Profile};
    let mut out = CodeBuf::new();
    let p = xzqh::china::ChinaProfile::default();
    p.normalize_code(code, &mut out)
        .then(|| out.as_str().to_owned())
}

#[test]
fn the_profile_normalizes_every_code_form() {
    let n = |code: &str| normalized(code);
    // Data forms, 2/4/6/9/12 digits, as they are.
    for code in ["11", "1101", "110105", "110105021", "110105021001"] {
        assert_eq!(n(code).as_deref(), Some(code), "{code}");
    }
    // GB/T 2260 (6 digits) and full (12 digits) padded forms.
    assert_eq!(n("110000").as_deref(), Some("11"));
    assert_eq!(n("370100").as_deref(), Some("3701"));
    assert_eq!(n("110000000000").as_deref(), Some("11"));
    assert_eq!(n("370100000000").as_deref(), Some("3701"));
    assert_eq!(n("110105000000").as_deref(), Some("110105"));
    assert_eq!(n("110105021000").as_deref(), Some("110105021"));
    assert_eq!(n("441900121000").as_deref(), Some("441900121"));
    // Not codes: no form.
    for bad in [
        "",
        "1",
        "11010",
        "1100",
        "110105000",
        "0011",
        "１１",
        "11a1",
        " 11",
    ] {
        assert_eq!(n(bad), None, "{bad:?}");
    }
    // A placeholder normalizes (it is a well-formed code) but names no unit.
    assert_eq!(n("110100").as_deref(), Some("1101"));
    let h = xzqh::china();
    for placeholder in ["1101", "110100", "110100000000", "4290", "659000"] {
        assert_eq!(h.by_code(placeholder), None, "{placeholder}");
    }
    // Every form reaches the unit through Hierarchy::by_code.
    for (form, unit) in [
        ("110000", "11"),
        ("110105000000", "110105"),
        ("110105021000", "110105021"),
        ("654201200000", "654201200"),
        ("440305", "440305"),
        ("440300", "4403"),
    ] {
        assert_eq!(h.by_code(form).map(|u| u.code()), Some(unit), "{form}");
    }
}

#[test]
fn auto_traits() {
    fn check<T: Send + Sync + Unpin + Copy + Ord + std::hash::Hash + 'static>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    check::<ChinaCode>();
    error::<CodeError>();
}

/// The slow reference: pad with zeros to 12, slice the segments, apply the
/// documented rules one by one. Returns the short form.
fn reference(s: &str) -> Option<String> {
    const LEN: [usize; 5] = [2, 4, 6, 9, 12];
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || !LEN.contains(&s.len()) {
        return None;
    }
    let full = format!("{s:0<12}");
    let seg = [
        &full[0..2],
        &full[2..4],
        &full[4..6],
        &full[6..9],
        &full[9..12],
    ];
    let zero = |x: &str| x.bytes().all(|b| b == b'0');
    if seg[0].starts_with('0') {
        return None;
    }
    let level = if s.len() == 6 || s.len() == 12 {
        (0..5).rev().find(|&i| !zero(seg[i]))?
    } else {
        let level = LEN.iter().position(|&l| l == s.len())?;
        if zero(seg[level]) {
            return None;
        }
        level
    };
    // Every segment above the level is nonzero, except a county (2) above a
    // township or village.
    if (1..level).any(|i| zero(seg[i]) && i != 2) {
        return None;
    }
    Some(full[..LEN[level]].to_owned())
}

fn valid_code() -> impl Strategy<Value = (String, usize)> {
    (
        0usize..5,
        10u64..=99,
        1u64..=99,
        0u64..=99,
        1u64..=999,
        1u64..=999,
    )
        .prop_map(|(level, p, f, c, t, v)| {
            // The county may be 00 only below the county level.
            let c = if level == 2 && c == 0 { 1 } else { c };
            let s = match level {
                0 => format!("{p:02}"),
                1 => format!("{p:02}{f:02}"),
                2 => format!("{p:02}{f:02}{c:02}"),
                3 => format!("{p:02}{f:02}{c:02}{t:03}"),
                _ => format!("{p:02}{f:02}{c:02}{t:03}{v:03}"),
            };
            (s, level)
        })
}

proptest! {
    #[test]
    fn formats_round_trip((s, level) in valid_code()) {
        let code = ChinaCode::parse(&s).unwrap();
        prop_assert_eq!(code.to_string(), s.clone());
        prop_assert_eq!(usize::from(code.level().rank()), level + 1);
        let full = code.full().to_string();
        prop_assert_eq!(full.len(), 12);
        prop_assert_eq!(&full[..s.len()], s.as_str());
        prop_assert_eq!(ChinaCode::parse(&full), Ok(code));
        match code.gbt2260() {
            Some(g) => {
                prop_assert!(level <= 2);
                prop_assert_eq!(g.to_string().len(), 6);
                prop_assert_eq!(ChinaCode::parse(&g.to_string()), Ok(code));
            }
            None => prop_assert!(level > 2),
        }
        if let Some(parent) = code.parent_prefix() {
            prop_assert!(parent < code);
            prop_assert!(s.starts_with(&parent.to_string()));
        }
    }

    #[test]
    fn agrees_with_reference(s in "[019]{0,13}") {
        let got = ChinaCode::parse(&s).ok().map(|c| c.to_string());
        prop_assert_eq!(got, reference(&s));
    }

    #[test]
    fn agrees_with_reference_on_any_digits(s in "[0-9]{0,14}") {
        let got = ChinaCode::parse(&s).ok().map(|c| c.to_string());
        prop_assert_eq!(got, reference(&s));
    }

    #[test]
    fn never_panics(s in any::<String>()) {
        let got = ChinaCode::parse(&s);
        prop_assert_eq!(got.is_ok(), reference(&s).is_some());
        if let Err(e) = got {
            let msg = e.to_string();
            prop_assert!(!msg.is_empty() && !msg.ends_with('.'));
        }
    }
}
