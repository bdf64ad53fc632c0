//! A generated day of 杭州市's 12345 hotline, replayed through the matters
//! ledger: about 10,000 calls, most of them one-off complaints handled by
//! their township, a few matters that grow (a lending platform whose
//! investors call from across the city and beyond, a burst about one
//! construction site's wages, a complaint reopened twice). Prints the
//! escalations, one matter's story, the roll-up per district, and writes
//! the picture of the city as an SVG treemap.
//!
//! ```text
//! cargo run --example hotline [out.svg]
//! ```

use std::collections::BTreeMap;

use xzqh::matters::{Arrival, Event, Ledger};
use xzqh::routing::{Place, Router};

/// 2026-12-07 00:00 China Standard Time, a Monday.
const MONDAY: i64 = 1_796_572_800;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let h = xzqh::china();
    let router = Router::new(h, xzqh::china::policy())?;
    let mut ledger = Ledger::new(&router, xzqh::china::matter_rules())?;
    let city = h.by_code("3301").ok_or("杭州市 is in the data")?;
    let townships: Vec<_> = city
        .descendants()
        .filter(|u| u.children().next().is_none())
        .map(|u| u.code().to_owned())
        .collect();
    let shaoxing = h.by_code("3306").ok_or("绍兴市 is in the data")?;
    let elsewhere: Vec<_> = shaoxing
        .descendants()
        .filter(|u| u.children().next().is_none())
        .map(|u| u.code().to_owned())
        .collect();

    let mut seed = 2026u64;
    let mut rng = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let categories = [
        "public_complaint",
        "urban_management",
        "community_service",
        "neighbour_dispute",
        "environment",
        "labour_dispute",
    ];
    // Calls between 08:00 and 20:00, about one every 4.3 seconds.
    let mut events: Vec<(i64, Call)> = Vec::new();
    for i in 0..9_800 {
        let at = MONDAY + 8 * 3600 + (i as i64 * 12 * 3600) / 9_800;
        // One call in four repeats an earlier matter of the same township.
        let town = rng(townships.len());
        let (matter, category, single) = if rng(4) == 0 {
            // A matter of its township: the same subject, the same category.
            let k = rng(3);
            (
                format!("t{town}-m{k}"),
                categories[(town + k) % categories.len()],
                false,
            )
        } else {
            (format!("call-{i}"), categories[rng(categories.len())], true)
        };
        events.push((
            at,
            Call::Arrive {
                case: format!("c{i}"),
                matter: matter.clone(),
                category,
                place: townships[town].clone(),
                people: 1,
            },
        ));
        // Most calls are signed for within two hours, half resolved by evening.
        if rng(10) < 8 {
            events.push((at + rng(7200) as i64, Call::Accept(format!("c{i}"))));
            if rng(2) == 0 {
                let done = at + 7200 + rng(4 * 3600) as i64;
                events.push((done, Call::Resolve(format!("c{i}"))));
                // A one-off call's matter closes with it.
                if single {
                    events.push((done, Call::Close(matter)));
                }
            }
        }
    }
    // A lending platform: investors call from across the city, then from 绍兴.
    for k in 0..60 {
        let at = MONDAY + 9 * 3600 + k * 600;
        let place = if k < 50 {
            townships[(k as usize * 37) % townships.len()].clone()
        } else {
            elsewhere[k as usize % elsewhere.len()].clone()
        };
        events.push((
            at,
            Call::Arrive {
                case: format!("p2p-{k}"),
                matter: "lending-platform-hz".into(),
                category: "petition",
                place,
                people: 25,
            },
        ));
    }
    // Unpaid wages at one site: 15 calls from one township in an afternoon.
    for k in 0..15 {
        events.push((
            MONDAY + 14 * 3600 + k * 900,
            Call::Arrive {
                case: format!("wages-{k}"),
                matter: "site-wages".into(),
                category: "labour_dispute",
                place: townships[3].clone(),
                people: 8,
            },
        ));
    }
    // A complaint resolved and reopened twice.
    let noise = [
        (
            9,
            Call::Arrive {
                case: "noise-1".into(),
                matter: "bar-noise".into(),
                category: "public_complaint",
                place: townships[10].clone(),
                people: 1,
            },
        ),
        (10, Call::Accept("noise-1".into())),
        (11, Call::Resolve("noise-1".into())),
        (13, Call::Reopen("noise-1".into())),
        (15, Call::Resolve("noise-1".into())),
        (18, Call::Reopen("noise-1".into())),
    ];
    events.extend(noise.into_iter().map(|(hour, c)| (MONDAY + hour * 3600, c)));
    events.sort_by_key(|e| e.0);

    let mut arrivals = 0;
    for (at, call) in &events {
        let at = *at;
        match call {
            Call::Arrive {
                case,
                matter,
                category,
                place,
                people,
            } => {
                let places = [Place::Code(place)];
                ledger.arrive(Arrival::new(case, matter, category, &places, at).people(*people))?;
                arrivals += 1;
            }
            Call::Accept(case) => {
                ledger.apply(&Event::Accept { case, at })?;
            }
            Call::Resolve(case) => {
                ledger.apply(&Event::Resolve { case, at })?;
            }
            Call::Reopen(case) => {
                ledger.apply(&Event::Reopen { case, at })?;
            }
            Call::Close(matter) => {
                ledger.apply(&Event::Close { matter, at })?;
            }
        }
    }
    // The last resolutions run past midnight.
    let day_end = ledger.now().unwrap_or(MONDAY).max(MONDAY + 24 * 3600);
    ledger.tick(day_end)?;
    println!(
        "{arrivals} calls, {} matters, {} escalations on Monday",
        ledger.matters().len(),
        ledger.escalations().len()
    );
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for e in ledger.escalations() {
        println!("  {e}");
        *by_rule.entry(e.rule().to_string()).or_default() += 1;
    }
    println!("\nthe lending platform's story:");
    println!(
        "{}",
        ledger
            .explain("lending-platform-hz")
            .ok_or("opened above")?
    );

    // Tuesday ends: every call not signed for by then is overdue.
    let overdue_from = ledger.escalations().len();
    ledger.tick(MONDAY + 48 * 3600)?;
    println!(
        "\nby the end of Tuesday, {} more escalations for calls not signed for",
        ledger.escalations().len() - overdue_from
    );
    for (rule, n) in by_rule {
        println!("  Monday: {n} × {rule}");
    }

    println!(
        "\nroll-up of {} (open matters / open cases / overdue):",
        city.name()
    );
    let total = ledger.counts(city);
    println!(
        "  {:<12} {:>6} {:>6} {:>6}",
        city.name(),
        total.matters,
        total.cases,
        total.overdue
    );
    for county in city.children() {
        let c = ledger.counts(county);
        println!(
            "  {:<12} {:>6} {:>6} {:>6}",
            county.name(),
            c.matters,
            c.cases,
            c.overdue
        );
    }
    println!("\nby category and grade, whole city:");
    for row in ledger.breakdown(city) {
        println!(
            "  {:<18} {:<8} {:>6} matters {:>6} cases",
            row.category,
            row.severity.unwrap_or("-"),
            row.matters,
            row.cases
        );
    }
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "hotline.svg".into());
    std::fs::write(&out, ledger.treemap(city))?;
    println!("\nwrote {out}");
    Ok(())
}

/// One generated event.
enum Call {
    Arrive {
        case: String,
        matter: String,
        category: &'static str,
        place: String,
        people: u64,
    },
    Accept(String),
    Resolve(String),
    Reopen(String),
    Close(String),
}
