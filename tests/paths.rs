//! Problems with the paths given or found: each named, none stopping the others.

use std::fs;
use std::path::Path;

use crate::util::{breachline, root, run, Output};

fn minimal() -> Vec<u8> {
    fs::read(root().join("tests/fixtures/valid/minimal.yaml")).unwrap()
}

/// `validate` run inside `dir`, so that messages show short relative paths.
fn validate_in(dir: &Path, args: &[&str]) -> Output {
    run(breachline().current_dir(dir).arg("validate").args(args))
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("locked.yaml");
    fs::write(&file, minimal()).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&file).is_ok() {
        // Running as root (as in some containers): permissions do not stop reading, so there is
        // nothing to observe here. The /proc/self/mem case below covers an unreadable file for
        // every user.
        return;
    }
    let out = validate_in(dir.path(), &["locked.yaml"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr, @"");
}

/// A file that opens but cannot be read, even by root: /proc/self/mem fails at offset 0.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_while_reading_is_named() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.yaml"), minimal()).unwrap();
    let out = validate_in(dir.path(), &["/proc/self/mem", "."]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr, @r"
    error: cannot read: Input/output error (os error 5)
    --> /proc/self/mem
    ");
    insta::assert_snapshot!(out.stdout, @r"
    error  /proc/self/mem: 1 error
    ok     ./ok.yaml: example, 2 events, 1 remediation item
    2 files checked: 1 valid, 1 with errors
    ");
}

/// Everything that can go wrong in one directory, plus a good file: all reported, then exit 2.
#[cfg(unix)]
#[test]
fn one_directory_with_every_path_problem_reports_them_all() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("incidents");
    fs::create_dir_all(d.join("nested")).unwrap();
    fs::write(d.join("a-good.yaml"), minimal()).unwrap();
    fs::write(d.join("b-bad.yaml"), "format: 1\nid: [\n").unwrap();
    symlink("missing.yaml", d.join("c-broken-link.yaml")).unwrap();
    symlink("..", d.join("nested").join("loop")).unwrap();
    // Linux allows any bytes but `/` and NUL in a name: here 0xE9 (é in Latin-1).
    let other_id = String::from_utf8(minimal())
        .unwrap()
        .replace("id: example", "id: latin-1-name");
    fs::write(d.join(OsStr::from_bytes(b"d-caf\xE9.yaml")), other_id).unwrap();
    // A name that would colour the terminal red if printed as is.
    fs::write(d.join("e-\x1b[31mred.yaml"), "format: 1\n").unwrap();

    let out = validate_in(dir.path(), &["incidents"]);
    assert_eq!(out.code, 2);
    assert!(!out.stdout.contains('\x1b') && !out.stderr.contains('\x1b'));
    insta::assert_snapshot!("every_path_problem_stdout", out.stdout);
    insta::assert_snapshot!("every_path_problem_stderr", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_named_directly_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("self.yaml", dir.path().join("self.yaml")).unwrap();
    let out = validate_in(dir.path(), &["self.yaml"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr, @r"
    error: cannot read: Too many levels of symbolic links (os error 40)
    --> self.yaml
    ");
}

/// Issue 12: a FIFO named as input is refused at once; opening it to read would wait for a
/// writer forever. Given a watchdog so that a regression fails instead of hanging the suite.
#[cfg(unix)]
#[test]
fn a_fifo_named_as_input_is_refused_without_blocking() {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let c_path = CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let mut child = crate::util::command()
        .current_dir(dir.path())
        .args(["validate", "pipe.yaml"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("breachline blocked on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr), @r"
    error: this is a named pipe (FIFO), not a regular file: breachline reads incident files only
    --> pipe.yaml
     = help: save the incident to a file and name that file
    ");
}

/// Issue 23: a pull request can commit a link to a file outside `incidents/`; its lines must not
/// reach a CI log. The link is named, what it points to is neither read nor named.
#[cfg(unix)]
#[test]
fn a_link_to_a_file_outside_the_directory_is_named_and_never_read() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("incidents");
    fs::create_dir(&d).unwrap();
    fs::write(dir.path().join("secret.txt"), "token: ghp_SECRET-LINE\n").unwrap();
    fs::write(d.join("a.yaml"), minimal()).unwrap();
    symlink("../secret.txt", d.join("x.yaml")).unwrap();
    // Not an incident file: never read, so not judged either.
    symlink("../secret.txt", d.join("notes.txt")).unwrap();
    for args in [
        &["validate", "incidents"][..],
        &["check", "--as-of", "2025-05-13", "incidents"][..],
        &[
            "check",
            "--format",
            "json",
            "--as-of",
            "2025-05-13",
            "incidents",
        ][..],
        &["validate", "incidents/x.yaml"][..],
    ] {
        let out = run(breachline().current_dir(dir.path()).args(args));
        assert_eq!(out.code, 2, "{args:?}");
        let text = format!("{}{}", out.stdout, out.stderr);
        assert!(!text.contains("SECRET"), "{args:?}: {text}");
        assert!(!text.contains("secret.txt"), "{args:?}: {text}");
        assert!(!text.contains("notes.txt"), "{args:?}: {text}");
        assert!(text.contains("incidents/x.yaml"), "{args:?}: {text}");
    }
    let out = validate_in(dir.path(), &["incidents"]);
    insta::assert_snapshot!("a_link_outside_stderr", out.stderr);
    insta::assert_snapshot!("a_link_outside_stdout", out.stdout);
}

/// A link to a directory outside (`/usr`) is not walked; links inside are followed, and a file
/// reached by several names is read once, under the first.
#[cfg(unix)]
#[test]
fn links_inside_are_followed_and_each_file_is_read_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("incidents");
    fs::create_dir_all(d.join("real")).unwrap();
    fs::write(d.join("real/a.yaml"), minimal()).unwrap();
    symlink("real/a.yaml", d.join("b-again.yaml")).unwrap();
    symlink("real", d.join("c-dir-again")).unwrap();
    symlink("/usr", d.join("usr")).unwrap();
    let out = validate_in(dir.path(), &["incidents", "incidents/real/a.yaml"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("links_inside_stderr", out.stderr);
    insta::assert_snapshot!("links_inside_stdout", out.stdout);
    // A directory named twice, or one inside another named: each file once, no problem.
    let out = validate_in(
        dir.path(),
        &["incidents/real", "incidents", "incidents/real"],
    );
    assert_eq!(out.stdout.matches("ok ").count(), 1, "{}", out.stdout);
    assert!(!out.stderr.contains("no incident files"), "{}", out.stderr);
    // Named alone, a link that stays in its own directory is read.
    let out = validate_in(&d, &["b-again.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// 23 directories each holding two links to the next name 2^22 paths to one file; walking them
/// all would never end. Each real directory is walked once. A watchdog turns a regression into a
/// failure rather than a hung suite.
#[cfg(unix)]
#[test]
fn links_that_multiply_paths_cost_one_visit_per_real_directory() {
    use std::os::unix::fs::symlink;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("incidents");
    for i in 0..=23 {
        fs::create_dir_all(d.join(format!("d{i}"))).unwrap();
    }
    for i in 0..23 {
        for link in ["a", "b"] {
            symlink(format!("../d{}", i + 1), d.join(format!("d{i}/{link}"))).unwrap();
        }
    }
    fs::write(d.join("d23/x.yaml"), minimal()).unwrap();
    let mut child = crate::util::command()
        .current_dir(dir.path())
        .args(["validate", "incidents"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("breachline walked every path the links make");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(
        "links_that_multiply_paths",
        String::from_utf8_lossy(&out.stdout)
    );
}
