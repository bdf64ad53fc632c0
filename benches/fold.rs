//! What China's character fold (traditional → simplified, `Profile::fold`)
//! costs an address: folding the text of one address, beside resolving it,
//! on the same 4096 township addresses (full names from the province down,
//! then street text), half of them written in traditional characters.
//!
//! `cargo bench --bench fold -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use xzqh::china::TOWNSHIP;

/// Traditional forms of common simplified characters in addresses, to write
/// half the addresses the way Hong Kong, Macau and Taiwan do (a bench
/// input, not a conversion: the fold itself comes from OpenCC's tables).
const TRADITIONAL: [(char, char); 12] = [
    ('区', '區'),
    ('县', '縣'),
    ('镇', '鎮'),
    ('乡', '鄉'),
    ('东', '東'),
    ('广', '廣'),
    ('门', '門'),
    ('湾', '灣'),
    ('龙', '龍'),
    ('号', '號'),
    ('园', '園'),
    ('设', '設'),
];

fn addresses() -> Vec<String> {
    let h = xzqh::china();
    let towns: Vec<_> = h.units().filter(|u| u.level() == TOWNSHIP).collect();
    let step = towns.len() / 4096;
    (0..4096)
        .map(|i| {
            let t = towns[i * step];
            let mut chain: Vec<_> = t.ancestors().filter(|a| a.parent().is_some()).collect();
            chain.reverse();
            chain.push(t);
            let mut s: String = chain.iter().map(|u| u.name()).collect();
            s.push_str("建设路12号");
            if i % 2 == 1 {
                s = s
                    .chars()
                    .map(|c| TRADITIONAL.iter().find(|p| p.0 == c).map_or(c, |p| p.1))
                    .collect();
            }
            s
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let h = xzqh::china();
    let profile = h.profile();
    let resolver = h.addresses().expect("China's resolver builds");
    let texts = addresses();
    let mut g = c.benchmark_group("fold");
    let mut i = 0;
    let mut folded = String::new();
    g.bench_function("fold the text of one address", |b| {
        b.iter(|| {
            i = (i + 1) % texts.len();
            folded.clear();
            folded.extend(texts[i].chars().map(|c| profile.fold(c)));
            black_box(folded.len())
        })
    });
    // What the loop costs without the fold: the fold's own share is the difference.
    g.bench_function("copy the text of one address (no fold)", |b| {
        b.iter(|| {
            i = (i + 1) % texts.len();
            folded.clear();
            // Char by char on purpose, as the fold goes: not push_str.
            #[allow(clippy::string_extend_chars)]
            folded.extend(texts[i].chars());
            black_box(folded.len())
        })
    });
    g.bench_function("resolve one address", |b| {
        b.iter(|| {
            i = (i + 1) % texts.len();
            black_box(resolver.resolve(&texts[i]).unit().map(|u| u.id()))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
