//! The HTTP service over real HTTP: started in-process on
//! 127.0.0.1 with an ephemeral port, the lookup and routing endpoints
//! exercised with good and bad input by the plain HTTP/1.1 client of
//! `support`, and hostile clients, then shut down. Bounded: one connection
//! per request, 10 s timeouts, loopback only. `binary.rs` starts the real
//! binary with its ledger.

mod support;

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use support::{Client, codes, encode, error_kind, read_until_closed};

/// The service running on a background runtime; dropping it shuts it down.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start() -> Server {
        Server::with_limits(xzqh_server::Limits::default())
    }

    fn with_limits(limits: xzqh_server::Limits) -> Server {
        let app = xzqh_server::app(xzqh::china(), xzqh::china::policy()).expect("the policy fits");
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind an ephemeral loopback port");
                addr_tx
                    .send(listener.local_addr().expect("a local address"))
                    .expect("the test waits for the address");
                xzqh_server::serve(listener, app, limits, async {
                    let _ = stopped.await;
                })
                .await
                .expect("serve");
            });
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server starts");
        Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Client for Server {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

#[test]
fn every_endpoint_over_http() {
    let server = Server::start();
    health(&server);
    units(&server);
    search(&server);
    jurisdiction(&server);
    routing(&server);
    unknown_paths_and_methods(&server);
}

fn health(s: &Server) {
    let v = s.get("/health", 200);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["units"], xzqh::china().len());
    assert_eq!(v["data_version"], xzqh::china::DATA_VERSION);
    assert_eq!(v["policy"], "china-default");
    assert!(
        v["categories"]
            .as_array()
            .unwrap()
            .contains(&"petition".into())
    );
    assert_eq!(v["severities"][1], "major");
}

fn units(s: &Server) {
    // 仙桃市: directly under the province.
    let v = s.get("/units/429004", 200);
    assert_eq!(v["name"], "仙桃市");
    assert_eq!(v["kind"], "county_city");
    assert_eq!(v["kind_label"], "县级市");
    assert_eq!(v["level"], "county");
    assert_eq!(v["role"], "government");
    assert_eq!(v["tiers"], 2);
    assert_eq!(v["administrative_levels"], 2);
    assert_eq!(v["parent"]["code"], "42");
    assert_eq!(codes(&v["chain"]), ["0", "42", "429004"]);
    assert!(v["children"].as_u64().unwrap() > 10);

    // Four tiers and five levels; any code form.
    let v = s.get("/units/654201200000", 200);
    assert_eq!(v["code"], "654201200");
    assert_eq!(
        (v["tiers"].as_u64(), v["administrative_levels"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(
        codes(&v["chain"]),
        ["0", "65", "6540", "6542", "654201", "654201200"]
    );

    // Designations and secondary relations.
    let v = s.get("/units/420100", 200);
    assert_eq!(v["code"], "4201");
    let designations = v["designations"].as_array().unwrap();
    assert!(designations.contains(&"sub_provincial".into()), "{v}");
    let v = s.get("/units/420281", 200); // 大冶市, entrusted by 湖北
    assert_eq!(v["relations_in"][0]["unit"]["code"], "42");
    assert_eq!(v["relations_in"][0]["relation"], "entrusted");

    // Bad input.
    let m = error_kind(&s.get("/units/999999", 404), "unknown_unit");
    assert_eq!(m, "no unit has code 999999");
    let m = error_kind(&s.get("/units/42x", 400), "invalid_code");
    assert!(m.contains("invalid character 'x'"), "{m}");
    error_kind(
        &s.get(&format!("/units/{}", encode("湖北")), 400),
        "invalid_code",
    );
}

fn search(s: &Server) {
    let v = s.get(&format!("/units?name={}", encode("朝阳区")), 200);
    assert_eq!(v["query"], "朝阳区");
    assert_eq!(codes(&v["units"]), ["110105", "220104"]);
    assert_eq!(v["count"], 2);
    assert_eq!(v["units"][1]["parent"]["name"], "长春市");

    let v = s.get(&format!("/units?name={}", encode("北京 朝阳区")), 200);
    assert_eq!(codes(&v["units"]), ["110105"]);
    let v = s.get(&format!("/units?name={}", encode("仙桃")), 200);
    assert_eq!(codes(&v["units"]), ["429004"]);
    let v = s.get(&format!("/units?name={}", encode("没有这个地方")), 200);
    assert_eq!(v["count"], 0);

    error_kind(&s.get("/units?name=", 400), "empty_parameter");
    error_kind(&s.get("/units?name=%20%20", 400), "empty_parameter");
    error_kind(&s.get("/units", 400), "missing_parameter");
    error_kind(&s.get("/units?name=a&name=b", 400), "invalid_query");
}

fn jurisdiction(s: &Server) {
    let v = s.get("/governs?authority=42&place=429004", 200);
    assert_eq!(v["governs"], true);
    assert_eq!(v["relation"], "administrative");
    assert_eq!(v["distance"], 1);
    assert_eq!(
        v["explanation"][0],
        "42 湖北省 -administrative-> 429004 仙桃市"
    );
    assert_eq!(v["authority"]["name"], "湖北省");
    assert_eq!(v["place"]["code"], "429004");

    // Entrusted management, the only relation asked for.
    let v = s.get(
        "/governs?authority=420000&place=420281&relations=entrusted",
        200,
    );
    assert_eq!(
        (v["relation"].as_str(), v["distance"].as_u64()),
        (Some("entrusted"), Some(1))
    );
    // By default the tree wins where it applies.
    let v = s.get("/governs?authority=42&place=420281", 200);
    assert_eq!(v["relation"], "administrative");
    assert_eq!(v["distance"], 2);
    assert_eq!(v["explanation"].as_array().unwrap().len(), 2);

    // An agency acts for the government above it.
    let v = s.get("/governs?authority=6542&place=654201200", 200);
    assert_eq!(v["acting_for"]["code"], "6540");

    // Not upwards, not sideways.
    let v = s.get("/governs?authority=4201&place=429004", 200);
    assert_eq!(v["governs"], false);
    assert!(v.get("relation").is_none() && v.get("explanation").is_none());

    error_kind(&s.get("/governs?authority=42", 400), "missing_parameter");
    error_kind(&s.get("/governs?place=42", 400), "missing_parameter");
    error_kind(
        &s.get("/governs?authority=&place=42", 400),
        "empty_parameter",
    );
    error_kind(
        &s.get("/governs?authority=42&place=nowhere", 400),
        "invalid_code",
    );
    error_kind(
        &s.get("/governs?authority=999999&place=42", 404),
        "unknown_unit",
    );
    let m = error_kind(
        &s.get(
            "/governs?authority=42&place=420281&relations=entrusted,bogus",
            400,
        ),
        "unknown_relation",
    );
    assert_eq!(m, "unknown relation `bogus`");
}

fn routing(s: &Server) {
    let v = s.post(
        "/route",
        r#"{"places": ["429004", "429005"], "category": "environment"}"#,
        200,
    );
    assert_eq!(v["handler"]["code"], "42");
    assert_eq!(v["level"], "provincial");
    assert_eq!(v["tiers"], 1);
    assert_eq!(v["required_level"], "county");
    assert_eq!(v["start"]["code"], "42");
    assert_eq!(codes(&v["places"]), ["429004", "429005"]);
    assert_eq!(codes(&v["parties"]), ["429004", "429005"]);
    assert_eq!(codes(&v["escalation"]), ["0"]);
    assert_eq!(v["policy"], "china-default");
    let trace = v["trace"].as_array().unwrap();
    assert_eq!(
        trace[0],
        "2 places meet at 42 湖北省, their lowest common ancestor"
    );
    assert!(
        trace
            .last()
            .unwrap()
            .as_str()
            .unwrap()
            .ends_with("handles the case")
    );

    // Severity and scale raise the level.
    let v = s.post(
        "/route",
        r#"{"places": ["420106"], "category": "emergency", "severity": "major"}"#,
        200,
    );
    assert_eq!(v["handler"]["code"], "4201");
    assert_eq!(codes(&v["escalation"]), ["42", "0"]);
    let v = s.post(
        "/route",
        r#"{"places": ["320582"], "category": "environment", "people": 20000}"#,
        200,
    );
    assert_eq!(v["handler"]["name"], "苏州市");

    // Bad input: 400 for what is not JSON, 422 for a case that cannot be taken.
    error_kind(&s.post("/route", "{", 400), "malformed_json");
    error_kind(&s.post("/route", "", 400), "malformed_json");
    error_kind(
        &s.post("/route", r#"{"places": "42", "category": "x"}"#, 422),
        "invalid_body",
    );
    error_kind(
        &s.post("/route", r#"{"category": "petition"}"#, 422),
        "invalid_body",
    );
    error_kind(
        &s.post(
            "/route",
            r#"{"places": ["42"], "category": "petition", "people": -1}"#,
            422,
        ),
        "invalid_body",
    );
    error_kind(
        &s.post(
            "/route",
            r#"{"places": ["42"], "category": "petition", "colour": 1}"#,
            422,
        ),
        "invalid_body",
    );
    error_kind(
        &s.post("/route", r#"{"places": [], "category": "petition"}"#, 422),
        "no_places",
    );
    let m = error_kind(
        &s.post(
            "/route",
            r#"{"places": ["999999"], "category": "petition"}"#,
            422,
        ),
        "unknown_place",
    );
    assert_eq!(m, "unknown place 999999");
    let m = error_kind(
        &s.post(
            "/route",
            r#"{"places": ["42"], "category": "parking"}"#,
            422,
        ),
        "unknown_category",
    );
    assert_eq!(m, "unknown category `parking`");
    error_kind(
        &s.post(
            "/route",
            r#"{"places": ["42"], "category": "emergency", "severity": "apocalyptic"}"#,
            422,
        ),
        "unknown_severity",
    );
    let many = format!(
        r#"{{"places": [{}], "category": "petition"}}"#,
        vec![r#""42""#; xzqh_server::MAX_PLACES + 1].join(",")
    );
    error_kind(&s.post("/route", &many, 422), "too_many_places");
}

fn unknown_paths_and_methods(s: &Server) {
    let m = error_kind(&s.get("/nowhere", 404), "not_found");
    assert_eq!(m, "no endpoint GET /nowhere");
    let r = s.request("GET", "/route", None);
    assert_eq!(r.status, 405);
    error_kind(&r.json(), "method_not_allowed");
    let r = s.request("DELETE", "/units/42", None);
    assert_eq!(r.status, 405);
}

// ---- hostile clients: timeouts, the connection cap, bounded error bodies ----

/// Limits with short timeouts, for clients that stall.
fn short(max_connections: usize) -> xzqh_server::Limits {
    xzqh_server::Limits {
        header_timeout: Duration::from_millis(300),
        request_timeout: Duration::from_millis(300),
        max_connections,
        ..xzqh_server::Limits::default()
    }
}

/// A connection that has sent `bytes`, with a 10 s read timeout.
fn stalled(s: &Server, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(s.addr).expect("connect to the service");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(bytes).expect("send");
    stream
}

#[test]
fn a_partial_header_is_dropped() {
    let s = Server::with_limits(short(8));
    let mut c = stalled(&s, b"GET /health HTTP/1.1\r\nHost: x\r\n");
    let answer = read_until_closed(&mut c);
    // hyper closes without an answer, or with a 408.
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
        "{answer:?}"
    );
    // Nothing sent at all: dropped the same way.
    let mut c = stalled(&s, b"");
    read_until_closed(&mut c);
}

#[test]
fn an_idle_connection_is_dropped() {
    let s = Server::with_limits(short(8));
    let mut c = stalled(&s, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    let answer = read_until_closed(&mut c);
    assert!(
        answer.starts_with(b"HTTP/1.1 200 OK"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[test]
fn a_stalled_body_gets_408_and_the_connection_closes() {
    let s = Server::with_limits(short(8));
    let mut c = stalled(
        &s,
        b"POST /route HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"places\":",
    );
    let answer = String::from_utf8_lossy(&read_until_closed(&mut c)).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.ends_with(
            r#"{"error":"the request was not complete within 300 ms","kind":"timeout"}"#
        ),
        "{answer}"
    );
}

#[test]
fn the_connection_cap_holds_and_frees() {
    // Two stalled clients fill the cap; a third is served once they are dropped.
    let s = Server::with_limits(short(2));
    let mut first = stalled(&s, b"GET /health HTTP/1.1\r\n");
    let mut second = stalled(&s, b"GET /health HTTP/1.1\r\n");
    let third = s.request("GET", "/health", None);
    assert_eq!(third.status, 200);
    read_until_closed(&mut first);
    read_until_closed(&mut second);
    // Many slow clients at once: each is dropped, the service still answers.
    let slow: Vec<TcpStream> = (0..50).map(|_| stalled(&s, b"GET /heal")).collect();
    assert_eq!(s.request("GET", "/health", None).status, 200);
    for mut c in slow {
        read_until_closed(&mut c);
    }
}

#[test]
fn error_bodies_are_bounded() {
    let s = Server::start();
    let long = "1".repeat(30_000);
    for (method, target, body) in [
        ("GET", format!("/units/{long}"), None),
        ("GET", format!("/nowhere/{long}"), None),
        ("GET", format!("/governs?authority=11&place={long}"), None),
        (
            "POST",
            "/route".to_owned(),
            Some(format!(r#"{{"places":["{long}"],"category":"x"}}"#)),
        ),
        (
            "POST",
            "/route".to_owned(),
            Some(format!(r#"{{"places":["11"],"category":"{long}"}}"#)),
        ),
        (
            "POST",
            "/route".to_owned(),
            Some(format!(r#"{{"places":["11"],"{long}":1}}"#)),
        ),
        (
            "POST",
            "/route".to_owned(),
            Some(format!(r#"{{"places":[{long}"#)),
        ),
    ] {
        let r = s.request(method, &target, body.as_deref());
        assert!(r.status >= 400, "{method} {}: {}", &target[..20], r.status);
        assert!(
            r.body.len() <= xzqh_server::MAX_ERROR_BYTES + 100,
            "{method} {}: {} bytes",
            &target[..20],
            r.body.len()
        );
    }
    // A body beyond the limit is refused.
    let big = format!(
        r#"{{"places":["11"],"category":"{}"}}"#,
        "x".repeat(300 << 10)
    );
    let r = s.request("POST", "/route", Some(&big));
    assert_eq!(r.status, 413);
    error_kind(&r.json(), "body_too_large");
}
