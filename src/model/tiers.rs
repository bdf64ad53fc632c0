//! Tier systems: how many levels of government stand above the grassroots.
//!
//! A *tier* is a level of government (一级政府, with its own people's
//! congress). The tier count of a unit is the number of government-role units
//! on its chain from the top level below the root down to the unit itself:
//! the root (the State) is not counted, and neither are agencies (地区, 街道),
//! self-governing bodies or functional units. The *tier system* of a
//! grassroots unit is its tier count. See [`Unit::tiers`] and
//! [`Unit::administrative_levels`].

use std::collections::BTreeMap;
use std::fmt;

use crate::model::hierarchy::{Hierarchy, UnitId};
use crate::model::schema::Level;
use crate::model::unit::Unit;

/// How many units at one level of a region live under each tier system.
///
/// # Examples
///
/// 密云区 is a district of 北京市: its 17 towns are a third tier of
/// government below the municipality and the district; its subdistricts
/// (街道), its area office (檀营地区) and its science park are not
/// governments and live under the district's two tiers.
///
/// ```
/// use xzqh::china::TOWNSHIP;
/// let h = xzqh::china();
/// let miyun = h.by_code("110118").unwrap();
/// let b = h.tier_breakdown(miyun, TOWNSHIP).unwrap();
/// assert_eq!(b.count(2), 4);
/// assert_eq!(b.count(3), 17);
/// assert_eq!(b.count(4), 0);
/// assert_eq!(b.total(), 21);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TierBreakdown {
    counts: BTreeMap<usize, usize>,
}

impl TierBreakdown {
    /// Units counted under an `n`-tier system.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::TierBreakdown::default().count(3), 0);
    /// ```
    pub fn count(&self, tiers: usize) -> usize {
        self.counts.get(&tiers).copied().unwrap_or(0)
    }

    /// All units counted.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::TierBreakdown::default().total(), 0);
    /// ```
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    /// `(tier count, units)` pairs in ascending tier order, zero counts left out.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let miyun = h.by_code("110118").unwrap();
    /// let b = h.tier_breakdown(miyun, xzqh::china::TOWNSHIP).unwrap();
    /// assert_eq!(b.iter().collect::<Vec<_>>(), [(2, 4), (3, 17)]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.counts.iter().map(|(&t, &c)| (t, c))
    }
}

impl fmt::Display for TierBreakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (tiers, count) in self.iter() {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            write!(f, "{tiers}-tier: {count}")?;
        }
        if first {
            f.write_str("none")?;
        }
        Ok(())
    }
}

impl Hierarchy {
    /// For the units at `level` in `region`'s subtree (the region included),
    /// how many live under each tier system.
    ///
    /// Every unit at the level counts, whatever its role: a subdistrict
    /// (agency) or a pseudo-township (functional) lives under the tier system
    /// of the governments above it.
    ///
    /// `region` is a [`Unit`] or a [`UnitId`] of this hierarchy.
    ///
    /// Returns `None` if `region` is not a unit of this hierarchy.
    ///
    /// # Examples
    ///
    /// 朝阳区 in 北京市 has only subdistricts (街道) and area offices (地区),
    /// agencies of the district: all 43 live under two tiers.
    ///
    /// ```
    /// let h = xzqh::china();
    /// let chaoyang = h.by_code("110105").unwrap();
    /// let b = h.tier_breakdown(chaoyang, xzqh::china::TOWNSHIP).unwrap();
    /// assert_eq!(b.to_string(), "2-tier: 43");
    /// let none = h.tier_breakdown(chaoyang, xzqh::china::PROVINCIAL).unwrap();
    /// assert_eq!(none.to_string(), "none");
    /// assert!(h.tier_breakdown(xzqh::UnitId::new(u32::MAX), xzqh::china::TOWNSHIP).is_none());
    /// ```
    pub fn tier_breakdown(&self, region: impl Into<UnitId>, level: Level) -> Option<TierBreakdown> {
        let region = self.get(region.into())?;
        let mut counts = BTreeMap::new();
        // Tier counts along the current root path, so each unit costs O(1).
        let base = region.parent().map_or(0, Unit::tiers);
        let mut stack: Vec<(u32, usize)> = Vec::new();
        for u in std::iter::once(region).chain(region.descendants()) {
            while let Some(&(top, _)) = stack.last() {
                if self.contains_raw(top, u.id) {
                    break;
                }
                stack.pop();
            }
            let above = stack.last().map_or(base, |&(_, t)| t);
            let here = above + (u.role().is_tier() && u.id != 0) as usize;
            stack.push((u.id, here));
            if u.level() == level {
                *counts.entry(here).or_insert(0) += 1;
            }
        }
        Some(TierBreakdown { counts })
    }
}
