//! Administrative divisions (行政区划) as a typed hierarchy on petgraph.
//!
//! ```
//! let h = xzqh::sample::small_china();
//! let town = h.by_code("654201200").unwrap();
//! assert_eq!(town.tiers(), 4);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod assemble;
mod builder;
pub mod china;
mod csv;
mod hierarchy;
mod index;
mod iter;
mod load;
mod relation;
pub mod sample;
mod schema;
#[cfg(feature = "serde")]
mod snapshot;
mod tiers;

pub use builder::{BuildError, BuildLimits, HierarchyBuilder, KindRef};
pub use csv::{CsvImport, CsvRow};
pub use hierarchy::{Graph, Hierarchy, Unit, UnitId};
pub use iter::{Ancestors, Children, Descendants, Relations, UnitsIter};
pub use load::{LoadError, LoadLimits};
pub use relation::Relation;
pub use schema::{
    Designation, Designations, KindDef, KindId, Level, Role, Schema, SchemaBuilder, SchemaError,
    MAX_DESIGNATIONS,
};
#[cfg(feature = "serde")]
pub use snapshot::{JSON_FORMAT, JSON_VERSION, SNAPSHOT_MAGIC, SNAPSHOT_VERSION};
pub use tiers::TierBreakdown;
