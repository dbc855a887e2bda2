//! `--incident`, `--state` and `--kind`: "what is late, across all incidents" in one line.

use crate::util::{breachline, run};

#[test]
fn status_shows_only_the_states_asked_for() {
    let out = run(breachline().args(["status", "--as-of", "2026-11-25", "--state", "overdue"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
    let json = run(breachline().args([
        "status",
        "--as-of",
        "2026-11-25",
        "--state",
        "overdue,done",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let states: Vec<&str> = v["incidents"][0]["remediation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["done", "done", "overdue"]);
}

#[test]
fn incidents_without_matching_items_are_left_out() {
    let out = run(breachline().args([
        "status",
        "--as-of",
        "2025-06-01",
        "--state",
        "overdue",
        "tests/fixtures/check",
        "incidents",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("iij-secure-mx-2025"));
    assert!(out.stdout.contains("overdue — Example incident"));
    assert!(!out.stdout.contains("clean — "), "{}", out.stdout);
    let none = run(breachline().args(["status", "--as-of", "2025-05-13", "--state", "overdue"]));
    assert_eq!(
        none.stdout,
        "no remediation items in the states asked for\n"
    );
    let none_ja = run(breachline().args([
        "status",
        "--as-of",
        "2025-05-13",
        "--state",
        "overdue",
        "--lang",
        "ja",
    ]));
    assert_eq!(none_ja.stdout, "指定した状態の対策なし\n");
}

#[test]
fn incident_picks_incidents_by_id_and_a_typo_is_an_error() {
    let out = run(breachline().args([
        "status",
        "--as-of",
        "2025-06-01",
        "--incident",
        "clean",
        "tests/fixtures/check",
    ]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("clean — "), "{}", out.stdout);
    assert!(!out.stdout.contains("overdue —"), "{}", out.stdout);
    let typo = run(breachline().args(["status", "--incident", "iij-secure-mx-2024"]));
    assert_eq!(typo.code, 2);
    assert_eq!(typo.stdout, "");
    assert_eq!(
        typo.stderr,
        "error: no incident has the id `iij-secure-mx-2024` (the ids read are: iij-secure-mx-2025)\n"
    );
}

#[test]
fn timeline_shows_only_the_kinds_asked_for() {
    let out = run(breachline().args([
        "timeline",
        "--as-of",
        "2026-11-25",
        "--kind",
        "detection,disclosure",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
    let bad = run(breachline().args(["timeline", "--kind", "breach"]));
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("[possible values: compromise, detection"),
        "{}",
        bad.stderr
    );
}

#[test]
fn an_overdue_item_fails_the_run_even_when_state_hides_it() {
    let out = run(breachline().args([
        "status",
        "--as-of",
        "2025-06-01",
        "--state",
        "due_soon",
        "--fail-on-overdue",
        "tests/fixtures/check/overdue.yaml",
    ]));
    assert!(!out.stdout.contains("| overdue "), "{}", out.stdout);
    assert_eq!(out.code, 1);
}

#[test]
fn state_narrows_reporting_obligations_too() {
    let out = run(breachline().args([
        "status",
        "--as-of",
        "2025-06-01",
        "--state",
        "overdue",
        "tests/fixtures/valid/obligations.yaml",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stdout.contains("no remediation items"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("2 obligations: 2 overdue"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("no_record"), "{}", out.stdout);
}

/// Issue 13: `owner` on items, shown in the views and exports, and `--owner` to narrow to it.
#[test]
fn owner_is_shown_and_filters() {
    let owners = "tests/fixtures/owners.yaml";
    let status = run(breachline().args(["status", "--as-of", "2025-06-01", owners]));
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(
        status.stdout.contains("owner: Web team"),
        "{}",
        status.stdout
    );
    let web = run(breachline().args([
        "status",
        "--as-of",
        "2025-06-01",
        "--owner",
        "web TEAM",
        owners,
    ]));
    assert!(
        web.stdout.contains("R1") && !web.stdout.contains("R2"),
        "{}",
        web.stdout
    );
    // Only the security team's items: nothing of theirs is overdue, so the check passes.
    let check = run(breachline().args([
        "check",
        "--as-of",
        "2025-06-01",
        "--owner",
        "Security team",
        owners,
    ]));
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(
        check.stdout.contains("(owner: Security team)"),
        "{}",
        check.stdout
    );
    let check = run(breachline().args([
        "check",
        "--as-of",
        "2025-06-01",
        "--owner",
        "Web team",
        "--format",
        "json",
        owners,
    ]));
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.contains("\"owner\": \"Web team\""),
        "{}",
        check.stdout
    );
    for format in ["csv", "json", "markdown", "html", "ics"] {
        let out = run(breachline().args([
            "export",
            "--as-of",
            "2025-06-01",
            "--format",
            format,
            owners,
        ]));
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        // iCalendar folds long lines (RFC 5545 3.1): read it unfolded.
        let text = out.stdout.replace("\r\n ", "");
        assert!(text.contains("Web team"), "{format}: {}", out.stdout);
    }
}

/// Issue 13: `--owner` narrows an export as it narrows `status` and `check`.
#[test]
fn owner_narrows_an_export() {
    let csv = |args: &[&str]| {
        let out = run(breachline()
            .args(["export", "--as-of", "2025-06-01", "--format", "csv"])
            .args(args)
            .arg("tests/fixtures/owners.yaml"));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let all = csv(&[]);
    let web = csv(&["--owner", "web team"]);
    assert_eq!(all.matches("\"remediation\"").count(), 3);
    assert_eq!(web.matches("\"remediation\"").count(), 1);
    assert!(web.contains("\"Web team\""));
    assert!(!web.contains("Security team"));
}

/// `status --fail-on-overdue --owner`: only the owner's items decide, in the table and in JSON
/// alike (R1, the web team's, is overdue; R2, the security team's, is not).
#[test]
fn fail_on_overdue_counts_only_the_owners_items() {
    for format in ["table", "json"] {
        for (owner, code) in [("Security team", 0), ("Web team", 1)] {
            let out = run(breachline().args([
                "status",
                "--as-of",
                "2025-06-01",
                "--fail-on-overdue",
                "--format",
                format,
                "--owner",
                owner,
                "tests/fixtures/owners.yaml",
            ]));
            assert_eq!(out.code, code, "{format} {owner}: {}", out.stderr);
        }
    }
}

/// Issue 23: a misspelt `--owner` is an error listing the owners the files name, as a misspelt
/// `--incident` is; it used to print "0 items" and exit 0 while the team's item was overdue.
#[test]
fn an_owner_no_file_names_is_an_error_listing_the_owners() {
    let owners = "tests/fixtures/owners.yaml";
    for (cmd, format) in [
        ("check", None),
        ("status", None),
        ("status", Some("json")),
        ("export", Some("csv")),
    ] {
        let out = run(breachline()
            .args([cmd, "--as-of", "2025-06-01", "--owner", "Netwrok team"])
            .args(format.map(|f| ["--format", f]).iter().flatten())
            .arg(owners));
        assert_eq!(out.code, 2, "{cmd}: {}", out.stdout);
        assert_eq!(out.stdout, "", "{cmd}");
        assert_eq!(
            out.stderr,
            "error: no remediation item or reporting obligation has the owner `Netwrok team` (the owners named are: `Security team`, `Web team`)\n",
            "{cmd}"
        );
    }
    // Compared as the filter compares: case and surrounding spaces aside.
    let out = run(breachline().args([
        "check",
        "--as-of",
        "2025-06-01",
        "--owner",
        " web TEAM",
        owners,
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
}
