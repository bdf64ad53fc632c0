//! China's kinds of unit as a Rust enum, and the schema built from it.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::{KindId, KindRef, Level, Role, Schema};

/// Levels of China's schema, top first.
pub(crate) const LEVELS: [&str; 7] = [
    "national",
    "provincial",
    "prefectural",
    "county",
    "township",
    "village",
    "grid",
];

/// The national level (the State).
///
/// # Examples
///
/// ```
/// use xzqh::china::NATIONAL;
/// assert_eq!((NATIONAL.rank(), NATIONAL.name()), (0, "national"));
/// assert_eq!(xzqh::china().root().level(), NATIONAL);
/// ```
pub const NATIONAL: Level = Level::new(0, LEVELS[0]);
/// The provincial level (省级).
///
/// # Examples
///
/// ```
/// use xzqh::china::PROVINCIAL;
/// assert_eq!((PROVINCIAL.rank(), PROVINCIAL.name()), (1, "provincial"));
/// assert_eq!(xzqh::china().by_code("44").unwrap().level(), PROVINCIAL);
/// ```
pub const PROVINCIAL: Level = Level::new(1, LEVELS[1]);
/// The prefectural level (地级).
///
/// # Examples
///
/// ```
/// use xzqh::china::PREFECTURAL;
/// assert_eq!((PREFECTURAL.rank(), PREFECTURAL.name()), (2, "prefectural"));
/// assert_eq!(xzqh::china().by_code("4403").unwrap().level(), PREFECTURAL);
/// ```
pub const PREFECTURAL: Level = Level::new(2, LEVELS[2]);
/// The county level (县级).
///
/// # Examples
///
/// ```
/// use xzqh::china::COUNTY;
/// assert_eq!((COUNTY.rank(), COUNTY.name()), (3, "county"));
/// assert_eq!(xzqh::china().by_code("440305").unwrap().level(), COUNTY);
/// ```
pub const COUNTY: Level = Level::new(3, LEVELS[3]);
/// The township level (乡级).
///
/// # Examples
///
/// ```
/// use xzqh::china::TOWNSHIP;
/// assert_eq!((TOWNSHIP.rank(), TOWNSHIP.name()), (4, "township"));
/// assert_eq!(xzqh::china().by_code("440305007").unwrap().level(), TOWNSHIP);
/// ```
pub const TOWNSHIP: Level = Level::new(4, LEVELS[4]);
/// The village level (村级).
///
/// # Examples
///
/// ```
/// use xzqh::china::VILLAGE;
/// assert_eq!((VILLAGE.rank(), VILLAGE.name()), (5, "village"));
/// assert!(VILLAGE.is_above(xzqh::china::GRID));
/// ```
pub const VILLAGE: Level = Level::new(5, LEVELS[5]);
/// Grids below villages (网格), defined by grid-governance platforms.
///
/// # Examples
///
/// ```
/// use xzqh::china::GRID;
/// assert_eq!((GRID.rank(), GRID.name()), (6, "grid"));
/// assert_eq!(xzqh::china::schema().level_at(6), Some(GRID));
/// ```
pub const GRID: Level = Level::new(6, LEVELS[6]);

/// Designations of China's schema (attributes of units, not kinds).
pub(crate) const DESIGNATIONS: [&str; 8] = [
    "sub_provincial",
    "separately_planned",
    "provincial_capital",
    "districted_city",
    "local_legislation",
    "corps_city",
    "not_nbs",
    "not_gbt2260",
];

macro_rules! china_kinds {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $label:literal, $level:ident, $role:ident; )*) => {
        /// A kind of unit in China's pyramid.
        ///
        /// The discriminant order is the order of [`schema()`]'s kinds, so
        /// [`ChinaKind::id`] and [`ChinaKind::from_id`] are free.
        ///
        /// # Examples
        ///
        /// ```
        /// use xzqh::china::ChinaKind;
        /// use xzqh::Role;
        /// assert_eq!(ChinaKind::League.label(), "盟");
        /// assert_eq!(ChinaKind::League.role(), Role::Agency);
        /// assert_eq!(ChinaKind::from_id(ChinaKind::Sumu.id()), Some(ChinaKind::Sumu));
        /// assert_eq!(ChinaKind::from_name("forestry_district"), Some(ChinaKind::ForestryDistrict));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum ChinaKind {
            $( $(#[$doc])* $variant, )*
        }

        impl ChinaKind {
            /// Every kind, in schema order.
            ///
            /// # Examples
            ///
            /// ```
            /// use xzqh::china::ChinaKind;
            /// assert_eq!(ChinaKind::ALL[0], ChinaKind::State);
            /// assert_eq!(ChinaKind::ALL.len(), xzqh::china::schema().kinds().len());
            /// ```
            pub const ALL: &'static [ChinaKind] = &[$(ChinaKind::$variant,)*];

            /// The machine name used in the schema, files and policies.
            ///
            /// # Examples
            ///
            /// ```
            /// assert_eq!(xzqh::china::ChinaKind::CountyCity.name(), "county_city");
            /// ```
            pub const fn name(self) -> &'static str {
                match self { $(ChinaKind::$variant => $name,)* }
            }

            /// The Chinese label.
            ///
            /// # Examples
            ///
            /// ```
            /// assert_eq!(xzqh::china::ChinaKind::CountyCity.label(), "县级市");
            /// ```
            pub const fn label(self) -> &'static str {
                match self { $(ChinaKind::$variant => $label,)* }
            }

            /// The level units of this kind stand at.
            ///
            /// # Examples
            ///
            /// ```
            /// use xzqh::china::{ChinaKind, COUNTY};
            /// assert_eq!(ChinaKind::CountyCity.level(), COUNTY);
            /// ```
            pub const fn level(self) -> Level {
                match self { $(ChinaKind::$variant => $level,)* }
            }

            /// The role of units of this kind.
            ///
            /// # Examples
            ///
            /// ```
            /// assert_eq!(xzqh::china::ChinaKind::Subdistrict.role(), xzqh::Role::Agency);
            /// ```
            pub const fn role(self) -> Role {
                match self { $(ChinaKind::$variant => Role::$role,)* }
            }
        }
    };
}

china_kinds! {
    /// The State (中华人民共和国), the root.
    State = "state", "国家", NATIONAL, Government;
    /// Province 省.
    Province = "province", "省", PROVINCIAL, Government;
    /// Autonomous region 自治区.
    AutonomousRegion = "autonomous_region", "自治区", PROVINCIAL, Government;
    /// Municipality directly under the central government 直辖市.
    Municipality = "municipality", "直辖市", PROVINCIAL, Government;
    /// Special administrative region 特别行政区.
    SpecialAdministrativeRegion = "special_administrative_region", "特别行政区", PROVINCIAL, Government;
    /// The Xinjiang Production and Construction Corps 新疆生产建设兵团, an
    /// agency of the central government that co-administers the XPCC cities
    /// (师市合一) and its farms and regiments. It ranks with the State's organs,
    /// not as a province, so it is at the national level and counts in no
    /// provincial tally.
    Corps = "corps", "兵团", NATIONAL, Agency;
    /// Prefecture-level city 地级市.
    PrefectureCity = "prefecture_city", "地级市", PREFECTURAL, Government;
    /// Autonomous prefecture 自治州.
    AutonomousPrefecture = "autonomous_prefecture", "自治州", PREFECTURAL, Government;
    /// Prefecture 地区 (行政公署), an agency of the province.
    Prefecture = "prefecture", "地区", PREFECTURAL, Agency;
    /// League 盟, an agency of the autonomous region.
    League = "league", "盟", PREFECTURAL, Agency;
    /// District 市辖区.
    District = "district", "市辖区", COUNTY, Government;
    /// County 县.
    County = "county", "县", COUNTY, Government;
    /// County-level city 县级市.
    CountyCity = "county_city", "县级市", COUNTY, Government;
    /// Autonomous county 自治县.
    AutonomousCounty = "autonomous_county", "自治县", COUNTY, Government;
    /// Banner 旗.
    Banner = "banner", "旗", COUNTY, Government;
    /// Autonomous banner 自治旗.
    AutonomousBanner = "autonomous_banner", "自治旗", COUNTY, Government;
    /// Special district 特区 (only 520203 六枝特区).
    SpecialDistrict = "special_district", "特区", COUNTY, Government;
    /// Forestry district 林区 (only 429021 神农架林区).
    ForestryDistrict = "forestry_district", "林区", COUNTY, Government;
    /// County-level functional area: development zones, new areas, island
    /// groups, administrative committees (not a legal division).
    CountyZone = "county_zone", "县级功能区", COUNTY, Functional;
    /// An area of a special administrative region: Hong Kong's 香港岛, 九龙
    /// and 新界, Macau's 澳门半岛 and 澳门外岛. A geographic grouping of
    /// districts or parishes with no administration of its own.
    SarArea = "sar_area", "区域", PREFECTURAL, Functional;
    /// One of Hong Kong's 18 districts (分区, 中西区 … 离岛区), each with a
    /// District Office of the SAR government and an advisory District
    /// Council: an agency, not a tier of government.
    SarDistrict = "sar_district", "分区", COUNTY, Agency;
    /// One of Macau's parishes (堂区): statistical and geographic areas
    /// with no administration since the municipalities were abolished (2001).
    Parish = "parish", "堂区", COUNTY, Functional;
    /// Town 镇.
    Town = "town", "镇", TOWNSHIP, Government;
    /// Township 乡.
    Township = "township", "乡", TOWNSHIP, Government;
    /// Ethnic township 民族乡.
    EthnicTownship = "ethnic_township", "民族乡", TOWNSHIP, Government;
    /// Sumu 苏木.
    Sumu = "sumu", "苏木", TOWNSHIP, Government;
    /// Ethnic sumu 民族苏木.
    EthnicSumu = "ethnic_sumu", "民族苏木", TOWNSHIP, Government;
    /// Subdistrict 街道 (办事处), an agency of the county-level government.
    Subdistrict = "subdistrict", "街道", TOWNSHIP, Agency;
    /// District public office 区公所, an agency of the county-level government.
    DistrictOffice = "district_office", "区公所", TOWNSHIP, Agency;
    /// Beijing's area office 地区办事处 (e.g. 110105021 南磨房地区), an agency.
    AreaOffice = "area_office", "地区办事处", TOWNSHIP, Agency;
    /// Township-level unit of 政企合一 (farm, forest farm, XPCC regiment, zone).
    EnterpriseUnit = "enterprise_unit", "政企合一单位", TOWNSHIP, Functional;
    /// Pseudo-township "…直辖村级区划": villages a county-level unit runs directly.
    PseudoTownship = "pseudo_township", "直辖村级区划", TOWNSHIP, Functional;
    /// Residents' committee 居委会 / 社区.
    ResidentsCommittee = "residents_committee", "居委会", VILLAGE, SelfGoverning;
    /// Village committee 村委会.
    VillageCommittee = "village_committee", "村委会", VILLAGE, SelfGoverning;
    /// Village-level unit that is not a committee (生活区, farm team).
    VillageZone = "village_zone", "村级功能区", VILLAGE, Functional;
    /// Grid 网格, a management unit below villages.
    Grid = "grid", "网格", GRID, Functional;
}

impl ChinaKind {
    /// The id of this kind in [`schema()`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaKind;
    /// let s = xzqh::china::schema();
    /// assert_eq!(s.kind_id("town"), Some(ChinaKind::Town.id()));
    /// ```
    pub const fn id(self) -> KindId {
        KindId::new(self as u16)
    }

    /// The kind with this id in [`schema()`], if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::ChinaKind::from_id(xzqh::KindId::new(9999)), None);
    /// ```
    pub fn from_id(id: KindId) -> Option<ChinaKind> {
        ChinaKind::ALL.get(id.index()).copied()
    }

    /// The kind with this machine name.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::ChinaKind::from_name("banner"), Some(xzqh::china::ChinaKind::Banner));
    /// ```
    pub fn from_name(name: &str) -> Option<ChinaKind> {
        ChinaKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

impl fmt::Display for ChinaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl From<ChinaKind> for KindRef<'_> {
    fn from(k: ChinaKind) -> Self {
        KindRef::Name(k.name())
    }
}

/// China's schema: the levels national to grid, the kinds of [`ChinaKind`]
/// in its order, and the designations `sub_provincial`,
/// `separately_planned`, `provincial_capital`, `districted_city`,
/// `local_legislation`, `corps_city`, `not_nbs` and `not_gbt2260`. Built
/// once and shared.
///
/// # Examples
///
/// ```
/// let s = xzqh::china::schema();
/// assert_eq!(s.name(), "china");
/// assert_eq!(s.level_at(3), Some(xzqh::china::COUNTY));
/// assert_eq!(s.kind_id("town"), Some(xzqh::china::ChinaKind::Town.id()));
/// ```
pub fn schema() -> Arc<Schema> {
    static SCHEMA: OnceLock<Arc<Schema>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let mut b = Schema::builder("china");
            for level in LEVELS {
                b = b.level(level);
            }
            for k in ChinaKind::ALL {
                let level = LEVELS[k.level().rank() as usize];
                b = b.kind(k.name(), k.label(), level, k.role());
            }
            for d in DESIGNATIONS {
                b = b.designation(d);
            }
            Arc::new(b.build().expect("china schema is a valid constant"))
        })
        .clone()
}
