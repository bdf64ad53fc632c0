//! The dictionary of a hierarchy's names: every unit's full name, the short
//! forms its profile gives and the old names, each with the units it
//! denotes; above the deep rank in one automaton ([`Pat`]s of [`Entry`]s),
//! at and below it in a hash table ([`Deep`]). Built once per hierarchy by
//! [`Hierarchy::addresses`], or with extra old names by an
//! [`AddressResolverBuilder`].

use std::sync::Arc;

use daachorse::CharwiseDoubleArrayAhoCorasick;

use crate::address::resolver::AddressResolver;
use crate::address::types::{AddressError, OldName};
use crate::model::hierarchy::{Hierarchy, NONE, UnitId};
use crate::model::index::{HashIndex, StrTable, hash_bytes};
use crate::model::profile::{FormStrength, ShortForm};

/// How a name in the text denotes its unit, best first (the order matters:
/// duplicates keep the first), those that may start a reading anywhere
/// before those that may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub(super) enum Via {
    Full,
    /// A short form that keeps a kind word ([`FormStrength::Tail`]: 黔东南州).
    Tail,
    /// A [`FormStrength::Major`] short form (China: of a unit at county
    /// level or above).
    Major,
    OldFull,
    /// A [`FormStrength::Minor`] short form (China: of a lower unit):
    /// continues a reading, or starts one at the start of the text.
    Minor,
    OldShort,
    /// A generic name ([`Profile::generic_names`](crate::Profile::generic_names):
    /// 开发区, 西区): only continues a reading, never starts one.
    Generic,
}

/// [`Via`] by its number (the top three bits of [`Entry::tag`]).
const VIAS: [Via; 8] = [
    Via::Full,
    Via::Tail,
    Via::Major,
    Via::OldFull,
    Via::Minor,
    Via::OldShort,
    Via::Generic,
    Via::OldShort,
];

/// Quality by [`Via`] number.
const QUALITY: [i32; 8] = [4, 3, 2, 1, 1, 0, 1, 0];

impl Via {
    /// Whether a reading may start with this form away from the text's start.
    pub(super) fn starts_anywhere(self) -> bool {
        self < Via::Minor
    }
}

/// One unit a name denotes, with its subtree's end (the pre-order interval
/// check needs no other read).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) unit: u32,
    pub(super) sub_end: u32,
    /// The [`Via`] in the top 3 bits, the old name's index (or all ones) below.
    tag: u32,
}

/// The old-name index of an entry that is no old name.
const NO_OLD: u32 = (1 << 29) - 1;

/// Old names an [`AddressResolver`] can hold (the index has 29 bits).
const MAX_OLD_NAMES: usize = NO_OLD as usize;

impl Entry {
    pub(super) fn new(unit: u32, sub_end: u32, via: Via, old: u32) -> Entry {
        Entry {
            unit,
            sub_end,
            tag: (via as u32) << 29 | old.min(NO_OLD),
        }
    }

    pub(super) fn via(&self) -> Via {
        VIAS[(self.tag >> 29) as usize]
    }

    pub(super) fn quality(&self) -> i32 {
        QUALITY[(self.tag >> 29) as usize]
    }

    /// The packed form and old-name index.
    pub(super) fn tag(&self) -> u32 {
        self.tag
    }

    pub(super) fn old(&self) -> u32 {
        self.tag & NO_OLD
    }
}

/// A pattern of the automaton: the units its name denotes, the first one
/// inline (most names denote one unit: one cache line per match).
#[derive(Debug, Clone, Copy)]
pub(super) struct Pat {
    /// The entry when `count == 1`. Else `entry.unit` indexes `entries`,
    /// where the pattern's entries that may start a reading anywhere come
    /// first, `entry.sub_end` of them, then those (minor short forms) that
    /// only continue one or start at the text's start; each part sorted by
    /// unit.
    pub(super) entry: Entry,
    /// How many units the name denotes.
    pub(super) count: u32,
    /// Whether the name may start a reading of a unit above the scoped
    /// level (see [`Dictionary::scoped`]) away from the text's start.
    pub(super) upper: bool,
    /// Whether the name is some unit's full name or a generic name: written
    /// in full (see `Explicit`), unless a longer match holds it.
    pub(super) written: bool,
    /// Whether one of the units has units below it (a reading may go on
    /// inside it).
    pub(super) inner: bool,
    /// The name's characters (the text is read as the names are written,
    /// one character for one).
    pub(super) chars: u32,
}

impl Pat {
    /// How many of the units may start a reading anywhere (the name's
    /// entries are not read to tell).
    pub(super) fn starters(&self) -> u32 {
        match self.count {
            1 => self.entry.via().starts_anywhere() as u32,
            _ => self.entry.sub_end,
        }
    }

    /// The name's one unit, as [`AddressResolver::split`] gives it, if it
    /// denotes one.
    pub(super) fn one(&self) -> Option<(&[Entry], &[Entry])> {
        (self.count == 1)
            .then(|| std::slice::from_ref(&self.entry).split_at(self.starters() as usize))
    }
}

/// Whether no reading of `e`'s unit need go through a match because the
/// longer match from the same start, whose name has the units `longer`
/// (as [`AddressResolver::split`] gives them), names it too and may start
/// a reading wherever this one may (湖北省 for 湖北): a reading through
/// that one covers more and goes on the same ways.
pub(super) fn covered(e: &Entry, longer: (&[Entry], &[Entry])) -> bool {
    let has = |l: &[Entry]| l.binary_search_by_key(&e.unit, |x| x.unit).is_ok();
    has(longer.0) || (!e.via().starts_anywhere() && has(longer.1))
}

/// A set of characters: a bit for each of the Basic Multilingual Plane
/// (where names are written), the few beyond it listed.
#[derive(Debug, Default)]
pub(super) struct CharSet {
    bmp: Box<[u64]>,
    /// Sorted.
    rest: Box<[char]>,
}

impl CharSet {
    fn new(chars: impl Iterator<Item = char>) -> CharSet {
        let mut bmp = vec![0u64; 0x1_0000 / 64];
        let mut rest = Vec::new();
        for c in chars {
            let n = c as usize;
            match bmp.get_mut(n / 64) {
                Some(w) => *w |= 1 << (n % 64),
                None => rest.push(c),
            }
        }
        rest.sort_unstable();
        rest.dedup();
        CharSet {
            bmp: bmp.into_boxed_slice(),
            rest: rest.into_boxed_slice(),
        }
    }

    #[inline]
    pub(super) fn contains(&self, c: char) -> bool {
        let n = c as usize;
        match self.bmp.get(n / 64) {
            Some(w) => w >> (n % 64) & 1 == 1,
            None => self.rest.binary_search(&c).is_ok(),
        }
    }

    /// The characters, in order.
    fn iter(&self) -> impl Iterator<Item = char> + '_ {
        let bmp = self.bmp.iter().enumerate().flat_map(|(i, &w)| {
            (0..64)
                .filter(move |k| w >> k & 1 == 1)
                .filter_map(move |k| char::from_u32((i * 64 + k) as u32))
        });
        bmp.chain(self.rest.iter().copied())
    }
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
    ///
    /// The names come grouped in the order of their hashes (equal names
    /// side by side is all that is asked of the order): comparing two
    /// hashes costs less than comparing two names, and names compare only
    /// where their hashes are equal, which is mostly where the names are.
    fn build(buf: &str, recs: Vec<(u32, u32, Entry)>) -> Grouped {
        let s = |r: &(u32, u32, Entry)| &buf[r.0 as usize..r.1 as usize];
        let mut keyed: Vec<(u64, (u32, u32, Entry))> = recs
            .into_iter()
            .map(|r| (hash_bytes(s(&r).as_bytes()), r))
            .collect();
        keyed.sort_unstable_by(|(hx, x), (hy, y)| {
            hx.cmp(hy)
                .then_with(|| s(x).cmp(s(y)))
                .then(x.2.unit.cmp(&y.2.unit))
                .then(x.2.tag.cmp(&y.2.tag))
        });
        keyed.dedup_by(|(hx, x), (hy, y)| hx == hy && x.2.unit == y.2.unit && s(x) == s(y));
        let mut g = Grouped::default();
        for (i, (h, r)) in keyed.iter().enumerate() {
            if i == 0 || *h != keyed[i - 1].0 || s(r) != s(&keyed[i - 1].1) {
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

/// The table of deep names: the names and forms of units at the profile's
/// [deep rank](crate::Profile::deep_rank) or deeper (China's villages).
pub(super) struct Deep {
    names: StrTable,
    index: HashIndex,
    /// Each name's characters.
    pub(super) chars: Box<[u16]>,
    start: Box<[u32]>,
    entries: Box<[Entry]>,
    /// Every character a deep name ends in, sorted.
    pub(super) last: Box<[char]>,
}

impl Deep {
    /// From the records of deep names in `buf` (see [`Grouped::build`]).
    fn build(buf: &str, recs: Vec<(u32, u32, Entry)>) -> Deep {
        let g = Grouped::build(buf, recs);
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
    }

    /// The deep name `s`, if it is one.
    pub(super) fn find(&self, s: &str) -> Option<u32> {
        self.index
            .find(s.as_bytes(), |i| self.names.get(i).as_bytes())
    }

    /// The units deep name `name` denotes, sorted by unit id (pre-order).
    pub(super) fn entries(&self, name: u32) -> &[Entry] {
        &self.entries[self.start[name as usize] as usize..self.start[name as usize + 1] as usize]
    }
}

/// What a resolver knows of its hierarchy's names: built once per
/// hierarchy ([`Hierarchy::addresses`]) and kept with it, or by an
/// [`AddressResolverBuilder`] with extra old names.
pub(crate) struct Dictionary {
    /// Over the names (ASCII in lower case), with the units each denotes.
    pub(super) ac: CharwiseDoubleArrayAhoCorasick<Pat>,
    /// Every character of a name: none of them is a separator.
    pub(super) name_chars: CharSet,
    /// Characters the profile folds that names are written with (乾 in
    /// 乾安县, which OpenCC folds to 干): the text keeps them as written.
    /// Sorted.
    pub(super) keep: Box<[char]>,
    /// How many patterns the automaton holds.
    pub(super) patterns: usize,
    /// Entries of the patterns that denote several units.
    pub(super) entries: Box<[Entry]>,
    pub(super) deep: Option<Deep>,
    pub(super) old: Vec<OldName>,
    /// Units of the scoped level (the level just above the profile's deep
    /// level; China: townships), one bit each: in a text that names a unit
    /// above them, they are read only inside a unit read before.
    pub(super) scoped: Box<[u64]>,
    /// The profile's street words (路, 街), ASCII in lower case, each with
    /// the labels of the schema's kinds that are longer and start with it
    /// (街道 for 街): where one of those begins, the word is no street
    /// word (湖州街道 is not 湖州街).
    /// Sorted by their first characters (first in each entry).
    pub(super) street: Vec<(char, String, Vec<String>)>,
    /// The first characters of the street words.
    street_first: CharSet,
    /// Characters of the Basic Multilingual Plane the text is folded at:
    /// those the profile folds to another character of the same length
    /// that names are not written with (see `keep`). The fold is asked
    /// only for them, and for characters past that plane.
    pub(super) folds: CharSet,
}

impl Dictionary {
    /// Whether `unit` is of the scoped level.
    #[inline]
    pub(super) fn is_scoped(&self, unit: u32) -> bool {
        self.scoped
            .get(unit as usize / 64)
            .is_some_and(|w| w >> (unit % 64) & 1 == 1)
    }

    /// Whether a street word starts at `rest`, whose first character is `c`.
    #[inline]
    pub(super) fn street_at(&self, c: char, rest: &str) -> bool {
        self.street_first.contains(c) && self.street_follows(rest)
    }

    /// Whether `rest` starts with a street word.
    fn street_follows(&self, rest: &str) -> bool {
        let Some(c) = rest.chars().next() else {
            return false;
        };
        let from = self.street.partition_point(|(f, _, _)| *f < c);
        self.street[from..]
            .iter()
            .take_while(|(f, _, _)| *f == c)
            .any(|(_, w, longer)| {
                rest.starts_with(w.as_str()) && !longer.iter().any(|k| rest.starts_with(k.as_str()))
            })
    }

    /// The character the text is read as: the profile's fold where it
    /// keeps the length (so that byte offsets hold) and the character is
    /// not one names are written with (乾 in 乾安县 stays 乾, although OpenCC
    /// folds it to 干), then ASCII in lower case.
    #[inline]
    pub(super) fn read_as(&self, c: char, profile: &dyn crate::Profile) -> char {
        let c = if c as u32 > 0xFFFF || self.folds.contains(c) {
            fold_kept(profile, &self.keep, c)
        } else {
            c
        };
        c.to_ascii_lowercase()
    }
}

/// `profile`'s fold of `c` where it keeps the length and `c` is not in
/// `keep` (sorted), else `c`.
fn fold_kept(profile: &dyn crate::Profile, keep: &[char], c: char) -> char {
    match profile.fold(c) {
        f if f != c && f.len_utf8() == c.len_utf8() && keep.binary_search(&c).is_err() => f,
        _ => c,
    }
}

impl Dictionary {
    fn build(h: &Hierarchy, old: Vec<OldName>) -> Result<Dictionary, AddressError> {
        check_old_names(h, &old)?;
        let recs = Records::collect(h, &old);
        // Names match ASCII case-insensitively: the automaton holds them in
        // lower case (the byte offsets stay).
        let top = Grouped::build(&recs.buf.to_ascii_lowercase(), recs.top);
        let scoped = scoped_units(h);
        let (pats, entries) = patterns(&top, &scoped);
        // A double-array automaton over characters: one array read per
        // transition, failure links included, 12 bytes a state. The value
        // of a name is its units, read with the match (one cache miss, not
        // two).
        let ac = CharwiseDoubleArrayAhoCorasick::with_values(top.names.iter().zip(pats)).map_err(
            |e| AddressError::Automaton {
                message: e.to_string(),
            },
        )?;
        let name_chars = CharSet::new(top.names.iter().flat_map(|n| n.chars()));
        let mut keep: Vec<char> = name_chars
            .iter()
            .filter(|&c| h.profile().fold(c) != c)
            .collect();
        keep.sort_unstable();
        let deep = (!recs.deep.is_empty()).then(|| Deep::build(&recs.buf, recs.deep));
        let profile = h.profile();
        let kind_labels: Vec<String> = h
            .schema()
            .kinds()
            .iter()
            .map(|k| k.label().to_ascii_lowercase())
            .filter(|l| !l.is_empty())
            .collect();
        let mut street: Vec<(char, String, Vec<String>)> = profile
            .street_words()
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut longer: Vec<String> = kind_labels
                    .iter()
                    .filter(|k| k.len() > w.len() && k.starts_with(w.as_str()))
                    .cloned()
                    .collect();
                longer.sort_unstable();
                longer.dedup();
                (w.chars().next().unwrap_or_default(), w, longer)
            })
            .collect();
        street.sort_unstable_by_key(|s| s.0);
        let street_first = CharSet::new(street.iter().map(|s| s.0));
        // Every character of the plane is asked once, here, not per text.
        let folds = CharSet::new(
            (0..0x1_0000u32)
                .filter_map(char::from_u32)
                .filter(|&c| fold_kept(profile, &keep, c) != c),
        );
        Ok(Dictionary {
            ac,
            name_chars,
            keep: keep.into_boxed_slice(),
            patterns: top.names.len(),
            entries: entries.into_boxed_slice(),
            deep,
            old,
            scoped,
            street,
            street_first,
            folds,
        })
    }
}

/// The units of the scoped level, one bit each: the level just above the
/// profile's deep rank (none without one).
fn scoped_units(h: &Hierarchy) -> Box<[u64]> {
    let mut bits = vec![0u64; h.len().div_ceil(64)];
    if let Some(rank) = h.profile().deep_rank().and_then(|d| d.checked_sub(1)) {
        for id in 1..h.len() as u32 {
            if h.kind_def(id).level().rank() == rank {
                bits[id as usize / 64] |= 1 << (id % 64);
            }
        }
    }
    bits.into_boxed_slice()
}

/// Whether every old name can be indexed: not too many, none blank, each
/// naming units of the hierarchy.
fn check_old_names(h: &Hierarchy, old: &[OldName]) -> Result<(), AddressError> {
    if old.len() > MAX_OLD_NAMES {
        return Err(AddressError::TooManyOldNames { count: old.len() });
    }
    for o in old {
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
    Ok(())
}

/// Every `(name, entry)` of the dictionary, the names back to back in one
/// buffer, to be sorted: no allocation per name.
#[derive(Default)]
struct Records {
    buf: String,
    /// Names of units above the deep rank, and old names: for the automaton.
    top: Vec<(u32, u32, Entry)>,
    /// Names of units at the deep rank or below: for the deep table.
    deep: Vec<(u32, u32, Entry)>,
    /// The profile's generic names: their entries are [`Via::Generic`].
    generic: std::collections::HashSet<String>,
}

impl Records {
    /// The names of every unit but the root (full name, then the profile's
    /// short forms), then the old names with their short forms.
    fn collect(h: &Hierarchy, old: &[OldName]) -> Records {
        let profile = h.profile();
        let deep_rank = profile.deep_rank().unwrap_or(u8::MAX);
        let mut forms: Vec<ShortForm<'_>> = Vec::new();
        let mut r = Records {
            generic: profile
                .generic_names()
                .iter()
                .map(|g| g.to_string())
                .collect(),
            ..Records::default()
        };
        for id in 1..h.len() as u32 {
            let kind = h.kind_def(id);
            let is_deep = kind.level().rank() >= deep_rank;
            let name = h.name_str(id);
            let entry = |via| Entry::new(id, h.end[id as usize], via, NO_OLD);
            // A name that repeats its parent's in front (济源市沁园街道,
            // 唐山市汉沽管理区) is written without it too, and the parent
            // before it as the writer likes (济源沁园街道), when what is
            // left is a name of its own: one the profile writes a short
            // form of (沁园街道: 沁园), not a kind word (芒市镇: 镇) nor an
            // everyday one (敦化市林业局: 林业局).
            let parent = h.parent[id as usize];
            let own = (parent != NONE && parent != 0)
                .then(|| name.strip_prefix(h.name_str(parent)))
                .flatten()
                .filter(|rest| {
                    forms.clear();
                    profile.short_forms(rest, kind, &mut forms);
                    forms.iter().any(|f| f.stem.chars().nth(1).is_some())
                });
            for name in std::iter::once(name).chain(own) {
                r.push([name, ""], entry(Via::Full), is_deep);
                forms.clear();
                profile.short_forms(name, kind, &mut forms);
                for f in &forms {
                    let via = match f.strength {
                        FormStrength::Tail => Via::Tail,
                        FormStrength::Major => Via::Major,
                        FormStrength::Minor => Via::Minor,
                    };
                    r.push([f.stem, f.tail], entry(via), is_deep);
                }
            }
        }
        for (i, o) in old.iter().enumerate() {
            let name = o.name.trim();
            // A unit split in several that one of them carries the name of
            // on (水城县 → 水城区, with a part to 钟山区; 达县 → 达川区 and
            // 通川区): the name reads first as the one whose name begins
            // like it most, as a weaker old form as the others.
            let alike = |u: &UnitId| {
                name.chars()
                    .zip(h.name_str(u.get()).chars())
                    .take_while(|(a, b)| a == b)
                    .count()
            };
            let most = o.units.iter().map(alike).max().unwrap_or(0);
            let named: Vec<bool> = o
                .units
                .iter()
                .map(|u| most > 0 && alike(u) == most)
                .collect();
            let some = named.iter().any(|&n| n) && !named.iter().all(|&n| n);
            for (&u, &is_namesake) in o.units.iter().zip(&named) {
                let entry = |via| Entry::new(u.get(), h.end[u.index()], via, i as u32);
                let full = if some && !is_namesake {
                    Via::OldShort
                } else {
                    Via::OldFull
                };
                r.push([name, ""], entry(full), false);
                forms.clear();
                profile.short_forms(name, h.kind_def(u.get()), &mut forms);
                for f in &forms {
                    r.push([f.stem, f.tail], entry(Via::OldShort), false);
                }
            }
        }
        r
    }

    /// Appends the name `parts[0]` followed by `parts[1]`, denoting `entry`.
    fn push(&mut self, parts: [&str; 2], mut entry: Entry, is_deep: bool) {
        let a = self.buf.len() as u32;
        // Names are indexed as written: the text is folded to them, but for
        // the characters names are written with (`Dictionary::keep`).
        self.buf.push_str(parts[0]);
        self.buf.push_str(parts[1]);
        if !is_deep && self.generic.contains(&self.buf[a as usize..]) {
            entry = Entry::new(entry.unit, entry.sub_end, Via::Generic, entry.old());
        }
        let recs = if is_deep {
            &mut self.deep
        } else {
            &mut self.top
        };
        recs.push((a, self.buf.len() as u32, entry));
    }
}

/// The automaton's value for each name of `top`, and the entries of the
/// names that denote several units (see [`Pat`]).
fn patterns(top: &Grouped, scoped: &[u64]) -> (Vec<Pat>, Vec<Entry>) {
    let is_scoped = |u: u32| scoped[u as usize / 64] >> (u % 64) & 1 == 1;
    let mut entries = Vec::new();
    let mut pats = Vec::with_capacity(top.names.len());
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
        let upper = es
            .iter()
            .any(|e| e.via().starts_anywhere() && !is_scoped(e.unit));
        pats.push(Pat {
            entry,
            count: es.len() as u32,
            upper,
            written: es
                .iter()
                .any(|e| matches!(e.via(), Via::Full | Via::Generic)),
            inner: es.iter().any(|e| e.sub_end > e.unit + 1),
            chars: top.names[p].chars().count() as u32,
        });
    }
    (pats, entries)
}

impl Hierarchy {
    /// The address reader of this hierarchy: free text to units (see the
    /// [`address`](crate::address) module). Its dictionary, with the
    /// former names the profile knows
    /// ([`Successions::old_names`](crate::Successions::old_names)), is built
    /// on the first call and kept: later calls, from any thread, share it (building it
    /// takes far longer than resolving a text; see BENCHMARKS.md in the
    /// repository).
    ///
    /// # Errors
    ///
    /// [`AddressError::Automaton`] when the names exceed the automaton's
    /// limits (its states are numbered in 32 bits; not reachable with real
    /// data), or an [`AddressError`] for a former name the profile gives
    /// that cannot be indexed. The error is kept too: later calls
    /// return it again.
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

/// The former names the hierarchy's profile knows (its successions).
fn profile_old_names(h: &Hierarchy) -> Vec<OldName> {
    h.successions().map_or_else(Vec::new, |s| s.old_names(h))
}

/// Builds an [`AddressResolver`] with extra name sources: old names beyond
/// those the hierarchy's profile knows.
///
/// # Examples
///
/// ```
/// use xzqh::address::{AddressResolver, OldName};
/// let h = xzqh::china();
/// let xiantao = h.by_code("429004").unwrap().id();
/// let addresses = AddressResolver::builder(h)
///     .old_names([OldName::new("沔阳县", [xiantao], "renamed 仙桃市 in 1986")])
///     .build()?;
/// let r = addresses.resolve("沔阳县郑场镇");
/// assert_eq!(r.unit().unwrap().code(), "429004100");
/// assert_eq!(addresses.old_names().last().unwrap().note, "renamed 仙桃市 in 1986");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AddressResolverBuilder<'h> {
    h: &'h Hierarchy,
    old: Vec<OldName>,
}

impl<'h> AddressResolverBuilder<'h> {
    /// A builder for `h` with no extra old name.
    pub(super) fn new(h: &'h Hierarchy) -> Self {
        AddressResolverBuilder { h, old: Vec::new() }
    }

    /// Adds one old name.
    ///
    /// # Examples
    ///
    /// A hierarchy of another country, built without a profile (names as
    /// written):
    ///
    /// ```
    /// use std::sync::Arc;
    /// use xzqh::address::{AddressResolver, OldName};
    /// use xzqh::{Hierarchy, Role, Schema};
    /// let schema = Arc::new(Schema::builder("ru").level("country").level("city")
    ///     .kind("country", "Country", "country", Role::Government)
    ///     .kind("city", "City", "city", Role::Government).build()?);
    /// let h = Hierarchy::builder(schema)
    ///     .unit("RU", "Russia", "country", None)
    ///     .unit("RU-SPE", "Saint Petersburg", "city", Some("RU"))
    ///     .build()?;
    /// let spb = h.by_code("RU-SPE").unwrap().id();
    /// let addresses = AddressResolver::builder(&h)
    ///     .old_name(OldName::new("Leningrad", [spb], "1924-1991"))
    ///     .build()?;
    /// let r = addresses.resolve("Leningrad, Nevsky prospekt 28");
    /// assert_eq!(r.unit().unwrap().code(), "RU-SPE");
    /// assert_eq!(r.remainder(), "Nevsky prospekt 28");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn old_name(mut self, old: OldName) -> Self {
        self.old.push(old);
        self
    }

    /// Adds old names, e.g. from another source than the profile.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use xzqh::address::{AddressResolver, OldName};
    /// use xzqh::{Hierarchy, Role, Schema};
    /// let schema = Arc::new(Schema::builder("ru").level("country").level("city")
    ///     .kind("country", "Country", "country", Role::Government)
    ///     .kind("city", "City", "city", Role::Government).build()?);
    /// let h = Hierarchy::builder(schema)
    ///     .unit("RU", "Russia", "country", None)
    ///     .unit("RU-SPE", "Saint Petersburg", "city", Some("RU"))
    ///     .build()?;
    /// let spb = h.by_code("RU-SPE").unwrap().id();
    /// let addresses = AddressResolver::builder(&h)
    ///     .old_names([
    ///         OldName::new("Petrograd", [spb], "1914-1924"),
    ///         OldName::new("Leningrad", [spb], "1924-1991"),
    ///     ])
    ///     .build()?;
    /// assert_eq!(addresses.old_names().len(), 2); // the plain profile knows none
    /// assert_eq!(addresses.resolve("petrograd").unit().unwrap().code(), "RU-SPE");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn old_names(mut self, old: impl IntoIterator<Item = OldName>) -> Self {
        self.old.extend(old);
        self
    }

    /// Builds the resolver: a dictionary of its own, with the profile's old
    /// names and then those given here.
    ///
    /// # Errors
    ///
    /// [`AddressError::UnknownUnit`] if an old name points to a unit id the
    /// hierarchy lacks, [`AddressError::EmptyOldName`] if an old name is
    /// blank or names no unit, [`AddressError::TooManyOldNames`] past 2^29 − 1
    /// old names, [`AddressError::Automaton`] past the automaton's limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::{AddressError, AddressResolver, OldName};
    /// let h = xzqh::china();
    /// let err = AddressResolver::builder(h).old_name(OldName::new(" ", [h.root().id()], "")).build();
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
