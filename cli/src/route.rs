//! `xzqh route`: a file of cases, one decision per line.
//!
//! Input lines are `places,category,severity,people` (the header
//! `places,...` and lines starting with `#` are skipped): places are codes
//! in any form China's profile reads, separated by spaces; severity and
//! people may be empty. Output is CSV: `line,handler_code,handler,level,
//! tiers,escalation,error`.

use std::io::{self, BufRead, BufReader, Write};

use xzqh::Hierarchy;
use xzqh::routing::{Case, Decision, Place, Router};

/// Routes the cases of `file`; whether every case routed.
pub(crate) fn run(h: &Hierarchy, file: Option<&str>) -> io::Result<bool> {
    let router = Router::new(h, xzqh::china::policy())
        .map_err(|e| io::Error::other(format!("the default policy does not fit: {e}")))?;
    let reader = BufReader::new(crate::input(file)?);
    let mut out = io::BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "line,handler_code,handler,level,tiers,escalation,error"
    )?;
    let mut decision = Decision::new(h);
    let mut all = true;
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        let n = i + 1;
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') || text.starts_with("places,") {
            continue;
        }
        let routed = parse(text).and_then(|(places, category, severity, people)| {
            let places: Vec<Place<'_>> = places.split_whitespace().map(Place::Code).collect();
            let mut case = Case::new(&places, category);
            if let Some(s) = severity {
                case = case.severity(s);
            }
            if let Some(p) = people {
                case = case.people(p);
            }
            router
                .route_into(&case, &mut decision)
                .map_err(|e| e.to_string())
        });
        match routed {
            Ok(()) => {
                let hd = decision.handler();
                let up: Vec<&str> = decision.escalation().map(|u| u.code()).collect();
                writeln!(
                    out,
                    "{n},{},{},{},{},{},",
                    hd.code(),
                    hd.name(),
                    hd.level(),
                    hd.tiers(),
                    up.join(" ")
                )?;
            }
            Err(e) => {
                all = false;
                writeln!(out, "{n},,,,,,\"{}\"", e.replace('"', "\"\""))?;
            }
        }
    }
    out.flush()?;
    Ok(all)
}

/// `places,category,severity,people` of one line.
#[allow(clippy::type_complexity)]
fn parse(line: &str) -> Result<(&str, &str, Option<&str>, Option<u64>), String> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if !(2..=4).contains(&fields.len()) {
        return Err(format!(
            "expected places,category,severity,people: found {} fields",
            fields.len()
        ));
    }
    let severity = fields.get(2).copied().filter(|s| !s.is_empty());
    let people = match fields.get(3).copied().filter(|s| !s.is_empty()) {
        None => None,
        Some(p) => Some(
            p.parse::<u64>()
                .map_err(|_| format!("people must be a whole number, found {p:?}"))?,
        ),
    };
    Ok((fields[0], fields[1], severity, people))
}
