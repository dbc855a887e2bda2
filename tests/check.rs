//! `check`: validate and fail on overdue items, in one step for CI.

use crate::util::{breachline, run, Output};

const CLEAN: &str = "tests/fixtures/check/clean.yaml";
const OVERDUE: &str = "tests/fixtures/check/overdue.yaml";

fn check(args: &[&str]) -> Output {
    run(breachline()
        .args(["check", "--as-of", "2025-06-01"])
        .args(args))
}

#[test]
fn a_clean_incident_passes_with_its_due_soon_item_listed() {
    let out = check(&[CLEAN]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    insta::assert_snapshot!(out.stdout, @r"
     Incident | ID | Item                                                | Due        | State    | Days
    ----------+----+-----------------------------------------------------+------------+----------+-------------
     clean    | R2 | Turn on two-factor authentication for every account | 2025-06-10 | due_soon | 9 days left

    1 incident, 2 items: 0 overdue, 1 due soon; as of 2025-06-01 (as known then)
    ");
}

#[test]
fn an_overdue_item_fails_with_exit_status_1() {
    let out = check(&[CLEAN, OVERDUE]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout, @r"
     Incident | ID | Item                                                | Due        | State    | Days
    ----------+----+-----------------------------------------------------+------------+----------+-----------------
     clean    | R2 | Turn on two-factor authentication for every account | 2025-06-10 | due_soon | 9 days left
     overdue  | R1 | Patch the payment page                              | 2025-05-15 | overdue  | 17 days overdue
     overdue  | R2 | Review the access logs of the last year             | 2025-06-05 | due_soon | 4 days left

    2 incidents, 5 items: 1 overdue, 2 due soon; as of 2025-06-01 (as known then)
    ");
}

#[test]
fn before_the_deadline_the_same_file_passes() {
    let out = run(breachline().args(["check", "--as-of", "2025-05-15", OVERDUE]));
    assert_eq!(
        out.code, 0,
        "due on 2025-05-15 means by the end of that day"
    );
    assert!(
        out.stdout.ends_with(
            "1 incident, 3 items: 0 overdue, 1 due soon; as of 2025-05-15 (as known then)\n"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn invalid_input_fails_with_exit_status_2_and_nothing_evaluated() {
    let out = check(&[OVERDUE, "tests/fixtures/invalid/unknown-key.yaml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown field `tittle`"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stdout,
        "2 files checked: 1 with errors; nothing was evaluated\n"
    );
}

#[test]
fn the_bundled_incident_fails_once_the_waf_decision_is_late() {
    assert_eq!(check(&[]).code, 1);
    let out = run(breachline().args(["check", "--as-of", "2025-05-13"]));
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn json_for_machines() {
    let out = check(&["--format", "json", CLEAN, OVERDUE]);
    assert_eq!(out.code, 1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["result"], "overdue");
    assert_eq!(json["states"]["overdue"], 1);
    assert_eq!(json["states"]["due_soon"], 2);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn json_of_invalid_input_lists_the_problems() {
    let out = check(&[
        "--format",
        "json",
        "tests/fixtures/invalid/unknown-key.yaml",
    ]);
    assert_eq!(out.code, 2);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["result"], "invalid");
    assert_eq!(json["incidents"], serde_json::Value::Null);
    assert_eq!(json["problems"][0]["severity"], "error");
    assert_eq!(json["problems"][0]["line"], 3);
    assert_eq!(
        json["problems"][0]["file"],
        "tests/fixtures/invalid/unknown-key.yaml"
    );
}

#[test]
fn quiet_drops_the_summary_and_warnings_but_keeps_the_items() {
    let out = check(&["--quiet"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr, "",
        "the bundled incident's warnings are not shown"
    );
    assert!(out.stdout.contains("| overdue "), "{}", out.stdout);
    assert!(!out.stdout.contains("items:"), "{}", out.stdout);
    let noisy = check(&[]);
    assert!(noisy.stderr.contains("warning:"), "{}", noisy.stderr);
}

#[test]
fn state_and_incident_narrow_what_is_listed_and_counted() {
    let out = check(&[
        "--state",
        "overdue",
        "--incident",
        "overdue",
        CLEAN,
        OVERDUE,
    ]);
    assert_eq!(out.code, 1);
    assert!(!out.stdout.contains("due_soon"), "{}", out.stdout);
    assert!(
        out.stdout.ends_with(
            "1 incident, 3 items: 1 overdue, 1 due soon; as of 2025-06-01 (as known then)\n"
        ),
        "{}",
        out.stdout
    );
    let clean_only = check(&["--incident", "clean", CLEAN, OVERDUE]);
    assert_eq!(clean_only.code, 0, "the overdue incident is not checked");
}

#[test]
fn an_overdue_reporting_obligation_fails_but_no_record_does_not() {
    const CLOCKS: &str = "tests/fixtures/valid/obligations.yaml";
    // With hindsight, every recorded filing counts from its day: only the silent ones remain.
    let silent = run(breachline().args(["--hindsight", "check", "--as-of", "2025-04-20", CLOCKS]));
    assert_eq!(silent.code, 0, "no_record is not a missed deadline");
    assert!(
        silent.stdout.ends_with(
            "1 incident, 0 items, 12 reporting obligations: 0 overdue, 0 due soon, 3 no record; as of 2025-04-20 (with hindsight)\n"
        ),
        "{}",
        silent.stdout
    );
    assert!(silent.stdout.contains("| no_record |"), "{}", silent.stdout);
    let late = run(breachline().args([
        "--hindsight",
        "check",
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
        CLOCKS,
    ]));
    assert_eq!(late.code, 1);
    let json: serde_json::Value = serde_json::from_str(&late.stdout).unwrap();
    assert_eq!(json["result"], "overdue");
    assert_eq!(json["obligation_states"]["overdue"], 2);
    assert_eq!(json["obligation_states"]["no_record"], 4);
    let overdue: Vec<&str> = json["listed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["state"] == "overdue")
        .map(|l| {
            assert_eq!(l["record"], "obligation");
            l["id"].as_str().unwrap()
        })
        .collect();
    assert_eq!(overdue, ["appi-final", "nis2-final"]);
}
