//! `breachline status`: where remediation and reporting obligations stand on the day.

use super::shared::{
    exit_frees, finish, is_overdue, load_rendered, load_valid, unlabelled, views, write_stdout,
    Part,
};
use super::{Context, EXIT_OK, EXIT_OVERDUE};
use crate::cli::{StatusArgs, StatusFormat};
use crate::error::Error;
use crate::evaluate::Scope;
use crate::{filter, render};

pub fn run(ctx: &Context, args: &StatusArgs) -> Result<u8, Error> {
    if args.format == StatusFormat::Json {
        return json(ctx, args);
    }
    let portfolio = exit_frees(load_valid(ctx, &args.inputs)?);
    let as_of = ctx.evaluation(i64::from(args.soon));
    let views = filter::incidents(
        views(&portfolio, as_of, Scope::Standing),
        &args.incidents.ids,
    )?;
    filter::check_owners(&views, &args.owner)?;
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
    finish(written, verdict(args, overdue))
}

/// Streamed: each incident is rendered on the thread that read it.
fn json(ctx: &Context, args: &StatusArgs) -> Result<u8, Error> {
    let as_of = ctx.evaluation(i64::from(args.soon));
    // Every owner the files name, to tell a misspelt `--owner` from one with nothing listed:
    // the output is held back until every file is read, so the error still comes instead.
    let named = std::sync::Mutex::new(std::collections::BTreeSet::<String>::new());
    let streamed = load_rendered(
        ctx,
        &args.inputs,
        &args.incidents.ids,
        as_of,
        Scope::Standing,
        |file, view| {
            if !args.owner.is_empty() {
                let mut named = named
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                named.extend(filter::owners_named(&view).map(str::to_owned));
            }
            // As in the table: overdue is decided after `--owner`, before `--state`.
            let owned = filter::owners(vec![(file, view)], &args.owner);
            let overdue = owned.iter().any(|(_, v)| is_overdue(v));
            let bytes = match filter::states(owned, &args.state).pop() {
                Some((file, view)) => Some(render::json::status_part(file, &view, ctx.lang)?),
                None => None,
            };
            Ok(Part { bytes, overdue })
        },
    )?;
    let named = named
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    filter::check_owner_names(named.iter().map(String::as_str).collect(), &args.owner)?;
    let code = verdict(args, streamed.overdue);
    finish(streamed.write_json(as_of, true), code)
}

fn verdict(args: &StatusArgs, overdue: bool) -> u8 {
    if args.fail_on_overdue && overdue {
        EXIT_OVERDUE
    } else {
        EXIT_OK
    }
}
