//! Desks: golden cases (`tests/data/desk_cases.csv`, China and England),
//! directories from CSV with exact errors, Open311 shapes, and the property
//! that the lead body's unit governs every place and holds the category's
//! powers.

use proptest::prelude::*;
use xzqh::desks::{
    BodyKind, DeskError, DeskPolicy, DeskRouter, DeskRule, DeskStep, Directory, DirectoryEntry,
};
use xzqh::routing::{Case, CompiledPolicy, Place};
use xzqh::{Hierarchy, LoadError, LoadLimits};

/// England's bodies: county councils run highways and social care, district
/// councils bins and planning, unitary authorities both.
pub fn england_desks() -> DeskPolicy {
    let mut p = DeskPolicy::new("england", "chief_executive");
    p.bodies.push(
        BodyKind::new("chief_executive", "Chief Executive's Office").kinds([
            "county_council",
            "district_council",
            "unitary_authority",
            "parish_council",
        ]),
    );
    p.bodies
        .push(BodyKind::new("highways", "Highways").kinds(["county_council", "unitary_authority"]));
    p.bodies.push(
        BodyKind::new("social_care", "Social Care").kinds(["county_council", "unitary_authority"]),
    );
    p.bodies.push(
        BodyKind::new("waste_collection", "Waste Collection")
            .kinds(["district_council", "unitary_authority"]),
    );
    p.bodies.push(
        BodyKind::new("planning", "Planning").kinds(["district_council", "unitary_authority"]),
    );
    p.rules.push(DeskRule::new("pothole", "highways"));
    p.rules
        .push(DeskRule::new("missed_bin", "waste_collection"));
    p
}

fn china_router() -> DeskRouter<&'static Hierarchy> {
    DeskRouter::new(
        xzqh::china(),
        xzqh::china::policy(),
        xzqh::china::desks(),
        Directory::new(),
    )
    .expect("China's desk policy fits its data")
}

#[test]
fn golden_cases() {
    let china = china_router();
    let (england, england_policy) = crate::common::england();
    let england =
        DeskRouter::new(&england, england_policy, england_desks(), Directory::new()).unwrap();
    let rows = crate::common::golden_csv(include_str!("../data/desk_cases.csv"));
    assert!(rows.len() >= 14);
    for row in rows {
        let codes: Vec<&str> = row["places"].split(' ').collect();
        let places: Vec<Place<'_>> = codes.iter().map(|c| Place::Code(c)).collect();
        let case = Case::new(&places, &row["category"]);
        let check = |desk: xzqh::desks::Desk<'_>| {
            let why = &row["why"];
            assert_eq!(desk.decision().handler().code(), row["handler"], "{why}");
            assert_eq!(desk.lead().unit().code(), row["lead_unit"], "{why}");
            assert_eq!(desk.lead().kind().name, row["lead_body"], "{why}");
            let co: Vec<String> = desk
                .co_handlers()
                .iter()
                .map(|b| format!("{}:{}", b.unit().code(), b.kind().name))
                .collect();
            assert_eq!(co.join(" "), row["co"], "{why}");
            // One explanation line per trace step and per desk step.
            assert_eq!(
                desk.explain().lines().count(),
                desk.decision().trace().len() + desk.steps().len(),
                "{why}"
            );
        };
        match row["country"].as_str() {
            "china" => check(china.route(&case).unwrap()),
            "england" => check(england.route(&case).unwrap()),
            other => panic!("unknown country {other}"),
        }
    }
}

#[test]
fn names_and_explanations() {
    let router = china_router();
    let places = [Place::Code("440305007")];
    let desk = router
        .route(&Case::new(&places, "urban_management"))
        .unwrap();
    assert_eq!(desk.lead().name(), "南山区城市管理局");
    assert_eq!(desk.co_handlers()[0].name(), "粤海街道办公室");
    let text = desk.explain();
    assert!(
        text.ends_with(
            "440305007 粤海街道 has no urban_management: 南山区城市管理局 (440305 urban_management) leads\n\
             粤海街道办公室 (440305007 general_office) co-handles"
        ),
        "{text}"
    );
    // A committee is its own desk.
    let places = [Place::Code("110105021001")];
    if let Ok(desk) = router.route(&Case::new(&places, "neighbour_dispute")) {
        assert_eq!(desk.lead().name(), desk.lead().unit().name());
    }
    let (h, p) = crate::common::england();
    let england = DeskRouter::new(&h, p, england_desks(), Directory::new()).unwrap();
    let places = [Place::Code("E07000012")];
    let desk = england.route(&Case::new(&places, "pothole")).unwrap();
    assert_eq!(desk.lead().name(), "Cambridgeshire Highways");
}

#[test]
fn directories_add_remove_and_name_bodies() {
    let directory = Directory::new()
        .entry(
            DirectoryEntry::new("440305", "urban_management")
                .name("南山区城市管理和综合执法局")
                .email("cg@example.org"),
        )
        // 宝安区 has no urban management bureau of its own.
        .entry(DirectoryEntry::new("440306", "urban_management").absent())
        // A later entry replaces an earlier one for the same unit and body.
        .entry(DirectoryEntry::new("440305", "urban_management").name("南山区城管局"));
    let router = DeskRouter::new(
        xzqh::china(),
        xzqh::china::policy(),
        xzqh::china::desks(),
        directory,
    )
    .unwrap();
    let places = [Place::Code("440305007")];
    let desk = router
        .route(&Case::new(&places, "urban_management"))
        .unwrap();
    assert_eq!(desk.lead().name(), "南山区城管局");
    // 西乡街道 of 宝安区: no bureau in the district, so the city's.
    let places = [Place::Code("440306018")];
    let desk = router
        .route(&Case::new(&places, "urban_management"))
        .unwrap();
    assert_eq!(desk.lead().unit().code(), "4403");
    assert!(matches!(desk.steps()[0], DeskStep::LeadAbove { .. }));
}

#[test]
fn a_rule_may_fall_back_to_the_general_office() {
    let mut p = xzqh::china::desks();
    for r in &mut p.rules {
        if r.category == "environment" {
            *r = DeskRule::new("environment", "ecology_environment")
                .fallback(xzqh::desks::Fallback::GeneralOffice);
        }
    }
    let router =
        DeskRouter::new(xzqh::china(), xzqh::china::policy(), p, Directory::new()).unwrap();
    let places = [Place::Code("440281")];
    let desk = router.route(&Case::new(&places, "environment")).unwrap();
    assert_eq!(desk.lead().name(), "乐昌市办公室");
    assert!(matches!(desk.steps()[0], DeskStep::GeneralOffice { .. }));
}

#[test]
fn bad_policies_and_directories_are_typed_errors() {
    let new = |p: DeskPolicy, d: Directory| {
        DeskRouter::new(xzqh::china(), xzqh::china::policy(), p, d)
            .unwrap_err()
            .to_string()
    };
    let mut p = xzqh::china::desks();
    p.rules.push(DeskRule::new("flying", "general_office"));
    assert_eq!(
        new(p, Directory::new()),
        "rules[10].category: unknown category `flying`"
    );
    let mut p = xzqh::china::desks();
    p.rules[0].lead = "wizardry".into();
    assert_eq!(
        new(p, Directory::new()),
        "rules[0].lead: unknown body kind `wizardry`"
    );
    let mut p = xzqh::china::desks();
    p.bodies[3].levels.push("galactic".into());
    assert_eq!(
        new(p, Directory::new()),
        "bodies[3].levels[3]: unknown level `galactic`"
    );
    let mut p = xzqh::china::desks();
    let twin = p.bodies[0].clone();
    p.bodies.push(twin);
    assert!(new(p, Directory::new()).ends_with("duplicate `general_office`"));
    let d = Directory::new().entry(DirectoryEntry::new("999999", "water"));
    assert_eq!(
        new(xzqh::china::desks(), d),
        "directory[0].unit: unknown unit `999999`"
    );
    let d = Directory::new().entry(DirectoryEntry::new("11", "x".repeat(100_000)));
    let err = new(xzqh::china::desks(), d);
    assert!(err.len() < 200, "{}", err.len());
    let mut p = DeskPolicy::new("big", "k0");
    for i in 0..65 {
        p.bodies.push(BodyKind::new(format!("k{i}"), "x"));
    }
    assert_eq!(
        new(p, Directory::new()),
        "bodies: at most 64 body kinds are supported"
    );
    let places = [Place::Code("999999")];
    let err = china_router()
        .route(&Case::new(&places, "petition"))
        .unwrap_err();
    assert!(matches!(err, DeskError::Route(_)));
    assert_eq!(err.to_string(), "unknown place 999999");
}

#[test]
fn directory_csv_errors_name_line_and_field() {
    let limits = LoadLimits::default();
    let read = |csv: &str| Directory::from_csv("d.csv", csv.as_bytes(), &limits);
    let header = "unit,body,name,phone,email,endpoint,present\n";
    let d = read(&format!(
        "{header}440305,urban_management,\"南山区城管局, 执法\",0755-1,,https://example.org/c,yes\n\n4403,water,,,,,no\n"
    ))
    .unwrap();
    assert_eq!(d.entries().len(), 2);
    assert_eq!(d.entries()[0].name, "南山区城管局, 执法");
    assert_eq!(
        d.entries()[0].endpoint.as_deref(),
        Some("https://example.org/c")
    );
    assert!(!d.entries()[1].present);
    let cases = [
        (
            "",
            "d.csv line 1: empty input: expected the header `unit,body,name,phone,email,endpoint,present`",
        ),
        (
            "unit,body\n",
            "d.csv line 1: expected the header `unit,body,name,phone,email,endpoint,present`, found `unit,body`",
        ),
        (
            "unit,body,name,phone,email,endpoint,present\n11,x\n",
            "d.csv line 2: expected 7 fields, found 2",
        ),
        (
            "unit,body,name,phone,email,endpoint,present\n,x,,,,,\n",
            "d.csv line 2: field 1 (unit) is empty",
        ),
        (
            "unit,body,name,phone,email,endpoint,present\n11,,,,,,\n",
            "d.csv line 2: field 2 (body) is empty",
        ),
        (
            "unit,body,name,phone,email,endpoint,present\n11,x,\"a\u{1}b\",,,,\n",
            "d.csv line 2: field 3 (name) holds a control character: \"a\\u{1}b\"",
        ),
        (
            "unit,body,name,phone,email,endpoint,present\n11,x,\"open\n",
            "d.csv line 2: unterminated quoted field",
        ),
    ];
    for (csv, message) in cases {
        assert_eq!(read(csv).unwrap_err().to_string(), message, "{csv:?}");
    }
    let long = format!("{header}11,x,{},,,,\n", "名".repeat(400));
    assert_eq!(
        read(&long).unwrap_err().to_string(),
        "d.csv line 2: field 3 (name) has 1200 bytes, beyond the limit of 1024"
    );
    let bytes = [header.as_bytes(), b"11,x,\xff,,,,\n"].concat();
    assert!(matches!(
        Directory::from_csv("d.csv", &bytes, &limits),
        Err(LoadError::Csv { line: 2, .. })
    ));
    let small = LoadLimits::default().with_max_units(1);
    let two = format!("{header}11,x,,,,,\n12,x,,,,,\n");
    assert_eq!(
        Directory::from_csv("d.csv", two.as_bytes(), &small)
            .unwrap_err()
            .to_string(),
        "d.csv line 3: too many entries: the limit is 1"
    );
}

#[cfg(feature = "serde")]
#[test]
fn open311_shapes_map_to_cases_and_desks() {
    use xzqh::desks::open311::{RequestStatus, ServiceRequest, Status, services};
    let router = china_router();
    let list = services(&router.router().policy());
    assert_eq!(list.len(), xzqh::china::policy().categories.len());
    let json = r#"{"service_code": "urban_management", "address_string": "深圳市南山区粤海街道科技园路12号", "description": "夜间施工噪音"}"#;
    let request: ServiceRequest = serde_json::from_str(json).unwrap();
    let places = [request.place().unwrap()];
    let desk = router.route(&request.case(&places)).unwrap();
    let status = RequestStatus::new(
        "1",
        Status::Open,
        desk.lead().name(),
        "2026-12-05T22:10:00+08:00",
    );
    let v = serde_json::to_value(&status).unwrap();
    assert_eq!(v["agency_responsible"], "南山区城市管理局");
    assert_eq!(v["status"], "open");
    let coded: ServiceRequest = serde_json::from_str(
        r#"{"service_code": "petition", "address_id": "440305", "lat": 22.5}"#,
    )
    .unwrap();
    assert_eq!(coded.place(), Some(Place::Code("440305")));
    let nowhere: ServiceRequest =
        serde_json::from_str(r#"{"service_code": "petition", "lat": 22.5, "long": 113.9}"#)
            .unwrap();
    assert_eq!(nowhere.place(), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// The lead body's unit governs every place of the case and holds the
    /// category's competences; co-handlers are bodies of the handler.
    #[test]
    fn the_lead_governs_every_place_and_holds_the_powers(
        picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
        category in 0usize..10,
    ) {
        let router = china_router();
        let h = xzqh::china();
        let policy = CompiledPolicy::compile(xzqh::china::policy(), h).unwrap();
        let category = xzqh::china::policy().categories[category].name.clone();
        let units: Vec<_> = picks.iter().map(|i| h.get(xzqh::UnitId::new(i.index(h.len()) as u32)).unwrap()).collect();
        let places: Vec<Place<'_>> = units.iter().map(|u| Place::Id(u.id())).collect();
        let Ok(desk) = router.route(&Case::new(&places, &category)) else { return Ok(()) };
        let lead = desk.lead().unit();
        for u in &units {
            prop_assert!(h.governs(lead, *u).is_some() || !lead.role().governs(),
                "{} does not govern {}", lead, u);
        }
        for c in &policy.policy().categories {
            if c.name == category {
                for power in &c.competences {
                    prop_assert!(policy.holds(lead, power).unwrap(), "{lead} lacks {power}");
                }
            }
        }
        for b in desk.co_handlers() {
            prop_assert_eq!(b.unit(), desk.decision().handler());
        }
    }
}
