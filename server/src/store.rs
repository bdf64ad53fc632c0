//! The durable ledger: events in SQLite (WAL), a writer thread that
//! commits the events of many requests in one transaction, and the ledger
//! readers see.
//!
//! # The write path
//!
//! Requests hand their events to the writer thread over a bounded channel
//! and wait for its answer. The writer takes every request waiting (up to
//! [`MAX_GROUP_EVENTS`] events) as one group and, for each request in
//! turn, applies its events to a **trial** ledger the writer alone holds:
//! an event the ledger refuses refuses its whole request (the trial ledger
//! is rebuilt from the live one when the refused event was not the
//! request's first: nothing is half-applied). The accepted requests'
//! events are then written to SQLite in one transaction, and only once it
//! is committed are the requests answered (with the escalations the trial
//! ledger saw) and the events applied to the **live** ledger, behind a
//! read-write lock: readers never see an event that is not durable. One
//! commit (one `fsync` with `synchronous = FULL`) serves every request of
//! the group.
//!
//! # Snapshots and the state on start
//!
//! Every `snapshot_every` events a thread serializes the live ledger (the
//! ledger's own JSON, [`Ledger::to_json`]) while readers go on reading it;
//! meanwhile ingestion goes on and the live ledger lags behind the
//! acknowledged events, which it takes once the snapshot is made. The
//! writer stores the snapshot in its own transaction. On start the state
//! is the latest snapshot and every event after it, replayed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::Instant;

use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::{broadcast, mpsc, oneshot};
use xzqh::Hierarchy;
use xzqh::matters::{EventRecord, Ledger, LedgerError, MatterRules};
use xzqh::routing::Router;

/// Most events the writer commits in one transaction.
pub const MAX_GROUP_EVENTS: usize = 8192;
/// Requests waiting for the writer at most; more wait for room.
const QUEUE: usize = 1024;
/// Escalations the stream keeps for slow subscribers: one that falls
/// further behind is dropped.
pub const STREAM_BUFFER: usize = 1024;

/// Where and how the ledger is kept.
///
/// # Examples
///
/// ```
/// let o = xzqh_server::StoreOptions::new("ledger.sqlite3");
/// assert_eq!(o.snapshot_every, 100_000);
/// ```
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// The SQLite database file (created if missing).
    pub path: PathBuf,
    /// Write a snapshot every this many events (0: never).
    pub snapshot_every: u64,
    /// The ledger's rules.
    pub rules: MatterRules,
}

impl StoreOptions {
    /// The database at `path`, a snapshot every 100,000 events, China's
    /// matter rules.
    ///
    /// # Examples
    ///
    /// See [`StoreOptions`].
    pub fn new(path: impl Into<PathBuf>) -> Self {
        StoreOptions {
            path: path.into(),
            snapshot_every: 100_000,
            rules: xzqh::china::matter_rules(),
        }
    }
}

/// Why the store could not open.
///
/// # Examples
///
/// See [`Store`].
#[derive(Debug)]
pub enum StoreError {
    /// SQLite's error.
    Db(rusqlite::Error),
    /// The database holds something this build cannot take.
    Invalid(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "database: {e}"),
            StoreError::Invalid(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Db(e)
    }
}

/// Why a request's events were not taken.
///
/// # Examples
///
/// See [`Store`].
#[derive(Debug)]
pub enum IngestError {
    /// The ledger refused event `index` of the request.
    Refused {
        /// Its index in the request.
        index: usize,
        /// The ledger's reason.
        error: LedgerError,
    },
    /// The database failed; nothing of the request was kept.
    Unavailable(String),
    /// The ledger failed on an event (a bug); nothing of the request was
    /// kept.
    Internal(String),
}

/// What a request's events did, once durable.
///
/// # Examples
///
/// See [`Store`].
#[derive(Debug)]
pub struct Committed {
    /// Events taken.
    pub accepted: usize,
    /// The sequence number of the last one.
    pub seq: u64,
    /// The escalations they caused, as JSON objects.
    pub escalations: Vec<Arc<str>>,
}

struct Job {
    events: Vec<EventRecord>,
    reply: oneshot::Sender<Result<Committed, IngestError>>,
}

/// Counters the metrics endpoint reads.
///
/// # Examples
///
/// See [`Store`].
#[derive(Debug, Default)]
pub struct StoreStats {
    /// Events durable in the database.
    pub events: AtomicU64,
    /// Transactions committed.
    pub commits: AtomicU64,
    /// Requests refused by the ledger.
    pub refused: AtomicU64,
    /// Snapshots written.
    pub snapshots: AtomicU64,
    /// Sequence number of the latest snapshot.
    pub snapshot_seq: AtomicU64,
    /// Escalations since start.
    pub escalations: AtomicU64,
    /// Commit time, microseconds, summed.
    pub commit_micros: AtomicU64,
}

/// The durable ledger: the live ledger for readers, the writer thread for
/// events, and the escalation broadcast.
///
/// # Examples
///
/// ```
/// use xzqh::matters::EventRecord;
/// let router = Box::leak(Box::new(xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?));
/// let path = std::env::temp_dir().join(format!("xzqh-store-doc-{}.sqlite3", std::process::id()));
/// let store = xzqh_server::Store::open(router, &xzqh_server::StoreOptions::new(&path))?;
/// let runtime = tokio::runtime::Runtime::new()?;
/// let done = runtime
///     .block_on(store.ingest(vec![EventRecord::Tick { at: 1_700_000_000 }]))
///     .expect("a tick is taken");
/// assert_eq!((done.accepted, done.seq), (1, 1));
/// assert_eq!(store.read().now(), Some(1_700_000_000));
/// assert_eq!(store.stats().events.load(std::sync::atomic::Ordering::Relaxed), 1);
/// drop(store);
/// # for end in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{end}", path.display())); }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Store {
    live: Arc<RwLock<Ledger<'static>>>,
    jobs: Option<mpsc::Sender<Msg>>,
    writer: Option<std::thread::JoinHandle<()>>,
    escalations: broadcast::Sender<Arc<str>>,
    stats: Arc<StoreStats>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn open(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a committed transaction survives a power cut, not only a
    // crash of the process.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // The snapshot thread's connection writes between the writer's
    // commits: each waits for the other's short transactions.
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY, parts INTEGER NOT NULL);
         CREATE TABLE IF NOT EXISTS snapshot_parts (
             seq INTEGER NOT NULL, part INTEGER NOT NULL, body BLOB NOT NULL,
             PRIMARY KEY (seq, part));",
    )?;
    let format: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match format.as_deref() {
        None => {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('format', 'xzqh-ledger-1')",
                [],
            )?;
        }
        Some("xzqh-ledger-1") => {
            // The parts of a snapshot a crash left unfinished.
            conn.execute(
                "DELETE FROM snapshot_parts WHERE seq NOT IN (SELECT seq FROM snapshots)",
                [],
            )?;
        }
        Some(other) => {
            return Err(StoreError::Invalid(format!(
                "{}: a database of format `{other}`, not xzqh-ledger-1",
                path.display()
            )));
        }
    }
    Ok(conn)
}

/// The ledger the database holds: its latest snapshot and the events
/// after it. Returns the ledger and the last sequence number.
fn recover(
    conn: &Connection,
    router: &'static Router<&'static Hierarchy>,
    rules: &MatterRules,
) -> Result<(Ledger<'static>, u64), StoreError> {
    let latest: Option<i64> = conn
        .query_row("SELECT max(seq) FROM snapshots", [], |r| r.get(0))
        .optional()?
        .flatten();
    let snapshot = match latest {
        None => None,
        Some(seq) => {
            let mut body = Vec::new();
            let mut stmt =
                conn.prepare("SELECT body FROM snapshot_parts WHERE seq = ?1 ORDER BY part")?;
            let mut rows = stmt.query(params![seq])?;
            while let Some(row) = rows.next()? {
                let part: Vec<u8> = row.get(0)?;
                body.extend_from_slice(&part);
            }
            Some((seq, body))
        }
    };
    let limits = xzqh::LoadLimits::default().with_max_bytes(usize::MAX);
    let (mut ledger, from) = match snapshot {
        Some((seq, body)) => match Ledger::from_json(router, &body, &limits) {
            Ok(l) => (l, seq),
            Err(e) => {
                tracing::warn!(seq, error = %e, "snapshot unreadable: replaying every event");
                (new_ledger(router, rules)?, 0)
            }
        },
        None => (new_ledger(router, rules)?, 0),
    };
    let mut stmt = conn.prepare("SELECT seq, body FROM events WHERE seq > ?1 ORDER BY seq")?;
    let mut rows = stmt.query(params![from])?;
    let mut last = from;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let body: String = row.get(1)?;
        let record: EventRecord = serde_json::from_str(&body)
            .map_err(|e| StoreError::Invalid(format!("event {seq}: {e}")))?;
        ledger.apply_record(&record).map_err(|e| {
            StoreError::Invalid(format!(
                "event {seq} no longer applies ({e}): start with the policy and rules the ledger was written under"
            ))
        })?;
        last = seq;
    }
    Ok((ledger, last as u64))
}

fn new_ledger(
    router: &'static Router<&'static Hierarchy>,
    rules: &MatterRules,
) -> Result<Ledger<'static>, StoreError> {
    Ledger::new(router, rules.clone())
        .map_err(|e| StoreError::Invalid(format!("matter rules: {e}")))
}

impl Store {
    /// Opens (or creates) the database and rebuilds the ledger from it;
    /// starts the writer thread.
    ///
    /// # Errors
    ///
    /// SQLite's errors; a database of another format; an event that the
    /// ledger (under this router's policy and these rules) refuses.
    ///
    /// # Examples
    ///
    /// See [`Store`].
    pub fn open(
        router: &'static Router<&'static Hierarchy>,
        options: &StoreOptions,
    ) -> Result<Store, StoreError> {
        let started = Instant::now();
        let conn = open(&options.path)?;
        let (ledger, seq) = recover(&conn, router, &options.rules)?;
        let stats = Arc::new(StoreStats::default());
        stats.events.store(seq, Ordering::Relaxed);
        let snapshot_seq: Option<i64> = conn
            .query_row("SELECT max(seq) FROM snapshots", [], |r| r.get(0))
            .optional()?
            .flatten();
        stats
            .snapshot_seq
            .store(snapshot_seq.unwrap_or(0) as u64, Ordering::Relaxed);
        tracing::info!(
            db = %options.path.display(),
            seq,
            matters = ledger.matters().len(),
            cases = ledger.cases().len(),
            millis = started.elapsed().as_millis() as u64,
            "ledger recovered"
        );
        let trial = ledger.clone();
        let live = Arc::new(RwLock::new(ledger));
        let (jobs, rx) = mpsc::channel(QUEUE);
        let (escalations, _) = broadcast::channel(STREAM_BUFFER);
        let writer = Writer {
            conn,
            h: router.hierarchy(),
            live: live.clone(),
            trial,
            lagging: Vec::new(),
            next_seq: seq + 1,
            since_snapshot: seq - snapshot_seq.unwrap_or(0) as u64,
            snapshot_every: options.snapshot_every,
            snapshotting: false,
            path: options.path.clone(),
            snapshot_thread: None,
            wake: jobs.downgrade(),
            escalations: escalations.clone(),
            stats: stats.clone(),
        };
        let writer = std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| StoreError::Invalid(format!("cannot start the writer: {e}")))?;
        Ok(Store {
            live,
            jobs: Some(jobs),
            writer: Some(writer),
            escalations,
            stats,
            path: options.path.clone(),
        })
    }

    /// Makes `events` durable and applies them, all or none; answers once
    /// they are committed.
    ///
    /// # Errors
    ///
    /// [`IngestError::Refused`] with the first event the ledger refuses
    /// (nothing of the request is kept); [`IngestError::Unavailable`] if
    /// the database fails or the store is closing.
    ///
    /// # Examples
    ///
    /// See [`Store`].
    pub async fn ingest(&self, events: Vec<EventRecord>) -> Result<Committed, IngestError> {
        let (reply, answer) = oneshot::channel();
        let jobs = self
            .jobs
            .as_ref()
            .ok_or_else(|| IngestError::Unavailable("the ledger is closing".into()))?;
        jobs.send(Msg::Events(Job { events, reply }))
            .await
            .map_err(|_| IngestError::Unavailable("the ledger is closing".into()))?;
        answer
            .await
            .map_err(|_| IngestError::Unavailable("the ledger writer stopped".into()))?
    }

    /// The live ledger, for reading.
    ///
    /// # Examples
    ///
    /// See [`Store`].
    pub fn read(&self) -> RwLockReadGuard<'_, Ledger<'static>> {
        self.live
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A receiver of every escalation from now on (JSON objects).
    ///
    /// # Examples
    ///
    /// See [`Store`].
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.escalations.subscribe()
    }

    /// Subscribers of the escalation stream.
    ///
    /// # Examples
    ///
    /// See [`Store`].
    pub fn subscribers(&self) -> usize {
        self.escalations.receiver_count()
    }

    /// The counters.
    ///
    /// # Examples
    ///
    /// See [`Store`].
    pub fn stats(&self) -> &StoreStats {
        &self.stats
    }

    /// Stops taking events, lets the writer finish what it holds, and
    /// waits for it.
    ///
    /// # Examples
    ///
    /// See [`Store`].
    pub fn close(&mut self) {
        self.jobs = None;
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.close();
    }
}

/// What the writer receives.
enum Msg {
    /// A request's events.
    Events(Job),
    /// The snapshot thread has read the live ledger: it may take events
    /// again.
    SnapshotRead,
}

/// The writer thread's state.
struct Writer {
    conn: Connection,
    h: &'static Hierarchy,
    live: Arc<RwLock<Ledger<'static>>>,
    /// The live ledger with [`Writer::lagging`] applied, between groups;
    /// events are tried on it.
    trial: Ledger<'static>,
    /// Committed events the live ledger does not have yet: it is not
    /// written to while a snapshot of it is being made.
    lagging: Vec<EventRecord>,
    next_seq: u64,
    since_snapshot: u64,
    snapshot_every: u64,
    /// A snapshot thread is reading the live ledger.
    snapshotting: bool,
    /// The database, for the snapshot thread's own connection.
    path: PathBuf,
    snapshot_thread: Option<std::thread::JoinHandle<()>>,
    /// For the snapshot thread's answer (weak: the channel closes when the
    /// store drops its sender).
    wake: mpsc::WeakSender<Msg>,
    escalations: broadcast::Sender<Arc<str>>,
    stats: Arc<StoreStats>,
}

impl Writer {
    fn run(mut self, mut rx: mpsc::Receiver<Msg>) {
        while let Some(first) = rx.blocking_recv() {
            let mut group = Vec::new();
            let mut size = 0;
            let mut next = Some(first);
            while let Some(msg) = next.take() {
                match msg {
                    Msg::Events(job) => {
                        size += job.events.len();
                        group.push(job);
                    }
                    Msg::SnapshotRead => self.snapshotting = false,
                }
                if size < MAX_GROUP_EVENTS {
                    next = rx.try_recv().ok();
                }
            }
            if !group.is_empty() {
                self.group(group);
            }
            self.catch_up();
            self.maybe_snapshot();
        }
        if let Some(t) = self.snapshot_thread.take() {
            let _ = t.join();
        }
        tracing::info!(seq = self.next_seq - 1, "ledger writer stopped");
    }

    /// Applies the lagging events to the live ledger, unless a snapshot is
    /// reading it.
    fn catch_up(&mut self) {
        if self.lagging.is_empty() || self.snapshotting {
            return;
        }
        let mut live = self
            .live
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for e in self.lagging.drain(..) {
            live.apply_record(&e)
                .expect("an event the trial ledger took applies to the live one");
        }
    }

    /// The trial ledger made equal to the live one with the lagging events
    /// again, with `jobs` (already tried and accepted) applied.
    fn restore(&mut self, jobs: &[(Job, Vec<Arc<str>>)]) {
        self.trial = self
            .live
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let again = self
            .lagging
            .iter()
            .chain(jobs.iter().flat_map(|j| &j.0.events));
        for e in again {
            self.trial
                .apply_record(e)
                .expect("an event the trial ledger took applies again");
        }
    }

    fn group(&mut self, group: Vec<Job>) {
        let mut accepted: Vec<(Job, Vec<Arc<str>>)> = Vec::with_capacity(group.len());
        for job in group {
            let before = self.trial.escalations().len();
            let mut refused = None;
            for (index, e) in job.events.iter().enumerate() {
                // A panic in the ledger (a bug) must not take the writer,
                // and every request after it, down: the request gets a 500
                // and the trial ledger is rebuilt.
                let tried = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.trial.apply_record(e)
                }));
                match tried {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => {
                        refused = Some((index, IngestError::Refused { index, error }));
                        break;
                    }
                    Err(_) => {
                        tracing::error!(index, "the ledger panicked on an event: refused");
                        let e = IngestError::Internal(format!("event {index}: the ledger failed"));
                        refused = Some((usize::MAX, e));
                        break;
                    }
                }
            }
            match refused {
                None => {
                    let h = self.h;
                    let escalations = self
                        .trial
                        .escalations()
                        .skip(before)
                        .enumerate()
                        .map(|(i, e)| {
                            Arc::from(crate::ledger_api::escalation_json(h, &e, before + i))
                        })
                        .collect();
                    accepted.push((job, escalations));
                }
                Some((index, error)) => {
                    // The first event refused leaves the trial ledger as it
                    // was; a later one, or a panic, does not.
                    if index > 0 {
                        self.restore(&accepted);
                    }
                    self.stats.refused.fetch_add(1, Ordering::Relaxed);
                    let _ = job.reply.send(Err(error));
                }
            }
        }
        if accepted.is_empty() {
            return;
        }
        let started = Instant::now();
        if let Err(e) = self.commit(&accepted) {
            tracing::error!(error = %e, "commit failed: the group's requests are refused");
            self.restore(&[]);
            for (job, _) in accepted {
                let _ = job
                    .reply
                    .send(Err(IngestError::Unavailable(format!("database: {e}"))));
            }
            return;
        }
        let micros = started.elapsed().as_micros() as u64;
        self.stats.commits.fetch_add(1, Ordering::Relaxed);
        self.stats
            .commit_micros
            .fetch_add(micros, Ordering::Relaxed);
        let mut seq = self.next_seq;
        let mut answers = Vec::with_capacity(accepted.len());
        for (job, escalations) in accepted {
            let n = job.events.len() as u64;
            seq += n;
            self.since_snapshot += n;
            self.stats
                .escalations
                .fetch_add(escalations.len() as u64, Ordering::Relaxed);
            for e in &escalations {
                // No subscriber is no error.
                let _ = self.escalations.send(e.clone());
            }
            let Job { events, reply } = job;
            self.lagging.extend(events);
            let answer = Committed {
                accepted: n as usize,
                seq: seq - 1,
                escalations,
            };
            answers.push((reply, answer));
        }
        self.next_seq = seq;
        self.stats.events.store(seq - 1, Ordering::Relaxed);
        // A client reads its own events once answered (unless a snapshot
        // holds the live ledger: then they follow when it is made).
        self.catch_up();
        for (reply, answer) in answers {
            let _ = reply.send(Ok(answer));
        }
    }

    fn commit(&mut self, jobs: &[(Job, Vec<Arc<str>>)]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached("INSERT INTO events (seq, body) VALUES (?1, ?2)")?;
            let mut seq = self.next_seq;
            for (job, _) in jobs {
                for e in &job.events {
                    let body = serde_json::to_string(e).expect("an event record serializes");
                    insert.execute(params![seq as i64, body])?;
                    seq += 1;
                }
            }
        }
        tx.commit()
    }

    /// Starts a snapshot when one is due and the last one is written: a
    /// thread serializes the live ledger (readers go on; the live ledger
    /// takes no events meanwhile, they wait in `lagging`), then writes it
    /// in parts of 4 MiB, each its own transaction, so the writer's commits
    /// go on between them; the last transaction makes it the latest.
    fn maybe_snapshot(&mut self) {
        if self.snapshot_every == 0
            || self.since_snapshot < self.snapshot_every
            || self.snapshotting
            || !self.lagging.is_empty()
            || self
                .snapshot_thread
                .as_ref()
                .is_some_and(|t| !t.is_finished())
        {
            return;
        }
        let Some(wake) = self.wake.upgrade() else {
            return;
        };
        if let Some(t) = self.snapshot_thread.take() {
            let _ = t.join();
        }
        let seq = self.next_seq - 1;
        let live = self.live.clone();
        let path = self.path.clone();
        let stats = self.stats.clone();
        let spawned = std::thread::Builder::new()
            .name("ledger-snapshot".into())
            .spawn(move || {
                let started = Instant::now();
                let body = live
                    .read()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .to_json();
                let read = started.elapsed();
                let _ = wake.blocking_send(Msg::SnapshotRead);
                drop(wake);
                match write_snapshot(&path, seq, body.as_bytes()) {
                    Ok(()) => {
                        stats.snapshots.fetch_add(1, Ordering::Relaxed);
                        stats.snapshot_seq.store(seq, Ordering::Relaxed);
                        tracing::info!(
                            seq,
                            bytes = body.len(),
                            read_millis = read.as_millis() as u64,
                            millis = started.elapsed().as_millis() as u64,
                            "snapshot written"
                        );
                    }
                    Err(e) => {
                        tracing::error!(seq, error = %e, "snapshot failed; the events keep the state")
                    }
                }
            });
        match spawned {
            Ok(t) => {
                self.snapshotting = true;
                self.since_snapshot = 0;
                self.snapshot_thread = Some(t);
            }
            Err(e) => tracing::error!(error = %e, "cannot start a snapshot thread"),
        }
    }
}

/// Bytes of a snapshot part: one transaction's worth.
const SNAPSHOT_PART: usize = 4 << 20;

/// Writes a snapshot in parts, then makes it the latest and drops the
/// older ones.
fn write_snapshot(path: &Path, seq: u64, body: &[u8]) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    let mut parts = 0i64;
    for part in body.chunks(SNAPSHOT_PART) {
        conn.execute(
            "INSERT OR REPLACE INTO snapshot_parts (seq, part, body) VALUES (?1, ?2, ?3)",
            params![seq as i64, parts, part],
        )?;
        parts += 1;
    }
    let mut conn = conn;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT OR REPLACE INTO snapshots (seq, parts) VALUES (?1, ?2)",
        params![seq as i64, parts],
    )?;
    tx.execute("DELETE FROM snapshots WHERE seq < ?1", params![seq as i64])?;
    tx.execute(
        "DELETE FROM snapshot_parts WHERE seq < ?1",
        params![seq as i64],
    )?;
    tx.commit()
}
