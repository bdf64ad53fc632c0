//! Jurisdiction: whether an authority governs a place, by which relation and
//! at what distance; the chain that shows why, for audit logs; and the lowest
//! unit covering a set of places, the primitive routing is built on.
//!
//! Every query takes its units as [`Unit`]s or [`UnitId`]s (anything
//! `Into<UnitId>`) and answers with [`Unit`]s, so a caller holding units from
//! a lookup passes them straight in and reads names and codes off the answer.
//! A unit or id is only meaningful in the hierarchy it came from.
//!
//! # Covering a set of places
//!
//! The lowest common ancestor of a set is that of its smallest and largest
//! pre-order ids (every id between them lies in the subtree of any ancestor of
//! both). And the lowest common ancestor of `lo <= hi` is the first
//! ancestor-or-self of `hi` whose id is at most `lo`: an ancestor `x` of `hi`
//! with `x <= lo` has `lo` in `x ..= hi`, inside its subtree, and every deeper
//! ancestor of `hi` has an id above `lo`. That walk reads only the parent
//! array, one read per level, and allocates nothing. It was measured against
//! the depth-aligned walk of both ends ([`Hierarchy::lca`]) and against an
//! LCA table, and was the faster of the three; see BENCHMARKS.md.

use std::fmt;
use std::iter::FusedIterator;

use crate::model::hierarchy::{Hierarchy, Secondary, UnitId};
use crate::model::iter::UnitsIter;
use crate::model::relation::Relation;
use crate::model::schema::Role;
use crate::model::unit::Unit;

/// The units that govern ([`Role::governs`]) and the ends of their
/// subtrees, for [`Hierarchy::governs`]: one bit per unit with a running
/// count per 64 units, then `end` of the governing units only, in id order.
/// Self-governing units (villages, communities: most of a village-level
/// hierarchy) take no entry, so the whole is about an eighth of the `end`
/// array (at most 345 KB for China's 665k units, 44.7k of them above the
/// villages, against 2.6 MB): small enough to stay in a core's
/// second-level cache under random queries, where `end` and the kinds
/// went to the shared last level.
#[derive(Debug, Default)]
pub(crate) struct Governing {
    /// Per 64 units: which of them govern, and how many units govern
    /// before them.
    words: Box<[(u64, u32)]>,
    /// `end` of each governing unit, in id order.
    ends: Box<[u32]>,
}

impl Governing {
    /// From every unit's `end` and kind, and whether each kind governs
    /// (indexed by kind).
    pub(crate) fn new(end: &[u32], kind: &[u16], governs: &[bool]) -> Governing {
        let mut words = Vec::with_capacity(end.len().div_ceil(64));
        let mut ends = Vec::new();
        for (ends64, kinds64) in end.chunks(64).zip(kind.chunks(64)) {
            let mut bits = 0u64;
            let before = ends.len() as u32;
            for (k, (&e, &kind)) in ends64.iter().zip(kinds64).enumerate() {
                if governs.get(usize::from(kind)).copied().unwrap_or(false) {
                    bits |= 1 << k;
                    ends.push(e);
                }
            }
            words.push((bits, before));
        }
        Governing {
            words: words.into_boxed_slice(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// `end[a]` if unit `a` governs, `a` if it governs nothing or is past
    /// the last unit, `None` far past it. No branch on the answer.
    #[inline]
    pub(crate) fn limit(&self, a: u32) -> Option<u32> {
        let &(bits, before) = self.words.get(a as usize / 64)?;
        let k = a % 64;
        let i = before + (bits & ((1u64 << k) - 1)).count_ones();
        // Past the last governing unit when `a` does not govern itself.
        let end = self.ends.get(i as usize).copied().unwrap_or(a);
        Some(if bits >> k & 1 == 1 { end } else { a })
    }
}

/// How an authority governs a place: the answer of [`Hierarchy::governs`]
/// and [`Hierarchy::governs_via`].
///
/// The chain runs from the authority A by `relation` to `via`, then down the
/// primary tree to the place B.
///
/// # Who governs
///
/// - A **government** governs its own territory: itself (distance 0) and
///   every unit below it in the primary tree, whatever their roles.
/// - An **agency** (地区, 盟, 街道, 区公所, the Corps) is dispatched by the
///   government above it and acts for that government *within the area it
///   was dispatched to*. So it governs its own subtree exactly as a
///   government does (a 街道 governs the communities below it), in the name
///   of the nearest government above it ([`Unit::acting_for`],
///   [`Explanation::acting_for`]). It does **not** inherit that government's
///   secondary relations: a province's entrusted county-level cities are not
///   the business of a 地区 the province dispatched elsewhere. Secondary
///   relations from the agency itself count: the Corps co-administers XPCC
///   cities in its own name.
/// - **Self-governing** (居委会, 村委会) and **functional** units (zones,
///   farms, grids) are not organs of state power: they govern nothing, not
///   their own descendants and not themselves, by any relation.
///
/// # By which relation
///
/// - [`Relation::Administrative`]: A is B or an ancestor of B in the primary
///   tree. Distance: `depth(B) - depth(A)`. Constant time: units are numbered
///   in pre-order, so the test is `a <= b && b < end[a]`: two reads of a
///   table about an eighth of the size of `end`, which also answers the
///   role.
/// - A secondary relation R: an R-edge goes from A to a unit X that is B or an
///   ancestor of B. Distance: the edges on the chain, `1 + depth(B) -
///   depth(X)`. One hop only: relations do not chain (A -R-> X -R-> Y does not
///   give A the subtree of Y): an edge records one grant of authority, and
///   what X holds by its own grants is X's, not A's. If several of A's edges
///   land on B's line, the nearest one (deepest X, shortest distance) counts;
///   there is at most one edge per pair of units, so the answer is unique.
///   Cost: a scan of A's out-edges (children and secondary edges), one
///   interval check each.
/// - **The primary tree wins**: when the relations asked for include
///   [`Relation::Administrative`] and A is an ancestor-or-self of B, the answer
///   is administrative even where a secondary chain is shorter (广东省 governs
///   乐昌市 administratively at distance 2, not by entrustment at distance 1).
///   The tree is the line every unit has and routing escalates along; a
///   secondary relation adds jurisdiction where the tree gives none and does
///   not relabel the one that exists. It also keeps the common case
///   constant-time. Ask [`Hierarchy::governs_via`] without `Administrative`
///   to see the secondary chain.
///
/// [`Hierarchy::governs_via`] considers exactly the relations it is given:
/// [`Relation::Planning`] carries no power, so leave it out unless your use
/// treats it as jurisdiction.
///
/// # Examples
///
/// ```
/// use xzqh::Relation;
/// let h = xzqh::china();
/// let bj = h.by_code("11").unwrap(); // 北京市
/// let nanmofang = h.by_code("110105021").unwrap(); // 南磨房地区, in 朝阳区
/// let j = h.governs(bj, nanmofang).unwrap();
/// assert_eq!(j.relation, Relation::Administrative);
/// assert_eq!(j.distance, 2);
/// assert_eq!(j.via, bj);
/// assert_eq!(j.to_string(), "administrative at distance 2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Jurisdiction<'h> {
    /// The relation of the first edge of the chain:
    /// [`Relation::Administrative`] when A is an ancestor-or-self of B.
    pub relation: Relation,
    /// The number of edges on the chain from A to B (`0` when A is B).
    pub distance: usize,
    /// Where the chain joins B's line in the primary tree: A itself for
    /// [`Relation::Administrative`], otherwise the target of A's secondary
    /// edge. B is `via` or one of its descendants.
    pub via: Unit<'h>,
}

impl fmt::Display for Jurisdiction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at distance {}", self.relation, self.distance)
    }
}

/// A unit asked again and again whether it governs places: what
/// [`Hierarchy::authority`] gives. It holds the end of the unit's subtree
/// (the unit itself for one that governs nothing), so
/// [`governs`](Authority::governs) compares two ids and reads nothing
/// else: the answer [`Hierarchy::governs`] gives, without its two reads
/// of the hierarchy's tables.
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let unit = |code| h.by_code(code).ok_or(code);
/// let places = ["440305007", "440304001", "440305"];
/// let shenzhen = h.authority(unit("4403")?).unwrap(); // 深圳市
/// let governed = places.iter().filter_map(|&c| shenzhen.governs(unit(c).ok()?)).count();
/// assert_eq!(governed, 3);
/// // A functional unit (北京经济技术开发区) governs nothing, not even itself.
/// let zone = unit("110115403")?;
/// assert!(!zone.role().governs());
/// assert!(h.authority(zone).unwrap().governs(zone).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Authority<'h> {
    h: &'h Hierarchy,
    id: u32,
    /// `end` of the unit's subtree if it governs, else the unit's id.
    limit: u32,
}

impl fmt::Debug for Authority<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Authority").field(&self.unit()).finish()
    }
}

/// Two authorities are equal when their units are (the rest follows).
impl PartialEq for Authority<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.unit() == other.unit()
    }
}

impl Eq for Authority<'_> {}

impl std::hash::Hash for Authority<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.unit().hash(state);
    }
}

impl<'h> Authority<'h> {
    /// The unit.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let a = h.authority(h.by_code("44").unwrap()).unwrap();
    /// assert_eq!(a.unit().name(), "广东省");
    /// ```
    pub fn unit(&self) -> Unit<'h> {
        Unit {
            h: self.h,
            id: self.id,
        }
    }

    /// Whether the unit governs `b` over the primary tree: exactly what
    /// [`Hierarchy::governs`] answers for the unit and `b`.
    ///
    /// `b` is a [`Unit`] or [`UnitId`] of the unit's hierarchy; `None` for
    /// one it does not govern or that is unknown.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let gd = h.authority(unit("44")?).unwrap();
    /// let j = gd.governs(unit("440305007")?).unwrap(); // 粤海街道
    /// assert_eq!((j.distance, j.via.code()), (3, "44"));
    /// assert!(gd.governs(unit("11")?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn governs(&self, b: impl Into<UnitId>) -> Option<Jurisdiction<'h>> {
        let (a, b) = (self.id, b.into().get());
        // `a <= limit <= len`, and `limit` is `a` for a unit that governs
        // nothing: one unsigned comparison tests `a <= b < limit` (for
        // `b < a`, `b - a` wraps above any span) and, with it, the role
        // and that `b` is known. No branch on the answer here: random
        // queries mispredict it, and a mispredicted branch right after the
        // reads keeps the CPU from overlapping them with the next query's.
        (b.wrapping_sub(a) < self.limit - a).then(|| self.h.administrative(a, b))
    }
}

impl Hierarchy {
    /// Whether `a` governs `b` over the primary tree: `a` is a government or
    /// an agency, and `b` is `a` or one of its descendants. Constant time, no
    /// allocation.
    ///
    /// `a` and `b` are [`Unit`]s or [`UnitId`]s of this hierarchy.
    /// Self-governing and functional units govern nothing. See
    /// [`Jurisdiction`] for the rules.
    ///
    /// Returns `None` if `a` does not govern `b` or either id is unknown.
    ///
    /// # Examples
    ///
    /// 塔城地区 is an agency (a 地区) under 伊犁哈萨克自治州; it governs the
    /// county-level city 塔城市 below it, not the prefecture above it.
    ///
    /// ```
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let tacheng = unit("6542")?; // 塔城地区
    /// assert_eq!(h.governs(tacheng, unit("654201")?).unwrap().distance, 1);
    /// assert!(h.governs(tacheng, unit("6540")?).is_none()); // not upwards
    /// assert!(h.governs(tacheng, xzqh::UnitId::new(u32::MAX)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn governs(&self, a: impl Into<UnitId>, b: impl Into<UnitId>) -> Option<Jurisdiction<'_>> {
        let a = a.into().get();
        // The authority's one comparison, with `limit` read here (`a` past
        // the last unit but within its block has `limit == a`, and governs
        // nothing).
        let limit = self.governing.limit(a)?;
        Authority {
            h: self,
            id: a,
            limit,
        }
        .governs(b)
    }

    /// `a` as an authority to ask [`governs`](Self::governs) of again and
    /// again (a desk checking every case against its own unit): the
    /// [`Authority`] carries the end of `a`'s subtree, so each check
    /// compares ids and reads no memory.
    ///
    /// Returns `None` if `a` is not a unit of this hierarchy.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let nanshan = h.authority(unit("440305")?).unwrap(); // 南山区
    /// assert_eq!(nanshan.governs(unit("440305007")?).unwrap().distance, 1);
    /// assert!(nanshan.governs(unit("440304")?).is_none()); // 福田区
    /// assert_eq!(nanshan.unit().name(), "南山区");
    /// assert!(h.authority(xzqh::UnitId::new(u32::MAX)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authority(&self, a: impl Into<UnitId>) -> Option<Authority<'_>> {
        let a = a.into().get();
        let limit = self.governing.limit(a)?;
        (a < self.len() as u32).then_some(Authority {
            h: self,
            id: a,
            limit,
        })
    }

    /// Whether `a` governs `b` by any of `relations`: over the primary tree
    /// if they include [`Relation::Administrative`], and through `a`'s own
    /// secondary edges of the listed kinds. The primary tree wins when both
    /// apply; among secondary chains the shortest wins.
    ///
    /// Returns `None` if `a` governs `b` by none of `relations` (always, if
    /// `relations` is empty) or either id is unknown.
    ///
    /// # Examples
    ///
    /// 广东省 governs 乐昌市 through 韶关市, and directly by entrustment
    /// (代管): the legal relation beside the tree. 深圳市 governs neither.
    ///
    /// ```
    /// use xzqh::Relation::{Administrative, Entrusted};
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let (gd, lechang, beixiang) = (unit("44")?, unit("440281")?, unit("440281102")?);
    ///
    /// let j = h.governs_via(gd, lechang, &[Administrative, Entrusted]).unwrap();
    /// assert_eq!((j.relation, j.distance), (Administrative, 2)); // the tree wins
    ///
    /// let j = h.governs_via(gd, beixiang, &[Entrusted]).unwrap();
    /// assert_eq!((j.relation, j.distance, j.via), (Entrusted, 2, lechang));
    ///
    /// assert!(h.governs_via(unit("4403")?, lechang, &[Administrative, Entrusted]).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn governs_via(
        &self,
        a: impl Into<UnitId>,
        b: impl Into<UnitId>,
        relations: &[Relation],
    ) -> Option<Jurisdiction<'_>> {
        let (a, b) = (a.into().get(), b.into().get());
        if a as usize >= self.len() || b as usize >= self.len() || !self.role_raw(a).governs() {
            return None;
        }
        if self.contains_raw(a, b) && relations.contains(&Relation::Administrative) {
            return Some(self.administrative(a, b));
        }
        self.secondary_jurisdiction(a, b, relations)
    }

    /// The chain from `a` down to `b` over the primary tree, for audit logs:
    /// [`explain_via`](Self::explain_via) with [`Relation::Administrative`].
    ///
    /// Returns `None` exactly when [`governs`](Self::governs) does.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let e = h.explain(unit("6540")?, unit("654201200")?).unwrap();
    /// assert_eq!(e.jurisdiction().distance, 3);
    /// assert_eq!(
    ///     e.to_string(),
    ///     "6540 伊犁哈萨克自治州 -administrative-> 6542 塔城地区 \
    ///      -administrative-> 654201 塔城市 -administrative-> 654201200 喀拉哈巴克乡"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain(&self, a: impl Into<UnitId>, b: impl Into<UnitId>) -> Option<Explanation<'_>> {
        self.explain_via(a, b, &[Relation::Administrative])
    }

    /// The chain of units and relations by which `a` governs `b`, choosing
    /// the chain as [`governs_via`](Self::governs_via) does.
    ///
    /// Returns `None` exactly when [`governs_via`](Self::governs_via) does.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Relation;
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let e = h.explain_via(unit("44")?, unit("440281102")?, &[Relation::Entrusted]).unwrap();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "44 广东省 -entrusted-> 440281 乐昌市 -administrative-> 440281102 北乡镇"
    /// );
    /// let relations: Vec<_> = e.links().map(|s| s.relation).collect();
    /// assert_eq!(relations, [Relation::Entrusted, Relation::Administrative]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain_via(
        &self,
        a: impl Into<UnitId>,
        b: impl Into<UnitId>,
        relations: &[Relation],
    ) -> Option<Explanation<'_>> {
        let (a, b) = (a.into(), b.into());
        let jurisdiction = self.governs_via(a, b, relations)?;
        let mut chain = Vec::with_capacity(jurisdiction.distance + 1);
        // Up from `b` to `via` (an ancestor-or-self of `b`, so the walk ends).
        let mut x = b.get();
        chain.push(x);
        while x != jurisdiction.via.id {
            x = self.parent[x as usize];
            chain.push(x);
        }
        if !jurisdiction.relation.is_primary() {
            chain.push(a.get());
        }
        chain.reverse();
        Some(Explanation {
            h: self,
            jurisdiction,
            chain,
        })
    }

    /// The lowest common ancestor of a set of units (a unit counts as its own
    /// ancestor): the lowest unit whose territory covers them all.
    /// Allocation-free; one read of the parent array per level climbed.
    ///
    /// `units` yields [`Unit`]s or [`UnitId`]s (or references to either):
    /// an array, a slice, a `Vec` or any iterator.
    ///
    /// Returns `None` if `units` is empty or holds an unknown id.
    ///
    /// # Examples
    ///
    /// A town of 乐昌市, one of 东莞市 and a subdistrict of 深圳市 lie in
    /// three prefecture-level cities of 广东省:
    ///
    /// ```
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let towns = [unit("440281102")?, unit("441900121")?, unit("440305007")?];
    /// assert_eq!(h.lca_of(towns).unwrap().name(), "广东省");
    /// assert_eq!(h.lca_of(&towns[..1]).unwrap().code(), "440281102");
    /// let ids: Vec<xzqh::UnitId> = towns.iter().map(|u| u.id()).collect();
    /// assert_eq!(h.lca_of(&ids), h.lca_of(towns));
    /// assert!(h.lca_of(Vec::<xzqh::UnitId>::new()).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn lca_of<I>(&self, units: I) -> Option<Unit<'_>>
    where
        I: IntoIterator,
        I::Item: Into<UnitId>,
    {
        let mut span: Option<(u32, u32)> = None;
        for u in units {
            let u = u.into().get();
            span = Some(span.map_or((u, u), |(lo, hi)| (lo.min(u), hi.max(u))));
        }
        let (lo, hi) = span?;
        if hi as usize >= self.len() {
            return None;
        }
        Some(Unit {
            h: self,
            id: self.lca_span(lo, hi),
        })
    }

    /// The lowest unit covering all of `units` that satisfies `pred`: their
    /// lowest common ancestor or the nearest ancestor of it for which `pred`
    /// is true. `pred` sees candidates from the bottom up.
    ///
    /// `units` is given as to [`lca_of`](Self::lca_of).
    ///
    /// Returns `None` if `units` is empty or holds an unknown id, or if no
    /// unit on the way to the root satisfies `pred`.
    ///
    /// # Examples
    ///
    /// A case touching a town of 乐昌市 and one of 东莞市 goes to the lowest
    /// government at prefecture level or above covering both:
    ///
    /// ```
    /// use xzqh::{china::PREFECTURAL, Role};
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let places = [unit("440281102")?, unit("441900121")?];
    /// let handler = h
    ///     .lowest_covering(places, |u| u.role() == Role::Government && u.level() <= PREFECTURAL)
    ///     .unwrap();
    /// assert_eq!(handler.name(), "广东省");
    ///
    /// // The provincial capital above one of 长春's two-tier districts.
    /// let capital = h.schema().designation_id("provincial_capital").unwrap();
    /// let city = h.lowest_covering([unit("220104")?], |u| u.has(capital)).unwrap();
    /// assert_eq!(city.name(), "长春市");
    /// // The lowest unit with local legislative power above 北乡镇: 乐昌市 has
    /// // none, 韶关市 (a districted city) has.
    /// let power = h.schema().designation_id("local_legislation").unwrap();
    /// assert_eq!(h.lowest_covering([places[0]], |u| u.has(power)).unwrap().name(), "韶关市");
    /// // Nothing above the root.
    /// assert!(h.lowest_covering([h.root()], |u| u.has(power)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lowest_covering<'h, I>(
        &'h self,
        units: I,
        mut pred: impl FnMut(Unit<'h>) -> bool,
    ) -> Option<Unit<'h>>
    where
        I: IntoIterator,
        I::Item: Into<UnitId>,
    {
        let mut u = self.lca_of(units)?;
        while !pred(u) {
            u = u.parent()?;
        }
        Some(u)
    }

    /// The administrative answer for `a` an ancestor-or-self of `b`.
    #[inline]
    fn administrative(&self, a: u32, b: u32) -> Jurisdiction<'_> {
        Jurisdiction {
            relation: Relation::Administrative,
            // Both ids are known; no panic path, so that a caller asking
            // only whether there is an answer reads no depth.
            distance: usize::from(
                self.depth.get(b as usize).map_or(0, |&d| d)
                    - self.depth.get(a as usize).map_or(0, |&d| d),
            ),
            via: Unit { h: self, id: a },
        }
    }

    /// The nearest of `a`'s secondary edges of the listed kinds landing on
    /// `b` or an ancestor of `b`. Both ids are known.
    ///
    /// Scans `a`'s secondary edges: few, for the units secondary edges
    /// start from (provinces, the Corps), and each test is one interval
    /// check. Walking up from `b` with a binary search of the secondary
    /// edges per level was measured slower, mostly on mispredicted branches;
    /// the scan does not depend on `b`'s depth.
    fn secondary_jurisdiction(
        &self,
        a: u32,
        b: u32,
        relations: &[Relation],
    ) -> Option<Jurisdiction<'_>> {
        // Targets on `b`'s line are its ancestors-or-self: the deepest one,
        // which gives the shortest chain, has the largest id.
        let mut nearest: Option<(u32, Relation)> = None;
        for &Secondary {
            to: x, relation, ..
        } in self.secondary_from(a)
        {
            if self.contains_raw(x, b)
                && relations.contains(&relation)
                && nearest.is_none_or(|(y, _)| x > y)
            {
                nearest = Some((x, relation));
            }
        }
        let (x, relation) = nearest?;
        Some(Jurisdiction {
            relation,
            distance: 1 + usize::from(self.depth[b as usize] - self.depth[x as usize]),
            via: Unit { h: self, id: x },
        })
    }
}

impl<'h> Unit<'h> {
    /// For an agency, the government it acts for: the nearest government
    /// above it in the primary tree (塔城地区 acts for 伊犁哈萨克自治州, 南磨房地区
    /// for 朝阳区).
    ///
    /// Returns `None` for units that are not agencies, and for an agency with
    /// no government above it (it still governs its subtree in its own name).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let tacheng = h.by_code("6542").unwrap();
    /// assert_eq!(tacheng.acting_for().unwrap().code(), "6540");
    /// assert!(h.by_code("6540").unwrap().acting_for().is_none());
    /// ```
    pub fn acting_for(self) -> Option<Unit<'h>> {
        if self.role() != Role::Agency {
            return None;
        }
        self.ancestors().find(|u| u.role() == Role::Government)
    }
}

/// The chain by which an authority governs a place, for audit logs: see
/// [`Hierarchy::explain`] and [`Hierarchy::explain_via`].
///
/// It displays as the units (code and name) joined by their relations, the
/// authority first; an agency is followed by the government it acts for.
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let unit = |code| h.by_code(code).ok_or(code);
/// let e = h.explain(unit("6542")?, unit("654201")?).unwrap();
/// assert_eq!(e.governor().name(), "塔城地区");
/// assert_eq!(e.acting_for().unwrap().name(), "伊犁哈萨克自治州");
/// assert_eq!(e.governed().name(), "塔城市");
/// assert_eq!(e.units().count(), 2);
/// assert_eq!(
///     e.to_string(),
///     "6542 塔城地区 (for 6540 伊犁哈萨克自治州) -administrative-> 654201 塔城市"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Explanation<'h> {
    h: &'h Hierarchy,
    jurisdiction: Jurisdiction<'h>,
    /// The authority, then each unit down to the place.
    chain: Vec<u32>,
}

impl<'h> Explanation<'h> {
    /// The answer this chain explains.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// assert_eq!(h.explain(h.root(), h.root()).unwrap().jurisdiction().distance, 0);
    /// ```
    pub fn jurisdiction(&self) -> Jurisdiction<'h> {
        self.jurisdiction
    }

    /// The authority, where the chain starts.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// assert_eq!(h.explain(h.root(), h.root()).unwrap().governor(), h.root());
    /// ```
    pub fn governor(&self) -> Unit<'h> {
        self.unit(self.chain[0])
    }

    /// The place, where the chain ends.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let bj = h.by_code("11").unwrap();
    /// assert_eq!(h.explain(h.root(), bj).unwrap().governed(), bj);
    /// ```
    pub fn governed(&self) -> Unit<'h> {
        self.unit(
            *self
                .chain
                .last()
                .expect("a chain holds at least the authority"),
        )
    }

    /// The government the authority acts for, if it is an agency (see
    /// [`Unit::acting_for`]).
    ///
    /// # Examples
    ///
    /// 南磨房地区 is one of Beijing's area offices (地区办事处), an agency of
    /// 朝阳区:
    ///
    /// ```
    /// let h = xzqh::china();
    /// let nanmofang = h.by_code("110105021").unwrap();
    /// let e = h.explain(nanmofang, nanmofang).unwrap();
    /// assert_eq!(e.acting_for().unwrap().name(), "朝阳区");
    /// ```
    pub fn acting_for(&self) -> Option<Unit<'h>> {
        self.governor().acting_for()
    }

    /// The units on the chain, the authority first and the place last
    /// (`distance + 1` units).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let e = h.explain(unit("11")?, unit("110105021")?).unwrap();
    /// let codes: Vec<_> = e.units().map(|u| u.code()).collect();
    /// assert_eq!(codes, ["11", "110105", "110105021"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn units(&self) -> UnitsIter<'_> {
        UnitsIter::new(self.h, &self.chain)
    }

    /// The edges of the chain, from the authority down (`distance` steps).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let unit = |code| h.by_code(code).ok_or(code);
    /// let e = h.explain(unit("11")?, unit("110105")?).unwrap();
    /// let step = e.links().next().unwrap();
    /// assert_eq!((step.from.code(), step.to.code()), ("11", "110105"));
    /// assert_eq!(step.relation, xzqh::Relation::Administrative);
    /// assert_eq!(e.links().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn links(&self) -> Links<'_> {
        Links {
            h: self.h,
            first: self.jurisdiction.relation,
            at: 0,
            chain: &self.chain,
        }
    }

    fn unit(&self, id: u32) -> Unit<'h> {
        Unit { h: self.h, id }
    }
}
impl fmt::Debug for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("jurisdiction", &self.jurisdiction)
            .field("chain", &self.chain)
            .finish()
    }
}

impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.governor())?;
        if let Some(g) = self.acting_for() {
            write!(f, " (for {g})")?;
        }
        for step in self.links() {
            write!(f, " -{}-> {}", step.relation, step.to)?;
        }
        Ok(())
    }
}

/// One edge of an [`Explanation`]: `from` governs `to` by `relation`.
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let unit = |code| h.by_code(code).ok_or(code);
/// let e = h.explain(unit("4402")?, unit("440281")?).unwrap();
/// let step = e.links().next().unwrap();
/// assert_eq!(step.to_string(), "4402 韶关市 -administrative-> 440281 乐昌市");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Link<'h> {
    /// The governing unit.
    pub from: Unit<'h>,
    /// The relation of the edge.
    pub relation: Relation,
    /// The governed unit.
    pub to: Unit<'h>,
}

impl fmt::Display for Link<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -{}-> {}", self.from, self.relation, self.to)
    }
}

/// The edges of an [`Explanation`], from the authority down; see
/// [`Explanation::links`].
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let unit = |code| h.by_code(code).ok_or(code);
/// let e = h.explain(unit("65")?, unit("654201")?).unwrap();
/// let lines: Vec<String> = e.links().map(|l| l.to_string()).collect();
/// assert_eq!(lines.len(), 3);
/// assert_eq!(lines[2], "6542 塔城地区 -administrative-> 654201 塔城市");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Links<'a> {
    h: &'a Hierarchy,
    first: Relation,
    at: usize,
    chain: &'a [u32],
}

impl<'a> Iterator for Links<'a> {
    type Item = Link<'a>;

    fn next(&mut self) -> Option<Link<'a>> {
        let (&from, &to) = (self.chain.get(self.at)?, self.chain.get(self.at + 1)?);
        // Only the first edge can be secondary: the rest descend the tree.
        let relation = if self.at == 0 {
            self.first
        } else {
            Relation::Administrative
        };
        self.at += 1;
        Some(Link {
            from: Unit {
                h: self.h,
                id: from,
            },
            relation,
            to: Unit { h: self.h, id: to },
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.chain.len().saturating_sub(self.at + 1);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Links<'_> {}
impl FusedIterator for Links<'_> {}

impl fmt::Debug for Links<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Links")
            .field("at", &self.at)
            .field("chain", &self.chain)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Governing;

    /// `Governing::limit` against the plain arrays it packs, over word
    /// boundaries and past the last unit.
    #[test]
    fn governing_limit_matches_the_plain_arrays() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for n in [0usize, 1, 63, 64, 65, 200, 513] {
            for density in [0u64, 1, 3, 4] {
                // Kind 1 governs, kind 0 does not.
                let kind: Vec<u16> = (0..n).map(|_| u16::from(next() % 4 < density)).collect();
                let end: Vec<u32> = (0..n)
                    .map(|id| id as u32 + 1 + (next() % (n - id) as u64) as u32)
                    .collect();
                let g = Governing::new(&end, &kind, &[false, true]);
                for a in 0..n {
                    let want = if kind[a] == 1 { end[a] } else { a as u32 };
                    assert_eq!(g.limit(a as u32), Some(want), "n {n}, unit {a}");
                }
                for a in n..n.div_ceil(64) * 64 {
                    assert_eq!(g.limit(a as u32), Some(a as u32));
                }
                assert_eq!(g.limit((n.div_ceil(64) * 64) as u32), None);
                assert_eq!(g.limit(u32::MAX), None);
            }
        }
    }
}
