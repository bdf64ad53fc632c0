//! `xzqh resolve`: free-text addresses in bulk, on every core.
//!
//! The input is read in blocks of a few MiB cut at a line break. Each block
//! is split into a few runs of lines per thread, which the threads take in
//! turn; a thread checks a run's UTF-8, resolves its lines (borrowed from
//! the block: no string per line) and writes their records into the run's
//! byte buffer, kept from one block to the next. Each thread keeps a memo
//! of the unit fields it has written. While the threads work on a block,
//! the main thread writes the previous block's buffers, in order, and
//! reads the next block, so reading and writing overlap resolving and the
//! output keeps the input's order whatever the threads do.

use std::io::{self, IsTerminal, Read, Write};
use std::sync::Mutex;

use xzqh::Hierarchy;
use xzqh::address::{AddressResolver, Outcome, Resolution};

use crate::{Format, json_into};

/// Bytes read per block: enough to keep every thread busy for a few
/// milliseconds, little enough to start writing early.
const BLOCK: usize = 4 << 20;

/// Pieces a block is cut into per thread, so that threads that finish
/// early take more.
const PIECES: usize = 4;

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
    let mut input = Blocks::new(crate::input(file)?, BLOCK, MAX_LINE);
    let mut out = io::stdout().lock();
    if format == Format::Csv {
        out.write_all(HEADER.as_bytes())?;
    }
    let progress = io::stderr().is_terminal();
    let (mut first_line, mut all) = (1u64, true);
    // Two blocks (the threads read one while the next is filled) and two
    // sets of output buffers (the threads fill one while the other is
    // written), all kept from block to block.
    let (mut block, mut next) = (Vec::with_capacity(BLOCK), Vec::with_capacity(BLOCK));
    let pieces = threads * PIECES;
    let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); pieces];
    let mut ready: Vec<Vec<u8>> = vec![Vec::new(); pieces];
    let mut memos: Vec<Memo> = (0..threads).map(|_| Memo::new(format)).collect();
    input.fill(&mut block)?;
    while !block.is_empty() {
        let runs = split(&block, pieces);
        let mut starts = Vec::with_capacity(runs.len());
        for run in &runs {
            starts.push(first_line);
            first_line += lines_in(run);
        }
        // The pieces, taken in turn by the threads: one slowed by other
        // work on the machine takes fewer.
        let work = Mutex::new(runs.iter().zip(starts).zip(bufs.iter_mut()).enumerate());
        let (mut results, io) = std::thread::scope(|s| {
            let workers: Vec<_> = memos
                .iter_mut()
                .take(runs.len())
                .map(|memo| {
                    let (addresses, work) = (&addresses, &work);
                    s.spawn(move || {
                        let mut done = Vec::new();
                        loop {
                            let piece = work.lock().unwrap_or_else(|p| p.into_inner()).next();
                            let Some((i, ((run, start), buf))) = piece else {
                                return done;
                            };
                            done.push((i, format_run(addresses, run, start, format, memo, buf)));
                        }
                    })
                })
                .collect();
            // Meanwhile: the previous block's records out, the next block in.
            let io = ready
                .iter()
                .try_for_each(|b| out.write_all(b))
                .and_then(|()| input.fill(&mut next));
            let results: Vec<_> = workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect();
            (results, io)
        });
        // The first error in the input's order.
        results.sort_unstable_by_key(|&(i, _)| i);
        let results = results.into_iter().map(|(_, r)| r);
        io?;
        for r in results {
            all &= r?;
        }
        std::mem::swap(&mut bufs, &mut ready);
        for b in &mut bufs {
            b.clear();
        }
        std::mem::swap(&mut block, &mut next);
        if progress {
            eprint!("\r{} addresses", first_line - 1);
        }
    }
    for b in &ready {
        out.write_all(b)?;
    }
    if progress {
        eprintln!();
    }
    out.flush()?;
    Ok(all)
}

/// The input in blocks of whole lines.
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

/// `block` cut into at most `n` runs of whole lines of about equal size.
fn split(block: &[u8], n: usize) -> Vec<&[u8]> {
    let mut runs = Vec::with_capacity(n);
    let mut rest = block;
    for k in (1..=n).rev() {
        if rest.is_empty() {
            break;
        }
        let cut = if k == 1 {
            rest.len()
        } else {
            let at = rest.len() / k;
            memchr::memchr(b'\n', &rest[at..]).map_or(rest.len(), |p| at + p + 1)
        };
        let (run, tail) = rest.split_at(cut);
        runs.push(run);
        rest = tail;
    }
    runs
}

/// The lines of a run: its line breaks, and one more if the input ended
/// without one. Counted with SIMD: the main thread counts every block's
/// lines before the workers start on it.
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
    for (line, text) in (start..).zip(lines(text)) {
        let r = addresses.resolve(text);
        all &= r.unit().is_some();
        record(buf, line, &r, format, memo);
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
        number(buf, s.range.start);
        buf.push(b'-');
        number(buf, s.range.end);
        buf.push(b':');
        buf.extend_from_slice(s.unit.code().as_bytes());
    }
}

/// `n` in decimal: offsets are small (the resolver reads 4 KiB of a
/// text), and a byte at a time beats a copy from `itoa`'s buffer there.
fn number(buf: &mut Vec<u8>, n: usize) {
    if n >= 10_000 {
        buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        return;
    }
    let digit = |d: usize| b'0' + (d % 10) as u8;
    if n >= 1000 {
        buf.push(digit(n / 1000));
    }
    if n >= 100 {
        buf.push(digit(n / 100));
    }
    if n >= 10 {
        buf.push(digit(n / 10));
    }
    buf.push(digit(n));
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
            number(&mut buf, n);
            assert_eq!(buf, n.to_string().as_bytes());
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

    #[test]
    fn runs_cut_at_line_breaks_and_count_their_lines() {
        let block = b"a\nbb\nccc\ndddd\ne";
        for n in 1..=8 {
            let runs = split(block, n);
            assert!(runs.len() <= n);
            assert_eq!(runs.concat(), block);
            for r in &runs[..runs.len() - 1] {
                assert!(r.ends_with(b"\n"));
            }
            assert_eq!(runs.iter().map(|r| lines_in(r)).sum::<u64>(), 5);
        }
        assert!(split(b"", 3).is_empty());
    }
}
