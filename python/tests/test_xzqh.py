"""Tests of the installed xzqh wheel: every operation one at a time and in
batch, list/pyarrow/polars inputs, errors, the GIL released during a batch,
the docstring examples, and the type stubs against the module."""

import ast
import doctest
import inspect
import pathlib
import threading
import time

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import xzqh

STUBS = pathlib.Path(__file__).resolve().parent.parent / "xzqh" / "__init__.pyi"


def test_unit_by_code_in_any_form():
    u = xzqh.unit("440305000000")
    assert (u.code, u.name, u.level, u.kind) == ("440305", "南山区", "county", "district")
    assert u.parent == xzqh.unit("4403")
    assert [a.code for a in u.chain] == ["44", "4403", "440305"]
    assert xzqh.unit("44").parent is None
    assert xzqh.unit("999999") is None
    assert xzqh.unit("440305007") in u.children
    assert hash(u) == hash(xzqh.unit("440305"))


def test_units_and_lookup_by_name():
    assert [u.code for u in xzqh.units("朝阳区")] == ["110105", "220104"]
    assert xzqh.units("北京 长春") == []
    assert xzqh.lookup("广东 南山").code == "440305"
    with pytest.raises(xzqh.AmbiguousNameError) as e:
        xzqh.lookup("朝阳区")
    # The Rust library's message, unchanged.
    assert str(e.value) == '"朝阳区" is ambiguous: 2 units match (110105 朝阳区, 220104 朝阳区)'
    with pytest.raises(xzqh.NameNotFoundError, match='no unit named "长春"'):
        xzqh.lookup("北京 长春")
    with pytest.raises(xzqh.EmptyNameError):
        xzqh.lookup("  ")
    assert issubclass(xzqh.NameNotFoundError, xzqh.NameQueryError)
    assert issubclass(xzqh.NameQueryError, xzqh.XzqhError)


def test_resolve_one():
    r = xzqh.resolve("深圳南山区粤海街道科技园路12号")
    assert (r.outcome, r.code, r.name, r.level) == ("resolved", "440305007", "粤海街道", "township")
    assert (r.county_code, r.county) == ("440305", "南山区")
    assert [u.name for u in r.chain] == ["广东省", "深圳市", "南山区", "粤海街道"]
    assert [r.text[s:e] for s, e, _ in r.spans] == ["深圳", "南山区", "粤海街道"]
    assert [c for _, _, c in r.spans] == ["4403", "440305", "440305007"]
    assert r.remainder == "科技园路12号"
    assert r.to_dict()["chain"] == ["44", "4403", "440305", "440305007"]
    amb = xzqh.resolve("朝阳区")
    assert amb.outcome == "ambiguous" and amb.code is None and amb.unit is None
    assert [c.code for c in amb.candidates] == ["110105", "220104", "231282001"]
    assert xzqh.resolve("12号楼").outcome == "not_found"
    conflict = xzqh.resolve("广东省深圳市宝安区西乡街道 寄 浙江省杭州市余杭区")
    assert conflict.outcome == "conflict"


def test_resolve_one_reads_any_str():
    # Characters of 1 to 4 UTF-8 bytes before, inside and after the names:
    # spans are str indices and the remainder is cut between characters.
    for text in ["𠀀é北京朝阳区😀3号", "😀😀深圳南山区粤海街道 x", "北京市朝阳区, 南磨房地区 3号楼"]:
        r = xzqh.resolve(text)
        assert r.text == text
        for s, e, code in r.spans:
            assert xzqh.unit(code) is not None and text[s:e]
        assert text.endswith(r.remainder)
        d = r.to_dict()
        assert d["spans"] == r.spans and d["remainder"] == r.remainder and d["text"] == text
        assert d["chain"] == [u.code for u in r.chain]
    r = xzqh.resolve("𠀀é北京朝阳区😀3号")
    assert [r.text[s:e] for s, e, _ in r.spans] == ["北京", "朝阳区"]
    assert r.remainder == "😀3号"
    with pytest.raises(UnicodeEncodeError):
        xzqh.resolve("北京\ud800")
    with pytest.raises(TypeError):
        xzqh.resolve(5)


def test_resolutions_outlive_collections():
    # Results are not tracked by the cycle collector (they hold no
    # references that could form a cycle); they must stay intact and be
    # freed as usual.
    import gc

    rs = [xzqh.resolve(t) for t in ["深圳南山区粤海街道", "朝阳区", "12号楼"] * 1000]
    gc.collect()
    assert [r.code for r in rs[:3]] == ["440305007", None, None]
    assert rs[-2].candidates[0].code == "110105"
    del rs
    gc.collect()


def test_route_one():
    d = xzqh.route(["110105021", "110118101"], "public_complaint")
    assert d.handler.code == "11"
    assert xzqh.route("440305007", "urban_management").handler.name == "粤海街道"
    assert "handles the case" in xzqh.route("440305007", "urban_management").explain()
    with pytest.raises(xzqh.RoutingError, match="^unknown place 999999$"):
        xzqh.route("999999", "urban_management")
    with pytest.raises(xzqh.RoutingError, match="^unknown category `noise`$"):
        xzqh.route("440305007", "noise")


def test_history_one():
    h = xzqh.history("371200")
    assert (h["status"], [u.code for u in h["units"]]) == ("changed", ["3701"])
    assert h["changes"][0].startswith("2018-12-26 merge: 371200 莱芜市")
    with pytest.raises(xzqh.HistoryLookupError, match="^code 371200 was not in use in 1990"):
        xzqh.history("371200", 1990)
    with pytest.raises(xzqh.HistoryLookupError, match="unknown code 999999"):
        xzqh.history("999999")


def test_governs_one():
    j = xzqh.governs("44", "440305007")
    assert (j["relation"], j["distance"], j["via"].code) == ("administrative", 3, "44")
    assert xzqh.governs("440305", "44") is None
    with pytest.raises(xzqh.UnknownCodeError, match='"999999"'):
        xzqh.governs("999999", "44")


TEXTS = ["广东深圳南山粤海街道", "朝阳区", None, "12号楼", "北京朝阳区"]


def expected(texts):
    """The batch result built from single calls: the slow obvious reference."""
    rows = []
    for t in texts:
        if t is None:
            rows.append(None)
            continue
        r = xzqh.resolve(t)
        rows.append((r.outcome, r.code, r.county_code, "/".join(u.name for u in r.chain), r.remainder))
    return rows


def as_rows(table):
    d = table.to_pydict()
    return [
        None if o is None else (o, c, cc, ch, rem)
        for o, c, cc, ch, rem in zip(d["outcome"], d["code"], d["county_code"], d["chain"], d["remainder"])
    ]


@pytest.mark.parametrize(
    "make",
    [
        list,
        tuple,
        pa.array,
        lambda v: pa.array(v, pa.large_string()),
        lambda v: pa.array(v, pa.string_view()),
        lambda v: pa.chunked_array([v[:2], v[2:]]),
        pl.Series,
        lambda v: pd.Series(v, dtype="object"),
    ],
    ids=["list", "tuple", "pyarrow", "large_string", "string_view", "chunked", "polars", "pandas"],
)
def test_resolve_batch_inputs(make):
    t = xzqh.resolve_batch(make(TEXTS))
    assert isinstance(t, pa.Table) and t.num_rows == len(TEXTS)
    assert as_rows(t) == expected(TEXTS)


def test_resolve_batch_spans_and_outputs():
    t = xzqh.resolve_batch(["深圳南山区粤海街道科技园路12号"])
    assert t.column("spans")[0].as_py() == "0-2:4403 2-5:440305 5-9:440305007"
    assert t.schema.names == [
        "outcome", "code", "name", "level", "county_code", "county", "chain", "spans", "remainder",
    ]
    assert xzqh.resolve_batch([]).num_rows == 0
    df = pl.from_arrow(t)
    assert df["code"].to_list() == ["440305007"]
    assert t.to_pandas(types_mapper=pd.ArrowDtype)["county"].tolist() == ["南山区"]


def generated_texts():
    """Texts written from real townships (full chain, without the province,
    county and township only) with street text holding commas, quotes and
    characters of 1 to 4 UTF-8 bytes; ambiguous, conflicting, unknown and
    null rows among them; every text twice."""
    extras = ["科技园路12号", ",A座", '"东门"', "3号\t楼", "😀1号", "", "é"]
    texts = ["朝阳区", None, "12号楼", "", "广东省深圳市宝安区西乡街道 寄 浙江省杭州市余杭区"]
    for p in ["44", "11", "65", "42"]:
        for pref in xzqh.unit(p).children[:4]:
            for county in pref.children[:3]:
                for i, town in enumerate(county.children[:3]):
                    names = [u.name for u in town.chain]
                    extra = extras[(len(texts) + i) % len(extras)]
                    texts += ["".join(names) + extra, " ".join(names[1:]) + extra, "".join(names[-2:]) + extra]
    return texts + texts


def test_resolve_batch_matches_single_calls_on_every_column():
    texts = generated_texts()
    assert len(texts) > 500
    for threads in (1, 2):
        d = xzqh.resolve_batch(texts, threads=threads).to_pydict()
        for i, t in enumerate(texts):
            got = {k: v[i] for k, v in d.items()}
            if t is None:
                assert set(got.values()) == {None}
                continue
            r = xzqh.resolve(t)
            assert got == {
                "outcome": r.outcome,
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "county_code": r.county_code,
                "county": r.county,
                "chain": "/".join(u.name for u in r.chain),
                "spans": " ".join(f"{s}-{e}:{c}" for s, e, c in r.spans),
                "remainder": r.remainder,
            }, t


def test_batch_in_parallel_equals_one_thread():
    # Enough rows to split across threads; every thread count gives the same table.
    texts = [f"广东深圳南山粤海街道{i}号" if i % 3 else "朝阳区" for i in range(20000)]
    one = xzqh.resolve_batch(texts, threads=1)
    many = xzqh.resolve_batch(pa.array(texts), threads=3)
    assert one.num_rows == many.num_rows == 20000
    assert one.combine_chunks().equals(many.combine_chunks())
    assert many.column("code").num_chunks == 3


def test_large_batches_go_in_chunks_in_order():
    # More rows than two threads take in one chunk each: the chunks come
    # back in the input's order whichever thread resolved them.
    texts = [f"{c}{i}号" for i, c in enumerate(["深圳南山粤海街道", "朝阳区", "北京朝阳区"] * 50000)]
    one = xzqh.resolve_batch(texts, threads=1)
    two = xzqh.resolve_batch(pa.array(texts), threads=2)
    assert two.column("code").num_chunks == 3
    assert one.combine_chunks().equals(two.combine_chunks())
    assert two.column("remainder")[149999].as_py() == "149999号"


def test_other_batches_match_single_calls():
    codes = ["440305", "999999", None, "110105021"]
    t = xzqh.unit_batch(codes)
    assert t.column("name").to_pylist() == [
        None if c is None or xzqh.unit(c) is None else xzqh.unit(c).name for c in codes
    ]
    assert t.column("parent").to_pylist() == ["4403", None, None, "110105"]
    t = xzqh.lookup_batch(pa.array(["广东 南山", "朝阳区", "北京 长春"]))
    assert t.column("code").to_pylist() == ["440305", None, None]
    with pytest.raises(xzqh.NameNotFoundError) as e:
        xzqh.lookup("北京 长春")
    assert t.column("error")[2].as_py() == str(e.value)
    t = xzqh.route_batch(pl.Series(["440305007", "999999"]), ["urban_management"] * 2)
    assert t.column("handler_code").to_pylist() == ["440305007", None]
    assert t.column("error").to_pylist() == [None, "unknown place 999999"]
    assert t.column("escalation")[0].as_py() == " ".join(
        u.code for u in xzqh.route("440305007", "urban_management").escalation
    )
    t = xzqh.history_batch(["371200", "440305", "999999"])
    assert t.column("units").to_pylist() == ["3701", "440305", None]
    assert t.column("error")[2].as_py() == "unknown code 999999: not in any yearly table"
    t = xzqh.governs_batch(["44", "440305", "999999"], ["440305007", "44", "44"])
    assert t.column("distance").to_pylist() == [3, None, None]
    assert t.column("error").to_pylist()[2] == 'no unit has the code "999999"'
    with pytest.raises(ValueError, match="one length"):
        xzqh.governs_batch(["44"], [])


def test_batch_input_errors():
    with pytest.raises(TypeError, match="found int"):
        xzqh.resolve_batch(["北京", 3])
    with pytest.raises(TypeError, match="found one str"):
        xzqh._xzqh._resolve_batch("北京朝阳区", 0)
    with pytest.raises(TypeError, match="Arrow array of strings"):
        xzqh.resolve_batch(pa.array([1, 2]))


def test_gil_released_while_a_batch_resolves():
    texts = pa.array(["广东省深圳市南山区粤海街道科技园路12号"] * 400_000)
    ticks = []
    done = threading.Event()

    def count():
        # Pure Python work: it only advances while the GIL is free.
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=count)
    start = time.perf_counter()
    t.start()
    try:
        table = xzqh.resolve_batch(texts, threads=1)
    finally:
        end = time.perf_counter()
        done.set()
        t.join()
    assert table.num_rows == 400_000
    during = [x for x in ticks if start < x < end]
    # Were the GIL held through the batch, the thread could tick only at its
    # edges; with it released the thread keeps ticking every millisecond.
    assert len(during) >= 10, (len(during), end - start)


def test_docstring_examples():
    """Every example in the module's docstrings runs and gives its output."""
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    objects = [xzqh] + [getattr(xzqh, n) for n in xzqh.__all__ if n != "__version__"]
    methods = [
        getattr(cls, m) for cls in (xzqh.Unit, xzqh.Resolution, xzqh.Decision) for m in dir(cls) if not m.startswith("_")
    ]
    examples = 0
    for obj in objects + methods:
        doc = inspect.getdoc(obj) or ""
        test = parser.get_doctest(doc, {"xzqh": xzqh}, getattr(obj, "__name__", "?"), None, 0)
        examples += len(test.examples)
        runner.run(test)
    assert examples >= 20
    assert runner.failures == 0


def stub_names():
    tree = ast.parse(STUBS.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names - {"Column"}


def test_stubs_match_the_module():
    assert stub_names() == set(xzqh.__all__)
    for name in xzqh.__all__:
        assert hasattr(xzqh, name), name
    # Each class's stubbed members exist, and each public member is stubbed.
    tree = ast.parse(STUBS.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not issubclass(getattr(xzqh, node.name), Exception):
            stubbed = {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
            public = {m for m in dir(getattr(xzqh, node.name)) if not m.startswith("_")}
            assert stubbed - {"__eq__", "__hash__"} == public, node.name
    # The functions' parameters agree with the stubs.
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            params = [a.arg for a in node.args.args + node.args.kwonlyargs]
            real = list(inspect.signature(getattr(xzqh, node.name)).parameters)
            assert params == real, node.name
