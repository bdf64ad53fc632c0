//! Loading China-sized hierarchies (661,818 units, `sample::synthetic`):
//! the binary snapshot, the JSON form, and the naive way a user would write
//! it (serde_json of one object per unit into a petgraph `Graph` plus a
//! `HashMap<String, NodeIndex>`), in the same run.
//!
//! `cargo bench --features serde --bench snapshot -- --warm-up-time 1 --measurement-time 3`

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::graph::{Graph, NodeIndex};
use serde::{Deserialize, Serialize};
use xzqh::Hierarchy;
use xzqh_benches::{CHINA_SHAPE, synthetic};

/// One unit as the naive loader stores it: owned strings, one heap object each.
#[derive(Serialize, Deserialize)]
struct NaiveUnit {
    code: String,
    name: String,
    kind: String,
    parent: Option<String>,
}

fn naive_load(json: &[u8]) -> (Graph<NaiveUnit, ()>, HashMap<String, NodeIndex>) {
    let units: Vec<NaiveUnit> = serde_json::from_slice(json).expect("naive json");
    let mut graph = Graph::with_capacity(units.len(), units.len());
    let mut by_code = HashMap::with_capacity(units.len());
    let mut parents = Vec::with_capacity(units.len());
    for u in units {
        parents.push(u.parent.clone());
        let code = u.code.clone();
        let ix = graph.add_node(u);
        by_code.insert(code, ix);
    }
    for (i, p) in parents.into_iter().enumerate() {
        if let Some(p) = p {
            graph.add_edge(by_code[&p], NodeIndex::new(i), ());
        }
    }
    (graph, by_code)
}

fn load(c: &mut Criterion) {
    let h = synthetic(&CHINA_SHAPE, 1).expect("China's shape fits");
    let binary = h.to_snapshot();
    let json = h.to_json().into_bytes();
    let naive: Vec<NaiveUnit> = h
        .units()
        .map(|u| NaiveUnit {
            code: u.code().to_owned(),
            name: u.name().to_owned(),
            kind: u.kind().name().to_owned(),
            parent: u.parent().map(|p| p.code().to_owned()),
        })
        .collect();
    let naive_json = serde_json::to_vec(&naive).expect("naive json");
    drop(naive);
    eprintln!(
        "{} units: binary snapshot {} bytes, json {} bytes, naive json {} bytes",
        h.len(),
        binary.len(),
        json.len(),
        naive_json.len()
    );
    assert_eq!(
        Hierarchy::from_snapshot(&binary).expect("snapshot loads"),
        h
    );
    assert_eq!(Hierarchy::from_json(&json).expect("json loads"), h);

    let mut g = c.benchmark_group("load_662k");
    g.sample_size(10);
    g.bench_function("binary_snapshot", |b| {
        b.iter(|| Hierarchy::from_snapshot(black_box(&binary)).expect("loads"))
    });
    g.bench_function("json", |b| {
        b.iter(|| Hierarchy::from_json(black_box(&json)).expect("loads"))
    });
    g.bench_function("naive_json_petgraph_hashmap", |b| {
        b.iter(|| naive_load(black_box(&naive_json)))
    });
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
