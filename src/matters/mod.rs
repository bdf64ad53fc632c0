//! Matters over time: cases that belong together, and the level that must
//! carry them as they spread.
//!
//! A hotline sees cases (one call, one ticket); governance acts on matters:
//! the unpaid wages of one construction site, one collapsing lending
//! platform, reported by many people from many places over days. A
//! [`Ledger`] takes events (a case arrives with a matter key the caller
//! chooses, is accepted, resolved, reopened; a matter is closed or handed
//! down; the clock ticks) and keeps, for every matter, the unit that must
//! handle it, raising it as the matter grows and recording why.
//!
//! ```
//! use xzqh::matters::{Arrival, Ledger, Rule};
//! use xzqh::routing::{Place, Router};
//!
//! let router = Router::new(xzqh::china(), xzqh::china::policy())?;
//! let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
//! // One lending platform, reported from a township of 朝阳区, then from 密云区.
//! let a = [Place::Code("110105021")];
//! let b = [Place::Code("110118101")];
//! ledger.arrive(Arrival::new("c1", "p2p-x", "petition", &a, 0).people(40))?;
//! assert_eq!(ledger.matter("p2p-x").unwrap().handler().name(), "朝阳区");
//! ledger.arrive(Arrival::new("c2", "p2p-x", "petition", &b, 3_600).people(25))?;
//! let m = ledger.matter("p2p-x").unwrap();
//! assert_eq!(m.handler().name(), "北京市");
//! assert_eq!(m.escalations().next().unwrap().rule(), Rule::Spread);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What raises a matter
//!
//! - **Spread, severity, scale, category**: a matter's handler is what the
//!   [router](crate::routing) answers for the union of its places, its
//!   gravest grade and its people added up over its cases (and every
//!   category among its cases): the lowest unit covering every place that
//!   may handle it. Cases touching two counties of one districted city
//!   take the matter to the city; two provinces, to the State. It is
//!   recomputed incrementally: the covering unit of a set of places joined
//!   with a new place is one LCA step (pre-order ids make the LCA of a set
//!   that of its extremes), and the climb runs only when the start or the
//!   needs change. Spread counts every place over the matter's open life,
//!   or, with a [`Spread`] window in the rules, the places seen within
//!   the window (amortised O(1) per place: the least and greatest place
//!   ids in the window, kept by two monotone queues).
//! - **Burst** ([`Burst`]): N cases of one matter within a window raise it
//!   one tier, even inside one township: a sign of a group incident
//!   brewing. The tier is counted from what the places and needs alone
//!   demand, so bursts do not stack (sixty calls in a morning are one
//!   crowd, not six); the N cases that fired count once. A category may
//!   have its own burst (`category_bursts`), in place of the default for
//!   the matters of that category (a matter's category is its first
//!   case's).
//! - **Repetition** ([`Repetition`]): a case reopened k times goes to the
//!   tier above, as supervision (督办): the lower level failed.
//! - **Time** ([`Deadline`]): per category and grade, a case must be
//!   accepted (签收) and resolved (办结) within a limit, in hours or in
//!   working days of a [`Calendar`]; each expired limit raises the matter
//!   one tier.
//!
//! "One tier" is the first unit above the handler that may handle the
//! matter (an agency or a unit below a demanded level is passed over). A
//! matter at the root stays there. Handlers never go down on their own;
//! [`Event::Deescalate`] hands a matter down explicitly, to a unit that
//! still covers every place and may handle it.
//!
//! # Time
//!
//! Time comes only from the events ([`Timestamp`]s, seconds since the Unix
//! epoch) and [`Ledger::tick`], never from the wall clock, so replaying a
//! log gives the same state and the same escalations. Every event first
//! runs the clock to its time, expiring the deadlines due by then in time
//! order. An event dated before the ledger's clock within the rules'
//! `tolerance_seconds` counts as happening now; further back it is
//! [`LedgerError::TimeBackwards`].
//!
//! # Roll-ups
//!
//! [`Ledger::counts`] and [`Ledger::breakdown`] give the open matters (at
//! their handler), open cases and overdue cases (at their first place) of
//! a unit's whole area, by category and grade, kept up to date in O(depth)
//! per event; [`Ledger::treemap`] draws a unit's children as an SVG
//! treemap sized by open cases.
//!
//! # Errors
//!
//! [`RulesError`] for rules that are out of range or name what the routing
//! policy lacks; [`LedgerError`] for an event the ledger refuses (unknown
//! matter or case, a case id seen before, a time too far back, a place,
//! category or grade the router cannot read, a transition the case's state
//! does not allow). A refused event leaves the ledger unchanged.

mod calendar;
mod deadlines;
mod error;
mod escalation;
mod event;
mod index;
mod ledger;
mod query;
mod rollup;
mod rules;
#[cfg(feature = "serde")]
mod snapshot;
mod state;
mod svg;

pub use calendar::{Calendar, MAX_CALENDAR_DAYS};
pub use error::LedgerError;
pub use escalation::{Escalation, Explain, Rule};
pub use event::{Arrival, Event, EventRecord, PlaceRecord, Timestamp};
pub use ledger::Ledger;
pub use query::{Breakdown, CaseEntry, Matter};
pub use rollup::Counts;
pub use rules::{Burst, Deadline, MatterRules, Repetition, RulesError, Spread, Within};
