//! `xzqh`: China's administrative divisions from the shell — look units up,
//! resolve free-text addresses in bulk, route files of cases, follow old
//! codes, draw a region.

mod resolve;
mod route;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use xzqh::{Hierarchy, Unit};

/// Exit status: everything read was answered.
const OK: u8 = 0;
/// Exit status: the command ran, but some inputs had no answer (an unknown
/// unit, an address that names no unit, a case that cannot be routed).
const SOME_FAILED: u8 = 1;
/// Exit status: the command line is wrong (clap's own status for usage errors).
const USAGE: u8 = 2;
/// Exit status: a file could not be read or written.
const IO: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "xzqh",
    version,
    about = "China's administrative divisions (行政区划) from the shell: units, addresses, cases, old codes, pictures",
    long_about = None,
    after_help = "Examples:\n  \
        xzqh unit 440305 '北京 朝阳区' 广西\n  \
        xzqh resolve addresses.txt > resolved.csv\n  \
        cat addresses.txt | xzqh resolve --format jsonl\n  \
        xzqh route cases.csv\n  \
        xzqh history 371200 --year 2010\n  \
        xzqh draw 42 --depth 2 > hubei.dot\n\n\
        Exit status: 0 all answered, 1 some inputs had no answer, 2 usage error, 3 input/output error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Look units up by code (any NBS form) or name (short forms, "北京 朝阳区" paths).
    #[command(
        after_help = "Examples:\n  xzqh unit 654201200\n  xzqh unit 110105000000 深圳 --json"
    )]
    Unit {
        /// Codes or names.
        #[arg(required = true)]
        queries: Vec<String>,
        /// One JSON object per query instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Resolve free-text addresses, one per line, to units: CSV or JSON lines out.
    #[command(
        after_help = "Columns: line, outcome, code, name, level, county_code, county, chain, spans, remainder, text.\n\
        outcome is resolved, ambiguous, not_found or conflict (two places that disagree); spans are start-end:code in bytes.\n\
        Uses every core; a progress bar goes to standard error when it is a terminal.\n\n\
        Examples:\n  xzqh resolve addresses.txt > out.csv\n  xzqh resolve - --format jsonl < addresses.txt"
    )]
    Resolve {
        /// The file to read (`-` or nothing for standard input).
        file: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Worker threads (default: every core).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Route a file of cases (`places,category,severity,people` per line; places as codes separated by spaces).
    #[command(after_help = "Example:\n  xzqh route examples/cases.csv")]
    Route {
        /// The file to read (`-` or nothing for standard input).
        file: Option<String>,
    },
    /// Follow an old code (1981-2025) to today's units.
    #[command(after_help = "Examples:\n  xzqh history 371200\n  xzqh history 371202 --year 2010")]
    History {
        /// A county-level or higher MCA code (2, 4 or 6 digits).
        code: String,
        /// The year the code was written in (default: its last year of use).
        #[arg(long)]
        year: Option<u16>,
    },
    /// Draw a region's pyramid as Graphviz DOT (or SVG, with Graphviz's `dot` installed).
    #[command(
        after_help = "Examples:\n  xzqh draw 42 --depth 1 > hubei.dot\n  xzqh draw 4403 --format svg > shenzhen.svg"
    )]
    Draw {
        /// The region's code or name.
        region: String,
        /// Levels below the region to draw.
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Picture::Dot)]
        format: Picture,
    },
}

/// Output formats of `resolve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Picture {
    Dot,
    Svg,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { USAGE } else { OK });
        }
    };
    let h = xzqh::china();
    let result = match cli.command {
        Command::Unit { queries, json } => unit(h, &queries, json),
        Command::Resolve {
            file,
            format,
            threads,
        } => resolve::run(h, file.as_deref(), format, threads),
        Command::Route { file } => route::run(h, file.as_deref()),
        Command::History { code, year } => history(h, &code, year),
        Command::Draw {
            region,
            depth,
            format,
        } => draw(h, &region, depth, format),
    };
    match result {
        Ok(all) => ExitCode::from(if all { OK } else { SOME_FAILED }),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(OK),
        Err(e) => {
            eprintln!("xzqh: {e}");
            ExitCode::from(IO)
        }
    }
}

/// Opens a file, or standard input for `None` or `-`.
pub(crate) fn input(file: Option<&str>) -> io::Result<Box<dyn io::Read>> {
    match file {
        None | Some("-") => Ok(Box::new(io::stdin().lock())),
        Some(path) => std::fs::File::open(path)
            .map(|f| Box::new(f) as Box<dyn io::Read>)
            .map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}"))),
    }
}

/// A unit by code in any form, or by name or path.
fn find<'h>(h: &'h Hierarchy, query: &str) -> Result<Unit<'h>, String> {
    if let Some(u) = h.by_code(query.trim()) {
        return Ok(u);
    }
    h.names().lookup(query).map_err(|e| e.to_string())
}

/// A JSON string literal.
pub(crate) fn json_str(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    json_into(&mut out, s);
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// Appends `s` as a JSON string literal.
pub(crate) fn json_into(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut rest = s;
    while let Some(i) = rest
        .bytes()
        .position(|b| b < 0x20 || b == b'"' || b == b'\\')
    {
        out.extend_from_slice(&rest.as_bytes()[..i]);
        let b = rest.as_bytes()[i];
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        }
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest.as_bytes());
    out.push(b'"');
}

fn unit(h: &Hierarchy, queries: &[String], json: bool) -> io::Result<bool> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut all = true;
    for q in queries {
        let u = match find(h, q) {
            Ok(u) => u,
            Err(e) => {
                eprintln!("xzqh: {e}");
                all = false;
                continue;
            }
        };
        let mut chain: Vec<Unit<'_>> = std::iter::once(u)
            .chain(u.ancestors())
            .filter(|a| a.parent().is_some())
            .collect();
        chain.reverse();
        let designations: Vec<&str> = u
            .designations()
            .iter()
            .filter_map(|d| h.schema().designation_name(d))
            .collect();
        if json {
            let chain: Vec<String> = chain
                .iter()
                .map(|a| {
                    format!(
                        "{{\"code\":{},\"name\":{}}}",
                        json_str(a.code()),
                        json_str(a.name())
                    )
                })
                .collect();
            let designations: Vec<String> = designations.iter().map(|d| json_str(d)).collect();
            writeln!(
                out,
                "{{\"query\":{},\"code\":{},\"name\":{},\"kind\":{},\"level\":{},\"role\":{},\"tiers\":{},\"administrative_levels\":{},\"designations\":[{}],\"chain\":[{}]}}",
                json_str(q),
                json_str(u.code()),
                json_str(u.name()),
                json_str(u.kind().name()),
                json_str(u.level().name()),
                json_str(u.role().as_str()),
                u.tiers(),
                u.administrative_levels(),
                designations.join(","),
                chain.join(",")
            )?;
        } else {
            writeln!(out, "{} {}", u.code(), u.name())?;
            writeln!(
                out,
                "  kind {} ({}), {} level, role {}",
                u.kind().name(),
                u.kind().label(),
                u.level(),
                u.role()
            )?;
            writeln!(
                out,
                "  {} tiers of government, {} administrative levels",
                u.tiers(),
                u.administrative_levels()
            )?;
            if !designations.is_empty() {
                writeln!(out, "  designations: {}", designations.join(", "))?;
            }
            let chain: Vec<String> = chain
                .iter()
                .map(|a| format!("{} {}", a.code(), a.name()))
                .collect();
            writeln!(out, "  chain: {}", chain.join(" → "))?;
        }
    }
    out.flush()?;
    Ok(all)
}

fn history(h: &Hierarchy, code: &str, year: Option<u16>) -> io::Result<bool> {
    use xzqh::china::history::History;
    let history = History::embedded();
    let answer = match year {
        Some(y) => history.resolve(code, y, h),
        None => history.current(code, h),
    };
    let mut out = io::stdout().lock();
    match answer {
        Ok(s) => {
            let units: Vec<String> = s.units().map(|u| u.to_string()).collect();
            writeln!(
                out,
                "{} as of {}: {} ({})",
                s.code(),
                s.year(),
                units.join(", "),
                s.status()
            )?;
            for change in s.changes() {
                writeln!(out, "  {change}")?;
            }
            for change in s.later() {
                writeln!(out, "  later: {change}")?;
            }
            Ok(true)
        }
        Err(e) => {
            eprintln!("xzqh: {e}");
            Ok(false)
        }
    }
}

fn draw(h: &Hierarchy, region: &str, depth: usize, format: Picture) -> io::Result<bool> {
    let u = match find(h, region) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("xzqh: {e}");
            return Ok(false);
        }
    };
    let options = xzqh::DotOptions::default().with_depth(Some(depth));
    let Some(dot) = h.dot(u, &options) else {
        eprintln!("xzqh: {} is not a unit of this hierarchy", u.code());
        return Ok(false);
    };
    let text = dot.to_string();
    match format {
        Picture::Dot => io::stdout().lock().write_all(text.as_bytes())?,
        Picture::Svg => {
            let mut child = std::process::Command::new("dot")
                .arg("-Tsvg")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::inherit())
                .spawn()
                .map_err(|e| {
                    io::Error::new(e.kind(), format!("svg needs Graphviz's `dot` on PATH: {e}"))
                })?;
            child
                .stdin
                .take()
                .ok_or_else(|| io::Error::other("no pipe to dot"))?
                .write_all(text.as_bytes())?;
            let status = child.wait()?;
            if !status.success() {
                return Err(io::Error::other(format!("dot failed: {status}")));
            }
        }
    }
    Ok(true)
}
