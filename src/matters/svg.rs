//! An SVG treemap of a unit's area, drawn by the crate (no browser, no
//! plotting dependency): the unit's children as rectangles sized by their
//! open cases, each split into its own children, shaded by the share of
//! overdue cases.

use std::fmt::Write;

use crate::matters::ledger::Ledger;
use crate::model::unit::Unit;

/// Width and height of the picture, in SVG user units.
const W: f64 = 960.0;
const H: f64 = 600.0;

impl Ledger<'_> {
    /// An SVG treemap of `unit`'s area: its children sized by open cases,
    /// each split into its own children (slice and dice, two levels), red
    /// by the share of overdue cases, labelled with name and counts where
    /// there is room. A unit with no open case draws an empty frame; a unit
    /// of another hierarchy, too.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::{Arrival, Ledger};
    /// use xzqh::routing::{Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    /// let a = [Place::Code("110105021")];
    /// ledger.arrive(Arrival::new("c1", "m", "public_complaint", &a, 0))?;
    /// let svg = ledger.treemap(xzqh::china().by_code("11").unwrap());
    /// assert!(svg.starts_with("<svg") && svg.contains("朝阳区"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn treemap(&self, unit: Unit<'_>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" \
             viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">"
        );
        let ours = unit.h.stamp == self.h.stamp;
        let total = if ours { self.counts(unit).cases } else { 0 };
        let _ = writeln!(
            out,
            "<title>{}: {} open cases</title>\n<rect width=\"{W}\" height=\"{H}\" fill=\"#f4f4f4\" stroke=\"#333\"/>",
            escape(unit.name()),
            total
        );
        if ours && total > 0 {
            let me = Unit {
                h: self.h,
                id: unit.id,
            };
            self.tile(&mut out, me, (0.0, 0.0, W, H), true, 0);
        }
        out.push_str("</svg>\n");
        out
    }

    /// Splits `rect` among `unit`'s children with open cases: along the
    /// longer side, in proportion to their counts.
    fn tile(
        &self,
        out: &mut String,
        unit: Unit<'_>,
        rect: (f64, f64, f64, f64),
        deeper: bool,
        depth: u8,
    ) {
        let kids: Vec<_> = unit
            .children()
            .filter(|c| self.rollup.totals(c.id).cases > 0)
            .collect();
        let sum: f64 = kids
            .iter()
            .map(|c| f64::from(self.rollup.totals(c.id).cases))
            .sum();
        let (x, y, w, h) = rect;
        let mut at = 0.0;
        for c in kids {
            let n = self.rollup.totals(c.id);
            let share = f64::from(n.cases) / sum;
            let r = if w >= h {
                (x + at * w, y, share * w, h)
            } else {
                (x, y + at * h, w, share * h)
            };
            at += share;
            let red = (f64::from(n.overdue) / f64::from(n.cases)).clamp(0.0, 1.0);
            let (fill, stroke) = if depth == 0 {
                (shade(red, 0.85), 2)
            } else {
                (shade(red, 0.7), 1)
            };
            let _ = writeln!(
                out,
                "<g><title>{} {}: {} open matters, {} open cases, {} overdue</title>\
                 <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#333\" stroke-width=\"{stroke}\"/>",
                c.code(),
                escape(c.name()),
                n.matters,
                n.cases,
                n.overdue,
                r.0,
                r.1,
                r.2,
                r.3
            );
            if deeper {
                // Leave a band for the parent's label.
                let inner = (
                    r.0 + 2.0,
                    r.1 + 16.0,
                    (r.2 - 4.0).max(0.0),
                    (r.3 - 18.0).max(0.0),
                );
                self.tile(out, c, inner, false, depth + 1);
            }
            if r.2 > 48.0 && r.3 > 14.0 {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\">{} {}</text>",
                    r.0 + 3.0,
                    r.1 + 12.0,
                    escape(c.name()),
                    n.cases
                );
            }
            out.push_str("</g>\n");
        }
    }
}

/// A colour from white-ish (`red` = 0) to red (`red` = 1), at lightness `light`.
fn shade(red: f64, light: f64) -> String {
    let hi = (255.0 * light) as u8;
    let lo = (f64::from(hi) * (1.0 - red)) as u8;
    format!("#{hi:02x}{lo:02x}{lo:02x}")
}

/// Escapes text for SVG.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
