//! The engine knows no country: no file outside `src/china/` (and the crate
//! root, which re-exports China) refers to China or its code history in
//! code, or switches behaviour on a schema's name. Doc comments may show
//! China's data in examples; code, including `#[cfg(test)]` code, may not.

use std::path::{Path, PathBuf};

/// Rust files under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line: without `//` comments (doc comments included) and
/// without the contents of string literals other than `"china"` itself.
fn code_of(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with("//") {
        return "";
    }
    match line.find("//") {
        // A `//` inside a string literal is rare in this crate; be strict.
        Some(i) if !line[..i].contains('"') => &line[..i],
        _ => line,
    }
}

/// What a core file's code must not contain, with the reason.
const FORBIDDEN: &[(&str, &str)] = &[
    ("crate::china", "imports China"),
    ("super::china", "imports China"),
    ("xzqh::china", "imports China"),
    ("china::", "names the China module"),
    ("history::", "names China's code history"),
    ("\"china\"", "names China"),
    ("feature = \"china\"", "depends on the china feature"),
    (
        "feature = \"history\"",
        "depends on China's history feature",
    ),
    ("feature = \"villages\"", "depends on China's village data"),
    ("name() == \"", "switches on a schema's or profile's name"),
    ("name() != \"", "switches on a schema's or profile's name"),
];

fn violations(root: &Path) -> Vec<String> {
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file.strip_prefix(root).expect("under the root");
        if rel.starts_with("src/china") || rel == Path::new("src/lib.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            for (pattern, why) in FORBIDDEN {
                if code.contains(pattern) {
                    found.push(format!(
                        "{}:{}: {why}: {}",
                        rel.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn core_files_know_no_country() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = violations(root);
    assert!(
        found.is_empty(),
        "core files refer to China:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_what_it_looks_for() {
    // A core file that imports China or compares a schema's name is caught;
    // comments are not code.
    let dir = std::env::temp_dir().join(format!("xzqh-layering-{}", std::process::id()));
    let core = dir.join("src/model");
    std::fs::create_dir_all(&core).expect("a temporary directory");
    std::fs::write(
        core.join("bad.rs"),
        "/// Uses `xzqh::china()` in an example.\n\
         use crate::china::ChinaKind;\n\
         fn f(h: &H) -> bool { h.schema().name() == \"china\" }\n",
    )
    .expect("write a file");
    std::fs::create_dir_all(dir.join("src/china")).expect("a directory");
    std::fs::write(dir.join("src/china/ok.rs"), "use crate::china::x;\n").expect("write");
    let found = violations(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].starts_with("src/model/bad.rs:2: imports China"));
    assert!(
        found
            .iter()
            .any(|f| f.contains("switches on a schema's or profile's name"))
    );
}
