//! A plain HTTP/1.1 client on `std::net::TcpStream` for the service tests,
//! and the real binary started on an ephemeral port with a temporary
//! database.
//!
//! The client is hand-written rather than a crate: the tests need one
//! request per connection and a status line, headers and a body back, and
//! a client crate would add a second HTTP stack to the build for that.

#![allow(dead_code)] // each test file uses its part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A response: status code, headers (lowercase names) and body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "status {}: {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&self.body));
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Percent-encodes a query value (UTF-8 bytes; unreserved characters kept).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Decodes a chunked body.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let size_text = std::str::from_utf8(&raw[..line_end]).expect("ascii chunk size");
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("a hex chunk size");
        raw = &raw[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// Parses a whole response (the connection closed after it).
pub fn parse(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("a header block in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("ascii headers");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("a status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut reply = Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    if reply.header("transfer-encoding") == Some("chunked") {
        reply.body = dechunk(&reply.body);
    }
    reply
}

/// A connection with 10 s read and write timeouts.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect to the service");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// The request's bytes (`Connection: close`), with extra headers.
pub fn request_bytes(
    addr: SocketAddr,
    method: &str,
    target: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> String {
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body.unwrap_or(""));
    req
}

/// One request on a fresh connection.
pub fn request_with(
    addr: SocketAddr,
    method: &str,
    target: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut stream = connect(addr);
    stream
        .write_all(request_bytes(addr, method, target, body, headers).as_bytes())
        .expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    parse(&raw)
}

/// Something that answers HTTP on an address.
pub trait Client {
    fn addr(&self) -> SocketAddr;

    fn request(&self, method: &str, target: &str, body: Option<&str>) -> Reply {
        request_with(self.addr(), method, target, body, &[])
    }

    #[track_caller]
    fn get(&self, target: &str, status: u16) -> Value {
        let r = self.request("GET", target, None);
        let v = r.json();
        assert_eq!(r.status, status, "GET {target}: {v}");
        v
    }

    #[track_caller]
    fn post(&self, target: &str, body: &str, status: u16) -> Value {
        let r = self.request("POST", target, Some(body));
        let v = r.json();
        assert_eq!(r.status, status, "POST {target} {body}: {v}");
        v
    }
}

/// Asserts a JSON error body of this kind and returns its message.
#[track_caller]
pub fn error_kind(v: &Value, kind: &str) -> String {
    assert_eq!(v["kind"], kind, "{v}");
    let message = v["error"].as_str().expect("an error message");
    assert!(!message.is_empty());
    message.to_owned()
}

pub fn codes(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .iter()
        .map(|u| u["code"].as_str().expect("a code"))
        .collect()
}

/// Reads until the server closes the connection; panics if it does not
/// within the read timeout.
#[track_caller]
pub fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    match stream.read_to_end(&mut out) {
        Ok(_) => out,
        // A reset is a close too.
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => out,
        Err(e) => panic!("the server kept the connection open: {e}"),
    }
}

/// A directory of its own under the system's temporary directory, removed
/// when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("xzqh-server-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The real `xzqh-server` binary, on 127.0.0.1 with a port of its choosing;
/// killed (SIGKILL) when dropped if still running.
pub struct Binary {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Binary {
    /// Starts the binary on `db` with the extra `args`; waits until it
    /// prints its address.
    pub fn start(db: &Path, args: &[&str]) -> Binary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xzqh-server"))
            .args(["--addr", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start xzqh-server");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!("xzqh-server did not print its address");
            }
        };
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            let status = child.wait();
            panic!("xzqh-server did not start: {line:?} {status:?}");
        };
        Binary {
            addr: addr.parse().expect("an address"),
            child,
        }
    }

    /// Sends a signal with `kill(1)`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name}");
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("wait for the child") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Client for Binary {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
