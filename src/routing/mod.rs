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
use std::sync::{Arc, OnceLock, RwLock};

use thiserror::Error;

use crate::address::{AddressResolver, Outcome};
use crate::hierarchy::{Hierarchy, NONE};
use crate::schema::{Level, Role};
use crate::UnitId;

pub use policy::{
    china_policy, CategoryDef, CompetenceDef, CompiledPolicy, Policy, PolicyError, ScaleDef,
    SeverityDef, MAX_COMPETENCES,
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
/// let h = std::sync::Arc::new(xzqh::sample::small_china());
/// let router = Router::new(h, xzqh::routing::china_policy())?;
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
/// Steps hold ids, not text, so recording one costs no allocation; display a
/// decision's trace with [`Decision::explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Step {
    /// The text of place number `place` (from 0) was read as `unit`.
    ResolvedText {
        /// The place's index in the case.
        place: u32,
        /// The unit the text resolved to.
        unit: UnitId,
    },
    /// The affected places meet at `unit`, their lowest common ancestor.
    CommonAncestor {
        /// The lowest common ancestor.
        unit: UnitId,
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
        unit: UnitId,
        /// Its role.
        role: Role,
    },
    /// `unit` lacks a competence the category needs: climb.
    LacksCompetence {
        /// The unit passed over.
        unit: UnitId,
        /// The first missing competence (index in the policy).
        competence: u16,
    },
    /// `unit` stands below the minimum level: climb.
    BelowMinimumLevel {
        /// The unit passed over.
        unit: UnitId,
        /// The level required.
        required: Level,
    },
    /// A place was given by a code the hierarchy no longer has: it was
    /// superseded, and the case is routed as its successor `unit`. `change`
    /// is the last change followed, an index into
    /// [`History::changes`](crate::history::History::changes) of the embedded
    /// history (feature `history`), read with
    /// [`History::change`](crate::history::History::change).
    Superseded {
        /// The place's position in the case.
        place: u32,
        /// The successor the place stands for now.
        unit: UnitId,
        /// The change, in the embedded history.
        change: u32,
    },
    /// `unit` handles the case.
    Handler {
        /// The handler.
        unit: UnitId,
    },
}

impl Step {
    /// The step's kind as a stable snake_case name (for logs and golden files).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::routing::Step::Handler { unit: xzqh::UnitId::new(0) };
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

/// Where a case goes and why.
///
/// Reuse one with [`Router::route_into`] to route without allocating.
///
/// # Examples
///
/// ```
/// use xzqh::routing::{Case, Place, Router};
/// let h = std::sync::Arc::new(xzqh::sample::small_china());
/// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
/// let places = [Place::Code("429004"), Place::Code("440281102")];
/// let d = router.route(&Case::new(&places, "petition"))?;
/// assert_eq!(h.get(d.handler()).unwrap().name(), "中华人民共和国");
/// let parties: Vec<_> = d.parties().iter().map(|&p| h.get(p).unwrap().code()).collect();
/// assert_eq!(parties, ["42", "44"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Decision {
    handler: u32,
    start: u32,
    level: Option<Level>,
    required: Option<Level>,
    tiers: u32,
    escalation: Vec<UnitId>,
    parties: Vec<UnitId>,
    trace: Vec<Step>,
    places: Vec<UnitId>,
    policy: Option<Arc<CompiledPolicy>>,
}

impl Decision {
    /// An empty decision to route into.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::routing::Decision::new().trace().is_empty());
    /// ```
    pub fn new() -> Self {
        Decision::default()
    }

    /// The unit that must handle the case.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// let places = [Place::Code("110105021")];
    /// let d = router.route(&Case::new(&places, "public_complaint"))?;
    /// assert_eq!(h.get(d.handler()).unwrap().name(), "南磨房地区");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handler(&self) -> UnitId {
        UnitId::new(self.handler)
    }

    /// The lowest common ancestor of the affected places, where the climb began.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// let places = [Place::Code("110105021"), Place::Code("110118101")];
    /// let d = router.route(&Case::new(&places, "public_complaint"))?;
    /// assert_eq!(h.get(d.start()).unwrap().code(), "11");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start(&self) -> UnitId {
        UnitId::new(self.start)
    }

    /// The handler's level.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h, xzqh::routing::china_policy())?;
    /// let places = [Place::Code("110105021")];
    /// let d = router.route(&Case::new(&places, "petition"))?;
    /// assert_eq!(d.handler_level(), Some(xzqh::china::COUNTY));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handler_level(&self) -> Option<Level> {
        self.level
    }

    /// The handler's tier count ([`Unit::tiers`](crate::Unit::tiers)).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h, xzqh::routing::china_policy())?;
    /// let places = [Place::Code("110105021")];
    /// let d = router.route(&Case::new(&places, "petition"))?;
    /// assert_eq!(d.handler_tiers(), 2); // 北京市, 朝阳区
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handler_tiers(&self) -> usize {
        self.tiers as usize
    }

    /// The most senior minimum level any constraint demanded, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h, xzqh::routing::china_policy())?;
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
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// let places = [Place::Code("654201200")];
    /// let d = router.route(&Case::new(&places, "petition"))?;
    /// let up: Vec<_> = d.escalation().iter().map(|&u| h.get(u).unwrap().code()).collect();
    /// assert_eq!(up, ["6540", "65", "0"]); // 塔城地区 is an agency, not a government
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn escalation(&self) -> &[UnitId] {
        &self.escalation
    }

    /// The units directly below the handler through which the affected
    /// places are reached, in id order, each once (empty when the handler is
    /// itself the only place).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// let places = [Place::Code("110105021"), Place::Code("110118101")];
    /// let d = router.route(&Case::new(&places, "petition"))?;
    /// let p: Vec<_> = d.parties().iter().map(|&u| h.get(u).unwrap().code()).collect();
    /// assert_eq!(p, ["110105", "110118"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parties(&self) -> &[UnitId] {
        &self.parties
    }

    /// The units the case's places resolved to, in the case's order (a
    /// superseded code split into parts contributes each part).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::routing::china_policy())?;
    /// let places = [Place::Code("110000"), Place::Code("110105000000")];
    /// let d = router.route(&Case::new(&places, "petition"))?;
    /// let h = router.hierarchy();
    /// let codes: Vec<_> = d.places().iter().map(|&u| h.get(u).unwrap().code()).collect();
    /// assert_eq!(codes, ["11", "110105"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn places(&self) -> &[UnitId] {
        &self.places
    }

    /// The steps taken, in order; the last is [`Step::Handler`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router, Step};
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h, xzqh::routing::china_policy())?;
    /// let places = [Place::Code("110105021")];
    /// let d = router.route(&Case::new(&places, "public_complaint"))?;
    /// assert!(matches!(d.trace().last(), Some(Step::Handler { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn trace(&self) -> &[Step] {
        &self.trace
    }

    /// The name of the policy that decided.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::Decision::new().policy_name(), None);
    /// ```
    pub fn policy_name(&self) -> Option<&str> {
        self.policy.as_deref().map(CompiledPolicy::name)
    }

    /// The trace as human-readable lines, one per step.
    ///
    /// `hierarchy` must be the one the case was routed on.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// let places = [Place::Code("654201")];
    /// let d = router.route(&Case::new(&places, "local_legislation"))?;
    /// let text = d.explain(&h).to_string();
    /// assert!(text.contains("654201 塔城市 lacks competence local_legislation"));
    /// assert!(text.ends_with("6540 伊犁哈萨克自治州 (autonomous_prefecture, prefectural level, tier count 2) handles the case"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain<'d>(&'d self, hierarchy: &'d Hierarchy) -> Trace<'d> {
        Trace {
            decision: self,
            hierarchy,
        }
    }

    fn clear(&mut self) {
        self.escalation.clear();
        self.parties.clear();
        self.trace.clear();
        self.places.clear();
        self.level = None;
        self.required = None;
        self.tiers = 0;
    }
}

/// A decision's trace rendered as text; see [`Decision::explain`].
#[derive(Debug, Clone, Copy)]
pub struct Trace<'d> {
    decision: &'d Decision,
    hierarchy: &'d Hierarchy,
}

impl fmt::Display for Trace<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = self.hierarchy;
        let unit = |id: UnitId| match h.get(id) {
            Some(u) => format!("{} {}", u.code(), u.name()),
            None => format!("{id}"),
        };
        let level = |l: Level| h.schema().level_name(l).unwrap_or("?").to_owned();
        let policy = self.decision.policy.as_deref();
        for (i, step) in self.decision.trace.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match *step {
                Step::Superseded {
                    place,
                    unit: u,
                    change,
                } => {
                    #[cfg(feature = "history")]
                    let why = crate::history::History::embedded()
                        .change(change as usize)
                        .map_or_else(String::new, |c| format!(" ({c})"));
                    #[cfg(not(feature = "history"))]
                    let why = {
                        let _ = change;
                        String::new()
                    };
                    write!(f, "place {} is superseded by {}{why}", place + 1, unit(u))?
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
                Step::MinimumLevel { level: l, source } => match source {
                    LevelSource::Category => {
                        write!(f, "the category requires {} level or above", level(l))?
                    }
                    LevelSource::Severity(s) => {
                        let grade = policy
                            .and_then(|p| p.severities.get(s as usize))
                            .map_or("?", |g| g.0.as_str());
                        write!(f, "severity {grade} requires {} level or above", level(l))?
                    }
                    LevelSource::Scale(people) => write!(
                        f,
                        "{people} or more people affected requires {} level or above",
                        level(l)
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
                Step::BelowMinimumLevel { unit: u, required } => {
                    let at = h.get(u).map_or("?".to_owned(), |x| level(x.level()));
                    write!(
                        f,
                        "{} is at {at} level, below the required {}",
                        unit(u),
                        level(required)
                    )?
                }
                Step::Handler { unit: u } => {
                    let (kind, tiers) = h.get(u).map_or(("?", 0), |x| (x.kind().name(), x.tiers()));
                    let at = h.get(u).map_or("?".to_owned(), |x| level(x.level()));
                    write!(
                        f,
                        "{} ({kind}, {at} level, tier count {tiers}) handles the case",
                        unit(u)
                    )?
                }
            }
        }
        Ok(())
    }
}

/// Routes cases on one hierarchy under a swappable policy.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use xzqh::routing::{Case, Place, Router};
/// let h = Arc::new(xzqh::sample::small_china());
/// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
/// // 仙桃 and 潜江 are both directly under 湖北: the case goes straight to the province.
/// let places = [Place::Code("429004100"), Place::Code("429004")];
/// let d = router.route(&Case::new(&places, "environment"))?;
/// assert_eq!(h.get(d.handler()).unwrap().code(), "429004");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// `H` is how the router holds its hierarchy: `&'static Hierarchy` for
/// [`china()`](crate::china()), or `Arc<Hierarchy>` (the default) for one you
/// built or loaded. It must be `Clone` because the router's address resolver
/// (for [`Place::Text`]) holds a handle of its own.
///
/// ```
/// use xzqh::routing::{china_policy, Case, Place, Router};
/// let router = Router::new(xzqh::china(), china_policy())?;
/// let places = [Place::Code("429004"), Place::Code("429005")]; // 仙桃, 潜江
/// let d = router.route(&Case::new(&places, "environment"))?;
/// assert_eq!(router.hierarchy().get(d.handler()).unwrap().name(), "湖北省");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Router<H: Borrow<Hierarchy> + Clone = Arc<Hierarchy>> {
    hierarchy: H,
    policy: RwLock<Arc<CompiledPolicy>>,
    /// Built on the first text place.
    addresses: OnceLock<AddressResolver<H>>,
}

impl<H: Borrow<Hierarchy> + Clone> Router<H> {
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
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = xzqh::routing::Router::new(h, xzqh::routing::china_policy())?;
    /// assert_eq!(router.policy().name(), "china-default");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(hierarchy: H, policy: Policy) -> Result<Router<H>, PolicyError> {
        let compiled = CompiledPolicy::compile(policy, hierarchy.borrow())?;
        Ok(Router {
            hierarchy,
            policy: RwLock::new(Arc::new(compiled)),
            addresses: OnceLock::new(),
        })
    }

    /// The hierarchy cases are routed on.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = xzqh::routing::Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// assert_eq!(router.hierarchy().len(), h.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hierarchy(&self) -> &Hierarchy {
        self.hierarchy.borrow()
    }

    /// The address resolver that reads [`Place::Text`] places, built on
    /// first use (about 0.1 s for China's township-level data), or, on the
    /// embedded data, sharing the names of
    /// [`china::addresses()`](crate::china::addresses()).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = xzqh::routing::Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// let r = router.addresses().resolve("深圳南山区");
    /// assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "440305");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn addresses(&self) -> &AddressResolver<H> {
        self.addresses.get_or_init(|| {
            // On the embedded data, the cached resolver's names.
            if let Some(shared) = crate::china::shared_for(self.hierarchy()) {
                return shared.share(self.hierarchy.clone());
            }
            // China's old names (莱芜市) read as today's units, as in
            // `china::addresses()`.
            crate::china::with_old_names(self.hierarchy.clone())
        })
    }

    /// The policy in force now.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = xzqh::routing::Router::new(h, xzqh::routing::china_policy())?;
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
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h, xzqh::routing::china_policy())?;
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
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// let places = [Place::Code("441900121")];
    /// let d = router.route(&Case::new(&places, "labour_dispute"))?;
    /// assert_eq!(h.get(d.handler()).unwrap().code(), "4419"); // 东莞: no county tier
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route(&self, case: &Case<'_>) -> Result<Decision, RouteError> {
        let mut d = Decision::new();
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
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h.clone(), xzqh::routing::china_policy())?;
    /// let mut d = Decision::new();
    /// for code in ["110105021", "110118101"] {
    ///     let places = [Place::Code(code)];
    ///     router.route_into(&Case::new(&places, "public_complaint"), &mut d)?;
    ///     assert_eq!(h.get(d.handler()).unwrap().code(), code);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route_into(&self, case: &Case<'_>, decision: &mut Decision) -> Result<(), RouteError> {
        let policy = self.policy();
        route_with(self.hierarchy(), &policy, case, decision, &|t| self.text(t))?;
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
    /// let h = std::sync::Arc::new(xzqh::sample::small_china());
    /// let router = Router::new(h, xzqh::routing::china_policy())?;
    /// let a = [Place::Code("110105")];
    /// let b = [Place::Code("nowhere")];
    /// let out = router.route_batch(&[Case::new(&a, "petition"), Case::new(&b, "petition")]);
    /// assert!(out[0].is_ok() && out[1].is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route_batch(&self, cases: &[Case<'_>]) -> Vec<Result<Decision, RouteError>> {
        let policy = self.policy();
        cases
            .iter()
            .map(|case| {
                let mut d = Decision::new();
                route_with(self.hierarchy(), &policy, case, &mut d, &|t| self.text(t))?;
                d.policy = Some(policy.clone());
                Ok(d)
            })
            .collect()
    }
}

impl<H: Borrow<Hierarchy> + Clone> Router<H> {
    /// Reads a text place: the unit, or why not.
    fn text(&self, text: &str) -> Result<u32, RouteError> {
        let h = self.hierarchy();
        match self.addresses().resolve(text).outcome {
            Outcome::Resolved(u) => Ok(u.get()),
            Outcome::Ambiguous(candidates) => Err(RouteError::AmbiguousPlace {
                place: text.to_owned(),
                candidates: candidates
                    .iter()
                    .filter_map(|c| h.get(c.unit))
                    .map(|u| (u.code().to_owned(), u.name().to_owned()))
                    .collect(),
            }),
            Outcome::NotFound => Err(RouteError::UnknownPlace {
                place: text.to_owned(),
            }),
        }
    }
}

/// Reads a text place (see [`Router::text`]).
type TextReader<'r> = dyn Fn(&str) -> Result<u32, RouteError> + 'r;

/// Appends a place's units to `out`: by id; by exact code; for China, by
/// any code form ([`ChinaCode`](crate::china::ChinaCode): `110000` is 11);
/// text through the router's address resolver; then, with the `history`
/// feature, a superseded code's successors (one
/// [`Step::Superseded`] each). A split unit's place stands for all its parts:
/// its old area is their union, so the case goes to what covers them all,
/// never to one part picked silently.
fn resolve(
    h: &Hierarchy,
    index: usize,
    place: &Place<'_>,
    text: &TextReader<'_>,
    out: &mut Vec<UnitId>,
    trace: &mut Vec<Step>,
) -> Result<(), RouteError> {
    let code = match *place {
        Place::Id(id) => {
            out.push(h.get(id).ok_or_else(|| unknown(place))?.id());
            return Ok(());
        }
        Place::Text(t) => {
            let unit = UnitId::new(text(t)?);
            out.push(unit);
            trace.push(Step::ResolvedText {
                place: index as u32,
                unit,
            });
            return Ok(());
        }
        Place::Code(code) => code,
    };
    let found = h.by_code(code).or_else(|| {
        (h.schema().name() == "china")
            .then(|| code.parse::<crate::china::ChinaCode>().ok())
            .flatten()
            .and_then(|c| h.by_china_code(c))
    });
    if let Some(u) = found {
        out.push(u.id());
        return Ok(());
    }
    superseded(h, index, place, code, out, trace)
}

fn unknown(place: &Place<'_>) -> RouteError {
    RouteError::UnknownPlace {
        place: place.to_string(),
    }
}

#[cfg(feature = "history")]
fn superseded(
    h: &Hierarchy,
    index: usize,
    place: &Place<'_>,
    code: &str,
    out: &mut Vec<UnitId>,
    trace: &mut Vec<Step>,
) -> Result<(), RouteError> {
    if h.schema().name() != "china" {
        return Err(unknown(place));
    }
    let history = crate::history::History::embedded();
    let r = history.current(code, h).map_err(|_| unknown(place))?;
    let Some(last) = r.changes().last() else {
        // Current, or a code the tree lacks for another reason: not ours to map.
        return Err(unknown(place));
    };
    let before = out.len();
    for u in r.units() {
        out.push(u.id());
        trace.push(Step::Superseded {
            place: index as u32,
            unit: u.id(),
            change: last.id,
        });
    }
    if out.len() == before {
        return Err(unknown(place));
    }
    Ok(())
}

#[cfg(not(feature = "history"))]
fn superseded(
    _: &Hierarchy,
    _: usize,
    place: &Place<'_>,
    _: &str,
    _: &mut Vec<UnitId>,
    _: &mut Vec<Step>,
) -> Result<(), RouteError> {
    Err(unknown(place))
}

/// The routing rule; see the module docs.
fn route_with(
    h: &Hierarchy,
    policy: &CompiledPolicy,
    case: &Case<'_>,
    d: &mut Decision,
    text: &TextReader<'_>,
) -> Result<(), RouteError> {
    d.clear();
    if case.places.is_empty() {
        return Err(RouteError::NoPlaces);
    }
    let category = policy
        .category(case.category)
        .map(|c| &policy.categories[c])
        .ok_or_else(|| RouteError::UnknownCategory {
            category: case.category.to_owned(),
        })?;
    let severity = match case.severity {
        Some(s) => Some(
            policy
                .severity(s)
                .ok_or_else(|| RouteError::UnknownSeverity {
                    severity: s.to_owned(),
                })?,
        ),
        None => None,
    };

    // 1. The lowest common ancestor of a set is that of its first and last
    // units in pre-order.
    let (mut lo, mut hi) = (u32::MAX, 0u32);
    for (k, place) in case.places.iter().enumerate() {
        resolve(h, k, place, text, &mut d.places, &mut d.trace)?;
    }
    for id in &d.places {
        lo = lo.min(id.get());
        hi = hi.max(id.get());
    }
    let start = h.lca_span(lo, hi);
    d.start = start;
    d.trace.push(Step::CommonAncestor {
        unit: UnitId::new(start),
        places: case.places.len() as u32,
    });

    // 2. The minimum level: the most senior of the constraints.
    let mut required: Option<Level> = None;
    let mut demand = |level: Level, source: LevelSource, d: &mut Decision| {
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
        let step = if category.roles & role_bit(kind.role()) == 0 {
            Some(Step::RoleNotAllowed {
                unit: UnitId::new(u),
                role: kind.role(),
            })
        } else if let Some(r) = required.filter(|r| kind.level() > *r) {
            Some(Step::BelowMinimumLevel {
                unit: UnitId::new(u),
                required: r,
            })
        } else {
            let missing = category.needs & !policy.competences_of(h, u);
            (missing != 0).then(|| Step::LacksCompetence {
                unit: UnitId::new(u),
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
                        category: case.category.to_owned(),
                    });
                }
            }
            None => break,
        }
    }
    d.handler = u;
    d.level = Some(h.kind_def(u).level());
    d.tiers = h.tier_and_levels(u).0;
    d.trace.push(Step::Handler {
        unit: UnitId::new(u),
    });

    // 4. Escalation chain and parties.
    let mut p = h.parent[u as usize];
    while p != NONE {
        if h.role_raw(p) == Role::Government {
            d.escalation.push(UnitId::new(p));
        }
        p = h.parent[p as usize];
    }
    for k in 0..d.places.len() {
        let mut x = d.places[k].get();
        if x == u {
            continue;
        }
        while h.parent[x as usize] != u {
            x = h.parent[x as usize];
        }
        let id = UnitId::new(x);
        if let Err(at) = d.parties.binary_search(&id) {
            d.parties.insert(at, id);
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
        check::<super::Decision>();
    }
}
