//! A seeded mutator: the same seed gives the same inputs on every machine.
//!
//! Each input is a seed (or a splice of two) with one to four mutations of
//! the kinds that found bugs in loaders before: bit flips, interesting
//! bytes, insertions, deletions, truncation, repeated slices (count bombs),
//! huge varints and numbers, deep nesting, invalid UTF-8, long names.

/// SplitMix64: small, fast, and good enough to pick mutations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 if `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// Byte strings worth inserting: structure of every format the targets read.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b",",
    b":",
    b"=",
    b"[",
    b"]",
    b"{",
    b"}",
    b"[[",
    b"]]",
    b"\n",
    b"\r\n",
    b"'''",
    b"\"\"\"",
    b"#",
    b".",
    b"null",
    b"true",
    b"-1",
    b"1e999",
    b"18446744073709551616",
    b"99999999999999999999999999",
    b"0x7fffffff",
    b"\xFF\xFF\xFF\xFF\x0F",
    b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01",
    b"\x80\xA8\xD6\xB9\x0E",
    b"\xC3\x28",
    b"\xED\xA0\x80",
    b"\xF4\x90\x80\x80",
    b"\xEF\xBB\xBF",
    b"\x00",
    b"\t",
    b" ",
    "\u{3000}".as_bytes(),
    "北京".as_bytes(),
    "市辖区".as_bytes(),
    "朝阳区".as_bytes(),
    "１１".as_bytes(),
    "\u{200B}".as_bytes(),
    b"110105000000",
    b"000000",
    b"\"code\":",
    b"\"parent\":null",
    b"\"units\":[",
    b"\"levels\":[",
    b"\"kinds\":[",
    b"\"designations\":[",
    b"[[categories]]\nname = \"x\"\n",
    b"min_level = \"county\"",
];

/// Maximum size of a mutated input: large enough for count bombs, small
/// enough that 20,000 inputs per target run in seconds.
pub const MAX_INPUT: usize = 1 << 20;

/// A mutated input from `seeds` (at least one).
pub fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    if rng.one_in(8) {
        // Splice: a prefix of this seed and a suffix of another.
        let other = &seeds[rng.below(seeds.len())];
        let cut = rng.below(data.len() + 1);
        let from = rng.below(other.len() + 1);
        data.truncate(cut);
        data.extend_from_slice(&other[from..]);
    }
    for _ in 0..1 + rng.below(4) {
        mutate_once(rng, &mut data);
        data.truncate(MAX_INPUT);
    }
    data
}

fn mutate_once(rng: &mut Rng, data: &mut Vec<u8>) {
    let len = data.len();
    let at = rng.below(len + 1);
    match rng.below(14) {
        // Flip a bit.
        0 | 1 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        // An interesting byte.
        2 if len > 0 => {
            let i = rng.below(len);
            data[i] = [0, 0xFF, 0x7F, 0x80, b'"', b'[', b'{', b',', b'0', b'9'][rng.below(10)];
        }
        // A random byte.
        3 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next_u64() as u8;
        }
        // Insert a token.
        4 | 5 => {
            let t = TOKENS[rng.below(TOKENS.len())];
            data.splice(at..at, t.iter().copied());
        }
        // Delete a range.
        6 if len > 0 => {
            let end = (at + 1 + rng.below(16.min(len))).min(len);
            data.drain(at.min(end)..end);
        }
        // Truncate.
        7 => data.truncate(at),
        // Duplicate a slice in place.
        8 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(64)).min(len);
            let piece = data[start..end].to_vec();
            data.splice(at..at, piece);
        }
        // A count bomb: a slice repeated thousands of times.
        9 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(8)).min(len);
            let piece = data[start..end].to_vec();
            let times = 1 << (6 + rng.below(11));
            let bomb: Vec<u8> = piece
                .iter()
                .copied()
                .cycle()
                .take(piece.len() * times)
                .collect();
            data.splice(at..at, bomb);
        }
        // Deep nesting.
        10 => {
            let open = [b'[', b'{'][rng.below(2)];
            let depth = 1 << rng.below(17);
            data.splice(at..at, std::iter::repeat_n(open, depth));
        }
        // A long name or number.
        11 => {
            let piece: &[u8] = ["北".as_bytes(), b"a", b"9", b"\\"][rng.below(4)];
            let times = 1 << rng.below(15);
            let long: Vec<u8> = piece
                .iter()
                .copied()
                .cycle()
                .take(piece.len() * times)
                .collect();
            data.splice(at..at, long);
        }
        // Overwrite with a little-endian integer (counts and offsets in a
        // binary snapshot).
        12 if len >= 4 => {
            let i = rng.below(len - 3);
            let v = [
                0u32,
                1,
                u32::MAX,
                u32::MAX - 1,
                0x8000_0000,
                rng.next_u64() as u32,
            ][rng.below(6)];
            data[i..i + 4].copy_from_slice(&v.to_le_bytes());
        }
        // Invalid UTF-8 in the middle of a character.
        13 => data.insert(at, [0x80, 0xC0, 0xFE][rng.below(3)]),
        _ => {
            let t = TOKENS[rng.below(TOKENS.len())];
            data.splice(at..at, t.iter().copied());
        }
    }
}
