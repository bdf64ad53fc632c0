#![no_main]
//! cargo-fuzz target `ledger_events`: see `xzqh_fuzz_targets::ledger_events`.

use libfuzzer_sys::fuzz_target;
use xzqh_fuzz_targets::heap::Counting;

#[global_allocator]
static ALLOC: Counting = Counting;

fuzz_target!(init: xzqh_fuzz_targets::warm_up(), |data: &[u8]| {
    xzqh_fuzz_targets::ledger_events(data);
});
