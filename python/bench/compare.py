"""xzqh's Python package beside cpca and JioNLP on the same generated
addresses: speed and county-level accuracy, in one run.

    cargo run --release -p xzqh-benches --bin gen-addresses -- 1000000 target/addresses
    python3 -m venv target/py-bench
    target/py-bench/bin/pip install python/target/wheels/xzqh-*.whl cpca jionlp
    cargo build --release -p xzqh-cli
    target/py-bench/bin/python python/bench/compare.py target/addresses benches/python.json target/release/xzqh

The addresses are real townships written in six forms with street text
(`xzqh_benches::address_set`); each comes with the township it was written
from and that township's county-level unit (its prefecture where it has no
county). An answer is right at county level when it names that unit.
xzqh is timed on all of them; cpca on a sample (tens of microseconds an
address); JioNLP on a smaller one (milliseconds an address). The figures go
to a JSON file that `cargo run -p xzqh-benches --bin report` puts into
BENCHMARKS.md.
"""

import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

import pyarrow as pa

import xzqh

CPCA_SAMPLE = 100_000
JIONLP_SAMPLE = 2_000
SINGLE_SAMPLE = 200_000


def load(stem):
    with open(stem + ".txt", encoding="utf-8") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    with open(stem + ".labels.tsv", encoding="utf-8") as f:
        next(f)
        labels = [line.rstrip("\n").split("\t") for line in f]
    assert len(texts) == len(labels), (len(texts), len(labels))
    return texts, labels


def six(code):
    """A county-level (or prefecture) code as the 6-digit adcode cpca writes."""
    return code.ljust(6, "0")


def best(f, repeat=3):
    """The best of `repeat` runs: (wall seconds, CPU seconds of this process
    (all threads), the result). On a shared machine the CPU time is the
    steadier figure: it does not count the time other processes had."""
    runs = []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = f()
        runs.append((time.perf_counter() - t, time.process_time() - c))
    wall, cpu = min(runs)
    return wall, cpu, out


def xzqh_county(table):
    """Each row's county-level answer: its county, else the prefecture of a
    township with no county above it (东莞, 中山, 儋州, 嘉峪关)."""
    county = table.column("county_code").to_pylist()
    code = table.column("code").to_pylist()
    level = table.column("level").to_pylist()
    out = []
    for c, u, lv in zip(county, code, level):
        if c is None and u is not None and lv == "township":
            c = u[:4]
        out.append(c)
    return out


def cli(binary, stem, n):
    """`xzqh resolve FILE > CSV`, end to end: wall time and the child's CPU."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.csv")
        runs = []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            with open(out, "wb") as f:
                code = subprocess.run([binary, "resolve", stem + ".txt"], stdout=f).returncode
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            assert code in (0, 1), code
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            runs.append((wall, cpu))
        with open(out, "rb") as f:
            assert sum(1 for _ in f) == n + 1
    wall, cpu = min(runs)
    return {"cli_per_s": n / wall, "cli_cpu_us": cpu / n * 1e6, "cli_s": wall}


def main(stem, out_path, binary=None):
    texts, labels = load(stem)
    n = len(texts)
    result = {
        "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        + f", load average {os.getloadavg()[0]:.1f}",
        "addresses": n,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared; timings are noisy)",
        "python": platform.python_version(),
        "xzqh": xzqh.__version__,
    }
    # xzqh, in batch: an Arrow array in, an Arrow table out, every core.
    arr = pa.array(texts)
    xzqh.resolve_batch(arr[:1000])  # build the dictionary outside the timing
    secs, cpu, table = best(lambda: xzqh.resolve_batch(arr))
    result["batch_arrow_s"] = secs
    result["batch_arrow_per_s"] = n / secs
    result["batch_arrow_cpu_us"] = cpu / n * 1e6
    secs1, cpu1, _ = best(lambda: xzqh.resolve_batch(arr, threads=1), repeat=1)
    result["batch_arrow_one_thread_per_s"] = n / secs1
    result["batch_arrow_one_thread_cpu_us"] = cpu1 / n * 1e6
    secs_list, cpu_list, _ = best(lambda: xzqh.resolve_batch(texts), repeat=1)
    result["batch_list_per_s"] = n / secs_list
    result["batch_list_cpu_us"] = cpu_list / n * 1e6
    got = xzqh_county(table)
    right = sum(g == lab[1] for g, lab in zip(got, labels))
    result["xzqh_county_accuracy"] = right / n
    # xzqh, one call at a time from Python.
    sample = texts[:SINGLE_SAMPLE]
    resolve = xzqh.resolve
    t, cpu, _ = best(lambda: [resolve(s) for s in sample], repeat=2)
    result["single_sample"] = len(sample)
    result["single_us"] = t / len(sample) * 1e6
    result["single_per_s"] = len(sample) / t
    result["single_cpu_us"] = cpu / len(sample) * 1e6

    # cpca: its batch call on a sample.
    import cpca

    cs = texts[:CPCA_SAMPLE]
    secs, cpu, df = best(lambda: cpca.transform(cs), repeat=1)
    result["cpca_sample"] = len(cs)
    result["cpca_per_s"] = len(cs) / secs
    result["cpca_cpu_us"] = cpu / len(cs) * 1e6
    adcodes = df["adcode"].tolist()
    counties = df["区"].tolist()
    right = 0
    for code, county, lab in zip(adcodes, counties, labels):
        want = six(lab[1])
        # cpca answers a county when it read one; a prefecture's adcode
        # counts only where the label is a prefecture (no county above).
        if isinstance(code, str) and code == want and (isinstance(county, str) or len(lab[1]) == 4):
            right += 1
    result["cpca_county_accuracy"] = right / len(cs)

    # JioNLP: one address at a time, on a smaller sample.
    import jionlp

    js = texts[:JIONLP_SAMPLE]
    jionlp.parse_location(js[0])  # load its dictionaries outside the timing
    secs, cpu, parsed = best(lambda: [jionlp.parse_location(s) for s in js], repeat=1)
    result["jionlp_sample"] = len(js)
    result["jionlp_per_s"] = len(js) / secs
    result["jionlp_cpu_us"] = cpu / len(js) * 1e6
    right = 0
    for p, lab in zip(parsed, labels):
        unit = xzqh.unit(lab[1])
        chain = [u.name for u in unit.chain]
        if len(lab[1]) == 6:
            ok = p.get("county") == chain[-1] and p.get("province") == chain[0]
        else:  # a prefecture with no county: JioNLP names it as the city
            ok = p.get("city") == chain[-1] and not p.get("county")
        right += ok
    result["jionlp_county_accuracy"] = right / len(js)

    if binary:
        result.update(cli(binary, stem, n))

    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main(*sys.argv[1:4])
