//! `NameIndex::lookup` answers a one-word query naming one unit without
//! allocating; its answer must be the general path's, which `candidates`
//! takes: checked on every name of China's township-level data and on the
//! names cut short by one and two characters (most short forms, and many
//! queries naming several units or none).

use xzqh::LookupError;

#[test]
fn lookup_agrees_with_candidates_on_every_name_and_its_prefixes() {
    let h = xzqh::china();
    let names = h.names();
    let mut queries: Vec<&str> = Vec::new();
    for u in h.units() {
        let name = u.name();
        queries.push(name);
        let mut ends = name.char_indices().map(|(i, _)| i).rev();
        ends.next();
        queries.extend(ends.take(2).filter(|&i| i > 0).map(|i| &name[..i]));
    }
    queries.extend([
        "",
        "北京\u{3000}",
        "\u{3000}北京",
        "北京/",
        "/",
        "北京 朝阳区",
    ]);
    queries.sort_unstable();
    queries.dedup();
    let mut one = 0;
    for q in queries {
        let general = names.candidates(q);
        match (names.lookup(q), general.as_slice()) {
            (Ok(u), [g]) => {
                assert_eq!(u, *g, "{q:?}");
                one += 1;
            }
            (Err(LookupError::Ambiguous { candidates, .. }), many) => {
                assert!(many.len() > 1, "{q:?}");
                assert_eq!(candidates.len(), many.len(), "{q:?}");
            }
            (Err(LookupError::NotFound { .. } | LookupError::Empty { .. }), []) => {}
            (got, want) => panic!("{q:?}: lookup {got:?}, candidates {want:?}"),
        }
    }
    assert!(one > 10_000, "{one} queries name one unit");
}
