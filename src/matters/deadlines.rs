//! The queue of pending deadlines: a calendar queue.
//!
//! Deadlines are pushed in roughly rising time (an event's time plus one of
//! a few limits) and taken in exact time order as the clock passes them.
//! A binary heap of every pending deadline (two per case: millions) reads
//! a parent far from the end on each push and walks its whole height, a
//! cache miss a level, on each pop. Here deadlines go, unsorted, into
//! buckets of 2^[`SHIFT`] seconds, found by a hash of their start (a
//! small heap orders the starts; buckets pushed to lately are found
//! without it): a push appends to its bucket, 16 bytes
//! (the time within the bucket, not the full timestamp). When the clock reaches the first bucket, it is sorted once
//! into `near` and taken from the front. A deadline due within the bucket
//! already taken goes into `near` in order.
//!
//! Stale entries (a case accepted, resolved or reopened since) stay until
//! their time, as in a heap with lazy deletion: the ledger checks each
//! taken entry against its case.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::matters::state::Pending;

/// log2 of a bucket's width in seconds (1,024 s, about 17 minutes).
const SHIFT: u32 = 10;

/// No bucket: below every bucket number (`i64::MIN >> SHIFT`).
const NO_BUCKET: i64 = i64::MIN;

/// Slots of [`Deadlines::hot`] (a power of two).
const HOT: usize = 8;

/// The slot of [`Deadlines::hot`] for `bucket`: the top bits of a
/// multiplicative hash, so buckets a day apart (84 and a bit) spread.
#[inline]
fn hot_slot(bucket: i64) -> usize {
    ((bucket as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - HOT.trailing_zeros())) as usize
}

/// A deadline in a bucket: its time as an offset from the bucket's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    offset: u32,
    case: u32,
    kind: u8,
    generation: u32,
}

/// Pending deadlines in time order (then case, then kind, then generation:
/// [`Pending`]'s order), stale ones included.
#[derive(Debug, Clone)]
pub(crate) struct Deadlines {
    /// The deadlines of buckets up to `near_bucket`, ascending; the first
    /// `head` are taken.
    near: Vec<Pending>,
    head: usize,
    /// The last bucket moved into `near`; every deadline in `far` lies in
    /// a later bucket.
    near_bucket: i64,
    /// Later deadlines by bucket (due >> SHIFT), unsorted within one, in
    /// no order: `far` gives a bucket's index here.
    buckets: Vec<(i64, Vec<Slot>)>,
    /// Each bucket of `buckets` to its index. The hash is foldhash seeded
    /// at random, as for the ledger's key indexes: bucket numbers follow
    /// the callers' times.
    far: HashTable<(i64, usize)>,
    hasher: DefaultHashBuilder,
    /// Buckets pushed to lately, with their indices ([`NO_BUCKET`] when
    /// none), each in the slot its number picks: a ledger's deadlines come
    /// in a few streams (accept and resolve limits of a few rules), each
    /// filling one bucket for a while, so most pushes find theirs here
    /// without the table.
    hot: [(i64, usize); HOT],
    /// The buckets of `far`, least first.
    order: BinaryHeap<Reverse<i64>>,
    /// The last bucket opened, and how many deadlines it took.
    last_opened: i64,
    opened: usize,
    len: usize,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            near: Vec::new(),
            head: 0,
            near_bucket: i64::MIN,
            buckets: Vec::new(),
            far: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
            hot: [(NO_BUCKET, 0); HOT],
            order: BinaryHeap::new(),
            last_opened: i64::MIN,
            opened: 0,
            len: 0,
        }
    }
}

impl Deadlines {
    /// How many deadlines wait, stale ones included.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Queues `p`.
    #[inline]
    pub(crate) fn push(&mut self, p: Pending) {
        self.len += 1;
        let bucket = p.due >> SHIFT;
        if bucket <= self.near_bucket {
            let at = self.head + self.near[self.head..].partition_point(|q| *q <= p);
            self.near.insert(at, p);
            return;
        }
        let slot = Slot {
            offset: (p.due - (bucket << SHIFT)) as u32,
            case: p.case,
            kind: p.kind,
            generation: p.generation,
        };
        let hot = hot_slot(bucket);
        let (i, new) = if self.hot[hot].0 == bucket {
            (self.hot[hot].1, false)
        } else {
            let (i, new) = self.locate(bucket);
            self.hot[hot] = (bucket, i);
            (i, new)
        };
        let slots = &mut self.buckets[i].1;
        slots.push(slot);
        // A new bucket leaves the count of the one opened before, which
        // sizes the next.
        if bucket == self.last_opened && !new {
            self.opened = slots.len();
        }
    }

    /// The index of `bucket` in `buckets`, and whether it is new (opened
    /// here).
    fn locate(&mut self, bucket: i64) -> (usize, bool) {
        let h = self.hasher.hash_one(bucket);
        if let Some(&(_, i)) = self.far.find(h, |e| e.0 == bucket) {
            return (i, false);
        }
        // Sized like the last bucket opened, whose stream this one
        // likely continues: a steady stream fills its buckets without
        // copying them as they grow. At most twice the mean bucket, so
        // capacity stays within a few times the deadlines queued,
        // whatever the times.
        let mean = self.len / self.buckets.len().max(1);
        let slots = Vec::with_capacity(self.opened.min(2 * mean).max(4));
        let i = self.buckets.len();
        self.buckets.push((bucket, slots));
        let hasher = &self.hasher;
        self.far
            .insert_unique(h, (bucket, i), |e| hasher.hash_one(e.0));
        self.order.push(Reverse(bucket));
        self.last_opened = bucket;
        (i, true)
    }

    /// Takes the first deadline if it is due at or before `t`.
    #[inline]
    pub(crate) fn pop_due(&mut self, t: i64) -> Option<Pending> {
        if self.head == self.near.len() && !self.refill(t) {
            return None;
        }
        let p = self.near[self.head];
        if p.due > t {
            return None;
        }
        self.head += 1;
        self.len -= 1;
        if self.head == self.near.len() {
            self.near.clear();
            self.head = 0;
        }
        Some(p)
    }

    /// With `near` empty: moves the first bucket of `far` into it, sorted,
    /// if that bucket starts at or before `t`. Whether it did.
    fn refill(&mut self, t: i64) -> bool {
        let Some(&Reverse(bucket)) = self.order.peek() else {
            return false;
        };
        if bucket > t >> SHIFT {
            return false;
        }
        self.order.pop();
        let h = self.hasher.hash_one(bucket);
        let Ok(entry) = self.far.find_entry(h, |e| e.0 == bucket) else {
            unreachable!("every bucket in the order is in the table")
        };
        let ((_, i), _) = entry.remove();
        let (_, slots) = self.buckets.swap_remove(i);
        if let Some(&(moved, _)) = self.buckets.get(i) {
            // The last bucket took its place.
            let h = self.hasher.hash_one(moved);
            if let Some(e) = self.far.find_mut(h, |e| e.0 == moved) {
                e.1 = i;
            }
        }
        self.hot = [(NO_BUCKET, 0); HOT];
        let start = bucket << SHIFT;
        self.near.clear();
        self.head = 0;
        self.near.extend(slots.iter().map(|s| unslot(start, s)));
        self.near.sort_unstable();
        self.near_bucket = bucket;
        true
    }

    /// Every pending deadline, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Pending> + '_ {
        self.near[self.head..].iter().copied().chain(
            self.buckets
                .iter()
                .flat_map(|(b, slots)| slots.iter().map(move |s| unslot(b << SHIFT, s))),
        )
    }
}

fn unslot(start: i64, s: &Slot) -> Pending {
    Pending {
        due: start + i64::from(s.offset),
        case: s.case,
        kind: s.kind,
        generation: s.generation,
    }
}

impl FromIterator<Pending> for Deadlines {
    fn from_iter<I: IntoIterator<Item = Pending>>(iter: I) -> Self {
        let mut d = Deadlines::default();
        for p in iter {
            d.push(p);
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// Pushes and ticks, against the obvious queue: a sorted set.
    #[derive(Debug, Clone)]
    enum Op {
        Push(i64, u32, u8, u32),
        Tick(i64),
    }

    fn time() -> impl Strategy<Value = i64> {
        prop_oneof![
            8 => -5_000i64..20_000,
            1 => Just(i64::MAX),
            1 => Just(i64::MIN),
            1 => (i64::MAX - 3_000)..=i64::MAX,
            1 => i64::MIN..=(i64::MIN + 3_000),
            1 => any::<i64>(),
        ]
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (time(), 0u32..8, 0u8..2, 0u32..3).prop_map(|(t, c, k, g)| Op::Push(t, c, k, g)),
            1 => time().prop_map(Op::Tick),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn calendar_queue_matches_a_sorted_set(ops in proptest::collection::vec(op(), 1..200)) {
            let mut q = Deadlines::default();
            // Duplicates are allowed in the queue: the reference counts them.
            let mut reference: BTreeSet<(Pending, usize)> = BTreeSet::new();
            for (k, op) in ops.into_iter().enumerate() {
                match op {
                    Op::Push(due, case, kind, generation) => {
                        let p = Pending { due, case, kind, generation };
                        q.push(p);
                        reference.insert((p, k));
                    }
                    Op::Tick(t) => {
                        loop {
                            let want = reference.first().filter(|e| e.0.due <= t).copied();
                            if let Some(e) = want {
                                reference.remove(&e);
                            }
                            prop_assert_eq!(q.pop_due(t), want.map(|e| e.0));
                            if want.is_none() {
                                break;
                            }
                        }
                    }
                }
                prop_assert_eq!(q.len(), reference.len());
                let mut all: Vec<Pending> = q.iter().collect();
                all.sort_unstable();
                let want: Vec<Pending> = reference.iter().map(|e| e.0).collect();
                prop_assert_eq!(all, want);
            }
        }
    }
}
