//! What the commands share: loading the inputs (all at once, or rendered file by file),
//! reporting what is wrong with them, and writing the output.

use std::io::{self, Write};
use std::path::PathBuf;

use super::Context;
use crate::cli::Inputs;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::error::Error;
use crate::evaluate::{evaluate_for, AsOf, IncidentView, Scope, State};
use crate::load::{self, Portfolio};
use crate::{filter, render, spool};

pub fn paths(inputs: &Inputs) -> Vec<PathBuf> {
    if inputs.paths.is_empty() {
        vec![PathBuf::from("incidents")]
    } else {
        inputs.paths.clone()
    }
}

/// Every error, and the warnings unless `--quiet`, on standard error.
///
/// One at a time, neither copied nor gathered into one text: 100,000 files with a problem each
/// held their copies and the whole text besides.
pub fn report_diagnostics(ctx: &Context, portfolio: &Portfolio) {
    let mut err = io::BufWriter::with_capacity(1 << 16, io::stderr().lock());
    for d in portfolio
        .diagnostics()
        .filter(|d| !ctx.quiet || d.severity == Severity::Error)
    {
        let text = diagnostic::render(std::slice::from_ref(d), ctx.color_err);
        // If even standard error fails there is nobody left to tell.
        if err.write_all(text.as_bytes()).is_err() {
            return;
        }
    }
    let _ = err.flush();
}

/// An overdue remediation item or reporting obligation. `no_record` is not overdue: a silent
/// record is not a missed deadline.
pub fn is_overdue(view: &IncidentView<'_>) -> bool {
    view.remediation
        .iter()
        .any(|i| i.standing.state == State::Overdue)
        || view
            .obligations
            .iter()
            .any(|o| o.standing.state == State::Overdue)
}

pub fn plural_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Loads the inputs; with any error, reports the errors and renders nothing, since a partial
/// status could hide an overdue item.
pub fn load_valid(ctx: &Context, inputs: &Inputs) -> Result<Portfolio, Error> {
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
pub fn invalid_input(ctx: &Context, mut diagnostics: Vec<Diagnostic>, files: usize) -> Error {
    diagnostics.retain(|d| d.severity == Severity::Error);
    write_stderr(&diagnostic::render(&diagnostics, ctx.color_err));
    Error::InvalidInput { files }
}

/// A view rendered file by file: its incidents' parts, waiting for the verdict on the inputs.
pub struct Streamed {
    parts: spool::Spool,
    /// Some chosen incident has an overdue item (before any `--state` narrowing).
    pub overdue: bool,
}

impl Streamed {
    /// The JSON document around the parts (see [`render::json::write_document`]).
    pub fn write_json(self, as_of: AsOf, with_soon_days: bool) -> Result<(), Error> {
        let parts = self.parts;
        stream_stdout(|out| {
            let body = (!parts.is_empty()).then_some(|out: &mut _| parts.write_to(out));
            render::json::write_document(out, as_of, with_soon_days, body)
        })
    }
}

/// What [`load_rendered`]'s `render` makes of one incident.
#[derive(Default)]
pub struct Part {
    /// The rendered part; nothing leaves the incident out.
    pub bytes: Option<Vec<u8>>,
    /// Something the caller's filters kept is overdue (for `--fail-on-overdue`).
    pub overdue: bool,
}

/// [`load_valid`] for views made of one part per incident: each incident chosen by
/// `--incident` is evaluated and `render`ed on the thread that read its file, and only the
/// rendered part is kept (see [`load::load_each`]), so that memory stays flat however large the
/// portfolio. `render` may leave an incident out by returning nothing. With any error, the
/// errors are reported and nothing is rendered, exactly as [`load_valid`] does.
pub fn load_rendered(
    ctx: &Context,
    inputs: &Inputs,
    ids: &[String],
    as_of: AsOf,
    scope: Scope,
    render: impl Fn(&str, IncidentView<'_>) -> io::Result<Part> + Sync,
) -> Result<Streamed, Error> {
    struct Rendered {
        id: String,
        part: io::Result<Part>,
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
                    part: Ok(Part::default()),
                };
            }
            Rendered {
                id: id.to_owned(),
                part: render(&doc.display, evaluate_for(&incident, as_of, scope)),
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
            let pushed = match rendered.part {
                Ok(part) if errors.is_empty() => {
                    streamed.overdue |= part.overdue;
                    match part.bytes {
                        Some(bytes) => streamed.parts.push(b",", &bytes).map_err(Error::Spool),
                        None => Ok(()),
                    }
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

/// Every incident of `portfolio` evaluated, of as much as `scope` asks for.
pub fn views(portfolio: &Portfolio, as_of: AsOf, scope: Scope) -> Vec<(&str, IncidentView<'_>)> {
    portfolio
        .incidents()
        .map(|(doc, incident)| (doc.display.as_str(), evaluate_for(incident, as_of, scope)))
        .collect()
}

/// Leaves a loaded portfolio for the process exit to free. `run` is the whole program, and
/// freeing 100,000 parsed incidents one allocation at a time costs more than printing their
/// status (~0.4 s, on one core); the exit hands the memory back at once.
pub fn exit_frees(portfolio: Portfolio) -> std::mem::ManuallyDrop<Portfolio> {
    std::mem::ManuallyDrop::new(portfolio)
}

/// The views without their file names, for the renderers that do not show them (moved, not
/// copied: a view of a large incident holds a row per event).
pub fn unlabelled<'a>(views: Vec<(&str, IncidentView<'a>)>) -> Vec<IncidentView<'a>> {
    views.into_iter().map(|(_, v)| v).collect()
}

/// Writes the output and ends with `code`. A reader that stopped early (`| head -1`) is not
/// a failure, but does not change the verdict either: invalid input still exits 2 and an
/// overdue item 1, for scripts that check the status with `set -o pipefail`.
pub fn emit(out: &str, code: u8) -> Result<u8, Error> {
    finish(write_stdout(out), code)
}

/// Ends with `code` once the output is written, or the reader has stopped early.
pub fn finish(written: Result<(), Error>, code: u8) -> Result<u8, Error> {
    match written {
        Err(e) if !e.is_broken_pipe() => Err(e),
        _ => Ok(code),
    }
}

pub fn write_stdout(s: &str) -> Result<(), Error> {
    write_bytes(s.as_bytes())
}

pub fn write_bytes(bytes: &[u8]) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// Output written as it is produced, for views that can be larger than their input.
pub fn stream_stdout(
    write: impl FnOnce(&mut io::BufWriter<io::StdoutLock<'static>>) -> io::Result<()>,
) -> Result<(), Error> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// Diagnostics go to standard error; if even that fails there is nobody left to tell.
pub fn write_stderr(s: &str) {
    let _ = io::stderr().lock().write_all(s.as_bytes());
}
