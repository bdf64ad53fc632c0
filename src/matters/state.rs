//! The ledger's inner records (matters and cases) and the climb that finds
//! a matter's handler.

use crate::model::hierarchy::{Hierarchy, NONE};
use crate::routing::{CompiledPolicy, Mask, may_handle};

/// No severity grade.
pub(crate) const UNGRADED: u16 = u16::MAX;

/// What a matter's handler must satisfy: the union of its categories'
/// needs and the most senior level its categories, grades and people
/// demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Need {
    /// Roles every category allows.
    pub(crate) roles: u8,
    /// Competences some category needs.
    pub(crate) needs: Mask,
    /// The most senior level rank demanded (lower rank is more senior).
    pub(crate) rank: Option<u8>,
}

impl Need {
    pub(crate) const ANY: Need = Need {
        roles: u8::MAX,
        needs: 0,
        rank: None,
    };

    /// Adds what a case of category `c`, grade `s` and a matter of `people`
    /// demand.
    pub(crate) fn with(
        self,
        policy: &CompiledPolicy,
        c: usize,
        s: Option<usize>,
        people: u64,
    ) -> Need {
        let cat = &policy.categories[c];
        let mut rank = self.rank;
        let mut demand = |r: u8| {
            if rank.is_none_or(|x| r < x) {
                rank = Some(r);
            }
        };
        if let Some(l) = cat.min_level {
            demand(l.rank());
        }
        if let Some(s) = s {
            demand(policy.severities[s].1.rank());
        }
        if let Some((_, l)) = policy.scale_level(people) {
            demand(l.rank());
        }
        Need {
            roles: self.roles & cat.roles,
            needs: self.needs | cat.needs,
            rank,
        }
    }

    /// Whether unit `u` satisfies it.
    #[inline]
    pub(crate) fn met_by(&self, policy: &CompiledPolicy, h: &Hierarchy, u: u32) -> bool {
        may_handle(policy, h, u, self.roles, self.needs, self.rank)
    }

    /// The first unit from `u` upwards (itself included) that satisfies
    /// it, or `None` past the root.
    pub(crate) fn climb(&self, policy: &CompiledPolicy, h: &Hierarchy, mut u: u32) -> Option<u32> {
        while u != NONE {
            if self.met_by(policy, h, u) {
                return Some(u);
            }
            u = h.parent[u as usize];
        }
        None
    }
}

/// A case's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) enum CaseState {
    Open,
    Accepted,
    Resolved,
    Closed,
}

impl CaseState {
    pub(crate) fn name(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::Accepted => "accepted",
            CaseState::Resolved => "resolved",
            CaseState::Closed => "closed",
        }
    }

    /// Whether the case counts as open (not resolved, not closed).
    pub(crate) fn is_open(self) -> bool {
        matches!(self, CaseState::Open | CaseState::Accepted)
    }
}

/// One case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CaseRec {
    /// Its id: a span of the ledger's case text, so arriving cases
    /// allocate nothing of their own.
    pub(crate) id: Span,
    pub(crate) matter: u32,
    /// The unit of its first place: where the roll-ups count it.
    pub(crate) place: u32,
    pub(crate) category: u16,
    pub(crate) severity: u16,
    pub(crate) arrived: i64,
    pub(crate) state: CaseState,
    pub(crate) reopens: u32,
    /// Bumped whenever its deadlines are set anew: older queued entries are stale.
    pub(crate) generation: u32,
    pub(crate) overdue: bool,
}

/// One matter: what an arrival reads and writes, in two lines of 64 bytes
/// (the record is aligned to them), its places among them; what only
/// queries, closing and escalations read is in its [`MatterCold`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[repr(align(64))]
pub(crate) struct MatterRec {
    pub(crate) key: Key,
    /// Its first case's category: where the roll-ups count it.
    pub(crate) category: u16,
    /// Its gravest grade so far.
    pub(crate) severity: u16,
    pub(crate) open: bool,
    /// Its [`Need`], field by field (a `Need` pads to 16 bytes).
    roles: u8,
    rank: Option<u8>,
    needs: Mask,
    pub(crate) people: u64,
    /// The lowest common ancestor of every place.
    pub(crate) start: u32,
    pub(crate) handler: u32,
    /// Distinct place units.
    pub(crate) places: Places,
    /// Its last case (its list runs on through the ledger's `case_next`)
    /// and how many it has.
    pub(crate) last_case: u32,
    pub(crate) case_count: u32,
    /// The oldest case of the burst window (`NONE` when empty) and how
    /// many cases the window holds; it slides forward as cases age out,
    /// and empties when a burst fires (one burst raises once).
    pub(crate) window_start: u32,
    pub(crate) window_count: u32,
    /// When the window's oldest case arrived (`i64::MIN` when the window
    /// is empty): the common arrival checks it here, without reading that
    /// case's record.
    pub(crate) window_since: i64,
}

// Two lines.
const _: () = assert!(std::mem::size_of::<MatterRec>() == 128);

impl MatterRec {
    /// A matter opened by case `case` at `t`, with handler `handler`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        key: Key,
        category: u16,
        severity: u16,
        need: Need,
        people: u64,
        start: u32,
        handler: u32,
        case: u32,
    ) -> MatterRec {
        let mut m = MatterRec {
            key,
            category,
            severity,
            open: true,
            roles: 0,
            rank: None,
            needs: 0,
            people,
            start,
            handler,
            places: Places::default(),
            last_case: case,
            case_count: 0,
            window_start: NONE,
            window_count: 0,
            window_since: i64::MIN,
        };
        m.set_need(need);
        m
    }

    /// What its handler must satisfy.
    #[inline]
    pub(crate) fn need(&self) -> Need {
        Need {
            roles: self.roles,
            needs: self.needs,
            rank: self.rank,
        }
    }

    #[inline]
    pub(crate) fn set_need(&mut self, need: Need) {
        (self.roles, self.needs, self.rank) = (need.roles, need.needs, need.rank);
    }
}

/// What of a matter its arrivals do not read, apart from its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MatterCold {
    /// The handler when the matter opened.
    pub(crate) first_handler: u32,
    /// Its first case: the head of its list through the ledger's
    /// `case_next`.
    pub(crate) first_case: u32,
    /// Its latest escalation, or `NONE` (a list through
    /// [`EscalationRec::prev`](crate::matters::escalation::EscalationRec)).
    pub(crate) last_escalation: u32,
    pub(crate) opened_at: i64,
    /// The places seen within the spread window, when the rules have one.
    pub(crate) recent: Option<Box<Recent>>,
}

/// How many places a matter holds in its record.
pub(crate) const INLINE_PLACES: usize = 10;

/// A matter's distinct places in id order: the [`INLINE_PLACES`] least in
/// the record (`NONE` past the last), the others, when it has more, in a
/// sorted vector. An arrival at a matter of at most ten places reads no
/// other block, nor one at a place below its tenth least. One layout for
/// one set of places, so equal sets compare equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Places {
    least: [u32; INLINE_PLACES],
    /// Boxed: a thin pointer keeps the record within two lines.
    #[allow(clippy::box_collection)]
    rest: Option<Box<Vec<u32>>>,
}

impl Default for Places {
    fn default() -> Self {
        Places {
            least: [NONE; INLINE_PLACES],
            rest: None,
        }
    }
}

impl Places {
    /// The places of a sorted, distinct list.
    #[cfg(feature = "serde")]
    pub(crate) fn from_sorted(sorted: &[u32]) -> Places {
        let mut p = Places::default();
        let k = sorted.len().min(INLINE_PLACES);
        p.least[..k].copy_from_slice(&sorted[..k]);
        if sorted.len() > INLINE_PLACES {
            p.rest = Some(Box::new(sorted[INLINE_PLACES..].to_vec()));
        }
        p
    }

    /// How many.
    pub(crate) fn len(&self) -> usize {
        self.least.iter().take_while(|&&u| u != NONE).count()
            + self.rest.as_ref().map_or(0, |r| r.len())
    }

    /// The places, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.least
            .iter()
            .copied()
            .take_while(|&u| u != NONE)
            .chain(self.rest.iter().flat_map(|r| r.iter().copied()))
    }

    /// Adds `p` (not `NONE`) if absent.
    #[inline]
    pub(crate) fn insert(&mut self, p: u32) {
        debug_assert_ne!(p, NONE);
        // The first inline slot at or above `p` (an empty slot's `NONE` is
        // above every place): the count of the places below it, compared
        // all at once, without a branch on where `p` lies.
        let i = self.least.iter().filter(|&&u| u < p).count();
        if i == INLINE_PLACES {
            return self.insert_rest(p);
        }
        if self.least[i] == p {
            return;
        }
        let last = self.least[INLINE_PLACES - 1];
        self.least.copy_within(i..INLINE_PLACES - 1, i + 1);
        self.least[i] = p;
        if last != NONE {
            self.rest.get_or_insert_default().insert(0, last);
        }
    }

    /// [`insert`](Self::insert) for a place above every inline one.
    #[cold]
    fn insert_rest(&mut self, p: u32) {
        let rest = self.rest.get_or_insert_default();
        if let Err(at) = rest.binary_search(&p) {
            rest.insert(at, p);
        }
    }

    /// Bytes outside the record.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.rest
            .as_ref()
            .map_or(0, |r| std::mem::size_of::<Vec<u32>>() + 4 * r.capacity())
    }
}

/// The places a matter's cases touched within the spread window, as two
/// monotone queues of (place, last seen): `low` holds places in rising id
/// order and `high` in falling id order, both in the order seen; a place
/// stays only while no later-seen place has a lower id (for
/// `low`) or a higher one (for `high`). The front of each, once places
/// older than the window are dropped, is the least (greatest) place id in
/// the window; pre-order ids make their common ancestor that of every
/// place in the window. Each place seen enters and leaves each queue at
/// most once: amortised O(1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Recent {
    pub(crate) low: std::collections::VecDeque<(u32, i64)>,
    pub(crate) high: std::collections::VecDeque<(u32, i64)>,
}

impl Recent {
    /// The least and greatest place ids seen at or after `cut`, if any.
    pub(crate) fn bounds(&self, cut: i64) -> Option<(u32, u32)> {
        let lo = self.low.iter().find(|e| e.1 >= cut)?.0;
        let hi = self.high.iter().find(|e| e.1 >= cut)?.0;
        Some((lo, hi))
    }

    /// Place `p` seen at `t` (not before any earlier call's `t`).
    pub(crate) fn see(&mut self, p: u32, t: i64) {
        while self.low.back().is_some_and(|e| e.0 >= p) {
            self.low.pop_back();
        }
        self.low.push_back((p, t));
        while self.high.back().is_some_and(|e| e.0 <= p) {
            self.high.pop_back();
        }
        self.high.push_back((p, t));
    }

    /// Drops the places last seen before `cut`.
    pub(crate) fn expire(&mut self, cut: i64) {
        while self.low.front().is_some_and(|e| e.1 < cut) {
            self.low.pop_front();
        }
        while self.high.front().is_some_and(|e| e.1 < cut) {
            self.high.pop_front();
        }
    }
}

/// A pending deadline in the queue, ordered by time, then case, then kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Pending {
    pub(crate) due: i64,
    pub(crate) case: u32,
    /// 0 = accept, 1 = resolve.
    pub(crate) kind: u8,
    pub(crate) generation: u32,
}

/// How many bytes of a matter key its record holds inline.
const INLINE_KEY: usize = 22;

/// A matter's key: up to [`INLINE_KEY`] bytes in the record itself (no
/// allocation, and a lookup compares it in the record it reads anyway,
/// without a miss on a separate block), longer ones boxed. Saved and
/// loaded as a string.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Key {
    Inline { len: u8, bytes: [u8; INLINE_KEY] },
    Boxed(Box<str>),
}

// As small as the boxed string with its tag: 24 bytes.
const _: () = assert!(std::mem::size_of::<Key>() == 24);

impl Key {
    pub(crate) fn new(s: &str) -> Key {
        if s.len() <= INLINE_KEY {
            let mut bytes = [0; INLINE_KEY];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Key::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Key::Boxed(s.into())
        }
    }

    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Key::Boxed(b) => b.as_bytes(),
        }
    }

    /// The key (always UTF-8: it was copied whole from a `str`).
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Key::Boxed(b) => b,
        }
    }

    /// Bytes held outside the record.
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Key::Inline { .. } => 0,
            Key::Boxed(b) => b.len(),
        }
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Key::new(&s))
    }
}

/// A span `[start, end)` of an interned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// Ids kept end to end in one string: one allocation grows for them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Interned {
    text: String,
}

impl Interned {
    /// Adds `s`; `None` when the text would pass 4 GiB.
    #[inline]
    pub(crate) fn push(&mut self, s: &str) -> Option<Span> {
        let start = u32::try_from(self.text.len()).ok()?;
        let end = u32::try_from(self.text.len() + s.len()).ok()?;
        self.text.push_str(s);
        Some(Span { start, end })
    }

    /// The text of `span`.
    #[inline]
    pub(crate) fn get(&self, span: Span) -> &str {
        &self.text[span.start as usize..span.end as usize]
    }

    /// Whether `s` fits.
    pub(crate) fn fits(&self, s: &str) -> bool {
        self.text.len() + s.len() <= u32::MAX as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A key reads back as the text it was made from, inline or boxed
        /// (by length), and two keys are equal exactly when their texts are.
        #[test]
        fn keys_read_back(a in "\\PC{0,30}", b in "\\PC{0,30}") {
            let (ka, kb) = (Key::new(&a), Key::new(&b));
            prop_assert_eq!(ka.as_str(), a.as_str());
            prop_assert_eq!(ka.as_bytes(), a.as_bytes());
            prop_assert_eq!(matches!(ka, Key::Inline { .. }), a.len() <= INLINE_KEY);
            prop_assert_eq!(ka.heap_bytes(), if a.len() <= INLINE_KEY { 0 } else { a.len() });
            prop_assert_eq!(ka == kb, a == b);
        }

        /// Against a sorted set: the places read back ascending and
        /// distinct, however they arrived around the inline slots, and
        /// equal sets take one layout (the one a snapshot loads).
        #[test]
        fn places_are_a_sorted_set(ids in proptest::collection::vec(0u32..40, 0..30)) {
            let mut p = Places::default();
            let mut set = std::collections::BTreeSet::new();
            for &u in &ids {
                p.insert(u);
                set.insert(u);
                prop_assert_eq!(p.iter().collect::<Vec<_>>(), set.iter().copied().collect::<Vec<_>>());
                prop_assert_eq!(p.len(), set.len());
            }
            let sorted: Vec<u32> = set.into_iter().collect();
            let mut again = Places::default();
            for &u in sorted.iter().rev() {
                again.insert(u);
            }
            prop_assert_eq!(&again, &p);
            prop_assert_eq!(p.heap_bytes() > 0, sorted.len() > INLINE_PLACES);
            #[cfg(feature = "serde")]
            prop_assert_eq!(&Places::from_sorted(&sorted), &p);
        }
    }
}
