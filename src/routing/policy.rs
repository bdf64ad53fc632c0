//! Routing policy as data: categories, competences, the severity ladder,
//! scale thresholds and role rules, validated against a hierarchy.

use std::fmt;

use thiserror::Error;

use crate::model::hierarchy::Hierarchy;
use crate::model::schema::{Level, Role};
use crate::model::unit::Unit;

/// A routing policy as plain data, the form it takes in a TOML or JSON file.
///
/// Names refer to the hierarchy's [`Schema`](crate::Schema): kinds, levels
/// and designations by their machine names, units by code. [`Router::new`]
/// (via [`CompiledPolicy::compile`]) checks every name and reports the first
/// wrong one with its field path.
///
/// [`Router::new`]: crate::routing::Router::new
///
/// # Examples
///
/// ```
/// use xzqh::routing::{CategoryDef, CompetenceDef, Policy};
/// let mut p = Policy::new("mine");
/// p.competences.push(CompetenceDef::new("legislation").kinds(["province"]));
/// p.categories.push(CategoryDef::new("law").competences(["legislation"]));
/// let h = xzqh::china();
/// let compiled = xzqh::routing::CompiledPolicy::compile(p, &h)?;
/// assert_eq!(compiled.name(), "mine");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Policy {
    /// The policy's name, recorded in every decision.
    pub name: String,
    /// Roles that may handle a case by default (`government`, `agency`,
    /// `self_governing`, `functional`). Default: government and agency.
    #[cfg_attr(feature = "serde", serde(default = "default_roles"))]
    pub roles: Vec<String>,
    /// Powers a unit may hold, and who holds them.
    #[cfg_attr(feature = "serde", serde(default))]
    pub competences: Vec<CompetenceDef>,
    /// The severity ladder, from the least to the most severe grade; each
    /// grade's minimum level must be at or above the previous one's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub severities: Vec<SeverityDef>,
    /// People-affected thresholds, ascending; each raises the minimum level.
    #[cfg_attr(feature = "serde", serde(default))]
    pub scale: Vec<ScaleDef>,
    /// The case categories.
    #[cfg_attr(feature = "serde", serde(default))]
    pub categories: Vec<CategoryDef>,
}

#[cfg(feature = "serde")]
fn default_roles() -> Vec<String> {
    vec!["government".into(), "agency".into()]
}

impl Policy {
    /// An empty policy whose default roles are government and agency.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = xzqh::routing::Policy::new("empty");
    /// assert_eq!(p.roles, ["government", "agency"]);
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Policy {
            name: name.into(),
            roles: vec!["government".into(), "agency".into()],
            competences: Vec::new(),
            severities: Vec::new(),
            scale: Vec::new(),
            categories: Vec::new(),
        }
    }

    /// Parses a policy from JSON (checked against a hierarchy later, by
    /// [`Router::new`](crate::routing::Router::new) or [`CompiledPolicy::compile`]).
    ///
    /// # Errors
    ///
    /// [`PolicyError::Parse`] for malformed JSON, a missing `name`, a wrong
    /// type or an unknown field, with the line and column.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = xzqh::routing::Policy::from_json(r#"{"name": "tiny", "categories": [{"name": "any"}]}"#)?;
    /// assert_eq!(p.categories[0].name, "any");
    /// let err = xzqh::routing::Policy::from_json(r#"{"name": "x", "colour": 1}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("cannot parse the policy: unknown field `colour`"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        serde_json::from_str(text).map_err(|e| PolicyError::Parse {
            message: e.to_string(),
        })
    }

    /// Parses a policy from TOML (checked against a hierarchy later).
    ///
    /// # Errors
    ///
    /// [`PolicyError::Parse`] for malformed TOML, a missing `name`, a wrong
    /// type or an unknown field, with the line and column.
    ///
    /// # Examples
    ///
    /// ```
    /// let text = "name = \"tiny\"\n[[categories]]\nname = \"any\"\nmin_level = \"county\"\n";
    /// let p = xzqh::routing::Policy::from_toml(text)?;
    /// assert_eq!(p.categories[0].min_level.as_deref(), Some("county"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        toml::from_str(text).map_err(|e| PolicyError::Parse {
            message: e.to_string().trim_end().to_owned(),
        })
    }
}

/// A power (e.g. local legislation) and the units that hold it: by kind, by
/// designation, or by name (code).
///
/// # Examples
///
/// ```
/// let c = xzqh::routing::CompetenceDef::new("local_legislation")
///     .kinds(["province"]).designations(["local_legislation"]).units(["4604"]);
/// assert_eq!(c.units, ["4604"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CompetenceDef {
    /// The competence's name.
    pub name: String,
    /// Kinds whose every unit holds it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub kinds: Vec<String>,
    /// Designations whose every unit holds it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub designations: Vec<String>,
    /// Codes of units granted it one by one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub units: Vec<String>,
}

fn strings<const N: usize>(items: [&str; N]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl CompetenceDef {
    /// A competence held by no one yet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::routing::CompetenceDef::new("x").kinds.is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        CompetenceDef {
            name: name.into(),
            kinds: Vec::new(),
            designations: Vec::new(),
            units: Vec::new(),
        }
    }

    /// Adds kinds that hold it.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::CompetenceDef::new("x").kinds(["county"]).kinds, ["county"]);
    /// ```
    pub fn kinds<const N: usize>(mut self, kinds: [&str; N]) -> Self {
        self.kinds.extend(strings(kinds));
        self
    }

    /// Adds designations that hold it.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::routing::CompetenceDef::new("x").designations(["sub_provincial"]);
    /// assert_eq!(c.designations, ["sub_provincial"]);
    /// ```
    pub fn designations<const N: usize>(mut self, designations: [&str; N]) -> Self {
        self.designations.extend(strings(designations));
        self
    }

    /// Adds units (by code) that hold it.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::CompetenceDef::new("x").units(["4419"]).units, ["4419"]);
    /// ```
    pub fn units<const N: usize>(mut self, units: [&str; N]) -> Self {
        self.units.extend(strings(units));
        self
    }
}

/// One grade of the severity ladder.
///
/// # Examples
///
/// ```
/// let s = xzqh::routing::SeverityDef::new("major", "prefectural");
/// assert_eq!(s.min_level, "prefectural");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct SeverityDef {
    /// The grade's name, as cases give it.
    pub name: String,
    /// The lowest level that may handle a case of this grade.
    pub min_level: String,
}

impl SeverityDef {
    /// A grade and its minimum level.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::SeverityDef::new("general", "county").name, "general");
    /// ```
    pub fn new(name: impl Into<String>, min_level: impl Into<String>) -> Self {
        SeverityDef {
            name: name.into(),
            min_level: min_level.into(),
        }
    }
}

/// A scale threshold: cases affecting at least `people` people go at least
/// to `min_level`.
///
/// # Examples
///
/// ```
/// let s = xzqh::routing::ScaleDef::new(10_000, "prefectural");
/// assert_eq!(s.people, 10_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ScaleDef {
    /// The threshold (people affected).
    pub people: u64,
    /// The lowest level that may handle a case at or above the threshold.
    pub min_level: String,
}

impl ScaleDef {
    /// A threshold and its minimum level.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::ScaleDef::new(5, "county").min_level, "county");
    /// ```
    pub fn new(people: u64, min_level: impl Into<String>) -> Self {
        ScaleDef {
            people,
            min_level: min_level.into(),
        }
    }
}

/// A case category: its minimum level, the competences it needs, and the
/// roles beyond the policy's defaults that may handle it.
///
/// # Examples
///
/// ```
/// use xzqh::routing::CategoryDef;
/// let c = CategoryDef::new("neighbour_dispute").min_level("village").roles(["self_governing"]);
/// assert_eq!(c.min_level.as_deref(), Some("village"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CategoryDef {
    /// The category's name, as cases give it.
    pub name: String,
    /// A human label (e.g. 邻里纠纷).
    #[cfg_attr(feature = "serde", serde(default))]
    pub label: String,
    /// The lowest level that may handle it (none: any level).
    #[cfg_attr(feature = "serde", serde(default))]
    pub min_level: Option<String>,
    /// Competences the handler must hold, all of them.
    #[cfg_attr(feature = "serde", serde(default))]
    pub competences: Vec<String>,
    /// Roles allowed for this category in addition to the policy's defaults.
    #[cfg_attr(feature = "serde", serde(default))]
    pub roles: Vec<String>,
}

impl CategoryDef {
    /// A category with no constraint.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::routing::CategoryDef::new("x").competences.is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        CategoryDef {
            name: name.into(),
            label: String::new(),
            min_level: None,
            competences: Vec::new(),
            roles: Vec::new(),
        }
    }

    /// Sets the label.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::CategoryDef::new("x").label("甲").label, "甲");
    /// ```
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the minimum level (a level name of the schema).
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::routing::CategoryDef::new("x").min_level("county");
    /// assert_eq!(c.min_level.as_deref(), Some("county"));
    /// ```
    pub fn min_level(mut self, level: impl Into<String>) -> Self {
        self.min_level = Some(level.into());
        self
    }

    /// Adds required competences.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::routing::CategoryDef::new("x").competences(["a", "b"]);
    /// assert_eq!(c.competences.len(), 2);
    /// ```
    pub fn competences<const N: usize>(mut self, names: [&str; N]) -> Self {
        self.competences.extend(strings(names));
        self
    }

    /// Adds roles allowed beyond the policy's defaults.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::routing::CategoryDef::new("x").roles(["functional"]);
    /// assert_eq!(c.roles, ["functional"]);
    /// ```
    pub fn roles<const N: usize>(mut self, roles: [&str; N]) -> Self {
        self.roles.extend(strings(roles));
        self
    }
}

/// A policy that names something the hierarchy does not have, or is out of
/// order. `field` is the path in the policy file, e.g. `categories[2].competences[0]`.
///
/// # Examples
///
/// ```
/// use xzqh::routing::{CategoryDef, CompiledPolicy, Policy};
/// let mut p = Policy::new("bad");
/// p.categories.push(CategoryDef::new("law").competences(["legislation"]));
/// let err = CompiledPolicy::compile(p, xzqh::china()).unwrap_err();
/// assert_eq!(err.to_string(), "categories[0].competences[0]: unknown competence `legislation`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A kind name not in the hierarchy's schema.
    #[error("{field}: unknown kind `{name}`")]
    UnknownKind {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A level name not in the hierarchy's schema.
    #[error("{field}: unknown level `{name}`")]
    UnknownLevel {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A designation name not in the hierarchy's schema.
    #[error("{field}: unknown designation `{name}`")]
    UnknownDesignation {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A role name other than government, agency, self_governing, functional.
    #[error("{field}: unknown role `{name}`")]
    UnknownRole {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A competence a category needs that the policy does not define.
    #[error("{field}: unknown competence `{name}`")]
    UnknownCompetence {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A unit code not in the hierarchy.
    #[error("{field}: unknown unit `{name}`")]
    UnknownUnit {
        /// Where.
        field: String,
        /// The code.
        name: String,
    },
    /// Two entries of one list share a name.
    #[error("{field}: duplicate name `{name}`")]
    Duplicate {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A severity grade (or scale threshold) asks for a lower level than the
    /// grade before it: the ladder must rise.
    #[error(
        "{field}: `{name}` requires level {level}, below {previous} required by the grade before it"
    )]
    OutOfOrder {
        /// Where.
        field: String,
        /// The grade (or threshold) out of order.
        name: String,
        /// Its level.
        level: String,
        /// The previous grade's level.
        previous: String,
    },
    /// Scale thresholds must strictly increase.
    #[error("{field}: threshold {people} does not exceed the one before it")]
    ThresholdNotIncreasing {
        /// Where.
        field: String,
        /// The threshold.
        people: u64,
    },
    /// More competences than a policy can hold.
    #[error("competences: at most {max} are supported")]
    TooManyCompetences {
        /// The limit.
        max: usize,
    },
    /// A unit of another hierarchy than the one the policy was compiled for.
    #[error("unit {code} is not of the hierarchy the policy was compiled for")]
    OtherHierarchy {
        /// The unit's code.
        code: String,
    },
    /// The file could not be parsed.
    #[error("cannot parse the policy: {message}")]
    Parse {
        /// The parser's message (with line and column where it gives them).
        message: String,
    },
}

/// The most competences one policy may define (a bit set per unit).
pub const MAX_COMPETENCES: usize = 64;

pub(crate) type Mask = u64;

#[derive(Debug, Clone)]
pub(crate) struct Category {
    pub(crate) name: String,
    pub(crate) min_level: Option<Level>,
    pub(crate) needs: Mask,
    pub(crate) roles: u8,
}

/// A [`Policy`] checked against a hierarchy and compiled to bit sets.
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), &h)?;
/// assert!(p.category_names().any(|c| c == "local_legislation"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// The [stamp](Hierarchy::stamp) of the hierarchy compiled for.
    pub(crate) stamp: u64,
    pub(crate) name: String,
    pub(crate) competence_names: Vec<String>,
    /// Competences held per kind index.
    pub(crate) by_kind: Vec<Mask>,
    /// Competences held per designation index.
    pub(crate) by_designation: Vec<Mask>,
    /// Competences granted to single units, sorted by unit id.
    pub(crate) by_unit: Vec<(u32, Mask)>,
    pub(crate) severities: Vec<(String, Level)>,
    pub(crate) scale: Vec<(u64, Level)>,
    pub(crate) categories: Vec<Category>,
    pub(crate) source: Policy,
}

pub(crate) fn role_bit(role: Role) -> u8 {
    1 << (role as u8)
}

fn parse_role(field: String, name: &str) -> Result<u8, PolicyError> {
    Role::from_name(name)
        .map(role_bit)
        .ok_or(PolicyError::UnknownRole {
            field,
            name: name.to_owned(),
        })
}

fn check_unique<'a>(
    list: &'static str,
    names: impl Iterator<Item = &'a str>,
) -> Result<(), PolicyError> {
    let mut seen = std::collections::HashSet::new();
    for (i, name) in names.enumerate() {
        if !seen.insert(name) {
            return Err(PolicyError::Duplicate {
                field: format!("{list}[{i}].name"),
                name: name.to_owned(),
            });
        }
    }
    Ok(())
}

impl CompiledPolicy {
    /// Checks every name in `policy` against `hierarchy` and compiles it.
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] naming the field: an unknown kind, level,
    /// designation, role, competence or unit code; a duplicate name; a
    /// severity grade or scale threshold out of order; more than
    /// [`MAX_COMPETENCES`] competences.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{CompiledPolicy, Policy, SeverityDef};
    /// let mut p = Policy::new("ladder");
    /// p.severities.push(SeverityDef::new("major", "prefectural"));
    /// p.severities.push(SeverityDef::new("minor", "county"));
    /// let err = CompiledPolicy::compile(p, xzqh::china()).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "severities[1].min_level: `minor` requires level county, below prefectural required by the grade before it"
    /// );
    /// ```
    pub fn compile(policy: Policy, hierarchy: &Hierarchy) -> Result<CompiledPolicy, PolicyError> {
        let schema = hierarchy.schema();
        let level = |field: String, name: &str| {
            schema
                .level_id(name)
                .ok_or_else(|| PolicyError::UnknownLevel {
                    field,
                    name: name.to_owned(),
                })
        };
        let level_name = |l: Level| l.name().to_owned();

        check_unique(
            "competences",
            policy.competences.iter().map(|c| c.name.as_str()),
        )?;
        check_unique(
            "severities",
            policy.severities.iter().map(|c| c.name.as_str()),
        )?;
        check_unique(
            "categories",
            policy.categories.iter().map(|c| c.name.as_str()),
        )?;
        if policy.competences.len() > MAX_COMPETENCES {
            return Err(PolicyError::TooManyCompetences {
                max: MAX_COMPETENCES,
            });
        }

        let mut default_roles = 0u8;
        for (i, r) in policy.roles.iter().enumerate() {
            default_roles |= parse_role(format!("roles[{i}]"), r)?;
        }

        let mut by_kind = vec![0 as Mask; schema.kinds().len()];
        let mut by_designation = vec![0 as Mask; schema.designations().len()];
        let mut by_unit: Vec<(u32, Mask)> = Vec::new();
        for (c, def) in policy.competences.iter().enumerate() {
            let bit: Mask = 1 << c;
            for (i, k) in def.kinds.iter().enumerate() {
                let id = schema.kind_id(k).ok_or_else(|| PolicyError::UnknownKind {
                    field: format!("competences[{c}].kinds[{i}]"),
                    name: k.clone(),
                })?;
                by_kind[id.index()] |= bit;
            }
            for (i, d) in def.designations.iter().enumerate() {
                let id =
                    schema
                        .designation_id(d)
                        .ok_or_else(|| PolicyError::UnknownDesignation {
                            field: format!("competences[{c}].designations[{i}]"),
                            name: d.clone(),
                        })?;
                by_designation[id.index()] |= bit;
            }
            for (i, code) in def.units.iter().enumerate() {
                let u = hierarchy
                    .by_code(code)
                    .ok_or_else(|| PolicyError::UnknownUnit {
                        field: format!("competences[{c}].units[{i}]"),
                        name: code.clone(),
                    })?;
                by_unit.push((u.id().get(), bit));
            }
        }
        by_unit.sort_unstable_by_key(|&(u, _)| u);
        by_unit.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 |= b.1;
                true
            } else {
                false
            }
        });

        let mut severities = Vec::with_capacity(policy.severities.len());
        for (i, s) in policy.severities.iter().enumerate() {
            let l = level(format!("severities[{i}].min_level"), &s.min_level)?;
            if let Some(&(_, prev)) = severities.last() {
                if l > prev {
                    return Err(PolicyError::OutOfOrder {
                        field: format!("severities[{i}].min_level"),
                        name: s.name.clone(),
                        level: level_name(l),
                        previous: level_name(prev),
                    });
                }
            }
            severities.push((s.name.clone(), l));
        }

        let mut scale: Vec<(u64, Level)> = Vec::with_capacity(policy.scale.len());
        for (i, s) in policy.scale.iter().enumerate() {
            let l = level(format!("scale[{i}].min_level"), &s.min_level)?;
            if let Some(&(people, prev)) = scale.last() {
                if s.people <= people {
                    return Err(PolicyError::ThresholdNotIncreasing {
                        field: format!("scale[{i}].people"),
                        people: s.people,
                    });
                }
                if l > prev {
                    return Err(PolicyError::OutOfOrder {
                        field: format!("scale[{i}].min_level"),
                        name: s.people.to_string(),
                        level: level_name(l),
                        previous: level_name(prev),
                    });
                }
            }
            scale.push((s.people, l));
        }

        let mut categories = Vec::with_capacity(policy.categories.len());
        for (c, def) in policy.categories.iter().enumerate() {
            let min_level = match &def.min_level {
                Some(name) => Some(level(format!("categories[{c}].min_level"), name)?),
                None => None,
            };
            let mut needs: Mask = 0;
            for (i, name) in def.competences.iter().enumerate() {
                let k = policy
                    .competences
                    .iter()
                    .position(|x| &x.name == name)
                    .ok_or_else(|| PolicyError::UnknownCompetence {
                        field: format!("categories[{c}].competences[{i}]"),
                        name: name.clone(),
                    })?;
                needs |= 1 << k;
            }
            let mut roles = default_roles;
            for (i, r) in def.roles.iter().enumerate() {
                roles |= parse_role(format!("categories[{c}].roles[{i}]"), r)?;
            }
            categories.push(Category {
                name: def.name.clone(),
                min_level,
                needs,
                roles,
            });
        }

        Ok(CompiledPolicy {
            stamp: hierarchy.stamp,
            name: policy.name.clone(),
            competence_names: policy.competences.iter().map(|c| c.name.clone()).collect(),
            by_kind,
            by_designation,
            by_unit,
            severities,
            scale,
            categories,
            source: policy,
        })
    }

    /// The policy's name.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), &h)?;
    /// assert_eq!(p.name(), "china-default");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The policy as data, as it was compiled.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), &h)?;
    /// assert_eq!(p.policy().name, "china-default");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy(&self) -> &Policy {
        &self.source
    }

    /// Category names in policy order.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), &h)?;
    /// assert!(p.category_names().count() >= 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn category_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.categories.iter().map(|c| c.name.as_str())
    }

    /// The name of competence `index`.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), &h)?;
    /// assert_eq!(p.competence_name(0), Some("local_legislation"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn competence_name(&self, index: usize) -> Option<&str> {
        self.competence_names.get(index).map(String::as_str)
    }

    /// Whether `unit` holds the competence named `competence`.
    ///
    /// # Errors
    ///
    /// [`PolicyError::UnknownCompetence`] for a competence the policy does
    /// not define; [`PolicyError::OtherHierarchy`] for a unit of another
    /// hierarchy than the one the policy was compiled for (its id would
    /// mean another unit here).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{CompiledPolicy, PolicyError};
    /// let h = xzqh::china();
    /// let p = CompiledPolicy::compile(xzqh::china::policy(), h)?;
    /// assert!(p.holds(h.by_code("65").unwrap(), "local_legislation")?);
    /// assert!(!p.holds(h.by_code("654201").unwrap(), "local_legislation")?);
    /// assert!(matches!(p.holds(h.root(), "flying"), Err(PolicyError::UnknownCompetence { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holds(&self, unit: Unit<'_>, competence: &str) -> Result<bool, PolicyError> {
        let k = self
            .competence_names
            .iter()
            .position(|c| c == competence)
            .ok_or_else(|| PolicyError::UnknownCompetence {
                field: "competence".to_owned(),
                name: competence.to_owned(),
            })?;
        if unit.h.stamp != self.stamp {
            return Err(PolicyError::OtherHierarchy {
                code: unit.code().to_owned(),
            });
        }
        Ok(self.competences_of(unit.h, unit.id) & (1 << k) != 0)
    }

    /// The competences unit `id` holds.
    #[inline]
    pub(crate) fn competences_of(&self, h: &Hierarchy, id: u32) -> Mask {
        let mut m = self.by_kind[h.kind[id as usize] as usize];
        let mut d = h.designations_raw(id);
        while d != 0 {
            let bit = d.trailing_zeros() as usize;
            m |= self.by_designation.get(bit).copied().unwrap_or(0);
            d &= d - 1;
        }
        if let Ok(i) = self.by_unit.binary_search_by_key(&id, |&(u, _)| u) {
            m |= self.by_unit[i].1;
        }
        m
    }

    pub(crate) fn category(&self, name: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.name == name)
    }

    pub(crate) fn severity(&self, name: &str) -> Option<usize> {
        self.severities.iter().position(|s| s.0 == name)
    }

    /// The minimum level for `people` affected, if a threshold applies.
    pub(crate) fn scale_level(&self, people: u64) -> Option<(u64, Level)> {
        self.scale.iter().rev().find(|(t, _)| people >= *t).copied()
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "policy {} ({} categories, {} competences, {} severity grades)",
            self.name,
            self.categories.len(),
            self.competences.len(),
            self.severities.len()
        )
    }
}
