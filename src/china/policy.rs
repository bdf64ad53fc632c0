//! China's built-in routing policy.

use crate::routing::{CategoryDef, CompetenceDef, Policy, ScaleDef, SeverityDef};

/// China's built-in routing policy.
///
/// - Default roles: governments and agencies (a subdistrict office handles
///   its villages' cases; 地区/盟 act for the province).
/// - Competence `local_legislation`: the State, every provincial-level
///   government, and every unit designated `local_legislation` (districted
///   cities, autonomous prefectures, and 东莞, 中山, 嘉峪关, 三沙 by grant;
///   not 儋州, which a user's policy can grant with `units = ["4604"]`).
/// - Severity ladder of the Emergency Response Law: `general` 一般 county,
///   `major` 较大 prefectural (the districted city), `serious` 重大
///   provincial, `especially_serious` 特别重大 national.
/// - Scale: 1,000 people or more: county; 10,000: prefectural; 100,000:
///   provincial (this crate's defaults, not law).
/// - Categories: `neighbour_dispute` 邻里纠纷 (village; the village or
///   residents' committee mediates), `community_service` 社区服务 (village,
///   committees allowed), `urban_management` 城市管理 (township),
///   `public_complaint` 一般诉求 (township), `labour_dispute` 劳动保障
///   (county), `environment` 生态环境 (county), `land_planning` 规划国土
///   (county), `petition` 信访 (county), `emergency` 突发事件 (county),
///   `local_legislation` 地方立法 (needs `local_legislation`).
///
/// # Examples
///
/// ```
/// let p = xzqh::china::policy();
/// assert_eq!(p.severities.len(), 4);
/// assert!(p.categories.iter().any(|c| c.name == "emergency"));
/// ```
pub fn policy() -> Policy {
    let mut p = Policy::new("china-default");
    p.competences.push(
        CompetenceDef::new("local_legislation")
            .kinds([
                "state",
                "province",
                "autonomous_region",
                "municipality",
                "special_administrative_region",
            ])
            .designations(["local_legislation"]),
    );
    for (name, level) in [
        ("general", "county"),
        ("major", "prefectural"),
        ("serious", "provincial"),
        ("especially_serious", "national"),
    ] {
        p.severities.push(SeverityDef::new(name, level));
    }
    for (people, level) in [
        (1_000, "county"),
        (10_000, "prefectural"),
        (100_000, "provincial"),
    ] {
        p.scale.push(ScaleDef::new(people, level));
    }
    let committees = ["self_governing"];
    p.categories.extend([
        CategoryDef::new("neighbour_dispute")
            .label("邻里纠纷")
            .min_level("village")
            .roles(committees),
        CategoryDef::new("community_service")
            .label("社区服务")
            .min_level("village")
            .roles(committees),
        CategoryDef::new("urban_management")
            .label("城市管理")
            .min_level("township"),
        CategoryDef::new("public_complaint")
            .label("一般诉求")
            .min_level("township"),
        CategoryDef::new("labour_dispute")
            .label("劳动保障")
            .min_level("county"),
        CategoryDef::new("environment")
            .label("生态环境")
            .min_level("county"),
        CategoryDef::new("land_planning")
            .label("规划国土")
            .min_level("county"),
        CategoryDef::new("petition")
            .label("信访")
            .min_level("county"),
        CategoryDef::new("emergency")
            .label("突发事件")
            .min_level("county"),
        CategoryDef::new("local_legislation")
            .label("地方立法")
            .competences(["local_legislation"]),
    ]);
    p
}
