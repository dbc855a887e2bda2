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
    | event | waf-completed | added | date | — | 2025-07-30 |
    | event | waf-completed | added | kind | — | response |
    | event | waf-completed | added | sources | — | fy24-deck |
    | event | waf-completed | added | title | — | WAF completed |
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

/// Issue 23: the repository of a pull request is untrusted. A partial clone whose old blob is
/// missing and whose `remote.origin.uploadpack` is a planted command, plus every other command
/// a `.git/config` or `.git/hooks` can plant (fsmonitor, pager, external diff, textconv, ssh,
/// credential helper, hooks): `diff --since` runs none of them, and says what is missing.
#[cfg(unix)]
#[test]
fn since_a_revision_runs_no_command_the_repository_plants() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    let clone = dir.path().join("clone");
    let marks = dir.path().join("marks");
    fs::create_dir_all(origin.join("incidents")).unwrap();
    fs::create_dir(&marks).unwrap();
    git(&origin, &["init", "-q"]);
    let file = origin.join("incidents/secure-mx-2025.yaml");
    fs::copy(bundled(), &file).unwrap();
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-q", "-m", "first"]);
    fs::write(&file, changed()).unwrap();
    git(&origin, &["commit", "-q", "-a", "-m", "second"]);
    git(&origin, &["config", "uploadpack.allowFilter", "true"]);
    let url = format!("file://{}", origin.display());
    git(
        dir.path(),
        &["clone", "-q", "--filter=blob:none", &url, "clone"],
    );

    let plant = |what: &str| format!("touch '{}/{what}'; false", marks.display());
    let upload = format!("touch '{}/uploadpack'; git-upload-pack", marks.display());
    for (key, value) in [
        ("remote.origin.uploadpack", upload.as_str()),
        ("core.fsmonitor", &plant("fsmonitor")),
        ("core.pager", &plant("pager")),
        ("pager.cat-file", &plant("pager-cat-file")),
        ("pager.ls-tree", &plant("pager-ls-tree")),
        ("diff.external", &plant("external-diff")),
        ("diff.planted.textconv", &plant("textconv")),
        ("core.sshCommand", &plant("ssh")),
        ("credential.helper", &format!("!{}", plant("credential"))),
    ] {
        git(&clone, &["config", key, value]);
    }
    fs::write(clone.join(".git/info/attributes"), "* diff=planted\n").unwrap();
    for hook in [
        "pre-commit",
        "post-checkout",
        "reference-transaction",
        "post-index-change",
        "fsmonitor-watchman",
    ] {
        let path = clone.join(".git/hooks").join(hook);
        fs::write(&path, format!("#!/bin/sh\n{}\n", plant(hook))).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    let out = run(breachline()
        .current_dir(&clone)
        .env_remove("GIT_NO_LAZY_FETCH")
        .args(["diff", "--as-of", "2026-11-25", "--since", "HEAD~1"]));
    assert_eq!(crate::util::names(&marks), Vec::<String>::new());
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    insta::assert_snapshot!("planted_commands_stderr", out.stderr);

    // The same repository makes plain git run the planted command: the test can fail.
    let plain = Command::new("git")
        .current_dir(&clone)
        .env_remove("GIT_NO_LAZY_FETCH")
        .args(["cat-file", "-p", "HEAD~1:incidents/secure-mx-2025.yaml"])
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert_eq!(crate::util::names(&marks), ["uploadpack"]);
}

/// Issue 23: a name that is not UTF-8, a symbolic link and a submodule named `*.yaml` are read
/// at a revision as `validate` reads them at the working tree, so the unchanged tree has no
/// differences (each used to make the whole `diff --since` fail).
#[cfg(unix)]
#[test]
fn since_a_revision_reads_odd_names_links_and_submodules_as_the_working_tree() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    fs::create_dir(repo.join("incidents")).unwrap();
    fs::copy(bundled(), repo.join("incidents/a.yaml")).unwrap();
    let other = fs::read_to_string(bundled())
        .unwrap()
        .replace("id: iij-secure-mx-2025", "id: latin-1-name");
    fs::write(
        repo.join("incidents")
            .join(OsStr::from_bytes(b"caf\xE9.yaml")),
        other,
    )
    .unwrap();
    std::os::unix::fs::symlink("a.yaml", repo.join("incidents/link.yaml")).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    let head = Command::new("git")
        .current_dir(repo)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap();
    let gitlink = format!("160000,{},incidents/sub.yaml", head.trim());
    git(repo, &["update-index", "--add", "--cacheinfo", &gitlink]);
    git(
        repo,
        &["commit", "-q", "-m", "a submodule named like an incident"],
    );

    let out = run(breachline().current_dir(repo).args([
        "diff",
        "--as-of",
        "2026-11-25",
        "--since",
        "HEAD",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "no differences\n");
    let out = run(breachline().current_dir(repo).args([
        "diff",
        "--as-of",
        "2026-11-25",
        "--since",
        "HEAD~1",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "no differences\n");
    // `:/first`: the newest commit whose message holds "first", a revision git resolves.
    let out = run(breachline().current_dir(repo).args([
        "diff",
        "--as-of",
        "2026-11-25",
        "--since",
        ":/first",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "no differences\n");
}

/// Issue 23: a change under `impact.units` is a difference (it was never compared).
#[test]
fn a_changed_unit_label_is_a_difference() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.yaml");
    let text = fs::read_to_string(bundled()).unwrap();
    let changed = text.replace(
        "    accounts: {en: mail accounts, ja: メールアカウント}",
        "    accounts: {en: mailboxes, ja: メールアカウント}",
    );
    assert_ne!(text, changed);
    fs::write(&new, changed).unwrap();
    let out = run(breachline()
        .args(["diff", "--as-of", "2026-11-25"])
        .arg(bundled())
        .arg(&new));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout, @r#"
    iij-secure-mx-2025
      impact units: changed
        accounts: en: mail accounts; ja: メールアカウント → en: mailboxes; ja: メールアカウント
    "#);
}

/// Issue 23: a file at the revision over `--max-file-size` is refused by name without being
/// read, as on disk, rather than ending the whole run.
#[test]
fn since_a_revision_refuses_a_file_over_the_size_limit_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    fs::create_dir(repo.join("incidents")).unwrap();
    fs::copy(bundled(), repo.join("incidents/big.yaml")).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    let size = fs::metadata(bundled()).unwrap().len();
    let out = run(breachline().current_dir(repo).args([
        "diff",
        "--max-file-size",
        "1000",
        "--since",
        "HEAD",
    ]));
    assert_eq!(out.code, 2);
    let message = format!("error: file is {size} bytes, more than the limit of 1000 bytes");
    assert!(out.stderr.starts_with(&message), "{}", out.stderr);
    assert!(
        out.stderr.contains("--> HEAD:incidents/big.yaml"),
        "{}",
        out.stderr
    );
}

/// Issue 24: an added record shows what it holds (it was "impact confirmed@…: added" alone).
#[test]
fn an_added_figure_shows_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let minimal =
        fs::read_to_string(crate::util::root().join("tests/fixtures/valid/minimal.yaml")).unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    fs::write(&old, &minimal).unwrap();
    let revised = minimal.replace(
        "  confirmed: {contracts: 5, accounts: 50, as_of: 2025-04-20, sources: [s1]}",
        "  confirmed:\n    - {contracts: 5, accounts: 50, as_of: 2025-04-20, sources: [s1]}\n    - {contracts: 7, accounts: 70, as_of: 2025-05-01, sources: [s1]}",
    );
    assert_ne!(revised, minimal);
    fs::write(&new, revised).unwrap();
    let out = run(breachline()
        .args(["diff", "--as-of", "2025-05-13"])
        .arg(&old)
        .arg(&new));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout, @r"
    example
      impact confirmed@2025-05-01: added
        accounts: 70
        as_of: 2025-05-01
        contracts: 7
        sources: s1
    ");
}
