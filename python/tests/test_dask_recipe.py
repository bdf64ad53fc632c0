"""The Dask recipe (recipes/dask_resolve.py) on a local cluster of two
worker processes: the same code a real cluster runs with --scheduler."""

import os
import pathlib
import sys

import pandas as pd
import pyarrow as pa

import xzqh

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "recipes"))
import dask_resolve  # noqa: E402


def test_recipe_resolves_a_partitioned_table_on_worker_processes(tmp_path):
    texts = [
        ["广东深圳南山粤海街道科技园路12号", "朝阳区", "北京朝阳区", "12号楼", None][i % 5]
        for i in range(4000)
    ]
    source = tmp_path / "in"
    source.mkdir()
    # Four files: four partitions.
    for k in range(4):
        part = pd.DataFrame({"id": range(k * 1000, (k + 1) * 1000), "address": texts[k * 1000:(k + 1) * 1000]})
        part.to_parquet(source / f"part{k}.parquet", index=False)
    target = tmp_path / "out"

    rows = dask_resolve.run(str(source / "*.parquet"), str(target), scheduler=None, workers=2)

    assert rows == 4000
    got = pd.read_parquet(target).sort_values("id").reset_index(drop=True)
    assert got["id"].tolist() == list(range(4000))
    want = xzqh.resolve_batch(pa.array(texts)).to_pandas()
    def plain(column):
        return [None if pd.isna(x) else x for x in column]

    for c in dask_resolve.RESULT_COLUMNS:
        assert plain(got[c]) == plain(want[c]), c


def test_partition_function_alone():
    df = pd.DataFrame({"address": ["北京朝阳区", None]}, index=[7, 9])
    out = dask_resolve.resolve_partition(df)
    assert list(out.index) == [7, 9]
    assert out["code"].tolist()[0] == "110105"
    assert pd.isna(out["code"].tolist()[1])
    assert os.path.basename(dask_resolve.__file__) == "dask_resolve.py"
