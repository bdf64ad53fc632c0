//! Escalations: every change of a matter's handler, with the rule that made
//! it and the cases and times that triggered it, and their rendering.

use std::fmt;

use crate::matters::event::Timestamp;
use crate::matters::ledger::Ledger;
use crate::model::hierarchy::NONE;
use crate::model::unit::Unit;

/// Why a matter's handler changed.
///
/// # Examples
///
/// ```
/// use xzqh::matters::Rule;
/// assert_eq!(Rule::Burst { cases: 10, within_hours: 24 }.to_string(), "burst of 10 cases within 24 h");
/// assert_eq!(Rule::Repetition { reopens: 2 }.to_string(), "supervision after 2 reopenings");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "rule", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Rule {
    /// A new place outside the handler's area: the common superior of every
    /// place takes it.
    Spread,
    /// A graver severity grade demands a higher level.
    Severity,
    /// More people in all demand a higher level.
    Scale,
    /// A case of another category needs powers or a level the handler lacks.
    Category,
    /// Many cases in a short window.
    Burst {
        /// How many cases.
        cases: u32,
        /// Within how many hours.
        within_hours: u32,
    },
    /// A case reopened again and again: supervision (督办) by the tier above.
    Repetition {
        /// After how many reopenings.
        reopens: u32,
    },
    /// A case not accepted by its deadline.
    AcceptOverdue {
        /// The deadline.
        due: Timestamp,
    },
    /// A case not resolved by its deadline.
    ResolveOverdue {
        /// The deadline.
        due: Timestamp,
    },
    /// Handed down explicitly.
    Deescalation,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Spread => f.write_str("spread beyond the handler's area"),
            Rule::Severity => f.write_str("graver severity"),
            Rule::Scale => f.write_str("more people"),
            Rule::Category => f.write_str("a category the handler cannot carry"),
            Rule::Burst {
                cases,
                within_hours,
            } => write!(f, "burst of {cases} cases within {within_hours} h"),
            Rule::Repetition { reopens } => write!(f, "supervision after {reopens} reopenings"),
            Rule::AcceptOverdue { due } => write!(f, "not accepted by {due}"),
            Rule::ResolveOverdue { due } => write!(f, "not resolved by {due}"),
            Rule::Deescalation => f.write_str("explicit de-escalation"),
        }
    }
}

/// An escalation as the ledger records it.
#[derive(Debug, Clone)]
pub(crate) struct EscalationRec {
    pub(crate) matter: u32,
    pub(crate) at: Timestamp,
    pub(crate) from: u32,
    pub(crate) to: u32,
    pub(crate) rule: Rule,
    /// Case indices that triggered it.
    pub(crate) cases: Cases,
    /// The same matter's previous escalation, or `NONE`.
    pub(crate) prev: u32,
}

/// The cases that triggered an escalation. The ledger records a run of
/// its matter's case list: `len` cases from `first` on, through the
/// ledger's `case_next` (one case, or a burst window's cases). The list
/// only grows at its end, so a run stays the same cases for good, and a
/// burst records its window without walking it (a cache miss a case: the
/// cases of one matter lie far apart). A loaded snapshot holds lists.
#[derive(Debug, Clone)]
pub(crate) enum Cases {
    Run {
        first: u32,
        len: u32,
    },
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    List(Box<[u32]>),
}

impl EscalationRec {
    /// Whether it equals `other`, its cases read through `next` and
    /// `other`'s through `other_next` (a run and a list of the same cases
    /// are equal).
    pub(crate) fn same(&self, next: &[u32], other: &EscalationRec, other_next: &[u32]) -> bool {
        self.matter == other.matter
            && self.at == other.at
            && self.from == other.from
            && self.to == other.to
            && self.rule == other.rule
            && self.prev == other.prev
            && self.cases.iter(next).eq(other.cases.iter(other_next))
    }
}

impl Cases {
    /// No case.
    pub(crate) const NONE: Cases = Cases::Run { first: 0, len: 0 };

    /// Case `c` alone.
    pub(crate) fn one(c: u32) -> Cases {
        Cases::Run { first: c, len: 1 }
    }

    /// The case indices, in order; `next` is the ledger's `case_next`.
    pub(crate) fn iter<'a>(&'a self, next: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
        let (list, mut c, mut left): (&[u32], u32, u32) = match *self {
            Cases::Run { first, len } => (&[], first, len),
            Cases::List(ref l) => (l, 0, 0),
        };
        list.iter().copied().chain(std::iter::from_fn(move || {
            (left > 0).then(|| {
                left -= 1;
                let here = c;
                if left > 0 {
                    c = next[c as usize];
                    if c == NONE {
                        // A run never passes its list's end (a loaded
                        // snapshot's window counts are checked against
                        // the lists); were one to, it ends here.
                        left = 0;
                    }
                }
                here
            })
        }))
    }
}

/// One escalation, read from a [`Ledger`]: which matter, when, from which
/// unit to which, by which rule, triggered by which cases.
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Arrival, Ledger, MatterRules, Rule};
/// use xzqh::routing::{Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut ledger = Ledger::new(&router, MatterRules::new("spread only"))?;
/// let a = [Place::Code("110105")]; // 朝阳区
/// let b = [Place::Code("110118")]; // 密云区
/// ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
/// ledger.arrive(Arrival::new("c2", "m", "petition", &b, 60))?;
/// let e = ledger.escalations().next().unwrap();
/// assert_eq!((e.from().name(), e.to().name(), e.rule()), ("朝阳区", "北京市", Rule::Spread));
/// assert_eq!(e.cases().collect::<Vec<_>>(), ["c2"]);
/// assert_eq!(e.to_string(), "at 60 matter m: 110105 朝阳区 -> 11 北京市, spread beyond the handler's area (cases c2)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Escalation<'l> {
    pub(crate) ledger: &'l Ledger<'l>,
    pub(crate) rec: &'l EscalationRec,
}

impl<'l> Escalation<'l> {
    /// The matter's key.
    ///
    /// # Examples
    ///
    /// See [`Escalation`].
    ///
    /// ```
    /// # use xzqh::matters::{Arrival, Ledger, MatterRules};
    /// # use xzqh::routing::{Place, Router};
    /// # let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// # let mut ledger = Ledger::new(&router, MatterRules::new("r"))?;
    /// # let (a, b) = ([Place::Code("110105")], [Place::Code("110118")]);
    /// # ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
    /// # ledger.arrive(Arrival::new("c2", "m", "petition", &b, 60))?;
    /// assert_eq!(ledger.escalations().next().unwrap().matter(), "m");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matter(&self) -> &'l str {
        &self.ledger.matters[self.rec.matter as usize].key
    }

    /// When.
    ///
    /// # Examples
    ///
    /// ```
    /// # use xzqh::matters::{Arrival, Ledger, MatterRules};
    /// # use xzqh::routing::{Place, Router};
    /// # let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// # let mut ledger = Ledger::new(&router, MatterRules::new("r"))?;
    /// # let (a, b) = ([Place::Code("110105")], [Place::Code("110118")]);
    /// # ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
    /// # ledger.arrive(Arrival::new("c2", "m", "petition", &b, 60))?;
    /// assert_eq!(ledger.escalations().next().unwrap().at(), 60);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn at(&self) -> Timestamp {
        self.rec.at
    }

    /// The handler before.
    ///
    /// # Examples
    ///
    /// See [`Escalation`].
    ///
    /// ```
    /// # use xzqh::matters::{Arrival, Ledger, MatterRules};
    /// # use xzqh::routing::{Place, Router};
    /// # let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// # let mut ledger = Ledger::new(&router, MatterRules::new("r"))?;
    /// # let (a, b) = ([Place::Code("110105")], [Place::Code("110118")]);
    /// # ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
    /// # ledger.arrive(Arrival::new("c2", "m", "petition", &b, 60))?;
    /// assert_eq!(ledger.escalations().next().unwrap().from().code(), "110105");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from(&self) -> Unit<'l> {
        Unit {
            h: self.ledger.h,
            id: self.rec.from,
        }
    }

    /// The handler after.
    ///
    /// # Examples
    ///
    /// ```
    /// # use xzqh::matters::{Arrival, Ledger, MatterRules};
    /// # use xzqh::routing::{Place, Router};
    /// # let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// # let mut ledger = Ledger::new(&router, MatterRules::new("r"))?;
    /// # let (a, b) = ([Place::Code("110105")], [Place::Code("110118")]);
    /// # ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
    /// # ledger.arrive(Arrival::new("c2", "m", "petition", &b, 60))?;
    /// assert_eq!(ledger.escalations().next().unwrap().to().code(), "11");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to(&self) -> Unit<'l> {
        Unit {
            h: self.ledger.h,
            id: self.rec.to,
        }
    }

    /// The rule.
    ///
    /// # Examples
    ///
    /// ```
    /// # use xzqh::matters::{Arrival, Ledger, MatterRules, Rule};
    /// # use xzqh::routing::{Place, Router};
    /// # let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// # let mut ledger = Ledger::new(&router, MatterRules::new("r"))?;
    /// # let (a, b) = ([Place::Code("110105")], [Place::Code("110118")]);
    /// # ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
    /// # ledger.arrive(Arrival::new("c2", "m", "petition", &b, 60))?;
    /// assert_eq!(ledger.escalations().next().unwrap().rule(), Rule::Spread);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rule(&self) -> Rule {
        self.rec.rule
    }

    /// The ids of the cases that triggered it.
    ///
    /// # Examples
    ///
    /// See [`Escalation`].
    ///
    /// ```
    /// # use xzqh::matters::{Arrival, Ledger, MatterRules};
    /// # use xzqh::routing::{Place, Router};
    /// # let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// # let mut ledger = Ledger::new(&router, MatterRules::new("r"))?;
    /// # let (a, b) = ([Place::Code("110105")], [Place::Code("110118")]);
    /// # ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
    /// # ledger.arrive(Arrival::new("c2", "m", "petition", &b, 60))?;
    /// assert_eq!(ledger.escalations().next().unwrap().cases().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cases(&self) -> impl Iterator<Item = &'l str> + 'l {
        let ledger = self.ledger;
        self.rec
            .cases
            .iter(&ledger.case_next)
            .map(move |c| ledger.case_ids.get(ledger.cases[c as usize].id))
    }
}

impl fmt::Display for Escalation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (from, to) = (self.from(), self.to());
        write!(
            f,
            "at {} matter {}: {} {} -> {} {}, {}",
            self.at(),
            self.matter(),
            from.code(),
            from.name(),
            to.code(),
            to.name(),
            self.rule()
        )?;
        let mut cases = self.cases().peekable();
        if cases.peek().is_some() {
            f.write_str(" (cases")?;
            for c in cases {
                write!(f, " {c}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A matter's story, one line per step, like a routing trace: where it
/// opened, who handled it first, and every escalation since. From
/// [`Ledger::explain`].
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Arrival, Ledger, MatterRules};
/// use xzqh::routing::{Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut ledger = Ledger::new(&router, MatterRules::new("spread only"))?;
/// let (a, b) = ([Place::Code("110105")], [Place::Code("110118")]);
/// ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
/// ledger.arrive(Arrival::new("c2", "m", "petition", &b, 60))?;
/// assert_eq!(
///     ledger.explain("m").unwrap().to_string(),
///     "at 0 matter m opened with case c1, handled by 110105 朝阳区\n\
///      at 60 matter m: 110105 朝阳区 -> 11 北京市, spread beyond the handler's area (cases c2)\n\
///      matter m is open: 2 cases (2 open), 2 places, 0 people, handled by 11 北京市"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Explain<'l> {
    pub(crate) ledger: &'l Ledger<'l>,
    pub(crate) matter: u32,
}

impl fmt::Display for Explain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.ledger;
        let (m, cold) = (
            &l.matters[self.matter as usize],
            &l.cold[self.matter as usize],
        );
        let unit = |id: u32| Unit { h: l.h, id };
        let first = unit(cold.first_handler);
        let first_case = l.case_ids.get(l.cases[cold.first_case as usize].id);
        writeln!(
            f,
            "at {} matter {} opened with case {}, handled by {} {}",
            cold.opened_at,
            m.key,
            first_case,
            first.code(),
            first.name()
        )?;
        for e in l.escalations_of(self.matter) {
            writeln!(f, "{e}")?;
        }
        let open = l
            .cases_of(self.matter)
            .filter(|&c| l.cases[c as usize].state.is_open())
            .count();
        let h = unit(m.handler);
        write!(
            f,
            "matter {} is {}: {} cases ({} open), {} places, {} people, handled by {} {}",
            m.key,
            if m.open { "open" } else { "closed" },
            m.case_count,
            open,
            m.places.len(),
            m.people,
            h.code(),
            h.name()
        )
    }
}
