//! The committed artifacts are exactly what `cargo run -p xzqh-data` writes
//! from data/china/source: this regenerates them in memory and compares.
//! When it fails, run `cargo run -p xzqh-data` and commit data/china/*.bin.

#![cfg(feature = "china")]

use std::io::Read;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../tools/xzqh-data/src/generate.rs"]
mod generate;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn source(name: &str) -> String {
    String::from_utf8(read(&root().join(generate::SOURCE_DIR).join(name))).expect("utf-8 csv")
}

struct Sources {
    outside: String,
    provinces: String,
    prefectures: String,
    counties: String,
    townships: String,
}

impl Sources {
    fn load() -> Self {
        Sources {
            outside: source(generate::OUTSIDE_FILE),
            provinces: source("provinces.csv"),
            prefectures: source("prefectures.csv"),
            counties: source("counties.csv"),
            townships: source("townships.csv"),
        }
    }

    fn get<'a>(&'a self, villages: Option<&'a str>) -> generate::Sources<'a> {
        generate::Sources {
            outside: &self.outside,
            provinces: &self.provinces,
            prefectures: &self.prefectures,
            counties: &self.counties,
            townships: &self.townships,
            villages,
        }
    }
}

const STALE: &str = "is stale: run `cargo run -p xzqh-data` and commit data/china/*.bin";

#[test]
fn township_artifact_is_fresh() {
    let src = Sources::load();
    let fresh = generate::township_artifact(&src.get(None), xzqh::china::DATA_VERSION).unwrap();
    let committed = read(&root().join(generate::TOWNSHIP_FILE));
    // Not assert_eq!: a diff of 600 KB helps nobody.
    assert!(
        committed == [fresh.header, fresh.body].concat(),
        "{} {STALE}",
        generate::TOWNSHIP_FILE
    );
}

/// The village artifact's body is compared before deflate, so a new version
/// of the compressor (which may deflate differently) does not make it stale.
#[test]
fn village_artifact_is_fresh() {
    let src = Sources::load();
    let mut villages = String::new();
    let gz = read(&root().join(generate::SOURCE_DIR).join("villages.csv.gz"));
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut villages)
        .expect("villages.csv.gz is gzipped utf-8");
    let fresh =
        generate::village_artifact(&src.get(Some(&villages)), xzqh::china::DATA_VERSION).unwrap();
    let committed = read(&root().join(generate::VILLAGE_FILE));
    let (header, deflated) = committed.split_at(fresh.header.len().min(committed.len()));
    assert!(
        header == fresh.header,
        "{} {STALE} (header)",
        generate::VILLAGE_FILE
    );
    let mut body = Vec::new();
    flate2::read::DeflateDecoder::new(deflated)
        .read_to_end(&mut body)
        .expect("the body is raw deflate");
    assert!(
        body == fresh.body,
        "{} {STALE} (body)",
        generate::VILLAGE_FILE
    );
}

/// China's fold table is what hanconv's dictionaries give today (the tool's
/// `fold_table`, repeated here with the same arguments).
#[test]
fn fold_table_is_fresh() {
    use hanconv::Dictionary;
    let fresh = generate::fold_table(
        Dictionary::TSCharacters.iter(),
        Dictionary::HKVariantsRev
            .iter()
            .chain(Dictionary::TWVariantsRev.iter()),
        "hanconv 0.5 (TSCharacters, HKVariantsRev, TWVariantsRev)",
    );
    let committed = read(&root().join(generate::FOLD_FILE));
    assert!(
        committed == fresh.as_bytes(),
        "{} is stale: run `cargo run -p xzqh-data` and commit it",
        generate::FOLD_FILE
    );
}
