//! Reading a ledger: matters, cases, escalations, roll-ups, and the
//! equality that replay and snapshots must keep.

use crate::matters::escalation::{Escalation, Explain};
use crate::matters::event::Timestamp;
use crate::matters::ledger::Ledger;
use crate::matters::rollup::Counts;
use crate::matters::state::{CaseRec, MatterCold, MatterRec, Pending, Recent};
use crate::model::hierarchy::NONE;
use crate::model::unit::Unit;

impl<'h> Ledger<'h> {
    /// A matter by its key.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert!(ledger.matter("nothing").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matter(&self, key: &str) -> Option<Matter<'_>> {
        let i = self.matter_id(key)?;
        Some(Matter {
            ledger: self,
            rec: &self.matters[i as usize],
            cold: &self.cold[i as usize],
        })
    }

    /// Every matter, in the order they opened (`.rev()` for the newest
    /// first).
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.matters().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matters(&self) -> impl ExactSizeIterator<Item = Matter<'_>> + DoubleEndedIterator + '_ {
        self.matters
            .iter()
            .zip(&self.cold)
            .map(move |(rec, cold)| Matter {
                ledger: self,
                rec,
                cold,
            })
    }

    /// Every escalation, in the order they happened (`.rev()` for the
    /// newest first).
    ///
    /// # Examples
    ///
    /// See [`Escalation`].
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.escalations().len(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn escalations(
        &self,
    ) -> impl ExactSizeIterator<Item = Escalation<'_>> + DoubleEndedIterator + '_ {
        self.escalations
            .iter()
            .map(move |rec| Escalation { ledger: self, rec })
    }

    /// A matter's story, one line per step; see [`Explain`].
    ///
    /// # Examples
    ///
    /// See [`Explain`].
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert!(ledger.explain("nothing").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain(&self, key: &str) -> Option<Explain<'_>> {
        let matter = self.matter_id(key)?;
        Some(Explain {
            ledger: self,
            matter,
        })
    }

    /// The roll-up of a unit's area: open matters handled there, open and
    /// overdue cases located there. Zero for a unit of another hierarchy.
    ///
    /// # Examples
    ///
    /// See [`Counts`].
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.counts(xzqh::china().root()).cases, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn counts(&self, unit: Unit<'_>) -> Counts {
        if unit.h.stamp != self.h.stamp {
            return Counts::default();
        }
        self.rollup.totals(unit.id)
    }

    /// The roll-up of a unit's area by category and grade: one row per
    /// (category, grade) with open matters or cases, in policy order
    /// (ungraded last). Empty for a unit of another hierarchy.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Arrival, Ledger};
    /// use xzqh::routing::{Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    /// let a = [Place::Code("110105")];
    /// ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0).severity("general"))?;
    /// let rows = ledger.breakdown(xzqh::china().root());
    /// assert_eq!((rows[0].category, rows[0].severity, rows[0].cases), ("petition", Some("general"), 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn breakdown(&self, unit: Unit<'_>) -> Vec<Breakdown<'_>> {
        if unit.h.stamp != self.h.stamp {
            return Vec::new();
        }
        let p = &*self.policy;
        self.rollup
            .rows(unit.id)
            .map(|(c, g, matters, cases)| Breakdown {
                category: &p.categories[usize::from(c)].name,
                severity: p.severities.get(usize::from(g)).map(|s| s.0.as_str()),
                matters,
                cases,
            })
            .collect()
    }

    /// A case by its id.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Arrival, Event, Ledger};
    /// use xzqh::routing::{Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    /// let here = [Place::Code("110105021"), Place::Code("110105")];
    /// ledger.arrive(Arrival::new("c1", "m", "public_complaint", &here, 0))?;
    /// ledger.apply(&Event::Accept { case: "c1", at: 60 })?;
    /// let c = ledger.case("c1").unwrap();
    /// assert_eq!((c.matter(), c.state(), c.place().code()), ("m", "accepted", "110105021"));
    /// assert_eq!((c.arrived(), c.reopens(), c.is_open(), c.is_overdue()), (0, 0, true, false));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn case(&self, id: &str) -> Option<CaseEntry<'_>> {
        let i = self.case_id(id)?;
        Some(CaseEntry {
            ledger: self,
            rec: &self.cases[i as usize],
        })
    }

    /// Every case, in the order they arrived.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.cases().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cases(&self) -> impl ExactSizeIterator<Item = CaseEntry<'_>> + '_ {
        self.cases
            .iter()
            .map(move |rec| CaseEntry { ledger: self, rec })
    }

    /// How many deadlines wait in the queue (expired and stale ones leave
    /// it as the clock passes them).
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.pending_deadlines(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending_deadlines(&self) -> usize {
        self.pending.len()
    }

    /// Bytes the ledger holds on the heap for its matters (with their keys,
    /// places, case lists and index entries), excluding cases.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.matter_bytes(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matter_bytes(&self) -> usize {
        self.matters.capacity() * std::mem::size_of::<MatterRec>()
            + self.cold.capacity() * std::mem::size_of::<MatterCold>()
            + self.matter_index.bytes()
            + self
                .matters
                .iter()
                .zip(&self.cold)
                .map(|(m, cold)| {
                    let recent = cold.recent.as_deref().map_or(0, |r| {
                        std::mem::size_of::<Recent>()
                            + std::mem::size_of::<(u32, i64)>()
                                * (r.low.capacity() + r.high.capacity())
                    });
                    m.key.heap_bytes() + m.places.heap_bytes() + recent
                })
                .sum::<usize>()
    }
}

impl<'h> Ledger<'h> {
    /// Matter `mi`'s case indices, in arrival order.
    pub(crate) fn cases_of(&self, mi: u32) -> impl Iterator<Item = u32> + '_ {
        let mut c = self.cold[mi as usize].first_case;
        std::iter::from_fn(move || {
            (c != NONE).then(|| {
                let here = c;
                c = self.case_next[c as usize];
                here
            })
        })
    }

    /// Matter `mi`'s escalations, in order.
    pub(crate) fn escalations_of(&self, mi: u32) -> std::vec::IntoIter<Escalation<'_>> {
        let mut out = Vec::new();
        let mut e = self.cold[mi as usize].last_escalation;
        while e != NONE {
            let rec = &self.escalations[e as usize];
            out.push(Escalation { ledger: self, rec });
            e = rec.prev;
        }
        out.reverse();
        out.into_iter()
    }
}

/// Two ledgers are equal when they hold the same state: the same clock,
/// matters, cases, escalations, pending deadlines and roll-ups, under equal
/// rules (what replaying a log from empty must reproduce).
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Arrival, EventRecord, Ledger};
/// use xzqh::routing::{Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut live = Ledger::new(&router, xzqh::china::matter_rules())?;
/// let here = [Place::Code("110105021")];
/// let arrival = Arrival::new("c1", "m", "public_complaint", &here, 0);
/// live.arrive(arrival)?;
/// let log = [EventRecord::from_event(&xzqh::matters::Event::Arrive(arrival))];
/// let mut replayed = Ledger::new(&router, xzqh::china::matter_rules())?;
/// for e in &log {
///     replayed.apply_record(e)?;
/// }
/// assert!(replayed == live);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl PartialEq for Ledger<'_> {
    fn eq(&self, other: &Self) -> bool {
        let pending = |l: &Ledger<'_>| {
            let mut v: Vec<Pending> = l.pending.iter().collect();
            v.sort_unstable();
            v
        };
        std::ptr::eq(self.h, other.h)
            && self.rules == other.rules
            && self.now == other.now
            && self.matters == other.matters
            && self.cold == other.cold
            && self.cases == other.cases
            && self.case_next == other.case_next
            && self.case_ids == other.case_ids
            && self.escalations.len() == other.escalations.len()
            && self
                .escalations
                .iter()
                .zip(&other.escalations)
                .all(|(a, b)| a.same(&self.case_next, b, &other.case_next))
            && self.rollup == other.rollup
            && pending(self) == pending(other)
    }
}

/// One row of [`Ledger::breakdown`].
///
/// # Examples
///
/// See [`Ledger::breakdown`].
///
/// ```
/// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
/// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
/// assert!(ledger.breakdown(xzqh::china().root()).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Breakdown<'l> {
    /// The category.
    pub category: &'l str,
    /// The grade, `None` for ungraded.
    pub severity: Option<&'l str>,
    /// Open matters.
    pub matters: u32,
    /// Open cases.
    pub cases: u32,
}

/// A matter, read from a [`Ledger`].
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Arrival, Ledger};
/// use xzqh::routing::{Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
/// let a = [Place::Code("110105"), Place::Code("110118")];
/// ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0).people(30))?;
/// let m = ledger.matter("m").unwrap();
/// assert_eq!((m.key(), m.handler().code(), m.start().code()), ("m", "11", "11"));
/// assert_eq!((m.cases(), m.people(), m.is_open(), m.category()), (1, 30, true, "petition"));
/// assert_eq!(m.places().map(|u| u.code()).collect::<Vec<_>>(), ["110105", "110118"]);
/// assert_eq!(m.severity(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Matter<'l> {
    ledger: &'l Ledger<'l>,
    rec: &'l MatterRec,
    cold: &'l MatterCold,
}

#[allow(missing_docs)] // each is shown in the type's example
impl<'l> Matter<'l> {
    /// The key.
    pub fn key(&self) -> &'l str {
        &self.rec.key
    }
    /// The unit that handles it now.
    pub fn handler(&self) -> Unit<'l> {
        Unit {
            h: self.ledger.h,
            id: self.rec.handler,
        }
    }
    /// The lowest common ancestor of its places (with a
    /// [`Spread`](crate::matters::Spread) window, of those its cases
    /// touched within the window up to its latest case).
    pub fn start(&self) -> Unit<'l> {
        Unit {
            h: self.ledger.h,
            id: self.rec.start,
        }
    }
    /// Its distinct places, in id order.
    pub fn places(&self) -> impl ExactSizeIterator<Item = Unit<'l>> + 'l {
        let h = self.ledger.h;
        let ids: Vec<u32> = self.rec.places.iter().collect();
        ids.into_iter().map(move |id| Unit { h, id })
    }
    /// How many cases it has had.
    pub fn cases(&self) -> usize {
        self.rec.case_count as usize
    }
    /// People involved, over all its cases.
    pub fn people(&self) -> u64 {
        self.rec.people
    }
    /// Whether it is open.
    pub fn is_open(&self) -> bool {
        self.rec.open
    }
    /// Its first case's category.
    pub fn category(&self) -> &'l str {
        &self.ledger.policy.categories[usize::from(self.rec.category)].name
    }
    /// Its gravest grade, if any case was graded.
    pub fn severity(&self) -> Option<&'l str> {
        self.ledger
            .policy
            .severities
            .get(usize::from(self.rec.severity))
            .map(|s| s.0.as_str())
    }
    /// Its escalations, in order.
    pub fn escalations(&self) -> impl ExactSizeIterator<Item = Escalation<'l>> + 'l {
        let i = self
            .ledger
            .matter_id(&self.rec.key)
            .expect("every matter is in the index");
        self.ledger.escalations_of(i)
    }
    /// Its cases, in the order they arrived: a walk of the matter's own
    /// list, so its cost is the matter's size, not the ledger's.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Arrival, Ledger};
    /// use xzqh::routing::{Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    /// let a = [Place::Code("110105")];
    /// ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
    /// ledger.arrive(Arrival::new("c2", "other", "petition", &a, 0))?;
    /// ledger.arrive(Arrival::new("c3", "m", "petition", &a, 0))?;
    /// let m = ledger.matter("m").unwrap();
    /// let ids: Vec<_> = m.case_entries().map(|c| c.id()).collect();
    /// assert_eq!(ids, ["c1", "c3"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn case_entries(&self) -> impl Iterator<Item = CaseEntry<'l>> + 'l {
        let ledger = self.ledger;
        let mut c = self.cold.first_case;
        std::iter::from_fn(move || {
            (c != NONE).then(|| {
                let rec = &ledger.cases[c as usize];
                c = ledger.case_next[c as usize];
                CaseEntry { ledger, rec }
            })
        })
    }
}

/// A case, read from a [`Ledger`] with [`Ledger::case`].
///
/// # Examples
///
/// See [`Ledger::case`].
///
/// ```
/// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
/// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
/// assert!(ledger.case("c1").is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CaseEntry<'l> {
    ledger: &'l Ledger<'l>,
    rec: &'l CaseRec,
}

#[allow(missing_docs)] // each is shown in `Ledger::case`'s example
impl<'l> CaseEntry<'l> {
    /// The id.
    pub fn id(&self) -> &'l str {
        self.ledger.case_ids.get(self.rec.id)
    }
    /// Its matter's key.
    pub fn matter(&self) -> &'l str {
        &self.ledger.matters[self.rec.matter as usize].key
    }
    /// `open`, `accepted`, `resolved` or `closed`.
    pub fn state(&self) -> &'static str {
        self.rec.state.name()
    }
    /// Whether it is open (arrived or accepted, not resolved or closed).
    pub fn is_open(&self) -> bool {
        self.rec.state.is_open()
    }
    /// Whether it is open past a deadline.
    pub fn is_overdue(&self) -> bool {
        self.rec.overdue
    }
    /// The unit of its first place, where the roll-ups count it.
    pub fn place(&self) -> Unit<'l> {
        Unit {
            h: self.ledger.h,
            id: self.rec.place,
        }
    }
    /// When it arrived.
    pub fn arrived(&self) -> Timestamp {
        self.rec.arrived
    }
    /// How many times it was reopened.
    pub fn reopens(&self) -> u32 {
        self.rec.reopens
    }
}
