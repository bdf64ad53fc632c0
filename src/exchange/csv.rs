//! CSV import of `code,name,parent_code` rows, the layout of the NBS data in
//! `data/china/` and of most published division lists.
//!
//! The reader is a small hand-written RFC 4180 parser rather than the `csv`
//! crate: the layout has three (or four) columns, the import needs the line
//! where each row starts for its errors, and the crate stays free of a
//! dependency for it (CSV import works without the `serde` feature).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::exchange::load::{LoadError, LoadLimits, excerpt, line_of};
use crate::model::builder::{BuildError, HierarchyBuilder, KindRef};
use crate::model::hierarchy::Hierarchy;
use crate::model::profile::Profile;
use crate::model::relation::Relation;
use crate::model::schema::{Designation, KindId, Schema};

/// One data row of a CSV file, as given to a [`CsvImport::classify`] closure.
///
/// # Examples
///
/// ```
/// use xzqh::{china::ChinaKind, CsvImport, CsvRow};
/// fn by_code_length(row: &CsvRow<'_>) -> Option<xzqh::KindId> {
///     Some(match row.code.len() {
///         2 => ChinaKind::Province,
///         4 => ChinaKind::PrefectureCity,
///         _ => return None,
///     }.id())
/// }
/// let h = CsvImport::new(xzqh::china::schema())
///     .classify(by_code_length)
///     .root("0", "中华人民共和国", ChinaKind::State)
///     .read("x.csv", "code,name,parent_code\n13,河北省,\n1301,石家庄市,13\n".as_bytes())?
///     .finish()?;
/// assert_eq!(h.by_code("1301").unwrap().kind().name(), "prefecture_city");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvRow<'a> {
    /// 1-based line where the row starts (the header is line 1).
    pub line: u64,
    /// The `code` column.
    pub code: &'a str,
    /// The `name` column.
    pub name: &'a str,
    /// The `parent_code` column, `None` when empty.
    pub parent_code: Option<&'a str>,
    /// The `kind` column, if the file has one.
    pub kind: Option<&'a str>,
}

type Classifier = dyn Fn(&CsvRow<'_>) -> Option<KindId> + Send + Sync;

/// Imports `code,name,parent_code[,kind]` CSV files into a [`Hierarchy`].
///
/// Each file starts with the header `code,name,parent_code`, optionally
/// followed by `,kind`; fields follow RFC 4180 (quotes, doubled quotes, LF or
/// CRLF line ends); a UTF-8 byte order mark and blank lines are skipped. Rows
/// may come in any order and across several files (provinces, prefectures,
/// counties...); the result is the same hierarchy.
///
/// **Kinds.** A CSV row has no kind, so either the file has a `kind` column
/// holding a kind name of the schema, or a [`classify`](Self::classify)
/// closure decides the kind from the row (from the code's length, the name's
/// suffix, a lookup table...). The closure wins when both are there.
///
/// **The root.** Division lists rarely include the country itself: with
/// [`root`](Self::root), rows with an empty `parent_code` hang under that
/// unit; without it, exactly one row may have an empty `parent_code`.
///
/// Every error names the file and the line where the offending row starts,
/// including validation errors (a duplicate code, a dangling parent, a cycle).
///
/// # Examples
///
/// ```
/// let csv = "code,name,parent_code,kind\n\
///            0,中华人民共和国,,state\n\
///            11,北京市,0,municipality\n\
///            110105,朝阳区,11,district\n";
/// let h = xzqh::CsvImport::new(xzqh::china::schema())
///     .read("bj.csv", csv.as_bytes())?
///     .finish()?;
/// assert_eq!(h.by_code("110105").unwrap().parent().unwrap().name(), "北京市");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct CsvImport {
    builder: HierarchyBuilder,
    schema: Arc<Schema>,
    limits: LoadLimits,
    classify: Option<Box<Classifier>>,
    root: Option<String>,
    /// Line of each builder row (0 for rows not from a file: the root).
    lines: Vec<u64>,
    /// `(first builder row, file name)` of each file read.
    files: Vec<(usize, String)>,
}

impl fmt::Debug for CsvImport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvImport")
            .field("schema", &self.schema.name())
            .field("limits", &self.limits)
            .field("classify", &self.classify.is_some())
            .field("root", &self.root)
            .field("rows", &self.lines.len())
            .field(
                "files",
                &self.files.iter().map(|f| &f.1).collect::<Vec<_>>(),
            )
            .finish()
    }
}

const HEADER: [&str; 3] = ["code", "name", "parent_code"];

impl CsvImport {
    /// Starts an import whose rows use `schema`'s kinds, with default limits.
    ///
    /// # Examples
    ///
    /// ```
    /// let import = xzqh::CsvImport::new(xzqh::china::schema());
    /// assert!(import.finish().is_err()); // no row
    /// ```
    pub fn new(schema: Arc<Schema>) -> Self {
        let limits = LoadLimits::default();
        let builder = Hierarchy::builder(schema.clone()).limits(limits.build_limits());
        CsvImport {
            builder,
            schema,
            limits,
            classify: None,
            root: None,
            lines: Vec::new(),
            files: Vec::new(),
        }
    }

    /// Sets the limits: bytes per file, units in all, and those the builder checks.
    ///
    /// # Examples
    ///
    /// ```
    /// let import = xzqh::CsvImport::new(xzqh::china::schema())
    ///     .limits(xzqh::LoadLimits::default().with_max_bytes(10));
    /// let err = import.read("big.csv", &[b' '; 11]).unwrap_err();
    /// assert_eq!(err.to_string(), "input of 11 bytes exceeds the limit of 10 bytes");
    /// ```
    pub fn limits(mut self, limits: LoadLimits) -> Self {
        self.limits = limits;
        self.builder = self.builder.limits(limits.build_limits());
        self
    }

    /// Sets the country profile the hierarchy is built with (see
    /// [`HierarchyBuilder::profile`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let csv = "code,name,parent_code,kind\n0,中国,,state\n44,广东省,0,province\n";
    /// let h = xzqh::CsvImport::new(xzqh::china::schema())
    ///     .profile(xzqh::china::profile())
    ///     .read("p.csv", csv.as_bytes())?
    ///     .finish()?;
    /// assert_eq!(h.names().lookup("广东")?.code(), "44");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn profile(mut self, profile: Arc<dyn Profile>) -> Self {
        self.builder = self.builder.profile(profile);
        self
    }

    /// Sets the closure that gives each row its kind (`None`: the row's kind
    /// is unknown, an error naming the line).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{china::ChinaKind, CsvImport};
    /// let import = CsvImport::new(xzqh::china::schema())
    ///     .classify(|row| (row.code == "0").then(|| ChinaKind::State.id()));
    /// let err = import.read("x.csv", b"code,name,parent_code\n0,China,\n1,Elsewhere,0\n").unwrap_err();
    /// assert_eq!(err.to_string(), "x.csv line 3: no kind for unit 1");
    /// ```
    pub fn classify(
        mut self,
        classify: impl Fn(&CsvRow<'_>) -> Option<KindId> + Send + Sync + 'static,
    ) -> Self {
        self.classify = Some(Box::new(classify));
        self
    }

    /// Adds a root unit that rows read afterwards with an empty
    /// `parent_code` hang under (the country, above its provinces).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{china::ChinaKind, CsvImport};
    /// let h = CsvImport::new(xzqh::china::schema())
    ///     .root("0", "中华人民共和国", ChinaKind::State)
    ///     .classify(|_| Some(ChinaKind::Province.id()))
    ///     .read("p.csv", "code,name,parent_code\n13,河北省,\n14,山西省,\n".as_bytes())?
    ///     .finish()?;
    /// assert_eq!(h.root().children().count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn root<'k>(mut self, code: &str, name: &str, kind: impl Into<KindRef<'k>>) -> Self {
        self.builder.add_unit(code, name, kind.into(), None);
        self.lines.push(0);
        self.root = Some(code.to_owned());
        self
    }

    /// Records the version of the data (e.g. `"NBS 2023"`).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{china::ChinaKind, CsvImport};
    /// let h = CsvImport::new(xzqh::china::schema())
    ///     .root("0", "中华人民共和国", ChinaKind::State)
    ///     .data_version("NBS 2023")
    ///     .finish()?;
    /// assert_eq!(h.data_version(), Some("NBS 2023"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data_version(mut self, version: &str) -> Self {
        self.builder.set_data_version(version);
        self
    }

    /// Adds a secondary relation (by code) that a CSV of units does not
    /// carry (see [`HierarchyBuilder::relation`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let csv = "code,name,parent_code,kind\n0,中国,,state\n44,广东省,0,province\n4402,韶关市,44,prefecture_city\n440281,乐昌市,4402,county_city\n";
    /// let h = xzqh::CsvImport::new(xzqh::china::schema())
    ///     .read("x.csv", csv.as_bytes())?
    ///     .relation("44", "440281", xzqh::Relation::Entrusted)
    ///     .finish()?;
    /// assert_eq!(h.by_code("440281").unwrap().relations_in().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn relation(mut self, from: &str, to: &str, relation: Relation) -> Self {
        self.builder.add_relation(from, to, relation);
        self
    }

    /// Gives a unit (by code) a designation that a CSV of units does not
    /// carry (see [`HierarchyBuilder::designate`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let schema = xzqh::china::schema();
    /// let capital = schema.designation_id("provincial_capital").unwrap();
    /// let h = xzqh::CsvImport::new(schema)
    ///     .read("x.csv", "code,name,parent_code,kind\n0,中国,,state\n".as_bytes())?
    ///     .designate("0", capital)
    ///     .finish()?;
    /// assert!(h.root().has(capital));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn designate(mut self, code: &str, designation: Designation) -> Self {
        self.builder.add_designation(code, designation);
        self
    }

    /// Reads one file's rows. `file` names it in errors.
    ///
    /// Reading stops at the first error, which consumes the import: nothing
    /// of a bad file is half-applied to a hierarchy.
    ///
    /// # Errors
    ///
    /// [`LoadError::InputTooLarge`] past [`LoadLimits::max_bytes`];
    /// [`LoadError::Csv`] with the line for a row past [`LoadLimits::max_units`],
    /// invalid UTF-8, a wrong header, a
    /// row with the wrong number of fields, an unterminated quoted field, a
    /// stray quote, or a row the classifier gives no kind.
    ///
    /// # Examples
    ///
    /// ```
    /// let import = xzqh::CsvImport::new(xzqh::china::schema());
    /// let err = import.read("bad.csv", b"code,name,parent_code,kind\n11,\"Beijing\n").unwrap_err();
    /// assert_eq!(err.to_string(), "bad.csv line 2: unterminated quoted field");
    /// ```
    pub fn read(mut self, file: &str, bytes: &[u8]) -> Result<Self, LoadError> {
        self.limits.check_bytes(bytes.len())?;
        let err = |line: u64, reason: String| LoadError::Csv {
            file: file.to_owned(),
            line,
            reason,
        };
        let mut fields: Vec<Cow<'_, str>> = Vec::with_capacity(4);
        let (mut reader, header_line) =
            open(bytes, &HEADER, &mut fields).map_err(|(line, reason)| err(line, reason))?;
        let columns = match fields.len() {
            3 if fields[..] == HEADER => 3,
            4 if fields[..3] == HEADER && fields[3] == "kind" => 4,
            _ => {
                return Err(err(
                    header_line,
                    format!(
                        "expected the header `{}` (optionally `,kind`), found `{}`",
                        HEADER.join(","),
                        excerpt(&fields.join(","))
                    ),
                ));
            }
        };
        if columns == 3 && self.classify.is_none() {
            return Err(err(
                header_line,
                "no `kind` column and no classifier: add the column or call CsvImport::classify"
                    .to_owned(),
            ));
        }
        self.files.push((self.lines.len(), file.to_owned()));
        loop {
            let line = match reader.record(&mut fields) {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err((line, reason)) => return Err(err(line, reason.to_owned())),
            };
            if reader.fields() != columns {
                return Err(err(
                    line,
                    format!("expected {columns} fields, found {}", reader.fields()),
                ));
            }
            if self
                .limits
                .check_units(self.lines.len() as u64 + 1)
                .is_err()
            {
                return Err(err(
                    line,
                    format!("too many units: the limit is {}", self.limits.max_units),
                ));
            }
            let row = CsvRow {
                line,
                code: &fields[0],
                name: &fields[1],
                parent_code: Some(&*fields[2]).filter(|p| !p.is_empty()),
                kind: fields.get(3).map(|k| &**k),
            };
            let kind = match (&self.classify, row.kind) {
                (Some(classify), _) => match classify(&row) {
                    Some(id) => KindRef::Id(id),
                    None => {
                        return Err(err(line, format!("no kind for unit {}", excerpt(row.code))));
                    }
                },
                (None, Some(kind)) => KindRef::Name(kind),
                (None, None) => unreachable!(
                    "a file without a kind column needs a classifier: checked at the header"
                ),
            };
            let parent = row.parent_code.or(self.root.as_deref());
            self.builder.add_unit(row.code, row.name, kind, parent);
            self.lines.push(line);
        }
        Ok(self)
    }

    /// Validates everything read and builds the hierarchy.
    ///
    /// # Errors
    ///
    /// [`LoadError::CsvRow`] with the file and line of the row a
    /// [`BuildError`] names (a duplicate code: its second row; a cycle: the
    /// row of its smallest code); [`LoadError::Build`] for errors no row
    /// explains (no row at all, a relation added with
    /// [`relation`](Self::relation) naming an unknown code).
    ///
    /// # Examples
    ///
    /// ```
    /// let import = xzqh::CsvImport::new(xzqh::china::schema())
    ///     .read("x.csv", "code,name,parent_code,kind\n0,中国,,state\n11,北京市,9,municipality\n".as_bytes())?;
    /// assert_eq!(
    ///     import.finish().unwrap_err().to_string(),
    ///     "x.csv line 3: unit 11 names unknown parent 9"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> Result<Hierarchy, LoadError> {
        self.builder.build_ref().map_err(|e| self.locate(e))
    }

    /// Puts the file and line of the row the error names on a build error.
    fn locate(&self, error: BuildError) -> LoadError {
        // A duplicate's first row is fine; the second is the one to fix.
        let (code, nth) = match &error {
            BuildError::DuplicateCode { code } => (code.clone(), 1),
            BuildError::MultipleRoots { second, .. } => (second.clone(), 0),
            BuildError::Cycle { codes } => match codes.first() {
                Some(c) => (c.clone(), 0),
                None => return LoadError::Build(error),
            },
            BuildError::InvalidCode { code, .. }
            | BuildError::InvalidName { code, .. }
            | BuildError::UnknownKind { code, .. }
            | BuildError::UnknownParent { code, .. }
            | BuildError::LevelAboveParent { code, .. }
            | BuildError::TooDeep { code, .. } => (code.clone(), 0),
            // A row whose parent is itself, unless relations (which may be
            // the self-edge) were added.
            BuildError::SelfEdge { code } if !self.builder.has_relations() => (code.clone(), 0),
            _ => return LoadError::Build(error),
        };
        let row = match self.builder.rows_with_code(&code).nth(nth) {
            Some(row) if row < self.lines.len() && self.lines[row] != 0 => row,
            _ => return LoadError::Build(error),
        };
        let file = self
            .files
            .iter()
            .rev()
            .find(|(first, _)| *first <= row)
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        LoadError::CsvRow {
            file,
            line: self.lines[row],
            error: Box::new(error),
        }
    }
}

/// An RFC 4180 record reader over validated UTF-8 that tracks lines.
/// Opens a CSV file's bytes: checks they are UTF-8 (an error names the
/// line of the first bad byte), drops a byte-order mark and reads the first
/// record into `fields`. Returns the reader, positioned after it, and the
/// record's line; an error is the line and the reason, for the caller's
/// [`LoadError::Csv`]. `header` is what the file should start with, named
/// when it is empty.
pub(crate) fn open<'a>(
    bytes: &'a [u8],
    header: &[&str],
    fields: &mut Vec<Cow<'a, str>>,
) -> Result<(Reader<'a>, u64), (u64, String)> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| (line_of(bytes, e.valid_up_to()), "invalid utf-8".to_owned()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::new(text);
    match reader.record(fields) {
        Ok(Some(line)) => Ok((reader, line)),
        Ok(None) => Err((
            1,
            format!("empty input: expected the header `{}`", header.join(",")),
        )),
        Err((line, reason)) => Err((line, reason.to_owned())),
    }
}

pub(crate) struct Reader<'a> {
    s: &'a str,
    pos: usize,
    line: u64,
    /// How many fields the last record had (it keeps at most
    /// [`MAX_FIELDS`] + 1).
    fields: usize,
}

/// The most fields a record keeps: of a longer one, one more (to say so),
/// and the rest are only counted ([`Reader::fields`]), so that a line of a
/// million commas holds no million slices. Every format read with it has
/// fewer columns.
const MAX_FIELDS: usize = 64;

impl<'a> Reader<'a> {
    /// A reader of `s` (valid UTF-8, a byte-order mark already removed).
    pub(crate) fn new(s: &'a str) -> Self {
        Reader {
            s,
            pos: 0,
            line: 1,
            fields: 0,
        }
    }

    /// How many fields the last record had, kept or not.
    pub(crate) fn fields(&self) -> usize {
        self.fields
    }

    /// Reads the next non-blank record into `fields`; returns its first line,
    /// `None` at the end, or `(line, reason)` for malformed input.
    pub(crate) fn record(
        &mut self,
        fields: &mut Vec<Cow<'a, str>>,
    ) -> Result<Option<u64>, (u64, &'static str)> {
        fields.clear();
        self.fields = 0;
        let b = self.s.as_bytes();
        // Skip blank lines.
        loop {
            if b[self.pos..].starts_with(b"\r\n") {
                self.pos += 2;
            } else if b[self.pos..].starts_with(b"\n") {
                self.pos += 1;
            } else {
                break;
            }
            self.line += 1;
        }
        if self.pos >= b.len() {
            return Ok(None);
        }
        let start_line = self.line;
        loop {
            let field = if b.get(self.pos) == Some(&b'"') {
                self.quoted()?
            } else {
                let start = self.pos;
                while self.pos < b.len()
                    && !matches!(b[self.pos], b',' | b'\n')
                    && !b[self.pos..].starts_with(b"\r\n")
                {
                    if b[self.pos] == b'"' {
                        return Err((self.line, "quote in an unquoted field"));
                    }
                    self.pos += 1;
                }
                Cow::Borrowed(&self.s[start..self.pos])
            };
            self.fields += 1;
            if fields.len() <= MAX_FIELDS {
                fields.push(field);
            }
            match b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    return Ok(Some(start_line));
                }
                Some(b'\r') if b.get(self.pos + 1) == Some(&b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                    return Ok(Some(start_line));
                }
                None => return Ok(Some(start_line)),
                Some(_) => {
                    return Err((
                        self.line,
                        "expected a comma or a line end after a closing quote",
                    ));
                }
            }
        }
    }

    /// Reads a quoted field starting at the opening quote.
    fn quoted(&mut self) -> Result<Cow<'a, str>, (u64, &'static str)> {
        let b = self.s.as_bytes();
        let open_line = self.line;
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        loop {
            match b.get(self.pos) {
                None => return Err((open_line, "unterminated quoted field")),
                Some(b'"') if b.get(self.pos + 1) == Some(&b'"') => {
                    escaped = true;
                    self.pos += 2;
                }
                Some(b'"') => {
                    let raw = &self.s[start..self.pos];
                    self.pos += 1;
                    return Ok(if escaped {
                        Cow::Owned(unescape(raw))
                    } else {
                        Cow::Borrowed(raw)
                    });
                }
                Some(b'\n') => {
                    self.line += 1;
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

/// The content of a quoted field with `""` turned into `"`.
fn unescape(raw: &str) -> String {
    raw.replace("\"\"", "\"")
}
