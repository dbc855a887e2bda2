//! breachline: security incidents as sourced YAML timelines.
//!
//! The data flows one way: [`model`] (the format) → [`load`] (files, parsing via [`yaml`],
//! [`validate`]) → [`evaluate`] (as of a day) → [`render`] (one view per file).
//! [`run`] ties them to the command line, one file per command under [`commands`]; `main.rs`
//! only parses arguments and calls it.

pub mod calendar;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod evaluate;
pub mod filter;
pub mod load;
pub mod manual;
pub mod model;
pub mod output;
pub mod parallel;
pub mod provenance;
pub mod render;
pub mod revision;
pub mod rule;
pub mod sanitize;
pub mod scaffold;
pub mod schema;
pub mod spool;
pub mod suggest;
pub mod text;
pub mod validate;
pub mod yaml;

use chrono::NaiveDate;

use cli::{Cli, Command};
use commands::Context;
pub use commands::{EXIT_INVALID, EXIT_OK, EXIT_OVERDUE};
pub use error::Error;

/// Runs one command. `today` is the day `--as-of` defaults to, read once by the caller so that
/// nothing below depends on the clock.
pub fn run(cli: Cli, today: NaiveDate) -> Result<u8, Error> {
    let ctx = Context::new(&cli.global, &cli.command, today);
    match cli.command {
        Command::Validate(inputs) => commands::validate::run(&ctx, &inputs),
        Command::Timeline(args) => commands::timeline::run(&ctx, &args),
        Command::Status(args) => commands::status::run(&ctx, &args),
        Command::Check(args) => commands::check::run(&ctx, &args),
        Command::Export(args) => commands::export::run(&ctx, &args),
        Command::Diff(args) => commands::diff::run(&ctx, &args),
        Command::New(args) => commands::new::run(&ctx, &args),
        Command::Rules(args) => commands::rules::run(&ctx, &args),
        Command::Schema => commands::schema::run(),
        Command::Completions(args) => commands::manual::completions(&args),
        Command::Man(args) => commands::manual::man(&args),
    }
}
