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

use thiserror::Error;

use crate::exchange::load::excerpt;

pub use crate::model::designation::{Designation, Designations};
pub use crate::model::kind::{KindDef, KindId, Role};
pub use crate::model::level::{Level, MAX_LEVEL_NAME};

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
