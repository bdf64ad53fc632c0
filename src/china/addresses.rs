//! The address resolvers of the embedded data, built once on first use.

use std::borrow::Borrow;
use std::sync::OnceLock;

use crate::address::AddressResolver;
use crate::Hierarchy;

/// The address resolver type of the embedded data.
pub type Addresses = AddressResolver<&'static Hierarchy>;

/// The [`AddressResolver`] for [`china()`](crate::china()), built on first
/// call (about 0.1 s) and shared after: free text to township-level units.
///
/// With the `history` feature (default) it also reads the county-level and
/// higher names of 1981–2025 that no longer exist (莱芜市, 莱城区, 崇文区…),
/// as today's units that cover them ([`old_names`]); current names always
/// outrank old ones.
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let r = xzqh::china::addresses().resolve("北京市通州区潞邑街道");
/// assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "110112013");
/// # #[cfg(feature = "history")]
/// # {
/// let r = xzqh::china::addresses().resolve("山东省莱芜市");
/// assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "3701"); // merged into 济南 in 2019
/// # }
/// ```
pub fn addresses() -> &'static Addresses {
    static RESOLVER: OnceLock<Addresses> = OnceLock::new();
    RESOLVER.get_or_init(|| with_old_names(crate::china()))
}

/// The [`AddressResolver`] for
/// [`china_with_villages()`](crate::china_with_villages()), built on first
/// call (about a second) and shared after: free text down to villages.
///
/// # Examples
///
/// ```
/// let h = xzqh::china_with_villages();
/// let r = xzqh::china::addresses_with_villages().resolve("黔东南黎平县纪登村12组");
/// assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "522631109225");
/// ```
#[cfg(feature = "villages")]
pub fn addresses_with_villages() -> &'static Addresses {
    static RESOLVER: OnceLock<Addresses> = OnceLock::new();
    RESOLVER.get_or_init(|| with_old_names(crate::china_with_villages()))
}

/// A resolver for `hierarchy` that, in China's schema, also reads the old
/// names of the code history ([`old_names`]), as [`addresses()`] does.
pub(crate) fn with_old_names<H: Borrow<Hierarchy>>(hierarchy: H) -> AddressResolver<H> {
    let h = hierarchy.borrow();
    let old = if h.schema().name() == "china" {
        old_names(h)
    } else {
        Vec::new()
    };
    AddressResolver::builder(hierarchy)
        .old_names(old)
        .build()
        .expect(
            "a hierarchy's names fit the automaton: its states are numbered in 32 bits, \
             and a hierarchy's names fit in 2^32 bytes; old names point to its own units",
        )
}

/// The cached resolver of the embedded hierarchy that `h` is, if it is
/// one: a router on [`china()`](crate::china()) reads with it rather than
/// building its own.
pub(crate) fn shared_for(h: &Hierarchy) -> Option<&'static Addresses> {
    match super::preset::embedded(h)? {
        false => Some(addresses()),
        #[cfg(feature = "villages")]
        true => Some(addresses_with_villages()),
        #[cfg(not(feature = "villages"))]
        true => None,
    }
}

/// The names of the code history (feature `history`) that no unit of `h`
/// bears under the same code any more, each with the units that cover it
/// today: a merged unit's successor, a split unit's parts, a renamed unit
/// itself. Names that mean today's unit anyway are left out.
///
/// # Examples
///
/// ```
/// let old = xzqh::china::old_names(xzqh::china());
/// # #[cfg(feature = "history")]
/// # {
/// let laiwu = old.iter().find(|o| o.name == "莱芜市").unwrap();
/// let codes: Vec<_> = laiwu.units.iter().map(|&u| xzqh::china().get(u).unwrap().code()).collect();
/// assert!(codes.contains(&"3701"));
/// # }
/// # #[cfg(not(feature = "history"))]
/// # assert!(old.is_empty());
/// ```
pub fn old_names(h: &Hierarchy) -> Vec<crate::address::OldName> {
    #[cfg(feature = "history")]
    {
        use std::collections::BTreeMap;
        let history = crate::history::History::embedded();
        // For each name, the records that bore it last (a name can have
        // meant a county-level city, then a prefecture: 莱芜市), and the
        // units that cover them today.
        struct Bearers {
            last: u16,
            units: Vec<crate::UnitId>,
            notes: Vec<String>,
        }
        let mut by_name: BTreeMap<&str, Bearers> = BTreeMap::new();
        let mut seen = std::collections::HashSet::new();
        for year in history.years() {
            for r in history.valid_in(year) {
                if !seen.insert((r.code(), r.name())) {
                    continue;
                }
                let current = h.by_code(crate::history::data_code(r.code()));
                if current.is_some_and(|u| u.name() == r.name()) {
                    continue; // today's name under today's code
                }
                let Ok(res) = history.current(r.code(), h) else {
                    continue;
                };
                let last = r.last_year().unwrap_or(u16::MAX);
                let b = by_name.entry(r.name()).or_insert(Bearers {
                    last,
                    units: Vec::new(),
                    notes: Vec::new(),
                });
                if last < b.last {
                    continue;
                }
                if last > b.last {
                    *b = Bearers {
                        last,
                        units: Vec::new(),
                        notes: Vec::new(),
                    };
                }
                b.units.extend(res.units().map(|u| u.id()));
                let end = r.last_year().map_or(String::new(), |y| y.to_string());
                b.notes.push(format!(
                    "{} {} {}–{end}",
                    r.code(),
                    r.name(),
                    r.first_year()
                ));
            }
        }
        by_name
            .into_iter()
            // A name some unit bears today is that unit's, not an old name.
            .filter(|(name, b)| !b.units.is_empty() && h.by_name(name).next().is_none())
            .map(|(name, mut b)| {
                b.units.sort_unstable();
                b.units.dedup();
                // Units inside another of the set add nothing: the outer one
                // covers the old area.
                let outer: Vec<crate::UnitId> = b
                    .units
                    .iter()
                    .copied()
                    .filter(|&u| {
                        !b.units.iter().any(|&v| {
                            v != u && h.get(v).zip(h.get(u)).is_some_and(|(v, u)| v.contains(u))
                        })
                    })
                    .collect();
                crate::address::OldName::new(name, outer, b.notes.join("; "))
            })
            .collect()
    }
    #[cfg(not(feature = "history"))]
    {
        let _ = h;
        Vec::new()
    }
}
