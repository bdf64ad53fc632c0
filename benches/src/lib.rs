//! Shared helpers of xzqh's benchmarks (the benches are in this crate's
//! `[[bench]]` targets).
