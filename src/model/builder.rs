//! The validating builder and its error type.

use std::collections::HashMap;
use std::sync::Arc;

pub use crate::model::build_error::BuildError;

use crate::exchange::load::excerpt;
use crate::model::assemble::Parts;
use crate::model::hierarchy::{Hierarchy, NONE};
use crate::model::index::{FxBuild, StrTable};
use crate::model::profile::Profile;
use crate::model::relation::Relation;
use crate::model::schema::{Designation, KindId, Schema};

/// How a unit's kind is given to [`HierarchyBuilder::unit`]: an id or a
/// kind's machine name (a country's kind enum converts too: China's
/// `ChinaKind`).
///
/// # Examples
///
/// ```
/// use xzqh::{china::ChinaKind, KindRef};
/// let by_name = KindRef::from("municipality");
/// let by_id = KindRef::from(ChinaKind::Municipality.id());
/// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
///     .unit("0", "中华人民共和国", ChinaKind::State, None)
///     .unit("11", "北京市", by_name, Some("0"))
///     .unit("12", "天津市", by_id, Some("0"))
///     .build()?;
/// assert_eq!(h.by_code("11").unwrap().kind_id(), h.by_code("12").unwrap().kind_id());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindRef<'a> {
    /// A kind id in the builder's schema.
    Id(KindId),
    /// A kind's machine name in the builder's schema.
    Name(&'a str),
}

impl From<KindId> for KindRef<'_> {
    fn from(id: KindId) -> Self {
        KindRef::Id(id)
    }
}

impl<'a> From<&'a str> for KindRef<'a> {
    fn from(name: &'a str) -> Self {
        KindRef::Name(name)
    }
}

/// Limits the builder enforces, so that hostile input fails cleanly.
///
/// The fields are public; the `with_*` methods set one and return the
/// limits, for chaining.
///
/// # Examples
///
/// ```
/// let limits = xzqh::BuildLimits::default().with_max_depth(8);
/// assert_eq!(limits.max_depth, 8);
/// assert_eq!(limits.max_code_bytes, 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BuildLimits {
    /// Deepest depth allowed (root = 0). Real hierarchies have fewer than 10
    /// levels; the default, 64, leaves room for grids. At most `u16::MAX`.
    pub max_depth: usize,
    /// Longest code in bytes (default 64).
    pub max_code_bytes: usize,
    /// Longest name in bytes (default 1024).
    pub max_name_bytes: usize,
    /// Most units (default `u32::MAX - 1`, the id space).
    pub max_units: usize,
}

impl Default for BuildLimits {
    fn default() -> Self {
        BuildLimits {
            max_depth: 64,
            max_code_bytes: 64,
            max_name_bytes: 1024,
            max_units: (u32::MAX - 1) as usize,
        }
    }
}

impl BuildLimits {
    /// Sets the maximum depth (capped at `u16::MAX`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::BuildLimits::default().with_max_depth(7).max_depth, 7);
    /// ```
    pub fn with_max_depth(mut self, max: usize) -> Self {
        self.max_depth = max.min(u16::MAX as usize);
        self
    }

    /// Sets the maximum code length in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::BuildLimits::default().with_max_code_bytes(12).max_code_bytes, 12);
    /// ```
    pub fn with_max_code_bytes(mut self, max: usize) -> Self {
        self.max_code_bytes = max;
        self
    }

    /// Sets the maximum name length in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::BuildLimits::default().with_max_name_bytes(9).max_name_bytes, 9);
    /// ```
    pub fn with_max_name_bytes(mut self, max: usize) -> Self {
        self.max_name_bytes = max;
        self
    }

    /// Sets the maximum number of units (capped at `u32::MAX - 1`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::BuildLimits::default().with_max_units(5).max_units, 5);
    /// ```
    pub fn with_max_units(mut self, max: usize) -> Self {
        self.max_units = max.min((u32::MAX - 1) as usize);
        self
    }
}

#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Debug, Clone, Copy)]
enum KindSlot {
    Id(u16),
    Name(Span),
}

#[derive(Debug, Clone, Copy)]
struct Row {
    code: Span,
    name: Span,
    parent: Option<Span>,
    kind: KindSlot,
}

/// Collects units and relations, then validates and builds a [`Hierarchy`].
///
/// Rows may come in any order: the result is the same hierarchy (units are
/// numbered in pre-order with children sorted by code). Strings are copied
/// into one buffer, so adding a unit allocates nothing per unit.
///
/// # Examples
///
/// An English two-tier county beside a unitary authority:
///
/// ```
/// use xzqh::{Hierarchy, Role, Schema};
/// use std::sync::Arc;
/// let schema = Arc::new(Schema::builder("england")
///     .level("country").level("county").level("district")
///     .kind("country", "Country", "country", Role::Government)
///     .kind("county_council", "County council", "county", Role::Government)
///     .kind("unitary_authority", "Unitary authority", "county", Role::Government)
///     .kind("district_council", "District council", "district", Role::Government)
///     .build()?);
/// let h = Hierarchy::builder(schema)
///     .unit("E92000001", "England", "country", None)
///     .unit("E10000003", "Cambridgeshire", "county_council", Some("E92000001"))
///     .unit("E07000008", "Cambridge", "district_council", Some("E10000003"))
///     .unit("E06000055", "Bedford", "unitary_authority", Some("E92000001"))
///     .build()?;
/// assert_eq!(h.by_code("E07000008").unwrap().tiers(), 2);
/// assert_eq!(h.by_code("E06000055").unwrap().tiers(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct HierarchyBuilder {
    schema: Arc<Schema>,
    strings: String,
    overflow: bool,
    rows: Vec<Row>,
    relations: Vec<(Span, Span, Relation)>,
    designations: Vec<(Span, Designation)>,
    data_version: Option<String>,
    profile: Arc<dyn Profile>,
    limits: BuildLimits,
}

impl HierarchyBuilder {
    pub(crate) fn new(schema: Arc<Schema>) -> Self {
        HierarchyBuilder {
            schema,
            strings: String::new(),
            overflow: false,
            rows: Vec::new(),
            relations: Vec::new(),
            designations: Vec::new(),
            data_version: None,
            profile: crate::model::hierarchy::plain_profile(),
            limits: BuildLimits::default(),
        }
    }

    /// Reserves room for `units` more units.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = xzqh::Hierarchy::builder(xzqh::china::schema()).reserve(100, 2_000);
    /// assert!(b.build().is_err()); // no unit yet
    /// ```
    pub fn reserve(mut self, units: usize, string_bytes: usize) -> Self {
        self.rows.reserve(units);
        self.strings.reserve(string_bytes);
        self
    }

    /// Sets the limits checked by [`build`](Self::build).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let err = xzqh::Hierarchy::builder(xzqh::china::schema())
    ///     .limits(xzqh::BuildLimits::default().with_max_depth(1))
    ///     .unit("0", "中华人民共和国", ChinaKind::State, None)
    ///     .unit("11", "北京市", ChinaKind::Municipality, Some("0"))
    ///     .unit("110105", "朝阳区", ChinaKind::District, Some("11"))
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "unit 110105 is at depth 2, beyond the limit of 1");
    /// ```
    pub fn limits(mut self, limits: BuildLimits) -> Self {
        self.limits = limits;
        self
    }

    fn push_str(&mut self, s: &str) -> Span {
        let start = self.strings.len();
        match (u32::try_from(start), u32::try_from(s.len())) {
            (Ok(start), Ok(len)) if (start as u64 + len as u64) <= u32::MAX as u64 => {
                self.strings.push_str(s);
                Span { start, len }
            }
            _ => {
                self.overflow = true;
                Span { start: 0, len: 0 }
            }
        }
    }

    fn str(&self, s: Span) -> &str {
        &self.strings[s.start as usize..(s.start + s.len) as usize]
    }

    /// Adds a unit: its code, name, kind, and the code of its primary parent
    /// (`None` for the root). Problems are reported by [`build`](Self::build).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
    ///     .unit("0", "中华人民共和国", ChinaKind::State, None)
    ///     .unit("11", "北京市", "municipality", Some("0"))
    ///     .build()?;
    /// assert_eq!(h.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unit<'k>(
        mut self,
        code: &str,
        name: &str,
        kind: impl Into<KindRef<'k>>,
        parent: Option<&str>,
    ) -> Self {
        self.add_unit(code, name, kind.into(), parent);
        self
    }

    /// [`unit`](Self::unit) through a reference, for loaders that keep the
    /// builder in a struct.
    pub(crate) fn add_unit(
        &mut self,
        code: &str,
        name: &str,
        kind: KindRef<'_>,
        parent: Option<&str>,
    ) {
        let kind = match kind {
            KindRef::Id(id) => KindSlot::Id(id.raw()),
            KindRef::Name(n) => match self.schema.kind_id(n) {
                Some(id) => KindSlot::Id(id.raw()),
                None => KindSlot::Name(self.push_str(n)),
            },
        };
        let row = Row {
            code: self.push_str(code),
            name: self.push_str(name),
            parent: parent.map(|p| self.push_str(p)),
            kind,
        };
        self.rows.push(row);
    }

    /// Adds a secondary relation: `from` governs `to` by `relation`.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::{china::ChinaKind, Relation};
    /// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
    ///     .unit("0", "中华人民共和国", ChinaKind::State, None)
    ///     .unit("44", "广东省", ChinaKind::Province, Some("0"))
    ///     .unit("4402", "韶关市", ChinaKind::PrefectureCity, Some("44"))
    ///     .unit("440281", "乐昌市", ChinaKind::CountyCity, Some("4402"))
    ///     .relation("44", "440281", Relation::Entrusted)
    ///     .build()?;
    /// assert_eq!(h.by_code("440281").unwrap().relations_in().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn relation(mut self, from: &str, to: &str, relation: Relation) -> Self {
        self.add_relation(from, to, relation);
        self
    }

    pub(crate) fn add_relation(&mut self, from: &str, to: &str, relation: Relation) {
        let (from, to) = (self.push_str(from), self.push_str(to));
        self.relations.push((from, to, relation));
    }

    /// Gives the unit with `code` a designation of the schema.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let schema = xzqh::china::schema();
    /// let capital = schema.designation_id("provincial_capital").unwrap();
    /// let h = xzqh::Hierarchy::builder(schema)
    ///     .unit("0", "中华人民共和国", ChinaKind::State, None)
    ///     .designate("0", capital)
    ///     .build()?;
    /// assert!(h.root().has(capital));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn designate(mut self, code: &str, designation: Designation) -> Self {
        self.add_designation(code, designation);
        self
    }

    pub(crate) fn add_designation(&mut self, code: &str, designation: Designation) {
        let code = self.push_str(code);
        self.designations.push((code, designation));
    }

    /// Records the version of the data (e.g. `"NBS 2023"`).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
    ///     .unit("0", "中华人民共和国", ChinaKind::State, None)
    ///     .data_version("v1")
    ///     .build()?;
    /// assert_eq!(h.data_version(), Some("v1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data_version(mut self, version: &str) -> Self {
        self.set_data_version(version);
        self
    }

    pub(crate) fn set_data_version(&mut self, version: &str) {
        self.data_version = Some(version.to_owned());
    }

    /// Sets the country profile: how names and codes are written in the
    /// hierarchy's country (see [`Profile`]). Without one, names and codes
    /// are read exactly as written ([`PlainProfile`](crate::PlainProfile)).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
    ///     .profile(xzqh::china::profile())
    ///     .unit("0", "中华人民共和国", ChinaKind::State, None)
    ///     .unit("44", "广东省", ChinaKind::Province, Some("0"))
    ///     .build()?;
    /// assert_eq!(h.by_code("440000").unwrap().name(), "广东省");
    /// assert_eq!(h.names().lookup("广东")?.code(), "44");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn profile(mut self, profile: Arc<dyn Profile>) -> Self {
        self.profile = profile;
        self
    }

    /// Validates everything and builds the hierarchy.
    ///
    /// Checks run in a fixed order, and within each check units are visited
    /// in code order, so the same rows in any order give the same error.
    ///
    /// # Errors
    ///
    /// A [`BuildError`]: an empty builder; an invalid code or name; an unknown
    /// kind; a duplicate code; an unknown parent, or a relation or designation
    /// naming an unknown unit; an edge to itself; a second primary parent; a
    /// duplicate edge; an unknown designation; several roots; a cycle; a unit
    /// ranked above its parent; a depth or size beyond the limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
    ///     .unit("0", "中华人民共和国", ChinaKind::State, None)
    ///     .unit("110105", "朝阳区", ChinaKind::District, Some("0"))
    ///     .unit("11", "北京市", ChinaKind::Municipality, Some("110105"))
    ///     .build();
    /// assert_eq!(
    ///     h.unwrap_err().to_string(),
    ///     "unit 11 at level provincial ranks above its parent 110105 at level county"
    /// );
    /// ```
    pub fn build(self) -> Result<Hierarchy, BuildError> {
        self.build_ref()
    }

    /// Rows (in the order added) whose code is `code`: loaders use it to put
    /// a line number on an error that names a code.
    pub(crate) fn rows_with_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = usize> + 'a {
        (0..self.rows.len()).filter(move |&i| self.str(self.rows[i].code) == code)
    }

    /// Whether secondary relations were added.
    pub(crate) fn has_relations(&self) -> bool {
        !self.relations.is_empty()
    }

    /// [`build`](Self::build) without giving up the builder, so that a loader
    /// can map an error back to its input.
    pub(crate) fn build_ref(&self) -> Result<Hierarchy, BuildError> {
        let n = self.rows.len();
        if n == 0 {
            return Err(BuildError::Empty);
        }
        if self.overflow {
            return Err(BuildError::TooLarge {
                what: "string bytes",
                max: u32::MAX as usize,
            });
        }
        if n > self.limits.max_units {
            return Err(BuildError::TooLarge {
                what: "units",
                max: self.limits.max_units,
            });
        }
        let code = |i: usize| self.str(self.rows[i].code);

        // Sort by code: every later check visits rows in this order.
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by(|&a, &b| code(a as usize).cmp(code(b as usize)));

        // Kinds given by name must exist in the schema.
        let kinds = self.schema.kinds();
        let mut kind_of = vec![0u16; n];
        for &i in &order {
            let i = i as usize;
            kind_of[i] = match self.rows[i].kind {
                KindSlot::Id(k) if (k as usize) < kinds.len() => k,
                KindSlot::Id(k) => {
                    return Err(BuildError::UnknownKind {
                        code: excerpt(code(i)),
                        kind: format!("#{k}"),
                    });
                }
                KindSlot::Name(s) => {
                    return Err(BuildError::UnknownKind {
                        code: excerpt(code(i)),
                        kind: excerpt(self.str(s)),
                    });
                }
            };
        }
        for w in order.windows(2) {
            if code(w[0] as usize) == code(w[1] as usize) {
                return Err(BuildError::DuplicateCode {
                    code: excerpt(code(w[0] as usize)),
                });
            }
        }
        // Position in code order of a code, by binary search.
        let find = |s: &str| -> Option<u32> {
            order
                .binary_search_by(|&j| code(j as usize).cmp(s))
                .ok()
                .map(|p| order[p])
        };

        // Parents.
        let mut parent = vec![NONE; n];
        let mut roots = Vec::new();
        for &i in &order {
            let i = i as usize;
            match self.rows[i].parent {
                None => roots.push(i),
                Some(p) => {
                    let p = self.str(p);
                    if p == code(i) {
                        return Err(BuildError::SelfEdge { code: excerpt(p) });
                    }
                    parent[i] = find(p).ok_or_else(|| BuildError::UnknownParent {
                        code: excerpt(code(i)),
                        parent: excerpt(p),
                    })?;
                }
            }
        }

        // Secondary relations, in (from, to) code order.
        let mut rels: Vec<(u32, u32, Relation)> = Vec::with_capacity(self.relations.len());
        for &(f, t, r) in &self.relations {
            let unknown = |s: Span| BuildError::UnknownUnit {
                what: "relation",
                code: excerpt(self.str(s)),
            };
            let from = find(self.str(f)).ok_or_else(|| unknown(f))?;
            let to = find(self.str(t)).ok_or_else(|| unknown(t))?;
            rels.push((from, to, r));
        }
        rels.sort_unstable_by(|a, b| {
            (code(a.0 as usize), code(a.1 as usize), a.2).cmp(&(
                code(b.0 as usize),
                code(b.1 as usize),
                b.2,
            ))
        });
        for (k, &(from, to, r)) in rels.iter().enumerate() {
            if from == to {
                return Err(BuildError::SelfEdge {
                    code: excerpt(code(from as usize)),
                });
            }
            if r.is_primary() {
                let first = parent[to as usize];
                return Err(BuildError::SecondPrimaryParent {
                    code: excerpt(code(to as usize)),
                    first: if first == NONE {
                        String::new()
                    } else {
                        excerpt(code(first as usize))
                    },
                    second: excerpt(code(from as usize)),
                });
            }
            let repeats = k > 0 && rels[k - 1].0 == from && rels[k - 1].1 == to;
            if repeats || parent[to as usize] == from {
                return Err(BuildError::DuplicateEdge {
                    from: excerpt(code(from as usize)),
                    to: excerpt(code(to as usize)),
                });
            }
        }

        // Designations.
        let mut desig = vec![0u32; n];
        let mut desig_sorted: Vec<(u32, Designation)> = Vec::new();
        for &(c, d) in &self.designations {
            let u = find(self.str(c)).ok_or_else(|| BuildError::UnknownUnit {
                what: "designation",
                code: excerpt(self.str(c)),
            })?;
            desig_sorted.push((u, d));
        }
        desig_sorted
            .sort_unstable_by(|a, b| (code(a.0 as usize), a.1).cmp(&(code(b.0 as usize), b.1)));
        for &(u, d) in &desig_sorted {
            if d.index() >= self.schema.designations().len() {
                return Err(BuildError::UnknownDesignation {
                    code: excerpt(code(u as usize)),
                    index: d.index(),
                });
            }
            desig[u as usize] |= d.bit();
        }

        if roots.len() > 1 {
            return Err(BuildError::MultipleRoots {
                first: excerpt(code(roots[0])),
                second: excerpt(code(roots[1])),
            });
        }

        // Children lists in code order (counting sort by parent, stable).
        let mut child_start = vec![0u32; n + 1];
        for &p in &parent {
            if p != NONE {
                child_start[p as usize + 1] += 1;
            }
        }
        for i in 0..n {
            child_start[i + 1] += child_start[i];
        }
        let mut fill = child_start.clone();
        let mut child_list = vec![0u32; child_start[n] as usize];
        for &i in &order {
            let p = parent[i as usize];
            if p != NONE {
                child_list[fill[p as usize] as usize] = i;
                fill[p as usize] += 1;
            }
        }

        // Pre-order numbering by an explicit stack (no recursion: depth is untrusted).
        let mut new_id = vec![NONE; n];
        let mut pre: Vec<u32> = Vec::with_capacity(n);
        if let Some(&root) = roots.first() {
            let mut stack = vec![root as u32];
            while let Some(u) = stack.pop() {
                new_id[u as usize] = pre.len() as u32;
                pre.push(u);
                let (a, b) = (
                    child_start[u as usize] as usize,
                    child_start[u as usize + 1] as usize,
                );
                stack.extend(child_list[a..b].iter().rev());
            }
        }
        if pre.len() < n {
            return Err(self.cycle_error(&order, &parent, &new_id));
        }

        // Strings in pre-order, names interned; then the shared checks and indexing.
        let too_large = || BuildError::TooLarge {
            what: "string bytes",
            max: u32::MAX as usize,
        };
        let codes =
            StrTable::from_iter(pre.iter().map(|&u| code(u as usize))).ok_or_else(too_large)?;
        let mut intern: HashMap<&str, u32, FxBuild> = HashMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        let mut name_of = vec![0u32; n];
        for (id, &u) in pre.iter().enumerate() {
            let name = self.str(self.rows[u as usize].name);
            let next = distinct.len() as u32;
            let nid = *intern.entry(name).or_insert(next);
            if nid == next {
                distinct.push(name);
            }
            name_of[id] = nid;
        }
        drop(intern);
        let names = StrTable::from_iter(distinct.iter().copied()).ok_or_else(too_large)?;
        let parts = Parts {
            codes,
            names,
            name_of,
            parent: pre
                .iter()
                .map(|&u| match parent[u as usize] {
                    NONE => NONE,
                    p => new_id[p as usize],
                })
                .collect(),
            kind: pre.iter().map(|&u| kind_of[u as usize]).collect(),
            designations: pre
                .iter()
                .enumerate()
                .filter(|&(_, &u)| desig[u as usize] != 0)
                .map(|(id, &u)| (id as u32, desig[u as usize]))
                .collect(),
            secondary: rels
                .iter()
                .map(|&(f, t, r)| (new_id[f as usize], new_id[t as usize], r))
                .collect(),
            data_version: self.data_version.clone(),
        };
        Hierarchy::from_parts(
            self.schema.clone(),
            self.profile.clone(),
            parts,
            &self.limits,
        )
    }

    /// Finds the cycle through the smallest-coded unit the root never reached.
    fn cycle_error(&self, order: &[u32], parent: &[u32], new_id: &[u32]) -> BuildError {
        let code = |i: u32| excerpt(self.str(self.rows[i as usize].code));
        // Unreached units all have parents (the only root was reached, if any),
        // so following parents from one of them must loop.
        let start = order
            .iter()
            .copied()
            .find(|&i| new_id[i as usize] == NONE)
            .expect("called only when some unit was not reached");
        let mut seen = vec![false; parent.len()];
        let mut u = start;
        while !seen[u as usize] {
            seen[u as usize] = true;
            u = parent[u as usize];
        }
        // `u` is on the cycle: collect it, then rotate to the smallest code.
        let mut cycle = vec![u];
        let mut v = parent[u as usize];
        while v != u {
            cycle.push(v);
            v = parent[v as usize];
        }
        let min = (0..cycle.len())
            .min_by_key(|&k| self.str(self.rows[cycle[k] as usize].code))
            .unwrap_or(0);
        cycle.rotate_left(min);
        let mut codes: Vec<String> = cycle.iter().take(16).map(|&u| code(u)).collect();
        if cycle.len() > 16 {
            codes.push(format!("… ({} units)", cycle.len()));
        }
        BuildError::Cycle { codes }
    }
}
