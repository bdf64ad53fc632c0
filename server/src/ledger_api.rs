//! The ledger's endpoints: events in, matters, roll-ups and escalations
//! out, and the escalation stream (Server-Sent Events).

use std::convert::Infallible;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use xzqh::matters::{
    Counts, Escalation, EventRecord, Ledger, LedgerError, Matter, PlaceRecord, Rule,
};
use xzqh::{Hierarchy, Unit};

use crate::store::IngestError;
use crate::{ApiError, Brief, Service, brief, find, fixed, query};

/// Most events one request may carry.
pub const MAX_EVENTS: usize = 10_000;
/// The longest case id or matter key, in bytes.
pub const MAX_KEY_BYTES: usize = 256;
/// Most matters or escalations one answer lists.
pub const MAX_LIST: usize = 1_000;
/// Most cases `/matters/{key}` lists.
const MAX_CASES_LISTED: usize = 1_000;

/// An escalation as JSON: `id` (its index in the ledger), `matter`, `at`,
/// `from`, `to`, `rule`, `reason` (the rule in words) and `cases`; a
/// deadline rule adds `deadline` (`accept` or `resolve`) and `due`, a burst
/// `burst_cases` and `within_hours`, a repetition `reopens`.
pub(crate) fn escalation_json(h: &'static Hierarchy, e: &Escalation<'_>, id: usize) -> String {
    #[derive(Serialize)]
    struct Json<'a> {
        id: usize,
        matter: &'a str,
        at: i64,
        from: Brief,
        to: Brief,
        rule: &'static str,
        reason: String,
        cases: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        deadline: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        due: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        burst_cases: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        within_hours: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reopens: Option<u32>,
    }
    let rule = e.rule();
    let mut j = Json {
        id,
        matter: e.matter(),
        at: e.at(),
        from: brief(fixed(h, e.from())),
        to: brief(fixed(h, e.to())),
        rule: "other",
        reason: rule.to_string(),
        cases: e.cases().collect(),
        deadline: None,
        due: None,
        burst_cases: None,
        within_hours: None,
        reopens: None,
    };
    j.rule = match rule {
        Rule::Spread => "spread",
        Rule::Severity => "severity",
        Rule::Scale => "scale",
        Rule::Category => "category",
        Rule::Burst {
            cases,
            within_hours,
        } => {
            j.burst_cases = Some(cases);
            j.within_hours = Some(within_hours);
            "burst"
        }
        Rule::Repetition { reopens } => {
            j.reopens = Some(reopens);
            "repetition"
        }
        Rule::AcceptOverdue { due } => {
            j.deadline = Some("accept");
            j.due = Some(due);
            "deadline"
        }
        Rule::ResolveOverdue { due } => {
            j.deadline = Some("resolve");
            j.due = Some(due);
            "deadline"
        }
        Rule::Deescalation => "deescalation",
        _ => "other",
    };
    serde_json::to_string(&j).expect("plain data serializes")
}

fn no_ledger() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "no_ledger",
        "this service runs without a ledger",
    )
}

fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(body),
    )
        .into_response()
}

// ---- POST /events ----

fn ledger_kind(e: &LedgerError) -> (StatusCode, &'static str) {
    match e {
        LedgerError::UnknownMatter { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_matter"),
        LedgerError::UnknownCase { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_case"),
        LedgerError::DuplicateCase { .. } => (StatusCode::CONFLICT, "duplicate_case"),
        LedgerError::TimeBackwards { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "time_backwards"),
        LedgerError::Route { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "route_error"),
        LedgerError::State { .. } => (StatusCode::CONFLICT, "invalid_state"),
        LedgerError::Closed { .. } => (StatusCode::CONFLICT, "matter_closed"),
        LedgerError::CannotHandle { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "cannot_handle"),
        LedgerError::Full { .. } => (StatusCode::INSUFFICIENT_STORAGE, "ledger_full"),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, "refused"),
    }
}

/// The events of a request body: one event object or an array of them,
/// each the ledger's `EventRecord`, checked against the bounds (count,
/// key lengths, places per case, free-text length). Shared with the fuzz
/// harness's target for this path.
///
/// # Errors
///
/// An [`ApiError`]: 400 for what is not JSON, 422 for the wrong shape or a
/// value out of bounds, with the event's index.
///
/// # Examples
///
/// ```
/// let events = xzqh_server::decode_events(br#"{"event": "tick", "at": 5}"#).unwrap();
/// assert_eq!(events.len(), 1);
/// let err = xzqh_server::decode_events(b"[]").unwrap_err();
/// assert_eq!(err.kind(), "no_events");
/// ```
pub fn decode_events(body: &[u8]) -> Result<Vec<EventRecord>, ApiError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let parsed = if first == Some(&b'[') {
        serde_json::from_slice::<Vec<EventRecord>>(body)
    } else {
        serde_json::from_slice::<EventRecord>(body).map(|e| vec![e])
    };
    let events = parsed.map_err(|e| {
        if e.is_data() {
            ApiError::unprocessable("invalid_event", e.to_string())
        } else {
            ApiError::bad_request("malformed_json", e.to_string())
        }
    })?;
    if events.is_empty() {
        return Err(ApiError::unprocessable(
            "no_events",
            "an empty array of events",
        ));
    }
    if events.len() > MAX_EVENTS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_events",
            format!("{} events: at most {MAX_EVENTS} per request", events.len()),
        ));
    }
    for (i, e) in events.iter().enumerate() {
        check_event(e).map_err(|m| {
            ApiError::unprocessable("out_of_bounds", format!("event {i}: {m}")).at(i)
        })?;
    }
    Ok(events)
}

fn check_key(what: &str, s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err(format!("empty {what}"));
    }
    if s.len() > MAX_KEY_BYTES {
        return Err(format!(
            "{what} of {} bytes: at most {MAX_KEY_BYTES}",
            s.len()
        ));
    }
    Ok(())
}

fn check_place(p: &PlaceRecord) -> Result<(), String> {
    match p {
        PlaceRecord::Text(t) if t.len() > xzqh::address::AddressResolver::MAX_TEXT_BYTES => {
            Err(format!(
                "a place text of {} bytes: at most {}",
                t.len(),
                xzqh::address::AddressResolver::MAX_TEXT_BYTES
            ))
        }
        PlaceRecord::Code(c) => check_key("place code", c),
        _ => Ok(()),
    }
}

fn check_event(e: &EventRecord) -> Result<(), String> {
    match e {
        EventRecord::Arrive {
            case,
            matter,
            category,
            severity,
            places,
            ..
        } => {
            check_key("case id", case)?;
            check_key("matter key", matter)?;
            check_key("category", category)?;
            if let Some(s) = severity {
                check_key("severity", s)?;
            }
            if places.len() > crate::MAX_PLACES {
                return Err(format!(
                    "{} places: at most {} per case",
                    places.len(),
                    crate::MAX_PLACES
                ));
            }
            places.iter().try_for_each(check_place)
        }
        EventRecord::Accept { case, .. }
        | EventRecord::Resolve { case, .. }
        | EventRecord::Reopen { case, .. } => check_key("case id", case),
        EventRecord::Close { matter, .. } => check_key("matter key", matter),
        EventRecord::Deescalate { matter, to, .. } => {
            check_key("matter key", matter)?;
            check_place(to)
        }
        _ => Ok(()),
    }
}

pub(crate) async fn post_events(
    State(s): State<Arc<Service>>,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let store = s.store.as_ref().ok_or_else(no_ledger)?;
    let events = decode_events(&crate::body(bytes)?)?;
    match store.ingest(events).await {
        Ok(c) => {
            let mut out = format!(
                r#"{{"accepted":{},"seq":{},"escalations":["#,
                c.accepted, c.seq
            );
            for (i, e) in c.escalations.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(e);
            }
            out.push_str("]}");
            Ok(json_response(StatusCode::OK, out))
        }
        Err(IngestError::Refused { index, error }) => {
            let (status, kind) = ledger_kind(&error);
            Err(ApiError::new(status, kind, format!("event {index}: {error}")).at(index))
        }
        Err(IngestError::Internal(m)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            m,
        )),
        Err(IngestError::Unavailable(m)) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            m,
        )),
    }
}

// ---- matters ----

/// Roll-up counts as the API writes them.
#[derive(Serialize)]
struct CountsJson {
    open_matters: u32,
    open_cases: u32,
    overdue_cases: u32,
}

fn counts(c: Counts) -> CountsJson {
    CountsJson {
        open_matters: c.matters,
        open_cases: c.cases,
        overdue_cases: c.overdue,
    }
}

#[derive(Serialize)]
struct MatterSummary<'a> {
    key: &'a str,
    category: &'a str,
    severity: Option<&'a str>,
    handler: Brief,
    start: Brief,
    cases: usize,
    people: u64,
    open: bool,
    overdue_cases: usize,
    escalations: usize,
}

fn summary<'a>(h: &'static Hierarchy, m: &Matter<'a>) -> MatterSummary<'a> {
    MatterSummary {
        key: m.key(),
        category: m.category(),
        severity: m.severity(),
        handler: brief(fixed(h, m.handler())),
        start: brief(fixed(h, m.start())),
        cases: m.cases(),
        people: m.people(),
        open: m.is_open(),
        overdue_cases: m.case_entries().filter(|c| c.is_overdue()).count(),
        escalations: m.escalations().len(),
    }
}

#[derive(Deserialize)]
pub(crate) struct MattersQuery {
    unit: Option<String>,
    open: Option<bool>,
    limit: Option<usize>,
}

#[derive(Serialize)]
struct MattersAnswer<'a> {
    unit: Brief,
    count: usize,
    matters: Vec<MatterSummary<'a>>,
}

fn limit(asked: Option<usize>, default: usize) -> Result<usize, ApiError> {
    match asked {
        None => Ok(default),
        Some(n) if n <= MAX_LIST => Ok(n),
        Some(n) => Err(ApiError::bad_request(
            "invalid_limit",
            format!("limit {n}: at most {MAX_LIST}"),
        )),
    }
}

/// The unit a roll-up or a listing is about: `root` or `0` is the root.
fn area(h: &'static Hierarchy, code: Option<&str>) -> Result<Unit<'static>, ApiError> {
    match code.map(str::trim) {
        None | Some("") | Some("root") | Some("0") => Ok(h.root()),
        Some(c) => find(h, c),
    }
}

pub(crate) async fn matters(
    State(s): State<Arc<Service>>,
    q: Result<Query<MattersQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let store = s.store.as_ref().ok_or_else(no_ledger)?;
    let q = query(q)?;
    let h = s.h;
    let unit = area(h, q.unit.as_deref())?;
    let limit = limit(q.limit, 100)?;
    let ledger = store.read();
    let wanted = |m: &Matter<'_>| {
        q.open.is_none_or(|o| m.is_open() == o) && unit.contains(fixed(h, m.handler()))
    };
    // The newest first; with `open=true` the count is the roll-up's, and
    // the walk stops once `limit` are found.
    let list: Vec<MatterSummary<'_>> = ledger
        .matters()
        .rev()
        .filter(|m| wanted(m))
        .take(limit)
        .map(|m| summary(h, &m))
        .collect();
    let count = if q.open == Some(true) {
        ledger.counts(unit).matters as usize
    } else {
        ledger.matters().filter(|m| wanted(m)).count()
    };
    let answer = MattersAnswer {
        unit: brief(unit),
        count,
        matters: list,
    };
    Ok(json_response(
        StatusCode::OK,
        serde_json::to_string(&answer).expect("plain data"),
    ))
}

#[derive(Serialize)]
struct CaseJson<'a> {
    id: &'a str,
    state: &'static str,
    place: Brief,
    arrived: i64,
    reopens: u32,
    overdue: bool,
}

pub(crate) async fn matter(
    State(s): State<Arc<Service>>,
    key: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let store = s.store.as_ref().ok_or_else(no_ledger)?;
    let Path(key) = key.map_err(|e| ApiError::bad_request("invalid_path", e.body_text()))?;
    let h = s.h;
    let ledger = store.read();
    let m = ledger.matter(&key).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_matter",
            format!("no matter has key `{key}`"),
        )
    })?;
    let mut out = serde_json::to_value(summary(h, &m)).expect("plain data");
    let places: Vec<Brief> = m.places().map(|u| brief(fixed(h, u))).collect();
    let cases: Vec<CaseJson<'_>> = m
        .case_entries()
        .take(MAX_CASES_LISTED)
        .map(|c| CaseJson {
            id: c.id(),
            state: c.state(),
            place: brief(fixed(h, c.place())),
            arrived: c.arrived(),
            reopens: c.reopens(),
            overdue: c.is_overdue(),
        })
        .collect();
    let escalations = escalations_of(h, &ledger, &m);
    let explain: Vec<String> = ledger
        .explain(&key)
        .map(|e| e.to_string().lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let o = out.as_object_mut().expect("a summary is an object");
    // A matter's page lists its escalations where the summary counts them;
    // the count stays as `escalation_count`.
    let count = o
        .insert("escalations".into(), escalations)
        .unwrap_or_default();
    o.insert("escalation_count".into(), count);
    o.insert(
        "places".into(),
        serde_json::to_value(places).expect("plain data"),
    );
    o.insert("explain".into(), explain.into());
    o.insert(
        "case_list".into(),
        serde_json::to_value(cases).expect("plain data"),
    );
    Ok(json_response(StatusCode::OK, out.to_string()))
}

/// A matter's escalations as a JSON array, with their ledger ids.
fn escalations_of(
    h: &'static Hierarchy,
    ledger: &Ledger<'static>,
    m: &Matter<'_>,
) -> serde_json::Value {
    let key = m.key();
    let mut wanted = m.escalations().len();
    let mut found = Vec::with_capacity(wanted);
    // Ids: walk the ledger's escalations from the newest; a matter's are
    // among them, the newest last.
    for (id, e) in ledger.escalations().enumerate().rev() {
        if wanted == 0 {
            break;
        }
        if e.matter() == key {
            found.push(escalation_json(h, &e, id));
            wanted -= 1;
        }
    }
    found.reverse();
    let mut text = String::from("[");
    text.push_str(&found.join(","));
    text.push(']');
    serde_json::from_str(&text).expect("escalations are JSON")
}

// ---- roll-ups ----

#[derive(Serialize)]
struct ChildRollup {
    unit: Brief,
    has_children: bool,
    counts: CountsJson,
}

#[derive(Serialize)]
struct BreakdownJson<'a> {
    category: &'a str,
    severity: Option<&'a str>,
    open_matters: u32,
    open_cases: u32,
}

#[derive(Serialize)]
struct RollupAnswer<'a> {
    unit: Brief,
    chain: Vec<Brief>,
    counts: CountsJson,
    breakdown: Vec<BreakdownJson<'a>>,
    children: Vec<ChildRollup>,
}

pub(crate) async fn rollup(
    State(s): State<Arc<Service>>,
    code: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let store = s.store.as_ref().ok_or_else(no_ledger)?;
    let Path(code) = code.map_err(|e| ApiError::bad_request("invalid_path", e.body_text()))?;
    let h = s.h;
    let unit = area(h, Some(&code))?;
    let ledger = store.read();
    let mut chain: Vec<Brief> = std::iter::once(unit)
        .chain(unit.ancestors())
        .map(brief)
        .collect();
    chain.reverse();
    let answer = RollupAnswer {
        unit: brief(unit),
        chain,
        counts: counts(ledger.counts(unit)),
        breakdown: ledger
            .breakdown(unit)
            .into_iter()
            .map(|b| BreakdownJson {
                category: b.category,
                severity: b.severity,
                open_matters: b.matters,
                open_cases: b.cases,
            })
            .collect(),
        children: unit
            .children()
            .map(|c| ChildRollup {
                unit: brief(c),
                has_children: c.children().next().is_some(),
                counts: counts(ledger.counts(c)),
            })
            .collect(),
    };
    Ok(json_response(
        StatusCode::OK,
        serde_json::to_string(&answer).expect("plain data"),
    ))
}

// ---- escalations ----

#[derive(Deserialize)]
pub(crate) struct LimitQuery {
    limit: Option<usize>,
}

pub(crate) async fn escalations(
    State(s): State<Arc<Service>>,
    q: Result<Query<LimitQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let store = s.store.as_ref().ok_or_else(no_ledger)?;
    let q = query(q)?;
    let limit = limit(q.limit, 50)?;
    let ledger = store.read();
    let total = ledger.escalations().len();
    let mut out = format!(r#"{{"count":{total},"escalations":["#);
    for (i, (id, e)) in ledger
        .escalations()
        .enumerate()
        .rev()
        .take(limit)
        .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&escalation_json(s.h, &e, id));
    }
    out.push_str("]}");
    Ok(json_response(StatusCode::OK, out))
}

/// What the stream's body holds between chunks.
struct Feed {
    rx: tokio::sync::broadcast::Receiver<Arc<str>>,
    closing: tokio::sync::watch::Receiver<bool>,
    keep_alive: tokio::time::Interval,
    service: Arc<Service>,
    opened: bool,
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.service
            .metrics
            .stream_clients
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

pub(crate) async fn stream(State(s): State<Arc<Service>>) -> Result<Response, ApiError> {
    let store = s.store.as_ref().ok_or_else(no_ledger)?;
    let period = s.keep_alive;
    let feed = Feed {
        rx: store.subscribe(),
        closing: s.closing.subscribe(),
        keep_alive: tokio::time::interval_at(tokio::time::Instant::now() + period, period),
        service: s.clone(),
        opened: false,
    };
    s.metrics
        .stream_clients
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let body = futures_util::stream::unfold(feed, |mut f| async move {
        if !f.opened {
            f.opened = true;
            let hello = format!(
                "retry: 5000\n: escalations of xzqh, a comment every {} s\n\n",
                f.keep_alive.period().as_secs()
            );
            return Some((Ok::<_, Infallible>(Bytes::from(hello)), f));
        }
        if *f.closing.borrow() {
            return None;
        }
        tokio::select! {
            r = f.rx.recv() => match r {
                Ok(json) => {
                    let mut chunk = String::with_capacity(json.len() + 32);
                    let _ = write!(chunk, "event: escalation\ndata: {json}\n\n");
                    Some((Ok(Bytes::from(chunk)), f))
                }
                // Too slow to keep up: dropped (it may reconnect and read
                // /escalations for what it missed).
                Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => None,
            },
            _ = f.keep_alive.tick() => Some((Ok(Bytes::from_static(b": keep-alive\n\n")), f)),
            _ = f.closing.changed() => None,
        }
    });
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(body),
    )
        .into_response())
}
