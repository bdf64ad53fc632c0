//! The hierarchy: typed units in flat arrays numbered in pre-order, with
//! the indexes the hot queries read.
//!
//! Units are numbered in depth-first pre-order with children sorted by code,
//! so a unit's descendants are the ids `id + 1 .. end[id]` and its first
//! child is `id + 1`: a parent read is one memory read, an ancestor test one
//! comparison. Derived structures that not every user needs (the address
//! dictionary, the short-form tables, the bound code history, the petgraph
//! view) are built on first use and cached here, so they are built once per
//! hierarchy however many readers and routers share it.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use crate::model::index::{HashIndex, StrTable};
use crate::model::iter::{Descendants, UnitsIter};
use crate::model::jurisdiction::Governing;
use crate::model::profile::{CodeBuf, PlainProfile, Profile, Successions};
use crate::model::relation::Relation;
use crate::model::schema::{KindDef, Role, Schema};
use crate::model::unit::Unit;

pub(crate) const NONE: u32 = u32::MAX;

/// The id of a unit in one [`Hierarchy`]: its position in depth-first
/// pre-order (children by code). Ids are dense, `0` is the root.
///
/// An id is only meaningful in the hierarchy that issued it.
///
/// # Examples
///
/// Queries take a [`Unit`] wherever they take a `UnitId` (`impl
/// Into<UnitId>`), so ids are mostly for storing units apart from the
/// hierarchy's borrow.
///
/// ```
/// let h = xzqh::china();
/// let root = h.root();
/// assert_eq!(root.id(), xzqh::UnitId::new(0));
/// assert_eq!(root.id().index(), 0);
/// assert_eq!(xzqh::UnitId::from(root), root.id());
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

/// Lets a slice or `Vec` of ids be given where queries take
/// `impl Into<UnitId>` items ([`Hierarchy::lca_of`]).
///
/// # Examples
///
/// ```
/// let ids = vec![xzqh::UnitId::new(3)];
/// let first: xzqh::UnitId = (&ids[0]).into();
/// assert_eq!(first.index(), 3);
/// ```
impl From<&UnitId> for UnitId {
    #[inline]
    fn from(id: &UnitId) -> UnitId {
        *id
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
/// Build one with [`Hierarchy::builder`], load one ([`CsvImport`](crate::CsvImport),
/// snapshots), or get China's with `xzqh::china()`. It is `Send + Sync`;
/// share it behind an `Arc` or a `&'static`.
///
/// # Examples
///
/// ```
/// use xzqh::{china::ChinaKind, Hierarchy};
/// let h = Hierarchy::builder(xzqh::china::schema())
///     .unit("0", "中华人民共和国", ChinaKind::State, None)
///     .unit("11", "北京市", ChinaKind::Municipality, Some("0"))
///     .unit("110105", "朝阳区", ChinaKind::District, Some("11"))
///     .build()?;
/// let chaoyang = h.by_code("110105").unwrap();
/// assert_eq!(chaoyang.parent().unwrap().name(), "北京市");
/// assert_eq!(chaoyang.depth(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Hierarchy {
    pub(crate) schema: Arc<Schema>,
    pub(crate) profile: Arc<dyn Profile>,
    /// Unique per built hierarchy: values compiled for one hierarchy (a
    /// routing policy) check it instead of trusting ids.
    pub(crate) stamp: u64,
    pub(crate) parent: Box<[u32]>,
    pub(crate) end: Box<[u32]>,
    /// Which units govern and their `end`s, for [`Hierarchy::governs`].
    pub(crate) governing: Governing,
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
    /// The same relations sorted by (from, to).
    pub(crate) secondary_out: Box<[Secondary]>,
    pub(crate) data_version: Option<Box<str>>,
    pub(crate) derived: Derived,
}

/// What is built from a hierarchy on first use and kept with it.
#[derive(Default)]
pub(crate) struct Derived {
    pub(crate) successions: OnceLock<Option<Box<dyn Successions>>>,
    pub(crate) dictionary:
        OnceLock<Result<Arc<crate::address::Dictionary>, crate::address::AddressError>>,
    pub(crate) forms: OnceLock<crate::model::names::FormTables>,
    #[cfg(feature = "petgraph")]
    pub(crate) graph: OnceLock<crate::model::graph::Graph>,
}

/// Issues [`Hierarchy::stamp`]s: each hierarchy built gets the next one.
pub(crate) fn next_stamp() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The profile of hierarchies built without one.
pub(crate) fn plain_profile() -> Arc<dyn Profile> {
    static PLAIN: OnceLock<Arc<dyn Profile>> = OnceLock::new();
    PLAIN.get_or_init(|| Arc::new(PlainProfile)).clone()
}

impl fmt::Debug for Hierarchy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hierarchy")
            .field("schema", &self.schema.name())
            .field("profile", &self.profile.name())
            .field("units", &self.len())
            .field("secondary_relations", &self.secondary.len())
            .field("data_version", &self.data_version)
            .finish()
    }
}

/// Two hierarchies are equal when they have the same schema, profile name,
/// data version, units (code, name, kind, parent, designations, in the same order) and
/// secondary relations. Ids are canonical, so equal hierarchies answer every
/// query alike.
impl PartialEq for Hierarchy {
    fn eq(&self, other: &Self) -> bool {
        self.schema == other.schema
            && self.profile.name() == other.profile.name()
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
    /// let b = xzqh::Hierarchy::builder(xzqh::china::schema());
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
    /// assert_eq!(xzqh::china().schema().name(), "china");
    /// ```
    pub fn schema(&self) -> &Arc<Schema> {
        &self.schema
    }

    /// The version of the data this hierarchy was built from, if recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china().data_version(), Some(xzqh::china::DATA_VERSION));
    /// ```
    pub fn data_version(&self) -> Option<&str> {
        self.data_version.as_deref()
    }

    /// The number of units.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::china().len() > 40_000); // down to township level
    /// ```
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Always `false`: a built hierarchy has at least its root.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!xzqh::china().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The root unit.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china().root().name(), "中华人民共和国");
    /// ```
    pub fn root(&self) -> Unit<'_> {
        Unit { h: self, id: 0 }
    }

    /// The unit with this id, or `None` if the id is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// assert!(h.get(xzqh::UnitId::new(1)).is_some());
    /// assert!(h.get(xzqh::UnitId::new(u32::MAX)).is_none());
    /// ```
    pub fn get(&self, id: UnitId) -> Option<Unit<'_>> {
        (id.index() < self.len()).then_some(Unit { h: self, id: id.0 })
    }

    /// The unit with this code: as written, or in another form the
    /// hierarchy's profile knows (China's: `110105000000` and `110000` for
    /// `110105` and `11`; see [`Profile::normalize_code`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// assert_eq!(h.by_code("110105").unwrap().name(), "朝阳区");
    /// assert_eq!(h.by_code("110105000000").unwrap().name(), "朝阳区");
    /// assert_eq!(h.by_code("110000").unwrap().name(), "北京市");
    /// assert!(h.by_code("999999").is_none());
    /// ```
    pub fn by_code(&self, code: &str) -> Option<Unit<'_>> {
        if let Some(u) = self.by_exact_code(code) {
            return Some(u);
        }
        let mut buf = CodeBuf::new();
        if self.profile.normalize_code(code, &mut buf) {
            return self.by_exact_code(buf.as_str());
        }
        None
    }

    /// The unit with exactly this code, no other form.
    #[inline]
    pub(crate) fn by_exact_code(&self, code: &str) -> Option<Unit<'_>> {
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
    /// let h = xzqh::china();
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
    /// let h = xzqh::china();
    /// assert_eq!(h.units().count(), h.len());
    /// ```
    pub fn units(&self) -> Descendants<'_> {
        Descendants::new(self, 0, self.len() as u32)
    }

    /// The lowest common ancestor of two units (a unit is its own ancestor
    /// here). `a` and `b` are [`Unit`]s or [`UnitId`]s of this hierarchy;
    /// for more than two, see [`lca_of`](Self::lca_of).
    ///
    /// Returns `None` if either id is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let chaoyang = h.by_code("110105").unwrap(); // 朝阳区, 北京市
    /// let miyun = h.by_code("110118").unwrap(); // 密云区, 北京市
    /// assert_eq!(h.lca(chaoyang, miyun).unwrap().code(), "11");
    /// assert_eq!(h.lca(chaoyang, chaoyang).unwrap(), chaoyang);
    /// assert!(h.lca(chaoyang, xzqh::UnitId::new(u32::MAX)).is_none());
    /// ```
    #[inline]
    pub fn lca(&self, a: impl Into<UnitId>, b: impl Into<UnitId>) -> Option<Unit<'_>> {
        let (a, b) = (a.into(), b.into());
        if a.index() >= self.len() || b.index() >= self.len() {
            return None;
        }
        Some(Unit {
            h: self,
            id: self.lca_raw(a.0, b.0),
        })
    }

    #[inline]
    pub(crate) fn lca_raw(&self, a: u32, b: u32) -> u32 {
        self.lca_span(a.min(b), a.max(b))
    }

    /// The lowest common ancestor of `lo <= hi` (and of every unit numbered
    /// between them): the first ancestor-or-self of `hi` numbered at most
    /// `lo`. Ancestors of `hi` numbered above `lo` cannot contain `lo`; the
    /// first at or below it does, as its subtree runs past `hi`. One
    /// dependent chain of parent reads, no depth array: faster than a
    /// depth-aligned two-ended walk (see BENCHMARKS.md).
    /// Ends at the root at the latest (id 0).
    #[inline]
    pub(crate) fn lca_span(&self, lo: u32, mut hi: u32) -> u32 {
        while hi > lo {
            hi = self.parent[hi as usize];
        }
        hi
    }

    /// Whether `a` is `b` or an ancestor of `b` (primary tree), by pre-order interval.
    #[inline]
    pub(crate) fn contains_raw(&self, a: u32, b: u32) -> bool {
        a <= b && b < self.end[a as usize]
    }

    /// The path between two units along the primary tree: from `a` up to
    /// their lowest common ancestor and down to `b`, both ends included.
    /// `a` and `b` are [`Unit`]s or [`UnitId`]s of this hierarchy.
    ///
    /// Returns `None` if either id is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let chaoyang = h.by_code("110105").unwrap();
    /// let xiwengzhuang = h.by_code("110118101").unwrap(); // 溪翁庄镇, 密云区
    /// let path = h.path(chaoyang, xiwengzhuang).unwrap();
    /// let names: Vec<_> = path.iter().map(|u| u.name()).collect();
    /// assert_eq!(names, ["朝阳区", "北京市", "密云区", "溪翁庄镇"]);
    /// assert_eq!(h.path(chaoyang, chaoyang).unwrap(), [chaoyang]);
    /// ```
    pub fn path(&self, a: impl Into<UnitId>, b: impl Into<UnitId>) -> Option<Vec<Unit<'_>>> {
        let (a, b) = (a.into().0, b.into().0);
        let top = self.lca(UnitId(a), UnitId(b))?.id;
        let unit = |id| Unit { h: self, id };
        let mut path = vec![unit(a)];
        let mut x = a;
        while x != top {
            x = self.parent[x as usize];
            path.push(unit(x));
        }
        let turn = path.len();
        let mut y = b;
        while y != top {
            path.push(unit(y));
            y = self.parent[y as usize];
        }
        path[turn..].reverse();
        Some(path)
    }

    /// The profile the hierarchy was built with: how names and codes are
    /// written in its country.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china().profile().name(), "china");
    /// ```
    pub fn profile(&self) -> &dyn Profile {
        &*self.profile
    }

    /// The profile's code history bound to this hierarchy, built on first
    /// call and kept ([`Profile::successions`]); `None` when the profile has
    /// no history.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let history = h.successions().expect("China's profile has a code history");
    /// let mut units = Vec::new();
    /// history.successors(h, "371200", &mut units).expect("莱芜市 was merged into 济南市");
    /// assert_eq!(h.get(units[0]).unwrap().name(), "济南市");
    /// ```
    pub fn successions(&self) -> Option<&dyn Successions> {
        self.derived
            .successions
            .get_or_init(|| self.profile.successions(self))
            .as_deref()
    }

    /// Heap bytes held by the hierarchy's units: arrays, strings and
    /// indexes (not the structures built on first use, such as the address
    /// dictionary).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// assert!(h.heap_bytes() > h.len());
    /// ```
    pub fn heap_bytes(&self) -> usize {
        let n = self.len();
        n * (4 + 4 + 2 + 2 + 4)
            + self.codes.heap_bytes()
            + self.code_index.heap_bytes()
            + self.names.heap_bytes()
            + self.name_index.heap_bytes()
            + self.name_start.len() * 4
            + self.name_units.len() * 4
            + self.designations.len() * 8
            + 2 * self.secondary.len() * std::mem::size_of::<Secondary>()
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

    /// Secondary relations out of `id`, sorted by target.
    pub(crate) fn secondary_from(&self, id: u32) -> &[Secondary] {
        let lo = self.secondary_out.partition_point(|s| s.from < id);
        let hi = self.secondary_out.partition_point(|s| s.from <= id);
        &self.secondary_out[lo..hi]
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
