//! Batch calls: rows in, Arrow record batches out, the GIL released and
//! the rows split into contiguous runs over the cores (one a core, or
//! chunks the threads take in turn for large batches).

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arrow_array::builder::{StringBuilder, UInt32Builder};
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_buffer::{BooleanBufferBuilder, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::arrow::{ArrowBatch, Texts};
use crate::errors;
use crate::objects::{
    addresses, china, county_of, follow, level_name, outcome_name, route_one, year_arg,
};
use xzqh::address::{AddressResolver, Resolution};

/// Below this many rows a batch runs on the calling thread: starting
/// threads costs more than it saves.
const PARALLEL_FROM: usize = 4096;

/// Rows a thread takes at a time when a batch has more than this many a
/// thread: threads that finish early take more (a shared machine slows
/// one core more than the other), and each chunk is one record batch.
const CHUNK_ROWS: usize = 1 << 16;

/// `f` over `0..n` cut into contiguous runs, in order: one per core (or
/// `threads`) for small batches, chunks of [`CHUNK_ROWS`] taken in turn
/// by the threads for large ones.
fn runs<T: Send>(n: usize, threads: usize, f: impl Fn(Range<usize>) -> T + Sync) -> Vec<T> {
    let threads = match threads {
        0 if n < PARALLEL_FROM => 1,
        0 => std::thread::available_parallelism().map_or(1, |t| t.get()),
        t => t,
    }
    .clamp(1, n.max(1));
    if threads == 1 {
        return vec![f(0..n)];
    }
    let per = n.div_ceil(threads).min(CHUNK_ROWS);
    let chunks = n.div_ceil(per);
    let next = AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    let mut done: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(chunks))
            .map(|_| {
                s.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= chunks {
                            return done;
                        }
                        let start = i * per;
                        done.push((i, f(start..(start + per).min(n))));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// A record batch from named string-like columns.
fn record(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).expect("columns of one length")
}

fn export(batches: Vec<RecordBatch>) -> Vec<ArrowBatch> {
    batches.into_iter().map(ArrowBatch::new).collect()
}

/// A string column built in place: the bytes of every value one after
/// the other, where each ends, and which rows are null (rare: listed, the
/// validity bitmap made at the end).
struct Col {
    values: Vec<u8>,
    offsets: Vec<i32>,
    nulls: Vec<u32>,
}

impl Col {
    fn new(rows: usize, bytes: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        Col {
            values: Vec::with_capacity(rows * bytes),
            offsets,
            nulls: Vec::new(),
        }
    }

    /// Ends the current value (the bytes written since the last one).
    fn end(&mut self) {
        // Batches are cut before any column reaches `BATCH_BYTES`
        // (< i32::MAX), and no value is longer (see `_resolve_batch`).
        self.offsets.push(self.values.len() as i32);
    }

    fn push(&mut self, s: &str) {
        self.values.extend_from_slice(s.as_bytes());
        self.end();
    }

    fn push_option(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.push(s),
            None => self.push_null(),
        }
    }

    fn push_null(&mut self) {
        // Rows of a batch are fewer than `BATCH_BYTES` (each ends a value
        // of at least one byte in the outcome column).
        self.nulls.push((self.offsets.len() - 1) as u32);
        self.end();
    }

    fn finish(self) -> ArrayRef {
        let rows = self.offsets.len() - 1;
        let nulls = (!self.nulls.is_empty()).then(|| {
            let mut valid = BooleanBufferBuilder::new(rows);
            valid.append_n(rows, true);
            for &i in &self.nulls {
                valid.set_bit(i as usize, false);
            }
            NullBuffer::new(valid.finish())
        });
        // SAFETY: the offsets start at 0, never decrease and end at
        // `values.len()` (each value appends, then records the length), and
        // every value was appended from `&str`s, so the bytes between two
        // offsets are UTF-8; `nulls` has one bit a row: what
        // `StringArray::try_new` would check.
        let array = unsafe {
            StringArray::new_unchecked(
                OffsetBuffer::new_unchecked(ScalarBuffer::from(self.offsets)),
                Buffer::from_vec(self.values),
                nulls,
            )
        };
        Arc::new(array)
    }
}

/// The characters of UTF-8 `bytes`: the bytes that do not continue one
/// (`10xxxxxx`), counted eight at a time.
fn chars_in(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut continuing = 0;
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        continuing += (w & HIGH & !(w << 1)).count_ones() as usize;
    }
    continuing += words
        .remainder()
        .iter()
        .filter(|&&b| b & 0xC0 == 0x80)
        .count();
    bytes.len() - continuing
}

/// A record batch is cut before any of its columns holds this many bytes,
/// so that the `i32` offsets of Arrow's `string` never overflow.
const BATCH_BYTES: usize = 1 << 30;

/// The columns of a resolve batch.
struct ResolveColumns {
    outcome: Col,
    code: Col,
    name: Col,
    level: Col,
    county_code: Col,
    county: Col,
    chain: Col,
    spans: Col,
    remainder: Col,
}

/// The chain's names joined by `/`.
fn chain_names(r: &Resolution<'_>, out: &mut Vec<u8>) {
    for (i, u) in r.chain().iter().enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        out.extend_from_slice(u.name().as_bytes());
    }
}

impl ResolveColumns {
    fn new(rows: usize) -> Self {
        ResolveColumns {
            outcome: Col::new(rows, 9),
            code: Col::new(rows, 9),
            name: Col::new(rows, 12),
            level: Col::new(rows, 8),
            county_code: Col::new(rows, 6),
            county: Col::new(rows, 9),
            chain: Col::new(rows, 40),
            spans: Col::new(rows, 40),
            remainder: Col::new(rows, 24),
        }
    }

    fn all(&mut self) -> [&mut Col; 9] {
        [
            &mut self.outcome,
            &mut self.code,
            &mut self.name,
            &mut self.level,
            &mut self.county_code,
            &mut self.county,
            &mut self.chain,
            &mut self.spans,
            &mut self.remainder,
        ]
    }

    /// Whether a row of `text` could take a column past `limit` bytes
    /// ([`BATCH_BYTES`] but in tests; no value is longer than its text but
    /// the chain and the spans, bounded by the names the resolver reads).
    fn full(&self, text: usize, limit: usize) -> bool {
        let most = [
            &self.chain,
            &self.spans,
            &self.remainder,
            &self.county,
            &self.name,
        ]
        .iter()
        .map(|c| c.values.len())
        .max()
        .unwrap_or(0);
        most + text + (64 << 10) > limit
    }

    fn null(&mut self) {
        for c in self.all() {
            c.push_null();
        }
    }

    fn push(&mut self, text: &str, r: &Resolution<'_>) {
        self.outcome.push(outcome_name(r.outcome()));
        let unit = r.unit();
        self.code.push_option(unit.map(|u| u.code()));
        self.name.push_option(unit.map(|u| u.name()));
        self.level.push_option(unit.map(level_name));
        let county = county_of(r.chain());
        self.county_code.push_option(county.map(|u| u.code()));
        self.county.push_option(county.map(|u| u.name()));
        chain_names(r, &mut self.chain.values);
        self.chain.end();
        // Spans as `start-end:code` in str (character) indices, counted
        // from one span to the next (spans go left to right).
        let bytes = text.as_bytes();
        let (mut at_byte, mut at_char) = (0, 0);
        let mut chars_to = |b: usize| {
            if b > at_byte {
                at_char += bytes.get(at_byte..b).map_or(0, chars_in);
                at_byte = b;
            }
            at_char
        };
        let mut num = itoa::Buffer::new();
        let out = &mut self.spans.values;
        for (i, s) in r.spans().iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(num.format(chars_to(s.range.start)).as_bytes());
            out.push(b'-');
            out.extend_from_slice(num.format(chars_to(s.range.end)).as_bytes());
            out.push(b':');
            out.extend_from_slice(s.unit.code().as_bytes());
        }
        self.spans.end();
        self.remainder.push(r.remainder());
    }

    fn finish(self) -> RecordBatch {
        let columns = [
            ("outcome", self.outcome),
            ("code", self.code),
            ("name", self.name),
            ("level", self.level),
            ("county_code", self.county_code),
            ("county", self.county),
            ("chain", self.chain),
            ("spans", self.spans),
            ("remainder", self.remainder),
        ];
        record(columns.into_iter().map(|(n, c)| (n, c.finish())).collect())
    }
}

/// Resolves many addresses (see `xzqh.resolve_batch`).
#[pyfunction]
#[pyo3(signature = (texts, threads=0))]
fn _resolve_batch(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    threads: usize,
) -> PyResult<Vec<ArrowBatch>> {
    let addresses = addresses()?;
    let texts = Texts::extract(texts)?;
    let rows = texts.rows()?;
    if let Some(t) = rows.iter().flatten().find(|t| t.len() > BATCH_BYTES / 2) {
        return Err(PyValueError::new_err(format!(
            "a text of {} bytes is too long for a batch (at most {})",
            t.len(),
            BATCH_BYTES / 2
        )));
    }
    let batches = py.detach(|| {
        runs(rows.len(), threads, |range| {
            resolve_rows(addresses, &rows[range], BATCH_BYTES)
        })
    });
    Ok(export(batches.into_iter().flatten().collect()))
}

/// The resolve columns of `rows`, in order, in record batches cut before
/// any column reaches `limit` bytes.
fn resolve_rows(
    addresses: &AddressResolver<'_>,
    rows: &[Option<&str>],
    limit: usize,
) -> Vec<RecordBatch> {
    let mut done = Vec::new();
    let mut cols = ResolveColumns::new(rows.len());
    for text in rows {
        if cols.full(text.map_or(0, str::len), limit) {
            let full = std::mem::replace(&mut cols, ResolveColumns::new(0));
            done.push(full.finish());
        }
        match text {
            Some(t) => cols.push(t, &addresses.resolve(t)),
            None => cols.null(),
        }
    }
    done.push(cols.finish());
    done
}

/// Units by code (see `xzqh.unit_batch`).
#[pyfunction]
#[pyo3(signature = (codes, threads=0))]
fn _unit_batch(
    py: Python<'_>,
    codes: &Bound<'_, PyAny>,
    threads: usize,
) -> PyResult<Vec<ArrowBatch>> {
    let codes = Texts::extract(codes)?;
    let rows = codes.rows()?;
    let h = china();
    let batches = py.detach(|| {
        runs(rows.len(), threads, |range| {
            let n = range.len();
            let mut code = StringBuilder::with_capacity(n, n * 9);
            let mut name = StringBuilder::with_capacity(n, n * 12);
            let mut level = StringBuilder::with_capacity(n, n * 8);
            let mut kind = StringBuilder::with_capacity(n, n * 12);
            let mut parent = StringBuilder::with_capacity(n, n * 6);
            for q in &rows[range] {
                let u = q.and_then(|q| h.by_code(q.trim()));
                code.append_option(u.map(|u| u.code()));
                name.append_option(u.map(|u| u.name()));
                level.append_option(u.map(level_name));
                kind.append_option(u.map(|u| u.kind().name()));
                parent.append_option(
                    u.and_then(|u| u.parent())
                        .filter(|p| p.parent().is_some())
                        .map(|p| p.code()),
                );
            }
            record(vec![
                ("code", Arc::new(code.finish()) as ArrayRef),
                ("name", Arc::new(name.finish())),
                ("level", Arc::new(level.finish())),
                ("kind", Arc::new(kind.finish())),
                ("parent", Arc::new(parent.finish())),
            ])
        })
    });
    Ok(export(batches))
}

/// Names to units (see `xzqh.lookup_batch`).
#[pyfunction]
#[pyo3(signature = (names, threads=0))]
fn _lookup_batch(
    py: Python<'_>,
    names: &Bound<'_, PyAny>,
    threads: usize,
) -> PyResult<Vec<ArrowBatch>> {
    let names = Texts::extract(names)?;
    let rows = names.rows()?;
    let index = china().names();
    let batches = py.detach(|| {
        runs(rows.len(), threads, |range| {
            let n = range.len();
            let mut code = StringBuilder::with_capacity(n, n * 9);
            let mut name = StringBuilder::with_capacity(n, n * 12);
            let mut error = StringBuilder::with_capacity(n, 0);
            for q in &rows[range] {
                match q.map(|q| index.lookup(q)) {
                    None => {
                        code.append_null();
                        name.append_null();
                        error.append_null();
                    }
                    Some(Ok(u)) => {
                        code.append_value(u.code());
                        name.append_value(u.name());
                        error.append_null();
                    }
                    Some(Err(e)) => {
                        code.append_null();
                        name.append_null();
                        error.append_value(e.to_string());
                    }
                }
            }
            record(vec![
                ("code", Arc::new(code.finish()) as ArrayRef),
                ("name", Arc::new(name.finish())),
                ("error", Arc::new(error.finish())),
            ])
        })
    });
    Ok(export(batches))
}

/// Routes many cases (see `xzqh.route_batch`).
#[pyfunction]
#[pyo3(signature = (places, categories, severities=None, threads=0))]
fn _route_batch(
    py: Python<'_>,
    places: &Bound<'_, PyAny>,
    categories: &Bound<'_, PyAny>,
    severities: Option<&Bound<'_, PyAny>>,
    threads: usize,
) -> PyResult<Vec<ArrowBatch>> {
    crate::objects::router()?;
    let (places, categories) = (Texts::extract(places)?, Texts::extract(categories)?);
    let severities = severities.map(Texts::extract).transpose()?;
    let (places, categories) = (places.rows()?, categories.rows()?);
    let severities = match &severities {
        Some(s) => s.rows()?,
        None => vec![None; places.len()],
    };
    if categories.len() != places.len() || severities.len() != places.len() {
        return Err(PyValueError::new_err(format!(
            "places, categories and severities must have one length: {}, {}, {}",
            places.len(),
            categories.len(),
            severities.len()
        )));
    }
    let batches = py.detach(|| {
        runs(places.len(), threads, |range| {
            let n = range.len();
            let mut code = StringBuilder::with_capacity(n, n * 9);
            let mut name = StringBuilder::with_capacity(n, n * 12);
            let mut level = StringBuilder::with_capacity(n, n * 8);
            let mut tiers = UInt32Builder::with_capacity(n);
            let mut escalation = StringBuilder::with_capacity(n, n * 20);
            let mut error = StringBuilder::with_capacity(n, 0);
            for i in range {
                let (Some(p), Some(c)) = (places[i], categories[i]) else {
                    code.append_null();
                    name.append_null();
                    level.append_null();
                    tiers.append_null();
                    escalation.append_null();
                    error.append_value("a case needs places and a category");
                    continue;
                };
                let codes: Vec<&str> = p.split_whitespace().collect();
                // The router was built above, so `route_one` cannot fail here.
                match route_one(&codes, c, severities[i], None) {
                    Ok(Ok(d)) => {
                        let hd = d.handler();
                        code.append_value(hd.code());
                        name.append_value(hd.name());
                        level.append_value(level_name(hd));
                        tiers.append_value(hd.tiers() as u32);
                        for (k, u) in d.escalation().enumerate() {
                            if k > 0 {
                                escalation.write_char(' ').ok();
                            }
                            escalation.write_str(u.code()).ok();
                        }
                        escalation.append_value("");
                        error.append_null();
                    }
                    Ok(Err(e)) => {
                        code.append_null();
                        name.append_null();
                        level.append_null();
                        tiers.append_null();
                        escalation.append_null();
                        error.append_value(e.to_string());
                    }
                    Err(_) => unreachable!("the router was built before the batch"),
                }
            }
            record(vec![
                ("handler_code", Arc::new(code.finish()) as ArrayRef),
                ("handler", Arc::new(name.finish())),
                ("level", Arc::new(level.finish())),
                ("tiers", Arc::new(tiers.finish())),
                ("escalation", Arc::new(escalation.finish())),
                ("error", Arc::new(error.finish())),
            ])
        })
    });
    Ok(export(batches))
}

/// Old codes through the history (see `xzqh.history_batch`).
#[pyfunction]
#[pyo3(signature = (codes, year=None, threads=0))]
fn _history_batch(
    py: Python<'_>,
    codes: &Bound<'_, PyAny>,
    year: Option<i64>,
    threads: usize,
) -> PyResult<Vec<ArrowBatch>> {
    let year = year_arg(year)?;
    let codes = Texts::extract(codes)?;
    let rows = codes.rows()?;
    let batches = py.detach(|| {
        runs(rows.len(), threads, |range| {
            let n = range.len();
            let mut status = StringBuilder::with_capacity(n, n * 8);
            let mut units = StringBuilder::with_capacity(n, n * 7);
            let mut error = StringBuilder::with_capacity(n, 0);
            for q in &rows[range] {
                match q.map(|q| follow(q.trim(), year)) {
                    None => {
                        status.append_null();
                        units.append_null();
                        error.append_null();
                    }
                    Some(Ok(s)) => {
                        write!(status, "{}", s.status()).ok();
                        status.append_value("");
                        for (k, u) in s.units().enumerate() {
                            if k > 0 {
                                units.write_char(' ').ok();
                            }
                            units.write_str(u.code()).ok();
                        }
                        units.append_value("");
                        error.append_null();
                    }
                    Some(Err(e)) => {
                        status.append_null();
                        units.append_null();
                        error.append_value(e.to_string());
                    }
                }
            }
            record(vec![
                ("status", Arc::new(status.finish()) as ArrayRef),
                ("units", Arc::new(units.finish())),
                ("error", Arc::new(error.finish())),
            ])
        })
    });
    Ok(export(batches))
}

/// Jurisdiction for many pairs (see `xzqh.governs_batch`).
#[pyfunction]
#[pyo3(signature = (a, b, threads=0))]
fn _governs_batch(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    threads: usize,
) -> PyResult<Vec<ArrowBatch>> {
    let (a, b) = (Texts::extract(a)?, Texts::extract(b)?);
    let (a, b) = (a.rows()?, b.rows()?);
    if a.len() != b.len() {
        return Err(PyValueError::new_err(format!(
            "a and b must have one length: {} and {}",
            a.len(),
            b.len()
        )));
    }
    let h = china();
    let batches = py.detach(|| {
        runs(a.len(), threads, |range| {
            let n = range.len();
            let mut relation = StringBuilder::with_capacity(n, n * 14);
            let mut distance = UInt32Builder::with_capacity(n);
            let mut via = StringBuilder::with_capacity(n, n * 6);
            let mut error = StringBuilder::with_capacity(n, 0);
            for i in range {
                let unit = |q: Option<&str>| {
                    q.map(|q| {
                        h.by_code(q.trim())
                            .ok_or_else(|| errors::unknown_code_message(q))
                    })
                };
                let j = match (unit(a[i]), unit(b[i])) {
                    (Some(Ok(ua)), Some(Ok(ub))) => Ok(h.governs(ua, ub)),
                    (Some(Err(e)), _) | (_, Some(Err(e))) => Err(Some(e)),
                    _ => Err(None),
                };
                match j {
                    Ok(Some(j)) => {
                        relation.append_value(j.relation.name());
                        distance.append_value(j.distance as u32);
                        via.append_value(j.via.code());
                        error.append_null();
                    }
                    Ok(None) | Err(_) => {
                        relation.append_null();
                        distance.append_null();
                        via.append_null();
                        error.append_option(j.err().flatten());
                    }
                }
            }
            record(vec![
                ("relation", Arc::new(relation.finish()) as ArrayRef),
                ("distance", Arc::new(distance.finish())),
                ("via", Arc::new(via.finish())),
                ("error", Arc::new(error.finish())),
            ])
        })
    });
    Ok(export(batches))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ArrowBatch>()?;
    m.add_function(wrap_pyfunction!(_resolve_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_unit_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_lookup_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_route_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_history_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_governs_batch, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{chars_in, resolve_rows};
    use arrow_array::{Array, StringArray};

    /// Batches are cut before a column reaches the limit (64 KiB of slack
    /// for one row's chain and spans, plus 8 KiB here: a few hundred rows
    /// a batch), and the rows come back whole and in order.
    #[test]
    fn batches_are_cut_below_the_limit() {
        let addresses = xzqh::china().addresses().unwrap();
        let texts: Vec<String> = (0..3000)
            .map(|i| match i % 3 {
                0 => format!("广东省深圳市南山区粤海街道科技园路{i}号"),
                1 => format!("浙江省杭州市西湖区文三路{i}号"),
                _ => "北京市朝阳区".repeat(1 + i % 5),
            })
            .collect();
        let mut rows: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
        rows[17] = None;
        let limit = (64 << 10) + (8 << 10);
        let batches = resolve_rows(&addresses, &rows, limit);
        assert!(batches.len() > 3, "{} batches", batches.len());
        let mut codes = Vec::new();
        for b in &batches {
            for c in b.columns() {
                let c = c.as_any().downcast_ref::<StringArray>().unwrap();
                assert!(
                    c.value_data().len() < limit,
                    "{} bytes",
                    c.value_data().len()
                );
            }
            let code = b.column_by_name("code").unwrap();
            let code = code.as_any().downcast_ref::<StringArray>().unwrap();
            codes.extend(
                (0..code.len()).map(|i| code.is_valid(i).then(|| code.value(i).to_owned())),
            );
        }
        let expected: Vec<Option<String>> = rows
            .iter()
            .map(|t| t.and_then(|t| addresses.resolve(t).unit().map(|u| u.code().to_owned())))
            .collect();
        assert_eq!(codes, expected);
    }

    #[test]
    fn chars_in_counts_like_chars_count() {
        let text = "aé北京😀朝阳区, 12号 𠀀x\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}";
        for a in 0..=text.len() {
            for b in a..=text.len() {
                if let Some(s) = text.get(a..b) {
                    assert_eq!(chars_in(s.as_bytes()), s.chars().count(), "{s:?}");
                }
            }
        }
    }
}
