//! Saving and loading a ledger's state as JSON (feature `serde`).
//!
//! The document holds the rules, the clock, the matters, cases,
//! escalations and pending deadlines; the indexes and roll-ups are rebuilt
//! on load (the roll-ups by recounting, so a loaded ledger equals the one
//! saved). Loading checks the size against [`LoadLimits::max_bytes`], every
//! id and index against the hierarchy and the policy, and that the
//! document was written for a hierarchy of the same size under a policy of
//! the same name: hostile input fails with a [`LoadError`], never a panic.

use crate::exchange::load::{LoadError, LoadLimits};
use crate::matters::escalation::{Cases, EscalationRec, Rule};
use crate::matters::ledger::Ledger;
use crate::matters::rollup::{Field, Rollup};
use crate::matters::rules::MatterRules;
use crate::matters::state::{
    CaseRec, CaseState, Interned, Key, MatterCold, MatterRec, Need, Pending, Places, Recent,
    UNGRADED,
};
use crate::model::hierarchy::{Hierarchy, NONE};
use crate::routing::Router;

/// The `format` field of a ledger snapshot.
const FORMAT: &str = "xzqh-matters";
/// The version this build reads and writes.
const VERSION: u32 = 1;

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    format: String,
    version: u64,
    units: u64,
    policy: String,
    rules: MatterRules,
    now: i64,
    matters: Vec<MatterDoc>,
    cases: Vec<CaseDoc>,
    escalations: Vec<EscalationDoc>,
    pending: Vec<Pending>,
}

/// An escalation as the document holds it: its cases listed.
#[derive(serde::Serialize, serde::Deserialize)]
struct EscalationDoc {
    matter: u32,
    at: i64,
    from: u32,
    to: u32,
    rule: Rule,
    cases: Box<[u32]>,
    prev: u32,
}

impl EscalationDoc {
    fn new(e: &EscalationRec, next: &[u32]) -> EscalationDoc {
        EscalationDoc {
            matter: e.matter,
            at: e.at,
            from: e.from,
            to: e.to,
            rule: e.rule,
            cases: e.cases.iter(next).collect(),
            prev: e.prev,
        }
    }

    fn rec(self) -> EscalationRec {
        EscalationRec {
            matter: self.matter,
            at: self.at,
            from: self.from,
            to: self.to,
            rule: self.rule,
            cases: Cases::List(self.cases),
            prev: self.prev,
        }
    }
}

/// A matter as the document holds it: its record and its cold part in
/// one, its places listed.
#[derive(serde::Serialize, serde::Deserialize)]
struct MatterDoc {
    key: Key,
    category: u16,
    severity: u16,
    open: bool,
    need: Need,
    people: u64,
    start: u32,
    handler: u32,
    first_handler: u32,
    opened_at: i64,
    places: Vec<u32>,
    first_case: u32,
    last_case: u32,
    case_count: u32,
    window_start: u32,
    window_count: u32,
    last_escalation: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recent: Option<Box<Recent>>,
}

impl MatterDoc {
    fn new(m: &MatterRec, cold: &MatterCold) -> MatterDoc {
        MatterDoc {
            key: m.key.clone(),
            category: m.category,
            severity: m.severity,
            open: m.open,
            need: m.need(),
            people: m.people,
            start: m.start,
            handler: m.handler,
            first_handler: cold.first_handler,
            opened_at: cold.opened_at,
            places: m.places.iter().collect(),
            first_case: cold.first_case,
            last_case: m.last_case,
            case_count: m.case_count,
            window_start: m.window_start,
            window_count: m.window_count,
            last_escalation: cold.last_escalation,
            recent: cold.recent.clone(),
        }
    }

    /// The record and cold part; `cases` gives the window's oldest case's
    /// arrival (checked in range).
    fn rec(self, cases: &[CaseDoc]) -> (MatterRec, MatterCold) {
        let mut m = MatterRec::new(
            self.key,
            self.category,
            self.severity,
            self.need,
            self.people,
            self.start,
            self.handler,
            self.last_case,
        );
        m.open = self.open;
        m.places = Places::from_sorted(&self.places);
        m.case_count = self.case_count;
        m.window_start = self.window_start;
        m.window_count = self.window_count;
        if m.window_start != NONE {
            m.window_since = cases[m.window_start as usize].arrived;
        }
        let cold = MatterCold {
            first_handler: self.first_handler,
            first_case: self.first_case,
            last_escalation: self.last_escalation,
            opened_at: self.opened_at,
            recent: self.recent,
        };
        (m, cold)
    }
}

/// A case as the document holds it: its id written out.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDoc {
    id: String,
    matter: u32,
    place: u32,
    category: u16,
    severity: u16,
    arrived: i64,
    state: CaseState,
    reopens: u32,
    generation: u32,
    overdue: bool,
    next: u32,
}

impl CaseDoc {
    fn new(c: &CaseRec, next: u32, ids: &Interned) -> CaseDoc {
        CaseDoc {
            id: ids.get(c.id).to_owned(),
            matter: c.matter,
            place: c.place,
            category: c.category,
            severity: c.severity,
            arrived: c.arrived,
            state: c.state,
            reopens: c.reopens,
            generation: c.generation,
            overdue: c.overdue,
            next,
        }
    }

    /// The record, its id interned into `ids` (the document's size, checked
    /// against the limits, bounds their length).
    fn rec(&self, ids: &mut Interned) -> Option<CaseRec> {
        Some(CaseRec {
            id: ids.push(&self.id)?,
            matter: self.matter,
            place: self.place,
            category: self.category,
            severity: self.severity,
            arrived: self.arrived,
            state: self.state,
            reopens: self.reopens,
            generation: self.generation,
            overdue: self.overdue,
        })
    }
}

fn invalid(path: String, reason: &str) -> LoadError {
    LoadError::Invalid {
        path,
        reason: reason.to_owned(),
    }
}

impl<'h> Ledger<'h> {
    /// The ledger's state as JSON.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Arrival, Ledger};
    /// use xzqh::routing::{Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    /// let here = [Place::Code("110105021")];
    /// ledger.arrive(Arrival::new("c1", "m", "public_complaint", &here, 0))?;
    /// let json = ledger.to_json();
    /// let loaded = Ledger::from_json(&router, json.as_bytes(), &xzqh::LoadLimits::default())?;
    /// assert!(loaded == ledger);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut pending: Vec<Pending> = self.pending.iter().collect();
        pending.sort_unstable();
        let doc = Doc {
            format: FORMAT.into(),
            version: VERSION.into(),
            units: self.h.len() as u64,
            policy: self.policy.name().to_owned(),
            rules: self.rules.clone(),
            now: self.now,
            matters: self
                .matters
                .iter()
                .zip(&self.cold)
                .map(|(m, cold)| MatterDoc::new(m, cold))
                .collect(),
            cases: self
                .cases
                .iter()
                .zip(&self.case_next)
                .map(|(c, &next)| CaseDoc::new(c, next, &self.case_ids))
                .collect(),
            escalations: self
                .escalations
                .iter()
                .map(|e| EscalationDoc::new(e, &self.case_next))
                .collect(),
            pending,
        };
        serde_json::to_string(&doc).expect("a ledger's state always serializes (plain data)")
    }

    /// Loads a ledger saved by [`Ledger::to_json`], on the router's
    /// hierarchy under its policy in force now.
    ///
    /// # Errors
    ///
    /// A [`LoadError`]: input larger than `limits.max_bytes`
    /// ([`LoadError::InputTooLarge`]); JSON that is malformed or of the
    /// wrong shape ([`LoadError::Json`]); a version this build does not
    /// read ([`LoadError::UnsupportedVersion`]); and [`LoadError::Invalid`]
    /// with the path of anything that does not fit: another format, a
    /// hierarchy of another size, a policy of another name, rules that do
    /// not compile, an id or index out of range, two cases or matters with
    /// one id.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::Ledger;
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let limits = xzqh::LoadLimits::default();
    /// let err = Ledger::from_json(&router, b"{}", &limits).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid json at line 1, column 2");
    /// let big = xzqh::LoadLimits::default().with_max_bytes(1);
    /// assert!(Ledger::from_json(&router, b"{}", &big).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json<H: std::borrow::Borrow<Hierarchy>>(
        router: &'h Router<H>,
        bytes: &[u8],
        limits: &LoadLimits,
    ) -> Result<Ledger<'h>, LoadError> {
        if bytes.len() > limits.max_bytes {
            return Err(LoadError::InputTooLarge {
                size: bytes.len(),
                max: limits.max_bytes,
            });
        }
        let doc: Doc = serde_json::from_slice(bytes).map_err(|e| LoadError::Json {
            line: e.line(),
            column: e.column(),
            source: Box::new(e),
        })?;
        if doc.format != FORMAT {
            return Err(invalid("format".into(), "expected \"xzqh-matters\""));
        }
        if doc.version != u64::from(VERSION) {
            return Err(LoadError::UnsupportedVersion {
                found: doc.version,
                supported: VERSION,
            });
        }
        let mut ledger =
            Ledger::new(router, doc.rules).map_err(|e| invalid("rules".into(), &e.to_string()))?;
        let h = ledger.h;
        if doc.units != h.len() as u64 {
            return Err(invalid("units".into(), "the hierarchy has another size"));
        }
        if doc.policy != ledger.policy.name() {
            return Err(invalid(
                "policy".into(),
                "the router's policy has another name",
            ));
        }
        check(
            &ledger,
            &doc.matters,
            &doc.cases,
            &doc.escalations,
            &doc.pending,
        )?;
        let mut rollup = Rollup::new(h);
        for m in doc.matters.iter().filter(|m| m.open) {
            rollup.add(
                &h.parent,
                m.handler,
                Field::Matters,
                m.category,
                m.severity,
                1,
            );
        }
        for c in &doc.cases {
            if c.state.is_open() {
                rollup.add(&h.parent, c.place, Field::Cases, c.category, c.severity, 1);
            }
            if c.overdue {
                rollup.add(
                    &h.parent,
                    c.place,
                    Field::Overdue,
                    c.category,
                    c.severity,
                    1,
                );
            }
        }
        for (i, m) in doc.matters.iter().enumerate() {
            let seen = ledger
                .matter_index
                .get(&m.key, |j| doc.matters[j as usize].key.as_bytes());
            if seen.is_some() {
                return Err(invalid("matters".into(), "two matters share a key"));
            }
            ledger.matter_index.insert(&m.key, i as u32);
        }
        for (i, c) in doc.cases.iter().enumerate() {
            if ledger
                .case_index
                .get(&c.id, |j| doc.cases[j as usize].id.as_bytes())
                .is_some()
            {
                return Err(invalid("cases".into(), "two cases share an id"));
            }
            ledger.case_index.insert(&c.id, i as u32);
        }
        ledger.now = doc.now;
        (ledger.matters, ledger.cold) = doc.matters.into_iter().map(|m| m.rec(&doc.cases)).unzip();
        let mut ids = Interned::default();
        ledger.cases = doc
            .cases
            .iter()
            .map(|c| c.rec(&mut ids))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| invalid("cases".into(), "more than 4 GiB of case ids"))?;
        ledger.case_ids = ids;
        ledger.case_next = doc.cases.iter().map(|c| c.next).collect();
        ledger.escalations = doc
            .escalations
            .into_iter()
            .map(EscalationDoc::rec)
            .collect();
        ledger.pending = doc.pending.into_iter().collect();
        ledger.rollup = rollup;
        Ok(ledger)
    }
}

/// Every id and index in range, and the links between records consistent.
fn check(
    l: &Ledger<'_>,
    matters: &[MatterDoc],
    cases: &[CaseDoc],
    escalations: &[EscalationDoc],
    pending: &[Pending],
) -> Result<(), LoadError> {
    let n = l.h.len() as u64;
    let unit = |path: String, u: u32| {
        if u64::from(u) < n {
            Ok(())
        } else {
            Err(invalid(path, "unit id out of range"))
        }
    };
    let (ncat, nsev) = (l.policy.categories.len(), l.policy.severities.len());
    let kind = |path: String, c: u16, s: u16| {
        if usize::from(c) < ncat && (s == UNGRADED || usize::from(s) < nsev) {
            Ok(())
        } else {
            Err(invalid(path, "category or severity out of range"))
        }
    };
    let limit = u32::MAX as usize - 1;
    if matters.len() > limit || cases.len() > limit || escalations.len() > limit {
        return Err(invalid("matters".into(), "too many records"));
    }
    for (i, m) in matters.iter().enumerate() {
        let p = format!("matters[{i}]");
        kind(p.clone(), m.category, m.severity)?;
        for u in [m.start, m.handler, m.first_handler] {
            unit(p.clone(), u)?;
        }
        for (k, &u) in m.places.iter().enumerate() {
            unit(format!("{p}.places[{k}]"), u)?;
            if k > 0 && m.places[k - 1] >= u {
                return Err(invalid(format!("{p}.places[{k}]"), "places not sorted"));
            }
        }
        if m.recent.is_some() != l.compiled.spread.is_some() {
            return Err(invalid(
                format!("{p}.recent"),
                "present exactly when the rules have a spread window",
            ));
        }
        if let Some(r) = &m.recent {
            let queues = [("low", &r.low, false), ("high", &r.high, true)];
            for (name, q, falling) in queues {
                for (k, &(u, t)) in q.iter().enumerate() {
                    unit(format!("{p}.recent.{name}[{k}]"), u)?;
                    let ordered = k == 0 || {
                        let (v, s) = q[k - 1];
                        s <= t && if falling { v > u } else { v < u }
                    };
                    if !ordered {
                        return Err(invalid(
                            format!("{p}.recent.{name}[{k}]"),
                            "not a monotone queue",
                        ));
                    }
                }
            }
        }
        let own_case = |c: u32| {
            cases
                .get(c as usize)
                .is_some_and(|c| c.matter as usize == i)
        };
        // How many cases the list holds from `from` to the last, if it
        // reaches the last within `case_count` steps (`next` only grows,
        // so the walk ends).
        let to_last = |from: u32| {
            let (mut c, mut steps) = (from, 1);
            while own_case(c) && c != m.last_case && steps <= m.case_count {
                c = cases[c as usize].next;
                steps += 1;
            }
            (own_case(from) && c == m.last_case).then_some(steps)
        };
        if to_last(m.first_case) != Some(m.case_count) {
            return Err(invalid(
                format!("{p}.first_case"),
                "not the list of this matter's cases",
            ));
        }
        if m.window_start != NONE && !own_case(m.window_start) {
            return Err(invalid(
                format!("{p}.window_start"),
                "not a case of this matter",
            ));
        }
        // The burst window holds its cases from its first to the matter's
        // last: as many as it counts (the burst rule takes one off as each
        // leaves, and records the window as that run of the list).
        let in_window = match m.window_start {
            NONE => Some(0),
            first => to_last(first),
        };
        if in_window != Some(m.window_count) {
            return Err(invalid(
                format!("{p}.window_count"),
                "not the number of cases from the window's first to the last",
            ));
        }
        let e = m.last_escalation;
        if e != NONE
            && escalations
                .get(e as usize)
                .is_none_or(|e| e.matter as usize != i)
        {
            return Err(invalid(
                format!("{p}.last_escalation"),
                "not an escalation of this matter",
            ));
        }
    }
    for (i, c) in cases.iter().enumerate() {
        let p = format!("cases[{i}]");
        kind(p.clone(), c.category, c.severity)?;
        unit(p.clone(), c.place)?;
        if c.matter as usize >= matters.len() {
            return Err(invalid(p, "matter index out of range"));
        }
        if c.next != NONE
            && (c.next as usize <= i
                || cases
                    .get(c.next as usize)
                    .is_none_or(|n| n.matter != c.matter))
        {
            return Err(invalid(
                format!("{p}.next"),
                "not a later case of the same matter",
            ));
        }
    }
    for (i, e) in escalations.iter().enumerate() {
        let p = format!("escalations[{i}]");
        unit(p.clone(), e.from)?;
        unit(p.clone(), e.to)?;
        if e.matter as usize >= matters.len() || e.cases.iter().any(|&c| c as usize >= cases.len())
        {
            return Err(invalid(p, "matter or case index out of range"));
        }
        if e.prev != NONE
            && (e.prev as usize >= i || escalations[e.prev as usize].matter != e.matter)
        {
            return Err(invalid(
                format!("{p}.prev"),
                "not an earlier escalation of the same matter",
            ));
        }
    }
    for (i, d) in pending.iter().enumerate() {
        if d.case as usize >= cases.len() || d.kind > 1 {
            return Err(invalid(
                format!("pending[{i}]"),
                "case index or kind out of range",
            ));
        }
    }
    Ok(())
}
