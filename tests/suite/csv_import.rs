//! CSV import: the NBS layout, RFC 4180 details, and an exact error with
//! the line for every malformed or invalid row.

use std::path::PathBuf;

use crate::common::SMALL_CHINA_ROWS;
use proptest::prelude::*;
use xzqh::china::ChinaKind;
use xzqh::{CsvImport, CsvRow, Hierarchy, KindId, LoadError, LoadLimits};

/// China's kinds by code length, the way the NBS files are cut.
fn by_code_length(row: &CsvRow<'_>) -> Option<KindId> {
    Some(
        match row.code.len() {
            2 => ChinaKind::Province,
            4 => ChinaKind::PrefectureCity,
            6 => ChinaKind::County,
            9 => ChinaKind::Town,
            12 => ChinaKind::VillageCommittee,
            _ => return None,
        }
        .id(),
    )
}

fn import() -> CsvImport {
    CsvImport::new(xzqh::china::schema())
        .classify(by_code_length)
        .root("0", "中华人民共和国", ChinaKind::State)
}

/// Reads one file and builds, returning the error's text.
#[track_caller]
fn error(csv: &str) -> String {
    match import().read("x.csv", csv.as_bytes()) {
        Err(e) => e.to_string(),
        Ok(import) => import.finish().expect_err("must not load").to_string(),
    }
}

#[test]
fn nbs_files_down_to_townships() {
    // The NBS files the embedded data is generated from, in the repository.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/china/source");
    let mut import = import().data_version("NBS 2023");
    for file in [
        "provinces.csv",
        "prefectures.csv",
        "counties.csv",
        "townships.csv",
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        import = import.read(file, &bytes).unwrap();
    }
    let h = import.finish().unwrap();
    // The NBS rows as they are (placeholders included) and the root: 44,700.
    assert_eq!(h.len(), 44_700);
    assert_eq!(h.data_version(), Some("NBS 2023"));
    assert_eq!(h.root().children().count(), 31);
    let chaoyang = h.by_code("110105").unwrap();
    assert_eq!(chaoyang.name(), "朝阳区");
    assert_eq!(chaoyang.parent().unwrap().code(), "1101"); // the data's placeholder
    assert_eq!(h.by_name("朝阳区").count(), 2);
    assert_eq!(h.by_code("320282113").unwrap().name(), "湖㳇镇");
    // 东莞's townships sit directly under the prefecture.
    assert_eq!(
        h.by_code("441900121").unwrap().parent().unwrap().code(),
        "4419"
    );
}

#[test]
fn rfc_4180_details() {
    let csv = "\u{feff}code,name,parent_code\r\n\
               11,\"北京市\",\r\n\
               \r\n\
               1101,\"a \"\"quoted\"\", comma\",11\r\n\
               1102,\"two, parts\",11\r\n\
               1103,plain,\"11\"";
    let h = import()
        .read("x.csv", csv.as_bytes())
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(h.by_code("1101").unwrap().name(), "a \"quoted\", comma");
    assert_eq!(h.by_code("1102").unwrap().name(), "two, parts");
    assert_eq!(h.by_code("1103").unwrap().name(), "plain");
    // A newline in a name is a control character: refused by validation,
    // with the line where its row starts.
    let strict = import_with_kinds()
        .read(
            "x.csv",
            "code,name,parent_code,kind\n0,c,,state\n1,\"a\nb\",0,province\n2,ok,0,province\n"
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(
        strict.finish().unwrap_err().to_string(),
        "x.csv line 3: invalid name for unit 1: names are 1 to 1024 bytes without control characters"
    );
}

fn import_with_kinds() -> CsvImport {
    CsvImport::new(xzqh::china::schema())
}

#[test]
fn line_numbers_count_lines_inside_quoted_fields() {
    let csv = "code,name,parent_code\n11,\"multi\nline\nname\",\n12,x,99\n";
    assert_eq!(error(csv), "x.csv line 5: unit 12 names unknown parent 99");
}

#[test]
fn kind_column() {
    let csv = "code,name,parent_code,kind\n0,中华人民共和国,,state\n65,新疆维吾尔自治区,0,autonomous_region\n6542,塔城地区,65,prefecture\n";
    let h = CsvImport::new(xzqh::china::schema())
        .read("k.csv", csv.as_bytes())
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(h.by_code("6542").unwrap().kind().name(), "prefecture");
    // Without a profile, codes are read as written.
    assert!(h.by_code("654200").is_none());
    let h = CsvImport::new(xzqh::china::schema())
        .profile(xzqh::china::profile())
        .read("k.csv", csv.as_bytes())
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(h.by_code("654200").unwrap().name(), "塔城地区");
    assert_eq!(h.profile().name(), "china");

    let csv = "code,name,parent_code,kind\n0,中华人民共和国,,state\n65,新疆,0,shire\n";
    let import = CsvImport::new(xzqh::china::schema())
        .read("k.csv", csv.as_bytes())
        .unwrap();
    assert_eq!(
        import.finish().unwrap_err().to_string(),
        "k.csv line 3: unit 65 has unknown kind `shire`"
    );
}

#[test]
fn several_files_errors_name_the_right_one() {
    let import = import()
        .read(
            "provinces.csv",
            "code,name,parent_code\n11,北京市,\n".as_bytes(),
        )
        .unwrap()
        .read(
            "counties.csv",
            "code,name,parent_code\n110101,东城区,11\n110105,朝阳区,1101\n".as_bytes(),
        )
        .unwrap();
    let err = import.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "counties.csv line 3: unit 110105 names unknown parent 1101"
    );
    match err {
        LoadError::CsvRow { file, line, error } => {
            assert_eq!((file.as_str(), line), ("counties.csv", 3));
            assert_eq!(error.to_string(), "unit 110105 names unknown parent 1101");
        }
        other => panic!("{other:?}"),
    }
}

// One test per malformed or invalid input, each with its exact error.

#[test]
fn missing_column() {
    assert_eq!(
        error("code,name,parent_code\n11,北京市,\n12,天津市\n"),
        "x.csv line 3: expected 3 fields, found 2"
    );
}

#[test]
fn extra_column() {
    assert_eq!(
        error("code,name,parent_code\n11,北京市,,extra\n"),
        "x.csv line 2: expected 3 fields, found 4"
    );
}

#[test]
fn unterminated_quote() {
    assert_eq!(
        error("code,name,parent_code\n11,北京市,\n12,\"天津市,\n13,河北省,\n"),
        "x.csv line 3: unterminated quoted field"
    );
}

#[test]
fn stray_quotes() {
    assert_eq!(
        error("code,name,parent_code\n11,北\"京,\n"),
        "x.csv line 2: quote in an unquoted field"
    );
    assert_eq!(
        error("code,name,parent_code\n11,\"北京\"市,\n"),
        "x.csv line 2: expected a comma or a line end after a closing quote"
    );
}

#[test]
fn invalid_utf8() {
    let mut bytes = "code,name,parent_code\n11,北京市,\n12,天津市,\n"
        .as_bytes()
        .to_vec();
    let at = bytes.len() - 4; // inside 市 on line 3
    bytes[at] = 0xFF;
    assert_eq!(
        import().read("x.csv", &bytes).unwrap_err().to_string(),
        "x.csv line 3: invalid utf-8"
    );
}

#[test]
fn bad_parent() {
    assert_eq!(
        error("code,name,parent_code\n11,北京市,\n1101,市辖区,12\n"),
        "x.csv line 3: unit 1101 names unknown parent 12"
    );
    assert_eq!(
        error("code,name,parent_code\n11,北京市,11\n"),
        "x.csv line 2: edge from 11 to itself"
    );
}

#[test]
fn duplicate_code() {
    assert_eq!(
        error("code,name,parent_code\n11,北京市,\n12,天津市,\n11,北京,\n"),
        "x.csv line 4: duplicate code 11"
    );
}

#[test]
fn cycle() {
    assert_eq!(
        error("code,name,parent_code\n11,北京市,\n1102,b,1101\n1101,a,1102\n"),
        "x.csv line 4: cycle through 1101 -> 1102"
    );
}

#[test]
fn two_roots() {
    let import = import_with_kinds()
        .read(
            "x.csv",
            "code,name,parent_code,kind\n0,中国,,state\n1,China,,state\n".as_bytes(),
        )
        .unwrap();
    assert_eq!(
        import.finish().unwrap_err().to_string(),
        "x.csv line 3: two roots 0 and 1: exactly one unit may have no parent"
    );
}

#[test]
fn name_of_megabytes() {
    let csv = format!(
        "code,name,parent_code\n11,北京市,\n12,{},\n",
        "天".repeat(1 << 20)
    );
    assert_eq!(
        error(&csv),
        "x.csv line 3: invalid name for unit 12: names are 1 to 1024 bytes without control characters"
    );
}

#[test]
fn deeper_than_any_real_hierarchy() {
    let mut csv = String::from("code,name,parent_code,kind\nc0,root,,state\n");
    for i in 1..200 {
        csv.push_str(&format!("c{i},grid,c{},grid\n", i - 1));
    }
    let import = import_with_kinds()
        .read("deep.csv", csv.as_bytes())
        .unwrap();
    assert_eq!(
        import.finish().unwrap_err().to_string(),
        "deep.csv line 67: unit c65 is at depth 65, beyond the limit of 64"
    );
}

#[test]
fn wrong_header() {
    assert_eq!(
        error("code,name\n11,北京市\n"),
        "x.csv line 1: expected the header `code,name,parent_code` (optionally `,kind`), found `code,name`"
    );
    assert_eq!(
        error(""),
        "x.csv line 1: empty input: expected the header `code,name,parent_code`"
    );
    assert_eq!(
        import_with_kinds()
            .read("x.csv", b"code,name,parent_code\n11,x,\n")
            .unwrap_err()
            .to_string(),
        "x.csv line 1: no `kind` column and no classifier: add the column or call CsvImport::classify"
    );
}

#[test]
fn no_kind_from_the_classifier() {
    assert_eq!(
        error("code,name,parent_code\n11,北京市,\n110,odd,11\n"),
        "x.csv line 3: no kind for unit 110"
    );
}

#[test]
fn limits() {
    let limited = import().limits(LoadLimits::default().with_max_units(3));
    assert_eq!(
        limited
            .read("x.csv", b"code,name,parent_code\n11,a,\n12,b,\n13,c,\n")
            .unwrap_err()
            .to_string(),
        "x.csv line 4: too many units: the limit is 3"
    );
    let limited = import().limits(LoadLimits::default().with_max_bytes(10));
    assert_eq!(
        limited
            .read("x.csv", b"code,name,parent_code\n")
            .unwrap_err()
            .to_string(),
        "input of 22 bytes exceeds the limit of 10 bytes"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Rows in any order, in any number of files, give the builder's hierarchy.
    #[test]
    fn rows_in_any_order(order in Just((0..SMALL_CHINA_ROWS.len()).collect::<Vec<_>>()).prop_shuffle(), split in 0usize..30) {
        let rows = SMALL_CHINA_ROWS;
        let line = |i: usize| {
            let (code, name, kind, parent) = rows[i];
            format!("{code},{name},{},{}\n", parent.unwrap_or(""), kind.name())
        };
        let header = "code,name,parent_code,kind\n";
        let split = split.min(order.len());
        let first: String = order[..split].iter().map(|&i| line(i)).collect();
        let second: String = order[split..].iter().map(|&i| line(i)).collect();
        let h = CsvImport::new(xzqh::china::schema())
            .read("a.csv", format!("{header}{first}").as_bytes())
            .unwrap()
            .read("b.csv", format!("{header}{second}").as_bytes())
            .unwrap()
            .finish()
            .unwrap();
        let mut b = Hierarchy::builder(xzqh::china::schema());
        for &(code, name, kind, parent) in rows {
            b = b.unit(code, name, kind, parent);
        }
        prop_assert_eq!(h, b.build().unwrap());
    }

    #[test]
    fn random_text_never_panics(text in "[a-z0-9,\"\r\n]{0,200}") {
        if let Ok(import) = import().read("fuzz.csv", format!("code,name,parent_code\n{text}").as_bytes()) {
            let _ = import.finish();
        }
    }
}
