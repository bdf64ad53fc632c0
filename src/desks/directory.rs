//! The directory of the bodies present in given units, with their names and
//! contacts, loaded from CSV (or JSON with the `serde` feature) within
//! [`LoadLimits`].

use std::borrow::Cow;

use crate::exchange::csv;
use crate::exchange::load::{LoadError, LoadLimits, excerpt};

/// One directory entry: the body of kind `body` in the unit with code
/// `unit`, its name and contacts, or (`present: false`) the statement that
/// the unit lacks a body its level normally has.
///
/// # Examples
///
/// ```
/// let e = xzqh::desks::DirectoryEntry::new("440305", "urban_management")
///     .name("南山区城市管理和综合执法局")
///     .phone("0755-12345");
/// assert!(e.present);
/// assert_eq!(e.phone.as_deref(), Some("0755-12345"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct DirectoryEntry {
    /// The unit's code.
    pub unit: String,
    /// The body kind's machine name.
    pub body: String,
    /// The body's own name (empty: the unit's name and the kind's label).
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
    /// Whether the unit has the body (`false` removes a standard one).
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub present: bool,
    /// A telephone number.
    #[cfg_attr(feature = "serde", serde(default))]
    pub phone: Option<String>,
    /// An e-mail address.
    #[cfg_attr(feature = "serde", serde(default))]
    pub email: Option<String>,
    /// An endpoint a dispatching system sends cases to (a URL).
    #[cfg_attr(feature = "serde", serde(default))]
    pub endpoint: Option<String>,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

impl DirectoryEntry {
    /// A present body of kind `body` in unit `unit`, without name or contacts.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = xzqh::desks::DirectoryEntry::new("E10000003", "highways");
    /// assert_eq!(e.name, "");
    /// ```
    pub fn new(unit: impl Into<String>, body: impl Into<String>) -> Self {
        DirectoryEntry {
            unit: unit.into(),
            body: body.into(),
            name: String::new(),
            present: true,
            phone: None,
            email: None,
            endpoint: None,
        }
    }

    /// Sets the body's own name.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = xzqh::desks::DirectoryEntry::new("1", "x").name("X office");
    /// assert_eq!(e.name, "X office");
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Marks the body absent: the unit lacks it although its level has it.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!xzqh::desks::DirectoryEntry::new("1", "x").absent().present);
    /// ```
    pub fn absent(mut self) -> Self {
        self.present = false;
        self
    }

    /// Sets the telephone number.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = xzqh::desks::DirectoryEntry::new("1", "x").phone("12345");
    /// assert_eq!(e.phone.as_deref(), Some("12345"));
    /// ```
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// Sets the e-mail address.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = xzqh::desks::DirectoryEntry::new("1", "x").email("a@b.c");
    /// assert_eq!(e.email.as_deref(), Some("a@b.c"));
    /// ```
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Sets the endpoint.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = xzqh::desks::DirectoryEntry::new("1", "x").endpoint("https://example.org/cases");
    /// assert!(e.endpoint.is_some());
    /// ```
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }
}

/// The bodies present in given units: where no entry exists, a unit has
/// its level's standard body kinds (see [`BodyKind`](crate::desks::BodyKind)).
///
/// # Examples
///
/// ```
/// use xzqh::desks::{Directory, DirectoryEntry};
/// let csv = "unit,body,name,phone,email,endpoint,present\n\
///            440305,urban_management,南山区城市管理和综合执法局,0755-12319,,,yes\n\
///            440305,water,,,,,no\n";
/// let d = Directory::from_csv("bodies.csv", csv.as_bytes(), &xzqh::LoadLimits::default())?;
/// assert_eq!(d.entries().len(), 2);
/// assert!(!d.entries()[1].present);
/// let err = Directory::from_csv("b.csv", b"unit,body\n", &xzqh::LoadLimits::default()).unwrap_err();
/// assert_eq!(err.to_string(), "b.csv line 1: expected the header `unit,body,name,phone,email,endpoint,present`, found `unit,body`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    entries: Vec<DirectoryEntry>,
}

const HEADER: [&str; 7] = [
    "unit", "body", "name", "phone", "email", "endpoint", "present",
];

impl Directory {
    /// An empty directory: every unit has its level's standard bodies.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(xzqh::desks::Directory::new().entries().is_empty());
    /// ```
    pub fn new() -> Self {
        Directory::default()
    }

    /// Adds an entry.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::desks::{Directory, DirectoryEntry};
    /// let d = Directory::new().entry(DirectoryEntry::new("4403", "water").absent());
    /// assert_eq!(d.entries().len(), 1);
    /// ```
    pub fn entry(mut self, entry: DirectoryEntry) -> Self {
        self.entries.push(entry);
        self
    }

    /// The entries, in the order given.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::desks::Directory::new().entries(), []);
    /// ```
    pub fn entries(&self) -> &[DirectoryEntry] {
        &self.entries
    }

    /// Reads a CSV file with the header
    /// `unit,body,name,phone,email,endpoint,present` (`present` is `yes`,
    /// `no` or empty for yes; empty contacts are none). `file` names it in
    /// errors.
    ///
    /// # Errors
    ///
    /// [`LoadError::InputTooLarge`] past the byte limit; [`LoadError::Csv`]
    /// with the line (and field, where one is wrong) for invalid UTF-8, a
    /// wrong header, a row with the wrong number of fields, a malformed
    /// quoted field, an empty unit or body, a code longer than
    /// [`LoadLimits::max_code_bytes`], a name or contact longer than
    /// [`LoadLimits::max_name_bytes`], a `present` other than yes or no, or
    /// more rows than [`LoadLimits::max_units`]. Every error quotes a bounded
    /// excerpt of the input.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::desks::Directory;
    /// let csv = "unit,body,name,phone,email,endpoint,present\n11,police,,,,,maybe\n";
    /// let err = Directory::from_csv("b.csv", csv.as_bytes(), &xzqh::LoadLimits::default()).unwrap_err();
    /// assert_eq!(err.to_string(), "b.csv line 2: field 7 (present): expected yes, no or nothing, found \"maybe\"");
    /// ```
    pub fn from_csv(file: &str, bytes: &[u8], limits: &LoadLimits) -> Result<Directory, LoadError> {
        limits.check_bytes(bytes.len())?;
        let err = |line: u64, reason: String| LoadError::Csv {
            file: excerpt(file),
            line,
            reason,
        };
        let mut fields: Vec<Cow<'_, str>> = Vec::with_capacity(HEADER.len());
        let (mut reader, line) =
            csv::open(bytes, &HEADER, &mut fields).map_err(|(line, reason)| err(line, reason))?;
        if fields[..] != HEADER {
            let found: Vec<String> = fields.iter().map(|f| excerpt(f)).collect();
            return Err(err(
                line,
                format!(
                    "expected the header `{}`, found `{}`",
                    HEADER.join(","),
                    excerpt(&found.join(","))
                ),
            ));
        }
        let mut entries = Vec::new();
        loop {
            let line = match reader.record(&mut fields) {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err((line, reason)) => return Err(err(line, reason.to_owned())),
            };
            if reader.fields() != HEADER.len() {
                return Err(err(
                    line,
                    format!(
                        "expected {} fields, found {}",
                        HEADER.len(),
                        reader.fields()
                    ),
                ));
            }
            if entries.len() >= limits.max_units {
                return Err(err(
                    line,
                    format!("too many entries: the limit is {}", limits.max_units),
                ));
            }
            entries.push(entry(&fields, limits).map_err(|reason| err(line, reason))?);
        }
        Ok(Directory { entries })
    }

    /// Reads a JSON array of entries (the fields of [`DirectoryEntry`]).
    ///
    /// # Errors
    ///
    /// [`LoadError::InputTooLarge`]; [`LoadError::Json`] with line and
    /// column for malformed JSON or an unknown field; [`LoadError::Invalid`]
    /// with the entry's path for a value past the limits, as in
    /// [`from_csv`](Self::from_csv).
    ///
    /// # Examples
    ///
    /// ```
    /// let json = r#"[{"unit": "4403", "body": "ecology_environment", "phone": "12369"}]"#;
    /// let d = xzqh::desks::Directory::from_json(json.as_bytes(), &xzqh::LoadLimits::default())?;
    /// assert_eq!(d.entries()[0].phone.as_deref(), Some("12369"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_json(bytes: &[u8], limits: &LoadLimits) -> Result<Directory, LoadError> {
        limits.check_bytes(bytes.len())?;
        let entries: Vec<DirectoryEntry> =
            serde_json::from_slice(bytes).map_err(|e| LoadError::Json {
                line: e.line(),
                column: e.column(),
                // The parser quotes what it rejects in full: an excerpt.
                source: Box::new(crate::exchange::load::ParserMessage(
                    crate::exchange::load::json_message(&e),
                )),
            })?;
        if entries.len() > limits.max_units {
            return Err(LoadError::TooMany {
                what: "directory entries",
                count: entries.len() as u64,
                max: limits.max_units,
            });
        }
        for (i, e) in entries.iter().enumerate() {
            check(e, limits).map_err(|reason| LoadError::Invalid {
                path: format!("[{i}]"),
                reason,
            })?;
        }
        Ok(Directory { entries })
    }
}

/// One CSV row as an entry, or why not.
fn entry(fields: &[Cow<'_, str>], limits: &LoadLimits) -> Result<DirectoryEntry, String> {
    let contact = |f: &Cow<'_, str>| (!f.is_empty()).then(|| f.to_string());
    let present = match &*fields[6] {
        "" | "yes" => true,
        "no" => false,
        other => {
            return Err(format!(
                "field 7 (present): expected yes, no or nothing, found {:?}",
                excerpt(other)
            ));
        }
    };
    let e = DirectoryEntry {
        unit: fields[0].to_string(),
        body: fields[1].to_string(),
        name: fields[2].to_string(),
        present,
        phone: contact(&fields[3]),
        email: contact(&fields[4]),
        endpoint: contact(&fields[5]),
    };
    check(&e, limits)?;
    Ok(e)
}

/// The limits every entry keeps, with the field that breaks one.
fn check(e: &DirectoryEntry, limits: &LoadLimits) -> Result<(), String> {
    let fields = [
        (1, "unit", Some(&e.unit), limits.max_code_bytes, true),
        (2, "body", Some(&e.body), limits.max_code_bytes, true),
        (3, "name", Some(&e.name), limits.max_name_bytes, false),
        (4, "phone", e.phone.as_ref(), limits.max_name_bytes, false),
        (5, "email", e.email.as_ref(), limits.max_name_bytes, false),
        (
            6,
            "endpoint",
            e.endpoint.as_ref(),
            limits.max_name_bytes,
            false,
        ),
    ];
    for (n, field, value, max, required) in fields {
        let Some(v) = value else { continue };
        if required && v.is_empty() {
            return Err(format!("field {n} ({field}) is empty"));
        }
        if v.len() > max {
            return Err(format!(
                "field {n} ({field}) has {} bytes, beyond the limit of {max}",
                v.len()
            ));
        }
        if v.chars().any(char::is_control) {
            return Err(format!(
                "field {n} ({field}) holds a control character: {:?}",
                excerpt(v)
            ));
        }
    }
    Ok(())
}
