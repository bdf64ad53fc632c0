//! Append-only storage in fixed-size chunks: growing never copies what is
//! already stored.
//!
//! The ledger's case records and case-id text grow with every arrival, to
//! millions. Kept in one `Vec` each, every doubling copied the whole table
//! into fresh memory: about one last-level cache miss per arrival of a 1M
//! ingest was that copy. Here a full chunk stays where it is and the next
//! one is allocated beside it; a record's index (a `u32`) names its chunk
//! (high bits) and its place in it (low bits), so reading one costs a read
//! of a small, cached table of chunk pointers more than a flat array.
//!
//! The first chunk grows as a `Vec` does (a small ledger holds little),
//! up to the chunk size; later ones are allocated whole.

/// Records in chunks of `1 << SHIFT`.
#[derive(Clone)]
pub(crate) struct Chunked<T, const SHIFT: u32> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T, const SHIFT: u32> Default for Chunked<T, SHIFT> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T, const SHIFT: u32> Chunked<T, SHIFT> {
    const CHUNK: usize = 1 << SHIFT;
    const MASK: usize = Self::CHUNK - 1;

    /// How many records.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Appends `v`; its index is the former [`len`](Self::len).
    #[inline(always)]
    pub(crate) fn push(&mut self, v: T) {
        // A chunk's capacity is at most a chunk: room in it is room in
        // the chunk.
        match self.chunks.last_mut() {
            Some(c) if c.len() < c.capacity() => c.push(v),
            _ => self.grow(v),
        }
        self.len += 1;
    }

    /// [`push`](Self::push) into a full chunk: the first one doubles
    /// (capped at a chunk), a full-size one is followed by a new one.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, v: T) {
        match self.chunks.last_mut() {
            Some(c) if c.len() < Self::CHUNK => {
                let more = c.len().max(4).min(Self::CHUNK - c.len());
                c.reserve_exact(more);
                c.push(v);
            }
            _ => {
                let cap = if self.chunks.is_empty() {
                    4
                } else {
                    Self::CHUNK
                };
                let mut c = Vec::with_capacity(cap.min(Self::CHUNK));
                c.push(v);
                self.chunks.push(c);
            }
        }
    }

    /// The records in index order.
    pub(crate) fn iter(&self) -> Iter<'_, T> {
        Iter {
            inner: self.chunks.iter().flatten(),
            left: self.len,
        }
    }

    /// Record slots allocated (held or not).
    #[cfg(test)]
    fn capacity(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum()
    }
}

impl<T, const SHIFT: u32> std::ops::Index<usize> for Chunked<T, SHIFT> {
    type Output = T;
    #[inline(always)]
    fn index(&self, i: usize) -> &T {
        &self.chunks[i >> SHIFT][i & Self::MASK]
    }
}

impl<T, const SHIFT: u32> std::ops::IndexMut<usize> for Chunked<T, SHIFT> {
    #[inline(always)]
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i >> SHIFT][i & Self::MASK]
    }
}

impl<T, const SHIFT: u32> FromIterator<T> for Chunked<T, SHIFT> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut out = Chunked::default();
        for v in iter {
            out.push(v);
        }
        out
    }
}

/// Equal when the records are, whatever the chunks' capacities.
impl<T: PartialEq, const SHIFT: u32> PartialEq for Chunked<T, SHIFT> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Eq, const SHIFT: u32> Eq for Chunked<T, SHIFT> {}

impl<T: std::fmt::Debug, const SHIFT: u32> std::fmt::Debug for Chunked<T, SHIFT> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// [`Chunked::iter`].
pub(crate) struct Iter<'a, T> {
    inner: std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>,
    left: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        let v = self.inner.next()?;
        self.left -= 1;
        Some(v)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        let v = self.inner.next_back()?;
        self.left -= 1;
        Some(v)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

/// A span `[start, end)` of an [`Interned`] text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// log2 of an [`Interned`] chunk's size (1 MiB).
const TEXT_SHIFT: u32 = 20;
const TEXT_CHUNK: usize = 1 << TEXT_SHIFT;

/// Ids kept end to end in chunks of 1 MiB: an id never straddles two
/// chunks, so a span's start names its chunk (high bits) and its offset
/// in it (low bits). An id that does not fit in the rest of the current
/// chunk starts the next (the rest stays unused); one longer than a chunk
/// takes a chunk of its own size and the slots of as many chunks as it
/// spans (left empty), so offsets stay a chunk's size apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Interned {
    chunks: Vec<String>,
}

impl Interned {
    /// Where the next id of `n` bytes starts (its chunk may not exist yet).
    #[inline]
    fn next_start(&self, n: usize) -> usize {
        let last = self.chunks.len().saturating_sub(1) << TEXT_SHIFT;
        match self.chunks.last() {
            None => 0,
            Some(c) if c.len() + n <= TEXT_CHUNK => last + c.len(),
            // Past the chunks the last one spans (one, unless over-long).
            Some(c) => last + (c.len().div_ceil(TEXT_CHUNK).max(1) << TEXT_SHIFT),
        }
    }

    /// Adds `s`; `None` when it would end past 4 GiB of offsets.
    #[inline(always)]
    pub(crate) fn push(&mut self, s: &str) -> Option<Span> {
        let k = self.chunks.len();
        // Room in the last chunk's allocation, if it is not an over-long
        // id's: the common case, without growing anything.
        if let Some(c) = self.chunks.last_mut()
            && c.len() + s.len() <= c.capacity().min(TEXT_CHUNK)
        {
            let at = ((k - 1) << TEXT_SHIFT) + c.len();
            let end = u32::try_from(at + s.len()).ok()?;
            c.push_str(s);
            return Some(Span {
                start: at as u32,
                end,
            });
        }
        self.push_cold(s)
    }

    /// [`push`](Self::push) past the last chunk's allocation.
    #[cold]
    #[inline(never)]
    fn push_cold(&mut self, s: &str) -> Option<Span> {
        let at = self.next_start(s.len());
        let start = u32::try_from(at).ok()?;
        let end = u32::try_from(at + s.len()).ok()?;
        let slot = at >> TEXT_SHIFT;
        if slot >= self.chunks.len() {
            // Empty slots for the chunks an over-long id before spans.
            self.chunks.resize(slot, String::new());
            let cap = if s.len() > TEXT_CHUNK {
                s.len()
            } else if slot == 0 {
                s.len().max(64)
            } else {
                TEXT_CHUNK
            };
            self.chunks.push(String::with_capacity(cap));
        }
        let c = &mut self.chunks[slot];
        if c.len() + s.len() > c.capacity() {
            // Only the first chunk grows: doubling, capped at a chunk.
            let want = (c.len() + s.len()).max(2 * c.capacity()).min(TEXT_CHUNK);
            c.reserve_exact(want - c.len());
        }
        c.push_str(s);
        Some(Span { start, end })
    }

    /// The text of `span`.
    #[inline]
    pub(crate) fn get(&self, span: Span) -> &str {
        let at = span.start as usize;
        let from = at & (TEXT_CHUNK - 1);
        // No chunk only for an empty id that ended a full one: it starts
        // where the next chunk will.
        self.chunks
            .get(at >> TEXT_SHIFT)
            .map_or("", |c| &c[from..from + (span.end - span.start) as usize])
    }

    /// Whether `s` fits.
    pub(crate) fn fits(&self, s: &str) -> bool {
        self.next_start(s.len()) + s.len() <= u32::MAX as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Records read back by index, in order, across chunks of 4, as a
        /// `Vec` holds them; no chunk but the first is ever reallocated,
        /// so capacity stays within a chunk of the length.
        #[test]
        fn records_read_back(xs in proptest::collection::vec(any::<u32>(), 0..100)) {
            let mut c: Chunked<u32, 2> = Chunked::default();
            for &x in &xs {
                c.push(x);
            }
            prop_assert_eq!(c.len(), xs.len());
            for (i, x) in xs.iter().enumerate() {
                prop_assert_eq!(c[i], *x);
            }
            prop_assert_eq!(c.iter().len(), xs.len());
            prop_assert_eq!(c.iter().copied().collect::<Vec<_>>(), xs.clone());
            prop_assert_eq!(c.iter().rev().copied().collect::<Vec<_>>(), xs.iter().rev().copied().collect::<Vec<_>>());
            prop_assert!(c.capacity() < xs.len() + 4);
            let d: Chunked<u32, 2> = xs.iter().copied().collect();
            prop_assert_eq!(d, c);
            // Chunks of 16: the first grows 4, 8, 16.
            let e: Chunked<u32, 4> = xs.iter().copied().collect();
            prop_assert_eq!(e.iter().copied().collect::<Vec<_>>(), xs.clone());
            prop_assert!(e.capacity() <= (2 * xs.len()).max(4));
            prop_assert!(e.capacity() < xs.len() + 16);
        }

        /// Texts of any length, a chunk's or more among them, read back
        /// from their spans; a span's length is its text's; spans rise.
        #[test]
        fn texts_read_back(lens in proptest::collection::vec(
            prop_oneof![0..40usize, TEXT_CHUNK - 2..TEXT_CHUNK + 3, 2 * TEXT_CHUNK..2 * TEXT_CHUNK + 9],
            0..12,
        )) {
            let texts: Vec<String> = lens
                .iter()
                .enumerate()
                .map(|(i, &n)| char::from(b'a' + (i % 26) as u8).to_string().repeat(n))
                .collect();
            let mut t = Interned::default();
            let spans: Vec<Span> = texts.iter().map(|s| t.push(s).unwrap()).collect();
            let mut last = 0;
            for (s, span) in texts.iter().zip(&spans) {
                prop_assert_eq!(t.get(*span), s.as_str());
                prop_assert_eq!((span.end - span.start) as usize, s.len());
                prop_assert!(span.start >= last);
                last = span.end;
            }
        }
    }

    /// Past 4 GiB of offsets, nothing is added.
    #[test]
    fn text_limit() {
        // Pretend 4,095 chunks are taken (as an over-long id's empty
        // slots), without holding their memory.
        let mut t = Interned {
            chunks: vec![String::new(); u32::MAX as usize >> TEXT_SHIFT],
        };
        t.chunks.push(String::with_capacity(TEXT_CHUNK));
        let almost = "x".repeat(TEXT_CHUNK - 2);
        assert!(t.fits(&almost));
        assert!(t.push(&almost).is_some());
        assert!(t.fits("y"));
        assert!(!t.fits("yz"));
        assert!(t.push("yz").is_none());
        let y = t.push("y").unwrap();
        assert_eq!((t.get(y), y.end), ("y", u32::MAX));
        assert!(!t.fits("y"));
        assert!(t.push("y").is_none());
    }
}
