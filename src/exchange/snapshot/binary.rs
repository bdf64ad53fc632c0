//! The binary snapshot: flat little-endian arrays in a postcard envelope.
//!
//! Why postcard: it is a serde format with a documented wire format that is
//! stable since 1.0, actively maintained, small (no default dependencies
//! here), and deserializes byte strings and `&str` by borrowing from the
//! input, with every length checked against the bytes that remain. bincode,
//! the usual alternative, stopped development in 2025 (RUSTSEC-2025-0141).
//!
//! Why flat arrays inside it, not one serde value per unit: decoding one
//! serde object per unit, or even serde arrays of integers, was measured
//! many times slower than raw little-endian arrays on China down to villages
//! (see BENCHMARKS.md). So the
//! per-unit data are byte strings of little-endian integers in canonical
//! pre-order, decoded with one pass each and handed to the same O(n)
//! validation as every other loader; postcard carries the schema, the
//! strings and the lengths.

use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Capped, MAX_LEVELS};
use crate::exchange::load::{LoadError, LoadLimits, LoadOptions};
use crate::model::assemble::Parts;
use crate::model::hierarchy::Hierarchy;
use crate::model::index::StrTable;
use crate::model::schema::{MAX_DESIGNATIONS, Role};

/// The first 8 bytes of a binary snapshot. Like PNG's signature: a non-ASCII
/// first byte, then `XZQH`, then CR LF and Ctrl-Z, so that a file mangled by
/// a text-mode transfer or newline conversion fails the check.
///
/// # Examples
///
/// ```
/// let bytes = xzqh::china().to_snapshot();
/// assert!(bytes.starts_with(&xzqh::SNAPSHOT_MAGIC));
/// ```
pub const SNAPSHOT_MAGIC: [u8; 8] = [0x89, b'X', b'Z', b'Q', b'H', b'\r', b'\n', 0x1A];

/// The binary snapshot's format version (a little-endian `u32` after the magic).
///
/// # Examples
///
/// ```
/// let bytes = xzqh::china().to_snapshot();
/// assert_eq!(bytes[8..12], xzqh::SNAPSHOT_VERSION.to_le_bytes());
/// ```
pub const SNAPSHOT_VERSION: u32 = 2;

const HEADER: usize = SNAPSHOT_MAGIC.len() + 4;

impl Hierarchy {
    /// The hierarchy as a compact binary snapshot, for fast start-up.
    ///
    /// # Format (version 2)
    ///
    /// [`SNAPSHOT_MAGIC`] (8 bytes), [`SNAPSHOT_VERSION`] as a little-endian
    /// `u32`, then one [postcard](https://postcard.jamesmunns.com) value:
    /// fields in this order, *bytes* being a varint length and raw bytes,
    /// integers inside them little-endian, units in canonical pre-order
    /// (the root first, children by code), `n` units, `m` distinct names:
    ///
    /// | field | postcard type | content |
    /// |---|---|---|
    /// | `data_version` | `Option<str>` | the data's version |
    /// | `profile` | `str` | the name of the hierarchy's [profile](crate::Profile) |
    /// | `schema` | struct | `name: str`, `levels: [str]`, `kinds: [{name, label, level: str, role: enum}]`, `designations: [str]` |
    /// | `units` | varint `u64` | `n` |
    /// | `code_offsets` | bytes | `n + 1` `u32`: code `i` is `codes[off[i]..off[i + 1]]` |
    /// | `codes` | bytes | the codes back to back (ASCII) |
    /// | `name_offsets` | bytes | `m + 1` `u32` |
    /// | `names` | bytes | the distinct names back to back (UTF-8) |
    /// | `name_of` | bytes | `n` `u32`: each unit's index into the names |
    /// | `parent` | bytes | `n` `u32`: each unit's parent's index, `u32::MAX` for the root |
    /// | `kind` | bytes | `n` `u16`: each unit's kind index in the schema |
    /// | `designations` | bytes | `(unit: u32, bits: u32)` records, by unit |
    /// | `relations` | bytes | `(from: u32, to: u32, relation: u32)` records; relation 1 entrusted, 2 corps co-administration, 3 planning, `0x100 + n` custom `n` |
    ///
    /// China's NBS 2023 hierarchy down to villages (665,263 units) takes
    /// 26.9 MB (its JSON form 67.2 MB).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{Hierarchy, LoadOptions};
    /// let h = xzqh::china();
    /// let bytes = h.to_snapshot();
    /// assert_eq!(bytes[..8], xzqh::SNAPSHOT_MAGIC);
    /// // China's snapshot records its profile: load it with that profile.
    /// let options = LoadOptions::default().with_profile(xzqh::china::profile());
    /// assert_eq!(&Hierarchy::from_snapshot_with(&bytes, &options)?, h);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_snapshot(&self) -> Vec<u8> {
        let n = self.len();
        let u32s = |xs: &mut dyn Iterator<Item = u32>| -> Vec<u8> {
            xs.flat_map(u32::to_le_bytes).collect()
        };
        let s = &*self.schema;
        let envelope = Envelope {
            data_version: self.data_version.as_deref(),
            profile: self.profile.name(),
            schema: SchemaBin {
                name: s.name(),
                levels: s.levels().iter().map(|l| l.name()).collect(),
                kinds: s
                    .kinds()
                    .iter()
                    .map(|k| KindBin {
                        name: k.name(),
                        label: k.label(),
                        level: s.levels()[k.level().rank() as usize].name(),
                        role: k.role(),
                    })
                    .collect(),
                designations: s.designations().iter().map(String::as_str).collect(),
            },
            arrays: Arrays {
                units: n as u64,
                code_offsets: Bytes(&u32s(&mut self.codes.offsets().iter().copied())),
                codes: Bytes(self.codes.blob().as_bytes()),
                name_offsets: Bytes(&u32s(&mut self.names.offsets().iter().copied())),
                names: Bytes(self.names.blob().as_bytes()),
                name_of: Bytes(&u32s(&mut self.name_of.iter().copied())),
                parent: Bytes(&u32s(&mut self.parent.iter().copied())),
                kind: Bytes(
                    &self
                        .kind
                        .iter()
                        .flat_map(|k| k.to_le_bytes())
                        .collect::<Vec<u8>>(),
                ),
                designations: Bytes(&u32s(
                    &mut self.designations.iter().flat_map(|&(u, b)| [u, b]),
                )),
                relations: Bytes(&u32s(
                    &mut self
                        .secondary
                        .iter()
                        .flat_map(|r| [r.from, r.to, super::relation_code(r.relation)]),
                )),
            },
        };
        let mut out = Vec::with_capacity(HEADER + n * 40 + 4096);
        out.extend_from_slice(&SNAPSHOT_MAGIC);
        out.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
        postcard::to_extend(&envelope, out).expect("writing to a Vec cannot fail")
    }

    /// Loads a binary snapshot with the default [`LoadOptions`]: default
    /// limits, the plain profile.
    ///
    /// # Errors
    ///
    /// See [`from_snapshot_with`](Self::from_snapshot_with).
    ///
    /// # Examples
    ///
    /// A hierarchy built without a profile loads without one:
    ///
    /// ```
    /// use xzqh::{Hierarchy, Role, Schema};
    /// let schema = Schema::builder("tiny")
    ///     .level("country")
    ///     .level("city")
    ///     .kind("country", "Country", "country", Role::Government)
    ///     .kind("city", "City", "city", Role::Government)
    ///     .build()?;
    /// let h = Hierarchy::builder(std::sync::Arc::new(schema))
    ///     .unit("X", "Ruritania", "country", None)
    ///     .unit("X1", "Strelsau", "city", Some("X"))
    ///     .build()?;
    /// assert_eq!(Hierarchy::from_snapshot(&h.to_snapshot())?, h);
    ///
    /// let err = Hierarchy::from_snapshot(b"{\"format\":").unwrap_err();
    /// assert_eq!(err.to_string(), "not an xzqh snapshot: the input does not start with the magic bytes");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_snapshot(bytes: &[u8]) -> Result<Hierarchy, LoadError> {
        Hierarchy::from_snapshot_with(bytes, &LoadOptions::default())
    }

    /// Loads a binary snapshot within `options`' limits, with its profile.
    ///
    /// The magic and version are checked first; every length is checked
    /// against the unit count and the bytes actually present before anything
    /// is allocated from it; the arrays then pass the same validation as the
    /// builder's output. Memory stays proportional to the input's real size.
    ///
    /// # Errors
    ///
    /// - [`LoadError::InputTooLarge`], or [`LoadError::TooMany`] units or kinds;
    /// - [`LoadError::NotASnapshot`] without the magic bytes;
    /// - [`LoadError::UnsupportedVersion`] for another format version;
    /// - [`LoadError::Truncated`] for a file that ends early;
    /// - [`LoadError::Binary`] for bytes postcard rejects (a bad varint or tag);
    /// - [`LoadError::LengthMismatch`] for an array that does not fit the unit count;
    /// - [`LoadError::InvalidUtf8`] in codes or names;
    /// - [`LoadError::Malformed`] for offsets or records that make no sense, trailing bytes;
    /// - [`LoadError::Schema`] for an invalid schema;
    /// - [`LoadError::Build`] for an invalid hierarchy (duplicate codes, a
    ///   parent after its child, names too long, too deep...).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{Hierarchy, LoadLimits, LoadOptions};
    /// let mut bytes = xzqh::china().to_snapshot();
    /// let options = LoadOptions::default().with_profile(xzqh::china::profile());
    /// let small = options.clone().with_limits(LoadLimits::default().with_max_units(100));
    /// let err = Hierarchy::from_snapshot_with(&bytes, &small).unwrap_err();
    /// assert!(err.to_string().starts_with("too many units: "));
    ///
    /// bytes[8] = 3; // a future version
    /// let err = Hierarchy::from_snapshot_with(&bytes, &options).unwrap_err();
    /// assert_eq!(err.to_string(), "unsupported format version 3: this build reads version 2");
    /// ```
    pub fn from_snapshot_with(bytes: &[u8], options: &LoadOptions) -> Result<Hierarchy, LoadError> {
        options.limits.check_bytes(bytes.len())?;
        let magic = &bytes[..bytes.len().min(SNAPSHOT_MAGIC.len())];
        if magic != &SNAPSHOT_MAGIC[..magic.len()] {
            return Err(LoadError::NotASnapshot);
        }
        if bytes.len() < HEADER {
            return Err(LoadError::Truncated { len: bytes.len() });
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != SNAPSHOT_VERSION {
            return Err(LoadError::UnsupportedVersion {
                found: version as u64,
                supported: SNAPSHOT_VERSION,
            });
        }
        let mut de = postcard::Deserializer::from_bytes(&bytes[HEADER..]);
        let mut stash = None;
        let decoded = read_envelope(&mut de, &options.limits, &mut stash);
        let rest = de.finalize().map(<[u8]>::len).unwrap_or(0);
        let envelope = match decoded {
            Ok(e) => e,
            Err(_) if stash.is_some() => return Err(stash.expect("checked")),
            Err(postcard::Error::DeserializeUnexpectedEnd) => {
                return Err(LoadError::Truncated { len: bytes.len() });
            }
            Err(e) => {
                return Err(LoadError::Binary {
                    offset: bytes.len() - rest,
                    source: Box::new(e),
                });
            }
        };
        if rest != 0 {
            return Err(LoadError::Malformed {
                what: format!("{rest} bytes after the end of the data"),
            });
        }
        envelope.load(options)
    }
}

/// Bytes written as one postcard byte string and read by borrowing.
#[derive(Debug, Clone, Copy)]
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Bytes<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Bytes<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("borrowed bytes")
            }
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Bytes<'de>, E> {
                Ok(Bytes(v))
            }
        }
        d.deserialize_bytes(V)
    }
}

#[derive(Serialize)]
struct SchemaBin<'a> {
    name: &'a str,
    levels: Vec<&'a str>,
    kinds: Vec<KindBin<'a>>,
    designations: Vec<&'a str>,
}

#[derive(Serialize, Deserialize)]
struct KindBin<'a> {
    name: &'a str,
    label: &'a str,
    level: &'a str,
    role: Role,
}

/// The postcard value after the header; field order is the wire order
/// (postcard writes a struct as its fields back to back, so the nested
/// structs add no bytes).
#[derive(Serialize)]
struct Envelope<'a> {
    data_version: Option<&'a str>,
    profile: &'a str,
    schema: SchemaBin<'a>,
    arrays: Arrays<'a>,
}

/// The envelope's fields after the schema.
#[derive(Serialize, Deserialize)]
struct Arrays<'a> {
    units: u64,
    #[serde(borrow)]
    code_offsets: Bytes<'a>,
    #[serde(borrow)]
    codes: Bytes<'a>,
    #[serde(borrow)]
    name_offsets: Bytes<'a>,
    #[serde(borrow)]
    names: Bytes<'a>,
    #[serde(borrow)]
    name_of: Bytes<'a>,
    #[serde(borrow)]
    parent: Bytes<'a>,
    #[serde(borrow)]
    kind: Bytes<'a>,
    #[serde(borrow)]
    designations: Bytes<'a>,
    #[serde(borrow)]
    relations: Bytes<'a>,
}

/// Reads the envelope one field at a time, so that each schema list stops
/// at its limit as soon as its length prefix is read (a derived
/// `Deserialize` would allocate for the whole list first). A limit error is
/// put in `stash`.
fn read_envelope<'a>(
    de: &mut postcard::Deserializer<'a, postcard::de_flavors::Slice<'a>>,
    limits: &LoadLimits,
    stash: &mut Option<LoadError>,
) -> Result<Envelope<'a>, postcard::Error> {
    let data_version = Option::<&str>::deserialize(&mut *de)?;
    let profile = <&str>::deserialize(&mut *de)?;
    let name = <&str>::deserialize(&mut *de)?;
    let levels = Capped::new("levels", MAX_LEVELS, stash).deserialize(&mut *de)?;
    let kinds = Capped::new("kinds", limits.max_kinds, stash).deserialize(&mut *de)?;
    let designations =
        Capped::new("designations", MAX_DESIGNATIONS, stash).deserialize(&mut *de)?;
    let arrays = Arrays::deserialize(&mut *de)?;
    Ok(Envelope {
        data_version,
        profile,
        schema: SchemaBin {
            name,
            levels,
            kinds,
            designations,
        },
        arrays,
    })
}

/// Checks that `blob` holds exactly `count` values of `width` bytes.
fn exact(
    field: &'static str,
    blob: Bytes<'_>,
    count: u64,
    width: u64,
    units: u64,
) -> Result<(), LoadError> {
    let expected = count.saturating_mul(width);
    if blob.0.len() as u64 != expected {
        return Err(LoadError::LengthMismatch {
            field,
            len: blob.0.len() as u64,
            expected,
            units,
        });
    }
    Ok(())
}

/// Checks that `blob` is whole records of `width` bytes.
fn records(field: &'static str, blob: Bytes<'_>, width: usize) -> Result<(), LoadError> {
    if !blob.0.len().is_multiple_of(width) {
        return Err(LoadError::Malformed {
            what: format!(
                "{field} hold {} bytes, not a whole number of {width}-byte records",
                blob.0.len()
            ),
        });
    }
    Ok(())
}

fn u32s(blob: Bytes<'_>) -> Vec<u32> {
    blob.0
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().expect("chunks of 4")))
        .collect()
}

/// The blob as a string. SIMD validation: std's takes about 8 instructions
/// a byte on Chinese text, a quarter of the whole load.
fn text(field: &'static str, blob: Bytes<'_>) -> Result<String, LoadError> {
    match simdutf8::compat::from_utf8(blob.0) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(LoadError::InvalidUtf8 {
            field,
            offset: e.valid_up_to(),
        }),
    }
}

fn table(field: &'static str, offsets: Bytes<'_>, blob: Bytes<'_>) -> Result<StrTable, LoadError> {
    let bytes = text(field, blob)?;
    StrTable::from_raw(u32s(offsets), bytes).ok_or_else(|| LoadError::Malformed {
        what: format!("{field}: offsets out of order, off the end, or inside a character"),
    })
}

impl Envelope<'_> {
    fn load(self, options: &LoadOptions) -> Result<Hierarchy, LoadError> {
        options.check_profile(self.profile)?;
        let limits = &options.limits;
        let a = &self.arrays;
        let n = a.units;
        limits.check_units(n)?;
        exact("code_offsets", a.code_offsets, n.saturating_add(1), 4, n)?;
        exact("name_of", a.name_of, n, 4, n)?;
        exact("parent", a.parent, n, 4, n)?;
        exact("kind", a.kind, n, 2, n)?;
        records("name_offsets", a.name_offsets, 4)?;
        records("designations", a.designations, 8)?;
        records("relations", a.relations, 12)?;
        let s = &self.schema;
        let schema = super::build_schema(
            s.name,
            s.levels.iter().copied(),
            s.kinds.iter().map(|k| (k.name, k.label, k.level, k.role)),
            s.designations.iter().copied(),
            limits,
        )?;
        let designations = u32s(a.designations);
        let relations = u32s(a.relations);
        let mut secondary = Vec::with_capacity(relations.len() / 3);
        for r in relations.chunks_exact(3) {
            let relation = super::relation_from_code(r[2]).ok_or_else(|| LoadError::Malformed {
                what: format!("unknown relation code {}", r[2]),
            })?;
            secondary.push((r[0], r[1], relation));
        }
        let codes = table("codes", a.code_offsets, a.codes)?;
        let names = table("names", a.name_offsets, a.names)?;
        let name_of = u32s(a.name_of);
        let parent = u32s(a.parent);
        let kind = a
            .kind
            .0
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let parts = Parts {
            codes,
            names,
            name_of,
            parent,
            kind,
            designations: designations.chunks_exact(2).map(|d| (d[0], d[1])).collect(),
            secondary,
            data_version: self.data_version.map(str::to_owned),
        };
        Ok(Hierarchy::from_parts(
            schema,
            options.profile.clone(),
            parts,
            &limits.build_limits(),
        )?)
    }
}
