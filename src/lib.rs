//! breachline: security incidents as sourced YAML timelines.
//!
//! The data flows one way: [`model`] (the format) → [`load`] (files, parsing via [`yaml`],
//! [`validate`]) → [`evaluate`] (as of a day) → [`render`] (one view per file).
//! [`run`] ties them to the command line; `main.rs` only parses arguments and calls it.

pub mod cli;
pub mod clock;
pub mod date;
pub mod diagnostic;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod load;
pub mod model;
pub mod render;
pub mod sanitize;
pub mod text;
pub mod validate;
pub mod yaml;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;

use cli::{Cli, ColorWhen, Command, ExportArgs, Inputs, StatusFormat, TimelineFormat};
use diagnostic::Severity;
pub use error::Error;
use evaluate::{evaluate, AsOf, IncidentView, State};
use load::{LoadOptions, Portfolio};

/// Exit status: all fine.
pub const EXIT_OK: u8 = 0;
/// Exit status: `--fail-on-overdue` found an overdue item.
pub const EXIT_OVERDUE: u8 = 1;
/// Exit status: bad input or usage.
pub const EXIT_INVALID: u8 = 2;

/// Runs one command. `today` is the day `--as-of` defaults to, read once by the caller so that
/// nothing below depends on the clock.
pub fn run(cli: Cli, today: NaiveDate) -> Result<u8, Error> {
    let ctx = Context {
        as_of: cli.global.as_of.unwrap_or(today),
        lang: cli.global.lang,
        color_out: wants_color(cli.global.color, io::stdout().is_terminal()),
        color_err: wants_color(cli.global.color, io::stderr().is_terminal()),
        load: LoadOptions {
            max_file_size: cli.global.max_file_size,
            digest: false,
        },
    };
    match cli.command {
        Command::Validate(inputs) => validate(&ctx, &inputs),
        Command::Timeline(args) => {
            let portfolio = load_valid(&ctx, &args.inputs)?;
            let as_of = AsOf {
                date: ctx.as_of,
                soon_days: 0,
            };
            let views = views(&portfolio, as_of);
            let out = match args.format {
                TimelineFormat::Table => render::timeline_table::render(
                    &unlabelled(&views),
                    ctx.as_of,
                    ctx.lang,
                    ctx.color_out,
                ),
                TimelineFormat::Markdown => {
                    render::markdown::timeline(&unlabelled(&views), ctx.as_of, ctx.lang)
                }
                TimelineFormat::Json => render::json::timeline(&views, ctx.as_of, ctx.lang),
            };
            write_stdout(&out)?;
            Ok(EXIT_OK)
        }
        Command::Status(args) => {
            let portfolio = load_valid(&ctx, &args.inputs)?;
            let as_of = AsOf {
                date: ctx.as_of,
                soon_days: i64::from(args.soon),
            };
            let views = views(&portfolio, as_of);
            let out = match args.format {
                StatusFormat::Table => render::status_table::render(
                    &unlabelled(&views),
                    ctx.as_of,
                    ctx.lang,
                    ctx.color_out,
                ),
                StatusFormat::Json => {
                    render::json::status(&views, ctx.as_of, as_of.soon_days, ctx.lang)
                }
            };
            write_stdout(&out)?;
            // `no_record` is not overdue: a silent record is not a missed deadline.
            let overdue = views.iter().any(|(_, v)| {
                v.remediation.iter().any(|i| i.state == State::Overdue)
                    || v.obligations.iter().any(|o| o.state == State::Overdue)
            });
            Ok(if args.fail_on_overdue && overdue {
                EXIT_OVERDUE
            } else {
                EXIT_OK
            })
        }
        Command::Export(args) => export(&ctx, &args),
    }
}

struct Context {
    as_of: NaiveDate,
    lang: text::Lang,
    color_out: bool,
    color_err: bool,
    load: LoadOptions,
}

fn wants_color(when: ColorWhen, terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            let env = |k| std::env::var_os(k).is_some_and(|v| !v.is_empty());
            if env("NO_COLOR") {
                false
            } else if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else {
                terminal && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

fn paths(inputs: &Inputs) -> Vec<PathBuf> {
    if inputs.paths.is_empty() {
        vec![PathBuf::from("incidents")]
    } else {
        inputs.paths.clone()
    }
}

fn validate(ctx: &Context, inputs: &Inputs) -> Result<u8, Error> {
    let portfolio = load::load(&paths(inputs), ctx.load);
    let all: Vec<_> = portfolio.diagnostics().cloned().collect();
    write_stderr(&diagnostic::render(&all, ctx.color_err));
    let mut out = String::new();
    for doc in &portfolio.documents {
        let errors = doc.diagnostics.len() - doc.warnings();
        let warnings = doc.warnings();
        let counts = match (errors, warnings) {
            (0, 0) => String::new(),
            (0, w) => format!(", {w} warning{}", plural(w)),
            (e, 0) => format!(", {e} error{}", plural(e)),
            (e, w) => format!(", {e} error{}, {w} warning{}", plural(e), plural(w)),
        };
        let line = match &doc.incident {
            Some(i) if errors == 0 => format!(
                "ok     {}: {}, {} event{}, {} remediation item{}{}{counts}",
                doc.display,
                i.id,
                i.events.len(),
                plural(i.events.len()),
                i.remediation.len(),
                plural(i.remediation.len()),
                match i.obligations.len() {
                    0 => String::new(),
                    n => format!(", {n} obligation{}", plural(n)),
                },
            ),
            _ => format!("error  {}{}", doc.display, counts.replacen(',', ":", 1)),
        };
        out.push_str(&sanitize::for_terminal(&line));
        out.push('\n');
    }
    let bad = portfolio
        .documents
        .iter()
        .filter(|d| d.has_errors())
        .count();
    let files = portfolio.documents.len();
    out.push_str(&format!(
        "{files} file{} checked: {} valid, {bad} with errors{}\n",
        plural(files),
        files - bad,
        if portfolio.path_problems.is_empty() {
            String::new()
        } else {
            format!(
                ", {} path problem{}",
                portfolio.path_problems.len(),
                plural(portfolio.path_problems.len())
            )
        }
    ));
    write_stdout(&out)?;
    Ok(if portfolio.has_errors() {
        EXIT_INVALID
    } else {
        EXIT_OK
    })
}

fn export(ctx: &Context, args: &ExportArgs) -> Result<u8, Error> {
    let options = export::Options {
        bom: args.bom,
        include_events: args.include_events,
    };
    let format = export::choose_format(args.format, args.output.as_deref(), options)?;
    // The one clock reading of an export, unless SOURCE_DATE_EPOCH pins it.
    let generated_at = export::provenance::generated_at(
        std::env::var_os("SOURCE_DATE_EPOCH").as_deref(),
        chrono::Utc::now(),
    )
    .map_err(Error::Usage)?;
    let ctx = Context {
        load: LoadOptions {
            digest: true,
            ..ctx.load
        },
        ..*ctx
    };
    let portfolio = load_valid(&ctx, &args.inputs)?;
    let as_of = AsOf {
        date: ctx.as_of,
        soon_days: i64::from(args.soon),
    };
    let report = export::Report {
        incidents: views(&portfolio, as_of),
        provenance: export::provenance::Provenance::new(&portfolio, ctx.as_of, generated_at),
        soon_days: as_of.soon_days,
        lang: ctx.lang,
    };
    let bytes = export::render(format, &report, options)?;
    match &args.output {
        Some(path) => export::output::write_file(path, &bytes, args.force)?,
        None => {
            let mut out = io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(Error::Stdout)?;
        }
    }
    Ok(EXIT_OK)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Loads the inputs; with any error, reports the errors and renders nothing, since a partial
/// status could hide an overdue item.
fn load_valid(ctx: &Context, inputs: &Inputs) -> Result<Portfolio, Error> {
    let portfolio = load::load(&paths(inputs), ctx.load);
    if portfolio.has_errors() {
        let errors: Vec<_> = portfolio
            .diagnostics()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        write_stderr(&diagnostic::render(&errors, ctx.color_err));
        let files = portfolio
            .documents
            .iter()
            .filter(|d| d.has_errors())
            .count()
            + portfolio.path_problems.len();
        return Err(Error::InvalidInput { files });
    }
    Ok(portfolio)
}

fn views(portfolio: &Portfolio, as_of: AsOf) -> Vec<(&str, IncidentView<'_>)> {
    portfolio
        .incidents()
        .map(|(doc, incident)| (doc.display.as_str(), evaluate(incident, as_of)))
        .collect()
}

fn unlabelled<'a>(views: &[(&str, IncidentView<'a>)]) -> Vec<IncidentView<'a>> {
    views.iter().map(|(_, v)| v.clone()).collect()
}

fn write_stdout(s: &str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// Diagnostics go to standard error; if even that fails there is nobody left to tell.
fn write_stderr(s: &str) {
    let _ = io::stderr().lock().write_all(s.as_bytes());
}
