//! What the caller tells the ledger: borrowed [`Event`]s for ingesting, and
//! their owned form [`EventRecord`] for logs and replay.

use crate::model::hierarchy::UnitId;
use crate::routing::Place;

/// Seconds since 1970-01-01 00:00 UTC: the only clock the ledger knows.
pub type Timestamp = i64;

/// A case arrives: its id, the matter it belongs to (a key the caller
/// chooses: a project, a company, a petition group), what it is, where, how
/// many people, and when.
///
/// # Examples
///
/// ```
/// use xzqh::matters::Arrival;
/// use xzqh::routing::Place;
/// let places = [Place::Code("110105")];
/// let a = Arrival::new("c1", "platform-x", "petition", &places, 1_700_000_000).people(40);
/// assert_eq!((a.people, a.severity), (40, None));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Arrival<'a> {
    /// The case's id, unique in the ledger.
    pub case: &'a str,
    /// The matter's key: cases with the same key form one matter.
    pub matter: &'a str,
    /// The category's name in the routing policy.
    pub category: &'a str,
    /// The severity grade's name in the routing policy, if graded.
    pub severity: Option<&'a str>,
    /// The places the case touches (at least one): ids, codes or text.
    pub places: &'a [Place<'a>],
    /// People involved (added up over the matter's cases).
    pub people: u64,
    /// When it arrived.
    pub at: Timestamp,
}

impl<'a> Arrival<'a> {
    /// A case of `category` at `places`, ungraded, with no people counted.
    ///
    /// # Examples
    ///
    /// ```
    /// let places = [xzqh::routing::Place::Code("11")];
    /// let a = xzqh::matters::Arrival::new("c1", "m", "petition", &places, 0);
    /// assert_eq!(a.matter, "m");
    /// ```
    pub fn new(
        case: &'a str,
        matter: &'a str,
        category: &'a str,
        places: &'a [Place<'a>],
        at: Timestamp,
    ) -> Self {
        Arrival {
            case,
            matter,
            category,
            severity: None,
            places,
            people: 0,
            at,
        }
    }

    /// Sets the severity grade.
    ///
    /// # Examples
    ///
    /// ```
    /// let places = [xzqh::routing::Place::Code("11")];
    /// let a = xzqh::matters::Arrival::new("c1", "m", "emergency", &places, 0).severity("major");
    /// assert_eq!(a.severity, Some("major"));
    /// ```
    pub fn severity(mut self, grade: &'a str) -> Self {
        self.severity = Some(grade);
        self
    }

    /// Sets the number of people involved.
    ///
    /// # Examples
    ///
    /// ```
    /// let places = [xzqh::routing::Place::Code("11")];
    /// let a = xzqh::matters::Arrival::new("c1", "m", "petition", &places, 0).people(9);
    /// assert_eq!(a.people, 9);
    /// ```
    pub fn people(mut self, people: u64) -> Self {
        self.people = people;
        self
    }
}

/// One event for [`Ledger::apply`](crate::matters::Ledger::apply). Every
/// event first lets the ledger's clock run to its time (as
/// [`Event::Tick`] does), so deadlines that expire before it count first.
///
/// # Examples
///
/// ```
/// use xzqh::matters::Event;
/// let e = Event::Accept { case: "c1", at: 60 };
/// assert_eq!(e.at(), 60);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A case arrives.
    Arrive(Arrival<'a>),
    /// The handling unit signs for a case (签收).
    Accept {
        /// The case's id.
        case: &'a str,
        /// When.
        at: Timestamp,
    },
    /// A case is resolved (办结).
    Resolve {
        /// The case's id.
        case: &'a str,
        /// When.
        at: Timestamp,
    },
    /// A resolved case is reopened (the caller was not satisfied).
    Reopen {
        /// The case's id.
        case: &'a str,
        /// When.
        at: Timestamp,
    },
    /// A matter is closed, with all its open cases.
    Close {
        /// The matter's key.
        matter: &'a str,
        /// When.
        at: Timestamp,
    },
    /// A matter is handed down explicitly to a unit that still covers all
    /// its places and may handle it (handlers never go down on their own).
    Deescalate {
        /// The matter's key.
        matter: &'a str,
        /// The new handler.
        to: Place<'a>,
        /// When.
        at: Timestamp,
    },
    /// The clock runs to `at`: deadlines due by then expire.
    Tick {
        /// The new time.
        at: Timestamp,
    },
}

impl Event<'_> {
    /// The event's time.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::matters::Event::Tick { at: 5 }.at(), 5);
    /// ```
    pub fn at(&self) -> Timestamp {
        match *self {
            Event::Arrive(a) => a.at,
            Event::Accept { at, .. }
            | Event::Resolve { at, .. }
            | Event::Reopen { at, .. }
            | Event::Close { at, .. }
            | Event::Deescalate { at, .. }
            | Event::Tick { at } => at,
        }
    }
}

/// An owned place, for [`EventRecord`]s.
///
/// # Examples
///
/// ```
/// use xzqh::matters::PlaceRecord;
/// use xzqh::routing::Place;
/// let p = PlaceRecord::Code("110105".into());
/// assert_eq!(p.as_place(), Place::Code("110105"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PlaceRecord {
    /// A unit id.
    Id(u32),
    /// A unit code.
    Code(String),
    /// Free text.
    Text(String),
}

impl PlaceRecord {
    /// The borrowed place.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::PlaceRecord;
    /// assert_eq!(PlaceRecord::Id(3).as_place(), xzqh::routing::Place::Id(xzqh::UnitId::new(3)));
    /// ```
    pub fn as_place(&self) -> Place<'_> {
        match self {
            PlaceRecord::Id(id) => Place::Id(UnitId::new(*id)),
            PlaceRecord::Code(c) => Place::Code(c),
            PlaceRecord::Text(t) => Place::Text(t),
        }
    }
}

/// An owned [`Event`], as it is logged (JSON Lines with the `serde`
/// feature) and replayed with [`Ledger::apply_record`](crate::matters::Ledger::apply_record).
///
/// # Examples
///
/// ```
/// use xzqh::matters::{EventRecord, PlaceRecord};
/// let e = EventRecord::Arrive {
///     case: "c1".into(),
///     matter: "m".into(),
///     category: "petition".into(),
///     severity: None,
///     places: vec![PlaceRecord::Code("110105".into())],
///     people: 3,
///     at: 0,
/// };
/// assert!(matches!(e, EventRecord::Arrive { people: 3, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
#[allow(missing_docs)] // the fields mirror `Event`'s
pub enum EventRecord {
    /// See [`Event::Arrive`].
    Arrive {
        case: String,
        matter: String,
        category: String,
        #[cfg_attr(feature = "serde", serde(default))]
        severity: Option<String>,
        places: Vec<PlaceRecord>,
        #[cfg_attr(feature = "serde", serde(default))]
        people: u64,
        at: Timestamp,
    },
    /// See [`Event::Accept`].
    Accept { case: String, at: Timestamp },
    /// See [`Event::Resolve`].
    Resolve { case: String, at: Timestamp },
    /// See [`Event::Reopen`].
    Reopen { case: String, at: Timestamp },
    /// See [`Event::Close`].
    Close { matter: String, at: Timestamp },
    /// See [`Event::Deescalate`].
    Deescalate {
        matter: String,
        to: PlaceRecord,
        at: Timestamp,
    },
    /// See [`Event::Tick`].
    Tick { at: Timestamp },
}

impl EventRecord {
    /// The owned form of an event.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Event, EventRecord};
    /// let r = EventRecord::from_event(&Event::Tick { at: 9 });
    /// assert_eq!(r, EventRecord::Tick { at: 9 });
    /// ```
    pub fn from_event(e: &Event<'_>) -> EventRecord {
        let place = |p: &Place<'_>| match *p {
            Place::Id(id) => PlaceRecord::Id(id.get()),
            Place::Code(c) => PlaceRecord::Code(c.to_owned()),
            Place::Text(t) => PlaceRecord::Text(t.to_owned()),
        };
        match *e {
            Event::Arrive(a) => EventRecord::Arrive {
                case: a.case.to_owned(),
                matter: a.matter.to_owned(),
                category: a.category.to_owned(),
                severity: a.severity.map(str::to_owned),
                places: a.places.iter().map(place).collect(),
                people: a.people,
                at: a.at,
            },
            Event::Accept { case, at } => EventRecord::Accept {
                case: case.to_owned(),
                at,
            },
            Event::Resolve { case, at } => EventRecord::Resolve {
                case: case.to_owned(),
                at,
            },
            Event::Reopen { case, at } => EventRecord::Reopen {
                case: case.to_owned(),
                at,
            },
            Event::Close { matter, at } => EventRecord::Close {
                matter: matter.to_owned(),
                at,
            },
            Event::Deescalate { matter, to, at } => EventRecord::Deescalate {
                matter: matter.to_owned(),
                to: place(&to),
                at,
            },
            Event::Tick { at } => EventRecord::Tick { at },
        }
    }
}
