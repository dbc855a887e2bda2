//! Terminal manners: wrapping to a width, Japanese alignment, quiet output for scripts.

use breachline::diagnostic::display_width;

use crate::util::{breachline, run};

/// For each table (a run of lines with ` | `), the display columns at which `|` appears on
/// each of its lines.
fn separators(text: &str) -> Vec<Vec<Vec<usize>>> {
    let mut tables: Vec<Vec<Vec<usize>>> = Vec::new();
    let mut in_table = false;
    for l in text.lines() {
        if !l.contains(" | ") {
            in_table = false;
            continue;
        }
        if !in_table {
            tables.push(Vec::new());
            in_table = true;
        }
        let mut col = 0;
        let mut at = Vec::new();
        for c in l.chars() {
            if c == '|' {
                at.push(col);
            }
            col += display_width(c.encode_utf8(&mut [0; 4]));
        }
        if let Some(table) = tables.last_mut() {
            table.push(at);
        }
    }
    tables
}

#[test]
fn japanese_tables_wrap_to_a_narrow_width_and_stay_aligned() {
    // Narrower than their fixed columns (ids, dates, states and statuses do not wrap) these
    // tables cannot fit: about 82 columns for the timeline, 68 for the obligations. They
    // overflow then, but stay aligned.
    for (cmd, width, fits) in [
        ("status", 160, true),
        ("status", 100, true),
        ("status", 80, true),
        ("status", 40, false),
        ("timeline", 100, true),
        ("timeline", 111, true),
        ("timeline", 40, false),
    ] {
        let out = run(breachline().args([
            cmd,
            "--as-of",
            "2026-11-25",
            "--lang",
            "ja",
            "--width",
            &width.to_string(),
        ]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            !out.stdout.contains('\u{FFFD}'),
            "{cmd} {width}: {}",
            out.stdout
        );
        let tables = separators(&out.stdout);
        assert!(
            tables.iter().any(|t| t.len() > 6),
            "{cmd} {width}: {}",
            out.stdout
        );
        for rows in tables {
            assert!(
                rows.windows(2).all(|w| w[0] == w[1]),
                "{cmd} {width}: columns do not line up:\n{}",
                out.stdout
            );
        }
        for line in out.stdout.lines().filter(|l| fits && l.contains(" | ")) {
            assert!(
                display_width(line.trim_end()) <= width,
                "{cmd} {width}: too wide: {line}"
            );
        }
    }
}

#[test]
fn a_wrapped_japanese_status_table() {
    let out = run(breachline().args([
        "status",
        "--as-of",
        "2026-11-25",
        "--lang",
        "ja",
        "--width",
        "100",
    ]));
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn into_a_pipe_nothing_is_wrapped() {
    let out = run(breachline()
        .args(["timeline", "--as-of", "2026-11-25"])
        .env("COLUMNS", "40"));
    assert!(
        out.stdout
            .contains("| IIJ said the multi-layered WAF would be completed within July 2025 and a president-led project had started"),
        "{}",
        out.stdout
    );
}

#[test]
fn quiet_validate_prints_only_errors() {
    let ok = run(breachline().args(["validate", "--quiet"]));
    assert_eq!(ok.code, 0);
    assert_eq!(ok.stdout, "");
    assert_eq!(ok.stderr, "", "warnings are dropped");
    let bad = run(breachline().args(["validate", "-q", "tests/fixtures/invalid/unknown-key.yaml"]));
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stdout, "");
    assert!(
        bad.stderr.contains("error: unknown field `tittle`"),
        "{}",
        bad.stderr
    );
}

/// Issue 13: at 80 columns no line of `status` is wider, tables and the lines around them alike,
/// in English and in Japanese.
#[test]
fn status_fits_eighty_columns() {
    for lang in ["en", "ja"] {
        let out = run(breachline().args([
            "--width",
            "80",
            "--lang",
            lang,
            "status",
            "--as-of",
            "2026-11-25",
        ]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        for line in out.stdout.lines() {
            assert!(display_width(line) <= 80, "{lang}: too wide: {line}");
        }
    }
    // At 100 there is room for whole words: none is split (issue 13 saw "Strengthen b|ehaviour").
    let out = run(breachline().args(["--width", "100", "status", "--as-of", "2026-11-25"]));
    assert!(out.stdout.contains("| Strengthen "), "{}", out.stdout);
    // A word wider than its column breaks after a hyphen, not between letters.
    assert!(out.stdout.contains("| behaviour-  "), "{}", out.stdout);
}
