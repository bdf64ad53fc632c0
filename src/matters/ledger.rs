//! The [`Ledger`]: events in, matters, handlers and escalations out.

use std::borrow::Borrow;
use std::sync::Arc;

use crate::exchange::load::excerpt;
use crate::matters::deadlines::Deadlines;
use crate::matters::error::LedgerError;
use crate::matters::escalation::{Cases, EscalationRec, Rule};
use crate::matters::event::{Arrival, Event, EventRecord, Timestamp};
use crate::matters::index::{Index, same};
use crate::matters::rollup::{Field, Rollup};
use crate::matters::rules::{Compiled, MatterRules, RulesError};
use crate::matters::state::{
    CaseRec, CaseState, Interned, Key, MatterCold, MatterRec, Need, Pending, UNGRADED,
};
use crate::model::hierarchy::{Hierarchy, NONE};
use crate::routing::{CompiledPolicy, Decision, Place, RouteError, Router, read_places};

/// A ledger of matters on one hierarchy, under one routing policy and one
/// set of [`MatterRules`]. See the [module docs](crate::matters).
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Arrival, Ledger};
/// use xzqh::routing::{Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
/// let here = [Place::Code("110105021")]; // 南磨房地区, 朝阳区
/// ledger.arrive(Arrival::new("c1", "wages-site-7", "public_complaint", &here, 0))?;
/// assert_eq!(ledger.matter("wages-site-7").unwrap().handler().code(), "110105021");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ledger<'h> {
    pub(crate) h: &'h Hierarchy,
    pub(crate) policy: Arc<CompiledPolicy>,
    pub(crate) rules: MatterRules,
    pub(crate) compiled: Compiled,
    /// The ledger's clock; `i64::MIN` before the first event.
    pub(crate) now: Timestamp,
    pub(crate) matters: Vec<MatterRec>,
    /// What of each matter arrivals do not read, by matter index.
    pub(crate) cold: Vec<MatterCold>,
    pub(crate) matter_index: Index,
    pub(crate) cases: Vec<CaseRec>,
    /// Each case's next case of the same matter, or `NONE`: a matter's
    /// cases are a list, so a matter holds no vector of them. Apart from
    /// the case records (4 bytes a case, not a 40-byte record's line), so
    /// that linking an arrival to its matter's last case and sliding a
    /// burst window read a small array instead of records far apart.
    pub(crate) case_next: Vec<u32>,
    /// The cases' ids, end to end.
    pub(crate) case_ids: Interned,
    pub(crate) case_index: Index,
    pub(crate) escalations: Vec<EscalationRec>,
    pub(crate) pending: Deadlines,
    pub(crate) rollup: Rollup,
    scratch: Decision<'h>,
    /// The category of the latest arrival (`usize::MAX` before any): a
    /// stream of cases mostly repeats a few categories, and a comparison
    /// with one name costs a fraction of a hash lookup.
    last_category: usize,
}

impl<'h> Ledger<'h> {
    /// An empty ledger on the router's hierarchy, under the policy in force
    /// now (a later [`Router::set_policy`] does not change it).
    ///
    /// # Errors
    ///
    /// A [`RulesError`] for rules out of range or naming a category or
    /// grade the policy lacks.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Deadline, Ledger, MatterRules, RulesError};
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut rules = MatterRules::new("r");
    /// rules.deadlines.push(Deadline::new().category("fishing"));
    /// let err = Ledger::new(&router, rules).unwrap_err();
    /// assert_eq!(err.to_string(), "deadlines[0].category: unknown category `fishing`");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new<H: Borrow<Hierarchy>>(
        router: &'h Router<H>,
        rules: MatterRules,
    ) -> Result<Ledger<'h>, RulesError> {
        let policy = router.policy();
        let compiled = rules.compile(&policy, router.hierarchy().schema())?;
        let h = router.hierarchy();
        Ok(Ledger {
            h,
            policy,
            rules,
            compiled,
            now: i64::MIN,
            matters: Vec::new(),
            cold: Vec::new(),
            matter_index: Index::default(),
            cases: Vec::new(),
            case_next: Vec::new(),
            case_ids: Interned::default(),
            case_index: Index::default(),
            escalations: Vec::new(),
            pending: Deadlines::default(),
            rollup: Rollup::new(h),
            scratch: Decision::new(h),
            last_category: usize::MAX,
        })
    }

    /// The hierarchy.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.hierarchy().len(), xzqh::china().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hierarchy(&self) -> &'h Hierarchy {
        self.h
    }

    /// The rules.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.rules().name, "china-default");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rules(&self) -> &MatterRules {
        &self.rules
    }

    /// The ledger's time: that of the latest event, `None` before any.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// assert_eq!(ledger.now(), None);
    /// ledger.tick(100)?;
    /// assert_eq!(ledger.now(), Some(100));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn now(&self) -> Option<Timestamp> {
        (self.now != i64::MIN).then_some(self.now)
    }

    /// Applies one event; returns how many escalations it caused (they are
    /// the last ones of [`Ledger::escalations`]).
    ///
    /// # Errors
    ///
    /// A [`LedgerError`]; the ledger is then unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Arrival, Event, Ledger};
    /// use xzqh::routing::{Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    /// let here = [Place::Code("110105021")];
    /// ledger.apply(&Event::Arrive(Arrival::new("c1", "m", "public_complaint", &here, 0)))?;
    /// ledger.apply(&Event::Accept { case: "c1", at: 60 })?;
    /// ledger.apply(&Event::Resolve { case: "c1", at: 120 })?;
    /// let err = ledger.apply(&Event::Accept { case: "c1", at: 180 }).unwrap_err();
    /// assert_eq!(err.to_string(), "case `c1` is resolved: cannot accept");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, event: &Event<'_>) -> Result<usize, LedgerError> {
        let before = self.escalations.len();
        match *event {
            // By reference: an arrival is 96 bytes.
            Event::Arrive(ref a) => self.arrive_at(a)?,
            Event::Accept { case, at } => self.transition(case, at, Action::Accept)?,
            Event::Resolve { case, at } => self.transition(case, at, Action::Resolve)?,
            Event::Reopen { case, at } => self.transition(case, at, Action::Reopen)?,
            Event::Close { matter, at } => self.close(matter, at)?,
            Event::Deescalate { matter, to, at } => self.deescalate(matter, to, at)?,
            Event::Tick { at } => {
                let t = self.clock(at)?;
                self.run_clock(t);
            }
        }
        Ok(self.escalations.len() - before)
    }

    /// Applies an owned event, as read from a log.
    ///
    /// # Errors
    ///
    /// As [`Ledger::apply`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{EventRecord, Ledger};
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    /// ledger.apply_record(&EventRecord::Tick { at: 5 })?;
    /// assert_eq!(ledger.now(), Some(5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_record(&mut self, record: &EventRecord) -> Result<usize, LedgerError> {
        match record {
            EventRecord::Arrive {
                case,
                matter,
                category,
                severity,
                places,
                people,
                at,
            } => {
                let places: Vec<Place<'_>> = places.iter().map(|p| p.as_place()).collect();
                let mut a = Arrival::new(case, matter, category, &places, *at).people(*people);
                a.severity = severity.as_deref();
                self.apply(&Event::Arrive(a))
            }
            EventRecord::Accept { case, at } => self.apply(&Event::Accept { case, at: *at }),
            EventRecord::Resolve { case, at } => self.apply(&Event::Resolve { case, at: *at }),
            EventRecord::Reopen { case, at } => self.apply(&Event::Reopen { case, at: *at }),
            EventRecord::Close { matter, at } => self.apply(&Event::Close { matter, at: *at }),
            EventRecord::Deescalate { matter, to, at } => self.apply(&Event::Deescalate {
                matter,
                to: to.as_place(),
                at: *at,
            }),
            EventRecord::Tick { at } => self.apply(&Event::Tick { at: *at }),
        }
    }

    /// A case arrives: [`Event::Arrive`].
    ///
    /// # Errors
    ///
    /// As [`Ledger::apply`]: a case id seen before, a place, category or
    /// grade the router cannot read, no unit able to handle the matter, or
    /// a time too far back.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Arrival, Ledger};
    /// use xzqh::routing::{Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    /// let nowhere = [Place::Code("999999")];
    /// let err = ledger.arrive(Arrival::new("c1", "m", "petition", &nowhere, 0)).unwrap_err();
    /// assert_eq!(err.to_string(), "case `c1`: unknown place 999999");
    /// assert!(ledger.matter("m").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn arrive(&mut self, arrival: Arrival<'_>) -> Result<usize, LedgerError> {
        // As `apply` does for `Event::Arrive`, without copying the arrival
        // into an event.
        let before = self.escalations.len();
        self.arrive_at(&arrival)?;
        Ok(self.escalations.len() - before)
    }

    /// Runs the clock to `now`: every deadline due by then expires, in
    /// time order, each raising its matter one tier.
    ///
    /// # Errors
    ///
    /// [`LedgerError::TimeBackwards`] for a time further back than the
    /// rules tolerate.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = xzqh::matters::Ledger::new(&router, xzqh::china::matter_rules())?;
    /// ledger.tick(1_000)?;
    /// assert!(ledger.tick(0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tick(&mut self, now: Timestamp) -> Result<usize, LedgerError> {
        self.apply(&Event::Tick { at: now })
    }

    /// The time an event at `at` takes effect: the ledger's clock never
    /// runs back, and a step back within the tolerance counts as now.
    fn clock(&self, at: Timestamp) -> Result<Timestamp, LedgerError> {
        if self.now == i64::MIN {
            return Ok(at);
        }
        if at < self.now.saturating_sub(self.compiled.tolerance) {
            return Err(LedgerError::TimeBackwards {
                at,
                now: self.now,
                tolerance: self.compiled.tolerance,
            });
        }
        Ok(at.max(self.now))
    }

    /// Expires every deadline due by `t`, then sets the clock.
    fn run_clock(&mut self, t: Timestamp) {
        while let Some(p) = self.pending.pop_due(t) {
            let case = &self.cases[p.case as usize];
            let live = p.generation == case.generation
                && match p.kind {
                    0 => case.state == CaseState::Open,
                    _ => case.state.is_open(),
                };
            if !live {
                continue;
            }
            let mi = case.matter;
            if !case.overdue {
                let (place, cat, grade) = (case.place, case.category, case.severity);
                self.cases[p.case as usize].overdue = true;
                self.rollup
                    .add(&self.h.parent, place, Field::Overdue, cat, grade, 1);
            }
            let rule = if p.kind == 0 {
                Rule::AcceptOverdue { due: p.due }
            } else {
                Rule::ResolveOverdue { due: p.due }
            };
            self.raise_one(mi, rule, p.due, Cases::one(p.case));
        }
        self.now = t;
    }

    /// The index of the case with id `case`.
    #[inline]
    pub(crate) fn case_id(&self, case: &str) -> Option<u32> {
        self.case_index.get(case, |i| {
            self.case_ids.get(self.cases[i as usize].id).as_bytes()
        })
    }

    /// The index of the matter with key `key`.
    #[inline]
    pub(crate) fn matter_id(&self, key: &str) -> Option<u32> {
        self.matter_index
            .get(key, |i| self.matters[i as usize].key.as_bytes())
    }

    fn lookup_case(&self, case: &str) -> Result<u32, LedgerError> {
        self.case_id(case).ok_or_else(|| LedgerError::UnknownCase {
            case: excerpt(case),
        })
    }

    fn lookup_matter(&self, matter: &str) -> Result<u32, LedgerError> {
        self.matter_id(matter)
            .ok_or_else(|| LedgerError::UnknownMatter {
                matter: excerpt(matter),
            })
    }

    /// The index of the policy's category `name`.
    #[inline]
    fn category(&mut self, name: &str) -> Option<usize> {
        let last = self.last_category;
        // The index found last is the first of its name, as a lookup gives.
        if let Some(c) = self.policy.categories.get(last)
            && same(c.name.as_bytes(), name.as_bytes())
        {
            return Some(last);
        }
        let c = self.compiled.category(name)?;
        self.last_category = c;
        Some(c)
    }

    /// Reads a case's places into the scratch decision.
    fn read(&mut self, case: &str, places: &[Place<'_>]) -> Result<(), LedgerError> {
        let err = |source| LedgerError::Route {
            case: excerpt(case),
            source,
        };
        if places.is_empty() {
            return Err(err(RouteError::NoPlaces));
        }
        self.scratch.h = self.h;
        read_places(places, &mut self.scratch).map_err(err)
    }

    fn arrive_at(&mut self, a: &Arrival<'_>) -> Result<(), LedgerError> {
        let t = self.clock(a.at)?;
        // Hashed and probed once: looked up here, added below.
        let case_hash = self.case_index.hash(a.case);
        let (cases, ids) = (&self.cases, &self.case_ids);
        let Err(case_slot) = self.case_index.find(case_hash, a.case, |i| {
            ids.get(cases[i as usize].id).as_bytes()
        }) else {
            return Err(LedgerError::DuplicateCase {
                case: excerpt(a.case),
            });
        };
        if self.cases.len() >= u32::MAX as usize - 1 {
            return Err(LedgerError::Full {
                what: "cases",
                max: u64::from(u32::MAX - 1),
            });
        }
        if !self.case_ids.fits(a.case) {
            return Err(LedgerError::Full {
                what: "bytes of case ids",
                max: u64::from(u32::MAX),
            });
        }
        let route_err = |source| LedgerError::Route {
            case: excerpt(a.case),
            source,
        };
        let c = self.category(a.category).ok_or_else(|| {
            route_err(RouteError::UnknownCategory {
                category: excerpt(a.category),
            })
        })?;
        let s = match a.severity {
            Some(name) => Some(self.policy.severity(name).ok_or_else(|| {
                route_err(RouteError::UnknownSeverity {
                    severity: excerpt(name),
                })
            })?),
            None => None,
        };
        self.read(a.case, a.places)?;
        // The roll-up walk's first two levels lie far apart in large
        // tables (a village's record, its township's): read now, their
        // misses overlap the lookups and checks below instead of stalling
        // the walk at the end.
        touch(self.rollup.warm(&self.h.parent, self.scratch.places[0]));
        // Hashed and probed once: looked up here, added below for a new
        // matter.
        let matter_hash = self.matter_index.hash(a.matter);
        let matters = &self.matters;
        let found = self.matter_index.find(matter_hash, a.matter, |i| {
            matters[i as usize].key.as_bytes()
        });
        let existing = found.ok();
        if let Some(m) = existing {
            // The link to write from the matter's last case, as above.
            let last = self.matters[m as usize].last_case;
            touch(self.case_next.get(last as usize).copied());
        }
        if existing.is_none() && self.matters.len() >= u32::MAX as usize - 1 {
            return Err(LedgerError::Full {
                what: "matters",
                max: u64::from(u32::MAX - 1),
            });
        }
        // Where the climb starts: one LCA step per new place from the
        // matter's current start (the LCA of a set grows by joining it
        // with each new member; a place inside the start's subtree costs
        // one interval test).
        let (mut start, need0, people0) = match existing {
            Some(m) => {
                let m = &self.matters[m as usize];
                (m.start, m.need(), m.people)
            }
            None => (self.scratch.places[0], Need::ANY, 0),
        };
        match (self.compiled.spread, existing) {
            // With a window, the start is the LCA of the places seen within
            // it: of the least and greatest ids among them and the new ones.
            (Some(w), Some(m)) => {
                let cut = t.saturating_sub(w);
                let places = &self.scratch.places;
                let (mut lo, mut hi) = (places[0], places[0]);
                for &p in places {
                    (lo, hi) = (lo.min(p), hi.max(p));
                }
                let recent = self.cold[m as usize].recent.as_deref();
                if let Some((l, h)) = recent.and_then(|r| r.bounds(cut)) {
                    (lo, hi) = (lo.min(l), hi.max(h));
                }
                start = self.h.lca_raw(lo, hi);
            }
            _ => {
                for &p in &self.scratch.places {
                    if !self.h.contains_raw(start, p) {
                        start = self.h.lca_raw(start, p);
                    }
                }
            }
        }
        let people = people0.saturating_add(a.people);
        let need = need0.with(&self.policy, c, s, people);
        let (moved, cand) = match existing {
            Some(m) if start == self.matters[m as usize].start && need == need0 => {
                (false, self.matters[m as usize].handler)
            }
            _ => {
                let cand = need.climb(&self.policy, self.h, start).ok_or_else(|| {
                    route_err(RouteError::NoHandler {
                        from: self.h.codes.get(start).to_owned(),
                        category: excerpt(a.category),
                    })
                })?;
                (true, cand)
            }
        };
        // Everything is checked: from here the event takes effect.
        self.run_clock(t);
        let ci = self.cases.len() as u32;
        let grade = s.map_or(UNGRADED, |s| s as u16);
        let place = self.scratch.places[0];
        let mi = match found {
            Ok(mi) => mi,
            Err(at) => {
                let mi = self.matters.len() as u32;
                self.matters.push(MatterRec::new(
                    Key::new(a.matter),
                    c as u16,
                    grade,
                    need,
                    people,
                    start,
                    cand,
                    ci,
                ));
                self.cold.push(MatterCold {
                    first_handler: cand,
                    first_case: ci,
                    last_escalation: NONE,
                    opened_at: t,
                    recent: self.compiled.spread.map(|_| Box::default()),
                });
                self.matter_index.insert_vacant(at, matter_hash, mi);
                self.rollup
                    .add(&self.h.parent, cand, Field::Matters, c as u16, grade, 1);
                mi
            }
        };
        let id = self.case_ids.push(a.case).expect("checked above");
        self.cases.push(CaseRec {
            id,
            matter: mi,
            place,
            category: c as u16,
            severity: grade,
            arrived: t,
            state: CaseState::Open,
            reopens: 0,
            generation: 0,
            overdue: false,
        });
        self.case_next.push(NONE);
        self.case_index.insert_vacant(case_slot, case_hash, ci);
        self.rollup
            .add(&self.h.parent, place, Field::Cases, c as u16, grade, 1);
        let m = &mut self.matters[mi as usize];
        if m.case_count > 0 {
            let last = m.last_case;
            self.case_next[last as usize] = ci;
        }
        m.last_case = ci;
        m.case_count += 1;
        for &p in &self.scratch.places {
            m.places.insert(p);
        }
        // The cold part only with a spread window (China's rules have none).
        if let Some(w) = self.compiled.spread
            && let Some(r) = self.cold[mi as usize].recent.as_deref_mut()
        {
            r.expire(t.saturating_sub(w));
            for &p in &self.scratch.places {
                r.see(p, t);
            }
        }
        if !m.open {
            m.open = true;
            let (h, cat, g) = (m.handler, m.category, m.severity);
            self.rollup
                .add(&self.h.parent, h, Field::Matters, cat, g, 1);
        }
        if existing.is_some() {
            self.grow(mi, start, need, people, grade, cand, moved, t, ci);
        }
        self.schedule(ci, c, s, t, true);
        self.burst(mi, ci, t);
        Ok(())
    }

    /// An existing matter takes a case: its start, needs, people and grade
    /// grow; the handler moves up to the candidate if that is higher, or
    /// up to the first unit that can carry the new needs.
    #[allow(clippy::too_many_arguments)]
    fn grow(
        &mut self,
        mi: u32,
        start: u32,
        need: Need,
        people: u64,
        grade: u16,
        cand: u32,
        moved: bool,
        t: Timestamp,
        ci: u32,
    ) {
        let m = &self.matters[mi as usize];
        let (old_start, old_need, old_people, old_grade) =
            (m.start, m.need(), m.people, m.severity);
        let graver = grade != UNGRADED && (old_grade == UNGRADED || grade > old_grade);
        let new_grade = if graver { grade } else { old_grade };
        if new_grade != old_grade && m.open {
            let (h, cat) = (m.handler, m.category);
            self.rollup
                .add(&self.h.parent, h, Field::Matters, cat, old_grade, -1);
            self.rollup
                .add(&self.h.parent, h, Field::Matters, cat, new_grade, 1);
        }
        let m = &mut self.matters[mi as usize];
        m.start = start;
        m.set_need(need);
        m.people = people;
        m.severity = new_grade;
        if !moved {
            return;
        }
        let handler = m.handler;
        let to = if !self.h.contains_raw(handler, start) {
            // Only with a spread window: the places that took the handler
            // where it is aged out, and the matter turned up elsewhere.
            self.transfer(need, cand, handler)
        } else if cand != handler && self.h.contains_raw(cand, handler) {
            cand
        } else if need.met_by(&self.policy, self.h, handler) {
            return;
        } else {
            // The handler covers every place, so the climb from it ends at
            // or below the root's answer, which exists (cand was found).
            need.climb(&self.policy, self.h, handler).unwrap_or(cand)
        };
        let rule = if start != old_start {
            Rule::Spread
        } else if graver {
            Rule::Severity
        } else if self.policy.scale_level(people).map(|x| x.0)
            != self.policy.scale_level(old_people).map(|x| x.0)
        {
            Rule::Scale
        } else {
            debug_assert_ne!(need, old_need);
            Rule::Category
        };
        self.move_handler(mi, to, rule, t, Cases::one(ci));
    }

    /// Where a matter goes when its places in the spread window lie
    /// outside its handler's area: the first unit from `cand` (the climb's
    /// answer for those places) upwards that may handle it and stands at
    /// the handler's tier or above, so the handler never goes down a tier.
    fn transfer(&self, need: Need, cand: u32, handler: u32) -> u32 {
        let rank = |u: u32| self.h.kind_def(u).level().rank();
        let tier = rank(handler);
        let mut u = cand;
        while u != NONE {
            if rank(u) <= tier && need.met_by(&self.policy, self.h, u) {
                return u;
            }
            u = self.h.parent[u as usize];
        }
        // No unit of that tier above the places may handle it: the
        // handler's and the places' common ancestor climbs instead.
        let common = self.h.lca_raw(handler, cand);
        need.climb(&self.policy, self.h, common).unwrap_or(handler)
    }

    /// Moves matter `mi` to handler `to`, recording why.
    fn move_handler(&mut self, mi: u32, to: u32, rule: Rule, t: Timestamp, cases: Cases) {
        let m = &mut self.matters[mi as usize];
        let from = m.handler;
        if from == to {
            return;
        }
        m.handler = to;
        let cold = &mut self.cold[mi as usize];
        let prev = std::mem::replace(&mut cold.last_escalation, self.escalations.len() as u32);
        let (open, cat, grade) = (m.open, m.category, m.severity);
        if open {
            self.rollup
                .add(&self.h.parent, from, Field::Matters, cat, grade, -1);
            self.rollup
                .add(&self.h.parent, to, Field::Matters, cat, grade, 1);
        }
        self.escalations.push(EscalationRec {
            matter: mi,
            at: t,
            from,
            to,
            rule,
            cases,
            prev,
        });
    }

    /// Raises matter `mi` one tier: to the first unit above its handler
    /// that can carry it. At the top, nothing happens.
    fn raise_one(&mut self, mi: u32, rule: Rule, t: Timestamp, cases: Cases) {
        let m = &self.matters[mi as usize];
        if !m.open {
            return;
        }
        let parent = self.h.parent[m.handler as usize];
        if parent == NONE {
            return;
        }
        if let Some(to) = m.need().climb(&self.policy, self.h, parent) {
            self.move_handler(mi, to, rule, t, cases);
        }
    }

    /// Queues case `ci`'s deadlines from `t`.
    fn schedule(&mut self, ci: u32, c: usize, s: Option<usize>, t: Timestamp, accept: bool) {
        let Some(rule) = self.compiled.deadline(&self.rules, c, s) else {
            return;
        };
        let generation = self.cases[ci as usize].generation;
        let kinds = [
            (0, if accept { rule.accept_within } else { None }),
            (1, rule.resolve_within),
        ];
        for (kind, within) in kinds {
            if let Some(w) = within {
                self.pending.push(Pending {
                    due: self.compiled.due(t, w),
                    case: ci,
                    kind,
                    generation,
                });
            }
        }
    }

    /// The burst rule after case `ci` arrives at `t`: the window slides
    /// past cases older than its width (each case leaves it once), and N
    /// cases in it fire.
    fn burst(&mut self, mi: u32, ci: u32, t: Timestamp) {
        let category = self.matters[mi as usize].category;
        let Some(rule) = self.compiled.bursts[usize::from(category)] else {
            return;
        };
        let (n, within_hours) = (rule.cases, rule.within_hours);
        let window = i64::from(within_hours) * 3600;
        let m = &mut self.matters[mi as usize];
        if m.window_start == NONE {
            m.window_start = ci;
            m.window_since = t;
        }
        m.window_count += 1;
        while m.window_since < t.saturating_sub(window) {
            m.window_start = self.case_next[m.window_start as usize];
            m.window_since = self.cases[m.window_start as usize].arrived;
            m.window_count -= 1;
        }
        if m.window_count < n {
            return;
        }
        // The window's cases, from its oldest to the last: recorded as a
        // run of the matter's list, not walked.
        let cases = Cases::Run {
            first: m.window_start,
            len: m.window_count,
        };
        m.window_start = NONE;
        m.window_count = 0;
        m.window_since = i64::MIN;
        let m = &self.matters[mi as usize];
        // One tier above what the places and needs alone demand, not above
        // the handler: bursts do not stack (sixty calls in a morning are
        // one crowd, not six), while deadlines and repetition do.
        let base = m
            .need()
            .climb(&self.policy, self.h, m.start)
            .unwrap_or(m.handler);
        let parent = self.h.parent[base as usize];
        let above = if parent == NONE {
            None
        } else {
            m.need().climb(&self.policy, self.h, parent)
        };
        let handler = m.handler;
        let ceiling = rule.ceiling;
        let Some(to) = above.filter(|&to| {
            to != handler
                && self.h.contains_raw(to, handler)
                && ceiling.is_none_or(|c| self.h.kind_def(to).level().rank() >= c)
        }) else {
            return;
        };
        let rule = Rule::Burst {
            cases: n,
            within_hours,
        };
        self.move_handler(mi, to, rule, t, cases);
    }

    fn transition(&mut self, case: &str, at: Timestamp, action: Action) -> Result<(), LedgerError> {
        let t = self.clock(at)?;
        let ci = self.lookup_case(case)?;
        let rec = &self.cases[ci as usize];
        let ok = match action {
            Action::Accept => rec.state == CaseState::Open,
            Action::Resolve => rec.state.is_open(),
            Action::Reopen => rec.state == CaseState::Resolved,
        };
        if !ok {
            return Err(LedgerError::State {
                case: excerpt(case),
                state: rec.state.name(),
                action: action.name(),
            });
        }
        if action == Action::Reopen && !self.matters[rec.matter as usize].open {
            return Err(LedgerError::Closed {
                matter: excerpt(&self.matters[rec.matter as usize].key),
            });
        }
        self.run_clock(t);
        match action {
            Action::Accept => self.cases[ci as usize].state = CaseState::Accepted,
            Action::Resolve => self.finish(ci, CaseState::Resolved),
            Action::Reopen => {
                let rec = &mut self.cases[ci as usize];
                rec.state = CaseState::Accepted;
                rec.reopens += 1;
                rec.generation = rec.generation.wrapping_add(1);
                let (place, cat, grade, reopens, mi) = (
                    rec.place,
                    rec.category,
                    rec.severity,
                    rec.reopens,
                    rec.matter,
                );
                self.rollup
                    .add(&self.h.parent, place, Field::Cases, cat, grade, 1);
                let s = (grade != UNGRADED).then_some(usize::from(grade));
                self.schedule(ci, usize::from(cat), s, t, false);
                if let Some(r) = self.compiled.repetition
                    && reopens == r.reopens
                {
                    let rule = Rule::Repetition { reopens };
                    self.raise_one(mi, rule, t, Cases::one(ci));
                }
            }
        }
        Ok(())
    }

    /// Case `ci` stops being open.
    fn finish(&mut self, ci: u32, state: CaseState) {
        let rec = &mut self.cases[ci as usize];
        rec.state = state;
        let (place, cat, grade) = (rec.place, rec.category, rec.severity);
        if std::mem::take(&mut rec.overdue) {
            self.rollup
                .add(&self.h.parent, place, Field::Overdue, cat, grade, -1);
        }
        self.rollup
            .add(&self.h.parent, place, Field::Cases, cat, grade, -1);
    }

    fn close(&mut self, matter: &str, at: Timestamp) -> Result<(), LedgerError> {
        let t = self.clock(at)?;
        let mi = self.lookup_matter(matter)?;
        self.run_clock(t);
        if !self.matters[mi as usize].open {
            return Ok(());
        }
        let mut ci = self.cold[mi as usize].first_case;
        while ci != NONE {
            if self.cases[ci as usize].state.is_open() {
                self.finish(ci, CaseState::Closed);
            } else {
                self.cases[ci as usize].state = CaseState::Closed;
            }
            ci = self.case_next[ci as usize];
        }
        let m = &mut self.matters[mi as usize];
        m.open = false;
        let (h, cat, grade) = (m.handler, m.category, m.severity);
        self.rollup
            .add(&self.h.parent, h, Field::Matters, cat, grade, -1);
        Ok(())
    }

    fn deescalate(
        &mut self,
        matter: &str,
        to: Place<'_>,
        at: Timestamp,
    ) -> Result<(), LedgerError> {
        let t = self.clock(at)?;
        let mi = self.lookup_matter(matter)?;
        if !self.matters[mi as usize].open {
            return Err(LedgerError::Closed {
                matter: excerpt(matter),
            });
        }
        self.read(matter, &[to])?;
        let m = &self.matters[mi as usize];
        let unit = self.scratch.places[0];
        if self.scratch.places.len() != 1
            || !self.h.contains_raw(unit, m.start)
            || !m.need().met_by(&self.policy, self.h, unit)
        {
            return Err(LedgerError::CannotHandle {
                matter: excerpt(matter),
                unit: self.h.codes.get(unit).to_owned(),
            });
        }
        self.run_clock(t);
        self.move_handler(mi, unit, Rule::Deescalation, t, Cases::NONE);
        Ok(())
    }
}

/// Reads `x` and does nothing with it: a read started early, whose
/// cache miss overlaps the work before the value's real use.
#[inline(always)]
fn touch<T>(x: T) {
    std::hint::black_box(x);
}

/// What is done to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Accept,
    Resolve,
    Reopen,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Resolve => "resolve",
            Action::Reopen => "reopen",
        }
    }
}
