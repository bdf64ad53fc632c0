//! The petgraph view of a hierarchy (feature `petgraph`), for users' own
//! graph algorithms. The engine itself reads flat arrays; this view is
//! built on first use.

use petgraph::Directed;
use petgraph::csr::Csr;

use crate::model::hierarchy::Hierarchy;
use crate::model::relation::Relation;

/// The petgraph graph of a [`Hierarchy`]: compressed sparse rows, node
/// index = [`UnitId::index`](crate::UnitId::index), one
/// [`Relation::Administrative`] edge from each parent to each child plus the
/// secondary relations, all directed from governing to governed unit.
///
/// petgraph is 0.x: this alias, and [`Hierarchy::graph`], follow its
/// versions, so they sit behind the `petgraph` feature, outside the
/// crate's stable surface.
///
/// # Examples
///
/// ```
/// use petgraph::visit::EdgeRef;
/// let h = xzqh::china();
/// let graph: &xzqh::Graph = h.graph();
/// let gd = h.by_code("44").unwrap().id().get();
/// // 广东省's edges: its prefecture-level cities, and its entrusted cities.
/// let entrusted = graph
///     .edges(gd)
///     .filter(|e| *e.weight() == xzqh::Relation::Entrusted)
///     .count();
/// assert!(entrusted > 0);
/// assert_eq!(graph.node_count(), h.len());
/// ```
pub type Graph = Csr<(), Relation, Directed, u32>;

impl Hierarchy {
    /// The hierarchy as a petgraph graph (see [`Graph`]), built on first
    /// call and kept.
    ///
    /// # Examples
    ///
    /// ```
    /// use petgraph::visit::{Dfs, Walker};
    /// let h = xzqh::china();
    /// let reached = Dfs::new(h.graph(), 0).iter(h.graph()).count();
    /// assert_eq!(reached, h.len());
    /// ```
    pub fn graph(&self) -> &Graph {
        self.derived.graph.get_or_init(|| self.make_graph())
    }

    /// Tree and secondary edges sorted by (from, to), made in order
    /// (children by the pre-order walk, merged with the secondary edges by
    /// target) rather than sorted afterwards.
    fn make_graph(&self) -> Graph {
        let n = self.len();
        let end = &self.end;
        let mut out: Vec<(u32, u32, Relation)> = self
            .secondary
            .iter()
            .map(|s| (s.from, s.to, s.relation))
            .collect();
        out.sort_unstable_by_key(|&(f, t, _)| (f, t));
        let mut edges: Vec<(u32, u32, Relation)> = Vec::with_capacity(n - 1 + out.len());
        let mut k = 0;
        for p in 0..n as u32 {
            let mut child = p + 1;
            while child < end[p as usize] {
                while k < out.len() && out[k].0 == p && out[k].1 < child {
                    edges.push(out[k]);
                    k += 1;
                }
                edges.push((p, child, Relation::Administrative));
                child = end[child as usize];
            }
            while k < out.len() && out[k].0 == p {
                edges.push(out[k]);
                k += 1;
            }
        }
        let mut graph = Graph::from_sorted_edges(&edges)
            .expect("edges are sorted and unique: building the hierarchy rejected parallel edges");
        while graph.node_count() < n {
            graph.add_node(());
        }
        graph
    }
}
