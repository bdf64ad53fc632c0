//! Batch calls: rows in, Arrow record batches out, the GIL released and
//! the rows split into one contiguous run per core.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use arrow_array::builder::{StringBuilder, UInt32Builder};
use arrow_array::{ArrayRef, RecordBatch};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::arrow::{ArrowBatch, Texts};
use crate::errors;
use crate::objects::{
    addresses, china, county_of, follow, level_name, outcome_name, route_one, year_arg,
};

/// Below this many rows a batch runs on the calling thread: starting
/// threads costs more than it saves.
const PARALLEL_FROM: usize = 4096;

/// `f` over `0..n` cut into one contiguous run per core (or `threads`),
/// in order.
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
    let per = n.div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(per)
            .map(|start| s.spawn(move || f(start..(start + per).min(n))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// A record batch from named string-like columns.
fn record(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).expect("columns of one length")
}

fn export(batches: Vec<RecordBatch>) -> Vec<ArrowBatch> {
    batches.into_iter().map(ArrowBatch::new).collect()
}

/// The string column builders of a resolve batch.
struct ResolveColumns {
    outcome: StringBuilder,
    code: StringBuilder,
    name: StringBuilder,
    level: StringBuilder,
    county_code: StringBuilder,
    county: StringBuilder,
    chain: StringBuilder,
    spans: StringBuilder,
    remainder: StringBuilder,
}

impl ResolveColumns {
    fn new(rows: usize) -> Self {
        let b = |bytes| StringBuilder::with_capacity(rows, rows * bytes);
        ResolveColumns {
            outcome: b(9),
            code: b(9),
            name: b(12),
            level: b(8),
            county_code: b(6),
            county: b(9),
            chain: b(40),
            spans: b(40),
            remainder: b(24),
        }
    }

    fn null(&mut self) {
        for c in self.all() {
            c.append_null();
        }
    }

    fn all(&mut self) -> [&mut StringBuilder; 9] {
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

    fn push(&mut self, text: &str, r: &xzqh::address::Resolution<'_>) {
        self.outcome.append_value(outcome_name(r.outcome()));
        let unit = r.unit();
        self.code.append_option(unit.map(|u| u.code()));
        self.name.append_option(unit.map(|u| u.name()));
        self.level.append_option(unit.map(level_name));
        let county = county_of(r.chain());
        self.county_code.append_option(county.map(|u| u.code()));
        self.county.append_option(county.map(|u| u.name()));
        for (i, u) in r.chain().iter().enumerate() {
            if i > 0 {
                self.chain.write_char('/').ok();
            }
            self.chain.write_str(u.name()).ok();
        }
        self.chain.append_value("");
        // Spans as `start-end:code` in str (character) indices, counted
        // from one span to the next (spans go left to right).
        let (mut at_byte, mut at_char) = (0, 0);
        let mut chars_to = |b: usize| {
            if b > at_byte {
                at_char += text.get(at_byte..b).map_or(0, |s| s.chars().count());
                at_byte = b;
            }
            at_char
        };
        let mut num = itoa::Buffer::new();
        for (i, s) in r.spans().iter().enumerate() {
            if i > 0 {
                self.spans.write_char(' ').ok();
            }
            self.spans
                .write_str(num.format(chars_to(s.range.start)))
                .ok();
            self.spans.write_char('-').ok();
            self.spans.write_str(num.format(chars_to(s.range.end))).ok();
            self.spans.write_char(':').ok();
            self.spans.write_str(s.unit.code()).ok();
        }
        self.spans.append_value("");
        self.remainder.append_value(r.remainder());
    }

    fn finish(mut self) -> RecordBatch {
        let names = [
            "outcome",
            "code",
            "name",
            "level",
            "county_code",
            "county",
            "chain",
            "spans",
            "remainder",
        ];
        let arrays: Vec<ArrayRef> = self
            .all()
            .into_iter()
            .map(|b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        record(names.into_iter().zip(arrays).collect())
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
    let batches = py.detach(|| {
        runs(rows.len(), threads, |range| {
            let mut cols = ResolveColumns::new(range.len());
            for text in &rows[range] {
                match text {
                    Some(t) => cols.push(t, &addresses.resolve(t)),
                    None => cols.null(),
                }
            }
            cols.finish()
        })
    });
    Ok(export(batches))
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
