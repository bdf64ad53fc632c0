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

use std::sync::Arc;

use crate::exchange::load::{LoadError, LoadLimits};
use crate::model::relation::Relation;
use crate::model::schema::{Role, Schema};

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
