use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = breachline::cli::Cli::parse();
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
