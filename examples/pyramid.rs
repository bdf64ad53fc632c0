//! A picture of 湖北省's pyramid: Graphviz DOT, and SVG where `dot` is
//! installed.
//!
//! 湖北 is the province to look at: 仙桃, 潜江, 天门 and 神农架林区 sit directly
//! under the province beside its prefecture-level cities (the NBS codes put
//! them under the placeholder 4290), and the province's entrusted management
//! (代管) of county-level cities shows as dashed edges.
//!
//! Run with `cargo run --release --example pyramid [OUT_DIR]` (default
//! `target/`). Writes `OUT_DIR/hubei.dot`, then runs
//! `dot -Tsvg hubei.dot -o hubei.svg` if Graphviz is on the PATH.

use std::path::PathBuf;
use std::process::Command;

use xzqh::DotOptions;
use xzqh::china::COUNTY;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("target"), PathBuf::from);
    std::fs::create_dir_all(&out)?;

    let h = xzqh::china();
    let hubei = h.by_code("42").ok_or("湖北省 is in the data")?;
    // Down to county level: 119 units, readable on one page. (Two levels
    // deep would also draw the townships of 仙桃 and the other three.)
    let dot = h
        .dot(
            hubei,
            &DotOptions::default().with_lowest_level(Some(COUNTY)),
        )
        .ok_or("湖北省 is a unit of this hierarchy")?;
    let direct: Vec<String> = hubei
        .children()
        .filter(|u| u.level() == COUNTY)
        .map(|u| u.to_string())
        .collect();
    println!("directly under {hubei}: {}", direct.join(", "));

    let dot_path = out.join("hubei.dot");
    std::fs::write(&dot_path, dot.to_string())?;
    println!("wrote {} ({} units)", dot_path.display(), dot.unit_count());

    let svg_path = out.join("hubei.svg");
    match Command::new("dot")
        .arg("-Tsvg")
        .arg(&dot_path)
        .arg("-o")
        .arg(&svg_path)
        .status()
    {
        Ok(status) if status.success() => println!("rendered {}", svg_path.display()),
        Ok(status) => return Err(format!("dot failed: {status}").into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("Graphviz `dot` is not on the PATH: skipped hubei.svg");
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
