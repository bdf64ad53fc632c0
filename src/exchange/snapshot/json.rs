//! The JSON form: readable, diffable, writable by any tool.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::exchange::load::{
    LoadError, LoadLimits, LoadOptions, ParserMessage, excerpt, json_message,
};
use crate::model::assemble::Parts;
use crate::model::builder::KindRef;
use crate::model::hierarchy::{Hierarchy, NONE};
use crate::model::index::{FxBuild, StrTable};
use crate::model::relation::Relation;
use crate::model::schema::{Designation, MAX_DESIGNATIONS, Role, Schema};

use super::{Capped, MAX_LEVELS};

/// The value of the JSON form's `format` field.
///
/// # Examples
///
/// ```
/// let json = xzqh::china().to_json();
/// assert!(json.starts_with(&format!(r#"{{"format":"{}""#, xzqh::JSON_FORMAT)));
/// ```
pub const JSON_FORMAT: &str = "xzqh-hierarchy";

/// The JSON form's version, the `version` field this build writes and reads.
///
/// # Examples
///
/// ```
/// let json = xzqh::china().to_json();
/// assert!(json.contains(&format!(r#""version":{},"#, xzqh::JSON_VERSION)));
/// ```
pub const JSON_VERSION: u32 = 1;

impl Hierarchy {
    /// The hierarchy as JSON text (see [`write_json`](Self::write_json) for the format).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{Hierarchy, LoadOptions};
    /// let h = xzqh::china();
    /// let json = h.to_json();
    /// assert!(json.starts_with(r#"{"format":"xzqh-hierarchy","version":1,"#));
    /// assert!(json.contains(r#""profile":"china""#));
    /// let options = LoadOptions::default().with_profile(xzqh::china::profile());
    /// assert_eq!(&Hierarchy::from_json_with(json.as_bytes(), &options)?, h);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(self.len() * 80 + 4096);
        self.write_json_unbuffered(&mut out)
            .expect("writing to a Vec cannot fail");
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }

    /// Writes the hierarchy as JSON, one unit per line.
    ///
    /// # Format (version 1)
    ///
    /// One object. Writers put `format` and `version` first, so that readers
    /// reject a file of another version before reading the rest; other fields
    /// may come in any order. Unknown fields are errors.
    ///
    /// | field | type | meaning |
    /// |---|---|---|
    /// | `format` | string | always `"xzqh-hierarchy"` |
    /// | `version` | integer | `1` |
    /// | `data_version` | string or null, optional | the data's version, e.g. `"NBS 2023"` |
    /// | `profile` | string, optional | the name of the hierarchy's [profile](crate::Profile), e.g. `"china"`; absent means `"plain"`. Loading with a profile of another name is [`LoadError::ProfileMismatch`] |
    /// | `schema` | object | the levels, kinds and designations units use (below) |
    /// | `units` | array of objects | every unit, in any order (below) |
    /// | `relations` | array of objects, optional | secondary relations (below) |
    ///
    /// `schema`:
    ///
    /// | field | type | meaning |
    /// |---|---|---|
    /// | `name` | string | the schema's name, e.g. `"china"` |
    /// | `levels` | array of strings | level names, top first (`snake_case`) |
    /// | `kinds` | array of objects | `{"name", "label", "level", "role"}`: a `snake_case` name, a local label, a level name, and a role: `"government"`, `"agency"`, `"self_governing"` or `"functional"` |
    /// | `designations` | array of strings, optional | designation names (at most 32) |
    ///
    /// Each of `units`:
    ///
    /// | field | type | meaning |
    /// |---|---|---|
    /// | `code` | string | unique; 1 to 64 printable ASCII characters |
    /// | `name` | string | 1 to 1,024 bytes, no control characters |
    /// | `kind` | string | a kind name of the schema |
    /// | `parent` | string or null, optional | the primary parent's code; absent or null for the one root |
    /// | `designations` | array of strings, optional | designation names of the schema |
    ///
    /// Each of `relations`: `{"from", "to", "relation"}`: `from` governs `to`
    /// (both codes) by `relation`: `"entrusted"`, `"corps_co_administration"`,
    /// `"planning"` or `"custom_N"` (N from 0 to 255).
    ///
    /// The writer lists units in canonical order (pre-order, children by
    /// code); readers take any order, and load canonical order faster.
    ///
    /// ```json
    /// {"format":"xzqh-hierarchy","version":1,"data_version":"test","profile":"plain","schema":{"name":"tiny","levels":["country","city"],"kinds":[{"name":"country","label":"Country","level":"country","role":"government"},{"name":"city","label":"City","level":"city","role":"government"}],"designations":["capital"]},
    /// "units":[
    /// {"code":"X","name":"Ruritania","kind":"country"},
    /// {"code":"X1","name":"Strelsau","kind":"city","parent":"X","designations":["capital"]}
    /// ],
    /// "relations":[]}
    /// ```
    ///
    /// # Errors
    ///
    /// Those of the writer.
    ///
    /// # Examples
    ///
    /// The example above, loaded and written back:
    ///
    /// ```
    /// let json = r#"{"format":"xzqh-hierarchy","version":1,"data_version":"test","profile":"plain","schema":{"name":"tiny","levels":["country","city"],"kinds":[{"name":"country","label":"Country","level":"country","role":"government"},{"name":"city","label":"City","level":"city","role":"government"}],"designations":["capital"]},
    /// "units":[
    /// {"code":"X","name":"Ruritania","kind":"country"},
    /// {"code":"X1","name":"Strelsau","kind":"city","parent":"X","designations":["capital"]}
    /// ],
    /// "relations":[]}
    /// "#;
    /// let h = xzqh::Hierarchy::from_json(json.as_bytes())?;
    /// assert_eq!(h.by_code("X1").unwrap().name(), "Strelsau");
    /// let mut file = Vec::new();
    /// h.write_json(&mut file)?;
    /// assert_eq!(xzqh::Hierarchy::from_json(&file)?, h);
    /// assert_eq!(String::from_utf8(file)?, json);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_json<W: Write>(&self, writer: W) -> io::Result<()> {
        let mut w = io::BufWriter::new(writer);
        self.write_json_unbuffered(&mut w)?;
        w.flush()
    }

    fn write_json_unbuffered<W: Write>(&self, w: &mut W) -> io::Result<()> {
        let s = &*self.schema;
        write!(
            w,
            "{{\"format\":\"{JSON_FORMAT}\",\"version\":{JSON_VERSION},"
        )?;
        if let Some(v) = &self.data_version {
            w.write_all(b"\"data_version\":")?;
            serde_json::to_writer(&mut *w, v)?;
            w.write_all(b",")?;
        }
        w.write_all(b"\"profile\":")?;
        serde_json::to_writer(&mut *w, self.profile.name())?;
        w.write_all(b",")?;
        w.write_all(b"\"schema\":")?;
        let schema = SchemaOut {
            name: s.name(),
            levels: s.levels().iter().map(|l| l.name()).collect(),
            kinds: s
                .kinds()
                .iter()
                .map(|k| KindOut {
                    name: k.name(),
                    label: k.label(),
                    level: s.levels()[k.level().rank() as usize].name(),
                    role: k.role(),
                })
                .collect(),
            designations: s.designations(),
        };
        serde_json::to_writer(&mut *w, &schema)?;
        w.write_all(b",\n\"units\":[")?;
        let mut designations = Vec::new();
        for (i, u) in self.units().enumerate() {
            w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            designations.clear();
            designations.extend(
                u.designations()
                    .iter()
                    .filter_map(|d| s.designation_name(d)),
            );
            let unit = UnitOut {
                code: u.code(),
                name: u.name(),
                kind: u.kind().name(),
                parent: u.parent().map(|p| p.code()),
                designations: &designations,
            };
            serde_json::to_writer(&mut *w, &unit)?;
        }
        w.write_all(b"\n],\n\"relations\":[")?;
        // In (from, to) order, as the graph stores them.
        let mut relations: Vec<_> = self.secondary.iter().collect();
        relations.sort_unstable_by_key(|r| (r.from, r.to));
        for (i, r) in relations.iter().enumerate() {
            w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            let rel = RelationOut {
                from: self.codes.get(r.from),
                to: self.codes.get(r.to),
                relation: r.relation.name(),
            };
            serde_json::to_writer(&mut *w, &rel)?;
        }
        if !relations.is_empty() {
            w.write_all(b"\n")?;
        }
        w.write_all(b"]}\n")
    }

    /// Loads a hierarchy from JSON (see [`write_json`](Self::write_json) for
    /// the format) with the default [`LoadOptions`]: default limits, the
    /// plain profile.
    ///
    /// # Errors
    ///
    /// See [`from_json_with`](Self::from_json_with).
    ///
    /// # Examples
    ///
    /// ```
    /// let json = r#"{"format":"xzqh-hierarchy","version":2}"#;
    /// let err = xzqh::Hierarchy::from_json(json.as_bytes()).unwrap_err();
    /// assert_eq!(err.to_string(), "unsupported format version 2: this build reads version 1");
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Hierarchy, LoadError> {
        Hierarchy::from_json_with(bytes, &LoadOptions::default())
    }

    /// Loads a hierarchy from JSON within `options`' limits, with its profile.
    ///
    /// Units may come in any order. In canonical order (as
    /// [`write_json`](Self::write_json) writes them) they are checked and
    /// indexed in one pass; otherwise, or on any problem, they go through
    /// [`HierarchyBuilder::build`](crate::HierarchyBuilder::build), whose
    /// error is the one returned.
    ///
    /// # Errors
    ///
    /// - [`LoadError::InputTooLarge`], or [`LoadError::TooMany`] units or kinds;
    /// - [`LoadError::InvalidUtf8`] with the byte offset;
    /// - [`LoadError::Truncated`] for a document that ends early;
    /// - [`LoadError::Json`] with line and column for bad JSON, a missing,
    ///   unknown or repeated field, a value of the wrong type;
    /// - [`LoadError::WrongFormat`], [`LoadError::UnsupportedVersion`];
    /// - [`LoadError::Schema`] for an invalid schema;
    /// - [`LoadError::Invalid`] with the path of an unknown designation or relation name;
    /// - [`LoadError::Build`] for an invalid hierarchy: duplicate codes,
    ///   unknown parents or kinds, cycles, several roots, names too long, too deep...
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let options = xzqh::LoadOptions::default()
    ///     .with_profile(xzqh::china::profile())
    ///     .with_limits(xzqh::LoadLimits::default().with_max_units(5));
    /// let err = xzqh::Hierarchy::from_json_with(h.to_json().as_bytes(), &options).unwrap_err();
    /// assert_eq!(err.to_string(), format!("too many units: {}, beyond the limit of 5", h.len()));
    /// ```
    pub fn from_json_with(bytes: &[u8], options: &LoadOptions) -> Result<Hierarchy, LoadError> {
        let limits = &options.limits;
        limits.check_bytes(bytes.len())?;
        let text = std::str::from_utf8(bytes).map_err(|e| LoadError::InvalidUtf8 {
            field: "input",
            offset: e.valid_up_to(),
        })?;
        let mut de = serde_json::Deserializer::from_str(text);
        let mut stash = None;
        let seed = DocSeed {
            stash: &mut stash,
            limits,
        };
        let parsed = seed
            .deserialize(&mut de)
            .and_then(|doc| de.end().map(|()| doc));
        let doc = match parsed {
            Ok(doc) => doc,
            Err(e) => {
                if let Some(typed) = stash {
                    return Err(typed);
                }
                if e.classify() == serde_json::error::Category::Eof {
                    return Err(LoadError::Truncated { len: bytes.len() });
                }
                return Err(LoadError::Json {
                    line: e.line(),
                    column: e.column(),
                    source: Box::new(ParserMessage(json_message(&e))),
                });
            }
        };
        doc.load(options)
    }
}

#[derive(Serialize)]
struct SchemaOut<'a> {
    name: &'a str,
    levels: Vec<&'a str>,
    kinds: Vec<KindOut<'a>>,
    designations: &'a [String],
}

#[derive(Serialize)]
struct KindOut<'a> {
    name: &'a str,
    label: &'a str,
    level: &'a str,
    role: Role,
}

#[derive(Serialize)]
struct UnitOut<'a> {
    code: &'a str,
    name: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    designations: &'a [&'a str],
}

#[derive(Serialize)]
struct RelationOut<'a> {
    from: &'a str,
    to: &'a str,
    relation: String,
}

/// A string borrowed from the input unless it had escapes.
///
/// serde's own `Cow<str>` borrows only as a direct field marked
/// `#[serde(borrow)]`, not inside `Option` or `Vec`; this borrows everywhere,
/// which saves an allocation per unit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

struct SchemaIn<'a> {
    name: Text<'a>,
    levels: Vec<Text<'a>>,
    kinds: Vec<KindIn<'a>>,
    designations: Vec<Text<'a>>,
}

const SCHEMA_FIELDS: &[&str] = &["name", "levels", "kinds", "designations"];

/// Reads `schema`, each list stopping at its limit (see [`Capped`]).
struct SchemaSeed<'s> {
    stash: &'s mut Option<LoadError>,
    max_kinds: usize,
}

impl<'de> DeserializeSeed<'de> for SchemaSeed<'_> {
    type Value = SchemaIn<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<SchemaIn<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SchemaSeed<'_> {
    type Value = SchemaIn<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a schema object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SchemaIn<'de>, A::Error> {
        let (mut name, mut levels, mut kinds, mut designations) = (None, None, None, None);
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match &*key {
                "name" if name.is_none() => name = Some(map.next_value()?),
                "levels" if levels.is_none() => {
                    levels = Some(map.next_value_seed(Capped::new(
                        "levels",
                        MAX_LEVELS,
                        &mut *self.stash,
                    ))?)
                }
                "kinds" if kinds.is_none() => {
                    kinds = Some(map.next_value_seed(Capped::new(
                        "kinds",
                        self.max_kinds,
                        &mut *self.stash,
                    ))?)
                }
                "designations" if designations.is_none() => {
                    designations = Some(map.next_value_seed(Capped::new(
                        "designations",
                        MAX_DESIGNATIONS,
                        &mut *self.stash,
                    ))?)
                }
                "name" | "levels" | "kinds" | "designations" => {
                    return Err(de::Error::custom(format_args!(
                        "duplicate field `{}`",
                        &*key
                    )));
                }
                other => return Err(de::Error::unknown_field(other, SCHEMA_FIELDS)),
            }
        }
        Ok(SchemaIn {
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            levels: levels.ok_or_else(|| de::Error::missing_field("levels"))?,
            kinds: kinds.ok_or_else(|| de::Error::missing_field("kinds"))?,
            designations: designations.unwrap_or_default(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindIn<'a> {
    #[serde(borrow)]
    name: Text<'a>,
    #[serde(borrow)]
    label: Text<'a>,
    #[serde(borrow)]
    level: Text<'a>,
    role: Role,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitIn<'a> {
    #[serde(borrow)]
    code: Text<'a>,
    #[serde(borrow)]
    name: Text<'a>,
    #[serde(borrow)]
    kind: Text<'a>,
    #[serde(borrow, default)]
    parent: Option<Text<'a>>,
    #[serde(borrow, default, deserialize_with = "unit_designations")]
    designations: Vec<Text<'a>>,
}

/// A unit's designations: at most [`MAX_DESIGNATIONS`] names (a unit
/// cannot have more than its schema declares), so that a list of millions
/// fails at the first name past the limit.
fn unit_designations<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Text<'de>>, D::Error> {
    let mut stash = None;
    Capped::new("designations", MAX_DESIGNATIONS, &mut stash).deserialize(d)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationIn<'a> {
    #[serde(borrow)]
    from: Text<'a>,
    #[serde(borrow)]
    to: Text<'a>,
    #[serde(borrow)]
    relation: Text<'a>,
}

struct Doc<'a> {
    data_version: Option<Text<'a>>,
    profile: Option<Text<'a>>,
    schema: SchemaIn<'a>,
    units: Vec<UnitIn<'a>>,
    relations: Vec<RelationIn<'a>>,
}

const FIELDS: &[&str] = &[
    "format",
    "version",
    "data_version",
    "profile",
    "schema",
    "units",
    "relations",
];

/// Reads the document, checking `format` and `version` as soon as they are
/// read and the unit count as units are read. Typed errors raised inside
/// serde go to `stash` (serde errors carry only text).
struct DocSeed<'s> {
    stash: &'s mut Option<LoadError>,
    limits: &'s LoadLimits,
}

impl<'de, 's> DeserializeSeed<'de> for DocSeed<'s> {
    type Value = Doc<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Doc<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 's> Visitor<'de> for DocSeed<'s> {
    type Value = Doc<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an xzqh-hierarchy object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc<'de>, A::Error> {
        let (mut format, mut version) = (false, false);
        let mut data_version: Option<Option<Text<'de>>> = None;
        let mut profile: Option<Text<'de>> = None;
        let mut schema = None;
        let mut units = None;
        let mut relations = None;
        while let Some(key) = map.next_key::<Text<'de>>()? {
            let key: &str = &key;
            match key {
                "format" => {
                    if format {
                        return Err(de::Error::duplicate_field("format"));
                    }
                    let found: Text<'de> = map.next_value()?;
                    if &*found != JSON_FORMAT {
                        *self.stash = Some(LoadError::WrongFormat {
                            found: excerpt(&found),
                        });
                        return Err(de::Error::custom("wrong format"));
                    }
                    format = true;
                }
                "version" => {
                    if version {
                        return Err(de::Error::duplicate_field("version"));
                    }
                    let found: u64 = map.next_value()?;
                    if found != JSON_VERSION as u64 {
                        *self.stash = Some(LoadError::UnsupportedVersion {
                            found,
                            supported: JSON_VERSION,
                        });
                        return Err(de::Error::custom("unsupported version"));
                    }
                    version = true;
                }
                "data_version" if data_version.is_none() => data_version = Some(map.next_value()?),
                "profile" if profile.is_none() => profile = Some(map.next_value()?),
                "schema" if schema.is_none() => {
                    schema = Some(map.next_value_seed(SchemaSeed {
                        stash: &mut *self.stash,
                        max_kinds: self.limits.max_kinds,
                    })?)
                }
                "units" if units.is_none() => {
                    units = Some(map.next_value_seed(UnitsSeed {
                        stash: &mut *self.stash,
                        max: self.limits.max_units,
                    })?)
                }
                "relations" if relations.is_none() => relations = Some(map.next_value()?),
                "data_version" | "profile" | "schema" | "units" | "relations" => {
                    return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
                }
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
        }
        if !format {
            return Err(de::Error::missing_field("format"));
        }
        if !version {
            return Err(de::Error::missing_field("version"));
        }
        Ok(Doc {
            data_version: data_version.flatten(),
            profile,
            schema: schema.ok_or_else(|| de::Error::missing_field("schema"))?,
            units: units.ok_or_else(|| de::Error::missing_field("units"))?,
            relations: relations.unwrap_or_default(),
        })
    }
}

/// Reads `units`, stopping to allocate past the unit limit (the rest is
/// only counted, for the error).
struct UnitsSeed<'s> {
    stash: &'s mut Option<LoadError>,
    max: usize,
}

impl<'de, 's> DeserializeSeed<'de> for UnitsSeed<'s> {
    type Value = Vec<UnitIn<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, 's> Visitor<'de> for UnitsSeed<'s> {
    type Value = Vec<UnitIn<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of units")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut units = Vec::new();
        loop {
            if units.len() == self.max {
                // Any more would exceed the limit: count them without keeping them.
                let mut count = units.len() as u64;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count += 1;
                }
                if count == units.len() as u64 {
                    return Ok(units);
                }
                *self.stash = Some(LoadError::TooMany {
                    what: "units",
                    count,
                    max: self.max,
                });
                return Err(de::Error::custom("too many units"));
            }
            match seq.next_element()? {
                Some(u) => units.push(u),
                None => return Ok(units),
            }
        }
    }
}

impl<'a> Doc<'a> {
    fn load(self, options: &LoadOptions) -> Result<Hierarchy, LoadError> {
        options.check_profile(self.profile.as_deref().unwrap_or("plain"))?;
        let limits = &options.limits;
        let s = &self.schema;
        let schema = super::build_schema(
            &s.name,
            s.levels.iter().map(|l| &**l),
            s.kinds
                .iter()
                .map(|k| (&*k.name, &*k.label, &*k.level, k.role)),
            s.designations.iter().map(|d| &**d),
            limits,
        )?;
        let mut bits = Vec::with_capacity(self.units.len());
        for (i, u) in self.units.iter().enumerate() {
            let mut b = 0u32;
            for (j, d) in u.designations.iter().enumerate() {
                match schema.designation_id(d) {
                    Some(d) => b |= d.bit(),
                    None => {
                        return Err(LoadError::Invalid {
                            path: format!("units[{i}].designations[{j}]"),
                            reason: format!("unknown designation `{}`", excerpt(d)),
                        });
                    }
                }
            }
            bits.push(b);
        }
        let mut relations = Vec::with_capacity(self.relations.len());
        for (i, r) in self.relations.iter().enumerate() {
            match Relation::from_name(&r.relation) {
                Some(rel) => relations.push((&*r.from, &*r.to, rel)),
                None => {
                    return Err(LoadError::Invalid {
                        path: format!("relations[{i}].relation"),
                        reason: format!("unknown relation `{}`", excerpt(&r.relation)),
                    });
                }
            }
        }
        let data_version = self.data_version.as_deref();
        let build = limits.build_limits();
        if let Some(parts) = canonical_parts(&self.units, &schema, &bits, &relations, data_version)
            && let Ok(h) =
                Hierarchy::from_parts(schema.clone(), options.profile.clone(), parts, &build)
        {
            return Ok(h);
        }
        // Any order, and the authoritative error.
        let mut b = Hierarchy::builder(schema)
            .limits(build)
            .profile(options.profile.clone())
            .reserve(self.units.len(), 0);
        for (u, &bits) in self.units.iter().zip(&bits) {
            b.add_unit(
                &u.code,
                &u.name,
                KindRef::Name(&u.kind),
                u.parent.as_deref(),
            );
            for d in (0..32u8).filter(|d| bits >> d & 1 != 0) {
                b.add_designation(&u.code, Designation::new(d));
            }
        }
        for &(from, to, rel) in &relations {
            b.add_relation(from, to, rel);
        }
        if let Some(v) = data_version {
            b.set_data_version(v);
        }
        Ok(b.build()?)
    }
}

/// The parts of units already in canonical pre-order (the root first, each
/// unit's parent on the path from the root to the unit before it), or
/// `None` if they are not, or something needs the builder's error.
fn canonical_parts(
    units: &[UnitIn<'_>],
    schema: &Arc<Schema>,
    bits: &[u32],
    relations: &[(&str, &str, Relation)],
    data_version: Option<&str>,
) -> Option<Parts> {
    let n = units.len();
    if n == 0 || units[0].parent.is_some() {
        return None;
    }
    let kinds: HashMap<&str, u16, FxBuild> = schema
        .kinds()
        .iter()
        .enumerate()
        .map(|(i, k)| (k.name(), i as u16))
        .collect();
    let mut ends: HashMap<&str, u32, FxBuild> = HashMap::default();
    for &(from, to, _) in relations {
        ends.insert(from, NONE);
        ends.insert(to, NONE);
    }
    let mut parent = Vec::with_capacity(n);
    let mut kind = Vec::with_capacity(n);
    let mut name_of = Vec::with_capacity(n);
    let mut distinct: Vec<&str> = Vec::new();
    let mut intern: HashMap<&str, u32, FxBuild> =
        HashMap::with_capacity_and_hasher(n, FxBuild::default());
    let mut stack: Vec<u32> = Vec::new();
    // Consecutive units mostly share a kind: look it up only when it changes.
    let mut last_kind: (&str, u16) = ("", 0);
    for (id, u) in units.iter().enumerate() {
        let p = match u.parent.as_deref() {
            None if id == 0 => NONE,
            None => return None,
            Some(p) => {
                while let Some(&top) = stack.last() {
                    if *units[top as usize].code == *p {
                        break;
                    }
                    stack.pop();
                }
                *stack.last()?
            }
        };
        stack.push(id as u32);
        parent.push(p);
        if *u.kind != *last_kind.0 || id == 0 {
            last_kind = (&u.kind, *kinds.get(&*u.kind)?);
        }
        kind.push(last_kind.1);
        let next = distinct.len() as u32;
        let nid = *intern.entry(&u.name).or_insert(next);
        if nid == next {
            distinct.push(&u.name);
        }
        name_of.push(nid);
        if !ends.is_empty()
            && let Some(e) = ends.get_mut(&*u.code)
        {
            *e = id as u32;
        }
    }
    drop(intern);
    let mut secondary = Vec::with_capacity(relations.len());
    for &(from, to, rel) in relations {
        let (f, t) = (ends[from], ends[to]);
        if f == NONE || t == NONE {
            return None;
        }
        secondary.push((f, t, rel));
    }
    Some(Parts {
        codes: StrTable::from_iter(units.iter().map(|u| &*u.code))?,
        names: StrTable::from_iter(distinct)?,
        name_of,
        parent,
        kind,
        designations: bits
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b != 0)
            .map(|(i, &b)| (i as u32, b))
            .collect(),
        secondary,
        data_version: data_version.map(str::to_owned),
    })
}
