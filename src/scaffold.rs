//! `breachline new`: a commented skeleton incident file that validates as it is.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostic::Severity;
use crate::error::Error;
use crate::text::Text;

/// What goes into a skeleton.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skeleton {
    pub id: String,
    pub title: Option<String>,
    /// The `reviewed` day.
    pub today: NaiveDate,
    /// The schema modeline's target, relative to the new file, when one was found.
    pub schema: Option<String>,
}

const TITLE_PLACEHOLDER: &str = "TODO: what happened, in a line";

/// The file's text. Placeholders fill the required fields; the optional sections are shown as
/// commented examples, so the file validates before anything is filled in.
pub fn render(s: &Skeleton) -> String {
    let modeline = match &s.schema {
        Some(path) => format!("# yaml-language-server: $schema={path}\n"),
        None => "# Editor checks as you type: see `breachline schema --help` (docs/editors.md).\n"
            .to_owned(),
    };
    let title = s.title.as_deref().unwrap_or(TITLE_PLACEHOLDER);
    format!(
        "{modeline}\
# A breachline incident: replace each TODO, then run `breachline validate` on this file.
# Every fact should cite a source. Text fields take one string, or one per language:
#   title: {{en: Mail service breach, ja: メールサービスへの不正アクセス}}

# The version of this file format: always 1.
format: 1

# A short, stable name for the incident, unique among your incident files.
id: {id}

# What happened, in a line.
title: {title}

# The organisation that had the incident.
organization: \"TODO: organisation\"

# The affected service or system.
service: \"TODO: service\"

# Optional: a paragraph for readers who read nothing else.
# summary: >-
#   TODO

# The day the facts were last checked against the sources (YYYY-MM-DD).
reviewed: {today}

# Where the facts come from: press releases, advisories, reports. Replace [] with entries:
sources: []
#  - id: release-1
#    title: First press release
#    publisher: TODO
#    date: 2025-04-15                   # optional: the day it was published
#    url: https://example.com/release   # optional

# What happened when, in any order. Dates: YYYY-MM-DD, YYYY-MM when the day is unknown,
# or a date-time with offset (2025-04-10T09:30:00+09:00). kind: compromise, detection,
# notification, disclosure, advisory, investigation, containment, response or other.
events: []
#  - id: \"#1\"                           # quote ids that start with #
#    date: 2025-04-10
#    kind: detection
#    title: Unauthorised access detected
#    sources: [release-1]

# Optional: how many were affected, as published on a day. Leave a count out if unknown.
# Counts per unit (`counts: {{individuals: 1200, records: 4800}}`) and `categories` (kinds of
# data) are optional; a figure revised later becomes a list of figures, each with its as_of.
# impact:
#   potential: {{contracts: 100, accounts: 1000, as_of: 2025-04-15, sources: [release-1]}}
#   confirmed: {{contracts: 10, accounts: 100, as_of: 2025-04-22, sources: [release-1]}}

# Countermeasures announced. status: planned, in_progress, done (with `completed` or
# `completed_by`) or cancelled. `due` means by the end of that day.
remediation: []
#  - id: R1
#    title: Patch the mail gateway
#    function: protect                  # govern, identify, protect, detect, respond, recover
#    due: 2025-05-31
#    announced: 2025-04-15
#    status: planned
#    status_as_of: 2025-04-15           # the day a source last confirmed the status
#    sources: [release-1]

# Optional: reports owed to regulators, their deadlines computed from the timeline
# (docs/obligations.md lists the rules). status stays unknown until a source says.
# obligations:
#  - id: appi-final
#    title: Final report to the PPC (APPI)
#    rule: appi-final                   # or within: 72h, 30d, 4 business days, 1 month
#    starts_at: \"#1\"                    # the event (or date) that starts the clock
#    status: unknown
#    sources: [release-1]
",
        id = quoted(&s.id),
        title = quoted(title),
        today = s.today.format("%Y-%m-%d"),
    )
}

/// A YAML double-quoted scalar that reads back as `s` exactly. Control characters, line and
/// paragraph separators (line breaks to YAML 1.1 readers) and the byte-order mark are escaped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The skeleton for `file`, checked by the loader itself before anything is written: an id or
/// title that the format refuses is a usage error, not a broken file.
pub fn skeleton_for(
    file: &Path,
    id: Option<&str>,
    title: Option<&str>,
    today: NaiveDate,
) -> Result<String, Error> {
    let id = match id {
        Some(id) => id.to_owned(),
        None => file
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_owned)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "cannot take an id from the file name {}: give one with --id",
                    file.display()
                ))
            })?,
    };
    let text = render(&Skeleton {
        id: id.clone(),
        title: title.map(str::to_owned),
        today,
        schema: schema_near(file),
    });
    let incident = crate::yaml::parse_incident(&text).map_err(|e| {
        Error::Usage(format!(
            "cannot write this skeleton: {}{}",
            crate::sanitize::for_terminal(&e.message),
            if title.is_some() {
                " (check --id and --title)"
            } else {
                " (check --id)"
            }
        ))
    })?;
    let round_trip = incident.id.as_str() == id
        && title.is_none_or(|t| incident.title == Text::Plain(t.to_owned()));
    let valid = crate::validate::validate(&incident)
        .iter()
        .all(|f| f.severity != Severity::Error);
    if !round_trip || !valid {
        return Err(Error::Usage(
            "cannot write this skeleton: the id or title does not survive YAML; choose plainer text"
                .into(),
        ));
    }
    Ok(text)
}

/// Looks in the new file's directory and its parents for `docs/incident.schema.json` (as in
/// breachline's own repository) or `incident.schema.json`, for the editor modeline.
fn schema_near(file: &Path) -> Option<String> {
    let dir = directory_of(file);
    let dir = fs::canonicalize(&dir)
        .or_else(|_| std::path::absolute(&dir))
        .ok()?;
    for (up, ancestor) in dir.ancestors().enumerate() {
        for candidate in ["docs/incident.schema.json", "incident.schema.json"] {
            if ancestor.join(candidate).is_file() {
                return Some(format!("{}{candidate}", "../".repeat(up)));
            }
        }
    }
    None
}

fn directory_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Writes `text` to `path`, which must not exist yet: atomically, as exports are written
/// (a temporary file in the same directory, renamed into place only if nothing has appeared
/// there meanwhile). Missing directories are created first.
pub fn write_new(path: &Path, text: &str) -> Result<(), Error> {
    let exists = || Error::Exists {
        path: crate::load::display_path(path),
    };
    if path.symlink_metadata().is_ok() {
        return Err(exists());
    }
    fs::create_dir_all(directory_of(path)).map_err(|source| Error::Output {
        path: path.to_owned(),
        source,
    })?;
    crate::output::write_file(path, text.as_bytes(), false).map_err(|e| match e {
        Error::OutputExists { .. } => exists(),
        e => e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    #[test]
    fn the_skeleton_parses_and_validates_with_a_warning_per_placeholder() {
        let text = skeleton_for(Path::new("acme-2025.yaml"), None, None, day()).unwrap();
        let incident = crate::yaml::parse_incident(&text).unwrap();
        assert_eq!(incident.id.as_str(), "acme-2025");
        assert_eq!(incident.reviewed.to_string(), "2025-06-01");
        let findings = crate::validate::validate(&incident);
        let placed: Vec<String> = findings.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(placed, ["title", "organization", "service"]);
        assert!(findings.iter().all(|f| f.severity == Severity::Warning
            && f.message.starts_with(crate::validate::PLACEHOLDER)));
    }

    #[test]
    fn odd_ids_and_titles_are_quoted_so_that_they_read_back() {
        for (id, title) in [
            ("#1", "a: b # c"),
            ("yes", "\"quoted\" \\ back"),
            ("42", "line\u{2028}separator\u{7f}"),
            ("漏えい", "漏えい — 'x'"),
        ] {
            let text = skeleton_for(Path::new("x.yaml"), Some(id), Some(title), day()).unwrap();
            let incident = crate::yaml::parse_incident(&text).unwrap();
            assert_eq!(incident.id.as_str(), id);
            assert_eq!(incident.title, Text::Plain(title.to_owned()));
        }
    }

    #[test]
    fn an_id_the_format_refuses_is_a_usage_error() {
        let err = skeleton_for(Path::new("x.yaml"), Some(" "), None, day()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot write this skeleton: id: an id must not be empty or only spaces: give a short name such as R1 (check --id)"
        );
    }
}
