//! The case a router is asked about: its places and what it is.

use std::fmt;

use crate::model::hierarchy::UnitId;

/// An affected place: a unit id, a unit code, or free text (an address or
/// place name as people write it, read by the hierarchy's
/// [`AddressResolver`](crate::address::AddressResolver)).
///
/// # Examples
///
/// ```
/// use xzqh::routing::Place;
/// let p: Place = "110105".into();
/// assert_eq!(p, Place::Code("110105"));
/// let t = Place::Text("北京市朝阳区南磨房地区3号楼");
/// assert_eq!(t.to_string(), "北京市朝阳区南磨房地区3号楼");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Place<'a> {
    /// A unit by id.
    Id(UnitId),
    /// A unit by code, in any form the hierarchy's profile reads
    /// ([`Hierarchy::by_code`](crate::Hierarchy::by_code)); a code the
    /// hierarchy no longer has is read through the profile's code history.
    Code(&'a str),
    /// A unit by free text, resolved to the deepest unit it names; an
    /// ambiguous text is [`RouteError::AmbiguousPlace`], never a guess.
    ///
    /// [`RouteError::AmbiguousPlace`]: crate::routing::RouteError::AmbiguousPlace
    Text(&'a str),
}

impl<'a> From<&'a str> for Place<'a> {
    fn from(code: &'a str) -> Self {
        Place::Code(code)
    }
}

impl From<UnitId> for Place<'_> {
    fn from(id: UnitId) -> Self {
        Place::Id(id)
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Id(id) => write!(f, "{id}"),
            Place::Code(c) | Place::Text(c) => f.write_str(c),
        }
    }
}

/// A case to route: where, what kind, how severe, how many people.
///
/// # Examples
///
/// ```
/// use xzqh::routing::Case;
/// let places = ["429004", "429005"].map(Into::into);
/// let case = Case::new(&places, "emergency").severity("general").people(300);
/// assert_eq!(case.category, "emergency");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Case<'a> {
    /// The affected places (at least one).
    pub places: &'a [Place<'a>],
    /// The category's name in the policy.
    pub category: &'a str,
    /// The severity grade's name in the policy, if graded.
    pub severity: Option<&'a str>,
    /// People affected, if known.
    pub people: Option<u64>,
}

impl<'a> Case<'a> {
    /// A case with places and a category, ungraded.
    ///
    /// # Examples
    ///
    /// ```
    /// let places = [xzqh::routing::Place::Code("11")];
    /// assert!(xzqh::routing::Case::new(&places, "petition").severity.is_none());
    /// ```
    pub fn new(places: &'a [Place<'a>], category: &'a str) -> Self {
        Case {
            places,
            category,
            severity: None,
            people: None,
        }
    }

    /// Sets the severity grade.
    ///
    /// # Examples
    ///
    /// ```
    /// let places = [xzqh::routing::Place::Code("11")];
    /// let c = xzqh::routing::Case::new(&places, "emergency").severity("major");
    /// assert_eq!(c.severity, Some("major"));
    /// ```
    pub fn severity(mut self, grade: &'a str) -> Self {
        self.severity = Some(grade);
        self
    }

    /// Sets the number of people affected.
    ///
    /// # Examples
    ///
    /// ```
    /// let places = [xzqh::routing::Place::Code("11")];
    /// assert_eq!(xzqh::routing::Case::new(&places, "x").people(7).people, Some(7));
    /// ```
    pub fn people(mut self, people: u64) -> Self {
        self.people = Some(people);
        self
    }
}
