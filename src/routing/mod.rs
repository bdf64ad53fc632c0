//! Issue routing: send each case to the right level, with a reason for every step.
//!
//! # The rule
//!
//! China's Emergency Response Law: the county-level government answers for
//! events in its area; an event involving two or more areas goes to their
//! common superior; graver events go higher. England adds that in a two-tier
//! area the category decides the council. So, for a case (places, category,
//! severity, people affected) the router:
//!
//! 1. starts at the lowest common ancestor of every affected place;
//! 2. climbs until the unit may handle: its role is allowed (the policy's
//!    default roles, plus the category's extra roles), it holds every
//!    competence the category needs, and it stands at or above the minimum
//!    level that the category, the severity grade and the scale demand;
//! 3. returns the handler, its level and tier count, the escalation chain
//!    (the governments above it up to the root), the parties (the units
//!    directly below the handler through which the affected places are
//!    reached: for a cross-area case, those to coordinate), and a trace with
//!    one typed [`Step`] per decision.
//!
//! Placeholders never exist as units, so they never handle. Policies are
//! data ([`Policy`], loadable from TOML or JSON with the `serde` feature) and
//! are checked against the hierarchy before use ([`CompiledPolicy`]).
//!
//! # Sharing and swapping
//!
//! A [`Router`] is `Send + Sync`: share one behind an `Arc` across threads.
//! [`Router::set_policy`] validates a new policy first and then swaps it in;
//! cases already being routed finish with the policy they started with, and
//! no call waits on routing.

mod policy;

use std::borrow::Borrow;
use std::fmt;
use std::sync::{Arc, RwLock};

use thiserror::Error;

use crate::address::{AddressError, Outcome};
use crate::exchange::load::excerpt;
use crate::model::hierarchy::{Hierarchy, NONE, UnitId};
use crate::model::iter::UnitsIter;
use crate::model::profile::ChangeId;
use crate::model::schema::{Level, Role};
use crate::model::unit::Unit;

pub use policy::{
    CategoryDef, CompetenceDef, CompiledPolicy, MAX_COMPETENCES, Policy, PolicyError, ScaleDef,
    SeverityDef,
};

use policy::role_bit;

/// An affected place: a unit id, a unit code, or free text (an address or
/// place name as people write it, read by [`AddressResolver`]).
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
    /// A unit by exact code.
    Code(&'a str),
    /// A unit by free text, resolved to the deepest unit it names; an
    /// ambiguous text is [`RouteError::AmbiguousPlace`], never a guess.
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

/// Why a case could not be routed.
///
/// # Examples
///
/// ```
/// use xzqh::routing::{Case, Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let places = [Place::Code("999999")];
/// let err = router.route(&Case::new(&places, "petition")).unwrap_err();
/// assert_eq!(err.to_string(), "unknown place 999999");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RouteError {
    /// The case names no place.
    #[error("case names no place")]
    NoPlaces,
    /// A place is not a unit of the hierarchy.
    #[error("unknown place {place}")]
    UnknownPlace {
        /// The place as given.
        place: String,
    },
    /// The category is not in the policy.
    #[error("unknown category `{category}`")]
    UnknownCategory {
        /// The category as given.
        category: String,
    },
    /// A text place names several units equally well.
    #[error("place {place:?} is ambiguous: {} units match ({})", .candidates.len(), listing(.candidates))]
    AmbiguousPlace {
        /// The text as given.
        place: String,
        /// Every candidate as `(code, name)`, best first.
        candidates: Vec<(String, String)>,
    },
    /// The severity grade is not in the policy.
    #[error("unknown severity `{severity}`")]
    UnknownSeverity {
        /// The grade as given.
        severity: String,
    },
    /// The hierarchy's address reader could not be built, so text places
    /// cannot be read.
    #[error("cannot read text places: {message}")]
    Addresses {
        /// Why the reader could not be built.
        message: String,
    },
    /// No unit from the common ancestor up to the root may handle the case.
    #[error("no unit from {from} up to the root can handle category `{category}`")]
    NoHandler {
        /// The common ancestor's code.
        from: String,
        /// The category.
        category: String,
    },
}

/// The first ten candidates of an ambiguity message.
fn listing(candidates: &[(String, String)]) -> String {
    let mut s: Vec<String> = candidates
        .iter()
        .take(10)
        .map(|(code, name)| format!("{code} {name}"))
        .collect();
    if candidates.len() > 10 {
        s.push("…".to_owned());
    }
    s.join(", ")
}

/// What raised the minimum level of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LevelSource {
    /// The category's own minimum.
    Category,
    /// The severity grade (index in the policy's ladder).
    Severity(u16),
    /// The scale threshold met (people).
    Scale(u64),
}

/// One decision of the router, in the order taken.
///
/// Steps hold unit handles and small values, so recording one costs no
/// allocation; print a decision's whole trace with [`Decision::explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Step<'h> {
    /// The text of place number `place` (from 0) was read as `unit`.
    ResolvedText {
        /// The place's index in the case.
        place: u32,
        /// The unit the text resolved to.
        unit: Unit<'h>,
    },
    /// The affected places meet at `unit`, their lowest common ancestor.
    CommonAncestor {
        /// The lowest common ancestor.
        unit: Unit<'h>,
        /// How many places the case names.
        places: u32,
    },
    /// A constraint demands `level` or above.
    MinimumLevel {
        /// The level demanded.
        level: Level,
        /// Which constraint.
        source: LevelSource,
    },
    /// `unit`'s role may not handle this category: climb.
    RoleNotAllowed {
        /// The unit passed over.
        unit: Unit<'h>,
        /// Its role.
        role: Role,
    },
    /// `unit` lacks a competence the category needs: climb.
    LacksCompetence {
        /// The unit passed over.
        unit: Unit<'h>,
        /// The first missing competence (index in the policy).
        competence: u16,
    },
    /// `unit` stands below the minimum level: climb.
    BelowMinimumLevel {
        /// The unit passed over.
        unit: Unit<'h>,
        /// The level required.
        required: Level,
    },
    /// A place was given by a code the hierarchy no longer has: it was
    /// superseded, and the case is routed as its successor `unit`. `change`
    /// is the last change followed in the profile's code history
    /// ([`Successions::describe`](crate::Successions::describe) prints it).
    Superseded {
        /// The place's position in the case.
        place: u32,
        /// The successor the place stands for now.
        unit: Unit<'h>,
        /// The change, in the profile's history.
        change: ChangeId,
    },
    /// `unit` handles the case.
    Handler {
        /// The handler.
        unit: Unit<'h>,
    },
}

impl Step<'_> {
    /// The step's kind as a stable snake_case name (for logs and golden files).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::routing::Step::Handler { unit: xzqh::china().root() };
    /// assert_eq!(s.kind(), "handler");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Superseded { .. } => "superseded",
            Step::ResolvedText { .. } => "resolved_text",
            Step::CommonAncestor { .. } => "common_ancestor",
            Step::MinimumLevel { .. } => "minimum_level",
            Step::RoleNotAllowed { .. } => "role_not_allowed",
            Step::LacksCompetence { .. } => "lacks_competence",
            Step::BelowMinimumLevel { .. } => "below_minimum_level",
            Step::Handler { .. } => "handler",
        }
    }
}

/// Where a case goes and why: the handler and the units around it, as
/// handles of the hierarchy the case was routed on.
///
/// Reuse one with [`Router::route_into`] to route without allocating.
///
/// # Examples
///
/// ```
/// use xzqh::routing::{Case, Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let places = [Place::Code("429004"), Place::Code("440281102")];
/// let d = router.route(&Case::new(&places, "petition"))?;
/// assert_eq!(d.handler().name(), "中华人民共和国");
/// let parties: Vec<_> = d.parties().map(|p| p.code()).collect();
/// assert_eq!(parties, ["42", "44"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Decision<'h> {
    h: &'h Hierarchy,
    handler: u32,
    start: u32,
    required: Option<Level>,
    escalation: Vec<u32>,
    parties: Vec<u32>,
    trace: Vec<Step<'h>>,
    places: Vec<u32>,
    policy: Option<Arc<CompiledPolicy>>,
}

impl<'h> Decision<'h> {
    /// An empty decision on `hierarchy`, to route into with
    /// [`Router::route_into`]: until then its handler is the root and its
    /// trace is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = xzqh::routing::Decision::new(xzqh::china());
    /// assert!(d.trace().is_empty());
    /// assert_eq!(d.handler(), xzqh::china().root());
    /// ```
    pub fn new(hierarchy: &'h Hierarchy) -> Self {
        Decision {
            h: hierarchy,
            handler: 0,
            start: 0,
            required: None,
            escalation: Vec::new(),
            parties: Vec::new(),
            trace: Vec::new(),
            places: Vec::new(),
            policy: None,
        }
    }

    fn unit(&self, id: u32) -> Unit<'h> {
        Unit { h: self.h, id }
    }

    /// The unit that must handle the case.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("110105021")];
    /// let d = router.route(&Case::new(&places, "public_complaint"))?;
    /// assert_eq!(d.handler().name(), "南磨房地区");
    /// assert_eq!(d.handler().tiers(), 2); // 北京市, 朝阳区
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handler(&self) -> Unit<'h> {
        self.unit(self.handler)
    }

    /// The lowest common ancestor of the affected places, where the climb began.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("110105021"), Place::Code("110118101")];
    /// let d = router.route(&Case::new(&places, "public_complaint"))?;
    /// assert_eq!(d.start().code(), "11");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start(&self) -> Unit<'h> {
        self.unit(self.start)
    }

    /// The most senior minimum level any constraint demanded, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("110105021")];
    /// let d = router.route(&Case::new(&places, "emergency").severity("serious"))?;
    /// assert_eq!(d.required_level(), Some(xzqh::china::PROVINCIAL));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn required_level(&self) -> Option<Level> {
        self.required
    }

    /// The governments above the handler, nearest first, up to the root.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("654201200")];
    /// let d = router.route(&Case::new(&places, "petition"))?;
    /// let up: Vec<_> = d.escalation().map(|u| u.code()).collect();
    /// assert_eq!(up, ["6540", "65", "0"]); // 塔城地区 is an agency, not a government
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn escalation(&self) -> UnitsIter<'_> {
        UnitsIter::new(self.h, &self.escalation)
    }

    /// The units directly below the handler through which the affected
    /// places are reached, in id order, each once (empty when the handler is
    /// itself the only place).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("110105021"), Place::Code("110118101")];
    /// let d = router.route(&Case::new(&places, "petition"))?;
    /// let p: Vec<_> = d.parties().map(|u| u.code()).collect();
    /// assert_eq!(p, ["110105", "110118"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parties(&self) -> UnitsIter<'_> {
        UnitsIter::new(self.h, &self.parties)
    }

    /// The units the case's places resolved to, in the case's order (a
    /// superseded code split into parts contributes each part).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("110000"), Place::Code("110105000000")];
    /// let d = router.route(&Case::new(&places, "petition"))?;
    /// let codes: Vec<_> = d.places().map(|u| u.code()).collect();
    /// assert_eq!(codes, ["11", "110105"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn places(&self) -> UnitsIter<'_> {
        UnitsIter::new(self.h, &self.places)
    }

    /// The steps taken, in order; the last is [`Step::Handler`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router, Step};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("110105021")];
    /// let d = router.route(&Case::new(&places, "public_complaint"))?;
    /// assert!(matches!(d.trace().last(), Some(Step::Handler { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn trace(&self) -> &[Step<'h>] {
        &self.trace
    }

    /// The policy that decided (`None` before the first route).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::routing::Decision::new(xzqh::china()).policy().is_none());
    /// ```
    pub fn policy(&self) -> Option<&CompiledPolicy> {
        self.policy.as_deref()
    }

    /// The trace as human-readable lines, one per step.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("654201")];
    /// let d = router.route(&Case::new(&places, "local_legislation"))?;
    /// let text = d.explain().to_string();
    /// assert!(text.contains("654201 塔城市 lacks competence local_legislation"));
    /// assert!(text.ends_with("6540 伊犁哈萨克自治州 (autonomous_prefecture, prefectural level, tier count 2) handles the case"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain(&self) -> Trace<'_, 'h> {
        Trace { decision: self }
    }

    fn clear(&mut self) {
        self.escalation.clear();
        self.parties.clear();
        self.trace.clear();
        self.places.clear();
        self.required = None;
        self.handler = 0;
        self.start = 0;
    }
}

/// A decision's trace rendered as text; see [`Decision::explain`].
#[derive(Debug, Clone, Copy)]
pub struct Trace<'d, 'h> {
    decision: &'d Decision<'h>,
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

/// Routes cases on one hierarchy under a swappable policy.
///
/// `H` is how the router holds its hierarchy: `&'static Hierarchy` for
/// [`china()`](crate::china()), or `Arc<Hierarchy>` (the default) for one you
/// built or loaded.
///
/// # Examples
///
/// ```
/// use xzqh::routing::{Case, Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let places = [Place::Code("429004"), Place::Code("429005")]; // 仙桃, 潜江
/// let d = router.route(&Case::new(&places, "environment"))?;
/// assert_eq!(d.handler().name(), "湖北省");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Router<H: Borrow<Hierarchy> = Arc<Hierarchy>> {
    hierarchy: H,
    policy: RwLock<Arc<CompiledPolicy>>,
}

impl<H: Borrow<Hierarchy>> Router<H> {
    /// A router for `hierarchy` under `policy`.
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] if the policy names a kind, level, designation,
    /// role, competence or unit the hierarchy lacks, or is out of order.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// assert_eq!(router.policy().name(), "china-default");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(hierarchy: H, policy: Policy) -> Result<Router<H>, PolicyError> {
        let compiled = CompiledPolicy::compile(policy, hierarchy.borrow())?;
        Ok(Router {
            hierarchy,
            policy: RwLock::new(Arc::new(compiled)),
        })
    }

    /// The hierarchy cases are routed on.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// assert_eq!(router.hierarchy().len(), xzqh::china().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hierarchy(&self) -> &Hierarchy {
        self.hierarchy.borrow()
    }

    /// The policy in force now.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// assert!(router.policy().category_names().any(|c| c == "petition"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy(&self) -> Arc<CompiledPolicy> {
        // A poisoned lock still holds a valid Arc: a writer only ever stores
        // a fully compiled policy.
        self.policy
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Validates `policy` and makes it the one in force; on error the old
    /// policy stays.
    ///
    /// # Errors
    ///
    /// As [`Router::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Policy, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut bad = Policy::new("bad");
    /// bad.roles.push("mayor".into());
    /// assert!(router.set_policy(bad).is_err());
    /// assert_eq!(router.policy().name(), "china-default");
    /// router.set_policy(Policy::new("empty"))?;
    /// assert_eq!(router.policy().name(), "empty");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_policy(&self, policy: Policy) -> Result<(), PolicyError> {
        let compiled = Arc::new(CompiledPolicy::compile(policy, self.hierarchy())?);
        *self
            .policy
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = compiled;
        Ok(())
    }

    /// Routes one case.
    ///
    /// # Errors
    ///
    /// A [`RouteError`]: no place, an unknown place, category or severity, or
    /// no unit able to handle the case.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("441900121")];
    /// let d = router.route(&Case::new(&places, "labour_dispute"))?;
    /// assert_eq!(d.handler().code(), "4419"); // 东莞: no county tier
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route(&self, case: &Case<'_>) -> Result<Decision<'_>, RouteError> {
        let mut d = Decision::new(self.hierarchy());
        self.route_into(case, &mut d)?;
        Ok(d)
    }

    /// Routes one case into `decision`, reusing its buffers: after the first
    /// call, routing allocates nothing.
    ///
    /// # Errors
    ///
    /// As [`Router::route`]; on error `decision` holds no valid answer.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Decision, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut d = Decision::new(router.hierarchy());
    /// for code in ["110105021", "110118101"] {
    ///     let places = [Place::Code(code)];
    ///     router.route_into(&Case::new(&places, "public_complaint"), &mut d)?;
    ///     assert_eq!(d.handler().code(), code);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route_into<'r>(
        &'r self,
        case: &Case<'_>,
        decision: &mut Decision<'r>,
    ) -> Result<(), RouteError> {
        decision.h = self.hierarchy();
        let policy = self.policy();
        route_with(&policy, case, decision)?;
        if !decision
            .policy
            .as_ref()
            .is_some_and(|p| Arc::ptr_eq(p, &policy))
        {
            decision.policy = Some(policy);
        }
        Ok(())
    }

    /// Routes a batch of cases under one policy snapshot.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let a = [Place::Code("110105")];
    /// let b = [Place::Code("nowhere")];
    /// let out = router.route_batch(&[Case::new(&a, "petition"), Case::new(&b, "petition")]);
    /// assert!(out[0].is_ok() && out[1].is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route_batch(&self, cases: &[Case<'_>]) -> Vec<Result<Decision<'_>, RouteError>> {
        let policy = self.policy();
        cases
            .iter()
            .map(|case| {
                let mut d = Decision::new(self.hierarchy());
                route_with(&policy, case, &mut d)?;
                d.policy = Some(policy.clone());
                Ok(d)
            })
            .collect()
    }
}

/// Reads a text place: the unit, or why not.
fn read_text(h: &Hierarchy, text: &str) -> Result<u32, RouteError> {
    let addresses = h
        .addresses()
        .map_err(|e: AddressError| RouteError::Addresses {
            message: e.to_string(),
        })?;
    match addresses.resolve(text).into_outcome() {
        Outcome::Resolved(u) => Ok(u.id),
        Outcome::Ambiguous(candidates) => Err(RouteError::AmbiguousPlace {
            place: excerpt(text),
            candidates: candidates
                .iter()
                .map(|c| (c.unit.code().to_owned(), c.unit.name().to_owned()))
                .collect(),
        }),
        _ => Err(RouteError::UnknownPlace {
            place: excerpt(text),
        }),
    }
}

/// Appends a place's units to `d.places`: by id; by code in any form the
/// profile reads; text through the hierarchy's address reader; then a
/// superseded code's successors from the profile's code history (one
/// [`Step::Superseded`] each). A split unit's place stands for all its
/// parts: its old area is their union, so the case goes to what covers them
/// all, never to one part picked silently.
fn resolve_place(index: usize, place: &Place<'_>, d: &mut Decision<'_>) -> Result<(), RouteError> {
    let h = d.h;
    let code = match *place {
        Place::Id(id) => {
            let u = h.get(id).ok_or_else(|| unknown(place))?;
            d.places.push(u.id);
            return Ok(());
        }
        Place::Text(t) => {
            let id = read_text(h, t)?;
            d.places.push(id);
            d.trace.push(Step::ResolvedText {
                place: index as u32,
                unit: Unit { h, id },
            });
            return Ok(());
        }
        Place::Code(code) => code,
    };
    if let Some(u) = h.by_code(code) {
        d.places.push(u.id);
        return Ok(());
    }
    let history = h.successions().ok_or_else(|| unknown(place))?;
    let mut successors = Vec::new();
    let change = history
        .successors(h, code, &mut successors)
        .ok_or_else(|| unknown(place))?;
    for u in successors {
        d.places.push(u.get());
        d.trace.push(Step::Superseded {
            place: index as u32,
            unit: Unit { h, id: u.get() },
            change,
        });
    }
    Ok(())
}

fn unknown(place: &Place<'_>) -> RouteError {
    RouteError::UnknownPlace {
        place: match place {
            Place::Id(id) => id.to_string(),
            Place::Code(t) | Place::Text(t) => excerpt(t),
        },
    }
}

/// The routing rule; see the module docs.
fn route_with(
    policy: &CompiledPolicy,
    case: &Case<'_>,
    d: &mut Decision<'_>,
) -> Result<(), RouteError> {
    d.clear();
    let h = d.h;
    if case.places.is_empty() {
        return Err(RouteError::NoPlaces);
    }
    let category = policy
        .category(case.category)
        .map(|c| &policy.categories[c])
        .ok_or_else(|| RouteError::UnknownCategory {
            category: excerpt(case.category),
        })?;
    let severity = match case.severity {
        Some(s) => Some(
            policy
                .severity(s)
                .ok_or_else(|| RouteError::UnknownSeverity {
                    severity: excerpt(s),
                })?,
        ),
        None => None,
    };

    // 1. The lowest common ancestor of a set is that of its first and last
    // units in pre-order.
    for (k, place) in case.places.iter().enumerate() {
        resolve_place(k, place, d)?;
    }
    let (mut lo, mut hi) = (u32::MAX, 0u32);
    for &id in &d.places {
        lo = lo.min(id);
        hi = hi.max(id);
    }
    let start = h.lca_span(lo, hi);
    d.start = start;
    d.trace.push(Step::CommonAncestor {
        unit: Unit { h, id: start },
        places: case.places.len() as u32,
    });

    // 2. The minimum level: the most senior of the constraints.
    let mut required: Option<Level> = None;
    let mut demand = |level: Level, source: LevelSource, d: &mut Decision<'_>| {
        d.trace.push(Step::MinimumLevel { level, source });
        if required.is_none_or(|r| level < r) {
            required = Some(level);
        }
    };
    if let Some(l) = category.min_level {
        demand(l, LevelSource::Category, d);
    }
    if let Some(s) = severity {
        demand(policy.severities[s].1, LevelSource::Severity(s as u16), d);
    }
    if let Some((threshold, l)) = case.people.and_then(|p| policy.scale_level(p)) {
        demand(l, LevelSource::Scale(threshold), d);
    }
    d.required = required;

    // 3. Climb.
    let mut u = start;
    loop {
        let kind = h.kind_def(u);
        let here = Unit { h, id: u };
        let step = if category.roles & role_bit(kind.role()) == 0 {
            Some(Step::RoleNotAllowed {
                unit: here,
                role: kind.role(),
            })
        } else if let Some(r) = required.filter(|r| kind.level().rank() > r.rank()) {
            Some(Step::BelowMinimumLevel {
                unit: here,
                required: r,
            })
        } else {
            let missing = category.needs & !policy.competences_of(h, u);
            (missing != 0).then(|| Step::LacksCompetence {
                unit: here,
                competence: missing.trailing_zeros() as u16,
            })
        };
        match step {
            Some(s) => {
                d.trace.push(s);
                u = h.parent[u as usize];
                if u == NONE {
                    return Err(RouteError::NoHandler {
                        from: h.codes.get(start).to_owned(),
                        category: excerpt(case.category),
                    });
                }
            }
            None => break,
        }
    }
    d.handler = u;
    d.trace.push(Step::Handler {
        unit: Unit { h, id: u },
    });

    // 4. Escalation chain and parties.
    let mut p = h.parent[u as usize];
    while p != NONE {
        if h.role_raw(p) == Role::Government {
            d.escalation.push(p);
        }
        p = h.parent[p as usize];
    }
    for k in 0..d.places.len() {
        let mut x = d.places[k];
        if x == u {
            continue;
        }
        while h.parent[x as usize] != u {
            x = h.parent[x as usize];
        }
        if let Err(at) = d.parties.binary_search(&x) {
            d.parties.insert(at, x);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn router_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::Router>();
        check::<super::Decision<'static>>();
    }
}
