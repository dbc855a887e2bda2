//! `breachline timeline`: the events and key intervals of each incident.

use super::shared::{
    exit_frees, finish, load_rendered, load_valid, unlabelled, views, write_stdout, Part,
};
use super::{Context, EXIT_OK};
use crate::cli::{TimelineArgs, TimelineFormat};
use crate::error::Error;
use crate::evaluate::Scope;
use crate::{filter, render};

pub fn run(ctx: &Context, args: &TimelineArgs) -> Result<u8, Error> {
    if args.format == TimelineFormat::Json {
        return json(ctx, args);
    }
    let portfolio = exit_frees(load_valid(ctx, &args.inputs)?);
    let as_of = ctx.evaluation(0);
    let views = filter::incidents(views(&portfolio, as_of, Scope::Whole), &args.incidents.ids)?;
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

/// Streamed: each incident is rendered on the thread that read it.
fn json(ctx: &Context, args: &TimelineArgs) -> Result<u8, Error> {
    let kinds = &args.kind;
    let as_of = ctx.evaluation(0);
    let streamed = load_rendered(
        ctx,
        &args.inputs,
        &args.incidents.ids,
        as_of,
        Scope::Whole,
        |file, view| {
            let bytes = match filter::kinds(vec![(file, view)], kinds).pop() {
                Some((file, view)) => Some(render::json::timeline_part(file, &view, ctx.lang)?),
                None => None,
            };
            Ok(Part {
                bytes,
                overdue: false,
            })
        },
    )?;
    finish(streamed.write_json(as_of, false), EXIT_OK)
}
