//! [`BuildError`]: why a hierarchy could not be built, naming the codes to
//! fix.

use thiserror::Error;

/// A failure to build a [`Hierarchy`](crate::Hierarchy). Every variant carries the codes that
/// need fixing; building never panics and never returns a partial hierarchy.
///
/// # Examples
///
/// ```
/// use xzqh::{china::ChinaKind, BuildError, Hierarchy};
/// let err = Hierarchy::builder(xzqh::china::schema())
///     .unit("0", "中华人民共和国", ChinaKind::State, None)
///     .unit("11", "北京市", ChinaKind::Municipality, Some("0"))
///     .unit("11", "北京", ChinaKind::Municipality, Some("0"))
///     .build()
///     .unwrap_err();
/// assert_eq!(err, BuildError::DuplicateCode { code: "11".into() });
/// assert_eq!(err.to_string(), "duplicate code 11");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No unit was added.
    #[error("hierarchy has no unit")]
    Empty,
    /// A code is empty, too long, or has characters other than printable
    /// ASCII without spaces.
    #[error("invalid code {code:?}: use 1 to {max} printable ascii characters without spaces")]
    InvalidCode {
        /// The code as given.
        code: String,
        /// The length limit.
        max: usize,
    },
    /// A name is empty, too long, or holds control characters.
    #[error("invalid name for unit {code}: names are 1 to {max} bytes without control characters")]
    InvalidName {
        /// The unit's code.
        code: String,
        /// The length limit in bytes.
        max: usize,
    },
    /// A kind is not in the schema.
    #[error("unit {code} has unknown kind `{kind}`")]
    UnknownKind {
        /// The unit's code.
        code: String,
        /// The kind as given (a name, or `#index` for an id).
        kind: String,
    },
    /// Two units share a code.
    #[error("duplicate code {code}")]
    DuplicateCode {
        /// The code.
        code: String,
    },
    /// A unit names a parent code that no unit has.
    #[error("unit {code} names unknown parent {parent}")]
    UnknownParent {
        /// The unit's code.
        code: String,
        /// The missing parent's code.
        parent: String,
    },
    /// A relation or designation names a code that no unit has.
    #[error("{what} names unknown unit {code}")]
    UnknownUnit {
        /// `relation` or `designation`.
        what: &'static str,
        /// The missing code.
        code: String,
    },
    /// An edge (a parent or a relation) goes from a unit to itself.
    #[error("edge from {code} to itself")]
    SelfEdge {
        /// The unit's code.
        code: String,
    },
    /// An administrative relation was added to a unit that already has a
    /// primary parent (or, for the root, that has none by design).
    #[error("unit {code} has a second primary parent {second} (the first is {first})")]
    SecondPrimaryParent {
        /// The unit's code.
        code: String,
        /// Its primary parent (empty for the root).
        first: String,
        /// The other parent.
        second: String,
    },
    /// Two relations join the same two units, or a relation doubles the
    /// primary edge (petgraph's compressed graph holds no parallel edges).
    #[error("duplicate edge from {from} to {to}")]
    DuplicateEdge {
        /// The governing unit.
        from: String,
        /// The governed unit.
        to: String,
    },
    /// A designation index is not in the schema.
    #[error("unit {code} has unknown designation #{index}")]
    UnknownDesignation {
        /// The unit's code.
        code: String,
        /// The designation's index.
        index: usize,
    },
    /// More than one unit has no parent.
    #[error("two roots {first} and {second}: exactly one unit may have no parent")]
    MultipleRoots {
        /// The root with the smaller code.
        first: String,
        /// Another root.
        second: String,
    },
    /// Parents form a cycle (no unit on it reaches the root).
    #[error("cycle through {}", codes.join(" -> "))]
    Cycle {
        /// The codes on the cycle, starting at the smallest, each followed by
        /// its parent; of a longer cycle, the first 16 and then `… (n units)`.
        codes: Vec<String>,
    },
    /// A unit's kind ranks above its parent's kind (a prefecture under a county).
    #[error("unit {code} at level {level} ranks above its parent {parent} at level {parent_level}")]
    LevelAboveParent {
        /// The unit's code.
        code: String,
        /// The unit's level name.
        level: String,
        /// The parent's code.
        parent: String,
        /// The parent's level name.
        parent_level: String,
    },
    /// A unit sits deeper than the builder's limit.
    #[error("unit {code} is at depth {depth}, beyond the limit of {max}")]
    TooDeep {
        /// The first unit (in pre-order) past the limit.
        code: String,
        /// Its depth.
        depth: usize,
        /// The limit.
        max: usize,
    },
    /// Flat arrays (from a loader) that are not in canonical order: the root
    /// first, each parent before its children, pre-order, siblings by code.
    #[error("unit {code} is out of canonical order: {reason}")]
    NotCanonical {
        /// The first unit out of order.
        code: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Flat arrays (from a loader) that do not fit together.
    #[error("inconsistent hierarchy data: {what}")]
    Inconsistent {
        /// What does not fit.
        what: &'static str,
    },
    /// More units, or more string bytes, than the hierarchy can index.
    #[error("too many {what}: at most {max}")]
    TooLarge {
        /// `units` or `string bytes`.
        what: &'static str,
        /// The limit.
        max: usize,
    },
}
