//! Issue routing: send each case to the right level, with a reason for every step.
//!
//! A [`Router`] holds one hierarchy and a policy; [`Router::route`] takes a
//! [`Case`] (where, what kind, how severe, how many people) and answers a
//! [`Decision`]: the unit that must handle the case, the governments above
//! it, the units to coordinate, and the trace of [`Step`]s that led there.
//!
//! ```
//! use xzqh::routing::{Case, Place, Router};
//!
//! let router = Router::new(xzqh::china(), xzqh::china::policy())?;
//! // Legislation in 塔城市 climbs past the agency 塔城地区 to 伊犁.
//! let places = [Place::Text("新疆塔城市")];
//! let d = router.route(&Case::new(&places, "local_legislation"))?;
//! assert_eq!(d.handler().name(), "伊犁哈萨克自治州");
//! assert_eq!(d.start().code(), "654201");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The engine knows no country: a schema, a hierarchy and a policy of your
//! own route the same way. Here a two-tier English county, where highways
//! belong to the county council and bins to the district councils:
//!
//! ```
//! use std::sync::Arc;
//! use xzqh::routing::{Case, CategoryDef, CompetenceDef, Place, Policy, Router};
//! use xzqh::{Hierarchy, Role, Schema};
//!
//! let schema = Schema::builder("england")
//!     .level("country")
//!     .level("county")
//!     .level("district")
//!     .kind("country", "Country", "country", Role::Government)
//!     .kind("county_council", "County council", "county", Role::Government)
//!     .kind("district_council", "District council", "district", Role::Government)
//!     .build()?;
//! let h = Hierarchy::builder(Arc::new(schema))
//!     .unit("E92000001", "England", "country", None)
//!     .unit("E10000003", "Cambridgeshire", "county_council", Some("E92000001"))
//!     .unit("E07000008", "Cambridge", "district_council", Some("E10000003"))
//!     .unit("E07000012", "South Cambridgeshire", "district_council", Some("E10000003"))
//!     .build()?;
//! let mut policy = Policy::new("two-tier");
//! policy.competences.push(CompetenceDef::new("highways").kinds(["county_council"]));
//! policy.categories.push(CategoryDef::new("pothole").competences(["highways"]));
//! policy.categories.push(CategoryDef::new("missed_bin"));
//! let router = Router::new(Arc::new(h), policy)?;
//!
//! let cambridge = [Place::Code("E07000008")];
//! let d = router.route(&Case::new(&cambridge, "missed_bin"))?;
//! assert_eq!(d.handler().name(), "Cambridge");
//! let d = router.route(&Case::new(&cambridge, "pothole"))?;
//! assert_eq!(d.handler().name(), "Cambridgeshire");
//! assert_eq!(
//!     d.explain().to_string(),
//!     "the case is located in E07000008 Cambridge\n\
//!      E07000008 Cambridge lacks competence highways\n\
//!      E10000003 Cambridgeshire (county_council, county level, tier count 1) handles the case"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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
//! 3. returns the handler (a [`Unit`](crate::Unit), with its level and tier
//!    count), the escalation chain (the governments above it up to the
//!    root), the parties (the units directly below the handler through which
//!    the affected places are reached: for a cross-area case, those to
//!    coordinate), and a trace with one typed [`Step`] per decision.
//!
//! Placeholders never exist as units, so they never handle. Policies are
//! data ([`Policy`], loadable from TOML or JSON with the `serde` feature) and
//! are checked against the hierarchy before use ([`CompiledPolicy`]).
//!
//! # Places
//!
//! A [`Place`] is read through the hierarchy's profile: a code in any form
//! the profile knows ([`Hierarchy::by_code`]: `110105`, `110105000000`,
//! `110000` for China), free text through the hierarchy's address reader
//! ([`Hierarchy::addresses`]; an ambiguous text is an error listing the
//! candidates, never a guess), and a code the hierarchy no longer has
//! through the profile's code history ([`Hierarchy::successions`]), one
//! [`Step::Superseded`] per successor. A split unit stands for all its
//! parts, so the case goes to what covers them all.
//!
//! [`Hierarchy::by_code`]: crate::Hierarchy::by_code
//! [`Hierarchy::addresses`]: crate::Hierarchy::addresses
//! [`Hierarchy::successions`]: crate::Hierarchy::successions
//!
//! A [`RouteError`] quotes input as a bounded excerpt that states the
//! input's length: a megabyte of place code, category or severity gives a
//! short message, not a megabyte.
//!
//! # Sharing and swapping
//!
//! A [`Router`] is `Send + Sync`: share one behind an `Arc` across threads.
//! [`Router::set_policy`] validates a new policy first and then swaps it in;
//! cases already being routed finish with the policy they started with, and
//! no call waits on routing. A [`Decision`] reused with
//! [`Router::route_into`] keeps the policy it was routed with and, while
//! that policy stays in force, routes without taking the router's lock.

mod case;
mod compiled;
mod decision;
mod policy;
mod router;
mod trace;

pub use case::{Case, Place};
pub(crate) use compiled::role_bit;
pub use compiled::{CompiledPolicy, MAX_COMPETENCES, PolicyError};
pub use decision::{Decision, LevelSource, RouteError, Step};
pub use policy::{CategoryDef, CompetenceDef, Policy, PolicyLimits, ScaleDef, SeverityDef};
pub use router::Router;
pub use trace::Trace;
// The matters ledger's hooks: read places and check a unit as the router does.
pub(crate) use compiled::Mask;
pub(crate) use router::{may_handle, read_places};
