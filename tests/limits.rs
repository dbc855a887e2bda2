//! Bounds on what one input may cost, each with its own message (docs/limits.md). Every run is
//! under util::MEMORY_LIMIT, so these also show that refusing is cheap.

use std::fmt::Write as _;
use std::fs;

use crate::util::{breachline, root, run, Output};

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
        out.stderr.starts_with("error: aliases expand the document beyond the limit of 175633 for this file (values plus bytes of text repeated: 65536 plus half the file's size, at most 1000000)\n  --> wide.yaml:"),
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
    // The first hundred of the kind are listed, the rest counted (issue 12).
    assert_eq!(lines.len(), 100);
    assert!(
        out.stderr.contains(
            "warning: not listed: 1900 more warnings like this one: event `e100` cites no source\n"
        ),
        "{}",
        &out.stderr[out.stderr.len().saturating_sub(500)..]
    );
    assert!(out.stdout.contains("2000 warnings"), "{}", out.stdout);
    for (i, at) in lines.iter().enumerate() {
        assert_eq!(
            at.split(':').next(),
            Some((10 + i).to_string().as_str()),
            "warning {i}"
        );
    }
}

// --- output in proportion to the input (issue 12) ------------------------------------------

/// The bound of issue 12 on what any command may write for an input of `input` bytes.
fn assert_output_bounded(what: &str, input: usize, out: &Output) {
    let written = out.stdout.len() + out.stderr.len();
    assert!(
        written <= 20 * input + (1 << 20),
        "{what}: {written} bytes written for {input} bytes of input"
    );
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    run(breachline().current_dir(dir).args(args))
}

/// 2,000 events on one line, each with a warning and an error: each diagnostic shows a window
/// of the line, not the line, and past 100 of a kind the rest are counted.
#[test]
fn findings_on_one_long_line_write_output_in_proportion_to_the_file() {
    let mut text = format!("{HEAD}events: [");
    for i in 0..2_000 {
        write!(
            text,
            "{{id: e{i}, date: 2025-01-01, kind: other, title: t, sources: [nope{i}]}}, "
        )
        .unwrap();
    }
    text.push_str("]\n");
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("flow.yaml"), &text).unwrap();
    for cmd in [
        &["validate"][..],
        &["status"],
        &["check"],
        &["check", "--format", "json"],
        &["timeline", "--format", "json"],
    ] {
        let mut args = cmd.to_vec();
        args.push("flow.yaml");
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, 2, "{cmd:?}");
        assert!(
            out.stderr.contains("is not declared under"),
            "{cmd:?}: {}",
            out.stderr
        );
        assert_output_bounded(&format!("{cmd:?}"), text.len(), &out);
    }
    let out = run_in(dir.path(), &["validate", "flow.yaml"]);
    // Not one whole copy of the line in the output.
    assert!(
        out.stderr.lines().all(|l| l.len() < 400),
        "a line of the file shown whole"
    );
    assert!(
        out.stderr.contains("not listed: 1900 more errors like this one: source `nope100` is not declared under `sources`"),
        "{}",
        &out.stderr[out.stderr.len().saturating_sub(2_000)..]
    );
    assert_eq!(out.stderr.matches("is not declared under").count(), 101);
}

/// Twenty sources with ids of 20 kB, cited wrongly 300 times: the help listing the declared
/// sources is bounded in bytes, not only in count.
#[test]
fn help_lists_are_bounded_in_bytes() {
    let mut text = String::from(
        "format: 1\nid: x\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\nsources:\n",
    );
    for i in 0..20 {
        writeln!(
            text,
            "  - {{id: s{i}{}, title: t, publisher: p}}",
            "x".repeat(20_000)
        )
        .unwrap();
    }
    text.push_str("events:\n");
    for i in 0..300 {
        writeln!(
            text,
            "  - {{id: e{i}, date: 2025-01-01, kind: other, title: t, sources: [nope]}}"
        )
        .unwrap();
    }
    let out = validate_text("bomb.yaml", &text);
    assert_eq!(out.code, 2);
    assert_output_bounded("validate", text.len(), &out);
    assert!(out.stderr.len() < 200_000, "{} bytes", out.stderr.len());
}

/// A 250 kB Japanese title in every format, the calendar's folding included.
#[test]
fn a_long_title_exports_in_proportion_to_its_length() {
    let minimal =
        fs::read_to_string(crate::util::root().join("tests/fixtures/valid/minimal.yaml")).unwrap();
    let title = "漏えい".repeat(250_000 / 9);
    let text = minimal.replace("title: Fix it", &format!("title: {title}"));
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("long.yaml"), &text).unwrap();
    for format in ["ics", "csv", "json", "markdown", "html"] {
        let out = run_in(
            dir.path(),
            &[
                "export",
                "--as-of",
                "2025-06-01",
                "--format",
                format,
                "long.yaml",
            ],
        );
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        assert!(
            out.stdout.contains(&title[..300]) || format == "ics",
            "{format}"
        );
        assert_output_bounded(format, text.len(), &out);
    }
}

/// 2,000 dated revisions of each figure, each counting its own unit, plus one figure of 2,000
/// units: every view and format writes in proportion to the file (no table of every unit by
/// every revision), and validation pairs each confirmed revision with its potential one without
/// comparing every pair.
#[test]
fn many_impact_revisions_and_units_write_in_proportion_to_the_file() {
    let minimal =
        fs::read_to_string(crate::util::root().join("tests/fixtures/valid/minimal.yaml")).unwrap();
    let day =
        |i: i64| chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(i);
    let mut impact = String::from("impact:\n  potential:\n");
    for i in 0..2_000 {
        writeln!(
            impact,
            "    - {{counts: {{unit_{i}: {i}}}, as_of: {}}}",
            day(i)
        )
        .unwrap();
    }
    impact.push_str("  confirmed:\n");
    for i in 0..2_000 {
        writeln!(
            impact,
            "    - {{counts: {{unit_{i}: {}}}, as_of: {}}}",
            i + 1,
            day(i)
        )
        .unwrap();
    }
    let many: Vec<String> = (0..2_000).map(|i| format!("u{i}: {i}")).collect();
    writeln!(
        impact,
        "    - {{counts: {{{}}}, as_of: {}}}",
        many.join(", "),
        day(2_000)
    )
    .unwrap();
    let start = minimal.find("impact:").unwrap();
    let end = minimal.find("remediation:").unwrap();
    let text = format!("{}{impact}{}", &minimal[..start], &minimal[end..]);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("revised.yaml"), &text).unwrap();

    let out = run_in(dir.path(), &["validate", "revised.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Each confirmed revision exceeds the potential one of its day, in its own unit.
    assert!(
        out.stderr.contains("confirmed unit_7 (8) of 2020-01-08 exceed the potentially affected unit_7 (7) of 2020-01-08"),
        "{}",
        &out.stderr[..out.stderr.len().min(3_000)]
    );
    assert_output_bounded("validate", text.len(), &out);
    let as_of = ["--as-of", "2026-01-01"];
    for cmd in [
        &["status"][..],
        &["status", "--format", "json"],
        &["timeline", "--format", "json"],
    ] {
        let args = [&as_of[..], cmd, &["revised.yaml"]].concat();
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, 0, "{cmd:?}: {}", out.stderr);
        assert_output_bounded(&format!("{cmd:?}"), text.len(), &out);
    }
    for format in ["csv", "json", "markdown", "html", "ics", "veris", "stix"] {
        let args = [&as_of[..], &["export", "--format", format, "revised.yaml"]].concat();
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        assert_output_bounded(format, text.len(), &out);
    }
}

/// Issue 23: ids wrap too. A 2,000-character item id kept whole widened every wrapped line of
/// the title beside it: a 60 KB file gave 200 MB of `status` on an 80-column terminal.
#[test]
fn a_long_id_beside_a_long_title_wraps_in_proportion_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let id = "r".repeat(2_000);
    let title = "the remediation item whose title goes on ".repeat(1_400);
    let text =
        String::from_utf8(fs::read(root().join("tests/fixtures/valid/minimal.yaml")).unwrap())
            .unwrap()
            .replace("id: example", &format!("id: i{id}"))
            .replace(
                "  - id: R1\n    title: Fix it",
                &format!("  - id: {id}\n    title: {title}"),
            );
    assert!((59_000..63_000).contains(&text.len()), "{}", text.len());
    fs::write(dir.path().join("long.yaml"), &text).unwrap();
    for width in ["20", "80"] {
        for cmd in [
            &[
                "status",
                "--as-of",
                "2025-05-13",
                "--width",
                width,
                "long.yaml",
            ][..],
            &[
                "check",
                "--as-of",
                "2025-05-13",
                "--width",
                width,
                "long.yaml",
            ][..],
            &[
                "timeline",
                "--as-of",
                "2025-05-13",
                "--width",
                width,
                "long.yaml",
            ][..],
        ] {
            let out = run_in(dir.path(), cmd);
            assert_eq!(out.code, 0, "{cmd:?}: {}", out.stderr);
            let written = out.stdout.len() + out.stderr.len();
            assert!(
                written < 20 * text.len(),
                "{cmd:?}: {written} bytes for {} bytes of input",
                text.len()
            );
            if cmd[0] == "status" {
                assert!(
                    out.stdout.contains("rrrrrrrrrrrr"),
                    "{cmd:?}: the id is shown"
                );
            }
        }
    }
}

/// Issue 23: aliases count toward the output bound. 240 events whose title is an alias of a
/// 4,000-byte title (960 kB repeated, under the old limit of a million) in a 22 KB file made
/// 1.1 MB of `timeline --format json` (50 times the file); they are refused now.
#[test]
fn aliases_repeating_a_long_title_count_toward_the_output_bound() {
    let mut text =
        String::from_utf8(fs::read(root().join("tests/fixtures/valid/minimal.yaml")).unwrap())
            .unwrap()
            .replace(
                "title: Example incident",
                &format!("title: &t {}", "x".repeat(4_000)),
            )
            .replace("    title: Detected\n", "    title: *t\n");
    let events: String = (0..240)
        .map(|i| {
            format!("  - {{id: e{i}, date: 2025-04-10, kind: other, title: *t, sources: [s1]}}\n")
        })
        .collect();
    text = text.replace("impact:\n", &format!("{events}impact:\n"));
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.yaml"), &text).unwrap();
    for cmd in [
        &["check", "--format", "json"][..],
        &["timeline", "--format", "json"][..],
        &["export", "--format", "json"][..],
    ] {
        let out = run(breachline().current_dir(dir.path()).args(cmd).args([
            "--as-of",
            "2025-05-13",
            "t.yaml",
        ]));
        assert_eq!(out.code, 2, "{cmd:?}: {}", out.stderr);
        let written = out.stdout.len() + out.stderr.len();
        assert!(
            written < 20 * text.len(),
            "{cmd:?}: {written} bytes for {}",
            text.len()
        );
        let said = format!("{}{}", out.stdout, out.stderr);
        assert!(
            said.contains("aliases expand the document beyond the limit"),
            "{said}"
        );
    }
}
