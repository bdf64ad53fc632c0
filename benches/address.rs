//! Resolve one free-text address on China's township-level data: xzqh's
//! resolver against the naive way (every unit name and short form tried
//! with `str::find`, keeping the deepest hit with the most hit ancestors).
//!
//! The addresses are real townships drawn at random (seeded) and written in
//! the six forms of `tests/address_accuracy.rs` with street text after them,
//! so each iteration reads a different part of the automaton and hierarchy:
//! 4096 of them, far more than the caches hold. The same resolver on the
//! first 256 of them over and over (their names stay in cache, as for a
//! hotline whose calls come from one city) shows what the cache misses cost.
//! The `cpca` crate (the Rust port of cpca, the fastest existing Chinese
//! address parser; it reads provinces, cities and counties only, from
//! 3,600 records) parses the same addresses in the same run.
//!
//! A second set writes delivery forms (30–60 characters: the address, a
//! road and number, a compound, building and room, a shop, a person's name
//! and a phone number). Both sets are resolved by xzqh, by cpca and by the
//! best simple alternative: every name and short form (townships included)
//! in one `aho-corasick` automaton, leftmost-longest matches, and the unit
//! with the most matched ancestors, deepest on ties. Before criterion runs,
//! the median and 90th percentile of one text's time (each timed alone) are
//! printed per parser and set.
//!
//! The growth group resolves 1 KiB to 1 MiB of one name repeated (城关镇,
//! 北京) and of random names: the time per byte should stay flat. The batch
//! group resolves the 4,096 delivery texts with `resolve_many` on 2 threads.
//!
//! `cargo bench -p xzqh-benches --bench address -- --warm-up-time 1 --measurement-time 3`

use std::collections::HashSet;
use std::hint::black_box;

use criterion::measurement::WallTime;
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use xzqh::china::{TOWNSHIP, short_forms};
use xzqh::{Hierarchy, Unit, UnitId};

use xzqh_benches::address_set::{Splitmix, addresses, delivery};

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

/// The naive way: every name and short form with `str::find`, then the hit
/// with the most hit ancestors (consistency), deepest on ties.
struct Naive<'h> {
    h: &'h Hierarchy,
    names: Vec<(String, Unit<'h>)>,
}

impl<'h> Naive<'h> {
    fn new(h: &'h Hierarchy) -> Self {
        let mut names = Vec::new();
        for u in h.units().skip(1) {
            names.push((u.name().to_owned(), u));
            for f in short_forms(u.name()) {
                names.push((f, u));
            }
        }
        Naive { h, names }
    }

    fn resolve(&self, text: &str) -> Option<Unit<'h>> {
        let hits: HashSet<UnitId> = self
            .names
            .iter()
            .filter(|(name, _)| text.contains(name.as_str()))
            .map(|&(_, u)| u.id())
            .collect();
        hits.iter()
            .filter_map(|&id| self.h.get(id))
            .max_by_key(|u| {
                let consistent = u.ancestors().filter(|a| hits.contains(&a.id())).count();
                (consistent, u.depth(), std::cmp::Reverse(u.id()))
            })
    }
}

/// Benchmarks `parse` on `texts` in turn, one text per iteration.
fn over<R>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    texts: &[String],
    parse: impl Fn(&str) -> R,
) {
    let mut i = 0;
    g.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) % texts.len();
            black_box(parse(black_box(&texts[i])))
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
    let mut g = c.benchmark_group("address delivery");
    over(
        &mut g,
        "resolve one delivery text: xzqh",
        &deliveries,
        |t| resolver.resolve(t).unit().map(|u| u.id()),
    );
    over(
        &mut g,
        "resolve one delivery text: cpca",
        &deliveries,
        |t| cpca_parser.parse(t),
    );
    over(
        &mut g,
        "resolve one delivery text: aho-corasick longest",
        &deliveries,
        |t| longest.resolve(t),
    );
    over(
        &mut g,
        "resolve one random address: aho-corasick longest",
        &texts,
        |t| longest.resolve(t),
    );
    g.finish();
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
    let mut g = c.benchmark_group("address");
    let (random, warm) = (&texts[..], &texts[..256]);
    let xzqh = |t: &str| resolver.resolve(t).unit().map(|u| u.id());
    over(&mut g, "resolve one random address: xzqh", random, xzqh);
    over(
        &mut g,
        "resolve one of 256 addresses (warm cache): xzqh",
        warm,
        xzqh,
    );
    // The fastest existing Chinese address parser, on the same addresses.
    let cpca = cpca::AddressParser::new();
    let cpca = |t: &str| cpca.parse(t);
    over(
        &mut g,
        "resolve one random address: cpca (county level only)",
        random,
        cpca,
    );
    over(
        &mut g,
        "resolve one of 256 addresses (warm cache): cpca",
        warm,
        cpca,
    );
    let naive = Naive::new(h);
    g.sample_size(10);
    over(
        &mut g,
        "resolve one random address: naive str::find",
        random,
        |t| naive.resolve(t),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
