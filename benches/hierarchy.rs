//! Core queries on a hierarchy of China's shape (661,818 units): the flat
//! arrays against the naive petgraph + HashMap<String, NodeIndex> way.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use xzqh_benches::{CHINA_SHAPE, synthetic};

struct Naive {
    graph: DiGraph<(String, String), ()>,
    by_code: HashMap<String, NodeIndex>,
}

fn naive(h: &xzqh::Hierarchy) -> Naive {
    let mut graph = DiGraph::new();
    let mut by_code = HashMap::new();
    for u in h.units() {
        let n = graph.add_node((u.code().to_owned(), u.name().to_owned()));
        by_code.insert(u.code().to_owned(), n);
        if let Some(p) = u.parent() {
            graph.add_edge(by_code[p.code()], n, ());
        }
    }
    Naive { graph, by_code }
}

fn random_codes(h: &xzqh::Hierarchy, n: usize) -> Vec<String> {
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let id = xzqh::UnitId::new((s % h.len() as u64) as u32);
            h.get(id).unwrap().code().to_owned()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let h = synthetic(&CHINA_SHAPE, 1).expect("shape is valid");
    let naive = naive(&h);
    let codes = random_codes(&h, 4096);
    let mut g = c.benchmark_group("hierarchy/662k");
    let mut i = 0;
    g.bench_function("by_code/xzqh", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            black_box(h.by_code(&codes[i]))
        })
    });
    g.bench_function("by_code/naive_hashmap", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            black_box(naive.by_code.get(&codes[i]))
        })
    });
    g.bench_function("depth_by_ancestors/xzqh", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            black_box(h.by_code(&codes[i]).map(|u| u.ancestors().count()))
        })
    });
    g.bench_function("depth_by_ancestors/naive_petgraph", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            let mut n = naive.by_code[&codes[i]];
            let mut d = 0;
            while let Some(p) = naive
                .graph
                .neighbors_directed(n, Direction::Incoming)
                .next()
            {
                n = p;
                d += 1;
            }
            black_box(d)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
