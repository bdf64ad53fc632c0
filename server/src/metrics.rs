//! Observability: a request id and a log line per request, and the
//! counters `/metrics` writes in Prometheus' text format (hand-written:
//! a few counters and one histogram family need no crate).

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::{ROUTES, Service};

/// Latency bucket bounds, in microseconds.
const BUCKETS_US: [u64; 14] = [
    100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
    1_000_000, 5_000_000,
];
/// Statuses counted one by one; any other counts under its class.
const STATUSES: [u16; 14] = [
    200, 400, 404, 405, 408, 409, 413, 422, 500, 503, 507, 0, 0, 0,
];
/// The longest request id taken from a client; a longer one, or one with
/// other than visible ASCII, is replaced.
pub const MAX_REQUEST_ID: usize = 128;

#[derive(Debug)]
struct RouteStats {
    /// Per [`STATUSES`] index; the last three: other 2xx-3xx, other 4xx, other 5xx.
    statuses: [AtomicU64; 14],
    buckets: [AtomicU64; 14],
    count: AtomicU64,
    sum_us: AtomicU64,
}

impl Default for RouteStats {
    fn default() -> Self {
        RouteStats {
            statuses: std::array::from_fn(|_| AtomicU64::new(0)),
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            count: AtomicU64::new(0),
            sum_us: AtomicU64::new(0),
        }
    }
}

/// Request counters and latency histograms by route, and the service's
/// other counters.
///
/// # Examples
///
/// ```
/// let m = xzqh_server::Metrics::default();
/// assert!(m.next_request_id() != m.next_request_id());
/// ```
#[derive(Debug)]
pub struct Metrics {
    /// One per route of [`ROUTES`], then one for requests no route matched.
    routes: Vec<RouteStats>,
    pub(crate) stream_clients: AtomicUsize,
    pub(crate) reloads_ok: AtomicU64,
    pub(crate) reloads_failed: AtomicU64,
    next_id: AtomicU64,
    id_prefix: u32,
    started: Instant,
}

impl Default for Metrics {
    fn default() -> Self {
        // Request ids: a per-process prefix (the start time's nanoseconds,
        // mixed) and a counter.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mixed =
            (nanos ^ u64::from(std::process::id()) << 32).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Metrics {
            routes: (0..=ROUTES.len()).map(|_| RouteStats::default()).collect(),
            stream_clients: AtomicUsize::new(0),
            reloads_ok: AtomicU64::new(0),
            reloads_failed: AtomicU64::new(0),
            next_id: AtomicU64::new(1),
            id_prefix: (mixed >> 32) as u32,
            started: Instant::now(),
        }
    }
}

impl Metrics {
    /// A fresh request id: 8 hex digits of the process, 8 of a counter.
    ///
    /// # Examples
    ///
    /// See [`Metrics`].
    pub fn next_request_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{:08x}{:08x}", self.id_prefix, n as u32)
    }

    fn record(&self, route: usize, status: u16, micros: u64) {
        let r = &self.routes[route];
        let i = STATUSES[..11]
            .iter()
            .position(|&s| s == status)
            .unwrap_or(match status {
                500.. => 13,
                400.. => 12,
                _ => 11,
            });
        r.statuses[i].fetch_add(1, Ordering::Relaxed);
        r.count.fetch_add(1, Ordering::Relaxed);
        r.sum_us.fetch_add(micros, Ordering::Relaxed);
        if let Some(b) = BUCKETS_US.iter().position(|&b| micros <= b) {
            r.buckets[b].fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The route's index in [`ROUTES`], set by [`tag_route`] for [`observe`].
#[derive(Debug, Clone, Copy)]
struct RouteIndex(usize);

/// Marks the answer with the route that took the request.
pub(crate) async fn tag_route(req: Request, next: Next) -> Response {
    let index = req.extensions().get::<MatchedPath>().and_then(|p| {
        ROUTES
            .iter()
            .position(|r| r.1 == p.as_str() && r.0 == req.method().as_str())
    });
    let mut response = next.run(req).await;
    if let Some(i) = index {
        response.extensions_mut().insert(RouteIndex(i));
    }
    response
}

fn valid_id(v: &HeaderValue) -> bool {
    let b = v.as_bytes();
    !b.is_empty() && b.len() <= MAX_REQUEST_ID && b.iter().all(u8::is_ascii_graphic)
}

/// A request id (the client's `x-request-id` if it is short visible
/// ASCII, else a fresh one) in a span around the request, echoed in the
/// answer; one log line per answer (5xx at error, 4xx at info, the rest
/// at debug) and the route's counters.
pub(crate) async fn observe(State(s): State<Arc<Service>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = match req.headers().get("x-request-id").filter(|v| valid_id(v)) {
        Some(v) => v.clone(),
        None => HeaderValue::from_str(&s.metrics.next_request_id())
            .expect("hex digits are a header value"),
    };
    let method = req.method().clone();
    let uri = req.uri().clone();
    // Handlers' own events carry the id through this span (at debug
    // level: a span per request costs a fifth of a lookup's time).
    let span = tracing::debug_span!("request", id = %id.to_str().unwrap_or(""));
    // The request timeout (outside this layer) drops this future: the
    // guard still counts the request, as a 408 of no route, and logs it.
    let mut guard = Unanswered {
        service: &s,
        started,
        uri: &uri,
        id: &id,
        armed: true,
    };
    let mut response = next.run(req).instrument(span).await;
    guard.armed = false;
    drop(guard);
    let micros = started.elapsed().as_micros() as u64;
    let status = response.status().as_u16();
    let route = response
        .extensions()
        .get::<RouteIndex>()
        .map_or(ROUTES.len(), |r| r.0);
    s.metrics.record(route, status, micros);
    // The fields are only formatted when the line is logged.
    let path = uri.path();
    let path = &path[..path.floor_char_boundary_compat(200)];
    let rid = id.to_str().unwrap_or("");
    match status {
        500.. => tracing::error!(request_id = rid, %method, path, status, micros, "answered"),
        400.. => tracing::info!(request_id = rid, %method, path, status, micros, "answered"),
        _ => tracing::debug!(request_id = rid, %method, path, status, micros, "answered"),
    }
    response.headers_mut().insert("x-request-id", id);
    response
}

/// Counts and logs a request whose answer never came (the request
/// timeout dropped it).
struct Unanswered<'a> {
    service: &'a Service,
    started: Instant,
    uri: &'a axum::http::Uri,
    id: &'a HeaderValue,
    armed: bool,
}

impl Drop for Unanswered<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let micros = self.started.elapsed().as_micros() as u64;
        self.service.metrics.record(ROUTES.len(), 408, micros);
        let p = self.uri.path();
        let path = &p[..p.floor_char_boundary_compat(200)];
        let rid = self.id.to_str().unwrap_or("");
        tracing::info!(request_id = rid, path, status = 408, micros, "timed out");
    }
}

/// `str::floor_char_boundary` is newer than the MSRV.
trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, at: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, at: usize) -> usize {
        if at >= self.len() {
            return self.len();
        }
        let mut at = at;
        while !self.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// The resident set size in bytes (Linux: `/proc/self/statm`).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

pub(crate) async fn metrics(State(s): State<Arc<Service>>) -> Response {
    let m = &s.metrics;
    let mut out = String::with_capacity(8 << 10);
    let label = |i: usize| {
        ROUTES
            .get(i)
            .map_or(("", "unmatched"), |&(method, path)| (method, path))
    };
    family(
        &mut out,
        "xzqh_http_requests_total",
        "counter",
        "Requests answered, by route and status.",
    );
    for (i, r) in m.routes.iter().enumerate() {
        let (method, path) = label(i);
        for (k, c) in r.statuses.iter().enumerate() {
            let n = c.load(Ordering::Relaxed);
            if n == 0 {
                continue;
            }
            let status = match k {
                0..=10 => STATUSES[k].to_string(),
                11 => "2xx".into(),
                12 => "4xx".into(),
                _ => "5xx".into(),
            };
            let _ = writeln!(
                out,
                "xzqh_http_requests_total{{method=\"{method}\",route=\"{path}\",status=\"{status}\"}} {n}"
            );
        }
    }
    family(
        &mut out,
        "xzqh_http_request_duration_seconds",
        "histogram",
        "Time from the request's head to the answer's head, by route.",
    );
    for (i, r) in m.routes.iter().enumerate() {
        let count = r.count.load(Ordering::Relaxed);
        if count == 0 {
            continue;
        }
        let (method, path) = label(i);
        let mut cumulative = 0;
        for (b, bound) in BUCKETS_US.iter().enumerate() {
            cumulative += r.buckets[b].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "xzqh_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{path}\",le=\"{}\"}} {cumulative}",
                *bound as f64 / 1e6
            );
        }
        let _ = writeln!(
            out,
            "xzqh_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{path}\",le=\"+Inf\"}} {count}\n\
             xzqh_http_request_duration_seconds_sum{{method=\"{method}\",route=\"{path}\"}} {}\n\
             xzqh_http_request_duration_seconds_count{{method=\"{method}\",route=\"{path}\"}} {count}",
            r.sum_us.load(Ordering::Relaxed) as f64 / 1e6
        );
    }
    family(
        &mut out,
        "xzqh_stream_clients",
        "gauge",
        "Clients of the escalation stream.",
    );
    let _ = writeln!(
        out,
        "xzqh_stream_clients {}",
        m.stream_clients.load(Ordering::Relaxed)
    );
    family(
        &mut out,
        "xzqh_reloads_total",
        "counter",
        "Reloads of the routing policy and the directory, by result.",
    );
    let _ = writeln!(
        out,
        "xzqh_reloads_total{{result=\"ok\"}} {}\nxzqh_reloads_total{{result=\"failed\"}} {}",
        m.reloads_ok.load(Ordering::Relaxed),
        m.reloads_failed.load(Ordering::Relaxed)
    );
    if let Some(store) = s.store() {
        let st = store.stats();
        let (matters, open_matters, cases, open_cases, overdue, escalations) = {
            let l = store.read();
            let root = l.counts(l.hierarchy().root());
            (
                l.matters().len(),
                root.matters,
                l.cases().len(),
                root.cases,
                root.overdue,
                l.escalations().len(),
            )
        };
        // Values as Prometheus reads them: counts, and one time in seconds
        // with its fraction (commits take milliseconds).
        let gauges: [(&str, &str, &str, Value); 13] = [
            (
                "xzqh_escalations_total",
                "counter",
                "Escalations since the process started.",
                Value::Count(st.escalations.load(Ordering::Relaxed)),
            ),
            (
                "xzqh_ledger_matters",
                "gauge",
                "Matters in the ledger.",
                Value::Count(matters as u64),
            ),
            (
                "xzqh_ledger_open_matters",
                "gauge",
                "Open matters.",
                Value::Count(u64::from(open_matters)),
            ),
            (
                "xzqh_ledger_cases",
                "gauge",
                "Cases in the ledger.",
                Value::Count(cases as u64),
            ),
            (
                "xzqh_ledger_open_cases",
                "gauge",
                "Open cases.",
                Value::Count(u64::from(open_cases)),
            ),
            (
                "xzqh_ledger_overdue_cases",
                "gauge",
                "Open cases past a deadline.",
                Value::Count(u64::from(overdue)),
            ),
            (
                "xzqh_ledger_escalations",
                "gauge",
                "Escalations in the ledger.",
                Value::Count(escalations as u64),
            ),
            (
                "xzqh_db_events",
                "gauge",
                "Events durable in the database (the last sequence number).",
                Value::Count(st.events.load(Ordering::Relaxed)),
            ),
            (
                "xzqh_db_commits_total",
                "counter",
                "Transactions committed since the process started.",
                Value::Count(st.commits.load(Ordering::Relaxed)),
            ),
            (
                "xzqh_db_commit_seconds_total",
                "counter",
                "Time spent committing, in seconds.",
                Value::Micros(st.commit_micros.load(Ordering::Relaxed)),
            ),
            (
                "xzqh_db_refused_requests_total",
                "counter",
                "Requests of events the ledger refused.",
                Value::Count(st.refused.load(Ordering::Relaxed)),
            ),
            (
                "xzqh_db_snapshots_total",
                "counter",
                "Snapshots written since the process started.",
                Value::Count(st.snapshots.load(Ordering::Relaxed)),
            ),
            (
                "xzqh_db_snapshot_seq",
                "gauge",
                "Sequence number of the latest snapshot.",
                Value::Count(st.snapshot_seq.load(Ordering::Relaxed)),
            ),
        ];
        for (name, kind, help, v) in gauges {
            family(&mut out, name, kind, help);
            match v {
                Value::Count(n) => writeln!(out, "{name} {n}"),
                Value::Micros(us) => writeln!(out, "{name} {}", us as f64 / 1e6),
            }
            .ok();
        }
    }
    if let Some(rss) = resident_bytes() {
        family(
            &mut out,
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory size in bytes.",
        );
        let _ = writeln!(out, "process_resident_memory_bytes {rss}");
    }
    family(
        &mut out,
        "process_uptime_seconds",
        "gauge",
        "Seconds since the service started.",
    );
    let _ = writeln!(
        out,
        "process_uptime_seconds {}",
        m.started.elapsed().as_secs()
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

/// A value of the ledger's metrics.
#[derive(Debug, Clone, Copy)]
enum Value {
    Count(u64),
    /// A time in microseconds, written in seconds.
    Micros(u64),
}
