"""China's administrative divisions (行政区划): units, free-text addresses,
case routing, old codes and jurisdiction, one value or a million at a time.

One value at a time::

    >>> import xzqh
    >>> r = xzqh.resolve("深圳南山区粤海街道科技园路12号")
    >>> (r.outcome, r.code, r.name, r.county)
    ('resolved', '440305007', '粤海街道', '南山区')

In batch, from a list of ``str``, a pyarrow array or a polars Series, into a
``pyarrow.Table`` (no copy to reach polars or pandas)::

    >>> t = xzqh.resolve_batch(["北京朝阳区", "朝阳区", None])
    >>> t.column("code").to_pylist()
    ['110105', None, None]

Batch calls release the GIL and use every core for large inputs
(``threads=0``; pass ``threads=1`` to stay on the calling thread). Errors
are ``XzqhError`` subclasses carrying the Rust library's messages.
"""

from __future__ import annotations

from . import _xzqh
from ._xzqh import (
    AmbiguousNameError,
    Decision,
    EmptyNameError,
    HistoryLookupError,
    NameNotFoundError,
    NameQueryError,
    Resolution,
    RoutingError,
    Unit,
    UnknownCodeError,
    XzqhError,
    __version__,
    governs,
    history,
    lookup,
    resolve,
    route,
    unit,
    units,
)

__all__ = [
    "AmbiguousNameError",
    "Decision",
    "EmptyNameError",
    "HistoryLookupError",
    "NameNotFoundError",
    "NameQueryError",
    "Resolution",
    "RoutingError",
    "Unit",
    "UnknownCodeError",
    "XzqhError",
    "__version__",
    "governs",
    "governs_batch",
    "history",
    "history_batch",
    "lookup",
    "lookup_batch",
    "resolve",
    "resolve_batch",
    "route",
    "route_batch",
    "unit",
    "unit_batch",
    "units",
]


def _column(values):
    """A column as the native calls take it: a list of str/None, or a list
    of objects with ``__arrow_c_array__`` (the chunks of one Arrow column)."""
    if isinstance(values, (list, tuple)):
        return values
    if hasattr(values, "__arrow_c_array__"):  # pyarrow.Array and the like
        return values
    to_arrow = getattr(values, "to_arrow", None)
    if callable(to_arrow) and not hasattr(values, "chunks"):  # polars.Series
        values = to_arrow()
        if hasattr(values, "__arrow_c_array__"):
            return values
    chunks = getattr(values, "chunks", None)
    if chunks is not None:  # pyarrow.ChunkedArray
        return list(chunks)
    if type(values).__module__.startswith("pandas"):  # pandas.Series
        import pyarrow as pa

        return pa.array(values, from_pandas=True)
    return list(values)


def _table(parts):
    """One ``pyarrow.Table`` from the native batches, without copying."""
    import pyarrow as pa

    return pa.Table.from_batches([pa.record_batch(p) for p in parts])


def resolve_batch(texts, *, threads: int = 0):
    """Resolves many addresses: a ``pyarrow.Table`` with one row per text
    and the columns ``outcome``, ``code``, ``name``, ``level``,
    ``county_code``, ``county``, ``chain`` (names joined by ``/``),
    ``spans`` (``start-end:code`` in ``str`` indices, separated by spaces)
    and ``remainder``. A null text gives a null row. A text longer than
    512 MiB raises ``ValueError`` (a batch's columns are cut before they
    reach 1 GiB; only the first 4 KiB of a text is read, as :func:`resolve`
    reads it).

    >>> t = xzqh.resolve_batch(["广东深圳南山粤海街道", "朝阳区"])
    >>> t.column("outcome").to_pylist()
    ['resolved', 'ambiguous']
    >>> t.column("chain")[0].as_py()
    '广东省/深圳市/南山区/粤海街道'
    >>> t.column("spans")[0].as_py()
    '0-2:44 2-4:4403 4-6:440305 6-10:440305007'
    """
    return _table(_xzqh._resolve_batch(_column(texts), threads))


def unit_batch(codes, *, threads: int = 0):
    """Units by code: columns ``code``, ``name``, ``level``, ``kind`` and
    ``parent`` (the parent's code); nulls where no unit has the code.

    >>> xzqh.unit_batch(["440305", "999999"]).column("name").to_pylist()
    ['南山区', None]
    """
    return _table(_xzqh._unit_batch(_column(codes), threads))


def lookup_batch(names, *, threads: int = 0):
    """Names to units as :func:`lookup` reads them: columns ``code``,
    ``name`` and ``error`` (the message :func:`lookup` would raise).

    >>> t = xzqh.lookup_batch(["广东 南山", "朝阳区"])
    >>> t.column("code").to_pylist()
    ['440305', None]
    >>> t.column("error")[1].as_py().startswith('"朝阳区" is ambiguous')
    True
    """
    return _table(_xzqh._lookup_batch(_column(names), threads))


def route_batch(places, categories, severities=None, *, threads: int = 0):
    """Routes many cases: ``places`` holds each case's codes separated by
    spaces, ``categories`` its category, ``severities`` (optional) its
    grade. Columns ``handler_code``, ``handler``, ``level``, ``tiers``,
    ``escalation`` (codes separated by spaces) and ``error`` (the message
    :func:`route` would raise).

    >>> t = xzqh.route_batch(["440305007", "999999"], ["urban_management"] * 2)
    >>> t.column("handler_code").to_pylist()
    ['440305007', None]
    >>> t.column("error").to_pylist()
    [None, 'unknown place 999999']
    """
    sev = None if severities is None else _column(severities)
    return _table(
        _xzqh._route_batch(_column(places), _column(categories), sev, threads)
    )


def history_batch(codes, year=None, *, threads: int = 0):
    """Old codes through the history, as :func:`history` follows them (all
    as written in ``year``, or each in its last year of use): columns
    ``status``, ``units`` (today's codes separated by spaces) and ``error``.

    >>> xzqh.history_batch(["371200", "440305"]).column("units").to_pylist()
    ['3701', '440305']
    """
    return _table(_xzqh._history_batch(_column(codes), year, threads))


def governs_batch(a, b, *, threads: int = 0):
    """:func:`governs` for many pairs: columns ``relation``, ``distance``,
    ``via`` (nulls where ``a`` does not govern ``b``) and ``error`` (for a
    code no unit has).

    >>> xzqh.governs_batch(["44", "440305"], ["440305007", "44"]).column("distance").to_pylist()
    [3, None]
    """
    return _table(_xzqh._governs_batch(_column(a), _column(b), threads))
