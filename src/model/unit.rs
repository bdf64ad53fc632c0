//! [`Unit`], the borrowed handle users navigate a hierarchy with.

use std::fmt;

use crate::model::hierarchy::{Hierarchy, NONE, UnitId};
use crate::model::iter::{Ancestors, Children, Descendants, Relations};
use crate::model::schema::{Designation, Designations, KindDef, KindId, Level, Role};

/// A borrowed handle to one unit of a [`Hierarchy`].
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
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

/// Hashes the id: units equal under [`PartialEq`] (same hierarchy, same
/// id) hash alike.
impl std::hash::Hash for Unit<'_> {
    fn hash<S: std::hash::Hasher>(&self, state: &mut S) {
        self.id.hash(state);
    }
}

/// Lets a unit be given wherever a query takes `impl Into<UnitId>`
/// ([`Hierarchy::governs`], [`Hierarchy::lca`], ...).
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// assert_eq!(xzqh::UnitId::from(h.root()), h.root().id());
/// ```
impl From<Unit<'_>> for UnitId {
    #[inline]
    fn from(unit: Unit<'_>) -> UnitId {
        unit.id()
    }
}

/// Lets a slice or `Vec` of units be given where queries take
/// `impl Into<UnitId>` items ([`Hierarchy::lca_of`]).
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let units = vec![h.root()];
/// assert_eq!(xzqh::UnitId::from(&units[0]), h.root().id());
/// assert_eq!(h.lca_of(&units), Some(h.root()));
/// ```
impl From<&Unit<'_>> for UnitId {
    #[inline]
    fn from(unit: &Unit<'_>) -> UnitId {
        unit.id()
    }
}

impl<'h> Unit<'h> {
    /// The unit's id.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// assert_eq!(h.get(h.root().id()).unwrap(), h.root());
    /// ```
    #[inline]
    pub fn id(self) -> UnitId {
        UnitId::new(self.id)
    }

    /// The hierarchy this unit belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// assert_eq!(h.root().hierarchy().len(), h.len());
    /// ```
    #[inline]
    pub fn hierarchy(self) -> &'h Hierarchy {
        self.h
    }

    /// The unit's code.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china().root().code(), "0");
    /// ```
    #[inline]
    pub fn code(self) -> &'h str {
        self.h.codes.get(self.id)
    }

    /// The unit's name.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china().by_code("11").unwrap().name(), "北京市");
    /// ```
    #[inline]
    pub fn name(self) -> &'h str {
        self.h.name_str(self.id)
    }

    /// The id of the unit's kind in the hierarchy's schema.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let h = xzqh::china();
    /// assert_eq!(h.by_code("11").unwrap().kind_id(), ChinaKind::Municipality.id());
    /// ```
    #[inline]
    pub fn kind_id(self) -> KindId {
        KindId::new(self.h.kind[self.id as usize])
    }

    /// The unit's kind.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china().by_code("11").unwrap().kind().label(), "直辖市");
    /// ```
    #[inline]
    pub fn kind(self) -> &'h KindDef {
        self.h.kind_def(self.id)
    }

    /// The unit's level (its kind's level).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china().by_code("11").unwrap().level(), xzqh::china::PROVINCIAL);
    /// ```
    #[inline]
    pub fn level(self) -> Level {
        self.kind().level()
    }

    /// The unit's role (its kind's role).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china().by_code("11").unwrap().role(), xzqh::Role::Government);
    /// ```
    #[inline]
    pub fn role(self) -> Role {
        self.kind().role()
    }

    /// The unit's designations.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let capital = h.schema().designation_id("provincial_capital").unwrap();
    /// assert!(h.by_code("2201").unwrap().designations().contains(capital)); // 长春市
    /// assert!(h.by_code("110105").unwrap().designations().is_empty()); // 朝阳区
    /// ```
    pub fn designations(self) -> Designations {
        Designations::from_bits(self.h.designations_raw(self.id))
    }

    /// Whether the unit has the designation.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
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
    /// let h = xzqh::china();
    /// assert!(h.root().parent().is_none());
    /// assert_eq!(h.by_code("11").unwrap().parent(), Some(h.root()));
    /// ```
    #[inline]
    pub fn parent(self) -> Option<Unit<'h>> {
        let p = self.h.parent[self.id as usize];
        (p != NONE).then_some(Unit { h: self.h, id: p })
    }

    /// The children in code order.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let codes: Vec<_> = h.root().children().map(|c| c.code()).collect();
    /// assert_eq!(codes[..3], ["11", "12", "13"]);
    /// // 34 provincial-level units and the Xinjiang Production and
    /// // Construction Corps (code 66, between 65 新疆 and 71 台湾省).
    /// assert_eq!(codes.len(), 35);
    /// assert_eq!(codes.last(), Some(&"82"));
    /// ```
    pub fn children(self) -> Children<'h> {
        Children::new(self.h, self.id)
    }

    /// The ancestors, nearest first, ending at the root; the unit itself is not included.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
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
    /// let h = xzqh::china();
    /// let chaoyang = h.by_code("110105").unwrap();
    /// assert_eq!(chaoyang.descendants().count(), 43); // its township-level units
    /// assert!(chaoyang.descendants().all(|u| u.parent() == Some(chaoyang)));
    /// ```
    pub fn descendants(self) -> Descendants<'h> {
        Descendants::new(self.h, self.id + 1, self.h.end[self.id as usize])
    }

    /// The number of descendants.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
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
    /// assert_eq!(xzqh::china().by_code("110105021").unwrap().depth(), 3);
    /// ```
    #[inline]
    pub fn depth(self) -> usize {
        self.h.depth[self.id as usize] as usize
    }

    /// Whether this unit is `other` or one of its ancestors (primary tree).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
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
    /// let h = xzqh::china();
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
    /// let h = xzqh::china();
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
    /// let h = xzqh::china();
    /// // 广东省 entrusts its county-level cities (乐昌市 among them) to the
    /// // prefecture-level cities above them.
    /// let gd = h.by_code("44").unwrap();
    /// assert!(gd.relations_out().any(|(u, r)| u.code() == "440281" && r == Relation::Entrusted));
    /// assert!(gd.relations_out().all(|(_, r)| r == Relation::Entrusted));
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
    /// let h = xzqh::china();
    /// let inn: Vec<_> = h.by_code("440281").unwrap().relations_in()
    ///     .map(|(u, r)| (u.code(), r)).collect();
    /// assert_eq!(inn, [("44", Relation::Entrusted)]);
    /// ```
    pub fn relations_in(self) -> Relations<'h> {
        Relations::into(self.h, self.id)
    }
}
