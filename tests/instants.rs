//! Date-times as instants (issue 11, item 2): the timeline orders them as instants, every
//! export keeps that order, and an incident's `timezone` decides which day a moment falls on.

use crate::util::{breachline, run, Output};

const MIXED: &str = "tests/fixtures/valid/mixed-offsets.yaml";
const AS_OF: &str = "2025-05-01";

fn json(out: &Output) -> serde_json::Value {
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

/// The event ids of `timeline --format json`, in its order.
fn timeline_ids(file: &str, as_of: &str) -> Vec<String> {
    let out = run(breachline().args(["timeline", "--as-of", as_of, "--format", "json", file]));
    json(&out)["incidents"][0]["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn export(format: &str, extra: &[&str]) -> String {
    let out = run(breachline()
        .env("SOURCE_DATE_EPOCH", "1795564800")
        .args(["export", "--as-of", AS_OF, "--format", format])
        .args(extra)
        .arg(MIXED));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

/// The ids of `ids` in the order their first `marker(id)` appears in `text`.
fn in_order_of(text: &str, ids: &[String], marker: impl Fn(&str) -> String) -> Vec<String> {
    let mut found: Vec<(usize, String)> = ids
        .iter()
        .map(|id| {
            let at = text
                .find(&marker(id))
                .unwrap_or_else(|| panic!("{} not in the export", marker(id)));
            (at, id.clone())
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, id)| id).collect()
}

#[test]
fn a_notification_in_tokyo_before_a_detection_in_new_york_is_listed_first_and_warned_about() {
    let ids = timeline_ids(MIXED, AS_OF);
    let position = |id: &str| ids.iter().position(|i| i == id).expect(id);
    assert!(
        position("notified") < position("detected"),
        "16:00Z on the 10th comes before 04:30Z on the 11th: {ids:?}"
    );
    let out = run(breachline().args(["validate", MIXED]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "warning: notification `notified` (2025-04-11T01:00:00+09:00) is dated before the first detection (2025-04-10T23:30:00-05:00)"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("and the file has no `timezone`"),
        "{}",
        out.stderr
    );
}

#[test]
fn same_day_events_follow_the_clock_a_whole_day_first_and_a_month_at_its_start() {
    assert_eq!(
        timeline_ids(MIXED, AS_OF),
        [
            "march",
            "began",
            "notified",
            "detected",
            "whole-day",
            "morning",
            "evening"
        ]
    );
}

#[test]
fn every_export_lists_the_events_in_the_timelines_order() {
    let ids = timeline_ids(MIXED, AS_OF);

    let exported = json(&Output {
        code: 0,
        stdout: export("json", &[]),
        stderr: String::new(),
    });
    let json_ids: Vec<&str> = exported["incidents"][0]["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(json_ids, ids, "json");

    let csv = export("csv", &[]);
    let csv_ids: Vec<String> = csv
        .lines()
        .filter(|l| l.starts_with("\"event\""))
        .map(|l| {
            l.split(',')
                .nth(3)
                .expect("an id column")
                .trim_matches('"')
                .to_owned()
        })
        .collect();
    assert_eq!(csv_ids, ids, "csv");

    let markdown = export("markdown", &[]);
    assert_eq!(
        in_order_of(&markdown, &ids, |id| format!("\n| {id} |")),
        ids,
        "markdown"
    );

    let html = export("html", &[]);
    let table = "<tr><td class=\"id\">";
    assert_eq!(
        in_order_of(&html, &ids, |id| format!(
            "{table}{}</td>",
            crate::util::html_id(id)
        )),
        ids,
        "html table"
    );
    assert_eq!(
        in_order_of(&html, &ids, |id| format!(
            "<tspan font-weight=\"600\">{id}</tspan>"
        )),
        ids,
        "html figure"
    );

    let ics = export("ics", &["--include-events"]).replace("\r\n ", "");
    assert_eq!(
        in_order_of(&ics, &ids, |id| format!(
            "UID:mixed-offsets/event/{id}@breachline"
        )),
        ids,
        "ics"
    );
}

/// An incident whose detection is late on the 10th in New York: the 11th in Tokyo.
fn zoned(timezone: &str) -> String {
    format!(
        "format: 1\nid: zoned\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\n{timezone}\
         sources: [{{id: s1, title: t, publisher: p, date: 2025-04-01}}]\n\
         events:\n\
         \x20 - {{id: detected, date: 2025-04-10T23:30:00-05:00, kind: detection, title: d, sources: [s1]}}\n\
         \x20 - {{id: same-day, date: 2025-04-11, kind: response, title: r, sources: [s1]}}\n"
    )
}

#[test]
fn the_timezone_decides_the_day_a_moment_falls_on_for_as_of_and_day_counts() {
    let dir = tempfile::tempdir().unwrap();
    let written = dir.path().join("written.yaml");
    let tokyo = dir.path().join("tokyo.yaml");
    std::fs::write(&written, zoned("")).unwrap();
    std::fs::write(&tokyo, zoned("timezone: Asia/Tokyo\n")).unwrap();
    let (written, tokyo) = (written.to_str().unwrap(), tokyo.to_str().unwrap());

    // Without a zone, the day written: the 10th.
    assert_eq!(timeline_ids(written, "2025-04-10"), ["detected"]);
    // In Tokyo it is 13:30 on the 11th: not yet as of the 10th, and after the 11th's start.
    assert!(timeline_ids(tokyo, "2025-04-10").is_empty());
    assert_eq!(timeline_ids(tokyo, "2025-04-11"), ["same-day", "detected"]);

    let days = |file: &str| {
        let out = run(breachline().args([
            "timeline",
            "--as-of",
            "2025-04-30",
            "--format",
            "json",
            file,
        ]));
        json(&out)["incidents"][0]["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| e["days_since_first"].as_i64().expect("days"))
            .collect::<Vec<_>>()
    };
    assert_eq!(days(written), [0, 1], "the 10th to the 11th");
    assert_eq!(days(tokyo), [0, 0], "both on the 11th in Tokyo");

    let zone_of = |file: &str| {
        let out =
            run(breachline().args(["export", "--as-of", "2025-04-30", "--format", "json", file]));
        json(&out)["incidents"][0]["timezone"].clone()
    };
    assert_eq!(zone_of(tokyo), "Asia/Tokyo");
    assert_eq!(zone_of(written), serde_json::Value::Null);
}

#[test]
fn a_deadline_falls_on_its_day_in_the_zone() {
    // 72 hours from 20:00 in New York on the 10th: 20:00 there on the 13th, 10:00 on the 14th
    // in Tokyo. Without a zone the deadline's day is the 13th; in Tokyo, the 14th.
    let incident = |timezone: &str| {
        format!(
            "format: 1\nid: gdpr\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\n{timezone}\
             sources: [{{id: s1, title: t, publisher: p, date: 2025-04-01}}]\n\
             events: [{{id: detected, date: 2025-04-10T20:00:00-05:00, kind: detection, title: d, sources: [s1]}}]\n\
             obligations: [{{id: G, title: g, rule: gdpr-art33, starts_at: detected, sources: [s1]}}]\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let obligation = |name: &str, timezone: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, incident(timezone)).unwrap();
        let out = run(breachline().args([
            "status",
            "--as-of",
            "2025-04-14",
            "--format",
            "json",
            file.to_str().unwrap(),
        ]));
        json(&out)["incidents"][0]["obligations"][0].clone()
    };
    let tokyo = obligation("tokyo.yaml", "timezone: Asia/Tokyo\n");
    assert_eq!(tokyo["clock_start"], "2025-04-11T10:00:00+09:00");
    assert_eq!(tokyo["due"], "2025-04-14T10:00:00+09:00");
    assert_eq!(tokyo["due_day"], "2025-04-14");
    assert_eq!(tokyo["state"], "due_soon");
    let written = obligation("written.yaml", "");
    assert_eq!(written["clock_start"], "2025-04-10T20:00:00-05:00");
    assert_eq!(written["due"], "2025-04-13T20:00:00-05:00");
    assert_eq!(written["due_day"], "2025-04-13");
    assert_eq!(written["state"], "no_record");
}
