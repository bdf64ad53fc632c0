//! `xzqh resolve`: free-text addresses in bulk, on every core.
//!
//! The main thread reads the input in chunks of a few hundred KiB cut at a
//! line break, counts their lines and hands them to worker threads, which
//! live for the whole run. A worker checks a chunk's UTF-8, resolves its
//! lines (borrowed from the chunk: no string per line) and writes their
//! records into the chunk's output buffer, keeping a memo of the unit
//! fields it has written. Finished chunks come back to the main thread in
//! any order; it writes them in the input's order and gives their buffers
//! to the next chunks read. No thread waits for the others between chunks:
//! a worker slowed by other work on the machine takes fewer, and a fixed
//! number of chunks in flight bounds the memory.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use xzqh::Hierarchy;
use xzqh::address::{AddressResolver, Outcome, Resolution};

use crate::{Format, json_into};

/// Bytes read per chunk: a few milliseconds of work, so that the workers
/// stay busy to the end of the input and a chunk's output (about 4.6 times
/// its input in CSV) stays small.
const CHUNK: usize = 256 << 10;

/// Chunks in flight per worker: one it works on, the rest queued or being
/// written.
const IN_FLIGHT: usize = 4;

/// The longest line read: the resolver reads at most 4 KiB of a text, and
/// a line longer than this is not an address (a binary file, a file with
/// no line breaks).
const MAX_LINE: usize = 16 << 20;

const HEADER: &str = "line,outcome,code,name,level,county_code,county,chain,spans,remainder,text\n";

/// Resolves the lines of `file` (standard input for `None` or `-`) and
/// writes one record per line. Returns whether every line resolved.
pub(crate) fn run(
    h: &Hierarchy,
    file: Option<&str>,
    format: Format,
    threads: Option<usize>,
) -> io::Result<bool> {
    let addresses = h
        .addresses()
        .map_err(|e| io::Error::other(format!("cannot read addresses: {e}")))?;
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .max(1);
    let input = Blocks::new(crate::input(file)?, CHUNK, MAX_LINE);
    let mut out = io::stdout().lock();
    if format == Format::Csv {
        out.write_all(HEADER.as_bytes())?;
    }
    let progress = io::stderr().is_terminal();
    let all = pipeline(&addresses, input, &mut out, format, threads, progress)?;
    out.flush()?;
    Ok(all)
}

/// A chunk of input lines on its way to a worker.
struct Job {
    seq: u64,
    /// The number of the chunk's first line.
    first_line: u64,
    input: Vec<u8>,
    /// The output buffer to fill (empty, with the capacity of earlier use).
    out: Vec<u8>,
}

/// A chunk a worker is done with: its records, or why it has none.
struct Done {
    seq: u64,
    input: Vec<u8>,
    out: Vec<u8>,
    /// Whether every line resolved, or the chunk's error.
    result: io::Result<bool>,
    /// A worker's panic, carried to the main thread to go on there.
    panic: Option<Box<dyn std::any::Any + Send>>,
}

/// Resolves `input`'s lines on `threads` workers and writes their records
/// to `out` in the input's order. Stops at the first error in the input's
/// order, after writing the records of every chunk before it.
fn pipeline(
    addresses: &AddressResolver<'_>,
    mut input: Blocks,
    out: &mut dyn Write,
    format: Format,
    threads: usize,
    progress: bool,
) -> io::Result<bool> {
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let job_rx = Mutex::new(job_rx);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let (job_rx, done_tx, stop) = (&job_rx, done_tx.clone(), &stop);
            s.spawn(move || work(addresses, format, job_rx, &done_tx, stop));
        }
        drop(done_tx);
        // `feed` drops `job_tx`, so that the workers end when it returns,
        // early or not (the scope waits for them after); on an early
        // return they skip the chunks still queued.
        let all = feed(&mut input, out, job_tx, &done_rx, threads, progress);
        stop.store(true, Ordering::Relaxed);
        all
    })
}

/// The main thread's part of [`pipeline`]: reads chunks and sends them to
/// the workers, and writes what they are done with in the input's order.
fn feed(
    input: &mut Blocks,
    out: &mut dyn Write,
    jobs: mpsc::Sender<Job>,
    done: &mpsc::Receiver<Done>,
    threads: usize,
    progress: bool,
) -> io::Result<bool> {
    let stopped = || io::Error::other("the workers stopped");
    let mut free: Vec<(Vec<u8>, Vec<u8>)> = vec![(Vec::new(), Vec::new()); threads * IN_FLIGHT];
    let mut finished: BTreeMap<u64, Done> = BTreeMap::new();
    let (mut next_seq, mut next_write, mut first_line) = (0u64, 0u64, 1u64);
    let (mut eof, mut all) = (false, true);
    let mut shown = Instant::now();
    loop {
        while !eof && let Some((mut chunk, buf)) = free.pop() {
            input.fill(&mut chunk)?;
            if chunk.is_empty() {
                eof = true;
                free.push((chunk, buf));
                break;
            }
            let lines = lines_in(&chunk);
            let job = Job {
                seq: next_seq,
                first_line,
                input: chunk,
                out: buf,
            };
            jobs.send(job).map_err(|_| stopped())?;
            next_seq += 1;
            first_line += lines;
        }
        if next_write == next_seq {
            break;
        }
        let d = done.recv().map_err(|_| stopped())?;
        if let Some(p) = d.panic {
            panic::resume_unwind(p);
        }
        finished.insert(d.seq, d);
        while let Some(d) = finished.remove(&next_write) {
            all &= d.result?;
            out.write_all(&d.out)?;
            // Buffers a very long line grew are not kept.
            free.push((kept(d.input, 4 * CHUNK), kept(d.out, 16 * CHUNK)));
            next_write += 1;
        }
        if progress && shown.elapsed() >= Duration::from_millis(100) {
            eprint!("\r{} addresses", first_line - 1);
            shown = Instant::now();
        }
    }
    if progress {
        eprintln!("\r{} addresses", first_line - 1);
    }
    Ok(all)
}

/// `buf` emptied, for reuse unless its capacity is over `most` bytes.
fn kept(mut buf: Vec<u8>, most: usize) -> Vec<u8> {
    buf.clear();
    if buf.capacity() > most {
        buf = Vec::new();
    }
    buf
}

/// A worker: takes chunks until the main thread stops sending them.
fn work(
    addresses: &AddressResolver<'_>,
    format: Format,
    jobs: &Mutex<mpsc::Receiver<Job>>,
    done: &mpsc::Sender<Done>,
    stop: &AtomicBool,
) {
    let mut memo = Memo::new(format);
    loop {
        let job = jobs.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(Job {
            seq,
            first_line,
            input,
            mut out,
        }) = job
        else {
            return;
        };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            format_run(addresses, &input, first_line, format, &mut memo, &mut out)
        }));
        let (result, panic) = match result {
            Ok(r) => (r, None),
            Err(p) => (Ok(false), Some(p)),
        };
        let done_chunk = Done {
            seq,
            input,
            out,
            result,
            panic,
        };
        if done.send(done_chunk).is_err() {
            return;
        }
    }
}

/// The input in blocks of whole lines (the pipeline's chunks).
struct Blocks {
    input: Box<dyn Read>,
    /// Bytes to read per block.
    block: usize,
    /// The longest line accepted.
    max_line: usize,
    /// The start of a line that the last block cut.
    carry: Vec<u8>,
    eof: bool,
}

impl Blocks {
    fn new(input: Box<dyn Read>, block: usize, max_line: usize) -> Self {
        Blocks {
            input,
            block,
            max_line,
            carry: Vec::new(),
            eof: false,
        }
    }

    /// Fills `block` with the next lines (about `self.block` bytes, ending
    /// at a line break unless the input ends); empty at the end of the input.
    fn fill(&mut self, block: &mut Vec<u8>) -> io::Result<()> {
        block.clear();
        block.append(&mut self.carry);
        loop {
            if !self.eof {
                let want = self
                    .block
                    .saturating_sub(block.len())
                    .max(self.block / 16)
                    .max(1);
                let got = (&mut self.input).take(want as u64).read_to_end(block)?;
                self.eof = got == 0;
            }
            if self.eof {
                return Ok(());
            }
            if let Some(end) = block.iter().rposition(|&b| b == b'\n') {
                self.carry.extend_from_slice(&block[end + 1..]);
                block.truncate(end + 1);
                return Ok(());
            }
            if block.len() > self.max_line {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a line is longer than {} bytes", self.max_line),
                ));
            }
        }
    }
}

/// The lines of a chunk: its line breaks, and one more if the input ended
/// without one. Counted with SIMD: the main thread counts every chunk's
/// lines as it reads it, to number the next chunk's.
fn lines_in(run: &[u8]) -> u64 {
    let breaks = memchr::memchr_iter(b'\n', run).count() as u64;
    breaks + u64::from(run.last().is_some_and(|&b| b != b'\n'))
}

/// Resolves a run of lines numbered from `start` into `buf`: whether
/// every one resolved.
fn format_run(
    addresses: &AddressResolver<'_>,
    run: &[u8],
    start: u64,
    format: Format,
    memo: &mut Memo,
    buf: &mut Vec<u8>,
) -> io::Result<bool> {
    buf.clear();
    let text = simdutf8::compat::from_utf8(run).map_err(|e| {
        let before = &run[..e.valid_up_to()];
        let line = start + before.iter().filter(|&&b| b == b'\n').count() as u64;
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("line {line}: not valid UTF-8"),
        )
    })?;
    let mut all = true;
    // A record is written two lines after its text is resolved: the memo
    // entry it copies (a few MiB of them, out of the core's cache) is
    // fetched meanwhile, its offsets after the first resolution and its
    // bytes after the second. Copying it when needed stalled the core a
    // tenth of the time. Line `i`'s resolution waits in `ring[i % 3]`, in
    // place: a queue moved each in and out (144 bytes, a copy each way).
    let mut ring: [Option<Resolution<'_>>; 3] = [None, None, None];
    let mut n = 0;
    for text in lines(text) {
        let r = ring[n % 3].insert(addresses.resolve(text));
        all &= r.unit().is_some();
        memo.prefetch_slot(r);
        if let Some(r) = &ring[(n + 2) % 3] {
            memo.prefetch_bytes(r);
        }
        if n >= 2
            && let Some(r) = &ring[(n + 1) % 3]
        {
            record(buf, start + n as u64 - 2, r, format, memo);
        }
        n += 1;
    }
    for i in n.saturating_sub(2)..n {
        if let Some(r) = &ring[i % 3] {
            record(buf, start + i as u64, r, format, memo);
        }
    }
    Ok(all)
}

/// The lines of a run (split at `\n` with SIMD, a trailing `\r` cut).
fn lines(run: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    let mut breaks = memchr::memchr_iter(b'\n', run.as_bytes());
    std::iter::from_fn(move || {
        let end = match breaks.next() {
            Some(end) => end,
            None if at < run.len() => run.len(),
            None => return None,
        };
        // `at` and `end` border a '\n' or the run: character boundaries.
        let line = &run[at..end];
        at = end + 1;
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// The outcome's name in the output.
fn outcome(r: &Resolution<'_>) -> &'static str {
    match r.outcome() {
        Outcome::Resolved(_) => "resolved",
        Outcome::Ambiguous(_) => "ambiguous",
        Outcome::NotFound => "not_found",
        _ => "conflict",
    }
}

/// One output record: the line number and outcome, the unit's fields (from
/// the memo when it has them), the spans, the remainder and the text.
fn record(buf: &mut Vec<u8>, line: u64, r: &Resolution<'_>, format: Format, memo: &mut Memo) {
    let mut num = itoa::Buffer::new();
    match format {
        Format::Csv => {
            buf.extend_from_slice(num.format(line).as_bytes());
            buf.push(b',');
            buf.extend_from_slice(outcome(r).as_bytes());
        }
        Format::Jsonl => {
            buf.extend_from_slice(b"{\"line\":");
            buf.extend_from_slice(num.format(line).as_bytes());
            buf.extend_from_slice(b",\"outcome\":\"");
            buf.extend_from_slice(outcome(r).as_bytes());
            buf.push(b'"');
        }
    }
    memo.unit_fields(buf, r, format);
    match format {
        Format::Csv => {
            buf.push(b',');
            spans(r, buf);
            buf.push(b',');
            // The remainder is the end of the text: when the text needs no
            // quotes, neither does it (one check for both).
            if needs_quotes(r.text()) {
                csv_field(buf, r.remainder());
                buf.push(b',');
                csv_field(buf, r.text());
            } else {
                raw(buf, r.remainder());
                buf.push(b',');
                raw(buf, r.text());
            }
            buf.push(b'\n');
        }
        Format::Jsonl => {
            buf.extend_from_slice(b",\"spans\":\"");
            spans(r, buf);
            buf.extend_from_slice(b"\",\"remainder\":");
            json_into(buf, r.remainder());
            buf.extend_from_slice(b",\"text\":");
            json_into(buf, r.text());
            buf.extend_from_slice(b"}\n");
        }
    }
}

/// The unit's fields of each record (code, name, level, county code,
/// county, chain) as written, per thread: they depend only on the chain
/// and on whether it ends at a picked unit, and a file names the same
/// units again and again. Bounded by the hierarchy: two entries a unit.
pub(crate) struct Memo {
    /// The written fields of entry `2 × unit + picked` in `bytes`, `0..0`
    /// when not yet written.
    at: Vec<(u32, u32)>,
    bytes: Vec<u8>,
    format: Format,
}

impl Memo {
    pub(crate) fn new(format: Format) -> Self {
        Memo {
            at: Vec::new(),
            bytes: Vec::new(),
            format,
        }
    }

    /// The entry of `r`'s fields, when its chain is a unit's full path from
    /// the top (what the library documents for every resolved and ambiguous
    /// text; checked, as it costs a parent read a level) and the picked
    /// unit, if any, ends it.
    fn key(r: &Resolution<'_>) -> Option<usize> {
        let chain = r.chain();
        let last = *chain.last()?;
        let path = chain.first()?.parent()?.parent().is_none()
            && chain.windows(2).all(|w| w[1].parent() == Some(w[0]));
        let picked = match r.unit() {
            Some(u) if u == last => 1,
            Some(_) => return None,
            None => 0,
        };
        path.then_some(2 * last.id().index() + picked)
    }

    /// The slot of `r`'s entry, a guess from the chain's last unit (no
    /// check that the chain is a path: a wrong guess costs a wasted fetch).
    fn slot(r: &Resolution<'_>) -> Option<usize> {
        let last = r.chain().last()?;
        Some(2 * last.id().index() + usize::from(r.unit().is_some()))
    }

    /// Asks the processor to fetch `r`'s entry's offsets.
    fn prefetch_slot(&self, r: &Resolution<'_>) {
        if let Some(at) = Self::slot(r).and_then(|k| self.at.get(k)) {
            prefetch(at);
        }
    }

    /// Asks the processor to fetch `r`'s written fields.
    fn prefetch_bytes(&self, r: &Resolution<'_>) {
        let Some(&(a, b)) = Self::slot(r).and_then(|k| self.at.get(k)) else {
            return;
        };
        let (mut at, end) = (a as usize, b as usize);
        if at < end {
            // Each cache line the entry spans (the last one too when the
            // entry starts mid-line).
            while at < end {
                prefetch(&self.bytes[at]);
                at += 64;
            }
            prefetch(&self.bytes[end - 1]);
        }
    }

    /// Writes `r`'s unit fields in `format`.
    fn unit_fields(&mut self, buf: &mut Vec<u8>, r: &Resolution<'_>, format: Format) {
        let key = match Self::key(r) {
            Some(k) if format == self.format => k,
            _ => return unit_fields(buf, r, format),
        };
        if self.at.len() <= key {
            let units = r.chain()[0].hierarchy().len();
            self.at.resize((2 * units).max(key + 1), (0, 0));
        }
        let (a, b) = self.at[key];
        if a < b {
            buf.extend_from_slice(&self.bytes[a as usize..b as usize]);
            return;
        }
        let from = buf.len();
        unit_fields(buf, r, format);
        let written = &buf[from..];
        // Offsets fit in u32: at most two entries a unit, each a few
        // hundred bytes; past 4 GiB the memo stops growing.
        if let (Ok(a), Ok(b)) = (
            u32::try_from(self.bytes.len()),
            u32::try_from(self.bytes.len() + written.len()),
        ) {
            self.bytes.extend_from_slice(written);
            self.at[key] = (a, b);
        }
    }
}

/// Asks the processor to bring the cache line of `p` in, without waiting
/// for it (a hint: no effect on what the program computes).
#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and never faults; `p` is a reference.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((p as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// The fields every format writes, borrowed from the resolution and the
/// hierarchy.
struct Fields<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    county_code: &'a str,
    county: &'a str,
}

fn fields<'a>(r: &Resolution<'a>) -> Fields<'a> {
    let unit = r.unit();
    let county = r
        .chain()
        .iter()
        .find(|u| u.level().rank() == xzqh::china::COUNTY.rank());
    Fields {
        code: unit.map_or("", |u| u.code()),
        name: unit.map_or("", |u| u.name()),
        level: unit.map_or("", |u| {
            let schema: &xzqh::Schema = u.hierarchy().schema();
            schema.levels()[u.level().rank() as usize].name()
        }),
        county_code: county.map_or("", |u| u.code()),
        county: county.map_or("", |u| u.name()),
    }
}

/// Writes the unit's fields, each after a `,`: in CSV
/// `,code,name,level,county_code,county,chain`, in JSON lines
/// `,"code":…,"name":…,"level":…,"county_code":…,"county":…,"chain":"…"`.
fn unit_fields(buf: &mut Vec<u8>, r: &Resolution<'_>, format: Format) {
    let f = fields(r);
    match format {
        Format::Csv => {
            for field in [f.code, f.name, f.level, f.county_code, f.county] {
                buf.push(b',');
                csv_field(buf, field);
            }
            buf.push(b',');
            if r.chain().iter().any(|u| needs_quotes(u.name())) {
                let mut names = Vec::new();
                chain(r, &mut names, raw);
                csv_field(buf, &String::from_utf8_lossy(&names));
            } else {
                chain(r, buf, raw);
            }
        }
        Format::Jsonl => {
            for (key, value) in [
                ("code", f.code),
                ("name", f.name),
                ("level", f.level),
                ("county_code", f.county_code),
                ("county", f.county),
            ] {
                buf.extend_from_slice(b",\"");
                buf.extend_from_slice(key.as_bytes());
                buf.extend_from_slice(b"\":");
                json_into(buf, value);
            }
            buf.extend_from_slice(b",\"chain\":\"");
            chain(r, buf, json_body);
            buf.push(b'"');
        }
    }
}

/// Writes the chain's names joined by `/` through `put`.
fn chain(r: &Resolution<'_>, buf: &mut Vec<u8>, put: fn(&mut Vec<u8>, &str)) {
    for (i, u) in r.chain().iter().enumerate() {
        if i > 0 {
            buf.push(b'/');
        }
        put(buf, u.name());
    }
}

/// The spans as `start-end:code` (byte offsets), separated by spaces.
fn spans(r: &Resolution<'_>, buf: &mut Vec<u8>) {
    for (i, s) in r.spans().iter().enumerate() {
        if i > 0 {
            buf.push(b' ');
        }
        number(buf, s.range.start, b'-');
        number(buf, s.range.end, b':');
        buf.extend_from_slice(s.unit.code().as_bytes());
    }
}

/// `n` in decimal, then `then`: offsets are small (the resolver reads
/// 4 KiB of a text), and below 10,000 the digits and `then` go in as one
/// copy of a fixed size (no loop, no copy out of `itoa`'s buffer).
#[inline(always)]
fn number(buf: &mut Vec<u8>, n: usize, then: u8) {
    let d = |x: usize| b'0' + (x % 10) as u8;
    match n {
        0..10 => buf.extend_from_slice(&[d(n), then]),
        10..100 => buf.extend_from_slice(&[d(n / 10), d(n), then]),
        100..1000 => buf.extend_from_slice(&[d(n / 100), d(n / 10), d(n), then]),
        1000..10_000 => {
            buf.extend_from_slice(&[d(n / 1000), d(n / 100), d(n / 10), d(n), then]);
        }
        _ => {
            buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
            buf.push(then);
        }
    }
}

/// Whether a CSV field must be quoted. A fold without an early exit, so
/// that the compiler checks many bytes at once: fields are short and
/// almost never need quotes.
fn needs_quotes(s: &str) -> bool {
    s.bytes()
        .fold(false, |q, b| q | matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(buf: &mut Vec<u8>, s: &str) {
    if needs_quotes(s) {
        buf.push(b'"');
        for part in s.split_inclusive('"') {
            buf.extend_from_slice(part.as_bytes());
            if part.ends_with('"') {
                buf.push(b'"');
            }
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// Writes without quoting: the names of a chain never hold a quote, but a
/// comma in one quotes the whole chain field (see [`unit_fields`]).
fn raw(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(s.as_bytes());
}

/// A JSON string's body (no quotes).
fn json_body(buf: &mut Vec<u8>, s: &str) {
    let mut quoted = Vec::with_capacity(s.len() + 2);
    json_into(&mut quoted, s);
    buf.extend_from_slice(&quoted[1..quoted.len() - 1]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(input: &str, block: usize, max_line: usize) -> io::Result<Vec<String>> {
        let mut b = Blocks::new(Box::new(io::Cursor::new(input.to_owned())), block, max_line);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        loop {
            b.fill(&mut buf)?;
            if buf.is_empty() {
                return Ok(out);
            }
            out.push(String::from_utf8(buf.clone()).expect("the input is UTF-8"));
        }
    }

    #[test]
    fn blocks_hold_whole_lines_and_lose_nothing() {
        let input = "ab\ncd\r\nefghijk\n\nl";
        for size in 1..=input.len() + 1 {
            let got = blocks(input, size, 100).expect("no line is too long");
            assert_eq!(got.concat(), input, "block size {size}");
            for b in &got[..got.len() - 1] {
                assert!(b.ends_with('\n'), "block size {size}: {b:?}");
            }
        }
    }

    #[test]
    fn a_line_longer_than_the_limit_is_an_error() {
        let e = blocks("0123456789abcdef\nx\n", 4, 8).unwrap_err();
        assert_eq!(e.to_string(), "a line is longer than 8 bytes");
        assert!(blocks("0123456\nx\n", 4, 8).is_ok());
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in (0..20_000).chain([99_999, 100_000, usize::MAX]) {
            let mut buf = Vec::new();
            number(&mut buf, n, b':');
            assert_eq!(buf, format!("{n}:").as_bytes());
        }
    }

    #[test]
    fn lines_split_like_split_terminator_and_cut_a_trailing_cr() {
        for run in [
            "",
            "a",
            "a\n",
            "a\n\n",
            "\n",
            "ab\r\ncd",
            "a\r\n\r\nb\n",
            "\r",
            "x\ry\n",
        ] {
            let want: Vec<&str> = run
                .split_terminator('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect();
            assert_eq!(lines(run).collect::<Vec<_>>(), want, "{run:?}");
        }
    }

    /// A field as CSV writes it, the obvious way.
    fn csv_obvious(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    }

    /// A JSON string literal, the obvious way.
    fn json_obvious(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// One record built field by field with `String`s: the reference the
    /// writer (memo, buffers) must match byte for byte.
    fn record_obvious(line: u64, r: &Resolution<'_>, format: Format) -> String {
        let unit = r.unit();
        let county = r
            .chain()
            .iter()
            .find(|u| u.level().rank() == xzqh::china::COUNTY.rank());
        let level = unit.map_or(String::new(), |u| {
            u.hierarchy().schema().levels()[u.level().rank() as usize]
                .name()
                .to_owned()
        });
        let chain: Vec<&str> = r.chain().iter().map(|u| u.name()).collect();
        let spans: Vec<String> = r
            .spans()
            .iter()
            .map(|s| format!("{}-{}:{}", s.range.start, s.range.end, s.unit.code()))
            .collect();
        let fields = [
            ("code", unit.map_or("", |u| u.code()).to_owned()),
            ("name", unit.map_or("", |u| u.name()).to_owned()),
            ("level", level),
            ("county_code", county.map_or("", |u| u.code()).to_owned()),
            ("county", county.map_or("", |u| u.name()).to_owned()),
            ("chain", chain.join("/")),
            ("spans", spans.join(" ")),
            ("remainder", r.remainder().to_owned()),
            ("text", r.text().to_owned()),
        ];
        match format {
            Format::Csv => {
                let mut out = vec![line.to_string(), outcome(r).to_owned()];
                out.extend(fields.iter().map(|(_, v)| csv_obvious(v)));
                out.join(",") + "\n"
            }
            Format::Jsonl => {
                let mut out = vec![
                    format!("\"line\":{line}"),
                    format!("\"outcome\":\"{}\"", outcome(r)),
                ];
                out.extend(
                    fields
                        .iter()
                        .map(|(k, v)| format!("\"{k}\":{}", json_obvious(v))),
                );
                format!("{{{}}}\n", out.join(","))
            }
        }
    }

    /// Addresses written from China's units: each township's chain in full,
    /// without its province, with street text holding commas, quotes, tabs
    /// and carriage returns; plus ambiguous, conflicting, empty and
    /// unknown texts.
    fn generated() -> Vec<String> {
        let h = xzqh::china();
        let extras = [
            "科技园路12号",
            ",A座",
            "\"东门\"",
            "3号\t楼",
            "1\r2号",
            "",
            "\\x",
        ];
        let mut texts: Vec<String> = [
            "朝阳区",
            "12号楼",
            "",
            "广东省深圳市宝安区西乡街道 寄 浙江省杭州市余杭区",
            "北京市朝阳区, 南磨房地区 3号楼",
            "\"北京\",\"朝阳区\"",
        ]
        .map(String::from)
        .to_vec();
        for (i, u) in h
            .units()
            .filter(|u| u.level() == xzqh::china::TOWNSHIP)
            .enumerate()
        {
            if i % 97 != 0 {
                continue;
            }
            let names: Vec<&str> = std::iter::once(u)
                .chain(u.ancestors())
                .filter(|a| a.parent().is_some())
                .map(|a| a.name())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let extra = extras[i % extras.len()];
            texts.push(format!("{}{extra}", names.concat()));
            texts.push(format!("{}{extra}", names[1..].join(" ")));
            texts.push(format!("{}{extra}", names[names.len() - 2..].concat()));
        }
        texts
    }

    #[test]
    fn records_match_the_obvious_writer_byte_for_byte() {
        let addresses = xzqh::china().addresses().expect("the dictionary builds");
        let texts = generated();
        assert!(texts.len() > 1000);
        for format in [Format::Csv, Format::Jsonl] {
            let mut memo = Memo::new(format);
            // Twice: the first pass fills the memo, the second reads it.
            for pass in 0..2 {
                let mut outcomes = std::collections::BTreeSet::new();
                for (i, text) in texts.iter().enumerate() {
                    let r = addresses.resolve(text);
                    outcomes.insert(outcome(&r));
                    let mut buf = Vec::new();
                    record(&mut buf, i as u64 + 1, &r, format, &mut memo);
                    assert_eq!(
                        String::from_utf8(buf).expect("UTF-8 out"),
                        record_obvious(i as u64 + 1, &r, format),
                        "{format:?}, pass {pass}: {text:?}"
                    );
                }
                assert_eq!(outcomes.len(), 4, "every outcome is written: {outcomes:?}");
            }
        }
    }

    /// `input` through the pipeline in chunks of `chunk` bytes on
    /// `threads` workers: what it writes, and its answer.
    fn piped(input: &[u8], chunk: usize, threads: usize, format: Format) -> (Vec<u8>, String) {
        let addresses = xzqh::china().addresses().expect("the dictionary builds");
        let blocks = Blocks::new(Box::new(io::Cursor::new(input.to_vec())), chunk, MAX_LINE);
        let mut out = Vec::new();
        let answer = pipeline(&addresses, blocks, &mut out, format, threads, false);
        (out, format!("{answer:?}"))
    }

    #[test]
    fn the_pipeline_writes_every_record_in_order_whatever_the_chunks_and_threads() {
        let addresses = xzqh::china().addresses().expect("the dictionary builds");
        let texts = generated();
        // The texts hold no line break but may hold a CR: one a line, with
        // CRLF breaks on some lines and no break after the last.
        let texts: Vec<String> = texts.iter().map(|t| t.replace('\r', "")).collect();
        let mut input = String::new();
        for (i, t) in texts.iter().enumerate() {
            input.push_str(t);
            if i + 1 < texts.len() {
                input.push_str(if i % 5 == 0 { "\r\n" } else { "\n" });
            }
        }
        for format in [Format::Csv, Format::Jsonl] {
            let mut want = Vec::new();
            let mut memo = Memo::new(format);
            let mut all = true;
            for (i, t) in texts.iter().enumerate() {
                let r = addresses.resolve(t);
                all &= r.unit().is_some();
                record(&mut want, i as u64 + 1, &r, format, &mut memo);
            }
            assert!(!all, "some texts do not resolve");
            for (chunk, threads) in [(1, 1), (1, 3), (100, 2), (4096, 1), (4096, 4), (1 << 20, 2)] {
                let (got, answer) = piped(input.as_bytes(), chunk, threads, format);
                assert_eq!(
                    answer, "Ok(false)",
                    "{format:?}, {chunk} bytes, {threads} threads"
                );
                assert!(
                    got == want,
                    "{format:?}, {chunk} bytes, {threads} threads: the records differ"
                );
            }
        }
        let (got, answer) = piped(b"", 7, 2, Format::Csv);
        assert_eq!((got.len(), answer.as_str()), (0, "Ok(true)"));
    }

    #[test]
    fn the_pipeline_stops_at_the_first_bad_line_after_the_chunks_before_it() {
        let mut input = Vec::new();
        for i in 0..400 {
            input.extend_from_slice(if i == 150 || i == 300 {
                b"\xff\xfe\n".as_slice()
            } else {
                "北京市朝阳区\n".as_bytes()
            });
        }
        for (chunk, threads) in [(1, 1), (64, 2), (64, 4), (1000, 3)] {
            let (got, answer) = piped(&input, chunk, threads, Format::Csv);
            assert_eq!(
                answer, r#"Err(Custom { kind: InvalidData, error: "line 151: not valid UTF-8" })"#,
                "{chunk} bytes, {threads} threads"
            );
            let written = got.iter().filter(|&&b| b == b'\n').count();
            assert!(
                written <= 150,
                "{chunk} bytes, {threads} threads: {written} records"
            );
            if chunk == 1 {
                // A chunk a line: every line before the bad one is written.
                assert_eq!(written, 150);
            }
        }
    }

    #[test]
    fn lines_are_counted_with_a_last_line_without_break() {
        for (run, n) in [
            (&b""[..], 0),
            (b"a", 1),
            (b"a\n", 1),
            (b"a\n\nb", 3),
            (b"\n", 1),
        ] {
            assert_eq!(lines_in(run), n, "{run:?}");
        }
    }
}
