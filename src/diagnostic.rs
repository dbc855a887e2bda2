//! Problems found in input files, and where they are.

use std::fmt;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;
use smallvec::SmallVec;
use unicode_width::UnicodeWidthChar;

/// A position in a file: line and column from 1; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// A path to a value inside an incident document, such as `events[2].until`.
// Validation makes a path for every entry it looks at, most of them never shown: held inline,
// the path of an entry costs no allocation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(SmallVec<[Segment; 6]>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(&'static str),
    Index(usize),
}

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(SmallVec::new())
    }

    pub fn key(mut self, key: &'static str) -> Self {
        self.0.push(Segment::Key(key));
        self
    }

    pub fn index(mut self, index: usize) -> Self {
        self.0.push(Segment::Index(index));
        self
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// The line a diagnostic points into, kept so that it can be shown without the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub number: usize,
    pub text: String,
    /// Byte range within `text` to underline.
    pub span: std::ops::Range<usize>,
    /// `text` is a window of a long line, not all of it.
    pub cut: bool,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Background, such as the YAML parser's own words when the message translates them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub source_line: Option<SourceLine>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            location: None,
            message: message.into(),
            help: None,
            note: None,
            source_line: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points the diagnostic at `location` in `src`, keeping the offending line.
    pub fn at(self, src: &str, location: Location) -> Self {
        self.anchored(Anchor::new(src, location))
    }

    pub fn anchored(mut self, anchor: Anchor) -> Self {
        self.location = Some(anchor.location);
        self.source_line = anchor.line;
        self
    }

    /// [`Diagnostic::at`] given the line of `location` (`None` if the file has no such line),
    /// for placing many diagnostics in one file without reading it from the top for each.
    pub fn at_line(mut self, line: Option<&str>, location: Location) -> Self {
        self.location = Some(location);
        self.source_line = line.and_then(|text| token_in_line(text, location));
        self
    }

    /// [`Diagnostic::at_line`] given also the byte of `line` where `location`'s column is and
    /// [`first_bracket`] of `line`, so that many diagnostics on one long line do not each read
    /// it through.
    pub fn at_line_byte(
        mut self,
        line: &str,
        byte: usize,
        bracket: Option<usize>,
        location: Location,
    ) -> Self {
        self.location = Some(location);
        self.source_line = Some(token_at(line, byte, bracket, location.line));
        self
    }
}

/// A position with its line cut out of the file, so that a diagnostic can point there later
/// without keeping the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub location: Location,
    pub line: Option<SourceLine>,
}

impl Anchor {
    pub fn new(src: &str, location: Location) -> Self {
        Anchor {
            location,
            line: source_line(src, location),
        }
    }
}

/// Cuts the line of `location` out of `src` and finds the token that starts at its column.
fn source_line(src: &str, location: Location) -> Option<SourceLine> {
    token_in_line(src.lines().nth(location.line.checked_sub(1)?)?, location)
}

/// Finds the token that starts at the column of `location` in `text`, its line.
fn token_in_line(text: &str, location: Location) -> Option<SourceLine> {
    let start = text
        .char_indices()
        .nth(location.column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    Some(token_at(text, start, first_bracket(text), location.line))
}

/// Where the first `[` or `{` of a line is: a token after it is inside a flow collection.
pub fn first_bracket(line: &str) -> Option<usize> {
    line.find(['[', '{'])
}

/// Lines up to this long are shown whole.
const WHOLE: usize = 160;

/// Bytes of the line shown before the marked token, and at most of the token and after it.
/// A diagnostic shows a window of its line, never the whole of it: a generated file may hold
/// thousands of findings on one line of a megabyte, and copying the line for each made time,
/// memory and output grow with the square of the file (issue 12).
const BEFORE: usize = 40;
const TOKEN: usize = 80;
const AFTER: usize = 20;

/// The largest char boundary of `s` at or below `at`.
fn floor_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The token that starts at byte `start` of `text` (line `number`), in a window of the line;
/// `bracket` is [`first_bracket`] of the line.
fn token_at(text: &str, start: usize, bracket: Option<usize>, number: usize) -> SourceLine {
    let mut start = floor_boundary(text, start);
    // The parser may point at the blank before a value (`id: #1` reads as an empty value).
    start += text[start..].len() - text[start..].trim_start().len();
    let rest = &text[start..];
    let in_flow = bracket.is_some_and(|b| b < start);
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |end| end + 2),
        // A list or mapping written inline: mark it to its closing bracket if that is near on
        // this line, else the opening bracket alone (a long marker hides where it starts).
        Some('[' | '{') => inline_collection_len(rest)
            .filter(|&n| n <= 60)
            .unwrap_or(1),
        Some(_) if in_flow => rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
            .unwrap_or(rest.len()),
        Some(_) => {
            // A plain scalar in block style runs to the end of the line or a comment, but a
            // key ends at its colon: `tittle:` marks `tittle`.
            let value = rest.split(" #").next().unwrap_or(rest).trim_end();
            match value.find(": ") {
                Some(colon) => colon,
                None => value.strip_suffix(':').map_or(value.len(), str::len),
            }
        }
        None => 0,
    };
    let len = if len == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    let end = start + len;
    if text.len() <= WHOLE {
        return SourceLine {
            number,
            text: text.to_owned(),
            span: start..end,
            cut: false,
        };
    }
    let from = floor_boundary(text, start.saturating_sub(BEFORE));
    let marked_end = floor_boundary(text, end.min(start + TOKEN)).max(
        // At least the token's first character.
        start + rest.chars().next().map_or(0, char::len_utf8),
    );
    let to = floor_boundary(text, marked_end + AFTER);
    let mut shown = String::with_capacity(to - from + 6);
    if from > 0 {
        shown.push('…');
    }
    let offset = shown.len();
    shown.push_str(&text[from..to]);
    if to < text.len() {
        shown.push('…');
    }
    SourceLine {
        number,
        text: shown,
        span: offset + start - from..offset + marked_end - from,
        cut: true,
    }
}

/// The length in bytes of the flow collection that starts `s`, if it closes on this line.
fn inline_collection_len(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where `span` of `text` lies once `text` is escaped for the terminal (`shown_len` bytes):
/// escaping may lengthen the line, and the marker stays under the same characters. Escaping is
/// character by character, so the escaped prefix is the prefix of the escaped line. A span off
/// the characters' boundaries marks the first character: annotate-snippets panics on one that
/// cuts a character (found by fuzzing: a wide character followed by carriage returns).
fn escaped_span(
    text: &str,
    span: std::ops::Range<usize>,
    shown_len: usize,
) -> std::ops::Range<usize> {
    use crate::sanitize::for_terminal;
    if shown_len == text.len() && text.get(span.clone()).is_some() {
        return span;
    }
    match (text.get(..span.start), text.get(span.clone())) {
        (Some(before), Some(inside)) => {
            let start = for_terminal(before).len();
            start..start + for_terminal(inside).len()
        }
        _ => {
            let first = for_terminal(text).chars().next().map_or(0, char::len_utf8);
            0..first.min(shown_len)
        }
    }
}

/// Renders diagnostics the way compilers do: a header, the file position, the line, a marker.
pub fn render(diagnostics: &[Diagnostic], styled: bool) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        // Messages, helps and file names quote the input: escape it for the terminal.
        let message = crate::sanitize::for_terminal(&d.message);
        let help = d.help.as_deref().map(crate::sanitize::for_terminal);
        let note = d.note.as_deref().map(crate::sanitize::for_terminal);
        let file = crate::sanitize::for_terminal(&d.file);
        let title = level.primary_title(message.as_ref());
        let rendered = match (&d.source_line, d.location) {
            (Some(line), Some(l)) if line.cut => {
                // annotate-snippets would give the column within the window: lay it out here,
                // as it does, with the real column.
                let head = renderer.render(&[annotate_snippets::Group::with_title(title)]);
                cut_line(&head, &file, line, l, help.as_deref())
            }
            (Some(line), Some(_)) => {
                let shown = crate::sanitize::for_terminal(&line.text);
                let span = escaped_span(&line.text, line.span.clone(), shown.len());
                let mut group = title.element(
                    Snippet::source(shown.as_ref())
                        .line_start(line.number)
                        .path(file.as_ref())
                        .annotation(AnnotationKind::Primary.span(span)),
                );
                if let Some(help) = &help {
                    group = group.element(Level::HELP.message(help.as_ref()));
                }
                if let Some(note) = &note {
                    group = group.element(Level::NOTE.message(note.as_ref()));
                }
                renderer.render(&[group])
            }
            _ => {
                let origin = match d.location {
                    Some(l) => format!("{file}:{}:{}", l.line, l.column),
                    None => file.clone().into_owned(),
                };
                let mut group = title.element(annotate_snippets::Origin::path(origin));
                if let Some(help) = &help {
                    group = group.element(Level::HELP.message(help.as_ref()));
                }
                if let Some(note) = &note {
                    group = group.element(Level::NOTE.message(note.as_ref()));
                }
                renderer.render(&[group])
            }
        };
        out.push_str(&rendered);
        out.push_str("\n\n");
    }
    out
}

/// A diagnostic on a window of a long line, laid out as annotate-snippets lays out the others.
fn cut_line(head: &str, file: &str, line: &SourceLine, at: Location, help: Option<&str>) -> String {
    let shown = crate::sanitize::for_terminal(&line.text);
    let (before, marked) = if shown.len() == line.text.len() {
        (&line.text[..line.span.start], &line.text[line.span.clone()])
    } else {
        ("", shown.get(..1).unwrap_or(""))
    };
    let number = line.number.to_string();
    let pad = " ".repeat(number.len());
    let mut out = format!(
        "{head}\n{pad}--> {file}:{}:{}\n{pad} |\n{number} | {shown}\n{pad} | {}{}",
        at.line,
        at.column,
        " ".repeat(display_width(before)),
        "^".repeat(display_width(marked).max(1)),
    );
    if let Some(help) = help {
        out.push_str(&format!("\n{pad} |\n{pad} = help: {help}"));
    }
    out
}

/// Display width of `s` in terminal columns (wide East Asian characters count two).
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_stays_under_its_characters_once_the_line_is_escaped() {
        use crate::sanitize::for_terminal;
        // `b` and `cd` are bytes 2..3 and 3..5 before escaping; ESC grows to `\u{1b}`.
        let text = "a\u{1b}bcd";
        let shown = for_terminal(text);
        let span = escaped_span(text, 3..5, shown.len());
        assert_eq!(&shown[span], "cd");
        let span = escaped_span(text, 1..3, shown.len());
        assert_eq!(&shown[span], "\\u{1b}b");
        // Unchanged text keeps its span.
        assert_eq!(escaped_span("abc", 1..2, 3), 1..2);
        // A span cutting a character marks the first one whole (annotate-snippets would panic).
        let text = "Т\r'a";
        let shown = for_terminal(text);
        assert_eq!(&shown[escaped_span(text, 0..1, shown.len())], "Т");
        assert_eq!(&"Тx"[escaped_span("Тx", 1..2, 3)], "Т");
    }

    #[test]
    fn paths_read_like_yaml_paths() {
        let p = FieldPath::root().key("events").index(2).key("until");
        assert_eq!(p.to_string(), "events[2].until");
    }

    #[test]
    fn the_marker_covers_the_token_at_the_column() {
        let src = "a: 1\n  until: 2025-04-01 # end\n  title: \"quoted, text\"\n  date: 10 April 2025\n  - {id: x, date: 2025-01-01}\n";
        let l = source_line(
            src,
            Location {
                line: 2,
                column: 10,
            },
        )
        .unwrap();
        assert_eq!(&l.text[l.span.clone()], "2025-04-01");
        let q = source_line(
            src,
            Location {
                line: 3,
                column: 10,
            },
        )
        .unwrap();
        assert_eq!(&q.text[q.span.clone()], "\"quoted, text\"");
        let words = source_line(src, Location { line: 4, column: 9 }).unwrap();
        assert_eq!(&words.text[words.span.clone()], "10 April 2025");
        let flow = source_line(src, Location { line: 5, column: 9 }).unwrap();
        assert_eq!(&flow.text[flow.span.clone()], "x");
        let key = source_line("tittle: x\n", Location { line: 1, column: 1 }).unwrap();
        assert_eq!(&key.text[key.span.clone()], "tittle");
        let list =
            source_line("a: [x, \"]\", [y]] # c\n", Location { line: 1, column: 4 }).unwrap();
        assert_eq!(&list.text[list.span.clone()], "[x, \"]\", [y]]");
        let open = source_line("a: [[[x\n", Location { line: 1, column: 4 }).unwrap();
        assert_eq!(&open.text[open.span.clone()], "[");
    }

    #[test]
    fn the_marker_counts_columns_in_characters_not_bytes() {
        let src = "title: 漏えい: x\n";
        let l = source_line(
            src,
            Location {
                line: 1,
                column: 13,
            },
        )
        .unwrap();
        assert_eq!(&l.text[l.span.clone()], "x");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_marker() {
        let line = format!("a: [{}x, y]", "s1, ".repeat(10_000));
        let column = line.len() - 4;
        let l = source_line(&line, Location { line: 1, column }).unwrap();
        assert!(
            l.text.len() < BEFORE + TOKEN + AFTER + 8,
            "{}",
            l.text.len()
        );
        assert!(
            l.text.starts_with('…') && !l.text.ends_with('…'),
            "{}",
            l.text
        );
        assert_eq!(&l.text[l.span.clone()], "x");
        let long = format!("title: {}", "漏".repeat(100_000));
        let l = source_line(&long, Location { line: 1, column: 8 }).unwrap();
        assert!(
            l.text.len() < BEFORE + TOKEN + AFTER + 8,
            "{}",
            l.text.len()
        );
        assert!(l.text.starts_with("title: 漏") && l.text.ends_with('…'));
        assert!(l.text.is_char_boundary(l.span.end) && l.span.len() <= TOKEN);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(display_width("漏えい"), 6);
        assert_eq!(display_width("abc"), 3);
    }
}
