//! The history of China's county-level and higher division codes, 1981–2025:
//! old codes and names to today's units, as-of-year views, and the changes
//! after the embedded hierarchy's data.
//!
//! Records in a hotline's or a petition office's database carry the code of
//! the year they were filed: 371200 莱芜市 (merged into 济南 in 2018),
//! 371202 莱城区 (now 370116 莱芜区), counties since turned into districts.
//! [`History::resolve`] maps such a code, as of its year, to the units of a
//! [`Hierarchy`] that cover it today, with the chain of changes followed.
//!
//! ```
//! use xzqh::history::{History, Outcome};
//! use xzqh::{china::ChinaKind::*, Hierarchy, Schema};
//!
//! // Any hierarchy with data codes ("37", "3701", "370116"); usually xzqh::china().
//! let mut b = Hierarchy::builder(Schema::china());
//! b.unit("0", "中华人民共和国", State, None)
//!     .unit("37", "山东省", Province, Some("0"))
//!     .unit("3701", "济南市", PrefectureCity, Some("37"))
//!     .unit("370116", "莱芜区", District, Some("3701"));
//! let tree = b.build()?;
//!
//! let history = History::embedded();
//! let r = history.resolve("371202", 2010, &tree)?; // 莱城区, as filed in 2010
//! assert_eq!(r.outcome(), Outcome::Changed);
//! assert_eq!(r.units().next().unwrap().name(), "莱芜区");
//! assert_eq!(
//!     r.changes().next().unwrap().to_string(),
//!     "2018-12-26 recode_rename: 371202 莱城区 → 370116 莱芜区 (国函〔2018〕163号)"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Semantics
//!
//! - **Tables and years.** The data is the MCA code table of every year
//!   1981–2025, the table of year Y being the state on 31 December Y, and
//!   5,114 typed changes between them. A [`Record`] is one code with one name
//!   over a run of tables. A code is **in use in year Y** when it is in the
//!   table of Y or of Y − 1: it was in force at some time during Y, so a
//!   record filed in early 2019 may carry 371200, although the 2018 table no
//!   longer has it. Around a rename or a reuse of a code both records are in
//!   use in that year, and resolving answers for both.
//! - **Resolving code C as of year Y** (against a hierarchy): C must be in
//!   use in Y ([`HistoryError::NotValidIn`], [`HistoryError::UnknownCode`]).
//!   From each of its records, follow the changes that end the record:
//!   rename keeps the code, recode, recode_rename and merge go to the new
//!   code, split goes to *every* part. Transfer and establish do not move
//!   the old unit, which continues; they are reported by
//!   [`Resolution::moved`]. Following stops at the records in use at the
//!   embedded hierarchy's data date ([`History::cutoff`], NBS 2023:
//!   2023-06-30); each maps to a unit by [`data_code`].
//! - **Later changes.** A change is later when it is dated after the cut-off
//!   or first shown in a later table ([`History::later_changes`]: the 2024
//!   transfers, 和康县 and 和安县 in 2024, 两江新区 in 2025, and the
//!   2024-01-30 transfer 昭阳区 → 大关县 that the 2023 table already shows).
//!   They are not followed into the hierarchy, which does not show them:
//!   500112 渝北区 as of 2025 resolves to 500112, with
//!   [`Outcome::Later`] and the split in [`Resolution::later`]. A code newer
//!   than the hierarchy (653228 和康县) resolves to the units its territory
//!   came from (653223 皮山县).
//! - **Abolished** ([`Outcome::Abolished`]): a record gone from the tables
//!   before the cut-off with no recorded successor. The current data has
//!   none: every ended record has a successor.
//! - **Unmapped** ([`Outcome::Unmapped`]): a record in use at the cut-off
//!   that the hierarchy lacks (Taiwan, Hong Kong, Macau, 西沙区 and 南沙区
//!   are not in the NBS data); the nearest enclosing unit by code prefix
//!   stands in.
//!
//! # Routing old records
//!
//! The routing engine resolves every case through one [`Resolver`]
//! ([`History::resolver`]), which looks the units of every answer up in the
//! hierarchy once: a query is then a hash probe and one cache line (about
//! 40–50 ns; `benches/history.rs`). [`Resolver::resolve`] takes the record's
//! filing year; [`Resolver::current`] takes a code alone (its latest use).
//! A superseded code routes as [`Resolution::units`] (several after a split:
//! report the ambiguity), and each [`Resolution::changes`] item prints as a
//! trace step.
//!
//! # Data
//!
//! [`DATA_VERSION`]: yescallop/areacodes (CC0 1.0), from the MCA's
//! 县级以上行政区划代码 tables; see `data/china/history/PROVENANCE.md`.
//! Attribution (courteous, not required): 行政区划代码历史数据:
//! yescallop/areacodes (CC0 1.0); 原始数据: 中华人民共和国民政部.
//! The embedded artifact `data/china/history.bin` (~190 KB) is regenerated
//! by `cargo run -p xzqh-data` from the CSV copies in
//! `data/china/history/source/`. Sub-county (township) changes and the NBS
//! statistical-only codes (development zones) are not covered.
//!
//! Enabled by the default cargo feature `history`.

mod bound;
mod data;
mod records;
mod resolve;
mod tables;

use std::fmt;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

pub(crate) use bound::Bound;
pub use data::LoadError;
pub use records::{Change, ChangeKind, Changes, Date, Diff, Record, Records};
pub use resolve::{HistoryError, Outcome, Resolution, Resolver};

use data::{Chg, Raw, Rec};
use records::{Ids, Keep};
use tables::{Seg, Tables};

use crate::Hierarchy;

/// The version of the embedded history data.
///
/// # Examples
///
/// ```
/// use xzqh::history::{History, DATA_VERSION};
/// assert_eq!(History::embedded().data_version(), DATA_VERSION);
/// ```
pub const DATA_VERSION: &str =
    "yescallop/areacodes@2da87e7 (MCA county-level codes 1981-2025, CC0 1.0)";

/// The most units one [`Resolution`] holds; data where a code resolves to
/// more is rejected when loading (the embedded data's largest fan-out is 5).
pub const MAX_UNITS: usize = tables::MAX_UNITS;

static EMBEDDED: &[u8] = include_bytes!("../../../data/china/history.bin");

/// The code history: records, changes, and every code's resolution
/// precomputed.
///
/// Immutable and `Send + Sync`; [`History::embedded`] is loaded once.
///
/// # Examples
///
/// ```
/// let h = xzqh::history::History::embedded();
/// assert_eq!(h.years(), 1981..=2025);
/// assert_eq!(h.name_in("130503", 2015), Some("桥西区"));
/// assert_eq!(h.name_in("130503", 2021), Some("信都区"));
/// ```
pub struct History {
    raw: Raw,
    t: Tables,
}

impl fmt::Debug for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("History")
            .field("data_version", &self.raw.version)
            .field("years", &self.years())
            .field("records", &self.raw.recs.len())
            .field("changes", &self.raw.changes.len())
            .finish()
    }
}

/// The code a hierarchy with NBS data codes uses for an MCA code: `xx0000`
/// → `xx` (province), `xxxx00` → `xxxx` (prefecture), anything else as is.
///
/// # Examples
///
/// ```
/// use xzqh::history::data_code;
/// assert_eq!(data_code("370000"), "37");
/// assert_eq!(data_code("370100"), "3701");
/// assert_eq!(data_code("370116"), "370116");
/// ```
pub fn data_code(code: &str) -> &str {
    match code.as_bytes() {
        [_, _, b'0', b'0', b'0', b'0'] => &code[..2],
        [_, _, _, _, b'0', b'0'] => &code[..4],
        _ => code,
    }
}

/// A code as given (2, 4 or 6 ASCII digits) as six digits.
#[inline]
pub(crate) fn six(code: &str) -> Option<[u8; 6]> {
    let b = code.as_bytes();
    if !matches!(b.len(), 2 | 4 | 6) || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [b'0'; 6];
    out[..b.len()].copy_from_slice(b);
    Some(out)
}

impl History {
    /// The embedded history, decoded on first use.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// assert!(h.changes().count() > 5_000);
    /// ```
    pub fn embedded() -> &'static History {
        static CELL: OnceLock<History> = OnceLock::new();
        CELL.get_or_init(|| {
            History::from_bytes(EMBEDDED)
                .expect("the embedded history is valid (tests/history_fresh.rs decodes it)")
        })
    }

    /// Decodes history data in the format of `data/china/history.bin`.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] for bytes that are not history data, of another
    /// format version, truncated, inconsistent (a change whose years do not
    /// fit its kind, unsorted records, an out-of-range index) or followed by
    /// trailing bytes. Never panics.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::history::{History, LoadError};
    /// assert_eq!(History::from_bytes(b"XZQHHIST").unwrap_err(),
    ///     LoadError::Truncated { section: "header" });
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<History, LoadError> {
        let raw = data::decode(bytes)?;
        let t = tables::build(&raw)?;
        Ok(History { raw, t })
    }

    /// The data version recorded in the data.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::history::History::embedded().data_version().starts_with("yescallop/areacodes"));
    /// ```
    pub fn data_version(&self) -> &str {
        &self.raw.version
    }

    /// The table years covered.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::history::History::embedded().years(), 1981..=2025);
    /// ```
    pub fn years(&self) -> RangeInclusive<u16> {
        self.raw.first_year..=self.raw.last_year
    }

    /// The data date of the hierarchy this history resolves into (the
    /// embedded NBS 2023 data: 2023-06-30). Changes after it are
    /// [later changes](Self::later_changes).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::history::History::embedded().cutoff().to_string(), "2023-06-30");
    /// ```
    pub fn cutoff(&self) -> Date {
        Date::from_raw(self.raw.cutoff)
    }

    #[inline]
    fn code_id(&self, code: &str) -> Option<u32> {
        self.t.code_id(&six(code)?)
    }

    pub(crate) fn rec_code(&self, rec: u32) -> &str {
        self.t.code_str(self.t.rec_code[rec as usize])
    }

    pub(crate) fn in_use(&self, r: &Rec) -> (u16, u16) {
        tables::in_use(&self.raw, r)
    }

    pub(crate) fn is_later(&self, c: &Chg) -> bool {
        tables::is_later(&self.raw, c)
    }

    pub(crate) fn all_records(&self, keep: Keep) -> Records<'_> {
        Records::new(self, Ids::Range(0..self.raw.recs.len() as u32), keep)
    }

    fn check_year(&self, year: u16) -> Result<(), HistoryError> {
        if self.years().contains(&year) {
            Ok(())
        } else {
            Err(HistoryError::YearOutOfRange {
                year,
                first: self.raw.first_year,
                last: self.raw.last_year,
            })
        }
    }

    fn recs_of(&self, c: u32) -> &[Rec] {
        let c = c as usize;
        &self.raw.recs[self.t.code_recs[c] as usize..self.t.code_recs[c + 1] as usize]
    }

    /// Calendar years in use, merged.
    fn years_in_use<'r>(&self, recs: impl Iterator<Item = &'r Rec>) -> Vec<RangeInclusive<u16>> {
        let mut spans: Vec<(u16, u16)> = recs.map(|r| self.in_use(r)).collect();
        spans.sort_unstable();
        let mut out: Vec<RangeInclusive<u16>> = Vec::new();
        for (a, b) in spans {
            match out.last_mut() {
                Some(last) if a <= *last.end() + 1 => {
                    *last = *last.start()..=b.max(*last.end());
                }
                _ => out.push(a..=b),
            }
        }
        out
    }

    /// Resolves `code` as it was in use in `year` to the units of `h` that
    /// cover it, following the recorded changes (see the [module
    /// docs](self) for the exact rules).
    ///
    /// `code` is an MCA code of 6 digits, or a data code of 2 or 4 digits
    /// (`"37"`, `"3712"`) taken as `xx0000` / `xxxx00`. `h` is any hierarchy
    /// with data codes ([`data_code`]), usually `xzqh::china()`.
    ///
    /// # Errors
    ///
    /// [`HistoryError::UnknownCode`] for a code in no table,
    /// [`HistoryError::YearOutOfRange`] for a year outside [`years`](Self::years),
    /// [`HistoryError::NotValidIn`] for a code not in use in that year.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::history::{History, Outcome};
    /// # use xzqh::{china::ChinaKind::*, Hierarchy, Schema};
    /// # let mut b = Hierarchy::builder(Schema::china());
    /// # b.unit("0", "中华人民共和国", State, None).unit("50", "重庆市", Municipality, Some("0"))
    /// #     .unit("500105", "江北区", District, Some("50"))
    /// #     .unit("500109", "北碚区", District, Some("50"))
    /// #     .unit("500112", "渝北区", District, Some("50"));
    /// # let chongqing = b.build()?;
    /// let h = History::embedded();
    /// // 渝北区 was split on 2025-11-07; the NBS 2023 hierarchy still has it.
    /// let r = h.resolve("500112", 2025, &chongqing)?;
    /// assert_eq!(r.outcome(), Outcome::Later);
    /// assert_eq!(r.units().next().unwrap().code(), "500112");
    /// assert_eq!(r.later().next().unwrap().to_string(),
    ///     "2025-11-07 split: 500112 渝北区 → 500109 北碚区 (渝府发〔2025〕15号)");
    /// // 两江新区 is newer than the hierarchy: the units its land came from.
    /// let r = h.resolve("500157", 2025, &chongqing)?;
    /// assert_eq!(r.units().map(|u| u.code()).collect::<Vec<_>>(), ["500105", "500109", "500112"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve<'a>(
        &'a self,
        code: &str,
        year: u16,
        h: &'a Hierarchy,
    ) -> Result<Resolution<'a>, HistoryError> {
        let (c, _, seg) = self.lookup(code, year)?;
        Ok(Resolution::new(self, h, c, year, seg))
    }

    /// Code id, segment index and segment of `code` in `year`.
    #[inline]
    fn lookup(&self, code: &str, year: u16) -> Result<(u32, u32, &Seg), HistoryError> {
        let c = self
            .code_id(code)
            .ok_or_else(|| HistoryError::UnknownCode {
                code: code.to_owned(),
            })?;
        self.check_year(year)?;
        match self.t.seg_at(c, year) {
            Some((at, seg)) => Ok((c, at, seg)),
            None => Err(HistoryError::NotValidIn {
                code: code.to_owned(),
                year,
                valid: self.years_in_use(self.recs_of(c).iter()),
            }),
        }
    }

    fn lookup_current(&self, code: &str) -> Result<(u32, u32, &Seg), HistoryError> {
        let unknown = || HistoryError::UnknownCode {
            code: code.to_owned(),
        };
        let c = self.code_id(code).ok_or_else(unknown)?;
        let segs = self.t.segs_of(c);
        let last = segs.last().ok_or_else(unknown)?;
        let at = self.t.codes[c as usize].first_seg + segs.len() as u32 - 1;
        Ok((c, at, last))
    }

    /// Binds the history to a hierarchy for fast repeated resolving: see
    /// [`Resolver`].
    ///
    /// # Examples
    ///
    /// ```
    /// let tree = xzqh::sample::small_china();
    /// let resolver = xzqh::history::History::embedded().resolver(&tree);
    /// assert!(resolver.resolve("220104", 2000).is_ok());
    /// ```
    pub fn resolver<'a>(&'a self, h: &'a Hierarchy) -> Resolver<'a> {
        Resolver::new(self, h)
    }

    /// Resolves `code` as of the last year it was in use: what the routing
    /// engine calls for a case whose filing year is unknown. The answer's
    /// [`changes`](Resolution::changes) are empty when the code is current.
    ///
    /// For a code that was reused (420703 黄州区 1984–1987, then 华容区), this
    /// is its latest meaning; use [`resolve`](Self::resolve) with the
    /// record's year when it is known.
    ///
    /// # Errors
    ///
    /// [`HistoryError::UnknownCode`] for a code in no table.
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
    /// let r = h.current("371202", &jinan)?;
    /// assert_eq!((r.year(), r.outcome()), (2018, Outcome::Changed));
    /// assert_eq!(r.units().next().unwrap().code(), "370116");
    /// assert_eq!(h.current("370116", &jinan)?.changes().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn current<'a>(
        &'a self,
        code: &str,
        h: &'a Hierarchy,
    ) -> Result<Resolution<'a>, HistoryError> {
        let (c, _, last) = self.lookup_current(code)?;
        Ok(Resolution::new(self, h, c, last.to, last))
    }

    /// The records that had this exact name in `year` (in use that year), in
    /// code order: a repeated name answers with every code, never a pick.
    ///
    /// # Errors
    ///
    /// [`HistoryError::UnknownName`] for a name in no table,
    /// [`HistoryError::YearOutOfRange`], and
    /// [`HistoryError::NameNotValidIn`] when no unit had it that year.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// let codes: Vec<_> = h.resolve_name("莱芜市", 1991)?.map(|r| r.code()).collect();
    /// assert_eq!(codes, ["370981"]);
    /// let codes: Vec<_> = h.resolve_name("莱芜市", 1992)?.map(|r| r.code()).collect();
    /// assert_eq!(codes, ["370981", "371200"]); // the county-level city became a prefecture
    /// assert_eq!(h.resolve_name("朝阳区", 2020)?.count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_name(&self, name: &str, year: u16) -> Result<Records<'_>, HistoryError> {
        let n = self
            .t
            .name_index
            .find(name.as_bytes(), |i| self.raw.names.get(i).as_bytes())
            .ok_or_else(|| HistoryError::UnknownName {
                name: name.to_owned(),
            })?;
        self.check_year(year)?;
        let (a, b) = (
            self.t.name_start[n as usize] as usize,
            self.t.name_start[n as usize + 1] as usize,
        );
        let ids = &self.t.name_recs[a..b];
        let found = Records::new(self, Ids::Slice(ids.iter()), Keep::InUse(year));
        if found.clone().next().is_none() {
            return Err(HistoryError::NameNotValidIn {
                name: name.to_owned(),
                year,
                valid: self.years_in_use(ids.iter().map(|&r| &self.raw.recs[r as usize])),
            });
        }
        Ok(found)
    }

    /// Every record of a code (2, 4 or 6 digits), oldest first; empty for an
    /// unknown code.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// let runs: Vec<_> = h.records("420703").map(|r| (r.name(), r.first_year())).collect();
    /// assert_eq!(runs, [("黄州区", 1984), ("华容区", 1987)]);
    /// assert_eq!(h.records("999999").count(), 0);
    /// ```
    pub fn records(&self, code: &str) -> Records<'_> {
        let ids = match self.code_id(code) {
            Some(c) => self.t.code_recs[c as usize]..self.t.code_recs[c as usize + 1],
            None => 0..0,
        };
        Records::new(self, Ids::Range(ids), Keep::All)
    }

    /// The code's name in `year`: in that year's table, or, for a code that
    /// ended during the year, in the table before.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// assert_eq!(h.name_in("371202", 2010), Some("莱城区"));
    /// assert_eq!(h.name_in("371202", 2018), Some("莱城区")); // in force until 2018-12-26
    /// assert_eq!(h.name_in("371202", 2019), None);
    /// ```
    pub fn name_in(&self, code: &str, year: u16) -> Option<&str> {
        let c = self.code_id(code)?;
        self.recs_of(c)
            .iter()
            .rev()
            .find(|r| {
                let (a, b) = self.in_use(r);
                a <= year && year <= b
            })
            .map(|r| self.raw.names.get(r.name))
    }

    /// The records in use in `year` (see the [module docs](self)), in code
    /// order; empty outside [`years`](Self::years).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// assert!(h.valid_in(2000).any(|r| r.code() == "371200"));
    /// assert!(h.valid_in(2019).all(|r| r.code() != "371200"));
    /// ```
    pub fn valid_in(&self, year: u16) -> Records<'_> {
        self.all_records(Keep::InUse(year))
    }

    /// The table of `year`: the records in it, the state on 31 December
    /// (for 2025, at the data's last update), in code order.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// assert_eq!(h.table(2023).count(), 3_211);
    /// assert_eq!(h.table(2025).count(), 3_212);
    /// assert!(h.table(2018).all(|r| r.code() != "371200"));
    /// ```
    pub fn table(&self, year: u16) -> Records<'_> {
        self.all_records(Keep::InTable(year))
    }

    /// Every change whose new unit has this code (including transfers into
    /// it), oldest first.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// let from: Vec<_> = h.predecessors("370116").map(|c| c.from().unwrap().code()).collect();
    /// assert_eq!(from, ["371202"]);
    /// ```
    pub fn predecessors(&self, code: &str) -> Changes<'_> {
        self.by_code(code, &self.t.pred_start, &self.t.pred)
    }

    /// Every change whose old unit has this code (including transfers and
    /// establishments out of it), oldest first.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// let to: Vec<_> = h.successors("370981").map(|c| c.to().to_string()).collect();
    /// assert_eq!(to, ["371202 莱城区", "371203 钢城区"]);
    /// ```
    pub fn successors(&self, code: &str) -> Changes<'_> {
        self.by_code(code, &self.t.succ_start, &self.t.succ)
    }

    fn by_code<'a>(&'a self, code: &str, start: &[u32], items: &'a [u32]) -> Changes<'a> {
        let ids = match self.code_id(code) {
            Some(c) => &items[start[c as usize] as usize..start[c as usize + 1] as usize],
            None => &[],
        };
        Changes::new(self, Ids::Slice(ids.iter()), 0)
    }

    /// Every change, oldest first.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::history::History::embedded().changes().count(), 5_114);
    /// ```
    pub fn changes(&self) -> Changes<'_> {
        Changes::new(self, Ids::Range(0..self.raw.changes.len() as u32), 0)
    }

    /// Change number `index` of [`History::changes`] (oldest first), as a
    /// [`Step::Superseded`](crate::routing::Step::Superseded) names it.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// let last = h.changes().last().unwrap();
    /// assert_eq!(h.change(5_113).unwrap().to_string(), last.to_string());
    /// assert!(h.change(5_114).is_none());
    /// ```
    pub fn change(&self, index: usize) -> Option<Change<'_>> {
        // Change ids are u32, as in `changes()`.
        (index < self.raw.changes.len()).then_some(Change {
            h: self,
            id: index as u32,
        })
    }

    /// The difference between the tables of `from` and `to`: the changes
    /// first shown in the tables after `from` up to `to`, and the records
    /// added and removed. Empty when `from >= to`.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = xzqh::history::History::embedded().changes_between(2023, 2024);
    /// assert!(d.added().any(|r| r.to_string() == "653228 和康县"));
    /// print!("{d}");
    /// ```
    pub fn changes_between(&self, from: u16, to: u16) -> Diff<'_> {
        let ch = &self.raw.changes;
        let a = ch.partition_point(|c| c.table_year <= from) as u32;
        let b = (ch.partition_point(|c| c.table_year <= to) as u32).max(a);
        Diff {
            h: self,
            from,
            to: to.max(from),
            changes: a..b,
        }
    }

    /// The changes after the embedded hierarchy's data (see
    /// [`Change::is_later`]), oldest first.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::history::History::embedded();
    /// let later: Vec<_> = h.later_changes().collect();
    /// assert_eq!(later.len(), 18);
    /// assert_eq!(later[0].to_string(), "2024-01-30 transfer: 530602 昭阳区 → 530624 大关县");
    /// ```
    pub fn later_changes(&self) -> Changes<'_> {
        Changes::new(self, Ids::Slice(self.t.later.iter()), 0)
    }

    /// Heap bytes held (tables and indexes).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::history::History::embedded().heap_bytes() > 100_000);
    /// ```
    pub fn heap_bytes(&self) -> usize {
        let r = &self.raw;
        let t = &self.t;
        r.names.heap_bytes()
            + r.docs.heap_bytes()
            + std::mem::size_of_val(&*r.recs)
            + std::mem::size_of_val(&*r.changes)
            + std::mem::size_of_val(&*t.codes)
            + t.code_index.heap_bytes()
            + t.name_index.heap_bytes()
            + 4 * (t.code_recs.len()
                + t.rec_code.len()
                + t.pool.len()
                + t.name_start.len()
                + t.name_recs.len()
                + t.succ_start.len()
                + t.succ.len()
                + t.pred_start.len()
                + t.pred.len()
                + t.later.len())
            + std::mem::size_of_val(&*t.segs)
            + t.code_text.len()
    }
}
