//! Routes a file of cases: one decision per line out, a summary by the
//! handler's level at the end. What a hotline's batch job or a replay of
//! yesterday's tickets looks like.
//!
//! Run with `cargo run --release --example route_file -- examples/cases.csv`,
//! or pipe the cases in on standard input (no path, or `-`).
//!
//! Input, one case per line:
//!
//! - CSV `places,category,severity,people`: places are codes separated by
//!   spaces, in any form China's profile reads (`110105`, `110000`,
//!   `110105000000`, or a code since superseded, routed as its successors);
//!   severity and people may be empty; no field holds a comma, so no
//!   quoting. A first line starting `places,` is the header; blank lines
//!   and lines starting with `#` are skipped.
//! - JSON lines (with `--features serde`): a line starting with `{` is an
//!   object `{"places": ["429004", "429005"], "category": "environment",
//!   "severity": "major", "people": 300}`; severity and people are optional.

use std::collections::BTreeMap;
use std::error::Error;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

use xzqh::Level;
use xzqh::routing::{Case, Decision, Place, Router};

/// One case as read from a line, borrowing the line where it can.
struct Row<'a> {
    places: Vec<Place<'a>>,
    category: &'a str,
    severity: Option<&'a str>,
    people: Option<u64>,
}

/// Parses a CSV line.
fn parse_csv(line: &str) -> Result<Row<'_>, String> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    let [places, category, rest @ ..] = fields.as_slice() else {
        return Err("expected places,category,severity,people".to_owned());
    };
    if rest.len() > 2 {
        return Err(format!("expected 4 fields, found {}", fields.len()));
    }
    let field = |i: usize| rest.get(i).copied().filter(|s| !s.is_empty());
    let people = match field(1) {
        Some(p) => Some(p.parse::<u64>().map_err(|e| format!("people {p:?}: {e}"))?),
        None => None,
    };
    Ok(Row {
        places: places.split_whitespace().map(Place::Code).collect(),
        category,
        severity: field(0),
        people,
    })
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonCase {
    places: Vec<String>,
    category: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    people: Option<u64>,
}

/// Parses a JSON line into `storage`, then borrows from it.
#[cfg(feature = "serde")]
fn parse_json<'a>(line: &str, storage: &'a mut Option<JsonCase>) -> Result<Row<'a>, String> {
    let case = storage.insert(serde_json::from_str(line).map_err(|e| e.to_string())?);
    Ok(Row {
        places: case.places.iter().map(|p| Place::Code(p)).collect(),
        category: &case.category,
        severity: case.severity.as_deref(),
        people: case.people,
    })
}

#[cfg(not(feature = "serde"))]
fn parse_json<'a>(_: &str, _: &'a mut Option<()>) -> Result<Row<'a>, String> {
    Err("JSON lines need --features serde".to_owned())
}

fn main() -> Result<(), Box<dyn Error>> {
    let input: Box<dyn BufRead> = match std::env::args().nth(1) {
        None => Box::new(io::stdin().lock()),
        Some(p) if p == "-" => Box::new(io::stdin().lock()),
        Some(p) => Box::new(BufReader::new(
            std::fs::File::open(&p).map_err(|e| format!("{p}: {e}"))?,
        )),
    };
    let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    let mut out = BufWriter::new(io::stdout().lock());

    // One Decision for the whole file: after the first case, routing
    // reuses its buffers and allocates nothing.
    let mut decision = Decision::new(router.hierarchy());
    let mut by_level: BTreeMap<Level, usize> = BTreeMap::new();
    let (mut cases, mut errors) = (0usize, 0usize);
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        let line = line.trim();
        let n = n + 1;
        if line.is_empty() || line.starts_with('#') || (n == 1 && line.starts_with("places,")) {
            continue;
        }
        cases += 1;
        let mut storage = None;
        let row = if line.starts_with('{') {
            parse_json(line, &mut storage)
        } else {
            parse_csv(line)
        };
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                errors += 1;
                writeln!(out, "{n}: error: {e}")?;
                continue;
            }
        };
        let mut case = Case::new(&row.places, row.category);
        if let Some(s) = row.severity {
            case = case.severity(s);
        }
        if let Some(p) = row.people {
            case = case.people(p);
        }
        if let Err(e) = router.route_into(&case, &mut decision) {
            errors += 1;
            writeln!(out, "{n}: error: {e}")?;
            continue;
        }
        let handler = decision.handler();
        *by_level.entry(handler.level()).or_default() += 1;
        let parties: Vec<String> = decision.parties().map(|p| p.to_string()).collect();
        writeln!(
            out,
            "{n}: {} {}{} -> {} ({} level, tier {}){}",
            row.places
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            row.category,
            row.severity.map_or_else(String::new, |s| format!(" {s}")),
            handler,
            handler.level(),
            handler.tiers(),
            if parties.is_empty() {
                String::new()
            } else {
                format!(", parties: {}", parties.join(", "))
            }
        )?;
    }

    writeln!(
        out,
        "\n{cases} cases: {} routed, {errors} failed",
        cases - errors
    )?;
    // Levels sort by rank: the most senior first.
    for (level, count) in by_level {
        writeln!(out, "  {:<12} {count:>5}", level.name())?;
    }
    out.flush()?;
    Ok(())
}
