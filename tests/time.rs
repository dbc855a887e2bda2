//! Time you can trust (issue #11): what was known versus what had happened, each rule at its
//! boundary, through the real binary.

use std::fs;

use serde_json::Value;

use crate::util::{breachline, run};

fn json(args: &[&str]) -> Value {
    let out = run(breachline().args(args));
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn item<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["incidents"][0]["remediation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in {doc:#}"))
}

fn status(view: &[&str], as_of: &str, path: Option<&str>) -> Value {
    let mut args = view.to_vec();
    args.extend(["status", "--format", "json", "--as-of", as_of]);
    args.extend(path);
    json(&args)
}

/// The bundled incident, as of a day, in the default view.
fn bundled(as_of: &str) -> Value {
    status(&[], as_of, None)
}

#[test]
fn a_completion_counts_from_its_report_in_the_default_view() {
    let doc = bundled("2025-07-01");
    assert_eq!(doc["view"], "as_known");
    let r1 = item(&doc, "R1");
    assert_eq!(r1["state"], "overdue");
    assert_eq!(r1["days_overdue"], 1);
    assert_eq!(r1["last_confirmed"], "2025-05-13");
    assert_eq!(r1["known_status"], "planned");
}

#[test]
fn once_reported_the_completion_is_done_on_time() {
    let r1 = item(&bundled("2025-07-18"), "R1").clone();
    assert_eq!(r1["state"], "done");
    assert_eq!(r1["on_time"], true);
    assert_eq!(r1["last_confirmed"], "2025-07-18");
}

#[test]
fn with_hindsight_the_completion_counts_from_the_day_it_happened() {
    let doc = status(&["--hindsight"], "2025-07-01", None);
    assert_eq!(doc["view"], "hindsight");
    assert_eq!(item(&doc, "R1")["state"], "done");
}

#[test]
fn on_2025_06_01_exactly_the_waf_decision_is_overdue() {
    let doc = bundled("2025-06-01");
    let overdue: Vec<&str> = doc["incidents"][0]["remediation"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["state"] == "overdue")
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, ["R2"]);
}

#[test]
fn late_2026_the_waf_is_overdue_and_the_decision_not_known_to_be_on_time() {
    let doc = bundled("2026-11-25");
    let r3 = item(&doc, "R3");
    assert_eq!(r3["state"], "overdue");
    assert_eq!(r3["last_confirmed"], "2025-07-18");
    let r2 = item(&doc, "R2");
    assert_eq!(r2["state"], "done");
    assert_eq!(
        r2["on_time"],
        Value::Null,
        "done only by 2025-07-18, due 2025-05-31"
    );
}

#[test]
fn no_confirmation_is_ever_after_the_day() {
    for day in [
        "2025-05-13",
        "2025-06-30",
        "2025-07-17",
        "2025-07-18",
        "2026-11-25",
    ] {
        for view in [&[][..], &["--hindsight"][..]] {
            let doc = status(view, day, None);
            let incident = &doc["incidents"][0];
            for list in ["remediation", "obligations"] {
                for x in incident[list].as_array().unwrap() {
                    if let Some(c) = x["last_confirmed"].as_str() {
                        assert!(c <= day, "{} confirmed {c} as of {day}", x["id"]);
                    }
                }
            }
        }
    }
}

/// A small incident written for one rule.
fn file(dir: &tempfile::TempDir, name: &str, body: &str) -> String {
    let path = dir.path().join(name);
    fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_owned()
}

const HEAD: &str = "format: 1\nid: t\ntitle: T\norganization: O\nservice: S\n";

#[test]
fn a_cancelled_item_without_status_as_of_is_cancelled_from_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        &dir,
        "cancelled.yaml",
        &format!(
            "{HEAD}reviewed: 2025-03-01\nsources: [{{id: s, title: T, publisher: P, date: 2025-01-10}}]\n\
             remediation:\n  - {{id: R1, title: Dropped, due: 2025-02-01, status: cancelled, sources: [s]}}\n"
        ),
    );
    assert_eq!(
        item(&status(&[], "2025-02-28", Some(&path)), "R1")["state"],
        "overdue",
        "not yet known to be cancelled"
    );
    for day in ["2025-03-01", "2025-03-02", "2030-01-01"] {
        assert_eq!(
            item(&status(&[], day, Some(&path)), "R1")["state"],
            "cancelled"
        );
    }
    let check = run(breachline().args(["check", "--as-of", "2025-03-01", &path]));
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn an_obligation_confirmed_only_later_is_no_record_until_then() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        &dir,
        "later.yaml",
        &format!(
            "{HEAD}reviewed: 2025-12-31\nsources: [{{id: s, title: T, publisher: P, date: 2025-04-10}}]\n\
             events: [{{id: d, date: 2025-04-10, kind: detection, title: D, sources: [s]}}]\n\
             obligations:\n  - {{id: O, title: O, within: 30d, starts_at: d, status: planned, status_as_of: 2025-07-01, sources: [s]}}\n"
        ),
    );
    let obligation = |view: &[&str], day| {
        status(view, day, Some(&path))["incidents"][0]["obligations"][0].clone()
    };
    let early = obligation(&[], "2025-06-01");
    assert_eq!(early["due"], "2025-05-10");
    assert_eq!(early["state"], "no_record");
    assert_eq!(obligation(&[], "2025-07-01")["state"], "overdue");
    assert_eq!(
        obligation(&["--hindsight"], "2025-06-01")["state"],
        "overdue"
    );
    let check = run(breachline().args(["check", "--as-of", "2025-06-01", &path]));
    assert_eq!(
        check.code, 0,
        "a silent record fails nothing: {}",
        check.stdout
    );
}

#[test]
fn a_fact_shows_from_its_reported_day_and_not_the_day_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        &dir,
        "reported.yaml",
        &format!(
            "{HEAD}reviewed: 2025-12-31\nsources: [{{id: s, title: T, publisher: P, date: 2025-04-01}}]\n\
             events:\n  - {{id: c, date: 2025-03-01, kind: compromise, title: C, sources: [s]}}\n\
             \x20 - {{id: d, date: 2025-04-10, kind: detection, title: D, sources: [s], reported: 2025-04-20}}\n"
        ),
    );
    let ids = |day| {
        let doc = json(&["timeline", "--format", "json", "--as-of", day, &path]);
        doc["incidents"][0]["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["id"].as_str().unwrap().to_owned(),
                    e["known_on"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids("2025-03-31"),
        [],
        "the source was published on 2025-04-01"
    );
    assert_eq!(
        ids("2025-04-19"),
        [("c".to_owned(), "2025-04-01".to_owned())]
    );
    assert_eq!(ids("2025-04-20").len(), 2);
}

#[test]
fn dwell_needs_a_compromise_and_a_month_only_one_gives_a_range() {
    let dir = tempfile::tempdir().unwrap();
    let body = |compromise: &str| {
        format!(
            "{HEAD}reviewed: 2025-12-31\nsources: [{{id: s, title: T, publisher: P, date: 2025-04-10}}]\n\
             events:\n{compromise}  - {{id: d, date: 2025-04-10, kind: detection, title: D, sources: [s]}}\n"
        )
    };
    let none = file(&dir, "none.yaml", &body(""));
    let intervals = |path: &str| {
        json(&[
            "timeline",
            "--format",
            "json",
            "--as-of",
            "2025-06-01",
            path,
        ])["incidents"][0]["intervals"]
            .clone()
    };
    assert_eq!(intervals(&none)["dwell"], Value::Null);
    let table = run(breachline().args(["timeline", "--as-of", "2025-06-01", &none]));
    assert!(
        table
            .stdout
            .contains("Dwell time (first compromise to detection): no compromise event recorded"),
        "{}",
        table.stdout
    );
    let month = file(
        &dir,
        "month.yaml",
        &body("  - {id: c, date: 2025-04, kind: compromise, title: C, sources: [s]}\n"),
    );
    let dwell = intervals(&month)["dwell"].clone();
    assert_eq!(
        (&dwell["days"], &dwell["days_min"], &dwell["days_max"]),
        (&Value::from(9), &Value::from(0), &Value::from(9))
    );
    let table = run(breachline().args(["timeline", "--as-of", "2025-06-01", &month]));
    assert!(
        table.stdout.contains("~9 days (0–9) (c → d)"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_rescheduled_deadline_is_in_force_from_its_announcement() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        &dir,
        "moved.yaml",
        &format!(
            "{HEAD}reviewed: 2025-12-31\nsources: [{{id: s, title: T, publisher: P, date: 2025-04-10}}]\n\
             remediation:\n  - id: R1\n    title: WAF\n    due: 2025-07-31\n    announced: 2025-04-10\n    status: in_progress\n    status_as_of: 2025-04-10\n    sources: [s]\n    rescheduled:\n      - {{due: 2025-09-30, announced: 2025-08-01, sources: [s]}}\n"
        ),
    );
    let before = item(&status(&[], "2025-07-31", Some(&path)), "R1").clone();
    assert_eq!(
        (&before["due"], &before["rescheduled"]),
        (&Value::from("2025-07-31"), &Value::from(0))
    );
    let gap = item(&status(&[], "2025-08-01", Some(&path)), "R1").clone();
    assert_eq!(
        gap["state"], "open",
        "moved on the day the old deadline would have passed"
    );
    assert_eq!(gap["due"], "2025-09-30");
    assert_eq!(gap["original_due"], "2025-07-31");
    assert_eq!(gap["rescheduled"], 1);
    let table = run(breachline().args(["status", "--as-of", "2025-10-01", &path]));
    assert!(
        table
            .stdout
            .contains("rescheduled 1× (first due 2025-07-31)"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_reschedule_without_a_first_deadline_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        &dir,
        "nofirst.yaml",
        &format!(
            "{HEAD}reviewed: 2025-12-31\nsources: [{{id: s, title: T, publisher: P}}]\n\
             remediation:\n  - {{id: R1, title: X, status: planned, sources: [s], rescheduled: [{{due: 2025-09-30, announced: 2025-08-01, sources: [nope]}}]}}\n"
        ),
    );
    let out = run(breachline().args(["validate", &path]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("remediation item `R1` is rescheduled but has no first deadline"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("source `nope` is not declared"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_export_names_its_view() {
    for (view, word) in [(&[][..], "as_known"), (&["--hindsight"][..], "hindsight")] {
        let mut args = view.to_vec();
        args.extend(["export", "--as-of", "2026-11-25", "--format"]);
        for (format, needle) in [
            ("json", format!("\"view\": \"{word}\"")),
            ("csv", "\"provenance\",\"\",\"\",\"view\",".to_owned()),
            ("ics", format!("X-BREACHLINE-VIEW:{word}")),
        ] {
            let mut a = args.clone();
            a.push(format);
            let out = run(breachline().args(&a));
            assert!(out.stdout.contains(&needle), "{format}: no {needle}");
            if format == "csv" {
                let row = out.stdout.lines().find(|l| l.contains(&needle)).unwrap();
                assert!(row.contains(&format!(",\"{word}\",")), "{row}");
            }
        }
        let phrase = if word == "hindsight" {
            "with hindsight"
        } else {
            "as known then"
        };
        for format in ["markdown", "html"] {
            let mut a = args.clone();
            a.push(format);
            let out = run(breachline().args(&a));
            assert!(out.stdout.contains(phrase), "{format}: no {phrase}");
        }
    }
}

#[test]
fn the_first_notification_is_counted_from_the_detection() {
    let doc = json(&["timeline", "--format", "json", "--as-of", "2026-11-25"]);
    let interval = &doc["incidents"][0]["intervals"]["detection_to_notification"];
    assert_eq!(interval["from"], "#1");
    assert_eq!(interval["days"], 0);
    assert_eq!(interval["days_min"], 0);
    assert_eq!(interval["days_max"], 0);
}

/// One row of the table below: a file, a command on it, and what one value must be.
struct Case {
    rule: &'static str,
    /// The incident after the common head (reviewed 2025-12-31, source `s` of 2025-04-01).
    body: &'static str,
    args: &'static [&'static str],
    /// A JSON pointer into the command's output, or `exit` for its exit status.
    at: &'static str,
    want: Value,
}

/// Every rule of issue #11 at its boundary, one case each: the day a rule starts to hold, or
/// the least input that shows it.
#[test]
fn every_rule_of_the_two_clocks_at_its_boundary() {
    use serde_json::json;
    const DETECTED: &str =
        "events:\n  - {id: d, date: 2025-04-10, kind: detection, title: D, sources: [s]}\n";
    let cases = [
        Case {
            rule: "an event shows from its earliest dated source, not before",
            body: DETECTED,
            args: &["timeline", "--format", "json", "--as-of", "2025-04-09"],
            at: "/incidents/0/events",
            want: json!([]),
        },
        Case {
            rule: "an event shows from the day it happened when its source is older",
            body: DETECTED,
            args: &["timeline", "--format", "json", "--as-of", "2025-04-10"],
            at: "/incidents/0/events/0/known_on",
            want: json!("2025-04-10"),
        },
        Case {
            rule: "`reported` moves the known day later",
            body: "events:\n  - {id: d, date: 2025-04-10, kind: detection, title: D, sources: [s], reported: 2025-04-12}\n",
            args: &["timeline", "--format", "json", "--as-of", "2025-04-11"],
            at: "/incidents/0/events",
            want: json!([]),
        },
        Case {
            rule: "with hindsight an event shows from the day it happened",
            body: "events:\n  - {id: d, date: 2025-04-10, kind: detection, title: D, sources: [s], reported: 2025-04-12}\n",
            args: &["--hindsight", "timeline", "--format", "json", "--as-of", "2025-04-10"],
            at: "/incidents/0/events/0/id",
            want: json!("d"),
        },
        Case {
            rule: "a completion counts once its status is confirmed",
            body: "remediation:\n  - {id: R, title: R, due: 2025-05-31, announced: 2025-04-01, status: done, completed: 2025-05-30, status_as_of: 2025-06-02, sources: [s]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-06-01"],
            at: "/incidents/0/remediation/0/state",
            want: json!("overdue"),
        },
        Case {
            rule: "... and then it is done, on time",
            body: "remediation:\n  - {id: R, title: R, due: 2025-05-31, announced: 2025-04-01, status: done, completed: 2025-05-30, status_as_of: 2025-06-02, sources: [s]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-06-02"],
            at: "/incidents/0/remediation/0/on_time",
            want: json!(true),
        },
        Case {
            rule: "a status without status_as_of is known from `reviewed`",
            body: "remediation:\n  - {id: R, title: R, due: 2025-05-31, announced: 2025-04-01, status: cancelled, sources: [s]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-12-30"],
            at: "/incidents/0/remediation/0/state",
            want: json!("overdue"),
        },
        Case {
            rule: "done only by a day after the deadline: on time not known",
            body: "remediation:\n  - {id: R, title: R, due: 2025-05-31, announced: 2025-04-01, status: done, completed_by: 2025-06-01, status_as_of: 2025-06-01, sources: [s]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-06-01"],
            at: "/incidents/0/remediation/0/on_time",
            want: Value::Null,
        },
        Case {
            rule: "done by the deadline day itself: on time",
            body: "remediation:\n  - {id: R, title: R, due: 2025-05-31, announced: 2025-04-01, status: done, completed_by: 2025-05-31, status_as_of: 2025-05-31, sources: [s]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-05-31"],
            at: "/incidents/0/remediation/0/on_time",
            want: json!(true),
        },
        Case {
            rule: "a moved deadline is in force from the day it was announced",
            body: "remediation:\n  - {id: R, title: R, due: 2025-05-31, announced: 2025-04-01, status: planned, status_as_of: 2025-04-01, sources: [s], rescheduled: [{due: 2025-06-30, announced: 2025-06-01, sources: [s]}]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-06-01"],
            at: "/incidents/0/remediation/0/state",
            want: json!("open"),
        },
        Case {
            rule: "... and not the day before",
            body: "remediation:\n  - {id: R, title: R, due: 2025-05-31, announced: 2025-04-01, status: planned, status_as_of: 2025-04-01, sources: [s], rescheduled: [{due: 2025-06-30, announced: 2025-06-02, sources: [s]}]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-06-01"],
            at: "/incidents/0/remediation/0/state",
            want: json!("overdue"),
        },
        Case {
            rule: "a report confirmed planned only after the day: no_record, not overdue",
            body: "events:\n  - {id: d, date: 2025-04-10, kind: detection, title: D, sources: [s]}\nobligations:\n  - {id: O, title: O, within: 1d, starts_at: d, status: planned, status_as_of: 2025-04-13, sources: [s]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-04-12"],
            at: "/incidents/0/obligations/0/state",
            want: json!("no_record"),
        },
        Case {
            rule: "dwell time needs a compromise event",
            body: DETECTED,
            args: &["timeline", "--format", "json", "--as-of", "2025-04-10"],
            at: "/incidents/0/intervals/dwell",
            want: Value::Null,
        },
        Case {
            rule: "through a month-only date a count is a range",
            body: "events:\n  - {id: c, date: 2025-03, kind: compromise, title: C, sources: [s]}\n  - {id: d, date: 2025-04-10, kind: detection, title: D, sources: [s]}\n",
            args: &["timeline", "--format", "json", "--as-of", "2025-04-10"],
            at: "/incidents/0/intervals/dwell/days_max",
            want: json!(40),
        },
        Case {
            rule: "date-times are ordered as instants",
            body: "events:\n  - {id: late, date: 2025-04-10T23:30:00-05:00, kind: detection, title: D, sources: [s]}\n  - {id: early, date: 2025-04-11T01:00:00+09:00, kind: notification, title: N, sources: [s]}\n",
            args: &["timeline", "--format", "json", "--as-of", "2025-04-30"],
            at: "/incidents/0/events/0/id",
            want: json!("early"),
        },
        Case {
            rule: "`until` before `date` on the same day is an error",
            body: "events:\n  - {id: x, date: 2025-04-10T12:00:00Z, until: 2025-04-10T11:00:00Z, kind: other, title: X, sources: [s]}\n",
            args: &["validate"],
            at: "exit",
            want: json!(2),
        },
        Case {
            rule: "a clock after a whole-day deadline starts at the end of that day",
            body: "events:\n  - {id: d, date: 2025-04-10, kind: detection, title: D, sources: [s]}\nobligations:\n  - {id: A, title: A, within: 30d, starts_at: d, sources: [s]}\n  - {id: B, title: B, within: 24h, after: A, sources: [s]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-04-10"],
            at: "/incidents/0/obligations/1/due_day",
            want: json!("2025-05-11"),
        },
        Case {
            rule: "a month from 00:00 ends no later than the same number of days",
            body: "obligations:\n  - {id: M, title: M, within: 1 month, starts_at: 2025-04-10T00:00:00+09:00, sources: [s]}\n",
            args: &["status", "--format", "json", "--as-of", "2025-04-10"],
            at: "/incidents/0/obligations/0/due_day",
            want: json!("2025-05-09"),
        },
        Case {
            rule: "a deadline past 9999-12-31 is an error",
            body: "obligations:\n  - {id: M, title: M, within: 120 months, starts_at: 9995-01-01, sources: [s]}\n",
            args: &["validate"],
            at: "exit",
            want: json!(2),
        },
    ];
    let dir = tempfile::tempdir().unwrap();
    for (n, case) in cases.iter().enumerate() {
        let path = file(
            &dir,
            &format!("case{n}.yaml"),
            &format!(
                "{HEAD}reviewed: 2025-12-31\nsources: [{{id: s, title: T, publisher: P, date: 2025-04-01}}]\n{}",
                case.body
            ),
        );
        let out = run(breachline().args(case.args).arg(&path));
        let got = if case.at == "exit" {
            json!(out.code)
        } else {
            assert_eq!(out.code, 0, "{}: {}", case.rule, out.stderr);
            let doc: Value = serde_json::from_str(&out.stdout).unwrap();
            doc.pointer(case.at)
                .cloned()
                .unwrap_or_else(|| panic!("{}: no {} in {doc:#}", case.rule, case.at))
        };
        assert_eq!(got, case.want, "{}", case.rule);
    }
}
