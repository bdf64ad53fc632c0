//! The exceptions: a base `XzqhError` and one subclass per kind of failure,
//! each carrying the Rust error's message unchanged.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use xzqh::LookupError;
use xzqh::china::history::HistoryError;
use xzqh::routing::RouteError;

create_exception!(
    xzqh,
    XzqhError,
    PyException,
    "Base class of every error the xzqh package raises."
);
create_exception!(
    xzqh,
    UnknownCodeError,
    XzqhError,
    "A code names no unit of the hierarchy."
);
create_exception!(
    xzqh,
    NameQueryError,
    XzqhError,
    "A name query failed (base of the three name errors)."
);
create_exception!(
    xzqh,
    EmptyNameError,
    NameQueryError,
    "A name query holds no name."
);
create_exception!(
    xzqh,
    NameNotFoundError,
    NameQueryError,
    "No unit has the name."
);
create_exception!(
    xzqh,
    AmbiguousNameError,
    NameQueryError,
    "Several units have the name."
);
create_exception!(xzqh, RoutingError, XzqhError, "A case cannot be routed.");
create_exception!(
    xzqh,
    HistoryLookupError,
    XzqhError,
    "An old code (or year) is not in the code history."
);

/// The exception for a failed name look-up, with Rust's message.
pub(crate) fn lookup(e: &LookupError) -> PyErr {
    let message = e.to_string();
    match e {
        LookupError::Empty { .. } => EmptyNameError::new_err(message),
        LookupError::Ambiguous { .. } => AmbiguousNameError::new_err(message),
        _ => NameNotFoundError::new_err(message),
    }
}

/// The exception for a case that cannot be routed.
pub(crate) fn route(e: &RouteError) -> PyErr {
    RoutingError::new_err(e.to_string())
}

/// The exception for an old code the history cannot follow.
pub(crate) fn history(e: &HistoryError) -> PyErr {
    HistoryLookupError::new_err(e.to_string())
}

/// The exception for a code that names no unit.
pub(crate) fn unknown_code(code: &str) -> PyErr {
    UnknownCodeError::new_err(unknown_code_message(code))
}

/// The message of [`unknown_code`], also written into batch results.
pub(crate) fn unknown_code_message(code: &str) -> String {
    format!("no unit has the code {code:?}")
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("XzqhError", py.get_type::<XzqhError>())?;
    m.add("UnknownCodeError", py.get_type::<UnknownCodeError>())?;
    m.add("NameQueryError", py.get_type::<NameQueryError>())?;
    m.add("EmptyNameError", py.get_type::<EmptyNameError>())?;
    m.add("NameNotFoundError", py.get_type::<NameNotFoundError>())?;
    m.add("AmbiguousNameError", py.get_type::<AmbiguousNameError>())?;
    m.add("RoutingError", py.get_type::<RoutingError>())?;
    m.add("HistoryLookupError", py.get_type::<HistoryLookupError>())?;
    Ok(())
}
