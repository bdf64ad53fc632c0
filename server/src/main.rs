//! The xzqh service: China's embedded data, the default routing and desk
//! policies, and a durable matters ledger in SQLite, as JSON over HTTP.
//! The API is in `lib.rs` beside this file and in `openapi.json`
//! (served at `/openapi.json`).
//!
//! Run with `cargo run --release -p xzqh-server` (then
//! <http://127.0.0.1:3000/>); `--help` lists the flags. For example:
//!
//! ```text
//! curl 127.0.0.1:3000/units/429004
//! curl '127.0.0.1:3000/resolve?text=%E6%B7%B1%E5%9C%B3%E5%B8%82%E5%8D%97%E5%B1%B1%E5%8C%BA'   # 深圳市南山区
//! curl -d '{"places": ["429004", "429005"], "category": "environment"}' 127.0.0.1:3000/route
//! curl -d '{"event": "arrive", "case": "c1", "matter": "m1", "category": "petition",
//!           "places": [{"code": "110105"}], "at": 1700000000}' 127.0.0.1:3000/events
//! curl 127.0.0.1:3000/rollup/root
//! ```
//!
//! SIGTERM (or Ctrl-C) stops accepting connections, lets the requests in
//! flight finish and the ledger's writer commit what it holds, then exits
//! 0. SIGHUP reloads the routing policy and the directory from `--policy`
//! and `--directory` (as `POST /admin/reload` does).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// The xzqh service: units, addresses, routing and a durable matters
/// ledger as JSON over HTTP.
#[derive(Debug, Parser)]
#[command(name = "xzqh-server", version)]
struct Args {
    /// Address to listen on (port 0: any free port; the one chosen is
    /// printed).
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// The ledger's SQLite database (created if missing).
    #[arg(long, default_value = "xzqh-ledger.sqlite3")]
    db: PathBuf,
    /// Write a snapshot of the ledger every this many events (0: never).
    #[arg(long, default_value_t = 100_000)]
    snapshot_every: u64,
    /// Routing policy file (TOML, or JSON by its extension), read at start
    /// and on reload; without it, China's default policy.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Directory of bodies (CSV, or JSON by its extension), read at start
    /// and on reload; without it, every unit has its level's standard bodies.
    #[arg(long)]
    directory: Option<PathBuf>,
    /// Longest wait for a request's head, in milliseconds (also the idle
    /// timeout of a kept-alive connection).
    #[arg(long, default_value_t = 10_000)]
    header_timeout_ms: u64,
    /// Longest time to read a request's body and answer it, in milliseconds.
    #[arg(long, default_value_t = 30_000)]
    request_timeout_ms: u64,
    /// Longest a connection may leave an answer unread, in milliseconds:
    /// then it is dropped (a stalled reader, a stream client that lags).
    #[arg(long, default_value_t = 30_000)]
    write_timeout_ms: u64,
    /// Most connections served at once; more wait in the listen backlog.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_body_bytes: usize,
    /// Seconds between the escalation stream's keep-alive comments.
    #[arg(long, default_value_t = 15)]
    keep_alive_secs: u64,
    /// Most escalation stream clients at once (more get a 503).
    #[arg(long, default_value_t = 256)]
    max_streams: usize,
    /// Threads answering requests (default: one per core). Where a client
    /// or another busy process shares the machine, fewer threads than cores
    /// keep the tail latency down: a thread the scheduler parks holds its
    /// requests for a whole time slice.
    #[arg(long)]
    workers: Option<usize>,
    /// Log filter (`info`, `debug` for a line per request, `warn`,
    /// `xzqh_server=debug`…); RUST_LOG overrides it.
    #[arg(long, default_value = "info")]
    log: String,
}

fn main() {
    let args = Args::parse();
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| args.log.clone());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&filter)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = args.workers {
        builder.worker_threads(n.max(1));
    }
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("xzqh-server: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run(args)) {
        tracing::error!(error = %e, "xzqh-server stopped");
        eprintln!("xzqh-server: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut config = xzqh_server::Config::china();
    if let Some(p) = &args.policy {
        config.policy = xzqh_server::load_policy(p)?;
    }
    if let Some(p) = &args.directory {
        config.directory = xzqh_server::load_directory(p)?;
    }
    config.policy_file = args.policy.clone();
    config.directory_file = args.directory.clone();
    config.keep_alive = Duration::from_secs(args.keep_alive_secs.max(1));
    config.max_streams = args.max_streams;

    // The ledger borrows its router for the life of the process: one,
    // leaked, under the policy at start (reloads change the routes'
    // policy, not the ledger's: its state must replay the same).
    let router: &'static xzqh::routing::Router<&'static xzqh::Hierarchy> = Box::leak(Box::new(
        xzqh::routing::Router::new(config.hierarchy, config.policy.clone())?,
    ));
    let mut options = xzqh_server::StoreOptions::new(&args.db);
    options.snapshot_every = args.snapshot_every;
    let store = tokio::task::block_in_place(|| xzqh_server::Store::open(router, &options))?;
    let service = xzqh_server::Service::new(config, Some(store))?;
    let app = service.app();

    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, db = %args.db.display(), "listening");
    println!("listening on http://{addr}");
    let limits = xzqh_server::Limits {
        header_timeout: Duration::from_millis(args.header_timeout_ms),
        request_timeout: Duration::from_millis(args.request_timeout_ms),
        write_timeout: Duration::from_millis(args.write_timeout_ms),
        max_connections: args.max_connections,
        max_body_bytes: args.max_body_bytes,
    };

    let reloader = service.clone();
    let stopper = service.clone();
    xzqh_server::serve(listener, app, limits, async move {
        signals(&reloader).await;
        tracing::info!("shutting down: draining the requests in flight");
        stopper.close_streams();
    })
    .await?;
    // Every connection is done: the last handle on the service closes the
    // ledger, whose writer commits what it holds before it stops.
    tokio::task::block_in_place(move || drop(service));
    tracing::info!("stopped");
    Ok(())
}

/// Waits for SIGTERM or SIGINT, reloading on each SIGHUP meanwhile.
#[cfg(unix)]
async fn signals(service: &std::sync::Arc<xzqh_server::Service>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        // No handlers: stop on Ctrl-C alone.
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    loop {
        tokio::select! {
            _ = term.recv() => return,
            _ = tokio::signal::ctrl_c() => return,
            _ = hup.recv() => {
                let s = service.clone();
                // Reading and compiling files blocks: off the runtime's workers.
                let _ = tokio::task::spawn_blocking(move || xzqh_server::reload_logged(&s)).await;
            }
        }
    }
}

#[cfg(not(unix))]
async fn signals(_service: &std::sync::Arc<xzqh_server::Service>) {
    let _ = tokio::signal::ctrl_c().await;
}
