//! Administrative divisions (行政区划) as a typed hierarchy on petgraph.
//!
//! ```
//! let h = xzqh::sample::small_china();
//! let town = h.by_code("654201200").unwrap();
//! assert_eq!(town.tiers(), 4);
//! ```
//!
//! # Loading and saving
//!
//! Hierarchies a service did not build (a newer NBS year, a city's grid
//! layer, another country), often from files it does not trust, load
//! through the same validation as [`HierarchyBuilder::build`], within
//! [`LoadLimits`], or fail with a [`LoadError`] that names the line, path or
//! field to fix; nothing panics and no count in a file becomes an allocation.
//!
//! - [`CsvImport`]: `code,name,parent_code[,kind]` files such as the NBS lists.
//! - With the `serde` feature, `Hierarchy::to_json` / `from_json`: a readable
//!   JSON form with a format version, documented field by field for other
//!   tools; and `Hierarchy::to_snapshot` / `from_snapshot`: a compact binary
//!   snapshot for fast start-up (China's 665,272 units: 27 MB, loaded in tens
//!   of milliseconds).
//!
//! # Crate features
//!
//! - `serde`: JSON and binary snapshots (brings in `serde`, `serde_json`,
//!   `postcard` and `simdutf8`), and `Deserialize` for [`LoadLimits`].
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
