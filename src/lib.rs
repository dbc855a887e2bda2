//! breachline: security incidents as sourced YAML timelines.
//!
//! The data flows one way: [`model`] (the format) → [`load`] (files, parsing via [`yaml`],
//! [`validate`]) → [`evaluate`] (as of a day) → [`render`] (one view per file).
//! [`run`] ties them to the command line; `main.rs` only parses arguments and calls it.

pub mod cli;
pub mod clock;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod filter;
pub mod load;
pub mod manual;
pub mod model;
pub mod parallel;
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

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;

use cli::{
    CheckArgs, CheckFormat, Cli, ColorWhen, Command, ExportArgs, Inputs, StatusFormat,
    TimelineFormat,
};
use diagnostic::{Diagnostic, Severity};
pub use error::Error;
use evaluate::{evaluate, AsOf, IncidentView, State, View};
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
        view: if cli.global.hindsight {
            View::Hindsight
        } else {
            View::AsKnown
        },
        lang: cli.global.lang,
        color_out: wants_color(cli.global.color, io::stdout().is_terminal()),
        color_err: wants_color(cli.global.color, io::stderr().is_terminal()),
        load: LoadOptions {
            max_file_size: cli.global.max_file_size,
            jobs: cli.global.jobs.unwrap_or_else(load::default_jobs),
            // Only `validate` and `check` show warnings; placing them costs a second parse.
            locate_warnings: !cli.global.quiet
                && matches!(cli.command, Command::Validate(_) | Command::Check(_)),
            ..LoadOptions::default()
        },
        quiet: cli.global.quiet,
        width: table_width(cli.global.width),
    };
    match cli.command {
        Command::Validate(inputs) => validate(&ctx, &inputs),
        Command::Timeline(args) if args.format == TimelineFormat::Json => {
            let kinds = &args.kind;
            let as_of = ctx.evaluation(0);
            let streamed = load_rendered(
                &ctx,
                &args.inputs,
                &args.incidents.ids,
                as_of,
                |file, view| match filter::kinds(vec![(file, view)], kinds).pop() {
                    Some((file, view)) => {
                        render::json::timeline_part(file, &view, ctx.lang).map(Some)
                    }
                    None => Ok(None),
                },
            )?;
            finish(streamed.write_json(as_of, false), EXIT_OK)
        }
        Command::Timeline(args) => {
            let portfolio = exit_frees(load_valid(&ctx, &args.inputs)?);
            let as_of = ctx.evaluation(0);
            let views = filter::incidents(views(&portfolio, as_of), &args.incidents.ids)?;
            let views = unlabelled(filter::kinds(views, &args.kind));
            let written = match args.format {
                TimelineFormat::Markdown => {
                    write_stdout(&render::markdown::timeline(&views, as_of, ctx.lang))
                }
                _ => write_stdout(&render::timeline_table::render(
                    &views,
                    as_of,
                    ctx.lang,
                    ctx.color_out,
                    ctx.width,
                )),
            };
            finish(written, EXIT_OK)
        }
        Command::Status(args) if args.format == StatusFormat::Json => {
            let as_of = ctx.evaluation(i64::from(args.soon));
            let streamed = load_rendered(
                &ctx,
                &args.inputs,
                &args.incidents.ids,
                as_of,
                |file, view| match filter::states(
                    filter::owners(vec![(file, view)], &args.owner),
                    &args.state,
                )
                .pop()
                {
                    Some((file, view)) => {
                        render::json::status_part(file, &view, ctx.lang).map(Some)
                    }
                    None => Ok(None),
                },
            )?;
            let code = if args.fail_on_overdue && streamed.overdue {
                EXIT_OVERDUE
            } else {
                EXIT_OK
            };
            finish(streamed.write_json(as_of, true), code)
        }
        Command::Status(args) => {
            let portfolio = exit_frees(load_valid(&ctx, &args.inputs)?);
            let as_of = ctx.evaluation(i64::from(args.soon));
            let views = filter::incidents(views(&portfolio, as_of), &args.incidents.ids)?;
            let views = filter::owners(views, &args.owner);
            // Decided before `--state` narrows the view: an overdue item fails the run even
            // when only due_soon items are shown.
            let overdue = views.iter().any(|(_, v)| is_overdue(v));
            let views = filter::states(views, &args.state);
            let written = if views.is_empty() && !args.state.is_empty() {
                write_stdout(&format!(
                    "{}\n",
                    render::labels::labels(ctx.lang).no_matching_items
                ))
            } else {
                write_stdout(&render::status_table::render(
                    &unlabelled(views),
                    as_of,
                    ctx.lang,
                    ctx.color_out,
                    ctx.width,
                    &args.state,
                ))
            };
            finish(
                written,
                if args.fail_on_overdue && overdue {
                    EXIT_OVERDUE
                } else {
                    EXIT_OK
                },
            )
        }
        Command::Export(args) => export(&ctx, &args),
        Command::Check(args) => check(&ctx, &args),
        Command::Diff(args) => diff(&ctx, &args),
        Command::New(args) => {
            let text = scaffold::skeleton_for(
                &args.file,
                args.id.as_deref(),
                args.title.as_deref(),
                ctx.as_of,
            )?;
            scaffold::write_new(&args.file, &text)?;
            if !ctx.quiet {
                write_stdout(&format!(
                    "created {}: replace its TODOs, then run `breachline validate {}`\n",
                    sanitize::for_terminal(&args.file.display().to_string()),
                    sanitize::for_terminal(&args.file.display().to_string()),
                ))?;
            }
            Ok(EXIT_OK)
        }
        Command::Schema => {
            write_stdout(&schema::incident_schema_json())?;
            Ok(EXIT_OK)
        }
        Command::Completions(args) => {
            write_stdout(&manual::completions(args.shell))?;
            Ok(EXIT_OK)
        }
        Command::Man(args) => {
            write_stdout(&manual::man_page(args.command.as_deref())?)?;
            Ok(EXIT_OK)
        }
    }
}

struct Context {
    as_of: NaiveDate,
    view: View,
    lang: text::Lang,
    color_out: bool,
    color_err: bool,
    load: LoadOptions,
    quiet: bool,
    /// Tables wrap to this many columns; `None` leaves them whole.
    width: Option<usize>,
}

impl Context {
    fn evaluation(&self, soon_days: i64) -> AsOf {
        AsOf {
            date: self.as_of,
            soon_days,
            view: self.view,
        }
    }
}

/// `--width`, else the terminal's width when standard output is one. Into a pipe or a file
/// nothing is wrapped: another program reads it.
fn table_width(asked: Option<u16>) -> Option<usize> {
    asked.map(usize::from).or_else(|| {
        io::stdout()
            .is_terminal()
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten()
    })
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
    // File by file, keeping each file's line and diagnostics but not its incident.
    let mut lines = String::new();
    let mut diagnostics = Vec::new();
    let (mut files, mut bad) = (0, 0);
    let path_problems = load::load_each(
        &paths(inputs),
        ctx.load,
        |_, i| {
            format!(
                "{}, {} event{}, {} remediation item{}{}",
                i.id,
                i.events.len(),
                plural(i.events.len()),
                i.remediation.len(),
                plural(i.remediation.len()),
                match i.obligations.len() {
                    0 => String::new(),
                    n => format!(", {n} obligation{}", plural(n)),
                },
            )
        },
        |doc, summary| {
            files += 1;
            let warnings = doc.warnings();
            let errors = doc.errors();
            let counts = match (errors, warnings) {
                (0, 0) => String::new(),
                (0, w) => format!(", {w} warning{}", plural(w)),
                (e, 0) => format!(", {e} error{}", plural(e)),
                (e, w) => format!(", {e} error{}, {w} warning{}", plural(e), plural(w)),
            };
            let line = match summary {
                Some(summary) if errors == 0 => {
                    format!("ok     {}: {summary}{counts}", doc.display)
                }
                _ => {
                    bad += 1;
                    format!("error  {}{}", doc.display, counts.replacen(',', ":", 1))
                }
            };
            lines.push_str(&sanitize::for_terminal(&line));
            lines.push('\n');
            diagnostics.extend(
                doc.diagnostics
                    .into_iter()
                    .filter(|d| !ctx.quiet || d.severity == Severity::Error),
            );
        },
    );
    let shown: Vec<_> = path_problems.iter().cloned().chain(diagnostics).collect();
    write_stderr(&diagnostic::render(&shown, ctx.color_err));
    let code = if bad > 0 || !path_problems.is_empty() {
        EXIT_INVALID
    } else {
        EXIT_OK
    };
    if ctx.quiet {
        return Ok(code);
    }
    lines.push_str(&format!(
        "{files} file{} checked: {} valid, {bad} with errors{}\n",
        plural(files),
        files - bad,
        if path_problems.is_empty() {
            String::new()
        } else {
            format!(
                ", {} path problem{}",
                path_problems.len(),
                plural(path_problems.len())
            )
        }
    ));
    emit(&lines, code)
}

/// Every error, and the warnings unless `--quiet`, on standard error.
fn report_diagnostics(ctx: &Context, portfolio: &Portfolio) {
    let shown: Vec<_> = portfolio
        .diagnostics()
        .filter(|d| !ctx.quiet || d.severity == Severity::Error)
        .cloned()
        .collect();
    write_stderr(&diagnostic::render(&shown, ctx.color_err));
}

/// `check`: validate everything, then evaluate and fail on an overdue item.
fn check(ctx: &Context, args: &CheckArgs) -> Result<u8, Error> {
    use render::check::{Report, Verdict};
    let mut portfolio = load::load(&paths(&args.inputs), ctx.load);
    // A file `breachline new` wrote and nobody finished is valid, but not a record to pass CI.
    for d in portfolio
        .documents
        .iter_mut()
        .flat_map(|doc| doc.diagnostics.iter_mut())
        .filter(|d| d.message.starts_with(validate::PLACEHOLDER))
    {
        d.severity = Severity::Error;
    }
    report_diagnostics(ctx, &portfolio);
    let problems: Vec<_> = portfolio.diagnostics().cloned().collect();
    let as_of = ctx.evaluation(i64::from(args.soon));
    let mut report = Report {
        verdict: Verdict::Invalid,
        as_of: ctx.as_of,
        view: ctx.view,
        soon_days: as_of.soon_days,
        files: portfolio.documents.len(),
        views: None,
        listed: &args.state,
        problems: &problems,
    };
    if portfolio.has_errors() {
        let out = match args.format {
            CheckFormat::Json => render::check::json(&report, ctx.lang),
            CheckFormat::Text if ctx.quiet => String::new(),
            CheckFormat::Text => {
                let bad = portfolio
                    .documents
                    .iter()
                    .filter(|d| d.has_errors())
                    .count()
                    + portfolio.path_problems.len();
                format!(
                    "{} checked: {bad} with errors; nothing was evaluated\n",
                    plural_of(portfolio.documents.len(), "file", "files")
                )
            }
        };
        return emit(&out, EXIT_INVALID);
    }
    let views = filter::incidents(views(&portfolio, as_of), &args.incidents.ids)?;
    let views = filter::owners(views, &args.owner);
    let overdue = views.iter().any(|(_, v)| is_overdue(v));
    report.verdict = if overdue {
        Verdict::Overdue
    } else {
        Verdict::Ok
    };
    report.views = Some(&views);
    let out = match args.format {
        CheckFormat::Json => render::check::json(&report, ctx.lang),
        CheckFormat::Text => {
            let mut out =
                render::check::tables(&views, &args.state, ctx.lang, ctx.color_out, ctx.width);
            if !ctx.quiet {
                out.push_str(&render::check::summary(&views, as_of, ctx.lang));
            }
            out
        }
    };
    emit(&out, if overdue { EXIT_OVERDUE } else { EXIT_OK })
}

/// An overdue remediation item or reporting obligation. `no_record` is not overdue: a silent
/// record is not a missed deadline.
fn is_overdue(view: &IncidentView<'_>) -> bool {
    view.remediation.iter().any(|i| i.state == State::Overdue)
        || view.obligations.iter().any(|o| o.state == State::Overdue)
}

fn export(ctx: &Context, args: &ExportArgs) -> Result<u8, Error> {
    let options = export::Options {
        bom: args.bom,
        include_events: args.include_events,
        remind: args.remind,
    };
    let format = export::choose_format(args.format, args.output.as_deref(), options)?;
    if format == cli::ExportFormat::Xlsx && args.output.is_none() && io::stdout().is_terminal() {
        return Err(Error::Usage(
            "a workbook is binary: write it with -o FILE.xlsx, or redirect standard output to a file".into(),
        ));
    }
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
    let as_of = ctx.evaluation(i64::from(args.soon));
    let report = export::Report {
        incidents: filter::owners(views(&portfolio, as_of), &args.owner),
        provenance: export::provenance::Provenance::new(&portfolio, as_of, generated_at),
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

/// `diff`: two versions loaded and validated like any input, then compared.
fn diff(ctx: &Context, args: &cli::DiffArgs) -> Result<u8, Error> {
    let (old, new) = match (&args.since, args.paths.as_slice()) {
        (Some(rev), paths) => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from("incidents")]
            } else {
                paths.to_vec()
            };
            (
                revision::load_at(rev, &paths, ctx.load)?,
                load::load(&paths, ctx.load),
            )
        }
        (None, [old, new]) => (
            load::load(std::slice::from_ref(old), ctx.load),
            load::load(std::slice::from_ref(new), ctx.load),
        ),
        (None, _) => {
            return Err(Error::Usage(
                "give OLD and NEW (two files or directories), or --since REV [PATH]...".into(),
            ))
        }
    };
    for side in [&old, &new] {
        if side.has_errors() {
            let bad = side.documents.iter().filter(|d| d.has_errors()).count();
            return Err(invalid_input(
                ctx,
                side.diagnostics().cloned().collect(),
                bad + side.path_problems.len(),
            ));
        }
    }
    let as_of = ctx.evaluation(i64::from(args.soon));
    let old: Vec<_> = old.incidents().map(|(_, i)| i).collect();
    let new: Vec<_> = new.incidents().map(|(_, i)| i).collect();
    let d = diff::diff(&old, &new, as_of);
    let out = match args.format {
        cli::DiffFormat::Table => render::diff::text(&d, as_of),
        cli::DiffFormat::Json => render::diff::json(&d, as_of),
        cli::DiffFormat::Markdown => render::diff::markdown(&d, as_of),
    };
    emit(&out, EXIT_OK)
}

fn plural_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
        let bad = portfolio
            .documents
            .iter()
            .filter(|d| d.has_errors())
            .count();
        return Err(invalid_input(
            ctx,
            portfolio.diagnostics().cloned().collect(),
            bad + portfolio.path_problems.len(),
        ));
    }
    Ok(portfolio)
}

/// Reports the errors among `diagnostics` (not the warnings: nothing is rendered, so they
/// would be noise) and says how many inputs had them.
fn invalid_input(ctx: &Context, mut diagnostics: Vec<Diagnostic>, files: usize) -> Error {
    diagnostics.retain(|d| d.severity == Severity::Error);
    write_stderr(&diagnostic::render(&diagnostics, ctx.color_err));
    Error::InvalidInput { files }
}

/// A view rendered file by file: its incidents' parts, waiting for the verdict on the inputs.
struct Streamed {
    parts: spool::Spool,
    /// Some chosen incident has an overdue item (before any `--state` narrowing).
    overdue: bool,
}

impl Streamed {
    /// The JSON document around the parts (see [`render::json::write_document`]).
    fn write_json(self, as_of: AsOf, with_soon_days: bool) -> Result<(), Error> {
        let parts = self.parts;
        stream_stdout(|out| {
            let body = (!parts.is_empty()).then_some(|out: &mut _| parts.write_to(out));
            render::json::write_document(out, as_of, with_soon_days, body)
        })
    }
}

/// [`load_valid`] for views made of one part per incident: each incident chosen by
/// `--incident` is evaluated and `render`ed on the thread that read its file, and only the
/// rendered part is kept (see [`load::load_each`]), so that memory stays flat however large the
/// portfolio. `render` may leave an incident out by returning nothing. With any error, the
/// errors are reported and nothing is rendered, exactly as [`load_valid`] does.
fn load_rendered(
    ctx: &Context,
    inputs: &Inputs,
    ids: &[String],
    as_of: AsOf,
    render: impl Fn(&str, IncidentView<'_>) -> io::Result<Option<Vec<u8>>> + Sync,
) -> Result<Streamed, Error> {
    struct Rendered {
        id: String,
        overdue: bool,
        part: io::Result<Option<Vec<u8>>>,
    }
    let mut streamed = Streamed {
        parts: spool::Spool::default(),
        overdue: false,
    };
    let mut errors = Vec::new();
    let mut files_with_errors = 0;
    let mut known = Vec::new();
    let mut failed = Ok(());
    let path_problems = load::load_each(
        &paths(inputs),
        ctx.load,
        |doc, incident| {
            let id = incident.id.as_str();
            if !ids.is_empty() && !ids.iter().any(|wanted| wanted == id) {
                return Rendered {
                    id: id.to_owned(),
                    overdue: false,
                    part: Ok(None),
                };
            }
            let view = evaluate(&incident, as_of);
            Rendered {
                id: id.to_owned(),
                overdue: is_overdue(&view),
                part: render(&doc.display, view),
            }
        },
        |doc, rendered| {
            if doc.has_errors() {
                files_with_errors += 1;
                errors.extend(doc.diagnostics);
                return;
            }
            let Some(rendered) = rendered else { return };
            known.push(rendered.id);
            streamed.overdue |= rendered.overdue;
            let pushed = match rendered.part {
                Ok(Some(part)) if errors.is_empty() => {
                    streamed.parts.push(b",", &part).map_err(Error::Spool)
                }
                Ok(_) => Ok(()),
                Err(e) => Err(Error::Render(e)),
            };
            if failed.is_ok() {
                failed = pushed;
            }
        },
    );
    if !path_problems.is_empty() || files_with_errors > 0 {
        let files = files_with_errors + path_problems.len();
        let all = path_problems.into_iter().chain(errors).collect();
        return Err(invalid_input(ctx, all, files));
    }
    failed?;
    filter::check_ids(ids, &known)?;
    Ok(streamed)
}

fn views(portfolio: &Portfolio, as_of: AsOf) -> Vec<(&str, IncidentView<'_>)> {
    portfolio
        .incidents()
        .map(|(doc, incident)| (doc.display.as_str(), evaluate(incident, as_of)))
        .collect()
}

/// Leaves a loaded portfolio for the process exit to free. `run` is the whole program, and
/// freeing 100,000 parsed incidents one allocation at a time costs more than printing their
/// status (~0.4 s, on one core); the exit hands the memory back at once.
fn exit_frees(portfolio: Portfolio) -> std::mem::ManuallyDrop<Portfolio> {
    std::mem::ManuallyDrop::new(portfolio)
}

/// The views without their file names, for the renderers that do not show them (moved, not
/// copied: a view of a large incident holds a row per event).
fn unlabelled<'a>(views: Vec<(&str, IncidentView<'a>)>) -> Vec<IncidentView<'a>> {
    views.into_iter().map(|(_, v)| v).collect()
}

/// Writes the output and ends with `code`. A reader that stopped early (`| head -1`) is not
/// a failure, but does not change the verdict either: invalid input still exits 2 and an
/// overdue item 1, for scripts that check the status with `set -o pipefail`.
fn emit(out: &str, code: u8) -> Result<u8, Error> {
    finish(write_stdout(out), code)
}

/// Ends with `code` once the output is written, or the reader has stopped early.
fn finish(written: Result<(), Error>, code: u8) -> Result<u8, Error> {
    match written {
        Err(e) if !e.is_broken_pipe() => Err(e),
        _ => Ok(code),
    }
}

fn write_stdout(s: &str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// Output written as it is produced, for views that can be larger than their input.
fn stream_stdout(
    write: impl FnOnce(&mut io::BufWriter<io::StdoutLock<'static>>) -> io::Result<()>,
) -> Result<(), Error> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// Diagnostics go to standard error; if even that fails there is nobody left to tell.
fn write_stderr(s: &str) {
    let _ = io::stderr().lock().write_all(s.as_bytes());
}
