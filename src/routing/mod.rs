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

mod case;
mod compiled;
mod decision;
mod policy;
mod router;
mod trace;

pub use case::{Case, Place};
pub use compiled::{CompiledPolicy, MAX_COMPETENCES, PolicyError};
pub use decision::{Decision, LevelSource, RouteError, Step};
pub use policy::{CategoryDef, CompetenceDef, Policy, ScaleDef, SeverityDef};
pub use router::Router;
pub use trace::Trace;
