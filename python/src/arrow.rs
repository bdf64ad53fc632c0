//! Arrow in and out through the Arrow PyCapsule interface
//! (`__arrow_c_array__`): arrow-rs's C data interface structs travel in two
//! capsules named `arrow_schema` and `arrow_array`, which pyarrow, polars
//! and pandas (through pyarrow) read and write without copying buffers.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi, to_ffi};
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray, make_array};
use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyString, PyTuple};

/// A column of texts (or codes) handed to a batch call: Python strings
/// copied out of a list, or Arrow string arrays read in place.
pub(crate) enum Texts {
    /// From a list or tuple of `str` (and `None`): their UTF-8 one after
    /// the other, and each row's byte range in it (`None` for `None`).
    Strings {
        utf8: Vec<u8>,
        rows: Vec<Option<(usize, usize)>>,
    },
    /// From Arrow arrays (one per chunk), each `string`, `large_string` or
    /// `string_view`.
    Arrays(Vec<ArrayRef>),
}

impl Texts {
    /// Reads a list or tuple of `str`/`None`, an Arrow array, or a list of
    /// Arrow arrays (the chunks of one column).
    pub(crate) fn extract(ob: &Bound<'_, PyAny>) -> PyResult<Texts> {
        if ob.hasattr(pyo3::intern!(ob.py(), "__arrow_c_array__"))? {
            return Ok(Texts::Arrays(vec![import(ob)?]));
        }
        if ob.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "expected a list of str or an Arrow array, found one str",
            ));
        }
        let (mut utf8, mut strings) = (Vec::new(), Vec::new());
        let mut arrays = Vec::new();
        for item in ob.try_iter()? {
            let item = item?;
            if item.is_none() {
                strings.push(None);
            } else if let Ok(s) = item.cast::<PyString>() {
                // One encoding per text, copied once into the shared buffer
                // (no `String` a row to allocate and free).
                let start = utf8.len();
                utf8.extend_from_slice(s.encode_utf8()?.as_bytes());
                strings.push(Some((start, utf8.len())));
            } else if item.hasattr(pyo3::intern!(ob.py(), "__arrow_c_array__"))? {
                arrays.push(import(&item)?);
            } else {
                return Err(PyTypeError::new_err(format!(
                    "expected str or None, found {}",
                    item.get_type().name()?
                )));
            }
        }
        match (strings.is_empty(), arrays.is_empty()) {
            (_, true) => Ok(Texts::Strings {
                utf8,
                rows: strings,
            }),
            (true, false) => Ok(Texts::Arrays(arrays)),
            (false, false) => Err(PyTypeError::new_err(
                "expected a list of str or a list of Arrow arrays, not both",
            )),
        }
    }

    /// Every row, `None` for a null.
    pub(crate) fn rows(&self) -> PyResult<Vec<Option<&str>>> {
        match self {
            Texts::Strings { utf8, rows } => Ok(rows
                .iter()
                .map(|r| {
                    r.map(|(a, b)| {
                        // SAFETY: `utf8[a..b]` is what CPython's UTF-8
                        // encoder wrote for one `str` (strict errors: a lone
                        // surrogate raised in `extract`), valid UTF-8.
                        unsafe { std::str::from_utf8_unchecked(&utf8[a..b]) }
                    })
                })
                .collect()),
            Texts::Arrays(arrays) => {
                let mut rows = Vec::with_capacity(arrays.iter().map(|a| a.len()).sum());
                for a in arrays {
                    match a.data_type() {
                        DataType::Utf8 => rows.extend(a.as_string::<i32>().iter()),
                        DataType::LargeUtf8 => rows.extend(a.as_string::<i64>().iter()),
                        DataType::Utf8View => rows.extend(a.as_string_view().iter()),
                        other => {
                            return Err(PyTypeError::new_err(format!(
                                "expected an Arrow array of strings, found {other}"
                            )));
                        }
                    }
                }
                Ok(rows)
            }
        }
    }
}

/// Imports an object with `__arrow_c_array__` as an arrow-rs array.
fn import(ob: &Bound<'_, PyAny>) -> PyResult<ArrayRef> {
    let pair = ob.call_method0(pyo3::intern!(ob.py(), "__arrow_c_array__"))?;
    let (schema, array): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) = pair.extract()?;
    let schema = schema
        .pointer_checked(Some(c"arrow_schema"))?
        .cast::<FFI_ArrowSchema>();
    let array = array
        .pointer_checked(Some(c"arrow_array"))?
        .cast::<FFI_ArrowArray>();
    // SAFETY: the capsules hold C data interface structs (their names say
    // so and were checked); `from_raw` moves the array out of its capsule,
    // leaving a released one behind, as the interface prescribes, and the
    // schema is only borrowed while the capsule lives.
    let data = unsafe {
        let array = FFI_ArrowArray::from_raw(array.as_ptr());
        from_ffi(array, schema.as_ref())
    }
    .map_err(|e| PyValueError::new_err(format!("cannot read the Arrow array: {e}")))?;
    Ok(make_array(data))
}

/// Columns of a batch result, exported through `__arrow_c_array__`;
/// `pyarrow.record_batch(b)` reads one without copying.
#[pyclass(frozen, module = "xzqh")]
pub(crate) struct ArrowBatch(pub(crate) Arc<StructArray>);

impl ArrowBatch {
    pub(crate) fn new(batch: RecordBatch) -> Self {
        ArrowBatch(Arc::new(StructArray::from(batch)))
    }
}

#[pymethods]
impl ArrowBatch {
    /// The Arrow PyCapsule interface: `(schema, array)` capsules.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        // The columns are what they are: a requested schema is a hint the
        // interface lets a producer ignore.
        let _ = requested_schema;
        let (array, schema) = to_ffi(&self.0.to_data())
            .map_err(|e| PyValueError::new_err(format!("cannot export the batch: {e}")))?;
        let schema = PyCapsule::new_with_value(py, schema, c"arrow_schema")?;
        let array = PyCapsule::new_with_value(py, array, c"arrow_array")?;
        PyTuple::new(py, [schema, array])
    }

    /// Rows in this batch.
    fn __len__(&self) -> usize {
        self.0.len()
    }
}
