//! China: its kinds, levels and designations, NBS codes, short forms,
//! routing policy, code history and profile, and the embedded NBS 2023 data
//! ([`china()`](crate::china())).
//!
//! Everything here is built on the country-free engine: China is data,
//! kinds, codes, names, history and policy, given to the engine through its
//! [`profile()`].

mod code;
pub(crate) mod data;
mod date;
mod forms;
#[cfg(feature = "history")]
pub mod history;
pub(crate) mod kind;
mod policy;
mod preset;
mod profile;

pub use code::{ChinaCode, CodeError};
pub use data::{DataError, decode};
pub use date::Date;
pub use forms::short_forms;
pub use kind::{
    COUNTY, ChinaKind, GRID, NATIONAL, PREFECTURAL, PROVINCIAL, TOWNSHIP, VILLAGE, schema,
};
pub use policy::policy;
pub(crate) use preset::DATA_DATE;
#[cfg(feature = "history")]
pub use preset::HISTORY_VERSION;
#[cfg(feature = "villages")]
pub use preset::china_with_villages;
pub use preset::{DATA_VERSION, china};
pub use profile::{ChinaProfile, profile};
