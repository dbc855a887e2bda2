use std::io::Write as _;
use std::process::ExitCode;

use clap::FromArgMatches;

fn main() -> ExitCode {
    let matches = breachline::cli::command().get_matches();
    let cli = breachline::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let today = chrono::Local::now().date_naive();
    match breachline::run(cli, today) {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            // `eprintln!` panics (exit 101) when standard error is full or closed; the error
            // then has nowhere to go, and its exit status is all that is left to report it.
            let _ = writeln!(std::io::stderr().lock(), "error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
