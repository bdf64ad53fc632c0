//! Graphviz DOT pictures: exact text for small regions, escaping, limits.

use std::sync::Arc;

use crate::common::small_china;
use xzqh::{DotOptions, Hierarchy, Relation, Role, Schema, Unit, UnitId};

/// Compares with `tests/data/<name>`; `XZQH_BLESS=1` rewrites the file.
#[track_caller]
fn golden(name: &str, text: &str) {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("XZQH_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(text, want, "{path} differs (XZQH_BLESS=1 rewrites it)");
}

#[track_caller]
fn unit<'h>(h: &'h Hierarchy, code: &str) -> Unit<'h> {
    h.by_code(code).unwrap_or_else(|| panic!("{code}"))
}

/// The default options with a depth limit.
fn depth(levels: Option<usize>) -> DotOptions {
    DotOptions::default().with_depth(levels)
}

#[test]
fn guangdong_whole_subtree() {
    // Government, agency (粤海街道) and an entrusted edge (广东省 -> 乐昌市).
    let h = small_china();
    let dot = h.dot(unit(&h, "44"), &depth(None)).unwrap();
    assert_eq!(dot.unit_count(), 9);
    golden("dot_small_china_44.dot", &dot.to_string());
}

#[test]
fn china_two_levels_without_legend() {
    let h = small_china();
    let opts = depth(Some(2)).with_legend(false);
    assert_eq!(opts, DotOptions::default().with_legend(false));
    let dot = h.dot(h.root(), &opts).unwrap();
    golden("dot_small_china_root_2.dot", &dot.to_string());
}

#[test]
fn depth_cuts_subtrees_and_the_edges_into_them() {
    let h = small_china();
    let gd = unit(&h, "44");
    // 乐昌市 is at depth 2 below 广东: cut at 1, the entrusted edge goes too.
    let text = h.dot(gd, &depth(Some(1))).unwrap().to_string();
    assert!(!text.contains("entrusted"));
    assert!(!text.contains("乐昌市"));
    // With secondary relations off, the edge goes at any depth.
    let off = depth(None).with_secondary(false);
    let text = h.dot(gd, &off).unwrap().to_string();
    assert!(text.contains("乐昌市"));
    assert!(!text.contains("entrusted"));
    assert!(text.contains("韶关市"));
    let dot = h.dot(gd, &depth(Some(0))).unwrap();
    assert_eq!(dot.unit_count(), 1);
    assert!(!dot.to_string().contains("->"));
    // A depth far past the leaves is the whole subtree.
    let deep = h.dot(gd, &depth(Some(usize::MAX))).unwrap();
    assert_eq!(deep.unit_count(), 9);
}

#[test]
fn secondary_edges_need_both_ends_drawn() {
    // 乐昌市's entrusted edge comes from 广东省, outside 韶关市's subtree.
    let h = small_china();
    let text = h.dot(unit(&h, "4402"), &depth(None)).unwrap().to_string();
    assert!(text.contains("乐昌市"));
    assert!(!text.contains("entrusted"));
}

#[test]
fn escapes_quotes_backslashes_and_line_breaks() {
    let schema = Arc::new(
        Schema::builder("test")
            .level("top")
            .level("low")
            .kind("top", "Top \"T\"", "top", Role::Government)
            .kind("low", "Low\\kind", "low", Role::Functional)
            .build()
            .unwrap(),
    );
    let h = Hierarchy::builder(schema)
        .unit("R\"1", "Root \"quoted\" \\N", "top", None)
        .unit("c\\2", "湖㳇镇 莫𡐓村", "top", Some("R\"1"))
        .unit("d", "\\", "low", Some("c\\2"))
        .relation("R\"1", "d", Relation::Custom(3))
        .build()
        .unwrap();
    let text = h.dot(h.root(), &DotOptions::default()).unwrap().to_string();
    golden("dot_escaping.dot", &text);
    // Every quote inside a label is escaped: the quotes on each line pair up.
    for line in text.lines() {
        let unescaped = line.replace("\\\\", "").replace("\\\"", "");
        assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
    }
}

#[test]
fn china_hubei_shows_units_directly_under_the_province() {
    let h = xzqh::china();
    let counties = DotOptions::default().with_lowest_level(Some(xzqh::china::COUNTY));
    let dot = h.dot(unit(h, "42"), &counties).unwrap();
    let text = dot.to_string();
    let hubei = unit(h, "42").id().index();
    for code in ["429004", "429005", "429006", "429021"] {
        let u = unit(h, code).id().index();
        assert!(text.contains(&format!("    n{hubei} -> n{u};\n")), "{code}");
    }
    // 1 province, 17 units below it (13 cities and prefectures, 4 county-level
    // units), 101 county-level units below those: readable.
    assert_eq!(dot.unit_count(), 119);
    assert!(!text.contains("镇\\n"), "no township is drawn");
    // The default depth of 2 also reaches 仙桃's townships.
    let default = h.dot(unit(h, "42"), &DotOptions::default()).unwrap();
    assert!(default.unit_count() > 119);
    assert!(text.contains("label=\"entrusted\""));
    assert_eq!(
        h.dot(UnitId::new(u32::MAX), &DotOptions::default())
            .map(|d| d.unit_count()),
        None
    );
}
