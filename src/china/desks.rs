//! China's handling bodies and the desk rules of [`policy()`](crate::china::policy)'s
//! categories.

use crate::desks::{BodyKind, DeskPolicy, DeskRule};

/// Working departments of the governments at county level and above, as
/// `(machine name, label)`; every governing unit of those levels has them
/// by default. 生态环境 is not among them: see [`desks()`].
const DEPARTMENTS: [(&str, &str); 21] = [
    ("development_reform", "发展和改革局"),
    ("education", "教育局"),
    ("public_security", "公安局"),
    ("civil_affairs", "民政局"),
    ("justice", "司法局"),
    ("finance", "财政局"),
    ("human_resources", "人力资源和社会保障局"),
    ("natural_resources", "自然资源局"),
    ("housing", "住房和城乡建设局"),
    ("transport", "交通运输局"),
    ("water", "水利局"),
    ("agriculture", "农业农村局"),
    ("commerce", "商务局"),
    ("culture_tourism", "文化和旅游局"),
    ("health", "卫生健康委员会"),
    ("veterans", "退役军人事务局"),
    ("emergency", "应急管理局"),
    ("market_regulation", "市场监督管理局"),
    ("medical_security", "医疗保障局"),
    ("urban_management", "城市管理局"),
    ("petitions", "信访局"),
];

/// The integrated offices of townships and subdistricts after the 2019
/// grassroots reform.
const TOWNSHIP_OFFICES: [(&str, &str); 5] = [
    ("economic_development", "经济发展办公室"),
    ("social_affairs", "社会事务办公室"),
    ("safety_building", "平安建设办公室"),
    ("comprehensive_enforcement", "综合行政执法队"),
    ("service_center", "便民服务中心"),
];

/// China's desk policy: its body kinds and a rule for each category of
/// [`policy()`](crate::china::policy).
///
/// - Governments and agencies at county level and above have the working
///   departments (发展和改革, 教育, 公安, 民政, 司法, 财政, 人力资源和社会保障,
///   自然资源, 住房和城乡建设, 交通运输, 水利, 农业农村, 商务, 文化和旅游,
///   卫生健康, 退役军人事务, 应急管理, 市场监督管理, 医疗保障, 城市管理, 信访).
/// - 生态环境 bureaus belong to provinces and prefecture-level units only:
///   since the vertical-management reform a county's ecology office is a
///   branch of the city's bureau, so a county's pollution case lands on the
///   city's desk.
/// - Units with local legislative power (provincial-level units,
///   prefecture-level cities, autonomous prefectures) have a legislative
///   affairs body (人大常委会法制工作委员会).
/// - Townships and subdistricts have the integrated offices (经济发展,
///   社会事务, 平安建设, 综合行政执法, the service centre).
/// - Every governing unit has a general office (办公室): the fallback desk
///   and the co-handler through which a subdistrict takes part in a case
///   its district's department leads.
/// - Residents' and village committees are their own desk (`committee`).
///
/// Rules: `neighbour_dispute` and `community_service` → the committee;
/// `urban_management` → 城市管理 (from the township up to its district),
/// with the handler's office co-handling; `public_complaint` → the general
/// office; `labour_dispute` → 人力资源和社会保障; `environment` →
/// 生态环境 (from a county up to its city); `land_planning` → 自然资源;
/// `petition` → 信访; `emergency` → 应急管理 with 公安 co-handling;
/// `local_legislation` → the legislative affairs body.
///
/// # Examples
///
/// ```
/// let p = xzqh::china::desks();
/// assert!(p.bodies.iter().any(|b| b.name == "ecology_environment"));
/// assert_eq!(p.rules.len(), xzqh::china::policy().categories.len());
/// ```
pub fn desks() -> DeskPolicy {
    let mut p = DeskPolicy::new("china-default", "general_office");
    let governing_levels = [
        "national",
        "provincial",
        "prefectural",
        "county",
        "township",
    ];
    let mut office = BodyKind::new("general_office", "办公室");
    office.levels = governing_levels.iter().map(|l| (*l).to_owned()).collect();
    p.bodies.push(office);
    for (name, label) in DEPARTMENTS {
        p.bodies
            .push(BodyKind::new(name, label).levels(["provincial", "prefectural", "county"]));
    }
    p.bodies.push(
        BodyKind::new("ecology_environment", "生态环境局").levels(["provincial", "prefectural"]),
    );
    p.bodies.push(
        BodyKind::new("legislative_affairs", "人大常委会法制工作委员会").kinds([
            "province",
            "autonomous_region",
            "municipality",
            "prefecture_city",
            "autonomous_prefecture",
        ]),
    );
    for (name, label) in TOWNSHIP_OFFICES {
        p.bodies
            .push(BodyKind::new(name, label).levels(["township"]));
    }
    p.bodies
        .push(BodyKind::new("committee", "").kinds(["residents_committee", "village_committee"]));
    p.rules.extend([
        DeskRule::new("neighbour_dispute", "committee"),
        DeskRule::new("community_service", "committee"),
        DeskRule::new("urban_management", "urban_management").co(["general_office"]),
        DeskRule::new("public_complaint", "general_office"),
        DeskRule::new("labour_dispute", "human_resources"),
        DeskRule::new("environment", "ecology_environment"),
        DeskRule::new("land_planning", "natural_resources"),
        DeskRule::new("petition", "petitions"),
        DeskRule::new("emergency", "emergency").co(["public_security"]),
        DeskRule::new("local_legislation", "legislative_affairs"),
    ]);
    p
}
