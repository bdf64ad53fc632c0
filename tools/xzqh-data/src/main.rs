//! Regenerates xzqh's embedded China data from `data/china/source`:
//!
//! ```sh
//! cargo run -p xzqh-data
//! ```
//!
//! writes `data/china/nbs2023.bin` (to township level, embedded by default)
//! and `data/china/nbs2023-villages.bin` (to village level, raw deflate,
//! embedded with the `villages` feature), `data/china/fold.txt` (China's
//! traditional → simplified fold) and `data/china/history.bin`.
//! `tests/china_fresh.rs` fails when
//! the committed files differ from what this would write.
//!
//! The crate `xzqh` includes the artifacts with `include_bytes!`, so this
//! tool (which depends on it for `ChinaKind`) needs the files to exist; to
//! bootstrap a checkout without them, create them empty first.

use std::error::Error;
use std::io::Read;
use std::path::{Path, PathBuf};

// Shared with tests/china_fresh.rs, which uses the parts this tool does not.
#[allow(dead_code)]
#[path = "generate.rs"]
mod generate;
mod history;

fn read(dir: &Path, name: &str) -> Result<String, Box<dyn Error>> {
    let path = dir.join(name);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// The fold table from hanconv's dictionaries (shared with tests/china_fresh.rs).
fn fold_table() -> String {
    use hanconv::Dictionary;
    generate::fold_table(
        Dictionary::TSCharacters.iter(),
        Dictionary::HKVariantsRev
            .iter()
            .chain(Dictionary::TWVariantsRev.iter()),
        "hanconv 0.5 (TSCharacters, HKVariantsRev, TWVariantsRev)",
    )
}

fn main() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // First: the data check reads traditional names through the fold that
    // xzqh embeds, so a changed table needs a second run.
    let fold = fold_table();
    std::fs::write(root.join(generate::FOLD_FILE), &fold)?;
    println!("{}: {} bytes", generate::FOLD_FILE, fold.len());
    let dir = root.join(generate::SOURCE_DIR);
    let outside = read(&dir, generate::OUTSIDE_FILE)?;
    let (provinces, prefectures, counties, townships) = (
        read(&dir, "provinces.csv")?,
        read(&dir, "prefectures.csv")?,
        read(&dir, "counties.csv")?,
        read(&dir, "townships.csv")?,
    );
    let mut villages = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(dir.join("villages.csv.gz"))?)
        .read_to_string(&mut villages)?;
    let src = generate::Sources {
        outside: &outside,
        provinces: &provinces,
        prefectures: &prefectures,
        counties: &counties,
        townships: &townships,
        villages: Some(&villages),
    };
    let version = xzqh::china::DATA_VERSION;

    let township = generate::township_artifact(&src, version)?;
    let bytes = [township.header, township.body].concat();
    std::fs::write(root.join(generate::TOWNSHIP_FILE), &bytes)?;
    println!("{}: {} bytes", generate::TOWNSHIP_FILE, bytes.len());

    let village = generate::village_artifact(&src, version)?;
    // Level 10 is miniz's slowest and smallest; decoding speed is the same.
    let deflated = miniz_oxide::deflate::compress_to_vec(&village.body, 10);
    let bytes = [village.header, deflated].concat();
    std::fs::write(root.join(generate::VILLAGE_FILE), &bytes)?;
    println!(
        "{}: {} bytes ({} before deflate)",
        generate::VILLAGE_FILE,
        bytes.len(),
        village.body.len()
    );

    let history = history::regenerate(&root)?;
    println!("{}: {history} bytes", history::ARTIFACT);
    Ok(())
}
