//! Administrative divisions (行政区划) as a typed hierarchy on petgraph.
//!
//! ```
//! let h = xzqh::sample::small_china();
//! let town = h.by_code("654201200").unwrap();
//! assert_eq!(town.tiers(), 4);
//! ```
//!
//! Crate feature `history` (default): [`history`], the MCA code history
//! 1981–2025 (old codes and names to today's units, as-of-year views).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod assemble;
mod builder;
pub mod china;
mod hierarchy;
#[cfg(feature = "history")]
pub mod history;
mod index;
mod iter;
mod relation;
pub mod sample;
mod schema;
mod tiers;

pub use builder::{BuildError, BuildLimits, HierarchyBuilder, KindRef};
pub use hierarchy::{Graph, Hierarchy, Unit, UnitId};
pub use iter::{Ancestors, Children, Descendants, Relations, UnitsIter};
pub use relation::Relation;
pub use schema::{
    Designation, Designations, KindDef, KindId, Level, Role, Schema, SchemaBuilder, SchemaError,
    MAX_DESIGNATIONS,
};
pub use tiers::TierBreakdown;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
