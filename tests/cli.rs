//! What the command line teaches: help with examples, the version, completions, manual pages.

use clap::CommandFactory;

use crate::util::{breachline, run};

#[test]
fn every_command_has_a_description_and_examples() {
    let cli = breachline::cli::Cli::command();
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        let out = run(breachline().args([name, "--help"]));
        assert_eq!(out.code, 0, "{name}");
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        assert!(!about.is_empty(), "{name} has no description");
        assert!(out.stdout.starts_with(&about), "{name}: {}", out.stdout);
        let examples = out
            .stdout
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{name} --help shows no examples"));
        let count = examples
            .lines()
            .take_while(|l| !l.is_empty())
            .filter(|l| l.trim_start().starts_with("breachline "))
            .count();
        assert!(count >= 1, "{name}: {examples}");
    }
    let top = run(breachline().arg("--help"));
    assert!(top.stdout.contains("Examples:\n"), "{}", top.stdout);
}

#[test]
fn version_names_the_crate_version() {
    let out = run(breachline().arg("--version"));
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        format!("breachline {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_generate_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _breachline"),
        ("zsh", "#compdef breachline"),
        ("fish", "complete -c breachline"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run(breachline().args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}");
        assert!(
            out.stdout.contains("check"),
            "{shell} completes the commands"
        );
        assert!(
            out.stdout.contains("as-of"),
            "{shell} completes the options"
        );
    }
    let out = run(breachline().args(["completions", "tcsh"]));
    assert_eq!(out.code, 2);
}

#[test]
fn manual_pages_generate_for_breachline_and_each_command() {
    let out = run(breachline().arg("man"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!(
            ".TH breachline 1  \"breachline {}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        &out.stdout[..200.min(out.stdout.len())]
    );
    assert!(out.stdout.contains("breachline\\-check(1)"));
    let check = run(breachline().args(["man", "check"]));
    assert_eq!(check.code, 0);
    assert!(check
        .stdout
        .contains(".SH NAME\nbreachline\\-check \\- Validate"));
    assert!(
        check.stdout.contains("breachline check \\-\\-format json"),
        "examples in the page"
    );
    let missing = run(breachline().args(["man", "nope"]));
    assert_eq!(missing.code, 2);
    let commands = breachline::manual::commands().join(", ");
    assert!(
        commands.starts_with("validate, timeline, status, "),
        "{commands}"
    );
    assert_eq!(
        missing.stderr,
        format!("error: no command `nope`; the commands are: {commands}\n")
    );
}

/// Issue 13: a command's help shows the options it uses, described as they apply to it.
#[test]
fn each_command_shows_only_the_options_it_uses() {
    let help = |cmd: &str| run(breachline().args([cmd, "--help"])).stdout;
    let schema = help("schema");
    for unused in ["--as-of", "--lang", "--width", "--max-file-size", "--jobs"] {
        assert!(!schema.contains(unused), "schema: {unused}\n{schema}");
    }
    assert!(!help("completions").contains("--max-file-size"));
    assert!(!help("man").contains("--lang"));
    assert!(!help("validate").contains("--as-of"));
    let new = help("new");
    assert!(
        new.contains("The day written as `reviewed`") && !new.contains("Evaluate as of"),
        "{new}"
    );
    assert!(!new.contains("--jobs"), "{new}");
    for used in ["--as-of", "--lang", "--width", "--jobs", "--soon"] {
        assert!(help("status").contains(used), "status: {used}");
    }
    // Hidden, not refused: a script passing the global options everywhere keeps working.
    let out = run(breachline().args(["schema", "--as-of", "2025-01-01"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
}
