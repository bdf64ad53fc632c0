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

/// One matter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct MatterRec {
    pub(crate) key: Key,
    /// Its first case's category: where the roll-ups count it.
    pub(crate) category: u16,
    /// Its gravest grade so far.
    pub(crate) severity: u16,
    pub(crate) open: bool,
    pub(crate) need: Need,
    pub(crate) people: u64,
    /// The lowest common ancestor of every place.
    pub(crate) start: u32,
    pub(crate) handler: u32,
    /// The handler when the matter opened.
    pub(crate) first_handler: u32,
    pub(crate) opened_at: i64,
    /// Distinct place units, sorted.
    pub(crate) places: Vec<u32>,
    /// Its first and last case (a list through the ledger's `case_next`)
    /// and how many it has.
    pub(crate) first_case: u32,
    pub(crate) last_case: u32,
    pub(crate) case_count: u32,
    /// The oldest case of the burst window (`NONE` when empty) and how
    /// many cases the window holds; it slides forward as cases age out,
    /// and empties when a burst fires (one burst raises once).
    pub(crate) window_start: u32,
    pub(crate) window_count: u32,
    /// When the window's oldest case arrived (`i64::MIN` when the window
    /// is empty): the common arrival checks it here, without reading that
    /// case's record. Not saved: a load sets it from the cases.
    #[cfg_attr(feature = "serde", serde(skip, default = "empty_window"))]
    pub(crate) window_since: i64,
    /// Its latest escalation, or `NONE` (a list through
    /// [`EscalationRec::prev`](crate::matters::escalation::EscalationRec)).
    pub(crate) last_escalation: u32,
    /// The places seen within the spread window, when the rules have one.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub(crate) recent: Option<Box<Recent>>,
}

/// [`MatterRec::window_since`] of an empty window.
#[cfg(feature = "serde")]
fn empty_window() -> i64 {
    i64::MIN
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
    }
}
