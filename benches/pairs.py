#!/usr/bin/env python3
"""Times commands in alternation: A, B, C, A, B, C, ... (after one warm-up round).

On a machine shared with other work, a burst of load then hits every command of a round, not
all the runs of one; the ratios of medians stay fair. Writes hyperfine's JSON layout (the keys
summarize.py reads) and the median user and system CPU times. (Peak memory is taken with GNU
time instead: a child forked from Python starts out with Python's resident pages.)

Usage: pairs.py RUNS OUT.json NAME COMMAND [NAME COMMAND]...   (commands split on spaces)
"""

import json
import os
import statistics
import subprocess
import sys
import time


def run(argv):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"pairs.py: {' '.join(argv)} exited with {code}")
    return elapsed, usage.ru_utime, usage.ru_stime


def main(argv):
    runs, out, rest = int(argv[0]), argv[1], argv[2:]
    commands = [(rest[i], rest[i + 1].split()) for i in range(0, len(rest), 2)]
    times = {name: [] for name, _ in commands}
    user = {name: [] for name, _ in commands}
    system = {name: [] for name, _ in commands}
    for name, argv_ in commands:
        run(argv_)  # warm-up: caches, page cache
    for _ in range(runs):
        for name, argv_ in commands:
            t, u, s = run(argv_)
            times[name].append(t)
            user[name].append(u)
            system[name].append(s)
    results = []
    for name, argv_ in commands:
        ts = times[name]
        results.append(
            {
                "command": name,
                "argv": argv_,
                "mean": statistics.mean(ts),
                "stddev": statistics.stdev(ts) if len(ts) > 1 else 0.0,
                "median": statistics.median(ts),
                "min": min(ts),
                "max": max(ts),
                "user": statistics.median(user[name]),
                "system": statistics.median(system[name]),
                "times": ts,
            }
        )
        print(
            f"{name:>16}: median {statistics.median(ts):.3f} s, min {min(ts):.3f} s, "
            f"user {statistics.median(user[name]):.3f} s, sys {statistics.median(system[name]):.3f} s "
            f"({len(ts)} runs)",
            file=sys.stderr,
        )
    with open(out, "w") as f:
        json.dump({"results": results}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
