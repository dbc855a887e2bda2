#!/usr/bin/env python3
"""Turns the raw results of benches/compare.sh into the tables of docs/performance.md.

Times are hyperfine medians; ratios are against the bare serde_yaml parse measured in the same
run. Usage: summarize.py RESULTS_DIR
"""

import json
import math
import os
import sys

GOALS = {
    "portfolio": 1.15,  # status --format json vs bare parse, all cores
    "large_status": 1.15,
    "large_timeline": 1.5,
    "large_validate": 1.3,
    "large_memory": 1.2,
}


def load(path):
    """Results by command name, from `X.json` and, when there is one, `X-others.json`."""
    results = {}
    for p in (path, path.replace(".json", "-others.json")):
        if os.path.exists(p):
            with open(p) as f:
                results.update({r["command"]: r for r in json.load(f)["results"]})
    return results


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def mib(value):
    return f"{value:.0f} MB" if value else "—"


def verdict(ratio, goal):
    return f"{ratio:.2f}× ({'met' if ratio <= goal else 'NOT met'}: goal ≤ {goal}×)"


def large_file(say, res, rss, name, title):
    r = load(os.path.join(res, f"{name}.json"))
    bare = r["bare_parse"]["median"]
    say(title)
    say("")
    say("| command | median | ± sd | ratio to bare parse | ratio of fastest runs | peak RSS | RSS ratio |")
    say("|---|---:|---:|---:|---:|---:|---:|")
    rss_bare = rss.get(f"{name}/bare_parse")
    for cmd in ("bare_parse", "status_json", "timeline_table", "validate", "python", "yq"):
        if cmd not in r:
            continue
        m, sd = r[cmd]["median"], r[cmd]["stddev"] or 0
        mem = rss.get(f"{name}/{cmd}")
        fastest = r[cmd].get("min", m) / r["bare_parse"].get("min", bare)
        say(f"| {cmd} | {fmt_time(m)} | {fmt_time(sd)} | {m / bare:.2f}× | {fastest:.2f}× | "
            f"{f'{mem:.0f} MB' if mem else '—'} | {f'{mem / rss_bare:.2f}×' if mem and rss_bare else '—'} |")
    say("")
    say(f"- Goal, status json: {verdict(r['status_json']['median'] / bare, GOALS['large_status'])}")
    say(f"- Goal, timeline table: {verdict(r['timeline_table']['median'] / bare, GOALS['large_timeline'])}")
    if "validate" in r:
        say(f"- Goal, validate: {verdict(r['validate']['median'] / bare, GOALS['large_validate'])}")
    for cmd in ("status_json", "timeline_table", "validate"):
        if rss_bare and rss.get(f"{name}/{cmd}"):
            say(f"- Goal, memory ({cmd}): {verdict(rss[f'{name}/{cmd}'] / rss_bare, GOALS['large_memory'])}")
    say("")


def main(res):
    out = []
    say = out.append
    with open(os.path.join(res, "machine.txt")) as f:
        machine = dict(line.rstrip("\n").split(": ", 1) for line in f if ": " in line)
    rss = {}
    if os.path.exists(os.path.join(res, "rss.tsv")):
        with open(os.path.join(res, "rss.tsv")) as f:
            for line in f:
                name, kb = line.split()
                rss[name] = int(kb) / 1024
    say(f"Machine: {machine.get('cpu')}, {machine.get('memory')}; {machine.get('rustc')}; "
        f"Python {machine.get('python')}; hyperfine {machine.get('hyperfine', '').split()[-1]}")
    say(f"Load average (1, 5, 15 min) before: {machine.get('load_before')}; "
        f"after: {machine.get('load_after')}  ({machine.get('date')})")
    say("")

    sizes = sorted(
        int(n[1:-5]) for n in os.listdir(res) if n.startswith("p") and n[1:-5].isdigit() and n.endswith(".json")
    )
    say("Portfolio (6 events, 4 items a file): `status --format json` against the floor")
    say("")
    say("| files | MB | breachline | bare parse | ratio | ratio of fastest runs | Python/PyYAML | yq | Python ÷ breachline | RSS breachline | RSS bare | RSS Python |")
    say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    points = []
    for n in sizes:
        r = load(os.path.join(res, f"p{n}.json"))
        bl, bare = r["breachline"]["median"], r["bare_parse"]["median"]
        py = r.get("python", {}).get("median")
        yq = r.get("yq", {}).get("median")
        points.append((n, bl, bare))
        mb = int(machine.get(f"bytes_p{n}", 0)) / 1e6
        fastest = r["breachline"].get("min", bl) / r["bare_parse"].get("min", bare)
        say(f"| {n:,} | {mb:.0f} | {fmt_time(bl)} | {fmt_time(bare)} | **{bl / bare:.2f}×** | {fastest:.2f}× | "
            f"{fmt_time(py) if py else '—'} | {fmt_time(yq) if yq else '—'} | "
            f"{f'{py / bl:.1f}×' if py else '—'} | {mib(rss.get(f'p{n}/breachline'))} | "
            f"{mib(rss.get(f'p{n}/bare_parse'))} | {mib(rss.get(f'p{n}/python'))} |")
    say("")
    if 10000 in sizes:
        r = load(os.path.join(res, "p10000.json"))
        say(f"- Goal, 10,000 files: {verdict(r['breachline']['median'] / r['bare_parse']['median'], GOALS['portfolio'])}")
    if len(points) >= 2:
        for label, idx in (("breachline", 1), ("bare parse", 2)):
            xs = [math.log(p[0]) for p in points]
            ys = [math.log(p[idx]) for p in points]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
            say(f"- Scaling, {label}: time ∝ files^{slope:.3f} (least squares on log-log, {len(points)} sizes)")
        for n in sizes:
            b = rss.get(f"p{n}/breachline")
            if b:
                say(f"- Memory at {n:,} files: {b:.0f} MB peak, {b * 1024 / n:.1f} kB a file")
        # Flat means each further file adds (next to) nothing: the slope between sizes.
        for a, b in zip(sizes, sizes[1:]):
            ra, rb = rss.get(f"p{a}/breachline"), rss.get(f"p{b}/breachline")
            if ra and rb:
                say(f"- Memory from {a:,} to {b:,} files: {(rb - ra) * 1024 * 1024 / (b - a):.0f} bytes "
                    f"per added file (bare parse: "
                    f"{(rss.get(f'p{b}/bare_parse', 0) - rss.get(f'p{a}/bare_parse', 0)) * 1024 * 1024 / (b - a):.0f})")
    say("")

    large_file(say, res, rss, "large", "One file, 100,000 events and 20,000 items, no warnings "
               f"({int(machine.get('bytes_large', 0)) / 1e6:.0f} MB)")
    if os.path.exists(os.path.join(res, "warn.json")):
        large_file(say, res, rss, "warn", "The same without due dates: 100,000 events, 20,000 items, "
                   f"a warning on each open item ({int(machine.get('bytes_warn', 0)) / 1e6:.0f} MB)")

    s = load(os.path.join(res, "startup.json"))
    v, n = s["validate"]["median"], s["noop"]["median"]
    say(f"Start-up: `validate` on the bundled incident {v * 1000:.2f} ms, a no-op Rust binary "
        f"{n * 1000:.2f} ms: {(v - n) * 1000:.2f} ms more")
    text = "\n".join(out)
    print(text)
    with open(os.path.join(res, "summary.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
