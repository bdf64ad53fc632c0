//! Levels, kinds, roles and designations: the runtime schema of a hierarchy.
//!
//! # Why a runtime schema and not a generic kind parameter
//!
//! A hierarchy's kinds could be a type parameter (`Hierarchy<K: Kind>`) or data
//! (a [`Schema`] that names them). This crate chooses data, for three reasons:
//!
//! - **Hierarchies arrive as files.** Services load a newer NBS year, a city's
//!   own grid layer or another country's divisions from JSON or snapshots they
//!   did not compile. With a schema the file carries its kinds; with a type
//!   parameter every country would need Rust code and a rebuild.
//! - **Policies name kinds as text.** Routing policies (TOML or JSON) say
//!   "competence `local_legislation` is held by `prefecture_city`". A schema
//!   resolves that name at load time and reports an unknown one as an error.
//! - **One concrete type.** `Hierarchy` is not generic, so routers, snapshots
//!   and services share one type and one set of compiled code paths, and a kind
//!   is a `u16` in the flat per-unit arrays.
//!
//! Typed code keeps its types: a country profile may give its kinds as a
//! Rust enum generated together with its schema (China's `ChinaKind`), so
//! the enum and [`KindId`] convert both ways without string comparison.

use std::fmt;

use thiserror::Error;

use crate::exchange::load::excerpt;

/// The longest level name a [`Schema`] accepts, in bytes: a [`Level`]
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
/// numbers sit lower) and its name in the [`Schema`] (`county`).
///
/// A level carries its name, so it prints as the name and compares by rank
/// first: `a < b` means `a` is more senior than `b`. Get levels from a
/// schema ([`Schema::level_id`], [`Schema::level_at`], [`Schema::levels`]) or a unit
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

/// The index of a kind in its [`Schema`].
///
/// # Examples
///
/// ```
/// let schema = xzqh::china::schema();
/// let county = schema.kind_id("county").unwrap();
/// assert_eq!(schema.kind(county).unwrap().name(), "county");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindId(u16);

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
    name: String,
    label: String,
    level: Level,
    role: Role,
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

/// A failure to build a [`Schema`].
///
/// # Examples
///
/// ```
/// let err = xzqh::Schema::builder("x").level("top").kind("a", "A", "nowhere", xzqh::Role::Government).build().unwrap_err();
/// assert_eq!(err.to_string(), "kind `a` names unknown level `nowhere`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// The schema declares no level.
    #[error("schema declares no level")]
    NoLevels,
    /// Two levels share a name.
    #[error("duplicate level `{0}`")]
    DuplicateLevel(String),
    /// Two kinds share a name.
    #[error("duplicate kind `{0}`")]
    DuplicateKind(String),
    /// Two designations share a name.
    #[error("duplicate designation `{0}`")]
    DuplicateDesignation(String),
    /// A kind refers to a level the schema does not declare.
    #[error("kind `{kind}` names unknown level `{level}`")]
    UnknownLevel {
        /// The kind.
        kind: String,
        /// The level it names.
        level: String,
    },
    /// A name is empty or not `snake_case` ASCII.
    #[error("invalid name `{0}`: use lowercase ascii letters, digits and `_`")]
    InvalidName(String),
    /// A level name longer than [`MAX_LEVEL_NAME`] bytes.
    #[error("level name `{name}` is longer than {max} bytes")]
    TooLong {
        /// The name.
        name: String,
        /// The limit.
        max: usize,
    },
    /// More levels, kinds or designations than the schema can index.
    #[error("too many {what}: at most {max}")]
    TooMany {
        /// What overflowed: `levels`, `kinds` or `designations`.
        what: &'static str,
        /// The limit.
        max: usize,
    },
}

/// The levels, kinds and designations a hierarchy's units use.
///
/// Schemas are shared behind an [`Arc`](std::sync::Arc); two hierarchies built with the same
/// `Arc<Schema>` share one copy.
///
/// # Examples
///
/// A French chain: the arrondissement is an administrative level without an
/// elected council, so it is an agency.
///
/// ```
/// use xzqh::{Role, Schema};
/// let france = Schema::builder("france")
///     .level("state").level("region").level("department")
///     .level("arrondissement").level("commune")
///     .kind("state", "État", "state", Role::Government)
///     .kind("region", "région", "region", Role::Government)
///     .kind("department", "département", "department", Role::Government)
///     .kind("arrondissement", "arrondissement", "arrondissement", Role::Agency)
///     .kind("commune", "commune", "commune", Role::Government)
///     .build()?;
/// assert_eq!(france.kinds().len(), 5);
/// assert_eq!(france.level_id("commune").unwrap().rank(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Schema {
    name: String,
    levels: Vec<Level>,
    kinds: Vec<KindDef>,
    designations: Vec<String>,
}

/// The most designations a schema may declare (they are stored as a bit set).
///
/// # Examples
///
/// ```
/// let mut b = xzqh::Schema::builder("s").level("top");
/// for i in 0..=xzqh::MAX_DESIGNATIONS {
///     b = b.designation(&format!("d{i}"));
/// }
/// assert!(b.build().is_err());
/// ```
pub const MAX_DESIGNATIONS: usize = 32;

impl Schema {
    /// Starts a schema with the given name.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::Schema::builder("tiny").level("top")
    ///     .kind("root", "root", "top", xzqh::Role::Government).build()?;
    /// assert_eq!(s.name(), "tiny");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(name: impl Into<String>) -> SchemaBuilder {
        SchemaBuilder {
            schema: Schema {
                name: name.into(),
                levels: Vec::new(),
                kinds: Vec::new(),
                designations: Vec::new(),
            },
            error: None,
        }
    }

    /// The schema's name (for people: it changes no behaviour).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::schema().name(), "china");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The levels, top first; a level's rank is its index.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::schema().levels()[0].name(), "national");
    /// ```
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// The level with this name.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::schema();
    /// assert_eq!(s.level_id("township"), Some(xzqh::china::TOWNSHIP));
    /// assert_eq!(s.level_id("shire"), None);
    /// ```
    pub fn level_id(&self, name: &str) -> Option<Level> {
        self.levels.iter().copied().find(|l| l.name() == name)
    }

    /// The level of this rank, if the schema has one.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::schema();
    /// assert_eq!(s.level_at(3).map(|l| l.to_string()), Some("county".to_owned()));
    /// assert_eq!(s.level_at(99), None);
    /// ```
    pub fn level_at(&self, rank: u8) -> Option<Level> {
        self.levels.get(rank as usize).copied()
    }

    /// All kinds, indexed by [`KindId::index`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::china::schema().kinds().len() > 20);
    /// ```
    pub fn kinds(&self) -> &[KindDef] {
        &self.kinds
    }

    /// The kind with this id, or `None` if out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::china::schema().kind(xzqh::KindId::new(60000)).is_none());
    /// ```
    pub fn kind(&self, id: KindId) -> Option<&KindDef> {
        self.kinds.get(id.index())
    }

    /// The id of the kind with this machine name.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::china::schema().kind_id("town").is_some());
    /// assert!(xzqh::china::schema().kind_id("shire").is_none());
    /// ```
    pub fn kind_id(&self, name: &str) -> Option<KindId> {
        self.kinds
            .iter()
            .position(|k| k.name == name)
            .map(|i| KindId(i as u16))
    }

    /// Designation names; a designation's bit is its index.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::china::schema().designations().iter().any(|d| d == "sub_provincial"));
    /// ```
    pub fn designations(&self) -> &[String] {
        &self.designations
    }

    /// The designation with this name.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::schema();
    /// let d = s.designation_id("provincial_capital").unwrap();
    /// assert_eq!(s.designation_name(d), Some("provincial_capital"));
    /// ```
    pub fn designation_id(&self, name: &str) -> Option<Designation> {
        self.designations
            .iter()
            .position(|d| d == name)
            .map(|i| Designation(i as u8))
    }

    /// The name of a designation.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::schema().designation_name(xzqh::Designation::new(31)), None);
    /// ```
    pub fn designation_name(&self, d: Designation) -> Option<&str> {
        self.designations.get(d.index()).map(String::as_str)
    }

    pub(crate) fn kind_level_role(&self, k: u16) -> (Level, Role) {
        let k = &self.kinds[k as usize];
        (k.level, k.role)
    }
}

/// Builds a [`Schema`]; see [`Schema::builder`].
///
/// Errors are collected and reported by [`SchemaBuilder::build`], so calls chain.
///
/// # Examples
///
/// ```
/// use xzqh::{Role, Schema};
/// let schema = Schema::builder("tiny")
///     .level("country")
///     .level("city")
///     .kind("country", "Country", "country", Role::Government)
///     .kind("city", "City", "city", Role::Government)
///     .designation("capital")
///     .build()?;
/// assert_eq!(schema.levels().len(), 2);
/// assert!(Schema::builder("bad").kind("x", "X", "nowhere", Role::Agency).build().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SchemaBuilder {
    schema: Schema,
    error: Option<SchemaError>,
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl SchemaBuilder {
    fn fail(&mut self, e: SchemaError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Appends a level below those declared so far.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::Schema::builder("x").level("a").level("b")
    ///     .kind("k", "k", "b", xzqh::Role::Government).build()?;
    /// assert_eq!(s.level_id("b").unwrap().rank(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn level(mut self, name: &str) -> Self {
        if !valid_name(name) {
            self.fail(SchemaError::InvalidName(excerpt(name)));
        } else if name.len() > MAX_LEVEL_NAME {
            self.fail(SchemaError::TooLong {
                name: excerpt(name),
                max: MAX_LEVEL_NAME,
            });
        } else if self.schema.levels.iter().any(|l| l.name() == name) {
            self.fail(SchemaError::DuplicateLevel(excerpt(name)));
        } else if self.schema.levels.len() >= u8::MAX as usize {
            self.fail(SchemaError::TooMany {
                what: "levels",
                max: u8::MAX as usize,
            });
        } else {
            let rank = self.schema.levels.len() as u8;
            self.schema.levels.push(Level::new(rank, name));
        }
        self
    }

    /// Declares a kind: machine name, local label, the name of its level, its role.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::Schema::builder("x").level("a")
    ///     .kind("council", "Council", "a", xzqh::Role::Government).build()?;
    /// assert_eq!(s.kinds()[0].label(), "Council");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(mut self, name: &str, label: &str, level: &str, role: Role) -> Self {
        if !valid_name(name) {
            self.fail(SchemaError::InvalidName(excerpt(name)));
            return self;
        }
        if self.schema.kinds.iter().any(|k| k.name == name) {
            self.fail(SchemaError::DuplicateKind(excerpt(name)));
            return self;
        }
        if self.schema.kinds.len() >= u16::MAX as usize {
            self.fail(SchemaError::TooMany {
                what: "kinds",
                max: u16::MAX as usize,
            });
            return self;
        }
        match self.schema.level_id(level) {
            Some(level) => self.schema.kinds.push(KindDef {
                name: name.to_owned(),
                label: label.to_owned(),
                level,
                role,
            }),
            None => self.fail(SchemaError::UnknownLevel {
                kind: excerpt(name),
                level: excerpt(level),
            }),
        }
        self
    }

    /// Declares a designation (an attribute such as `sub_provincial`).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::Schema::builder("x").level("a")
    ///     .kind("k", "k", "a", xzqh::Role::Government)
    ///     .designation("capital").build()?;
    /// assert!(s.designation_id("capital").is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn designation(mut self, name: &str) -> Self {
        if !valid_name(name) {
            self.fail(SchemaError::InvalidName(excerpt(name)));
        } else if self.schema.designations.iter().any(|d| d == name) {
            self.fail(SchemaError::DuplicateDesignation(excerpt(name)));
        } else if self.schema.designations.len() >= MAX_DESIGNATIONS {
            self.fail(SchemaError::TooMany {
                what: "designations",
                max: MAX_DESIGNATIONS,
            });
        } else {
            self.schema.designations.push(name.to_owned());
        }
        self
    }

    /// Finishes the schema.
    ///
    /// # Errors
    ///
    /// The first problem met: an invalid or duplicate name, a kind naming an
    /// unknown level, too many entries, or no level at all.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = xzqh::Schema::builder("x").build().unwrap_err();
    /// assert_eq!(err.to_string(), "schema declares no level");
    /// ```
    pub fn build(self) -> Result<Schema, SchemaError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.schema.levels.is_empty() {
            return Err(SchemaError::NoLevels);
        }
        Ok(self.schema)
    }
}

/// One designation (an attribute of a unit, not a kind), indexed in its [`Schema`].
///
/// # Examples
///
/// ```
/// assert_eq!(xzqh::Designation::new(2).index(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Designation(u8);

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
