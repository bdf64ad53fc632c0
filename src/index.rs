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

    /// A table from a blob and its offsets, as a loader reads them; `None`
    /// unless the offsets start at 0, never decrease, end at the blob's end
    /// and fall on character boundaries (so [`StrTable::get`] cannot panic).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
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
    // murmur3's finalizer: the table uses the low bits, and Fx leaves them weak
    let mut x = h.finish();
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

const EMPTY: u64 = u64::MAX;

/// Open addressing with linear probing, load factor ≤ 3/4. A slot holds an
/// id and 32 bits of its key's hash, so a probe reads the key (a second
/// cache miss) only when the hash bits match; the index stores no keys.
///
/// The home slot is the hash's top bits, so sorting entries by hash sorts
/// them by home slot, and building is a radix sort plus one sequential sweep
/// instead of one random memory access per key (5× faster at 665k units).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HashIndex {
    slots: Box<[u64]>,
    shift: u32,
}

#[inline]
fn slot(hash: u64, id: u32) -> u64 {
    (hash << 32) | id as u64
}

/// Sorts `(hash, id)` pairs by the top `bits` bits of the hash (LSD radix).
fn radix_sort_top(items: &mut Vec<(u64, u32)>, bits: u32) {
    const RADIX: u32 = 11;
    let mut buf = vec![(0u64, 0u32); items.len()];
    let mut done = 0;
    while done < bits {
        let width = RADIX.min(bits - done);
        let shift = 64 - bits + done;
        let mask = (1usize << width) - 1;
        let mut count = vec![0usize; (1 << width) + 1];
        for &(h, _) in items.iter() {
            count[((h >> shift) as usize & mask) + 1] += 1;
        }
        for i in 0..(1 << width) {
            count[i + 1] += count[i];
        }
        for &item in items.iter() {
            let b = (item.0 >> shift) as usize & mask;
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
        let cap = (n.max(1) * 4 / 3 + 1).next_power_of_two();
        let bits = cap.trailing_zeros();
        let shift = 64 - bits;
        let mut items: Vec<(u64, u32)> =
            (0..n as u32).map(|id| (hash_bytes(key(id)), id)).collect();
        radix_sort_top(&mut items, bits);
        // Equal keys have equal hashes, hence equal home slots: compare
        // within each run of one home slot (runs are short).
        let home = |h: u64| if bits == 0 { 0 } else { (h >> shift) as usize };
        let mut run = 0;
        for k in 1..=items.len() {
            if k == items.len() || home(items[k].0) != home(items[run].0) {
                for a in run..k {
                    for b in a + 1..k {
                        if items[a].0 == items[b].0 && key(items[a].1) == key(items[b].1) {
                            let (x, y) = (items[a].1.min(items[b].1), items[a].1.max(items[b].1));
                            return Err((x, y));
                        }
                    }
                }
                run = k;
            }
        }
        let mut slots = vec![EMPTY; cap];
        let mut next = 0usize;
        let mut wrapped = Vec::new();
        for &(h, id) in &items {
            let i = home(h).max(next);
            if i >= cap {
                wrapped.push((h, id));
                continue;
            }
            slots[i] = slot(h, id);
            next = i + 1;
        }
        for (h, id) in wrapped {
            let mut i = 0;
            while slots[i] != EMPTY {
                i += 1;
            }
            slots[i] = slot(h, id);
        }
        Ok(HashIndex {
            slots: slots.into_boxed_slice(),
            shift,
        })
    }

    #[inline]
    pub(crate) fn find<'a>(&self, wanted: &[u8], key: impl Fn(u32) -> &'a [u8]) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let h = hash_bytes(wanted);
        let mut i = if self.shift == 64 {
            0
        } else {
            (h >> self.shift) as usize
        };
        let tag = h << 32;
        loop {
            let s = self.slots[i];
            if s == EMPTY {
                return None;
            }
            if s & 0xFFFF_FFFF_0000_0000 == tag && key(s as u32) == wanted {
                return Some(s as u32);
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
    #[ignore]
    fn probe_stats() {
        let h = crate::sample::synthetic(&crate::sample::CHINA_SHAPE, 1).unwrap();
        let t = std::time::Instant::now();
        let idx = HashIndex::build(h.len(), |i| h.codes.get(i).as_bytes()).unwrap();
        println!("build {:?}", t.elapsed());
        let t = std::time::Instant::now();
        for id in 0..h.len() as u32 {
            assert_eq!(
                idx.find(h.codes.get(id).as_bytes(), |i| h.codes.get(i).as_bytes()),
                Some(id)
            );
        }
        println!("find all {:?}", t.elapsed());
    }
}
