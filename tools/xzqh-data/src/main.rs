//! Regenerates the embedded data: `cargo run -p xzqh-data`.

mod history;

fn main() -> Result<(), String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bytes = history::regenerate(&root)?;
    println!("{}: {bytes} bytes", history::ARTIFACT);
    Ok(())
}
