//! The embedded China data: first use (decode + build, which `OnceLock`
//! hides after the first call, so each iteration decodes the embedded bytes
//! afresh) and heap bytes per unit, beside the simple alternative (the same
//! rows as tab-separated text in memory, read into a `Vec` of owned rows, a
//! parent array and a `hashbrown` map from code to row) and, for the
//! township-level data, `cpca`'s first use (its parser over 3.6k units of
//! levels 1–3). The naive petgraph structure's heap is printed as a
//! labelled extra.
//!
//! `cargo bench -p xzqh-benches --bench china`

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::graph::{DiGraph, NodeIndex};
use xzqh::Hierarchy;
use xzqh_benches::{BASELINE, XZQH};

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

/// One row as the simple alternative holds it.
#[allow(dead_code)] // the fields are the point: they hold the heap
struct FlatRow {
    code: String,
    name: String,
    kind: u16,
    parent: u32,
}

/// The simple alternative's first use: parse `code\tname\tkind\tparent`
/// lines (parents before children, as in the source files) into rows and
/// a code map.
fn flat_load(text: &str) -> (Vec<FlatRow>, hashbrown::HashMap<&str, u32>) {
    let mut rows = Vec::new();
    let mut by_code = hashbrown::HashMap::new();
    for line in text.lines() {
        let mut f = line.split('\t');
        let (Some(code), Some(name), Some(kind), Some(parent)) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            panic!("four fields");
        };
        let id = rows.len() as u32;
        let parent = if parent.is_empty() {
            id
        } else {
            by_code[parent]
        };
        by_code.insert(code, id);
        rows.push(FlatRow {
            code: code.to_owned(),
            name: name.to_owned(),
            kind: kind.parse().expect("kind"),
            parent,
        });
    }
    (rows, by_code)
}

fn compare(c: &mut Criterion, level: &str, bytes: &'static [u8], samples: usize) {
    let (h, measured) = heap_of(|| xzqh::china::decode(bytes).expect("embedded artifact"));
    let rows = rows(&h);
    let (naive_structure, naive_bytes) = heap_of(|| naive(&rows));
    let text: String = rows
        .iter()
        .map(|(code, name, kind, parent)| {
            format!(
                "{code}\t{name}\t{kind}\t{}\n",
                parent.as_deref().unwrap_or("")
            )
        })
        .collect();
    let (flat, flat_bytes) = heap_of(|| flat_load(&text));
    let n = h.len();
    println!(
        "china/{level}: {n} units; xzqh heap_bytes() {} B/unit (allocator: {} B/unit); \
         baseline rows + hashbrown map: {} B/unit; \
         extra:petgraph + HashMaps by code and name: {} B/unit",
        h.heap_bytes() / n,
        measured / n,
        flat_bytes / n,
        naive_bytes / n,
    );
    assert_eq!(naive_structure.graph.node_count(), n);
    assert_eq!(flat.0.len(), n);
    drop((naive_structure, flat));

    let mut g = c.benchmark_group(format!("first_use/{level}"));
    g.sample_size(samples);
    g.bench_function(XZQH, |b| {
        b.iter(|| {
            let h = xzqh::china::decode(black_box(bytes)).expect("embedded artifact");
            assert_eq!(h.len(), n);
            h
        })
    });
    g.bench_function(BASELINE, |b| {
        b.iter(|| {
            let f = flat_load(black_box(&text));
            assert_eq!(f.0.len(), n);
            f
        })
    });
    if level == "township" {
        g.bench_function("peer:cpca", |b| {
            b.iter(|| {
                let p = cpca::AddressParser::new();
                assert!(!p.provinces().is_empty());
                p
            })
        });
    }
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
