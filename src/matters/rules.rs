//! The rules that raise a matter beyond what its places demand: bursts,
//! repetition and deadlines, as plain data checked against a routing policy.

use thiserror::Error;

use crate::exchange::load::excerpt;
use crate::matters::calendar::{Calendar, WorkCalendar};
use crate::routing::CompiledPolicy;

/// Rules that are not valid, or name a category or severity grade the
/// routing policy lacks. `field` is the path in the rules file.
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Ledger, MatterRules, Burst};
/// use xzqh::routing::Router;
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut rules = MatterRules::new("bad");
/// rules.burst = Some(Burst { cases: 1, within_hours: 24, up_to: None });
/// let err = Ledger::new(&router, rules).unwrap_err();
/// assert_eq!(err.to_string(), "burst.cases: 1 is out of range 2..=100000");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RulesError {
    /// A category the routing policy does not define.
    #[error("{field}: unknown category `{name}`")]
    UnknownCategory {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A severity grade the routing policy does not define.
    #[error("{field}: unknown severity `{name}`")]
    UnknownSeverity {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A level name the hierarchy's schema does not have.
    #[error("{field}: unknown level `{name}`")]
    UnknownLevel {
        /// Where.
        field: String,
        /// The name.
        name: String,
    },
    /// A number outside its range.
    #[error("{field}: {value} is out of range {min}..={max}")]
    Range {
        /// Where.
        field: String,
        /// The value given.
        value: u64,
        /// The least allowed.
        min: u64,
        /// The most allowed.
        max: u64,
    },
    /// Two deadline rules for the same category and severity.
    #[error("{field}: a deadline rule for the same category and severity comes before")]
    Duplicate {
        /// Where.
        field: String,
    },
    /// A list or value longer than the limit.
    #[error("{field}: more than {max}")]
    Limit {
        /// Where.
        field: String,
        /// The limit.
        max: u64,
    },
    /// A calendar day that is not a valid date.
    #[error("{field}: `{text}` is not `YYYY-MM-DD holiday|workday`")]
    Calendar {
        /// Where.
        field: String,
        /// The text (bounded excerpt).
        text: String,
    },
    /// The file could not be parsed.
    #[error("cannot parse the rules: {message}")]
    Parse {
        /// The parser's message.
        message: String,
    },
}

/// The most deadline rules one rule set may hold.
const MAX_DEADLINES: usize = 4096;
/// The most cases a burst may count.
const MAX_BURST: u64 = 100_000;
/// The longest window or deadline in hours (ten years).
const MAX_HOURS: u64 = 87_600;
/// The longest deadline in working days (ten years).
const MAX_WORKING_DAYS: u64 = 2_500;
/// The most reopenings the repetition rule may wait for.
const MAX_REOPENS: u64 = 1_000;
/// The longest tolerated step back in time (one day).
const MAX_TOLERANCE: u64 = 86_400;

/// The rules of a [`Ledger`](crate::matters::Ledger), as plain data (the
/// form of a TOML or JSON file with the `serde` feature).
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Burst, MatterRules};
/// let mut rules = MatterRules::new("mine");
/// rules.burst = Some(Burst { cases: 10, within_hours: 24, up_to: None });
/// assert_eq!(rules.name, "mine");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct MatterRules {
    /// The rule set's name.
    pub name: String,
    /// How far (seconds) an event may be dated before the ledger's clock
    /// and still be taken, as happening now; further back is an error.
    #[cfg_attr(feature = "serde", serde(default))]
    pub tolerance_seconds: u32,
    /// Many cases in a short window raise the matter one tier.
    #[cfg_attr(feature = "serde", serde(default))]
    pub burst: Option<Burst>,
    /// Bursts for the matters of one category (by category name), in
    /// place of `burst` for them: a matter's category is that of its first
    /// case. A category may need a quicker signal (a few calls about one
    /// emergency within an hour) or a slower one than the default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub category_bursts: std::collections::BTreeMap<String, Burst>,
    /// How long a place keeps counting for spread; with none, every place
    /// of the matter's open life counts.
    #[cfg_attr(feature = "serde", serde(default))]
    pub spread: Option<Spread>,
    /// A case reopened again and again goes to the tier above.
    #[cfg_attr(feature = "serde", serde(default))]
    pub repetition: Option<Repetition>,
    /// Time limits per category and severity; an expired one raises the
    /// matter one tier.
    #[cfg_attr(feature = "serde", serde(default))]
    pub deadlines: Vec<Deadline>,
    /// The calendar working days are counted in.
    #[cfg_attr(feature = "serde", serde(default))]
    pub calendar: Calendar,
}

/// A burst: `cases` cases of one matter within `within_hours` hours.
///
/// # Examples
///
/// ```
/// let b = xzqh::matters::Burst { cases: 10, within_hours: 24, up_to: None };
/// assert_eq!(b.cases, 10);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Burst {
    /// How many cases (2 or more).
    pub cases: u32,
    /// Within how many hours.
    pub within_hours: u32,
    /// The highest level a burst may raise a matter to (a level name of
    /// the hierarchy's schema), or no ceiling. A burst says a crowd is
    /// forming: the level that coordinates must see it, not the State.
    #[cfg_attr(feature = "serde", serde(default))]
    pub up_to: Option<String>,
}

/// The spread window: a place counts for spread while a case of the
/// matter touched it within the last `within_hours` hours. When a case
/// arrives, the matter's start is the common ancestor of the places seen
/// within the window, and the handler must cover them: two counties within
/// a week take a matter to the city, two counties a month apart do not.
///
/// Handlers never go down a tier on their own: while the handler covers
/// the places in the window it stays or rises as without a window; when
/// the matter turns up outside the handler's area after its old places
/// aged out, it moves to the first unit covering the places in the window
/// that may handle it and stands at the handler's tier or above (a
/// transfer, recorded as [`Rule::Spread`](crate::matters::Rule::Spread)).
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Arrival, Ledger, MatterRules, Spread};
/// use xzqh::routing::{Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut rules = MatterRules::new("week");
/// rules.spread = Some(Spread { within_hours: 7 * 24 });
/// let mut ledger = Ledger::new(&router, rules)?;
/// let (a, b) = ([Place::Code("110105")], [Place::Code("110118")]);
/// let day = 86_400;
/// ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
/// // Ten days later, in another district: 朝阳区's case has aged out.
/// ledger.arrive(Arrival::new("c2", "m", "petition", &b, 10 * day))?;
/// assert_eq!(ledger.matter("m").unwrap().handler().name(), "密云区");
/// // Two days later, back in 朝阳区: two districts within a week.
/// ledger.arrive(Arrival::new("c3", "m", "petition", &a, 12 * day))?;
/// assert_eq!(ledger.matter("m").unwrap().handler().name(), "北京市");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Spread {
    /// How many hours a place keeps counting (1 or more).
    pub within_hours: u32,
}

/// Repetition: a case reopened `reopens` times goes to the tier above
/// (supervision).
///
/// # Examples
///
/// ```
/// let r = xzqh::matters::Repetition { reopens: 2 };
/// assert_eq!(r.reopens, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Repetition {
    /// After how many reopenings (1 or more).
    pub reopens: u32,
}

/// A time limit, in hours or in working days of the rules' calendar.
///
/// # Examples
///
/// ```
/// use xzqh::matters::Within;
/// assert_ne!(Within::Hours(24), Within::WorkingDays(1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Within {
    /// Clock hours.
    Hours(u32),
    /// Working days: due at the end of the nth working day after the day
    /// the case arrived (or was reopened).
    WorkingDays(u32),
}

/// Deadlines for the cases of one category and severity grade. A rule
/// without a category applies to every category, one without a severity
/// to every grade; the most specific rule applies (category and grade,
/// then category, then grade, then neither).
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Deadline, Within};
/// let d = Deadline::new()
///     .category("public_complaint")
///     .accept_within(Within::WorkingDays(1))
///     .resolve_within(Within::WorkingDays(5));
/// assert_eq!(d.category.as_deref(), Some("public_complaint"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Deadline {
    /// The category, or every category.
    #[cfg_attr(feature = "serde", serde(default))]
    pub category: Option<String>,
    /// The severity grade, or every grade (and ungraded cases).
    #[cfg_attr(feature = "serde", serde(default))]
    pub severity: Option<String>,
    /// Sign for the case within.
    #[cfg_attr(feature = "serde", serde(default))]
    pub accept_within: Option<Within>,
    /// Resolve it within (from arrival, or from reopening).
    #[cfg_attr(feature = "serde", serde(default))]
    pub resolve_within: Option<Within>,
}

impl Deadline {
    /// A rule for every category and grade, with no limit yet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::matters::Deadline::new().accept_within.is_none());
    /// ```
    pub fn new() -> Self {
        Deadline::default()
    }

    /// Restricts the rule to one category.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = xzqh::matters::Deadline::new().category("petition");
    /// assert_eq!(d.category.as_deref(), Some("petition"));
    /// ```
    pub fn category(mut self, name: impl Into<String>) -> Self {
        self.category = Some(name.into());
        self
    }

    /// Restricts the rule to one severity grade.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = xzqh::matters::Deadline::new().severity("major");
    /// assert_eq!(d.severity.as_deref(), Some("major"));
    /// ```
    pub fn severity(mut self, name: impl Into<String>) -> Self {
        self.severity = Some(name.into());
        self
    }

    /// Sets the time to accept.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Deadline, Within};
    /// let d = Deadline::new().accept_within(Within::Hours(2));
    /// assert_eq!(d.accept_within, Some(Within::Hours(2)));
    /// ```
    pub fn accept_within(mut self, within: Within) -> Self {
        self.accept_within = Some(within);
        self
    }

    /// Sets the time to resolve.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Deadline, Within};
    /// let d = Deadline::new().resolve_within(Within::WorkingDays(5));
    /// assert_eq!(d.resolve_within, Some(Within::WorkingDays(5)));
    /// ```
    pub fn resolve_within(mut self, within: Within) -> Self {
        self.resolve_within = Some(within);
        self
    }
}

impl MatterRules {
    /// Rules with no burst, repetition or deadline, weekends off at UTC.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::matters::MatterRules::new("none");
    /// assert!(r.deadlines.is_empty() && r.burst.is_none());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        MatterRules {
            name: name.into(),
            tolerance_seconds: 0,
            burst: None,
            category_bursts: std::collections::BTreeMap::new(),
            spread: None,
            repetition: None,
            deadlines: Vec::new(),
            calendar: Calendar::default(),
        }
    }

    /// Parses rules from JSON.
    ///
    /// # Errors
    ///
    /// [`RulesError::Parse`] for malformed JSON or an unknown field.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::matters::MatterRules::from_json(r#"{"name": "x", "repetition": {"reopens": 2}}"#)?;
    /// assert_eq!(r.repetition.unwrap().reopens, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str) -> Result<MatterRules, RulesError> {
        serde_json::from_str(text).map_err(|e| RulesError::Parse {
            message: e.to_string(),
        })
    }

    /// Parses rules from TOML.
    ///
    /// # Errors
    ///
    /// [`RulesError::Parse`] for malformed TOML or an unknown field.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = xzqh::matters::MatterRules::from_toml(
    ///     "name = \"x\"\n[[deadlines]]\naccept_within = { working_days = 1 }\n",
    /// )?;
    /// assert_eq!(r.deadlines.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_toml(text: &str) -> Result<MatterRules, RulesError> {
        toml::from_str(text).map_err(|e| RulesError::Parse {
            message: e.to_string().trim_end().to_owned(),
        })
    }

    /// Checks the rules against a routing policy and compiles them.
    pub(crate) fn compile(
        &self,
        policy: &CompiledPolicy,
        schema: &crate::Schema,
    ) -> Result<Compiled, RulesError> {
        let range = |field: &str, value: u64, min: u64, max: u64| {
            if value < min || value > max {
                Err(RulesError::Range {
                    field: field.to_owned(),
                    value,
                    min,
                    max,
                })
            } else {
                Ok(())
            }
        };
        range(
            "tolerance_seconds",
            self.tolerance_seconds.into(),
            0,
            MAX_TOLERANCE,
        )?;
        let burst = |field: &str, b: &Burst| -> Result<CompiledBurst, RulesError> {
            range(&format!("{field}.cases"), b.cases.into(), 2, MAX_BURST)?;
            let hours = format!("{field}.within_hours");
            range(&hours, b.within_hours.into(), 1, MAX_HOURS)?;
            let ceiling = match &b.up_to {
                Some(name) => Some(
                    schema
                        .level_id(name)
                        .ok_or_else(|| RulesError::UnknownLevel {
                            field: format!("{field}.up_to"),
                            name: excerpt(name),
                        })?
                        .rank(),
                ),
                None => None,
            };
            Ok(CompiledBurst {
                cases: b.cases,
                within_hours: b.within_hours,
                ceiling,
            })
        };
        let default = self.burst.as_ref().map(|b| burst("burst", b)).transpose()?;
        let mut bursts = vec![default; policy.categories.len()];
        if self.category_bursts.len() > policy.categories.len() {
            return Err(RulesError::Limit {
                field: "category_bursts".into(),
                max: policy.categories.len() as u64,
            });
        }
        for (name, b) in &self.category_bursts {
            let field = format!("category_bursts.{}", excerpt(name));
            let c = policy
                .category(name)
                .ok_or_else(|| RulesError::UnknownCategory {
                    field: "category_bursts".into(),
                    name: excerpt(name),
                })?;
            bursts[c] = Some(burst(&field, b)?);
        }
        if let Some(w) = self.spread {
            range("spread.within_hours", w.within_hours.into(), 1, MAX_HOURS)?;
        }
        if let Some(r) = self.repetition {
            range("repetition.reopens", r.reopens.into(), 1, MAX_REOPENS)?;
        }
        if self.deadlines.len() > MAX_DEADLINES {
            return Err(RulesError::Limit {
                field: "deadlines".into(),
                max: MAX_DEADLINES as u64,
            });
        }
        let (ncat, nsev) = (policy.categories.len(), policy.severities.len());
        // Slot (category or ncat for any) x (grade, nsev for ungraded, nsev+1 for any).
        let mut table: Vec<Option<u32>> = vec![None; (ncat + 1) * (nsev + 2)];
        for (i, d) in self.deadlines.iter().enumerate() {
            let c = match &d.category {
                Some(name) => policy
                    .category(name)
                    .ok_or_else(|| RulesError::UnknownCategory {
                        field: format!("deadlines[{i}].category"),
                        name: excerpt(name),
                    })?,
                None => ncat,
            };
            let s = match &d.severity {
                Some(name) => policy
                    .severity(name)
                    .ok_or_else(|| RulesError::UnknownSeverity {
                        field: format!("deadlines[{i}].severity"),
                        name: excerpt(name),
                    })?,
                None => nsev + 1,
            };
            for (part, w) in [
                ("accept_within", d.accept_within),
                ("resolve_within", d.resolve_within),
            ] {
                let field = format!("deadlines[{i}].{part}");
                match w {
                    Some(Within::Hours(n)) => range(&field, n.into(), 1, MAX_HOURS)?,
                    Some(Within::WorkingDays(n)) => range(&field, n.into(), 1, MAX_WORKING_DAYS)?,
                    None => {}
                }
            }
            let slot = &mut table[c * (nsev + 2) + s];
            if slot.is_some() {
                return Err(RulesError::Duplicate {
                    field: format!("deadlines[{i}]"),
                });
            }
            *slot = Some(i as u32);
        }
        // Each category and grade's rule, most specific first, looked up
        // once here rather than on every arrival.
        let w = nsev + 2;
        let table = (0..ncat)
            .flat_map(|c| (0..=nsev).map(move |g| (c, g)))
            .map(|(c, g)| {
                [(c, g), (c, nsev + 1), (ncat, g), (ncat, nsev + 1)]
                    .into_iter()
                    .find_map(|(c, s)| table[c * w + s])
            })
            .collect();
        let categories = policy
            .categories
            .iter()
            .enumerate()
            // The first of equal names wins, as in the policy's own lookup.
            .rev()
            .map(|(i, c)| (c.name.as_str().into(), i))
            .collect();
        Ok(Compiled {
            categories,
            tolerance: self.tolerance_seconds.into(),
            bursts,
            spread: self.spread.map(|w| i64::from(w.within_hours) * 3600),
            repetition: self.repetition,
            table,
            nsev,
            calendar: self.calendar.compile()?,
        })
    }
}

/// Rules compiled against a policy: a deadline table indexed by category
/// and grade.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// The policy's categories by name: read on every arrival, a hash
    /// rather than a scan of the names.
    categories: hashbrown::HashMap<Box<str>, usize>,
    pub(crate) tolerance: i64,
    /// The burst rule of each category's matters.
    pub(crate) bursts: Vec<Option<CompiledBurst>>,
    /// The spread window in seconds.
    pub(crate) spread: Option<i64>,
    pub(crate) repetition: Option<Repetition>,
    /// The deadline rule of category c and grade g (`nsev` for ungraded)
    /// at c * (nsev + 1) + g.
    table: Vec<Option<u32>>,
    nsev: usize,
    pub(crate) calendar: WorkCalendar,
}

/// A burst rule, checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompiledBurst {
    pub(crate) cases: u32,
    pub(crate) within_hours: u32,
    /// The most senior level rank a burst may reach.
    pub(crate) ceiling: Option<u8>,
}

impl Compiled {
    /// The index of the policy's category `name`.
    #[inline]
    pub(crate) fn category(&self, name: &str) -> Option<usize> {
        self.categories.get(name).copied()
    }

    /// The deadline rule for a case of category `c` and grade `s`, most
    /// specific first.
    pub(crate) fn deadline<'r>(
        &self,
        rules: &'r MatterRules,
        c: usize,
        s: Option<usize>,
    ) -> Option<&'r Deadline> {
        let grade = s.unwrap_or(self.nsev);
        self.table[c * (self.nsev + 1) + grade].map(|i| &rules.deadlines[i as usize])
    }

    /// When a limit counted from `t` expires.
    pub(crate) fn due(&self, t: i64, within: Within) -> i64 {
        match within {
            Within::Hours(h) => t.saturating_add(i64::from(h) * 3600),
            Within::WorkingDays(n) => self.calendar.add_working_days(t, n),
        }
    }
}
