//! `NameIndex::lookup` answers a one-word query naming one unit without
//! allocating; its answer must be the general path's, which `candidates`
//! takes: checked on every name of China's township-level data and on the
//! names cut short by one and two characters (most short forms, and many
//! queries naming several units or none).

use xzqh::LookupError;

#[test]
fn lookup_agrees_with_candidates_on_every_name_and_its_prefixes() {
    // Every white-space character splits a query, so the fast path must
    // leave it to the general one.
    let spaced: Vec<String> = (0..=char::MAX as u32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .flat_map(|c| {
            [
                format!("广东{c}南山"),
                format!("北京{c}"),
                format!("{c}北京"),
            ]
        })
        .collect();
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
    queries.extend(spaced.iter().map(String::as_str));
    queries.extend(["", "北京/", "/", "北京 朝阳区", "广东/南山"]);
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
