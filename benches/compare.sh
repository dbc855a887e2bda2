#!/usr/bin/env bash
# Times the whole binary against its floors, side by side (issue #5, docs/performance.md):
#   breachline status --format json   vs   bare serde_yaml parse (examples/bare_parse)
#   vs a Python/PyYAML script (benches/pyyaml_status.py)   vs yq (optional)
# over generated portfolios of 1,000 and 10,000 files (and 100,000 with --full), and one
# 100,000-event file, without and with warnings (status json, timeline table, validate); peak
# memory; start-up; scaling exponent.
#
#   benches/compare.sh [--full] [--quick] [--keep DIR]
#
# --full     adds the 100,000-file portfolio (~270 MB of YAML, several minutes of Python)
# --quick    fewer runs, to try the script out; the figures are then rough
# --keep DIR writes the data and raw results (hyperfine JSON) to DIR instead of a temp dir
#
# Needs: cargo, python3 with PyYAML built with libyaml, hyperfine, GNU time (/usr/bin/time).
# As root with apt-get/pip it installs what is missing; otherwise it says what to install.
# The machine should be quiet: it waits (up to BENCH_WAIT seconds, default 900) for the
# 1-minute load average to fall below BENCH_MAX_LOAD (default 0.6), and reports the load.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

FULL=0 QUICK=0 KEEP=""
while [ $# -gt 0 ]; do
    case $1 in
        --full) FULL=1 ;;
        --quick) QUICK=1 ;;
        --keep) KEEP=$2; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '\n== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
missing=()
can_install() { [ "$(id -u)" = 0 ] && command -v "$1" >/dev/null; }
if ! command -v hyperfine >/dev/null; then
    if can_install apt-get; then apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y hyperfine >/dev/null; } || true; fi
    command -v hyperfine >/dev/null || missing+=("hyperfine (apt-get install hyperfine, or cargo install hyperfine)")
fi
if [ ! -x /usr/bin/time ]; then
    if can_install apt-get; then apt-get install -y time >/dev/null 2>&1 || true; fi
    [ -x /usr/bin/time ] || missing+=("GNU time at /usr/bin/time (apt-get install time)")
fi
has_pyyaml() { python3 -c 'import yaml; yaml.CSafeLoader' 2>/dev/null; }
if ! command -v python3 >/dev/null; then
    missing+=("python3")
elif ! has_pyyaml; then
    python3 -m pip install --quiet pyyaml >/dev/null 2>&1 || true
    has_pyyaml || missing+=("PyYAML with libyaml (python3 -m pip install pyyaml)")
fi
if [ ${#missing[@]} -gt 0 ]; then
    printf 'compare.sh: missing:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
fi
YQ=""
# The Python yq (a jq wrapper); grep -q on a pipe would end yq early and fail under pipefail.
yq_help=$(yq --help 2>&1 || true)
if command -v yq >/dev/null && [[ $yq_help == *--yaml-output* ]]; then
    YQ=$(command -v yq)
else
    echo "compare.sh: no Python yq (pip install yq; needs jq): the yq column is left out" >&2
fi

# --- build and data ----------------------------------------------------------------------------
say "build (release)"
cargo build --release --locked --quiet --bin breachline --examples
BIN=$ROOT/target/release
BL=$BIN/breachline BARE=$BIN/examples/bare_parse NOOP=$BIN/examples/noop

if [ -n "$KEEP" ]; then WORK=$KEEP; mkdir -p "$WORK"; else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/breachline-bench.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
fi
SIZES="1000 10000"
[ $FULL = 1 ] && SIZES="$SIZES 100000"
say "data in $WORK"
for n in $SIZES; do
    [ -d "$WORK/p$n" ] || "$BIN/examples/gen" --files "$n" --events 6 --items 4 "$WORK/p$n"
done
[ -d "$WORK/large" ] || "$BIN/examples/gen" --files 1 --events 100000 --items 20000 "$WORK/large"
# The same shape with warnings: items without due dates.
[ -d "$WORK/warn" ] || "$BIN/examples/gen" --files 1 --events 100000 --items 20000 --no-due "$WORK/warn"
mkdir -p "$WORK/results"
RES=$WORK/results
rm -f "$RES"/*.json "$RES"/rss.tsv

# --- a quiet machine ---------------------------------------------------------------------------
load() { cut -d' ' -f1 /proc/loadavg; }
MAX_LOAD=${BENCH_MAX_LOAD:-0.6} WAIT=${BENCH_WAIT:-900}
waited=0
while awk -v l="$(load)" -v m="$MAX_LOAD" 'BEGIN { exit !(l >= m) }' && [ $waited -lt "$WAIT" ]; do
    [ $waited = 0 ] && echo "compare.sh: load average $(load) >= $MAX_LOAD, waiting (up to ${WAIT}s)" >&2
    sleep 15; waited=$((waited + 15))
done
{
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc)"
    echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
    echo "rustc: $(rustc --version)"
    echo "python: $(python3 -c 'import sys, yaml; print(sys.version.split()[0], "PyYAML", yaml.__version__)')"
    echo "hyperfine: $(hyperfine --version)"
    for n in $SIZES; do echo "bytes_p$n: $(du -sb "$WORK/p$n" | cut -f1)"; done
    echo "bytes_large: $(du -sb "$WORK/large" | cut -f1)"
    echo "bytes_warn: $(du -sb "$WORK/warn" | cut -f1)"
} > "$RES/machine.txt"
cat "$RES/machine.txt" >&2

# --- timings -----------------------------------------------------------------------------------
AS_OF="--as-of 2026-01-01"
runs() { if [ $QUICK = 1 ]; then echo 2; else echo "$1"; fi; }

# name, then command; peak RSS from one extra run under GNU time.
rss() {
    local name=$1; shift
    /usr/bin/time -f "%M" -o "$RES/rss.tmp" "$@" > /dev/null 2>&1
    printf '%s\t%s\n' "$name" "$(tail -1 "$RES/rss.tmp")" >> "$RES/rss.tsv"
}

for n in $SIZES; do
    say "portfolio of $n files"
    d=$WORK/p$n
    case $n in 1000) r=$(runs 15) ;; 10000) r=$(runs 7) ;; *) r=$(runs 3) ;; esac
    # The two that the goals compare, in alternation (see pairs.py).
    python3 "$ROOT/benches/pairs.py" "$r" "$RES/p$n.json" \
        breachline "$BL $AS_OF status --format json $d" \
        bare_parse "$BARE $d"
    # The slower tools, fewer runs.
    cmds=(-n python "python3 $ROOT/benches/pyyaml_status.py $AS_OF $d")
    # yq takes the files as arguments: 100,000 paths exceed the argument list limit.
    if [ -n "$YQ" ] && [ "$n" -le 10000 ]; then
        cmds+=(-n yq "$YQ -c '{id, items: (.remediation | length)}' $d/*.yaml")
    fi
    hyperfine --style basic --runs "$(if [ "$n" -ge 100000 ]; then echo 1; else runs 3; fi)" \
        --export-json "$RES/p$n-others.json" "${cmds[@]}" >&2
    rss "p$n/breachline" $BL $AS_OF status --format json "$d"
    rss "p$n/bare_parse" $BARE "$d"
    if [ "$n" -lt 100000 ]; then
        rss "p$n/python" python3 "$ROOT/benches/pyyaml_status.py" $AS_OF "$d"
    fi
done

for kind in large warn; do
    say "one file of 100,000 events and 20,000 items ($kind)"
    f=$WORK/$kind
    python3 "$ROOT/benches/pairs.py" "$(runs 7)" "$RES/$kind.json" \
        status_json "$BL $AS_OF status --format json $f" \
        timeline_table "$BL $AS_OF timeline $f" \
        validate "$BL $AS_OF validate $f" \
        bare_parse "$BARE $f"
    rss "$kind/status_json" $BL $AS_OF status --format json "$f"
    rss "$kind/timeline_table" $BL $AS_OF timeline "$f"
    rss "$kind/validate" $BL $AS_OF validate "$f"
    rss "$kind/bare_parse" $BARE "$f"
done
f=$WORK/large
cmds=(-n python "python3 $ROOT/benches/pyyaml_status.py $AS_OF $f")
if [ -n "$YQ" ]; then cmds+=(-n yq "$YQ -c '{id, items: (.remediation | length)}' $f/*.yaml"); fi
hyperfine --style basic --runs "$(runs 3)" --export-json "$RES/large-others.json" "${cmds[@]}" >&2
rss "large/python" python3 "$ROOT/benches/pyyaml_status.py" $AS_OF "$f"

say "start-up"
hyperfine --style basic -N --warmup 20 --runs "$(runs 300)" --export-json "$RES/startup.json" \
    -n validate "$BL validate $ROOT/incidents/secure-mx-2025.yaml" \
    -n noop "$NOOP" >&2

echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RES/machine.txt"
rm -f "$RES/rss.tmp"
python3 "$ROOT/benches/summarize.py" "$RES"
