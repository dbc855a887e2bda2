//! `breachline check`: validate everything, then evaluate and fail on an overdue item.

use super::shared::{
    emit, finish, is_overdue, paths, plural_of, report_diagnostics, stream_stdout, views,
};
use super::{Context, EXIT_INVALID, EXIT_OK, EXIT_OVERDUE};
use crate::cli::{CheckArgs, CheckFormat};
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::evaluate::Scope;
use crate::render::check;
use crate::render::json::check::{Report, Verdict};
use crate::{filter, load, validate};

pub fn run(ctx: &Context, args: &CheckArgs) -> Result<u8, Error> {
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
    // Borrowed, not copied: 100,000 files with a problem each are held once.
    let problems: Vec<_> = portfolio.diagnostics().collect();
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
            CheckFormat::Json => {
                let written =
                    stream_stdout(|w| crate::render::json::check::write(&report, ctx.lang, w));
                return finish(written, EXIT_INVALID);
            }
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
    let views = filter::incidents(views(&portfolio, as_of, Scope::Whole), &args.incidents.ids)?;
    filter::check_owners(&views, &args.owner)?;
    let views = filter::owners(views, &args.owner);
    let overdue = views.iter().any(|(_, v)| is_overdue(v));
    report.verdict = if overdue {
        Verdict::Overdue
    } else {
        Verdict::Ok
    };
    report.views = Some(&views);
    let out = match args.format {
        CheckFormat::Json => crate::render::json::check::json(&report, ctx.lang),
        CheckFormat::Text => {
            let mut out = check::tables(&views, &args.state, ctx.lang, ctx.color_out, ctx.width);
            if !ctx.quiet {
                out.push_str(&check::summary(&views, as_of, ctx.lang));
            }
            out
        }
    };
    emit(&out, if overdue { EXIT_OVERDUE } else { EXIT_OK })
}
