//! Each file under tests/fixtures/invalid holds one problem; its snapshot is the exact message.

use crate::util::{breachline, rel, run};

#[test]
fn each_invalid_fixture_fails_with_its_located_message() {
    insta::glob!("fixtures/invalid/*.yaml", |path: &Path| {
        let out = run(breachline().args(["validate", &rel(path)]));
        assert_eq!(out.code, 2, "{}: {}", path.display(), out.stderr);
        assert!(
            out.stderr.contains("error:"),
            "{}: no error printed",
            path.display()
        );
        insta::assert_snapshot!(out.stderr);
    });
}

#[test]
fn the_commands_that_render_refuse_invalid_input_too() {
    for cmd in ["timeline", "status"] {
        let out = run(breachline().args([cmd, "tests/fixtures/invalid/duplicate-event-id.yaml"]));
        assert_eq!(out.code, 2, "{cmd}");
        assert_eq!(out.stdout, "", "{cmd} rendered despite an error");
        assert!(
            out.stderr.contains("duplicate event id `#1`"),
            "{cmd}: {}",
            out.stderr
        );
        assert!(out.stderr.ends_with("error: 1 input file with errors; nothing was rendered (see above, or run `breachline validate`)\n"), "{}", out.stderr);
    }
}

#[test]
fn a_missing_path_is_named() {
    let out = run(breachline().args(["status", "no/such/place"]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr, @r"
    error: no such file or directory
    --> no/such/place
     = help: check the path; with no PATH breachline reads ./incidents

    error: 1 input file with errors; nothing was rendered (see above, or run `breachline validate`)
    ");
}

#[test]
fn a_directory_without_incident_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not an incident").unwrap();
    let out = run(breachline().arg("validate").arg(dir.path()));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no incident files (*.yaml, *.yml) in this directory"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_bad_as_of_date_is_a_usage_error() {
    let out = run(breachline().args(["status", "--as-of", "2025/06/01"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("`2025/06/01` is not a date: write dates as YYYY-MM-DD"),
        "{}",
        out.stderr
    );
}

#[test]
fn each_valid_fixture_is_valid() {
    let dir = crate::util::root().join("tests/fixtures/valid");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let out = run(breachline().args(["validate", &rel(&path)]));
        assert_eq!(out.code, 0, "{}: {}", path.display(), out.stderr);
        assert!(out.stdout.starts_with("ok "), "{}", out.stdout);
        seen += 1;
    }
    assert!(seen >= 3, "the valid fixtures were not found");
}

/// YAML 1.2, which serde_yaml reads, has only `true` and `false` as booleans: `on`, `no`,
/// `yes` and `off` are text as written, not YAML 1.1's booleans.
#[test]
fn yaml_1_1_booleans_are_read_as_the_words_written() {
    let out = run(breachline().args([
        "status",
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
        "tests/fixtures/valid/yaml11-words.yaml",
    ]));
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let incident = &json["incidents"][0];
    assert_eq!(incident["id"], "on");
    assert_eq!(incident["remediation"][0]["id"], "off");
    assert_eq!(incident["remediation"][0]["title"], "yes");
}
