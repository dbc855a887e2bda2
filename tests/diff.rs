//! `breachline diff` (issue #15): what changed between two versions of incident files.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::util::{breachline, bundled, run};

/// The bundled incident with R3 done (completed 2025-07-30) and one event added.
fn changed() -> String {
    let original = fs::read_to_string(bundled()).unwrap();
    let r3 = original.find("  - id: R3").unwrap();
    let status = r3 + original[r3..].find("status: in_progress").unwrap();
    let mut s = original.clone();
    s.replace_range(
        status..status + "status: in_progress".len(),
        "status: done\n    completed: 2025-07-30",
    );
    let events = s.find("\nimpact:").unwrap();
    s.insert_str(
        events,
        "\n  - {id: waf-completed, date: 2025-07-30, kind: response, title: WAF completed, sources: [fy24-deck]}\n",
    );
    s
}

#[test]
fn a_status_change_its_state_change_and_an_added_event_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.yaml");
    fs::write(&new, changed()).unwrap();
    let out = run(breachline()
        .args(["diff", "--format", "json", "--as-of", "2026-11-25"])
        .arg(bundled())
        .arg(&new));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let changes: Vec<(&str, &str, &str)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["record"].as_str().unwrap(),
                c["id"].as_str().unwrap(),
                c["change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("event", "waf-completed", "added"),
            ("remediation", "R3", "changed")
        ]
    );
    let fields: Vec<(&str, &Value, &Value)> = json["changes"][1]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), &f["old"], &f["new"]))
        .collect();
    assert_eq!(
        fields,
        [
            ("completed", &Value::Null, &Value::from("2025-07-30")),
            ("status", &Value::from("in_progress"), &Value::from("done")),
        ]
    );
    assert_eq!(
        json["states"],
        serde_json::json!([{
            "incident": "iij-secure-mx-2025",
            "record": "remediation",
            "id": "R3",
            "old": "overdue",
            "new": "done"
        }])
    );
    assert_eq!(json["view"], "as_known");
}

#[test]
fn the_same_files_have_no_differences() {
    let out = run(breachline().args(["diff"]).arg(bundled()).arg(bundled()));
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "no differences\n");
}

#[test]
fn markdown_for_a_pull_request_comment() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.yaml");
    fs::write(&new, changed()).unwrap();
    let out = run(breachline()
        .args(["diff", "--format", "markdown", "--as-of", "2026-11-25"])
        .arg(bundled())
        .arg(&new));
    insta::assert_snapshot!(out.stdout, @r"
    ## breachline diff, as of 2026-11-25 (as known then)

    ### iij-secure-mx-2025

    | Record | ID | Change | Field | Before | After |
    |---|---|---|---|---|---|
    | event | waf-completed | added | | | |
    | remediation | R3 | changed | completed | — | 2025-07-30 |
    | remediation | R3 | changed | status | in\_progress | done |

    | Record | ID | State before | State after |
    |---|---|---|---|
    | remediation | R3 | overdue | done |
    ");
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=breachline tests",
            "-c",
            "user.email=tests@breachline.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn since_a_revision_compares_with_the_files_as_committed_then() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    fs::create_dir(repo.join("incidents")).unwrap();
    let file = repo.join("incidents/secure-mx-2025.yaml");
    fs::copy(bundled(), &file).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    fs::write(&file, changed()).unwrap();
    git(repo, &["commit", "-q", "-a", "-m", "second"]);

    let diff = |args: &[&str]| {
        let mut cmd = breachline();
        cmd.current_dir(repo)
            .args(["diff", "--as-of", "2026-11-25"])
            .args(args);
        run(&mut cmd)
    };
    let out = diff(&["--since", "HEAD~1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("  remediation R3: changed\n    completed: — → 2025-07-30\n    status: in_progress → done\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  event waf-completed: added\n"),
        "{}",
        out.stdout
    );
    assert_eq!(diff(&["--since", "HEAD"]).stdout, "no differences\n");

    let unknown = diff(&["--since", "no-such-branch"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("`no-such-branch` is not a commit of this git repository"),
        "{}",
        unknown.stderr
    );
}
