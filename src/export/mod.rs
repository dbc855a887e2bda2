//! `breachline export`: the evaluation as files for people who work outside a terminal.
//!
//! Every exporter formats a [`Report`]: the same [`IncidentView`]s that `status` and
//! `timeline` render, and the [`Provenance`] of the run. None computes a state, a day count or
//! an interval; one file per format.

pub mod csv;
pub mod html;
pub mod ics;
pub mod json;
mod labels;
pub mod markdown;
pub mod output;
pub mod provenance;
pub mod stix;
pub mod veris;
pub mod xlsx;

use std::path::Path;

use crate::cli::ExportFormat;
use crate::error::Error;
use crate::evaluate::IncidentView;
use crate::text::Lang;
use provenance::Provenance;

/// Everything an export shows.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// Each incident with the file it came from, in path order.
    pub incidents: Vec<(&'a str, IncidentView<'a>)>,
    pub provenance: Provenance,
    /// The `--soon` window the states were computed with.
    pub soon_days: i64,
    pub lang: Lang,
}

/// Switches that only some formats have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// CSV: a UTF-8 byte-order mark first.
    pub bom: bool,
    /// iCalendar: the timeline's events too.
    pub include_events: bool,
    /// iCalendar: a reminder so many days before each deadline.
    pub remind: Option<u16>,
}

/// Renders `report` in `format`.
pub fn render(
    format: ExportFormat,
    report: &Report<'_>,
    options: Options,
) -> Result<Vec<u8>, Error> {
    Ok(match format {
        ExportFormat::Csv => csv::export(report, options.bom)?,
        ExportFormat::Json => json::export(report)?.into_bytes(),
        ExportFormat::Markdown => markdown::export(report).into_bytes(),
        ExportFormat::Html => html::export(report).into_bytes(),
        ExportFormat::Ics => ics::export(report, options).into_bytes(),
        ExportFormat::Xlsx => xlsx::export(report)?,
        ExportFormat::Veris => veris::export(report)?.into_bytes(),
        ExportFormat::Stix => stix::export(report)?.into_bytes(),
    })
}

const EXTENSIONS: &str = ".csv, .json, .md, .html, .ics or .xlsx";

/// The format of an output file, by its extension (case-insensitive).
pub fn format_of(path: &Path) -> Option<ExportFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "csv" => ExportFormat::Csv,
        "json" => ExportFormat::Json,
        "md" | "markdown" => ExportFormat::Markdown,
        "html" | "htm" => ExportFormat::Html,
        "ics" | "ical" => ExportFormat::Ics,
        "xlsx" => ExportFormat::Xlsx,
        _ => return None,
    })
}

/// `--format` if given, else the format the `-o` extension names; then checks that the
/// format-specific switches fit it.
pub fn choose_format(
    format: Option<ExportFormat>,
    output: Option<&Path>,
    options: Options,
) -> Result<ExportFormat, Error> {
    let format = match (format, output) {
        (Some(f), _) => f,
        (None, Some(path)) => format_of(path).ok_or_else(|| {
            Error::Usage(format!(
                "cannot tell the export format from the name {}: give --format csv|json|markdown|html|ics|xlsx|veris|stix, or name the file {EXTENSIONS}",
                path.display()
            ))
        })?,
        (None, None) => {
            return Err(Error::Usage(format!(
                "say which format to export: --format csv|json|markdown|html|ics|xlsx|veris|stix, or -o FILE ending in {EXTENSIONS}"
            )))
        }
    };
    if options.bom && format != ExportFormat::Csv {
        return Err(Error::Usage(
            "--bom applies to CSV only (the other formats are read as UTF-8 without one)".into(),
        ));
    }
    if options.remind.is_some() && format != ExportFormat::Ics {
        return Err(Error::Usage(
            "--remind applies to iCalendar (.ics) only: reminders are a calendar's".into(),
        ));
    }
    if options.include_events && format != ExportFormat::Ics {
        return Err(Error::Usage(
            "--include-events applies to iCalendar (.ics) only: the other formats always include the events".into(),
        ));
    }
    Ok(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_names_the_format() {
        assert_eq!(
            format_of(Path::new("a/report.HTML")),
            Some(ExportFormat::Html)
        );
        assert_eq!(format_of(Path::new("r.md")), Some(ExportFormat::Markdown));
        assert_eq!(format_of(Path::new("r.ics")), Some(ExportFormat::Ics));
        assert_eq!(format_of(Path::new("r.txt")), None);
        assert_eq!(format_of(Path::new("csv")), None);
    }

    #[test]
    fn an_explicit_format_wins_over_the_extension() {
        let f = choose_format(
            Some(ExportFormat::Json),
            Some(Path::new("x.csv")),
            Options::default(),
        );
        assert_eq!(f.unwrap(), ExportFormat::Json);
    }

    #[test]
    fn unknown_or_missing_formats_are_usage_errors() {
        let e = choose_format(None, Some(Path::new("out.txt")), Options::default()).unwrap_err();
        assert!(e.to_string().contains("out.txt"), "{e}");
        let e = choose_format(None, None, Options::default()).unwrap_err();
        assert!(e.to_string().contains("--format"), "{e}");
    }

    #[test]
    fn format_specific_switches_are_checked() {
        let bom = Options {
            bom: true,
            include_events: false,
            remind: None,
        };
        assert!(choose_format(Some(ExportFormat::Csv), None, bom).is_ok());
        assert!(choose_format(Some(ExportFormat::Html), None, bom).is_err());
        let events = Options {
            bom: false,
            include_events: true,
            remind: None,
        };
        assert!(choose_format(None, Some(Path::new("d.ics")), events).is_ok());
        assert!(choose_format(Some(ExportFormat::Csv), None, events).is_err());
    }
}
