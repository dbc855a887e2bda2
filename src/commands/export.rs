//! `breachline export`: the evaluation as a file, with its provenance.

use super::shared::{load_valid, views, write_bytes};
use super::{Context, EXIT_OK};
use std::io::{self, IsTerminal};

use crate::cli::{ExportArgs, ExportFormat};
use crate::error::Error;
use crate::evaluate::Scope;
use crate::filter;
use crate::load::LoadOptions;
use crate::render::formats as export;
use crate::{output, provenance};

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<u8, Error> {
    let options = export::Options {
        bom: args.bom,
        include_events: args.include_events,
        remind: args.remind,
    };
    let format = export::choose_format(args.format, args.output.as_deref(), options)?;
    if format == ExportFormat::Xlsx && args.output.is_none() && io::stdout().is_terminal() {
        return Err(Error::Usage(
            "a workbook is binary: write it with -o FILE.xlsx, or redirect standard output to a file".into(),
        ));
    }
    // The one clock reading of an export, unless SOURCE_DATE_EPOCH pins it.
    let generated_at = provenance::generated_at(
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
    let all = views(&portfolio, as_of, Scope::Whole);
    filter::check_owners(&all, &args.owner)?;
    let report = export::Report {
        incidents: filter::owners(all, &args.owner),
        provenance: provenance::Provenance::new(&portfolio, as_of, generated_at),
        soon_days: as_of.soon_days,
        lang: ctx.lang,
    };
    let bytes = export::render(format, &report, options)?;
    match &args.output {
        Some(path) => output::write_file(path, &bytes, args.force)?,
        None => write_bytes(&bytes)?,
    }
    Ok(EXIT_OK)
}
