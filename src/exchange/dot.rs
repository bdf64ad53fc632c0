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
/// The fields are public; the `with_*` methods set one and return the
/// options, for chaining (as [`BuildLimits`](crate::BuildLimits) and
/// [`LoadLimits`](crate::LoadLimits) do).
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
/// let opts = DotOptions::default().with_depth(Some(1)).with_secondary(false).with_legend(false);
/// assert_eq!(opts.depth, Some(1));
/// assert!(!opts.secondary);
/// assert_eq!(DotOptions::default().depth, Some(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DotOptions {
    /// Draw units at most this many levels below the region (`Some(0)`: the
    /// region alone), or the whole subtree with `None`. Default `Some(2)`.
    pub depth: Option<usize>,
    /// Draw only units at this level or above (a unit's subtree is never
    /// above it, so the cut drops whole subtrees), or every level with
    /// `None` (the default). The region itself is always drawn.
    pub lowest_level: Option<Level>,
    /// Draw secondary relations (entrusted management, corps
    /// co-administration, …) between drawn units, dashed and labelled.
    /// Default `true`.
    pub secondary: bool,
    /// Draw a legend of the roles shown. Default `true`.
    pub legend: bool,
}

impl Default for DotOptions {
    fn default() -> Self {
        DotOptions {
            depth: Some(2),
            lowest_level: None,
            secondary: true,
            legend: true,
        }
    }
}

impl DotOptions {
    /// Sets [`depth`](Self::depth): units at most `levels` below the region,
    /// or the whole subtree with `None`.
    ///
    /// # Examples
    ///
    /// 北京市's 16 districts are one level below it:
    ///
    /// ```
    /// use xzqh::DotOptions;
    /// let h = xzqh::china();
    /// let bj = h.by_code("11").unwrap();
    /// let top = DotOptions::default().with_depth(Some(1));
    /// assert_eq!(h.dot(bj, &top).unwrap().unit_count(), 17);
    /// let all = DotOptions::default().with_depth(None);
    /// assert_eq!(h.dot(bj, &all).unwrap().unit_count(), 1 + bj.descendant_count());
    /// ```
    pub fn with_depth(mut self, levels: Option<usize>) -> Self {
        self.depth = levels;
        self
    }

    /// Sets [`lowest_level`](Self::lowest_level): only units at `level` or
    /// above, or every level with `None`.
    ///
    /// # Examples
    ///
    /// 湖北省 has 13 prefecture-level units; its four county-level units
    /// directly under the province (仙桃市, 潜江市, 天门市, 神农架林区) and
    /// everything below are cut:
    ///
    /// ```
    /// use xzqh::{china::PREFECTURAL, DotOptions};
    /// let h = xzqh::china();
    /// let hubei = h.by_code("42").unwrap();
    /// let prefectures = DotOptions::default().with_lowest_level(Some(PREFECTURAL));
    /// assert_eq!(h.dot(hubei, &prefectures).unwrap().unit_count(), 14);
    /// ```
    pub fn with_lowest_level(mut self, level: Option<Level>) -> Self {
        self.lowest_level = level;
        self
    }

    /// Sets [`secondary`](Self::secondary): whether secondary relations are
    /// drawn.
    ///
    /// # Examples
    ///
    /// 广东省 entrusts its county-level cities to prefecture-level cities:
    ///
    /// ```
    /// use xzqh::DotOptions;
    /// let h = xzqh::china();
    /// let gd = h.by_code("44").unwrap();
    /// let with = h.dot(gd, &DotOptions::default()).unwrap().to_string();
    /// assert!(with.contains("label=\"entrusted\""));
    /// let without = DotOptions::default().with_secondary(false);
    /// assert!(!h.dot(gd, &without).unwrap().to_string().contains("entrusted"));
    /// ```
    pub fn with_secondary(mut self, show: bool) -> Self {
        self.secondary = show;
        self
    }

    /// Sets [`legend`](Self::legend): whether a legend of the roles shown is
    /// drawn.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::DotOptions;
    /// let h = xzqh::china();
    /// let off = DotOptions::default().with_depth(Some(1)).with_legend(false);
    /// assert!(!h.dot(h.root(), &off).unwrap().to_string().contains("cluster_legend"));
    /// ```
    pub fn with_legend(mut self, show: bool) -> Self {
        self.legend = show;
        self
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
/// 仙桃市 is a county-level city directly under 湖北省, with 25
/// township-level units:
///
/// ```
/// let h = xzqh::china();
/// let xiantao = h.by_code("429004").unwrap();
/// let dot = h.dot(xiantao, &xzqh::DotOptions::default()).unwrap();
/// assert_eq!(dot.unit_count(), 26);
/// let text = dot.to_string();
/// assert!(text.starts_with("digraph \"429004 仙桃市\" {"));
/// let n = xiantao.id().index();
/// assert!(text.contains(&format!("n{n} [label=\"仙桃市\\n429004\"")));
/// let zhengchang = h.by_code("429004100").unwrap(); // 郑场镇
/// assert!(text.contains(&format!("n{n} -> n{};", zhengchang.id().index())));
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
    /// `region` is a [`Unit`](crate::Unit) or a [`UnitId`] of this hierarchy.
    ///
    /// Returns `None` if `region` is not a unit of this hierarchy.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::DotOptions;
    /// let h = xzqh::china();
    /// let dot = h.dot(h.root(), &DotOptions::default().with_depth(Some(1))).unwrap();
    /// // The State, its 34 provincial-level units and the Corps.
    /// assert_eq!(dot.unit_count(), 36);
    /// std::fs::write(std::env::temp_dir().join("xzqh-doc-china.dot"), dot.to_string())?;
    /// assert!(h.dot(xzqh::UnitId::new(u32::MAX), &DotOptions::default()).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dot(&self, region: impl Into<UnitId>, options: &DotOptions) -> Option<Dot<'_>> {
        let region = region.into();
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
    /// let h = xzqh::china();
    /// let xiantao = h.by_code("429004").unwrap();
    /// let all = xzqh::DotOptions::default().with_depth(None);
    /// assert_eq!(h.dot(xiantao, &all).unwrap().unit_count(), 1 + xiantao.descendant_count());
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
            .lowest_level
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
