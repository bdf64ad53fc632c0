//! Shared helpers of xzqh's benchmarks (the benches are this crate's
//! `[[bench]]` targets): the test suite's fixtures, deterministic random
//! inputs, and [`Flat`], the simple alternative each bench measures beside
//! xzqh.
//!
//! Naming scheme, read by the `report` binary that writes BENCHMARKS.md: a
//! criterion group per operation, and in it the ids `xzqh` (the crate),
//! `baseline` (the best simple alternative a competent engineer would write
//! in an afternoon), `peer:<crate>` (an existing crate doing the same job)
//! and `extra:<label>` (anything else, shown as a note).

pub mod address_set;
pub mod route_baseline;

#[path = "../../tests/suite/common/sample.rs"]
mod sample;

pub use sample::{CHINA_SHAPE, SMALL_CHINA_ROWS, small_china, small_china_plain, synthetic};

use xzqh::{Hierarchy, UnitId};

/// The criterion id of the crate itself.
pub const XZQH: &str = "xzqh";
/// The criterion id of the simple alternative.
pub const BASELINE: &str = "baseline";

/// xorshift64*: deterministic inputs without a rand dependency.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// `n` random unit ids drawn over the whole hierarchy.
pub fn random_ids(h: &Hierarchy, n: usize, seed: u64) -> Vec<UnitId> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| UnitId::new(rng.below(h.len()) as u32))
        .collect()
}

/// The simple alternative: what a competent engineer writes in an afternoon
/// for the same queries. Rows in file order (code order, which is the
/// hierarchy's pre-order, so the layout is as good as xzqh's), a parent and
/// a depth array, and a `hashbrown` map (foldhash) from code to row.
#[derive(Debug)]
pub struct Flat {
    /// Parent row; the root's is itself.
    pub parent: Vec<u32>,
    /// Depth below the root.
    pub depth: Vec<u8>,
    /// Kind of each row (the hierarchy's kind index).
    pub kind: Vec<u16>,
    /// Level rank of each row.
    pub level: Vec<u8>,
    /// Code → row.
    pub by_code: hashbrown::HashMap<&'static str, u32>,
}

impl Flat {
    /// The same units as `h`, one row per unit, rows numbered as `h`'s ids.
    pub fn new(h: &'static Hierarchy) -> Flat {
        let n = h.len();
        let mut f = Flat {
            parent: Vec::with_capacity(n),
            depth: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            level: Vec::with_capacity(n),
            by_code: hashbrown::HashMap::with_capacity(n),
        };
        for u in h.units() {
            let id = u.id().get();
            f.parent.push(u.parent().map_or(id, |p| p.id().get()));
            f.depth.push(u.depth() as u8);
            f.kind.push(u.kind_id().index() as u16);
            f.level.push(u.level().rank());
            f.by_code.insert(u.code(), id);
        }
        f
    }

    /// Whether `a` is `b` or one of its ancestors: lift `b` to `a`'s depth.
    #[inline]
    pub fn is_ancestor(&self, a: u32, mut b: u32) -> bool {
        let da = self.depth[a as usize];
        if da > self.depth[b as usize] {
            return false;
        }
        while self.depth[b as usize] > da {
            b = self.parent[b as usize];
        }
        a == b
    }

    /// Lowest common ancestor: align depths, then step both up together.
    #[inline]
    pub fn lca(&self, mut a: u32, mut b: u32) -> u32 {
        let (p, d) = (&self.parent, &self.depth);
        while d[a as usize] > d[b as usize] {
            a = p[a as usize];
        }
        while d[b as usize] > d[a as usize] {
            b = p[b as usize];
        }
        while a != b {
            a = p[a as usize];
            b = p[b as usize];
        }
        a
    }
}
