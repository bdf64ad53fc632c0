//! Snapshots: a hierarchy saved and loaded without loss, as readable JSON
//! ([`Hierarchy::to_json`]) or as a compact binary file for fast start-up
//! ([`Hierarchy::to_snapshot`]).
//!
//! Both carry the schema (levels, kinds, designations), every unit (code,
//! name, kind, parent, designations), the secondary relations and the data
//! version, and both load through the builder's validation, so whatever
//! loads is a valid hierarchy and a hostile file fails with a [`LoadError`]
//! instead of a panic or an allocation sized by a count in the file.
//!
//! [`Hierarchy::to_json`]: crate::Hierarchy::to_json
//! [`Hierarchy::to_snapshot`]: crate::Hierarchy::to_snapshot

mod binary;
mod json;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::exchange::load::{LoadError, LoadLimits};
use crate::model::relation::Relation;
use crate::model::schema::{Role, Schema};

/// The most levels a schema may declare (ranks are `u8`).
pub(crate) const MAX_LEVELS: usize = u8::MAX as usize;

/// Reads a list of at most `max` elements: a longer one stops the read as
/// soon as its length is known (a binary length prefix) or as the element
/// past the limit is met (JSON, whose remaining elements are skipped
/// without being kept), with [`LoadError::TooMany`] in `stash`. So a
/// schema list in a hostile file never allocates beyond its limit.
struct Capped<'s, T> {
    what: &'static str,
    max: usize,
    stash: &'s mut Option<LoadError>,
    element: PhantomData<fn() -> T>,
}

impl<'s, T> Capped<'s, T> {
    fn new(what: &'static str, max: usize, stash: &'s mut Option<LoadError>) -> Self {
        Capped {
            what,
            max,
            stash,
            element: PhantomData,
        }
    }

    fn too_many<E: de::Error>(self, count: u64) -> E {
        *self.stash = Some(LoadError::TooMany {
            what: self.what,
            count,
            max: self.max,
        });
        E::custom(format_args!("too many {}", self.what))
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Capped<'_, T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Capped<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {}", self.what)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        if let Some(len) = seq.size_hint()
            && len > self.max
        {
            return Err(self.too_many(len as u64));
        }
        let mut out = Vec::new();
        while out.len() < self.max {
            match seq.next_element()? {
                Some(x) => out.push(x),
                None => return Ok(out),
            }
        }
        let mut count = out.len() as u64;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            count += 1;
        }
        if count > self.max as u64 {
            return Err(self.too_many(count));
        }
        Ok(out)
    }
}

pub use binary::{SNAPSHOT_MAGIC, SNAPSHOT_VERSION};
pub use json::{JSON_FORMAT, JSON_VERSION};

/// A schema from its loaded parts.
fn build_schema<'a>(
    name: &str,
    levels: impl IntoIterator<Item = &'a str>,
    kinds: impl ExactSizeIterator<Item = (&'a str, &'a str, &'a str, Role)>,
    designations: impl IntoIterator<Item = &'a str>,
    limits: &LoadLimits,
) -> Result<Arc<Schema>, LoadError> {
    if kinds.len() > limits.max_kinds {
        return Err(LoadError::TooMany {
            what: "kinds",
            count: kinds.len() as u64,
            max: limits.max_kinds,
        });
    }
    let mut b = Schema::builder(name);
    for level in levels {
        b = b.level(level);
    }
    for (name, label, level, role) in kinds {
        b = b.kind(name, label, level, role);
    }
    for d in designations {
        b = b.designation(d);
    }
    Ok(Arc::new(b.build()?))
}

/// The binary code of a relation: 1–3 for the named secondary relations,
/// `0x100 + n` for `Custom(n)`, 0 for the primary one (never stored).
fn relation_code(r: Relation) -> u32 {
    match r {
        Relation::Administrative => 0,
        Relation::Entrusted => 1,
        Relation::CorpsCoAdministration => 2,
        Relation::Planning => 3,
        Relation::Custom(n) => 0x100 + n as u32,
    }
}

fn relation_from_code(code: u32) -> Option<Relation> {
    Some(match code {
        0 => Relation::Administrative,
        1 => Relation::Entrusted,
        2 => Relation::CorpsCoAdministration,
        3 => Relation::Planning,
        0x100..=0x1FF => Relation::Custom((code - 0x100) as u8),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_codes_round_trip() {
        let all = [
            Relation::Administrative,
            Relation::Entrusted,
            Relation::CorpsCoAdministration,
            Relation::Planning,
            Relation::Custom(0),
            Relation::Custom(255),
        ];
        for r in all {
            assert_eq!(relation_from_code(relation_code(r)), Some(r));
        }
        assert_eq!(relation_from_code(4), None);
        assert_eq!(relation_from_code(0x200), None);
    }
}
