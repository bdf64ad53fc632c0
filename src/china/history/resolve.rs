//! Following a historical code to the units of a hierarchy: the answer
//! ([`Succession`]), its [`Status`], the errors, and the per-hierarchy tables
//! behind [`Resolver`] and the hierarchy's successions.

use std::borrow::Cow;
use std::fmt;
use std::ops::RangeInclusive;

use thiserror::Error;

use super::data::NONE;
use super::records::{Changes, Ids, Keep, Records};
use super::tables::{ABOLISHED, CHANGED, Entry, LATER, MAX_UNITS, Seg};
use super::{History, data_code};
use crate::{ChangeId, Hierarchy, UnitId, UnitsIter};

/// A failure to resolve a code or a name.
///
/// # Examples
///
/// ```
/// use xzqh::china::history::{History, HistoryError};
/// let h = History::embedded();
/// let err = h.resolve("371200", 1990, xzqh::china()).unwrap_err();
/// assert_eq!(err.to_string(), "code 371200 was not in use in 1990 (in use 1992-2018)");
/// let err = h.resolve("999999", 1990, xzqh::china()).unwrap_err();
/// assert_eq!(err, HistoryError::UnknownCode { code: "999999".into() });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The code is in no yearly table (or is not 2, 4 or 6 digits).
    #[error("unknown code {code}: not in any yearly table")]
    UnknownCode {
        /// The code as given.
        code: String,
    },
    /// The code exists, but was not in use in that year.
    #[error("code {code} was not in use in {year} (in use {})", Years(valid))]
    NotValidIn {
        /// The code as given.
        code: String,
        /// The year asked for.
        year: u16,
        /// The calendar years in which the code was in use.
        valid: Vec<RangeInclusive<u16>>,
    },
    /// The name is in no yearly table.
    #[error("unknown name {name}: not in any yearly table")]
    UnknownName {
        /// The name as given.
        name: String,
    },
    /// The name exists, but no unit had it in that year.
    #[error("name {name} was not in use in {year} (in use {})", Years(valid))]
    NameNotValidIn {
        /// The name as given.
        name: String,
        /// The year asked for.
        year: u16,
        /// The calendar years in which some unit had the name.
        valid: Vec<RangeInclusive<u16>>,
    },
    /// The year is outside the history's tables.
    #[error("year {year} is outside the history ({first}-{last})")]
    YearOutOfRange {
        /// The year asked for.
        year: u16,
        /// The first table year.
        first: u16,
        /// The newest table year.
        last: u16,
    },
}

struct Years<'a>(&'a [RangeInclusive<u16>]);

impl fmt::Display for Years<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if r.start() == r.end() {
                write!(f, "{}", r.start())?;
            } else {
                write!(f, "{}-{}", r.start(), r.end())?;
            }
        }
        Ok(())
    }
}

/// What following a code found, in order of precedence.
///
/// # Examples
///
/// ```
/// use xzqh::china::history::{History, Status};
/// let (h, china) = (History::embedded(), xzqh::china());
/// assert_eq!(h.resolve("370116", 2020, china)?.status(), Status::Current);
/// assert_eq!(h.resolve("371202", 2000, china)?.status(), Status::Changed);
/// assert_eq!(h.resolve("371202", 2000, china)?.status().to_string(), "changed");
/// # Ok::<(), xzqh::china::history::HistoryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// Recorded changes ended the unit before the cut-off with no
    /// successor; [`Succession::units`] is empty and
    /// [`Succession::changes`] leads to the last record.
    Abolished,
    /// The code's fate involves a change after the cut-off
    /// ([`History::cutoff`]): the code ended later (500112 渝北区 split in
    /// 2025), or it is newer than the hierarchy (653228 和康县, 2024).
    /// [`Succession::units`] are the units that cover it as the hierarchy
    /// stands (500112 itself; 653223 皮山县), [`Succession::later`] says what
    /// happened and [`Succession::latest`] gives the codes in the newest table.
    Later,
    /// The code leads to records the hierarchy has no unit for (710000 台湾省,
    /// 810000, 820000 and 460302 西沙区 / 460303 南沙区 are not in the NBS
    /// data); [`Succession::units`] holds the nearest enclosing unit by code
    /// prefix (prefecture, then province) where the hierarchy has one.
    Unmapped,
    /// Changes up to the cut-off renamed, recoded, merged or split the unit;
    /// [`Succession::units`] are its successors.
    Changed,
    /// The code is in the hierarchy and unchanged since the year asked.
    Current,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Abolished => "abolished",
            Status::Later => "later change",
            Status::Unmapped => "not in the hierarchy",
            Status::Changed => "changed",
            Status::Current => "current",
        })
    }
}

/// What a historical code stands for in a hierarchy today: the units that
/// cover it, and the changes that led there. The answer of
/// [`History::resolve`] and [`Resolver::resolve`].
///
/// Holds at most [`MAX_UNITS`](super::MAX_UNITS) units inline; building one
/// allocates nothing.
///
/// # Examples
///
/// ```
/// use xzqh::china::history::{History, Status};
/// let s = History::embedded().resolve("371200", 1995, xzqh::china())?;
/// assert_eq!(s.status(), Status::Changed);
/// let units: Vec<_> = s.units().map(|u| u.code()).collect();
/// assert_eq!(units, ["3701"]);
/// let steps: Vec<_> = s.changes().map(|c| c.to_string()).collect();
/// assert_eq!(steps, ["2018-12-26 merge: 371200 莱芜市 → 370100 济南市 (国函〔2018〕163号)"]);
/// # Ok::<(), xzqh::china::history::HistoryError>(())
/// ```
#[derive(Clone)]
pub struct Succession<'a> {
    history: &'a History,
    hierarchy: &'a Hierarchy,
    code: u32,
    year: u16,
    entry: u32,
    status: Status,
    len: u8,
    units: [u32; MAX_UNITS],
}

impl<'a> Succession<'a> {
    pub(crate) fn new(
        history: &'a History,
        hierarchy: &'a Hierarchy,
        code: u32,
        year: u16,
        seg: &Seg,
    ) -> Self {
        let t = Targets::find(history, hierarchy, seg);
        Succession {
            history,
            hierarchy,
            code,
            year,
            entry: seg.entry,
            status: t.status,
            len: t.len,
            units: t.units,
        }
    }

    fn entry(&self) -> Entry<'a> {
        self.history.t.entry(self.entry)
    }

    /// The code followed, as six digits (a 2- or 4-digit input is padded).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::history::History::embedded().resolve("3712", 2000, xzqh::china())?;
    /// assert_eq!(s.code(), "371200");
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn code(&self) -> &'a str {
        self.history.t.code_str(self.code)
    }

    /// The year the code was followed from.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::history::History::embedded().resolve("110105", 2000, xzqh::china())?;
    /// assert_eq!(s.year(), 2000);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn year(&self) -> u16 {
        self.year
    }

    /// What was found; see [`Status`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::history::{History, Status};
    /// let s = History::embedded().resolve("110105", 2000, xzqh::china())?;
    /// assert_eq!(s.status(), Status::Current);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn status(&self) -> Status {
        self.status
    }

    /// The units of the hierarchy that cover the code, in the order of
    /// [`records`](Self::records) (a unit standing in for several unmapped
    /// records appears once); more than one after a split (every successor,
    /// never a pick), none when abolished.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::history::History::embedded().resolve("110105", 2000, xzqh::china())?;
    /// assert_eq!(s.units().map(|u| u.name()).collect::<Vec<_>>(), ["朝阳区"]);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn units(&self) -> UnitsIter<'_> {
        UnitsIter::new(self.hierarchy, &self.units[..self.len as usize])
    }

    /// Whether the code leads to more than one unit (a split).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert!(!h.resolve("110105", 2000, xzqh::china())?.is_ambiguous());
    /// assert!(h.resolve("500157", 2025, xzqh::china())?.is_ambiguous()); // 两江新区
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn is_ambiguous(&self) -> bool {
        self.len > 1
    }

    /// The records the code leads to, as of the cut-off (MCA codes and
    /// names; [`units`](Self::units) are their units in the hierarchy).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::history::History::embedded().resolve("371202", 2000, xzqh::china())?;
    /// assert_eq!(s.records().map(|r| r.to_string()).collect::<Vec<_>>(), ["370116 莱芜区"]);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn records(&self) -> Records<'a> {
        Records::new(
            self.history,
            Ids::Slice(self.entry().tree.iter()),
            Keep::All,
        )
    }

    /// The ending changes followed, oldest first (empty when the code is
    /// current): each one a trace step.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::history::History::embedded().resolve("371202", 2000, xzqh::china())?;
    /// let kinds: Vec<_> = s.changes().map(|c| c.kind().name()).collect();
    /// assert_eq!(kinds, ["recode_rename"]);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn changes(&self) -> Changes<'a> {
        Changes::new(self.history, Ids::Slice(self.entry().chain.iter()), 0)
    }

    /// Transfers and establishments, up to the cut-off and from the year
    /// asked on, that took parts of the unit or of its successors: the place
    /// a record names may now lie in another unit.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// let s = h.resolve("371202", 2000, xzqh::china())?;
    /// let moved: Vec<_> = s.moved().map(|c| c.to_string()).collect();
    /// assert_eq!(moved, ["2006 transfer: 371202 莱城区 → 371203 钢城区 (鲁政字〔2006〕168号)"]);
    /// assert_eq!(h.resolve("371202", 2010, xzqh::china())?.moved().count(), 0);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn moved(&self) -> Changes<'a> {
        Changes::new(
            self.history,
            Ids::Slice(self.entry().moved.iter()),
            self.year,
        )
    }

    /// Changes after the cut-off that touch the answer: what ended or
    /// created the code later, and later transfers out of its units.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::history::History::embedded().resolve("500112", 2025, xzqh::china())?;
    /// let later: Vec<_> = s.later().map(|c| c.to().to_string()).collect();
    /// assert_eq!(later, ["500109 北碚区", "500157 两江新区"]);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn later(&self) -> Changes<'a> {
        Changes::new(self.history, Ids::Slice(self.entry().later.iter()), 0)
    }

    /// The records in the newest table the code leads to (empty when it ends
    /// with no successor).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = xzqh::china::history::History::embedded().resolve("500112", 2020, xzqh::china())?;
    /// let latest: Vec<_> = s.latest().map(|r| r.code()).collect();
    /// assert_eq!(latest, ["500109", "500157"]);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn latest(&self) -> Records<'a> {
        Records::new(
            self.history,
            Ids::Slice(self.entry().latest.iter()),
            Keep::All,
        )
    }
}

impl fmt::Debug for Succession<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Succession")
            .field("code", &self.code())
            .field("year", &self.year)
            .field("status", &self.status)
            .field("units", &self.units().map(|u| u.code()).collect::<Vec<_>>())
            .field("changes", &self.changes())
            .field("later", &self.later())
            .finish()
    }
}

/// A summary line, then one indented line per change followed, moved part
/// and later change.
impl fmt::Display for Succession<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code(), self.year, self.status)?;
        for (i, u) in self.units().enumerate() {
            write!(f, "{} {u}", if i == 0 { " →" } else { "," })?;
        }
        for c in self.changes() {
            write!(f, "\n  {c}")?;
        }
        for c in self.moved() {
            write!(f, "\n  part moved: {c}")?;
        }
        for c in self.later() {
            write!(f, "\n  later: {c}")?;
        }
        Ok(())
    }
}

/// A segment's targets looked up in one hierarchy.
#[derive(Debug, Clone, Copy)]
struct Targets {
    units: [u32; MAX_UNITS],
    len: u8,
    status: Status,
}

impl Targets {
    #[inline]
    fn find(history: &History, hierarchy: &Hierarchy, seg: &Seg) -> Targets {
        let mut units = [0u32; MAX_UNITS];
        let mut len = 0usize;
        let mut unmapped = false;
        let mut add = |code: u32| {
            let six = history.t.code_str(code);
            let unit = match hierarchy.by_exact_code(data_code(six)) {
                Some(u) => Some(u.id),
                None => {
                    unmapped = true;
                    enclosing(six, hierarchy)
                }
            };
            if let Some(u) = unit {
                // At most MAX_UNITS targets (checked at load).
                if !units[..len].contains(&u) && len < MAX_UNITS {
                    units[len] = u;
                    len += 1;
                }
            }
        };
        if seg.targets == 1 {
            add(seg.code0);
        } else {
            for &r in history.t.entry(seg.entry).tree {
                add(history.t.rec_code[r as usize]);
            }
        }
        Targets {
            units,
            len: len as u8,
            status: status(seg.flags, unmapped),
        }
    }
}

/// One segment's answer in one hierarchy.
#[derive(Debug, Clone, Copy)]
struct Answer {
    /// The unit when there is one; else the start in `Bindings::units`.
    unit: u32,
    /// The last ending change followed (the one routing reports), or `NONE`.
    change: u32,
    len: u8,
    status: Status,
}

/// One code: its key beside its first segment's answer, so that most
/// lookups read one cache line after the hash slot.
#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Slot {
    key: [u8; 6],
    from: u16,
    to: u16,
    entry: u32,
    /// The index in `Bindings::answers` of the code's last segment (its
    /// latest use), `NONE` when that is the first.
    last: u32,
    first: Answer,
}

// One slot, one half cache line.
const _: () = assert!(std::mem::size_of::<Slot>() == 32);

/// A history's answers bound to one hierarchy: every segment's units looked
/// up once. Owned, so that the hierarchy can keep them in its successions
/// ([`super::Bound`]) and a [`Resolver`] can own or borrow them.
#[derive(Debug, Clone)]
pub(crate) struct Bindings {
    /// The hierarchy's stamp: the answers are its unit ids.
    stamp: u64,
    /// One per code of the history, in the same order.
    slots: Box<[Slot]>,
    /// One per segment of the history, in the same order.
    answers: Box<[Answer]>,
    units: Box<[u32]>,
}

impl Bindings {
    /// Looks up every segment's targets in `hierarchy` (a few thousand code
    /// lookups).
    pub(crate) fn new(history: &History, hierarchy: &Hierarchy) -> Bindings {
        let mut units = Vec::new();
        let answers: Box<[Answer]> = history
            .t
            .segs
            .iter()
            .map(|seg| {
                let t = Targets::find(history, hierarchy, seg);
                let unit = if t.len == 1 {
                    t.units[0]
                } else {
                    let at = units.len() as u32;
                    units.extend_from_slice(&t.units[..t.len as usize]);
                    at
                };
                let change = history.t.entry(seg.entry).chain.last();
                Answer {
                    unit,
                    change: change.copied().unwrap_or(NONE),
                    len: t.len,
                    status: t.status,
                }
            })
            .collect();
        let none = Answer {
            unit: 0,
            change: NONE,
            len: 0,
            status: Status::Abolished,
        };
        let slots = history
            .t
            .codes
            .iter()
            .map(|c| Slot {
                key: c.key,
                from: c.seg0.from,
                to: c.seg0.to,
                entry: c.seg0.entry,
                last: if c.n_segs > 1 {
                    c.first_seg + u32::from(c.n_segs) - 1
                } else {
                    NONE
                },
                first: answers.get(c.first_seg as usize).copied().unwrap_or(none),
            })
            .collect();
        Bindings {
            stamp: hierarchy.stamp,
            slots,
            answers,
            units: units.into_boxed_slice(),
        }
    }

    /// Whether these are `h`'s answers.
    #[inline]
    pub(crate) fn is_for(&self, h: &Hierarchy) -> bool {
        self.stamp == h.stamp
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    #[inline]
    fn slot(&self, history: &History, code: &str) -> Option<(u32, &Slot)> {
        let key = super::six(code)?;
        let c = history
            .t
            .code_index
            .find(&key, |c| &self.slots[c as usize].key)?;
        Some((c, &self.slots[c as usize]))
    }

    #[inline]
    fn units_of<'s>(&'s self, a: &'s Answer) -> &'s [u32] {
        if a.len == 1 {
            std::slice::from_ref(&a.unit)
        } else {
            &self.units[a.unit as usize..a.unit as usize + a.len as usize]
        }
    }

    fn answer<'a>(
        &self,
        history: &'a History,
        hierarchy: &'a Hierarchy,
        code: u32,
        year: u16,
        entry: u32,
        a: Answer,
    ) -> Succession<'a> {
        let mut units = [0u32; MAX_UNITS];
        if a.len == 1 {
            // Most answers: one unit, stored in the answer itself (a copy
            // of a slice of unknown length is a `memcpy` call).
            units[0] = a.unit;
        } else {
            let s = self.units_of(&a);
            units[..s.len()].copy_from_slice(s);
        }
        Succession {
            history,
            hierarchy,
            code,
            year,
            entry,
            status: a.status,
            len: a.len,
            units,
        }
    }

    /// The units a superseded code stands for as of its latest use, and
    /// the last change followed: a hash probe and one or two slot reads.
    /// `None` when no ending change was followed (the code is current, or
    /// its fate is later than the cut-off) or it leads to no unit.
    #[inline]
    pub(crate) fn successors(
        &self,
        history: &History,
        code: &str,
        out: &mut Vec<UnitId>,
    ) -> Option<ChangeId> {
        let (_, s) = self.slot(history, code)?;
        let a = match s.last {
            NONE => &s.first,
            at => &self.answers[at as usize],
        };
        if a.change == NONE || a.len == 0 {
            return None;
        }
        out.extend(self.units_of(a).iter().map(|&u| UnitId::new(u)));
        Some(ChangeId(a.change))
    }
}

/// A [`History`] bound to one hierarchy: the units of every answer are
/// looked up once, when the resolver is made (a few thousand code lookups),
/// so that resolving reads no hierarchy index: a hash probe and, for most
/// codes, one cache line.
///
/// Make one per hierarchy and keep it: making it is the expensive part.
/// Routing does not need one: a hierarchy's own
/// [`successions`](crate::Hierarchy::successions) hold the same tables,
/// built once per hierarchy from its profile's data date.
/// [`History::resolve`] gives the same answers with no tables, looking the
/// units up on every call.
///
/// # Examples
///
/// ```
/// use xzqh::china::history::{History, Status};
/// let history = History::embedded();
/// let resolver = history.resolver(xzqh::china());
/// let s = resolver.resolve("371202", 2010)?;
/// assert_eq!(s.status(), Status::Changed);
/// assert_eq!(s.units().next().unwrap().code(), "370116");
/// assert_eq!(resolver.current("371200")?.units().next().unwrap().code(), "3701");
/// # Ok::<(), xzqh::china::history::HistoryError>(())
/// ```
pub struct Resolver<'a> {
    history: &'a History,
    hierarchy: &'a Hierarchy,
    bindings: Cow<'a, Bindings>,
}

impl fmt::Debug for Resolver<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolver")
            .field("history", &self.history.data_version())
            .field("cutoff", &self.history.cutoff().to_string())
            .field("hierarchy", &self.hierarchy)
            .field("codes", &self.bindings.len())
            .finish()
    }
}

impl<'a> Resolver<'a> {
    /// A resolver that owns new tables.
    pub(crate) fn new(history: &'a History, hierarchy: &'a Hierarchy) -> Self {
        Resolver {
            history,
            hierarchy,
            bindings: Cow::Owned(Bindings::new(history, hierarchy)),
        }
    }

    /// A resolver over tables kept elsewhere (a hierarchy's successions).
    pub(crate) fn borrowed(
        history: &'a History,
        hierarchy: &'a Hierarchy,
        bindings: &'a Bindings,
    ) -> Self {
        debug_assert!(bindings.is_for(hierarchy));
        Resolver {
            history,
            hierarchy,
            bindings: Cow::Borrowed(bindings),
        }
    }

    /// The history.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china::history::History::embedded();
    /// assert!(std::ptr::eq(h.resolver(xzqh::china()).history(), h));
    /// ```
    pub fn history(&self) -> &'a History {
        self.history
    }

    /// The hierarchy resolved into.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china::history::History::embedded().resolver(xzqh::china());
    /// assert!(std::ptr::eq(r.hierarchy(), xzqh::china()));
    /// ```
    pub fn hierarchy(&self) -> &'a Hierarchy {
        self.hierarchy
    }

    /// [`History::resolve`] into this resolver's hierarchy.
    ///
    /// # Errors
    ///
    /// As [`History::resolve`].
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china::history::History::embedded().resolver(xzqh::china());
    /// assert_eq!(r.resolve("110105", 1990)?.units().next().unwrap().name(), "朝阳区");
    /// assert!(r.resolve("110105", 1980).is_err());
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn resolve(&self, code: &str, year: u16) -> Result<Succession<'a>, HistoryError> {
        let b = &*self.bindings;
        let Some((c, s)) = b.slot(self.history, code) else {
            return Err(HistoryError::UnknownCode {
                code: code.to_owned(),
            });
        };
        if s.from <= year && year <= s.to {
            return Ok(b.answer(self.history, self.hierarchy, c, year, s.entry, s.first));
        }
        // Another segment of the code (found without a second probe), or
        // an error.
        let (at, seg) = self.history.segment(c, code, year)?;
        let a = b.answers[at as usize];
        Ok(b.answer(self.history, self.hierarchy, c, year, seg.entry, a))
    }

    /// [`History::current`] into this resolver's hierarchy.
    ///
    /// # Errors
    ///
    /// As [`History::current`].
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china::history::History::embedded().resolver(xzqh::china());
    /// assert_eq!(r.current("110105")?.changes().count(), 0);
    /// # Ok::<(), xzqh::china::history::HistoryError>(())
    /// ```
    pub fn current(&self, code: &str) -> Result<Succession<'a>, HistoryError> {
        let (c, at, seg) = self.history.lookup_current(code)?;
        let b = &*self.bindings;
        let a = b.answers[at as usize];
        Ok(b.answer(self.history, self.hierarchy, c, seg.to, seg.entry, a))
    }
}

/// The status from a segment's flags and whether a target was missing.
#[inline]
fn status(flags: u8, unmapped: bool) -> Status {
    if flags & ABOLISHED != 0 {
        Status::Abolished
    } else if flags & LATER as u8 != 0 {
        Status::Later
    } else if unmapped {
        Status::Unmapped
    } else if flags & CHANGED != 0 {
        Status::Changed
    } else {
        Status::Current
    }
}

/// Writes `code` as six ASCII digits.
#[inline]
pub(crate) fn six_digits(mut code: u32, buf: &mut [u8; 6]) -> &str {
    for b in buf.iter_mut().rev() {
        *b = b'0' + (code % 10) as u8;
        code /= 10;
    }
    // Six ASCII digits are valid UTF-8.
    std::str::from_utf8(buf).unwrap_or("000000")
}

/// The nearest unit whose data code is a prefix of `six`'s (prefecture,
/// then province).
fn enclosing(six: &str, h: &Hierarchy) -> Option<u32> {
    let b = six.as_bytes();
    if b[2..] == *b"0000" {
        return None;
    }
    if b[4..] != *b"00"
        && let Some(u) = h.by_exact_code(&six[..4])
    {
        return Some(u.id);
    }
    h.by_exact_code(&six[..2]).map(|u| u.id)
}
