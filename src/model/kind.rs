//! Kinds of unit and their roles in law: [`Role`], [`KindId`], [`KindDef`].

use std::fmt;

use crate::model::level::Level;

/// What a kind of unit is in law: it decides tiers, jurisdiction and routing.
///
/// # Examples
///
/// ```
/// use xzqh::Role;
/// assert!(Role::Government.is_tier());
/// assert!(!Role::Agency.is_tier());
/// assert!(Role::Agency.governs());
/// assert!(!Role::SelfGoverning.governs());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Role {
    /// A level of government with its own people's congress or council (一级政府): a tier.
    Government,
    /// A dispatched agency (派出机关) acting for the government above it: 地区, 盟, 街道.
    Agency,
    /// A self-governing community body (居委会, 村委会): not government.
    SelfGoverning,
    /// A unit that exists for statistics or management but is not a legal
    /// division: development zones, farms, pseudo-townships, grids.
    Functional,
}

impl Role {
    /// Every role, in declaration order.
    ///
    /// # Examples
    ///
    /// ```
    /// let governing = xzqh::Role::ALL.iter().filter(|r| r.governs()).count();
    /// assert_eq!(governing, 2); // governments and agencies
    /// ```
    pub const ALL: [Role; 4] = [
        Role::Government,
        Role::Agency,
        Role::SelfGoverning,
        Role::Functional,
    ];

    /// Whether units of this role count as a tier of government.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::Role::Government.is_tier());
    /// ```
    pub const fn is_tier(self) -> bool {
        matches!(self, Role::Government)
    }

    /// Whether units of this role exercise jurisdiction: governments do, and
    /// agencies do on behalf of the government above them.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::Role::Agency.governs());
    /// assert!(!xzqh::Role::Functional.governs());
    /// ```
    pub const fn governs(self) -> bool {
        matches!(self, Role::Government | Role::Agency)
    }

    /// Whether this role counts as an administrative level (government or agency).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::Role::Agency.is_administrative_level());
    /// ```
    pub const fn is_administrative_level(self) -> bool {
        self.governs()
    }

    /// The snake_case name used in files and policies.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::Role::SelfGoverning.as_str(), "self_governing");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Government => "government",
            Role::Agency => "agency",
            Role::SelfGoverning => "self_governing",
            Role::Functional => "functional",
        }
    }

    /// Parses the snake_case name.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::Role::from_name("agency"), Some(xzqh::Role::Agency));
    /// assert_eq!(xzqh::Role::from_name("Agency"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The index of a kind in its [`Schema`](crate::Schema).
///
/// # Examples
///
/// ```
/// let schema = xzqh::china::schema();
/// let county = schema.kind_id("county").unwrap();
/// assert_eq!(schema.kind(county).unwrap().name(), "county");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindId(pub(crate) u16);

impl KindId {
    /// A kind id from its index in the schema.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::KindId::new(3).index(), 3);
    /// ```
    pub const fn new(index: u16) -> Self {
        KindId(index)
    }

    /// The index in the schema's kind list.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::KindId::new(7).index(), 7);
    /// ```
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) const fn raw(self) -> u16 {
        self.0
    }
}

/// One kind of unit: its machine name, its local label, level and role.
///
/// # Examples
///
/// ```
/// let schema = xzqh::china::schema();
/// let kind = schema.kind(schema.kind_id("subdistrict").unwrap()).unwrap();
/// assert_eq!(kind.label(), "街道");
/// assert_eq!(kind.role(), xzqh::Role::Agency);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KindDef {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) level: Level,
    pub(crate) role: Role,
}

impl KindDef {
    /// The machine name (`snake_case`, unique in the schema).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::schema();
    /// assert_eq!(s.kind(s.kind_id("league").unwrap()).unwrap().name(), "league");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The label in the country's language (e.g. `盟`).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::schema();
    /// assert_eq!(s.kind(s.kind_id("league").unwrap()).unwrap().label(), "盟");
    /// ```
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The level units of this kind stand at.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::schema();
    /// assert_eq!(s.kind(s.kind_id("league").unwrap()).unwrap().level().rank(), 2);
    /// ```
    pub fn level(&self) -> Level {
        self.level
    }

    /// The role of units of this kind.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::schema();
    /// assert_eq!(s.kind(s.kind_id("league").unwrap()).unwrap().role(), xzqh::Role::Agency);
    /// ```
    pub fn role(&self) -> Role {
        self.role
    }
}
