//! Routing policy as plain data: categories, competences, the severity
//! ladder, scale thresholds and role rules, with their TOML and JSON
//! loaders. Names are checked against a hierarchy later, by
//! [`CompiledPolicy::compile`](crate::routing::CompiledPolicy::compile).

use std::fmt;

#[cfg(feature = "serde")]
use crate::exchange::load::{excerpt_chars, json_message};
#[cfg(feature = "serde")]
use crate::routing::compiled::PolicyError;

/// A routing policy as plain data, the form it takes in a TOML or JSON file.
///
/// Names refer to the hierarchy's [`Schema`](crate::Schema): kinds, levels
/// and designations by their machine names, units by code. [`Router::new`]
/// (via [`CompiledPolicy::compile`]) checks every name and reports the first
/// wrong one with its field path.
///
/// [`Router::new`]: crate::routing::Router::new
/// [`CompiledPolicy::compile`]: crate::routing::CompiledPolicy::compile
///
/// # Examples
///
/// ```
/// use xzqh::routing::{CategoryDef, CompetenceDef, Policy};
/// let mut p = Policy::new("mine");
/// p.competences.push(CompetenceDef::new("legislation").kinds(["province"]));
/// p.categories.push(CategoryDef::new("law").competences(["legislation"]));
/// let h = xzqh::china();
/// let compiled = xzqh::routing::CompiledPolicy::compile(p, h)?;
/// assert_eq!(compiled.name(), "mine");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Policy {
    /// The policy's name, recorded in every decision.
    pub name: String,
    /// Roles that may handle a case by default (`government`, `agency`,
    /// `self_governing`, `functional`). Default: government and agency.
    #[cfg_attr(feature = "serde", serde(default = "default_roles"))]
    pub roles: Vec<String>,
    /// Powers a unit may hold, and who holds them.
    #[cfg_attr(feature = "serde", serde(default))]
    pub competences: Vec<CompetenceDef>,
    /// The severity ladder, from the least to the most severe grade; each
    /// grade's minimum level must be at or above the previous one's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub severities: Vec<SeverityDef>,
    /// People-affected thresholds, ascending; each raises the minimum level.
    #[cfg_attr(feature = "serde", serde(default))]
    pub scale: Vec<ScaleDef>,
    /// The case categories.
    #[cfg_attr(feature = "serde", serde(default))]
    pub categories: Vec<CategoryDef>,
}

#[cfg(feature = "serde")]
fn default_roles() -> Vec<String> {
    vec!["government".into(), "agency".into()]
}

impl Policy {
    /// An empty policy whose default roles are government and agency.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = xzqh::routing::Policy::new("empty");
    /// assert_eq!(p.roles, ["government", "agency"]);
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Policy {
            name: name.into(),
            roles: vec!["government".into(), "agency".into()],
            competences: Vec::new(),
            severities: Vec::new(),
            scale: Vec::new(),
            categories: Vec::new(),
        }
    }

    /// Parses a policy from JSON (checked against a hierarchy later, by
    /// [`Router::new`](crate::routing::Router::new) or
    /// [`CompiledPolicy::compile`](crate::routing::CompiledPolicy::compile))
    /// within the default [`PolicyLimits`].
    ///
    /// # Errors
    ///
    /// [`PolicyError::Parse`] for malformed JSON, a missing `name`, a wrong
    /// type or an unknown field, with the line and column; the limits'
    /// errors (see [`from_json_with`](Self::from_json_with)).
    ///
    /// # Examples
    ///
    /// ```
    /// let p = xzqh::routing::Policy::from_json(r#"{"name": "tiny", "categories": [{"name": "any"}]}"#)?;
    /// assert_eq!(p.categories[0].name, "any");
    /// let err = xzqh::routing::Policy::from_json(r#"{"name": "x", "colour": 1}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("cannot parse the policy: unknown field `colour`"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_json_with(text, &PolicyLimits::default())
    }

    /// Parses a policy from JSON within `limits`: the size, the nesting and
    /// the number of tokens are checked in one pass over the text before
    /// the parser sees it.
    ///
    /// # Errors
    ///
    /// [`PolicyError::TooLarge`], [`PolicyError::TooDeep`],
    /// [`PolicyError::TooManyTokens`], then [`PolicyError::Parse`] as
    /// [`from_json`](Self::from_json).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Policy, PolicyLimits};
    /// let limits = PolicyLimits::default().with_max_depth(2);
    /// let err = Policy::from_json_with(r#"{"name": "x", "roles": [[]]}"#, &limits).unwrap_err();
    /// assert_eq!(err.to_string(), "line 1: the policy nests deeper than 2");
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_json_with(text: &str, limits: &PolicyLimits) -> Result<Policy, PolicyError> {
        limits.scan(text, Syntax::Json)?;
        serde_json::from_str(text).map_err(|e| PolicyError::Parse {
            message: json_message(&e),
        })
    }

    /// Parses a policy from TOML (checked against a hierarchy later) within
    /// the default [`PolicyLimits`].
    ///
    /// # Errors
    ///
    /// [`PolicyError::Parse`] for malformed TOML, a missing `name`, a wrong
    /// type or an unknown field, with the line and column; the limits'
    /// errors (see [`from_toml_with`](Self::from_toml_with)).
    ///
    /// # Examples
    ///
    /// ```
    /// let text = "name = \"tiny\"\n[[categories]]\nname = \"any\"\nmin_level = \"county\"\n";
    /// let p = xzqh::routing::Policy::from_toml(text)?;
    /// assert_eq!(p.categories[0].min_level.as_deref(), Some("county"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_toml_with(text, &PolicyLimits::default())
    }

    /// Parses a policy from TOML within `limits`. The TOML parser has no
    /// nesting limit of its own, so the nesting (arrays, inline tables and
    /// dotted keys), the size and the number of tokens are checked in one
    /// pass over the text before the parser sees it.
    ///
    /// # Errors
    ///
    /// [`PolicyError::TooLarge`], [`PolicyError::TooDeep`],
    /// [`PolicyError::TooManyTokens`], then [`PolicyError::Parse`] as
    /// [`from_toml`](Self::from_toml).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Policy, PolicyError, PolicyLimits};
    /// let bomb = "name = \"x\"\nroles = ".to_owned() + &"[".repeat(10_000);
    /// let err = Policy::from_toml(&bomb).unwrap_err();
    /// assert_eq!(err, PolicyError::TooDeep { line: 2, max: 16 });
    /// let limits = PolicyLimits::default().with_max_tokens(8);
    /// let err = Policy::from_toml_with("name = \"x\"\nroles = [\"agency\", \"functional\"]", &limits).unwrap_err();
    /// assert_eq!(err.to_string(), "line 2: the policy has more than 8 tokens");
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_toml_with(text: &str, limits: &PolicyLimits) -> Result<Policy, PolicyError> {
        limits.scan(text, Syntax::Toml)?;
        toml::from_str(text).map_err(|e| PolicyError::Parse {
            message: bounded(e.to_string().trim_end()),
        })
    }
}

/// A parser's message with each line cut to a bounded excerpt (TOML's
/// messages echo the line of input at fault), and at most 16 lines.
#[cfg(feature = "serde")]
fn bounded(message: &str) -> String {
    let mut out = String::new();
    for (i, line) in message.lines().take(16).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&excerpt_chars(line, 160));
    }
    out
}

/// Limits a policy file is held to before it is parsed, so that a hostile
/// file fails fast, in memory bounded by its size.
///
/// Real policies are a few kilobytes, nest three deep and hold a few
/// hundred values; the defaults leave ample room. The fields are public;
/// the `with_*` methods set one and return the limits.
///
/// # Examples
///
/// ```
/// let limits = xzqh::routing::PolicyLimits::default().with_max_bytes(1 << 16);
/// assert_eq!(limits.max_bytes, 1 << 16);
/// assert_eq!(limits.max_depth, 16);
/// assert_eq!(limits.max_tokens, 4_096);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyLimits {
    /// Largest file in bytes (default 64 KiB; China's default policy is
    /// 1.8 kB, and the TOML parser holds up to ten times the text).
    pub max_bytes: usize,
    /// Deepest nesting of arrays, tables and dotted keys (default 16).
    pub max_depth: usize,
    /// Most tokens: strings, comments, runs of spaces and separators count
    /// one, line ends four, brackets, braces and what the parser rejects
    /// eight (default 4,096; China's default policy as TOML has about
    /// 1,230). The TOML parser holds about 50 bytes per token, more
    /// per table, line and error.
    pub max_tokens: usize,
}

impl Default for PolicyLimits {
    fn default() -> Self {
        PolicyLimits {
            max_bytes: 64 << 10,
            max_depth: 16,
            max_tokens: 4_096,
        }
    }
}

/// The syntax [`PolicyLimits::scan`] reads.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Json,
    Toml,
}

impl PolicyLimits {
    /// Sets the largest file in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::PolicyLimits::default().with_max_bytes(9).max_bytes, 9);
    /// ```
    pub fn with_max_bytes(mut self, max: usize) -> Self {
        self.max_bytes = max;
        self
    }

    /// Sets the deepest nesting.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::PolicyLimits::default().with_max_depth(4).max_depth, 4);
    /// ```
    pub fn with_max_depth(mut self, max: usize) -> Self {
        self.max_depth = max;
        self
    }

    /// Sets the most tokens.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::PolicyLimits::default().with_max_tokens(9).max_tokens, 9);
    /// ```
    pub fn with_max_tokens(mut self, max: usize) -> Self {
        self.max_tokens = max;
        self
    }

    /// Checks the size, then reads the text once. Outside strings and
    /// comments each `[` or `{` opens a level, and in TOML each `.` adds
    /// one until the end of its key or value (dotted keys nest tables); a
    /// float counts one level too much. Tokens: each string, comment, run of
    /// spaces, `,`, `=` and `.` counts one (words between them are at most
    /// as many again); each line end four; each `[` and `{` (even inside a
    /// string), each other punctuation byte and each string cut by a line
    /// end eight.
    #[cfg(feature = "serde")]
    fn scan(&self, text: &str, syntax: Syntax) -> Result<(), PolicyError> {
        if text.len() > self.max_bytes {
            return Err(PolicyError::TooLarge {
                size: text.len(),
                max: self.max_bytes,
            });
        }
        // What a table, an array or a parse error costs, in tokens.
        const HEAVY: usize = 8;
        // What a line costs, in tokens.
        const LINE: usize = 4;
        let toml = syntax == Syntax::Toml;
        let b = text.as_bytes();
        let (mut depth, mut dots, mut tokens, mut line) = (0usize, 0usize, 0usize, 1u64);
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            i += 1;
            match c {
                b'\n' => {
                    line += 1;
                    dots = 0;
                    // A line the parser rejects costs it a record.
                    tokens += LINE - 1;
                }
                b' ' | b'\t' | b'\r' => {
                    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r') {
                        i += 1;
                    }
                }
                b'"' | b'\'' if toml || c == b'"' => {
                    let triple = toml && b[i..].starts_with(&[c, c]);
                    if triple {
                        i += 2;
                    }
                    // To the closing quote(s), past escapes in basic strings.
                    // An unclosed string is the parser's error, and the
                    // parser may read what follows differently: brackets
                    // inside a string weigh as much as outside (they do not
                    // nest), and so does a line end or a control character
                    // that cuts a string (what follows is read as tokens).
                    while i < b.len() {
                        let d = b[i];
                        i += 1;
                        if d == b'\n' {
                            line += 1;
                            if !triple {
                                tokens += HEAVY;
                                break;
                            }
                        } else if d == b'\\' && c == b'"' {
                            i += 1;
                        } else if d == c && (!triple || b[i..].starts_with(&[c, c])) {
                            if triple {
                                i += 2;
                            }
                            break;
                        } else if d == b'[' || d == b'{' {
                            tokens += HEAVY;
                        } else if d == b' ' {
                            // Were the string misread, each word a token.
                            tokens += 1;
                        } else if (d < b' ' && d != b'\t' && d != b'\r') || d == 0x7F {
                            // A control character ends the string for the
                            // parser, which reads on from it as tokens.
                            tokens += HEAVY;
                            break;
                        }
                    }
                }
                b'#' if toml => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    // Tables and arrays cost the parser most.
                    tokens += HEAVY - 1;
                }
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    dots = 0;
                }
                b',' | b'=' => dots = 0,
                b'.' if toml => dots += 1,
                b'_' | b'-' | b'+' | b':' => continue,
                c if c.is_ascii_alphanumeric() || !c.is_ascii() => continue,
                // Any other byte is an error the parser records.
                _ => tokens += HEAVY - 1,
            }
            tokens += 1;
            if depth + dots > self.max_depth {
                return Err(PolicyError::TooDeep {
                    line,
                    max: self.max_depth,
                });
            }
            if tokens > self.max_tokens {
                return Err(PolicyError::TooManyTokens {
                    line,
                    max: self.max_tokens,
                });
            }
        }
        Ok(())
    }
}

/// A power (e.g. local legislation) and the units that hold it: by kind, by
/// designation, or by name (code).
///
/// # Examples
///
/// ```
/// let c = xzqh::routing::CompetenceDef::new("local_legislation")
///     .kinds(["province"]).designations(["local_legislation"]).units(["4604"]);
/// assert_eq!(c.units, ["4604"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CompetenceDef {
    /// The competence's name.
    pub name: String,
    /// Kinds whose every unit holds it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub kinds: Vec<String>,
    /// Designations whose every unit holds it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub designations: Vec<String>,
    /// Codes of units granted it one by one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub units: Vec<String>,
}

fn strings<const N: usize>(items: [&str; N]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl CompetenceDef {
    /// A competence held by no one yet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::routing::CompetenceDef::new("x").kinds.is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        CompetenceDef {
            name: name.into(),
            kinds: Vec::new(),
            designations: Vec::new(),
            units: Vec::new(),
        }
    }

    /// Adds kinds that hold it.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::CompetenceDef::new("x").kinds(["county"]).kinds, ["county"]);
    /// ```
    pub fn kinds<const N: usize>(mut self, kinds: [&str; N]) -> Self {
        self.kinds.extend(strings(kinds));
        self
    }

    /// Adds designations that hold it.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::routing::CompetenceDef::new("x").designations(["sub_provincial"]);
    /// assert_eq!(c.designations, ["sub_provincial"]);
    /// ```
    pub fn designations<const N: usize>(mut self, designations: [&str; N]) -> Self {
        self.designations.extend(strings(designations));
        self
    }

    /// Adds units (by code) that hold it.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::CompetenceDef::new("x").units(["4419"]).units, ["4419"]);
    /// ```
    pub fn units<const N: usize>(mut self, units: [&str; N]) -> Self {
        self.units.extend(strings(units));
        self
    }
}

/// One grade of the severity ladder.
///
/// # Examples
///
/// ```
/// let s = xzqh::routing::SeverityDef::new("major", "prefectural");
/// assert_eq!(s.min_level, "prefectural");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct SeverityDef {
    /// The grade's name, as cases give it.
    pub name: String,
    /// The lowest level that may handle a case of this grade.
    pub min_level: String,
}

impl SeverityDef {
    /// A grade and its minimum level.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::SeverityDef::new("general", "county").name, "general");
    /// ```
    pub fn new(name: impl Into<String>, min_level: impl Into<String>) -> Self {
        SeverityDef {
            name: name.into(),
            min_level: min_level.into(),
        }
    }
}

/// A scale threshold: cases affecting at least `people` people go at least
/// to `min_level`.
///
/// # Examples
///
/// ```
/// let s = xzqh::routing::ScaleDef::new(10_000, "prefectural");
/// assert_eq!(s.people, 10_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ScaleDef {
    /// The threshold (people affected).
    pub people: u64,
    /// The lowest level that may handle a case at or above the threshold.
    pub min_level: String,
}

impl ScaleDef {
    /// A threshold and its minimum level.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::ScaleDef::new(5, "county").min_level, "county");
    /// ```
    pub fn new(people: u64, min_level: impl Into<String>) -> Self {
        ScaleDef {
            people,
            min_level: min_level.into(),
        }
    }
}

/// A case category: its minimum level, the competences it needs, and the
/// roles beyond the policy's defaults that may handle it.
///
/// # Examples
///
/// ```
/// use xzqh::routing::CategoryDef;
/// let c = CategoryDef::new("neighbour_dispute").min_level("village").roles(["self_governing"]);
/// assert_eq!(c.min_level.as_deref(), Some("village"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CategoryDef {
    /// The category's name, as cases give it.
    pub name: String,
    /// A human label (e.g. 邻里纠纷).
    #[cfg_attr(feature = "serde", serde(default))]
    pub label: String,
    /// The lowest level that may handle it (none: any level).
    #[cfg_attr(feature = "serde", serde(default))]
    pub min_level: Option<String>,
    /// Competences the handler must hold, all of them.
    #[cfg_attr(feature = "serde", serde(default))]
    pub competences: Vec<String>,
    /// Roles allowed for this category in addition to the policy's defaults.
    #[cfg_attr(feature = "serde", serde(default))]
    pub roles: Vec<String>,
}

impl CategoryDef {
    /// A category with no constraint.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::routing::CategoryDef::new("x").competences.is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        CategoryDef {
            name: name.into(),
            label: String::new(),
            min_level: None,
            competences: Vec::new(),
            roles: Vec::new(),
        }
    }

    /// Sets the label.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::routing::CategoryDef::new("x").label("甲").label, "甲");
    /// ```
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the minimum level (a level name of the schema).
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::routing::CategoryDef::new("x").min_level("county");
    /// assert_eq!(c.min_level.as_deref(), Some("county"));
    /// ```
    pub fn min_level(mut self, level: impl Into<String>) -> Self {
        self.min_level = Some(level.into());
        self
    }

    /// Adds required competences.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::routing::CategoryDef::new("x").competences(["a", "b"]);
    /// assert_eq!(c.competences.len(), 2);
    /// ```
    pub fn competences<const N: usize>(mut self, names: [&str; N]) -> Self {
        self.competences.extend(strings(names));
        self
    }

    /// Adds roles allowed beyond the policy's defaults.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = xzqh::routing::CategoryDef::new("x").roles(["functional"]);
    /// assert_eq!(c.roles, ["functional"]);
    /// ```
    pub fn roles<const N: usize>(mut self, roles: [&str; N]) -> Self {
        self.roles.extend(strings(roles));
        self
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "policy {} ({} categories, {} competences, {} severity grades)",
            self.name,
            self.categories.len(),
            self.competences.len(),
            self.severities.len()
        )
    }
}
