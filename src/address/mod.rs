//! Free-text addresses to units: `广东省深圳市南山区粤海街道科技园社区12号`,
//! `深圳南山粤海街道…`, `黔东南黎平县纪登村…` as hotline operators and
//! citizens type them, resolved to the deepest unit they name, with the
//! byte spans that matched and an honest outcome.
//!
//! ```
//! use xzqh::address::{AddressResolver, Outcome};
//! let h = xzqh::sample::small_china();
//! let addresses = AddressResolver::new(&h)?;
//! let text = "深圳南山区粤海街道科技园路12号";
//! let r = addresses.resolve(text);
//! let unit = h.get(r.unit().unwrap()).unwrap();
//! assert_eq!(unit.code(), "440305007"); // 粤海街道
//! let said: Vec<_> = r.spans.iter().map(|s| &text[s.range.clone()]).collect();
//! assert_eq!(said, ["深圳", "南山区", "粤海街道"]);
//! assert_eq!(r.remainder(text), "科技园路12号");
//! // 朝阳区 is in Beijing and in Changchun: both are listed, none is picked.
//! let Outcome::Ambiguous(candidates) = addresses.resolve("朝阳区").outcome else { panic!() };
//! let codes: Vec<_> = candidates.iter().map(|c| h.get(c.unit).unwrap().code()).collect();
//! assert_eq!(codes, ["110105", "220104"]);
//! assert_eq!(addresses.resolve("北京朝阳区").unit(), h.by_code("110105").map(|u| u.id()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The algorithm
//!
//! **Names.** Every unit except the root is known by its full name, and, in
//! a hierarchy of China's schema, by its [`short_forms`] (深圳 for 深圳市,
//! 黔东南 and 黔东南州 for 黔东南苗族侗族自治州, 巍山 and 巍山县 for
//! 巍山彝族回族自治县, 纪登村 for 纪登村村民委员会), and by any *old names*
//! given to the [builder](AddressResolver::builder) (莱芜市 for today's 济南,
//! and that name's short forms). One name may denote many units (朝阳区 ×2,
//! 城关镇 ×88).
//!
//! **Matching.** One Aho-Corasick automaton (the `daachorse` crate's
//! double array over characters, standard semantics, overlapping matches)
//! holds every distinct name and form of the units down to township level
//! (level rank ≤ 4), about 66,000 patterns for China, and finds all of them
//! in the text in one pass, including those that overlap (济南市中区 holds
//! both 济南市 and 市中区). A transition is one array read, failure links
//! included, and each name's value in the automaton is the units it
//! denotes, so a match costs one more read. Names match ASCII letters in
//! either case. The 620,000 villages (rank ≥ 5), whose names repeat by
//! the hundred (和平村 ×274), are not in the automaton: they are looked up
//! in a hash table, and only inside the subtree of a unit the text already
//! named (see *Villages*).
//!
//! **Readings.** A reading is a left-to-right sequence of non-overlapping
//! matches, each naming a unit strictly inside the previous one's subtree
//! (one pre-order interval check), levels may be skipped (南山区粤海街道
//! starts at county level, 黔东南黎平县纪登村 skips the township). Readings
//! are built by dynamic programming over the matches in the order the
//! automaton reports them (by end, so every possible predecessor comes
//! first): each (match, unit) extends the best reading that ends before the
//! match and contains the unit, or starts a new reading. So *parent-child consistency
//! decides, never the order of the data*: in 通州区潞邑街道 only Beijing's
//! 通州区 has a 潞邑街道, so only Beijing's reading covers seven characters.
//!
//! Readings that cannot matter are not made. A reading is made only if it
//! can still cover as many characters as the best one (a lower bound: the
//! longest match that can start a reading, then the best reading made):
//! its characters, plus the rest of the text, plus nothing for a unit with
//! no units below it. This drops the readings that street text would make
//! (建设, 幸福, 人民路 are short forms of townships by the dozen) and
//! short forms at the start that a longer name covers (河北 names eleven
//! townships, but the text says 河北省). And a short form's reading is not
//! made when the name from the same start that is longer by a few
//! characters denotes the same unit and no match starts in between (湖北
//! in 湖北省): that reading covers more and goes on the same ways. None of
//! this changes an answer: the readings left out are never the best, never
//! tied with it, and never lead to it.
//!
//! **Score.** A reading scores, first, the characters it covers, then its
//! *quality*, the sum over its matches of: full name 4, a short form with
//! 州/县/旗 (黔东南州, 巍山县) 3, a short form of a unit at county level or
//! above 2, a short form of a lower unit 1, an old name 1, an old short form 0;
//! plus 1 when the match follows the reading's previous match with only
//! separators between (or opens the text): names are written together, so
//! 孝昌邹岗花园小区 reads 邹岗 (right after 孝昌) as the township, not 花园;
//! minus 5 for a match that ends inside a longer match of a name that does
//! not denote the same unit (红河 inside 红河州, 黔西 inside 黔西南). So 红河州
//! reads as the prefecture 红河哈尼族彝族自治州 (three characters through
//! 红河州) and not as 红河县 (two, through 红河); 黔西南 as the prefecture,
//! never as 黔西市; 长春朝阳 as Changchun's 朝阳区, not a 朝阳街道 in
//! Changchun (a district's short form outranks a township's). Depth counts
//! only through the text: a deeper reading wins by covering more of it.
//!
//! A reading may start anywhere with a full name, an old name or the short
//! form of a unit at county level or above; a short form of a lower unit
//! (粤海 for 粤海街道) starts a reading only at the beginning of the text,
//! so that everyday words inside street text (门口, 花园) do not turn into
//! townships.
//!
//! **Outcome.** The best reading per unit is kept. If one unit's reading
//! scores strictly best, the text is [`Outcome::Resolved`] to it. If several
//! units tie for the best score, it is [`Outcome::Ambiguous`]: every unit
//! whose reading covers as many characters as the best one is listed as a
//! [`Candidate`], ranked by score, then depth (wider first), then code, each
//! with the spans that make its reading. Nothing is picked by data order.
//! With no match at all the text is [`Outcome::NotFound`].
//!
//! **Villages.** When the hierarchy has units below township level, every
//! substring (up to 24 characters) of the text that ends in a character
//! some village name ends in (村, 区, 会, …) is looked up in a hash table of
//! village names and short forms. A hit extends a reading only if it comes
//! after the reading's last match and names a unit inside the reading's last
//! unit (a binary search over the name's units, which are in pre-order).
//! This is done for the 256 best readings. A village name also starts a
//! reading of its own at the beginning of the text (纪登村…), and anywhere
//! in a text that names no unit above village level.
//!
//! **Remainder.** The text after the best reading's last match, less leading
//! separators (科技园路12号, or 科技园社区12号 when the villages are not in
//! the hierarchy) is reported as the remainder.
//!
//! **Cost.** One pass of the automaton over the text, then work linear in
//! the matches times the units each names, with no allocation but the
//! answer's two vectors (the buffers are kept per thread). About 6,500
//! instructions for a typical address on China's township-level data:
//! 0.6 to 0.8 µs when the names it reads are in cache, and 1 to 2.2 µs for
//! random addresses on a two-core virtual machine, depending on how busy
//! its memory is: a dozen cache misses into the 3.5 MB automaton (one per
//! character of a rarely used name, one per match) take the difference.
//! The naive way, `str::find` with every name, takes about 1 ms; the `cpca`
//! crate, which reads counties only, 1.0 to 1.3 µs in the same runs
//! (`benches/address.rs`). Building the resolver for
//! [`china()`](crate::china()) takes about 0.1 s; use the cached
//! [`china::addresses()`](crate::china::addresses()).
//!
//! [`short_forms`]: crate::china::short_forms

use std::cell::RefCell;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use daachorse::CharwiseDoubleArrayAhoCorasick;
use thiserror::Error;

use crate::model::hierarchy::{Hierarchy, NONE, UnitId};
use crate::model::index::{HashIndex, StrTable};
use crate::model::profile::{FormStrength, ShortForm};
use crate::model::unit::Unit;

/// Longest village name or form looked up, in characters.
const MAX_DEEP_CHARS: usize = 24;

/// How many of the best readings are extended by a village.
const DEEP_SCOPES: usize = 256;

/// Quality lost by a match that ends inside a longer match of another name.
const SHADOW_PENALTY: i32 = 5;

/// Quality won by a match right after the one before it (only separators
/// between), or at the start of the text: names are written together.
const ADJACENT: i32 = 1;

/// How a name in the text denotes its unit, best first (the order matters:
/// duplicates keep the first), those that may start a reading anywhere
/// before those that may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
enum Via {
    Full,
    /// A short form with 州, 县 or 旗 (黔东南州).
    Tail,
    /// A short form of a unit at county level or above.
    Major,
    OldFull,
    /// A short form of a lower unit: continues a reading, or starts one at
    /// the start of the text.
    Minor,
    OldShort,
}

/// [`Via`] by its number (the top three bits of [`Entry::tag`]).
const VIAS: [Via; 8] = [
    Via::Full,
    Via::Tail,
    Via::Major,
    Via::OldFull,
    Via::Minor,
    Via::OldShort,
    Via::OldShort,
    Via::OldShort,
];

/// Quality by [`Via`] number.
const QUALITY: [i32; 8] = [4, 3, 2, 1, 1, 0, 0, 0];

impl Via {
    /// Whether a reading may start with this form away from the text's start.
    fn starts_anywhere(self) -> bool {
        self < Via::Minor
    }
}

/// One unit a name denotes, with its subtree's end (the pre-order interval
/// check needs no other read).
#[derive(Debug, Clone, Copy)]
struct Entry {
    unit: u32,
    sub_end: u32,
    /// The [`Via`] in the top 3 bits, the old name's index (or all ones) below.
    tag: u32,
}

/// The old-name index of an entry that is no old name.
const NO_OLD: u32 = (1 << 29) - 1;

/// Old names an [`AddressResolver`] can hold (the index has 29 bits).
const MAX_OLD_NAMES: usize = NO_OLD as usize;

impl Entry {
    fn new(unit: u32, sub_end: u32, via: Via, old: u32) -> Entry {
        Entry {
            unit,
            sub_end,
            tag: (via as u32) << 29 | old.min(NO_OLD),
        }
    }

    fn via(&self) -> Via {
        VIAS[(self.tag >> 29) as usize]
    }

    fn quality(&self) -> i32 {
        QUALITY[(self.tag >> 29) as usize]
    }

    fn old(&self) -> u32 {
        self.tag & NO_OLD
    }
}

/// A pattern of the automaton: the units its name denotes, the first one
/// inline (most names denote one unit: one cache line per match).
#[derive(Debug, Clone, Copy)]
struct Pat {
    /// The entry when `count == 1`. Else `entry.unit` indexes `entries`,
    /// where the pattern's entries that may start a reading anywhere come
    /// first, `entry.sub_end` of them, then those (short forms of
    /// townships) that only continue one or start at the text's start; each
    /// part sorted by unit.
    entry: Entry,
    /// How many units the name denotes.
    count: u32,
}

impl Pat {
    /// How many of the units may start a reading anywhere (the name's
    /// entries are not read to tell).
    fn starters(&self) -> u32 {
        match self.count {
            1 => self.entry.via().starts_anywhere() as u32,
            _ => self.entry.sub_end,
        }
    }

    /// The name's one unit, as [`AddressResolver::split`] gives it, if it
    /// denotes one.
    fn one(&self) -> Option<(&[Entry], &[Entry])> {
        (self.count == 1)
            .then(|| std::slice::from_ref(&self.entry).split_at(self.starters() as usize))
    }
}

/// Whether no reading of `e`'s unit need go through a match because the
/// longer match from the same start, whose name has the units `longer`
/// (as [`AddressResolver::split`] gives them), names it too and may start
/// a reading wherever this one may (湖北省 for 湖北): a reading through
/// that one covers more and goes on the same ways.
fn covered(e: &Entry, longer: (&[Entry], &[Entry])) -> bool {
    let has = |l: &[Entry]| l.binary_search_by_key(&e.unit, |x| x.unit).is_ok();
    has(longer.0) || (!e.via().starts_anywhere() && has(longer.1))
}

/// Names back to back with the units each denotes: name `i`'s entries are
/// `entries[start[i]..start[i + 1]]`, sorted by unit id (pre-order).
#[derive(Debug, Default)]
struct Grouped {
    names: Vec<String>,
    chars: Vec<u16>,
    start: Vec<u32>,
    entries: Vec<Entry>,
}

impl Grouped {
    /// From `(a, b, entry)` records of names `buf[a..b]`; of one name's
    /// entries for one unit, the best form is kept.
    fn build(buf: &str, mut recs: Vec<(u32, u32, Entry)>) -> Grouped {
        let s = |r: &(u32, u32, Entry)| &buf[r.0 as usize..r.1 as usize];
        recs.sort_unstable_by(|x, y| {
            s(x).cmp(s(y))
                .then(x.2.unit.cmp(&y.2.unit))
                .then(x.2.tag.cmp(&y.2.tag))
        });
        recs.dedup_by(|x, y| s(x) == s(y) && x.2.unit == y.2.unit);
        let mut g = Grouped::default();
        for (i, r) in recs.iter().enumerate() {
            if i == 0 || s(r) != s(&recs[i - 1]) {
                g.start.push(g.entries.len() as u32);
                g.names.push(s(r).to_owned());
                g.chars
                    .push(s(r).chars().count().min(u16::MAX as usize) as u16);
            }
            g.entries.push(r.2);
        }
        g.start.push(g.entries.len() as u32);
        g
    }
}

/// The village table: names and forms of units at [`DEEP_RANK`] or deeper.
struct Deep {
    names: StrTable,
    index: HashIndex,
    chars: Box<[u16]>,
    start: Box<[u32]>,
    entries: Box<[Entry]>,
    /// Every character a deep name ends in, sorted.
    last: Box<[char]>,
}

impl Deep {
    fn find(&self, s: &str) -> Option<u32> {
        self.index
            .find(s.as_bytes(), |i| self.names.get(i).as_bytes())
    }

    fn entries(&self, name: u32) -> &[Entry] {
        &self.entries[self.start[name as usize] as usize..self.start[name as usize + 1] as usize]
    }
}

/// A name the history knows for today's units: 莱芜市 (merged into 济南 in
/// 2019) for 3701, 莱城区 for 370116. The resolver indexes it, and in a
/// hierarchy of China's schema its short forms (莱芜), below every current
/// name of the same length.
///
/// # Examples
///
/// ```
/// use xzqh::address::{AddressResolver, OldName};
/// let h = xzqh::sample::small_china();
/// let shenzhen = h.by_code("4403").unwrap().id();
/// let addresses = AddressResolver::builder(&h)
///     .old_name(OldName::new("宝安县", [shenzhen], "深圳市 before 1979"))
///     .build()?;
/// assert_eq!(addresses.resolve("宝安县南山区").unit(), h.by_code("440305").map(|u| u.id()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OldName {
    /// The old name as written (莱芜市).
    pub name: String,
    /// Today's units it stands for (more than one when the unit was split).
    pub units: Vec<UnitId>,
    /// Where the name comes from, for people reading a resolution.
    pub note: String,
}

impl OldName {
    /// An old name for today's `units`.
    ///
    /// # Examples
    ///
    /// ```
    /// let old = xzqh::address::OldName::new("莱芜市", [xzqh::UnitId::new(7)], "merged 2019");
    /// assert_eq!(old.units.len(), 1);
    /// ```
    pub fn new(
        name: impl Into<String>,
        units: impl IntoIterator<Item = UnitId>,
        note: impl Into<String>,
    ) -> Self {
        OldName {
            name: name.into(),
            units: units.into_iter().collect(),
            note: note.into(),
        }
    }
}

/// Why an [`AddressResolver`] could not be built.
///
/// # Examples
///
/// ```
/// use xzqh::address::{AddressError, AddressResolver, OldName};
/// let h = xzqh::sample::small_china();
/// let err = AddressResolver::builder(&h)
///     .old_name(OldName::new("莱芜市", [xzqh::UnitId::new(9999)], ""))
///     .build()
///     .unwrap_err();
/// assert_eq!(err.to_string(), r#"old name "莱芜市" names unit #9999, which is not in the hierarchy"#);
/// ```
#[derive(Debug, Clone, Error)]
#[non_exhaustive]
pub enum AddressError {
    /// An old name points to a unit id the hierarchy does not have.
    #[error("old name {name:?} names unit {unit}, which is not in the hierarchy")]
    UnknownUnit {
        /// The old name.
        name: String,
        /// The id out of range.
        unit: UnitId,
    },
    /// An old name is empty (or only whitespace) or names no unit.
    #[error("old name {name:?} is empty or names no unit")]
    EmptyOldName {
        /// The old name.
        name: String,
    },
    /// More old names than the resolver can index (2^29 − 1).
    #[error("{count} old names: at most 536870911 fit")]
    TooManyOldNames {
        /// How many were given.
        count: usize,
    },
    /// The automaton exceeds `daachorse`'s limits (its states are numbered
    /// in 32 bits; not reachable with real data).
    #[error("cannot build the name automaton: {message}")]
    Automaton {
        /// The automaton builder's message.
        message: String,
    },
}

/// How a span of the text names its unit.
///
/// # Examples
///
/// ```
/// use xzqh::address::{AddressResolver, Form};
/// let h = xzqh::sample::small_china();
/// let r = AddressResolver::new(&h)?.resolve("深圳南山区");
/// let forms: Vec<_> = r.spans.iter().map(|s| s.form).collect();
/// assert_eq!(forms, [Form::Short, Form::Full]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Form {
    /// The unit's full name (深圳市).
    Full,
    /// A short form ([`short_forms`](crate::china::short_forms): 深圳, 黔东南州).
    Short,
    /// An old name or its short form; `index` is its position in
    /// [`AddressResolver::old_names`].
    Old {
        /// Index into the resolver's old names.
        index: usize,
    },
}

/// A part of the text that names a unit: `text[range]` names `unit`.
///
/// # Examples
///
/// ```
/// let text = "广东省深圳市南山区";
/// let r = xzqh::china().addresses()?.resolve(text);
/// let span = &r.spans()[1];
/// assert_eq!(span.text, "深圳市");
/// assert_eq!(&text[span.range.clone()], "深圳市");
/// assert_eq!(span.unit.code(), "4403");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Span<'a> {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The words of the text in that range.
    pub text: &'a str,
    /// The unit named.
    pub unit: Unit<'a>,
    /// How the unit is named.
    pub form: Form,
}

/// One reading of an ambiguous text: the unit it ends at and why.
///
/// # Examples
///
/// ```
/// use xzqh::address::Outcome;
/// let r = xzqh::china().addresses()?.resolve("朝阳区");
/// let Outcome::Ambiguous(c) = r.outcome() else { panic!("two 朝阳区") };
/// // Three characters; a full name (4) that opens the text (1).
/// assert_eq!((c[0].chars, c[0].quality), (3, 5));
/// assert_eq!(c[1].explain(), "220104 朝阳区 (吉林省 长春市): 朝阳区 = full name of 220104 朝阳区");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Candidate<'a> {
    /// The unit this reading ends at.
    pub unit: Unit<'a>,
    /// Characters of the text the reading covers (the first criterion).
    pub chars: usize,
    /// The reading's quality (the second criterion; see the module docs).
    pub quality: i32,
    /// The matches that make the reading, in text order.
    pub spans: Vec<Span<'a>>,
}

impl Candidate<'_> {
    /// The reading in words: the unit with its ancestors, then each span
    /// and what it names.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china().addresses()?.resolve("朝阳");
    /// assert_eq!(r.candidates()[0].explain(), "110105 朝阳区 (北京市): 朝阳 = short form of 110105 朝阳区");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain(&self) -> String {
        let u = self.unit;
        let mut out = format!("{} {}", u.code(), u.name());
        let mut up: Vec<&str> = u
            .ancestors()
            .filter(|a| a.parent().is_some())
            .map(|a| a.name())
            .collect();
        up.reverse();
        if !up.is_empty() {
            out.push_str(&format!(" ({})", up.join(" ")));
        }
        out.push(':');
        for (i, s) in self.spans.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let form = match s.form {
                Form::Full => "full name",
                Form::Short => "short form",
                Form::Old { .. } => "old name",
            };
            out.push_str(&format!(
                " {} = {form} of {} {}",
                s.text,
                s.unit.code(),
                s.unit.name()
            ));
        }
        out
    }
}

/// What the text names.
///
/// # Examples
///
/// ```
/// use xzqh::address::Outcome;
/// let addresses = xzqh::china().addresses()?;
/// assert!(matches!(addresses.resolve("南山区粤海街道").outcome(), Outcome::Resolved(_)));
/// assert!(matches!(addresses.resolve("朝阳区").outcome(), Outcome::Ambiguous(_)));
/// assert_eq!(addresses.resolve("12号楼").outcome(), &Outcome::NotFound);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// One unit reads strictly best.
    Resolved(Unit<'a>),
    /// Several units tie for the best reading: every unit whose reading
    /// covers as many characters as the best one, best first (score, then
    /// depth, then code).
    Ambiguous(Vec<Candidate<'a>>),
    /// The text names no unit.
    NotFound,
}

/// The answer for one text: the outcome, the unit's chain, the spans that
/// matched and where the rest of the text begins.
///
/// # Examples
///
/// ```
/// let text = "广东深圳南山粤海街道科技园社区12号";
/// let r = xzqh::china().addresses()?.resolve(text);
/// let chain: Vec<_> = r.chain().iter().map(|u| u.name()).collect();
/// assert_eq!(chain, ["广东省", "深圳市", "南山区", "粤海街道"]);
/// assert_eq!(r.spans().len(), 4);
/// assert_eq!(r.remainder(), "科技园社区12号"); // no villages in this hierarchy
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Resolution<'a> {
    text: &'a str,
    outcome: Outcome<'a>,
    chain: Vec<Unit<'a>>,
    spans: Vec<Span<'a>>,
    rest: Range<usize>,
}

impl<'a> Resolution<'a> {
    /// Resolved, ambiguous or not found.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::Outcome;
    /// let r = xzqh::china().addresses()?.resolve("巴嘎乡");
    /// assert!(matches!(r.outcome(), Outcome::Resolved(u) if u.code() == "542521200"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn outcome(&self) -> &Outcome<'a> {
        &self.outcome
    }

    /// The outcome, taken out of the resolution.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::Outcome;
    /// let r = xzqh::china().addresses()?.resolve("朝阳区");
    /// let Outcome::Ambiguous(candidates) = r.into_outcome() else { panic!() };
    /// assert_eq!(candidates.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_outcome(self) -> Outcome<'a> {
        self.outcome
    }

    /// The unit, if resolved.
    ///
    /// # Examples
    ///
    /// ```
    /// let addresses = xzqh::china().addresses()?;
    /// assert_eq!(addresses.resolve("西藏普兰县巴嘎乡").unit().map(|u| u.code()), Some("542521200"));
    /// assert_eq!(addresses.resolve("朝阳区").unit(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unit(&self) -> Option<Unit<'a>> {
        match self.outcome {
            Outcome::Resolved(u) => Some(u),
            _ => None,
        }
    }

    /// The candidates, if ambiguous (empty otherwise).
    ///
    /// # Examples
    ///
    /// ```
    /// let addresses = xzqh::china().addresses()?;
    /// assert_eq!(addresses.resolve("朝阳区").candidates().len(), 2);
    /// assert!(addresses.resolve("北京朝阳区").candidates().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn candidates(&self) -> &[Candidate<'a>] {
        match &self.outcome {
            Outcome::Ambiguous(c) => c,
            _ => &[],
        }
    }

    /// Resolved: the unit and its ancestors, top-down, without the root
    /// (广东省, 深圳市, 南山区, 粤海街道 even when the text said
    /// 深圳南山粤海街道). Ambiguous: the same for the candidates' lowest
    /// common ancestor (empty when that is the root). Not found: empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china().addresses()?.resolve("南山粤海街道");
    /// let codes: Vec<_> = r.chain().iter().map(|u| u.code()).collect();
    /// assert_eq!(codes, ["44", "4403", "440305", "440305007"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn chain(&self) -> &[Unit<'a>] {
        &self.chain
    }

    /// The spans of the text that name units, in text order: the reading's
    /// when resolved, those every tied candidate shares when ambiguous.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china().addresses()?.resolve("深圳南山区粤海街道");
    /// let said: Vec<_> = r.spans().iter().map(|s| s.text).collect();
    /// assert_eq!(said, ["深圳", "南山区", "粤海街道"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spans(&self) -> &[Span<'a>] {
        &self.spans
    }

    /// The text resolved.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china().addresses()?.resolve("南山区");
    /// assert_eq!(r.text(), "南山区");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The text after the last matched unit, less leading separators:
    /// house numbers, street text, or a village the data lacks; the whole
    /// text when nothing was found.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china().addresses()?.resolve("北京市朝阳区, 南磨房地区 3号楼");
    /// assert_eq!(r.remainder(), "3号楼");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remainder(&self) -> &'a str {
        self.text.get(self.rest.clone()).unwrap_or("")
    }

    /// The byte range of [`remainder`](Self::remainder) in the text.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china().addresses()?.resolve("南山区12号");
    /// assert_eq!(r.remainder_range(), 9..14);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remainder_range(&self) -> Range<usize> {
        self.rest.clone()
    }
}

/// Resolves free-text addresses and place names to units of one
/// [`Hierarchy`]; see the [module docs](self) for the algorithm.
///
/// Get it from [`Hierarchy::addresses`], which builds the dictionary once
/// per hierarchy and keeps it; the resolver is a cheap handle (a reference
/// and an `Arc`), `Send + Sync`, and resolving takes `&self`.
///
/// # Examples
///
/// ```
/// let addresses = xzqh::china().addresses()?;
/// let r = addresses.resolve("新疆伊犁塔城地区塔城市喀拉哈巴克乡");
/// assert_eq!(r.unit().unwrap().code(), "654201200");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct AddressResolver<'h> {
    h: &'h Hierarchy,
    names: Arc<Dictionary>,
}

/// What a resolver knows of its hierarchy's names: built once per
/// hierarchy ([`Hierarchy::addresses`]) and kept with it, or by an
/// [`AddressResolverBuilder`] with extra old names.
pub(crate) struct Dictionary {
    /// Over the names (ASCII in lower case), with the units each denotes.
    ac: CharwiseDoubleArrayAhoCorasick<Pat>,
    /// Every character of a name: none of them is a separator.
    name_chars: std::collections::HashSet<char>,
    /// How many patterns the automaton holds.
    patterns: usize,
    /// Entries of the patterns that denote several units.
    entries: Box<[Entry]>,
    deep: Option<Deep>,
    old: Vec<OldName>,
}

impl fmt::Debug for AddressResolver<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AddressResolver")
            .field("hierarchy", self.h)
            .field("patterns", &self.names.patterns)
            .field("memory", &self.names.ac.heap_bytes())
            .field(
                "village_names",
                &self.names.deep.as_ref().map_or(0, |d| d.chars.len()),
            )
            .field("old_names", &self.names.old.len())
            .finish()
    }
}

/// Builds an [`AddressResolver`] with extra name sources.
///
/// # Examples
///
/// ```
/// use xzqh::address::{AddressResolver, OldName};
/// let h = xzqh::sample::small_china();
/// let xiantao = h.by_code("429004").unwrap().id();
/// let addresses = AddressResolver::builder(&h)
///     .old_names([OldName::new("沔阳县", [xiantao], "renamed 仙桃市 in 1986")])
///     .build()?;
/// let r = addresses.resolve("沔阳县郑场镇");
/// assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "429004100");
/// assert_eq!(addresses.old_names()[0].note, "renamed 仙桃市 in 1986");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AddressResolverBuilder<'h> {
    h: &'h Hierarchy,
    old: Vec<OldName>,
}

impl<'h> AddressResolverBuilder<'h> {
    /// Adds one old name.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::{AddressResolver, OldName};
    /// let h = xzqh::sample::small_china();
    /// let b = AddressResolver::builder(&h).old_name(OldName::new("沔阳", [xzqh::UnitId::new(10)], ""));
    /// assert_eq!(b.build()?.old_names().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn old_name(mut self, old: OldName) -> Self {
        self.old.push(old);
        self
    }

    /// Adds old names, e.g. from the history data: `(old name, today's
    /// units, note)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::{AddressResolver, OldName};
    /// let h = xzqh::sample::small_china();
    /// let b = AddressResolver::builder(&h).old_names(vec![OldName::new("沔阳", [xzqh::UnitId::new(10)], "")]);
    /// assert_eq!(b.build()?.old_names().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn old_names(mut self, old: impl IntoIterator<Item = OldName>) -> Self {
        self.old.extend(old);
        self
    }

    /// Builds the resolver.
    ///
    /// # Errors
    ///
    /// [`AddressError::UnknownUnit`] if an old name points to a unit id the
    /// hierarchy lacks, [`AddressError::EmptyOldName`] if an old name is
    /// blank or names no unit, [`AddressError::Automaton`] past the
    /// automaton's limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::{AddressError, AddressResolver, OldName};
    /// let h = xzqh::sample::small_china();
    /// let err = AddressResolver::builder(&h).old_name(OldName::new(" ", [h.root().id()], "")).build();
    /// assert!(matches!(err, Err(AddressError::EmptyOldName { .. })));
    /// ```
    pub fn build(self) -> Result<AddressResolver<'h>, AddressError> {
        let mut old = profile_old_names(self.h);
        old.extend(self.old);
        Ok(AddressResolver {
            h: self.h,
            names: Arc::new(Dictionary::build(self.h, old)?),
        })
    }
}

/// A match of the automaton: `text[start..end]` is pattern `pat`, `chars`
/// characters; `shadow` is the longest match that starts at or before it
/// and ends after it, `lead` where the separators before it begin (a
/// reading ending there or later is adjacent).
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: u32,
    end: u32,
    /// The index of the character after the match.
    to: u32,
    /// The pattern's units, read when the match is found (while the
    /// automaton goes on) rather than when the match is read.
    pat: Pat,
    chars: u32,
    lead: u32,
    shadow: u32,
    /// The next longer match from the same start, when no match starts
    /// between their ends ([`NONE`] otherwise): through it, a reading of
    /// a unit both name covers more and can go on the same ways.
    longer: u32,
    /// Whether the longer match covers every unit this one names (see
    /// [`covered`]; worked out for names of one unit only).
    dead: bool,
}

/// Characters covered, then quality, packed so that one `u64` comparison
/// orders scores: `chars << 32 | (quality + 2^31)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score(u64);

impl Score {
    const ZERO: Score = Score(1 << 31);

    fn add(self, chars: u32, quality: i32) -> Score {
        Score(
            self.0
                .wrapping_add((chars as u64) << 32)
                .wrapping_add(quality as i64 as u64),
        )
    }

    fn chars(self) -> u32 {
        (self.0 >> 32) as u32
    }

    fn quality(self) -> i32 {
        (self.0 as u32).wrapping_sub(1 << 31) as i32
    }
}

/// A reading ending with `unit` named by `text[start..end]`; `prev` is the
/// node of the reading it extends, or [`NONE`].
#[derive(Debug, Clone, Copy)]
struct Node {
    unit: u32,
    sub_end: u32,
    start: u32,
    end: u32,
    score: Score,
    prev: u32,
    via: Via,
    old: u32,
}

/// The entries of `list` (sorted by unit) strictly inside `lo..hi`.
#[inline]
fn within(list: &[Entry], lo: u32, hi: u32) -> &[Entry] {
    if let [e] = list {
        return if lo < e.unit && e.unit < hi {
            list
        } else {
            &[]
        };
    }
    let a = list.partition_point(|e| e.unit <= lo);
    let b = list.partition_point(|e| e.unit < hi);
    &list[a..b.max(a)]
}

/// A character of the text: its byte offset, and where the run of
/// separators before it begins (its own offset when there is none).
#[derive(Debug, Clone, Copy)]
struct Char {
    at: u32,
    lead: u32,
}

/// Buffers one resolution needs, kept per thread so that resolving does
/// not allocate them again.
#[derive(Debug, Default)]
struct Scratch {
    chars: Vec<Char>,
    hits: Vec<Hit>,
    nodes: Vec<Node>,
    /// Per character, for [`Scratch::link`].
    at: Vec<(u32, u32, u32)>,
}

impl Scratch {
    fn clear(&mut self) {
        self.chars.clear();
        self.hits.clear();
        self.nodes.clear();
    }

    /// Each match's `shadow`, the longest match that starts at or before
    /// it and ends after it (a longer name it lies in: 红河 in 红河州; the
    /// first such on ties), and `longer`.
    fn link(&mut self) {
        let Scratch {
            chars, hits, at, ..
        } = self;
        let n = chars.len() + 1;
        // Per character: the longest match starting at or before it (first
        // on ties), how many matches start before it, and the last match
        // seen that starts at it.
        at.clear();
        at.resize(n, (NONE, 0, NONE));
        for (i, m) in hits.iter().enumerate() {
            let a = &mut at[(m.to - m.chars) as usize];
            if a.0 == NONE || hits[a.0 as usize].end < m.end {
                a.0 = i as u32;
            }
            a.1 += 1;
        }
        let (mut best, mut before) = (NONE, 0);
        for a in at.iter_mut() {
            if a.0 != NONE && (best == NONE || hits[a.0 as usize].end > hits[best as usize].end) {
                best = a.0;
            }
            let here = a.1;
            (a.0, a.1) = (best, before);
            before += here;
        }
        for i in (0..hits.len()).rev() {
            let (s, to) = ((hits[i].to - hits[i].chars) as usize, hits[i].to as usize);
            let longest = at[s].0;
            let next = at[s].2;
            at[s].2 = i as u32;
            let e = hits[i].end;
            hits[i].shadow = if longest != NONE && hits[longest as usize].end > e {
                longest
            } else {
                NONE
            };
            // The next longer match from the same start, if no match
            // starts between the two ends.
            hits[i].longer = if next != NONE && at[to].1 == at[hits[next as usize].to as usize].1 {
                next
            } else {
                NONE
            };
            // Most names denote one unit: when the longer match covers it,
            // no reading goes through this match at all.
            if let Some(l) = hits.get(hits[i].longer as usize) {
                let a = &hits[i].pat;
                hits[i].dead = a.count == 1 && l.pat.one().is_some_and(|l| covered(&a.entry, l));
            }
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Tests turn the pruning of readings off to compare with the full
    /// dynamic programming.
    static EXHAUSTIVE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether readings that cannot matter are left out (always, but in tests
/// that compare with the full dynamic programming).
#[inline]
fn pruning() -> bool {
    #[cfg(test)]
    {
        !EXHAUSTIVE.with(|e| e.get())
    }
    #[cfg(not(test))]
    {
        true
    }
}

#[inline]
fn is_separator(c: char) -> bool {
    // CJK ideographs, the bulk of any address, are never separators.
    if ('\u{3400}'..='\u{9FFF}').contains(&c) {
        return false;
    }
    if c.is_ascii() {
        return c.is_ascii_whitespace() || c.is_ascii_punctuation();
    }
    c.is_whitespace() || "，、。；：！？·（）【】《》“”‘’—…－".contains(c)
}

/// Where the run of separators that ends at `at` begins.
fn lead_of(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|t| t.char_indices().rev().find(|&(_, c)| !is_separator(c)))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The offset of the first character at or after `from` that is not a separator.
fn skip_separators(text: &str, from: usize) -> usize {
    text.get(from..)
        .and_then(|t| t.char_indices().find(|&(_, c)| !is_separator(c)))
        .map_or(text.len(), |(i, _)| from + i)
}

impl Dictionary {
    fn build(h: &Hierarchy, old: Vec<OldName>) -> Result<Dictionary, AddressError> {
        let profile = h.profile();
        let deep_rank = profile.deep_rank().unwrap_or(u8::MAX);
        let mut forms: Vec<ShortForm<'_>> = Vec::new();
        if old.len() > MAX_OLD_NAMES {
            return Err(AddressError::TooManyOldNames { count: old.len() });
        }
        for o in &old {
            if o.name.trim().is_empty() || o.units.is_empty() {
                return Err(AddressError::EmptyOldName {
                    name: o.name.clone(),
                });
            }
            if let Some(&unit) = o.units.iter().find(|u| u.index() >= h.len()) {
                return Err(AddressError::UnknownUnit {
                    name: o.name.clone(),
                    unit,
                });
            }
        }
        // Every (name, entry) into one buffer, then sort: no allocation per name.
        let mut buf = String::new();
        let (mut top, mut deep) = (Vec::new(), Vec::new());
        let mut push = |buf: &mut String, parts: [&str; 2], entry: Entry, is_deep: bool| {
            let a = buf.len() as u32;
            buf.push_str(parts[0]);
            buf.push_str(parts[1]);
            let recs = if is_deep { &mut deep } else { &mut top };
            recs.push((a, buf.len() as u32, entry));
        };
        for id in 1..h.len() as u32 {
            let kind = h.kind_def(id);
            let is_deep = kind.level().rank() >= deep_rank;
            let name = h.name_str(id);
            let entry = |via| Entry::new(id, h.end[id as usize], via, NO_OLD);
            push(&mut buf, [name, ""], entry(Via::Full), is_deep);
            forms.clear();
            profile.short_forms(name, kind, &mut forms);
            for f in &forms {
                let via = match f.strength {
                    FormStrength::Tail => Via::Tail,
                    FormStrength::Major => Via::Major,
                    FormStrength::Minor => Via::Minor,
                };
                push(&mut buf, [f.stem, f.tail], entry(via), is_deep);
            }
        }
        for (i, o) in old.iter().enumerate() {
            let name = o.name.trim();
            for &u in &o.units {
                let entry = |via| Entry::new(u.get(), h.end[u.index()], via, i as u32);
                push(&mut buf, [name, ""], entry(Via::OldFull), false);
                forms.clear();
                profile.short_forms(name, h.kind_def(u.get()), &mut forms);
                for f in &forms {
                    push(&mut buf, [f.stem, f.tail], entry(Via::OldShort), false);
                }
            }
        }
        // Names match ASCII case-insensitively: the automaton holds them in
        // lower case (the byte offsets stay).
        let top = Grouped::build(&buf.to_ascii_lowercase(), top);
        let mut entries = Vec::new();
        let mut pats = Vec::new();
        for p in 0..top.names.len() {
            let mut es = top.entries[top.start[p] as usize..top.start[p + 1] as usize].to_vec();
            es.sort_by_key(|e| (!e.via().starts_anywhere(), e.unit));
            let starters = es.iter().filter(|e| e.via().starts_anywhere()).count();
            let entry = if es.len() == 1 {
                es[0]
            } else {
                entries.extend_from_slice(&es);
                let at = (entries.len() - es.len()) as u32;
                Entry::new(at, starters as u32, Via::Full, NO_OLD)
            };
            pats.push(Pat {
                entry,
                count: es.len() as u32,
            });
        }
        // A double-array automaton over characters: one array read per
        // transition, failure links included, 12 bytes a state. The value
        // of a name is its units, read with the match (one cache miss, not
        // two).
        let ac = CharwiseDoubleArrayAhoCorasick::with_values(top.names.iter().zip(pats)).map_err(
            |e| AddressError::Automaton {
                message: e.to_string(),
            },
        )?;
        let name_chars = top.names.iter().flat_map(|n| n.chars()).collect();
        let deep = (!deep.is_empty()).then(|| {
            let g = Grouped::build(&buf, deep);
            let names = StrTable::from_iter(g.names.iter().map(String::as_str))
                .expect("village names fit in u32 offsets: they come from a StrTable that does");
            let index = HashIndex::build(g.names.len(), |i| names.get(i).as_bytes())
                .expect("grouped names are distinct");
            let mut last: Vec<char> = g.names.iter().filter_map(|n| n.chars().last()).collect();
            last.sort_unstable();
            last.dedup();
            Deep {
                names,
                index,
                chars: g.chars.into_boxed_slice(),
                start: g.start.into_boxed_slice(),
                entries: g.entries.into_boxed_slice(),
                last: last.into_boxed_slice(),
            }
        });
        Ok(Dictionary {
            ac,
            name_chars,
            patterns: top.names.len(),
            entries: entries.into_boxed_slice(),
            deep,
            old,
        })
    }
}

impl Hierarchy {
    /// The address reader of this hierarchy: free text to units (see the
    /// [`address`](crate::address) module). Its dictionary, with the
    /// former names of the profile's code history, is built on the first
    /// call (about 0.1 s for China's township-level data) and kept.
    ///
    /// # Errors
    ///
    /// [`AddressError::Automaton`] when the names exceed the automaton's
    /// limits (its states are numbered in 32 bits; not reachable with real
    /// data). The error is kept too: later calls return it again.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let r = h.addresses()?.resolve("北京市通州区潞邑街道");
    /// assert_eq!(r.unit().unwrap().code(), "110112013");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn addresses(&self) -> Result<AddressResolver<'_>, AddressError> {
        let names = self
            .derived
            .dictionary
            .get_or_init(|| Dictionary::build(self, profile_old_names(self)).map(Arc::new))
            .clone()?;
        Ok(AddressResolver { h: self, names })
    }
}

/// The former names the hierarchy's profile knows (its code history).
fn profile_old_names(h: &Hierarchy) -> Vec<OldName> {
    h.successions().map_or_else(Vec::new, |s| s.old_names(h))
}

impl<'h> AddressResolver<'h> {
    /// A builder, to add old names to the profile's before building: a
    /// resolver of its own, which does not change
    /// [`Hierarchy::addresses`].
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let addresses = xzqh::address::AddressResolver::builder(h).build()?;
    /// assert_eq!(addresses.old_names().len(), h.addresses()?.old_names().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(hierarchy: &'h Hierarchy) -> AddressResolverBuilder<'h> {
        AddressResolverBuilder {
            h: hierarchy,
            old: Vec::new(),
        }
    }

    /// The hierarchy this resolver reads into.
    ///
    /// # Examples
    ///
    /// ```
    /// let addresses = xzqh::china().addresses()?;
    /// assert_eq!(addresses.hierarchy().root().name(), "中华人民共和国");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hierarchy(&self) -> &'h Hierarchy {
        self.h
    }

    /// The old names the resolver reads, in order ([`Form::Old`] indexes
    /// them): the profile's, then those given to the builder.
    ///
    /// # Examples
    ///
    /// ```
    /// let addresses = xzqh::china().addresses()?;
    /// assert!(addresses.old_names().iter().any(|o| o.name == "莱芜市"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn old_names(&self) -> &[OldName] {
        &self.names.old
    }

    /// The pattern's entries that may start a reading anywhere, and the rest.
    fn split<'a>(&'a self, pat: &'a Pat) -> (&'a [Entry], &'a [Entry]) {
        let all = match pat.count {
            1 => std::slice::from_ref(&pat.entry),
            n => &self.names.entries[pat.entry.unit as usize..][..n as usize],
        };
        all.split_at(pat.starters() as usize)
    }

    /// Whether the pattern's name denotes `unit`.
    fn denotes(&self, pat: &Pat, unit: u32) -> bool {
        let (a, b) = self.split(pat);
        a.binary_search_by_key(&unit, |e| e.unit).is_ok()
            || b.binary_search_by_key(&unit, |e| e.unit).is_ok()
    }

    /// Resolves `text` to the deepest unit it names (see the
    /// [module docs](self) for how).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::{AddressResolver, Outcome};
    /// let h = xzqh::sample::small_china();
    /// let addresses = AddressResolver::new(&h)?;
    /// let r = addresses.resolve("长春朝阳区");
    /// assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "220104");
    /// assert_eq!(addresses.resolve("").outcome, Outcome::NotFound);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve<'t>(&self, text: &'t str) -> Resolution<'t>
    where
        'h: 't,
    {
        thread_local! {
            static SCRATCH: RefCell<Scratch> = RefCell::default();
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.resolve_in(text, &mut scratch),
            Err(_) => self.resolve_in(text, &mut Scratch::default()),
        })
    }

    fn resolve_in<'t>(&self, text: &'t str, sc: &mut Scratch) -> Resolution<'t>
    where
        'h: 't,
    {
        sc.clear();
        let first = self.matches(text, sc);
        sc.link();
        self.readings(first, sc);
        if let Some(deep) = &self.names.deep {
            self.extend_deep(deep, text, first, &mut sc.nodes);
        }
        self.finish(text, &sc.nodes)
    }

    /// The matches of the automaton in `text`, into `sc.hits` in the order
    /// of their ends, with the text's characters into `sc.chars`; returns
    /// the offset of the first character that is no separator.
    fn matches(&self, text: &str, sc: &mut Scratch) -> u32 {
        let Scratch { chars, hits, .. } = sc;
        chars.reserve(text.len());

        // One pass: each character through the automaton, and the matches
        // that end with it, so in the order of their ends: a match's
        // possible predecessors all end earlier.
        let mut step = self.names.ac.find_overlapping_stepper();
        let (mut run, mut after_sep, mut first) = (0u32, true, text.len() as u32);
        for (i, c) in text.char_indices() {
            let i = i as u32;
            let k = chars.len();
            chars.push(Char {
                at: i,
                lead: if after_sep { run } else { i },
            });
            step.consume(c.to_ascii_lowercase());
            for m in step.matches() {
                let from = m.start() as u32;
                let mut a = k;
                while chars[a].at > from {
                    a -= 1;
                }
                hits.push(Hit {
                    start: from,
                    end: m.end() as u32,
                    to: k as u32 + 1,
                    pat: m.value(),
                    chars: (k + 1 - a) as u32,
                    lead: chars[a].lead,
                    shadow: NONE,
                    longer: NONE,
                    dead: false,
                });
            }
            // A character in some name is no separator (a name may hold one).
            let sep = is_separator(c) && !self.names.name_chars.contains(&c);
            if sep && !after_sep {
                run = i;
            }
            if !sep && first == text.len() as u32 {
                first = i;
            }
            after_sep = sep;
        }
        first
    }

    /// The readings through the matches, into `sc.nodes` (see the module docs).
    fn readings(&self, first: u32, sc: &mut Scratch) {
        let Scratch {
            chars, hits, nodes, ..
        } = sc;
        // Nodes are made in the order of their matches' ends, so the
        // readings that end before a match are a prefix of `nodes`.
        //
        // A reading that cannot end up covering as many characters as the
        // best one is never made: it could be neither the answer nor a
        // candidate, nor lead to one. `most` is a lower bound of the best:
        // at first the longest match that can start a reading, then the
        // most any reading made covers. Against it go upper bounds: the
        // characters so far, plus all the text after this match, plus
        // nothing for a unit with no units below it. This drops most readings that
        // street text would start or extend (建设, 幸福, 人民路 name
        // townships by the dozen) and most of the short forms at the start
        // (河北 names 11 townships, but 河北省 is longer).
        let total = chars.len() as u32;
        let prune = pruning();
        let mut most = 0u32;
        for m in hits.iter().filter(|m| prune && !m.dead) {
            let starters = m.pat.starters();
            if starters > 0 || (m.start == first && m.pat.count > starters) {
                most = most.max(m.chars);
            }
        }
        for m in hits.iter().filter(|m| !(prune && m.dead)) {
            let fin = nodes.partition_point(|d| d.end <= m.start);
            // The most characters a reading through this match can add.
            let after = m.chars + total - m.to;
            // Units outside `lo..hi` are inside no finished reading that
            // this match could extend to the most characters covered.
            let (mut lo, mut hi) = (u32::MAX, 0);
            for d in &nodes[..fin] {
                if d.score.chars() + after >= most {
                    lo = lo.min(d.unit);
                    hi = hi.max(d.sub_end);
                }
            }
            // Whether a reading may start here, as far as characters go.
            let fresh = after >= most;
            if lo == u32::MAX && !fresh {
                continue;
            }
            let (starters, rest) = self.split(&m.pat);
            let starters = if fresh {
                starters
            } else {
                within(starters, lo, hi)
            };
            // Continuers away from the text's start matter only inside a
            // finished reading: take those within the span of the finished
            // readings' subtrees (two binary searches), not every township
            // of that name; the containment test below sorts them out.
            let continuers = if m.start == first && fresh {
                rest
            } else {
                within(rest, lo, hi)
            };
            let shadow = (m.shadow != NONE).then(|| &hits[m.shadow as usize].pat);
            let longer = (m.longer != NONE).then(|| self.split(&hits[m.longer as usize].pat));
            for e in starters.iter().chain(continuers) {
                if prune && longer.is_some_and(|l| covered(e, l)) {
                    continue;
                }
                // The best finished reading whose unit contains this one.
                let (mut base, mut prev) = (Score::ZERO, NONE);
                if lo < e.unit && e.unit < hi {
                    for (k, d) in nodes[..fin].iter().enumerate() {
                        if d.unit < e.unit && e.unit < d.sub_end && d.score > base {
                            base = d.score;
                            prev = k as u32;
                        }
                    }
                }
                if prev == NONE && !e.via().starts_anywhere() && m.start != first {
                    continue;
                }
                let leaf = e.sub_end == e.unit + 1;
                if base.chars() + if leaf { m.chars } else { after } < most {
                    continue;
                }
                let shadowed = shadow.is_some_and(|s| !self.denotes(s, e.unit));
                let adjacent = if prev == NONE {
                    m.start == first
                } else {
                    nodes[prev as usize].end >= m.lead
                };
                let quality = e.quality() - if shadowed { SHADOW_PENALTY } else { 0 }
                    + adjacent as i32 * ADJACENT;
                let score = base.add(m.chars, quality);
                if prune {
                    most = most.max(score.chars());
                }
                nodes.push(Node {
                    unit: e.unit,
                    sub_end: e.sub_end,
                    start: m.start,
                    end: m.end,
                    score,
                    prev,
                    via: e.via(),
                    old: e.old(),
                });
            }
        }
    }

    /// Extends the best readings by a village named after them, inside them;
    /// with no reading at all, lets a village name stand alone.
    fn extend_deep(&self, deep: &Deep, text: &str, first: u32, nodes: &mut Vec<Node>) {
        let h = self.hierarchy();
        // Every substring ending in a character a village name ends in.
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut found: Vec<(u32, u32, u32)> = Vec::new();
        for (k, (i, c)) in text.char_indices().enumerate() {
            if (i as u32) < first || deep.last.binary_search(&c).is_err() {
                continue;
            }
            let end = i + c.len_utf8();
            for &a in bounds[k.saturating_sub(MAX_DEEP_CHARS - 1)..=k].iter() {
                if let Some(name) = text.get(a..end).and_then(|s| deep.find(s)) {
                    found.push((a as u32, end as u32, name));
                }
            }
        }
        if found.is_empty() {
            return;
        }
        let ends: Vec<u32> = nodes.iter().map(|n| n.end).collect();
        let adjacent = |prev: u32, a: u32| {
            if prev == NONE {
                a == first
            } else {
                ends[prev as usize] >= lead_of(text, a as usize) as u32
            }
        };
        let node = |unit: u32, a: u32, b: u32, name: u32, e: &Entry, base: Score, prev: u32| Node {
            unit,
            sub_end: h.end[unit as usize],
            start: a,
            end: b,
            score: base.add(
                deep.chars[name as usize] as u32,
                e.quality() + ADJACENT * adjacent(prev, a) as i32,
            ),
            prev,
            via: e.via(),
            old: e.old(),
        };
        // A village name stands alone at the start of the text (兰城村…, like
        // a township's short form), or anywhere when nothing else matched.
        let alone = nodes.is_empty();
        let starts = nodes.len();
        for &(a, b, name) in &found {
            if alone || a == first {
                for e in deep.entries(name) {
                    nodes.push(node(e.unit, a, b, name, e, Score::ZERO, NONE));
                }
            }
        }
        if alone {
            return;
        }
        let mut order: Vec<u32> = (0..starts as u32).collect();
        order.sort_unstable_by(|&x, &y| {
            let (x, y) = (&nodes[x as usize], &nodes[y as usize]);
            x.unit.cmp(&y.unit).then(y.score.cmp(&x.score))
        });
        order.dedup_by_key(|n| nodes[*n as usize].unit);
        order.sort_by(|&x, &y| nodes[y as usize].score.cmp(&nodes[x as usize].score));
        order.truncate(DEEP_SCOPES);
        for n in order {
            let p = nodes[n as usize];
            for &(a, b, name) in &found {
                if a < p.end {
                    continue;
                }
                let es = deep.entries(name);
                let lo = es.partition_point(|e| e.unit <= p.unit);
                let hi = es.partition_point(|e| e.unit < p.sub_end);
                for e in &es[lo..hi.max(lo)] {
                    nodes.push(node(e.unit, a, b, name, e, p.score, n));
                }
            }
        }
    }

    fn spans<'t>(&self, text: &'t str, nodes: &[Node], mut n: u32) -> Vec<Span<'t>>
    where
        'h: 't,
    {
        let mut out = Vec::new();
        while n != NONE {
            let x = &nodes[n as usize];
            let range = x.start as usize..x.end as usize;
            out.push(Span {
                text: text.get(range.clone()).unwrap_or(""),
                range,
                unit: self.unit(x.unit),
                form: match x.via {
                    Via::Full => Form::Full,
                    Via::Tail | Via::Major | Via::Minor => Form::Short,
                    Via::OldFull | Via::OldShort => Form::Old {
                        index: x.old as usize,
                    },
                },
            });
            n = x.prev;
        }
        out.reverse();
        out
    }

    /// The chain of the reading ending at node `n`: its units and the
    /// levels it skipped, top-down, without the root.
    fn chain<'t>(&self, nodes: &[Node], mut n: u32) -> Vec<Unit<'t>>
    where
        'h: 't,
    {
        let h = self.hierarchy();
        let mut out = Vec::with_capacity(6);
        while n != NONE {
            let x = &nodes[n as usize];
            let above = if x.prev == NONE {
                0
            } else {
                nodes[x.prev as usize].unit
            };
            // Walk up to the unit matched before (the root for the first).
            let mut u = x.unit;
            while u != above && u != NONE && h.parent[u as usize] != NONE {
                out.push(self.unit(u));
                u = h.parent[u as usize];
            }
            n = x.prev;
        }
        out.reverse();
        out
    }

    /// The unit and its ancestors, top-down, without the root.
    fn path<'t>(&self, unit: u32) -> Vec<Unit<'t>>
    where
        'h: 't,
    {
        let h = self.hierarchy();
        let mut out = Vec::new();
        let mut u = unit;
        while u != NONE && h.parent[u as usize] != NONE {
            out.push(self.unit(u));
            u = h.parent[u as usize];
        }
        out.reverse();
        out
    }

    /// The unit with id `id`, which the dictionary took from the hierarchy.
    fn unit(&self, id: u32) -> Unit<'h> {
        Unit { h: self.h, id }
    }

    fn finish<'t>(&self, text: &'t str, nodes: &[Node]) -> Resolution<'t>
    where
        'h: 't,
    {
        let h = self.hierarchy();
        let rest_from = |end: u32| skip_separators(text, end as usize)..text.len();
        // The best node, and whether another unit scores as well.
        let mut best: Option<(Score, u32)> = None;
        let mut tie = false;
        for (i, x) in nodes.iter().enumerate() {
            match best {
                Some((s, b))
                    if x.score < s || (x.score == s && nodes[b as usize].unit == x.unit) => {}
                Some((s, _)) if x.score == s => tie = true,
                _ => {
                    best = Some((x.score, i as u32));
                    tie = false;
                }
            }
        }
        let Some((best, n)) = best else {
            return Resolution {
                text,
                outcome: Outcome::NotFound,
                chain: Vec::new(),
                spans: Vec::new(),
                rest: 0..text.len(),
            };
        };
        if !tie {
            return Resolution {
                text,
                outcome: Outcome::Resolved(self.unit(nodes[n as usize].unit)),
                chain: self.chain(nodes, n),
                spans: self.spans(text, nodes, n),
                rest: rest_from(nodes[n as usize].end),
            };
        }
        // The best reading of each unit that covers as much as the best.
        let mut top: Vec<u32> = (0..nodes.len() as u32)
            .filter(|&n| nodes[n as usize].score.chars() == best.chars())
            .collect();
        top.sort_unstable_by(|&x, &y| {
            let (x, y) = (&nodes[x as usize], &nodes[y as usize]);
            x.unit.cmp(&y.unit).then(y.score.cmp(&x.score))
        });
        top.dedup_by_key(|n| nodes[*n as usize].unit);
        top.sort_by(|&x, &y| {
            let (x, y) = (&nodes[x as usize], &nodes[y as usize]);
            y.score
                .cmp(&x.score)
                .then(h.depth[x.unit as usize].cmp(&h.depth[y.unit as usize]))
                .then(x.unit.cmp(&y.unit))
        });
        let tied = top
            .iter()
            .take_while(|&&n| nodes[n as usize].score == best)
            .count();
        let candidates: Vec<Candidate<'t>> = top
            .iter()
            .map(|&n| Candidate {
                unit: self.unit(nodes[n as usize].unit),
                chars: nodes[n as usize].score.chars() as usize,
                quality: nodes[n as usize].score.quality(),
                spans: self.spans(text, nodes, n),
            })
            .collect();
        let tied_c = &candidates[..tied];
        let lca = tied_c
            .iter()
            .map(|c| c.unit.id)
            .reduce(|a, b| h.lca_raw(a, b))
            .unwrap_or(0);
        let spans: Vec<Span<'t>> = tied_c[0]
            .spans
            .iter()
            .filter(|s| tied_c.iter().all(|c| c.spans.contains(s)))
            .cloned()
            .collect();
        let end = top[..tied]
            .iter()
            .map(|&n| nodes[n as usize].end)
            .max()
            .unwrap_or(0);
        Resolution {
            text,
            outcome: Outcome::Ambiguous(candidates),
            chain: self.path(lca),
            spans,
            rest: rest_from(end),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn resolver_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::AddressResolver<'static>>();
        check::<super::Resolution<'static>>();
    }

    #[test]
    fn a_hierarchy_builds_its_dictionary_once() {
        use std::sync::Arc;
        let h = crate::china();
        let a = h.addresses().expect("china's names fit");
        let b = h.addresses().expect("china's names fit");
        assert!(Arc::ptr_eq(&a.names, &b.names));
    }

    #[test]
    fn scores_keep_negative_qualities() {
        use super::Score;
        for q in [-12, -5, -1, 0, 1, 9] {
            let s = Score::ZERO.add(3, q);
            assert_eq!((s.chars(), s.quality()), (3, q));
        }
    }

    use proptest::prelude::*;

    /// Pieces of text: names and short forms of real units near each other
    /// (so that readings nest), names from anywhere, street words that are
    /// short forms of townships by the dozen, separators and house numbers.
    fn piece(h: &'static crate::Hierarchy) -> impl Strategy<Value = String> {
        let n = h.len() as u32;
        prop_oneof![
            4 => (1..n, 0..3usize).prop_map(move |(u, f)| {
                let unit = h.get(crate::UnitId::new(u)).expect("in range");
                let forms = crate::china::short_forms(unit.name());
                // The unit with its ancestors, top-down, some written short.
                let mut chain: Vec<_> = unit.ancestors().filter(|a| a.parent().is_some()).collect();
                chain.reverse();
                chain.push(unit);
                let mut s: String = chain
                    .iter()
                    .skip(f % (chain.len()))
                    .map(|a| {
                        let short = crate::china::short_forms(a.name());
                        if f == 1 && !short.is_empty() { short[0].clone() } else { a.name().to_owned() }
                    })
                    .collect();
                if f == 2 && !forms.is_empty() {
                    s.push_str(&forms[0]);
                }
                s
            }),
            2 => prop::sample::select(vec![
                "建设", "幸福", "人民路", "解放路", "城关镇", "朝阳区", "长安镇", "市中区",
                "红河州", "黔西南", "莱芜市", "南山", "通州区", "花园小区", "科技园",
            ]).prop_map(str::to_owned),
            1 => prop::sample::select(vec![" ", "，", "12号", "3栋201室", "-", "", "A座"])
                .prop_map(str::to_owned),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]
        /// Leaving out the readings that cannot matter changes no answer:
        /// the same resolution as the full dynamic programming.
        #[test]
        fn pruning_changes_no_answer(pieces in prop::collection::vec(piece(crate::china()), 1..6)) {
            let text: String = pieces.concat();
            let resolver = crate::china().addresses().expect("china's names fit");
            let fast = resolver.resolve(&text);
            super::EXHAUSTIVE.with(|e| e.set(true));
            let full = resolver.resolve(&text);
            super::EXHAUSTIVE.with(|e| e.set(false));
            prop_assert_eq!(fast, full, "{}", text);
        }
    }
}
