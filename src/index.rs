//! Internal compact tables: a string table (one blob plus offsets) and an
//! open-addressing hash index of `u32` ids keyed by bytes stored elsewhere.
//!
//! These replace `Vec<String>` and `HashMap<String, _>`, which cost a heap
//! allocation and 50+ bytes per unit (PERFORMANCE.md: 250 B/unit naive).

use std::hash::{BuildHasherDefault, Hasher};

/// Strings stored back to back; string `i` is `bytes[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct StrTable {
    offsets: Box<[u32]>,
    bytes: Box<str>,
}

impl StrTable {
    /// Builds a table from strings; `None` when the blob exceeds `u32::MAX` bytes.
    pub(crate) fn from_iter<'a>(items: impl IntoIterator<Item = &'a str>) -> Option<StrTable> {
        let mut offsets = vec![0u32];
        let mut bytes = String::new();
        for s in items {
            bytes.push_str(s);
            offsets.push(u32::try_from(bytes.len()).ok()?);
        }
        Some(StrTable {
            offsets: offsets.into_boxed_slice(),
            bytes: bytes.into_boxed_str(),
        })
    }

    #[inline]
    pub(crate) fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        &self.bytes[a..b]
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.offsets.len() * 4 + self.bytes.len()
    }
}

/// FxHash (rustc's hasher): a multiply-rotate hash, fast on short keys.
/// Codes and names are not attacker-chosen keys at lookup time (the tables are
/// built from the hierarchy), so a DoS-resistant hash buys nothing here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("chunk of 8")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// `BuildHasher` for std collections used while building.
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

#[inline]
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    // fold the high bits down: the table uses the low bits
    let x = h.finish();
    x ^ (x >> 29) ^ (x >> 47)
}

const EMPTY: u32 = u32::MAX;

/// Open addressing, linear probing, load factor ≤ 1/2. Slots hold ids; the
/// key of an id is looked up through a closure, so the index stores no keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HashIndex {
    slots: Box<[u32]>,
}

impl HashIndex {
    /// Indexes ids `0..n`; keys must be distinct.
    pub(crate) fn build<'a>(n: usize, key: impl Fn(u32) -> &'a [u8]) -> HashIndex {
        let cap = (n.max(1) * 2).next_power_of_two();
        let mask = cap - 1;
        let mut slots = vec![EMPTY; cap];
        for id in 0..n as u32 {
            let mut i = hash_bytes(key(id)) as usize & mask;
            while slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            slots[i] = id;
        }
        HashIndex {
            slots: slots.into_boxed_slice(),
        }
    }

    #[inline]
    pub(crate) fn find<'a>(&self, wanted: &[u8], key: impl Fn(u32) -> &'a [u8]) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = hash_bytes(wanted) as usize & mask;
        loop {
            let id = self.slots[i];
            if id == EMPTY {
                return None;
            }
            if key(id) == wanted {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.len() * 4
    }
}
