//! The kinds of handling body a country's governments have, and the
//! policy that sends each category to a lead body and co-handlers.

use crate::model::hierarchy::Hierarchy;

/// A kind of handling body (a department, office or committee of a
/// government): its machine name, its label, and the units that have one
/// by default, by kind or by level.
///
/// A unit's *standard* bodies are those whose kinds or levels include the
/// unit's; a [`Directory`](crate::desks::Directory) adds or removes bodies
/// unit by unit.
///
/// # Examples
///
/// ```
/// use xzqh::desks::BodyKind;
/// let k = BodyKind::new("highways", "Highways").kinds(["county_council", "unitary_authority"]);
/// assert_eq!(k.label, "Highways");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct BodyKind {
    /// The machine name, as policies and directories give it.
    pub name: String,
    /// The name people read, appended to the unit's name for a standard
    /// body without a directory entry (朝阳区 + 城市管理委员会).
    pub label: String,
    /// Kinds of unit that have this body by default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub kinds: Vec<String>,
    /// Levels whose governing units (governments and agencies) have this
    /// body by default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub levels: Vec<String>,
}

fn strings<const N: usize>(items: [&str; N]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl BodyKind {
    /// A body kind no unit has by default yet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::desks::BodyKind::new("waste", "Waste").kinds.is_empty());
    /// ```
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        BodyKind {
            name: name.into(),
            label: label.into(),
            kinds: Vec::new(),
            levels: Vec::new(),
        }
    }

    /// Adds kinds of unit that have the body by default.
    ///
    /// # Examples
    ///
    /// ```
    /// let k = xzqh::desks::BodyKind::new("waste", "Waste").kinds(["district_council"]);
    /// assert_eq!(k.kinds, ["district_council"]);
    /// ```
    pub fn kinds<const N: usize>(mut self, kinds: [&str; N]) -> Self {
        self.kinds.extend(strings(kinds));
        self
    }

    /// Adds levels whose governing units have the body by default.
    ///
    /// # Examples
    ///
    /// ```
    /// let k = xzqh::desks::BodyKind::new("police", "公安局").levels(["county"]);
    /// assert_eq!(k.levels, ["county"]);
    /// ```
    pub fn levels<const N: usize>(mut self, levels: [&str; N]) -> Self {
        self.levels.extend(strings(levels));
        self
    }
}

/// What to do when the handler unit lacks the category's lead body.
///
/// # Examples
///
/// ```
/// assert_ne!(xzqh::desks::Fallback::LevelAbove, xzqh::desks::Fallback::GeneralOffice);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Fallback {
    /// The body of the nearest unit above that has it and may handle the
    /// category (a county's pollution case goes to the city's bureau where
    /// the county's office is a branch of it).
    #[default]
    LevelAbove,
    /// The handler unit's general office (the policy's
    /// [`general_office`](DeskPolicy::general_office) body kind).
    GeneralOffice,
}

/// How one category is dispatched to bodies: the lead body kind (主办), the
/// co-handling kinds (协办) and the fallback when the handler lacks the
/// lead body.
///
/// A co-handler kind is looked up at the handler unit and, when the lead
/// sits above the handler, at the handler too: so a noise complaint in a
/// subdistrict goes to the district's urban management bureau with the
/// subdistrict office co-handling.
///
/// # Examples
///
/// ```
/// use xzqh::desks::{DeskRule, Fallback};
/// let r = DeskRule::new("noise", "urban_management").co(["general_office"]);
/// assert_eq!((r.co.len(), r.fallback), (1, Fallback::LevelAbove));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct DeskRule {
    /// The routing category the rule is for.
    pub category: String,
    /// The lead body kind.
    pub lead: String,
    /// Co-handling body kinds.
    #[cfg_attr(feature = "serde", serde(default))]
    pub co: Vec<String>,
    /// When the handler lacks the lead body.
    #[cfg_attr(feature = "serde", serde(default))]
    pub fallback: Fallback,
}

impl DeskRule {
    /// A rule with a lead body kind, no co-handler, and the level-above
    /// fallback.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::desks::DeskRule::new("pothole", "highways");
    /// assert_eq!(r.lead, "highways");
    /// ```
    pub fn new(category: impl Into<String>, lead: impl Into<String>) -> Self {
        DeskRule {
            category: category.into(),
            lead: lead.into(),
            co: Vec::new(),
            fallback: Fallback::LevelAbove,
        }
    }

    /// Adds co-handling body kinds.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::desks::DeskRule::new("noise", "urban_management").co(["general_office"]);
    /// assert_eq!(r.co, ["general_office"]);
    /// ```
    pub fn co<const N: usize>(mut self, kinds: [&str; N]) -> Self {
        self.co.extend(strings(kinds));
        self
    }

    /// Sets the fallback.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::desks::{DeskRule, Fallback};
    /// let r = DeskRule::new("x", "y").fallback(Fallback::GeneralOffice);
    /// assert_eq!(r.fallback, Fallback::GeneralOffice);
    /// ```
    pub fn fallback(mut self, fallback: Fallback) -> Self {
        self.fallback = fallback;
        self
    }
}

/// Body kinds and the rules that send categories to them: the data a
/// [`DeskRouter`](crate::desks::DeskRouter) compiles against a hierarchy
/// and a routing policy. China's is `xzqh::china::desks()`.
///
/// # Examples
///
/// ```
/// use xzqh::desks::{BodyKind, DeskPolicy, DeskRule};
/// let mut p = DeskPolicy::new("england", "chief_executive");
/// p.bodies.push(BodyKind::new("chief_executive", "Chief Executive's Office")
///     .kinds(["county_council", "district_council", "unitary_authority"]));
/// p.bodies.push(BodyKind::new("highways", "Highways").kinds(["county_council", "unitary_authority"]));
/// p.rules.push(DeskRule::new("pothole", "highways"));
/// assert_eq!(p.rules.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct DeskPolicy {
    /// The policy's name.
    pub name: String,
    /// The body kind every governing unit's general office is (党政综合办,
    /// a council's chief executive's office): the fallback desk, and a
    /// co-handler kind like any other.
    pub general_office: String,
    /// The body kinds.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bodies: Vec<BodyKind>,
    /// One rule per category; categories without a rule go to the
    /// handler's general office.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rules: Vec<DeskRule>,
}

impl DeskPolicy {
    /// An empty policy whose general office is the body kind
    /// `general_office` (declare it in [`bodies`](Self::bodies)).
    ///
    /// # Examples
    ///
    /// ```
    /// let p = xzqh::desks::DeskPolicy::new("mine", "office");
    /// assert_eq!(p.general_office, "office");
    /// ```
    pub fn new(name: impl Into<String>, general_office: impl Into<String>) -> Self {
        DeskPolicy {
            name: name.into(),
            general_office: general_office.into(),
            bodies: Vec::new(),
            rules: Vec::new(),
        }
    }

    /// The kind with this name, if declared.
    pub(crate) fn kind_index(&self, name: &str) -> Option<usize> {
        self.bodies.iter().position(|b| b.name == name)
    }
}

/// The most body kinds a policy may declare (a bit set per unit kind).
pub const MAX_BODY_KINDS: usize = 64;

/// Standard bodies per unit kind of one hierarchy, as bit sets.
pub(crate) fn standard_bodies(
    policy: &DeskPolicy,
    h: &Hierarchy,
) -> Result<Vec<u64>, crate::desks::DeskError> {
    use crate::desks::DeskError;
    let schema = h.schema();
    let mut by_kind = vec![0u64; schema.kinds().len()];
    for (b, body) in policy.bodies.iter().enumerate() {
        let bit = 1u64 << b;
        for (i, k) in body.kinds.iter().enumerate() {
            let id = schema.kind_id(k).ok_or_else(|| DeskError::Unknown {
                field: format!("bodies[{b}].kinds[{i}]"),
                what: "kind",
                name: crate::exchange::load::excerpt(k),
            })?;
            by_kind[id.index()] |= bit;
        }
        for (i, l) in body.levels.iter().enumerate() {
            let level = schema.level_id(l).ok_or_else(|| DeskError::Unknown {
                field: format!("bodies[{b}].levels[{i}]"),
                what: "level",
                name: crate::exchange::load::excerpt(l),
            })?;
            for (k, def) in schema.kinds().iter().enumerate() {
                if def.level().rank() == level.rank() && def.role().governs() {
                    by_kind[k] |= bit;
                }
            }
        }
    }
    Ok(by_kind)
}
