//! The ledger's key indexes: matter keys and case ids to record indices.
//!
//! The table holds only `(index, hash)` pairs, 8 bytes each; the key text
//! lives once, in its record. A lookup hashes the key, and compares text
//! only on a full 32-bit hash match; growing the table rehashes from the
//! stored hashes without reading any key.
//!
//! The table is [`SHARDS`] tables, picked by the hash's top bits, each
//! growing on its own. One table of a million cases doubled into 18 MB
//! of fresh memory, every entry a random write into it (about 0.8
//! last-level misses per arrival of a 1M ingest, and a stall of
//! milliseconds at each doubling); a shard holds a 256th of the entries,
//! so its doubling reads and writes a few tens of KB that stay in cache,
//! and the stall is a 256th as long. The shards' headers (8 KB) stay in
//! cache too: a lookup reads one more line than a single table's.
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

/// log2 of [`SHARDS`].
const SHARD_BITS: u32 = 8;
/// How many tables an index is split into.
const SHARDS: usize = 1 << SHARD_BITS;

/// The shards: tables of (record index, low 32 bits of the hash).
type Shards = [HashTable<(u32, u32)>; SHARDS];

/// Keys to record indices.
#[derive(Clone, Default)]
pub(crate) struct Index {
    /// None until the first key (an empty ledger allocates nothing).
    shards: Option<Box<Shards>>,
    state: DefaultHashBuilder,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len: usize = self
            .shards
            .iter()
            .flat_map(|s| s.iter())
            .map(HashTable::len)
            .sum();
        f.debug_struct("Index")
            .field("len", &len)
            .finish_non_exhaustive()
    }
}

/// A key's hash: the top [`SHARD_BITS`] pick its shard, the low 32 bits
/// are stored beside its index and place it in the shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hash(u64);

impl Hash {
    #[inline]
    fn shard(self) -> usize {
        (self.0 >> (64 - SHARD_BITS)) as usize
    }

    #[inline]
    fn low(self) -> u32 {
        self.0 as u32
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
    pub(crate) fn hash(&self, key: &str) -> Hash {
        Hash(self.state.hash_one(key))
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
        h: Hash,
        key: &str,
        name: impl Fn(u32) -> &'a [u8],
    ) -> Option<u32> {
        let low = h.low();
        self.shards.as_deref()?[h.shard()]
            .find(spread(low), |&(i, hi)| {
                hi == low && name(i) == key.as_bytes()
            })
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
    pub(crate) fn insert_hashed(&mut self, h: Hash, i: u32) {
        let shards = self
            .shards
            .get_or_insert_with(|| Box::new(std::array::from_fn(|_| HashTable::new())));
        shards[h.shard()].insert_unique(spread(h.low()), (i, h.low()), |&(_, h)| spread(h));
    }

    /// Heap bytes: a slot and a control byte per bucket, and the shards'
    /// headers (none before the first key).
    pub(crate) fn bytes(&self) -> usize {
        self.shards.as_deref().map_or(0, |shards| {
            let buckets: usize = shards.iter().map(HashTable::capacity).sum();
            buckets * (std::mem::size_of::<(u32, u32)>() + 1) + std::mem::size_of::<Shards>()
        })
    }
}
