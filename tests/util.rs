//! Small helpers that keep each test about what it checks.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root, where `incidents/` lives.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bundled() -> PathBuf {
    root().join("incidents/secure-mx-2025.yaml")
}

/// The most address space a run may map. No input in the test suite may make breachline use
/// more (issue #4); an allocation beyond it aborts the run, which [`run`] reports.
pub const MEMORY_LIMIT: u64 = 200 * 1024 * 1024;

/// The binary as a plain process, under [`MEMORY_LIMIT`].
pub fn command() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("breachline"));
    // glibc reserves 64 MiB of address space per thread for its malloc arenas: with `--jobs`
    // threads that reservation, not memory in use, would hit the address-space limit below.
    // One arena keeps the limit a measure of what breachline uses.
    cmd.env("MALLOC_ARENA_MAX", "1");
    limit_memory(&mut cmd);
    cmd
}

/// RLIMIT_AS bounds virtual memory, which is at least what is resident: a conservative measure
/// that needs no timing and no polling. Without a limit of its own breachline maps about 10 MiB.
#[cfg(unix)]
fn limit_memory(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs between fork and exec; it only calls setrlimit, which is
    // async-signal-safe, and allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_LIMIT as libc::rlim_t,
                rlim_max: MEMORY_LIMIT as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_: &mut std::process::Command) {}

/// `breachline` run from the repository root, under [`MEMORY_LIMIT`], with colour and the
/// environment pinned so that output does not depend on the machine running the tests.
pub fn breachline() -> Command {
    let mut cmd = Command::from_std(command());
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "200");
    cmd
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs and captures; a signal or the panic exit code (101) fails the test outright.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("the binary runs");
    let Some(code) = out.status.code() else {
        panic!(
            "breachline was killed ({}); an abort here usually means memory ran out under the {} MiB limit:\n{}",
            out.status,
            MEMORY_LIMIT >> 20,
            String::from_utf8_lossy(&out.stderr)
        );
    };
    assert_ne!(
        code,
        101,
        "breachline panicked:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Output {
        code,
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Paths in messages are shown as given; tests pass paths relative to the repository root.
pub fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The names of the entries of `dir`, sorted: what a command left behind.
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("a readable directory")
        .map(|e| {
            e.expect("a readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

/// Text of every cell of every sheet.
pub fn workbook_text(bytes: Vec<u8>) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
    out
}

/// An id as the HTML report writes it: a line may break after each of its separators
/// (`<wbr>` after `-`, `_`, `/`, `.`, `:` or `#`, never after its last character).
pub fn html_id(id: &str) -> String {
    let mut out = String::new();
    let mut chars = id.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!(c, '-' | '_' | '/' | '.' | ':' | '#') && chars.peek().is_some() {
            out.push_str("<wbr>");
        }
    }
    out
}
