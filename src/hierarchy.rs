//! The hierarchy: a petgraph graph of typed units with flat side arrays for
//! the hot queries, and [`Unit`], the borrowed handle users navigate with.
//!
//! Units are numbered in depth-first pre-order with children sorted by code,
//! so a unit's id is also its petgraph node index, its descendants are the ids
//! `id + 1 .. end[id]`, and its first child is `id + 1`. The graph holds every
//! edge (tree and secondary) for users' own algorithms; the queries below read
//! the flat arrays, which cost one memory read per step where petgraph costs
//! an edge-list walk.

use std::fmt;
use std::sync::Arc;

use petgraph::csr::Csr;
use petgraph::Directed;

use crate::index::{HashIndex, StrTable};
use crate::iter::{Ancestors, Children, Descendants, Relations, UnitsIter};
use crate::relation::Relation;
use crate::schema::{Designation, Designations, KindDef, KindId, Level, Role, Schema};

/// The petgraph graph behind a [`Hierarchy`]: compressed sparse rows, node
/// index = [`UnitId::index`], edges from governing to governed unit.
///
/// petgraph is 0.x; this alias is the one place its types reach the public
/// API (see [`Hierarchy::graph`]).
pub type Graph = Csr<(), Relation, Directed, u32>;

pub(crate) const NONE: u32 = u32::MAX;

/// The id of a unit in one [`Hierarchy`]: its position in depth-first
/// pre-order (children by code). Ids are dense, `0` is the root.
///
/// An id is only meaningful in the hierarchy that issued it.
///
/// # Examples
///
/// ```
/// let h = xzqh::sample::small_china();
/// let root = h.root();
/// assert_eq!(root.id(), xzqh::UnitId::new(0));
/// assert_eq!(root.id().index(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct UnitId(u32);

impl UnitId {
    /// An id from its index.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::UnitId::new(5).index(), 5);
    /// ```
    pub const fn new(index: u32) -> Self {
        UnitId(index)
    }

    /// The index (pre-order position).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::UnitId::new(9).index(), 9);
    /// ```
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The raw `u32`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::UnitId::new(9).get(), 9);
    /// ```
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A secondary relation, as stored: `from` governs `to` by `relation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Secondary {
    pub(crate) to: u32,
    pub(crate) from: u32,
    pub(crate) relation: Relation,
}

/// An immutable hierarchy of administrative units.
///
/// Build one with [`Hierarchy::builder`], or get China's with
/// `xzqh::china()`. It is `Send + Sync`; share it behind an `Arc`.
///
/// # Examples
///
/// ```
/// use xzqh::{china::ChinaKind, Hierarchy, Schema};
/// let mut b = Hierarchy::builder(Schema::china());
/// b.unit("0", "中华人民共和国", ChinaKind::State, None)
///     .unit("11", "北京市", ChinaKind::Municipality, Some("0"))
///     .unit("110105", "朝阳区", ChinaKind::District, Some("11"));
/// let h = b.build()?;
/// let chaoyang = h.by_code("110105").unwrap();
/// assert_eq!(chaoyang.parent().unwrap().name(), "北京市");
/// assert_eq!(chaoyang.depth(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Hierarchy {
    pub(crate) schema: Arc<Schema>,
    pub(crate) graph: Graph,
    pub(crate) parent: Box<[u32]>,
    pub(crate) end: Box<[u32]>,
    pub(crate) depth: Box<[u16]>,
    pub(crate) kind: Box<[u16]>,
    pub(crate) codes: StrTable,
    pub(crate) code_index: HashIndex,
    pub(crate) name_of: Box<[u32]>,
    pub(crate) names: StrTable,
    pub(crate) name_index: HashIndex,
    pub(crate) name_start: Box<[u32]>,
    pub(crate) name_units: Box<[u32]>,
    /// Sorted by unit id.
    pub(crate) designations: Box<[(u32, u32)]>,
    /// Sorted by (to, from).
    pub(crate) secondary: Box<[Secondary]>,
    pub(crate) data_version: Option<Box<str>>,
}

impl fmt::Debug for Hierarchy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hierarchy")
            .field("schema", &self.schema.name())
            .field("units", &self.len())
            .field("secondary_relations", &self.secondary.len())
            .field("data_version", &self.data_version)
            .finish()
    }
}

/// Two hierarchies are equal when they have the same schema, data version,
/// units (code, name, kind, parent, designations, in the same order) and
/// secondary relations. Ids are canonical, so equal hierarchies answer every
/// query alike.
impl PartialEq for Hierarchy {
    fn eq(&self, other: &Self) -> bool {
        self.schema == other.schema
            && self.data_version == other.data_version
            && self.parent == other.parent
            && self.kind == other.kind
            && self.codes == other.codes
            && self.len() == other.len()
            && (0..self.len() as u32).all(|i| self.name_str(i) == other.name_str(i))
            && self.designations == other.designations
            && self.secondary == other.secondary
    }
}

impl Eq for Hierarchy {}

impl Hierarchy {
    /// Starts building a hierarchy whose units use `schema`'s kinds.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = xzqh::Hierarchy::builder(xzqh::Schema::china());
    /// assert!(b.build().is_err()); // no unit
    /// ```
    pub fn builder(schema: Arc<Schema>) -> crate::HierarchyBuilder {
        crate::HierarchyBuilder::new(schema)
    }

    /// The schema the units' kinds come from.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().schema().name(), "china");
    /// ```
    pub fn schema(&self) -> &Arc<Schema> {
        &self.schema
    }

    /// The version of the data this hierarchy was built from, if recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().data_version(), Some("test"));
    /// ```
    pub fn data_version(&self) -> Option<&str> {
        self.data_version.as_deref()
    }

    /// The number of units.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::sample::small_china().len() > 3);
    /// ```
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Always `false`: a built hierarchy has at least its root.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!xzqh::sample::small_china().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The root unit.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().root().name(), "中华人民共和国");
    /// ```
    pub fn root(&self) -> Unit<'_> {
        Unit { h: self, id: 0 }
    }

    /// The unit with this id, or `None` if the id is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert!(h.get(xzqh::UnitId::new(1)).is_some());
    /// assert!(h.get(xzqh::UnitId::new(u32::MAX)).is_none());
    /// ```
    pub fn get(&self, id: UnitId) -> Option<Unit<'_>> {
        (id.index() < self.len()).then_some(Unit { h: self, id: id.0 })
    }

    /// The unit with this exact code.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.by_code("110105").unwrap().name(), "朝阳区");
    /// assert!(h.by_code("999999").is_none());
    /// ```
    pub fn by_code(&self, code: &str) -> Option<Unit<'_>> {
        self.code_index
            .find(code.as_bytes(), |i| self.codes.get(i).as_bytes())
            .map(|id| Unit { h: self, id })
    }

    /// Every unit with this exact name, in id order (names repeat: 朝阳区 is
    /// in Beijing and in Changchun).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let codes: Vec<_> = h.by_name("朝阳区").map(|u| u.code()).collect();
    /// assert_eq!(codes, ["110105", "220104"]);
    /// assert_eq!(h.by_name("nowhere").count(), 0);
    /// ```
    pub fn by_name(&self, name: &str) -> UnitsIter<'_> {
        let ids = match self
            .name_index
            .find(name.as_bytes(), |i| self.names.get(i).as_bytes())
        {
            Some(n) => {
                let n = n as usize;
                &self.name_units[self.name_start[n] as usize..self.name_start[n + 1] as usize]
            }
            None => &[],
        };
        UnitsIter::new(self, ids)
    }

    /// All units in pre-order (the root first, then each subtree in code order).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.units().count(), h.len());
    /// ```
    pub fn units(&self) -> Descendants<'_> {
        Descendants::new(self, 0, self.len() as u32)
    }

    /// The lowest common ancestor of two units (a unit is its own ancestor here).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let a = h.by_code("110105").unwrap().id();
    /// let b = h.by_code("110118").unwrap().id();
    /// assert_eq!(h.lca(a, b).unwrap().code(), "11");
    /// assert_eq!(h.lca(a, a).unwrap().code(), "110105");
    /// ```
    pub fn lca(&self, a: UnitId, b: UnitId) -> Option<Unit<'_>> {
        if a.index() >= self.len() || b.index() >= self.len() {
            return None;
        }
        Some(Unit {
            h: self,
            id: self.lca_raw(a.0, b.0),
        })
    }

    /// Depth-aligned parent walk over the flat arrays.
    #[inline]
    pub(crate) fn lca_raw(&self, mut a: u32, mut b: u32) -> u32 {
        if self.contains_raw(a, b) {
            return a;
        }
        if self.contains_raw(b, a) {
            return b;
        }
        let (mut da, mut db) = (self.depth[a as usize], self.depth[b as usize]);
        while da > db {
            a = self.parent[a as usize];
            da -= 1;
        }
        while db > da {
            b = self.parent[b as usize];
            db -= 1;
        }
        while a != b {
            a = self.parent[a as usize];
            b = self.parent[b as usize];
        }
        a
    }

    /// Whether `a` is `b` or an ancestor of `b` (primary tree), by pre-order interval.
    #[inline]
    pub(crate) fn contains_raw(&self, a: u32, b: u32) -> bool {
        a <= b && b < self.end[a as usize]
    }

    /// The path between two units along the primary tree: from `a` up to
    /// their lowest common ancestor and down to `b`, both ends included.
    ///
    /// Returns `None` if either id is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let a = h.by_code("110105").unwrap().id();
    /// let b = h.by_code("110118").unwrap().id();
    /// let codes: Vec<_> = h.path(a, b).unwrap().iter().map(|&u| h.get(u).unwrap().code()).collect();
    /// assert_eq!(codes, ["110105", "11", "110118"]);
    /// ```
    pub fn path(&self, a: UnitId, b: UnitId) -> Option<Vec<UnitId>> {
        let top = self.lca(a, b)?.id;
        let mut up = vec![a];
        let mut x = a.0;
        while x != top {
            x = self.parent[x as usize];
            up.push(UnitId(x));
        }
        let mut down = Vec::new();
        let mut y = b.0;
        while y != top {
            down.push(UnitId(y));
            y = self.parent[y as usize];
        }
        up.extend(down.into_iter().rev());
        Some(up)
    }

    /// The petgraph graph: node index = [`UnitId::index`], one
    /// [`Relation::Administrative`] edge from each parent to each child, plus
    /// the secondary relations, all directed from governing to governed.
    ///
    /// This is the one accessor through which petgraph types are exposed, for
    /// running petgraph's algorithms; petgraph is 0.x, so its version is part
    /// of this method's contract.
    ///
    /// # Examples
    ///
    /// ```
    /// use petgraph::visit::{Dfs, Walker};
    /// let h = xzqh::sample::small_china();
    /// let reached = Dfs::new(h.graph(), 0).iter(h.graph()).count();
    /// assert_eq!(reached, h.len());
    /// ```
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Heap bytes held by this hierarchy (graph, arrays, strings, indexes).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert!(h.heap_bytes() > h.len());
    /// ```
    pub fn heap_bytes(&self) -> usize {
        let n = self.len();
        let e = self.graph.edge_count();
        let graph =
            (n + 1) * std::mem::size_of::<usize>() + e * (4 + std::mem::size_of::<Relation>());
        graph
            + n * (4 + 4 + 2 + 2 + 4)
            + self.codes.heap_bytes()
            + self.code_index.heap_bytes()
            + self.names.heap_bytes()
            + self.name_index.heap_bytes()
            + self.name_start.len() * 4
            + self.name_units.len() * 4
            + self.designations.len() * 8
            + self.secondary.len() * std::mem::size_of::<Secondary>()
    }

    #[inline]
    pub(crate) fn name_str(&self, id: u32) -> &str {
        self.names.get(self.name_of[id as usize])
    }

    #[inline]
    pub(crate) fn kind_def(&self, id: u32) -> &KindDef {
        &self.schema.kinds()[self.kind[id as usize] as usize]
    }

    #[inline]
    pub(crate) fn role_raw(&self, id: u32) -> Role {
        self.kind_def(id).role()
    }

    pub(crate) fn designations_raw(&self, id: u32) -> u32 {
        match self.designations.binary_search_by_key(&id, |&(u, _)| u) {
            Ok(i) => self.designations[i].1,
            Err(_) => 0,
        }
    }

    /// Secondary relations into `id`, sorted by source.
    pub(crate) fn secondary_in(&self, id: u32) -> &[Secondary] {
        let lo = self.secondary.partition_point(|s| s.to < id);
        let hi = self.secondary.partition_point(|s| s.to <= id);
        &self.secondary[lo..hi]
    }

    /// Counts government and agency units on the chain from the unit up to,
    /// not including, the root.
    pub(crate) fn tier_and_levels(&self, mut id: u32) -> (u32, u32) {
        let (mut tiers, mut levels) = (0, 0);
        while id != 0 && id != NONE {
            let role = self.role_raw(id);
            tiers += role.is_tier() as u32;
            levels += role.is_administrative_level() as u32;
            id = self.parent[id as usize];
        }
        (tiers, levels)
    }
}

/// A borrowed handle to one unit of a [`Hierarchy`].
///
/// # Examples
///
/// ```
/// let h = xzqh::sample::small_china();
/// let u = h.by_code("110105021").unwrap();
/// assert_eq!(u.name(), "南磨房地区");
/// assert_eq!(u.kind().name(), "area_office");
/// assert_eq!(u.role(), xzqh::Role::Agency);
/// assert_eq!(u.tiers(), 2);
/// assert_eq!(u.administrative_levels(), 3);
/// let chain: Vec<_> = u.ancestors().map(|a| a.name()).collect();
/// assert_eq!(chain, ["朝阳区", "北京市", "中华人民共和国"]);
/// ```
#[derive(Clone, Copy)]
pub struct Unit<'h> {
    pub(crate) h: &'h Hierarchy,
    pub(crate) id: u32,
}

impl fmt::Debug for Unit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unit")
            .field("id", &self.id)
            .field("code", &self.code())
            .field("name", &self.name())
            .field("kind", &self.kind().name())
            .finish()
    }
}

impl fmt::Display for Unit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code(), self.name())
    }
}

impl PartialEq for Unit<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.h, other.h) && self.id == other.id
    }
}

impl Eq for Unit<'_> {}

impl<'h> Unit<'h> {
    /// The unit's id.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.get(h.root().id()).unwrap(), h.root());
    /// ```
    pub fn id(self) -> UnitId {
        UnitId(self.id)
    }

    /// The hierarchy this unit belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.root().hierarchy().len(), h.len());
    /// ```
    pub fn hierarchy(self) -> &'h Hierarchy {
        self.h
    }

    /// The unit's code.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().root().code(), "0");
    /// ```
    pub fn code(self) -> &'h str {
        self.h.codes.get(self.id)
    }

    /// The unit's name.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().by_code("11").unwrap().name(), "北京市");
    /// ```
    pub fn name(self) -> &'h str {
        self.h.name_str(self.id)
    }

    /// The id of the unit's kind in the hierarchy's schema.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.by_code("11").unwrap().kind_id(), ChinaKind::Municipality.id());
    /// ```
    pub fn kind_id(self) -> KindId {
        KindId::new(self.h.kind[self.id as usize])
    }

    /// The unit's kind.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().by_code("11").unwrap().kind().label(), "直辖市");
    /// ```
    pub fn kind(self) -> &'h KindDef {
        self.h.kind_def(self.id)
    }

    /// The unit's level (its kind's level).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().by_code("11").unwrap().level(), xzqh::china::PROVINCIAL);
    /// ```
    pub fn level(self) -> Level {
        self.kind().level()
    }

    /// The unit's role (its kind's role).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().by_code("11").unwrap().role(), xzqh::Role::Government);
    /// ```
    pub fn role(self) -> Role {
        self.kind().role()
    }

    /// The unit's designations.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let capital = h.schema().designation_id("provincial_capital").unwrap();
    /// assert!(h.by_code("2201").unwrap().designations().contains(capital));
    /// assert!(h.by_code("11").unwrap().designations().is_empty());
    /// ```
    pub fn designations(self) -> Designations {
        Designations::from_bits(self.h.designations_raw(self.id))
    }

    /// Whether the unit has the designation.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let d = h.schema().designation_id("sub_provincial").unwrap();
    /// assert!(h.by_code("2201").unwrap().has(d));
    /// ```
    pub fn has(self, d: Designation) -> bool {
        self.designations().contains(d)
    }

    /// The primary parent, `None` for the root.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert!(h.root().parent().is_none());
    /// assert_eq!(h.by_code("11").unwrap().parent(), Some(h.root()));
    /// ```
    pub fn parent(self) -> Option<Unit<'h>> {
        let p = self.h.parent[self.id as usize];
        (p != NONE).then_some(Unit { h: self.h, id: p })
    }

    /// The children in code order.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let names: Vec<_> = h.root().children().map(|c| c.code()).collect();
    /// assert_eq!(names, ["11", "22", "42", "44", "54", "65"]);
    /// ```
    pub fn children(self) -> Children<'h> {
        Children::new(self.h, self.id)
    }

    /// The ancestors, nearest first, ending at the root; the unit itself is not included.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.by_code("110105").unwrap().ancestors().count(), 2);
    /// assert_eq!(h.root().ancestors().count(), 0);
    /// ```
    pub fn ancestors(self) -> Ancestors<'h> {
        Ancestors::new(self.h, self.h.parent[self.id as usize])
    }

    /// The descendants in pre-order; the unit itself is not included.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let d: Vec<_> = h.by_code("110105").unwrap().descendants().map(|u| u.code()).collect();
    /// assert_eq!(d, ["110105021"]);
    /// ```
    pub fn descendants(self) -> Descendants<'h> {
        Descendants::new(self.h, self.id + 1, self.h.end[self.id as usize])
    }

    /// The number of descendants.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.root().descendant_count(), h.len() - 1);
    /// ```
    pub fn descendant_count(self) -> usize {
        (self.h.end[self.id as usize] - self.id - 1) as usize
    }

    /// The depth: `0` for the root, parent's depth + 1 otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::sample::small_china().by_code("110105021").unwrap().depth(), 3);
    /// ```
    pub fn depth(self) -> usize {
        self.h.depth[self.id as usize] as usize
    }

    /// Whether this unit is `other` or one of its ancestors (primary tree).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let bj = h.by_code("11").unwrap();
    /// assert!(bj.contains(h.by_code("110105021").unwrap()));
    /// assert!(bj.contains(bj));
    /// assert!(!bj.contains(h.by_code("220104").unwrap()));
    /// ```
    pub fn contains(self, other: Unit<'_>) -> bool {
        std::ptr::eq(self.h, other.h) && self.h.contains_raw(self.id, other.id)
    }

    /// The tier count: government units on the chain from the top level below
    /// the root down to this unit (the root, the sovereign, is not counted;
    /// agencies, self-governing and functional units are not tiers).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.by_code("110105021").unwrap().tiers(), 2); // two-tier Beijing
    /// ```
    pub fn tiers(self) -> usize {
        self.h.tier_and_levels(self.id).0 as usize
    }

    /// The number of administrative levels: government and agency units on
    /// the chain below the root down to this unit.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(h.by_code("110105021").unwrap().administrative_levels(), 3);
    /// ```
    pub fn administrative_levels(self) -> usize {
        self.h.tier_and_levels(self.id).1 as usize
    }

    /// Secondary relations out of this unit (this unit governs the target by
    /// the relation), in target order.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Relation;
    /// let h = xzqh::sample::small_china();
    /// let out: Vec<_> = h.by_code("44").unwrap().relations_out()
    ///     .map(|(u, r)| (u.code(), r)).collect();
    /// assert_eq!(out, [("440281", Relation::Entrusted)]);
    /// ```
    pub fn relations_out(self) -> Relations<'h> {
        Relations::out(self.h, self.id)
    }

    /// Secondary relations into this unit (the source governs this unit by the
    /// relation), in source order.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Relation;
    /// let h = xzqh::sample::small_china();
    /// let inn: Vec<_> = h.by_code("440281").unwrap().relations_in()
    ///     .map(|(u, r)| (u.code(), r)).collect();
    /// assert_eq!(inn, [("44", Relation::Entrusted)]);
    /// ```
    pub fn relations_in(self) -> Relations<'h> {
        Relations::into(self.h, self.id)
    }
}
