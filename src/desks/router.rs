//! From a level to a desk: the [`DeskRouter`] routes a case with the level
//! router, then finds the lead body and the co-handlers.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use thiserror::Error;

use crate::desks::catalog::{BodyKind, DeskPolicy, Fallback, MAX_BODY_KINDS, standard_bodies};
use crate::desks::directory::{Directory, DirectoryEntry};
use crate::exchange::load::excerpt;
use crate::model::hierarchy::{Hierarchy, NONE};
use crate::model::unit::Unit;
use crate::routing::{Case, CompiledPolicy, Decision, Policy, PolicyError, RouteError, Router};

/// Why a desk policy, a directory or a case could not be used.
///
/// # Examples
///
/// ```
/// use xzqh::desks::{DeskError, DeskPolicy, DeskRouter, Directory};
/// let p = DeskPolicy::new("empty", "office"); // "office" is not declared
/// let err = DeskRouter::new(xzqh::china(), xzqh::china::policy(), p, Directory::new()).unwrap_err();
/// assert_eq!(err.to_string(), "general_office: unknown body kind `office`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DeskError {
    /// The routing policy does not fit the hierarchy.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// The case could not be routed to a level.
    #[error(transparent)]
    Route(#[from] RouteError),
    /// A name the desk policy or the directory uses that the hierarchy,
    /// the routing policy or the desk policy does not have.
    #[error("{field}: unknown {what} `{name}`")]
    Unknown {
        /// Where, as a path (`rules[2].lead`, `directory[7].unit`).
        field: String,
        /// What kind of name: `body kind`, `kind`, `level`, `category`, `unit`.
        what: &'static str,
        /// The name (a bounded excerpt).
        name: String,
    },
    /// Two body kinds or two rules share a name.
    #[error("{field}: duplicate `{name}`")]
    Duplicate {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// More body kinds than a desk policy can hold.
    #[error("bodies: at most {max} body kinds are supported")]
    TooManyBodyKinds {
        /// The limit.
        max: usize,
    },
}

/// A handling body of a unit: a department, office or committee.
///
/// # Examples
///
/// ```
/// use xzqh::desks::DeskRouter;
/// use xzqh::routing::{Case, Place};
/// let router = DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), Default::default())?;
/// let places = [Place::Code("440305007")]; // 粤海街道, 深圳南山区
/// let desk = router.route(&Case::new(&places, "urban_management"))?;
/// assert_eq!(desk.lead().unit().name(), "南山区");
/// assert_eq!(desk.lead().name(), "南山区城市管理局");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    unit: Unit<'a>,
    kind: &'a BodyKind,
    entry: Option<&'a DirectoryEntry>,
}

impl<'a> Body<'a> {
    /// The unit whose body this is.
    ///
    /// # Examples
    ///
    /// See [`Body`].
    pub fn unit(&self) -> Unit<'a> {
        self.unit
    }

    /// The body's kind.
    ///
    /// # Examples
    ///
    /// See [`Desk::co_handlers`].
    pub fn kind(&self) -> &'a BodyKind {
        self.kind
    }

    /// The directory entry for the body, if the directory has one.
    ///
    /// # Examples
    ///
    /// See [`DeskRouter::new`].
    pub fn entry(&self) -> Option<&'a DirectoryEntry> {
        self.entry
    }

    /// The body's name: the directory's, or the unit's name followed by the
    /// kind's label (a space between two Latin words: "Cambridgeshire
    /// Highways"; none in Chinese: 南山区城市管理局).
    ///
    /// # Examples
    ///
    /// See [`Body`].
    pub fn name(&self) -> String {
        if let Some(e) = self.entry.filter(|e| !e.name.is_empty()) {
            return e.name.clone();
        }
        let unit = self.unit.name();
        let label = &self.kind.label;
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if latin(unit.chars().last()) && latin(label.chars().next()) {
            format!("{unit} {label}")
        } else {
            format!("{unit}{label}")
        }
    }
}

impl PartialEq for Body<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.unit == other.unit && std::ptr::eq(self.kind, other.kind)
    }
}

impl fmt::Display for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} {})",
            self.name(),
            self.unit.code(),
            self.kind.name
        )
    }
}

/// One decision of the desk layer, after the level router's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum DeskStep<'a> {
    /// The category has no desk rule: the handler's general office leads.
    NoRule,
    /// The handler has the lead body.
    LeadAtHandler {
        /// The lead body.
        body: Body<'a>,
    },
    /// The handler lacks the lead body kind; the nearest unit above that
    /// has it and may handle the category leads.
    LeadAbove {
        /// The unit that lacked it.
        handler: Unit<'a>,
        /// The lead body.
        body: Body<'a>,
    },
    /// The handler lacks the lead body kind and the rule falls back (or no
    /// unit above has it): the handler's general office leads.
    GeneralOffice {
        /// The lead body.
        body: Body<'a>,
    },
    /// A co-handling body.
    CoHandler {
        /// The body.
        body: Body<'a>,
    },
    /// A co-handling body kind the handler lacks: skipped.
    CoHandlerMissing {
        /// The handler.
        handler: Unit<'a>,
        /// The kind it lacks.
        kind: &'a BodyKind,
    },
}

/// Where a case goes, down to the desk: the level router's [`Decision`],
/// the lead body (主办) and the co-handlers (协办), and why.
///
/// # Examples
///
/// ```
/// use xzqh::desks::DeskRouter;
/// use xzqh::routing::{Case, Place};
/// let router = DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), Default::default())?;
/// // Pollution across two districts of 深圳 goes to the city's bureau.
/// let places = [Place::Code("440305"), Place::Code("440304")];
/// let desk = router.route(&Case::new(&places, "environment"))?;
/// assert_eq!(desk.decision().handler().name(), "深圳市");
/// assert_eq!(desk.lead().name(), "深圳市生态环境局");
/// println!("{}", desk.explain());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Desk<'a> {
    decision: Decision<'a>,
    lead: Body<'a>,
    co: Vec<Body<'a>>,
    steps: Vec<DeskStep<'a>>,
}

impl<'a> Desk<'a> {
    /// The level router's decision (handler unit, escalation, trace).
    ///
    /// # Examples
    ///
    /// See [`Desk`].
    pub fn decision(&self) -> &Decision<'a> {
        &self.decision
    }

    /// The lead body.
    ///
    /// # Examples
    ///
    /// See [`Desk`].
    pub fn lead(&self) -> Body<'a> {
        self.lead
    }

    /// The co-handling bodies, in the rule's order.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::desks::DeskRouter;
    /// use xzqh::routing::{Case, Place};
    /// let router = DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), Default::default())?;
    /// let places = [Place::Code("440305007")]; // a noise complaint in 粤海街道
    /// let desk = router.route(&Case::new(&places, "urban_management"))?;
    /// let co: Vec<_> = desk.co_handlers().iter().map(|b| (b.unit().name(), b.kind().name.as_str())).collect();
    /// assert_eq!(co, [("粤海街道", "general_office")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn co_handlers(&self) -> &[Body<'a>] {
        &self.co
    }

    /// The desk layer's steps, after the decision's trace.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::desks::{DeskRouter, DeskStep};
    /// use xzqh::routing::{Case, Place};
    /// let router = DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), Default::default())?;
    /// let places = [Place::Code("440281")]; // 乐昌市, a county-level city
    /// let desk = router.route(&Case::new(&places, "environment"))?;
    /// assert!(matches!(desk.steps()[0], DeskStep::LeadAbove { .. }));
    /// assert_eq!(desk.lead().name(), "韶关市生态环境局");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn steps(&self) -> &[DeskStep<'a>] {
        &self.steps
    }

    /// The decision's trace and the desk steps as text, one line each.
    ///
    /// # Examples
    ///
    /// See [`Desk`].
    pub fn explain(&self) -> String {
        let mut out = self.decision.explain().to_string();
        for step in &self.steps {
            out.push('\n');
            match step {
                DeskStep::NoRule => out
                    .push_str("the category has no desk rule: the handler's general office leads"),
                DeskStep::LeadAtHandler { body } => {
                    out.push_str(&format!("{body} leads"));
                }
                DeskStep::LeadAbove { handler, body } => out.push_str(&format!(
                    "{} {} has no {}: {body} leads",
                    handler.code(),
                    handler.name(),
                    body.kind.name
                )),
                DeskStep::GeneralOffice { body } => {
                    out.push_str(&format!("{body}, the general office, leads"));
                }
                DeskStep::CoHandler { body } => {
                    out.push_str(&format!("{body} co-handles"));
                }
                DeskStep::CoHandlerMissing { handler, kind } => out.push_str(&format!(
                    "{} {} has no {}: no co-handler of that kind",
                    handler.code(),
                    handler.name(),
                    kind.name
                )),
            }
        }
        out
    }
}

/// A desk rule compiled to body-kind indexes.
#[derive(Debug, Clone)]
struct Rule {
    lead: u8,
    co: Vec<u8>,
    fallback: Fallback,
}

/// Routes cases to a level with a [`Router`], then to bodies: the lead
/// body of the category's rule at the handler unit (or, when it lacks one,
/// above it or at its general office, as the rule says) and the
/// co-handlers. Bodies are the standard kinds of each unit's kind or level,
/// adjusted unit by unit by a [`Directory`].
///
/// # Examples
///
/// ```
/// use xzqh::desks::{DeskRouter, Directory, DirectoryEntry};
/// use xzqh::routing::{Case, Place};
/// let directory = Directory::new().entry(
///     DirectoryEntry::new("440305", "urban_management")
///         .name("南山区城市管理和综合执法局")
///         .phone("0755-12319"),
/// );
/// let router = DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), directory)?;
/// let places = [Place::Code("440305007")];
/// let desk = router.route(&Case::new(&places, "urban_management"))?;
/// assert_eq!(desk.lead().name(), "南山区城市管理和综合执法局");
/// assert_eq!(desk.lead().entry().and_then(|e| e.phone.as_deref()), Some("0755-12319"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct DeskRouter<H: Borrow<Hierarchy> = Arc<Hierarchy>> {
    router: Router<H>,
    desks: DeskPolicy,
    /// Standard body kinds per unit kind (bit sets).
    standard: Vec<u64>,
    /// Directory adjustments sorted by (unit, body kind): the entry index.
    adjusted: Vec<(u32, u8, u32)>,
    entries: Vec<DirectoryEntry>,
    rules: HashMap<String, Rule>,
    general_office: u8,
}

impl<H: Borrow<Hierarchy>> DeskRouter<H> {
    /// A desk router on `hierarchy` under the routing `policy` and the desk
    /// policy `desks`, with the `directory` of bodies.
    ///
    /// # Errors
    ///
    /// [`DeskError::Policy`] if the routing policy does not fit the
    /// hierarchy; [`DeskError::Unknown`] for a body kind, unit kind, level,
    /// category or unit code that does not exist (with the field path);
    /// [`DeskError::Duplicate`] for two body kinds or rules of one name;
    /// [`DeskError::TooManyBodyKinds`] past [`MAX_BODY_KINDS`].
    ///
    /// # Examples
    ///
    /// See [`DeskRouter`].
    pub fn new(
        hierarchy: H,
        policy: Policy,
        desks: DeskPolicy,
        directory: Directory,
    ) -> Result<Self, DeskError> {
        let router = Router::new(hierarchy, policy)?;
        let h = router.hierarchy();
        if desks.bodies.len() > MAX_BODY_KINDS {
            return Err(DeskError::TooManyBodyKinds {
                max: MAX_BODY_KINDS,
            });
        }
        for (i, b) in desks.bodies.iter().enumerate() {
            if desks.bodies[..i].iter().any(|x| x.name == b.name) {
                return Err(DeskError::Duplicate {
                    field: format!("bodies[{i}].name"),
                    name: excerpt(&b.name),
                });
            }
        }
        let kind = |field: String, name: &str| {
            desks
                .kind_index(name)
                .map(|k| k as u8)
                .ok_or_else(|| DeskError::Unknown {
                    field,
                    what: "body kind",
                    name: excerpt(name),
                })
        };
        let general_office = kind("general_office".to_owned(), &desks.general_office)?;
        let standard = standard_bodies(&desks, h)?;
        let compiled = router.policy();
        let mut rules = HashMap::new();
        for (i, r) in desks.rules.iter().enumerate() {
            if compiled.category_names().all(|c| c != r.category) {
                return Err(DeskError::Unknown {
                    field: format!("rules[{i}].category"),
                    what: "category",
                    name: excerpt(&r.category),
                });
            }
            let lead = kind(format!("rules[{i}].lead"), &r.lead)?;
            let co =
                r.co.iter()
                    .enumerate()
                    .map(|(j, c)| kind(format!("rules[{i}].co[{j}]"), c))
                    .collect::<Result<Vec<u8>, _>>()?;
            let rule = Rule {
                lead,
                co,
                fallback: r.fallback,
            };
            if rules.insert(r.category.clone(), rule).is_some() {
                return Err(DeskError::Duplicate {
                    field: format!("rules[{i}].category"),
                    name: excerpt(&r.category),
                });
            }
        }
        let entries = directory.entries().to_vec();
        let mut adjusted = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let unit = h.by_code(&e.unit).ok_or_else(|| DeskError::Unknown {
                field: format!("directory[{i}].unit"),
                what: "unit",
                name: excerpt(&e.unit),
            })?;
            let k = kind(format!("directory[{i}].body"), &e.body)?;
            adjusted.push((unit.id().get(), k, i as u32));
        }
        // A later entry for the same unit and body replaces an earlier one.
        adjusted.sort_by_key(|&(u, k, i)| (u, k, std::cmp::Reverse(i)));
        adjusted.dedup_by_key(|&mut (u, k, _)| (u, k));
        Ok(DeskRouter {
            router,
            desks,
            standard,
            adjusted,
            entries,
            rules,
            general_office,
        })
    }

    /// The level router.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::desks::DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), Default::default())?;
    /// assert_eq!(r.router().policy().name(), "china-default");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn router(&self) -> &Router<H> {
        &self.router
    }

    /// The desk policy.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::desks::DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), Default::default())?;
    /// assert_eq!(r.desk_policy().name, "china-default");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn desk_policy(&self) -> &DeskPolicy {
        &self.desks
    }

    /// Whether unit `u` has a body of kind `k`: its directory entry says
    /// so, else its kind's standard bodies; and which entry describes it.
    fn has(&self, h: &Hierarchy, u: u32, k: u8) -> (bool, Option<&DirectoryEntry>) {
        if let Ok(i) = self
            .adjusted
            .binary_search_by_key(&(u, k), |&(a, b, _)| (a, b))
        {
            let e = &self.entries[self.adjusted[i].2 as usize];
            return (e.present, Some(e));
        }
        (
            self.standard[h.kind[u as usize] as usize] >> k & 1 == 1,
            None,
        )
    }

    /// Unit `u`'s body of kind `k`, if it has one.
    fn body<'s>(&'s self, h: &'s Hierarchy, u: u32, k: u8) -> Option<Body<'s>> {
        let (present, entry) = self.has(h, u, k);
        present.then(|| Body {
            unit: Unit { h, id: u },
            kind: &self.desks.bodies[k as usize],
            entry,
        })
    }

    /// The bodies unit `unit` has, in the desk policy's order.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::desks::DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), Default::default())?;
    /// let yuehai = xzqh::china().by_code("440305007").unwrap();
    /// let kinds: Vec<_> = r.bodies_of(yuehai).iter().map(|b| b.kind().name.clone()).collect();
    /// assert!(kinds.contains(&"comprehensive_enforcement".to_owned()));
    /// assert!(!kinds.contains(&"public_security".to_owned()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bodies_of(&self, unit: Unit<'_>) -> Vec<Body<'_>> {
        let h = self.router.hierarchy();
        if unit.id().index() >= h.len() {
            return Vec::new();
        }
        (0..self.desks.bodies.len() as u8)
            .filter_map(|k| self.body(h, unit.id().get(), k))
            .collect()
    }

    /// Routes a case to a level, then to its desk.
    ///
    /// # Errors
    ///
    /// [`DeskError::Route`] when the level router cannot route the case.
    ///
    /// # Examples
    ///
    /// See [`DeskRouter`] and [`Desk`].
    pub fn route(&self, case: &Case<'_>) -> Result<Desk<'_>, DeskError> {
        let decision = self.router.route(case)?;
        let h = self.router.hierarchy();
        let policy = self.router.policy();
        let handler = decision.handler().id().get();
        let mut steps = Vec::new();
        let office = |u: u32| {
            self.body(h, u, self.general_office).unwrap_or(Body {
                unit: Unit { h, id: u },
                kind: &self.desks.bodies[self.general_office as usize],
                entry: None,
            })
        };
        let Some(rule) = self.rules.get(case.category) else {
            steps.push(DeskStep::NoRule);
            return Ok(Desk {
                decision,
                lead: office(handler),
                co: Vec::new(),
                steps,
            });
        };
        let lead = if let Some(body) = self.body(h, handler, rule.lead) {
            steps.push(DeskStep::LeadAtHandler { body });
            body
        } else {
            let above = match rule.fallback {
                Fallback::LevelAbove => self.above(h, &policy, case.category, handler, rule.lead),
                Fallback::GeneralOffice => None,
            };
            match above {
                Some(body) => {
                    steps.push(DeskStep::LeadAbove {
                        handler: Unit { h, id: handler },
                        body,
                    });
                    body
                }
                None => {
                    let body = office(handler);
                    steps.push(DeskStep::GeneralOffice { body });
                    body
                }
            }
        };
        let mut co = Vec::with_capacity(rule.co.len());
        for &k in &rule.co {
            match self.body(h, handler, k) {
                Some(body) if body != lead => {
                    steps.push(DeskStep::CoHandler { body });
                    co.push(body);
                }
                Some(_) => {}
                None => steps.push(DeskStep::CoHandlerMissing {
                    handler: Unit { h, id: handler },
                    kind: &self.desks.bodies[k as usize],
                }),
            }
        }
        Ok(Desk {
            decision,
            lead,
            co,
            steps,
        })
    }

    /// The body of kind `k` of the nearest unit above `from` that has one
    /// and may handle `category` (its role is allowed and it holds the
    /// category's competences), so the lead body's unit governs every place
    /// the handler does and holds the category's powers.
    fn above<'s>(
        &'s self,
        h: &'s Hierarchy,
        policy: &CompiledPolicy,
        category: &str,
        from: u32,
        k: u8,
    ) -> Option<Body<'s>> {
        let c = &policy.categories[policy.category(category)?];
        let mut u = h.parent[from as usize];
        while u != NONE {
            let may = c.roles & crate::routing::role_bit(h.kind_def(u).role()) != 0
                && policy.missing(h, u, c.needs) == 0;
            if may && let Some(body) = self.body(h, u, k) {
                return Some(body);
            }
            u = h.parent[u as usize];
        }
        None
    }
}
