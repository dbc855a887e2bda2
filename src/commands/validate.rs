//! `breachline validate`: every file checked, a line for each, and every diagnostic.

use super::shared::{emit, paths, plural, write_stderr};
use super::{Context, EXIT_INVALID, EXIT_OK};
use crate::cli::Inputs;
use crate::diagnostic::{self, Severity};
use crate::error::Error;
use crate::{load, sanitize};

pub fn run(ctx: &Context, inputs: &Inputs) -> Result<u8, Error> {
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
