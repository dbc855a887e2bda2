//! Where output goes wrong: a reader that stops early, a full disk.

use std::io::Read;
use std::process::Stdio;

use clap::ValueEnum;

use crate::util::{command, names, root};

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
        (&["check", "--quiet", "--as-of", "2025-05-13"][..], 0),
        (&["check", "--quiet", "--as-of", "2026-11-25"][..], 1),
        (
            &["export", "--as-of", "2026-11-25", "--format", "csv"][..],
            0,
        ),
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

/// `export -o` into a temporary directory; returns the exit code, standard error and the names
/// left in the directory.
#[cfg(unix)]
fn export_into(
    dir: &std::path::Path,
    name: &str,
    setup: impl FnOnce(&mut std::process::Command),
) -> (Option<i32>, String, Vec<String>) {
    let mut cmd = command();
    cmd.current_dir(root()).args([
        "export",
        "--as-of",
        "2026-11-25",
        "-o",
        &dir.join(name).display().to_string(),
    ]);
    setup(&mut cmd);
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stderr).unwrap(),
        names(dir),
    )
}

/// A full disk cannot be made without mounting a file system; a file size limit makes the
/// writes fail partway the same way (EFBIG instead of ENOSPC), on the same code path.
#[cfg(target_os = "linux")]
#[test]
fn an_export_whose_writes_fail_partway_leaves_no_file() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let (code, err, left) = export_into(dir.path(), "report.html", |cmd| {
        // SAFETY: between fork and exec; signal and setrlimit are async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                // Over the limit a write fails with EFBIG once SIGXFSZ no longer kills.
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit {
                    rlim_cur: 1024,
                    rlim_max: 1024,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
    });
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.starts_with(&format!(
            "error: cannot write {}: File too large (os error 27)",
            dir.path().join("report.html").display()
        )),
        "{err}"
    );
    assert!(err.ends_with("; nothing was written\n"), "{err}");
    assert_eq!(left, Vec::<String>::new(), "no report, no temporary file");
}

#[cfg(unix)]
#[test]
fn an_export_into_a_read_only_directory_fails_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::File::create(dir.path().join("probe")).is_ok() {
        // Running as root (as in some containers): permissions do not stop writing, so there
        // is nothing to observe. The /sys case below fails for every user.
        return;
    }
    let (code, err, left) = export_into(dir.path(), "report.csv", |_| {});
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("Permission denied"), "{err}");
    assert_eq!(left, Vec::<String>::new());
}

/// sysfs refuses new files even to root: a directory nobody can write to.
#[cfg(target_os = "linux")]
#[test]
fn an_export_into_a_directory_nobody_can_write_fails_cleanly() {
    let target = std::path::Path::new("/sys/breachline-report.csv");
    let out = command()
        .current_dir(root())
        .args(["export", "--as-of", "2026-11-25", "-o"])
        .arg(target)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: cannot write /sys/breachline-report.csv: "),
        "{err}"
    );
    assert!(err.ends_with("; nothing was written\n"), "{err}");
    assert!(!target.exists());
}

/// `status --format json` holds its output back until every file is checked: past 4 MiB in a
/// temporary file. Through the file, through memory when no temporary file can be made, or
/// refused when the file cannot grow: the output is the same or nothing at all.
#[cfg(target_os = "linux")]
#[test]
fn output_held_back_in_a_temporary_file_is_whole_or_nothing() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // 7,000 remediation items make about 4.4 MB of status JSON, past what stays in memory.
    let shape = crate::generate::Shape {
        events: 10,
        items: 7000,
        due: true,
    };
    std::fs::write(
        dir.path().join("large.yaml"),
        crate::generate::incident(1, shape),
    )
    .unwrap();
    let status = |tmpdir: &std::path::Path, limit_files: bool| {
        let mut cmd = command();
        cmd.args(["--as-of", "2026-01-01", "status", "--format", "json"])
            .arg(dir.path())
            .env("TMPDIR", tmpdir);
        if limit_files {
            // SAFETY: between fork and exec; signal and setrlimit are async-signal-safe.
            unsafe {
                cmd.pre_exec(|| {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let limit = libc::rlimit {
                        rlim_cur: 1 << 20,
                        rlim_max: 1 << 20,
                    };
                    if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                });
            }
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, through_file, err) = status(tmp.path(), false);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert!(through_file.len() > 4 << 20, "{}", through_file.len());
    assert!(through_file.ends_with("  ]\n}\n"));
    let (code, in_memory, err) = status(&tmp.path().join("missing"), false);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(in_memory, through_file);
    let (code, out, err) = status(tmp.path(), true);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(out, "");
    assert_eq!(
        err,
        "error: cannot hold the output back in a temporary file: File too large (os error 27); \
         nothing was written (set TMPDIR to a directory with room)\n"
    );
}

/// Issue 12: no output, in any format, carries a control character (beyond line breaks and
/// tab), DEL or a bidirectional control from incident text; each shows it visibly instead.
#[test]
fn hidden_characters_in_incident_text_are_shown_in_every_output_never_written_raw() {
    const CONTROLS: &str = "tests/fixtures/valid/controls.yaml";
    let hidden = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    let formats: Vec<String> = breachline::render::formats::ExportFormat::all()
        .iter()
        .map(|f| f.to_possible_value().unwrap().get_name().to_owned())
        .collect();
    let mut outputs: Vec<Vec<&str>> = formats
        .iter()
        .map(|f| match f.as_str() {
            "ics" => vec!["export", "--format", f, "--include-events"],
            _ => vec!["export", "--format", f],
        })
        .collect();
    assert!(outputs.len() >= 8, "every export format: {formats:?}");
    let more: &[&[&str]] = &[
        &["export", "--format", "csv", "--bom"],
        &["timeline", "--format", "table"],
        &["timeline", "--format", "json"],
        &["timeline", "--format", "markdown"],
        &["status", "--format", "table"],
        &["status", "--format", "json"],
        &["check", "--format", "text"],
        &["check", "--format", "json"],
        &["validate"],
    ];
    outputs.extend(more.iter().map(|a| a.to_vec()));
    // `diff` shows the changed texts themselves, old and new.
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old.yaml");
    let plain: String = std::fs::read_to_string(root().join(CONTROLS))
        .unwrap()
        .lines()
        .map(|l| match l.split_once(": \"") {
            Some((key, _)) if !l.contains('{') => format!("{key}: \"plain\"\n"),
            _ => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&old, plain).unwrap();
    let old = old.to_str().unwrap();
    for format in ["table", "markdown", "json"] {
        outputs.push(vec!["diff", "--format", format, old]);
    }
    for args in &outputs {
        for colour in ["never", "always"] {
            let out = command()
                .current_dir(root())
                .env("SOURCE_DATE_EPOCH", "1748736000")
                .args(args)
                .args(["--as-of", "2025-06-01", "--color", colour, CONTROLS])
                .output()
                .unwrap();
            let stdout = if args.contains(&"xlsx") {
                crate::util::workbook_text(out.stdout)
            } else {
                String::from_utf8(out.stdout).unwrap()
            };
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.code().is_some_and(|c| c <= 1),
                "{args:?}: {stderr}"
            );
            // Colour is breachline's own ESC; everything else must be incident text escaped.
            let text = strip_sgr(&stdout);
            if let Some((at, c)) = text.char_indices().find(|&(_, c)| hidden(c)) {
                panic!(
                    "{args:?} --color {colour}: raw U+{:04X} in {:?}",
                    u32::from(c),
                    &text[at.saturating_sub(40)..]
                );
            }
            let lone_cr = text.replace("\r\n", "").contains('\r');
            assert!(!lone_cr, "{args:?}: a carriage return outside a line break");
            let visible = if ["json", "stix", "veris"].iter().any(|f| args.contains(f)) {
                ["\\u001b", "\\u202e"]
            } else {
                ["u{1b}", "u{202e}"]
            };
            // `validate` shows no incident text, only the id.
            for v in visible.iter().filter(|_| args[0] != "validate") {
                assert!(text.contains(v), "{args:?}: {v} not shown in\n{text}");
            }
        }
    }
}

/// Removes the colour sequences (`ESC [ ... m`) breachline writes itself.
fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(end) if after[end..].starts_with('m') => rest = &after[end + 1..],
            _ => {
                out.push('\x1b');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Issue 23: an error reported to a full or closed standard error (`2>/dev/full`, `2>&-`, or a
/// reader of `2>&1 | head -1` gone) ends with the error's own exit status, never a panic.
#[cfg(target_os = "linux")]
#[test]
fn a_full_or_closed_standard_error_keeps_the_errors_exit_status() {
    use std::os::unix::process::CommandExt;
    let cases: [(&[&str], i32); 5] = [
        (&["status", "tests/fixtures/invalid/unknown-key.yaml"], 2),
        (&["validate", "tests/fixtures/invalid/unknown-key.yaml"], 2),
        (&["status", "no-such-file.yaml"], 2),
        (&["diff", "--since", "-x"], 2),
        (&["status", "--as-of", "2026-11-25", "--fail-on-overdue"], 1),
    ];
    for (args, code) in cases {
        let full = || {
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap()
        };
        let out = command()
            .current_dir(root())
            .args(args)
            .stdout(Stdio::null())
            .stderr(full())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "2>/dev/full {args:?}");
        let mut closed = command();
        // SAFETY: only close(2), async-signal-safe, between fork and exec.
        unsafe {
            closed.pre_exec(|| {
                libc::close(2);
                Ok(())
            });
        }
        let status = closed
            .current_dir(root())
            .args(args)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(code), "2>&- {args:?}");
    }
}
