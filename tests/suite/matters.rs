//! The matters ledger: golden scenarios on China's data (data files under
//! tests/data/matters), England's two tiers, exact error messages with the
//! ledger unchanged, and the ledger against a slow reference on random
//! event streams (cover and powers, monotone handlers, replay, roll-ups).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::common::{england, small_china};
use proptest::prelude::*;
use xzqh::matters::{
    Arrival, Burst, Calendar, Deadline, Event, EventRecord, Ledger, LedgerError, MatterRules,
    PlaceRecord, Repetition, Rule, RulesError, Spread, Within,
};
use xzqh::routing::{Case, Place, Router};
use xzqh::{Hierarchy, Unit, UnitId};

/// `YYYY-MM-DDTHH:MM` in China Standard Time to a timestamp.
#[track_caller]
fn cst(s: &str) -> i64 {
    let (date, time) = s.split_once('T').expect("a T between date and time");
    let n = |t: &str| t.parse::<i64>().expect("digits");
    let d: Vec<i64> = date.split('-').map(n).collect();
    let t: Vec<i64> = time.split(':').map(n).collect();
    let (y, m, day) = (d[0], d[1], d[2]);
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    days * 86_400 + t[0] * 3600 + t[1] * 60 - 8 * 3600
}

fn rule_name(r: Rule) -> &'static str {
    match r {
        Rule::Spread => "spread",
        Rule::Severity => "severity",
        Rule::Scale => "scale",
        Rule::Category => "category",
        Rule::Burst { .. } => "burst",
        Rule::Repetition { .. } => "repetition",
        Rule::AcceptOverdue { .. } => "accept_overdue",
        Rule::ResolveOverdue { .. } => "resolve_overdue",
        Rule::Deescalation => "deescalation",
        _ => "other",
    }
}

/// Replays one scenario file; returns how many escalations it checked.
#[track_caller]
fn scenario(name: &str, text: &str) -> usize {
    let router = Router::new(xzqh::china(), xzqh::china::policy()).unwrap();
    let mut ledger = Ledger::new(&router, xzqh::china::matter_rules()).unwrap();
    let mut expected = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        let at = || cst(w[1]);
        let ctx = format!("{name}:{}: {line}", k + 1);
        let result = match w[0] {
            "arrive" => {
                let places: Vec<Place> = w[7].split(',').map(Place::Code).collect();
                let mut a =
                    Arrival::new(w[2], w[3], w[4], &places, at()).people(w[6].parse().unwrap());
                if w[5] != "-" {
                    a = a.severity(w[5]);
                }
                ledger.arrive(a)
            }
            "accept" => ledger.apply(&Event::Accept {
                case: w[2],
                at: at(),
            }),
            "resolve" => ledger.apply(&Event::Resolve {
                case: w[2],
                at: at(),
            }),
            "reopen" => ledger.apply(&Event::Reopen {
                case: w[2],
                at: at(),
            }),
            "close" => ledger.apply(&Event::Close {
                matter: w[2],
                at: at(),
            }),
            "tick" => ledger.tick(at()),
            "escalation" => {
                expected.push(format!(
                    "{} {} {} {} {} {}",
                    at(),
                    w[2],
                    w[3],
                    w[4],
                    w[5],
                    w[6]
                ));
                continue;
            }
            "handler" => {
                let m = ledger
                    .matter(w[1])
                    .unwrap_or_else(|| panic!("{ctx}: no matter"));
                assert_eq!(m.handler().code(), w[2], "{ctx}");
                continue;
            }
            other => panic!("{ctx}: unknown line kind {other}"),
        };
        result.unwrap_or_else(|e| panic!("{ctx}: {e}"));
    }
    let got: Vec<String> = ledger
        .escalations()
        .map(|e| {
            let cases: Vec<&str> = e.cases().collect();
            format!(
                "{} {} {} {} {} {}",
                e.at(),
                e.matter(),
                e.from().code(),
                e.to().code(),
                rule_name(e.rule()),
                if cases.is_empty() {
                    "-".to_owned()
                } else {
                    cases.join(",")
                }
            )
        })
        .collect();
    assert_eq!(got, expected, "{name}");
    got.len()
}

#[test]
fn golden_scenarios() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/matters");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let mut checked = 0;
    for path in &names {
        let text = std::fs::read_to_string(path).unwrap();
        checked += scenario(&path.display().to_string(), &text);
    }
    assert_eq!(names.len(), 4);
    assert_eq!(checked, 6);
}

#[test]
fn explain_reads_like_a_trace() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/matters/overdue_case.txt"
    ))
    .unwrap();
    scenario("overdue", &text);
    let router = Router::new(xzqh::china(), xzqh::china::policy()).unwrap();
    let mut ledger = Ledger::new(&router, xzqh::china::matter_rules()).unwrap();
    let here = [Place::Code("330106109")];
    let t = cst("2026-12-11T16:00");
    ledger
        .arrive(Arrival::new("o1", "drain-9", "public_complaint", &here, t))
        .unwrap();
    ledger.tick(cst("2026-12-19T08:00")).unwrap();
    assert_eq!(
        ledger.explain("drain-9").unwrap().to_string(),
        format!(
            "at {t} matter drain-9 opened with case o1, handled by 330106109 三墩镇\n\
             at {a} matter drain-9: 330106109 三墩镇 -> 330106 西湖区, not accepted by {a} (cases o1)\n\
             at {r} matter drain-9: 330106 西湖区 -> 3301 杭州市, not resolved by {r} (cases o1)\n\
             matter drain-9 is open: 1 cases (1 open), 1 places, 0 people, handled by 3301 杭州市",
            a = cst("2026-12-15T00:00"),
            r = cst("2026-12-19T00:00"),
        )
    );
    let city = xzqh::china().by_code("3301").unwrap();
    let c = ledger.counts(city);
    assert_eq!((c.matters, c.cases, c.overdue), (1, 1, 1));
    let svg = ledger.treemap(xzqh::china().by_code("33").unwrap());
    assert!(svg.contains("杭州市 1</text>"), "{svg}");
}

/// England's two tiers: the category decides the council; a burst moves a
/// district's matter to the county, spread across a county's districts too.
#[test]
fn england_two_tiers() {
    let (h, policy) = england();
    let router = Router::new(Arc::new(h), policy).unwrap();
    let mut rules = MatterRules::new("england");
    rules.burst = Some(Burst {
        cases: 3,
        within_hours: 2,
        up_to: None,
    });
    rules.deadlines.push(
        Deadline::new()
            .category("pothole")
            .resolve_within(Within::WorkingDays(10)),
    );
    let mut ledger = Ledger::new(&router, rules).unwrap();
    let cambridge = [Place::Code("E07000008")];
    let south = [Place::Code("E07000012")];
    ledger
        .arrive(Arrival::new(
            "b1",
            "bins-mill-rd",
            "missed_bin",
            &cambridge,
            0,
        ))
        .unwrap();
    assert_eq!(
        ledger.matter("bins-mill-rd").unwrap().handler().name(),
        "Cambridge"
    );
    ledger
        .arrive(Arrival::new("p1", "a14", "pothole", &south, 0))
        .unwrap();
    assert_eq!(
        ledger.matter("a14").unwrap().handler().name(),
        "Cambridgeshire"
    );
    // Missed bins in two districts: the county council covers both but
    // has no waste collection; nobody above has it either.
    let err = ledger
        .arrive(Arrival::new("b2", "bins-mill-rd", "missed_bin", &south, 60))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "case `b2`: no unit from E10000003 up to the root can handle category `missed_bin`"
    );
    // A burst of bins in Cambridge: the first unit above that can collect
    // waste — none, so the matter stays (the rule cannot raise past what
    // can carry it).
    for k in 2..=3 {
        ledger
            .arrive(Arrival::new(
                &format!("b{k}x"),
                "bins-mill-rd",
                "missed_bin",
                &cambridge,
                120,
            ))
            .unwrap();
    }
    assert_eq!(
        ledger.matter("bins-mill-rd").unwrap().handler().name(),
        "Cambridge"
    );
    assert_eq!(ledger.escalations().len(), 0);
}

fn china_ledger_router() -> Router<&'static Hierarchy> {
    Router::new(xzqh::china(), xzqh::china::policy()).unwrap()
}

#[test]
fn errors_are_exact_and_leave_the_ledger_unchanged() {
    let router = china_ledger_router();
    let mut ledger = Ledger::new(&router, xzqh::china::matter_rules()).unwrap();
    let here = [Place::Code("110105021")];
    ledger
        .arrive(Arrival::new("c1", "m", "public_complaint", &here, 1_000))
        .unwrap();
    let before = ledger.clone();
    let bad = [Place::Code("99")];
    let long = "x".repeat(10_000);
    let cases: Vec<(Event, &str)> = vec![
        (
            Event::Accept {
                case: "c2",
                at: 1_000,
            },
            "unknown case `c2`",
        ),
        (
            Event::Close {
                matter: "n",
                at: 1_000,
            },
            "unknown matter `n`",
        ),
        (
            Event::Arrive(Arrival::new("c1", "m", "public_complaint", &here, 1_000)),
            "case `c1` has already arrived",
        ),
        (
            Event::Arrive(Arrival::new("c2", "m", "public_complaint", &bad, 1_000)),
            "case `c2`: unknown place 99",
        ),
        (
            Event::Arrive(Arrival::new("c2", "m", "fishing", &here, 1_000)),
            "case `c2`: unknown category `fishing`",
        ),
        (
            Event::Arrive(Arrival::new("c2", "m", "petition", &here, 1_000).severity("dire")),
            "case `c2`: unknown severity `dire`",
        ),
        (
            Event::Arrive(Arrival::new("c2", "m", "petition", &[], 1_000)),
            "case `c2`: case names no place",
        ),
        (
            Event::Tick { at: 699 },
            "event at 699 is before the ledger's time 1000 by more than 300 s",
        ),
        (
            Event::Reopen {
                case: "c1",
                at: 1_000,
            },
            "case `c1` is open: cannot reopen",
        ),
        (
            Event::Deescalate {
                matter: "m",
                to: Place::Code("110118"),
                at: 1_000,
            },
            "matter `m`: 110118 cannot handle it",
        ),
        (
            Event::Accept {
                case: &long,
                at: 1_000,
            },
            "unknown case `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (10000 bytes)`",
        ),
    ];
    for (event, message) in cases {
        let err = ledger.apply(&event).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert!(ledger == before, "{message}: the ledger changed");
    }
    // Within the tolerance, a late event counts as now.
    ledger
        .apply(&Event::Accept {
            case: "c1",
            at: 800,
        })
        .unwrap();
    assert_eq!(ledger.now(), Some(1_000));
    ledger
        .apply(&Event::Close {
            matter: "m",
            at: 1_000,
        })
        .unwrap();
    let err = ledger
        .apply(&Event::Deescalate {
            matter: "m",
            to: Place::Code("110105021"),
            at: 1_000,
        })
        .unwrap_err();
    assert_eq!(err, LedgerError::Closed { matter: "m".into() });
}

#[test]
fn rules_are_checked() {
    let router = china_ledger_router();
    let check = |rules: MatterRules| Ledger::new(&router, rules).unwrap_err().to_string();
    let mut r = MatterRules::new("r");
    r.repetition = Some(Repetition { reopens: 0 });
    assert_eq!(check(r), "repetition.reopens: 0 is out of range 1..=1000");
    let mut r = MatterRules::new("r");
    r.deadlines.push(Deadline::new().severity("dire"));
    assert_eq!(check(r), "deadlines[0].severity: unknown severity `dire`");
    let mut r = MatterRules::new("r");
    r.deadlines
        .push(Deadline::new().accept_within(Within::Hours(0)));
    assert_eq!(
        check(r),
        "deadlines[0].accept_within: 0 is out of range 1..=87600"
    );
    let mut r = MatterRules::new("r");
    r.deadlines.push(Deadline::new().category("petition"));
    r.deadlines.push(Deadline::new().category("petition"));
    assert_eq!(
        check(r),
        "deadlines[1]: a deadline rule for the same category and severity comes before"
    );
    let mut r = MatterRules::new("r");
    r.calendar.holidays.push("2026-13-01".into());
    assert_eq!(
        check(r),
        "calendar.holidays[0]: `2026-13-01` is not `YYYY-MM-DD holiday|workday`"
    );
    let mut r = MatterRules::new("r");
    r.tolerance_seconds = 100_000;
    assert_eq!(
        check(r),
        "tolerance_seconds: 100000 is out of range 0..=86400"
    );
    assert_eq!(
        Calendar::read_days("2026-10-01 feast").unwrap_err(),
        RulesError::Calendar {
            field: "calendar line 1".into(),
            text: "2026-10-01 feast".into()
        }
    );
}

/// Holidays and adjusted working days move a working-day deadline.
#[test]
fn holidays_move_deadlines() {
    let router = china_ledger_router();
    let mut rules = xzqh::china::matter_rules();
    let days = Calendar::read_days("2026-12-14 holiday\n2026-12-12 workday\n").unwrap();
    rules.calendar.holidays = days.holidays;
    rules.calendar.workdays = days.workdays;
    let mut ledger = Ledger::new(&router, rules).unwrap();
    let here = [Place::Code("330106109")];
    ledger
        .arrive(Arrival::new(
            "o1",
            "m",
            "public_complaint",
            &here,
            cst("2026-12-11T16:00"),
        ))
        .unwrap();
    // Saturday the 12th is worked: due at its end.
    assert_eq!(ledger.tick(cst("2026-12-12T23:59")).unwrap(), 0);
    assert_eq!(ledger.tick(cst("2026-12-13T00:00")).unwrap(), 1);
}

// ---------------------------------------------------------------------
// The ledger against a slow reference on random event streams.

/// A random event over the small excerpt: indices into fixed tables.
#[derive(Debug, Clone)]
enum Op {
    Arrive {
        matter: u8,
        category: u8,
        severity: u8,
        places: Vec<u8>,
        people: u16,
        dt: u16,
    },
    Accept(u8, u16),
    Resolve(u8, u16),
    Reopen(u8, u16),
    Close(u8, u16),
    Down(u8, u8, u16),
    Tick(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..6, 0u8..10, 0u8..6, proptest::collection::vec(any::<u8>(), 1..3), 0u16..3000, 0u16..4000)
            .prop_map(|(matter, category, severity, places, people, dt)| Op::Arrive {
                matter, category, severity, places, people, dt
            }),
        1 => (any::<u8>(), 0u16..4000).prop_map(|(c, dt)| Op::Accept(c, dt)),
        1 => (any::<u8>(), 0u16..4000).prop_map(|(c, dt)| Op::Resolve(c, dt)),
        1 => (any::<u8>(), 0u16..4000).prop_map(|(c, dt)| Op::Reopen(c, dt)),
        1 => (0u8..6, 0u16..4000).prop_map(|(m, dt)| Op::Close(m, dt)),
        1 => (0u8..6, any::<u8>(), 0u16..4000).prop_map(|(m, u, dt)| Op::Down(m, u, dt)),
        1 => (0u32..400_000).prop_map(Op::Tick),
    ]
}

const CATEGORIES: [&str; 10] = [
    "neighbour_dispute",
    "community_service",
    "urban_management",
    "public_complaint",
    "labour_dispute",
    "environment",
    "land_planning",
    "petition",
    "emergency",
    "local_legislation",
];
const GRADES: [Option<&str>; 6] = [
    None,
    None,
    Some("general"),
    Some("major"),
    Some("serious"),
    Some("especially_serious"),
];

/// What the reference remembers of a matter: its places, categories,
/// gravest grade and people, from the accepted arrivals alone.
#[derive(Debug, Default, Clone)]
struct RefMatter {
    places: BTreeSet<u32>,
    categories: BTreeSet<&'static str>,
    grade: Option<usize>,
    people: u64,
}

fn test_rules() -> MatterRules {
    let mut r = xzqh::china::matter_rules();
    r.burst = Some(Burst {
        cases: 3,
        within_hours: 1,
        up_to: None,
    });
    r.repetition = Some(Repetition { reopens: 1 });
    r.deadlines.push(
        Deadline::new()
            .category("urban_management")
            .accept_within(Within::Hours(1))
            .resolve_within(Within::Hours(3)),
    );
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn ledger_matches_the_reference(ops in proptest::collection::vec(op(), 1..60)) {
        let h = Arc::new(small_china());
        let router = Router::new(h.clone(), xzqh::china::policy()).unwrap();
        let mut ledger = Ledger::new(&router, test_rules()).unwrap();
        let units: Vec<Unit> = h.units().collect();
        let mut log: Vec<EventRecord> = Vec::new();
        let mut refs: BTreeMap<String, RefMatter> = BTreeMap::new();
        let mut case_ids: Vec<String> = Vec::new();
        let mut t: i64 = 1_800_000_000;
        for op in ops {
            let before = ledger.clone();
            let record = match &op {
                Op::Arrive { matter, category, severity, places, people, dt } => {
                    t += i64::from(*dt);
                    EventRecord::Arrive {
                        case: format!("c{}", case_ids.len()),
                        matter: format!("m{matter}"),
                        category: CATEGORIES[*category as usize].into(),
                        severity: GRADES[*severity as usize].map(Into::into),
                        places: places.iter().map(|&p| PlaceRecord::Id(u32::from(p) % units.len() as u32)).collect(),
                        people: u64::from(*people),
                        at: t,
                    }
                }
                Op::Accept(c, dt) | Op::Resolve(c, dt) | Op::Reopen(c, dt) => {
                    t += i64::from(*dt);
                    let case = if case_ids.is_empty() { "none".to_owned() } else { case_ids[*c as usize % case_ids.len()].clone() };
                    match op {
                        Op::Accept(..) => EventRecord::Accept { case, at: t },
                        Op::Resolve(..) => EventRecord::Resolve { case, at: t },
                        _ => EventRecord::Reopen { case, at: t },
                    }
                }
                Op::Close(m, dt) => { t += i64::from(*dt); EventRecord::Close { matter: format!("m{m}"), at: t } }
                Op::Down(m, u, dt) => {
                    t += i64::from(*dt);
                    EventRecord::Deescalate { matter: format!("m{m}"), to: PlaceRecord::Id(u32::from(*u) % units.len() as u32), at: t }
                }
                Op::Tick(dt) => { t += i64::from(*dt); EventRecord::Tick { at: t } }
            };
            let handlers: BTreeMap<String, u32> = ledger.matters().map(|m| (m.key().to_owned(), m.handler().id().get())).collect();
            match ledger.apply_record(&record) {
                Err(_) => {
                    // A refused event leaves the ledger unchanged.
                    prop_assert!(ledger == before);
                    continue;
                }
                Ok(_) => log.push(record.clone()),
            }
            if let EventRecord::Arrive { case, matter, category, severity, places, people, .. } = &record {
                case_ids.push(case.clone());
                let r = refs.entry(matter.clone()).or_default();
                for p in places {
                    if let PlaceRecord::Id(id) = p { r.places.insert(*id); }
                }
                r.categories.insert(CATEGORIES.iter().find(|c| **c == category).unwrap());
                let g = severity.as_deref().and_then(|s| GRADES.iter().position(|x| *x == Some(s)));
                r.grade = r.grade.max(g);
                r.people += people;
            }
            // Handlers never go down on their own.
            if !matches!(record, EventRecord::Deescalate { .. }) {
                for m in ledger.matters() {
                    if let Some(&old) = handlers.get(m.key()) {
                        let old = h.get(UnitId::new(old)).unwrap();
                        prop_assert!(m.handler().ancestors().chain([m.handler()]).count() <= old.ancestors().chain([old]).count());
                        prop_assert!(old.ancestors().chain([old]).any(|a| a == m.handler()), "{} went from {} to {}", m.key(), old.code(), m.handler().code());
                    }
                }
            }
        }
        // Cover and powers: the handler governs every place, and stands at
        // or above what the router answers for the union of the places,
        // for each category among the cases.
        for m in ledger.matters() {
            let r = &refs[m.key()];
            let handler = m.handler();
            for &p in &r.places {
                let p = h.get(UnitId::new(p)).unwrap();
                prop_assert!(p == handler || p.ancestors().any(|a| a == handler));
            }
            let places: Vec<Place> = r.places.iter().map(|&p| Place::Id(UnitId::new(p))).collect();
            for c in &r.categories {
                let mut case = Case::new(&places, c).people(r.people);
                case.severity = r.grade.and_then(|g| GRADES[g]);
                let d = router.route(&case).unwrap();
                let want = d.handler();
                prop_assert!(want == handler || want.ancestors().any(|a| a == handler),
                    "{}: router says {} for {c}, ledger {}", m.key(), want.code(), handler.code());
            }
        }
        // Replay from empty gives the same state and escalations.
        // With the serde feature, half way through the replay the ledger is
        // saved and loaded, and the rest is applied to the loaded one.
        let mut again = Ledger::new(&router, test_rules()).unwrap();
        for (k, e) in log.iter().enumerate() {
            #[cfg(feature = "serde")]
            if k == log.len() / 2 {
                let json = again.to_json();
                again = Ledger::from_json(&router, json.as_bytes(), &xzqh::LoadLimits::default()).unwrap();
            }
            let _ = k;
            again.apply_record(e).unwrap();
        }
        prop_assert!(again == ledger);
        // Roll-ups equal a recount.
        for u in h.units() {
            let matters = ledger.matters().filter(|m| m.is_open()).filter(|m| {
                let x = m.handler();
                x == u || x.ancestors().any(|a| a == u)
            }).count() as u32;
            prop_assert_eq!(ledger.counts(u).matters, matters, "{}", u.code());
            let within = |x: Unit| x == u || x.ancestors().any(|a| a == u);
            let cases = ledger.cases().filter(|c| c.is_open() && within(c.place())).count() as u32;
            let overdue = ledger.cases().filter(|c| c.is_overdue() && within(c.place())).count() as u32;
            prop_assert_eq!(ledger.counts(u).cases, cases, "{}", u.code());
            prop_assert_eq!(ledger.counts(u).overdue, overdue, "{}", u.code());
            let rows = ledger.breakdown(u);
            prop_assert_eq!(rows.iter().map(|b| b.matters).sum::<u32>(), matters);
            prop_assert_eq!(rows.iter().map(|b| b.cases).sum::<u32>(), cases);
        }
    }
}

/// A matter's every (place, time) and category, for the window reference.
type Seen = (Vec<(u32, i64)>, BTreeSet<&'static str>);

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// With a spread window, a matter's start is the common ancestor of the
    /// places its cases touched within the window (recomputed here from
    /// every case, slowly), its handler covers them and may handle every
    /// category, and it never goes down a tier; with a window longer than
    /// the stream, the ledger equals one without a window.
    #[test]
    fn spread_window_matches_the_reference(
        ops in proptest::collection::vec(
            (0u8..3, 0u8..10, proptest::collection::vec(any::<u8>(), 1..3), 0u16..2400),
            1..50,
        )
    ) {
        let h = Arc::new(small_china());
        let router = Router::new(h.clone(), xzqh::china::policy()).unwrap();
        let units: Vec<Unit> = h.units().collect();
        let window = |hours| {
            let mut r = MatterRules::new("window");
            r.spread = Some(Spread { within_hours: hours });
            r
        };
        let mut ledger = Ledger::new(&router, window(1)).unwrap();
        let mut long = Ledger::new(&router, window(87_600)).unwrap();
        let mut none = Ledger::new(&router, MatterRules::new("none")).unwrap();
        // Per matter: every (place, time) and category of its cases.
        let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
        let mut t: i64 = 1_800_000_000;
        for (k, (matter, category, places, dt)) in ops.iter().enumerate() {
            t += i64::from(*dt);
            let key = format!("m{matter}");
            let ids: Vec<u32> = places.iter().map(|&p| u32::from(p) % units.len() as u32).collect();
            let here: Vec<Place> = ids.iter().map(|&p| Place::Id(UnitId::new(p))).collect();
            let cat = CATEGORIES[*category as usize];
            let case = format!("c{k}");
            let old = ledger.matter(&key).map(|m| m.handler().level().rank());
            let result = ledger.arrive(Arrival::new(&case, &key, cat, &here, t));
            let long_result = long.arrive(Arrival::new(&case, &key, cat, &here, t));
            let none_result = none.arrive(Arrival::new(&case, &key, cat, &here, t));
            prop_assert_eq!(long_result.is_ok(), none_result.is_ok());
            if result.is_err() {
                continue;
            }
            let (all, cats) = seen.entry(key.clone()).or_default();
            all.extend(ids.iter().map(|&p| (p, t)));
            cats.insert(cat);
            let m = ledger.matter(&key).unwrap();
            let inside: BTreeSet<u32> = all.iter().filter(|e| e.1 >= t - 3600).map(|e| e.0).collect();
            let within = |x: Unit, a: Unit| x == a || x.ancestors().any(|y| y == a);
            let start = h.units()
                .filter(|&a| inside.iter().all(|&p| within(h.get(UnitId::new(p)).unwrap(), a)))
                .max_by_key(|a| a.depth())
                .unwrap();
            prop_assert_eq!(m.start(), start);
            let handler = m.handler();
            prop_assert!(within(start, handler), "{} handled by {}", start.code(), handler.code());
            let places: Vec<Place> = inside.iter().map(|&p| Place::Id(UnitId::new(p))).collect();
            for c in cats.iter() {
                let want = router.route(&Case::new(&places, c)).unwrap().handler();
                prop_assert!(within(want, handler), "router {} for {c}, ledger {}", want.code(), handler.code());
            }
            if let Some(old) = old {
                prop_assert!(handler.level().rank() <= old, "down to {}", handler.code());
            }
        }
        let handlers = |l: &Ledger| l.matters().map(|m| (m.key().to_owned(), m.handler().id(), m.start().id())).collect::<Vec<_>>();
        prop_assert_eq!(handlers(&long), handlers(&none));
        let rules: Vec<_> = long.escalations().map(|e| (e.at(), e.from().id(), e.to().id(), e.rule())).collect();
        let rules_none: Vec<_> = none.escalations().map(|e| (e.at(), e.from().id(), e.to().id(), e.rule())).collect();
        prop_assert_eq!(rules, rules_none);
        #[cfg(feature = "serde")]
        {
            let json = ledger.to_json();
            let loaded = Ledger::from_json(&router, json.as_bytes(), &xzqh::LoadLimits::default()).unwrap();
            prop_assert!(loaded == ledger);
        }
    }
}

/// Rules as data: England's as a TOML file, China's through JSON and back.
#[cfg(feature = "serde")]
#[test]
fn rules_from_files() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/matters/england_rules.toml"
    ))
    .unwrap();
    let rules = MatterRules::from_toml(&text).unwrap();
    assert_eq!(rules.name, "england-two-tier");
    let (h, mut policy) = england();
    // Noise nuisance: environmental health, any council.
    policy
        .categories
        .push(xzqh::routing::CategoryDef::new("noise"));
    let router = Router::new(Arc::new(h), policy).unwrap();
    let mut ledger = Ledger::new(&router, rules).unwrap();
    // Noise reported on a Friday: ten working days, bank holidays off.
    let south = [Place::Code("E07000012")];
    let fri = 1_797_584_400; // 2026-12-18 09:00 UTC, a Friday
    ledger
        .arrive(Arrival::new("n1", "party-barn", "noise", &south, fri))
        .unwrap();
    // 21 Dec .. 6 Jan less Christmas, the Boxing Day holiday (28th) and
    // New Year's Day: due by the end of 6 January.
    assert_eq!(ledger.tick(fri + 19 * 86_400).unwrap(), 0);
    assert_eq!(ledger.tick(fri + 20 * 86_400).unwrap(), 1);
    let e = ledger.escalations().next().unwrap();
    assert_eq!(
        (e.from().name(), e.to().name()),
        ("South Cambridgeshire", "Cambridgeshire")
    );
    assert!(matches!(e.rule(), Rule::ResolveOverdue { .. }));

    let china = xzqh::china::matter_rules();
    let json = serde_json::to_string(&china).unwrap();
    assert_eq!(MatterRules::from_json(&json).unwrap(), china);
    let err = MatterRules::from_toml("name = \"x\"\nburst = 3\n").unwrap_err();
    assert!(
        err.to_string().starts_with("cannot parse the rules: "),
        "{err}"
    );
}

/// A snapshot that does not fit the hierarchy or is malformed fails with
/// a path, never a panic.
#[cfg(feature = "serde")]
#[test]
fn hostile_snapshots() {
    let router = china_ledger_router();
    let mut ledger = Ledger::new(&router, xzqh::china::matter_rules()).unwrap();
    let here = [Place::Code("110105021")];
    ledger
        .arrive(Arrival::new("c1", "m", "public_complaint", &here, 0))
        .unwrap();
    let json = ledger.to_json();
    let limits = xzqh::LoadLimits::default();
    let load = |text: &str| {
        Ledger::from_json(&router, text.as_bytes(), &limits)
            .unwrap_err()
            .to_string()
    };
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["matters"][0]["handler"] = 9_999_999.into();
    assert_eq!(load(&v.to_string()), "matters[0]: unit id out of range");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["cases"][0]["matter"] = 3.into();
    assert_eq!(
        load(&v.to_string()),
        "matters[0].first_case: not the list of this matter's cases"
    );
    // A burst window counting more cases than it holds would count below
    // zero as they leave it.
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["matters"][0]["window_count"], 1);
    v["matters"][0]["window_count"] = 0.into();
    assert_eq!(
        load(&v.to_string()),
        "matters[0].window_count: not the number of cases from the window's first to the last"
    );
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["version"] = 2.into();
    assert_eq!(
        load(&v.to_string()),
        "unsupported format version 2: this build reads version 1"
    );
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["policy"] = "other".into();
    assert_eq!(
        load(&v.to_string()),
        "policy: the router's policy has another name"
    );
    assert_eq!(
        load(&json[..json.len() / 2]).split(" at ").next(),
        Some("invalid json")
    );
}

/// A burst raises one tier above what the places demand, once, and no
/// higher than its ceiling (China's: the prefectural level).
#[test]
fn bursts_do_not_stack_and_stop_at_the_ceiling() {
    let router = china_ledger_router();
    let run = |rules: MatterRules| {
        let mut ledger = Ledger::new(&router, rules).unwrap();
        for k in 0..30 {
            let code = if k % 2 == 0 { "330106109" } else { "330106010" };
            let places = [Place::Code(code)];
            let case = format!("u{k}");
            ledger
                .arrive(Arrival::new(
                    &case,
                    "market",
                    "urban_management",
                    &places,
                    k * 60,
                ))
                .unwrap();
        }
        let m = ledger.matter("market").unwrap();
        (m.handler().code().to_owned(), m.escalations().len())
    };
    // Two townships of 西湖区: the county by spread, the city by the burst,
    // and two more bursts change nothing.
    assert_eq!(run(xzqh::china::matter_rules()), ("3301".to_owned(), 2));
    let mut rules = xzqh::china::matter_rules();
    rules.burst.as_mut().unwrap().up_to = Some("county".into());
    assert_eq!(run(rules), ("330106".to_owned(), 1));
    let mut rules = xzqh::china::matter_rules();
    rules.burst.as_mut().unwrap().up_to = Some("canton".into());
    assert_eq!(
        Ledger::new(&router, rules).unwrap_err().to_string(),
        "burst.up_to: unknown level `canton`"
    );
}

/// A category's burst replaces the default for its matters: three
/// calls about one street stall within the hour raise the matter, while three calls of
/// another category do not; the rules name categories the policy has.
#[test]
fn category_bursts_replace_the_default() {
    let router = china_ledger_router();
    let mut rules = xzqh::china::matter_rules();
    rules.category_bursts.insert(
        "urban_management".into(),
        Burst {
            cases: 3,
            within_hours: 1,
            up_to: Some("prefectural".into()),
        },
    );
    let run = |rules: &MatterRules, category: &str, step: i64| {
        let mut ledger = Ledger::new(&router, rules.clone()).unwrap();
        let places = [Place::Code("330106010")];
        for k in 0..3 {
            let case = format!("e{k}");
            ledger
                .arrive(Arrival::new(&case, "fire", category, &places, k * step))
                .unwrap();
        }
        let m = ledger.matter("fire").unwrap();
        let rules: Vec<String> = m.escalations().map(|e| e.rule().to_string()).collect();
        (m.handler().code().to_owned(), rules)
    };
    assert_eq!(
        run(&rules, "urban_management", 600),
        (
            "330106".to_owned(),
            vec!["burst of 3 cases within 1 h".to_owned()]
        )
    );
    // Spread over more than the hour: no burst.
    assert_eq!(
        run(&rules, "urban_management", 2000),
        ("330106010".to_owned(), vec![])
    );
    // Another category keeps the default (10 within 24 h).
    assert_eq!(
        run(&rules, "public_complaint", 600),
        ("330106010".to_owned(), vec![])
    );
    // Without a default, only the named category bursts.
    let mut only = rules.clone();
    only.burst = None;
    assert_eq!(run(&only, "urban_management", 600).1.len(), 1);

    let check = |rules: MatterRules| Ledger::new(&router, rules).unwrap_err().to_string();
    let mut bad = MatterRules::new("r");
    bad.category_bursts.insert(
        "fishing".into(),
        Burst {
            cases: 3,
            within_hours: 1,
            up_to: None,
        },
    );
    assert_eq!(check(bad), "category_bursts: unknown category `fishing`");
    let mut bad = MatterRules::new("r");
    bad.category_bursts.insert(
        "emergency".into(),
        Burst {
            cases: 3,
            within_hours: 0,
            up_to: None,
        },
    );
    assert_eq!(
        check(bad),
        "category_bursts.emergency.within_hours: 0 is out of range 1..=87600"
    );
    let mut bad = MatterRules::new("r");
    bad.spread = Some(Spread { within_hours: 0 });
    assert_eq!(
        check(bad),
        "spread.within_hours: 0 is out of range 1..=87600"
    );
    #[cfg(feature = "serde")]
    {
        let text = "name = \"x\"\n[spread]\nwithin_hours = 168\n\
                    [category_bursts.emergency]\ncases = 3\nwithin_hours = 1\n";
        let parsed = MatterRules::from_toml(text).unwrap();
        assert_eq!(parsed.spread, Some(Spread { within_hours: 168 }));
        assert_eq!(parsed.category_bursts["emergency"].cases, 3);
        let json = r#"{"name": "x", "category_bursts": {"urban_management": {"cases": 3, "within_hours": 1, "up_to": "prefectural"}}}"#;
        assert_eq!(
            MatterRules::from_json(json).unwrap().category_bursts,
            rules.category_bursts
        );
    }
}
