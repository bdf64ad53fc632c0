//! Typed edges: the primary administrative relation and the secondary ones.

use std::fmt;

/// The type of an edge from a governing unit to a governed one.
///
/// Every unit but the root has exactly one [`Relation::Administrative`] edge in
/// (its primary parent), so those edges form a tree. The other relations are
/// secondary: they add edges beside the tree, which makes the hierarchy a graph.
///
/// # Examples
///
/// ```
/// use xzqh::Relation;
/// assert!(Relation::Administrative.is_primary());
/// assert!(!Relation::Entrusted.is_primary());
/// assert_eq!(Relation::from_name("corps_co_administration"), Some(Relation::CorpsCoAdministration));
/// assert_eq!(Relation::Custom(7).to_string(), "custom_7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Relation {
    /// The primary administrative parent (行政隶属): the tree edge.
    Administrative,
    /// Entrusted management (代管): the edge from a unit's legal superior to a
    /// unit whose primary parent manages it on that superior's behalf (a
    /// province to a county-level city managed by a prefecture-level city).
    Entrusted,
    /// Corps co-administration (师市合一): the Xinjiang Production and
    /// Construction Corps' share in running an XPCC city or farm.
    CorpsCoAdministration,
    /// A planning or coordination relation (e.g. a city region or a zone's
    /// host), with no power of its own.
    Planning,
    /// A relation defined by the user; the number is theirs to assign.
    Custom(u8),
}

impl Relation {
    /// Whether this is the primary (tree) relation.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::Relation::Administrative.is_primary());
    /// ```
    pub const fn is_primary(self) -> bool {
        matches!(self, Relation::Administrative)
    }

    /// The snake_case name used in files and policies (`custom_N` for custom ones).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::Relation::Entrusted.name(), "entrusted");
    /// ```
    pub fn name(self) -> String {
        match self {
            Relation::Custom(n) => format!("custom_{n}"),
            other => other.static_name().to_owned(),
        }
    }

    fn static_name(self) -> &'static str {
        match self {
            Relation::Administrative => "administrative",
            Relation::Entrusted => "entrusted",
            Relation::CorpsCoAdministration => "corps_co_administration",
            Relation::Planning => "planning",
            Relation::Custom(_) => "custom",
        }
    }

    /// Parses a name written by [`Relation::name`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Relation;
    /// assert_eq!(Relation::from_name("custom_3"), Some(Relation::Custom(3)));
    /// assert_eq!(Relation::from_name("custom_300"), None);
    /// assert_eq!(Relation::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Relation> {
        if let Some(n) = name.strip_prefix("custom_") {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            return n.parse().ok().map(Relation::Custom);
        }
        [
            Relation::Administrative,
            Relation::Entrusted,
            Relation::CorpsCoAdministration,
            Relation::Planning,
        ]
        .into_iter()
        .find(|r| r.static_name() == name)
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Relation::Custom(n) => write!(f, "custom_{n}"),
            other => f.write_str(other.static_name()),
        }
    }
}
