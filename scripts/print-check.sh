#!/usr/bin/env bash
# Prints the HTML report as an auditor would (Chromium's print to PDF), in English and Japanese,
# for the bundled incident, a portfolio of several incidents and a hostile one (a long URL, a
# 300-character token), then checks the printed pages and writes a PNG per page to look at:
# - no word is printed beyond the paper's edge;
# - no id (of an event, item, obligation, source or rule) or date-time is split across lines
#   except at its own separators (after - _ / . : #, or between a day and its time);
# - no heading is the last line of a page, the States legend is on one page, and the
#   provenance does not begin a page.
# Outside `cargo test`: it needs Debian's chromium and poppler-utils
# (apt-get install chromium poppler-utils fonts-noto-cjk).
#
#   scripts/print-check.sh [OUT_DIR]      (default: target/print-check)
#   BREACHLINE=target/debug/breachline scripts/print-check.sh   (a binary already built)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/print-check}"
mkdir -p "$out"
if [ -z "${BREACHLINE:-}" ]; then
  cargo build --quiet --release
fi
bin="${BREACHLINE:-target/release/breachline}"

hostile="$out/hostile.yaml"
token=$(printf 'x%.0s' $(seq 1 300))
cat > "$hostile" <<EOF
format: 1
id: hostile-long-tokens
title: "A title with a very long token ${token}"
organization: Example Corp
service: "C:\\\\Program Files\\\\Example\\\\Service\\\\bin\\\\a-very-long-path-name-without-spaces-at-all.exe"
reviewed: 2026-01-01
sources:
  - id: s1
    title: A source with a long URL
    publisher: Example
    date: 2025-04-01
    url: "https://example.invalid/$(printf 'segment%.0s/' $(seq 1 40))end?query=${token}"
events:
  - {id: "#1", date: 2025-04-10, kind: detection, title: "Detected ${token}", sources: [s1]}
remediation:
  - {id: R1, title: "Fix ${token}", due: 2025-05-01, announced: 2025-04-10, status: planned, status_as_of: 2025-04-10, sources: [s1]}
EOF

# The checks of a printed report that need its text page by page (pdftotext) and the ids the
# export holds (its JSON): prints one line per problem, and the count last.
check_pages() {
  python3 - "$@" <<'PY'
import html as entities, json, re, subprocess, sys
pdf, html, jsonfile = sys.argv[1:4]
pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
text = [subprocess.run(["pdftotext", "-raw", "-f", str(p), "-l", str(p), pdf, "-"], capture_output=True, text=True).stdout for p in range(1, pages + 1)]
whole = "\n".join(text)
doc = json.load(open(jsonfile))
tokens = set()
def walk(v, key=None):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, k)
    elif isinstance(v, list):
        for x in v:
            walk(x, key)
    elif isinstance(v, str) and key in ("id", "rule", "sources"):
        tokens.add(v)
walk(doc)
datetimes = set(re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:\d\d)", json.dumps(doc)))
problems = []
for t in tokens | datetimes:
    if len(t) < 2:
        continue
    # The token with a line break allowed at its separators and caught anywhere else.
    pattern = r"(?<![\w-])" + re.escape(t[0])
    for k in range(1, len(t)):
        allowed = t[k - 1] in "-_/.:#" or (t in datetimes and t[k] == "T")
        pattern += (r"\n?" if allowed else r"(\n)?") + re.escape(t[k])
    pattern += r"(?![\w])"
    for m in re.finditer(pattern, whole):
        if any(m.groups()):
            problems.append(f"{t!r} split mid-token: {m.group(0)!r}")
            break
headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", open(html).read())]
headings = [entities.unescape(h) for h in headings if h]
def lines(page):
    # Without the running head (it holds " · ") and the page number ("3 / 7").
    return [l.strip() for l in page.splitlines() if l.strip() and " · " not in l and not re.fullmatch(r"\d+ / \d+", l.strip())]
for n, page in enumerate(text, 1):
    ls = lines(page)
    if ls and n < len(text) and ls[-1] in headings:
        problems.append(f"page {n} ends with the heading {ls[-1]!r}")
html_text = open(html).read()
legend = re.search(r'<section class="states">\s*<h3>(.*?)</h3>(.*?)</section>', html_text, re.S)
if legend:
    flat = lambda s: re.sub(r"\s+", "", s)
    last = flat(entities.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<dd>(.*?)</dd>", legend.group(2))[-1])))[:12]
    heading = entities.unescape(legend.group(1))
    first_page = next((n for n, p in enumerate(text, 1) if heading in lines(p)), None)
    last_page = next((n for n, p in enumerate(text, 1) if n >= (first_page or 0) and last in flat(p)), None)
    if first_page != last_page:
        problems.append(f"the legend runs from page {first_page} to {last_page}")
prov = entities.unescape(re.search(r'<footer class="provenance">\s*<h2>(.*?)</h2>', html_text).group(1))
for n, page in enumerate(text, 1):
    ls = lines(page)
    if ls and ls[0] == prov:
        problems.append(f"the provenance begins page {n}")
for p in problems:
    print("  " + p)
print(len(problems))
PY
}

portfolio="$out/portfolio"
mkdir -p "$portfolio"
cp incidents/*.yaml tests/fixtures/valid/obligations.yaml tests/fixtures/valid/controls.yaml "$portfolio/"

fail=0
for input in incidents "$portfolio" "$hostile"; do
  name=$(basename "$input" .yaml)
  for lang in en ja; do
    html="$out/$name-$lang.html"
    pdf="$out/$name-$lang.pdf"
    "$bin" export --as-of 2026-11-25 --lang "$lang" --force -o "$html" "$input"
    chromium --headless --no-sandbox --disable-gpu --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$(mktemp -d)" --no-pdf-header-footer \
      --print-to-pdf="$pdf" "file://$(realpath "$html")" 2>/dev/null
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    width=$(pdfinfo "$pdf" | awk '/^Page size:/ { print $3 }')
    # Every word's right edge must lie within the right margin (14 mm, the report's @page),
    # with 2 pt of slack: Chromium clips what overflows at the paper's edge, so "on the
    # paper" would not catch it.
    over=$(pdftotext -bbox "$pdf" - | awk -v w="$width" -F'"' '/<word /{ if ($6 + 0 > w - 39.685 + 2) n++ } END { print n + 0 }')
    pdftoppm -r 50 -png "$pdf" "$out/$name-$lang-page"
    echo "$name ($lang): $pages pages, $over words beyond the right margin"
    [ "$over" -eq 0 ] || fail=1
    json="$out/$name-$lang.json"
    "$bin" export --as-of 2026-11-25 --lang "$lang" --format json "$input" > "$json"
    report=$(check_pages "$pdf" "$html" "$json")
    problems=$(tail -n 1 <<< "$report")
    head -n -1 <<< "$report"
    echo "$name ($lang): $problems problems of breaks and page ends"
    [ "$problems" -eq 0 ] || fail=1
  done
done
echo "page images: $out/*-page-*.png"
exit "$fail"
