//! The ledger's key indexes: matter keys and case ids to record indices.
//!
//! The table holds only `(index, hash)` pairs, 8 bytes each; the key text
//! lives once, in its record. A lookup hashes the key, and compares text
//! only on a full 32-bit hash match; growing the table rehashes from the
//! stored hashes without reading any key.
//!
//! The hasher is foldhash (hashbrown's default) seeded at random per
//! table: about ten times fewer instructions than std's SipHash on short
//! ids. Keys come from callers (a server may pass on whatever its clients
//! send), so a fixed-seed hash, which anyone could flood with colliding
//! keys, is ruled out; foldhash's random seed is the "minimal DoS
//! resistance" its authors claim (the seed is never exposed: the ledger
//! never iterates its tables, so no order leaks it). A caller facing
//! adversaries who can time the ledger at length should bound the keys it
//! accepts per client.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

/// Keys to record indices.
#[derive(Clone, Default)]
pub(crate) struct Index {
    table: HashTable<(u32, u32)>,
    state: DefaultHashBuilder,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("len", &self.table.len())
            .finish_non_exhaustive()
    }
}

/// The table's hash from the stored 32 bits: the same bits feed the bucket
/// (low) and the control tag (high).
#[inline]
fn spread(h: u32) -> u64 {
    u64::from(h) | (u64::from(h) << 32)
}

impl Index {
    /// The table's hash of `key`, for [`get_hashed`](Self::get_hashed)
    /// and [`insert_hashed`](Self::insert_hashed): a key looked up, then
    /// added, is hashed once.
    #[inline]
    pub(crate) fn hash(&self, key: &str) -> u32 {
        let h = self.state.hash_one(key);
        (h ^ (h >> 32)) as u32
    }

    /// The index of `key`; `name` gives the key of a record index, as
    /// bytes.
    #[inline]
    pub(crate) fn get<'a>(&self, key: &str, name: impl Fn(u32) -> &'a [u8]) -> Option<u32> {
        self.get_hashed(self.hash(key), key, name)
    }

    /// [`get`](Self::get) with `key`'s [`hash`](Self::hash) `h`.
    #[inline]
    pub(crate) fn get_hashed<'a>(
        &self,
        h: u32,
        key: &str,
        name: impl Fn(u32) -> &'a [u8],
    ) -> Option<u32> {
        self.table
            .find(spread(h), |&(i, hi)| hi == h && name(i) == key.as_bytes())
            .map(|&(i, _)| i)
    }

    /// Adds `key` at record index `i`; the caller has checked it is absent.
    /// (Loading a snapshot; arrivals use [`insert_hashed`](Self::insert_hashed).)
    #[cfg(feature = "serde")]
    pub(crate) fn insert(&mut self, key: &str, i: u32) {
        self.insert_hashed(self.hash(key), i);
    }

    /// Adds a key whose [`hash`](Self::hash) is `h` at record index `i`;
    /// the caller has checked it is absent.
    #[inline]
    pub(crate) fn insert_hashed(&mut self, h: u32, i: u32) {
        self.table
            .insert_unique(spread(h), (i, h), |&(_, h)| spread(h));
    }

    /// Heap bytes: a slot and a control byte per bucket.
    pub(crate) fn bytes(&self) -> usize {
        self.table.capacity() * (std::mem::size_of::<(u32, u32)>() + 1)
    }
}
