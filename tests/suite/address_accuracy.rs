//! Accuracy of the address resolver on generated addresses: real units of
//! the embedded data written in the six forms people use, with street text
//! and house numbers after them. A seeded generator, not a fixture.
//!
//! `cargo test --release --test suite address_accuracy -- --nocapture`
//! prints the table; add `--features villages` for the village-level run.
//! How other parsers do on such texts is measured with the benchmarks, not
//! here.
//!
//! # How answers are judged
//!
//! The generator knows the unit it wrote (the *deepest* unit) and the
//! county-level unit above it (the unit itself at county level, or, for the
//! townships of 东莞, 中山, 儋州 and 嘉峪关, which have no county, the
//! prefecture). A resolved answer is right at county level when its own
//! county-level unit is that one, and right at the deepest level when it is
//! the unit. An ambiguous answer is wrong, unless the text is *genuinely*
//! ambiguous: the written place names, read in order, are also names (full
//! or short) of another candidate and of some of its ancestors, top-down,
//! the last name being that candidate's own (长安镇 written alone, for a
//! 长安镇 of 东莞, names every 长安镇). Then the honest answer is to list
//! both, and it counts as right if the unit is among the candidates. A
//! resolved answer is never excused: a silent guess on an ambiguous text is
//! wrong.

use xzqh::address::{AddressResolver, Outcome};
use xzqh::china::{COUNTY, ChinaKind, PREFECTURAL, PROVINCIAL, TOWNSHIP, VILLAGE, short_forms};
use xzqh::{Level, Unit};

/// splitmix64: small, seeded, good enough to draw units and words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// 广东省深圳市南山区粤海街道
    Full,
    /// 深圳市南山区粤海街道
    NoProvince,
    /// 深圳南山区粤海街道
    ShortCity,
    /// 广东深圳南山区粤海街道
    ShortProvinceCity,
    /// 南山区粤海街道
    CountyFirst,
    /// 南山粤海街道
    ShortCounty,
    /// Not one of the six: every name short, 深圳南山粤海 (reported, not asserted).
    AllShort,
}

const STYLES: [Style; 7] = [
    Style::Full,
    Style::NoProvince,
    Style::ShortCity,
    Style::ShortProvinceCity,
    Style::CountyFirst,
    Style::ShortCounty,
    Style::AllShort,
];

const ROADS: [&str; 24] = [
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "和平路",
    "新华路",
    "胜利路",
    "文化路",
    "青年路",
    "光明街",
    "幸福路",
    "科技园路",
    "朝阳路",
    "长江路",
    "黄河路",
    "北京路",
    "工业大道",
    "环城东路",
    "滨江路",
    "学府路",
    "花园小区",
    "锦绣家园",
    "金色港湾",
    "府前街",
];

const SEPARATORS: [&str; 4] = [" ", ",", "，", "\u{3000}"];

/// Full name or a short form (drawn), for one unit.
fn short(rng: &mut Rng, u: Unit<'_>) -> String {
    let forms = short_forms(u.name());
    if forms.is_empty() {
        u.name().to_owned()
    } else {
        rng.pick(&forms).clone()
    }
}

/// The unit and its ancestors below the root, top-down.
fn chain(u: Unit<'_>) -> Vec<Unit<'_>> {
    let mut c: Vec<Unit<'_>> = u.ancestors().filter(|a| a.parent().is_some()).collect();
    c.reverse();
    c.push(u);
    c
}

/// The place names of `u` in `style`, as written (without separators).
fn segments(rng: &mut Rng, u: Unit<'_>, style: Style) -> Vec<String> {
    let c = chain(u);
    let level = |x: &Unit<'_>| x.level();
    let is_municipality =
        |x: &Unit<'_>| ChinaKind::from_id(x.kind_id()) == Some(ChinaKind::Municipality);
    let city = c.iter().position(|x| level(x) == PREFECTURAL);
    let county = c.iter().position(|x| level(x) == COUNTY);
    let full = |x: &Unit<'_>| x.name().to_owned();
    let mut out = Vec::new();
    match style {
        Style::Full => out.extend(c.iter().map(full)),
        Style::NoProvince => out.extend(c.iter().filter(|x| level(x) != PROVINCIAL).map(full)),
        Style::ShortCity | Style::ShortProvinceCity => {
            let short_province = style == Style::ShortProvinceCity;
            for (i, x) in c.iter().enumerate() {
                if level(x) == PROVINCIAL {
                    // A municipality is its own city.
                    if short_province || (city.is_none() && is_municipality(x)) {
                        out.push(short(rng, *x));
                    }
                } else if Some(i) == city {
                    out.push(short(rng, *x));
                } else if city.is_none() && Some(i) == county && !is_municipality(&c[0]) {
                    // A county-level city directly under its province (仙桃).
                    out.push(short(rng, *x));
                } else {
                    out.push(full(x));
                }
            }
        }
        Style::AllShort => {
            let municipality = is_municipality(&c[0]);
            for x in &c {
                if level(x) != PROVINCIAL || city.is_none() && municipality {
                    out.push(short(rng, *x));
                }
            }
        }
        Style::CountyFirst | Style::ShortCounty => {
            // No county (东莞, 儋州): start at the township.
            let from = county.unwrap_or_else(|| {
                c.iter()
                    .position(|x| level(x) == TOWNSHIP)
                    .unwrap_or(c.len() - 1)
            });
            for (i, x) in c.iter().enumerate().skip(from) {
                if i == from && style == Style::ShortCounty && county.is_some() {
                    out.push(short(rng, *x));
                } else {
                    out.push(full(x));
                }
            }
        }
    }
    // Villages are written as people say them (纪登村, 科技园社区), mostly.
    if u.level() == VILLAGE
        && rng.chance(85)
        && let Some(last) = out.last_mut()
    {
        *last = short(rng, u);
    }
    out
}

/// A whole address: the segments, sometimes separated, then street text.
fn address(rng: &mut Rng, segments: &[String]) -> String {
    let sep = if rng.chance(25) {
        Some(*rng.pick(&SEPARATORS))
    } else {
        None
    };
    let mut s = String::new();
    for (i, seg) in segments.iter().enumerate() {
        if i > 0
            && let Some(sep) = sep
        {
            s.push_str(sep);
        }
        s.push_str(seg);
    }
    if rng.chance(85) {
        if let Some(sep) = sep {
            s.push_str(sep);
        }
        let road: &&str = rng.pick(&ROADS);
        s.push_str(road);
        s.push_str(&(1 + rng.below(300)).to_string());
        s.push('号');
        if rng.chance(30) {
            s.push_str(&format!(
                "{}栋{}室",
                1 + rng.below(20),
                101 + rng.below(1500)
            ));
        }
    }
    s
}

/// The county-level unit at or above `u`: the county, else (townships of a
/// prefecture-level city without counties) the unit above the township.
fn county_of(u: Unit<'_>) -> Option<Unit<'_>> {
    if u.level() == COUNTY {
        return Some(u);
    }
    if u.level() < COUNTY {
        return None;
    }
    let mut x = u;
    while let Some(p) = x.parent() {
        if p.level() <= COUNTY {
            return Some(p);
        }
        x = p;
    }
    None
}

fn names_unit(seg: &str, u: Unit<'_>) -> bool {
    u.name() == seg || short_forms(u.name()).iter().any(|f| f == seg)
}

/// Whether `segs`, in order, name `c` and some of its ancestors, the last
/// segment naming `c` itself.
fn reads_as(segs: &[String], c: Unit<'_>) -> bool {
    let Some((last, init)) = segs.split_last() else {
        return false;
    };
    if !names_unit(last, c) {
        return false;
    }
    let above: Vec<Unit<'_>> = chain(c).into_iter().rev().skip(1).collect::<Vec<_>>();
    let mut above = above.into_iter().rev();
    init.iter()
        .all(|seg| above.by_ref().any(|a| names_unit(seg, a)))
}

#[derive(Default, Clone, Copy)]
struct Tally {
    n: usize,
    county: usize,
    deepest: usize,
    genuine: usize,
}

fn judge(
    resolver: &AddressResolver<'_>,
    text: &str,
    segs: &[String],
    want: Unit<'_>,
) -> (bool, bool, bool) {
    let r = resolver.resolve(text);
    match r.outcome() {
        Outcome::Resolved(got) => {
            let county = county_of(*got).is_some() && county_of(*got) == county_of(want);
            (county, *got == want, false)
        }
        Outcome::Ambiguous(cands) => {
            let listed = cands.iter().any(|c| c.unit == want);
            let genuine = listed
                && cands
                    .iter()
                    .filter(|c| c.unit != want)
                    .any(|c| reads_as(segs, c.unit));
            (genuine, genuine, genuine)
        }
        _ => (false, false, false),
    }
}

/// Draws `count` distinct units at `level`, writes each in the six forms,
/// and returns the tally per form (and prints it, with a few failures).
fn measure(
    resolver: &AddressResolver<'_>,
    level: Level,
    count: usize,
    seed: u64,
) -> Vec<(Style, Tally)> {
    let h = resolver.hierarchy();
    let mut rng = Rng(seed);
    let mut pool: Vec<Unit<'_>> = h.units().filter(|u| u.level() == level).collect();
    // Partial Fisher-Yates: the first `count` of a seeded shuffle.
    let count = count.min(pool.len());
    for i in 0..count {
        let j = i + rng.below(pool.len() - i);
        pool.swap(i, j);
    }
    let mut out: Vec<(Style, Tally)> = STYLES.iter().map(|&s| (s, Tally::default())).collect();
    let mut shown = [0usize; STYLES.len()];
    let show = std::env::var_os("SHOW").is_some();
    let t_index = |out: &[(Style, Tally)]| out.iter().map(|(_, t)| t.n).sum::<usize>();
    for &u in &pool[..count] {
        for (k, &style) in STYLES.iter().enumerate() {
            let segs = segments(&mut rng, u, style);
            let text = address(&mut rng, &segs);
            let (county, deepest, genuine) = judge(resolver, &text, &segs, u);
            // `SHOW=1` prints one address in 300 (without drawing from `rng`).
            if show && (t_index(&out) % 300 == 0) {
                println!(
                    "  sample {style:?}: {text} → {:?}",
                    resolver.resolve(&text).unit().map(|x| x.to_string())
                );
            }
            let t = &mut out[k].1;
            t.n += 1;
            t.county += county as usize;
            t.deepest += deepest as usize;
            t.genuine += genuine as usize;
            if !deepest && shown[k] < 4 {
                shown[k] += 1;
                let r = resolver.resolve(&text);
                let got = match r.outcome() {
                    Outcome::Resolved(x) => format!("resolved {x}"),
                    Outcome::Ambiguous(c) => format!(
                        "ambiguous [{}]",
                        c.iter()
                            .take(4)
                            .map(|c| c.unit.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => "not found".to_owned(),
                };
                println!("  miss {style:?}: {text} → {got}; want {u}");
            }
        }
    }
    print_table(&out);
    out
}

fn pct(a: usize, n: usize) -> f64 {
    100.0 * a as f64 / n.max(1) as f64
}

fn print_table(rows: &[(Style, Tally)]) {
    println!(
        "{:<18} {:>6} {:>9} {:>9} {:>8}",
        "form", "n", "county%", "deepest%", "genuine"
    );
    let row = |label: &str, t: &Tally| {
        println!(
            "{:<18} {:>6} {:>9.2} {:>9.2} {:>8}",
            label,
            t.n,
            pct(t.county, t.n),
            pct(t.deepest, t.n),
            t.genuine
        );
    };
    let mut all = Tally::default();
    for (style, t) in rows {
        if *style == Style::AllShort {
            continue;
        }
        row(&format!("{style:?}"), t);
        all.n += t.n;
        all.county += t.county;
        all.deepest += t.deepest;
        all.genuine += t.genuine;
    }
    row("overall", &all);
    if let Some((_, t)) = rows.iter().find(|(s, _)| *s == Style::AllShort) {
        row("extra: AllShort", t);
    }
}

#[track_caller]
fn assert_overall(rows: &[(Style, Tally)], county: f64, deepest: f64) {
    let six = rows.iter().filter(|(s, _)| *s != Style::AllShort);
    let (n, c, d) = six.fold((0, 0, 0), |(n, c, d), (_, t)| {
        (n + t.n, c + t.county, d + t.deepest)
    });
    assert!(n >= 10_000, "at least 10,000 addresses, got {n}");
    assert!(
        pct(c, n) >= county,
        "county-level accuracy {:.2}% < {county}%",
        pct(c, n)
    );
    assert!(
        pct(d, n) >= deepest,
        "deepest-unit accuracy {:.2}% < {deepest}%",
        pct(d, n)
    );
}

#[test]
fn township_addresses_in_six_forms() {
    let resolver = xzqh::china().addresses().expect("china's names fit");
    println!("township level, {} units drawn, six forms each", 2_000);
    let rows = measure(&resolver, TOWNSHIP, 2_000, 2024);
    assert_overall(&rows, 99.0, 97.0);
}

#[cfg(feature = "villages")]
#[test]
fn village_addresses_in_six_forms() {
    let resolver = xzqh::china_with_villages()
        .addresses()
        .expect("china's names fit");
    println!("village level, {} units drawn, six forms each", 2_000);
    let rows = measure(&resolver, VILLAGE, 2_000, 2025);
    assert_overall(&rows, 99.0, 97.0);
}
