//! Reporting clocks as the law counts them (issue #21): the rules library, its calendars,
//! zones and cut-offs, legal deadlines beside targets, rule packs and `breachline rules`.

use std::fs;

use serde_json::Value;

use crate::util::{breachline, rel, run};

/// An incident in `timezone` (or none) with these events and obligations (YAML list items,
/// indented by two spaces), in a file of its own under a fresh directory.
fn incident(timezone: Option<&str>, events: &str, obligations: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let tz = timezone.map_or(String::new(), |t| format!("timezone: {t}\n"));
    fs::write(
        dir.path().join("x.yaml"),
        format!(
            "format: 1\nid: x\ntitle: X\norganization: O\nservice: S\nreviewed: 2026-01-31\n{tz}\
             sources: [{{id: s1, title: T, publisher: P, date: 2024-01-01}}]\n\
             events:\n{events}obligations:\n{obligations}"
        ),
    )
    .unwrap();
    dir
}

/// `status --format json --hindsight` of `dir` as of `day`: each obligation's JSON.
fn obligations(dir: &tempfile::TempDir, day: &str) -> Vec<Value> {
    let out = run(breachline()
        .args(["--hindsight", "--as-of", day, "status", "--format", "json"])
        .arg(dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    json["incidents"][0]["obligations"]
        .as_array()
        .unwrap()
        .clone()
}

fn event(id: &str, date: &str, kind: &str) -> String {
    format!("  - {{id: '{id}', date: '{date}', kind: {kind}, title: T, sources: [s1]}}\n")
}

#[test]
fn the_bundled_tba_report_is_due_on_the_monday_after_its_saturday_30th_day_and_goes_to_mic() {
    let out = run(breachline().args([
        "--as-of",
        "2025-05-11",
        "--hindsight",
        "status",
        "--format",
        "json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let list = json["incidents"][0]["obligations"].as_array().unwrap();
    let tba = &list[0];
    assert_eq!(tba["id"], "tba-detailed");
    assert_eq!(tba["due"], "2025-05-12", "Sat 05-10 moves to Mon 05-12");
    assert_eq!(tba["target"], "2025-05-10");
    assert!(
        matches!(tba["state"].as_str(), Some("open" | "due_soon")),
        "not overdue: {}",
        tba["state"]
    );
    for o in list {
        let to = o["recipient"].as_str().unwrap();
        assert!(to.starts_with("MIC"), "{}: {to}", o["id"]);
    }
    assert_eq!(json["rules_sha256"].as_str().map(str::len), Some(64));
    let table = run(breachline().args(["--as-of", "2025-05-11", "--hindsight", "status"])).stdout;
    assert!(table.contains("2025-05-12 (target 2025-05-10)"), "{table}");
    assert!(table.contains("to MIC"), "{table}");
}

const APPI_FINAL: &str = "  - {id: F, title: F, rule: appi-final, starts_at: '#1', status: done";

#[test]
fn an_appi_final_report_filed_on_the_monday_after_a_saturday_30th_day_is_on_time() {
    // Knew on Thursday 2025-04-10; day 30 is Saturday 2025-05-10.
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2025-04-10", "detection"),
        &format!("{APPI_FINAL}, completed: 2025-05-12}}\n"),
    );
    let o = &obligations(&dir, "2025-06-30")[0];
    assert_eq!(
        (o["due"].as_str(), o["state"].as_str()),
        (Some("2025-05-12"), Some("done"))
    );
    assert_eq!(o["on_time"], true);
    // Filed a day later it is late.
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2025-04-10", "detection"),
        &format!("{APPI_FINAL}, completed: 2025-05-13}}\n"),
    );
    assert_eq!(obligations(&dir, "2025-06-30")[0]["state"], "done_late");
}

#[test]
fn a_golden_week_30th_day_moves_to_the_first_working_day_after_it() {
    // Knew on 2025-04-03: day 30 is Saturday 05-03 (Constitution Day); 05-04 Greenery Day,
    // 05-05 Children's Day, 05-06 substitute holiday; Wednesday 05-07 is the first working day.
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2025-04-03", "detection"),
        &format!("{APPI_FINAL}, completed: 2025-05-07}}\n"),
    );
    let o = &obligations(&dir, "2025-06-30")[0];
    assert_eq!(
        (o["due"].as_str(), o["state"].as_str()),
        (Some("2025-05-07"), Some("done"))
    );
    assert_eq!(o["target"], "2025-05-03");
}

const SEC: &str = "  - {id: S, title: S, rule: sec-8k-1-05, starts_at: '#1'";

#[test]
fn an_sec_clock_counts_eastern_business_days_to_the_edgar_cut_off() {
    // Thursday 2025-03-06 22:00 EST, written in Tokyo time (Friday 12:00 JST).
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2025-03-07T12:00:00+09:00", "other"),
        &format!("{SEC}}}\n"),
    );
    let o = &obligations(&dir, "2025-03-07")[0];
    // Fri 7, Mon 10, Tue 11, Wed 12, by 17:30 Eastern (EDT since the 9th), shown in Tokyo.
    assert_eq!(o["due"], "2025-03-13T06:30:00+09:00");
    assert_eq!(o["due_day"], "2025-03-13");
    // Filed at 18:00 Eastern on the due day: after the cut-off, so filed the next day, late.
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2025-03-07T12:00:00+09:00", "other"),
        &format!("{SEC}, status: done, completed: '2025-03-12T18:00:00-04:00'}}\n"),
    );
    assert_eq!(obligations(&dir, "2025-03-31")[0]["state"], "done_late");
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2025-03-07T12:00:00+09:00", "other"),
        &format!("{SEC}, status: done, completed: '2025-03-12T17:00:00-04:00'}}\n"),
    );
    assert_eq!(obligations(&dir, "2025-03-31")[0]["state"], "done");
}

#[test]
fn an_sec_determination_the_friday_before_martin_luther_king_day_is_due_the_next_friday() {
    let dir = incident(
        Some("America/New_York"),
        &event("#1", "2025-01-17T10:00:00-05:00", "other"),
        &format!("{SEC}}}\n"),
    );
    assert_eq!(
        obligations(&dir, "2025-01-17")[0]["due"],
        "2025-01-24T17:30:00-05:00"
    );
}

#[test]
fn a_gdpr_clock_from_a_bare_date_runs_72_elapsed_hours_across_the_clock_change() {
    let dir = incident(
        Some("Europe/Berlin"),
        &event("#1", "2025-10-25", "detection"),
        "  - {id: G, title: G, rule: gdpr-art33, starts_at: '#1'}\n",
    );
    let o = &obligations(&dir, "2025-10-25")[0];
    assert_eq!(o["due"], "2025-10-27T23:00:00+01:00");
    assert_eq!(o["assumed_start_of_day"], true);
}

#[test]
fn a_nis2_final_report_after_a_notification_at_00_00_on_10_april_is_due_12_may() {
    let dir = incident(
        Some("Europe/Berlin"),
        &event("#1", "2025-04-09T10:00:00+02:00", "detection"),
        "  - {id: N, title: N, rule: nis2-notification, starts_at: '#1', status: done, completed: '2025-04-10T00:00:00+02:00'}\n\
         \x20 - {id: F, title: F, rule: nis2-final-report, after: N}\n",
    );
    let list = obligations(&dir, "2025-04-10");
    assert_eq!(list[1]["due"], "2025-05-12", "10 May is a Saturday");
    assert_eq!(list[1]["target"], "2025-05-10");
}

#[test]
fn a_dora_initial_report_is_due_at_the_earlier_of_its_two_clocks() {
    let dora = |classified: &str| {
        let dir = incident(
            Some("Europe/Berlin"),
            &format!(
                "{}{}",
                event("#1", "2025-03-03T02:00:00+01:00", "detection"),
                event("#2", classified, "other")
            ),
            "  - {id: D, title: D, rule: dora-initial, starts: {awareness: '#1', classification: '#2'}}\n",
        );
        obligations(&dir, "2025-03-05")[0]["due"].clone()
    };
    assert_eq!(
        dora("2025-03-03T10:00:00+01:00"),
        "2025-03-03T14:00:00+01:00"
    );
    assert_eq!(
        dora("2025-03-04T01:00:00+01:00"),
        "2025-03-04T02:00:00+01:00"
    );
}

#[test]
fn a_decision_not_to_report_is_never_overdue() {
    let dir = incident(
        Some("Europe/Berlin"),
        &event("#1", "2025-04-10", "detection"),
        "  - {id: G, title: G, rule: gdpr-art33, starts_at: '#1', status: not_required, status_as_of: 2025-04-11, detail: 'Art. 33(5): encrypted backup tape, key not lost', sources: [s1], reference: none}\n",
    );
    let o = &obligations(&dir, "2025-06-01")[0];
    assert_eq!(o["state"], "not_required");
    let out = run(breachline()
        .args(["--as-of", "2025-06-01", "check"])
        .arg(dir.path()));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn rules_lists_at_least_twenty_regimes_with_citations_and_dates() {
    let out = run(breachline().args(["rules", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let rules = json["rules"].as_array().unwrap();
    let mut regimes: Vec<(String, String)> = rules
        .iter()
        .map(|r| {
            assert!(
                r["url"].as_str().unwrap().starts_with("https://"),
                "{}",
                r["id"]
            );
            assert!(r["effective_from"].is_string(), "{}", r["id"]);
            (
                r["jurisdiction"].as_str().unwrap().to_owned(),
                r["regime"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    regimes.sort();
    regimes.dedup();
    assert!(regimes.len() >= 20, "{regimes:?}");
    let jp = run(breachline().args(["rules", "--jurisdiction", "jp"]));
    assert!(jp.stdout.contains("appi-final"), "{}", jp.stdout);
    assert!(!jp.stdout.contains("gdpr-art33"), "{}", jp.stdout);
}

#[test]
fn docs_list_the_rules_as_rules_markdown_prints_them() {
    let out = run(breachline().args(["rules", "--format", "markdown"]));
    let docs = fs::read_to_string(crate::util::root().join("docs/obligations.md")).unwrap();
    let start = "<!-- rules: generated by `breachline rules --format markdown` -->\n";
    let from = docs.find(start).expect("the marker in docs/obligations.md") + start.len();
    let to = docs[from..].find("<!-- end of rules -->").unwrap() + from;
    assert_eq!(
        &docs[from..to],
        out.stdout,
        "refresh the list: breachline rules --format markdown"
    );
}

const PACK: &str = "rules:\n  - id: acme-insurer-48h\n    jurisdiction: JP\n    regime: Cyber insurance policy\n    title: Notice of a claim to the insurer\n    recipient: Acme Insurance\n    provision: Policy wording, clause 12.3\n    url: https://example.org/policy.pdf\n    effective_from: 2024-01-01\n    trigger: awareness\n    period: 48h\n";

#[test]
fn a_rule_pack_beside_the_incidents_is_used_by_name() {
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2025-04-10T09:00:00+09:00", "detection"),
        "  - {id: I, title: I, rule: acme-insurer-48h, starts_at: '#1'}\n",
    );
    fs::write(dir.path().join("team.rules.yaml"), PACK).unwrap();
    let o = &obligations(&dir, "2025-04-10")[0];
    assert_eq!(o["due"], "2025-04-12T09:00:00+09:00");
    assert_eq!(o["recipient"], "Acme Insurance");
    let listed = run(breachline()
        .args(["rules", "--format", "json"])
        .arg(dir.path()));
    assert!(
        listed.stdout.contains("acme-insurer-48h"),
        "{}",
        listed.stdout
    );
}

#[test]
fn a_rule_pack_with_a_typo_gets_an_error_at_its_line_and_column() {
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2025-04-10T09:00:00+09:00", "detection"),
        "  - {id: I, title: I, within: 48h, starts_at: '#1'}\n",
    );
    let pack = dir.path().join("team.rules.yaml");
    fs::write(&pack, PACK.replace("period: 48h", "perod: 48h")).unwrap();
    let out = run(breachline().arg("validate").arg(dir.path()));
    assert_eq!(out.code, 2, "{}", out.stdout);
    let shown = rel(&pack);
    assert!(
        out.stderr.contains(&format!("{shown}:11:")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("unknown field `perod`"),
        "{}",
        out.stderr
    );
    // An incident naming an unknown rule: the error is at its place, with the nearest name.
    let dir = incident(
        None,
        &event("#1", "2025-04-10", "detection"),
        "  - {id: G, title: G, rule: gdpr-art-33, starts_at: '#1'}\n",
    );
    let out = run(breachline().arg("validate").arg(dir.path()));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `gdpr-art33`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_obligation_outside_its_rules_dates_is_warned_about() {
    let dir = incident(
        None,
        &event("#1", "2017-04-10", "detection"),
        "  - {id: G, title: G, rule: gdpr-art33, starts_at: '#1'}\n",
    );
    let out = run(breachline().arg("validate").arg(dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "rule `gdpr-art33` applies from 2018-05-25, but this clock starts on 2017-04-10"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_deadline_past_its_calendar_is_located_and_said() {
    let dir = incident(
        Some("Asia/Tokyo"),
        &event("#1", "2040-04-10", "detection"),
        "  - {id: F, title: F, rule: appi-final, starts_at: '#1'}\n",
    );
    let out = run(breachline().arg("validate").arg(dir.path()));
    assert!(
        out.stderr.contains(
            "rule `appi-final` counts with the calendar jp-admin of closed days, which covers 2020 to 2035: this clock, from 2040-04-10, runs outside it"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn every_export_carries_the_target_and_the_recipient_and_reminders_follow_the_target() {
    // As of 2025-05-01 the TBA report is open: due Monday 05-12, target Saturday 05-10.
    let export = |format: &str, extra: &[&str]| {
        let out = run(breachline()
            .args([
                "--as-of",
                "2025-05-01",
                "--hindsight",
                "export",
                "--format",
                format,
            ])
            .args(extra));
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        out.stdout
    };
    let csv = export("csv", &[]);
    let row = csv
        .lines()
        .find(|l| l.starts_with("\"obligation\",\"iij-secure-mx-2025\",\"incidents/secure-mx-2025.yaml\",\"tba-detailed\""))
        .expect("the TBA row");
    assert!(row.contains("\"2025-05-12\""), "{row}");
    assert!(row.ends_with("\"MIC, regional Bureau of Telecommunications (総合通信局等)\",\"\",\"2025-05-10\",\"2025-05-10\""), "{row}");
    for format in ["json", "stix", "veris"] {
        let text = export(format, &[]);
        assert!(text.contains("\"target\": \"2025-05-10\""), "{format}");
        assert!(
            text.contains("MIC, regional Bureau of Telecommunications"),
            "{format}"
        );
    }
    let ics = export("ics", &["--remind", "3"]);
    // Three days before the target, five before the deadline.
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains("TRIGGER;RELATED=START:-PT432000S"),
        "{ics}"
    );
    assert!(
        unfolded.contains("Target in 3 days\\, the legal deadline 2 days later"),
        "{ics}"
    );
}

#[test]
fn a_misspelt_jurisdiction_is_an_error_naming_the_known_ones() {
    let out = run(breachline().args(["rules", "--jurisdiction", "jpn"]));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with("error: no reporting rule is of the jurisdiction `jpn` (the rules' jurisdictions are: `AU`,"),
        "{}",
        out.stderr
    );
}

#[test]
fn due_soon_follows_the_target_and_the_note_says_when_it_has_passed() {
    // The bundled TBA report: target Saturday 2025-05-10, legal deadline Monday 05-12.
    let tba = |day: &str| {
        let out = run(breachline().args([
            "--hindsight",
            "--as-of",
            day,
            "status",
            "--soon",
            "3",
            "--format",
            "json",
        ]));
        let json: Value = serde_json::from_str(&out.stdout).unwrap();
        json["incidents"][0]["obligations"][0]["state"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        tba("2025-05-06"),
        "open",
        "6 days to the deadline, 4 to the target"
    );
    assert_eq!(
        tba("2025-05-07"),
        "due_soon",
        "3 days to the target, 5 to the deadline"
    );
    let table = run(breachline().args(["--hindsight", "--as-of", "2025-05-11", "status"])).stdout;
    assert!(
        table.contains("past its target (2025-05-10); the legal deadline is later"),
        "{table}"
    );
}
