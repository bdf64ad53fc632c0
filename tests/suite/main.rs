//! The crate's integration tests in one binary: one link, shared fixtures
//! (`common`). `cargo test` runs them with the unit and doc tests.

mod common;

mod address;
mod address_accuracy;
mod api;
mod builder;
mod china_code;
mod china_data;
mod china_names;
mod csv_import;
mod dot;
mod hierarchy;
mod history;
mod jurisdiction;
mod layering;
mod routing;
mod routing_golden;
mod snapshot;
