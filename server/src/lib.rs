//! The xzqh HTTP service's API: routes, handlers and JSON shapes. The
//! `xzqh-server` binary serves it; `tests/service.rs` starts it on an
//! ephemeral port.
//!
//! | endpoint | answer |
//! |---|---|
//! | `GET /health` | `status`, `data_version`, `units`, `policy`, `categories`, `severities` |
//! | `GET /units/{code}` | one unit: `code`, `name`, `kind`, `kind_label`, `level`, `role`, `tiers`, `administrative_levels`, `designations`, `parent`, `chain` (root first, down to the unit), `children`, `relations_in`, `relations_out` |
//! | `GET /units?name=…` | every unit the name or path (`北京 朝阳区`) matches: `query`, `count`, `units` |
//! | `GET /governs?authority=…&place=…[&relations=administrative,entrusted]` | `governs`; if so `relation`, `distance`, `acting_for`, `explanation` (one line per link) |
//! | `POST /route` `{"places": [...], "category": "...", "severity"?: "...", "people"?: n}` | `handler`, `level`, `tiers`, `required_level`, `start`, `places`, `escalation`, `parties`, `policy`, `trace` (one line per step) |
//!
//! Codes may be given in any NBS form (`420100`, `4201`, `420100000000`).
//! Errors are JSON `{"error": "<message>", "kind": "<snake_case kind>"}`:
//! 400 for a malformed request (missing or empty parameter, malformed code
//! or JSON, unknown relation name), 404 for a unit or path that does not
//! exist, 405 for a wrong method, 422 for a well-formed case the policy
//! cannot take (no or unknown place, unknown category or severity, wrong
//! field types, too many places, no handler). Messages are cut to
//! [`MAX_ERROR_BYTES`]. [`serve`] adds 408 for a request not complete in
//! time and 413 for a body beyond its [`Limits`], drops clients that stall
//! and caps the connections.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use xzqh::china::ChinaCode;
use xzqh::routing::{Case, Place, Policy, PolicyError, RouteError, Router};
use xzqh::{Hierarchy, Relation, Unit};

mod serve;
pub use serve::{Limits, serve};

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

/// What every request shares: built once, read-only after.
struct Service {
    h: &'static Hierarchy,
    router: Router<&'static Hierarchy>,
}

/// The service for `hierarchy` under `policy`: an axum router ready to
/// serve.
///
/// # Errors
///
/// The policy's error if it does not fit the hierarchy.
pub fn app(hierarchy: &'static Hierarchy, policy: Policy) -> Result<axum::Router, PolicyError> {
    let service = Arc::new(Service {
        h: hierarchy,
        router: Router::new(hierarchy, policy)?,
    });
    Ok(axum::Router::new()
        .route("/health", get(health))
        .route("/units", get(search_units))
        .route("/units/{code}", get(unit))
        .route("/governs", get(governs))
        .route("/route", post(route))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(service))
}

// ---- errors ----

/// A 4xx answer: `{"error": message, "kind": kind}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }

    fn bad_request(kind: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, kind, message)
    }

    fn unprocessable(kind: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, message)
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    kind: &'a str,
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

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t)
        .map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))
}

// ---- JSON shapes ----

/// A unit in brief, as it appears inside other answers.
#[derive(Serialize)]
pub struct Brief {
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    level: &'static str,
}

fn brief(u: Unit<'static>) -> Brief {
    Brief {
        code: u.code(),
        name: u.name(),
        kind: u.kind().name(),
        level: level_name(u),
    }
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
    let policy = s.router.policy();
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

async fn route(State(s): State<Arc<Service>>, body: Bytes) -> Result<Json<RouteAnswer>, ApiError> {
    // Parsed by hand rather than with axum's `Json` extractor, so every
    // failure is our JSON error and a missing content type is no failure.
    let body: RouteBody = serde_json::from_slice(&body).map_err(|e| {
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
    let places: Vec<Place<'_>> = body.places.iter().map(|p| Place::Code(p)).collect();
    let mut case = Case::new(&places, &body.category);
    if let Some(sev) = body.severity.as_deref() {
        case = case.severity(sev);
    }
    if let Some(people) = body.people {
        case = case.people(people);
    }
    let d = s.router.route(&case)?;
    let h = s.h;
    // The decision borrows the router; its units are the 'static
    // hierarchy's, so take them from it by id.
    let unit = |u: Unit<'_>| {
        brief(
            h.get(u.id())
                .expect("a decision's units are the hierarchy's"),
        )
    };
    let handler = d.handler();
    let schema: &'static xzqh::Schema = h.schema();
    Ok(Json(RouteAnswer {
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
    }))
}
