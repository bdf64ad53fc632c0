//! The country-free model: schema, hierarchy, units, profiles, and the
//! queries on them (names, jurisdiction, tiers).

pub(crate) mod assemble;
pub(crate) mod build_error;
pub(crate) mod builder;
pub(crate) mod civil;
pub(crate) mod designation;
#[cfg(feature = "petgraph")]
pub(crate) mod graph;
pub(crate) mod hierarchy;
pub(crate) mod index;
pub(crate) mod iter;
pub(crate) mod jurisdiction;
pub(crate) mod kind;
pub(crate) mod level;
pub(crate) mod names;
pub(crate) mod profile;
pub(crate) mod relation;
pub(crate) mod schema;
pub(crate) mod tiers;
pub(crate) mod unit;
