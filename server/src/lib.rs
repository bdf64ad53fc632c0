//! The xzqh service: unit lookup, free-text addresses, jurisdiction,
//! routing to a level and a desk, and a durable matters ledger, as JSON
//! over HTTP. The `xzqh-server` binary (`cargo run --release -p
//! xzqh-server`) serves it with China's embedded data under the default
//! policies; its flags are in `main.rs` and the README.
//!
//! | endpoint | answer |
//! |---|---|
//! | `GET /health` | `status`, `data_version`, `units`, `policy`, `categories`, `severities` |
//! | `GET /units/{code}` | one unit: `code`, `name`, `kind`, `kind_label`, `level`, `role`, `tiers`, `administrative_levels`, `designations`, `parent`, `chain` (root first, down to the unit), `children`, `relations_in`, `relations_out` |
//! | `GET /units?name=…` | every unit the name or path (`北京 朝阳区`) matches: `query`, `count`, `units` |
//! | `GET /units/{code}/desks` | the unit's handling bodies: `unit`, `desks` (`name`, `kind`, `label`, `unit`, `phone`, `email`) |
//! | `GET /resolve?text=…` | a free-text address: `text`, `outcome`, `unit`, `chain`, `candidates`, `spans`, `remainder`, `truncated` |
//! | `GET /governs?authority=…&place=…[&relations=administrative,entrusted]` | `governs`; if so `relation`, `distance`, `acting_for`, `explanation` (one line per link) |
//! | `POST /route` `{"places": [...], "category": "...", "severity"?: "...", "people"?: n}` | `handler`, `level`, `tiers`, `required_level`, `start`, `places`, `escalation`, `parties`, `policy`, `trace` (one line per step) |
//! | `POST /route/desk` (as `/route`) | `/route`'s answer and `lead`, `co_handlers`, `desk_trace` |
//! | `POST /events` | one ledger event or an array, durable before the answer: `accepted`, `seq`, `escalations` |
//! | `GET /matters?unit=…&open=true&limit=100` | matters handled in the unit's area, newest first: `unit`, `count`, `matters` |
//! | `GET /matters/{key}` | one matter: the summary and `places`, `escalations`, `explain`, `case_list` |
//! | `GET /rollup/{code}` | open matters, open and overdue cases of the unit's area and each child's (`root` for the root) |
//! | `GET /escalations?limit=50` | the newest escalations first: `count`, `escalations` |
//! | `GET /escalations/stream` | Server-Sent Events: `event: escalation` with the escalation as `data`; a comment every 15 s |
//! | `POST /admin/reload` | reads the routing policy and the directory again from their files; the old ones stay if the new do not load |
//! | `GET /metrics` | Prometheus text format |
//! | `GET /openapi.json` | the OpenAPI 3.1 document of every route |
//! | `GET /`, `GET /assets/{file}` | the command-centre page and its files |
//!
//! Units inside answers are `{"code", "name", "kind", "kind_label",
//! "level", "level_name"}` (`level` is the level's rank, 0 for the root).
//! Codes may be given in any NBS form (`420100`, `4201`, `420100000000`).
//! Errors are JSON `{"error": "<message>", "kind": "<snake_case kind>"}`:
//! 400 for a malformed request (missing or empty parameter, malformed code
//! or JSON, unknown relation name), 404 for a unit, matter or path that
//! does not exist, 405 for a wrong method, 409 for an event that conflicts
//! with the ledger's state (a case that has arrived before), 413 for a
//! body or text beyond its bound, 422 for a well-formed request that
//! cannot be taken (no or unknown place, unknown category or severity,
//! wrong field types, too many places, no handler, an event the ledger
//! refuses). Messages are cut to [`MAX_ERROR_BYTES`]. [`serve`] adds 408
//! for a request not complete in time and 413 for a body beyond its
//! [`Limits`], drops clients that stall and caps the connections.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use xzqh::address::{AddressResolver, Outcome};
use xzqh::china::ChinaCode;
use xzqh::desks::{DeskError, DeskPolicy, DeskRouter, Directory};
use xzqh::routing::{Case, Place, Policy, RouteError};
use xzqh::{Hierarchy, Relation, Unit};

mod assets;
mod ledger_api;
mod metrics;
mod serve;
mod store;
pub use assets::asset_names;
pub use ledger_api::{MAX_EVENTS, MAX_KEY_BYTES, MAX_LIST, decode_events};
pub use metrics::Metrics;
pub use serve::{Limits, serve};
pub use store::{Committed, IngestError, Store, StoreError, StoreOptions, StoreStats};

/// Most places one case may name: a bound on work per request.
pub const MAX_PLACES: usize = 1_000;
/// Most units one name search returns.
pub const MAX_MATCHES: usize = 200;
/// Relations `/governs` follows unless told: the ones that carry power
/// (planning does not).
const DEFAULT_RELATIONS: [Relation; 3] = [
    Relation::Administrative,
    Relation::Entrusted,
    Relation::CorpsCoAdministration,
];

/// Every route the service answers, as (method, path): the router is
/// built from this table and `/openapi.json` must list exactly these.
///
/// # Examples
///
/// ```
/// assert!(xzqh_server::ROUTES.contains(&("POST", "/events")));
/// ```
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/health"),
    ("GET", "/units"),
    ("GET", "/units/{code}"),
    ("GET", "/units/{code}/desks"),
    ("GET", "/resolve"),
    ("GET", "/governs"),
    ("POST", "/route"),
    ("POST", "/route/desk"),
    ("POST", "/events"),
    ("GET", "/matters"),
    ("GET", "/matters/{key}"),
    ("GET", "/rollup/{code}"),
    ("GET", "/escalations"),
    ("GET", "/escalations/stream"),
    ("POST", "/admin/reload"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/"),
    ("GET", "/assets/{file}"),
];

/// What the service is built from.
///
/// # Examples
///
/// ```
/// let config = xzqh_server::Config::china();
/// assert_eq!(config.policy.name, "china-default");
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    /// The hierarchy served.
    pub hierarchy: &'static Hierarchy,
    /// The routing policy at start.
    pub policy: Policy,
    /// The desk policy.
    pub desks: DeskPolicy,
    /// The directory of bodies at start.
    pub directory: Directory,
    /// Where `POST /admin/reload` (and SIGHUP) read the routing policy
    /// again (TOML or JSON by the extension); `None`: the policy stays.
    pub policy_file: Option<PathBuf>,
    /// Where reloads read the directory again (CSV or JSON by the
    /// extension); `None`: the directory stays.
    pub directory_file: Option<PathBuf>,
    /// The escalation stream's keep-alive period.
    pub keep_alive: Duration,
}

impl Config {
    /// China's embedded data, default routing and desk policies, an empty
    /// directory, nothing to reload from, a keep-alive every 15 s.
    ///
    /// # Examples
    ///
    /// See [`Config`].
    pub fn china() -> Config {
        Config {
            hierarchy: xzqh::china(),
            policy: xzqh::china::policy(),
            desks: xzqh::china::desks(),
            directory: Directory::new(),
            policy_file: None,
            directory_file: None,
            keep_alive: Duration::from_secs(15),
        }
    }
}

/// Why the service could not be built or reloaded.
#[derive(Debug)]
pub enum StartError {
    /// The policies or the directory do not fit the hierarchy.
    Desks(DeskError),
    /// A policy or directory file that cannot be read or parsed.
    File(String),
    /// The address dictionary could not be built.
    Addresses(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Desks(e) => write!(f, "{e}"),
            StartError::File(m) | StartError::Addresses(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for StartError {}

impl From<DeskError> for StartError {
    fn from(e: DeskError) -> Self {
        StartError::Desks(e)
    }
}

/// What every request shares.
pub struct Service {
    h: &'static Hierarchy,
    /// Routing to levels and desks; swapped whole by a reload.
    desks: RwLock<Arc<DeskRouter<&'static Hierarchy>>>,
    desk_policy: DeskPolicy,
    /// The directory at start, kept when no directory file is given.
    directory: Directory,
    policy_file: Option<PathBuf>,
    directory_file: Option<PathBuf>,
    addresses: AddressResolver<'static>,
    store: Option<Store>,
    metrics: Metrics,
    keep_alive: Duration,
    closing: tokio::sync::watch::Sender<bool>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// The service for `config`, with the durable ledger `store` if any
    /// (without one, the ledger's endpoints answer 503).
    ///
    /// # Errors
    ///
    /// A [`StartError`] if the policies or the directory do not fit.
    ///
    /// # Examples
    ///
    /// ```
    /// let service = xzqh_server::Service::new(xzqh_server::Config::china(), None)?;
    /// let app = service.app();
    /// # drop(app);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(config: Config, store: Option<Store>) -> Result<Arc<Service>, StartError> {
        let h = config.hierarchy;
        let desks = DeskRouter::new(
            h,
            config.policy,
            config.desks.clone(),
            config.directory.clone(),
        )?;
        let addresses = h
            .addresses()
            .map_err(|e| StartError::Addresses(format!("address dictionary: {e}")))?;
        Ok(Arc::new(Service {
            h,
            desks: RwLock::new(Arc::new(desks)),
            desk_policy: config.desks,
            directory: config.directory,
            policy_file: config.policy_file,
            directory_file: config.directory_file,
            addresses,
            store,
            metrics: Metrics::default(),
            keep_alive: config.keep_alive,
            closing: tokio::sync::watch::channel(false).0,
        }))
    }

    /// The axum router of every route in [`ROUTES`].
    ///
    /// # Examples
    ///
    /// See [`Service::new`].
    pub fn app(self: &Arc<Self>) -> axum::Router {
        let mut router = axum::Router::new();
        for &(method, path) in ROUTES {
            router = router.route(path, handler(method, path));
        }
        router
            .route_layer(axum::middleware::from_fn(metrics::tag_route))
            .fallback(not_found)
            .method_not_allowed_fallback(method_not_allowed)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                metrics::observe,
            ))
            .with_state(self.clone())
    }

    /// The routers in force (a reload swaps them whole).
    fn desks(&self) -> Arc<DeskRouter<&'static Hierarchy>> {
        self.desks
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Reads the routing policy and the directory again from their files
    /// and swaps them in once they load and fit; on any error the old ones
    /// stay. Returns the policy's name and the directory's size.
    ///
    /// # Errors
    ///
    /// A [`StartError`] naming the file and what is wrong with it.
    ///
    /// # Examples
    ///
    /// ```
    /// let service = xzqh_server::Service::new(xzqh_server::Config::china(), None)?;
    /// assert_eq!(service.reload()?, ("china-default".to_owned(), 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reload(&self) -> Result<(String, usize), StartError> {
        let now = self.desks();
        let policy = match &self.policy_file {
            Some(p) => load_policy(p)?,
            None => now.router().policy().policy().clone(),
        };
        let directory = match &self.directory_file {
            Some(p) => load_directory(p)?,
            None => self.directory.clone(),
        };
        let n = directory.entries().len();
        let fresh = DeskRouter::new(self.h, policy, self.desk_policy.clone(), directory)?;
        let name = fresh.router().policy().name().to_owned();
        *self
            .desks
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(fresh);
        Ok((name, n))
    }

    /// Tells long-lived answers (the escalation stream) to end: the server
    /// is shutting down.
    pub fn close_streams(&self) {
        let _ = self.closing.send(true);
    }

    /// The durable ledger, if the service has one.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The request counters and histograms.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
}

/// The handler of one route of [`ROUTES`].
fn handler(method: &str, path: &str) -> axum::routing::MethodRouter<Arc<Service>> {
    match (method, path) {
        ("GET", "/health") => get(health),
        ("GET", "/units") => get(search_units),
        ("GET", "/units/{code}") => get(unit),
        ("GET", "/units/{code}/desks") => get(unit_desks),
        ("GET", "/resolve") => get(resolve),
        ("GET", "/governs") => get(governs),
        ("POST", "/route") => post(route),
        ("POST", "/route/desk") => post(route_desk),
        ("POST", "/events") => post(ledger_api::post_events),
        ("GET", "/matters") => get(ledger_api::matters),
        ("GET", "/matters/{key}") => get(ledger_api::matter),
        ("GET", "/rollup/{code}") => get(ledger_api::rollup),
        ("GET", "/escalations") => get(ledger_api::escalations),
        ("GET", "/escalations/stream") => get(ledger_api::stream),
        ("POST", "/admin/reload") => post(admin_reload),
        ("GET", "/metrics") => get(metrics::metrics),
        ("GET", "/openapi.json") => get(openapi),
        ("GET", "/") => get(assets::index),
        ("GET", "/assets/{file}") => get(assets::file),
        _ => unreachable!("every route of ROUTES has a handler: {method} {path}"),
    }
}

fn read_file(path: &std::path::Path) -> Result<Vec<u8>, StartError> {
    // Policy and directory files are small; a bound keeps a wrong path
    // (a disk image) from being read whole.
    const MAX: u64 = 64 << 20;
    let meta = std::fs::metadata(path)
        .map_err(|e| StartError::File(format!("{}: {e}", path.display())))?;
    if meta.len() > MAX {
        return Err(StartError::File(format!(
            "{}: {} bytes, beyond {MAX}",
            path.display(),
            meta.len()
        )));
    }
    std::fs::read(path).map_err(|e| StartError::File(format!("{}: {e}", path.display())))
}

fn extension(path: &std::path::Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A routing policy from a TOML or JSON file.
///
/// # Errors
///
/// A [`StartError::File`] naming the file.
///
/// # Examples
///
/// ```
/// let err = xzqh_server::load_policy("no/such/policy.toml".as_ref()).unwrap_err();
/// assert!(err.to_string().starts_with("no/such/policy.toml: "));
/// ```
pub fn load_policy(path: &std::path::Path) -> Result<Policy, StartError> {
    let bytes = read_file(path)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| StartError::File(format!("{}: {e}", path.display())))?;
    let parsed = match extension(path).as_str() {
        "json" => Policy::from_json(text),
        _ => Policy::from_toml(text),
    };
    parsed.map_err(|e| StartError::File(format!("{}: {e}", path.display())))
}

/// A directory of bodies from a CSV or JSON file.
///
/// # Errors
///
/// A [`StartError::File`] naming the file.
///
/// # Examples
///
/// ```
/// let err = xzqh_server::load_directory("no/such/directory.csv".as_ref()).unwrap_err();
/// assert!(err.to_string().starts_with("no/such/directory.csv: "));
/// ```
pub fn load_directory(path: &std::path::Path) -> Result<Directory, StartError> {
    let bytes = read_file(path)?;
    let limits = xzqh::LoadLimits::default();
    let name = path.display().to_string();
    match extension(path).as_str() {
        "json" => Directory::from_json(&bytes, &limits)
            .map_err(|e| StartError::File(format!("{name}: {e}"))),
        // The CSV reader names the file itself.
        _ => {
            Directory::from_csv(&name, &bytes, &limits).map_err(|e| StartError::File(e.to_string()))
        }
    }
}

/// The service for `hierarchy` under `policy` (China's desk policy, no
/// ledger): an axum router ready to serve.
///
/// # Errors
///
/// A [`StartError`] if the policy does not fit the hierarchy.
///
/// # Examples
///
/// ```
/// let app = xzqh_server::app(xzqh::china(), xzqh::china::policy())?;
/// # drop(app);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn app(hierarchy: &'static Hierarchy, policy: Policy) -> Result<axum::Router, StartError> {
    let config = Config {
        hierarchy,
        policy,
        ..Config::china()
    };
    Ok(Service::new(config, None)?.app())
}

// ---- errors ----

/// A 4xx (or 503) answer: `{"error": message, "kind": kind}`, and the
/// `index` of the event it is about for the ledger's refusals.
///
/// # Examples
///
/// ```
/// let err = xzqh_server::decode_events(b"{").unwrap_err();
/// assert_eq!((err.status(), err.kind()), (400, "malformed_json"));
/// ```
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    index: Option<usize>,
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            index: None,
        }
    }

    fn bad_request(kind: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, kind, message)
    }

    fn unprocessable(kind: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, message)
    }

    /// The same error about event `index` of a request.
    fn at(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }

    /// The HTTP status.
    ///
    /// # Examples
    ///
    /// See [`ApiError`].
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The error's kind, a snake_case word.
    ///
    /// # Examples
    ///
    /// See [`ApiError`].
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The message (unbounded; the answer cuts it to [`MAX_ERROR_BYTES`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let err = xzqh_server::decode_events(b"[]").unwrap_err();
    /// assert_eq!(err.message(), "an empty array of events");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

/// The longest error message a response carries, in bytes: longer ones
/// (a parser quoting a rejected string, a 404 quoting the path) are cut,
/// with their length.
pub const MAX_ERROR_BYTES: usize = 512;

/// `message` cut to [`MAX_ERROR_BYTES`] at a character boundary, with its
/// length when cut.
fn bounded(message: &str) -> std::borrow::Cow<'_, str> {
    if message.len() <= MAX_ERROR_BYTES {
        return message.into();
    }
    let mut cut = MAX_ERROR_BYTES;
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} bytes)", &message[..cut], message.len()).into()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: &bounded(&self.message),
            kind: self.kind,
            index: self.index,
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<RouteError> for ApiError {
    fn from(e: RouteError) -> Self {
        let kind = match e {
            RouteError::NoPlaces => "no_places",
            RouteError::UnknownPlace { .. } => "unknown_place",
            RouteError::UnknownCategory { .. } => "unknown_category",
            RouteError::UnknownSeverity { .. } => "unknown_severity",
            RouteError::NoHandler { .. } => "no_handler",
            _ => "route_error",
        };
        ApiError::unprocessable(kind, e.to_string())
    }
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no endpoint {method} {}", uri.path()),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} does not take {method}", uri.path()),
    )
}

/// The unit with this code, in any NBS form (`420100`, `4201`,
/// `420100000000`): a malformed code is a bad request, a well-formed one no
/// unit has is not found. Error messages quote a bounded excerpt of the code.
fn find(h: &'static Hierarchy, code: &str) -> Result<Unit<'static>, ApiError> {
    if let Some(u) = h.by_code(code) {
        return Ok(u);
    }
    match ChinaCode::parse(code) {
        Err(e) => Err(ApiError::bad_request("invalid_code", e.to_string())),
        Ok(_) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_unit",
            format!("no unit has code {code}"),
        )),
    }
}

/// A required, non-empty query parameter.
fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, ApiError> {
    match value.as_deref().map(str::trim) {
        None => Err(ApiError::bad_request(
            "missing_parameter",
            format!("missing query parameter `{name}`"),
        )),
        Some("") => Err(ApiError::bad_request(
            "empty_parameter",
            format!("query parameter `{name}` is empty"),
        )),
        Some(v) => Ok(v),
    }
}

/// A request body, or our JSON error (413 beyond the body limit) where
/// axum would answer in plain text.
fn body(b: Result<Bytes, axum::extract::rejection::BytesRejection>) -> Result<Bytes, ApiError> {
    b.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                e.body_text(),
            )
        } else {
            ApiError::bad_request("invalid_body", e.body_text())
        }
    })
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t)
        .map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))
}

// ---- JSON shapes ----

/// A unit as it appears inside every answer (`UnitRef` in the API
/// document): code, name, kind, the kind's label, the level's rank (0 for
/// the root) and the level's name.
#[derive(Serialize)]
pub struct Brief {
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    kind_label: &'static str,
    level: u8,
    level_name: &'static str,
}

fn brief(u: Unit<'static>) -> Brief {
    Brief {
        code: u.code(),
        name: u.name(),
        kind: u.kind().name(),
        kind_label: u.kind().label(),
        level: u.level().rank(),
        level_name: level_name(u),
    }
}

/// The 'static unit of the hierarchy with the same id (answers borrow
/// the ledger or the router for a while; the hierarchy lives for ever).
fn fixed(h: &'static Hierarchy, u: Unit<'_>) -> Unit<'static> {
    h.get(u.id()).expect("units come from the served hierarchy")
}

fn level_name(u: Unit<'static>) -> &'static str {
    let schema: &'static xzqh::Schema = u.hierarchy().schema();
    schema.levels()[u.level().rank() as usize].name()
}

#[derive(Serialize)]
struct RelationOf {
    unit: Brief,
    relation: String,
}

#[derive(Serialize)]
struct UnitInfo {
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    kind_label: &'static str,
    level: &'static str,
    role: &'static str,
    tiers: usize,
    administrative_levels: usize,
    designations: Vec<&'static str>,
    parent: Option<Brief>,
    chain: Vec<Brief>,
    children: usize,
    relations_in: Vec<RelationOf>,
    relations_out: Vec<RelationOf>,
}

fn info(u: Unit<'static>) -> UnitInfo {
    let schema = u.hierarchy().schema();
    let mut chain: Vec<Brief> = std::iter::once(u).chain(u.ancestors()).map(brief).collect();
    chain.reverse();
    let relations = |r: xzqh::Relations<'static>| {
        r.map(|(unit, relation)| RelationOf {
            unit: brief(unit),
            relation: relation.name(),
        })
        .collect()
    };
    UnitInfo {
        code: u.code(),
        name: u.name(),
        kind: u.kind().name(),
        kind_label: u.kind().label(),
        level: level_name(u),
        role: u.role().as_str(),
        tiers: u.tiers(),
        administrative_levels: u.administrative_levels(),
        designations: u
            .designations()
            .iter()
            .filter_map(|d| schema.designation_name(d))
            .collect(),
        parent: u.parent().map(brief),
        chain,
        children: u.children().count(),
        relations_in: relations(u.relations_in()),
        relations_out: relations(u.relations_out()),
    }
}

// ---- handlers ----

#[derive(Serialize)]
struct Health {
    status: &'static str,
    data_version: Option<&'static str>,
    units: usize,
    policy: String,
    categories: Vec<String>,
    severities: Vec<String>,
}

async fn health(State(s): State<Arc<Service>>) -> Json<Health> {
    let h = s.h;
    let desks = s.desks();
    let policy = desks.router().policy();
    Json(Health {
        status: "ok",
        data_version: h.data_version(),
        units: h.len(),
        policy: policy.name().to_owned(),
        categories: policy.category_names().map(str::to_owned).collect(),
        severities: policy
            .policy()
            .severities
            .iter()
            .map(|s| s.name.clone())
            .collect(),
    })
}

async fn unit(
    State(s): State<Arc<Service>>,
    code: Result<Path<String>, PathRejection>,
) -> Result<Json<UnitInfo>, ApiError> {
    let Path(code) = code.map_err(|e| ApiError::bad_request("invalid_path", e.body_text()))?;
    Ok(Json(info(find(s.h, &code)?)))
}

#[derive(Deserialize)]
struct NameQuery {
    name: Option<String>,
}

#[derive(Serialize)]
struct Match {
    #[serde(flatten)]
    unit: Brief,
    parent: Option<Brief>,
}

#[derive(Serialize)]
struct Matches {
    query: String,
    count: usize,
    units: Vec<Match>,
}

async fn search_units(
    State(s): State<Arc<Service>>,
    q: Result<Query<NameQuery>, QueryRejection>,
) -> Result<Json<Matches>, ApiError> {
    let q = query(q)?;
    let name = required(&q.name, "name")?;
    let found = s.h.names().candidates(name);
    Ok(Json(Matches {
        query: name.to_owned(),
        count: found.len(),
        units: found
            .iter()
            .take(MAX_MATCHES)
            .map(|&u| Match {
                unit: brief(u),
                parent: u.parent().map(brief),
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
struct GovernsQuery {
    authority: Option<String>,
    place: Option<String>,
    relations: Option<String>,
}

#[derive(Serialize)]
struct GovernsAnswer {
    authority: Brief,
    place: Brief,
    governs: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    relation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    distance: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acting_for: Option<Brief>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    explanation: Vec<String>,
}

async fn governs(
    State(s): State<Arc<Service>>,
    q: Result<Query<GovernsQuery>, QueryRejection>,
) -> Result<Json<GovernsAnswer>, ApiError> {
    let q = query(q)?;
    let h = s.h;
    let authority = find(h, required(&q.authority, "authority")?)?;
    let place = find(h, required(&q.place, "place")?)?;
    let relations = match q.relations.as_deref() {
        None => DEFAULT_RELATIONS.to_vec(),
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| {
                Relation::from_name(r).ok_or_else(|| {
                    ApiError::bad_request("unknown_relation", format!("unknown relation `{r}`"))
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let answer = match h.explain_via(authority, place, &relations) {
        Some(e) => GovernsAnswer {
            authority: brief(authority),
            place: brief(place),
            governs: true,
            relation: Some(e.jurisdiction().relation.name()),
            distance: Some(e.jurisdiction().distance),
            acting_for: e.acting_for().map(brief),
            explanation: e.links().map(|l| l.to_string()).collect(),
        },
        None => GovernsAnswer {
            authority: brief(authority),
            place: brief(place),
            governs: false,
            relation: None,
            distance: None,
            acting_for: None,
            explanation: Vec::new(),
        },
    };
    Ok(Json(answer))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteBody {
    places: Vec<String>,
    category: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    people: Option<u64>,
}

#[derive(Serialize)]
struct RouteAnswer {
    handler: Brief,
    level: &'static str,
    tiers: usize,
    required_level: Option<&'static str>,
    start: Option<Brief>,
    places: Vec<Brief>,
    escalation: Vec<Brief>,
    parties: Vec<Brief>,
    policy: Option<String>,
    trace: Vec<String>,
}

fn route_body(body: &[u8]) -> Result<RouteBody, ApiError> {
    // Parsed by hand rather than with axum's `Json` extractor, so every
    // failure is our JSON error and a missing content type is no failure.
    let body: RouteBody = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            ApiError::unprocessable("invalid_body", e.to_string())
        } else {
            ApiError::bad_request("malformed_json", e.to_string())
        }
    })?;
    if body.places.len() > MAX_PLACES {
        return Err(ApiError::unprocessable(
            "too_many_places",
            format!(
                "{} places: at most {MAX_PLACES} per case",
                body.places.len()
            ),
        ));
    }
    Ok(body)
}

fn case_of<'a>(body: &'a RouteBody, places: &'a [Place<'a>]) -> Case<'a> {
    let mut case = Case::new(places, &body.category);
    if let Some(sev) = body.severity.as_deref() {
        case = case.severity(sev);
    }
    if let Some(people) = body.people {
        case = case.people(people);
    }
    case
}

fn route_answer(h: &'static Hierarchy, d: &xzqh::routing::Decision<'_>) -> RouteAnswer {
    // The decision borrows the router; its units are the 'static
    // hierarchy's, so take them from it by id.
    let unit = |u: Unit<'_>| brief(fixed(h, u));
    let handler = d.handler();
    let schema: &'static xzqh::Schema = h.schema();
    RouteAnswer {
        handler: unit(handler),
        level: schema.levels()[handler.level().rank() as usize].name(),
        tiers: handler.tiers(),
        required_level: d
            .required_level()
            .map(|l| schema.levels()[l.rank() as usize].name()),
        start: Some(unit(d.start())),
        places: d.places().map(unit).collect(),
        escalation: d.escalation().map(unit).collect(),
        parties: d.parties().map(unit).collect(),
        policy: d.policy().map(|p| p.name().to_owned()),
        trace: d.explain().to_string().lines().map(str::to_owned).collect(),
    }
}

async fn route(
    State(s): State<Arc<Service>>,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<RouteAnswer>, ApiError> {
    let body = route_body(&body(bytes)?)?;
    let places: Vec<Place<'_>> = body.places.iter().map(|p| Place::Code(p)).collect();
    let case = case_of(&body, &places);
    let desks = s.desks();
    let d = desks.router().route(&case)?;
    Ok(Json(route_answer(s.h, &d)))
}

/// A handling body as the API writes it.
#[derive(Serialize)]
struct BodyJson {
    name: String,
    kind: String,
    label: String,
    unit: Brief,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

fn body_json(h: &'static Hierarchy, b: &xzqh::desks::Body<'_>) -> BodyJson {
    BodyJson {
        name: b.name(),
        kind: b.kind().name.clone(),
        label: b.kind().label.clone(),
        unit: brief(fixed(h, b.unit())),
        phone: b.entry().and_then(|e| e.phone.clone()),
        email: b.entry().and_then(|e| e.email.clone()),
    }
}

#[derive(Serialize)]
struct DeskAnswer {
    #[serde(flatten)]
    route: RouteAnswer,
    lead: BodyJson,
    co_handlers: Vec<BodyJson>,
    desk_trace: Vec<String>,
}

async fn route_desk(
    State(s): State<Arc<Service>>,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<DeskAnswer>, ApiError> {
    let body = route_body(&body(bytes)?)?;
    let places: Vec<Place<'_>> = body.places.iter().map(|p| Place::Code(p)).collect();
    let case = case_of(&body, &places);
    let desks = s.desks();
    let desk = desks.route(&case).map_err(|e| match e {
        DeskError::Route(e) => ApiError::from(e),
        e => ApiError::unprocessable("desk_error", e.to_string()),
    })?;
    let route = route_answer(s.h, desk.decision());
    // The desk's explanation is the decision's trace, then its own steps.
    let desk_trace = desk
        .explain()
        .lines()
        .skip(route.trace.len())
        .map(str::to_owned)
        .collect();
    Ok(Json(DeskAnswer {
        route,
        lead: body_json(s.h, &desk.lead()),
        co_handlers: desk
            .co_handlers()
            .iter()
            .map(|b| body_json(s.h, b))
            .collect(),
        desk_trace,
    }))
}

#[derive(Serialize)]
struct UnitDesks {
    unit: Brief,
    desks: Vec<BodyJson>,
}

async fn unit_desks(
    State(s): State<Arc<Service>>,
    code: Result<Path<String>, PathRejection>,
) -> Result<Json<UnitDesks>, ApiError> {
    let Path(code) = code.map_err(|e| ApiError::bad_request("invalid_path", e.body_text()))?;
    let u = find(s.h, &code)?;
    let desks = s.desks();
    Ok(Json(UnitDesks {
        unit: brief(u),
        desks: desks
            .bodies_of(u)
            .iter()
            .map(|b| body_json(s.h, b))
            .collect(),
    }))
}

#[derive(Deserialize)]
struct TextQuery {
    text: Option<String>,
}

#[derive(Serialize)]
struct SpanJson {
    start: usize,
    end: usize,
    text: String,
    unit: Brief,
}

#[derive(Serialize)]
struct ResolveAnswer {
    text: String,
    outcome: &'static str,
    unit: Option<Brief>,
    chain: Vec<Brief>,
    candidates: Vec<Brief>,
    explanations: Vec<String>,
    spans: Vec<SpanJson>,
    remainder: String,
    truncated: bool,
}

async fn resolve(
    State(s): State<Arc<Service>>,
    q: Result<Query<TextQuery>, QueryRejection>,
) -> Result<Json<ResolveAnswer>, ApiError> {
    let q = query(q)?;
    let text = required(&q.text, "text")?;
    let max = AddressResolver::MAX_TEXT_BYTES;
    if text.len() > max {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "text_too_long",
            format!("a text of {} bytes: at most {max}", text.len()),
        ));
    }
    let h = s.h;
    let r = s.addresses.resolve(text);
    let (outcome, candidates) = match r.outcome() {
        Outcome::Resolved(_) => ("resolved", &[][..]),
        Outcome::Ambiguous(c) => ("ambiguous", &c[..]),
        Outcome::Conflict(c) => ("conflict", &c[..]),
        Outcome::NotFound => ("unresolved", &[][..]),
        _ => ("unresolved", &[][..]),
    };
    Ok(Json(ResolveAnswer {
        text: text.to_owned(),
        outcome,
        unit: r.unit().map(|u| brief(fixed(h, u))),
        chain: r.chain().iter().map(|&u| brief(fixed(h, u))).collect(),
        candidates: candidates.iter().map(|c| brief(fixed(h, c.unit))).collect(),
        explanations: candidates.iter().map(|c| c.explain()).collect(),
        spans: r
            .spans()
            .iter()
            .map(|sp| SpanJson {
                start: sp.range.start,
                end: sp.range.end,
                text: sp.text.to_owned(),
                unit: brief(fixed(h, sp.unit)),
            })
            .collect(),
        remainder: r.remainder().to_owned(),
        truncated: r.is_truncated(),
    }))
}

#[derive(Serialize)]
struct Reloaded {
    reloaded: bool,
    policy: String,
    directory_entries: usize,
}

async fn admin_reload(State(s): State<Arc<Service>>) -> Result<Json<Reloaded>, ApiError> {
    reload_logged(&s)
        .map(|(policy, directory_entries)| {
            Json(Reloaded {
                reloaded: true,
                policy,
                directory_entries,
            })
        })
        .map_err(|e| ApiError::unprocessable("reload_failed", e.to_string()))
}

/// [`Service::reload`], logged and counted (for SIGHUP and the endpoint).
///
/// # Errors
///
/// As [`Service::reload`].
///
/// # Examples
///
/// ```
/// let service = xzqh_server::Service::new(xzqh_server::Config::china(), None)?;
/// assert!(xzqh_server::reload_logged(&service).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn reload_logged(s: &Service) -> Result<(String, usize), StartError> {
    match s.reload() {
        Ok((policy, entries)) => {
            s.metrics
                .reloads_ok
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::info!(policy = %policy, directory_entries = entries, "reloaded the routing policy and the directory");
            Ok((policy, entries))
        }
        Err(e) => {
            s.metrics
                .reloads_failed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::error!(error = %e, "reload refused: the routing policy and the directory in force stay");
            Err(e)
        }
    }
}

/// The OpenAPI 3.1 document of every route (`server/openapi.json`).
pub const OPENAPI: &str = include_str!("../openapi.json");

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}
