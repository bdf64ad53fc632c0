//! One value at a time: `unit`, `units`, `lookup`, `resolve`, `route`,
//! `history`, `governs`, and the small frozen objects they return.

use std::ops::Range;
use std::sync::OnceLock;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use xzqh::address::{AddressResolver, Outcome, Resolution as RustResolution};
use xzqh::china::history::{History, Succession as RustSuccession};
use xzqh::routing::{Case, Decision as RustDecision, Place, RouteError, Router};
use xzqh::{Hierarchy, Unit as RustUnit};

use crate::errors;

/// China's hierarchy, built on first use and kept for the process.
pub(crate) fn china() -> &'static Hierarchy {
    xzqh::china()
}

/// The address resolver over China, built once.
pub(crate) fn addresses() -> PyResult<&'static AddressResolver<'static>> {
    static R: OnceLock<Result<AddressResolver<'static>, String>> = OnceLock::new();
    R.get_or_init(|| china().addresses().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| errors::XzqhError::new_err(e.clone()))
}

/// The router with China's default policy, built once.
pub(crate) fn router() -> PyResult<&'static Router<&'static Hierarchy>> {
    static R: OnceLock<Result<Router<&'static Hierarchy>, String>> = OnceLock::new();
    R.get_or_init(|| Router::new(china(), xzqh::china::policy()).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| errors::XzqhError::new_err(e.clone()))
}

/// The level's name in the schema (`"county"`), for the life of the process.
pub(crate) fn level_name<'h>(u: RustUnit<'h>) -> &'h str {
    let schema: &'h xzqh::Schema = u.hierarchy().schema();
    schema
        .levels()
        .get(u.level().rank() as usize)
        .map_or("", |l| l.name())
}

/// The county-level unit of a chain, if it reaches that level.
pub(crate) fn county_of<'a>(chain: &[RustUnit<'a>]) -> Option<RustUnit<'a>> {
    chain
        .iter()
        .copied()
        .find(|u| u.level().rank() == xzqh::china::COUNTY.rank())
}

/// The outcome's name: `resolved`, `ambiguous`, `not_found` or `conflict`.
pub(crate) fn outcome_name(o: &Outcome<'_>) -> &'static str {
    match o {
        Outcome::Resolved(_) => "resolved",
        Outcome::Ambiguous(_) => "ambiguous",
        Outcome::NotFound => "not_found",
        _ => "conflict",
    }
}

/// A unit of China's hierarchy (province, prefecture, county, township).
///
/// >>> u = xzqh.unit("440305")
/// >>> (u.code, u.name, u.level, u.parent.name)
/// ('440305', '南山区', 'county', '深圳市')
#[pyclass(frozen, module = "xzqh", name = "Unit")]
#[derive(Clone, Copy)]
pub(crate) struct Unit(pub(crate) RustUnit<'static>);

#[pymethods]
impl Unit {
    /// The statistical code (2 digits for a province, 4, 6, 9 below).
    #[getter]
    fn code(&self) -> &'static str {
        self.0.code()
    }
    /// The official name.
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name()
    }
    /// The level: `province`, `prefecture`, `county` or `township`.
    #[getter]
    fn level(&self) -> &'static str {
        level_name(self.0)
    }
    /// The kind's name (`district`, `county_city`, `subdistrict`, …).
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind().name()
    }
    /// The unit above, `None` for a province.
    #[getter]
    fn parent(&self) -> Option<Unit> {
        self.0.parent().filter(|p| p.parent().is_some()).map(Unit)
    }
    /// The units from the province down to this one.
    #[getter]
    fn chain(&self) -> Vec<Unit> {
        let mut chain: Vec<Unit> = std::iter::once(self.0)
            .chain(self.0.ancestors())
            .filter(|a| a.parent().is_some())
            .map(Unit)
            .collect();
        chain.reverse();
        chain
    }
    /// The units directly below, in code order.
    #[getter]
    fn children(&self) -> Vec<Unit> {
        self.0.children().map(Unit).collect()
    }
    fn __repr__(&self) -> String {
        format!("Unit('{}', '{}')", self.0.code(), self.0.name())
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Unit>()
            .is_ok_and(|o| o.get().0.code() == self.0.code())
    }
    fn __hash__(&self) -> u64 {
        u64::from(self.0.id().get())
    }
}

/// A unit by code in any NBS form (`"44"`, `"440305"`, `"440305000000"`), or
/// `None` when no unit has it.
///
/// >>> xzqh.unit("440305000000").name
/// '南山区'
/// >>> xzqh.unit("999999") is None
/// True
#[pyfunction]
fn unit(code: &str) -> Option<Unit> {
    china().by_code(code.trim()).map(Unit)
}

/// Every unit a name (or a path such as `"北京 朝阳区"`) matches, in code order.
///
/// >>> [u.code for u in xzqh.units("朝阳区")]
/// ['110105', '220104']
#[pyfunction]
fn units(name: &str) -> Vec<Unit> {
    china()
        .names()
        .candidates(name)
        .into_iter()
        .map(Unit)
        .collect()
}

/// The one unit a name or path matches; raises `AmbiguousNameError`,
/// `NameNotFoundError` or `EmptyNameError` otherwise.
///
/// >>> xzqh.lookup("广东 南山").code
/// '440305'
#[pyfunction]
fn lookup(name: &str) -> PyResult<Unit> {
    china()
        .names()
        .lookup(name)
        .map(Unit)
        .map_err(|e| errors::lookup(&e))
}

/// The answer for one address: the outcome, the unit, its chain, the spans
/// of the text that named units and the rest of the text.
///
/// >>> r = xzqh.resolve("深圳南山区粤海街道科技园路12号")
/// >>> (r.outcome, r.code, r.level, r.county)
/// ('resolved', '440305007', 'township', '南山区')
//
// Built once per call and read rarely, so it is kept small and cheap to
// make: the text as the caller's `str` and its UTF-8 bytes (the encoding
// the resolver read, not copied again), units as ids, the chain and the
// spans inline (no allocation for any text the hierarchy's depth allows),
// and Python values made only when an attribute is read.
#[pyclass(frozen, module = "xzqh", name = "Resolution")]
pub(crate) struct Resolution {
    text: Py<PyString>,
    utf8: Py<PyBytes>,
    outcome: &'static str,
    unit: Option<u32>,
    chain: Few<u32, 6>,
    /// `(start, end)` byte offsets in `utf8` and the unit named.
    spans: Few<(usize, usize, u32), 6>,
    rest: Range<usize>,
    candidates: Vec<u32>,
}

/// Up to `N` items inline, more on the heap.
pub(crate) enum Few<T, const N: usize> {
    Inline(u8, [T; N]),
    Heap(Box<[T]>),
}

impl<T: Copy + Default, const N: usize> Few<T, N> {
    pub(crate) fn new(items: impl ExactSizeIterator<Item = T>) -> Self {
        let n = items.len();
        if n > N {
            return Few::Heap(items.collect());
        }
        let mut inline = [T::default(); N];
        for (slot, item) in inline.iter_mut().zip(items) {
            *slot = item;
        }
        // `n <= N`, and the `N`s used are small.
        Few::Inline(n as u8, inline)
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        match self {
            Few::Inline(n, items) => &items[..usize::from(*n)],
            Few::Heap(items) => items,
        }
    }
}

/// A unit of China's hierarchy as `'static`: every unit the package sees
/// comes from [`china()`], which lives as long as the process.
pub(crate) fn restatic(u: RustUnit<'_>) -> RustUnit<'static> {
    by_id(u.id().get())
}

/// The unit of China's hierarchy with id `id`.
fn by_id(id: u32) -> RustUnit<'static> {
    china()
        .get(xzqh::UnitId::new(id))
        .expect("every unit id comes from xzqh::china()")
}

impl Resolution {
    /// `r`, the resolution of `utf8` (the UTF-8 of `text`).
    fn new(text: Py<PyString>, utf8: Py<PyBytes>, r: &RustResolution<'_>) -> Self {
        let id = |u: &RustUnit<'_>| u.id().get();
        Resolution {
            text,
            utf8,
            outcome: outcome_name(r.outcome()),
            unit: r.unit().map(|u| id(&u)),
            chain: Few::new(r.chain().iter().map(id)),
            spans: Few::new(
                r.spans()
                    .iter()
                    .map(|s| (s.range.start, s.range.end, id(&s.unit))),
            ),
            rest: r.remainder_range(),
            candidates: r.candidates().iter().map(|c| id(&c.unit)).collect(),
        }
    }

    fn the_unit(&self) -> Option<RustUnit<'static>> {
        self.unit.map(by_id)
    }

    fn county_of(&self) -> Option<RustUnit<'static>> {
        self.chain
            .as_slice()
            .iter()
            .map(|&u| by_id(u))
            .find(|u| u.level().rank() == xzqh::china::COUNTY.rank())
    }

    fn codes(ids: &[u32]) -> Vec<&'static str> {
        ids.iter().map(|&u| by_id(u).code()).collect()
    }

    fn spans_of(&self, py: Python<'_>) -> Vec<(usize, usize, &'static str)> {
        let text = self.utf8.as_bytes(py);
        // Character offsets, counted from one span to the next (spans go
        // left to right).
        let (mut at_byte, mut at_char) = (0, 0);
        let mut chars_to = |b: usize| {
            if b > at_byte {
                at_char += text
                    .get(at_byte..b)
                    .map_or(0, |s| s.iter().filter(|&&c| (c as i8) >= -0x40).count());
                at_byte = b;
            }
            at_char
        };
        self.spans
            .as_slice()
            .iter()
            .map(|&(s, e, u)| (chars_to(s), chars_to(e), by_id(u).code()))
            .collect()
    }
}

/// Stops the cycle collector from tracking `ob`, which holds no reference
/// that could close a cycle (only Rust data, `str` and `bytes`). pyo3 makes
/// every class collectable; a result the collector walks costs a call to
/// its traverse hook at each collection, more than the rest of the object.
pub(crate) fn untrack<T>(ob: &Bound<'_, T>) {
    // SAFETY: `ob` is a live object of a pyo3 class (a GC type) and the GIL
    // is held; untracking an object twice (its dealloc untracks it again)
    // is allowed, and an untracked object is freed by reference counting.
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(ob.as_ptr().cast()) }
}

#[pymethods]
impl Resolution {
    /// The text as given.
    #[getter]
    fn text(&self, py: Python<'_>) -> Py<PyString> {
        self.text.clone_ref(py)
    }
    /// `resolved`, `ambiguous`, `not_found` or `conflict`.
    #[getter]
    fn outcome(&self) -> &'static str {
        self.outcome
    }
    /// The unit (resolved only), else `None`.
    #[getter]
    fn unit(&self) -> Option<Unit> {
        self.the_unit().map(Unit)
    }
    /// The unit's code, else `None`.
    #[getter]
    fn code(&self) -> Option<&'static str> {
        self.the_unit().map(|u| u.code())
    }
    /// The unit's name, else `None`.
    #[getter]
    fn name(&self) -> Option<&'static str> {
        self.the_unit().map(|u| u.name())
    }
    /// The unit's level, else `None`.
    #[getter]
    fn level(&self) -> Option<&'static str> {
        self.the_unit().map(level_name)
    }
    /// The county-level unit on the chain (county, district, county-level
    /// city), or `None` when the text stops above it or is unresolved.
    #[getter]
    fn county(&self) -> Option<&'static str> {
        self.county_of().map(|u| u.name())
    }
    /// The county-level unit's code, or `None`.
    #[getter]
    fn county_code(&self) -> Option<&'static str> {
        self.county_of().map(|u| u.code())
    }
    /// The units from the province down to the answer (empty when unresolved;
    /// for an ambiguous text, the candidates' common part).
    #[getter]
    fn chain(&self) -> Vec<Unit> {
        self.chain
            .as_slice()
            .iter()
            .map(|&u| Unit(by_id(u)))
            .collect()
    }
    /// `(start, end, code)` for each part of the text that named a unit,
    /// as `str` indices: `text[start:end]` is the name written.
    #[getter]
    fn spans(&self, py: Python<'_>) -> Vec<(usize, usize, &'static str)> {
        self.spans_of(py)
    }
    /// The text after the last name read.
    #[getter]
    fn remainder(&self, py: Python<'_>) -> &str {
        let bytes = self.utf8.as_bytes(py);
        // The bytes are the UTF-8 of a `str` and the range falls between
        // characters (the resolver cut it in the same bytes).
        bytes
            .get(self.rest.clone())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
    /// The candidates of an ambiguous or conflicting text, best first.
    #[getter]
    fn candidates(&self) -> Vec<Unit> {
        self.candidates.iter().map(|&u| Unit(by_id(u))).collect()
    }
    /// The fields as a dict (units as codes).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("text", self.text.bind(py))?;
        d.set_item("outcome", self.outcome)?;
        d.set_item("code", self.code())?;
        d.set_item("name", self.name())?;
        d.set_item("level", self.level())?;
        d.set_item("county_code", self.county_code())?;
        d.set_item("county", self.county())?;
        d.set_item("chain", Self::codes(self.chain.as_slice()))?;
        d.set_item("spans", self.spans_of(py))?;
        d.set_item("remainder", self.remainder(py))?;
        d.set_item("candidates", Self::codes(&self.candidates))?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        format!(
            "Resolution(outcome={:?}, code={:?}, name={:?})",
            self.outcome,
            self.code().unwrap_or(""),
            self.name().unwrap_or("")
        )
    }
}

/// Resolves one free-text address to the deepest unit it names.
///
/// >>> xzqh.resolve("北京朝阳区").code
/// '110105'
/// >>> xzqh.resolve("朝阳区").outcome
/// 'ambiguous'
#[pyfunction]
fn resolve<'py>(text: &Bound<'py, PyString>) -> PyResult<Bound<'py, Resolution>> {
    let py = text.py();
    // The UTF-8 the resolver reads, kept for `remainder` and `spans`.
    let utf8 = text.encode_utf8()?;
    // SAFETY: CPython's UTF-8 encoder (strict errors: a lone surrogate
    // raised above) writes valid UTF-8; pyo3's own `str` extraction relies
    // on the same. Checking again costs more than the rest of the call.
    let s = unsafe { std::str::from_utf8_unchecked(utf8.as_bytes()) };
    let r = Resolution::new(
        text.clone().unbind(),
        utf8.clone().unbind(),
        &addresses()?.resolve(s),
    );
    let ob = Bound::new(py, r)?;
    untrack(&ob);
    Ok(ob)
}

/// Where a case goes: the unit that handles it and the escalation above.
///
/// >>> d = xzqh.route(["440305007"], "urban_management")
/// >>> d.handler.code
/// '440305007'
#[pyclass(frozen, module = "xzqh", name = "Decision")]
pub(crate) struct Decision {
    handler: RustUnit<'static>,
    escalation: Vec<RustUnit<'static>>,
    explanation: String,
}

impl Decision {
    pub(crate) fn new(d: &RustDecision<'static>) -> Self {
        Decision {
            handler: d.handler(),
            escalation: d.escalation().map(restatic).collect(),
            explanation: d.explain().to_string(),
        }
    }
}

#[pymethods]
impl Decision {
    /// The unit that handles the case.
    #[getter]
    fn handler(&self) -> Unit {
        Unit(self.handler)
    }
    /// The units the case escalates to, nearest first.
    #[getter]
    fn escalation(&self) -> Vec<Unit> {
        self.escalation.iter().copied().map(Unit).collect()
    }
    /// Why, step by step.
    fn explain(&self) -> &str {
        &self.explanation
    }
    fn __repr__(&self) -> String {
        format!(
            "Decision(handler={:?}, escalation={:?})",
            self.handler.code(),
            self.escalation.iter().map(|u| u.code()).collect::<Vec<_>>()
        )
    }
}

/// Routes one case: the places it concerns (codes), its category, and
/// optionally its severity grade and the number of people involved.
/// Raises `RoutingError` with the router's message.
pub(crate) fn route_one(
    places: &[&str],
    category: &str,
    severity: Option<&str>,
    people: Option<u64>,
) -> PyResult<Result<RustDecision<'static>, RouteError>> {
    let router = router()?;
    let places: Vec<Place<'_>> = places.iter().map(|p| Place::Code(p)).collect();
    let mut case = Case::new(&places, category);
    if let Some(s) = severity {
        case = case.severity(s);
    }
    if let Some(p) = people {
        case = case.people(p);
    }
    Ok(router.route(&case))
}

/// Routes one case to the unit that handles it under China's default
/// policy. `places` is a list of codes (or one string of codes separated by
/// spaces).
///
/// >>> xzqh.route("440305007", "urban_management").handler.name
/// '粤海街道'
#[pyfunction]
#[pyo3(signature = (places, category, severity=None, people=None))]
fn route(
    places: &Bound<'_, PyAny>,
    category: &str,
    severity: Option<&str>,
    people: Option<u64>,
) -> PyResult<Decision> {
    let owned: Vec<String> = if let Ok(s) = places.extract::<String>() {
        s.split_whitespace().map(str::to_owned).collect()
    } else {
        places.extract()?
    };
    let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
    route_one(&refs, category, severity, people)?
        .map(|d| Decision::new(&d))
        .map_err(|e| errors::route(&e))
}

/// An old code followed through the code history.
pub(crate) fn follow(
    code: &str,
    year: Option<u16>,
) -> Result<RustSuccession<'static>, xzqh::china::history::HistoryError> {
    let history = History::embedded();
    match year {
        Some(y) => history.resolve(code, y, china()),
        None => history.current(code, china()),
    }
}

/// Follows an old county-level or higher code (1981-2025) to today's units:
/// a dict with `code`, `year`, `status` (`current`, `changed`, `later`,
/// `abolished`, `unmapped`), `units` and `changes`. Raises
/// `HistoryLookupError` for a code or year the history does not have.
///
/// >>> h = xzqh.history("371200")
/// >>> (h["status"], [u.code for u in h["units"]])
/// ('changed', ['3701'])
#[pyfunction]
#[pyo3(signature = (code, year=None))]
fn history<'py>(py: Python<'py>, code: &str, year: Option<u16>) -> PyResult<Bound<'py, PyDict>> {
    let s = follow(code, year).map_err(|e| errors::history(&e))?;
    let d = PyDict::new(py);
    d.set_item("code", s.code())?;
    d.set_item("year", s.year())?;
    d.set_item("status", s.status().to_string())?;
    let units: Vec<Unit> = s.units().map(|u| Unit(restatic(u))).collect();
    d.set_item("units", PyList::new(py, units)?)?;
    let changes: Vec<String> = s.changes().map(|c| c.to_string()).collect();
    d.set_item("changes", changes)?;
    let later: Vec<String> = s.later().map(|c| c.to_string()).collect();
    d.set_item("later", later)?;
    Ok(d)
}

/// Whether unit `a` governs unit `b` over the administrative tree (`a` is a
/// government or agency and `b` is `a` or below it): a dict with
/// `relation`, `distance` (edges from `a` to `b`) and `via`, or `None`.
/// Raises `UnknownCodeError` for a code no unit has.
///
/// >>> xzqh.governs("44", "440305007")["distance"]
/// 3
/// >>> xzqh.governs("440305", "44") is None
/// True
#[pyfunction]
fn governs<'py>(py: Python<'py>, a: &str, b: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
    let h = china();
    let ua = h.by_code(a.trim()).ok_or_else(|| errors::unknown_code(a))?;
    let ub = h.by_code(b.trim()).ok_or_else(|| errors::unknown_code(b))?;
    let Some(j) = h.governs(ua, ub) else {
        return Ok(None);
    };
    let d = PyDict::new(py);
    d.set_item("relation", j.relation.name())?;
    d.set_item("distance", j.distance)?;
    d.set_item("via", Unit(j.via))?;
    Ok(Some(d))
}

/// Checks a year argument: the history's years are 1981 onwards.
pub(crate) fn year_arg(year: Option<i64>) -> PyResult<Option<u16>> {
    year.map(|y| {
        u16::try_from(y).map_err(|_| PyValueError::new_err(format!("year {y} is out of range")))
    })
    .transpose()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Unit>()?;
    m.add_class::<Resolution>()?;
    m.add_class::<Decision>()?;
    m.add_function(wrap_pyfunction!(unit, m)?)?;
    m.add_function(wrap_pyfunction!(units, m)?)?;
    m.add_function(wrap_pyfunction!(lookup, m)?)?;
    m.add_function(wrap_pyfunction!(resolve, m)?)?;
    m.add_function(wrap_pyfunction!(route, m)?)?;
    m.add_function(wrap_pyfunction!(history, m)?)?;
    m.add_function(wrap_pyfunction!(governs, m)?)?;
    Ok(())
}
