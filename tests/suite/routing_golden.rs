//! Routing golden cases on the real China data (and England's two tiers):
//! one row per case in `tests/data/routing_cases.csv`.

use std::borrow::Borrow;
use std::sync::Arc;

use xzqh::Hierarchy;
use xzqh::routing::{Case, Place, Router};

#[test]
fn golden_routing_cases() {
    let china = Router::new(xzqh::china(), xzqh::china::policy()).unwrap();
    let (h, p) = crate::common::england();
    let england = Router::new(Arc::new(h), p).unwrap();
    let rows = crate::common::golden_csv(include_str!("../data/routing_cases.csv"));
    assert!(rows.len() >= 40, "at least 40 golden cases");
    let mut failures = Vec::new();
    for row in &rows {
        if (row["steps"].contains("superseded") || row["id"] == "text_old_name")
            && !cfg!(feature = "history")
        {
            continue; // superseded codes need the code history
        }
        // `text:` marks a place written as free text; the rest are codes.
        let places: Vec<Place> = row["places"]
            .split_whitespace()
            .map(|p| p.strip_prefix("text:").map_or(Place::Code(p), Place::Text))
            .collect();
        let mut case = Case::new(&places, &row["category"]);
        if !row["severity"].is_empty() {
            case = case.severity(&row["severity"]);
        }
        if !row["people"].is_empty() {
            case = case.people(row["people"].parse().expect("people is a number"));
        }
        let (got, steps) = match row["hierarchy"].as_str() {
            "china" => run(&china, &case),
            "england" => run(&england, &case),
            other => panic!("unknown hierarchy {other}"),
        };
        if got != row["expected"] || steps != row["steps"] {
            failures.push(format!(
                "{}: got {got} [{steps}], expected {} [{}]",
                row["id"], row["expected"], row["steps"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

fn run<H: Borrow<Hierarchy>>(router: &Router<H>, case: &Case<'_>) -> (String, String) {
    match router.route(case) {
        Ok(d) => {
            let kinds: Vec<_> = d.trace().iter().map(|s| s.kind()).collect();
            // Every handler governs every place, and the trace ends at it.
            assert!(d.places().len() >= case.places.len());
            for place in d.places() {
                assert!(d.handler().contains(place));
            }
            // One line of explanation per step.
            assert_eq!(d.explain().to_string().lines().count(), d.trace().len());
            (d.handler().code().to_owned(), kinds.join(">"))
        }
        Err(e) => (format!("error:{e}"), String::new()),
    }
}
