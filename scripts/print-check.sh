#!/usr/bin/env bash
# Prints the HTML report as an auditor would (Chromium's print to PDF), in English and Japanese,
# for the bundled incident and for a hostile one (a long URL, a 300-character token), then
# checks that no word is printed beyond the paper's edge and writes a PNG per page to look at.
# Outside `cargo test`: it needs Debian's chromium and poppler-utils
# (apt-get install chromium poppler-utils fonts-noto-cjk).
#
#   scripts/print-check.sh [OUT_DIR]      (default: target/print-check)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/print-check}"
mkdir -p "$out"
cargo build --quiet --release
bin=target/release/breachline

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

fail=0
for input in incidents "$hostile"; do
  name=$(basename "$input" .yaml)
  for lang in en ja; do
    html="$out/$name-$lang.html"
    pdf="$out/$name-$lang.pdf"
    "$bin" export --as-of 2026-11-25 --lang "$lang" --force -o "$html" "$input"
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
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
  done
done
echo "page images: $out/*-page-*.png"
exit "$fail"
