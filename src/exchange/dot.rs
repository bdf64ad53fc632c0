//! Pictures: a region's pyramid as Graphviz DOT.
//!
//! The DOT text is written here rather than through `petgraph::dot`: the
//! drawing is a depth-limited subtree (a pre-order range with subtrees cut at
//! the limit, no subgraph to build), node styles come from the unit's role,
//! secondary edges need their own style and must not bend the tree's layout
//! (`constraint=false`), and a legend sits beside the tree. Writing it
//! ourselves also keeps the output, which the golden tests pin byte for byte,
//! independent of petgraph's formatting between its 0.x releases.

use std::fmt;

use crate::model::hierarchy::{Hierarchy, UnitId};
use crate::model::schema::{Level, Role};

/// What [`Hierarchy::dot`] draws: how deep below the region, down to which
/// level, and whether secondary relations and a legend are shown.
///
/// The default draws two levels below the region, with secondary relations
/// and the legend: a province's prefectures and counties, a few hundred units
/// at most, where its townships would add a thousand or more. Units directly
/// under a province (湖北's 仙桃) bring their townships into the second
/// level; [`lowest_level`](Self::lowest_level) cuts by level instead.
///
/// # Examples
///
/// ```
/// use xzqh::DotOptions;
/// let opts = DotOptions::new().depth(Some(1)).secondary(false).legend(false);
/// assert_eq!(opts.max_depth(), Some(1));
/// assert_eq!(DotOptions::default().max_depth(), Some(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DotOptions {
    depth: Option<usize>,
    lowest: Option<Level>,
    secondary: bool,
    legend: bool,
}

impl Default for DotOptions {
    fn default() -> Self {
        DotOptions {
            depth: Some(2),
            lowest: None,
            secondary: true,
            legend: true,
        }
    }
}

impl DotOptions {
    /// The default options: two levels below the region, secondary
    /// relations and the legend shown.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::DotOptions::new(), xzqh::DotOptions::default());
    /// ```
    pub fn new() -> Self {
        DotOptions::default()
    }

    /// Draws units at most `levels` below the region (`Some(0)`: the region
    /// alone), or the whole subtree with `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let bj = h.by_code("11").unwrap().id();
    /// let all = xzqh::DotOptions::new().depth(None);
    /// assert_eq!(h.dot(bj, &all).unwrap().unit_count(), 5);
    /// let top = xzqh::DotOptions::new().depth(Some(1));
    /// assert_eq!(h.dot(bj, &top).unwrap().unit_count(), 3);
    /// ```
    pub fn depth(mut self, levels: Option<usize>) -> Self {
        self.depth = levels;
        self
    }

    /// Draws only units at `level` or above (a unit's subtree is never above
    /// it, so the cut drops whole subtrees), or every level with `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::COUNTY;
    /// let h = xzqh::sample::small_china();
    /// let hubei = h.by_code("42").unwrap().id();
    /// let counties = xzqh::DotOptions::new().lowest_level(Some(COUNTY));
    /// assert_eq!(h.dot(hubei, &counties).unwrap().unit_count(), 2); // 湖北省, 仙桃市
    /// ```
    pub fn lowest_level(mut self, level: Option<Level>) -> Self {
        self.lowest = level;
        self
    }

    /// Whether to draw secondary relations (entrusted management, corps
    /// co-administration, …) between drawn units, dashed and labelled.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let gd = h.by_code("44").unwrap().id();
    /// let with = h.dot(gd, &xzqh::DotOptions::new()).unwrap().to_string();
    /// assert!(with.contains("label=\"entrusted\""));
    /// let without = xzqh::DotOptions::new().secondary(false);
    /// assert!(!h.dot(gd, &without).unwrap().to_string().contains("entrusted"));
    /// ```
    pub fn secondary(mut self, show: bool) -> Self {
        self.secondary = show;
        self
    }

    /// Whether to draw a legend of the roles shown.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let off = xzqh::DotOptions::new().legend(false);
    /// assert!(!h.dot(h.root().id(), &off).unwrap().to_string().contains("cluster_legend"));
    /// ```
    pub fn legend(mut self, show: bool) -> Self {
        self.legend = show;
        self
    }

    /// The depth limit below the region, `None` for the whole subtree.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::DotOptions::new().depth(None).max_depth(), None);
    /// ```
    pub fn max_depth(&self) -> Option<usize> {
        self.depth
    }

    /// The lowest level drawn, `None` for every level.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::COUNTY;
    /// assert_eq!(xzqh::DotOptions::new().lowest_level(Some(COUNTY)).min_level(), Some(COUNTY));
    /// ```
    pub fn min_level(&self) -> Option<Level> {
        self.lowest
    }
}

/// A region's pyramid in Graphviz DOT: [`Display`](fmt::Display) writes the
/// text. Made by [`Hierarchy::dot`].
///
/// - Nodes are `n<id>` ([`UnitId::index`]), labelled with the unit's name
///   and code, with the kind as tooltip; shape and colour show the role:
///   government a blue box, agency a yellow ellipse, self-governing a green
///   note, functional a grey dashed hexagon.
/// - Solid edges run from each primary parent to its children; secondary
///   relations are dashed grey edges labelled with the relation's name, drawn
///   when both ends are drawn, and left out of the layout's ranking so the
///   tree keeps its shape.
/// - The legend lists the roles drawn.
///
/// The layout runs left to right: a pyramid is far wider than deep (湖北 has
/// 17 units below the province and 101 county-level units below those), and columns of short
/// CJK labels read better than one very long row. Render with
/// `dot -Tsvg region.dot -o region.svg`; CJK labels need a font with CJK
/// glyphs where the picture is rendered.
///
/// # Examples
///
/// ```
/// let h = xzqh::sample::small_china();
/// let hubei = h.by_code("42").unwrap().id();
/// let dot = h.dot(hubei, &xzqh::DotOptions::new()).unwrap();
/// assert_eq!(dot.unit_count(), 3);
/// let text = dot.to_string();
/// assert!(text.starts_with("digraph \"42 湖北省\" {"));
/// assert!(text.contains("n10 [label=\"仙桃市\\n429004\""));
/// assert!(text.contains("n9 -> n10;")); // 仙桃 directly under the province
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Dot<'h> {
    h: &'h Hierarchy,
    region: u32,
    /// The deepest absolute depth drawn.
    last_depth: usize,
    options: DotOptions,
}

impl Hierarchy {
    /// `region`'s subtree as a Graphviz DOT picture, drawn as `options` say.
    ///
    /// Returns `None` if `region` is not a unit of this hierarchy.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let dot = h.dot(h.root().id(), &xzqh::DotOptions::new().depth(Some(1))).unwrap();
    /// assert_eq!(dot.unit_count(), 7); // the State and its 6 provincial-level units
    /// std::fs::write(std::env::temp_dir().join("xzqh-doc-china.dot"), dot.to_string())?;
    /// assert!(h.dot(xzqh::UnitId::new(u32::MAX), &xzqh::DotOptions::new()).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dot(&self, region: UnitId, options: &DotOptions) -> Option<Dot<'_>> {
        let unit = self.get(region)?;
        Some(Dot {
            h: self,
            region: region.get(),
            last_depth: options
                .depth
                .map_or(usize::MAX, |d| unit.depth().saturating_add(d)),
            options: *options,
        })
    }
}

impl Dot<'_> {
    /// The number of units drawn.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::sample::small_china();
    /// let all = xzqh::DotOptions::new().depth(None);
    /// assert_eq!(h.dot(h.root().id(), &all).unwrap().unit_count(), h.len());
    /// ```
    pub fn unit_count(&self) -> usize {
        self.ids().count()
    }

    /// The drawn units' ids in pre-order: the subtree's range, skipping the
    /// descendants of units at the depth limit and the subtrees of units
    /// below the lowest level. The region itself is always drawn.
    fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        let h = self.h;
        let end = h.end[self.region as usize];
        let mut next = Some(self.region);
        std::iter::from_fn(move || {
            let i = next?;
            // Pre-order: the first unit past `i`'s subtree, or its first child.
            let mut after = if h.depth[i as usize] as usize >= self.last_depth {
                h.end[i as usize]
            } else {
                i + 1
            };
            while after < end && !self.level_drawn(after) {
                after = h.end[after as usize];
            }
            next = (after < end).then_some(after);
            Some(i)
        })
    }

    fn level_drawn(&self, id: u32) -> bool {
        // Ranks count down from the top: at or above `l` is a rank <= l's.
        self.options
            .lowest
            .is_none_or(|l| self.h.kind_def(id).level() <= l)
    }

    fn drawn(&self, id: u32) -> bool {
        self.h.contains_raw(self.region, id)
            && self.h.depth[id as usize] as usize <= self.last_depth
            && (id == self.region || self.level_drawn(id))
    }
}

/// Fill colour, shape, extra style and legend text of each role.
fn role_style(role: Role) -> (&'static str, &'static str, &'static str, &'static str) {
    match role {
        Role::Government => ("#cfe2f3", "box", "filled", "government (a tier)"),
        Role::Agency => ("#fff2cc", "ellipse", "filled", "agency"),
        Role::SelfGoverning => ("#d9ead3", "note", "filled", "self-governing"),
        Role::Functional => ("#eeeeee", "hexagon", "filled,dashed", "functional"),
    }
}

/// `s` as the body of a DOT quoted string: `"` and `\` escaped (so no
/// escString sequence such as `\N` or `\G` is formed by accident), line
/// breaks as DOT's centred `\n`, other control characters as spaces.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Writes `"` + escaped parts + `"`.
fn quoted(f: &mut fmt::Formatter<'_>, parts: &[&str]) -> fmt::Result {
    let mut s = String::with_capacity(2 + parts.iter().map(|p| p.len()).sum::<usize>());
    s.push('"');
    for p in parts {
        escape(p, &mut s);
    }
    s.push('"');
    f.write_str(&s)
}

impl fmt::Display for Dot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = self.h;
        let region = crate::Unit { h, id: self.region };
        f.write_str("digraph ")?;
        quoted(f, &[region.code(), " ", region.name()])?;
        f.write_str(" {\n    graph [rankdir=LR, fontname=\"sans-serif\", labelloc=t, label=")?;
        match h.data_version() {
            Some(v) => quoted(f, &[region.code(), " ", region.name(), " (", v, ")"])?,
            None => quoted(f, &[region.code(), " ", region.name()])?,
        }
        f.write_str("];\n    node [fontname=\"sans-serif\"];\n")?;
        f.write_str("    edge [fontname=\"sans-serif\", fontsize=10];\n")?;

        let mut roles = [false; Role::ALL.len()];
        for id in self.ids() {
            let u = crate::Unit { h, id };
            let role = u.role();
            roles[Role::ALL.iter().position(|r| *r == role).unwrap_or(0)] = true;
            let (fill, shape, style, _) = role_style(role);
            write!(f, "    n{id} [label=")?;
            quoted(f, &[u.name(), "\n", u.code()])?;
            write!(
                f,
                ", shape={shape}, style=\"{style}\", fillcolor=\"{fill}\", tooltip="
            )?;
            quoted(f, &[u.kind().label(), " (", role.as_str(), ")"])?;
            f.write_str("];\n")?;
        }
        for id in self.ids().skip(1) {
            writeln!(f, "    n{} -> n{id};", h.parent[id as usize])?;
        }
        if self.options.secondary {
            for id in self.ids() {
                for s in h.secondary_in(id).iter().filter(|s| self.drawn(s.from)) {
                    write!(
                        f,
                        "    n{} -> n{id} [style=dashed, color=\"#808080\", \
                         fontcolor=\"#606060\", constraint=false, label=",
                        s.from
                    )?;
                    quoted(f, &[&s.relation.name()])?;
                    f.write_str("];\n")?;
                }
            }
        }
        if self.options.legend {
            f.write_str("    subgraph cluster_legend {\n        label=\"legend\";\n")?;
            f.write_str("        style=dashed;\n        color=\"#808080\";\n")?;
            for (role, _) in Role::ALL.iter().zip(roles).filter(|(_, shown)| *shown) {
                let (fill, shape, style, text) = role_style(*role);
                writeln!(
                    f,
                    "        legend_{} [label=\"{text}\", shape={shape}, \
                     style=\"{style}\", fillcolor=\"{fill}\"];",
                    role.as_str()
                )?;
            }
            f.write_str("    }\n")?;
        }
        f.write_str("}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_quotes_backslashes_and_controls() {
        let mut s = String::new();
        escape("a\"b\\N\nc\r\td 湖㳇镇 莫𡐓村", &mut s);
        assert_eq!(s, "a\\\"b\\\\N\\nc d 湖㳇镇 莫𡐓村");
    }
}
