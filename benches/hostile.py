#!/usr/bin/env python3
"""Every command on the hostile inputs of issues 12 and 23, each under 1 MB: the table of
docs/limits.md.

For each input it runs validate, status, timeline and check (table and JSON) and an export to
every format, and reports the slowest run, the largest peak memory and the most output (stdout
and stderr together, as a multiple of the input). The goal: at most 2 s, 200 MB and 20x.

    cargo build --release
    python3 benches/hostile.py [--bin target/release/breachline] [--keep DIR]

Needs GNU time at /usr/bin/time (apt-get install time).

Exits 1 when a run crashes (exit code above 2) or misses the goal.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

HEAD = (
    "format: 1\nid: x\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\n"
    "sources:\n  - {id: s1, title: t, publisher: p}\n"
)
EXPORTS = ["csv", "json", "markdown", "html", "ics", "xlsx", "veris", "stix"]
COMMANDS = (
    [["validate"], ["status"], ["status", "--format", "json"], ["timeline"]]
    + [["timeline", "--format", "json"], ["check"], ["check", "--format", "json"]]
    + [["export", "--format", f] + (["--include-events"] if f == "ics" else []) for f in EXPORTS]
    # Tables wrapped to a terminal (issue 23: ids did not wrap, output grew with the square).
    + [[c, "--width", w] for c in ("status", "timeline", "check") for w in ("20", "80")]
)
GOAL_SECONDS, GOAL_MB, GOAL_RATIO = 2.0, 200, 20


def undeclared_sources(n):
    events = ", ".join(
        f"{{id: e{i}, date: 2025-01-01, kind: other, title: t, sources: [nope{i}]}}"
        for i in range(n)
    )
    return f"{HEAD}events: [{events}]\n"


def warnings(n):
    # Events citing no source and open items without a due date: two warnings each.
    events = ", ".join(f"{{id: e{i}, date: 2025-01-01, kind: other, title: t}}" for i in range(n))
    items = ", ".join(f"{{id: r{i}, title: t, status: planned, sources: []}}" for i in range(n))
    return f"{HEAD}events: [{events}]\nremediation: [{items}]\n"


def dense(n, what):
    # The shortest entries that are valid: as many records as 1 MB holds, for every format.
    if what == "events":
        entries = ", ".join(f"{{id: e{i}, date: 2025-01-01, kind: other, title: t}}" for i in range(n))
    else:
        entries = ", ".join(f"{{id: r{i}, title: t, status: planned, sources: []}}" for i in range(n))
    return f"{HEAD}{what}: [{entries}]\n"


def help_list_bomb(n):
    events = "".join(
        f"  - {{id: e{i}, date: 2025-01-01, kind: other, title: t, sources: [s1]}}\n"
        for i in range(n)
    )
    obligations = "".join(
        f"  - {{id: o{i}, title: t, rule: appi-preliminary, starts_at: nope{i}, sources: [s1]}}\n"
        for i in range(n)
    )
    return f"{HEAD}events:\n{events}obligations:\n{obligations}"


def long_ids(n):
    sources = "".join(
        f"  - {{id: s{i}{'x' * 20_000}, title: t, publisher: p}}\n" for i in range(20)
    )
    events = "".join(
        f"  - {{id: e{i}, date: 2025-01-01, kind: other, title: t, sources: [nope]}}\n"
        for i in range(n)
    )
    head = HEAD.split("sources:\n")[0]
    return f"{head}sources:\n{sources}events:\n{events}"


def long_title():
    title = "漏えい" * (250_000 // 9)
    return HEAD.replace("title: t\n", f"title: {title}\n", 1)


def long_id_beside_long_title():
    # Issue 23: a 2,000-character item id beside a 58 kB title, 60 kB in all.
    rid = "r" * 2000
    title = "the remediation item whose title goes on " * 1400
    return (
        HEAD.replace("id: x\n", f"id: i{rid}\n", 1)
        + f"remediation:\n  - {{id: {rid}, title: {title}, due: 2025-05-31, status: planned,"
        + " sources: [s1]}\n"
    )


def alias_repeated_title(n):
    # Issue 23: one 4,000-byte title repeated by n aliases.
    head = HEAD.replace("title: t\n", f"title: &t {'x' * 4000}\n", 1)
    events = "".join(
        f"  - {{id: e{i}, date: 2025-01-01, kind: other, title: *t, sources: [s1]}}\n"
        for i in range(n)
    )
    return f"{head}events:\n{events}"


INPUTS = [
    (f"one-line list of {n} events, undeclared sources", lambda n=n: undeclared_sources(n))
    for n in (500, 2000, 4000)
] + [
    (f"one-line lists of {n} events and {n} items, warnings", lambda n=n: warnings(n))
    for n in (500, 2000, 4000)
] + [
    ("5,000 obligations starting at unknown events", lambda: help_list_bomb(5000)),
    ("20 sources with 20 kB ids, 2,000 events citing an unknown one", lambda: long_ids(2000)),
    ("a 250 kB Japanese title", long_title),
    ("18,000 events, the shortest that are valid", lambda: dense(18_000, "events")),
    ("18,000 items, the shortest that are valid", lambda: dense(18_000, "remediation")),
    ("a 2,000-character id beside a 58 kB title", long_id_beside_long_title),
    ("240 aliases of a 4,000-byte title", lambda: alias_repeated_title(240)),
]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", default="target/release/breachline")
    p.add_argument("--keep", help="write the inputs here instead of a temporary directory")
    p.add_argument("--only", help="run the inputs whose name holds this text")
    args = p.parse_args()
    binary = os.path.abspath(args.bin)
    work = args.keep or tempfile.mkdtemp(prefix="breachline-hostile.")
    os.makedirs(work, exist_ok=True)
    failed = False
    print("| Input | Size | Slowest | Peak RSS | Most output (× input) |")
    print("|---|---:|---:|---:|---:|")
    for name, make in INPUTS:
        if args.only and args.only not in name:
            continue
        text = make().encode()
        path = os.path.join(work, "input.yaml")
        with open(path, "wb") as f:
            f.write(text)
        slowest = (0.0, "")
        biggest = (0, "")
        most = (0, "")
        for cmd in COMMANDS:
            argv = [binary, "--as-of", "2025-06-01", *cmd, "input.yaml"]
            start = time.perf_counter()
            proc = subprocess.Popen(
                argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            out, err = proc.communicate()
            elapsed = time.perf_counter() - start
            code = proc.returncode
            label = " ".join(cmd)
            if code > 2 or code < 0:
                print(f"{name}: `{label}` exited with {code}", file=sys.stderr)
                failed = True
            slowest = max(slowest, (elapsed, label))
            most = max(most, (len(out) + len(err), label))
            rss = peak_rss_of(argv, work)
            biggest = max(biggest, (rss, label))
        ratio = most[0] / len(text)
        print(
            f"| {name} | {len(text) / 1000:.0f} KB | {slowest[0]:.2f} s (`{slowest[1]}`) "
            f"| {biggest[0] / 1024:.0f} MB (`{biggest[1]}`) | {ratio:.2f}× (`{most[1]}`) |"
        )
        if slowest[0] > GOAL_SECONDS or biggest[0] / 1024 > GOAL_MB or ratio > GOAL_RATIO:
            failed = True
    return 1 if failed else 0


def peak_rss_of(argv, cwd):
    """Peak resident memory of one more run, in KiB, as GNU time reports it (a child forked
    from Python would count Python's own pages until it execs)."""
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *argv],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return int(out.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
