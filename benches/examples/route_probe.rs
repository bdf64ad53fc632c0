//! Instruction, cache-miss and branch counts per routed case, xzqh against
//! the hand-written [`Baseline`], on the routing bench's inputs (16,384
//! random villages cut into cases of 1, 4, 8 and 16 places, each set routed
//! [`ROUNDS`] times), machine load aside:
//!
//! ```text
//! cargo build --release -p xzqh-benches --example route_probe
//! valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes --LL=4194304,16,64 \
//!     --collect-atstart=no --toggle-collect='route_probe::op_*' \
//!     target/release/examples/route_probe
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep op_
//! ```
//!
//! Divide each function's counts by the cases it routed (printed). Run
//! without valgrind and with the argument `time`, it prints instead the
//! median time of one case per router and size over interleaved rounds
//! (each round routes the whole set, xzqh then the baseline).

use std::hint::black_box;
use std::time::Instant;

use xzqh::Hierarchy;
use xzqh::routing::{Case, Decision, Place, Router};
use xzqh_benches::Flat;
use xzqh_benches::route_baseline::{Baseline, CATEGORY, Out, cut_into_cases, random_villages};

/// Times each set is routed under valgrind.
const ROUNDS: usize = 4;

/// Rounds of the `time` mode.
const TIMED_ROUNDS: usize = 41;

fn xzqh<'h>(
    router: &'h Router<&'h Hierarchy>,
    d: &mut Decision<'h>,
    cases: &[Vec<Place<'_>>],
) -> usize {
    let mut sum = 0;
    for c in cases {
        router
            .route_into(&Case::new(black_box(c), CATEGORY), d)
            .expect("routable");
        sum +=
            d.handler().id().index() + d.trace().len() + d.escalation().len() + d.parties().len();
    }
    sum
}

fn baseline(b: &Baseline<'_>, out: &mut Out, cases: &[Vec<u32>]) -> usize {
    let mut sum = 0;
    for c in cases {
        sum += b.route(black_box(c), out) as usize
            + out.trace.len()
            + out.escalation.len()
            + out.parties.len();
    }
    sum
}

/// One function per router and size, so that callgrind counts each apart
/// (a distinct constant keeps the compiler from merging them).
macro_rules! ops {
    ($($xzqh:ident, $baseline:ident, $salt:expr;)*) => {$(
        #[inline(never)]
        fn $xzqh<'h>(
            r: &'h Router<&'h Hierarchy>,
            d: &mut Decision<'h>,
            c: &[Vec<Place<'_>>],
        ) -> usize {
            (0..ROUNDS).map(|_| xzqh(r, d, c)).sum::<usize>() ^ $salt
        }

        #[inline(never)]
        fn $baseline(b: &Baseline<'_>, out: &mut Out, c: &[Vec<u32>]) -> usize {
            (0..ROUNDS).map(|_| baseline(b, out, c)).sum::<usize>() ^ $salt
        }
    )*};
}

ops! {
    op_route1_xzqh, op_route1_baseline, 0;
    op_route4_xzqh, op_route4_baseline, 1;
    op_route8_xzqh, op_route8_baseline, 3;
    op_route16_xzqh, op_route16_baseline, 2;
}

/// Nanoseconds per case of one pass of `run` over `cases` cases.
fn per_case(cases: usize, run: impl FnOnce() -> usize) -> f64 {
    let start = Instant::now();
    black_box(run());
    start.elapsed().as_nanos() as f64 / cases as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let h: &'static Hierarchy = xzqh::china_with_villages();
    let router = Router::new(h, xzqh::china::policy()).expect("the default policy fits");
    let flat = Flat::new(h);
    let b = Baseline::new(h, &flat);
    let villages = random_villages(h, 1 << 14);
    let time = std::env::args().nth(1).as_deref() == Some("time");
    let mut d = Decision::new(h);
    let mut out = Out::default();
    for n in [1usize, 4, 8, 16] {
        let (cases, raw) = cut_into_cases(&villages, n);
        // Warm: buffers grown, both routers agree on every case.
        for (c, r) in cases.iter().zip(&raw) {
            router
                .route_into(&Case::new(c, CATEGORY), &mut d)
                .expect("routable");
            let ids = |it: xzqh::UnitsIter<'_>| it.map(|u| u.id().get()).collect::<Vec<_>>();
            assert_eq!(d.handler().id().get(), b.route(r, &mut out));
            assert_eq!(ids(d.escalation()), out.escalation);
            assert_eq!(ids(d.parties()), out.parties);
            assert_eq!(d.trace().len(), out.trace.len() + 1, "and a minimum level");
        }
        if time {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            for _ in 0..TIMED_ROUNDS {
                x.push(per_case(cases.len(), || xzqh(&router, &mut d, &cases)));
                y.push(per_case(raw.len(), || baseline(&b, &mut out, &raw)));
            }
            println!(
                "route_{n}_places: xzqh {:.1} ns, baseline {:.1} ns",
                median(x),
                median(y)
            );
            continue;
        }
        println!("{n} places: {} cases per operation", cases.len() * ROUNDS);
        let (x, y) = match n {
            1 => (
                op_route1_xzqh(&router, &mut d, &cases),
                op_route1_baseline(&b, &mut out, &raw),
            ),
            4 => (
                op_route4_xzqh(&router, &mut d, &cases),
                op_route4_baseline(&b, &mut out, &raw),
            ),
            8 => (
                op_route8_xzqh(&router, &mut d, &cases),
                op_route8_baseline(&b, &mut out, &raw),
            ),
            _ => (
                op_route16_xzqh(&router, &mut d, &cases),
                op_route16_baseline(&b, &mut out, &raw),
            ),
        };
        println!("  xzqh {x}, baseline {y}");
    }
}
