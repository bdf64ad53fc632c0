//! Borrowed handles to records and changes, their iterators, and the diff
//! between two yearly tables.

use std::fmt;
use std::iter::FusedIterator;
use std::ops::{Range, RangeInclusive};

use super::History;
use super::data::{Chg, NONE, Rec};
use crate::china::Date;

/// What a change did to its old unit (the source's `change_type`).
///
/// The first five end the old unit and are followed when resolving; after
/// a transfer or an establishment the old unit continues with the same code.
///
/// # Examples
///
/// ```
/// use xzqh::china::history::ChangeKind;
/// assert_eq!(ChangeKind::from_name("recode_rename"), Some(ChangeKind::RecodeRename));
/// assert_eq!(ChangeKind::Merge.name(), "merge");
/// assert!(ChangeKind::Split.ends_old());
/// assert!(!ChangeKind::Transfer.ends_old());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ChangeKind {
    /// Same code, new name (130503 桥西区 → 信都区, 2020).
    Rename,
    /// New code, same name, one to one (371203 钢城区 → 370117 钢城区, 2018).
    Recode,
    /// New code and new name, one to one, mostly 撤县设市/撤县设区
    /// (371202 莱城区 → 370116 莱芜区).
    RecodeRename,
    /// The old unit ends and all of it goes into one unit that also takes
    /// others (371200 莱芜市 → 370100 济南市).
    Merge,
    /// The old unit ends and is divided; one change per part
    /// (500112 渝北区 → 500157 两江新区 and → 500109 北碚区, 2025).
    Split,
    /// Part of the old unit moves to an existing unit; the old unit continues.
    Transfer,
    /// A new unit is made from part of the old unit, which continues (or
    /// with no recorded predecessor).
    Establish,
}

impl ChangeKind {
    /// Every kind, in the source's order.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::history::ChangeKind;
    /// let ending = ChangeKind::ALL.iter().filter(|k| k.ends_old()).count();
    /// assert_eq!((ChangeKind::ALL.len(), ending), (7, 5));
    /// ```
    pub const ALL: [ChangeKind; 7] = [
        ChangeKind::Rename,
        ChangeKind::Recode,
        ChangeKind::RecodeRename,
        ChangeKind::Merge,
        ChangeKind::Split,
        ChangeKind::Transfer,
        ChangeKind::Establish,
    ];

    pub(crate) fn from_raw(k: u8) -> Self {
        // The decoder accepts kinds 0..7 only.
        Self::ALL[(k as usize).min(6)]
    }

    /// The source's name: `rename`, `recode`, `recode_rename`, `merge`,
    /// `split`, `transfer` or `establish`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::history::ChangeKind::RecodeRename.name(), "recode_rename");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            ChangeKind::Rename => "rename",
            ChangeKind::Recode => "recode",
            ChangeKind::RecodeRename => "recode_rename",
            ChangeKind::Merge => "merge",
            ChangeKind::Split => "split",
            ChangeKind::Transfer => "transfer",
            ChangeKind::Establish => "establish",
        }
    }

    /// The kind with this [`name`](Self::name).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::history::ChangeKind;
    /// assert_eq!(ChangeKind::from_name("split"), Some(ChangeKind::Split));
    /// assert_eq!(ChangeKind::from_name("Split"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether the old unit ends (rename, recode, recode_rename, merge, split).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::china::history::ChangeKind::Rename.ends_old());
    /// assert!(!xzqh::china::history::ChangeKind::Establish.ends_old());
    /// ```
    pub const fn ends_old(self) -> bool {
        !matches!(self, ChangeKind::Transfer | ChangeKind::Establish)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One code with one name over a run of yearly tables: a row of the source's
/// `code_intervals.csv`.
///
/// The table of year Y is the state on 31 December Y. A record is *in use*
/// in the calendar years from its first table to the year after its last
/// (it was in force on 1 January of that year), capped at the newest table.
///
/// # Examples
///
/// ```
/// let h = xzqh::china::history::History::embedded();
/// let r = h.records("371200").next().unwrap();
/// assert_eq!((r.code(), r.name()), ("371200", "莱芜市"));
/// assert_eq!((r.first_year(), r.last_year()), (1992, Some(2017)));
/// assert_eq!(r.in_use(), 1992..=2018);
/// assert_eq!(r.to_string(), "371200 莱芜市");
/// ```
#[derive(Clone, Copy)]
pub struct Record<'a> {
    pub(crate) h: &'a History,
    pub(crate) id: u32,
}

impl<'a> Record<'a> {
    fn rec(&self) -> &'a Rec {
        &self.h.raw.recs[self.id as usize]
    }

    /// The six-digit MCA code.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert_eq!(h.records("37").next().unwrap().code(), "370000");
    /// ```
    pub fn code(&self) -> &'a str {
        self.h.rec_code(self.id)
    }

    /// The name.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert_eq!(h.records("370116").next().unwrap().name(), "莱芜区");
    /// ```
    pub fn name(&self) -> &'a str {
        self.h.raw.names.get(self.rec().name)
    }

    /// The first yearly table with this code and name.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert_eq!(h.records("370116").next().unwrap().first_year(), 2018);
    /// ```
    pub fn first_year(&self) -> u16 {
        self.rec().first
    }

    /// The last yearly table with this code and name, `None` when it is in
    /// the newest table.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert_eq!(h.records("370116").next().unwrap().last_year(), None);
    /// assert_eq!(h.records("371202").next().unwrap().last_year(), Some(2017));
    /// ```
    pub fn last_year(&self) -> Option<u16> {
        let last = self.rec().last;
        (last < self.h.raw.last_year).then_some(last)
    }

    /// The calendar years in which the record was in force (see the type's docs).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert_eq!(h.records("500112").next().unwrap().in_use(), 1997..=2025);
    /// ```
    pub fn in_use(&self) -> RangeInclusive<u16> {
        let (a, b) = self.h.in_use(self.rec());
        a..=b
    }
}

impl fmt::Debug for Record<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("code", &self.code())
            .field("name", &self.name())
            .field("first_year", &self.first_year())
            .field("last_year", &self.last_year())
            .finish()
    }
}

/// `371200 莱芜市`
impl fmt::Display for Record<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code(), self.name())
    }
}

impl PartialEq for Record<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.h, other.h) && self.id == other.id
    }
}

impl Eq for Record<'_> {}

/// One recorded change between an old unit and a new one: part or all of
/// the old unit's territory belongs to the new unit from the change on.
///
/// # Examples
///
/// ```
/// use xzqh::china::history::{ChangeKind, History};
/// let h = History::embedded();
/// let c = h.successors("371200").next().unwrap();
/// assert_eq!(c.kind(), ChangeKind::Merge);
/// assert_eq!(c.date().to_string(), "2018-12-26");
/// assert_eq!(c.to().code(), "370100");
/// assert_eq!(c.doc_no(), Some("国函〔2018〕163号"));
/// assert_eq!(c.to_string(), "2018-12-26 merge: 371200 莱芜市 → 370100 济南市 (国函〔2018〕163号)");
/// ```
#[derive(Clone, Copy)]
pub struct Change<'a> {
    pub(crate) h: &'a History,
    pub(crate) id: u32,
}

impl<'a> Change<'a> {
    fn chg(&self) -> &'a Chg {
        &self.h.raw.changes[self.id as usize]
    }

    /// The date of approval or announcement, or the table year when the
    /// source gives no date.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// let c = h.successors("371202").find(|c| c.kind().name() == "transfer").unwrap();
    /// assert_eq!(c.date().to_string(), "2006");
    /// ```
    pub fn date(&self) -> Date {
        Date::from_raw(self.chg().date)
    }

    /// The first yearly table that shows the change (the approval can fall
    /// in the year before).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert_eq!(h.successors("371200").next().unwrap().table_year(), 2018);
    /// ```
    pub fn table_year(&self) -> u16 {
        self.chg().table_year
    }

    /// What happened to the old unit.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::history::{ChangeKind, History};
    /// let c = History::embedded().successors("371202").last().unwrap();
    /// assert_eq!(c.kind(), ChangeKind::RecodeRename);
    /// ```
    pub fn kind(&self) -> ChangeKind {
        ChangeKind::from_raw(self.chg().kind)
    }

    /// The old unit, `None` for an establishment with no recorded predecessor.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::china::history::History::embedded().successors("371200").next().unwrap();
    /// assert_eq!(c.from().unwrap().name(), "莱芜市");
    /// ```
    pub fn from(&self) -> Option<Record<'a>> {
        let old = self.chg().old;
        (old != NONE).then_some(Record { h: self.h, id: old })
    }

    /// The new unit.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::china::history::History::embedded().successors("371200").next().unwrap();
    /// assert_eq!(c.to().name(), "济南市");
    /// ```
    pub fn to(&self) -> Record<'a> {
        Record {
            h: self.h,
            id: self.chg().new,
        }
    }

    /// The document number (文号), when the source gives one.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::china::history::History::embedded().successors("371202").last().unwrap();
    /// assert_eq!(c.doc_no(), Some("国函〔2018〕163号"));
    /// ```
    pub fn doc_no(&self) -> Option<&'a str> {
        let doc = self.chg().doc;
        (doc != NONE).then(|| self.h.raw.docs.get(doc))
    }

    /// Whether the data's compilers derived this prefecture or province
    /// change from the changes of its counties (the source links no record
    /// that has children).
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::china::history::History::embedded().successors("371200").next().unwrap();
    /// assert!(c.is_derived());
    /// ```
    pub fn is_derived(&self) -> bool {
        self.chg().flags & 0x10 != 0
    }

    /// Whether the change came after the history's cut-off
    /// ([`History::cutoff`], the hierarchy's data date): dated after it, or
    /// first shown in the table of a later year. The hierarchy does not show
    /// it.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert!(h.successors("500112").all(|c| c.is_later()));
    /// assert!(!h.successors("371200").next().unwrap().is_later());
    /// // The 2024-01-30 transfer is later than NBS 2023's 2023-06-30, not than 2024-06-30.
    /// let transfer = h.successors("530602").last().unwrap();
    /// assert!(transfer.is_later());
    /// let h2024 = h.with_cutoff(xzqh::china::Date::new(2024, 6, 30).unwrap())?;
    /// assert!(!h2024.successors("530602").last().unwrap().is_later());
    /// # Ok::<(), xzqh::china::DataError>(())
    /// ```
    pub fn is_later(&self) -> bool {
        self.h.is_later(self.chg())
    }
}

impl fmt::Debug for Change<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Change({self})")
    }
}

/// `2018-12-26 merge: 371200 莱芜市 → 370100 济南市 (国函〔2018〕163号)`; a
/// trace step.
impl fmt::Display for Change<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: ", self.date(), self.kind())?;
        match self.from() {
            Some(from) => write!(f, "{from} → {}", self.to())?,
            None => write!(f, "(no predecessor recorded) → {}", self.to())?,
        }
        if let Some(doc) = self.doc_no() {
            write!(f, " ({doc})")?;
        }
        Ok(())
    }
}

impl PartialEq for Change<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.h, other.h) && self.id == other.id
    }
}

impl Eq for Change<'_> {}

#[derive(Debug, Clone)]
pub(crate) enum Ids<'a> {
    Slice(std::slice::Iter<'a, u32>),
    Range(Range<u32>),
}

impl Iterator for Ids<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        match self {
            Ids::Slice(s) => s.next().copied(),
            Ids::Range(r) => r.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Ids::Slice(s) => s.size_hint(),
            Ids::Range(r) => r.size_hint(),
        }
    }
}

/// Which records a [`Records`] iterator keeps.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Keep {
    All,
    /// In use in this calendar year.
    InUse(u16),
    /// In the table of this year.
    InTable(u16),
    /// In the table of `.1` but not of `.0`.
    Added(u16, u16),
}

/// Records in code order; see [`History::records`], [`History::valid_in`],
/// [`History::table`],
/// [`History::resolve_name`] and [`Diff`].
///
/// # Examples
///
/// ```
/// let h = xzqh::china::history::History::embedded();
/// let names: Vec<_> = h.records("130503").map(|r| r.name()).collect();
/// assert_eq!(names, ["桥西区", "信都区"]);
/// ```
#[derive(Clone)]
pub struct Records<'a> {
    h: &'a History,
    ids: Ids<'a>,
    keep: Keep,
}

impl<'a> Records<'a> {
    pub(crate) fn new(h: &'a History, ids: Ids<'a>, keep: Keep) -> Self {
        Records { h, ids, keep }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        loop {
            let id = self.ids.next()?;
            let rec = &self.h.raw.recs[id as usize];
            let keep = match self.keep {
                Keep::All => true,
                Keep::InUse(y) => {
                    let (a, b) = self.h.in_use(rec);
                    a <= y && y <= b
                }
                Keep::InTable(y) => rec.first <= y && y <= rec.last,
                Keep::Added(from, to) => {
                    let inn = |y| rec.first <= y && y <= rec.last;
                    inn(to) && !inn(from)
                }
            };
            if keep {
                return Some(Record { h: self.h, id });
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.keep {
            Keep::All => self.ids.size_hint(),
            _ => (0, self.ids.size_hint().1),
        }
    }
}

impl FusedIterator for Records<'_> {}

impl fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// Changes in chronological order (table year, then date); see
/// [`History::successors`], [`History::later_changes`] and
/// [`Succession::changes`](super::Succession::changes).
///
/// # Examples
///
/// ```
/// let h = xzqh::china::history::History::embedded();
/// let kinds: Vec<_> = h.successors("500112").map(|c| c.kind().name()).collect();
/// assert_eq!(kinds, ["split", "split"]);
/// ```
#[derive(Clone)]
pub struct Changes<'a> {
    h: &'a History,
    ids: Ids<'a>,
    /// Only changes first shown in this table year or later.
    since: u16,
}

impl<'a> Changes<'a> {
    pub(crate) fn new(h: &'a History, ids: Ids<'a>, since: u16) -> Self {
        Changes { h, ids, since }
    }
}

impl<'a> Iterator for Changes<'a> {
    type Item = Change<'a>;

    fn next(&mut self) -> Option<Change<'a>> {
        loop {
            let id = self.ids.next()?;
            if self.h.raw.changes[id as usize].table_year >= self.since {
                return Some(Change { h: self.h, id });
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.since == 0 {
            self.ids.size_hint()
        } else {
            (0, self.ids.size_hint().1)
        }
    }
}

impl FusedIterator for Changes<'_> {}

impl fmt::Debug for Changes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// The difference between the yearly tables of two years: the changes first
/// shown after `from` up to `to`, and the records added and removed.
/// Printable (one line per change, then `- ` removed and `+ ` added records).
///
/// # Examples
///
/// ```
/// let h = xzqh::china::history::History::embedded();
/// let d = h.changes_between(2024, 2025);
/// assert_eq!(d.changes().count(), 5);
/// let removed: Vec<_> = d.removed().map(|r| r.code()).collect();
/// assert_eq!(removed, ["500105", "500112"]);
/// let added: Vec<_> = d.added().map(|r| r.to_string()).collect();
/// assert_eq!(added, ["500157 两江新区"]);
/// assert!(d.to_string().starts_with("5 changes from 2024 to 2025:\n"));
/// ```
#[derive(Clone)]
pub struct Diff<'a> {
    pub(crate) h: &'a History,
    pub(crate) from: u16,
    pub(crate) to: u16,
    pub(crate) changes: Range<u32>,
}

impl<'a> Diff<'a> {
    /// The earlier table year.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::history::History::embedded().changes_between(2018, 2019).from(), 2018);
    /// ```
    pub fn from(&self) -> u16 {
        self.from
    }

    /// The later table year.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::history::History::embedded().changes_between(2018, 2019).to(), 2019);
    /// ```
    pub fn to(&self) -> u16 {
        self.to
    }

    /// The changes first shown in the tables after `from` up to `to`.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = xzqh::china::history::History::embedded().changes_between(2017, 2018);
    /// assert!(d.changes().any(|c| c.from().is_some_and(|o| o.code() == "371200")));
    /// ```
    pub fn changes(&self) -> Changes<'a> {
        Changes::new(self.h, Ids::Range(self.changes.clone()), 0)
    }

    /// Records in the table of `to` but not in the table of `from`.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = xzqh::china::history::History::embedded().changes_between(2017, 2018);
    /// assert!(d.added().any(|r| r.code() == "370116"));
    /// ```
    pub fn added(&self) -> Records<'a> {
        self.h.all_records(Keep::Added(self.from, self.to))
    }

    /// Records in the table of `from` but not in the table of `to`.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = xzqh::china::history::History::embedded().changes_between(2017, 2018);
    /// assert!(d.removed().any(|r| r.code() == "371200"));
    /// ```
    pub fn removed(&self) -> Records<'a> {
        self.h.all_records(Keep::Added(self.to, self.from))
    }
}

impl fmt::Debug for Diff<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diff")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("changes", &self.changes.len())
            .finish()
    }
}

impl fmt::Display for Diff<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.changes.len();
        let s = if n == 1 { "" } else { "s" };
        writeln!(f, "{n} change{s} from {} to {}:", self.from, self.to)?;
        for c in self.changes() {
            writeln!(f, "  {c}")?;
        }
        for r in self.removed() {
            writeln!(f, "- {r}")?;
        }
        for r in self.added() {
            writeln!(f, "+ {r}")?;
        }
        Ok(())
    }
}
