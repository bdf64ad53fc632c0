//! What a resolution hands out: the [`Resolution`] with its [`Outcome`],
//! [`Span`]s and [`Candidate`]s, how a span names its unit ([`Form`]), the
//! [`OldName`]s a resolver reads, and why building one fails
//! ([`AddressError`]).

use std::ops::Range;

use thiserror::Error;

use crate::model::hierarchy::UnitId;
use crate::model::unit::Unit;

/// A former name of today's units: 莱芜市 (merged into 济南 in 2019) for
/// 3701, 莱城区 for 370116. The resolver indexes it and its short forms (as
/// the hierarchy's [profile](crate::Profile::short_forms) writes them: 莱芜),
/// below every current name of the same length.
///
/// The hierarchy's profile gives its old names
/// ([`Successions::old_names`](crate::Successions::old_names));
/// [`AddressResolver::builder`](crate::address::AddressResolver::builder)
/// adds more.
///
/// # Examples
///
/// ```
/// use xzqh::address::{AddressResolver, OldName};
/// let h = xzqh::china();
/// let shenzhen = h.by_code("4403").unwrap().id();
/// let addresses = AddressResolver::builder(h)
///     .old_name(OldName::new("宝安县", [shenzhen], "深圳市 before 1979"))
///     .build()?;
/// assert_eq!(addresses.resolve("宝安县南山区").unit(), h.by_code("440305"));
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

/// Why an [`AddressResolver`](crate::address::AddressResolver) could not
/// be built.
///
/// # Examples
///
/// ```
/// use xzqh::address::{AddressError, AddressResolver, OldName};
/// let h = xzqh::china();
/// let err = AddressResolver::builder(h)
///     .old_name(OldName::new("莱芜市", [xzqh::UnitId::new(9_999_999)], ""))
///     .build()
///     .unwrap_err();
/// assert!(matches!(err, AddressError::UnknownUnit { .. }));
/// assert_eq!(
///     err.to_string(),
///     r#"old name "莱芜市" names unit #9999999, which is not in the hierarchy"#
/// );
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
/// use xzqh::address::Form;
/// let addresses = xzqh::china().addresses()?;
/// let r = addresses.resolve("深圳南山区");
/// let forms: Vec<_> = r.spans().iter().map(|s| s.form).collect();
/// assert_eq!(forms, [Form::Short, Form::Full]);
/// let r = addresses.resolve("山东省莱芜市");
/// let Form::Old { index } = r.spans()[1].form else { panic!("an old name") };
/// assert_eq!(addresses.old_names()[index].name, "莱芜市");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Form {
    /// The unit's full name (深圳市).
    Full,
    /// A short form, as the hierarchy's profile writes it
    /// ([`Profile::short_forms`](crate::Profile::short_forms); China's: 深圳,
    /// 黔东南州).
    Short,
    /// An old name or its short form; `index` is its position in
    /// [`AddressResolver::old_names`](crate::address::AddressResolver::old_names).
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
    /// The best reading leaves out a unit the text names in full (天河区 in
    /// 广州市天河区京溪街道, whose 京溪街道 NBS files under 白云区), or the
    /// text holds two addresses: the readings that disagree, the best
    /// first, then for each unit written in full that the best reading
    /// contradicts, the best reading through it (or the unit alone). None
    /// is picked.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::Outcome;
    /// let addresses = xzqh::china().addresses()?;
    /// let r = addresses.resolve("广东省深圳市宝安区西乡街道 寄 浙江省杭州市余杭区");
    /// let Outcome::Conflict(readings) = r.outcome() else { panic!("two addresses") };
    /// let codes: Vec<_> = readings.iter().map(|c| c.unit.code()).collect();
    /// assert_eq!(codes, ["440306018", "330110"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Conflict(Vec<Candidate<'a>>),
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
    pub(super) text: &'a str,
    pub(super) outcome: Outcome<'a>,
    pub(super) chain: Vec<Unit<'a>>,
    pub(super) spans: Vec<Span<'a>>,
    /// The remainder's byte range.
    pub(super) rest: Range<usize>,
    /// Readings that do not change the answer but a caller may want.
    pub(super) secondary: Vec<Candidate<'a>>,
    /// How many bytes of the text were read.
    pub(super) read: usize,
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
    /// // Two districts named 朝阳区, then the township 朝阳区街道 (a short form).
    /// assert_eq!(candidates.len(), 3);
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

    /// Readings beside the answer: when the text names a county and a
    /// township that the data files under a functional zone of the same
    /// prefecture (河北省石家庄市裕华区长江街道: NBS files 长江街道 under
    /// 石家庄高新技术产业开发区), the answer is the county written and the
    /// zone's township is a secondary reading, with its own chain. Empty
    /// otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china().addresses()?.resolve("河北省石家庄市裕华区长江街道翟营大街136号");
    /// assert_eq!(r.unit().unwrap().code(), "130108"); // 裕华区, as written
    /// let zone = &r.secondary()[0];
    /// assert_eq!(zone.unit.code(), "130171010");
    /// assert_eq!(zone.unit.parent().unwrap().code(), "130171");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn secondary(&self) -> &[Candidate<'a>] {
        &self.secondary
    }

    /// How many bytes of the text were read: all of it, unless it is
    /// longer than [`AddressResolver::MAX_TEXT_BYTES`](crate::address::AddressResolver::MAX_TEXT_BYTES)
    /// (no address is that long); then the text up to there, and the rest
    /// is left in the [remainder](Self::remainder).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::AddressResolver;
    /// let addresses = xzqh::china().addresses()?;
    /// let r = addresses.resolve("南山区粤海街道");
    /// assert!(!r.is_truncated());
    /// let long = format!("深圳市南山区{}", "很".repeat(AddressResolver::MAX_TEXT_BYTES));
    /// let r = addresses.resolve(&long);
    /// assert!(r.is_truncated() && r.read_len() <= AddressResolver::MAX_TEXT_BYTES);
    /// assert_eq!(r.unit().unwrap().code(), "440305");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_len(&self) -> usize {
        self.read
    }

    /// Whether the text was longer than the resolver reads (see
    /// [`read_len`](Self::read_len)).
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::china().addresses()?.resolve("南山区");
    /// assert!(!r.is_truncated());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_truncated(&self) -> bool {
        self.read < self.text.len()
    }

    /// The candidates, if ambiguous, or the readings, if in conflict
    /// (empty otherwise).
    ///
    /// # Examples
    ///
    /// ```
    /// let addresses = xzqh::china().addresses()?;
    /// assert_eq!(addresses.resolve("朝阳区").candidates().len(), 3);
    /// assert!(addresses.resolve("北京朝阳区").candidates().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn candidates(&self) -> &[Candidate<'a>] {
        match &self.outcome {
            Outcome::Ambiguous(c) | Outcome::Conflict(c) => c,
            _ => &[],
        }
    }

    /// Resolved: the unit and its ancestors, top-down, without the root
    /// (广东省, 深圳市, 南山区, 粤海街道 even when the text said
    /// 深圳南山粤海街道). Ambiguous or a conflict: the same for the
    /// candidates' lowest common ancestor (empty when that is the root).
    /// Not found: empty. So the chain is always its last unit's whole
    /// path below the root, and `chain().last()` is the unit it is about.
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
