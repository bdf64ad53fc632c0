//! Routing: hand cases on the excerpt, England's two tiers, policy errors, a
//! policy and a decision meeting another hierarchy, bounded error messages,
//! and the router against a slow reference on random hierarchies and policies.

use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::common::{Reference, Row, Rows, rows_strategy, small_china, test_schema};
use proptest::prelude::*;
use xzqh::routing::{
    Case, CategoryDef, CompetenceDef, CompiledPolicy, Decision, Place, Policy, PolicyError,
    RouteError, Router, ScaleDef, SeverityDef, Step,
};
use xzqh::{Hierarchy, Role};

fn sample_router() -> (Arc<Hierarchy>, Router) {
    let h = Arc::new(small_china());
    let r = Router::new(h.clone(), xzqh::china::policy()).unwrap();
    (h, r)
}

/// The handler's code for a case of codes.
#[track_caller]
fn handler<H: Borrow<Hierarchy>>(
    router: &Router<H>,
    places: &[&str],
    category: &str,
    severity: Option<&str>,
) -> String {
    let places: Vec<Place> = places.iter().map(|&c| Place::Code(c)).collect();
    let mut case = Case::new(&places, category);
    case.severity = severity;
    router.route(&case).unwrap().handler().code().to_owned()
}

#[test]
fn hand_cases_on_the_excerpt() {
    let (_, r) = sample_router();
    // A township case stays at the township (an agency may handle).
    assert_eq!(
        handler(&r, &["110105021"], "public_complaint", None),
        "110105021"
    );
    // Two districts of one municipality go to the municipality.
    assert_eq!(
        handler(&r, &["110105021", "110118101"], "public_complaint", None),
        "11"
    );
    // 仙桃's case goes to 仙桃 (county level); with 湖北's other units, to 湖北.
    assert_eq!(handler(&r, &["429004100"], "environment", None), "429004");
    // Legislation in 东莞 stays in 东莞 (granted power, no districts).
    assert_eq!(
        handler(&r, &["441900121"], "local_legislation", None),
        "4419"
    );
    // Legislation in a county of 塔城地区 goes to 伊犁: the agency holds no power.
    assert_eq!(
        handler(&r, &["654201200"], "local_legislation", None),
        "6540"
    );
    // Across provinces: the State.
    assert_eq!(handler(&r, &["110105", "220104"], "petition", None), "0");
    // Severity raises a county case to the city, the province, the State.
    assert_eq!(
        handler(&r, &["440281102"], "emergency", Some("general")),
        "440281"
    );
    assert_eq!(
        handler(&r, &["440281102"], "emergency", Some("major")),
        "4402"
    );
    assert_eq!(
        handler(&r, &["440281102"], "emergency", Some("serious")),
        "44"
    );
    assert_eq!(
        handler(&r, &["440281102"], "emergency", Some("especially_serious")),
        "0"
    );
    // A neighbour dispute in a township with no village in the excerpt: the township.
    assert_eq!(
        handler(&r, &["440281102"], "neighbour_dispute", None),
        "440281102"
    );
    // Codes in the profile's other forms: GB/T 2260 and 12 digits.
    assert_eq!(handler(&r, &["110000"], "petition", None), "11");
    assert_eq!(
        handler(&r, &["110105000000"], "public_complaint", None),
        "110105"
    );
}

#[test]
fn trace_parties_and_escalation() {
    let (h, r) = sample_router();
    let places = [Place::Code("654201200"), Place::Code("654201")];
    let d = r
        .route(&Case::new(&places, "local_legislation").people(20_000))
        .unwrap();
    let kinds: Vec<_> = d.trace().iter().map(Step::kind).collect();
    assert_eq!(
        kinds,
        [
            "common_ancestor",
            "minimum_level",
            "below_minimum_level",
            "lacks_competence",
            "handler"
        ]
    );
    assert_eq!(d.handler().code(), "6540");
    assert!(std::ptr::eq(d.handler().hierarchy(), &*h));
    assert_eq!(d.start().code(), "654201");
    assert_eq!(d.parties().map(|u| u.code()).collect::<Vec<_>>(), ["6542"]);
    assert_eq!(
        d.escalation().map(|u| u.code()).collect::<Vec<_>>(),
        ["65", "0"]
    );
    assert_eq!(
        d.places().map(|u| u.code()).collect::<Vec<_>>(),
        ["654201200", "654201"]
    );
    assert_eq!(d.handler().tiers(), 2);
    assert_eq!(d.handler().level(), xzqh::china::PREFECTURAL);
    assert_eq!(d.required_level(), Some(xzqh::china::PREFECTURAL));
    assert_eq!(
        d.explain().to_string(),
        "2 places meet at 654201 塔城市, their lowest common ancestor\n\
         10000 or more people affected requires prefectural level or above\n\
         654201 塔城市 is at county level, below the required prefectural\n\
         6542 塔城地区 lacks competence local_legislation\n\
         6540 伊犁哈萨克自治州 (autonomous_prefecture, prefectural level, tier count 2) handles the case"
    );
    assert_eq!(d.policy().map(|p| p.name()), Some("china-default"));
}

#[test]
fn route_errors() {
    let (h, r) = sample_router();
    let none: [Place; 0] = [];
    assert_eq!(
        r.route(&Case::new(&none, "petition")).unwrap_err(),
        RouteError::NoPlaces
    );
    let bad = [Place::Code("110105"), Place::Code("x")];
    assert_eq!(
        r.route(&Case::new(&bad, "petition"))
            .unwrap_err()
            .to_string(),
        "unknown place x"
    );
    let bad_id = [Place::Id(xzqh::UnitId::new(h.len() as u32))];
    assert_eq!(
        r.route(&Case::new(&bad_id, "petition"))
            .unwrap_err()
            .to_string(),
        format!("unknown place #{}", h.len())
    );
    let ok = [Place::Code("110105")];
    assert_eq!(
        r.route(&Case::new(&ok, "parking")).unwrap_err().to_string(),
        "unknown category `parking`"
    );
    assert_eq!(
        r.route(&Case::new(&ok, "emergency").severity("mild"))
            .unwrap_err()
            .to_string(),
        "unknown severity `mild`"
    );
    // No handler: a policy whose only category needs a power nobody holds.
    let mut p = Policy::new("nobody");
    p.competences.push(CompetenceDef::new("magic"));
    p.categories
        .push(CategoryDef::new("wish").competences(["magic"]));
    r.set_policy(p).unwrap();
    assert_eq!(
        r.route(&Case::new(&ok, "wish")).unwrap_err().to_string(),
        "no unit from 110105 up to the root can handle category `wish`"
    );
    // A decision that failed tells why each unit was passed over, under the
    // policy in force, even when it last held another policy's answer.
    let mut d = Decision::new(&h);
    let before = Router::new(h.clone(), xzqh::china::policy()).unwrap();
    before
        .route_into(&Case::new(&ok, "petition"), &mut d)
        .unwrap();
    assert!(r.route_into(&Case::new(&ok, "wish"), &mut d).is_err());
    assert_eq!(d.policy().map(|p| p.name()), Some("nobody"));
    assert_eq!(
        d.explain().to_string(),
        "the case is located in 110105 朝阳区\n\
         110105 朝阳区 lacks competence magic\n\
         11 北京市 lacks competence magic\n\
         0 中华人民共和国 lacks competence magic"
    );
}

/// Errors quote input as a bounded excerpt that states its length: a
/// megabyte of place code, category or severity never becomes a megabyte
/// of message.
#[test]
fn a_reused_decision_follows_the_policy_in_force() {
    let (h, r) = sample_router();
    let places = [Place::Code("110105021")];
    let case = Case::new(&places, "public_complaint");
    let mut d = Decision::new(&h);
    r.route_into(&case, &mut d).unwrap();
    r.route_into(&case, &mut d).unwrap(); // the policy it holds, reused
    assert_eq!(d.policy().map(|p| p.name()), Some("china-default"));
    r.set_policy(Policy::new("empty")).unwrap();
    let err = r.route_into(&case, &mut d).unwrap_err();
    assert!(matches!(err, RouteError::UnknownCategory { .. }));
    assert_eq!(d.policy().map(|p| p.name()), Some("empty"));
    // Another router's policy, then this one's again.
    let other = Router::new(h.clone(), xzqh::china::policy()).unwrap();
    other.route_into(&case, &mut d).unwrap();
    assert_eq!(d.policy().map(|p| p.name()), Some("china-default"));
    assert!(r.route_into(&case, &mut d).is_err());
    assert_eq!(d.policy().map(|p| p.name()), Some("empty"));
    r.set_policy(xzqh::china::policy()).unwrap();
    r.route_into(&case, &mut d).unwrap();
    assert_eq!(d.handler().code(), "110105021");
}

#[test]
fn route_errors_quote_bounded_excerpts() {
    let (_, r) = sample_router();
    let big = "9".repeat(1 << 20);
    let length = format!("({} bytes)", big.len());
    let huge = [Place::Code(&big)];
    let ok = [Place::Code("110105")];
    for (err, prefix) in [
        (
            r.route(&Case::new(&huge, "petition")).unwrap_err(),
            "unknown place 999",
        ),
        (
            r.route(&Case::new(&ok, &big)).unwrap_err(),
            "unknown category `999",
        ),
        (
            r.route(&Case::new(&ok, "emergency").severity(&big))
                .unwrap_err(),
            "unknown severity `999",
        ),
    ] {
        let msg = err.to_string();
        assert!(msg.len() < 200, "{} bytes: {msg}", msg.len());
        assert!(msg.starts_with(prefix), "{msg}");
        assert!(msg.contains(&length), "{msg}");
    }
    assert!(matches!(
        r.route(&Case::new(&huge, "petition")),
        Err(RouteError::UnknownPlace { .. })
    ));
}

/// A compiled policy answers only for units of the hierarchy it was
/// compiled for: another hierarchy's ids would mean other units.
#[test]
fn a_policy_refuses_units_of_another_hierarchy() {
    let small = small_china();
    let policy = CompiledPolicy::compile(xzqh::china::policy(), &small).unwrap();
    assert_eq!(
        policy.holds(small.by_code("65").unwrap(), "local_legislation"),
        Ok(true)
    );
    let err = policy
        .holds(xzqh::china().by_code("65").unwrap(), "local_legislation")
        .unwrap_err();
    assert_eq!(
        err,
        PolicyError::OtherHierarchy {
            code: "65".to_owned()
        }
    );
    assert_eq!(
        err.to_string(),
        "unit 65 is not of the hierarchy the policy was compiled for"
    );
    // A second build of the same rows is another hierarchy too.
    let again = small_china();
    assert!(matches!(
        policy.holds(again.by_code("654201").unwrap(), "local_legislation"),
        Err(PolicyError::OtherHierarchy { .. })
    ));
    // The competence is checked first: an unknown one is named as such.
    assert!(matches!(
        policy.holds(xzqh::china().root(), "flying"),
        Err(PolicyError::UnknownCompetence { .. })
    ));
}

/// A decision made on one hierarchy and handed to a router on another is
/// rebound to the router's: its answer is the router's unit, and nothing of
/// the other hierarchy survives, even after an error.
#[test]
fn a_decision_from_another_hierarchy_is_rebound() {
    let (h, small) = sample_router();
    let china = Router::new(xzqh::china(), xzqh::china::policy()).unwrap();

    // Made on the full data, never routed.
    let mut d = Decision::new(xzqh::china());
    let places = [Place::Code("654201200")];
    let case = Case::new(&places, "local_legislation");
    small.route_into(&case, &mut d).unwrap();
    assert_eq!(d.handler(), h.by_code("6540").unwrap());
    assert!(std::ptr::eq(d.handler().hierarchy(), &*h));

    // Routed on the full data first, with ids the excerpt does not have.
    let far = [Place::Code("659001100")]; // a township of 石河子
    china
        .route_into(&Case::new(&far, "petition"), &mut d)
        .unwrap();
    assert!(d.handler().id().index() >= h.len());
    small.route_into(&case, &mut d).unwrap();
    assert_eq!(d.handler(), h.by_code("6540").unwrap());
    assert!(d.places().all(|u| std::ptr::eq(u.hierarchy(), &*h)));
    assert!(d.trace().iter().all(|s| match *s {
        Step::CommonAncestor { unit, .. }
        | Step::LacksCompetence { unit, .. }
        | Step::Handler { unit } => std::ptr::eq(unit.hierarchy(), &*h),
        _ => true,
    }));
    assert!(d.explain().to_string().ends_with("handles the case"));

    // An error on the router leaves a decision of the router's hierarchy.
    china
        .route_into(&Case::new(&far, "petition"), &mut d)
        .unwrap();
    let err = small.route_into(&Case::new(&far, "petition"), &mut d);
    assert_eq!(err.unwrap_err().to_string(), "unknown place 659001100");
    assert!(std::ptr::eq(d.handler().hierarchy(), &*h));
    assert!(std::ptr::eq(d.policy().unwrap(), &*small.policy()));
    assert!(d.trace().is_empty() && d.places().next().is_none());
    let _ = d.explain().to_string();
    assert_eq!(d.escalation().len() + d.parties().len(), 0);
}

#[test]
fn policy_errors_name_the_field() {
    let h = small_china();
    let check = |p: Policy, msg: &str| {
        assert_eq!(CompiledPolicy::compile(p, &h).unwrap_err().to_string(), msg);
    };
    let mut p = Policy::new("x");
    p.competences
        .push(CompetenceDef::new("c").kinds(["county", "shire"]));
    check(p, "competences[0].kinds[1]: unknown kind `shire`");
    let mut p = Policy::new("x");
    p.competences
        .push(CompetenceDef::new("c").designations(["capital_city"]));
    check(
        p,
        "competences[0].designations[0]: unknown designation `capital_city`",
    );
    let mut p = Policy::new("x");
    p.competences.push(CompetenceDef::new("c").units(["9999"]));
    check(p, "competences[0].units[0]: unknown unit `9999`");
    let mut p = Policy::new("x");
    p.categories
        .push(CategoryDef::new("a").competences(["nope"]));
    check(p, "categories[0].competences[0]: unknown competence `nope`");
    let mut p = Policy::new("x");
    p.categories.push(CategoryDef::new("a").min_level("parish"));
    check(p, "categories[0].min_level: unknown level `parish`");
    let mut p = Policy::new("x");
    p.categories.push(CategoryDef::new("a").roles(["mayor"]));
    check(p, "categories[0].roles[0]: unknown role `mayor`");
    let mut p = Policy::new("x");
    p.roles = vec!["government".into(), "king".into()];
    check(p, "roles[1]: unknown role `king`");
    let mut p = Policy::new("x");
    p.categories.push(CategoryDef::new("a"));
    p.categories.push(CategoryDef::new("a"));
    check(p, "categories[1].name: duplicate name `a`");
    let mut p = xzqh::china::policy();
    p.severities.swap(1, 2);
    check(
        p,
        "severities[2].min_level: `major` requires level prefectural, below provincial required by the grade before it",
    );
    let mut p = Policy::new("x");
    p.scale.push(ScaleDef::new(100, "county"));
    p.scale.push(ScaleDef::new(100, "provincial"));
    check(
        p,
        "scale[1].people: threshold 100 does not exceed the one before it",
    );
    let mut p = Policy::new("x");
    p.scale.push(ScaleDef::new(100, "provincial"));
    p.scale.push(ScaleDef::new(1000, "county"));
    check(
        p,
        "scale[1].min_level: `1000` requires level county, below provincial required by the grade before it",
    );
    let mut p = Policy::new("x");
    for i in 0..65 {
        p.competences.push(CompetenceDef::new(format!("c{i}")));
    }
    assert_eq!(
        CompiledPolicy::compile(p, &h).unwrap_err(),
        PolicyError::TooManyCompetences { max: 64 }
    );
}

#[cfg(feature = "serde")]
#[test]
fn policy_files() {
    let h = small_china();
    let err = Policy::from_json(r#"{"name": "x", "colour": 1}"#).unwrap_err();
    assert!(matches!(err, PolicyError::Parse { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("cannot parse the policy: unknown field `colour`"),
        "{err}"
    );
    let err = Policy::from_toml("name = \"x\"\n[[categories]]\nname = 3\n").unwrap_err();
    assert!(
        err.to_string().starts_with("cannot parse the policy: "),
        "{err}"
    );
    let p = Policy::from_toml("name = \"x\"\n[[categories]]\nname = \"a\"\nmin_level = \"moon\"\n")
        .unwrap();
    let err = CompiledPolicy::compile(p, &h).unwrap_err();
    assert_eq!(
        err.to_string(),
        "categories[0].min_level: unknown level `moon`"
    );
    // The default policy survives a JSON round trip.
    let text = serde_json::to_string(&xzqh::china::policy()).unwrap();
    assert_eq!(Policy::from_json(&text).unwrap(), xzqh::china::policy());
    // The England example's policy file parses and fits England's hierarchy.
    let (england, _) = crate::common::england();
    let p = Policy::from_toml(include_str!("../../examples/england_policy.toml")).unwrap();
    assert_eq!(
        CompiledPolicy::compile(p, &england).unwrap().name(),
        "england-two-tier"
    );
}

/// In a two-tier area the category decides the council; a unitary
/// authority does both.
#[test]
fn england_two_tier_and_unitary() {
    let (h, p) = crate::common::england();
    let r = Router::new(Arc::new(h), p).unwrap();
    assert_eq!(handler(&r, &["E07000008"], "pothole", None), "E10000003");
    assert_eq!(handler(&r, &["E07000008"], "missed_bin", None), "E07000008");
    assert_eq!(handler(&r, &["E06000055"], "pothole", None), "E06000055");
    assert_eq!(handler(&r, &["E06000055"], "missed_bin", None), "E06000055");
    // A pothole on the border of two districts: the county, coordinating both.
    let places = [Place::Code("E07000008"), Place::Code("E07000012")];
    let d = r.route(&Case::new(&places, "pothole")).unwrap();
    assert_eq!(
        d.parties().map(|u| u.name()).collect::<Vec<_>>(),
        ["Cambridge", "South Cambridgeshire"]
    );
    // The plain profile reads codes as written, and knows no history.
    let lower = [Place::Code("e07000008")];
    assert!(matches!(
        r.route(&Case::new(&lower, "pothole")),
        Err(RouteError::UnknownPlace { .. })
    ));
    // Bins across the county border: no council does both areas' bins.
    let places = [Place::Code("E07000008"), Place::Code("E06000055")];
    assert!(matches!(
        r.route(&Case::new(&places, "missed_bin")),
        Err(RouteError::NoHandler { .. })
    ));
}

#[test]
fn swapping_the_policy_while_routing_on_other_threads() {
    let (_, r) = sample_router();
    let r = Arc::new(r);
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let r = r.clone();
            std::thread::spawn(move || {
                let places = [Place::Code("110105021")];
                for _ in 0..2_000 {
                    // Either policy gives an answer; none is half-applied.
                    let d = r.route(&Case::new(&places, "public_complaint"));
                    assert!(d.is_ok() || matches!(d, Err(RouteError::UnknownCategory { .. })));
                }
            })
        })
        .collect();
    for i in 0..200 {
        let p = if i % 2 == 0 {
            Policy::new("empty")
        } else {
            xzqh::china::policy()
        };
        r.set_policy(p).unwrap();
    }
    for w in workers {
        w.join().unwrap();
    }
}

// ---- the router against a slow reference ----

const LEVELS: [&str; 4] = ["top", "upper", "middle", "lower"];
const KINDS: [&str; 8] = [
    "root", "region", "office", "town", "street", "zone", "village", "grid",
];
const ROLES: [&str; 4] = ["government", "agency", "self_governing", "functional"];

/// A row of the test schema named by its code, without designations.
fn row(code: &str, kind: &'static str, parent: Option<&str>) -> Row {
    Row {
        code: code.into(),
        name: code.into(),
        kind,
        parent: parent.map(Into::into),
        designations: vec![],
    }
}

/// Category names longer than 16 bytes that share their length and first
/// and last eight bytes are still told apart, and shorter ones too.
#[test]
fn categories_are_found_by_their_whole_name() {
    let rows = Rows {
        units: vec![
            row("R", "root", None),
            row("A", "region", Some("R")),
            row("T", "town", Some("A")),
        ],
        relations: vec![],
    };
    let h = Arc::new(rows.build());
    let mut policy = Policy::new("names");
    let mut x = CategoryDef::new("category_x_of_the_book");
    x.min_level = Some("upper".into());
    let mut short = CategoryDef::new("short");
    short.min_level = Some("top".into());
    policy
        .categories
        .extend([x, CategoryDef::new("category_y_of_the_book"), short]);
    let router = Router::new(h, policy).unwrap();
    let places = [Place::Code("T")];
    let handler = |category: &str| {
        router
            .route(&Case::new(&places, category))
            .map(|d| d.handler().code().to_owned())
    };
    assert_eq!(handler("category_x_of_the_book").unwrap(), "A");
    assert_eq!(handler("category_y_of_the_book").unwrap(), "T");
    assert_eq!(handler("short").unwrap(), "R");
    for unknown in [
        "category_z_of_the_book",
        "shore",
        "shor",
        "",
        "category_x_of_the_boo",
    ] {
        assert!(
            matches!(handler(unknown), Err(RouteError::UnknownCategory { .. })),
            "{unknown:?}"
        );
    }
}

/// Places deeper than the rounds the router steps them up together, among
/// shallow ones, at the handler and repeated: each finds its party.
#[test]
fn parties_of_many_places_at_many_depths() {
    let mut units = vec![row("R", "root", None)];
    for (head, depth) in [("A", 25), ("B", 3), ("C", 12)] {
        units.push(row(head, "region", Some("R")));
        let mut parent = head.to_owned();
        for d in 0..depth {
            let code = format!("{head}{d:02}");
            units.push(row(&code, "village", Some(&parent)));
            parent = code;
        }
    }
    units.push(row("D", "town", Some("R")));
    let rows = Rows {
        units,
        relations: vec![],
    };
    let h = Arc::new(rows.build());
    let router = Router::new(h.clone(), Policy::new("any")).unwrap();
    let r = Reference::new(&rows);
    for codes in [
        &[
            "A24", "B02", "C11", "D", "A00", "R", "A24", "C05", "B00", "A13",
        ][..],
        &[
            "A24", "A23", "A22", "A21", "A20", "A19", "A18", "A17", "A16", "C11",
        ][..],
        &["A24", "C11", "D", "B02", "A01"][..],
        &["R", "R", "R", "R", "R", "R", "R", "R", "R"][..],
    ] {
        let places: Vec<Place> = codes.iter().map(|c| Place::Code(c)).collect();
        let mut policy = Policy::new("any");
        policy.categories.push(CategoryDef::new("k"));
        router.set_policy(policy).unwrap();
        let d = router.route(&Case::new(&places, "k")).unwrap();
        assert_eq!(d.handler().code(), "R", "{codes:?}");
        let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
        let want: Vec<String> = reference_parties(&r, "R", &codes).into_iter().collect();
        let got: Vec<String> = d.parties().map(|u| u.code().to_owned()).collect();
        assert_eq!(got, want, "{codes:?}");
    }
}

fn policy_strategy() -> impl Strategy<Value = Policy> {
    (
        proptest::collection::vec(0u8..16, 4), // default roles bits (first 4 used)
        proptest::collection::vec((any::<u8>(), any::<u8>()), 3), // competences: kinds bits, designation bits
        proptest::collection::vec((0usize..4, any::<u8>()), 1..5), // categories: level (or 4 = none)...
        proptest::collection::vec(0usize..4, 0..4),                // severity levels (sorted later)
    )
        .prop_map(|(roles, comps, cats, sevs)| {
            let mut p = Policy::new("random");
            p.roles = ROLES
                .iter()
                .enumerate()
                .filter(|(i, _)| roles[0] >> i & 1 == 1)
                .map(|(_, r)| r.to_string())
                .collect();
            for (i, (kinds, desig)) in comps.iter().enumerate() {
                let mut c = CompetenceDef::new(format!("c{i}"));
                c.kinds = KINDS
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| kinds >> k & 1 == 1)
                    .map(|(_, k)| k.to_string())
                    .collect();
                c.designations = ["capital", "big"]
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| desig >> k & 1 == 1)
                    .map(|(_, d)| d.to_string())
                    .collect();
                p.competences.push(c);
            }
            for (i, (level, bits)) in cats.iter().enumerate() {
                let mut c = CategoryDef::new(format!("k{i}"));
                if bits & 0x80 == 0 {
                    c.min_level = Some(LEVELS[*level].to_owned());
                }
                c.competences = (0..3)
                    .filter(|b| bits >> b & 1 == 1)
                    .map(|b| format!("c{b}"))
                    .collect();
                c.roles = ROLES
                    .iter()
                    .enumerate()
                    .filter(|(r, _)| bits >> (3 + r) & 1 == 1)
                    .map(|(_, r)| r.to_string())
                    .collect();
                p.categories.push(c);
            }
            let mut sevs = sevs;
            sevs.sort_unstable_by(|a, b| b.cmp(a)); // least severe (lowest level) first
            for (i, l) in sevs.iter().enumerate() {
                p.severities
                    .push(SeverityDef::new(format!("s{i}"), LEVELS[*l]));
            }
            p.scale.push(ScaleDef::new(100, "middle"));
            p.scale.push(ScaleDef::new(1000, "upper"));
            p
        })
}

/// The rule written plainly: ancestor lists, names, no bit sets. The
/// handler's code, and each unit passed over on the way with the kind of
/// step that says why.
fn reference_route(
    rows: &Rows,
    policy: &Policy,
    places: &[String],
    cat: usize,
    sev: Option<usize>,
    people: Option<u64>,
) -> Option<(String, Vec<(String, &'static str)>)> {
    let r = Reference::new(rows);
    let schema = test_schema();
    let mut start = places[0].clone();
    for p in &places[1..] {
        start = r.lca(&start, p);
    }
    let c = &policy.categories[cat];
    let rank = |name: &str| LEVELS.iter().position(|l| *l == name).unwrap();
    let mut required: Option<usize> = c.min_level.as_deref().map(rank);
    let mut demand = |l: usize| required = Some(required.map_or(l, |r| r.min(l)));
    if let Some(s) = sev {
        demand(rank(&policy.severities[s].min_level));
    }
    if let Some(p) = people {
        for s in &policy.scale {
            if p >= s.people {
                demand(rank(&s.min_level));
            }
        }
    }
    let mut chain = vec![start.clone()];
    chain.extend(r.ancestors(&start));
    let mut passed = Vec::new();
    for u in chain {
        let row = &r.by_code[&u];
        let kind = schema.kind(schema.kind_id(row.kind).unwrap()).unwrap();
        let role = kind.role().as_str();
        let role_ok = policy.roles.iter().chain(&c.roles).any(|x| x == role);
        let level_ok = required.is_none_or(|req| kind.level().rank() as usize <= req);
        let holds = |name: &String| {
            let def = policy.competences.iter().find(|d| &d.name == name).unwrap();
            def.kinds.iter().any(|k| k == row.kind)
                || row.designations.iter().any(|&d| {
                    def.designations
                        .contains(&schema.designations()[d as usize])
                })
        };
        let why = if !role_ok {
            "role_not_allowed"
        } else if !level_ok {
            "below_minimum_level"
        } else if !c.competences.iter().all(holds) {
            "lacks_competence"
        } else {
            return Some((u, passed));
        };
        passed.push((u, why));
    }
    None
}

/// The parties written plainly: each place other than the handler walked
/// up by code to the handler's child, each child once.
fn reference_parties(r: &Reference, handler: &str, places: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in places.iter().filter(|p| *p != handler) {
        let mut x = p.clone();
        while r.parent(&x).as_deref() != Some(handler) {
            x = r
                .parent(&x)
                .expect("the handler is an ancestor of each place");
        }
        out.insert(x);
    }
    out
}

/// The escalation chain written plainly: the governments above the handler,
/// nearest first.
fn reference_escalation(r: &Reference, handler: &str) -> Vec<String> {
    r.ancestors(handler)
        .into_iter()
        .filter(|a| r.role(a) == Role::Government)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn router_matches_the_reference_and_keeps_its_promises(
        rows in rows_strategy(40),
        policy in policy_strategy(),
        // Up to 4, up to 8 and more places take different paths to the parties.
        picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..12),
        extra in any::<prop::sample::Index>(),
        cat in any::<prop::sample::Index>(),
        sev in proptest::option::of(any::<prop::sample::Index>()),
        people in proptest::option::of(0u64..2000),
    ) {
        let h = Arc::new(rows.build());
        let router = Router::new(h.clone(), policy.clone()).unwrap();
        let codes: Vec<String> = picks.iter().map(|i| rows.units[i.index(rows.units.len())].code.clone()).collect();
        let cat = cat.index(policy.categories.len());
        let sev = if policy.severities.is_empty() { None } else { sev.map(|s| s.index(policy.severities.len())) };
        let cat_name = policy.categories[cat].name.clone();
        let sev_name = sev.map(|s| policy.severities[s].name.clone());
        let route = |codes: &[String], sev_name: Option<&str>| {
            let places: Vec<Place> = codes.iter().map(|c| Place::Code(c.as_str())).collect();
            let mut case = Case::new(&places, &cat_name);
            case.severity = sev_name;
            case.people = people;
            router.route(&case).map(|d| (d.handler().code().to_owned(), d))
        };
        let got = route(&codes, sev_name.as_deref());
        let want = reference_route(&rows, &policy, &codes, cat, sev, people);
        prop_assert_eq!(
            got.as_ref().ok().map(|(c, _)| c.clone()),
            want.as_ref().map(|(c, _)| c.clone())
        );
        if let (Ok((code, d)), Some((_, passed))) = (&got, &want) {
            let hu = h.by_code(code).unwrap();
            // The units passed over, and why, as the reference climbs.
            let steps: Vec<(String, &str)> = d
                .trace()
                .iter()
                .filter_map(|s| match *s {
                    Step::RoleNotAllowed { unit, .. }
                    | Step::BelowMinimumLevel { unit, .. }
                    | Step::LacksCompetence { unit, .. } => Some((unit.code().to_owned(), s.kind())),
                    _ => None,
                })
                .collect();
            let passed: Vec<(String, &str)> = passed.iter().map(|(u, k)| (u.clone(), *k)).collect();
            prop_assert_eq!(steps, passed);
            // The parties and the escalation chain, as the reference walks them.
            let r = Reference::new(&rows);
            let parties: Vec<String> = d.parties().map(|u| u.code().to_owned()).collect();
            let ids: Vec<_> = d.parties().map(|u| u.id()).collect();
            prop_assert!(ids.windows(2).all(|w| w[0] < w[1]), "parties in id order, each once");
            prop_assert_eq!(
                parties.into_iter().collect::<BTreeSet<_>>(),
                reference_parties(&r, code, &codes)
            );
            let escalation: Vec<String> = d.escalation().map(|u| u.code().to_owned()).collect();
            prop_assert_eq!(escalation, reference_escalation(&r, code));
            // A decision reused from another case answers as a fresh one.
            let places: Vec<Place> = codes.iter().map(|c| Place::Code(c.as_str())).collect();
            let other: Vec<Place> = codes.iter().rev().skip(1).map(|c| Place::Code(c.as_str())).collect();
            let mut case = Case::new(&places, &cat_name);
            case.severity = sev_name.as_deref();
            case.people = people;
            let mut reused = Decision::new(&h);
            let _ = router.route_into(&Case::new(&other, &cat_name), &mut reused);
            router.route_into(&case, &mut reused).unwrap();
            prop_assert_eq!(reused.handler(), d.handler());
            prop_assert_eq!(reused.trace(), d.trace());
            prop_assert!(reused.parties().eq(d.parties()));
            prop_assert!(reused.escalation().eq(d.escalation()));
            prop_assert!(reused.places().eq(d.places()));
            // The handler governs every affected place.
            for c in &codes {
                prop_assert!(hu.contains(h.by_code(c).unwrap()));
            }
            // The handler never has a forbidden role.
            let c = &policy.categories[cat];
            prop_assert!(policy.roles.iter().chain(&c.roles).any(|r| r == hu.role().as_str()));
            let ends_with_handler = matches!(d.trace().last(), Some(Step::Handler { .. }));
            prop_assert!(ends_with_handler);
            // Adding a place never lowers the handler.
            let mut more = codes.clone();
            more.push(rows.units[extra.index(rows.units.len())].code.clone());
            if let Ok((code2, _)) = route(&more, sev_name.as_deref()) {
                prop_assert!(h.by_code(&code2).unwrap().contains(hu));
            }
            // Raising the severity never lowers the handler.
            if let Some(s) = sev
                && let Some(up) = policy.severities.get(s + 1)
                && let Ok((code3, _)) = route(&codes, Some(&up.name))
            {
                prop_assert!(h.by_code(&code3).unwrap().contains(hu));
            }
        } else {
            let no_handler = matches!(got, Err(RouteError::NoHandler { .. }));
            prop_assert!(no_handler, "unexpected error {:?}", got.err());
        }
    }
}
