//! Loading China-sized hierarchies (661,818 units, `sample::synthetic`):
//! the binary snapshot beside the simple alternative (serde_json of one
//! object per unit into a `Vec` and a `hashbrown` map from code to row), in
//! the same run; xzqh's JSON form and a petgraph `Graph` plus a std
//! `HashMap<String, NodeIndex>` are labelled extras. No existing crate loads
//! a hierarchy of this size.
//!
//! `cargo bench -p xzqh-benches --bench snapshot`

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::graph::{Graph, NodeIndex};
use serde::{Deserialize, Serialize};
use xzqh::Hierarchy;
use xzqh::LoadOptions;
use xzqh_benches::{BASELINE, CHINA_SHAPE, XZQH, synthetic};

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

fn flat_load(json: &[u8]) -> (Vec<NaiveUnit>, hashbrown::HashMap<String, u32>) {
    let units: Vec<NaiveUnit> = serde_json::from_slice(json).expect("naive json");
    let by_code = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.code.clone(), i as u32))
        .collect();
    (units, by_code)
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
    // The synthetic hierarchy has China's profile, which both formats record.
    let options = LoadOptions::default().with_profile(xzqh::china::profile());
    assert_eq!(
        Hierarchy::from_snapshot_with(&binary, &options).expect("snapshot loads"),
        h
    );
    assert_eq!(
        Hierarchy::from_json_with(&json, &options).expect("json loads"),
        h
    );

    let n = h.len();
    let mut g = c.benchmark_group(format!("snapshot_load/{}k", n / 1000));
    g.sample_size(10);
    g.bench_function(XZQH, |b| {
        b.iter(|| {
            let h = Hierarchy::from_snapshot_with(black_box(&binary), &options).expect("loads");
            assert_eq!(h.len(), n);
            h
        })
    });
    g.bench_function(BASELINE, |b| {
        b.iter(|| {
            let f = flat_load(black_box(&naive_json));
            assert_eq!(f.0.len(), n);
            f
        })
    });
    g.bench_function("extra:xzqh JSON", |b| {
        b.iter(|| Hierarchy::from_json_with(black_box(&json), &options).expect("loads"))
    });
    g.bench_function("extra:petgraph + std HashMap", |b| {
        b.iter(|| naive_load(black_box(&naive_json)))
    });
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
