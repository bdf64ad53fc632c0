//! China: kinds, levels and designations of the NBS pyramid.

mod code;
pub(crate) mod kind;
mod names;

pub use code::{ChinaCode, CodeError};
pub use kind::{ChinaKind, COUNTY, GRID, NATIONAL, PREFECTURAL, PROVINCIAL, TOWNSHIP, VILLAGE};
pub use names::{short_forms, LookupError, NameIndex};
