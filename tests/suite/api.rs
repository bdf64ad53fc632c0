//! The public API's promises that no other test states: the auto traits of
//! every public type (as semver's `test_autotrait.rs` does), so that losing
//! `Send`, `Sync` or `Unpin` is a failing test and not a silent semver
//! break, and how levels print.
#![allow(clippy::extra_unused_type_parameters)]

use xzqh::address::{AddressError, AddressResolver, Candidate, Outcome, Resolution, Span};
use xzqh::routing::{
    Case, CompiledPolicy, Decision, Place, Policy, PolicyError, RouteError, Router, Step,
};
use xzqh::{
    Ancestors, BuildError, BuildLimits, Children, CsvImport, CsvRow, Descendants, Designation,
    Designations, Dot, DotOptions, Explanation, Hierarchy, HierarchyBuilder, Jurisdiction, KindDef,
    KindId, Level, Link, Links, LoadError, LoadLimits, LoadOptions, LookupError, NameIndex,
    PlainProfile, Relation, Relations, Role, Schema, SchemaBuilder, SchemaError, TierBreakdown,
    Unit, UnitId, UnitsIter,
};

fn assert_send_sync<T: Send + Sync>() {}
fn assert_unpin<T: Unpin>() {}

/// Both checks for each type listed.
macro_rules! auto_traits {
    ($($t:ty),* $(,)?) => {
        $(
            assert_send_sync::<$t>();
            assert_unpin::<$t>();
        )*
    };
}

#[test]
fn model_types_are_send_sync_unpin() {
    auto_traits!(
        Hierarchy,
        HierarchyBuilder,
        BuildLimits,
        Unit<'static>,
        UnitId,
        Schema,
        SchemaBuilder,
        KindDef,
        KindId,
        Level,
        Role,
        Relation,
        Designation,
        Designations,
        NameIndex<'static>,
        Jurisdiction<'static>,
        Explanation<'static>,
        Link<'static>,
        Links<'static>,
        TierBreakdown,
        Children<'static>,
        Ancestors<'static>,
        Descendants<'static>,
        UnitsIter<'static>,
        Relations<'static>,
        PlainProfile,
        std::sync::Arc<Hierarchy>,
    );
}

#[test]
fn exchange_types_are_send_sync_unpin() {
    auto_traits!(
        CsvImport,
        CsvRow<'static>,
        LoadOptions,
        LoadLimits,
        DotOptions,
        Dot<'static>,
    );
}

#[test]
fn engine_types_are_send_sync_unpin() {
    auto_traits!(
        AddressResolver<'static>,
        Resolution<'static>,
        Outcome<'static>,
        Candidate<'static>,
        Span<'static>,
        Router,
        Router<&'static Hierarchy>,
        Decision<'static>,
        Step<'static>,
        Case<'static>,
        Place<'static>,
        Policy,
        CompiledPolicy,
    );
}

#[test]
fn errors_are_send_sync_unpin_and_std_errors() {
    fn error<E: std::error::Error + Send + Sync + Unpin + 'static>() {}
    error::<BuildError>();
    error::<LoadError>();
    error::<SchemaError>();
    error::<LookupError>();
    error::<AddressError>();
    error::<PolicyError>();
    error::<RouteError>();
    #[cfg(feature = "china")]
    {
        error::<xzqh::china::CodeError>();
        error::<xzqh::china::DataError>();
    }
    // Boxed into `Box<dyn Error + Send + Sync>` by `?`, as services do.
    let boxed: Box<dyn std::error::Error + Send + Sync> = BuildError::Empty.into();
    assert_eq!(boxed.to_string(), "hierarchy has no unit");
}

#[test]
fn units_and_ids_are_copy_and_units_hash_by_identity() {
    fn copy<T: Copy>() {}
    copy::<Unit<'static>>();
    copy::<UnitId>();
    copy::<Level>();
    copy::<Jurisdiction<'static>>();
    copy::<DotOptions>();
    copy::<LoadLimits>();
    copy::<BuildLimits>();
    let h = crate::common::small_china();
    // Clippy sees the hierarchy's caches (built on first use) through the
    // unit's reference; `Unit` hashes and compares by identity, never by them.
    #[allow(clippy::mutable_key_type)]
    let set: std::collections::HashSet<Unit<'_>> = h.units().chain(h.units()).collect();
    assert_eq!(set.len(), h.len());
}

#[cfg(feature = "china")]
#[test]
fn levels_print_their_names() {
    use xzqh::china::{COUNTY, PROVINCIAL, TOWNSHIP};
    assert_eq!(COUNTY.to_string(), "county");
    assert_eq!(format!("{TOWNSHIP}"), "township");
    assert_eq!(format!("{COUNTY:?}"), r#"Level(3 "county")"#);
    assert_eq!(format!("{PROVINCIAL:?}"), r#"Level(1 "provincial")"#);
    // A level from a schema prints the same as the constant.
    let schema = xzqh::china::schema();
    let county = schema.level_id("county").unwrap();
    assert_eq!((county.to_string(), county), ("county".to_owned(), COUNTY));
    // Every level of the schema prints its own name, and Debug shows the rank.
    for (rank, level) in schema.levels().iter().enumerate() {
        assert_eq!(level.to_string(), level.name());
        assert_eq!(
            format!("{level:?}"),
            format!("Level({rank} {:?})", level.name())
        );
    }
}

#[test]
fn levels_of_any_schema_print_their_names() {
    let schema = crate::common::test_schema();
    let middle = schema.level_id("middle").unwrap();
    assert_eq!(middle.to_string(), "middle");
    assert_eq!(format!("{middle:?}"), r#"Level(2 "middle")"#);
    let (h, _) = crate::common::england();
    let parish = h.by_code("E04001234").unwrap().level();
    assert_eq!(
        format!("{parish} / {parish:?}"),
        r#"parish / Level(3 "parish")"#
    );
}
