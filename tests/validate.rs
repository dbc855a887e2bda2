use crate::util::{breachline, bundled, rel, run};

#[test]
fn the_bundled_incident_is_valid_with_its_warnings_listed() {
    let out = run(breachline().arg("validate"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout, @r"
    ok     incidents/secure-mx-2025.yaml: iij-secure-mx-2025, 15 events, 5 remediation items, 3 obligations, 2 warnings
    1 file checked: 1 valid, 0 with errors
    ");
    insta::assert_snapshot!("bundled_warnings", out.stderr);
}

#[test]
fn a_file_named_explicitly_is_read() {
    let out = run(breachline().args(["validate", &rel(&bundled())]));
    assert_eq!(out.code, 0);
    assert!(out
        .stdout
        .starts_with("ok     incidents/secure-mx-2025.yaml"));
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let out = run(breachline().args([
        "validate",
        "tests/fixtures/invalid/unknown-key.yaml",
        "incidents",
        "tests/fixtures/invalid/until-before-date.yaml",
    ]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stdout, @r"
    error  tests/fixtures/invalid/unknown-key.yaml: 1 error
    ok     incidents/secure-mx-2025.yaml: iij-secure-mx-2025, 15 events, 5 remediation items, 3 obligations, 2 warnings
    error  tests/fixtures/invalid/until-before-date.yaml: 1 error
    3 files checked: 1 valid, 2 with errors
    ");
}

#[test]
fn every_semantic_problem_in_a_file_is_reported() {
    let out = run(breachline().args(["validate", "tests/fixtures/many-problems.yaml"]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr);
}

/// Issue 13: a file with four mistakes gives four located errors, each with its fix, in one run.
#[test]
fn every_problem_of_a_file_is_reported_in_one_run() {
    let out = run(breachline().args(["validate", "tests/fixtures/four-mistakes.yaml"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.matches("error: ").count(), 4, "{}", out.stderr);
    assert_eq!(out.stderr.matches("= help: ").count(), 4, "{}", out.stderr);
    insta::assert_snapshot!(out.stderr);
}

/// Issue 13: the checks beyond parsing run on a file refused for its structure too, except
/// where a repaired value makes them moot.
#[test]
fn structural_and_semantic_problems_are_reported_together() {
    let out = run(breachline().args(["validate", "tests/fixtures/structural-and-semantic.yaml"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.matches("error: ").count(), 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("source `s8` is not declared"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("`s9`"),
        "events[1] is repaired: {}",
        out.stderr
    );
    insta::assert_snapshot!(out.stderr);
}

/// Issue 12: ids compare in Unicode NFC, and look-alike ids draw a warning naming both.
#[test]
fn ids_compare_normalised_and_look_alikes_are_named() {
    let out = run(breachline().args(["validate", "tests/fixtures/look-alike-ids.yaml"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stderr, @r"
    warning: id `Ｒ1` looks like id `R1` but is a different id
      --> tests/fixtures/look-alike-ids.yaml:27:9
       |
    27 |   - id: Ｒ1
       |         ^^^
       |
       = help: spell both the same way if they are one thing (plain letters and digits are safest), or choose ids that look different
    ");
}

/// Issue 23: an invalid `timezone` no longer hides every other check of the file.
#[test]
fn an_invalid_time_zone_does_not_hide_the_other_findings() {
    let text =
        std::fs::read_to_string(crate::util::root().join("tests/fixtures/valid/minimal.yaml"))
            .unwrap()
            .replace("service: Mail", "service: Mail\ntimezone: Mars/Base")
            .replace(
                "    title: Detected\n    sources: [s1]",
                "    title: Detected\n    sources: [s9]",
            );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tz.yaml"), text).unwrap();
    let out = crate::util::run(
        crate::util::breachline()
            .current_dir(dir.path())
            .args(["validate", "tz.yaml"]),
    );
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("invalid_time_zone_and_undeclared_source", out.stderr);
}

/// Issue 23: a reschedule announced before its item (a year typo) and two announced on one day
/// each get a warning; the first put the new deadline in force from the start, silently.
#[test]
fn reschedules_announced_too_early_or_on_one_day_are_warned_about() {
    let text = std::fs::read_to_string(crate::util::root().join("tests/fixtures/valid/minimal.yaml"))
        .unwrap()
        .replace(
            "    status: done\n",
            "    rescheduled:\n      - {due: 2025-06-30, announced: 2024-05-20, sources: [s1]}\n      - {due: 2025-07-15, announced: 2025-05-25, sources: [s1]}\n      - {due: 2025-07-31, announced: 2025-05-25, sources: [s1]}\n    status: done\n",
        );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("moved.yaml"), text).unwrap();
    let out = crate::util::run(
        crate::util::breachline()
            .current_dir(dir.path())
            .args(["validate", "moved.yaml"]),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("reschedules_too_early_or_on_one_day", out.stderr);
}
