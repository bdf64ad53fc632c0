#!/usr/bin/env python3
"""MSRV check for dependencies: every package the library depends on (all
features, normal, dev and build dependencies, Linux targets) declares a
rust-version at or below this crate's, or none.

Only one toolchain can be installed where CI runs, so the MSRV is checked
twice without it: clippy's incompatible_msrv lint (run under -D warnings in
.ci/run) for our own use of std, and this script for our dependencies."""

import json
import subprocess
import sys


def version(v):
    return tuple(int(x) for x in v.split("."))


meta = json.loads(
    subprocess.run(
        [
            "cargo", "metadata", "--format-version", "1", "--all-features",
            "--filter-platform", "x86_64-unknown-linux-gnu",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
ours = next(p for p in meta["packages"] if p["name"] == "xzqh")
msrv = version(ours["rust_version"])
# The library's own dependency closure (normal, dev and build), not the
# other workspace members' (the server's web stack, the benches' criterion).
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
reached, todo = set(), [ours["id"]]
while todo:
    node = nodes[todo.pop()]
    for d in node["deps"]:
        if d["pkg"] not in reached:
            reached.add(d["pkg"])
            todo.append(d["pkg"])
deps = [p for p in meta["packages"] if p["id"] in reached and p["source"]]
too_new = [p for p in deps if p.get("rust_version") and version(p["rust_version"]) > msrv]
undeclared = sorted(p["name"] for p in deps if not p.get("rust_version"))
highest = max((version(p["rust_version"]), p["name"]) for p in deps if p.get("rust_version"))
for p in too_new:
    print(f"{p['name']} {p['version']} needs Rust {p['rust_version']}, above our {ours['rust_version']}")
print(
    f"msrv {ours['rust_version']}: {len(deps)} dependencies, highest declared "
    f"{'.'.join(map(str, highest[0]))} ({highest[1]}), {len(undeclared)} declare none"
)
sys.exit(1 if too_new else 0)
