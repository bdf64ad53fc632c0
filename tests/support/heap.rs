//! A counting allocator: live and peak bytes per thread, so that a target
//! can check that one call held at most its bound.
//!
//! Shared by `tests/hostile.rs` and the fuzz harness (`fuzz/targets`,
//! through a `#[path]` module). Each driver installs it as its global
//! allocator:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: xzqh_fuzz_targets::heap::Counting = xzqh_fuzz_targets::heap::Counting;
//! ```
//!
//! Without it [`installed`] is false and bounds are not checked.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting the bytes each thread holds.
#[derive(Debug)]
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn track(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        let _ = COUNTED.try_with(|c| c.set(true));
    });
}

// SAFETY: forwards every call to the system allocator; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        track(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new) };
        if !q.is_null() {
            track(new as isize - layout.size() as isize);
        }
        q
    }
}

/// Whether [`Counting`] is the global allocator (it has counted anything).
pub fn installed() -> bool {
    drop(std::hint::black_box(Box::new(0u64)));
    COUNTED.with(Cell::get)
}

/// Runs `f` and returns its result with the most bytes it held at once on
/// this thread (what it returns included, as it is still held).
pub fn peak<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let start = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(start));
    let r = f();
    (r, (PEAK.with(Cell::get) - start).max(0) as usize)
}
