//! The ledger's errors. An event that fails leaves the ledger unchanged.

use thiserror::Error;

use crate::matters::event::Timestamp;
use crate::routing::RouteError;

/// Why the ledger refused an event. The ledger is unchanged after any of
/// them; ids and keys are quoted as bounded excerpts.
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Event, Ledger, LedgerError, MatterRules};
/// use xzqh::routing::Router;
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut ledger = Ledger::new(&router, MatterRules::new("r"))?;
/// let err = ledger.apply(&Event::Accept { case: "c9", at: 0 }).unwrap_err();
/// assert_eq!(err.to_string(), "unknown case `c9`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// No matter has this key.
    #[error("unknown matter `{matter}`")]
    UnknownMatter {
        /// The key.
        matter: String,
    },
    /// No case has this id.
    #[error("unknown case `{case}`")]
    UnknownCase {
        /// The id.
        case: String,
    },
    /// A case id that has arrived before.
    #[error("case `{case}` has already arrived")]
    DuplicateCase {
        /// The id.
        case: String,
    },
    /// An event dated further back than the rules tolerate.
    #[error("event at {at} is before the ledger's time {now} by more than {tolerance} s")]
    TimeBackwards {
        /// The event's time.
        at: Timestamp,
        /// The ledger's time.
        now: Timestamp,
        /// The tolerance in seconds.
        tolerance: i64,
    },
    /// A case's places, category or grade the router cannot read, or no
    /// unit that may handle the matter.
    #[error("case `{case}`: {source}")]
    Route {
        /// The case's id.
        case: String,
        /// The router's error.
        source: RouteError,
    },
    /// An event that does not fit the case's state (accepting a resolved
    /// case, reopening an open one).
    #[error("case `{case}` is {state}: cannot {action}")]
    State {
        /// The id.
        case: String,
        /// Its state.
        state: &'static str,
        /// What was asked.
        action: &'static str,
    },
    /// A closed matter cannot be handed down.
    #[error("matter `{matter}` is closed")]
    Closed {
        /// The key.
        matter: String,
    },
    /// A unit that cannot take the matter: it does not cover every place,
    /// or may not handle its categories.
    #[error("matter `{matter}`: {unit} cannot handle it")]
    CannotHandle {
        /// The key.
        matter: String,
        /// The unit's code.
        unit: String,
    },
    /// More matters or cases than the ledger may hold (ids are 32-bit).
    #[error("the ledger holds at most {max} {what}")]
    Full {
        /// Matters or cases.
        what: &'static str,
        /// The limit.
        max: u64,
    },
}
