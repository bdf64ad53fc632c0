//! From a level to a desk: the handling bodies under each government, the
//! lead body (主办) and co-handlers (协办) of a case, and Open311 shapes.
//!
//! A hotline does not dispatch to "a district": it dispatches to the
//! district's urban management bureau, with the subdistrict office
//! co-handling. So a [`DeskRouter`] routes a case to a level with the
//! level router, then to bodies:
//!
//! - **Body kinds** ([`BodyKind`]) are data in a [`DeskPolicy`]: each kind
//!   says which kinds or levels of unit have it by default (China's county
//!   governments have 公安, 民政, 人力资源和社会保障, 生态环境…, townships
//!   their integrated offices, villages the committee itself; England's
//!   county councils highways and social care, district councils waste
//!   collection and planning).
//! - **A directory** ([`Directory`]) adds or removes bodies unit by unit and
//!   gives names and contacts; where it says nothing, a unit has its
//!   level's standard bodies.
//! - **A rule per category** ([`DeskRule`]): the lead body kind, the
//!   co-handling kinds, and what to do when the handler lacks the lead
//!   body ([`Fallback`]): take the body of the nearest unit above that has
//!   it and may handle the category (where a county's office is a branch of
//!   the city's bureau, the case lands on the city's desk), or the handler's
//!   general office.
//!
//! The level router's [`Decision`](crate::routing::Decision) stays inside
//! the answer ([`Desk::decision`]), so callers that want the level alone
//! lose nothing. The lead body's unit is the handler or a unit above it
//! that may handle the category, so it governs every place of the case and
//! holds the category's powers.
//!
//! ```
//! use xzqh::desks::DeskRouter;
//! use xzqh::routing::{Case, Place};
//! let router = DeskRouter::new(xzqh::china(), xzqh::china::policy(), xzqh::china::desks(), Default::default())?;
//! let places = [Place::Text("深圳市南山区粤海街道科技园路12号")];
//! let desk = router.route(&Case::new(&places, "urban_management"))?; // noise at night
//! assert_eq!(desk.decision().handler().name(), "粤海街道");
//! assert_eq!(desk.lead().name(), "南山区城市管理局");
//! assert_eq!(desk.co_handlers()[0].unit().name(), "粤海街道");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With the `serde` feature, [`open311`] has the Open311 GeoReport v2
//! shapes (services, requests, request states) a FixMyStreet-style front
//! end speaks, and desk policies and directories load from TOML or JSON.

mod catalog;
mod directory;
#[cfg(feature = "serde")]
pub mod open311;
mod router;

pub use catalog::{BodyKind, DeskPolicy, DeskRule, Fallback, MAX_BODY_KINDS};
pub use directory::{Directory, DirectoryEntry};
pub use router::{Body, Desk, DeskError, DeskRouter, DeskStep};
