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

/// `breachline` run from the repository root, with colour and the environment pinned so that
/// output does not depend on the machine running the tests.
pub fn breachline() -> Command {
    let mut cmd = Command::cargo_bin("breachline").expect("the binary is built by cargo test");
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
    let code = out.status.code().expect("exited, not killed by a signal");
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
