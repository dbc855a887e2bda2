//! The file formats of `export`, listed once in [`ExportFormat`]: each is one file of `render/`
//! that formats a [`Report`], and the same file serves the terminal where the format has a
//! terminal view too.

use std::path::Path;

use clap::ValueEnum;

pub use super::report::{Options, Report};
use super::{csv, html, ics, json, markdown, stix, veris, xlsx};
use crate::error::Error;

/// A file format of `export`: the names `--format` takes, in the order help lists them.
///
/// A new format is its file in `render/`, a name here and its arm in [`ExportFormat::spec`]:
/// the match is exhaustive, so the compiler asks for the arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Markdown,
    Html,
    Ics,
    Xlsx,
    Veris,
    Stix,
}

/// How a format is written, and what names it.
pub struct Format {
    pub format: ExportFormat,
    /// The file name endings that name it (lower case), the first the one suggested.
    pub extensions: &'static [&'static str],
    pub write: fn(&Report<'_>, Options) -> Result<Vec<u8>, Error>,
}

impl ExportFormat {
    /// Every format `export` writes.
    pub fn all() -> &'static [ExportFormat] {
        ExportFormat::value_variants()
    }

    pub fn spec(self) -> Format {
        let (extensions, write): (&'static [&'static str], Writer) = match self {
            ExportFormat::Csv => (&["csv"], |r, o| csv::export(r, o.bom)),
            ExportFormat::Json => (&["json"], |r, _| Ok(json::export::export(r)?.into_bytes())),
            ExportFormat::Markdown => (&["md", "markdown"], |r, _| {
                Ok(markdown::export(r).into_bytes())
            }),
            ExportFormat::Html => (&["html", "htm"], |r, _| Ok(html::export(r).into_bytes())),
            ExportFormat::Ics => (&["ics", "ical"], |r, o| Ok(ics::export(r, o).into_bytes())),
            ExportFormat::Xlsx => (&["xlsx"], |r, _| xlsx::export(r)),
            ExportFormat::Veris => (&[], |r, _| Ok(veris::export(r)?.into_bytes())),
            ExportFormat::Stix => (&[], |r, _| Ok(stix::export(r)?.into_bytes())),
        };
        Format {
            format: self,
            extensions,
            write,
        }
    }
}

type Writer = fn(&Report<'_>, Options) -> Result<Vec<u8>, Error>;

fn formats() -> impl Iterator<Item = Format> {
    ExportFormat::all().iter().map(|f| f.spec())
}

/// Renders `report` in `format`.
pub fn render(
    format: ExportFormat,
    report: &Report<'_>,
    options: Options,
) -> Result<Vec<u8>, Error> {
    (format.spec().write)(report, options)
}

/// `.csv, .json, .md, .html or .ics`
fn extensions() -> String {
    let first: Vec<String> = formats()
        .filter_map(|f| f.extensions.first())
        .map(|e| format!(".{e}"))
        .collect();
    match first.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `csv|json|markdown|html|ics`
fn names() -> String {
    ExportFormat::all()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_owned())
        .collect::<Vec<_>>()
        .join("|")
}

/// The format of an output file, by its extension (case-insensitive).
pub fn format_of(path: &Path) -> Option<ExportFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    formats()
        .find(|f| f.extensions.contains(&ext.as_str()))
        .map(|f| f.format)
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
                "cannot tell the export format from the name {}: give --format {}, or name the file {}",
                path.display(),
                names(),
                extensions(),
            ))
        })?,
        (None, None) => {
            return Err(Error::Usage(format!(
                "say which format to export: --format {}, or -o FILE ending in {}",
                names(),
                extensions(),
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
        assert!(
            e.to_string().ends_with(
                "--format csv|json|markdown|html|ics|xlsx|veris|stix, or -o FILE ending in .csv, .json, .md, .html, .ics or .xlsx"
            ),
            "{e}"
        );
    }

    #[test]
    fn no_ending_names_two_formats() {
        for format in ExportFormat::all() {
            assert_eq!(format.spec().format, *format);
        }
        let mut endings: Vec<_> = formats().flat_map(|f| f.extensions.iter()).collect();
        let all = endings.len();
        endings.sort();
        endings.dedup();
        assert_eq!(endings.len(), all, "an ending names two formats");
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
