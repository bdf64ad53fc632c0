//! Long and repetitive texts: names repeated by the thousand, a megabyte
//! of text. Each gets an outcome; `--nocapture` in release prints how long
//! each took (nothing about time is asserted).

use std::time::Instant;

use xzqh::address::Outcome;

/// `unit` repeated until the text holds at least `bytes` bytes.
fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len()))
}

#[test]
fn repeated_names_resolve() {
    let h = xzqh::china();
    let addresses = h.addresses().expect("China's dictionary builds");
    let cases: [(&str, String); 5] = [
        ("城关镇 ×1000", "城关镇".repeat(1000)),
        ("城关镇 ×3413", "城关镇".repeat(3413)),
        ("北京 to 1 MiB", repeat_to("北京", 1 << 20)),
        ("城关镇 to 1 MiB", repeat_to("城关镇", 1 << 20)),
        (
            "address to 1 MiB",
            repeat_to("广东省深圳市南山区粤海街道科技园路12号，", 1 << 20),
        ),
    ];
    for (label, text) in &cases {
        let t = Instant::now();
        let r = addresses.resolve(text);
        let took = t.elapsed();
        println!(
            "{label:<18} {:>8} bytes {took:>12.3?}  {:?}",
            text.len(),
            outcome_kind(r.outcome())
        );
        assert!(!matches!(r.outcome(), Outcome::NotFound), "{label}");
        assert_eq!(
            r.is_truncated(),
            text.len() > xzqh::address::AddressResolver::MAX_TEXT_BYTES,
            "{label}"
        );
        assert_eq!(r.remainder_range().end, text.len());
    }
}

fn outcome_kind(o: &Outcome<'_>) -> String {
    match o {
        Outcome::Resolved(u) => format!("resolved {}", u.code()),
        Outcome::Ambiguous(c) => format!("ambiguous ×{}", c.len()),
        Outcome::NotFound => "not found".into(),
        _ => "other".into(),
    }
}
