//! The matters ledger on China down to villages (665k units): ingest 1M
//! case arrivals into 100k matters under China's default rules, against
//! the naive way (re-route each matter from all its places on every case,
//! with the router's buffers reused; it keeps no cases, deadlines or
//! roll-ups), and the ledger with no rules but spread; and `tick` expiring
//! the deadlines pending after 100k arrivals (43,192 with the seeded data).
//! Prints the ledger's memory per open matter once. With `XZQH_TIME=N` it
//! only times the China ingest from empty N times in CPU time (least and
//! median), for
//! comparing two builds run in turns.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use xzqh::matters::{Arrival, Deadline, Ledger, MatterRules, Within};
use xzqh::routing::{Case, Decision, Place, Router};
use xzqh::{Hierarchy, UnitId};
use xzqh_benches::{BASELINE, XZQH};

const EVENTS: usize = 1_000_000;
const MATTERS: usize = 100_000;
const CATEGORIES: [&str; 4] = [
    "public_complaint",
    "urban_management",
    "labour_dispute",
    "petition",
];

/// One generated arrival.
struct Call {
    case: String,
    matter: u32,
    category: &'static str,
    place: u32,
    people: u64,
    at: i64,
}

/// A day and a bit of a national 12345 load: each matter has a home
/// village; its calls come mostly from the same township, some from the
/// county or city, a few from anywhere.
fn calls(h: &Hierarchy) -> (Vec<String>, Vec<Call>) {
    let leaves: Vec<u32> = h
        .units()
        .filter(|u| u.children().next().is_none())
        .map(|u| u.id().get())
        .collect();
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut rng = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let n = leaves.len() as u64;
    let homes: Vec<u64> = (0..MATTERS).map(|_| rng() % n).collect();
    let keys = (0..MATTERS).map(|k| format!("matter-{k}")).collect();
    let base = 1_796_605_200; // 2026-12-07 09:00 CST
    let calls = (0..EVENTS)
        .map(|i| {
            let m = (rng() % MATTERS as u64) as usize;
            let r = rng();
            let spread = match r % 100 {
                0 => rng() % 100_000,
                1..=9 => rng() % 2_000,
                _ => rng() % 8,
            };
            Call {
                case: format!("case-{i}"),
                matter: m as u32,
                category: CATEGORIES[(m % 17).min(3)],
                place: leaves[((homes[m] + spread) % n) as usize],
                people: (r >> 20) % 5,
                at: base + (i as i64) / 12,
            }
        })
        .collect();
    (keys, calls)
}

fn ingest(ledger: &mut Ledger<'_>, keys: &[String], calls: &[Call]) {
    for c in calls {
        let places = [Place::Id(UnitId::new(c.place))];
        let a = Arrival::new(&c.case, &keys[c.matter as usize], c.category, &places, c.at)
            .people(c.people);
        ledger.arrive(a).expect("every generated call routes");
    }
}

/// The ingest of the last N calls alone (the ledger holding the others:
/// the steady state), for callgrind: `XZQH_PROBE=N valgrind --tool=callgrind
/// --cache-sim=yes --collect-atstart=no --toggle-collect='matters::op_*'
/// target/release/deps/matters-<hash> --bench`, then divide the counts of
/// `op_ingest` by the events (printed).
#[inline(never)]
fn op_ingest(ledger: &mut Ledger<'_>, keys: &[String], calls: &[Call]) {
    ingest(ledger, keys, calls);
}

/// Nanoseconds this thread has run on a CPU (Linux: the first figure of
/// `/proc/thread-self/schedstat`; elsewhere wall time).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START
                .get_or_init(std::time::Instant::now)
                .elapsed()
                .as_nanos() as u64
        })
}

fn bench(c: &mut Criterion) {
    let h: &'static Hierarchy = xzqh::china_with_villages();
    let router = Router::new(h, xzqh::china::policy()).unwrap();
    let (keys, calls) = calls(h);
    if let Some(n) = std::env::var("XZQH_PROBE")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        // The last n calls, into a ledger that took the others first.
        let (before, probed) = calls.split_at(EVENTS - EVENTS.min(n));
        let mut ledger = Ledger::new(&router, xzqh::china::matter_rules()).unwrap();
        ingest(&mut ledger, &keys, before);
        op_ingest(&mut ledger, &keys, probed);
        eprintln!("probe: {} events after {}", probed.len(), before.len());
        return;
    }

    if let Some(rounds) = std::env::var("XZQH_TIME")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        // The whole ingest from empty, timed `rounds` times in CPU time
        // (time waiting for a core left out): the least and the median, for
        // comparing builds run in turns on a busy machine.
        let mut times: Vec<f64> = (0..rounds.max(1))
            .map(|_| {
                let mut ledger = Ledger::new(&router, xzqh::china::matter_rules()).unwrap();
                let start = cpu_ns();
                ingest(&mut ledger, &keys, &calls);
                let t = (cpu_ns() - start) as f64 / 1e6;
                drop(black_box(ledger));
                t
            })
            .collect();
        times.sort_by(f64::total_cmp);
        eprintln!(
            "ingest: least {:.0} ms, median {:.0} ms of {}",
            times[0],
            times[times.len() / 2],
            times.len()
        );
        return;
    }

    // Memory, once.
    let mut ledger = Ledger::new(&router, xzqh::china::matter_rules()).unwrap();
    ingest(&mut ledger, &keys, &calls);
    let open = ledger.matters().filter(|m| m.is_open()).count();
    let places: usize = ledger.matters().map(|m| m.places().len()).sum();
    let bytes = ledger.matter_bytes();
    eprintln!(
        "matters: {open} open, {:.1} distinct places each, {:.0} bytes each \
         (target {:.0} = 256 + 8 per place), {} escalations, {} deadlines pending",
        places as f64 / open as f64,
        bytes as f64 / open as f64,
        256.0 + 8.0 * places as f64 / open as f64,
        ledger.escalations().len(),
        ledger.pending_deadlines(),
    );
    drop(ledger);

    let mut g = c.benchmark_group("ingest_1M_into_100k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(EVENTS as u64));
    g.bench_function(XZQH, |b| {
        b.iter_batched(
            || Ledger::new(&router, xzqh::china::matter_rules()).unwrap(),
            |mut ledger| {
                ingest(&mut ledger, &keys, &calls);
                ledger
            },
            BatchSize::PerIteration,
        )
    });
    // The same ledger without burst, repetition or deadline rules: the
    // handler by spread and the roll-ups alone, the job the naive way does
    // (without the roll-ups).
    g.bench_function("extra:spread rule only", |b| {
        b.iter_batched(
            || Ledger::new(&router, MatterRules::new("spread only")).unwrap(),
            |mut ledger| {
                ingest(&mut ledger, &keys, &calls);
                ledger
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function(BASELINE, |b| {
        b.iter_batched(
            || vec![Vec::<Place>::new(); MATTERS],
            |mut places| {
                let mut d = Decision::new(router.hierarchy());
                for c in &calls {
                    let p = &mut places[c.matter as usize];
                    let here = Place::Id(UnitId::new(c.place));
                    if !p.contains(&here) {
                        p.push(here);
                    }
                    let case = Case::new(p, c.category).people(c.people);
                    router.route_into(&case, &mut d).unwrap();
                    black_box(d.handler());
                }
                places
            },
            BatchSize::PerIteration,
        )
    });

    g.finish();

    // 100k open cases with a deadline each, all expiring in one tick.
    let mut rules = MatterRules::new("tick");
    rules
        .deadlines
        .push(Deadline::new().accept_within(Within::Hours(1)));
    let mut pending = Ledger::new(&router, rules).unwrap();
    ingest(&mut pending, &keys, &calls[..MATTERS]);
    let expiring = pending.pending_deadlines() as u64;
    let late = calls[MATTERS - 1].at + 2 * 3600;
    let mut g = c.benchmark_group("tick_100k_deadlines");
    g.sample_size(10);
    g.throughput(Throughput::Elements(expiring));
    g.bench_function(XZQH, |b| {
        b.iter_batched(
            || pending.clone(),
            |mut ledger| {
                black_box(ledger.tick(late).unwrap());
                ledger
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
