//! Runs each hot operation a fixed number of times on random inputs, each
//! operation in its own function, for instruction and cache-miss counts
//! per operation that do not depend on the machine's load:
//!
//! ```text
//! cargo build --release -p xzqh-benches --bin probe
//! valgrind --tool=callgrind --cache-sim=yes --LL=4194304,16,64 --collect-atstart=no \
//!     --toggle-collect='probe::op_*' target/release/probe
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep op_
//! ```
//!
//! Divide each function's counts by [`N`] (printed) for the cost of one
//! query, setup excluded.

use std::hint::black_box;

#[path = "../../tests/suite/common/history.rs"]
#[allow(dead_code)] // shared with the tests, which use more of it
mod common;

use xzqh::routing::{Case, Decision, Place, Router};
use xzqh::{Hierarchy, UnitId};
use xzqh_benches::{Flat, Rng, random_ids};

/// Queries per operation.
const N: usize = 100_000;

#[inline(never)]
fn op_code_xzqh(h: &Hierarchy, codes: &[String]) -> usize {
    codes
        .iter()
        .filter_map(|c| h.by_code(black_box(c)))
        .map(|u| u.id().index())
        .sum()
}

#[inline(never)]
fn op_code_baseline(f: &Flat, codes: &[String]) -> usize {
    codes
        .iter()
        .filter_map(|c| f.by_code.get(black_box(c.as_str())))
        .map(|&u| u as usize)
        .sum()
}

#[inline(never)]
fn op_name_xzqh(h: &Hierarchy, names: &[&str]) -> usize {
    let index = h.names();
    names
        .iter()
        .filter_map(|n| index.lookup(black_box(n)).ok())
        .map(|u| u.id().index())
        .sum()
}

#[inline(never)]
fn op_ancestors_xzqh(h: &Hierarchy, ids: &[UnitId]) -> usize {
    ids.iter()
        .map(|&id| {
            h.get(black_box(id))
                .map_or(0, |u| u.ancestors().map(|a| a.id().index()).sum())
        })
        .sum()
}

#[inline(never)]
fn op_governs_xzqh(h: &Hierarchy, pairs: &[(UnitId, UnitId)]) -> usize {
    pairs
        .iter()
        .filter(|&&(a, b)| h.governs(black_box(a), b).is_some())
        .count()
}

#[inline(never)]
fn op_lca8_xzqh(h: &Hierarchy, sets: &[[UnitId; 8]]) -> usize {
    sets.iter()
        .filter_map(|s| h.lca_of(black_box(s)))
        .map(|u| u.id().index())
        .sum()
}

#[inline(never)]
fn op_lca8_baseline(f: &Flat, sets: &[[UnitId; 8]]) -> usize {
    sets.iter()
        .map(|s| s[1..].iter().fold(s[0].get(), |acc, u| f.lca(acc, u.get())) as usize)
        .sum()
}

#[inline(never)]
fn op_route4_xzqh<'h>(
    router: &'h Router<&'h Hierarchy>,
    d: &mut Decision<'h>,
    cases: &[Vec<Place<'_>>],
) -> usize {
    cases
        .iter()
        .map(|c| {
            router
                .route_into(&Case::new(black_box(c), "public_complaint"), d)
                .expect("routable");
            d.handler().id().index() + d.trace().len()
        })
        .sum()
}

#[inline(never)]
fn op_history_xzqh(r: &xzqh::china::history::Resolver<'_>, inputs: &[(String, u16)]) -> usize {
    inputs
        .iter()
        .map(|(code, year)| {
            r.resolve(black_box(code), *year)
                .expect("in use")
                .units()
                .next()
                .map_or(0, |u| u.id().index())
        })
        .sum()
}

#[inline(never)]
fn op_decode_township() -> usize {
    let bytes = include_bytes!("../../data/china/nbs2023.bin");
    xzqh::china::decode(black_box(bytes))
        .expect("embedded artifact")
        .len()
}

fn main() {
    let h: &'static Hierarchy = xzqh::china_with_villages();
    let f = Flat::new(h);
    let ids = random_ids(h, N, 0x9E37_79B9_7F4A_7C15);
    let codes: Vec<String> = ids
        .iter()
        .map(|&id| h.get(id).unwrap().code().to_owned())
        .collect();
    let counties: Vec<&str> = h
        .units()
        .filter(|u| u.depth() == 3 && h.by_name(u.name()).len() == 1)
        .map(|u| u.name())
        .collect();
    let mut rng = Rng(11);
    let names: Vec<&str> = (0..N)
        .map(|_| counties[rng.below(counties.len())])
        .collect();
    let pairs: Vec<(UnitId, UnitId)> = ids
        .iter()
        .map(|&b| {
            let u = h.get(b).unwrap();
            let a = u
                .ancestors()
                .nth(rng.below(u.depth().max(1)))
                .map_or(b, |a| a.id());
            (a, b)
        })
        .collect();
    let villages: Vec<UnitId> = h
        .units()
        .filter(|u| u.level() == xzqh::china::VILLAGE)
        .map(|u| u.id())
        .collect();
    let sets: Vec<[UnitId; 8]> = (0..N)
        .map(|_| std::array::from_fn(|_| villages[rng.below(villages.len())]))
        .collect();
    let cases: Vec<Vec<Place>> = (0..N)
        .map(|_| {
            (0..4)
                .map(|_| Place::Id(villages[rng.below(villages.len())]))
                .collect()
        })
        .collect();
    let router = Router::new(h, xzqh::china::policy()).expect("the default policy fits");
    let mut d = Decision::new(h);
    let _ = h.names();
    println!("{N} queries per operation");
    println!("code xzqh {}", op_code_xzqh(h, &codes));
    println!("code baseline {}", op_code_baseline(&f, &codes));
    println!("name xzqh {}", op_name_xzqh(h, &names));
    println!("ancestors xzqh {}", op_ancestors_xzqh(h, &ids));
    println!("governs xzqh {}", op_governs_xzqh(h, &pairs));
    println!("lca8 xzqh {}", op_lca8_xzqh(h, &sets));
    println!("lca8 baseline {}", op_lca8_baseline(&f, &sets));
    println!("route4 xzqh {}", op_route4_xzqh(&router, &mut d, &cases));
    let history = xzqh::china::history::History::embedded();
    let tree = common::tree_2023();
    let resolver = history.resolver(&tree);
    let intervals = common::intervals();
    let mut inputs = Vec::with_capacity(N);
    while inputs.len() < N {
        let i = &intervals[rng.below(intervals.len())];
        let year = 1981 + rng.below(45) as u16;
        if i.first <= year && year <= i.last && resolver.resolve(&i.code, year).is_ok() {
            inputs.push((i.code.clone(), year));
        }
    }
    println!("history xzqh {}", op_history_xzqh(&resolver, &inputs));
    println!("decode township (once) {}", op_decode_township());
}
