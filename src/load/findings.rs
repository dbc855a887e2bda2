//! The checks' findings placed in the file (the line and column of the value each is about),
//! and bounded: past [`MAX_PER_KIND`] of one kind, the rest are counted.

use foldhash::{HashMap, HashMapExt as _};

use super::Document;
use crate::diagnostic::{Anchor, Diagnostic, FieldPath, Location, Severity};
use crate::validate::Finding;
use crate::yaml;

/// Places the checks' findings in the file and adds them to `doc`, with where its id is. Past
/// [`MAX_PER_KIND`] of one kind the rest are counted, not listed; warnings are placed only when
/// `locate_warnings` (someone will see them).
pub(super) fn add_findings(
    doc: &mut Document,
    text: &str,
    findings: Vec<Finding>,
    locate_warnings: bool,
) {
    let display = doc.display.clone();
    let (findings, not_listed) = at_most_per_kind(findings, MAX_PER_KIND);
    let id_path = FieldPath::root().key("id");
    let wanted = |f: &crate::validate::Finding| locate_warnings || f.severity == Severity::Error;
    let mut paths: Vec<&FieldPath> = findings
        .iter()
        .filter(|f| wanted(f))
        .map(|f| &f.path)
        .collect();
    // Locating is a second parse of the whole file: a file with nothing to show but its id
    // (kept for the check of ids across files) is spared it when the id is where it usually
    // is, at the start of a line.
    let id_at = if paths.is_empty() {
        top_level_id(text)
    } else {
        None
    };
    if id_at.is_none() {
        paths.push(&id_path);
    }
    // A finding about a key left out points at the entry it is missing from.
    let mut located = if id_at.is_some() {
        Vec::new()
    } else {
        yaml::locate_nearest_all(text, &paths)
    };
    let id_location = id_at.or_else(|| located.pop().flatten());
    doc.id_anchor = id_location.map(|l| Anchor::new(text, l));
    let mut located = located.into_iter();
    let locations: Vec<Option<Location>> = findings
        .iter()
        .map(|f| {
            if wanted(f) {
                located.next().flatten()
            } else {
                None
            }
        })
        .collect();
    // Lines are split once: looking each up from the start would be quadratic in a generated
    // file with a warning on every entry. Only as far as the last one shown: none at all when
    // the findings are counted but not placed (`status` on a file with warnings).
    let last_line = locations
        .iter()
        .flatten()
        .map(|l| l.line)
        .max()
        .unwrap_or(0);
    let lines: Vec<&str> = text.lines().take(last_line).collect();
    let mut columns = Columns::default();
    for (finding, location) in findings.into_iter().zip(locations) {
        let mut d = Diagnostic::error(&display, finding.message);
        d.severity = finding.severity;
        d.help = finding.help;
        if let Some(location) = location {
            match location.line.checked_sub(1).and_then(|i| lines.get(i)) {
                Some(line) => {
                    let (byte, bracket) = columns.byte_of(line, location);
                    d = d.at_line_byte(line, byte, bracket, location);
                }
                None => d = d.at_line(None, location),
            }
        }
        doc.diagnostics.push(d);
    }
    for (severity, count, example) in not_listed {
        if severity == Severity::Warning {
            doc.warnings_not_listed += count;
        } else {
            doc.errors_not_listed += count;
        }
        let mut d = Diagnostic::error(
            &display,
            format!(
                "{NOT_LISTED} {count} more {} like this one: {example}",
                if severity == Severity::Warning {
                    "warnings"
                } else {
                    "errors"
                }
            ),
        );
        d.severity = severity;
        doc.diagnostics.push(d);
    }
}

/// Read top to bottom, like the file; unlocated ones last.
pub(super) fn sort_by_place(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
}

/// Where the value of the top-level `id` is, when its key starts a line (`id: x`) and the
/// value follows on the same line: what [`yaml::locate`] finds there, without a parse. In a
/// block mapping at the top level only a top-level key starts at the first column: values
/// continued over several lines, block scalars and nested keys are indented.
pub(super) fn top_level_id(text: &str) -> Option<Location> {
    // A flow mapping at the top (`{id: x, ...}`) or a document marker: leave it to the parser.
    let first = text
        .lines()
        .map(str::trim_end)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    if first.starts_with(['{', '[', '%', '-', '?', '&', '!', '*', '"', '\'', '|', '>']) {
        return None;
    }
    let (number, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("id:"))?;
    let after = &line[3..];
    let value = after.trim_start_matches(' ');
    if value.is_empty() || value.starts_with('#') || after.len() == value.len() {
        return None;
    }
    Some(Location {
        line: number + 1,
        column: line.len() - value.len() + 1,
    })
}

/// Diagnostics of one kind listed per file; past it, the rest are counted in one line. A
/// generated file with a problem on each of 100,000 entries says so in a screenful, and its
/// output stays in proportion to its size.
pub const MAX_PER_KIND: usize = 100;

/// How the summary of the diagnostics not listed begins.
pub(super) const NOT_LISTED: &str = "not listed:";

/// A message with what it quotes (`...`) and its numbers taken out: findings of one kind about
/// different entries have the same.
fn kind_of_message(message: &str) -> String {
    let mut kind = String::with_capacity(message.len().min(200));
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 0 {
            kind.extend(part.chars().filter(|c| !c.is_ascii_digit()));
        } else {
            kind.push('_');
        }
    }
    kind
}

/// Keeps the first `max` findings of each kind, in order; counts the rest by kind, with the
/// first message of each (cut to a line) as its example.
fn at_most_per_kind(
    findings: Vec<crate::validate::Finding>,
    max: usize,
) -> (
    Vec<crate::validate::Finding>,
    Vec<(Severity, usize, String)>,
) {
    if findings.len() <= max {
        return (findings, Vec::new());
    }
    // Keyed by whether it is an error, and its kind.
    let mut seen: HashMap<(bool, String), usize> = HashMap::new();
    let mut not_listed: Vec<(Severity, usize, String)> = Vec::new();
    let mut where_listed: HashMap<(bool, String), usize> = HashMap::new();
    let mut kept = Vec::with_capacity(findings.len().min(16 * max));
    for f in findings {
        let key = (f.severity == Severity::Error, kind_of_message(&f.message));
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        if *n <= max {
            kept.push(f);
        } else if let Some(&at) = where_listed.get(&key) {
            not_listed[at].1 += 1;
        } else {
            where_listed.insert(key, not_listed.len());
            let example: String = f.message.chars().take(160).collect();
            not_listed.push((f.severity, 1, example));
        }
    }
    (kept, not_listed)
}

/// Byte offsets of columns, for lines that hold many diagnostics: each line's characters are
/// counted once, not once per diagnostic.
#[derive(Default)]
struct Columns {
    line: usize,
    /// Byte offset of each character of that line, unless it is ASCII.
    offsets: Option<Vec<usize>>,
    bracket: Option<usize>,
}

impl Columns {
    fn byte_of(&mut self, text: &str, location: Location) -> (usize, Option<usize>) {
        if self.line != location.line {
            self.line = location.line;
            self.offsets =
                (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
            self.bracket = crate::diagnostic::first_bracket(text);
        }
        let index = location.column.saturating_sub(1);
        let byte = match &self.offsets {
            None => index.min(text.len()),
            Some(offsets) => offsets.get(index).copied().unwrap_or(text.len()),
        };
        (byte, self.bracket)
    }
}
