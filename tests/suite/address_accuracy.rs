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

// ---------------------------------------------------------------------------
// The second set: delivery-style texts.

/// What the delivery set writes beside the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// The address, then a road, a number, a compound, a building and a
    /// room, a shop, a person's name and a phone number.
    Delivery,
    /// The same with a generic unit name in the street text (工业园区, 西区).
    Generic,
    /// A road named after another place (湖州街, 北京路).
    Street,
    /// The county written, and a township of another county of the same
    /// prefecture (the writer's mistake): the county written or a conflict.
    OtherCounty,
    /// A township NBS files under a functional zone, written with a real
    /// county of the same prefecture: the county written.
    Zone,
    /// A sender's and a receiver's address: a conflict with both.
    TwoAddresses,
}

const CLASSES: [Class; 6] = [
    Class::Delivery,
    Class::Generic,
    Class::Street,
    Class::OtherCounty,
    Class::Zone,
    Class::TwoAddresses,
];

const COMPOUNDS: [&str; 8] = [
    "阳光花园",
    "华润城",
    "万科城市花园",
    "碧桂园",
    "保利香槟国际",
    "幸福家园",
    "金地名郡",
    "翠苑新村",
];
const SHOPS: [&str; 6] = [
    "小米之家",
    "老王五金店",
    "顺丰驿站",
    "便利店",
    "兰州拉面",
    "菜鸟驿站",
];
const SURNAMES: [&str; 8] = ["张", "王", "李", "赵", "陈", "刘", "杨", "黄"];
const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋"];
const GENERIC_TEXT: [&str; 6] = [
    "工业园区",
    "经济开发区",
    "创意园西区",
    "高新区",
    "科技园东区",
    "开发区",
];
const STREET_WORDS: [&str; 4] = ["路", "街", "大道", "巷"];

/// Street text as a delivery form takes it, 15–35 characters.
// Without the `*`, inference takes the expected `&str` for `pick`'s `&T`.
#[allow(clippy::explicit_auto_deref)]
fn delivery_tail(rng: &mut Rng, extra: &str) -> String {
    let mut s = String::from(extra);
    s.push_str(*rng.pick(&ROADS));
    s.push_str(&format!("{}号", 1 + rng.below(400)));
    if rng.chance(70) {
        s.push_str(*rng.pick(&COMPOUNDS));
        s.push_str(&format!(
            "{}栋{}单元{}室",
            1 + rng.below(30),
            1 + rng.below(4),
            101 + rng.below(2800)
        ));
    }
    if rng.chance(30) {
        s.push_str(*rng.pick(&SHOPS));
    }
    let sep = if rng.chance(50) { " " } else { "" };
    s.push_str(sep);
    s.push_str(*rng.pick(&SURNAMES));
    s.push_str(*rng.pick(&GIVEN));
    if rng.chance(50) {
        s.push_str(*rng.pick(&GIVEN));
    }
    s.push_str(sep);
    s.push_str(&format!(
        "1{}{:09}",
        3 + rng.below(7),
        rng.next() % 1_000_000_000
    ));
    s
}

/// The address part: one of the six forms, sometimes with a separator.
fn written(rng: &mut Rng, t: Unit<'_>) -> String {
    let style = STYLES[rng.below(6)];
    let segs = segments(rng, t, style);
    let sep = if rng.chance(20) { " " } else { "" };
    segs.join(sep)
}

#[derive(Debug, Default, Clone, Copy)]
struct Judged {
    n: usize,
    right: usize,
    wrong: usize,
}

fn delivery_set(classes: &[Class], per_class: usize) -> Vec<(Class, Judged, Vec<String>)> {
    let h = xzqh::china();
    let addresses = h.addresses().expect("China's dictionary builds");
    let towns: Vec<Unit<'_>> = h.units().filter(|u| u.level() == TOWNSHIP).collect();
    let zone_towns: Vec<Unit<'_>> = towns
        .iter()
        .copied()
        .filter(|t| {
            t.parent().is_some_and(|p| {
                ChinaKind::from_id(p.kind_id()) == Some(ChinaKind::CountyZone)
                    && p.parent().is_some_and(|pp| {
                        pp.children().any(|c| {
                            c.level() == COUNTY
                                && ChinaKind::from_id(c.kind_id()) != Some(ChinaKind::CountyZone)
                        })
                    })
            })
        })
        .collect();
    let prefecture_names: Vec<String> = h
        .units()
        .filter(|u| u.level() == PREFECTURAL)
        .filter_map(|u| short_forms(u.name()).into_iter().next())
        .collect();
    let mut rng = Rng(2026);
    let mut out = Vec::new();
    for &class in classes {
        let mut j = Judged::default();
        let mut misses = Vec::new();
        while j.n < per_class {
            let t = *rng.pick(if class == Class::Zone {
                &zone_towns
            } else {
                &towns
            });
            let Some(county) = county_of(t) else { continue };
            // (text, the county the answer must lie in, the county it must not)
            let (text, want, also): (String, Unit<'_>, Option<Unit<'_>>) = match class {
                Class::Delivery => (
                    written(&mut rng, t) + &delivery_tail(&mut rng, ""),
                    county,
                    None,
                ),
                Class::Generic => {
                    let g = *rng.pick(&GENERIC_TEXT);
                    (
                        written(&mut rng, t) + &delivery_tail(&mut rng, &format!("义南{g}")),
                        county,
                        None,
                    )
                }
                Class::Street => {
                    let road = format!(
                        "{}{}",
                        rng.pick(&prefecture_names),
                        *rng.pick(&STREET_WORDS)
                    );
                    let text = written(&mut rng, t) + &road + &delivery_tail(&mut rng, "");
                    (text, county, None)
                }
                Class::OtherCounty | Class::Zone => {
                    // A county of the same prefecture, other than the township's.
                    let Some(pref) = county.parent() else {
                        continue;
                    };
                    let others: Vec<Unit<'_>> = pref
                        .children()
                        .filter(|c| {
                            c.level() == COUNTY
                                && *c != county
                                && ChinaKind::from_id(c.kind_id()) != Some(ChinaKind::CountyZone)
                        })
                        .collect();
                    if others.is_empty() {
                        continue;
                    }
                    let written_county = *rng.pick(&others);
                    let mut text: String =
                        chain(pref).iter().map(|u| u.name().to_owned()).collect();
                    text.push_str(written_county.name());
                    text.push_str(t.name());
                    text.push_str(&delivery_tail(&mut rng, ""));
                    (text, written_county, Some(county))
                }
                Class::TwoAddresses => {
                    let t2 = *rng.pick(&towns);
                    let Some(c2) = county_of(t2) else { continue };
                    if c2.parent() == county.parent() {
                        continue;
                    }
                    let a: String = chain(t).iter().map(|u| u.name().to_owned()).collect();
                    let b: String = chain(t2).iter().map(|u| u.name().to_owned()).collect();
                    (
                        format!(
                            "{a}{} 寄 {b}{}",
                            delivery_tail(&mut rng, ""),
                            *rng.pick(&ROADS)
                        ),
                        county,
                        Some(c2),
                    )
                }
            };
            j.n += 1;
            let r = addresses.resolve(&text);
            let ok = match (class, r.outcome()) {
                (Class::TwoAddresses, Outcome::Conflict(c)) => {
                    let has = |x: Unit<'_>| c.iter().any(|c| county_of(c.unit) == Some(x));
                    has(want) && also.is_some_and(has)
                }
                (Class::TwoAddresses, Outcome::Resolved(_)) => false,
                // The typed conflict the mistake calls for, naming the
                // county written.
                (Class::OtherCounty, Outcome::Conflict(c)) => {
                    c.iter().any(|c| county_of(c.unit) == Some(want))
                }
                (Class::TwoAddresses, _) => {
                    misses.push(format!("abstain {text} → {:?}", r.candidates().len()));
                    continue;
                }
                (_, Outcome::Resolved(u)) => county_of(*u) == Some(want),
                _ => {
                    misses.push(format!(
                        "abstain {text} → {} candidates",
                        r.candidates().len()
                    ));
                    continue;
                }
            };
            if ok {
                j.right += 1;
            } else {
                j.wrong += 1;
                let got = r.unit().map_or_else(
                    || "conflict/other".into(),
                    |u| format!("{} {}", u.code(), u.name()),
                );
                misses.push(format!(
                    "WRONG {text} → {got}; want {} {}",
                    want.code(),
                    want.name()
                ));
            }
        }
        out.push((class, j, misses));
    }
    out
}

/// The delivery set, per class: right, wrong, the rest (ambiguous,
/// conflict, not found) at county level.
#[test]
fn delivery_addresses_per_class() {
    let rows = delivery_set(&CLASSES, 1000);
    println!("delivery set, 1000 texts per class");
    println!(
        "{:<14} {:>6} {:>8} {:>8} {:>8}",
        "class", "n", "right%", "wrong%", "other%"
    );
    let (mut n, mut right, mut wrong) = (0, 0, 0);
    // XZQH_MISSES=all prints every miss, not four per class.
    let shown = match std::env::var("XZQH_MISSES").as_deref() {
        Ok("all") => usize::MAX,
        _ => 4,
    };
    for (class, j, misses) in &rows {
        for m in misses.iter().take(shown) {
            println!("  {m}");
        }
        println!(
            "{:<14} {:>6} {:>8.2} {:>8.2} {:>8.2}",
            format!("{class:?}"),
            j.n,
            pct(j.right, j.n),
            pct(j.wrong, j.n),
            pct(j.n - j.right - j.wrong, j.n)
        );
        n += j.n;
        right += j.right;
        wrong += j.wrong;
    }
    println!(
        "{:<14} {:>6} {:>8.2} {:>8.2} {:>8.2}",
        "overall",
        n,
        pct(right, n),
        pct(wrong, n),
        pct(n - right - wrong, n)
    );
    // A wrong answer is worse than none: at most 0.2% in every class.
    for (class, j, _) in &rows {
        assert!(
            pct(j.wrong, j.n) <= 0.2,
            "{class:?}: {:.2}% wrong",
            pct(j.wrong, j.n)
        );
    }
    // Plain delivery texts, streets, two addresses and the writer's
    // mistake: at least 99.5% right (generic names and zones abstain more;
    // reported above, not asserted here).
    for (class, j, _) in &rows {
        if matches!(
            class,
            Class::Delivery | Class::Street | Class::OtherCounty | Class::TwoAddresses
        ) {
            assert!(
                pct(j.right, j.n) >= 99.5,
                "{class:?}: {:.2}% right",
                pct(j.right, j.n)
            );
        }
    }
}
