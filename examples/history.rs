//! Old records to today's units: what a hotline or petition office does with
//! codes filed years ago.
//!
//! Run with `cargo run --release --example history`.

use std::error::Error;

use xzqh::china::ChinaKind;
use xzqh::history::History;
use xzqh::{Hierarchy, Schema};

/// A county-level hierarchy of the 2023 codes, built from the history itself
/// (with the full data, use `xzqh::china()` instead).
fn tree_2023(history: &History) -> Result<Hierarchy, Box<dyn Error>> {
    let mut b = Hierarchy::builder(Schema::china());
    b.unit("0", "中华人民共和国", ChinaKind::State, None);
    let live: Vec<_> = history.table(2023).collect();
    let has = |code: &str| live.iter().any(|r| r.code() == code);
    for r in &live {
        let code = xzqh::history::data_code(r.code());
        let (kind, parent) = match code.len() {
            2 => (ChinaKind::Province, "0".to_owned()),
            4 => (ChinaKind::PrefectureCity, code[..2].to_owned()),
            _ if has(&format!("{}00", &code[..4])) => (ChinaKind::County, code[..4].to_owned()),
            _ => (ChinaKind::County, code[..2].to_owned()),
        };
        b.unit(code, r.name(), kind, Some(&parent));
    }
    Ok(b.build()?)
}

fn main() -> Result<(), Box<dyn Error>> {
    let history = History::embedded();
    let tree = tree_2023(history)?;
    let resolver = history.resolver(&tree);

    // (code on the record, year it was filed)
    let records = [
        ("371200", 2015), // 莱芜市, merged into 济南 in 2018
        ("371202", 2010), // 莱城区, now 莱芜区
        ("370981", 1990), // 莱芜市 (county-level), split in 1992
        ("442229", 1985), // 西沙、南沙、中沙群岛, ten changes to 三沙市
        ("500112", 2025), // 渝北区, split on 2025-11-07, after the data
        ("653228", 2024), // 和康县, newer than the hierarchy
    ];
    for (code, year) in records {
        let r = resolver.resolve(code, year)?;
        println!("{r}\n");
    }

    match resolver.resolve("371200", 1990) {
        Ok(_) => unreachable!("莱芜市 became a prefecture in 1992"),
        Err(e) => println!("error: {e}\n"),
    }

    let ambiguous: Vec<_> = history.resolve_name("朝阳区", 2020)?.collect();
    println!("朝阳区 in 2020: {ambiguous:?}\n");

    print!("{}", history.changes_between(2024, 2025));
    Ok(())
}
