//! `new`: a skeleton that validates as it is, and never overwrites.

use std::fs;
use std::path::Path;

use crate::util::{breachline, run};

fn new_in(dir: &Path, args: &[&str]) -> crate::util::Output {
    run(breachline()
        .current_dir(dir)
        .args(["new", "--as-of", "2025-06-01"])
        .args(args))
}

#[test]
fn new_then_validate_passes_with_a_warning_per_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let out = new_in(dir.path(), &["incidents/acme-mail-2025.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "created incidents/acme-mail-2025.yaml: replace its TODOs, then run `breachline validate incidents/acme-mail-2025.yaml`\n"
    );
    let check = run(breachline().current_dir(dir.path()).arg("validate"));
    assert_eq!(check.code, 0, "{}", check.stderr);
    // Issue 13: each placeholder left is a warning, and `check` fails until they are replaced.
    assert_eq!(
        check.stderr.matches("warning: placeholder left").count(),
        3,
        "{}",
        check.stderr
    );
    assert_eq!(
        check.stdout,
        "ok     incidents/acme-mail-2025.yaml: acme-mail-2025, 0 events, 0 remediation items, 3 warnings\n1 file checked: 1 valid, 0 with errors\n"
    );
    let ci = run(breachline().current_dir(dir.path()).arg("check"));
    assert_eq!(ci.code, 2, "{}", ci.stderr);
    assert_eq!(ci.stderr.matches("error: placeholder left").count(), 3);
    let path = dir.path().join("incidents/acme-mail-2025.yaml");
    let original = fs::read_to_string(&path).unwrap();
    let filled = original
        .replace("TODO: what happened, in a line", "Mail breach")
        .replace("TODO: organisation", "Acme")
        .replace("TODO: service", "Mail");
    fs::write(&path, filled).unwrap();
    let ci = run(breachline().current_dir(dir.path()).arg("check"));
    assert_eq!(ci.code, 0, "{}", ci.stderr);
    let text = original;
    insta::assert_snapshot!(text);
}

#[test]
fn the_skeleton_matches_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = new_in(
        dir.path(),
        &["x.yaml", "--id", "#7", "--title", "Mail: breach"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = fs::read_to_string(dir.path().join("x.yaml")).unwrap();
    let value = breachline::yaml::to_json_value(&text).unwrap();
    assert_eq!(value["id"], "#7");
    assert_eq!(value["title"], "Mail: breach");
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(crate::util::root().join("docs/incident.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.yaml");
    fs::write(&path, "my notes\n").unwrap();
    let out = new_in(dir.path(), &["mine.yaml"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: mine.yaml already exists: `breachline new` never overwrites a file; choose another name\n"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "my notes\n");
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn the_modeline_points_at_a_schema_found_up_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/incident.schema.json"), "{}").unwrap();
    let out = new_in(dir.path(), &["incidents/2025/a.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = fs::read_to_string(dir.path().join("incidents/2025/a.yaml")).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../docs/incident.schema.json\n"),
        "{text}"
    );
}

#[test]
fn a_bad_id_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = new_in(dir.path(), &["a.yaml", "--id", " "]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("an id must not be empty or only spaces"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("a.yaml").exists());
}

#[cfg(unix)]
#[test]
fn the_file_gets_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(new_in(dir.path(), &["a.yaml"]).code, 0);
    fs::write(dir.path().join("b.yaml"), "").unwrap();
    let mode = |name: &str| {
        fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("a.yaml"), mode("b.yaml"), "as any other new file");
}

/// Issue 23: paths in messages are escaped as file names are everywhere (ESC never reaches the
/// terminal), and the command suggested for `-x.yaml` does not parse as an option.
#[cfg(unix)]
#[test]
fn paths_in_messages_are_escaped_and_suggested_commands_parse() {
    let dir = tempfile::tempdir().unwrap();
    let in_dir = |args: &[&str]| {
        crate::util::run(
            crate::util::breachline()
                .current_dir(dir.path())
                .arg("new")
                .args(args),
        )
    };
    let out = in_dir(&["--", "-x.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "created -x.yaml: replace its TODOs, then run `breachline validate ./-x.yaml`\n"
    );
    let red = "r\x1b[31m.yaml";
    assert_eq!(in_dir(&["--id", "red", red]).code, 0);
    let again = in_dir(&["--id", "red", red]);
    assert_eq!(
        again.stderr,
        "error: r\\u{1b}[31m.yaml already exists: `breachline new` never overwrites a file; choose another name\n"
    );
    let export = crate::util::run(
        crate::util::breachline()
            .current_dir(dir.path())
            .args(["export", "--format", "csv", "-o", red])
            .arg(crate::util::bundled()),
    );
    assert_eq!(
        export.stderr,
        "error: r\\u{1b}[31m.yaml already exists; nothing was written (pass --force to replace it)\n"
    );
}
