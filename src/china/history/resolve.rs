//! Resolving a historical code to units of a hierarchy: the answer type, its
//! outcome and the errors.

use std::fmt;
use std::ops::RangeInclusive;

use thiserror::Error;

use super::records::{Changes, Ids, Keep, Records};
use super::tables::{ABOLISHED, CHANGED, Entry, LATER, MAX_UNITS, Seg};
use super::{History, data_code};
use crate::{Hierarchy, UnitsIter};

/// A failure to resolve a code or a name.
///
/// # Examples
///
/// ```
/// use xzqh::history::{History, HistoryError};
/// let h = History::embedded();
/// let tree = xzqh::sample::small_china();
/// let err = h.resolve("371200", 1990, &tree).unwrap_err();
/// assert_eq!(err.to_string(), "code 371200 was not in use in 1990 (in use 1992-2018)");
/// let err = h.resolve("999999", 1990, &tree).unwrap_err();
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

/// What resolving a code found, in order of precedence.
///
/// # Examples
///
/// ```
/// use xzqh::history::{History, Outcome};
/// # use xzqh::{china::ChinaKind::*, Hierarchy, Schema};
/// # let mut b = Hierarchy::builder(Schema::china());
/// # b.unit("0", "中华人民共和国", State, None).unit("37", "山东省", Province, Some("0"))
/// #     .unit("3701", "济南市", PrefectureCity, Some("37"))
/// #     .unit("370116", "莱芜区", District, Some("3701"));
/// # let jinan = b.build()?;
/// let h = History::embedded();
/// assert_eq!(h.resolve("370116", 2020, &jinan)?.outcome(), Outcome::Current);
/// assert_eq!(h.resolve("371202", 2000, &jinan)?.outcome(), Outcome::Changed);
/// assert_eq!(h.resolve("371202", 2000, &jinan)?.outcome().to_string(), "changed");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Recorded changes ended the unit before the hierarchy's data with no
    /// successor; [`Resolution::units`] is empty and
    /// [`Resolution::changes`] leads to the last record.
    Abolished,
    /// The code's fate involves a change after the hierarchy's data
    /// ([`History::cutoff`]): the code ended later (500112 渝北区 split in
    /// 2025), or it is newer than the hierarchy (653228 和康县, 2024).
    /// [`Resolution::units`] are the units that cover it as the hierarchy
    /// stands (500112 itself; 653223 皮山县), [`Resolution::later`] says what
    /// happened and [`Resolution::latest`] gives the codes in the newest table.
    Later,
    /// The code leads to records the hierarchy has no unit for (710000 台湾省,
    /// 810000, 820000 and 460302 西沙区 / 460303 南沙区 are not in the NBS
    /// data); [`Resolution::units`] holds the nearest enclosing unit by code
    /// prefix (prefecture, then province) where the hierarchy has one.
    Unmapped,
    /// Changes up to the hierarchy's data renamed, recoded, merged or split
    /// the unit; [`Resolution::units`] are its successors.
    Changed,
    /// The code is in the hierarchy and unchanged since the year asked.
    Current,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Abolished => "abolished",
            Outcome::Later => "later change",
            Outcome::Unmapped => "not in the hierarchy",
            Outcome::Changed => "changed",
            Outcome::Current => "current",
        })
    }
}

/// The answer to [`History::resolve`]: the units of the target hierarchy
/// that cover a historical code, and the changes that led there.
///
/// Holds at most [`MAX_UNITS`](super::MAX_UNITS) units inline; resolving allocates nothing.
///
/// # Examples
///
/// ```
/// use xzqh::history::{ChangeKind, History, Outcome};
/// # use xzqh::{china::ChinaKind::*, Hierarchy, Schema};
/// # let mut b = Hierarchy::builder(Schema::china());
/// # b.unit("0", "中华人民共和国", State, None).unit("37", "山东省", Province, Some("0"))
/// #     .unit("3701", "济南市", PrefectureCity, Some("37"))
/// #     .unit("370116", "莱芜区", District, Some("3701"));
/// # let jinan = b.build()?;
/// let r = History::embedded().resolve("371200", 1995, &jinan)?;
/// assert_eq!(r.outcome(), Outcome::Changed);
/// let units: Vec<_> = r.units().map(|u| u.code()).collect();
/// assert_eq!(units, ["3701"]);
/// let steps: Vec<_> = r.changes().map(|c| c.to_string()).collect();
/// assert_eq!(steps, ["2018-12-26 merge: 371200 莱芜市 → 370100 济南市 (国函〔2018〕163号)"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Resolution<'a> {
    history: &'a History,
    hierarchy: &'a Hierarchy,
    code: u32,
    year: u16,
    entry: u32,
    outcome: Outcome,
    len: u8,
    units: [u32; MAX_UNITS],
}

impl<'a> Resolution<'a> {
    pub(crate) fn new(
        history: &'a History,
        hierarchy: &'a Hierarchy,
        code: u32,
        year: u16,
        seg: &Seg,
    ) -> Self {
        let t = Targets::find(history, hierarchy, seg);
        Resolution {
            history,
            hierarchy,
            code,
            year,
            entry: seg.entry,
            outcome: t.outcome,
            len: t.len,
            units: t.units,
        }
    }

    fn entry(&self) -> Entry<'a> {
        self.history.t.entry(self.entry)
    }

    /// The code resolved, as six digits (a 2- or 4-digit input is padded).
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("3712", 2000, &tree)?;
    /// assert_eq!(r.code(), "371200");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn code(&self) -> &'a str {
        self.history.t.code_str(self.code)
    }

    /// The year the code was resolved as of.
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("110105", 2000, &tree)?;
    /// assert_eq!(r.year(), 2000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn year(&self) -> u16 {
        self.year
    }

    /// What was found; see [`Outcome`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::history::Outcome;
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("110105", 2000, &tree)?;
    /// assert_eq!(r.outcome(), Outcome::Current);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The units of the hierarchy that cover the code, in the order of
    /// [`records`](Self::records) (a unit standing in for several unmapped
    /// records appears once); more than one after a split (every successor,
    /// never a pick), none when abolished.
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("110105", 2000, &tree)?;
    /// assert_eq!(r.units().map(|u| u.name()).collect::<Vec<_>>(), ["朝阳区"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn units(&self) -> UnitsIter<'_> {
        UnitsIter::new(self.hierarchy, &self.units[..self.len as usize])
    }

    /// Whether the code leads to more than one unit (a split).
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("110105", 2000, &tree)?;
    /// assert!(!r.is_ambiguous());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_ambiguous(&self) -> bool {
        self.len > 1
    }

    /// The records the code resolves to, as of the hierarchy's data (MCA
    /// codes and names; [`units`](Self::units) are their units in the
    /// hierarchy).
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("371202", 2000, &tree)?;
    /// assert_eq!(r.records().map(|r| r.to_string()).collect::<Vec<_>>(), ["370116 莱芜区"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
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
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("371202", 2000, &tree)?;
    /// let kinds: Vec<_> = r.changes().map(|c| c.kind().name()).collect();
    /// assert_eq!(kinds, ["recode_rename"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn changes(&self) -> Changes<'a> {
        Changes::new(self.history, Ids::Slice(self.entry().chain.iter()), 0)
    }

    /// Transfers and establishments, up to the hierarchy's data and from the
    /// year asked on, that took parts of the unit or of its successors: the
    /// place a record names may now lie in another unit.
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let h = xzqh::history::History::embedded();
    /// let r = h.resolve("371202", 2000, &tree)?;
    /// let moved: Vec<_> = r.moved().map(|c| c.to_string()).collect();
    /// assert_eq!(moved, ["2006 transfer: 371202 莱城区 → 371203 钢城区 (鲁政字〔2006〕168号)"]);
    /// assert_eq!(h.resolve("371202", 2010, &tree)?.moved().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn moved(&self) -> Changes<'a> {
        Changes::new(
            self.history,
            Ids::Slice(self.entry().moved.iter()),
            self.year,
        )
    }

    /// Changes after the hierarchy's data that touch the answer: what ended
    /// or created the code later, and later transfers out of its units.
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("500112", 2025, &tree)?;
    /// let later: Vec<_> = r.later().map(|c| c.to().to_string()).collect();
    /// assert_eq!(later, ["500109 北碚区", "500157 两江新区"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
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
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolve("500112", 2020, &tree)?;
    /// let latest: Vec<_> = r.latest().map(|r| r.code()).collect();
    /// assert_eq!(latest, ["500109", "500157"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn latest(&self) -> Records<'a> {
        Records::new(
            self.history,
            Ids::Slice(self.entry().latest.iter()),
            Keep::All,
        )
    }
}

impl fmt::Debug for Resolution<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolution")
            .field("code", &self.code())
            .field("year", &self.year)
            .field("outcome", &self.outcome)
            .field("units", &self.units().map(|u| u.code()).collect::<Vec<_>>())
            .field("changes", &self.changes())
            .field("later", &self.later())
            .finish()
    }
}

/// A summary line, then one indented line per change followed, moved part
/// and later change.
impl fmt::Display for Resolution<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code(), self.year, self.outcome)?;
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
pub(crate) struct Targets {
    units: [u32; MAX_UNITS],
    len: u8,
    outcome: Outcome,
}

impl Targets {
    #[inline]
    fn find(history: &History, hierarchy: &Hierarchy, seg: &Seg) -> Targets {
        let mut units = [0u32; MAX_UNITS];
        let mut len = 0usize;
        let mut unmapped = false;
        let mut add = |code: u32| {
            let six = history.t.code_str(code);
            let unit = match hierarchy.by_code(data_code(six)) {
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
            outcome: outcome(seg.flags, unmapped),
        }
    }
}

/// Units and outcome of one segment, as stored by a [`Resolver`].
#[derive(Debug, Clone, Copy)]
struct Bound {
    /// The unit when there is one; else the start in `Resolver::units`.
    unit: u32,
    len: u8,
    outcome: Outcome,
}

/// A [`History`] bound to one hierarchy: the units of every answer are looked
/// up once, when the resolver is made (a few thousand code lookups, well
/// under a millisecond), so that resolving reads no hierarchy index.
///
/// Make one per hierarchy and keep it (the routing engine resolves every
/// case through one); [`History::resolve`] gives the same answers without it.
///
/// # Examples
///
/// ```
/// use xzqh::history::{History, Outcome};
/// # use xzqh::{china::ChinaKind::*, Hierarchy, Schema};
/// # let mut b = Hierarchy::builder(Schema::china());
/// # b.unit("0", "中华人民共和国", State, None).unit("37", "山东省", Province, Some("0"))
/// #     .unit("3701", "济南市", PrefectureCity, Some("37"))
/// #     .unit("370116", "莱芜区", District, Some("3701"));
/// # let jinan = b.build()?;
/// let history = History::embedded();
/// let resolver = history.resolver(&jinan);
/// let r = resolver.resolve("371202", 2010)?;
/// assert_eq!(r.outcome(), Outcome::Changed);
/// assert_eq!(r.units().next().unwrap().code(), "370116");
/// assert_eq!(resolver.current("371200")?.units().next().unwrap().code(), "3701");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Resolver<'a> {
    history: &'a History,
    hierarchy: &'a Hierarchy,
    /// One per code of the history, in the same order: the key beside the
    /// first segment's answer, so that most lookups read one cache line
    /// after the hash slot.
    slots: Box<[BoundSlot]>,
    /// One per segment of the history, in the same order.
    bound: Box<[Bound]>,
    units: Box<[u32]>,
}

#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct BoundSlot {
    key: [u8; 6],
    from: u16,
    to: u16,
    entry: u32,
    b: Bound,
}

impl fmt::Debug for Resolver<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolver")
            .field("history", &self.history.data_version())
            .field("hierarchy", &self.hierarchy)
            .field("codes", &self.slots.len())
            .finish()
    }
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(history: &'a History, hierarchy: &'a Hierarchy) -> Self {
        let mut units = Vec::new();
        let bound = history
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
                Bound {
                    unit,
                    len: t.len,
                    outcome: t.outcome,
                }
            })
            .collect();
        let bound: Box<[Bound]> = bound;
        let slots = history
            .t
            .codes
            .iter()
            .map(|c| BoundSlot {
                key: c.key,
                from: c.seg0.from,
                to: c.seg0.to,
                entry: c.seg0.entry,
                b: bound.get(c.first_seg as usize).copied().unwrap_or(Bound {
                    unit: 0,
                    len: 0,
                    outcome: Outcome::Abolished,
                }),
            })
            .collect();
        Resolver {
            history,
            hierarchy,
            slots,
            bound,
            units: units.into_boxed_slice(),
        }
    }

    /// The history.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// let tree = xzqh::sample::small_china();
    /// assert!(std::ptr::eq(h.resolver(&tree).history(), h));
    /// ```
    pub fn history(&self) -> &'a History {
        self.history
    }

    /// The hierarchy resolved into.
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolver(&tree);
    /// assert_eq!(r.hierarchy().len(), tree.len());
    /// ```
    pub fn hierarchy(&self) -> &'a Hierarchy {
        self.hierarchy
    }

    fn answer(&self, code: u32, year: u16, entry: u32, b: Bound) -> Resolution<'a> {
        let mut units = [0u32; MAX_UNITS];
        if b.len == 1 {
            units[0] = b.unit;
        } else {
            let s = &self.units[b.unit as usize..b.unit as usize + b.len as usize];
            units[..s.len()].copy_from_slice(s);
        }
        Resolution {
            history: self.history,
            hierarchy: self.hierarchy,
            code,
            year,
            entry,
            outcome: b.outcome,
            len: b.len,
            units,
        }
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
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolver(&tree);
    /// assert_eq!(r.resolve("110105", 1990)?.units().next().unwrap().name(), "朝阳区");
    /// assert!(r.resolve("110105", 1980).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(&self, code: &str, year: u16) -> Result<Resolution<'a>, HistoryError> {
        let t = &self.history.t;
        let hit = super::six(code).and_then(|key| {
            let c = t.code_index.find(&key, |c| &self.slots[c as usize].key)?;
            Some((c, &self.slots[c as usize]))
        });
        if let Some((c, s)) = hit {
            if s.from <= year && year <= s.to {
                return Ok(self.answer(c, year, s.entry, s.b));
            }
        }
        // Another segment of the code, or an error.
        let (c, at, seg) = self.history.lookup(code, year)?;
        Ok(self.answer(c, year, seg.entry, self.bound[at as usize]))
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
    /// let tree = xzqh::sample::small_china();
    /// let r = xzqh::history::History::embedded().resolver(&tree);
    /// assert_eq!(r.current("110105")?.changes().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn current(&self, code: &str) -> Result<Resolution<'a>, HistoryError> {
        let (c, at, seg) = self.history.lookup_current(code)?;
        Ok(self.answer(c, seg.to, seg.entry, self.bound[at as usize]))
    }
}

/// The outcome from a segment's flags and whether a target was missing.
#[inline]
pub(crate) fn outcome(flags: u8, unmapped: bool) -> Outcome {
    if flags & ABOLISHED != 0 {
        Outcome::Abolished
    } else if flags & LATER as u8 != 0 {
        Outcome::Later
    } else if unmapped {
        Outcome::Unmapped
    } else if flags & CHANGED != 0 {
        Outcome::Changed
    } else {
        Outcome::Current
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
    if b[4..] != *b"00" {
        if let Some(u) = h.by_code(&six[..4]) {
            return Some(u.id);
        }
    }
    h.by_code(&six[..2]).map(|u| u.id)
}
