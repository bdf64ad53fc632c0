//! A tour of xzqh: read it top to bottom, run it, change it.
//!
//! Run with `cargo run --release --example tour --all-features` to see
//! every stop (the history stop needs the default `history` feature, the
//! snapshot stop `serde`, the graph stop `petgraph`). Each stop prints what
//! it found and asserts it, so the tour is also a check that the API still
//! does what this file says.

use std::error::Error;

use xzqh::china::{COUNTY, ChinaCode, PREFECTURAL, TOWNSHIP};
use xzqh::routing::{Case, Place, Router};
use xzqh::{LookupError, Relation, Role};

fn main() -> Result<(), Box<dyn Error>> {
    // ## 1. The data
    //
    // `xzqh::china()` decodes the embedded NBS 2023 codes (to township
    // level) on first call and hands out the same `&'static Hierarchy`
    // after: no files, no set-up, cheap to call anywhere.
    let h = xzqh::china();
    println!("1. {} units, {}", h.len(), h.data_version().unwrap_or("?"));

    // ## 2. Codes
    //
    // NBS codes come in many spellings: the 6-digit GB/T 2260 form with
    // trailing zeros, the 12-digit statistical form, or the short form the
    // hierarchy uses (2 digits a province, 4 a prefecture, 6 a county, 9 a
    // township). `ChinaCode` reads them all and knows the code's level from
    // its shape alone; `by_code` reads them all through China's profile.
    let code: ChinaCode = "420100".parse()?; // GB/T 2260 for 武汉市
    assert_eq!(code.to_string(), "4201");
    assert_eq!(code.level(), PREFECTURAL);
    assert_eq!(code.province().to_string(), "42");
    let wuhan = h.by_code("420100").ok_or("武汉市 is in the data")?;
    println!("2. {code} is {}, full form {}", wuhan.name(), code.full());
    // Malformed codes fail with a message that says what is wrong.
    let err = "4201x".parse::<ChinaCode>().unwrap_err();
    println!("   {err}");

    // ## 3. Names
    //
    // People write 广西, not 广西壮族自治区, and names repeat: there is a
    // 朝阳区 in Beijing and one in Changchun. The hierarchy's name index
    // knows the short forms (from China's profile) and reads a query as a
    // path from the top ("北京 朝阳区"); an ambiguous query is an error that
    // lists every candidate, never a guess.
    let names = h.names();
    let chaoyang = names.lookup("北京 朝阳区")?;
    assert_eq!(chaoyang.code(), "110105");
    match names.lookup("朝阳区") {
        Err(LookupError::Ambiguous { candidates, .. }) => {
            println!("3. 朝阳区 is ambiguous: {candidates:?}")
        }
        other => return Err(format!("expected ambiguity, got {other:?}").into()),
    }
    println!("   广西 is {}", names.lookup("广西")?.name());

    // ## 4. Units, kinds and roles
    //
    // A `Unit` is a borrowed handle: code, name, kind (with its Chinese
    // label), level and role. The role is what matters in law: governments
    // are tiers; agencies (地区, 街道) act for the government above; the
    // committees below are self-governing; development zones and farms are
    // functional, not divisions at all.
    let nanmofang = h.by_code("110105021").ok_or("南磨房地区")?;
    println!(
        "4. {} is a {} ({}), role {}, under {}",
        nanmofang.name(),
        nanmofang.kind().label(),
        nanmofang.kind().name(),
        nanmofang.role(),
        nanmofang.parent().ok_or("a parent")?.name()
    );
    assert_eq!(nanmofang.role(), Role::Agency);
    let zones = h
        .units()
        .filter(|u| u.level() == COUNTY && u.role() == Role::Functional)
        .count();
    println!("   {zones} county-level units are functional (development zones and the like)");

    // ## 5. Tiers
    //
    // The tier count is the number of governments from the province down:
    // Beijing's 地区 office lives under two tiers, a township of 塔城市
    // under four (with five administrative levels, since 塔城地区 is an
    // agency). A breakdown counts a region's townships by tier system.
    let tacheng_town = h.by_code("654201200").ok_or("a township of 塔城市")?;
    assert_eq!((nanmofang.tiers(), tacheng_town.tiers()), (2, 4));
    assert_eq!(tacheng_town.administrative_levels(), 5);
    let guangdong = h.by_code("44").ok_or("广东省")?;
    let breakdown = h
        .tier_breakdown(guangdong, TOWNSHIP)
        .ok_or("广东省 is a unit")?;
    println!("5. townships of 广东省 by tier system: {breakdown}");

    // ## 6. Jurisdiction
    //
    // Does A govern B, by which relation, how far down? Over the primary
    // tree this is one comparison (units are numbered in pre-order).
    // `explain` gives the chain for an audit log; `governs_via` also follows
    // secondary relations such as the province's entrusted management (代管)
    // of a county-level city that a prefecture-level city runs.
    let hubei = h.by_code("42").ok_or("湖北省")?;
    let xiantao = h.by_code("429004").ok_or("仙桃市")?;
    let j = h.governs(hubei, xiantao).ok_or("湖北 governs 仙桃")?;
    println!("6. 湖北省 governs 仙桃市: {j}");
    assert!(h.governs(wuhan, xiantao).is_none());
    let town = xiantao.children().next().ok_or("仙桃 has towns")?;
    let why = h.explain(hubei, town).ok_or("湖北 governs it")?;
    println!("   {why}");
    let daye = h.by_code("420281").ok_or("大冶市")?; // run by 黄石市
    let j = h
        .governs_via(hubei, daye, &[Relation::Entrusted])
        .ok_or("湖北 entrusts 大冶")?;
    println!("   湖北省 governs 大冶市 also by {j}");

    // ## 7. The lowest common ancestor
    //
    // The lowest unit covering a set of places: where a case touching them
    // all starts. Add a predicate to climb to the first unit that qualifies.
    let wuchang = h.by_code("420106").ok_or("武昌区")?;
    let hongshan = h.by_code("420111").ok_or("洪山区")?;
    let lca = h
        .lca_of([wuchang, hongshan])
        .ok_or("two districts of 武汉")?;
    assert_eq!(lca.code(), "4201");
    println!("7. 武昌区 and 洪山区 meet at {lca}");
    let power = h
        .schema()
        .designation_id("local_legislation")
        .ok_or("China's schema has the designation")?;
    let town = h.by_code("440281102").ok_or("北乡镇, 乐昌市")?;
    let lawmaker = h
        .lowest_covering([town], |u| u.has(power))
        .ok_or("some unit above makes local law")?;
    assert_eq!(lawmaker.code(), "4402");
    println!("   the nearest unit above 北乡镇 that makes local law: {lawmaker}");

    // ## 8. Routing
    //
    // A case (places, category, severity, people) goes to the lowest unit
    // that covers every place, may handle the category and stands at or
    // above the level the category, severity and scale demand. The policy
    // is data; `xzqh::china::policy()` is the built-in one. The decision
    // carries the handler, the escalation chain, the parties to coordinate
    // and a trace that explains every step, as units of the hierarchy.
    let router = Router::new(h, xzqh::china::policy())?;
    let places = [Place::Code("429004"), Place::Code("429005")]; // 仙桃, 潜江
    let decision = router.route(&Case::new(&places, "environment").severity("major"))?;
    let handler = decision.handler();
    assert_eq!(handler.code(), "42");
    println!("8. an environmental case in 仙桃 and 潜江 goes to {handler}, because:");
    for line in decision.explain().to_string().lines() {
        println!("     {line}");
    }
    // Bad input is an error naming what to fix, never a panic.
    let bad = [Place::Code("999999")];
    println!(
        "   {}",
        router.route(&Case::new(&bad, "petition")).unwrap_err()
    );
    // Places may be free text, as a hotline operator types them.
    let text = [Place::Text("深圳南山区粤海街道科技园路12号")];
    let d = router.route(&Case::new(&text, "urban_management"))?;
    assert_eq!(d.handler().name(), "粤海街道");
    println!(
        "   a case typed as 深圳南山区粤海街道… goes to {}",
        d.handler()
    );

    // ## 9. History (feature `history`, on by default)
    //
    // Old records carry old codes. The embedded MCA history (1981-2025)
    // maps a code to today's units, and routing follows it on its own: it
    // is part of China's profile.
    #[cfg(feature = "history")]
    {
        let history = xzqh::china::history::History::embedded();
        let laiwu = history.current("371200", h)?; // 莱芜市, merged in 2019
        let now: Vec<_> = laiwu.units().map(|u| u.to_string()).collect();
        println!("9. 371200 莱芜市 is now {}", now.join(", "));
        let old = [Place::Code("371200")];
        let d = router.route(&Case::new(&old, "petition"))?;
        assert_eq!(d.handler().code(), "3701");
        let r = h.addresses()?.resolve("山东省莱芜市");
        assert_eq!(r.unit().map(|u| u.code()), Some("3701"));
    }

    // ## 10. Snapshots (feature `serde`)
    //
    // A hierarchy you built or loaded (a newer year, a city's grid layer,
    // another country) saves to JSON for other tools or to a compact binary
    // snapshot for fast start-up, and loads back through full validation.
    // The snapshot records the profile it was saved with, so China's data
    // loads back with China's profile, never silently without it.
    #[cfg(feature = "serde")]
    {
        let bytes = h.to_snapshot();
        let options = xzqh::LoadOptions::default().with_profile(xzqh::china::profile());
        let back = xzqh::Hierarchy::from_snapshot_with(&bytes, &options)?;
        assert_eq!(&back, h);
        let json = h.to_json();
        assert_eq!(
            &xzqh::Hierarchy::from_json_with(json.as_bytes(), &options)?,
            h
        );
        println!(
            "10. {} units: {} bytes of snapshot, {} of JSON",
            h.len(),
            bytes.len(),
            json.len()
        );
    }

    // ## 11. Your own algorithms (feature `petgraph`)
    //
    // petgraph holds the same graph (node index = unit id, edges from the
    // governing unit to the governed, typed by relation) for anything the
    // crate does not do itself; it is built on first use.
    #[cfg(feature = "petgraph")]
    {
        use petgraph::visit::IntoEdgeReferences;
        let graph = h.graph();
        let entrusted = graph
            .edge_references()
            .filter(|e| *e.weight() == Relation::Entrusted)
            .count();
        println!("11. {entrusted} entrusted-management edges in the graph");
    }
    Ok(())
}
