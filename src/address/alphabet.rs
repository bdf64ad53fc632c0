//! A compact byte coding of the characters of unit names, for the
//! automaton: half the bytes of UTF-8 to walk, and a smaller automaton.
//!
//! Characters are ranked by how often they occur in the names. The first
//! [`ONE`] get one byte (`1..=ONE`), the next `LEADS × 256` two bytes (a
//! lead byte above `ONE`, then any byte), the rest four (`0xFF` and three
//! bytes). Characters in no name code as `0`, which no name contains. The
//! code is prefix-free, so a match that starts on a character boundary also
//! ends on one; a match starting inside a character's code (its second byte
//! may equal another character's one-byte code) is discarded by the caller.
//! ASCII letters are folded to lower case, as the automaton's
//! `ascii_case_insensitive` would.

use std::collections::HashMap;

use crate::index::FxBuild;

/// One-byte codes: `1..=ONE`.
const ONE: u32 = 0xBF;
/// Lead bytes of two-byte codes: `ONE + 1 ..= 0xFE`.
const LEADS: u32 = 0xFE - ONE;
/// Characters below this have their rank in a flat table (ASCII, Latin,
/// CJK Unified Ideographs and Extension A); the rest in a hash map.
const DIRECT: usize = 0xA000;

#[derive(Debug)]
pub(crate) struct Alphabet {
    /// `rank + 1` of characters below [`DIRECT`]; `0` for none.
    direct: Box<[u16]>,
    /// Ranks of the other characters (and of any beyond `u16`).
    other: HashMap<char, u32, FxBuild>,
}

impl Alphabet {
    /// Ranks the characters of `names` by frequency (ties by code point).
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Alphabet {
        let mut count: HashMap<char, u64, FxBuild> = HashMap::default();
        for name in names {
            for c in name.chars() {
                *count.entry(c.to_ascii_lowercase()).or_default() += 1;
            }
        }
        let mut chars: Vec<(char, u64)> = count.into_iter().collect();
        chars.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut direct = vec![0u16; DIRECT].into_boxed_slice();
        let mut other = HashMap::default();
        for (rank, &(c, _)) in chars.iter().enumerate() {
            match u16::try_from(rank + 1) {
                Ok(r) if (c as usize) < DIRECT => direct[c as usize] = r,
                _ => {
                    other.insert(c, rank as u32);
                }
            }
        }
        Alphabet { direct, other }
    }

    #[inline]
    fn rank(&self, c: char) -> Option<u32> {
        let c = c.to_ascii_lowercase();
        if (c as usize) < DIRECT {
            match self.direct[c as usize] {
                0 => None,
                r => Some(r as u32 - 1),
            }
        } else {
            self.other.get(&c).copied()
        }
    }

    /// The code of `c`: its bytes, of which the first `n` count.
    #[inline]
    pub(crate) fn code(&self, c: char) -> ([u8; 4], usize) {
        match self.rank(c) {
            None => ([0; 4], 1),
            Some(r) if r < ONE => ([r as u8 + 1, 0, 0, 0], 1),
            Some(r) if r - ONE < LEADS * 256 => {
                let r = r - ONE;
                ([(ONE + 1 + r / 256) as u8, (r % 256) as u8, 0, 0], 2)
            }
            Some(r) => {
                let r = r - ONE - LEADS * 256;
                ([0xFF, (r >> 16) as u8, (r >> 8) as u8, r as u8], 4)
            }
        }
    }

    /// The code of a whole name.
    pub(crate) fn encode(&self, s: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(s.len());
        for c in s.chars() {
            let (bytes, n) = self.code(c);
            out.extend_from_slice(&bytes[..n]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_prefix_free_and_fold_ascii() {
        // 300 distinct characters: one-byte, two-byte and (past u16 ranks
        // are not reachable here) codes; a supplementary-plane character.
        let names: Vec<String> = (0..300u32)
            .map(|i| {
                char::from_u32(0x4E00 + i)
                    .unwrap()
                    .to_string()
                    .repeat(300 - i as usize)
            })
            .chain(["𡐓".to_owned(), "Kings".to_owned()])
            .collect();
        let a = Alphabet::new(names.iter().map(String::as_str));
        assert_eq!(a.encode("一"), [1]);
        assert_eq!(a.encode("𡐓").len(), 2);
        assert_eq!(a.encode("KINGS"), a.encode("kings"));
        assert_eq!(a.encode("☃"), [0]);
        // Decoding from a boundary is unique: every code's first byte tells its length.
        let mut seen = std::collections::HashSet::new();
        for i in 0..300u32 {
            let code = a.encode(&char::from_u32(0x4E00 + i).unwrap().to_string());
            assert!(code[0] != 0 && (code.len() == 1) == (code[0] as u32 <= ONE));
            assert!(seen.insert(code));
        }
    }
}
