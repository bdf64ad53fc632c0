//! China: kinds, levels and designations of the NBS pyramid.

pub(crate) mod kind;

pub use kind::{ChinaKind, COUNTY, GRID, NATIONAL, PREFECTURAL, PROVINCIAL, TOWNSHIP, VILLAGE};
