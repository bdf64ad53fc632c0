//! Name lookup: exact names, China's short forms (广西, 延边, 深圳), scoped
//! queries ("北京 朝阳区") and ambiguity reported with every candidate.
//!
//! The algorithm works on any [`Hierarchy`]; only the short-form rules
//! ([`short_forms`]) know Chinese suffixes, and names they do not recognize
//! simply have no short form.

use std::borrow::Borrow;
use std::fmt;

use thiserror::Error;

use crate::{Hierarchy, Unit};

/// Short forms never have fewer characters than this: one-character forms
/// (和 from 和县, 城 from 城区) would match far too much.
const MIN_CHARS: usize = 2;

/// Queries are cut to this many characters inside errors.
const EXCERPT_CHARS: usize = 64;

/// Short forms of units at this level rank or above (China's county level:
/// 省, 地, 县) are *major*: they shadow the short forms of lower units,
/// whose names repeat by the thousand (新疆 is 新疆维吾尔自治区, not 新疆街道
/// in Harbin).
pub(crate) const MAJOR_MAX_RANK: u8 = 3;

/// The most words one name may span in a whitespace-separated query.
const MAX_WORDS: usize = 8;

/// Candidates listed in an ambiguity message; the error's field holds all.
const LISTED: usize = 10;

/// The 55 minority groups, without 族, for stripping the ethnic part of
/// autonomous names and ethnic townships (巍山彝族回族自治县 → 巍山).
const ETHNIC: [&str; 55] = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// Groups that autonomous names also write without 族 (伊犁哈萨克自治州,
/// 新疆维吾尔自治区). Only these, and only before 自治…, are stripped bare:
/// a bare group name elsewhere may be part of the place name.
const BARE_ETHNIC: [&str; 7] = [
    "蒙古",
    "维吾尔",
    "哈萨克",
    "柯尔克孜",
    "锡伯",
    "塔吉克",
    "鄂伦春",
];

/// Endings of names that get no short form: statistical and functional
/// units whose name without the ending is not what anyone calls them.
const NO_SHORT: [&str; 11] = [
    "开发区",
    "园区",
    "管理区",
    "示范区",
    "合作区",
    "实验区",
    "试验区",
    "农场",
    "林场",
    "行政区划",
    "市辖区",
];

/// Suffixes stripped for the short form, longest first where one ends
/// another; the first that leaves at least [`MIN_CHARS`] characters wins.
const SUFFIXES: [&str; 21] = [
    "特别行政区",
    "街道办事处",
    "地区办事处",
    "办事处",
    "民族苏木",
    "民族乡",
    "街道",
    "地区",
    "新区",
    "林区",
    "特区",
    "矿区",
    "苏木",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
    "镇",
    "乡",
];

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Strips trailing ethnic-group parts (各族, 彝族, and with `bare` the
/// groups of [`BARE_ETHNIC`] without 族) while at least [`MIN_CHARS`]
/// characters remain. When a group is the whole rest (东乡族自治县,
/// 鄂温克族自治旗), only its 族 goes.
fn strip_ethnic(mut s: &str, bare: bool) -> &str {
    loop {
        // The longest group that ends `s`, so 土家族 is not read as 土族.
        let with_zu = s.strip_suffix('族').and_then(|r| {
            ETHNIC
                .iter()
                .filter(|e| r.ends_with(*e))
                .max_by_key(|e| e.len())
                .map(|e| &r[..r.len() - e.len()])
        });
        let rest = if let Some(r) = s.strip_suffix("各族") {
            Some(r)
        } else if with_zu.is_some() {
            with_zu
        } else if bare {
            BARE_ETHNIC
                .iter()
                .filter(|e| s.ends_with(*e))
                .max_by_key(|e| e.len())
                .map(|e| &s[..s.len() - e.len()])
        } else {
            None
        };
        match rest {
            Some(r) if chars(r) >= MIN_CHARS => s = r,
            Some(_) => {
                return match s.strip_suffix('族') {
                    Some(r) if chars(r) >= MIN_CHARS => r,
                    _ => s,
                }
            }
            None => return s,
        }
    }
}

/// A short form: `stem` followed by `tail` (a `&'static` suffix or "").
#[derive(Debug, Clone, Copy)]
pub(crate) struct Form<'a> {
    pub(crate) stem: &'a str,
    pub(crate) tail: &'static str,
}

/// The short forms of `name`, at most two; see [`short_forms`].
pub(crate) fn forms(name: &str) -> [Option<Form<'_>>; 2] {
    let form = |stem| Form { stem, tail: "" };
    // Autonomous areas: drop 自治… and the ethnic groups; keep 州/县/旗 as a
    // second form (延边州, 巍山县), which is how they are usually written.
    for (suffix, tail) in [
        ("自治区", ""),
        ("自治州", "州"),
        ("自治县", "县"),
        ("自治旗", "旗"),
    ] {
        if let Some(rest) = name.strip_suffix(suffix) {
            let stem = strip_ethnic(rest, true);
            if chars(stem) < MIN_CHARS {
                return [None, None];
            }
            let second = (!tail.is_empty()).then_some(Form { stem, tail });
            return [Some(form(stem)), second];
        }
    }
    // Villages keep 村 / 社区: "朝阳" alone names far more than a village.
    // A bare 居委会 gets no form: "北京居委会" (Shanghai) must not answer 北京.
    for (suffix, keep) in [
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("社区居民委员会", "社区"),
        ("社区居委会", "社区"),
        ("居民委员会", ""),
        ("居委会", ""),
    ] {
        if let Some(rest) = name.strip_suffix(suffix) {
            if keep.is_empty() {
                return [None, None];
            }
            // 东村村民委员会 → 东村, not 东村村; the result is a prefix of `name`.
            let stem = if rest.ends_with(keep) {
                rest
            } else {
                &name[..rest.len() + keep.len()]
            };
            return [(chars(stem) >= MIN_CHARS).then_some(form(stem)), None];
        }
    }
    if NO_SHORT.iter().any(|s| name.ends_with(s)) {
        return [None, None];
    }
    for suffix in SUFFIXES {
        if let Some(rest) = name.strip_suffix(suffix) {
            let stem = strip_ethnic(rest, false);
            if chars(stem) >= MIN_CHARS {
                return [Some(form(stem)), None];
            }
        }
    }
    [None, None]
}

/// The short forms people write for a unit's full name, by China's rules
/// (DOMAIN §5); empty when no rule applies.
///
/// - Autonomous areas lose 自治区/州/县/旗 and their ethnic groups, and
///   prefectures, counties and banners also get the form with 州/县/旗:
///   广西壮族自治区 → 广西; 新疆维吾尔自治区 → 新疆; 内蒙古自治区 → 内蒙古;
///   延边朝鲜族自治州 → 延边, 延边州; 巍山彝族回族自治县 → 巍山, 巍山县.
/// - Villages keep 村 or 社区: 东村村民委员会 → 东村, 朝阳社区居委会 → 朝阳社区;
///   a bare …居委会 has none (北京居委会 must not answer 北京).
/// - Other names lose one suffix (特别行政区, 街道(办事处), 地区, 新区, 林区,
///   特区, 矿区, 苏木, 民族乡, 省, 市, 区, 县, 旗, 盟, 镇, 乡) and then any
///   ethnic groups written with 族 (顺河回族区 → 顺河): 深圳市 → 深圳,
///   朝阳区 → 朝阳, 南磨房地区 → 南磨房, 阿里地区 → 阿里.
/// - A form has at least two characters: 和县, 城区 and 矿区 have none.
/// - Development zones, parks, farms and placeholders (…开发区, …园区,
///   …农场, 市辖区, …) have none.
///
/// Short forms collide (塔城 is 塔城地区 and 塔城市; 海南 is 海南省 and
/// 海南藏族自治州); [`NameIndex`] reports such collisions as ambiguous.
///
/// # Examples
///
/// ```
/// use xzqh::china::short_forms;
/// assert_eq!(short_forms("宁夏回族自治区"), ["宁夏"]);
/// assert_eq!(short_forms("黔东南苗族侗族自治州"), ["黔东南", "黔东南州"]);
/// assert_eq!(short_forms("深圳市"), ["深圳"]);
/// assert!(short_forms("和县").is_empty());
/// assert!(short_forms("London").is_empty());
/// ```
pub fn short_forms(name: &str) -> Vec<String> {
    forms(name)
        .into_iter()
        .flatten()
        .map(|f| format!("{}{}", f.stem, f.tail))
        .collect()
}

/// Why a name query did not give exactly one unit.
///
/// # Examples
///
/// ```
/// use xzqh::china::{LookupError, NameIndex};
/// let h = xzqh::sample::small_china();
/// let err = NameIndex::new(&h).lookup("朝阳区").unwrap_err();
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

fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// Finds units by name in a [`Hierarchy`]: exact names, short forms, and
/// scoped queries, never picking one of several matches silently.
///
/// Build it once per hierarchy (it indexes every unit's [`short_forms`]);
/// it holds the hierarchy as `H`: a reference, an `Arc` or the hierarchy
/// itself.
///
/// # Queries
///
/// - A query is one or more *parts*. With a `/` in it, parts are split on
///   `/` and trimmed (`"New York/Kings County"`). Otherwise they are split
///   on whitespace (`"北京 朝阳区"`, full-width spaces too), and a part may
///   also be up to 8 consecutive words joined by one space, for names with
///   spaces (`"Washington King County"`). Empty parts are skipped.
/// - The first part matches anywhere; each further part matches strictly
///   below a match of the part before it, at any depth (`"广东 南山区"`
///   works without 深圳). Every reading and every chain of matches is
///   followed, so an ambiguous first part is fine when only one chain goes
///   through: in the full data `"吉林 长春 朝阳区"` passes through 吉林省,
///   not 吉林市.
/// - Within one scope, a part matches exact names first (at any level); if
///   none there, *major* short forms, of units at level rank ≤ 3 (China's
///   provincial, prefectural and county levels; the top four levels of any
///   schema); if none, the short forms of lower units, whose names repeat
///   by the thousand. So 新疆 is the region, not 新疆街道 in Harbin, and 通州
///   is both 通州区, not 通州镇 too; 虎门 still finds 虎门镇, and shadowed
///   units stay reachable by exact name or by scope (`"贵州 通州"`).
/// - Candidates are the units the last part matches, over all chains, in
///   code order. [`lookup`](NameIndex::lookup) succeeds exactly when there
///   is one; nothing is ever picked from several.
///
/// # Examples
///
/// ```
/// use xzqh::china::{LookupError, NameIndex};
/// let h = xzqh::sample::small_china();
/// let names = NameIndex::new(&h);
/// assert_eq!(names.lookup("北京 朝阳区")?.code(), "110105");
/// assert_eq!(names.lookup("吉林/长春/朝阳区")?.code(), "220104");
/// assert_eq!(names.lookup("深圳")?.code(), "4403");
/// assert_eq!(names.lookup("伊犁州")?.code(), "6540");
/// let codes: Vec<_> = names.candidates("朝阳").iter().map(|u| u.code()).collect();
/// assert_eq!(codes, ["110105", "220104"]);
/// assert!(matches!(names.lookup("朝阳区"), Err(LookupError::Ambiguous { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct NameIndex<H> {
    h: H,
    /// Short forms of units at county level and above.
    major: FormTable,
    /// Short forms of units below county level.
    minor: FormTable,
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

impl<H: Borrow<Hierarchy>> fmt::Debug for NameIndex<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NameIndex")
            .field("hierarchy", self.h.borrow())
            .field("major_forms", &self.major.len())
            .field("minor_forms", &self.minor.len())
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

impl<H: Borrow<Hierarchy>> NameIndex<H> {
    /// Indexes the short forms of every unit of `hierarchy`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let shared = Arc::new(xzqh::sample::small_china());
    /// let names = xzqh::china::NameIndex::new(Arc::clone(&shared));
    /// assert_eq!(names.lookup("西藏")?.code(), "54");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(hierarchy: H) -> Self {
        let h = hierarchy.borrow();
        // Every (form, unit) into one buffer, then sort: no allocation per form.
        let mut buf = String::new();
        let (mut major, mut minor) = (Vec::new(), Vec::new());
        for id in 0..h.len() as u32 {
            let is_major = h.kind_def(id).level().rank() <= MAJOR_MAX_RANK;
            for f in forms(h.name_str(id)).into_iter().flatten() {
                let a = buf.len();
                buf.push_str(f.stem);
                buf.push_str(f.tail);
                let recs = if is_major { &mut major } else { &mut minor };
                recs.push((a, buf.len(), id));
            }
        }
        NameIndex {
            major: FormTable::build(&buf, major),
            minor: FormTable::build(&buf, minor),
            h: hierarchy,
        }
    }

    /// The hierarchy this index searches.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// assert_eq!(xzqh::china::NameIndex::new(&h).hierarchy().len(), h.len());
    /// ```
    pub fn hierarchy(&self) -> &Hierarchy {
        self.h.borrow()
    }

    /// Appends the units matching `part` strictly below `scope` (anywhere
    /// when `None`): exact names, else major short forms, else minor ones.
    fn matches(&self, part: &str, scope: Option<u32>, out: &mut Vec<u32>) {
        let h = self.hierarchy();
        let inside = |id: &u32| scope.is_none_or(|s| s != *id && h.contains_raw(s, *id));
        let before = out.len();
        out.extend(h.by_name(part).map(|u| u.id).filter(inside));
        for table in [&self.major, &self.minor] {
            if out.len() > before {
                return;
            }
            out.extend(table.get(part).iter().copied().filter(inside));
        }
    }

    fn resolve<'q>(&self, query: &'q str) -> Resolved<'q> {
        let (words, span): (Vec<&str>, usize) = if query.contains('/') {
            let parts = query.split('/').map(str::trim).filter(|p| !p.is_empty());
            (parts.collect(), 1)
        } else {
            (query.split_whitespace().collect(), MAX_WORDS)
        };
        let n = words.len();
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
        if found.is_empty() {
            // The word after the longest prefix that some reading matched.
            let k = (0..n).rev().find(|&i| reached[i]).unwrap_or(0);
            return Resolved::NotFound(words[k]);
        }
        Resolved::Units(found)
    }

    fn sorted_units(&self, ids: Vec<u32>) -> Vec<Unit<'_>> {
        let h = self.hierarchy();
        let mut units: Vec<Unit<'_>> = ids.into_iter().map(|id| Unit { h, id }).collect();
        units.sort_by(|a, b| a.code().cmp(b.code()));
        units
    }

    /// Every unit the query matches, in code order; empty when none does
    /// (see [`NameIndex`] for the query rules).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let names = xzqh::china::NameIndex::new(&h);
    /// let codes: Vec<_> = names.candidates("塔城").iter().map(|u| u.code()).collect();
    /// assert_eq!(codes, ["6542", "654201"]); // 塔城地区 and 塔城市
    /// assert!(names.candidates("北京 长春").is_empty());
    /// ```
    pub fn candidates(&self, query: &str) -> Vec<Unit<'_>> {
        match self.resolve(query) {
            Resolved::Units(ids) => self.sorted_units(ids),
            Resolved::NotFound(_) | Resolved::Empty => Vec::new(),
        }
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
    /// use xzqh::china::{LookupError, NameIndex};
    /// let h = xzqh::sample::small_china();
    /// let names = NameIndex::new(&h);
    /// assert_eq!(names.lookup("广东 南山")?.name(), "南山区");
    /// let err = names.lookup("北京 长春").unwrap_err();
    /// assert_eq!(err.to_string(), r#"no unit named "长春" (in query "北京 长春")"#);
    /// let Err(LookupError::Ambiguous { candidates, .. }) = names.lookup("朝阳区") else {
    ///     panic!("朝阳区 is in Beijing and in Changchun");
    /// };
    /// assert_eq!(candidates[1], ("220104".to_owned(), "朝阳区".to_owned()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lookup(&self, query: &str) -> Result<Unit<'_>, LookupError> {
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
                        })
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
