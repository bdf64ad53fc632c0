//! Internal compact tables: a string table (one blob plus offsets) and an
//! open-addressing hash index of `u32` ids keyed by bytes stored elsewhere.
//!
//! These replace `Vec<String>` and `HashMap<String, _>`, which cost a heap
//! allocation and 50+ bytes per unit.

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

    /// A table from a blob and its offsets, as a loader reads them; `None`
    /// unless the offsets start at 0, never decrease, end at the blob's end
    /// and fall on character boundaries (so [`StrTable::get`] cannot panic).
    // Used by the loaders that read flat tables (snapshots, a country's
    // embedded data), which features may leave out of a build.
    #[allow(dead_code)]
    pub(crate) fn from_raw(offsets: Vec<u32>, bytes: String) -> Option<StrTable> {
        let ok = offsets.first() == Some(&0)
            && offsets.last().map(|&o| o as usize) == Some(bytes.len())
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.iter().all(|&o| bytes.is_char_boundary(o as usize));
        ok.then(|| StrTable {
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

    /// The offsets, one more than there are strings.
    pub(crate) fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// All strings back to back.
    pub(crate) fn blob(&self) -> &str {
        &self.bytes
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
        // The last 1 to 7 bytes in one word, read with fixed-size loads
        // instead of copied into a buffer (a memcpy call per key was most of
        // the cost of indexing 662k codes). Every byte lands in the word;
        // callers mix in the length (`hash_bytes`, `str`'s terminator).
        let rest = chunks.remainder();
        let (n, r) = (bytes.len(), rest.len());
        if n >= 8 && r > 0 {
            let last = u64::from_le_bytes(bytes[n - 8..].try_into().expect("8 bytes"));
            self.add(last >> (8 * (8 - r)));
        } else if r >= 4 {
            let lo = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as u64;
            let hi = u32::from_le_bytes(rest[r - 4..].try_into().expect("4 bytes")) as u64;
            self.add(lo | hi << 32);
        } else if r > 0 {
            self.add(rest[0] as u64 | (rest[r / 2] as u64) << 8 | (rest[r - 1] as u64) << 16);
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
    // murmur3's finalizer: the table uses the low bits, and Fx leaves them weak
    let mut x = h.finish();
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

const EMPTY: u64 = u64::MAX;

/// The top 32 bits of a hash: the tag a slot keeps.
const TAG: u64 = 0xFFFF_FFFF_0000_0000;

/// Open addressing with linear probing, load factor ≤ 3/4. A slot holds an
/// id and the top 32 bits of its key's hash, so a probe reads the key (a
/// second cache miss) only when the hash bits match; the index stores no keys.
///
/// The home slot is the hash's top bits, so sorting entries by hash sorts
/// them by home slot, and building is a radix sort plus one sequential sweep
/// instead of one random memory access per key (5× faster at 665k units).
/// An entry is sorted as the very `u64` its slot stores (tag above id), so
/// the sort moves 8 bytes per key and the sweep copies them as they are.
///
/// Codes made only of digits (1 to 12 of them, as in China's NBS codes and
/// most national code lists) in an index of fewer than 2^20 units are stored
/// *exactly*: the slot holds the code itself (its length and value, 44 bits,
/// scrambled by a bijection so that its top bits spread like a hash) beside
/// the id (20 bits). A lookup then reads one slot and never the code's
/// bytes: one cache miss instead of three, several times faster than a
/// `HashMap<String, _>` (see BENCHMARKS.md).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HashIndex {
    slots: Box<[u64]>,
    shift: u32,
    packed: bool,
}

const PACKED_ID_BITS: u32 = 20;
const PACKED_MAX_UNITS: usize = (1 << PACKED_ID_BITS) - 1;
const MASK44: u64 = (1 << 44) - 1;

/// A digit-only code of 1 to 12 digits as 44 bits (length, value), scrambled
/// by a bijection of the 44-bit values; `None` for any other code.
#[inline]
fn pack_code(code: &[u8]) -> Option<u64> {
    if code.is_empty() || code.len() > 12 {
        return None;
    }
    let mut value = 0u64;
    for &b in code {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        value = value * 10 + d as u64;
    }
    // Multiplying by an odd number and xor-shifting right are both
    // invertible modulo 2^44, so distinct codes stay distinct.
    let mut x = ((code.len() as u64) << 40) | value;
    x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15 | 1) & MASK44;
    x ^= x >> 23;
    x = x.wrapping_mul(0xC2B2_AE3D_27D4_EB4F | 1) & MASK44;
    x ^= x >> 19;
    Some(x)
}

#[inline]
fn slot(hash: u64, id: u32) -> u64 {
    (hash & TAG) | id as u64
}

/// Sorts slots by their top `bits` bits (LSD radix; `bits` ≤ 32, so only
/// tag bits).
fn radix_sort_top(items: &mut Vec<u64>, bits: u32) {
    const RADIX: u32 = 11;
    let mut buf = vec![0u64; items.len()];
    let mut done = 0;
    while done < bits {
        let width = RADIX.min(bits - done);
        let shift = 64 - bits + done;
        let mask = (1usize << width) - 1;
        let mut count = vec![0usize; (1 << width) + 1];
        for &h in items.iter() {
            count[((h >> shift) as usize & mask) + 1] += 1;
        }
        for i in 0..(1 << width) {
            count[i + 1] += count[i];
        }
        for &item in items.iter() {
            let b = (item >> shift) as usize & mask;
            buf[count[b]] = item;
            count[b] += 1;
        }
        std::mem::swap(items, &mut buf);
        done += width;
    }
}

impl HashIndex {
    /// Indexes ids `0..n`, or returns `Err((first, second))` for a pair of
    /// ids with equal keys.
    pub(crate) fn build<'a>(
        n: usize,
        key: impl Fn(u32) -> &'a [u8],
    ) -> Result<HashIndex, (u32, u32)> {
        let items: Vec<u64> = (0..n as u32)
            .map(|id| slot(hash_bytes(key(id)), id))
            .collect();
        Self::place(items, n, false, |x, y| {
            x & TAG == y & TAG && key(x as u32) == key(y as u32)
        })
    }

    /// Sorts slot values by their top bits (the home slot) and sweeps them
    /// into the table; `same` tells whether two slots hold equal keys.
    fn place(
        mut items: Vec<u64>,
        n: usize,
        packed: bool,
        same: impl Fn(u64, u64) -> bool,
    ) -> Result<HashIndex, (u32, u32)> {
        // At most 2^32 slots, so the home bits are tag bits; ids stay below
        // u32::MAX - 1, so at least one slot stays empty and probes end.
        let cap = ((n.max(1) as u64 * 4 / 3 + 1).next_power_of_two()).min(1 << 32) as usize;
        let bits = cap.trailing_zeros();
        let shift = 64 - bits;
        let id_of = |s: u64| {
            if packed {
                (s & PACKED_MAX_UNITS as u64) as u32
            } else {
                s as u32
            }
        };
        radix_sort_top(&mut items, bits);
        // Equal keys have equal hashes, hence equal home slots: compare
        // within each run of one home slot (runs are short).
        let home = |s: u64| if bits == 0 { 0 } else { (s >> shift) as usize };
        let mut run = 0;
        for k in 1..=items.len() {
            if k == items.len() || home(items[k]) != home(items[run]) {
                for a in run..k {
                    for b in a + 1..k {
                        let (x, y) = (items[a], items[b]);
                        if same(x, y) {
                            let (x, y) = (id_of(x), id_of(y));
                            return Err((x.min(y), x.max(y)));
                        }
                    }
                }
                run = k;
            }
        }
        let mut slots = vec![EMPTY; cap];
        let mut next = 0usize;
        let mut wrapped = Vec::new();
        for &item in &items {
            let i = home(item).max(next);
            if i >= cap {
                wrapped.push(item);
                continue;
            }
            slots[i] = item;
            next = i + 1;
        }
        for item in wrapped {
            let mut i = 0;
            while slots[i] != EMPTY {
                i += 1;
            }
            slots[i] = item;
        }
        Ok(HashIndex {
            slots: slots.into_boxed_slice(),
            shift,
            packed,
        })
    }

    /// Like [`build`](Self::build) but storing the keys exactly (see the type's
    /// docs); `None` when some key is not a digit-only code of 1 to 12 digits
    /// or there are too many ids.
    pub(crate) fn build_packed<'a>(
        n: usize,
        key: impl Fn(u32) -> &'a [u8],
    ) -> Option<Result<HashIndex, (u32, u32)>> {
        if n > PACKED_MAX_UNITS {
            return None;
        }
        let mut items = Vec::with_capacity(n);
        for id in 0..n as u32 {
            items.push((pack_code(key(id))? << PACKED_ID_BITS) | id as u64);
        }
        Some(Self::place(items, n, true, |a, b| {
            a >> PACKED_ID_BITS == b >> PACKED_ID_BITS
        }))
    }

    #[inline]
    pub(crate) fn find<'a>(&self, wanted: &[u8], key: impl Fn(u32) -> &'a [u8]) -> Option<u32> {
        if self.packed {
            return self.find_packed(wanted);
        }
        let mask = self.slots.len() - 1;
        let h = hash_bytes(wanted);
        let mut i = if self.shift == 64 {
            0
        } else {
            (h >> self.shift) as usize
        };
        let tag = h & TAG;
        loop {
            let s = self.slots[i];
            if s == EMPTY {
                return None;
            }
            if s & TAG == tag && key(s as u32) == wanted {
                return Some(s as u32);
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    fn find_packed(&self, wanted: &[u8]) -> Option<u32> {
        let k = pack_code(wanted)?;
        let mask = self.slots.len() - 1;
        // Slots hold the 44-bit key above the id: its top bits are the home.
        let mut i = ((k << PACKED_ID_BITS) >> self.shift.min(63)) as usize & mask;
        loop {
            let s = self.slots[i];
            if s == EMPTY {
                return None;
            }
            if s >> PACKED_ID_BITS == k {
                return Some((s & PACKED_MAX_UNITS as u64) as u32);
            }
            i = (i + 1) & mask;
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_hash_apart_and_index_finds_them() {
        // Every length from 0 to 20 over a small alphabet: the remainder
        // word must keep every byte.
        let mut keys: Vec<Vec<u8>> = vec![vec![]];
        for len in 1..=20usize {
            for seed in 0..200u32 {
                keys.push(
                    (0..len)
                        .map(|i| b"ab\xe4\xb8\x80"[((seed as usize >> (i % 8)) % 4) ^ (i % 2)])
                        .collect(),
                );
            }
        }
        keys.sort();
        keys.dedup();
        let mut hashes: Vec<u64> = keys.iter().map(|k| hash_bytes(k)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(
            hashes.len(),
            keys.len(),
            "no collision among {} short keys",
            keys.len()
        );

        let idx = HashIndex::build(keys.len(), |i| &keys[i as usize]).unwrap();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(idx.find(k, |j| &keys[j as usize]), Some(i as u32));
        }
        assert_eq!(idx.find(b"zzz", |j| &keys[j as usize]), None);
        let mut dup = keys.clone();
        dup.push(keys[7].clone());
        assert_eq!(
            HashIndex::build(dup.len(), |i| &dup[i as usize]).unwrap_err(),
            (7, keys.len() as u32)
        );
    }

    #[test]
    fn packed_codes_are_exact() {
        // Lengths and leading zeros tell codes apart: "0", "00", "011", "11".
        let mut keys: Vec<String> = [
            "0",
            "00",
            "011",
            "11",
            "110105",
            "110105021001",
            "999999999999",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for i in 0..5000u64 {
            keys.push(format!("{}", 100_000 + i * 7919));
            keys.push(format!("{:012}", i * 104_729));
        }
        keys.sort();
        keys.dedup();
        let key = |i: u32| keys[i as usize].as_bytes();
        let packed = HashIndex::build_packed(keys.len(), key).unwrap().unwrap();
        let hashed = HashIndex::build(keys.len(), key).unwrap();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(packed.find(k.as_bytes(), key), Some(i as u32), "{k}");
        }
        for probe in [
            "",
            "000",
            "1",
            "110105000",
            "1234567890123",
            "11a",
            "１１",
            "-1",
        ] {
            assert_eq!(
                packed.find(probe.as_bytes(), key),
                hashed.find(probe.as_bytes(), key),
                "{probe}"
            );
        }
        // Not packable: letters, 13 digits, empty.
        assert!(HashIndex::build_packed(1, |_| b"E10000003").is_none());
        assert!(HashIndex::build_packed(1, |_| b"1234567890123").is_none());
        assert!(HashIndex::build_packed(1, |_| b"").is_none());
        // Duplicates are found.
        let dup = ["12", "34", "12"];
        assert_eq!(
            HashIndex::build_packed(3, |i| dup[i as usize].as_bytes())
                .unwrap()
                .unwrap_err(),
            (0, 2)
        );
    }
}
