//! Name lookup: exact names, the profile's short forms (广西, 延边, 深圳),
//! scoped queries ("北京 朝阳区") and ambiguity reported with every
//! candidate.
//!
//! The algorithm works on any [`Hierarchy`]; only its profile's short-form
//! rules ([`Profile::short_forms`](crate::Profile::short_forms)) know a
//! language's suffixes, and names they do not recognize simply have no
//! short form.

use std::borrow::Cow;
use std::fmt;

use thiserror::Error;

use crate::exchange::load::excerpt;
use crate::model::hierarchy::Hierarchy;
use crate::model::profile::{FormStrength, Profile, ShortForm};
use crate::model::unit::Unit;

/// The most words one name may span in a whitespace-separated query.
const MAX_WORDS: usize = 8;

/// The most words or parts of a query that are read: a longer query names
/// no unit, and its work and memory stay bounded.
const MAX_QUERY_WORDS: usize = 1024;

/// Candidates listed in an ambiguity message; the error's field holds all.
const LISTED: usize = 10;

/// Why a name query did not give exactly one unit.
///
/// # Examples
///
/// ```
/// let err = xzqh::china().names().lookup("朝阳区").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#""朝阳区" is ambiguous: 2 units match (110105 朝阳区, 220104 朝阳区)"#,
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LookupError {
    /// The query holds no name (empty, or only separators).
    #[error("empty name query {query:?}")]
    Empty {
        /// The query (cut to 64 characters).
        query: String,
    },
    /// No unit matches; `part` is the word (or `/` part) after the longest
    /// start of the query that matched.
    #[error("no unit named {part:?}{}", in_query(.query, .part))]
    NotFound {
        /// The query (cut to 64 characters).
        query: String,
        /// The part that matched nothing.
        part: String,
    },
    /// More than one unit matches. The message lists the first ten.
    #[error("{query:?} is ambiguous: {} units match ({})", .candidates.len(), listing(.candidates))]
    Ambiguous {
        /// The query (cut to 64 characters).
        query: String,
        /// Every matching unit as `(code, name)`, in code order.
        candidates: Vec<(String, String)>,
    },
}

fn in_query(query: &str, part: &str) -> String {
    if query.trim() == part {
        String::new()
    } else {
        format!(" (in query {query:?})")
    }
}

fn listing(candidates: &[(String, String)]) -> String {
    let mut s = String::new();
    for (i, (code, name)) in candidates.iter().take(LISTED).enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(code);
        s.push(' ');
        s.push_str(name);
    }
    if candidates.len() > LISTED {
        s.push_str(", …");
    }
    s
}

/// Finds units by name in a [`Hierarchy`]: exact names, short forms, and
/// scoped queries, never picking one of several matches silently.
///
/// Get it from [`Hierarchy::names`]: the short-form tables are built on
/// the first call (a few milliseconds for China's township-level data) and
/// kept with the hierarchy; the index itself is a pair of references.
///
/// # Queries
///
/// - A query is one or more *parts*. With a `/` in it, parts are split on
///   `/` and trimmed (`"New York/Kings County"`). Otherwise they are split
///   on whitespace (`"北京 朝阳区"`, full-width spaces too), and a part may
///   also be up to 8 consecutive words joined by one space, for names with
///   spaces (`"Washington King County"`). Empty parts are skipped. A query
///   of more than 1,024 words (or parts) names no unit.
/// - The first part matches anywhere; each further part matches strictly
///   below a match of the part before it, at any depth (`"广东 南山区"`
///   works without 深圳). Every reading and every chain of matches is
///   followed, so an ambiguous first part is fine when only one chain goes
///   through: in the full data `"吉林 长春 朝阳区"` passes through 吉林省,
///   not 吉林市.
/// - Within one scope, a part matches exact names first (at any level); if
///   none there, *major* short forms (those the profile does not mark
///   [`Minor`](crate::FormStrength::Minor): China's provincial, prefectural
///   and county levels); if none, minor short forms (of lower units, whose
///   names repeat by the thousand). Exact names count first as written,
///   then as the profile [folds](crate::Profile::fold) them (China: 澳門 is
///   澳门特别行政区's short form, 九龍城區 is 九龙城区); short forms are
///   always compared folded. So 新疆 is the region, not 新疆街道 in Harbin, and 通州
///   is both 通州区, not 通州镇 too; 虎门 still finds 虎门镇, and shadowed
///   units stay reachable by exact name or by scope (`"贵州 通州"`).
/// - Candidates are the units the last part matches, over all chains, in
///   code order. [`lookup`](NameIndex::lookup) succeeds exactly when there
///   is one; nothing is ever picked from several.
///
/// # Examples
///
/// ```
/// use xzqh::LookupError;
/// let names = xzqh::china().names();
/// assert_eq!(names.lookup("北京 朝阳区")?.code(), "110105");
/// assert_eq!(names.lookup("吉林/长春/朝阳区")?.code(), "220104");
/// assert_eq!(names.lookup("深圳")?.code(), "4403");
/// assert_eq!(names.lookup("伊犁州")?.code(), "6540");
/// // Traditional characters, through China's profile's fold.
/// assert_eq!(names.lookup("香港 九龍城區")?.name(), "九龙城区");
/// // 朝阳 is short for two districts, a city (朝阳市) and a county (朝阳县).
/// let codes: Vec<_> = names.candidates("朝阳").iter().map(|u| u.code()).collect();
/// assert_eq!(codes, ["110105", "2113", "211321", "220104"]);
/// assert!(matches!(names.lookup("朝阳区"), Err(LookupError::Ambiguous { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct NameIndex<'h> {
    h: &'h Hierarchy,
    forms: &'h FormTables,
}

/// The short forms of a hierarchy's units, built on first use.
#[derive(Debug, Default)]
pub(crate) struct FormTables {
    /// Names that the profile's [`fold`](Profile::fold) changes, folded.
    folded: FormTable,
    /// Short forms the profile does not mark minor, folded.
    major: FormTable,
    /// Minor short forms, folded.
    minor: FormTable,
}

/// `s` with every character through the profile's fold; borrowed when
/// none changes (always with a profile that folds nothing).
pub(crate) fn fold_str<'s>(profile: &dyn Profile, s: &'s str) -> Cow<'s, str> {
    match s.char_indices().find(|&(_, c)| profile.fold(c) != c) {
        None => Cow::Borrowed(s),
        Some((i, _)) => {
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..i]);
            out.extend(s[i..].chars().map(|c| profile.fold(c)));
            Cow::Owned(out)
        }
    }
}

impl FormTables {
    fn build(h: &Hierarchy) -> FormTables {
        // Every (form, unit) into one buffer, then sort: no allocation per form.
        let profile = h.profile();
        let mut buf = String::new();
        let (mut folded, mut major, mut minor) = (Vec::new(), Vec::new(), Vec::new());
        let mut forms: Vec<ShortForm<'_>> = Vec::new();
        for id in 0..h.len() as u32 {
            let name = h.name_str(id);
            if let Cow::Owned(f) = fold_str(profile, name) {
                let a = buf.len();
                buf.push_str(&f);
                folded.push((a, buf.len(), id));
            }
            forms.clear();
            profile.short_forms(name, h.kind_def(id), &mut forms);
            for f in &forms {
                let a = buf.len();
                buf.extend(
                    f.stem
                        .chars()
                        .chain(f.tail.chars())
                        .map(|c| profile.fold(c)),
                );
                let recs = if f.strength != FormStrength::Minor {
                    &mut major
                } else {
                    &mut minor
                };
                recs.push((a, buf.len(), id));
            }
        }
        FormTables {
            folded: FormTable::build(&buf, folded),
            major: FormTable::build(&buf, major),
            minor: FormTable::build(&buf, minor),
        }
    }
}

impl Hierarchy {
    /// The name index of this hierarchy: exact names, short forms and
    /// scoped queries ([`NameIndex`]). Its tables are built on first call
    /// and kept.
    ///
    /// # Examples
    ///
    /// ```
    /// let names = xzqh::china().names();
    /// assert_eq!(names.lookup("广东 南山")?.name(), "南山区");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn names(&self) -> NameIndex<'_> {
        NameIndex {
            h: self,
            forms: self.derived.forms.get_or_init(|| FormTables::build(self)),
        }
    }
}

/// Distinct short forms, sorted, back to back in `blob` (form `i` is
/// `blob[offsets[i]..offsets[i + 1]]`), each with its units
/// `units[start[i]..start[i + 1]]` in id order.
#[derive(Debug, Default)]
struct FormTable {
    blob: String,
    offsets: Vec<usize>,
    start: Vec<usize>,
    units: Vec<u32>,
}

impl FormTable {
    /// From `(start, end, unit)` records of forms in `buf`.
    fn build(buf: &str, mut recs: Vec<(usize, usize, u32)>) -> FormTable {
        recs.sort_unstable_by(|x, y| buf[x.0..x.1].cmp(&buf[y.0..y.1]).then(x.2.cmp(&y.2)));
        recs.dedup_by(|x, y| buf[x.0..x.1] == buf[y.0..y.1] && x.2 == y.2);
        let mut t = FormTable {
            offsets: vec![0],
            start: vec![0],
            ..FormTable::default()
        };
        for (i, &(a, b, id)) in recs.iter().enumerate() {
            let form = &buf[a..b];
            if i > 0 && form != &buf[recs[i - 1].0..recs[i - 1].1] {
                t.start.push(t.units.len());
            }
            if i == 0 || form != &buf[recs[i - 1].0..recs[i - 1].1] {
                t.blob.push_str(form);
                t.offsets.push(t.blob.len());
            }
            t.units.push(id);
        }
        if !recs.is_empty() {
            t.start.push(t.units.len());
        }
        t.blob.shrink_to_fit();
        t.offsets.shrink_to_fit();
        t.start.shrink_to_fit();
        t.units.shrink_to_fit();
        t
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The units whose short form is `form`, in id order.
    fn get(&self, form: &str) -> &[u32] {
        let key = |i: usize| &self.blob[self.offsets[i]..self.offsets[i + 1]];
        let i = {
            let (mut lo, mut hi) = (0, self.len());
            while lo < hi {
                let mid = (lo + hi) / 2;
                if key(mid) < form {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        if i < self.len() && key(i) == form {
            &self.units[self.start[i]..self.start[i + 1]]
        } else {
            &[]
        }
    }
}

impl fmt::Debug for NameIndex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NameIndex")
            .field("hierarchy", self.h)
            .field("major_forms", &self.forms.major.len())
            .field("minor_forms", &self.forms.minor.len())
            .finish()
    }
}

/// How a query resolved: the matched unit ids (sorted, deduplicated), or
/// the part nothing matched, or no part at all.
enum Resolved<'q> {
    Units(Vec<u32>),
    NotFound(&'q str),
    Empty,
}

impl<'h> NameIndex<'h> {
    /// The hierarchy this index searches.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// assert_eq!(h.names().hierarchy().len(), h.len());
    /// ```
    pub fn hierarchy(&self) -> &'h Hierarchy {
        self.h
    }

    /// Appends the units matching `part` strictly below `scope` (anywhere
    /// when `None`): exact names, else names equal once both are folded by
    /// the profile (香港九龍城區 → 香港九龙城区), else major short forms,
    /// else minor ones (short forms compared folded).
    fn matches(&self, part: &str, scope: Option<u32>, out: &mut Vec<u32>) {
        let h = self.hierarchy();
        let inside = |id: &u32| scope.is_none_or(|s| s != *id && h.contains_raw(s, *id));
        let before = out.len();
        out.extend(h.by_name(part).map(|u| u.id).filter(inside));
        if out.len() > before {
            return;
        }
        let folded = fold_str(h.profile(), part);
        if let Cow::Owned(f) = &folded {
            out.extend(h.by_name(f).map(|u| u.id).filter(inside));
        }
        out.extend(
            self.forms
                .folded
                .get(&folded)
                .iter()
                .copied()
                .filter(inside),
        );
        for table in [&self.forms.major, &self.forms.minor] {
            if out.len() > before {
                return;
            }
            out.extend(table.get(&folded).iter().copied().filter(inside));
        }
    }

    fn resolve<'q>(&self, query: &'q str) -> Resolved<'q> {
        // One word past the cap is kept, to be named if every word before
        // it was read.
        let (words, span): (Vec<&str>, usize) = if query.contains('/') {
            let parts = query.split('/').map(str::trim).filter(|p| !p.is_empty());
            (parts.take(MAX_QUERY_WORDS + 1).collect(), 1)
        } else {
            let words = query.split_whitespace().take(MAX_QUERY_WORDS + 1);
            (words.collect(), MAX_WORDS)
        };
        let n = words.len().min(MAX_QUERY_WORDS);
        let too_long = words.len() > MAX_QUERY_WORDS;
        if n == 0 {
            return Resolved::Empty;
        }
        // live[i]: the units a reading of words[..i] ends at. Each step
        // reads the next 1..=span words as one part (names may hold spaces),
        // so this follows every reading in O(words × span) steps, with no
        // backtracking to blow up on long queries.
        let mut live: Vec<Vec<u32>> = vec![Vec::new(); n + 1];
        let mut reached = vec![false; n + 1];
        reached[0] = true;
        let mut part = String::new();
        for i in 0..n {
            if !reached[i] {
                continue;
            }
            live[i].sort_unstable();
            live[i].dedup();
            let scopes: Vec<Option<u32>> = if i == 0 {
                vec![None]
            } else {
                live[i].iter().copied().map(Some).collect()
            };
            for j in i + 1..=n.min(i + span) {
                part.clear();
                for (k, w) in words[i..j].iter().enumerate() {
                    if k > 0 {
                        part.push(' ');
                    }
                    part.push_str(w);
                }
                let before = live[j].len();
                for &scope in &scopes {
                    self.matches(&part, scope, &mut live[j]);
                }
                reached[j] |= live[j].len() > before;
            }
        }
        let mut found = std::mem::take(&mut live[n]);
        found.sort_unstable();
        found.dedup();
        if found.is_empty() || too_long {
            // The word after the longest prefix that some reading matched.
            let k = (0..=n)
                .rev()
                .find(|&i| reached[i] && i < words.len())
                .unwrap_or(0);
            return Resolved::NotFound(words[k]);
        }
        Resolved::Units(found)
    }

    fn sorted_units(&self, ids: Vec<u32>) -> Vec<Unit<'h>> {
        let h = self.h;
        let mut units: Vec<Unit<'h>> = ids.into_iter().map(|id| Unit { h, id }).collect();
        units.sort_by(|a, b| a.code().cmp(b.code()));
        units
    }

    /// Every unit the query matches, in code order; empty when none does
    /// (see [`NameIndex`] for the query rules).
    ///
    /// # Examples
    ///
    /// ```
    /// let names = xzqh::china().names();
    /// let codes: Vec<_> = names.candidates("塔城").iter().map(|u| u.code()).collect();
    /// assert_eq!(codes, ["6542", "654201"]); // 塔城地区 and 塔城市
    /// assert!(names.candidates("北京 长春").is_empty());
    /// ```
    pub fn candidates(&self, query: &str) -> Vec<Unit<'h>> {
        match self.resolve(query) {
            Resolved::Units(ids) => self.sorted_units(ids),
            Resolved::NotFound(_) | Resolved::Empty => Vec::new(),
        }
    }

    /// The fast path of [`lookup`](Self::lookup): a query of one word (no
    /// `/`, no white space) that names exactly one unit, by its name or else
    /// by one form, answered without allocating; the general path gives the
    /// same answer for it (one reading, the same tables in the same order).
    /// `None` sends the query down the general path (several units, none,
    /// several words).
    #[inline]
    fn lookup_one_word(&self, query: &str) -> Option<Unit<'h>> {
        // Every white-space character has a byte below: a byte scan clears
        // most Chinese names without decoding a character.
        let maybe = |b: u8| matches!(b, b'\t'..=b'\r' | b' ' | b'/' | 0xC2 | 0xE1..=0xE3);
        if query.bytes().any(maybe) && query.contains(|c: char| c == '/' || c.is_whitespace()) {
            return None;
        }
        let h = self.h;
        let one = |ids: &[u32]| match *ids {
            [id] => Some(Some(Unit { h, id })),
            [] => None,
            _ => Some(None),
        };
        let exact = h.by_name(query).as_slice();
        if !exact.is_empty() {
            return one(exact)?;
        }
        // The general path reads a query the profile folds, and folded full
        // names, before short forms: leave those to it.
        if matches!(fold_str(h.profile(), query), Cow::Owned(_))
            || !self.forms.folded.get(query).is_empty()
        {
            return None;
        }
        one(self.forms.major.get(query))
            .or_else(|| one(self.forms.minor.get(query)))
            .flatten()
    }

    /// The one unit the query matches (see [`NameIndex`] for the query
    /// rules).
    ///
    /// # Errors
    ///
    /// [`LookupError::Ambiguous`] with every candidate when several units
    /// match (`"朝阳区"`: Beijing's and Changchun's); [`LookupError::NotFound`]
    /// when none does (`"北京 长春"`, naming the part that failed, `"长春"`);
    /// [`LookupError::Empty`] for `""`, `"  "` or `"/"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::LookupError;
    /// let names = xzqh::china().names();
    /// assert_eq!(names.lookup("广东 南山")?.name(), "南山区");
    /// let err = names.lookup("北京 长春").unwrap_err();
    /// assert_eq!(err.to_string(), r#"no unit named "长春" (in query "北京 长春")"#);
    /// let Err(LookupError::Ambiguous { candidates, .. }) = names.lookup("朝阳区") else {
    ///     panic!("朝阳区 is in Beijing and in Changchun");
    /// };
    /// assert_eq!(candidates[1], ("220104".to_owned(), "朝阳区".to_owned()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lookup(&self, query: &str) -> Result<Unit<'h>, LookupError> {
        if let Some(unit) = self.lookup_one_word(query) {
            return Ok(unit);
        }
        match self.resolve(query) {
            Resolved::Empty => Err(LookupError::Empty {
                query: excerpt(query),
            }),
            Resolved::NotFound(part) => Err(LookupError::NotFound {
                query: excerpt(query),
                part: excerpt(part),
            }),
            Resolved::Units(ids) => {
                let mut units = self.sorted_units(ids);
                match units.len() {
                    1 => return Ok(units.swap_remove(0)),
                    // Unreachable by `resolve`'s contract, but not worth a panic.
                    0 => {
                        return Err(LookupError::NotFound {
                            query: excerpt(query),
                            part: excerpt(query.trim()),
                        });
                    }
                    _ => {}
                }
                Err(LookupError::Ambiguous {
                    query: excerpt(query),
                    candidates: units
                        .iter()
                        .map(|u| (u.code().to_owned(), u.name().to_owned()))
                        .collect(),
                })
            }
        }
    }
}
