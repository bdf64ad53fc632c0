//! Designations: attributes of units that are not kinds (a sub-provincial
//! city, a provincial capital), as indexes and bit sets.

use crate::model::schema::MAX_DESIGNATIONS;

/// One designation (an attribute of a unit, not a kind), indexed in its [`Schema`](crate::Schema).
///
/// # Examples
///
/// ```
/// assert_eq!(xzqh::Designation::new(2).index(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Designation(pub(crate) u8);

impl Designation {
    /// A designation from its index; indexes at or above
    /// [`MAX_DESIGNATIONS`] never match any unit.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::Designation::new(5).index(), 5);
    /// ```
    pub const fn new(index: u8) -> Self {
        Designation(index)
    }

    /// The index in the schema's designation list.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::Designation::new(0).index(), 0);
    /// ```
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) const fn bit(self) -> u32 {
        if (self.0 as usize) < MAX_DESIGNATIONS {
            1 << self.0
        } else {
            0
        }
    }
}

/// A set of designations, as a bit set.
///
/// # Examples
///
/// ```
/// use xzqh::{Designation, Designations};
/// let set = Designations::EMPTY.with(Designation::new(1)).with(Designation::new(4));
/// assert!(set.contains(Designation::new(4)));
/// assert_eq!(set.iter().map(|d| d.index()).collect::<Vec<_>>(), [1, 4]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Designations(u32);

impl Designations {
    /// No designation.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::Designations::EMPTY.is_empty());
    /// assert_eq!(xzqh::Designations::EMPTY, Default::default());
    /// ```
    pub const EMPTY: Designations = Designations(0);

    /// The set from its bits (bit `i` = designation `i`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::Designations::from_bits(0b101).bits(), 5);
    /// ```
    pub const fn from_bits(bits: u32) -> Self {
        Designations(bits)
    }

    /// The bits.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::Designations::EMPTY.bits(), 0);
    /// ```
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// This set plus `d`.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = xzqh::Designation::new(3);
    /// assert!(xzqh::Designations::EMPTY.with(d).contains(d));
    /// ```
    pub const fn with(self, d: Designation) -> Self {
        Designations(self.0 | d.bit())
    }

    /// Whether `d` is in the set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!xzqh::Designations::EMPTY.contains(xzqh::Designation::new(0)));
    /// ```
    pub const fn contains(self, d: Designation) -> bool {
        d.bit() != 0 && self.0 & d.bit() != 0
    }

    /// Whether the set is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::Designations::EMPTY.is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The designations in index order.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::Designations::from_bits(0b10).iter().count(), 1);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Designation> + Clone {
        (0..MAX_DESIGNATIONS as u8)
            .map(Designation)
            .filter(move |d| self.contains(*d))
    }
}
