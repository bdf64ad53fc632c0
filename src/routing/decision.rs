//! What the router answers: a [`Decision`] with one [`Step`] per choice, or
//! a [`RouteError`].

use std::sync::Arc;

use thiserror::Error;

use crate::model::hierarchy::Hierarchy;
use crate::model::iter::UnitsIter;
use crate::model::profile::ChangeId;
use crate::model::schema::{Level, Role};
use crate::model::unit::Unit;
use crate::routing::compiled::CompiledPolicy;
use crate::routing::trace::Trace;

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

/// What raised the minimum level of a case, in a [`Step::MinimumLevel`].
///
/// # Examples
///
/// ```
/// use xzqh::routing::{Case, LevelSource, Place, Router, Step};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let places = [Place::Code("440305007")]; // 粤海街道, 深圳
/// let d = router.route(&Case::new(&places, "public_complaint").people(20_000))?;
/// let sources: Vec<_> = d
///     .trace()
///     .iter()
///     .filter_map(|s| match s {
///         Step::MinimumLevel { source, .. } => Some(*source),
///         _ => None,
///     })
///     .collect();
/// assert_eq!(sources, [LevelSource::Category, LevelSource::Scale(10_000)]);
/// assert_eq!(d.handler().code(), "4403");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
///
/// # Examples
///
/// ```
/// use xzqh::routing::{Case, Place, Router, Step};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let places = [Place::Code("654201")]; // 塔城市
/// let d = router.route(&Case::new(&places, "local_legislation"))?;
/// let Step::LacksCompetence { unit, competence } = d.trace()[1] else {
///     panic!("塔城市 holds no legislative power");
/// };
/// assert_eq!(unit.name(), "塔城市");
/// let policy = d.policy().unwrap();
/// assert_eq!(policy.competence_name(competence.into()), Some("local_legislation"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
/// [`Router::route_into`]: crate::routing::Router::route_into
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
    pub(crate) h: &'h Hierarchy,
    pub(crate) handler: u32,
    pub(crate) start: u32,
    pub(crate) required: Option<Level>,
    pub(crate) escalation: Vec<u32>,
    pub(crate) parties: Vec<u32>,
    pub(crate) trace: Vec<Step<'h>>,
    pub(crate) places: Vec<u32>,
    pub(crate) policy: Option<Arc<CompiledPolicy>>,
    /// The router's serial for `policy` when a router put it here, else 0.
    pub(crate) serial: u64,
}

impl<'h> Decision<'h> {
    /// An empty decision on `hierarchy`, to route into with
    /// [`Router::route_into`]: until then its handler is the root and its
    /// trace is empty. A router rebinds a decision made on another
    /// hierarchy to its own.
    ///
    /// [`Router::route_into`]: crate::routing::Router::route_into
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
            serial: 0,
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
        Trace::new(self)
    }

    /// Forgets the last answer, keeping the buffers.
    pub(crate) fn clear(&mut self) {
        self.escalation.clear();
        self.parties.clear();
        self.trace.clear();
        self.places.clear();
        self.required = None;
        self.handler = 0;
        self.start = 0;
    }
}
