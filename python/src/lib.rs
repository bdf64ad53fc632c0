//! `xzqh._xzqh`: the native half of the Python package (see `python/xzqh/`).
//!
//! One value at a time, the functions return small frozen objects whose
//! fields are converted to Python only when read. In batch they take texts
//! or codes as a list of `str` or Arrow arrays (any object with
//! `__arrow_c_array__`, the Arrow PyCapsule interface), release the GIL,
//! split the rows into contiguous runs over the cores, and return one
//! Arrow record batch per run through the same interface; `xzqh/__init__.py` turns those into
//! a `pyarrow.Table` without copying.

mod arrow;
mod batch;
mod errors;
mod objects;

use pyo3::prelude::*;

/// The native module. Python code imports `xzqh`, which re-exports it.
#[pymodule]
fn _xzqh(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    objects::register(m)?;
    batch::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
