//! Bounds on what one input may cost, each with its own message (docs/limits.md). Every run is
//! under util::MEMORY_LIMIT, so these also show that refusing is cheap.

use std::fmt::Write as _;
use std::fs;

use crate::util::{breachline, run, Output};

fn validate_text(name: &str, text: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), text).unwrap();
    run(breachline()
        .current_dir(dir.path())
        .args(["validate", name]))
}

const HEAD: &str = "format: 1\nid: x\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\nsources:\n  - {id: s1, title: t, publisher: p}\n";

#[test]
fn a_file_over_the_size_limit_is_refused_by_name() {
    let out = run(breachline().args([
        "validate",
        "--max-file-size",
        "100",
        "tests/fixtures/valid/minimal.yaml",
    ]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr, @r"
    error: file is 754 bytes, more than the limit of 100 bytes
    --> tests/fixtures/valid/minimal.yaml
     = help: split the incident, or raise the limit with --max-file-size BYTES
    ");
}

/// A device may never end (and a FIFO may never start): neither is read at all (issue 12).
#[cfg(unix)]
#[test]
fn an_endless_device_is_refused_without_reading_it() {
    let out = run(breachline().args(["validate", "--max-file-size", "4096", "/dev/zero"]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr, @r"
    error: this is a device, not a regular file: breachline reads incident files only
    --> /dev/zero
     = help: save the incident to a file and name that file
    ");
}

/// libyaml's time grows with nesting depth on every token, so this megabyte of brackets used
/// to take hours before serde_yaml's own depth limit applied.
#[test]
fn a_million_nested_brackets_are_refused_at_the_depth_limit() {
    let out = validate_text(
        "deep.yaml",
        &format!("{HEAD}summary: {}\n", "[".repeat(1_000_000)),
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: the document nests deeper than 128 levels\n --> deep.yaml:9:"),
        "{}",
        out.stderr
    );
}

/// 20,000 aliases to an event citing 20,000 sources: 250 KB that serde_yaml would expand to
/// 400 million ids.
#[test]
fn aliases_expanding_a_large_value_many_times_are_refused() {
    let mut text = format!(
        "{HEAD}events:\n  - &e {{id: a, date: 2025-01-01, kind: other, title: x, sources: [{}]}}\n",
        vec!["s1"; 20_000].join(", ")
    );
    for _ in 0..20_000 {
        text.push_str("  - *e\n");
    }
    let out = validate_text("wide.yaml", &text);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: aliases expand the document beyond the limit of 1000000 (values plus bytes of text repeated)\n  --> wide.yaml:"),
        "{}",
        out.stderr
    );
}

/// Each finding used to cost a parse of the file: 1,000 warnings took over a minute. Now they
/// are placed in one pass; each must still point at its own event.
#[test]
fn thousands_of_findings_each_point_at_their_own_line() {
    let mut text = format!("{HEAD}events:\n");
    for i in 0..2_000 {
        let _ = writeln!(
            text,
            "  - {{id: e{i}, date: 2025-01-01, kind: other, title: x}}"
        );
    }
    let out = validate_text("many.yaml", &text);
    assert_eq!(out.code, 0, "warnings only");
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> many.yaml:"))
        .collect();
    assert_eq!(lines.len(), 2_000);
    for (i, at) in lines.iter().enumerate() {
        assert_eq!(
            at.split(':').next(),
            Some((10 + i).to_string().as_str()),
            "warning {i}"
        );
    }
}
