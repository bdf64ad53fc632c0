//! Writes a generated address set (see `xzqh_benches::address_set`) for the
//! measurements outside Rust: the texts, one a line (what `xzqh resolve`
//! reads), and their labels as TSV (`code`, the township written, and
//! `county_code`, its county-level unit, or its prefecture where the
//! township has no county above it).
//!
//! `cargo run --release -p xzqh-benches --bin gen-addresses -- 1000000 target/addresses`
//! writes `target/addresses.txt` and `target/addresses.labels.tsv`.

use std::io::{BufWriter, Write};

use xzqh::china::{COUNTY, PREFECTURAL};
use xzqh_benches::address_set::labelled;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(stem)) = (args.next(), args.next()) else {
        eprintln!("usage: gen-addresses COUNT OUTPUT_STEM");
        std::process::exit(2);
    };
    let n: usize = n.parse().map_err(std::io::Error::other)?;
    let h = xzqh::china();
    let mut texts = BufWriter::new(std::fs::File::create(format!("{stem}.txt"))?);
    let mut labels = BufWriter::new(std::fs::File::create(format!("{stem}.labels.tsv"))?);
    writeln!(labels, "code\tcounty_code")?;
    for (text, unit) in labelled(h, n) {
        let up = || unit.ancestors();
        let county = up()
            .find(|a| a.level() == COUNTY)
            .or_else(|| up().find(|a| a.level() == PREFECTURAL))
            .map_or("", |u| u.code());
        writeln!(texts, "{text}")?;
        writeln!(labels, "{}\t{county}", unit.code())?;
    }
    texts.flush()?;
    labels.flush()
}
