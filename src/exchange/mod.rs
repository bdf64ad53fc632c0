//! Hierarchies in and out: CSV import, JSON and binary snapshots, Graphviz
//! pictures, and the limits every loader enforces.

pub(crate) mod csv;
pub(crate) mod dot;
pub(crate) mod load;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
