//! China: kinds, levels and designations of the NBS pyramid, and the
//! embedded NBS 2023 data ([`china()`](crate::china())).

mod addresses;
mod code;
pub(crate) mod data;
pub(crate) mod kind;
pub(crate) mod names;
mod preset;

#[cfg(feature = "villages")]
pub use addresses::addresses_with_villages;
pub use addresses::{addresses, old_names, Addresses};
pub(crate) use addresses::{shared_for, with_old_names};
pub use code::{ChinaCode, CodeError};
pub use data::{decode, DataError};
pub use kind::{ChinaKind, COUNTY, GRID, NATIONAL, PREFECTURAL, PROVINCIAL, TOWNSHIP, VILLAGE};
pub use names::{short_forms, LookupError, NameIndex};
#[cfg(feature = "villages")]
pub use preset::china_with_villages;
pub use preset::{china, DATA_VERSION};
