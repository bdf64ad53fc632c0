//! Shared helpers of xzqh's benchmarks (the benches are this crate's
//! `[[bench]]` targets): the test suite's fixtures, so that benches and
//! tests measure the same hierarchies.

#[path = "../../tests/suite/common/sample.rs"]
mod sample;

pub use sample::{CHINA_SHAPE, SMALL_CHINA_ROWS, small_china, small_china_plain, synthetic};
