//! The address resolvers of the embedded data, built once on first use.

use std::sync::OnceLock;

use crate::address::AddressResolver;
use crate::Hierarchy;

/// The address resolver type of the embedded data.
pub type Addresses = AddressResolver<&'static Hierarchy>;

/// The [`AddressResolver`] for [`china()`](crate::china()), built on first
/// call (about 0.2 s) and shared after: free text to township-level units.
///
/// It has no old names yet; build your own with
/// [`AddressResolver::builder`] to add them.
///
/// # Examples
///
/// ```
/// let h = xzqh::china();
/// let r = xzqh::china::addresses().resolve("北京市通州区潞邑街道");
/// assert_eq!(h.get(r.unit().unwrap()).unwrap().code(), "110112013");
/// ```
pub fn addresses() -> &'static Addresses {
    static RESOLVER: OnceLock<Addresses> = OnceLock::new();
    RESOLVER.get_or_init(|| {
        AddressResolver::new(crate::china()).expect(
            "the embedded data's automaton is within aho-corasick's limits: \
             tests/address_accuracy.rs builds it",
        )
    })
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
    RESOLVER.get_or_init(|| {
        AddressResolver::new(crate::china_with_villages()).expect(
            "the embedded data's automaton is within aho-corasick's limits: \
             tests/address_accuracy.rs builds it",
        )
    })
}
