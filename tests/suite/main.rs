//! The crate's integration tests in one binary: one link, shared fixtures
//! (`common`). `cargo test` runs them with the unit and doc tests.
//!
//! Most modules read China's data (the `china` feature, on by default);
//! built without it, the binary runs the checks that need no country.

#[cfg(feature = "china")]
mod common;

#[cfg(feature = "china")]
mod address;
#[cfg(feature = "china")]
mod address_accuracy;
#[cfg(feature = "china")]
mod api;
#[cfg(feature = "china")]
mod builder;
#[cfg(feature = "china")]
mod china_code;
#[cfg(feature = "china")]
mod china_data;
#[cfg(feature = "china")]
mod china_names;
#[cfg(feature = "china")]
mod china_provinces;
#[cfg(feature = "china")]
mod csv_import;
#[cfg(feature = "china")]
mod desks;
#[cfg(feature = "china")]
mod dot;
#[cfg(feature = "china")]
mod hierarchy;
#[cfg(feature = "history")]
mod history;
#[cfg(feature = "china")]
mod jurisdiction;
mod layering;
#[cfg(feature = "china")]
mod matters;
#[cfg(feature = "china")]
mod routing;
#[cfg(feature = "china")]
mod routing_golden;
#[cfg(feature = "china")]
mod snapshot;
