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
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
