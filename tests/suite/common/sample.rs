//! A small hand-built excerpt of China's hierarchy for the tests.
//!
//! It holds one chain for each row of the tier table in DESIGN.md (real NBS
//! 2023 codes and names), two units both named 朝阳区, the designations of
//! its prefecture-level units, and one entrusted relation (广东省 → 乐昌市,
//! managed by 韶关市). The full data is `xzqh::china()`.

use xzqh::china::ChinaKind::{self, *};
use xzqh::{Hierarchy, HierarchyBuilder, Relation};

/// `(code, name, kind, parent)` rows of [`small_china`].
pub const SMALL_CHINA_ROWS: &[(&str, &str, ChinaKind, Option<&str>)] = &[
    ("0", "中华人民共和国", State, None),
    ("11", "北京市", Municipality, Some("0")),
    ("110105", "朝阳区", District, Some("11")),
    ("110105021", "南磨房地区", AreaOffice, Some("110105")),
    ("110118", "密云区", District, Some("11")),
    ("110118101", "溪翁庄镇", Town, Some("110118")),
    ("22", "吉林省", Province, Some("0")),
    ("2201", "长春市", PrefectureCity, Some("22")),
    ("220104", "朝阳区", District, Some("2201")),
    ("42", "湖北省", Province, Some("0")),
    ("429004", "仙桃市", CountyCity, Some("42")),
    ("429004100", "郑场镇", Town, Some("429004")),
    ("44", "广东省", Province, Some("0")),
    ("4402", "韶关市", PrefectureCity, Some("44")),
    ("440281", "乐昌市", CountyCity, Some("4402")),
    ("440281102", "北乡镇", Town, Some("440281")),
    ("4403", "深圳市", PrefectureCity, Some("44")),
    ("440305", "南山区", District, Some("4403")),
    ("440305007", "粤海街道", Subdistrict, Some("440305")),
    ("4419", "东莞市", PrefectureCity, Some("44")),
    ("441900121", "虎门镇", Town, Some("4419")),
    ("54", "西藏自治区", AutonomousRegion, Some("0")),
    ("5425", "阿里地区", Prefecture, Some("54")),
    ("542521", "普兰县", County, Some("5425")),
    ("542521200", "巴嘎乡", Township, Some("542521")),
    ("65", "新疆维吾尔自治区", AutonomousRegion, Some("0")),
    ("6540", "伊犁哈萨克自治州", AutonomousPrefecture, Some("65")),
    ("6542", "塔城地区", Prefecture, Some("6540")),
    ("654201", "塔城市", CountyCity, Some("6542")),
    ("654201200", "喀拉哈巴克乡", Township, Some("654201")),
];

/// Builds the excerpt (a fresh copy each call), with China's profile.
pub fn small_china() -> Hierarchy {
    small_china_rows()
        .profile(xzqh::china::profile())
        .build()
        .expect("the sample hierarchy is valid")
}

/// The excerpt without a profile (codes and names as written): what the
/// loaders' default options load.
pub fn small_china_plain() -> Hierarchy {
    small_china_rows()
        .build()
        .expect("the sample hierarchy is valid")
}

/// The excerpt's rows, designations and relation, without a profile.
fn small_china_rows() -> HierarchyBuilder {
    let schema = xzqh::china::schema();
    let designation = |name| schema.designation_id(name).expect("china designation");
    let mut b = Hierarchy::builder(schema.clone());
    for &(code, name, kind, parent) in SMALL_CHINA_ROWS {
        b = b.unit(code, name, kind, parent);
    }
    // Designations as in the full data.
    for (code, names) in [
        (
            "2201",
            &[
                "sub_provincial",
                "provincial_capital",
                "districted_city",
                "local_legislation",
            ][..],
        ),
        ("4402", &["districted_city", "local_legislation"][..]),
        (
            "4403",
            &[
                "sub_provincial",
                "separately_planned",
                "districted_city",
                "local_legislation",
            ][..],
        ),
        ("4419", &["local_legislation"][..]),
        ("6540", &["sub_provincial", "local_legislation"][..]),
    ] {
        for name in names {
            b = b.designate(code, designation(name));
        }
    }
    b.relation("44", "440281", Relation::Entrusted)
        .data_version("test")
}

/// The shape of China's NBS 2023 pyramid below the State: provincial,
/// prefectural, county, township and village counts, for [`synthetic`].
pub const CHINA_SHAPE: [usize; 5] = [34, 333, 2_850, 38_600, 620_000];

/// A deterministic random hierarchy of China's shape (or any other), for
/// benchmarks and tests where the real data is not wanted.
///
/// `shape[k]` units are made at depth `k + 1` under the root `0`, each under a
/// parent of the level above drawn from a seeded generator (every parent gets
/// at least one child while children last). Codes are hierarchical like NBS
/// codes (2, then 2, 2, 3, 3 digits per level; 3 digits below that), kinds are
/// province, prefecture-level city, county, town, village committee, then grid.
///
/// Returns `None` if `shape` has more than 8 levels, or a level more than
/// 999 times as many units as the one above, or any level is empty.
pub fn synthetic(shape: &[usize], seed: u64) -> Option<Hierarchy> {
    const KINDS: [ChinaKind; 6] = [
        Province,
        PrefectureCity,
        County,
        Town,
        VillageCommittee,
        Grid,
    ];
    const WIDTH: [usize; 8] = [2, 2, 2, 3, 3, 3, 3, 3];
    if shape.len() > WIDTH.len() || shape.contains(&0) {
        return None;
    }
    let mut rng = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        // xorshift64*
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let total: usize = shape.iter().sum();
    let mut b = Hierarchy::builder(xzqh::china::schema())
        .profile(xzqh::china::profile())
        .reserve(total + 1, total * 24)
        .unit("0", "根", State, None);
    let mut above: Vec<String> = vec!["0".to_owned()];
    for (depth, &count) in shape.iter().enumerate() {
        let width = WIDTH[depth];
        let max_children = 10usize.pow(width as u32) - 1;
        if count > above.len() * max_children {
            return None;
        }
        // Parent of each child: first one each (while children last), then random.
        let mut parent_of: Vec<usize> = (0..count.min(above.len())).collect();
        let mut load = vec![0usize; above.len()];
        for &p in &parent_of {
            load[p] += 1;
        }
        while parent_of.len() < count {
            let mut p = (next() % above.len() as u64) as usize;
            while load[p] >= max_children {
                p = (p + 1) % above.len();
            }
            load[p] += 1;
            parent_of.push(p);
        }
        let mut seq = vec![0usize; above.len()];
        let kind = KINDS[depth.min(KINDS.len() - 1)];
        let mut level = Vec::with_capacity(count);
        for &p in &parent_of {
            seq[p] += 1;
            let parent = &above[p];
            let prefix = if depth == 0 { "" } else { parent.as_str() };
            let code = format!("{prefix}{:0width$}", seq[p] + usize::from(depth == 0) * 10);
            let name = format!("{}{}", kind.label(), code);
            b = b.unit(&code, &name, kind, Some(parent));
            level.push(code);
        }
        above = level;
    }
    b.build().ok()
}
