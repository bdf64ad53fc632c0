//! Resolve one free-text address on China's township-level data, in three
//! groups of the same shape (`address_to_unit/random`, `/delivery`,
//! `/warm256`): xzqh's resolver; the best simple alternative, every name and
//! short form (townships included) in one `aho-corasick` automaton with
//! leftmost-longest matches, keeping the unit with the most matched
//! ancestors, deepest on ties; and the `cpca` crate (the Rust port of cpca,
//! the fastest existing Chinese address parser; it reads provinces, cities
//! and counties only, from 3,600 records). Each answer is checked inside
//! the loop against the one the same parser gave before timing.
//!
//! *random*: real townships drawn at random (seeded) and written in six
//! forms with street text after them, 4,096 texts, far more than the caches
//! hold. *delivery*: the same in delivery form (30–60 characters: the
//! address, a road and number, a compound, building and room, a person's
//! name and a phone number). *warm256*: the first 256 random texts over and
//! over (their names stay in cache, as for a hotline whose calls come from
//! one city), which shows what the cache misses cost. Before criterion
//! runs, the median and 90th percentile of one text's time (each timed
//! alone) are printed per parser and set.
//!
//! The growth group resolves 1 KiB to 1 MiB of one name repeated (城关镇,
//! 北京) and of random names: the time per byte should stay flat. The batch
//! group resolves the 4,096 delivery texts with `resolve_many` on 1 and 2
//! threads.
//!
//! `cargo bench -p xzqh-benches --bench address -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::measurement::WallTime;
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use xzqh::china::{TOWNSHIP, short_forms};
use xzqh::{Hierarchy, Unit, UnitId};

use xzqh_benches::address_set::{Splitmix, addresses, delivery};
use xzqh_benches::{BASELINE, XZQH};

/// The best simple alternative: every name and short form in one
/// Aho-Corasick automaton (leftmost-longest), then the matched unit with
/// the most matched ancestors, deepest on ties.
struct Longest<'h> {
    h: &'h Hierarchy,
    ac: AhoCorasick,
    units: Vec<Vec<UnitId>>,
}

impl<'h> Longest<'h> {
    fn new(h: &'h Hierarchy) -> Self {
        let mut by_name: std::collections::HashMap<String, Vec<UnitId>> = Default::default();
        for u in h.units().skip(1).filter(|u| u.level() <= TOWNSHIP) {
            by_name.entry(u.name().to_owned()).or_default().push(u.id());
            for f in short_forms(u.name()) {
                by_name.entry(f).or_default().push(u.id());
            }
        }
        let (names, units): (Vec<String>, Vec<Vec<UnitId>>) = by_name.into_iter().unzip();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&names)
            .expect("the names fit");
        Longest { h, ac, units }
    }

    fn resolve(&self, text: &str) -> Option<Unit<'h>> {
        let mut hits: Vec<UnitId> = Vec::with_capacity(16);
        for m in self.ac.find_iter(text) {
            hits.extend_from_slice(&self.units[m.pattern().as_usize()]);
        }
        hits.iter()
            .filter_map(|&id| self.h.get(id))
            .max_by_key(|u| {
                let consistent = u.ancestors().filter(|a| hits.contains(&a.id())).count();
                (consistent, u.depth(), std::cmp::Reverse(u.id()))
            })
    }
}

/// Prints the median and 90th percentile of one text's time under `parse`
/// (each text timed alone, three rounds over the set).
fn percentiles<R>(label: &str, texts: &[String], parse: impl Fn(&str) -> R) {
    let mut times: Vec<u128> = Vec::with_capacity(texts.len() * 3);
    for _ in 0..3 {
        for t in texts {
            let start = Instant::now();
            black_box(parse(black_box(t)));
            times.push(start.elapsed().as_nanos());
        }
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "{label:<40} median {:>7} ns   p90 {:>7} ns",
        at(0.5),
        at(0.9)
    );
}

/// `unit` repeated to at least `bytes` bytes.
fn repeated(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len()))
}

/// Random unit names (any level to township) back to back, to `bytes`.
fn random_names(h: &Hierarchy, bytes: usize) -> String {
    let units: Vec<Unit<'_>> = h.units().skip(1).collect();
    let mut rng = Splitmix(5);
    let mut s = String::with_capacity(bytes + 64);
    while s.len() < bytes {
        s.push_str(units[rng.below(units.len())].name());
    }
    s
}

/// Benchmarks `parse` on `texts` in turn, one text per iteration, checking
/// each answer against the one `parse` gave before timing began.
fn over<R: PartialEq + std::fmt::Debug>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    texts: &[String],
    parse: impl Fn(&str) -> R,
) {
    let want: Vec<R> = texts.iter().map(|t| parse(t)).collect();
    let mut i = 0;
    g.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) % texts.len();
            let got = parse(black_box(&texts[i]));
            assert_eq!(got, want[i]);
        })
    });
}

fn bench(c: &mut Criterion) {
    let h = xzqh::china();
    let resolver = h.addresses().expect("china's names fit");
    let texts = addresses(h, 4096);
    let deliveries = delivery(h, 4096);
    let cpca_parser = cpca::AddressParser::new();
    let longest = Longest::new(h);
    for (set, t) in [("random", &texts), ("delivery", &deliveries)] {
        percentiles(&format!("{set}: xzqh"), t, |t| {
            resolver.resolve(t).unit().map(|u| u.id())
        });
        percentiles(&format!("{set}: cpca"), t, |t| cpca_parser.parse(t));
        percentiles(&format!("{set}: aho-corasick longest"), t, |t| {
            longest.resolve(t)
        });
    }
    // One group per text set: xzqh, the simple alternative (every name and
    // short form in one Aho-Corasick automaton, longest match) and cpca,
    // on the same texts.
    let xzqh = |t: &str| resolver.resolve(t).unit().map(|u| u.id());
    let cpca = |t: &str| cpca_parser.parse(t);
    for (group, t) in [
        ("address_to_unit/random", &texts[..]),
        ("address_to_unit/delivery", &deliveries[..]),
        ("address_to_unit/warm256", &texts[..256]),
    ] {
        let mut g = c.benchmark_group(group);
        over(&mut g, XZQH, t, xzqh);
        over(&mut g, BASELINE, t, |t| longest.resolve(t));
        over(&mut g, "peer:cpca", t, cpca);
        g.finish();
    }
    let mut g = c.benchmark_group("address batch");
    g.throughput(Throughput::Elements(deliveries.len() as u64));
    for threads in [1, 2] {
        g.bench_function(
            format!("resolve_many 4096 delivery texts, {threads} thread(s)"),
            |b| b.iter(|| black_box(resolver.resolve_many(&deliveries, threads).len())),
        );
    }
    g.finish();
    let mut g = c.benchmark_group("address growth");
    g.sample_size(10);
    for kib in [1usize, 16, 256, 1024] {
        let bytes = kib * 1024;
        g.throughput(Throughput::Bytes(bytes as u64));
        for (label, text) in [
            ("城关镇", repeated("城关镇", bytes)),
            ("北京", repeated("北京", bytes)),
            ("random names", random_names(h, bytes)),
        ] {
            g.bench_function(format!("{label} {kib} KiB"), |b| {
                b.iter(|| black_box(resolver.resolve(black_box(&text)).candidates().len()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
