//! Fuzz targets for every loader and text entry point of `xzqh`, shared by
//! two drivers: `xzqh-mutate` (a seeded mutation runner on stable Rust, for
//! CI and for long runs) and the cargo-fuzz targets in `fuzz/fuzz_targets`
//! (libFuzzer, nightly).
//!
//! Each target takes arbitrary bytes and panics on what must never happen:
//! a panic inside the crate, a broken invariant (a loaded hierarchy that
//! does not survive its own round trip, a span outside its text, an error
//! message that quotes its input unbounded), or a call that held more heap
//! than [`heap_bound`] allows for its input.

#![warn(missing_docs)]

// Shared with the library's hostile-input tests (one counting allocator).
#[path = "../../../tests/support/heap.rs"]
pub mod heap;
pub mod mutate;
pub mod seeds;

use std::sync::OnceLock;

use xzqh::address::Outcome;
use xzqh::china::ChinaCode;
use xzqh::routing::{Case, Place, Policy, Router};
use xzqh::{CsvImport, Hierarchy, LoadError, LoadOptions};

/// One target: its name (also the cargo-fuzz target's), the function, and
/// the seeds its corpus starts from.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The name, e.g. `snapshot_binary`.
    pub name: &'static str,
    /// Runs one input; panics on a failure.
    pub run: fn(&[u8]),
    /// The seed inputs, from the crate's own outputs.
    pub seeds: fn() -> Vec<Vec<u8>>,
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "snapshot_binary",
        run: snapshot_binary,
        seeds: seeds::snapshots,
    },
    Target {
        name: "snapshot_json",
        run: snapshot_json,
        seeds: seeds::json,
    },
    Target {
        name: "csv_import",
        run: csv_import,
        seeds: seeds::csv,
    },
    Target {
        name: "policy_toml",
        run: policy_toml,
        seeds: seeds::policies_toml,
    },
    Target {
        name: "policy_json",
        run: policy_json,
        seeds: seeds::policies_json,
    },
    Target {
        name: "china_code",
        run: china_code,
        seeds: seeds::codes,
    },
    Target {
        name: "name_lookup",
        run: name_lookup,
        seeds: seeds::names,
    },
    Target {
        name: "address",
        run: address,
        seeds: seeds::addresses,
    },
    Target {
        name: "route_text",
        run: route_text,
        seeds: seeds::cases,
    },
    Target {
        name: "desk_directory",
        run: desk_directory,
        seeds: seeds::directories,
    },
    Target {
        name: "ledger_events",
        run: ledger_events,
        seeds: seeds::events,
    },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// The most heap one call may hold for an input of `len` bytes: four times
/// the input plus 1 MiB (parsers' fixed buffers, a policy's compiled
/// tables, a resolution's scratch).
pub fn heap_bound(len: usize) -> usize {
    4 * len + (1 << 20)
}

thread_local! {
    static WORST: std::cell::Cell<(f64, usize, usize)> = const { std::cell::Cell::new((0.0, 0, 0)) };
}

/// The largest share of its bound a measured call held since the last
/// call on this thread, with that call's peak and input length; resets.
pub fn take_worst() -> (f64, usize, usize) {
    WORST.with(|w| w.replace((0.0, 0, 0)))
}

/// The longest error message any call may return: errors quote bounded
/// excerpts (64 characters and a length), a handful of them at most.
pub const MAX_MESSAGE_BYTES: usize = 2048;

/// Runs `f` on an input of `len` bytes and panics if it held more than
/// [`heap_bound`] (when the counting allocator is installed).
#[track_caller]
pub fn bounded<R>(len: usize, f: impl FnOnce() -> R) -> R {
    bounded_with(heap_bound(len), len, f)
}

/// [`bounded`] with another bound: the TOML parser tokenizes the whole
/// file before it parses and records an error per rejected line, which
/// the policy loader's pre-scan bounds to about 2 MiB, not exactly.
pub const TOML_HEAP_SLACK: usize = 2 << 20;

#[track_caller]
fn bounded_with<R>(bound: usize, len: usize, f: impl FnOnce() -> R) -> R {
    let (r, peak) = heap::peak(f);
    WORST.with(|w| {
        if peak as f64 / bound as f64 > w.get().0 {
            w.set((peak as f64 / bound as f64, peak, len));
        }
    });
    assert!(
        peak <= bound,
        "peak heap {peak} bytes for a {len}-byte input exceeds the bound of {bound}"
    );
    r
}

/// Panics if `e`'s message (with its sources) is longer than [`MAX_MESSAGE_BYTES`].
#[track_caller]
pub fn check_message(e: &dyn std::error::Error) {
    let mut len = e.to_string().len();
    let mut source = e.source();
    while let Some(s) = source {
        len += s.to_string().len();
        source = s.source();
    }
    assert!(
        len <= MAX_MESSAGE_BYTES,
        "an error message of {len} bytes: {}",
        &e.to_string()[..e.to_string().floor_char_boundary(200)]
    );
}

/// Shared, built once before any input is measured: China's data, its
/// names and address dictionary, a router under China's policy.
struct Fixtures {
    china: &'static Hierarchy,
    router: Router<&'static Hierarchy>,
    options: [LoadOptions; 2],
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let china = xzqh::china();
        let _ = china.names().candidates("北京");
        let _ = china
            .addresses()
            .expect("China's dictionary builds")
            .resolve("北京");
        let router = Router::new(china, xzqh::china::policy()).expect("China's policy compiles");
        let case = [Place::Text("北京市朝阳区")];
        let _ = router.route(&Case::new(&case, "noise"));
        Fixtures {
            china,
            router,
            options: [
                LoadOptions::default(),
                LoadOptions::default().with_profile(xzqh::china::profile()),
            ],
        }
    })
}

/// Builds the shared fixtures now (drivers call it once, so that the first
/// input's measurement does not include them).
pub fn warm_up() {
    fixtures();
}

/// What every loaded hierarchy must satisfy: it reloads to itself in both
/// formats, and its units are consistent with their parents.
fn check_hierarchy(h: &Hierarchy, options: &LoadOptions) {
    let again = Hierarchy::from_snapshot_with(&h.to_snapshot(), options)
        .expect("a loaded hierarchy's snapshot loads");
    assert_eq!(&again, h, "binary round trip");
    let again = Hierarchy::from_json_with(h.to_json().as_bytes(), options)
        .expect("a loaded hierarchy's JSON loads");
    assert_eq!(&again, h, "JSON round trip");
    assert!(h.root().parent().is_none());
    let mut count = 0;
    for u in h.units() {
        count += 1;
        assert_eq!(h.by_code(u.code()), Some(u), "by_code finds {}", u.code());
        if let Some(p) = u.parent() {
            assert!(p.contains(u));
            assert_eq!(u.depth(), p.depth() + 1);
        }
    }
    assert_eq!(count, h.len());
}

fn loaded(result: Result<Hierarchy, LoadError>, options: &LoadOptions) {
    match result {
        Ok(h) => check_hierarchy(&h, options),
        Err(e) => check_message(&e),
    }
}

/// A binary snapshot, loaded with the plain and with China's profile.
pub fn snapshot_binary(data: &[u8]) {
    for options in &fixtures().options {
        let r = bounded(data.len(), || Hierarchy::from_snapshot_with(data, options));
        loaded(r, options);
    }
}

/// A JSON snapshot, loaded with the plain and with China's profile.
pub fn snapshot_json(data: &[u8]) {
    for options in &fixtures().options {
        let r = bounded(data.len(), || Hierarchy::from_json_with(data, options));
        loaded(r, options);
    }
}

/// CSV rows with a `kind` column, and the same bytes through a classifier
/// under a root.
pub fn csv_import(data: &[u8]) {
    let options = &fixtures().options[0];
    let r = bounded(data.len(), || {
        CsvImport::new(xzqh::china::schema())
            .read("fuzz.csv", data)
            .and_then(CsvImport::finish)
    });
    loaded(r, options);
    let r = bounded(data.len(), || {
        CsvImport::new(xzqh::china::schema())
            .classify(|row| {
                // Any kind, by the code's length; none for an empty code.
                let kinds = xzqh::china::schema().kinds().len();
                (!row.code.is_empty()).then(|| xzqh::KindId::new((row.code.len() % kinds) as u16))
            })
            .root("0", "根", xzqh::china::ChinaKind::State)
            .read("fuzz.csv", data)
            .and_then(CsvImport::finish)
    });
    loaded(r, options);
}

/// A policy that parses is compiled against China and routes a case in
/// every category.
fn check_policy(p: Policy, len: usize) {
    let f = fixtures();
    let router = bounded(len, || Router::new(f.china, p));
    match router {
        Err(e) => check_message(&e),
        Ok(router) => {
            let policy = router.policy();
            let places = [Place::Code("110105"), Place::Text("广东省深圳市南山区")];
            let severities: Vec<Option<&str>> = std::iter::once(None)
                .chain(
                    policy
                        .policy()
                        .severities
                        .iter()
                        .take(4)
                        .map(|s| Some(s.name.as_str())),
                )
                .collect();
            for category in policy.category_names().take(8) {
                for &severity in &severities {
                    let mut case = Case::new(&places, category).people(1_000_000);
                    if let Some(s) = severity {
                        case = case.severity(s);
                    }
                    match router.route(&case) {
                        Ok(d) => {
                            assert!(std::ptr::eq(d.handler().hierarchy(), f.china));
                            let _ = d.explain().to_string();
                        }
                        Err(e) => check_message(&e),
                    }
                }
            }
        }
    }
}

/// Text as the text APIs take it: invalid UTF-8 replaced.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A policy file in TOML.
pub fn policy_toml(data: &[u8]) {
    let text = text(data);
    let bound = 4 * text.len() + TOML_HEAP_SLACK;
    match bounded_with(bound, text.len(), || Policy::from_toml(&text)) {
        Ok(p) => check_policy(p, text.len()),
        Err(e) => check_message(&e),
    }
}

/// A policy file in JSON.
pub fn policy_json(data: &[u8]) {
    let text = text(data);
    match bounded(text.len(), || Policy::from_json(&text)) {
        Ok(p) => check_policy(p, text.len()),
        Err(e) => check_message(&e),
    }
}

/// A China code: what parses prints to a form that parses to it again.
pub fn china_code(data: &[u8]) {
    let text = text(data);
    match bounded(text.len(), || ChinaCode::parse(&text)) {
        Ok(c) => {
            let shown = c.to_string();
            assert_eq!(ChinaCode::parse(&shown), Ok(c), "{shown} reparses");
            let _ = fixtures().china.by_code(&shown);
        }
        Err(e) => check_message(&e),
    }
}

/// A name or path (`北京 朝阳区`) looked up in China.
pub fn name_lookup(data: &[u8]) {
    let text = text(data);
    let names = fixtures().china.names();
    let candidates = bounded(text.len(), || names.candidates(&text));
    match bounded(text.len(), || names.lookup(&text)) {
        Ok(u) => assert!(candidates.contains(&u), "lookup's unit is a candidate"),
        Err(e) => check_message(&e),
    }
}

/// A free-text address resolved in China: spans and the remainder lie in
/// the text, on character boundaries, in order.
pub fn address(data: &[u8]) {
    let text = text(data);
    let addresses = fixtures().china.addresses().expect("built at warm-up");
    let r = bounded(text.len(), || addresses.resolve(&text));
    let rest = r.remainder_range();
    assert!(rest.start <= rest.end && rest.end <= text.len());
    assert_eq!(r.remainder(), &text[rest.clone()]);
    let mut end = 0;
    for s in r.spans() {
        assert!(s.range.start >= end && s.range.end <= text.len(), "{s:?}");
        assert_eq!(s.text, &text[s.range.clone()]);
        end = s.range.end;
    }
    match r.outcome() {
        Outcome::Resolved(u) => assert_eq!(r.chain().last(), Some(u)),
        Outcome::Ambiguous(c) => assert!(c.len() >= 2),
        Outcome::NotFound => assert!(r.spans().is_empty()),
        _ => {}
    }
}

/// A case with a text place under China's policy: the first line is the
/// category, the second the severity (empty for none), the rest the place.
pub fn route_text(data: &[u8]) {
    let text = text(data);
    let mut lines = text.splitn(3, '\n');
    let category = lines.next().unwrap_or("");
    let severity = lines.next().unwrap_or("");
    let place = lines.next().unwrap_or("");
    let places = [Place::Text(place)];
    let mut case = Case::new(&places, category);
    if !severity.is_empty() {
        case = case.severity(severity);
    }
    let router = &fixtures().router;
    match bounded(text.len(), || router.route(&case).map(|d| d.handler())) {
        Ok(handler) => assert!(std::ptr::eq(handler.hierarchy(), fixtures().china)),
        Err(e) => check_message(&e),
    }
}

/// A directory of bodies, as CSV and as JSON; what loads is given to a
/// desk router on China's data, which takes it or names the bad entry.
pub fn desk_directory(data: &[u8]) {
    use xzqh::desks::{DeskRouter, Directory};
    let limits = xzqh::LoadLimits::default();
    let loaded = [
        bounded(data.len(), || {
            Directory::from_csv("fuzz.csv", data, &limits)
        }),
        bounded(data.len(), || Directory::from_json(data, &limits)),
    ];
    for r in loaded {
        match r {
            Ok(directory) => {
                let routed = DeskRouter::new(
                    xzqh::china(),
                    xzqh::china::policy(),
                    xzqh::china::desks(),
                    directory,
                );
                if let Err(e) = routed {
                    check_message(&e);
                }
            }
            Err(e) => check_message(&e),
        }
    }
}

/// Most events one request body holds (the server's `MAX_EVENTS`).
const MAX_EVENTS: usize = 10_000;

/// A request body of ledger events, read as the server's `POST /events`
/// reads it (one event object or an array of them), applied to a ledger
/// on China's data: every event is taken or refused with a bounded
/// message, a refused one leaves the ledger as it was, and the ledger's
/// snapshot loads back to the same ledger.
pub fn ledger_events(data: &[u8]) {
    use xzqh::matters::{EventRecord, Ledger};
    let first = data.iter().find(|b| !b.is_ascii_whitespace());
    let parsed = bounded(data.len(), || {
        if first == Some(&b'[') {
            serde_json::from_slice::<Vec<EventRecord>>(data)
        } else {
            serde_json::from_slice::<EventRecord>(data).map(|e| vec![e])
        }
    });
    let Ok(events) = parsed else {
        return;
    };
    let router = &fixtures().router;
    let mut ledger =
        Ledger::new(router, xzqh::china::matter_rules()).expect("China's matter rules compile");
    let root = xzqh::china().root();
    let state = |l: &Ledger<'_>| {
        (
            l.now(),
            l.matters().len(),
            l.cases().len(),
            l.escalations().len(),
            l.counts(root),
            l.pending_deadlines(),
        )
    };
    for e in events.iter().take(MAX_EVENTS) {
        let before = state(&ledger);
        if let Err(err) = ledger.apply_record(e) {
            check_message(&err);
            assert_eq!(state(&ledger), before, "a refused event changed the ledger");
        }
    }
    if ledger.matters().len() > 0 {
        let limits = xzqh::LoadLimits::default().with_max_bytes(usize::MAX);
        let again = Ledger::from_json(router, ledger.to_json().as_bytes(), &limits)
            .expect("a ledger's snapshot loads");
        assert!(again == ledger, "snapshot round trip");
    }
}
