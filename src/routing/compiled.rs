//! A [`Policy`] checked against one hierarchy and compiled to bit sets, and
//! the [`PolicyError`]s that checking (or parsing a policy file) reports.

use thiserror::Error;

use crate::exchange::load::excerpt;
use crate::model::hierarchy::Hierarchy;
use crate::model::schema::{Level, Role, Schema};
use crate::model::unit::Unit;
use crate::routing::policy::Policy;

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
    /// The file is larger than [`PolicyLimits::max_bytes`](crate::routing::PolicyLimits::max_bytes).
    #[error("the policy of {size} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// The file's size in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The file nests deeper than [`PolicyLimits::max_depth`](crate::routing::PolicyLimits::max_depth).
    #[error("line {line}: the policy nests deeper than {max}")]
    TooDeep {
        /// The line (1-based) where the nesting passes the limit.
        line: u64,
        /// The limit.
        max: usize,
    },
    /// The file holds more tokens than [`PolicyLimits::max_tokens`](crate::routing::PolicyLimits::max_tokens).
    #[error("line {line}: the policy has more than {max} tokens")]
    TooManyTokens {
        /// The line (1-based) where the count passes the limit.
        line: u64,
        /// The limit.
        max: usize,
    },
    /// The file could not be parsed.
    #[error("cannot parse the policy: {message}")]
    Parse {
        /// The parser's message (with line and column where it gives them).
        message: String,
    },
}

/// The most competences one policy may define (a bit set per unit).
///
/// # Examples
///
/// ```
/// use xzqh::routing::{CompetenceDef, CompiledPolicy, MAX_COMPETENCES, Policy, PolicyError};
/// let mut p = Policy::new("too many");
/// for i in 0..=MAX_COMPETENCES {
///     p.competences.push(CompetenceDef::new(format!("c{i}")));
/// }
/// let err = CompiledPolicy::compile(p, xzqh::china()).unwrap_err();
/// assert_eq!(err, PolicyError::TooManyCompetences { max: MAX_COMPETENCES });
/// ```
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
/// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), h)?;
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
    /// Each category's [`NameKey`], in the categories' order.
    pub(crate) category_keys: Vec<NameKey>,
    pub(crate) source: Policy,
}

/// A name's length and its first and last eight bytes (zero-filled when
/// shorter) as words: equal keys mean equal names up to 16 bytes, so a case's
/// category is found by comparing words in place, without a call to
/// `memcmp` for each category of the same length (two calls, a twelfth of a
/// routed case, for `public_complaint` in China's policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameKey {
    len: usize,
    head: u64,
    tail: u64,
}

impl NameKey {
    /// Names this long or shorter are equal when their keys are.
    const EXACT: usize = 16;

    #[inline]
    pub(crate) fn of(name: &str) -> NameKey {
        let b = name.as_bytes();
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]));
        let (head, tail) = if b.len() >= 8 {
            (word(0), word(b.len() - 8))
        } else {
            let mut w = [0u8; 8];
            for (w, &c) in w.iter_mut().zip(b) {
                *w = c;
            }
            (u64::from_le_bytes(w), 0)
        };
        NameKey {
            len: b.len(),
            head,
            tail,
        }
    }
}

pub(crate) fn role_bit(role: Role) -> u8 {
    1 << (role as u8)
}

fn parse_role(field: String, name: &str) -> Result<u8, PolicyError> {
    Role::from_name(name)
        .map(role_bit)
        .ok_or(PolicyError::UnknownRole {
            field,
            name: excerpt(name),
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
                name: excerpt(name),
            });
        }
    }
    Ok(())
}

/// The level named `name` in `schema`, or [`PolicyError::UnknownLevel`] at `field`.
fn level(schema: &Schema, field: String, name: &str) -> Result<Level, PolicyError> {
    schema
        .level_id(name)
        .ok_or_else(|| PolicyError::UnknownLevel {
            field,
            name: excerpt(name),
        })
}

/// Who holds each competence: by kind, by designation, and unit by unit.
struct Holders {
    by_kind: Vec<Mask>,
    by_designation: Vec<Mask>,
    by_unit: Vec<(u32, Mask)>,
}

impl Holders {
    /// Reads `policy.competences` against the hierarchy's schema and codes.
    fn compile(policy: &Policy, hierarchy: &Hierarchy) -> Result<Holders, PolicyError> {
        let schema = hierarchy.schema();
        let mut by_kind = vec![0 as Mask; schema.kinds().len()];
        let mut by_designation = vec![0 as Mask; schema.designations().len()];
        let mut by_unit: Vec<(u32, Mask)> = Vec::new();
        for (c, def) in policy.competences.iter().enumerate() {
            let bit: Mask = 1 << c;
            for (i, k) in def.kinds.iter().enumerate() {
                let id = schema.kind_id(k).ok_or_else(|| PolicyError::UnknownKind {
                    field: format!("competences[{c}].kinds[{i}]"),
                    name: excerpt(k),
                })?;
                by_kind[id.index()] |= bit;
            }
            for (i, d) in def.designations.iter().enumerate() {
                let id =
                    schema
                        .designation_id(d)
                        .ok_or_else(|| PolicyError::UnknownDesignation {
                            field: format!("competences[{c}].designations[{i}]"),
                            name: excerpt(d),
                        })?;
                by_designation[id.index()] |= bit;
            }
            for (i, code) in def.units.iter().enumerate() {
                let u = hierarchy
                    .by_code(code)
                    .ok_or_else(|| PolicyError::UnknownUnit {
                        field: format!("competences[{c}].units[{i}]"),
                        name: excerpt(code),
                    })?;
                by_unit.push((u.id, bit));
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
        Ok(Holders {
            by_kind,
            by_designation,
            by_unit,
        })
    }
}

/// The severity ladder, each grade at or above the one before it.
fn severities(policy: &Policy, schema: &Schema) -> Result<Vec<(String, Level)>, PolicyError> {
    let mut severities: Vec<(String, Level)> = Vec::with_capacity(policy.severities.len());
    for (i, s) in policy.severities.iter().enumerate() {
        let l = level(schema, format!("severities[{i}].min_level"), &s.min_level)?;
        if let Some(&(_, prev)) = severities.last()
            && l > prev
        {
            return Err(PolicyError::OutOfOrder {
                field: format!("severities[{i}].min_level"),
                name: excerpt(&s.name),
                level: l.name().to_owned(),
                previous: prev.name().to_owned(),
            });
        }
        severities.push((s.name.clone(), l));
    }
    Ok(severities)
}

/// The scale thresholds, strictly increasing, each level at or above the
/// one before it.
fn scale(policy: &Policy, schema: &Schema) -> Result<Vec<(u64, Level)>, PolicyError> {
    let mut scale: Vec<(u64, Level)> = Vec::with_capacity(policy.scale.len());
    for (i, s) in policy.scale.iter().enumerate() {
        let l = level(schema, format!("scale[{i}].min_level"), &s.min_level)?;
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
                    level: l.name().to_owned(),
                    previous: prev.name().to_owned(),
                });
            }
        }
        scale.push((s.people, l));
    }
    Ok(scale)
}

/// The categories: minimum level, competences needed (as a mask of the
/// policy's competences) and roles allowed (the defaults plus their own).
fn categories(
    policy: &Policy,
    schema: &Schema,
    default_roles: u8,
) -> Result<Vec<Category>, PolicyError> {
    let mut categories = Vec::with_capacity(policy.categories.len());
    for (c, def) in policy.categories.iter().enumerate() {
        let min_level = match &def.min_level {
            Some(name) => Some(level(schema, format!("categories[{c}].min_level"), name)?),
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
                    name: excerpt(name),
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
    Ok(categories)
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
        let holders = Holders::compile(&policy, hierarchy)?;
        let severities = severities(&policy, schema)?;
        let scale = scale(&policy, schema)?;
        let categories = categories(&policy, schema, default_roles)?;
        Ok(CompiledPolicy {
            stamp: hierarchy.stamp,
            name: policy.name.clone(),
            competence_names: policy.competences.iter().map(|c| c.name.clone()).collect(),
            by_kind: holders.by_kind,
            by_designation: holders.by_designation,
            by_unit: holders.by_unit,
            severities,
            scale,
            category_keys: categories.iter().map(|c| NameKey::of(&c.name)).collect(),
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
    /// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), h)?;
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
    /// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), h)?;
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
    /// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), h)?;
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
    /// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), h)?;
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
    ///
    /// // A unit of another hierarchy, even one with the same codes, is refused.
    /// let other = xzqh::Hierarchy::builder(xzqh::china::schema())
    ///     .unit("0", "中华人民共和国", "state", None)
    ///     .unit("65", "新疆维吾尔自治区", "autonomous_region", Some("0"))
    ///     .build()?;
    /// let err = p.holds(other.by_code("65").unwrap(), "local_legislation").unwrap_err();
    /// assert_eq!(err, PolicyError::OtherHierarchy { code: "65".into() });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holds(&self, unit: Unit<'_>, competence: &str) -> Result<bool, PolicyError> {
        let k = self
            .competence_names
            .iter()
            .position(|c| c == competence)
            .ok_or_else(|| PolicyError::UnknownCompetence {
                field: "competence".to_owned(),
                name: excerpt(competence),
            })?;
        if unit.h.stamp != self.stamp {
            return Err(PolicyError::OtherHierarchy {
                code: unit.code().to_owned(),
            });
        }
        Ok(self.competences_of(unit.h, unit.id) & (1 << k) != 0)
    }

    /// Which of the competences `needs` unit `id` lacks (`0`: it holds
    /// them all). The kind's competences answer most checks: the unit's
    /// designations and its own grants, which only add, are read only for
    /// what the kind lacks.
    #[inline]
    pub(crate) fn missing(&self, h: &Hierarchy, id: u32, needs: Mask) -> Mask {
        let missing = needs & !self.by_kind[h.kind[id as usize] as usize];
        if missing == 0 {
            return 0;
        }
        missing & !self.competences_of(h, id)
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

    #[inline]
    pub(crate) fn category(&self, name: &str) -> Option<usize> {
        let key = NameKey::of(name);
        let exact = name.len() <= NameKey::EXACT;
        self.category_keys
            .iter()
            .zip(&self.categories)
            .position(|(k, c)| *k == key && (exact || c.name == name))
    }

    pub(crate) fn severity(&self, name: &str) -> Option<usize> {
        self.severities.iter().position(|s| s.0 == name)
    }

    /// The minimum level for `people` affected, if a threshold applies.
    pub(crate) fn scale_level(&self, people: u64) -> Option<(u64, Level)> {
        self.scale_entry(people).copied()
    }

    /// [`scale_level`](Self::scale_level) by reference.
    pub(crate) fn scale_entry(&self, people: u64) -> Option<&(u64, Level)> {
        self.scale.iter().rev().find(|(t, _)| people >= *t)
    }
}

#[cfg(test)]
mod tests {
    use super::NameKey;

    #[test]
    fn keys_tell_names_apart_up_to_sixteen_bytes() {
        let names = [
            "",
            "a",
            "b",
            "ab",
            "abcdefg",
            "abcdefh",
            "abcdefgh",
            "abcdefgi",
            "bbcdefgh",
            "abcdefghi",
            "abcdefghj",
            "public_complaint",
            "urban_management",
            "public_complainu",
            "qublic_complaint",
        ];
        for a in names {
            for b in names {
                assert_eq!(NameKey::of(a) == NameKey::of(b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
