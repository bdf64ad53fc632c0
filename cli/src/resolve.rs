//! `xzqh resolve`: free-text addresses in bulk, on every core.
//!
//! The input is read in chunks of lines; each chunk is cut into one slice
//! per thread, every thread resolves and formats its slice into its own
//! buffer, and the buffers are written in order, so the output keeps the
//! input's order whatever the threads do.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};

use xzqh::Hierarchy;
use xzqh::address::{AddressResolver, Outcome, Resolution};

use crate::{Format, json_str};

/// Lines per chunk: enough to keep every thread busy, little enough to
/// start writing early.
const CHUNK: usize = 1 << 16;

const HEADER: &str = "line,outcome,code,name,level,county_code,county,chain,spans,remainder,text\n";

/// Resolves the lines of `file` (standard input for `None` or `-`) and
/// writes one record per line. Returns whether every line resolved.
pub(crate) fn run(
    h: &Hierarchy,
    file: Option<&str>,
    format: Format,
    threads: Option<usize>,
) -> io::Result<bool> {
    let addresses = h
        .addresses()
        .map_err(|e| io::Error::other(format!("cannot read addresses: {e}")))?;
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .max(1);
    let mut reader = BufReader::with_capacity(1 << 20, crate::input(file)?);
    let mut out = io::BufWriter::with_capacity(1 << 20, io::stdout().lock());
    if format == Format::Csv {
        out.write_all(HEADER.as_bytes())?;
    }
    let progress = io::stderr().is_terminal();
    let (mut first_line, mut all, mut done) = (1u64, true, 0u64);
    let mut lines: Vec<String> = Vec::with_capacity(CHUNK);
    loop {
        lines.clear();
        for _ in 0..CHUNK {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            let trimmed = line.trim_end_matches(['\n', '\r']).len();
            line.truncate(trimmed);
            lines.push(line);
        }
        if lines.is_empty() {
            break;
        }
        let per = lines.len().div_ceil(threads);
        let results: Vec<(String, bool)> = std::thread::scope(|s| {
            let workers: Vec<_> = lines
                .chunks(per)
                .enumerate()
                .map(|(k, slice)| {
                    let addresses = addresses.clone();
                    let start = first_line + (k * per) as u64;
                    s.spawn(move || format_slice(&addresses, slice, start, format))
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        for (text, ok) in results {
            out.write_all(text.as_bytes())?;
            all &= ok;
        }
        first_line += lines.len() as u64;
        done += lines.len() as u64;
        if progress {
            eprint!("\r{done} addresses");
        }
    }
    if progress {
        eprintln!();
    }
    out.flush()?;
    Ok(all)
}

/// Resolves a slice of lines numbered from `start` into one buffer;
/// whether every line resolved.
fn format_slice(
    addresses: &AddressResolver<'_>,
    lines: &[String],
    start: u64,
    format: Format,
) -> (String, bool) {
    let mut buf = String::with_capacity(lines.len() * 160);
    let mut all = true;
    for (i, text) in lines.iter().enumerate() {
        let r = addresses.resolve(text);
        all &= r.unit().is_some();
        match format {
            Format::Csv => csv_record(&mut buf, start + i as u64, &r),
            Format::Jsonl => json_record(&mut buf, start + i as u64, &r),
        }
    }
    (buf, all)
}

/// The outcome's name in the output.
fn outcome(r: &Resolution<'_>) -> &'static str {
    match r.outcome() {
        Outcome::Resolved(_) => "resolved",
        Outcome::Ambiguous(_) => "ambiguous",
        Outcome::NotFound => "not_found",
        _ => "unresolved",
    }
}

/// The fields every format writes.
struct Fields<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    county_code: &'a str,
    county: &'a str,
    chain: String,
    spans: String,
}

fn fields<'a>(r: &Resolution<'a>) -> Fields<'a> {
    let unit = r.unit();
    let county = r
        .chain()
        .iter()
        .find(|u| u.level().rank() == xzqh::china::COUNTY.rank());
    let mut chain = String::new();
    for (i, u) in r.chain().iter().enumerate() {
        if i > 0 {
            chain.push('/');
        }
        chain.push_str(u.name());
    }
    let mut spans = String::new();
    for (i, s) in r.spans().iter().enumerate() {
        if i > 0 {
            spans.push(' ');
        }
        let _ = write!(spans, "{}-{}:{}", s.range.start, s.range.end, s.unit.code());
    }
    Fields {
        code: unit.map_or("", |u| u.code()),
        name: unit.map_or("", |u| u.name()),
        level: unit.map_or("", |u| {
            let schema: &xzqh::Schema = u.hierarchy().schema();
            schema.levels()[u.level().rank() as usize].name()
        }),
        county_code: county.map_or("", |u| u.code()),
        county: county.map_or("", |u| u.name()),
        chain,
        spans,
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(buf: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        buf.push('"');
        buf.push_str(&s.replace('"', "\"\""));
        buf.push('"');
    } else {
        buf.push_str(s);
    }
}

fn csv_record(buf: &mut String, line: u64, r: &Resolution<'_>) {
    let f = fields(r);
    let _ = write!(buf, "{line},{},", outcome(r));
    for field in [
        f.code,
        f.name,
        f.level,
        f.county_code,
        f.county,
        &f.chain,
        &f.spans,
        r.remainder(),
    ] {
        csv_field(buf, field);
        buf.push(',');
    }
    csv_field(buf, r.text());
    buf.push('\n');
}

fn json_record(buf: &mut String, line: u64, r: &Resolution<'_>) {
    let f = fields(r);
    let _ = writeln!(
        buf,
        "{{\"line\":{line},\"outcome\":\"{}\",\"code\":{},\"name\":{},\"level\":{},\"county_code\":{},\"county\":{},\"chain\":{},\"spans\":{},\"remainder\":{},\"text\":{}}}",
        outcome(r),
        json_str(f.code),
        json_str(f.name),
        json_str(f.level),
        json_str(f.county_code),
        json_str(f.county),
        json_str(&f.chain),
        json_str(&f.spans),
        json_str(r.remainder()),
        json_str(r.text()),
    );
}
