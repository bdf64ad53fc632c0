//! What every loader shares: the limits it enforces on untrusted input and
//! the error it returns.
//!
//! Loaders (CSV import, JSON and binary snapshots) read files that services
//! did not build. They check sizes against [`LoadLimits`] before they
//! allocate anything from a count in the input, and they hand what they read
//! to the same validation as [`HierarchyBuilder::build`](crate::HierarchyBuilder::build),
//! so whatever loads is a valid hierarchy.

use std::error::Error as StdError;

use thiserror::Error;

use std::sync::Arc;

use crate::model::builder::{BuildError, BuildLimits};
use crate::model::profile::Profile;
use crate::model::schema::SchemaError;

/// How to load a hierarchy: the [`LoadLimits`] to enforce on the input and
/// the [`Profile`] to build it with.
///
/// The fields are public; the `with_*` methods set one and return the
/// options, for chaining (as [`LoadLimits`] does).
///
/// A snapshot records the name of the profile its hierarchy had; loading
/// it with a profile of another name is an error
/// ([`LoadError::ProfileMismatch`]), so a China snapshot never loads
/// silently without China's short forms and codes.
///
/// # Examples
///
/// ```
/// # #[cfg(feature = "serde")] {
/// let bytes = xzqh::china().to_snapshot();
/// let options = xzqh::LoadOptions::default().with_profile(xzqh::china::profile());
/// let h = xzqh::Hierarchy::from_snapshot_with(&bytes, &options)?;
/// assert_eq!(h.by_code("110105000000").unwrap().name(), "朝阳区");
/// let err = xzqh::Hierarchy::from_snapshot(&bytes).unwrap_err();
/// assert_eq!(err.to_string(), "the input was saved with profile `china`; load it with that profile, not `plain`");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadOptions {
    /// The limits checked while reading.
    pub limits: LoadLimits,
    /// The profile the hierarchy is built with (default:
    /// [`PlainProfile`](crate::PlainProfile)).
    pub profile: Arc<dyn Profile>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            limits: LoadLimits::default(),
            profile: crate::model::hierarchy::plain_profile(),
        }
    }
}

impl LoadOptions {
    /// Sets the limits.
    ///
    /// # Examples
    ///
    /// ```
    /// let o = xzqh::LoadOptions::default().with_limits(xzqh::LoadLimits::default().with_max_units(9));
    /// assert_eq!(o.limits.max_units, 9);
    /// ```
    pub fn with_limits(mut self, limits: LoadLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the profile.
    ///
    /// # Examples
    ///
    /// ```
    /// let o = xzqh::LoadOptions::default().with_profile(xzqh::china::profile());
    /// assert_eq!(o.profile.name(), "china");
    /// ```
    pub fn with_profile(mut self, profile: Arc<dyn Profile>) -> Self {
        self.profile = profile;
        self
    }

    /// Checks a recorded profile name against this one's.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn check_profile(&self, recorded: &str) -> Result<(), LoadError> {
        if recorded != self.profile.name() {
            return Err(LoadError::ProfileMismatch {
                recorded: crate::exchange::load::excerpt(recorded),
                given: self.profile.name().to_owned(),
            });
        }
        Ok(())
    }
}

/// At most this many characters of an input string go into an error
/// message, with the input's length when it is longer.
pub(crate) const EXCERPT_CHARS: usize = 64;

/// `s` cut to [`EXCERPT_CHARS`] characters, with its length in bytes when
/// it was cut, for error messages that quote input.
pub(crate) fn excerpt(s: &str) -> String {
    excerpt_chars(s, EXCERPT_CHARS)
}

/// `s` cut to `max` characters, with its length in bytes when it was cut.
pub(crate) fn excerpt_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}… ({} bytes)", &s[..cut], s.len()),
        None => s.to_owned(),
    }
}

/// A parser's message, kept as the source of a [`LoadError`] once cut to
/// a bounded excerpt (a parser quotes the input it rejects in full).
#[cfg(feature = "serde")]
#[derive(Debug)]
pub(crate) struct ParserMessage(pub(crate) String);

#[cfg(feature = "serde")]
impl std::fmt::Display for ParserMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl StdError for ParserMessage {}

/// serde_json's message with what it quotes cut to an excerpt of 160
/// characters, and its position kept.
#[cfg(feature = "serde")]
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&at) {
        Some(m) => format!("{}{at}", excerpt_chars(m, 160)),
        None => excerpt_chars(&full, 160),
    }
}

/// A failure to load a hierarchy from CSV, JSON or a binary snapshot.
///
/// Messages are lowercase and name what to fix: the line of a CSV row, the
/// line and column or the path of a JSON value, the field of a snapshot.
/// Validation failures are the builder's [`BuildError`], shown as is.
///
/// # Examples
///
/// ```
/// use xzqh::{china::ChinaKind, CsvImport, LoadError};
/// let csv = "code,name,parent_code\n11,北京市,\n11,北京,\n";
/// let err = CsvImport::new(xzqh::china::schema())
///     .classify(|_| Some(ChinaKind::Municipality.id()))
///     .root("0", "中华人民共和国", ChinaKind::State)
///     .read("provinces.csv", csv.as_bytes())?
///     .finish()
///     .unwrap_err();
/// assert_eq!(err.to_string(), "provinces.csv line 3: duplicate code 11");
/// assert!(matches!(err, LoadError::CsvRow { line: 3, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The input is larger than [`LoadLimits::max_bytes`].
    #[error("input of {size} bytes exceeds the limit of {max} bytes")]
    InputTooLarge {
        /// The input's size in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The input has more of something than the limits allow.
    #[error("too many {what}: {count}, beyond the limit of {max}")]
    TooMany {
        /// `units`, `kinds`, ...
        what: &'static str,
        /// How many the input has (or claims).
        count: u64,
        /// The limit.
        max: usize,
    },
    /// The input was saved with another profile than the one it is loaded
    /// with (see [`LoadOptions`]).
    #[error(
        "the input was saved with profile `{recorded}`; load it with that profile, not `{given}`"
    )]
    ProfileMismatch {
        /// The profile name recorded in the input.
        recorded: String,
        /// The name of the profile given.
        given: String,
    },
    /// The input does not start with the binary snapshot's magic bytes.
    #[error("not an xzqh snapshot: the input does not start with the magic bytes")]
    NotASnapshot,
    /// The input ends before the data it announces.
    #[error("truncated input: it ends after {len} bytes")]
    Truncated {
        /// The input's length.
        len: usize,
    },
    /// A JSON document whose `format` field is not `xzqh-hierarchy`.
    #[error("not an xzqh hierarchy: format is {found:?}, expected \"xzqh-hierarchy\"")]
    WrongFormat {
        /// The format the document names.
        found: String,
    },
    /// A format version this build cannot read (a newer file, or garbage).
    #[error("unsupported format version {found}: this build reads version {supported}")]
    UnsupportedVersion {
        /// The version in the input.
        found: u64,
        /// The version this build reads and writes.
        supported: u32,
    },
    /// Bytes that are not UTF-8 where text must be.
    #[error("invalid utf-8 in {field} at byte {offset}")]
    InvalidUtf8 {
        /// The field (`codes`, `names`) or `input`.
        field: &'static str,
        /// The offset of the first bad byte within the field.
        offset: usize,
    },
    /// A binary field whose length does not fit the unit count.
    #[error("{field} holds {len} bytes, expected {expected} for {units} units")]
    LengthMismatch {
        /// The field.
        field: &'static str,
        /// Its length in bytes.
        len: u64,
        /// The length the unit count requires.
        expected: u64,
        /// The unit count the snapshot claims.
        units: u64,
    },
    /// A binary snapshot that decodes but does not make sense.
    #[error("malformed snapshot: {what}")]
    Malformed {
        /// What is wrong.
        what: String,
    },
    /// A binary snapshot the decoder rejects (a bad varint, tag or string).
    #[error("malformed snapshot: decoding stopped at byte {offset}")]
    Binary {
        /// Where decoding stopped, from the start of the input: just past
        /// the byte it rejected, or at the start of a string it rejected.
        offset: usize,
        /// The decoder's error.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// Text that is not JSON, or JSON of the wrong shape (a missing or
    /// unknown field, a value of the wrong type).
    #[error("invalid json at line {line}, column {column}")]
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// The parser's error.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// A well-formed JSON value that names something the document does not
    /// declare (an unknown designation or relation).
    #[error("{path}: {reason}")]
    Invalid {
        /// Where, as a path (`units[3].designations[0]`).
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The schema carried by a snapshot is invalid.
    #[error("invalid schema: {0}")]
    Schema(#[from] SchemaError),
    /// CSV that is not `code,name,parent_code` rows.
    #[error("{file} line {line}: {reason}")]
    Csv {
        /// The name given to [`CsvImport::read`](crate::CsvImport::read).
        file: String,
        /// 1-based line (the header is line 1).
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A CSV row that fails validation.
    #[error("{file} line {line}: {error}")]
    CsvRow {
        /// The name given to [`CsvImport::read`](crate::CsvImport::read).
        file: String,
        /// 1-based line where the row starts.
        line: u64,
        /// The validation error (boxed: it is large, and rare).
        error: Box<BuildError>,
    },
    /// The hierarchy read is invalid: the builder's error, as is.
    #[error(transparent)]
    Build(#[from] BuildError),
}

/// Limits every loader enforces, so that hostile input fails cleanly instead
/// of exhausting memory or time.
///
/// Counts read from the input are checked against these before anything is
/// allocated from them, and the result is validated with the matching
/// [`BuildLimits`].
///
/// The fields are public; the `with_*` methods set one and return the
/// limits, for chaining. With the `serde` feature the limits deserialize
/// from configuration (any field may be left out).
///
/// # Examples
///
/// ```
/// let limits = xzqh::LoadLimits::default().with_max_bytes(1 << 20);
/// assert_eq!(limits.max_bytes, 1 << 20);
/// assert_eq!(limits.max_depth, 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[non_exhaustive]
pub struct LoadLimits {
    /// Largest input in bytes (default 1 GiB: China down to villages takes
    /// 67 MB as JSON, 27 MB as a snapshot, 28 MB as CSV).
    pub max_bytes: usize,
    /// Most units (default 2²⁴ = 16,777,216: China has 665,263 units down to
    /// villages, and a few million grids fit below them).
    pub max_units: usize,
    /// Most kinds in a snapshot's schema (default 1,024; China has under 40).
    pub max_kinds: usize,
    /// Deepest depth (root = 0; default 64, as [`BuildLimits`]).
    pub max_depth: usize,
    /// Longest code in bytes (default 64).
    pub max_code_bytes: usize,
    /// Longest name in bytes (default 1,024).
    pub max_name_bytes: usize,
}

impl Default for LoadLimits {
    fn default() -> Self {
        let build = BuildLimits::default();
        LoadLimits {
            max_bytes: 1 << 30,
            max_units: 1 << 24,
            max_kinds: 1 << 10,
            max_depth: build.max_depth,
            max_code_bytes: build.max_code_bytes,
            max_name_bytes: build.max_name_bytes,
        }
    }
}

impl LoadLimits {
    /// Sets the largest input in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::LoadLimits::default().with_max_bytes(10).max_bytes, 10);
    /// ```
    pub fn with_max_bytes(mut self, max: usize) -> Self {
        self.max_bytes = max;
        self
    }

    /// Sets the most units (capped at `u32::MAX - 1`, the id space).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::LoadLimits::default().with_max_units(10).max_units, 10);
    /// ```
    pub fn with_max_units(mut self, max: usize) -> Self {
        self.max_units = max.min((u32::MAX - 1) as usize);
        self
    }

    /// Sets the most kinds a snapshot's schema may declare.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::LoadLimits::default().with_max_kinds(10).max_kinds, 10);
    /// ```
    pub fn with_max_kinds(mut self, max: usize) -> Self {
        self.max_kinds = max;
        self
    }

    /// Sets the deepest depth (capped at `u16::MAX`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::LoadLimits::default().with_max_depth(6).max_depth, 6);
    /// ```
    pub fn with_max_depth(mut self, max: usize) -> Self {
        self.max_depth = max.min(u16::MAX as usize);
        self
    }

    /// Sets the longest code in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::LoadLimits::default().with_max_code_bytes(12).max_code_bytes, 12);
    /// ```
    pub fn with_max_code_bytes(mut self, max: usize) -> Self {
        self.max_code_bytes = max;
        self
    }

    /// Sets the longest name in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::LoadLimits::default().with_max_name_bytes(99).max_name_bytes, 99);
    /// ```
    pub fn with_max_name_bytes(mut self, max: usize) -> Self {
        self.max_name_bytes = max;
        self
    }

    /// The builder limits these imply.
    ///
    /// # Examples
    ///
    /// ```
    /// let build = xzqh::LoadLimits::default().with_max_depth(7).build_limits();
    /// assert_eq!(build.max_depth, 7);
    /// ```
    pub fn build_limits(&self) -> BuildLimits {
        BuildLimits::default()
            .with_max_depth(self.max_depth)
            .with_max_code_bytes(self.max_code_bytes)
            .with_max_name_bytes(self.max_name_bytes)
            .with_max_units(self.max_units)
    }

    /// [`LoadError::InputTooLarge`] if `len` exceeds [`max_bytes`](Self::max_bytes).
    pub(crate) fn check_bytes(&self, len: usize) -> Result<(), LoadError> {
        if len > self.max_bytes {
            return Err(LoadError::InputTooLarge {
                size: len,
                max: self.max_bytes,
            });
        }
        Ok(())
    }

    /// [`LoadError::TooMany`] if `count` units exceed [`max_units`](Self::max_units).
    pub(crate) fn check_units(&self, count: u64) -> Result<(), LoadError> {
        if count > self.max_units as u64 {
            return Err(LoadError::TooMany {
                what: "units",
                count,
                max: self.max_units,
            });
        }
        Ok(())
    }
}

/// The line (1-based) holding byte `offset` of `bytes`.
pub(crate) fn line_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}
