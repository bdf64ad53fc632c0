//! China's profile: how names and codes are written in China, and what its
//! code history says.

use std::sync::{Arc, OnceLock};

use crate::china::code::ChinaCode;
use crate::china::forms::{ABBREVIATIONS, COMMON_NAMES, TAIWAN_CITIES, forms};
use crate::china::kind::COUNTY;
use crate::china::{DATA_DATE, DataError, Date};
use crate::{CodeBuf, FormStrength, Hierarchy, KindDef, Profile, ShortForm, Successions};

/// China's [`Profile`]: the short forms of [`short_forms`](crate::china::short_forms),
/// every written form of an NBS code ([`ChinaCode`]), villages as the deep
/// level, and, with the `history` feature, the MCA code history 1981–2025 as
/// the succession of old codes and names, followed up to the profile's
/// [data date](Self::data_date).
///
/// [`china()`](crate::china()) is built with the default profile
/// ([`profile()`](crate::china::profile)), whose data date is the embedded
/// NBS 2023 data's, 2023-06-30. Give a hierarchy of China's
/// [`schema`](crate::china::schema) that you build or load yourself (a
/// city's grid layer on the 2023 data) the same; give a hierarchy of another
/// NBS year a profile of that year's data date
/// ([`with_data_date`](Self::with_data_date)), so that its code history stops
/// where its data does.
///
/// # What the profile does
///
/// - **Codes** ([`Profile::normalize_code`]): units are keyed by their data
///   code (2 digits for a province, 4 for a prefecture, 6 for a county, 9
///   for a township, 12 for a village). Every other form of the same code
///   reads too: the 12-digit statistical code padded with zeros
///   (`110105000000`), the 6-digit GB/T 2260 forms of provinces and
///   prefectures (`110000`, `370100`), a township's 12-digit form
///   (`110105021000`). Codes of NBS placeholders (1101 市辖区, 4290
///   省直辖县级行政区划; see the [module docs](mod@crate::china)) are not units
///   and name none.
/// - **Short forms** ([`Profile::short_forms`]): 广西 for 广西壮族自治区,
///   南山 for 南山区, 粤海 for 粤海街道. A form keeping a kind word (延边州,
///   巍山县, 阿拉善旗) is [`FormStrength::Tail`]; a bare form is
///   [`FormStrength::Major`] at county level and above (names there rarely
///   repeat) and [`FormStrength::Minor`] below, and for Macau's parishes
///   (风顺堂 for 风顺堂区: 大堂 is also a lobby). 台, 港 and 澳, the
///   abbreviations of 台湾省, 香港特别行政区 and 澳门特别行政区, are minor
///   forms too: they start a reading only at the start of a text. Taiwan's
///   cities and counties, which GB/T 2260 does not list as units, are forms
///   of 台湾省 (台北市 with its kind word, 台北 major): text naming one reads
///   as 71, never as a mainland unit of a similar name (台北街道 in Wuhan).
///   A few names in everyday use that no rule derives are forms of their
///   units too: 杨凌示范区, 杨凌区 and 杨凌 for 杨陵区 (run by the 杨凌
///   demonstration zone's committee), and 西沙区 and 南沙区, the districts
///   of 三沙市 since 2020, for the island groups NBS still lists (西沙群岛,
///   南沙群岛).
/// - **Fold** ([`Profile::fold`]): traditional characters and their HK and
///   TW variants read as simplified ones (香港九龍城區 → 香港九龙城区, 臺灣 →
///   台湾), by a table generated from OpenCC's dictionaries through the
///   hanconv crate. It folds a few characters that simplified place names
///   keep (乾 in 乾安县 reads as 干; 濛阳街道 and 蒙阳街道 then read alike),
///   so names are matched folded on both sides and exact names first.
/// - **Deep level** ([`Profile::deep_rank`]): villages, whose names repeat by
///   the hundred (和平村 ×274), are read only inside a unit named before them.
/// - **Succession** ([`Profile::successions`]): a code the hierarchy no
///   longer has (371200 莱芜市) routes to the units that cover it today
///   (3701 济南市), and old names read in addresses.
///
/// # Examples
///
/// ```
/// use xzqh::{CodeBuf, Profile};
/// let p = xzqh::china::ChinaProfile::default();
/// assert_eq!(p.name(), "china");
/// assert_eq!(p.data_date().to_string(), "2023-06-30");
/// let mut code = CodeBuf::new();
/// assert!(p.normalize_code("110105000000", &mut code));
/// assert_eq!(code.as_str(), "110105");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ChinaProfile {
    data_date: Date,
    /// The history cut at `data_date`; `None` for the embedded history's
    /// own cut-off (decoded only when a hierarchy first asks).
    #[cfg(feature = "history")]
    history: Option<Arc<crate::china::history::History>>,
}

impl Default for ChinaProfile {
    /// The profile of the embedded NBS 2023 data (data date 2023-06-30).
    fn default() -> Self {
        ChinaProfile {
            data_date: DATA_DATE,
            #[cfg(feature = "history")]
            history: None,
        }
    }
}

impl ChinaProfile {
    /// China's profile for data dated `date`: for a hierarchy of another
    /// NBS year, whose code history is followed up to `date` and whose
    /// later changes are reported as later. With the `history` feature the
    /// history's answers are computed here, once (see `History::with_cutoff`);
    /// share the profile (`Arc`) between hierarchies of the same year.
    ///
    /// # Errors
    ///
    /// A [`DataError`] as `History::with_cutoff` gives it: never for the
    /// embedded history (a test builds the tables of every year's end).
    ///
    /// # Examples
    ///
    /// A hierarchy of data dated 2024-12-31 has 653228 和康县 (established
    /// 2024-12-27); the 2023 profile would send its code to 皮山县, which it
    /// was carved from.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use xzqh::china::{ChinaKind::*, ChinaProfile, Date};
    /// let p2024 = ChinaProfile::with_data_date(Date::new(2024, 12, 31).unwrap())?;
    /// assert_eq!(p2024.data_date().to_string(), "2024-12-31");
    /// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
    ///     .profile(Arc::new(p2024.clone()))
    ///     .unit("0", "中华人民共和国", State, None)
    ///     .unit("65", "新疆维吾尔自治区", AutonomousRegion, Some("0"))
    ///     .unit("6532", "和田地区", Prefecture, Some("65"))
    ///     .unit("653223", "皮山县", County, Some("6532"))
    ///     .unit("653228", "和康县", County, Some("6532"))
    ///     .build()?;
    /// # #[cfg(feature = "history")] {
    /// let now = p2024.history().resolve("653228", 2024, &h)?;
    /// assert_eq!(now.units().next().unwrap().name(), "和康县");
    /// let p2023 = ChinaProfile::default();
    /// let then = p2023.history().resolve("653228", 2024, &h)?;
    /// assert_eq!(then.units().next().unwrap().name(), "皮山县");
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_data_date(date: Date) -> Result<ChinaProfile, DataError> {
        #[cfg(feature = "history")]
        {
            let history = if date == DATA_DATE {
                None
            } else {
                let embedded = crate::china::history::History::embedded();
                Some(Arc::new(embedded.with_cutoff(date)?))
            };
            Ok(ChinaProfile {
                data_date: date,
                history,
            })
        }
        #[cfg(not(feature = "history"))]
        {
            Ok(ChinaProfile { data_date: date })
        }
    }

    /// The date of the data the profile's hierarchies hold (the NBS
    /// 统计截止日期): the code history's cut-off.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::ChinaProfile::default().data_date().year(), 2023);
    /// ```
    pub fn data_date(&self) -> Date {
        self.data_date
    }

    /// The code history cut at the [data date](Self::data_date): what the
    /// profile's hierarchies follow old codes with.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = xzqh::china::ChinaProfile::default();
    /// assert_eq!(p.history().cutoff(), p.data_date());
    /// assert!(std::ptr::eq(p.history(), xzqh::china::history::History::embedded()));
    /// ```
    #[cfg(feature = "history")]
    pub fn history(&self) -> &crate::china::history::History {
        self.shared_history()
    }

    #[cfg(feature = "history")]
    fn shared_history(&self) -> &Arc<crate::china::history::History> {
        match &self.history {
            Some(h) => h,
            None => crate::china::history::History::embedded_shared(),
        }
    }
}

/// Village level and below: names repeat by the hundred (和平村 ×274).
const DEEP_RANK: u8 = 5;

/// Unit names that NBS gives to many units and that street and park text
/// holds (…工业园区…, …创意园西区…): read only under a unit the text names.
const GENERIC_NAMES: &[&str] = &[
    "开发区",
    "经济开发区",
    "经济技术开发区",
    "高新技术产业开发区",
    "高新技术开发区",
    "工业园区",
    "工业园",
    "工业区",
    "产业园区",
    "园区",
    "高新区",
    "新区",
    "示范区",
    "新城",
    "城区",
    "郊区",
    "矿区",
    "东区",
    "西区",
    "南区",
    "北区",
    "中区",
    "城东区",
    "城西区",
    "城南区",
    "城北区",
    "城中区",
    "市中区",
    "老城区",
    "新城区",
    "港区",
    "保税区",
    "农场",
];

/// Words that make the name written before them a street or a place in
/// it (湖州街, 北京路, 河南村) rather than the unit.
const STREET_WORDS: &[&str] = &[
    "路", "街", "大街", "大道", "巷", "弄", "胡同", "号", "村", "社区", "小区", "花园", "大厦",
    "广场", "公园", "商场",
];

impl Profile for ChinaProfile {
    fn name(&self) -> &str {
        "china"
    }

    fn short_forms<'n>(&self, name: &'n str, kind: &KindDef, out: &mut Vec<ShortForm<'n>>) {
        // County level and above: names rarely repeat, so their forms may
        // start a reading anywhere (新疆 is the region, not 新疆街道).
        // Macau's parishes (堂区) are not administrative units and their
        // forms are everyday words (大堂 is a lobby): minor.
        let major = kind.level().rank() <= COUNTY.rank() && kind.name() != "parish";
        if let Some(&(_, abbreviation)) = ABBREVIATIONS.iter().find(|(n, _)| *n == name) {
            out.push(ShortForm::new(abbreviation, FormStrength::Minor));
        }
        for &(_, stem, tail) in COMMON_NAMES.iter().filter(|(n, ..)| *n == name) {
            out.push(if tail.is_empty() {
                ShortForm::new(stem, FormStrength::Major)
            } else {
                ShortForm::with_tail(stem, tail)
            });
        }
        if name == "台湾省" && kind.level() == crate::china::PROVINCIAL {
            for city in TAIWAN_CITIES {
                // Every entry ends in 市 or 县, one character of 3 bytes.
                let (stem, tail) = city.split_at(city.len() - '市'.len_utf8());
                let tail = if tail == "市" { "市" } else { "县" };
                out.push(ShortForm::with_tail(stem, tail));
                out.push(ShortForm::new(stem, FormStrength::Major));
            }
        }
        for f in forms(name).into_iter().flatten() {
            out.push(if !f.tail.is_empty() {
                ShortForm::with_tail(f.stem, f.tail)
            } else if major {
                ShortForm::new(f.stem, FormStrength::Major)
            } else {
                ShortForm::new(f.stem, FormStrength::Minor)
            });
        }
    }

    fn deep_rank(&self) -> Option<u8> {
        Some(DEEP_RANK)
    }

    /// Traditional characters and their HK and TW variants read as simplified
    /// ones (區 → 区, 臺 → 台, 綫 → 线), by a table generated from OpenCC's
    /// dictionaries (see `src/china/fold.rs`).
    fn fold(&self, c: char) -> char {
        crate::china::fold::fold(c)
    }

    fn generic_names(&self) -> &[&str] {
        GENERIC_NAMES
    }

    fn street_words(&self) -> &[&str] {
        STREET_WORDS
    }

    fn normalize_code(&self, code: &str, out: &mut CodeBuf) -> bool {
        match code.parse::<ChinaCode>() {
            Ok(c) => c.write_data_form(out),
            Err(_) => false,
        }
    }

    fn successions(&self, hierarchy: &Hierarchy) -> Option<Box<dyn Successions>> {
        #[cfg(feature = "history")]
        {
            let history = Arc::clone(self.shared_history());
            Some(Box::new(crate::china::history::Bound::new(
                history, hierarchy,
            )))
        }
        #[cfg(not(feature = "history"))]
        {
            let _ = hierarchy;
            None
        }
    }
}

/// China's profile, shared: give it to hierarchies of China's schema that
/// you build or load ([`HierarchyBuilder::profile`](crate::HierarchyBuilder::profile)).
///
/// # Examples
///
/// ```
/// use xzqh::china::ChinaKind;
/// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
///     .profile(xzqh::china::profile())
///     .unit("0", "中华人民共和国", ChinaKind::State, None)
///     .unit("45", "广西壮族自治区", ChinaKind::AutonomousRegion, Some("0"))
///     .build()?;
/// assert_eq!(h.names().lookup("广西")?.code(), "45");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn profile() -> Arc<dyn Profile> {
    static PROFILE: OnceLock<Arc<dyn Profile>> = OnceLock::new();
    PROFILE
        .get_or_init(|| Arc::new(ChinaProfile::default()))
        .clone()
}
