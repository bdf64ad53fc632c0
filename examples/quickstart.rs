fn main() {
    let t = std::time::Instant::now();
    let h = xzqh::sample::synthetic(&xzqh::sample::CHINA_SHAPE, 1).unwrap();
    println!(
        "{} units in {:?}, {} B/unit",
        h.len(),
        t.elapsed(),
        h.heap_bytes() / h.len()
    );
    let t = std::time::Instant::now();
    let mut b = xzqh::Hierarchy::builder(xzqh::Schema::china());
    for u in h.units().rev() {
        b.unit(
            u.code(),
            u.name(),
            u.kind_id(),
            u.parent().map(|p| p.code()),
        );
    }
    println!("copy rows {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let h2 = b.build().unwrap();
    println!("build {:?}", t.elapsed());
    assert!(h == h2);
}
