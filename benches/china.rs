//! The embedded China data: first access (decode + `from_parts`, which
//! `OnceLock` hides after the first call, so each iteration decodes the
//! embedded bytes afresh) and heap bytes per unit, against the naive
//! structure a user would write: a petgraph `Graph` of owned strings plus
//! std `HashMap`s from code and from name to nodes.
//!
//! `cargo bench -p xzqh-benches --bench china -- --warm-up-time 1 --measurement-time 3`;
//! add `--features villages` for the village level.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::graph::{DiGraph, NodeIndex};
use xzqh::Hierarchy;

/// Counts live heap bytes, so both structures are measured the same way
/// (capacity slack and hash-table overhead included).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only adds counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Live heap bytes that `make`'s result holds.
fn heap_of<T>(make: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    let value = make();
    (value, LIVE.load(Ordering::Relaxed).saturating_sub(before))
}

/// The naive way: one node of owned strings per unit, edges to parents, and
/// maps from code and from name to nodes (the lookups xzqh also answers).
#[allow(dead_code)] // the fields are the point: they hold the heap
struct NaiveUnit {
    code: String,
    name: String,
    kind: u16,
}

#[allow(dead_code)] // likewise
struct Naive {
    graph: DiGraph<NaiveUnit, ()>,
    by_code: HashMap<String, NodeIndex>,
    by_name: HashMap<String, Vec<NodeIndex>>,
}

type Row = (String, String, u16, Option<String>);

fn rows(h: &Hierarchy) -> Vec<Row> {
    h.units()
        .map(|u| {
            (
                u.code().to_owned(),
                u.name().to_owned(),
                u.kind_id().index() as u16,
                u.parent().map(|p| p.code().to_owned()),
            )
        })
        .collect()
}

fn naive(rows: &[Row]) -> Naive {
    let mut graph = DiGraph::new();
    let mut by_code = HashMap::new();
    let mut by_name: HashMap<String, Vec<NodeIndex>> = HashMap::new();
    for (code, name, kind, parent) in rows {
        let n = graph.add_node(NaiveUnit {
            code: code.clone(),
            name: name.clone(),
            kind: *kind,
        });
        by_code.insert(code.clone(), n);
        by_name.entry(name.clone()).or_default().push(n);
        if let Some(p) = parent {
            graph.add_edge(by_code[p], n, ());
        }
    }
    Naive {
        graph,
        by_code,
        by_name,
    }
}

fn compare(c: &mut Criterion, level: &str, bytes: &'static [u8], samples: usize) {
    let (h, measured) = heap_of(|| xzqh::china::decode(bytes).expect("embedded artifact"));
    let rows = rows(&h);
    let (naive_structure, naive_bytes) = heap_of(|| naive(&rows));
    let n = h.len();
    println!(
        "china/{level}: {n} units; xzqh heap_bytes() {} B/unit (allocator: {} B/unit); \
         naive petgraph + HashMaps by code and name: {} B/unit",
        h.heap_bytes() / n,
        measured / n,
        naive_bytes / n,
    );
    assert_eq!(naive_structure.graph.node_count(), n);
    drop(naive_structure);

    let mut g = c.benchmark_group(format!("china/{level}"));
    g.sample_size(samples);
    g.bench_function("first_access/xzqh_decode", |b| {
        b.iter(|| xzqh::china::decode(black_box(bytes)).expect("embedded artifact"))
    });
    g.bench_function("first_access/naive_build_from_rows", |b| {
        b.iter(|| naive(black_box(&rows)))
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    compare(
        c,
        "township",
        include_bytes!("../data/china/nbs2023.bin"),
        50,
    );
    compare(
        c,
        "village",
        include_bytes!("../data/china/nbs2023-villages.bin"),
        10,
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
