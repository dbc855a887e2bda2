//! Reporting obligations (issue #7): deadlines computed from the timeline, shown by `status`.

use std::fs;

use serde_json::Value;

use crate::util::{breachline, bundled, run};

const CLOCKS: &str = "tests/fixtures/valid/obligations.yaml";

/// With hindsight: these tests are about how deadlines are computed, not about when the record
/// learnt of each obligation (tests/time.rs).
fn status_json(args: &[&str]) -> Value {
    let out = run(breachline()
        .args(["--hindsight", "status", "--format", "json"])
        .args(args));
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// `(id, due, state)` of each obligation of the first incident.
fn dues(json: &Value) -> Vec<(String, String, String)> {
    json["incidents"][0]["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_str().unwrap().to_owned(),
                o["due"].as_str().unwrap().to_owned(),
                o["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn owned(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn the_bundled_deadlines_follow_from_the_detection_on_2025_04_10() {
    let json = status_json(&["--as-of", "2025-05-13"]);
    // The TBA detailed report's day 30 is Saturday 2025-05-10: a filing deadline to a national
    // agency that falls on an administrative holiday is the next working day, Monday 05-12
    // (Act on Holidays of Administrative Organs art. 2).
    assert_eq!(
        dues(&json),
        owned(&[
            ("tba-detailed", "2025-05-12", "no_record"),
            ("appi-preliminary", "2025-04-15", "no_record"),
            ("appi-final", "2025-06-09", "open"),
        ])
    );
    let first = &json["incidents"][0]["obligations"][0];
    assert_eq!(first["clock_start_basis"], "event");
    assert_eq!(first["starts_at"], "#1");
    assert_eq!(first["clock_start"], "2025-04-10");
    assert_eq!(first["status"], "unknown");
    assert_eq!(first["days_past_due"], 1);
    let table = run(breachline().args(["status", "--as-of", "2025-05-13"])).stdout;
    assert!(table.contains("\nReporting obligations:\n"), "{table}");
    insta::assert_snapshot!(table);
}

#[test]
fn moving_the_detection_moves_every_deadline_that_depends_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(bundled()).unwrap();
    let detection = "  - id: \"#1\"\n    date: 2025-04-10\n";
    assert_eq!(original.matches(detection).count(), 1);
    let moved = original.replace(detection, "  - id: \"#1\"\n    date: 2025-04-20\n");
    let copy = dir.path().join("secure-mx-2025.yaml");
    fs::write(&copy, moved).unwrap();

    let as_of = ["--as-of", "2025-04-20"];
    let before = dues(&status_json(&as_of));
    let after = dues(&status_json(
        &[&as_of[..], &[copy.to_str().unwrap()]].concat(),
    ));
    // Saturday 2025-05-10 moves to Monday 05-12 (Act on Holidays of Administrative Organs
    // art. 2); from the moved detection, Tuesday 05-20 is a working day.
    assert_eq!(
        before,
        owned(&[
            ("tba-detailed", "2025-05-12", "open"),
            ("appi-preliminary", "2025-04-15", "no_record"),
            ("appi-final", "2025-06-09", "open"),
        ])
    );
    assert_eq!(
        after,
        owned(&[
            ("tba-detailed", "2025-05-20", "open"),
            ("appi-preliminary", "2025-04-25", "due_soon"),
            ("appi-final", "2025-06-19", "open"),
        ])
    );
}

#[test]
fn no_clock_has_started_before_the_detection() {
    let out = run(breachline().args(["status", "--as-of", "2025-04-09"]));
    assert!(
        out.stdout
            .ends_with("Reporting obligations:\nno reporting clock had started by this date\n"),
        "{}",
        out.stdout
    );
    assert_eq!(
        status_json(&["--as-of", "2025-04-09"])["incidents"][0]["obligations"],
        serde_json::json!([])
    );
}

#[test]
fn a_silent_record_is_not_overdue_and_does_not_fail_the_check() {
    let out = run(breachline().args([
        "--hindsight",
        "status",
        "--as-of",
        "2026-11-25",
        "--format",
        "json",
    ]));
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let states: Vec<&str> = json["incidents"][0]["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["no_record"; 3]);

    // The same file with the TBA report recorded as planned: now it is known to be overdue.
    let dir = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(bundled()).unwrap();
    let unknown = "    rule: tba-detailed-report\n    starts_at: \"#1\"\n    status: unknown\n";
    assert_eq!(original.matches(unknown).count(), 1);
    let planned = original.replace(
        unknown,
        "    rule: tba-detailed-report\n    starts_at: \"#1\"\n    status: planned\n",
    );
    let copy = dir.path().join("planned.yaml");
    fs::write(&copy, planned).unwrap();

    let check = |path: &str| {
        run(breachline().args([
            "--hindsight",
            "status",
            "--as-of",
            "2025-05-13",
            "--fail-on-overdue",
            path,
        ]))
    };
    let silent = check(&crate::util::rel(&bundled()));
    assert_eq!(silent.code, 0, "{}", silent.stdout);
    let known = check(copy.to_str().unwrap());
    assert_eq!(known.code, 1, "{}", known.stdout);
    assert!(
        // Due Monday 05-12 (Saturday 05-10 is an administrative holiday: Act on Holidays of
        // Administrative Organs art. 2): a day overdue on 05-13.
        known.stdout.contains("| overdue   | 1 day overdue"),
        "{}",
        known.stdout
    );
}

#[test]
fn every_rule_and_kind_of_start_as_json() {
    let json = status_json(&["--as-of", "2025-05-20", CLOCKS]);
    // appi-final and tba: day 30, Saturday 2025-05-10, is an administrative holiday, so the
    // deadline is Monday 05-12 (Act on Holidays of Administrative Organs art. 2). sec: four
    // business days from Thursday 04-10 counted in Eastern Time end with the EDGAR cut-off,
    // 17:30 on Thursday 04-17 (Regulation S-T 232.13(a)(2)).
    assert_eq!(
        dues(&json),
        owned(&[
            ("appi-preliminary", "2025-04-13", "done"),
            ("appi-final", "2025-05-12", "overdue"),
            ("appi-final-60", "2025-06-09", "open"),
            ("tba", "2025-05-12", "no_record"),
            ("gdpr", "2025-04-13T09:30:00+09:00", "done_late"),
            ("gdpr-from-a-date", "2025-04-12", "no_record"),
            ("nis2-early-warning", "2025-04-11T09:30:00+09:00", "done"),
            ("nis2-notification", "2025-04-13T09:30:00+09:00", "done"),
            ("nis2-final", "2025-05-12", "overdue"),
            ("sec", "2025-04-17T17:30:00-04:00", "cancelled"),
            ("contract", "2025-04-11T12:00:00", "no_record"),
            ("insurer", "2025-02-28", "no_record"),
        ])
    );
    let raw = run(breachline().args([
        "status",
        "--format",
        "json",
        "--as-of",
        "2025-05-20",
        CLOCKS,
    ]));
    insta::assert_snapshot!(raw.stdout);
}

#[test]
fn every_rule_and_kind_of_start_as_a_table() {
    let out = run(breachline().args(["--hindsight", "status", "--as-of", "2025-04-12", CLOCKS]));
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.stdout);
    let ja = run(breachline().args([
        "--hindsight",
        "status",
        "--as-of",
        "2025-04-12",
        "--lang",
        "ja",
        CLOCKS,
    ]));
    insta::assert_snapshot!("every_rule_and_kind_of_start_in_japanese", ja.stdout);
}

#[test]
fn an_overdue_obligation_fails_the_check() {
    let out = run(breachline().args([
        "status",
        "--as-of",
        "2025-05-20",
        "--fail-on-overdue",
        CLOCKS,
    ]));
    assert_eq!(out.code, 1);
    let before = run(breachline().args([
        "status",
        "--as-of",
        "2025-05-10",
        "--fail-on-overdue",
        CLOCKS,
    ]));
    assert_eq!(before.code, 0, "{}", before.stdout);
}

/// A report known only as filed "by" a day after its deadline may or may not have been on
/// time: no view shows it as plainly done, as none does for a remediation item.
#[test]
fn a_report_filed_by_a_day_after_its_deadline_is_not_shown_as_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("late-bound.yaml");
    fs::write(
        &file,
        "format: 1\nid: x\ntitle: X\norganization: O\nservice: S\nreviewed: 2025-12-31\n\
         sources: [{id: s, title: T, publisher: P, date: 2025-04-10}]\n\
         events: [{id: '#1', date: 2025-04-10, kind: detection, title: D, sources: [s]}]\n\
         obligations:\n\
         \x20 - {id: O, title: O, within: 30d, starts_at: '#1', status: done, completed_by: 2025-05-20, status_as_of: 2025-05-20, sources: [s]}\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let view = |args: &[&str]| {
        let out = run(breachline()
            .args(["--as-of", "2025-06-01", "--color", "never"])
            .args(args)
            .arg(file));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    for args in [&["status"][..], &["export", "--format", "markdown"]] {
        let out = view(args);
        let row = out
            .lines()
            .find(|l| l.contains("within 30 days"))
            .unwrap_or_default();
        assert!(
            row.contains("done (on time?)") && row.contains("on time, or up to 10 days late"),
            "{args:?}: {out}"
        );
        assert!(
            out.contains("1 obligation: 1 done (1 on time not known)"),
            "{args:?}: {out}"
        );
    }
    let ics = view(&["export", "--format", "ics"]);
    assert!(ics.contains("SUMMARY:x [done (on time?)] O: O"), "{ics}");
    let html = view(&["export", "--format", "html"]);
    assert!(html.contains("state on-time-unknown"), "{html}");
    let json = view(&["status", "--format", "json"]);
    assert!(json.contains("\"on_time\": null"), "{json}");
}
