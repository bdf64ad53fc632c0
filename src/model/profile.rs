//! Country profiles: how a country's people write names and codes, and what
//! its code history says. The engine knows no country; a hierarchy is built
//! with a [`Profile`] and every text and code lookup goes through it.
//!
//! A profile answers five questions, each with a neutral default so that a
//! hierarchy built without one ([`PlainProfile`]) reads names and codes
//! exactly as written:
//!
//! - **Short forms**: which shorter names people write for a unit's full
//!   name (深圳 for 深圳市), and how strongly each form denotes its unit
//!   ([`Profile::short_forms`]).
//! - **Words that are not names**: generic unit names that count only
//!   under a unit the text names (开发区, 城区), and words that turn the name
//!   before them into a street (路, 街) ([`Profile::generic_names`],
//!   [`Profile::street_words`]).
//! - **Codes**: other written forms of a code, mapped to the form the
//!   hierarchy keys units by (`110105000000` → `110105`)
//!   ([`Profile::normalize_code`]).
//! - **Deep levels**: the levels whose names repeat by the hundred
//!   (villages), looked up only inside a unit the text named before
//!   ([`Profile::deep_rank`]).
//! - **Succession**: what a code the hierarchy no longer has stands for
//!   today, and the former names of today's units
//!   ([`Profile::successions`], built once per hierarchy and cached).
//!
//! China's profile is `xzqh::china::profile()`.

use std::fmt;

use crate::address::OldName;
use crate::model::hierarchy::{Hierarchy, UnitId};

/// How strongly a short form denotes its unit, strongest first. The address
/// reader ranks readings by it; [`NameIndex`](crate::NameIndex) looks major
/// forms up before minor ones.
///
/// # Examples
///
/// ```
/// use xzqh::FormStrength::{Major, Minor, Tail};
/// assert!(Tail < Major && Major < Minor); // strongest first
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum FormStrength {
    /// A short form that keeps a kind word (黔东南州, 巍山县): hard to mistake
    /// for anything else.
    Tail,
    /// The short form of a unit of a level whose names rarely repeat
    /// (深圳, 南山; China: county level and above): it may start a reading
    /// anywhere in a text.
    Major,
    /// The short form of a lower unit (粤海 for 粤海街道): names of this kind
    /// repeat by the thousand, so it continues a reading or opens a text.
    Minor,
}

/// One short form of a name: `stem` (a part of the full name) followed by
/// `tail` (a kind word the profile adds back, or `""`).
///
/// # Examples
///
/// ```
/// use xzqh::{FormStrength, Profile, ShortForm};
/// let mut forms = Vec::new();
/// let kind = xzqh::china::schema().kind(xzqh::china::ChinaKind::AutonomousPrefecture.id()).unwrap().clone();
/// xzqh::china::profile().short_forms("延边朝鲜族自治州", &kind, &mut forms);
/// assert_eq!(forms[0], ShortForm::new("延边", FormStrength::Major));
/// assert_eq!(forms[1].to_string(), "延边州");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ShortForm<'a> {
    /// The part of the full name the form keeps.
    pub stem: &'a str,
    /// A kind word after the stem (`州`), or `""`.
    pub tail: &'static str,
    /// How strongly the form denotes its unit.
    pub strength: FormStrength,
}

impl<'a> ShortForm<'a> {
    /// A form of `stem` alone.
    ///
    /// # Examples
    ///
    /// ```
    /// let f = xzqh::ShortForm::new("深圳", xzqh::FormStrength::Major);
    /// assert_eq!(f.to_string(), "深圳");
    /// ```
    pub fn new(stem: &'a str, strength: FormStrength) -> Self {
        ShortForm {
            stem,
            tail: "",
            strength,
        }
    }

    /// A form of `stem` followed by the kind word `tail`.
    ///
    /// # Examples
    ///
    /// ```
    /// let f = xzqh::ShortForm::with_tail("延边", "州");
    /// assert_eq!((f.to_string().as_str(), f.strength), ("延边州", xzqh::FormStrength::Tail));
    /// ```
    pub fn with_tail(stem: &'a str, tail: &'static str) -> Self {
        ShortForm {
            stem,
            tail,
            strength: FormStrength::Tail,
        }
    }
}

impl fmt::Display for ShortForm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.stem)?;
        f.write_str(self.tail)
    }
}

/// A code rewritten by [`Profile::normalize_code`], held inline: codes are
/// short, and a lookup should not allocate.
///
/// # Examples
///
/// ```
/// let mut buf = xzqh::CodeBuf::new();
/// assert!(buf.push_str("1101") && buf.push_str("05"));
/// assert_eq!(buf.as_str(), "110105");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeBuf {
    len: u8,
    bytes: [u8; CodeBuf::CAPACITY],
}

impl CodeBuf {
    /// The most bytes a rewritten code may have.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buf = xzqh::CodeBuf::new();
    /// assert!(buf.push_str(&"1".repeat(xzqh::CodeBuf::CAPACITY)));
    /// assert!(!buf.push_str("1"));
    /// ```
    pub const CAPACITY: usize = 64;

    /// An empty buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::CodeBuf::new().as_str(), "");
    /// ```
    pub const fn new() -> Self {
        CodeBuf {
            len: 0,
            bytes: [0; CodeBuf::CAPACITY],
        }
    }

    /// Appends `s`, or returns `false` (and appends nothing) when it does not fit.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buf = xzqh::CodeBuf::new();
    /// assert!(!buf.push_str(&"9".repeat(65)));
    /// assert_eq!(buf.as_str(), "");
    /// ```
    pub fn push_str(&mut self, s: &str) -> bool {
        let at = self.len as usize;
        match self.bytes.get_mut(at..at + s.len()) {
            Some(room) => {
                room.copy_from_slice(s.as_bytes());
                self.len += s.len() as u8;
                true
            }
            None => false,
        }
    }

    /// Empties the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buf = xzqh::CodeBuf::new();
    /// buf.push_str("11");
    /// buf.clear();
    /// assert_eq!(buf.as_str(), "");
    /// ```
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The code written so far.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buf = xzqh::CodeBuf::new();
    /// buf.push_str("44");
    /// assert_eq!(buf.as_str(), "44");
    /// ```
    pub fn as_str(&self) -> &str {
        // Only whole `&str`s are ever appended.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
}

impl Default for CodeBuf {
    fn default() -> Self {
        CodeBuf::new()
    }
}

impl fmt::Debug for CodeBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeBuf({:?})", self.as_str())
    }
}

/// The number of a change in a profile's code history, as routing traces
/// record it ([`Successions::describe`] prints it).
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let history = h.successions().unwrap();
/// let mut units = Vec::new();
/// let change: xzqh::ChangeId = history.successors(h, "371200", &mut units).unwrap();
/// let mut text = String::new();
/// history.describe(change, &mut text)?;
/// assert!(!text.is_empty());
/// # Ok::<(), std::fmt::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangeId(pub u32);

/// A country profile: the country-specific rules the engine asks for. Every
/// method has a neutral default, so a profile implements only what its
/// country needs, and a hierarchy built without one ([`PlainProfile`])
/// reads names and codes exactly as written. A profile answers five
/// questions:
///
/// - **Short forms**: which shorter names people write for a unit's full
///   name (深圳 for 深圳市), and how strongly each form denotes its unit
///   ([`short_forms`](Self::short_forms)).
/// - **Words that are not names**: generic unit names that count only
///   under a unit the text names (开发区, 城区), and words that turn the name
///   before them into a street (路, 街) ([`generic_names`](Self::generic_names),
///   [`street_words`](Self::street_words)).
/// - **Codes**: other written forms of a code, mapped to the form the
///   hierarchy keys units by (`110105000000` → `110105`)
///   ([`normalize_code`](Self::normalize_code)).
/// - **Deep levels**: the levels whose names repeat by the hundred
///   (villages), looked up only inside a unit the text named before
///   ([`deep_rank`](Self::deep_rank)).
/// - **Succession**: what a code the hierarchy no longer has stands for
///   today, and the former names of today's units
///   ([`successions`](Self::successions), built once per hierarchy and
///   cached by [`Hierarchy::successions`]).
///
/// A profile is given to a hierarchy when it is built
/// ([`HierarchyBuilder::profile`](crate::HierarchyBuilder::profile)) and
/// shared by everything built on that hierarchy: its address reader, name
/// index, router and history.
///
/// # Examples
///
/// A profile for a country whose people drop the word "County":
///
/// ```
/// use std::sync::Arc;
/// use xzqh::{FormStrength, Hierarchy, KindDef, Profile, Role, Schema, ShortForm};
///
/// #[derive(Debug)]
/// struct Counties;
/// impl Profile for Counties {
///     fn name(&self) -> &str { "counties" }
///     fn short_forms<'n>(&self, name: &'n str, _: &KindDef, out: &mut Vec<ShortForm<'n>>) {
///         if let Some(stem) = name.strip_suffix(" County") {
///             out.push(ShortForm::new(stem, FormStrength::Major));
///         }
///     }
/// }
///
/// let schema = Arc::new(Schema::builder("us").level("state").level("county")
///     .kind("state", "State", "state", Role::Government)
///     .kind("county", "County", "county", Role::Government).build()?);
/// let h = Hierarchy::builder(schema)
///     .profile(Arc::new(Counties))
///     .unit("36", "New York", "state", None)
///     .unit("36047", "Kings County", "county", Some("36"))
///     .build()?;
/// assert_eq!(h.names().lookup("Kings")?.code(), "36047");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Profile: fmt::Debug + Send + Sync + 'static {
    /// A short machine name (`china`), recorded in snapshots so that a
    /// snapshot is loaded with the profile it was saved with.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Profile;
    /// assert_eq!(xzqh::china::profile().name(), "china");
    /// assert_eq!(xzqh::PlainProfile.name(), "plain");
    /// ```
    fn name(&self) -> &str;

    /// Pushes the short forms people write for `name`, a unit of `kind`,
    /// each with its [`FormStrength`] (which may depend on the kind's
    /// level). The default has none.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{china::ChinaKind, FormStrength, Profile, ShortForm};
    /// let schema = xzqh::china::schema();
    /// let city = schema.kind(ChinaKind::PrefectureCity.id()).unwrap();
    /// let mut forms = Vec::new();
    /// xzqh::china::profile().short_forms("深圳市", city, &mut forms);
    /// assert_eq!(forms, [ShortForm::new("深圳", FormStrength::Major)]);
    /// forms.clear();
    /// xzqh::PlainProfile.short_forms("深圳市", city, &mut forms);
    /// assert!(forms.is_empty());
    /// ```
    fn short_forms<'n>(&self, name: &'n str, kind: &crate::KindDef, out: &mut Vec<ShortForm<'n>>) {
        let _ = (name, kind, out);
    }

    /// Units at this level rank or below are *deep*: their names repeat by
    /// the hundred, so text reading looks them up only inside a unit named
    /// before them. The default has no deep level.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Profile;
    /// // China's villages (rank 5) are deep.
    /// assert_eq!(xzqh::china::profile().deep_rank(), Some(xzqh::china::VILLAGE.rank()));
    /// assert_eq!(xzqh::PlainProfile.deep_rank(), None);
    /// ```
    fn deep_rank(&self) -> Option<u8> {
        None
    }

    /// Names that denote a unit only under a unit the text names: generic
    /// words that many units bear (开发区, 城区, 西区). The default has none.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Profile;
    /// assert!(xzqh::PlainProfile.generic_names().is_empty());
    /// ```
    fn generic_names(&self) -> &[&str] {
        &[]
    }

    /// Words that, written right after a name, make it part of a street or
    /// place name rather than a unit (路, 街, 大道). The default has none.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Profile;
    /// assert!(xzqh::PlainProfile.street_words().is_empty());
    /// ```
    fn street_words(&self) -> &[&str] {
        &[]
    }

    /// Folds one character of free text before names are matched (for
    /// example a traditional character to its simplified form). The default
    /// keeps it. Names in the hierarchy are matched in folded form too.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Profile;
    /// assert_eq!(xzqh::PlainProfile.fold('區'), '區');
    /// ```
    fn fold(&self, c: char) -> char {
        c
    }

    /// Writes into `out` the form the hierarchy keys units by for `code`
    /// written in another form (`110105000000` → `110105`), and returns
    /// whether it did. [`Hierarchy::by_code`] asks only when the code as
    /// written names no unit. The default knows no other form.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{CodeBuf, Profile};
    /// let mut out = CodeBuf::new();
    /// assert!(xzqh::china::profile().normalize_code("110105000000", &mut out));
    /// assert_eq!(out.as_str(), "110105");
    /// assert!(!xzqh::PlainProfile.normalize_code("110105000000", &mut CodeBuf::new()));
    /// ```
    fn normalize_code(&self, code: &str, out: &mut CodeBuf) -> bool {
        let _ = (code, out);
        false
    }

    /// The code history bound to `hierarchy`, if the profile has one. Called
    /// once per hierarchy, on first use; the result is cached by the
    /// hierarchy ([`Hierarchy::successions`]), through which callers use it.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::Profile;
    /// let h = xzqh::china();
    /// assert!(xzqh::china::profile().successions(h).is_some());
    /// assert!(xzqh::PlainProfile.successions(h).is_none());
    /// ```
    fn successions(&self, hierarchy: &Hierarchy) -> Option<Box<dyn Successions>> {
        let _ = hierarchy;
        None
    }
}

/// A profile's code history, bound to one hierarchy: what superseded codes
/// stand for today, and the former names of today's units.
///
/// Built by [`Profile::successions`] and cached by the hierarchy; the
/// hierarchy passed to each method is the one it was built for.
///
/// # Examples
///
/// 莱芜市 (371200) was merged into 济南市:
///
/// ```
/// let h = xzqh::china();
/// let history = h.successions().expect("China's profile has a code history");
/// let mut units = Vec::new();
/// assert!(history.successors(h, "371200", &mut units).is_some());
/// assert_eq!(h.get(units[0]).unwrap().name(), "济南市");
/// assert!(history.successors(h, "110105", &mut units).is_none()); // current
/// ```
pub trait Successions: fmt::Debug + Send + Sync {
    /// Pushes the units a code the hierarchy no longer has stands for today
    /// (several after a split: its old area is their union) and returns the
    /// last change followed; `None` when the history does not know the code
    /// as superseded.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let history = h.successions().unwrap();
    /// let mut units = Vec::new();
    /// assert!(history.successors(h, "371200", &mut units).is_some());
    /// assert_eq!(h.get(units[0]).unwrap().code(), "3701");
    /// ```
    fn successors(
        &self,
        hierarchy: &Hierarchy,
        code: &str,
        out: &mut Vec<UnitId>,
    ) -> Option<ChangeId>;

    /// Writes a change in words (`2018-12-26 merge: 371200 莱芜市 → 370100
    /// 济南市 (国函〔2018〕163号)`: the date, the change, the units and the
    /// approval), for traces.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let history = h.successions().unwrap();
    /// let change = history.successors(h, "371200", &mut Vec::new()).unwrap();
    /// let mut text = String::new();
    /// history.describe(change, &mut text)?;
    /// assert_eq!(text, "2018-12-26 merge: 371200 莱芜市 → 370100 济南市 (国函〔2018〕163号)");
    /// # Ok::<(), std::fmt::Error>(())
    /// ```
    fn describe(&self, change: ChangeId, out: &mut dyn fmt::Write) -> fmt::Result;

    /// Former names of today's units, each with the units that cover its old
    /// area, for reading text (莱芜市 for today's 济南市).
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let old = h.successions().unwrap().old_names(h);
    /// let laiwu = old.iter().find(|o| o.name == "莱芜市").unwrap();
    /// assert_eq!(h.get(laiwu.units[0]).unwrap().name(), "济南市");
    /// ```
    fn old_names(&self, hierarchy: &Hierarchy) -> Vec<OldName>;
}

/// The profile of a hierarchy built without one: names and codes exactly as
/// written, no short forms, no history.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use xzqh::{Hierarchy, PlainProfile, Profile, Role, Schema};
/// let schema = Arc::new(Schema::builder("x").level("top")
///     .kind("root", "Root", "top", Role::Government).build()?);
/// let h = Hierarchy::builder(schema).unit("0", "Root", "root", None).build()?;
/// assert_eq!(h.profile().name(), PlainProfile.name());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PlainProfile;

impl Profile for PlainProfile {
    fn name(&self) -> &str {
        "plain"
    }
}
