//! Shared test helpers: random hierarchies as plain rows, and a slow reference model.
#![allow(dead_code)]

#[cfg(feature = "history")]
pub mod history;
pub mod sample;
pub use sample::{SMALL_CHINA_ROWS, small_china, synthetic};

use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::prelude::*;
use xzqh::{Hierarchy, Relation, Role, Schema};

/// A four-level schema with every role, for random hierarchies.
pub fn test_schema() -> Arc<Schema> {
    Arc::new(
        Schema::builder("test")
            .level("top")
            .level("upper")
            .level("middle")
            .level("lower")
            .kind("root", "Root", "top", Role::Government)
            .kind("region", "Region", "upper", Role::Government)
            .kind("office", "Office", "upper", Role::Agency)
            .kind("town", "Town", "middle", Role::Government)
            .kind("street", "Street", "middle", Role::Agency)
            .kind("zone", "Zone", "middle", Role::Functional)
            .kind("village", "Village", "lower", Role::SelfGoverning)
            .kind("grid", "Grid", "lower", Role::Functional)
            .designation("capital")
            .designation("big")
            .build()
            .expect("valid test schema"),
    )
}

/// One unit as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub parent: Option<String>,
    pub designations: Vec<u8>,
}

/// A random valid hierarchy as rows plus secondary relations.
#[derive(Debug, Clone)]
pub struct Rows {
    pub units: Vec<Row>,
    pub relations: Vec<(String, String, Relation)>,
}

impl Rows {
    /// Builds through the public builder, in the given row order.
    #[track_caller]
    pub fn build(&self) -> Hierarchy {
        let schema = test_schema();
        let mut b = Hierarchy::builder(schema.clone());
        for r in &self.units {
            b = b.unit(&r.code, &r.name, r.kind, r.parent.as_deref());
            for &d in &r.designations {
                b = b.designate(
                    &r.code,
                    schema
                        .designations()
                        .get(d as usize)
                        .and_then(|n| schema.designation_id(n))
                        .expect("designation"),
                );
            }
        }
        for (f, t, rel) in &self.relations {
            b = b.relation(f, t, *rel);
        }
        b.build().expect("random rows are valid")
    }
}

fn kinds_at_or_below(level: usize) -> &'static [&'static str] {
    match level {
        0 => &[
            "region", "office", "town", "street", "zone", "village", "grid",
        ],
        1 => &[
            "region", "office", "town", "street", "zone", "village", "grid",
        ],
        2 => &["town", "street", "zone", "village", "grid"],
        _ => &["village", "grid"],
    }
}

fn level_of(kind: &str) -> usize {
    match kind {
        "root" => 0,
        "region" | "office" => 1,
        "town" | "street" | "zone" => 2,
        _ => 3,
    }
}

/// Random hierarchies of 1..=max units with random secondary edges.
pub fn rows_strategy(max: usize) -> impl Strategy<Value = Rows> {
    (1..=max)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(any::<u32>(), n),
                proptest::collection::vec((any::<u32>(), any::<u32>(), 0u8..4), 0..=n),
                Just(n),
            )
        })
        .prop_map(|(seeds, edges, n)| {
            let mut units: Vec<Row> = Vec::with_capacity(n);
            units.push(Row {
                code: "R".into(),
                name: "root".into(),
                kind: "root",
                parent: None,
                designations: vec![],
            });
            for (i, &s) in seeds.iter().enumerate().skip(1) {
                let p = (s as usize) % i;
                let plevel = level_of(units[p].kind);
                let choices = kinds_at_or_below(plevel);
                let kind = choices[(s as usize / 7) % choices.len()];
                // Codes are unrelated to the tree so ordering is tested; names repeat.
                units.push(Row {
                    code: format!("c{:x}", (s % 997) as usize * 1000 + i),
                    name: format!("n{}", s % 5),
                    kind,
                    parent: Some(units[p].code.clone()),
                    designations: (0..2).filter(|b| s >> (20 + b) & 1 == 1).collect(),
                });
            }
            let mut relations = Vec::new();
            let mut seen = std::collections::BTreeSet::new();
            for (a, b, r) in edges {
                let (a, b) = (a as usize % n, b as usize % n);
                if a == b
                    || units[b].parent.as_deref() == Some(units[a].code.as_str())
                    || !seen.insert((a, b))
                {
                    continue;
                }
                let rel = match r {
                    0 => Relation::Entrusted,
                    1 => Relation::CorpsCoAdministration,
                    2 => Relation::Planning,
                    _ => Relation::Custom(9),
                };
                relations.push((units[a].code.clone(), units[b].code.clone(), rel));
            }
            Rows { units, relations }
        })
}

/// The slow, obvious model: maps and parent walks.
pub struct Reference {
    pub by_code: BTreeMap<String, Row>,
    pub relations: Vec<(String, String, Relation)>,
}

impl Reference {
    pub fn new(rows: &Rows) -> Self {
        Reference {
            by_code: rows
                .units
                .iter()
                .map(|r| (r.code.clone(), r.clone()))
                .collect(),
            relations: rows.relations.clone(),
        }
    }

    pub fn parent(&self, code: &str) -> Option<String> {
        self.by_code[code].parent.clone()
    }

    pub fn ancestors(&self, code: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut c = self.parent(code);
        while let Some(p) = c {
            c = self.parent(&p);
            out.push(p);
        }
        out
    }

    pub fn children(&self, code: &str) -> Vec<String> {
        // BTreeMap iteration is code order.
        self.by_code
            .values()
            .filter(|r| r.parent.as_deref() == Some(code))
            .map(|r| r.code.clone())
            .collect()
    }

    pub fn preorder(&self, code: &str, out: &mut Vec<String>) {
        out.push(code.to_owned());
        for c in self.children(code) {
            self.preorder(&c, out);
        }
    }

    pub fn role(&self, code: &str) -> Role {
        test_schema()
            .kind(
                test_schema()
                    .kind_id(self.by_code[code].kind)
                    .expect("kind"),
            )
            .expect("kind")
            .role()
    }

    /// (tiers, administrative levels), the root not counted.
    pub fn tiers(&self, code: &str) -> (usize, usize) {
        let mut chain = vec![code.to_owned()];
        chain.extend(self.ancestors(code));
        chain.pop(); // the root
        let tiers = chain
            .iter()
            .filter(|c| self.role(c) == Role::Government)
            .count();
        let levels = chain
            .iter()
            .filter(|c| matches!(self.role(c), Role::Government | Role::Agency))
            .count();
        (tiers, levels)
    }

    pub fn lca(&self, a: &str, b: &str) -> String {
        let mut sa = vec![a.to_owned()];
        sa.extend(self.ancestors(a));
        let mut cb = Some(b.to_owned());
        while let Some(c) = cb {
            if sa.contains(&c) {
                return c;
            }
            cb = self.parent(&c);
        }
        unreachable!("every pair shares the root")
    }
}

/// Reads a golden CSV: `#` comment lines, a header, RFC 4180 fields (no
/// newline inside a field); each row as a map from column to value.
#[track_caller]
pub fn golden_csv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty());
    let header = split_csv(lines.next().expect("a header"));
    lines
        .map(|l| {
            let fields = split_csv(l);
            assert_eq!(fields.len(), header.len(), "fields of {l}");
            header.iter().cloned().zip(fields).collect()
        })
        .collect()
}

/// Splits one RFC 4180 line into fields.
#[track_caller]
pub fn split_csv(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote in {line:?}");
    fields.push(field);
    fields
}

/// England: a two-tier county (county council, district
/// councils, a parish) beside unitary authorities, a combined authority
/// (functional here) with a planning and a custom relation, a designation;
/// and a policy where highways belong to county councils and bins to
/// district councils, unitary authorities doing both.
pub fn england() -> (Hierarchy, xzqh::routing::Policy) {
    use xzqh::routing::{CategoryDef, CompetenceDef, Policy};
    let schema = Arc::new(
        Schema::builder("england")
            .level("country")
            .level("county")
            .level("district")
            .level("parish")
            .kind("country", "Country", "country", Role::Government)
            .kind(
                "county_council",
                "County council",
                "county",
                Role::Government,
            )
            .kind(
                "unitary_authority",
                "Unitary authority",
                "county",
                Role::Government,
            )
            .kind(
                "combined_authority",
                "Combined authority",
                "county",
                Role::Functional,
            )
            .kind(
                "district_council",
                "District council",
                "district",
                Role::Government,
            )
            .kind(
                "parish_council",
                "Parish council",
                "parish",
                Role::Government,
            )
            .designation("city_status")
            .build()
            .expect("valid england schema"),
    );
    let city = schema
        .designation_id("city_status")
        .expect("declared above");
    let h = Hierarchy::builder(schema)
        .unit("E92000001", "England", "country", None)
        .unit(
            "E10000003",
            "Cambridgeshire",
            "county_council",
            Some("E92000001"),
        )
        .unit(
            "E07000008",
            "Cambridge",
            "district_council",
            Some("E10000003"),
        )
        .unit(
            "E07000012",
            "South Cambridgeshire",
            "district_council",
            Some("E10000003"),
        )
        .unit(
            "E04001234",
            "Histon and Impington",
            "parish_council",
            Some("E07000012"),
        )
        .unit(
            "E06000055",
            "Bedford",
            "unitary_authority",
            Some("E92000001"),
        )
        .unit("E04004567", "Clapham", "parish_council", Some("E06000055"))
        .unit(
            "E06000031",
            "Peterborough",
            "unitary_authority",
            Some("E92000001"),
        )
        .unit(
            "E47000008",
            "Cambridgeshire and Peterborough",
            "combined_authority",
            Some("E92000001"),
        )
        .designate("E07000008", city)
        .relation("E47000008", "E06000031", Relation::Planning)
        .relation("E47000008", "E10000003", Relation::Custom(7))
        .build()
        .expect("valid england hierarchy");
    let mut p = Policy::new("england");
    p.competences
        .push(CompetenceDef::new("highways").kinds(["county_council", "unitary_authority"]));
    p.competences.push(
        CompetenceDef::new("waste_collection").kinds(["district_council", "unitary_authority"]),
    );
    p.categories
        .push(CategoryDef::new("pothole").competences(["highways"]));
    p.categories
        .push(CategoryDef::new("missed_bin").competences(["waste_collection"]));
    (h, p)
}
