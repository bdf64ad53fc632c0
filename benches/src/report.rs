//! Writes BENCHMARKS.md from criterion's output of the last bench run.
//!
//! ```text
//! cargo bench -p xzqh-benches
//! cargo run -p xzqh-benches --bin report [-- --note "text"] [--out PATH]
//! cargo run -p xzqh-benches --bin report -- --python   # that section alone, to stdout
//! ```
//!
//! Reads `target/criterion/**/new/{benchmark,estimates}.json` (or under
//! `$CARGO_TARGET_DIR`), takes each benchmark's median, and writes one row
//! per criterion group that has an `xzqh` id: xzqh, the simple alternative
//! (`baseline`), the existing crate (`peer:<crate>`), their ratios, the
//! target where one is set, and any `extra:<label>` ids as notes. The
//! machine (CPU model and logical cores from /proc/cpuinfo, the load
//! average) and the date go in the header; `benches/analysis.md` (where the
//! time goes, from callgrind) follows the table.
//!
//! `benches/python.json`, when present, adds the section on the Python
//! package and the command-line tool beside cpca and JioNLP; it is written
//! by `python/bench/compare.py` (its module docs give the commands).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Operations in the order the table lists them: group, what it measures,
/// and the target (`Target::Time` in ns, or a ratio to another column).
const OPERATIONS: &[(&str, &str, Target)] = &[
    (
        "code_to_unit/665k",
        "code → unit, random code of any level (12-digit villages too)",
        Target::Time(30.0),
    ),
    (
        "code_to_unit/gb2260_codes",
        "code → unit, random 6-digit code of levels 1–3 known to gb2260",
        Target::PeerRatio(1.0),
    ),
    (
        "ancestors/665k",
        "ancestor chain of a random unit, walked to the root",
        Target::Time(30.0),
    ),
    (
        "ancestors/county",
        "ancestor chain of a random county (gb2260: `stack()`)",
        Target::Time(30.0),
    ),
    (
        "name_to_unit/unique_county",
        "a single name → its one unit (county-level names)",
        Target::TimeAndPeerRatio(150.0, 0.5),
    ),
    (
        "governs/665k",
        "does A govern B, random pairs",
        Target::Time(5.0),
    ),
    (
        "governs_dependent/665k",
        "does A govern B, each query waiting for the last",
        Target::None,
    ),
    (
        "lca_of_8/665k",
        "lowest common ancestor of 8 random villages",
        Target::BaselineRatio(0.5),
    ),
    (
        "route_1_places/665k",
        "route a case, 1 random village, trace included",
        Target::None,
    ),
    (
        "route_4_places/665k",
        "route a case, 4 random villages, trace included",
        Target::Time(100.0),
    ),
    (
        "route_16_places/665k",
        "route a case, 16 random villages, trace included",
        Target::None,
    ),
    (
        "address_to_unit/random",
        "free-text address → unit: random townships in six written forms with street text",
        Target::TimeAndPeerRatio(1000.0, 1.0),
    ),
    (
        "address_to_unit/delivery",
        "free-text address → unit: delivery texts (road, compound, room, name, phone)",
        Target::TimeAndPeerRatio(1000.0, 1.0),
    ),
    (
        "address_to_unit/warm256",
        "free-text address → unit: 256 random texts over and over (names in cache)",
        Target::None,
    ),
    (
        "history_resolve/3k",
        "old code + year → today's units, 3k-unit tree",
        Target::Time(50.0),
    ),
    (
        "history_resolve/665k",
        "old code + year → today's units, 665k-unit tree",
        Target::Time(50.0),
    ),
    (
        "first_use/township",
        "first use of the township-level data (44.7k units)",
        Target::Time(5e6),
    ),
    (
        "first_use/village",
        "first use of the village-level data (665k units)",
        Target::None,
    ),
    (
        "ingest_1M_into_100k",
        "matters ledger: ingest 1M case arrivals into 100k open matters (all 1M; baseline: re-route each matter from all its places)",
        Target::Time(1e9),
    ),
    (
        "tick_100k_deadlines",
        "matters ledger: one tick expiring the 43,192 deadlines pending after 100k arrivals (all of them)",
        // 1 µs per expired deadline (the bench's seeded data leaves 43,192).
        Target::Time(43_192_000.0),
    ),
    (
        "snapshot_load/661k",
        "load a 661k-unit hierarchy from bytes in memory",
        Target::None,
    ),
];

#[derive(Clone, Copy)]
enum Target {
    None,
    /// At most this many nanoseconds.
    Time(f64),
    /// At most this fraction of the peer's time.
    PeerRatio(f64),
    /// At most this fraction of the baseline's time.
    BaselineRatio(f64),
    TimeAndPeerRatio(f64, f64),
}

/// Medians (ns) of one group, by id.
type Group = BTreeMap<String, f64>;

fn main() {
    let mut note = None;
    let mut out = None;
    let mut python_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--note" => note = args.next(),
            "--out" => out = args.next().map(PathBuf::from),
            "--python" => python_only = true,
            _ => {
                eprintln!("usage: report [--note TEXT] [--out PATH] [--python]");
                std::process::exit(2);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the benches member sits in the workspace")
        .to_path_buf();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("python.json");
    let python = std::fs::read_to_string(&python)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .map(|v| render_python(&v));
    if python_only {
        let Some(section) = python else {
            eprintln!("no benches/python.json: run python/bench/compare.py first");
            std::process::exit(1);
        };
        print!("{section}");
        return;
    }
    let criterion = target.join("criterion");
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    collect(&criterion, &mut groups);
    groups.retain(|_, g| g.contains_key("xzqh"));
    if groups.is_empty() {
        eprintln!(
            "no results under {}: run `cargo bench -p xzqh-benches` first",
            criterion.display()
        );
        std::process::exit(1);
    }
    let mut text = render(&groups, note.as_deref());
    if let Some(section) = python {
        text.push('\n');
        text.push_str(&section);
    }
    // The hand-written analysis (instruction and miss counts) follows the table.
    let analysis = Path::new(env!("CARGO_MANIFEST_DIR")).join("analysis.md");
    if let Ok(a) = std::fs::read_to_string(&analysis) {
        text.push('\n');
        text.push_str(&a);
    }
    let out = out.unwrap_or_else(|| root.join("BENCHMARKS.md"));
    std::fs::write(&out, text).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    eprintln!("wrote {} ({} operations)", out.display(), groups.len());
}

/// Every `new/benchmark.json` below `dir`, with its median.
fn collect(dir: &Path, groups: &mut BTreeMap<String, Group>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") {
            if let Some((group, id, median)) = read(&path) {
                groups.entry(group).or_default().insert(id, median);
            }
        } else {
            collect(&path, groups);
        }
    }
}

fn read(new: &Path) -> Option<(String, String, f64)> {
    let json = |name: &str| -> Option<Value> {
        serde_json::from_str(&std::fs::read_to_string(new.join(name)).ok()?).ok()
    };
    let b = json("benchmark.json")?;
    let e = json("estimates.json")?;
    let group = b["group_id"].as_str()?.to_owned();
    let mut id = b["function_id"].as_str()?.to_owned();
    if let Some(v) = b["value_str"].as_str() {
        id = format!("{id}/{v}");
    }
    Some((group, id, e["median"]["point_estimate"].as_f64()?))
}

fn time(ns: f64) -> String {
    if ns < 10.0 {
        format!("{ns:.2} ns")
    } else if ns < 1e3 {
        format!("{ns:.1} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

/// A target: whole numbers without decimals.
fn limit(ns: f64) -> String {
    let (v, unit) = match ns {
        n if n < 1e3 => (n, "ns"),
        n if n < 1e6 => (n / 1e3, "µs"),
        n => (n / 1e6, "ms"),
    };
    format!("{v} {unit}")
}

fn render(groups: &BTreeMap<String, Group>, note: Option<&str>) -> String {
    let mut s = String::new();
    let (cpu, cores) = cpu();
    let _ = writeln!(
        s,
        "<!-- @generated by `cargo run -p xzqh-benches --bin report` from criterion's output: do not edit -->"
    );
    let _ = writeln!(s, "# Benchmarks\n");
    let _ = writeln!(
        s,
        "Regenerate: `cargo bench -p xzqh-benches && cargo run -p xzqh-benches --bin report` \
         (one bench: `cargo bench -p xzqh-benches --bench hierarchy`; \
         `rm -rf target/criterion` first to drop results of benches no longer present).\n"
    );
    let _ = writeln!(
        s,
        "Each operation is measured in one run beside **the simple alternative** a competent \
         engineer would write in an afternoon (*baseline*: a `hashbrown` map with its default \
         fast hasher for codes, a std `HashMap` of names, a depth-aligned walk over parent and \
         depth arrays for ancestors and lowest common ancestors, a sorted array with binary \
         search for history intervals) and **the existing crate** that does the same job \
         (*peer*: `gb2260` for codes and ancestors of levels 1–3, `cpca` for names). Queries \
         are random over the whole hierarchy (China's village-level data, 665k units, unless \
         the operation says otherwise) and every answer is checked inside the loop. Times are \
         criterion's medians per query; a ratio above 1 means xzqh is faster. The benches' \
         module docs say exactly what each one runs.\n"
    );
    let _ = writeln!(
        s,
        "Machine: {cpu}, {cores} logical cores; load average {} when this file was written; {}.\n",
        loadavg(),
        today()
    );
    if let Some(note) = note {
        let _ = writeln!(s, "**Note:** {note}\n");
    }
    let _ = writeln!(
        s,
        "| operation | xzqh | baseline | peer | baseline ÷ xzqh | peer ÷ xzqh | target | met | extras |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---|---|---|");
    let known: Vec<&str> = OPERATIONS.iter().map(|o| o.0).collect();
    let rows = OPERATIONS
        .iter()
        .map(|&(g, what, t)| (g.to_owned(), format!("{what} (`{g}`)"), t))
        .chain(
            groups
                .keys()
                .filter(|g| !known.contains(&g.as_str()))
                .map(|g| (g.clone(), format!("`{g}`"), Target::None)),
        );
    for (group, what, target) in rows {
        let Some(g) = groups.get(&group) else {
            continue;
        };
        let x = g["xzqh"];
        let base = g.get("baseline").copied();
        let peer = g.iter().find(|(k, _)| k.starts_with("peer:"));
        let ratio = |v: Option<f64>| v.map_or("–".to_owned(), |v| format!("{:.2}×", v / x));
        let (target_text, met) = match target {
            Target::None => ("".to_owned(), None),
            Target::Time(t) => (format!("≤ {}", limit(t)), Some(x <= t)),
            Target::PeerRatio(r) => (format!("≤ {r} × peer"), peer.map(|(_, &p)| x <= r * p)),
            Target::BaselineRatio(r) => (format!("≤ {r} × baseline"), base.map(|b| x <= r * b)),
            Target::TimeAndPeerRatio(t, r) => (
                format!("≤ {}, ≤ {r} × peer", limit(t)),
                Some(x <= t && peer.is_none_or(|(_, &p)| x <= r * p)),
            ),
        };
        let extras: Vec<String> = g
            .iter()
            .filter(|(k, _)| k.starts_with("extra:"))
            .map(|(k, v)| format!("{}: {}", &k["extra:".len()..], time(*v)))
            .collect();
        let _ = writeln!(
            s,
            "| {what} | {} | {} | {} | {} | {} | {target_text} | {} | {} |",
            time(x),
            base.map_or("–".to_owned(), time),
            peer.map_or("–".to_owned(), |(k, v)| format!(
                "{} ({})",
                time(*v),
                &k["peer:".len()..]
            )),
            ratio(base),
            ratio(peer.map(|(_, v)| *v)),
            match met {
                None => "",
                Some(true) => "yes",
                Some(false) => "**no**",
            },
            extras.join("; "),
        );
    }
    s
}

/// The section of `benches/python.json`: xzqh from Python and from the
/// command line beside cpca and JioNLP on the same generated addresses.
fn render_python(v: &Value) -> String {
    let f = |k: &str| v[k].as_f64();
    let n = f("addresses").unwrap_or(0.0);
    let rate = |k: &str| f(k).map_or("–".to_owned(), thousands);
    let us = |k: &str| f(k).map_or("–".to_owned(), |u| format!("{u:.2} µs"));
    let pct = |k: &str| f(k).map_or("–".to_owned(), |a| format!("{:.2} %", a * 100.0));
    let count = |k: &str| thousands(f(k).unwrap_or(n));
    let met = |ok: Option<bool>| match ok {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "",
    };
    let mut s = String::new();
    let _ = writeln!(s, "## From Python and the command line\n");
    let _ = writeln!(
        s,
        "Written by `python/bench/compare.py` into `benches/python.json` (its module docs give the \
         commands) on {} generated addresses (`xzqh_benches::address_set`: real townships in \
         six written forms with street text, labelled with their county-level unit); Python {}, \
         {}. *Wall* is addresses per second of elapsed time; *CPU* is the process's CPU time \
         (all threads) per address, the steadier figure on a shared machine. County-level \
         accuracy: the answer names the labelled county (the prefecture for townships with no \
         county above them); cpca and JioNLP are timed and judged on the first addresses of the \
         same set. Run {}.\n",
        thousands(n),
        v["python"].as_str().unwrap_or("?"),
        v["machine"].as_str().unwrap_or("?"),
        v["when"].as_str().unwrap_or("?"),
    );
    let _ = writeln!(
        s,
        "| what | addresses | wall (per s) | CPU per address | county-level accuracy | target | met |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---|---|");
    let rows = [
        (
            "xzqh `resolve_batch`, pyarrow array in, every core",
            count("addresses"),
            rate("batch_arrow_per_s"),
            us("batch_arrow_cpu_us"),
            pct("xzqh_county_accuracy"),
            "≥ 1,000,000 / s",
            met(f("batch_arrow_per_s").map(|r| r >= 1e6)),
        ),
        (
            "xzqh `resolve_batch`, pyarrow array in, one thread",
            count("addresses"),
            rate("batch_arrow_one_thread_per_s"),
            us("batch_arrow_one_thread_cpu_us"),
            String::new(),
            "",
            "",
        ),
        (
            "xzqh `resolve_batch`, list of str in, every core",
            count("addresses"),
            rate("batch_list_per_s"),
            us("batch_list_cpu_us"),
            String::new(),
            "",
            "",
        ),
        (
            "xzqh `resolve`, one call from Python",
            count("single_sample"),
            rate("single_per_s"),
            us("single_cpu_us"),
            String::new(),
            "≤ 2 µs a call",
            met(f("single_us").map(|u| u <= 2.0)),
        ),
        (
            "`xzqh resolve FILE > CSV` (CLI, end to end, every core)",
            count("addresses"),
            rate("cli_per_s"),
            us("cli_cpu_us"),
            String::new(),
            "≥ 1,000,000 / s",
            met(f("cli_per_s").map(|r| r >= 1e6)),
        ),
        (
            "cpca `transform` (batch call)",
            count("cpca_sample"),
            rate("cpca_per_s"),
            us("cpca_cpu_us"),
            pct("cpca_county_accuracy"),
            "",
            "",
        ),
        (
            "JioNLP `parse_location`",
            count("jionlp_sample"),
            rate("jionlp_per_s"),
            us("jionlp_cpu_us"),
            pct("jionlp_county_accuracy"),
            "",
            "",
        ),
    ];
    for (what, n, wall, cpu, acc, target, ok) in rows {
        let _ = writeln!(
            s,
            "| {what} | {n} | {wall} | {cpu} | {acc} | {target} | {ok} |"
        );
    }
    s
}

/// A whole number with thousands separators: 1,000,000.
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// CPU model and logical core count from /proc/cpuinfo.
fn cpu() -> (String, usize) {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU".to_owned(), |(_, m)| m.trim().to_owned());
    let cores = info.lines().filter(|l| l.starts_with("processor")).count();
    (model, cores)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Today's date (UTC) as `yyyy-mm-dd`, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Howard Hinnant's days-to-civil algorithm.
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
