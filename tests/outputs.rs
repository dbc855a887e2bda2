//! Where output goes wrong: a reader that stops early, a full disk.

use std::io::Read;
use std::process::Stdio;

use crate::util::{command, root};

/// Runs with standard output already closed, as `breachline ... | head -0` would leave it.
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = command()
        .current_dir(root())
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code(), err)
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_commands_own_status() {
    for (args, code) in [
        (&["timeline", "--as-of", "2026-11-25"][..], 0),
        (&["status", "--as-of", "2026-11-25"][..], 0),
        (
            &["status", "--as-of", "2026-11-25", "--fail-on-overdue"][..],
            1,
        ),
        (
            &["status", "--as-of", "2025-05-13", "--format", "json"][..],
            0,
        ),
        (&["validate", "tests/fixtures/valid/minimal.yaml"][..], 0),
    ] {
        let (got, err) = with_closed_stdout(args);
        assert_eq!(got, Some(code), "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}");
    }
}

#[test]
fn validate_into_a_closed_pipe_still_reports_errors_and_exits_2() {
    let (code, err) = with_closed_stdout(&["validate", "tests/fixtures/invalid/unknown-key.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.starts_with("error: unknown field `tittle`"), "{err}");
    assert!(!err.contains("cannot write"), "{err}");
}

/// /dev/full accepts opening and fails every write with ENOSPC: a full disk, for standard output.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_standard_output_is_an_error() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = command()
        .current_dir(root())
        .args(["timeline", "--as-of", "2026-11-25"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8(out.stderr).unwrap(), @"error: cannot write to standard output: No space left on device (os error 28)");
}
