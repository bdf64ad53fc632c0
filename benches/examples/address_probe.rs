//! Instruction and cache-miss counts per address, xzqh against cpca, on
//! the address bench's generated sets (4,096 texts each, each resolved
//! [`ROUNDS`] times), machine load aside:
//!
//! ```text
//! cargo build --release -p xzqh-benches --example address_probe
//! valgrind --tool=callgrind --cache-sim=yes --collect-atstart=no \
//!     --toggle-collect='address_probe::op_*' target/release/examples/address_probe
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep op_
//! ```
//!
//! Divide each function's counts by the texts it read (printed). Run
//! without valgrind and with the argument `time`, it prints the median
//! time of one text per parser and set instead (each text timed alone);
//! with `show` and texts, the resolution of each.

use std::hint::black_box;

use xzqh::address::AddressResolver;
use xzqh_benches::address_set::{addresses, delivery};

/// Times each set is read.
const ROUNDS: usize = 4;

#[inline(never)]
fn op_random_xzqh(r: &AddressResolver<'_>, texts: &[String]) -> usize {
    xzqh(r, texts)
}

#[inline(never)]
fn op_delivery_xzqh(r: &AddressResolver<'_>, texts: &[String]) -> usize {
    // Not the same code as the other set's (the compiler would merge them).
    xzqh(r, texts) ^ 1
}

fn xzqh(r: &AddressResolver<'_>, texts: &[String]) -> usize {
    let mut sum = 0;
    for _ in 0..ROUNDS {
        for t in texts {
            sum += r.resolve(black_box(t)).unit().map_or(0, |u| u.id().index());
        }
    }
    sum
}

#[inline(never)]
fn op_random_cpca(p: &cpca::AddressParser, texts: &[String]) -> usize {
    cpca_all(p, texts)
}

#[inline(never)]
fn op_delivery_cpca(p: &cpca::AddressParser, texts: &[String]) -> usize {
    cpca_all(p, texts) ^ 1
}

fn cpca_all(p: &cpca::AddressParser, texts: &[String]) -> usize {
    let mut sum = 0;
    for _ in 0..ROUNDS {
        for t in texts {
            sum += black_box(p.parse(black_box(t)))
                .province
                .map_or(0, |s| s.len());
        }
    }
    sum
}

/// The median time of one text under `parse`, in nanoseconds.
fn median(texts: &[String], parse: impl Fn(&str) -> usize) -> u128 {
    let mut times = Vec::with_capacity(texts.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for t in texts {
            let start = std::time::Instant::now();
            black_box(parse(black_box(t)));
            times.push(start.elapsed().as_nanos());
        }
    }
    times.sort_unstable();
    times[times.len() / 2]
}

fn main() {
    let h = xzqh::china();
    let r = h.addresses().expect("china's names fit");
    if std::env::args().nth(1).as_deref() == Some("show") {
        for t in std::env::args().skip(2) {
            println!("{t}\n  {:?}", r.resolve(&t));
        }
        return;
    }
    let random = addresses(h, 4096);
    let deliveries = delivery(h, 4096);
    let p = cpca::AddressParser::new();
    // Warm: the dictionary is built, the buffers grown.
    black_box(xzqh(&r, &random[..16]));
    black_box(cpca_all(&p, &random[..16]));
    if std::env::args().nth(1).as_deref() == Some("time") {
        let x = |t: &str| r.resolve(t).unit().map_or(0, |u| u.id().index());
        let c = |t: &str| p.parse(t).province.map_or(0, |s| s.len());
        for (set, texts) in [("random", &random), ("delivery", &deliveries)] {
            println!(
                "{set}: xzqh {} ns, cpca {} ns",
                median(texts, x),
                median(texts, c)
            );
        }
        return;
    }
    println!("{} texts per operation", random.len() * ROUNDS);
    println!("random xzqh {}", op_random_xzqh(&r, &random));
    println!("random cpca {}", op_random_cpca(&p, &random));
    println!("delivery xzqh {}", op_delivery_xzqh(&r, &deliveries));
    println!("delivery cpca {}", op_delivery_cpca(&p, &deliveries));
}
