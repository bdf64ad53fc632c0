//! Named iterator types over a hierarchy's units.

use std::fmt;
use std::iter::FusedIterator;

use crate::model::hierarchy::{Hierarchy, NONE, Secondary};
use crate::model::relation::Relation;
use crate::model::unit::Unit;

/// The children of a unit, in code order; see [`Unit::children`].
///
/// Walks the pre-order numbering: the first child is `id + 1`, the next
/// sibling of `c` is `end[c]`, so no edge list is read.
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let mut provinces = h.root().children();
/// assert_eq!(provinces.next().unwrap().name(), "北京市");
/// assert_eq!(provinces.count(), 34); // 33 more and the Corps
/// ```
#[derive(Clone)]
pub struct Children<'h> {
    h: &'h Hierarchy,
    next: u32,
    end: u32,
}

impl<'h> Children<'h> {
    pub(crate) fn new(h: &'h Hierarchy, id: u32) -> Self {
        Children {
            h,
            next: id + 1,
            end: h.end[id as usize],
        }
    }
}

impl<'h> Iterator for Children<'h> {
    type Item = Unit<'h>;

    fn next(&mut self) -> Option<Unit<'h>> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        self.next = self.h.end[id as usize];
        Some(Unit { h: self.h, id })
    }
}

impl FusedIterator for Children<'_> {}

impl fmt::Debug for Children<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Children")
            .field("next", &self.next)
            .field("end", &self.end)
            .finish()
    }
}

/// The ancestors of a unit, nearest first; see [`Unit::ancestors`].
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let town = h.by_code("440281102").unwrap(); // 北乡镇
/// let names: Vec<_> = town.ancestors().map(|u| u.name()).collect();
/// assert_eq!(names, ["乐昌市", "韶关市", "广东省", "中华人民共和国"]);
/// ```
#[derive(Clone)]
pub struct Ancestors<'h> {
    h: &'h Hierarchy,
    next: u32,
}

impl<'h> Ancestors<'h> {
    pub(crate) fn new(h: &'h Hierarchy, first: u32) -> Self {
        Ancestors { h, next: first }
    }
}

impl<'h> Iterator for Ancestors<'h> {
    type Item = Unit<'h>;

    fn next(&mut self) -> Option<Unit<'h>> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.h.parent[id as usize];
        Some(Unit { h: self.h, id })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.next == NONE {
            (0, Some(0))
        } else {
            let n = self.h.depth[self.next as usize] as usize + 1;
            (n, Some(n))
        }
    }
}

impl ExactSizeIterator for Ancestors<'_> {}
impl FusedIterator for Ancestors<'_> {}

impl fmt::Debug for Ancestors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ancestors")
            .field("next", &self.next)
            .finish()
    }
}

/// Units in pre-order over an id range: a subtree's descendants
/// ([`Unit::descendants`]) or the whole hierarchy ([`Hierarchy::units`]).
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let xiantao = h.by_code("429004").unwrap(); // 仙桃市
/// assert_eq!(xiantao.descendants().len(), 25);
/// assert!(xiantao.descendants().all(|u| xiantao.contains(u)));
/// ```
#[derive(Clone)]
pub struct Descendants<'h> {
    h: &'h Hierarchy,
    next: u32,
    end: u32,
}

impl<'h> Descendants<'h> {
    pub(crate) fn new(h: &'h Hierarchy, next: u32, end: u32) -> Self {
        Descendants { h, next, end }
    }
}

impl<'h> Iterator for Descendants<'h> {
    type Item = Unit<'h>;

    fn next(&mut self) -> Option<Unit<'h>> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        self.next += 1;
        Some(Unit { h: self.h, id })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end.saturating_sub(self.next) as usize;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Descendants<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        Some(Unit {
            h: self.h,
            id: self.end,
        })
    }
}

impl ExactSizeIterator for Descendants<'_> {}
impl FusedIterator for Descendants<'_> {}

impl fmt::Debug for Descendants<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Descendants")
            .field("next", &self.next)
            .field("end", &self.end)
            .finish()
    }
}

/// Units from a list of ids, such as the units sharing a name
/// ([`Hierarchy::by_name`]).
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let chaoyang = h.by_name("朝阳区");
/// assert_eq!(chaoyang.len(), 2);
/// let parents: Vec<_> = chaoyang.map(|u| u.parent().unwrap().name()).collect();
/// assert_eq!(parents, ["北京市", "长春市"]);
/// ```
#[derive(Clone)]
pub struct UnitsIter<'h> {
    h: &'h Hierarchy,
    ids: std::slice::Iter<'h, u32>,
}

impl<'h> UnitsIter<'h> {
    pub(crate) fn new(h: &'h Hierarchy, ids: &'h [u32]) -> Self {
        UnitsIter { h, ids: ids.iter() }
    }
}

impl<'h> Iterator for UnitsIter<'h> {
    type Item = Unit<'h>;

    fn next(&mut self) -> Option<Unit<'h>> {
        self.ids.next().map(|&id| Unit { h: self.h, id })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl DoubleEndedIterator for UnitsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.ids.next_back().map(|&id| Unit { h: self.h, id })
    }
}

impl ExactSizeIterator for UnitsIter<'_> {}
impl FusedIterator for UnitsIter<'_> {}

impl fmt::Debug for UnitsIter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.ids.clone()).finish()
    }
}

/// Secondary relations of a unit with the unit at the other end; see
/// [`Unit::relations_out`] and [`Unit::relations_in`].
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let lechang = h.by_code("440281").unwrap();
/// let (by, relation) = lechang.relations_in().next().unwrap();
/// assert_eq!((by.name(), relation), ("广东省", xzqh::Relation::Entrusted));
/// ```
#[derive(Clone)]
pub struct Relations<'h> {
    h: &'h Hierarchy,
    inner: RelationsInner<'h>,
}

#[derive(Clone)]
enum RelationsInner<'h> {
    Out(std::slice::Iter<'h, Secondary>),
    In(std::slice::Iter<'h, Secondary>),
}

impl<'h> Relations<'h> {
    pub(crate) fn out(h: &'h Hierarchy, id: u32) -> Self {
        Relations {
            h,
            inner: RelationsInner::Out(h.secondary_from(id).iter()),
        }
    }

    pub(crate) fn into(h: &'h Hierarchy, id: u32) -> Self {
        Relations {
            h,
            inner: RelationsInner::In(h.secondary_in(id).iter()),
        }
    }
}

impl<'h> Iterator for Relations<'h> {
    type Item = (Unit<'h>, Relation);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            RelationsInner::Out(it) => it.next().map(|s| {
                (
                    Unit {
                        h: self.h,
                        id: s.to,
                    },
                    s.relation,
                )
            }),
            RelationsInner::In(it) => it.next().map(|s| {
                (
                    Unit {
                        h: self.h,
                        id: s.from,
                    },
                    s.relation,
                )
            }),
        }
    }
}

impl FusedIterator for Relations<'_> {}

impl fmt::Debug for Relations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}
