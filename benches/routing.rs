//! Route one case with 1, 4 and 16 places (trace included) on a hierarchy of
//! China's village-level shape, against the same rule written naively on
//! petgraph (ancestor sets, string comparisons, a trace of strings).

use std::collections::{HashMap, HashSet};
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use xzqh::routing::{Case, Decision, Place, Policy, Router};
use xzqh::{Hierarchy, UnitId};

/// The naive way a user would write the rule: petgraph for the tree, owned
/// strings for kinds, ancestor sets for the common ancestor.
struct Naive {
    graph: DiGraph<(String, String, String, u8), ()>, // code, name, kind, level
    policy: Policy,
    /// Level names, top first, compared as strings.
    levels: Vec<String>,
}

impl Naive {
    fn new(h: &Hierarchy) -> Self {
        let mut graph = DiGraph::new();
        let mut ids: HashMap<String, NodeIndex> = HashMap::new();
        for u in h.units() {
            let n = graph.add_node((
                u.code().to_owned(),
                u.name().to_owned(),
                u.kind().name().to_owned(),
                u.level().rank(),
            ));
            ids.insert(u.code().to_owned(), n);
            if let Some(p) = u.parent() {
                graph.add_edge(ids[p.code()], n, ());
            }
        }
        Naive {
            graph,
            policy: xzqh::china::policy(),
            levels: h
                .schema()
                .levels()
                .iter()
                .map(|l| l.name().to_owned())
                .collect(),
        }
    }

    fn ancestors(&self, mut n: NodeIndex) -> Vec<NodeIndex> {
        let mut out = vec![n];
        while let Some(p) = self.graph.neighbors_directed(n, Direction::Incoming).next() {
            out.push(p);
            n = p;
        }
        out
    }

    fn route(&self, places: &[NodeIndex], category: &str) -> (NodeIndex, Vec<String>) {
        let mut trace = Vec::new();
        let mut common: Option<HashSet<NodeIndex>> = None;
        for &p in places {
            let set: HashSet<NodeIndex> = self.ancestors(p).into_iter().collect();
            common = Some(match common {
                None => set,
                Some(c) => c.intersection(&set).copied().collect(),
            });
        }
        let common = common.unwrap_or_default();
        let start = *self
            .ancestors(places[0])
            .iter()
            .find(|a| common.contains(a))
            .expect("the root is common");
        trace.push(format!("start at {}", self.graph[start].0));
        let cat = self
            .policy
            .categories
            .iter()
            .find(|c| c.name == category)
            .expect("category");
        let required = cat
            .min_level
            .as_ref()
            .map(|l| self.levels.iter().position(|x| x == l).unwrap() as u8);
        for u in self.ancestors(start) {
            let (code, _, kind, level) = &self.graph[u];
            if required.is_some_and(|r| *level > r) {
                trace.push(format!("{code} is below the required level"));
                continue;
            }
            let holds = cat.competences.iter().all(|c| {
                self.policy
                    .competences
                    .iter()
                    .any(|d| &d.name == c && d.kinds.iter().any(|k| k == kind))
            });
            if !holds {
                trace.push(format!("{code} lacks a competence"));
                continue;
            }
            trace.push(format!("{code} handles the case"));
            return (u, trace);
        }
        unreachable!("the State handles everything in the default policy")
    }
}

fn bench(c: &mut Criterion) {
    // The real village-level hierarchy.
    let h: &'static Hierarchy = xzqh::china_with_villages();
    let router = Router::new(h, xzqh::china::policy()).expect("the default policy fits");
    let naive = Naive::new(h);
    // Random villages: the last 620,000 units of each level are not
    // contiguous in pre-order, so draw ids and keep the village-level ones.
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut villages = Vec::new();
    while villages.len() < 1 << 14 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let id = UnitId::new((s % h.len() as u64) as u32);
        if h.get(id).is_some_and(|u| u.level() == xzqh::china::VILLAGE) {
            villages.push(id);
        }
    }
    let mut g = c.benchmark_group(format!("route/{}k", h.len() / 1000));
    for n in [1usize, 4, 16] {
        let cases: Vec<Vec<Place>> = villages
            .chunks(n)
            .map(|c| c.iter().map(|&u| Place::Id(u)).collect())
            .collect();
        let mut i = 0;
        let mut d = Decision::new(h);
        g.bench_with_input(BenchmarkId::new("xzqh", n), &n, |b, _| {
            b.iter(|| {
                i = (i + 1) % cases.len();
                router
                    .route_into(&Case::new(&cases[i], "public_complaint"), &mut d)
                    .expect("routable");
                black_box(d.handler())
            })
        });
        let naive_cases: Vec<Vec<NodeIndex>> = villages
            .chunks(n)
            .map(|c| c.iter().map(|u| NodeIndex::new(u.index())).collect())
            .collect();
        let mut j = 0;
        g.bench_with_input(BenchmarkId::new("naive_petgraph", n), &n, |b, _| {
            b.iter(|| {
                j = (j + 1) % naive_cases.len();
                black_box(naive.route(&naive_cases[j], "public_complaint"))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
