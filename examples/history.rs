//! Old records to today's units: what a hotline or petition office does with
//! codes filed years ago.
//!
//! Run with `cargo run --example history`.

use std::error::Error;

use xzqh::china::history::History;

fn main() -> Result<(), Box<dyn Error>> {
    // The NBS 2023 hierarchy and the code history cut at its data date
    // (2023-06-30). Bind them once; every query after is a hash probe.
    let china = xzqh::china();
    let history = History::embedded();
    let resolver = history.resolver(china);

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
        let s = resolver.resolve(code, year)?;
        println!("{s}\n");
    }

    match resolver.resolve("371200", 1990) {
        Ok(_) => unreachable!("莱芜市 became a prefecture in 1992"),
        Err(e) => println!("error: {e}\n"),
    }

    let ambiguous: Vec<_> = history.resolve_name("朝阳区", 2020)?.collect();
    println!("朝阳区 in 2020: {ambiguous:?}\n");

    // Routing needs no resolver: the hierarchy keeps its own successions.
    let successions = china.successions().ok_or("China's profile has a history")?;
    let mut units = Vec::new();
    if let Some(change) = successions.successors(china, "371200", &mut units) {
        let mut step = String::new();
        successions.describe(change, &mut step)?;
        let names: Vec<String> = units
            .iter()
            .filter_map(|&u| china.get(u))
            .map(|u| u.to_string())
            .collect();
        println!("371200 routes to {}: {step}\n", names.join(", "));
    }

    // A hierarchy of another year: the history cut at its data date.
    let end_2024 = xzqh::china::Date::new(2024, 12, 31).ok_or("a date")?;
    let p2024 = xzqh::china::ChinaProfile::with_data_date(end_2024)?;
    println!(
        "changes after {}: {}",
        p2024.data_date(),
        p2024.history().later_changes().count()
    );

    print!("{}", history.changes_between(2024, 2025));
    Ok(())
}
