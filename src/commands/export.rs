//! `breachline export`: the evaluation as a file, with its provenance.

use super::shared::{load_valid, views, write_bytes, write_stderr};
use super::{Context, EXIT_OK};
use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

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
    if format == ExportFormat::Veris {
        return veris(ctx.quiet, &report, args);
    }
    if let Some(dir) = args.output.as_deref().filter(|p| names_a_folder(p)) {
        return Err(Error::Usage(format!(
            "-o {} names a folder: only --format veris writes one file per incident into one; give a file name",
            dir.display()
        )));
    }
    let bytes = export::render(format, &report, options)?;
    match &args.output {
        Some(path) => output::write_file(path, &bytes, args.force)?,
        None => write_bytes(&bytes)?,
    }
    Ok(EXIT_OK)
}

/// `-o DIR/` (or an existing folder): one file per incident, which only VERIS writes.
fn names_a_folder(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || path.is_dir()
}

/// VERIS: one object per file, as VERIS's own tools read it. To a folder, a file per
/// incident; to one file or standard output, the one incident's object (several to one file
/// are refused: VERIS's validator cannot read a list unzipped). Incidents VERIS cannot hold
/// are left out with a warning.
fn veris(quiet: bool, report: &export::Report<'_>, args: &ExportArgs) -> Result<u8, Error> {
    let records = crate::render::veris::records(report);
    if records.records.is_empty() {
        // The error names why each was left out.
        return Err(crate::render::veris::nothing_to_export(&records.skipped));
    }
    if !quiet {
        for why in &records.skipped {
            write_stderr(&format!("warning: {why}\n"));
        }
    }
    match args.output.as_deref() {
        Some(dir) if names_a_folder(dir) => {
            fs::create_dir_all(dir).map_err(|source| Error::Output {
                path: dir.to_owned(),
                source,
            })?;
            let files = crate::render::veris::file_names(&records.records);
            let paths: Vec<PathBuf> = files.iter().map(|f| dir.join(f)).collect();
            // Every name checked before any is written: an export stopped by a file that is
            // already there writes nothing.
            if !args.force {
                if let Some(p) = paths.iter().find(|p| fs::symlink_metadata(p).is_ok()) {
                    return Err(Error::OutputExists { path: p.clone() });
                }
            }
            for (record, path) in records.records.iter().zip(&paths) {
                let text = crate::render::veris::to_string(&record.value)?;
                output::write_file(path, text.as_bytes(), args.force)?;
            }
            Ok(EXIT_OK)
        }
        Some(file) if records.records.len() > 1 => Err(Error::Usage(format!(
            "{} incidents cannot go to one VERIS file ({}): VERIS's tools read one incident per file; give a folder, -o DIR/, for one file each",
            records.records.len(),
            file.display()
        ))),
        Some(file) => {
            let text = crate::render::veris::joined(records)?;
            output::write_file(file, text.as_bytes(), args.force)?;
            Ok(EXIT_OK)
        }
        None => {
            let text = crate::render::veris::joined(records)?;
            write_bytes(text.as_bytes())?;
            Ok(EXIT_OK)
        }
    }
}
