//! Jurisdiction checks and lowest common ancestors on a hierarchy of China's
//! full village-level shape, each against the naive petgraph way in the same
//! run.
//!
//! The hierarchy is `sample::synthetic(&CHINA_SHAPE, 1)`: 34 / 333 / 2,850 /
//! 38,600 / 620,000 units below the root (661,818 in all), deterministic. The
//! crate does not load the NBS village file yet, and the synthetic one has the
//! same size and depth, which is what these costs depend on.
//!
//! The naive way is what a user would write with petgraph and std: a
//! `petgraph::Graph` with owned `String` codes and names, edges parent →
//! child, nodes added level by level as the per-level NBS files come, a
//! `HashMap<String, NodeIndex>` for codes; parents found with
//! `neighbors_directed(_, Incoming)`, an LCA by intersecting ancestor sets.
//!
//! Inputs are drawn at random from the whole hierarchy (64 Ki pairs, 16 Ki
//! sets), so they do not sit in cache. "independent" queries may overlap in
//! the CPU; in "dependent" ones the next input's index is computed from the
//! previous answer, so each waits for the last. Times are per query.
//!
//! Run: `cargo bench -p xzqh-benches --bench jurisdiction -- --warm-up-time 1 --measurement-time 3`

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::Direction::Incoming;
use petgraph::graph::{Graph, NodeIndex};
use xzqh::{Hierarchy, Relation, Role, UnitId};
use xzqh_benches::{CHINA_SHAPE, synthetic};

const PAIRS: usize = 1 << 16;
const SETS: usize = 1 << 14;
const SET_SIZE: usize = 8;
/// Entrusted edges added for the secondary-relation benchmark, about as many
/// as China's county-level cities managed on a province's behalf.
const ENTRUSTED: usize = 400;

/// xorshift64*: deterministic inputs without a rand dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[allow(dead_code)] // the naive model holds what a user would load, read or not
struct NaiveUnit {
    code: String,
    name: String,
    role: Role,
}

/// The naive model: petgraph + std HashMap + owned Strings.
struct Naive {
    graph: Graph<NaiveUnit, Relation>,
    by_code: HashMap<String, NodeIndex>,
    /// `UnitId` index → node, to draw the same inputs for both.
    node_of: Vec<NodeIndex>,
}

impl Naive {
    fn new(h: &Hierarchy) -> Naive {
        let mut by_level: Vec<_> = h.units().collect();
        by_level.sort_by_key(|u| u.depth()); // stable: code order within a level
        let mut graph = Graph::with_capacity(h.len(), h.len());
        let mut by_code = HashMap::with_capacity(h.len());
        let mut node_of = vec![NodeIndex::new(0); h.len()];
        for u in by_level {
            let n = graph.add_node(NaiveUnit {
                code: u.code().to_owned(),
                name: u.name().to_owned(),
                role: u.role(),
            });
            node_of[u.id().index()] = n;
            by_code.insert(u.code().to_owned(), n);
            if let Some(p) = u.parent() {
                graph.add_edge(node_of[p.id().index()], n, Relation::Administrative);
            }
        }
        for u in h.units() {
            for (target, r) in u.relations_out() {
                graph.add_edge(node_of[u.id().index()], node_of[target.id().index()], r);
            }
        }
        Naive {
            graph,
            by_code,
            node_of,
        }
    }

    fn parent(&self, n: NodeIndex) -> Option<NodeIndex> {
        self.graph
            .edges_directed(n, Incoming)
            .find(|e| *e.weight() == Relation::Administrative)
            .map(|e| petgraph::visit::EdgeRef::source(&e))
    }

    /// Walk from `b` to the root looking for `a`.
    fn governs(&self, a: NodeIndex, b: NodeIndex) -> Option<usize> {
        let mut x = b;
        let mut distance = 0;
        loop {
            if x == a {
                return self.graph[a].role.governs().then_some(distance);
            }
            x = self.graph.neighbors_directed(x, Incoming).next()?;
            distance += 1;
        }
    }

    /// Walk from `b` to the root; at each unit look for an entrusted edge
    /// from `a` among the edges coming in.
    fn governs_entrusted(&self, a: NodeIndex, b: NodeIndex) -> Option<usize> {
        if !self.graph[a].role.governs() {
            return None;
        }
        let mut x = Some(b);
        let mut distance = 1;
        while let Some(n) = x {
            let entrusted = self.graph.edges_directed(n, Incoming).any(|e| {
                petgraph::visit::EdgeRef::source(&e) == a && *e.weight() == Relation::Entrusted
            });
            if entrusted {
                return Some(distance);
            }
            x = self.parent(n);
            distance += 1;
        }
        None
    }

    fn ancestors(&self, n: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        std::iter::successors(Some(n), |&x| self.parent(x))
    }

    /// Intersect the ancestor sets; the first common unit above the first.
    fn lca(&self, units: &[NodeIndex]) -> Option<NodeIndex> {
        let mut common: HashSet<NodeIndex> = self.ancestors(units[0]).collect();
        for &u in &units[1..] {
            let mine: HashSet<NodeIndex> = self.ancestors(u).collect();
            common.retain(|x| mine.contains(x));
        }
        self.ancestors(units[0]).find(|x| common.contains(x))
    }
}

/// Runs `query` over the inputs in turn, `iters` times in all.
/// Dependent runs offset each input index by `feedback` of the last answer.
///
/// The benchmarks below call this with their closures written out in place:
/// routing them through one shared `bench_function` helper measured 2–4×
/// slower on the nanosecond checks (A/B, same inputs), which is harness
/// overhead, not query cost.
fn timed<T>(
    iters: u64,
    len: usize,
    dependent: bool,
    mut query: impl FnMut(usize) -> T,
    feedback: impl Fn(&T) -> usize,
) -> Duration {
    let mask = len - 1;
    let mut carry = 0usize;
    let start = Instant::now();
    for i in 0..iters as usize {
        let r = query((i + carry) & mask);
        if dependent {
            carry = feedback(&r);
        }
        black_box(r);
    }
    start.elapsed()
}

fn benches(c: &mut Criterion) {
    let h = synthetic(&CHINA_SHAPE, 1).expect("China's shape is a valid synthetic shape");
    let naive = Naive::new(&h);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let n = h.len();
    let node = |u: UnitId| naive.node_of[u.index()];

    // Random pairs from the whole hierarchy: almost never related.
    let random: Vec<(UnitId, UnitId)> = (0..PAIRS)
        .map(|_| {
            (
                UnitId::new(rng.below(n) as u32),
                UnitId::new(rng.below(n) as u32),
            )
        })
        .collect();
    // A random unit and a random ancestor-or-self of it: always governed
    // (every unit above the village level is a government here).
    let related: Vec<(UnitId, UnitId)> = (0..PAIRS)
        .map(|_| {
            let b = h.get(UnitId::new(rng.below(n) as u32)).expect("in range");
            let up = rng.below(b.depth() + 1);
            let a = std::iter::once(b)
                .chain(b.ancestors())
                .nth(up)
                .expect("depth + 1 units on the chain");
            (a.id(), b.id())
        })
        .collect();
    let villages: Vec<UnitId> = h
        .units()
        .filter(|u| u.depth() == CHINA_SHAPE.len())
        .map(|u| u.id())
        .collect();
    let sets: Vec<[UnitId; SET_SIZE]> = (0..SETS)
        .map(|_| std::array::from_fn(|_| villages[rng.below(villages.len())]))
        .collect();

    for (label, pairs) in [("random pairs", &random), ("ancestor pairs", &related)] {
        let naive_pairs: Vec<(NodeIndex, NodeIndex)> =
            pairs.iter().map(|&(a, b)| (node(a), node(b))).collect();
        for (a, b) in pairs.iter().take(4096) {
            assert_eq!(
                h.governs(*a, *b).map(|j| j.distance),
                naive.governs(node(*a), node(*b))
            );
        }
        let mut g = c.benchmark_group(format!("governs/{label}"));
        for dependent in [false, true] {
            let mode = if dependent {
                "dependent"
            } else {
                "independent"
            };
            g.bench_function(format!("xzqh {mode}"), |bench| {
                bench.iter_custom(|iters| {
                    timed(
                        iters,
                        PAIRS,
                        dependent,
                        |i| h.governs(pairs[i].0, pairs[i].1),
                        |r| r.map_or(0, |j| j.distance + 1),
                    )
                })
            });
            g.bench_function(format!("naive petgraph {mode}"), |bench| {
                bench.iter_custom(|iters| {
                    timed(
                        iters,
                        PAIRS,
                        dependent,
                        |i| naive.governs(naive_pairs[i].0, naive_pairs[i].1),
                        |r| r.map_or(0, |d| d + 1),
                    )
                })
            });
        }
        g.finish();
    }

    {
        let codes: Vec<(&str, &str)> = random
            .iter()
            .map(|&(a, b)| {
                (
                    h.get(a).expect("in range").code(),
                    h.get(b).expect("in range").code(),
                )
            })
            .collect();
        let mut g = c.benchmark_group("governs by code/random pairs");
        g.bench_function("xzqh independent", |bench| {
            bench.iter_custom(|iters| {
                timed(
                    iters,
                    PAIRS,
                    false,
                    |i| h.governs(h.by_code(codes[i].0)?, h.by_code(codes[i].1)?),
                    |_| 0,
                )
            })
        });
        g.bench_function("naive petgraph independent", |bench| {
            bench.iter_custom(|iters| {
                timed(
                    iters,
                    PAIRS,
                    false,
                    |i| {
                        naive.governs(
                            *naive.by_code.get(codes[i].0)?,
                            *naive.by_code.get(codes[i].1)?,
                        )
                    },
                    |_| 0,
                )
            })
        });
        g.finish();
    }

    {
        let naive_sets: Vec<[NodeIndex; SET_SIZE]> = sets.iter().map(|s| s.map(node)).collect();
        for (s, ns) in sets.iter().zip(&naive_sets).take(1024) {
            assert_eq!(h.lca_of(s).map(|u| node(u.id())), naive.lca(ns));
        }
        let mut g = c.benchmark_group(format!("lca of {SET_SIZE} random villages"));
        for dependent in [false, true] {
            let mode = if dependent {
                "dependent"
            } else {
                "independent"
            };
            g.bench_function(format!("xzqh {mode}"), |bench| {
                bench.iter_custom(|iters| {
                    timed(
                        iters,
                        SETS,
                        dependent,
                        |i| h.lca_of(sets[i].iter()),
                        |r| r.map_or(0, |u| u.id().index() + 1),
                    )
                })
            });
            g.bench_function(format!("naive petgraph {mode}"), |bench| {
                bench.iter_custom(|iters| {
                    timed(
                        iters,
                        SETS,
                        dependent,
                        |i| naive.lca(&naive_sets[i]),
                        |r| r.map_or(0, |n| n.index() + 1),
                    )
                })
            });
        }
        // The same walk reached through `Hierarchy::lca` on the set's min
        // and max (once a depth-aligned walk of both ends; since replaced
        // by the single chain `lca_of` uses). Its result is discarded, so
        // it is no latency figure.
        g.bench_function("xzqh lca of min and max independent", |bench| {
            bench.iter_custom(|iters| {
                timed(
                    iters,
                    SETS,
                    false,
                    |i| {
                        let s = &sets[i];
                        let (lo, hi) = (
                            s.iter().min().expect("non-empty"),
                            s.iter().max().expect("non-empty"),
                        );
                        h.lca(*lo, *hi)
                    },
                    |_| 0,
                )
            })
        });
        g.finish();
    }

    {
        // Secondary relations: entrusted edges from provinces to random
        // counties, on a copy of the hierarchy.
        let mut b = Hierarchy::builder(h.schema().clone());
        for u in h.units() {
            b = b.unit(
                u.code(),
                u.name(),
                u.kind_id(),
                u.parent().map(|p| p.code()),
            );
        }
        let counties: Vec<_> = h.units().filter(|u| u.depth() == 3).collect();
        let mut taken = BTreeSet::new();
        while taken.len() < ENTRUSTED {
            let county = counties[rng.below(counties.len())];
            if taken.insert(county.id()) {
                let province = county
                    .ancestors()
                    .nth(1)
                    .expect("a county sits below a prefecture and a province");
                b = b.relation(province.code(), county.code(), Relation::Entrusted);
            }
        }
        let h2 = b
            .build()
            .expect("a copy of a valid hierarchy plus entrusted edges");
        drop(naive);
        let naive2 = Naive::new(&h2);
        let node2 = |u: UnitId| naive2.node_of[u.index()];
        // Entrusted alone: a province is always an ancestor of the cities it
        // entrusts, so with the tree asked for too the tree would win.
        let asked = [Relation::Entrusted];
        // Half the pairs: a place under an entrusted county, and the province
        // that entrusted it half of those times. The other half: any place.
        // Authorities not chosen so: a province (where entrusted edges start)
        // three times in four, any unit otherwise.
        let targets: Vec<UnitId> = taken.iter().copied().collect();
        let provinces: Vec<UnitId> = h2.root().children().map(|u| u.id()).collect();
        let pairs: Vec<(UnitId, UnitId)> = (0..PAIRS)
            .map(|k| {
                let mut entrusting = None;
                let b = if k % 2 == 0 {
                    let county = h2.get(targets[rng.below(targets.len())]).expect("in range");
                    if rng.below(2) == 0 {
                        entrusting = county.ancestors().nth(1).map(|p| p.id());
                    }
                    let below = rng.below(county.descendant_count() + 1);
                    county
                        .descendants()
                        .nth(below)
                        .map_or(county.id(), |u| u.id())
                } else {
                    UnitId::new(rng.below(n) as u32)
                };
                let a = entrusting.unwrap_or_else(|| {
                    if rng.below(4) == 0 {
                        UnitId::new(rng.below(n) as u32)
                    } else {
                        provinces[rng.below(provinces.len())]
                    }
                });
                (a, b)
            })
            .collect();
        let naive_pairs: Vec<(NodeIndex, NodeIndex)> =
            pairs.iter().map(|&(a, b)| (node2(a), node2(b))).collect();
        let mut hits = 0;
        for (&(a, b), &(na, nb)) in pairs.iter().zip(&naive_pairs) {
            let got = h2.governs_via(a, b, &asked).map(|j| j.distance);
            assert_eq!(got, naive2.governs_entrusted(na, nb));
            hits += usize::from(got.is_some());
        }
        eprintln!("governs_via: {hits} of {PAIRS} pairs governed by entrustment");
        let mut g = c.benchmark_group("governs_via entrusted/mixed pairs");
        g.bench_function("xzqh independent", |bench| {
            bench.iter_custom(|iters| {
                timed(
                    iters,
                    PAIRS,
                    false,
                    |i| h2.governs_via(pairs[i].0, pairs[i].1, &asked),
                    |_| 0,
                )
            })
        });
        g.bench_function("naive petgraph independent", |bench| {
            bench.iter_custom(|iters| {
                timed(
                    iters,
                    PAIRS,
                    false,
                    |i| naive2.governs_entrusted(naive_pairs[i].0, naive_pairs[i].1),
                    |_| 0,
                )
            })
        });
        g.finish();
    }
}

criterion_group!(jurisdiction, benches);
criterion_main!(jurisdiction);
