//! The ledger's key indexes: matter keys and case ids to record indices.
//!
//! The table holds only `(index, hash)` pairs, 8 bytes each, in one array
//! probed linearly; the key text lives once, in its record. A lookup hashes
//! the key and reads slots from the key's home slot on: the first slot it
//! reads holds both the stored hash and the record index, so a miss costs
//! one line, not a control byte's line and then a slot's (as in a
//! SwissTable), and text is compared only on a full 32-bit hash match. A
//! lookup that finds nothing returns the empty slot where the key goes, so
//! adding it probes no second time. Keys are never removed, so there are
//! no tombstones: an empty slot ends every probe. Growing the table
//! rehashes from the stored hashes without reading any key.
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

use hashbrown::DefaultHashBuilder;

/// An empty slot's stored index: slots hold a record's index plus one
/// (records number below `u32::MAX - 1`), so a new table is zeroed memory,
/// which the allocator hands over without writing it.
const EMPTY: u32 = 0;

/// Slots of a table's first allocation.
const MIN_SLOTS: usize = 16;

/// Keys to record indices.
#[derive(Clone, Default)]
pub(crate) struct Index {
    /// `(record index + 1, hash)`, a power of two of them (or none), at
    /// most four fifths full.
    slots: Vec<(u32, u32)>,
    len: usize,
    state: DefaultHashBuilder,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// Where an absent key goes: the empty slot that ended its lookup. Valid
/// for the next [`Index::insert_vacant`] on the same table, if nothing was
/// added in between.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Vacant(usize);

/// Whether two keys are equal: keys of 8 to 16 bytes (ids like
/// `matter-12345`) as two overlapping words each, without a call to
/// `memcmp`; others as slices.
#[inline]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        let word =
            |s: &[u8], at: usize| u64::from_ne_bytes(s[at..at + 8].try_into().unwrap_or_default());
        return word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8);
    }
    a == b
}

impl Index {
    /// The table's hash of `key`, for [`find`](Self::find): a key looked
    /// up, then added, is hashed once.
    #[inline]
    pub(crate) fn hash(&self, key: &str) -> u32 {
        let h = self.state.hash_one(key);
        (h ^ (h >> 32)) as u32
    }

    /// The index of `key`; `name` gives the key of a record index, as
    /// bytes.
    #[inline]
    pub(crate) fn get<'a>(&self, key: &str, name: impl Fn(u32) -> &'a [u8]) -> Option<u32> {
        self.find(self.hash(key), key, name).ok()
    }

    /// The index of `key`, whose [`hash`](Self::hash) is `h`, or where it
    /// goes.
    #[inline]
    pub(crate) fn find<'a>(
        &self,
        h: u32,
        key: &str,
        name: impl Fn(u32) -> &'a [u8],
    ) -> Result<u32, Vacant> {
        let mask = self.slots.len().wrapping_sub(1);
        if self.slots.is_empty() {
            return Err(Vacant(0));
        }
        let mut pos = h as usize & mask;
        loop {
            let (i, hi) = self.slots[pos];
            if i == EMPTY {
                return Err(Vacant(pos));
            }
            if hi == h && same(name(i - 1), key.as_bytes()) {
                return Ok(i - 1);
            }
            pos = (pos + 1) & mask;
        }
    }

    /// Adds the key whose [`hash`](Self::hash) is `h` at record index `i`,
    /// where its [`find`](Self::find) said it goes.
    #[inline]
    pub(crate) fn insert_vacant(&mut self, at: Vacant, h: u32, i: u32) {
        debug_assert!(i < u32::MAX);
        if self.len + 1 > self.max_len() {
            self.grow();
            return self.insert_hashed(h, i);
        }
        debug_assert_eq!(self.slots[at.0].0, EMPTY, "a stale vacancy");
        self.slots[at.0] = (i + 1, h);
        self.len += 1;
    }

    /// Adds `key` at record index `i`; the caller has checked it is absent.
    /// (Loading a snapshot; arrivals use [`insert_vacant`](Self::insert_vacant).)
    #[cfg(feature = "serde")]
    pub(crate) fn insert(&mut self, key: &str, i: u32) {
        self.insert_hashed(self.hash(key), i);
    }

    /// Adds a key whose [`hash`](Self::hash) is `h` at record index `i`;
    /// the caller has checked it is absent.
    fn insert_hashed(&mut self, h: u32, i: u32) {
        if self.len + 1 > self.max_len() {
            self.grow();
        }
        place(&mut self.slots, (i + 1, h));
        self.len += 1;
    }

    /// How many keys the table takes before it grows: four fifths of its
    /// slots (a lookup that finds nothing reads about 13 slots at worst,
    /// two lines, and 3 at the mean load).
    #[inline]
    fn max_len(&self) -> usize {
        self.slots.len() - self.slots.len() / 5
    }

    /// Doubles the slots, placing each key again by its stored hash.
    #[cold]
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(MIN_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![(EMPTY, 0); n]);
        for slot in old.into_iter().filter(|s| s.0 != EMPTY) {
            place(&mut self.slots, slot);
        }
    }

    /// Heap bytes: a slot per bucket.
    pub(crate) fn bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<(u32, u32)>()
    }
}

/// Puts `slot` (`(index + 1, hash)`) in the first empty slot from its
/// hash's home slot on; `slots` is a power of two long and not full.
#[inline]
fn place(slots: &mut [(u32, u32)], slot: (u32, u32)) {
    let mask = slots.len() - 1;
    let mut pos = slot.1 as usize & mask;
    while slots[pos].0 != EMPTY {
        pos = (pos + 1) & mask;
    }
    slots[pos] = slot;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Keys compare as their bytes do, at every length around the
        /// words' path (near-equal keys from a two-letter alphabet).
        #[test]
        fn same_is_equality(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b);
            prop_assert!(same(a.as_bytes(), a.as_bytes()));
        }

        /// Against a map: every key added is found at its index, every
        /// other key is absent, through growth and colliding low bits
        /// (keys that share a hash's low bits probe the same run).
        #[test]
        fn finds_what_was_added(
            keys in proptest::collection::vec("[a-c]{0,4}", 0..300),
            probes in proptest::collection::vec("[a-d]{0,4}", 0..50),
        ) {
            let mut ix = Index::default();
            let mut names: Vec<String> = Vec::new();
            let mut map = std::collections::HashMap::new();
            for k in keys {
                let h = ix.hash(&k);
                let found = ix.find(h, &k, |i| names[i as usize].as_bytes());
                match (found, map.get(&k)) {
                    (Ok(i), Some(&j)) => prop_assert_eq!(i, j),
                    (Err(at), None) => {
                        let i = names.len() as u32;
                        names.push(k.clone());
                        map.insert(k, i);
                        ix.insert_vacant(at, h, i);
                    }
                    (got, want) => prop_assert!(false, "{got:?} against {want:?}"),
                }
                prop_assert!(ix.len <= ix.max_len());
            }
            for k in probes.iter().chain(map.keys()) {
                prop_assert_eq!(ix.get(k, |i| names[i as usize].as_bytes()), map.get(k).copied());
            }
        }
    }
}
