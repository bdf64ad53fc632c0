//! Jurisdiction checks and lowest common ancestors on China's village-level
//! hierarchy (`xzqh::china_with_villages()`, 665k units), beside the simple
//! alternative ([`Flat`]: a depth-aligned walk over parent and depth
//! arrays) in the same run. No existing crate answers these over villages;
//! `gb2260`'s ancestor chain is in the `hierarchy` bench.
//!
//! Inputs are random over the whole hierarchy (64 Ki pairs, 16 Ki sets), so
//! they do not sit in cache; half of the pairs are (ancestor, descendant).
//! In `dependent` groups the next input's index is computed from the
//! previous answer, so each query waits for the last (latency, not
//! throughput). Every answer is checked inside the loop.
//!
//! The `governs` group also times the same pairs with each authority
//! prepared once ([`xzqh::Hierarchy::authority`]), as a desk checking its
//! cases would hold it.
//!
//! `cargo bench -p xzqh-benches --bench jurisdiction`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use xzqh::{Hierarchy, UnitId};
use xzqh_benches::{BASELINE, Flat, Rng, XZQH};

const PAIRS: usize = 1 << 16;
const SETS: usize = 1 << 14;
const SET_SIZE: usize = 8;

fn bench(c: &mut Criterion) {
    let h: &'static Hierarchy = xzqh::china_with_villages();
    let flat = Flat::new(h);
    let label = format!("{}k", h.len() / 1000);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);

    // Pairs (a, b, a governs b); a is an ancestor of b half of the time.
    let pairs: Vec<(UnitId, UnitId, bool)> = (0..PAIRS)
        .map(|_| {
            let b = h.get(UnitId::new(rng.below(h.len()) as u32)).unwrap();
            let a = if rng.next_u64() & 1 == 0 {
                let chain: Vec<_> = b.ancestors().collect();
                if chain.is_empty() {
                    b
                } else {
                    chain[rng.below(chain.len())]
                }
            } else {
                h.get(UnitId::new(rng.below(h.len()) as u32)).unwrap()
            };
            (a.id(), b.id(), h.governs(a, b).is_some())
        })
        .collect();
    // The baseline knows no roles: compare it with ancestry, which is what
    // `governs` answers for every governing unit (all but the root's
    // non-governing kinds, none of which is drawn as an ancestor here).
    for &(a, b, governs) in &pairs {
        if governs {
            assert!(flat.is_ancestor(a.get(), b.get()));
        }
    }
    let ancestry: Vec<bool> = pairs
        .iter()
        .map(|&(a, b, _)| flat.is_ancestor(a.get(), b.get()))
        .collect();

    let mut g = c.benchmark_group(format!("governs/{label}"));
    let mut i = 0;
    g.bench_function(XZQH, |bench| {
        bench.iter(|| {
            i = (i + 1) & (PAIRS - 1);
            let (a, b, want) = pairs[i];
            assert_eq!(h.governs(black_box(a), black_box(b)).is_some(), want);
        })
    });
    g.bench_function(BASELINE, |bench| {
        bench.iter(|| {
            i = (i + 1) & (PAIRS - 1);
            let (a, b, _) = pairs[i];
            let got = flat.is_ancestor(black_box(a.get()), black_box(b.get()));
            assert_eq!(got, ancestry[i]);
        })
    });
    // The same pairs with each authority prepared once
    // (`Hierarchy::authority`), as a desk checking its cases holds it.
    let prepared: Vec<_> = pairs
        .iter()
        .map(|&(a, b, want)| (h.authority(a).unwrap(), b, want))
        .collect();
    g.bench_function("extra:prepared authority", |bench| {
        bench.iter(|| {
            i = (i + 1) & (PAIRS - 1);
            let (a, b, want) = prepared[i];
            assert_eq!(a.governs(black_box(b)).is_some(), want);
        })
    });
    g.finish();

    let mut g = c.benchmark_group(format!("governs_dependent/{label}"));
    g.bench_function(XZQH, |bench| {
        bench.iter(|| {
            let (a, b, want) = pairs[i];
            let got = h.governs(a, b).is_some();
            assert_eq!(got, want);
            i = (i + 1 + got as usize) & (PAIRS - 1);
        })
    });
    g.bench_function(BASELINE, |bench| {
        bench.iter(|| {
            let (a, b, _) = pairs[i];
            let got = flat.is_ancestor(a.get(), b.get());
            assert_eq!(got, ancestry[i]);
            i = (i + 1 + got as usize) & (PAIRS - 1);
        })
    });
    g.finish();

    // Lowest common ancestor of 8 random villages.
    let village: Vec<UnitId> = h
        .units()
        .filter(|u| u.level() == xzqh::china::VILLAGE)
        .map(|u| u.id())
        .collect();
    let sets: Vec<[UnitId; SET_SIZE]> = (0..SETS)
        .map(|_| std::array::from_fn(|_| village[rng.below(village.len())]))
        .collect();
    let want: Vec<u32> = sets
        .iter()
        .map(|s| h.lca_of(s).unwrap().id().get())
        .collect();
    let fold = |s: &[UnitId; SET_SIZE]| {
        s[1..]
            .iter()
            .fold(s[0].get(), |acc, u| flat.lca(acc, u.get()))
    };
    assert!(sets.iter().zip(&want).all(|(s, w)| fold(s) == *w));

    let mut g = c.benchmark_group(format!("lca_of_{SET_SIZE}/{label}"));
    let mut j = 0;
    g.bench_function(XZQH, |bench| {
        bench.iter(|| {
            j = (j + 1) & (SETS - 1);
            let u = h.lca_of(black_box(&sets[j])).expect("known ids");
            assert_eq!(u.id().get(), want[j]);
        })
    });
    g.bench_function(BASELINE, |bench| {
        bench.iter(|| {
            j = (j + 1) & (SETS - 1);
            assert_eq!(fold(black_box(&sets[j])), want[j]);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
