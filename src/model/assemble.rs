//! The one place a [`Hierarchy`] is made: flat arrays in canonical pre-order,
//! checked in O(n), then indexed.
//!
//! The builder sorts and numbers arbitrary rows and hands its result here;
//! loaders (the embedded data, snapshots) read arrays that are already in
//! this form and hand them here directly, so whatever they load passes the
//! same checks as a build and a bad file cannot yield an invalid hierarchy.

use std::sync::Arc;

use crate::exchange::load::excerpt;
use crate::model::builder::{BuildError, BuildLimits};
use crate::model::hierarchy::{Derived, Hierarchy, NONE, Secondary, next_stamp};
use crate::model::index::{HashIndex, StrTable};
use crate::model::jurisdiction::Governing;
use crate::model::profile::Profile;
use crate::model::relation::Relation;
use crate::model::schema::Schema;

/// A hierarchy as flat arrays, indexed by pre-order position.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parts {
    /// Unit codes.
    pub(crate) codes: StrTable,
    /// Distinct names.
    pub(crate) names: StrTable,
    /// Index into `names` of each unit's name.
    pub(crate) name_of: Vec<u32>,
    /// Parent position (`NONE` for the root at 0); must come before the unit.
    pub(crate) parent: Vec<u32>,
    /// Kind index in the schema.
    pub(crate) kind: Vec<u16>,
    /// `(unit, designation bits)`, strictly increasing by unit, bits non-zero.
    pub(crate) designations: Vec<(u32, u32)>,
    /// `(from, to, relation)` secondary edges, in any order.
    pub(crate) secondary: Vec<(u32, u32, Relation)>,
    pub(crate) data_version: Option<String>,
}

fn not_canonical(codes: &StrTable, id: u32, reason: &'static str) -> BuildError {
    BuildError::NotCanonical {
        code: excerpt(codes.get(id)),
        reason,
    }
}

impl Hierarchy {
    /// Checks `parts` and builds the hierarchy; O(n) apart from hashing.
    pub(crate) fn from_parts(
        schema: Arc<Schema>,
        profile: Arc<dyn Profile>,
        parts: Parts,
        limits: &BuildLimits,
    ) -> Result<Hierarchy, BuildError> {
        let Parts {
            codes,
            names,
            name_of,
            parent,
            kind,
            designations,
            secondary,
            data_version,
        } = parts;
        let n = parent.len();
        if n == 0 {
            return Err(BuildError::Empty);
        }
        if n > limits.max_units.min((u32::MAX - 1) as usize) {
            return Err(BuildError::TooLarge {
                what: "units",
                max: limits.max_units,
            });
        }
        if codes.len() != n || name_of.len() != n || kind.len() != n {
            return Err(BuildError::Inconsistent {
                what: "per-unit arrays of different lengths",
            });
        }

        // Per-unit format checks: a fast pass over the string blobs and the
        // per-unit lengths first, then, only if it fails, the per-unit walk
        // that finds the first offending unit (in id order) for the error.
        if !strings_look_valid(&codes, &names, &name_of, limits) {
            check_strings(&codes, &names, &name_of, limits)?;
        }
        if let Some(id) = kind
            .iter()
            .position(|&k| k as usize >= schema.kinds().len())
        {
            return Err(BuildError::UnknownKind {
                code: excerpt(codes.get(id as u32)),
                kind: format!("#{}", kind[id]),
            });
        }
        // The name index is independent of the rest: on large inputs it is
        // built on a second thread while this one checks the tree and makes
        // the rest (start-up time of services loading a snapshot). Errors
        // keep their order: tree errors first, then name errors.
        let names_job = || index_names(&names, &name_of);
        let built = std::thread::scope(|scope| {
            let spawned = if n >= PARALLEL_MIN_UNITS {
                // No thread on platforms without threads: build inline below.
                std::thread::Builder::new()
                    .spawn_scoped(scope, names_job)
                    .ok()
            } else {
                None
            };
            let shape = (|| {
                let key = |i: u32| codes.get(i).as_bytes();
                let code_index = HashIndex::build_packed(n, key)
                    .unwrap_or_else(|| HashIndex::build(n, key))
                    .map_err(|(a, _)| BuildError::DuplicateCode {
                        code: excerpt(codes.get(a)),
                    })?;

                // Tree shape: the root first, every parent before its children, in
                // pre-order (each parent still on the root path), siblings by code.
                if parent[0] != NONE {
                    return Err(not_canonical(&codes, 0, "the first unit must be the root"));
                }
                let mut depth = vec![0u16; n];
                let mut stack: Vec<u32> = vec![0];
                for id in 1..n as u32 {
                    let p = parent[id as usize];
                    if p == NONE {
                        return Err(BuildError::MultipleRoots {
                            first: excerpt(codes.get(0)),
                            second: excerpt(codes.get(id)),
                        });
                    }
                    if p >= id {
                        return Err(not_canonical(
                            &codes,
                            id,
                            "its parent does not come before it",
                        ));
                    }
                    let mut previous_sibling = None;
                    while let Some(&top) = stack.last() {
                        if top == p {
                            break;
                        }
                        previous_sibling = stack.pop();
                    }
                    if stack.is_empty() {
                        return Err(not_canonical(&codes, id, "units are not in pre-order"));
                    }
                    if let Some(s) = previous_sibling
                        && parent[s as usize] == p
                        && codes.get(s) >= codes.get(id)
                    {
                        return Err(not_canonical(&codes, id, "siblings are not in code order"));
                    }
                    let d = stack.len();
                    if d > limits.max_depth.min(u16::MAX as usize) {
                        return Err(BuildError::TooDeep {
                            code: excerpt(codes.get(id)),
                            depth: d,
                            max: limits.max_depth,
                        });
                    }
                    depth[id as usize] = d as u16;
                    let (level, _) = schema.kind_level_role(kind[id as usize]);
                    let (plevel, _) = schema.kind_level_role(kind[p as usize]);
                    if level.is_above(plevel) {
                        let lname = |l: crate::Level| l.name().to_owned();
                        return Err(BuildError::LevelAboveParent {
                            code: excerpt(codes.get(id)),
                            level: lname(level),
                            parent: excerpt(codes.get(p)),
                            parent_level: lname(plevel),
                        });
                    }
                    stack.push(id);
                }
                let mut end: Vec<u32> = (1..=n as u32).collect();
                for id in (1..n).rev() {
                    let p = parent[id] as usize;
                    end[p] = end[p].max(end[id]);
                }
                let governs: Vec<bool> = (0..schema.kinds().len())
                    .map(|k| schema.kind_level_role(k as u16).1.governs())
                    .collect();
                let governing = Governing::new(&end, &kind, &governs);

                // Designations.
                for (k, &(u, bits)) in designations.iter().enumerate() {
                    if u as usize >= n {
                        return Err(BuildError::Inconsistent {
                            what: "designation of a unit out of range",
                        });
                    }
                    if k > 0 && designations[k - 1].0 >= u {
                        return Err(not_canonical(
                            &codes,
                            u,
                            "designations are not sorted by unit",
                        ));
                    }
                    if bits == 0 {
                        return Err(BuildError::Inconsistent {
                            what: "designation record without a designation",
                        });
                    }
                    let declared = schema.designations().len();
                    if declared < 32 && bits >> declared != 0 {
                        return Err(BuildError::UnknownDesignation {
                            code: excerpt(codes.get(u)),
                            index: (31 - bits.leading_zeros()) as usize,
                        });
                    }
                }

                // Secondary relations.
                let mut sec: Vec<Secondary> = Vec::with_capacity(secondary.len());
                for &(from, to, relation) in &secondary {
                    if from as usize >= n || to as usize >= n {
                        return Err(BuildError::Inconsistent {
                            what: "relation with an endpoint out of range",
                        });
                    }
                    if from == to {
                        return Err(BuildError::SelfEdge {
                            code: excerpt(codes.get(from)),
                        });
                    }
                    if relation.is_primary() {
                        let first = parent[to as usize];
                        return Err(BuildError::SecondPrimaryParent {
                            code: excerpt(codes.get(to)),
                            first: if first == NONE {
                                String::new()
                            } else {
                                excerpt(codes.get(first))
                            },
                            second: excerpt(codes.get(from)),
                        });
                    }
                    if parent[to as usize] == from {
                        return Err(BuildError::DuplicateEdge {
                            from: excerpt(codes.get(from)),
                            to: excerpt(codes.get(to)),
                        });
                    }
                    sec.push(Secondary { to, from, relation });
                }
                sec.sort_unstable();
                if let Some(w) = sec
                    .windows(2)
                    .find(|w| (w[0].to, w[0].from) == (w[1].to, w[1].from))
                {
                    return Err(BuildError::DuplicateEdge {
                        from: excerpt(codes.get(w[0].from)),
                        to: excerpt(codes.get(w[0].to)),
                    });
                }

                Ok((code_index, depth, end, governing, sec))
            })()?; // on error the scope still joins the name thread
            let named = match spawned {
                Some(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                None => names_job(),
            }?;
            Ok((shape, named))
        });
        let ((code_index, depth, end, governing, sec), (name_index, name_start, name_units)) =
            built?;
        Ok(Hierarchy {
            schema,
            profile,
            stamp: next_stamp(),
            parent: parent.into_boxed_slice(),
            end: end.into_boxed_slice(),
            governing,
            depth: depth.into_boxed_slice(),
            kind: kind.into_boxed_slice(),
            codes,
            code_index,
            name_of: name_of.into_boxed_slice(),
            names,
            name_index,
            name_start: name_start.into_boxed_slice(),
            name_units: name_units.into_boxed_slice(),
            designations: designations.into_boxed_slice(),
            secondary_out: {
                let mut out = sec.clone();
                out.sort_unstable_by_key(|s| (s.from, s.to));
                out.into_boxed_slice()
            },
            secondary: sec.into_boxed_slice(),
            data_version: data_version.map(String::into_boxed_str),
            derived: Derived::default(),
        })
    }
}

/// Units from which [`Hierarchy::from_parts`] builds the name index on a
/// second thread. Below, spawning costs about as much as it saves (measured
/// on China's township-level data; see BENCHMARKS.md).
const PARALLEL_MIN_UNITS: usize = 1 << 18;

/// The name index and the units grouped by name (`name_units[name_start[i]..
/// name_start[i + 1]]` have name `i`).
fn index_names(
    names: &StrTable,
    name_of: &[u32],
) -> Result<(HashIndex, Vec<u32>, Vec<u32>), BuildError> {
    let name_index = HashIndex::build(names.len(), |i| names.get(i).as_bytes()).map_err(|_| {
        BuildError::Inconsistent {
            what: "name table with a repeated entry",
        }
    })?;
    let mut name_start = vec![0u32; names.len() + 1];
    for &nid in name_of {
        name_start[nid as usize + 1] += 1;
    }
    for i in 0..names.len() {
        name_start[i + 1] += name_start[i];
    }
    let mut fill = name_start.clone();
    let mut name_units = vec![0u32; name_of.len()];
    for (id, &nid) in name_of.iter().enumerate() {
        name_units[fill[nid as usize] as usize] = id as u32;
        fill[nid as usize] += 1;
    }
    Ok((name_index, name_start, name_units))
}

/// Whether a byte string holds a control character (U+0000–U+001F, U+007F,
/// or U+0080–U+009F, which UTF-8 writes as `C2 80`–`C2 9F`), as
/// [`char::is_control`] decides; a byte scan, far faster than decoding.
fn has_control(bytes: &[u8]) -> bool {
    // Branch-free over 64-byte chunks so it vectorizes; the exact check runs
    // only where a chunk holds a candidate byte.
    let candidate = |c: &[u8]| {
        c.iter()
            .fold(false, |f, &b| f | (b < 0x20) | (b == 0x7F) | (b == 0xC2))
    };
    bytes.chunks(64).enumerate().any(|(k, c)| {
        candidate(c)
            && c.iter().enumerate().any(|(i, &b)| {
                b < 0x20
                    || b == 0x7F
                    || (b == 0xC2 && matches!(bytes.get(k * 64 + i + 1), Some(0x80..=0x9F)))
            })
    })
}

/// Whether every byte is printable ASCII other than space (`!` to `~`).
fn all_graphic(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|c| {
        c.iter()
            .fold(true, |ok, &b| ok & (b.wrapping_sub(b'!') < b'~' - b'!' + 1))
    })
}

/// Whether every string of the table has 1 to `max` bytes.
fn lengths_within(table: &StrTable, max: usize) -> bool {
    let max = max.min(u32::MAX as usize) as u32;
    table.offsets().windows(2).fold(true, |ok, w| {
        ok & (w[1].wrapping_sub(w[0]).wrapping_sub(1) < max)
    })
}

/// Whole-blob checks: true when every code and every name is valid, so
/// [`check_strings`] cannot fail. May be false for valid input (a bad name
/// no unit uses); `check_strings` then decides.
fn strings_look_valid(
    codes: &StrTable,
    names: &StrTable,
    name_of: &[u32],
    limits: &BuildLimits,
) -> bool {
    let in_range = name_of
        .iter()
        .fold(true, |ok, &n| ok & ((n as usize) < names.len()));
    in_range
        && lengths_within(codes, limits.max_code_bytes)
        && lengths_within(names, limits.max_name_bytes)
        && all_graphic(codes.blob().as_bytes())
        && !has_control(names.blob().as_bytes())
}

/// The first unit (in id order) whose code or name is invalid.
fn check_strings(
    codes: &StrTable,
    names: &StrTable,
    name_of: &[u32],
    limits: &BuildLimits,
) -> Result<(), BuildError> {
    for id in 0..codes.len() as u32 {
        let c = codes.get(id);
        if c.is_empty() || c.len() > limits.max_code_bytes || !all_graphic(c.as_bytes()) {
            return Err(BuildError::InvalidCode {
                code: excerpt(c),
                max: limits.max_code_bytes,
            });
        }
        let name_id = name_of[id as usize];
        let ok = (name_id as usize) < names.len() && {
            let name = names.get(name_id);
            !name.is_empty() && name.len() <= limits.max_name_bytes && !has_control(name.as_bytes())
        };
        if !ok {
            return Err(BuildError::InvalidName {
                code: excerpt(c),
                max: limits.max_name_bytes,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{all_graphic, has_control};

    #[test]
    fn has_control_agrees_with_char_is_control() {
        for c in (0u32..0x800).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(
                has_control(s.as_bytes()),
                s.chars().any(char::is_control),
                "{c:?}"
            );
        }
        assert!(!has_control("莫𡐓村委会".as_bytes()));
        let long = format!("{}\u{85}", "村".repeat(40));
        assert!(has_control(long.as_bytes()));
        assert!(!has_control(
            format!("{}\u{a0}", "村".repeat(40)).as_bytes()
        ));
    }

    #[test]
    fn all_graphic_agrees_with_is_ascii_graphic() {
        for b in 0..=255u8 {
            assert_eq!(all_graphic(&[b'1', b]), b.is_ascii_graphic(), "{b:#x}");
        }
    }
}
