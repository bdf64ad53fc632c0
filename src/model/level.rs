//! [`Level`]: a rank in a hierarchy, carrying its name.

use std::fmt;

/// The longest level name a [`Schema`](crate::Schema) accepts, in bytes: a [`Level`]
/// carries its name inline, so it stays `Copy` and needs no schema to print.
///
/// # Examples
///
/// ```
/// let long = "l".repeat(xzqh::MAX_LEVEL_NAME + 1);
/// assert!(xzqh::Schema::builder("s").level(&long).build().is_err());
/// ```
pub const MAX_LEVEL_NAME: usize = 30;

/// A level of a hierarchy: its rank (`0` is the top, the sovereign; larger
/// numbers sit lower) and its name in the [`Schema`](crate::Schema) (`county`).
///
/// A level carries its name, so it prints as the name and compares by rank
/// first: `a < b` means `a` is more senior than `b`. Get levels from a
/// schema ([`Schema::level_id`](crate::Schema::level_id), [`Schema::level_at`](crate::Schema::level_at), [`Schema::levels`](crate::Schema::levels)) or a unit
/// ([`Unit::level`](crate::Unit::level)); China's are constants in
/// `xzqh::china`.
///
/// A unit may sit under a unit of the same level (塔城地区 under 伊犁, both
/// prefecture-level), never under one of a lower level.
///
/// # Examples
///
/// ```
/// let schema = xzqh::china::schema();
/// let county = schema.level_id("county").unwrap();
/// let province = schema.level_id("provincial").unwrap();
/// assert!(province.is_above(county));
/// assert_eq!(county.rank(), 3);
/// assert_eq!(county.to_string(), "county");
/// assert_eq!(county.name(), "county");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Level {
    rank: u8,
    len: u8,
    name: [u8; MAX_LEVEL_NAME],
}

impl Level {
    /// A level from its rank and name; the name is cut to
    /// [`MAX_LEVEL_NAME`] bytes at a character boundary (schemas refuse
    /// longer names, so their levels are never cut).
    pub(crate) const fn new(rank: u8, name: &str) -> Self {
        let bytes = name.as_bytes();
        let mut len = if bytes.len() < MAX_LEVEL_NAME {
            bytes.len()
        } else {
            MAX_LEVEL_NAME
        };
        // Back to a character boundary (continuation bytes are 0b10xxxxxx).
        while len > 0 && len < bytes.len() && bytes[len] & 0xC0 == 0x80 {
            len -= 1;
        }
        let mut out = [0u8; MAX_LEVEL_NAME];
        let mut i = 0;
        while i < len {
            out[i] = bytes[i];
            i += 1;
        }
        Level {
            rank,
            len: len as u8,
            name: out,
        }
    }

    /// The rank, `0` for the top level.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::TOWNSHIP.rank(), 4);
    /// ```
    pub const fn rank(self) -> u8 {
        self.rank
    }

    /// The level's name in its schema.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::TOWNSHIP.name(), "township");
    /// ```
    pub fn name(&self) -> &str {
        // Built from a &str and cut at a character boundary.
        std::str::from_utf8(&self.name[..self.len as usize]).unwrap_or("")
    }

    /// Whether `self` ranks strictly above (is more senior than) `other`.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::{COUNTY, PROVINCIAL};
    /// assert!(PROVINCIAL.is_above(COUNTY));
    /// assert!(!COUNTY.is_above(COUNTY));
    /// ```
    pub const fn is_above(self, other: Level) -> bool {
        self.rank < other.rank
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Level({} {:?})", self.rank, self.name())
    }
}
