"""Resolve a table of addresses too big for one machine with Dask's
distributed scheduler.

Each partition is a pandas DataFrame; its address column goes to
``xzqh.resolve_batch`` as an Arrow array (no copy), which resolves it on
every core of the worker with the GIL released, and the result columns come
back as Arrow-backed pandas columns beside the input's. The ``xzqh`` wheel
must be installed on every worker (``pip install xzqh-….whl`` in the
workers' image or environment); this file itself is shipped to the workers
by ``Client.upload_file``.

On a real cluster::

    python dask_resolve.py 's3://bucket/addresses/*.parquet' s3://bucket/resolved/ \\
        --column address --scheduler tcp://scheduler:8786

Without ``--scheduler`` it starts a local cluster of two worker processes
(what the test does). Input is Parquet (or CSV when the path ends in
``.csv``); output is Parquet, one file per partition.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd
import pyarrow as pa

import xzqh

#: The columns added to each row (see ``xzqh.resolve_batch``).
RESULT_COLUMNS = [
    "outcome", "code", "name", "level", "county_code", "county", "chain", "spans", "remainder",
]


def resolve_partition(df: pd.DataFrame, column: str = "address") -> pd.DataFrame:
    """One partition: the input's columns, then the resolution's."""
    texts = pa.array(df[column], type=pa.string(), from_pandas=True)
    resolved = xzqh.resolve_batch(texts).to_pandas(types_mapper=pd.ArrowDtype)
    resolved.index = df.index
    return pd.concat([df, resolved], axis=1)


def resolve_dataframe(ddf, column: str = "address"):
    """A Dask DataFrame with the resolution's columns added, lazily."""
    meta = resolve_partition(ddf._meta, column)
    return ddf.map_partitions(resolve_partition, column, meta=meta)


def run(source: str, target: str, column: str = "address", scheduler: str | None = None,
        workers: int = 2) -> int:
    """Reads ``source``, resolves ``column`` on the cluster, writes Parquet
    to ``target``; returns the number of rows written."""
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        # Workers import xzqh from their own environment; this module goes
        # to them so that they can unpickle `resolve_partition`.
        client.upload_file(__file__)
        read = dd.read_csv if source.endswith(".csv") else dd.read_parquet
        ddf = read(source)
        out = resolve_dataframe(ddf, column)
        out.to_parquet(target, write_index=False)
        return int(dd.read_parquet(target).shape[0].compute())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", help="Parquet files (a path or glob), or a .csv file")
    p.add_argument("target", help="an output directory for Parquet files")
    p.add_argument("--column", default="address", help="the column of addresses")
    p.add_argument("--scheduler", help="the scheduler's address (default: a local cluster)")
    p.add_argument("--workers", type=int, default=2, help="local workers (default 2)")
    args = p.parse_args(argv)
    rows = run(args.source, args.target, args.column, args.scheduler, args.workers)
    print(f"{rows} rows resolved to {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
