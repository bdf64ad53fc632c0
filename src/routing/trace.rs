//! A decision's trace as text, one line per step.

use std::fmt;

use crate::model::unit::Unit;
use crate::routing::decision::{Decision, LevelSource, Step};

/// A decision's trace rendered as text, one line per step; see
/// [`Decision::explain`].
///
/// # Examples
///
/// ```
/// use xzqh::routing::{Case, Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let places = [Place::Code("110105")];
/// let d = router.route(&Case::new(&places, "petition"))?;
/// assert_eq!(
///     d.explain().to_string(),
///     "the case is located in 110105 朝阳区\n\
///      the category requires county level or above\n\
///      110105 朝阳区 (district, county level, tier count 2) handles the case"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Trace<'d, 'h> {
    decision: &'d Decision<'h>,
}

impl<'d, 'h> Trace<'d, 'h> {
    pub(crate) fn new(decision: &'d Decision<'h>) -> Self {
        Trace { decision }
    }
}

impl fmt::Display for Trace<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.decision;
        let unit = |u: Unit<'_>| format!("{} {}", u.code(), u.name());
        let policy = d.policy.as_deref();
        for (i, step) in d.trace.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match *step {
                Step::Superseded {
                    place,
                    unit: u,
                    change,
                } => {
                    write!(f, "place {} is superseded by {}", place + 1, unit(u))?;
                    if let Some(history) = d.h.successions() {
                        f.write_str(" (")?;
                        history.describe(change, f)?;
                        f.write_str(")")?;
                    }
                }
                Step::ResolvedText { place, unit: u } => {
                    write!(f, "place {} (text) reads as {}", place + 1, unit(u))?
                }
                Step::CommonAncestor { unit: u, places } => {
                    if places == 1 {
                        write!(f, "the case is located in {}", unit(u))?
                    } else {
                        write!(
                            f,
                            "{places} places meet at {}, their lowest common ancestor",
                            unit(u)
                        )?
                    }
                }
                Step::MinimumLevel { level, source } => match source {
                    LevelSource::Category => {
                        write!(f, "the category requires {level} level or above")?
                    }
                    LevelSource::Severity(s) => {
                        let grade = policy
                            .and_then(|p| p.severities.get(s as usize))
                            .map_or("?", |g| g.0.as_str());
                        write!(f, "severity {grade} requires {level} level or above")?
                    }
                    LevelSource::Scale(people) => write!(
                        f,
                        "{people} or more people affected requires {level} level or above"
                    )?,
                },
                Step::RoleNotAllowed { unit: u, role } => write!(
                    f,
                    "{} is {role}, which may not handle this category",
                    unit(u)
                )?,
                Step::LacksCompetence {
                    unit: u,
                    competence,
                } => {
                    let name = policy
                        .and_then(|p| p.competence_name(competence as usize))
                        .unwrap_or("?");
                    write!(f, "{} lacks competence {name}", unit(u))?
                }
                Step::BelowMinimumLevel { unit: u, required } => write!(
                    f,
                    "{} is at {} level, below the required {required}",
                    unit(u),
                    u.level()
                )?,
                Step::Handler { unit: u } => write!(
                    f,
                    "{} ({}, {} level, tier count {}) handles the case",
                    unit(u),
                    u.kind().name(),
                    u.level(),
                    u.tiers()
                )?,
            }
        }
        Ok(())
    }
}
