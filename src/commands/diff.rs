//! `breachline diff`: two versions loaded and validated like any input, then compared.

use std::path::PathBuf;

use super::shared::{emit, exit_frees, invalid_input};
use super::{Context, EXIT_OK};
use crate::cli::{DiffArgs, DiffFormat};
use crate::error::Error;
use crate::{diff, load, render, revision};

pub fn run(ctx: &Context, args: &DiffArgs) -> Result<u8, Error> {
    let (old, new) = match (&args.since, args.paths.as_slice()) {
        (Some(rev), paths) => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from("incidents")]
            } else {
                paths.to_vec()
            };
            // The two sides at once: git and the files on disk wait on different things.
            let (old, new) = std::thread::scope(|scope| {
                let new = scope.spawn(|| load::load(&paths, ctx.load));
                let old = revision::load_at(rev, &paths, ctx.load);
                (old, new.join())
            });
            let new = new.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (old?, new)
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
    let (old, new) = (exit_frees(old), exit_frees(new));
    for side in [&*old, &*new] {
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
        DiffFormat::Table => render::diff::text(&d, as_of),
        DiffFormat::Json => render::json::diff::json(&d, as_of),
        DiffFormat::Markdown => render::markdown::diff(&d, as_of),
    };
    emit(&out, EXIT_OK)
}
