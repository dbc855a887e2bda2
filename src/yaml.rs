//! Reading and writing the YAML of incident files.
//!
//! This module and its children are the only ones that name a YAML crate. serde_yaml does the
//! parsing and is unmaintained upstream; keeping every call here makes swapping in a maintained
//! fork (serde_yaml_ng, serde_norway) a one-file change. saphyr-parser, a streaming parser,
//! serves what serde_yaml cannot: bounds checked before serde_yaml loads a document
//! ([`limits`]), and positions of values after it has parsed one ([`locate`]).

mod collect;
pub mod limits;
mod locate;

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::diagnostic::Location;
use crate::model::Incident;

pub use collect::Collected;
pub use locate::{locate, locate_all, locate_nearest_all};

/// Why a document did not parse into an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub location: Option<Location>,
    /// What to do about it, when the message alone does not say.
    pub help: Option<&'static str>,
}

impl From<limits::Exceeded> for ParseError {
    fn from(e: limits::Exceeded) -> Self {
        ParseError {
            message: e.message,
            location: Some(e.location),
            help: Some(e.help),
        }
    }
}

/// Parses one incident document.
pub fn parse_incident(src: &str) -> Result<Incident, ParseError> {
    // The pre-check's parse costs about half of serde_yaml's: skip it where it cannot matter.
    let checked = if limits::needed(src) {
        Some(limits::check(src).map_err(ParseError::from)?)
    } else {
        None
    };
    let several = || {
        ParseError {
        message: "the file holds more than one YAML document (a second `---`): put each incident in a file of its own".into(),
        location: second_document_marker(src),
        help: None,
    }
    };
    let mut documents = serde_yaml::Deserializer::from_str(src);
    let Some(first) = documents.next() else {
        return Err(ParseError {
            message: "the file holds no YAML document".into(),
            location: None,
            help: None,
        });
    };
    match Incident::deserialize(first) {
        // Only a first document read without error leaves serde_yaml at the start of the next
        // one. After an alias to an unknown anchor it stops mid-document, and what it yields
        // as the next "document" is the rest of this one, on which its deserializer panics
        // (`f: *u` did). After a syntax error it yields that error again as every further
        // document, endlessly: so look at one more document only.
        Ok(incident) => match documents.next() {
            None => Ok(incident),
            Some(second) => {
                IgnoredAny::deserialize(second).map_err(|e| from_yaml(src, e))?;
                Err(several())
            }
        },
        // Several documents are reported as such rather than as a complaint about the first
        // one's contents; the count comes from the pre-check's parse of the whole stream.
        Err(e) => {
            let stream = match checked {
                Some(stream) => stream,
                None => limits::check(src).map_err(ParseError::from)?,
            };
            if stream.complete && stream.documents > 1 {
                Err(several())
            } else {
                Err(from_yaml(src, e))
            }
        }
    }
}

/// Parses a rules file: the built-in library's and a team's rule packs (`*.rules.yaml`), with
/// the same bounds as an incident file.
pub fn parse_rules(src: &str) -> Result<crate::rule::RuleFile, ParseError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if limits::needed(src) {
        limits::check(src).map_err(ParseError::from)?;
    }
    let mut documents = serde_yaml::Deserializer::from_str(src);
    let Some(first) = documents.next() else {
        return Err(ParseError {
            message: "the file holds no YAML document".into(),
            location: None,
            help: Some("a rules file starts with `rules:` and lists rules under it"),
        });
    };
    crate::rule::RuleFile::deserialize(first).map_err(|e| from_yaml(src, e))
}

/// [`parse_incident`], with every problem of the document rather than the first alone (up to
/// `collect::MAX_ERRORS`), in the order found; `errors` is never empty on `Err`.
pub fn parse_incident_all(src: &str) -> Result<Incident, Collected> {
    parse_incident(src).map_err(|first| {
        if let Some(e) = not_a_mapping(src, &first) {
            return Collected {
                errors: vec![e],
                ..Collected::default()
            };
        }
        let mut found = collect::more_problems(src, &first);
        found.errors.insert(0, first);
        if let Some(e) = found.errors.iter().find_map(|e| not_a_mapping(src, e)) {
            // What else was found is about reading that value as an incident: noise.
            return Collected {
                errors: vec![e],
                ..Collected::default()
            };
        }
        found.errors = missing_together(found.errors);
        found
    })
}

/// A document that is not a mapping of keys at all (a text, a list, a number, or nothing after
/// `---`): one problem that says so, in place of serde's "invalid type: …, expected struct
/// Incident" and what follows from reading that value as an incident.
fn not_a_mapping(src: &str, e: &ParseError) -> Option<ParseError> {
    let found = e
        .message
        .strip_prefix("invalid type: ")?
        .strip_suffix(", expected struct Incident")?;
    let what = match found.split([' ', '`', '"']).next()? {
        "string" => "only text",
        "sequence" => "a list",
        "integer" | "floating" => "a number",
        "boolean" => "`true` or `false`",
        "unit" => "an empty document",
        _ => "a single value",
    };
    Some(ParseError {
        message: format!("the file holds {what}, not an incident: an incident is a mapping of keys, one `key: value` per line"),
        // Nothing after `---` is placed past the last line: there is nothing there to show.
        location: e.location.filter(|l| l.line <= src.lines().count()),
        help: Some("start with `format: 1`, then `id:`, `title:`, `organization:`, `service:`, `reviewed:` and `sources:` (docs/format.md); `breachline new FILE` writes a skeleton to fill in"),
    })
}

/// The keys missing from one mapping, as one problem: a file holding only `format: 1` lacks
/// six, and six messages at the same place would bury the rest.
fn missing_together(errors: Vec<ParseError>) -> Vec<ParseError> {
    let missing = |e: &ParseError| -> Option<(String, String)> {
        let (path, rest) = match e.message.split_once(": missing field `") {
            Some((path, rest)) => (format!("{path}: "), rest),
            None => (String::new(), e.message.strip_prefix("missing field `")?),
        };
        Some((path, rest.strip_suffix('`')?.to_owned()))
    };
    let mut out: Vec<ParseError> = Vec::new();
    // Beside each of `out`: the path and the keys of a "missing field" one.
    let mut keys: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for e in errors {
        if let Some((path, key)) = missing(&e) {
            let same = (0..out.len()).find(|&i| {
                out[i].location == e.location && keys[i].0.as_deref() == Some(path.as_str())
            });
            if let Some(i) = same {
                let (_, keys) = &mut keys[i];
                keys.push(key);
                let list = keys
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out[i].message = format!("{path}missing fields {list}");
                continue;
            }
            keys.push((Some(path), vec![key]));
        } else {
            keys.push((None, Vec::new()));
        }
        out.push(e);
    }
    out
}

/// Reads a YAML document as JSON data, for checking it against the JSON Schema.
///
/// YAML scalars map as serde_yaml reads them: `2025-04-10` stays a string, `42` is a number,
/// `~` and an empty value are null. The same bounds as [`parse_incident`] apply first.
pub fn to_json_value(src: &str) -> Result<serde_json::Value, ParseError> {
    // As the loader does: serde_yaml takes a byte-order mark for the start of a second document.
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if limits::needed(src) {
        limits::check(src).map_err(ParseError::from)?;
    }
    serde_yaml::from_str(src).map_err(|e| from_yaml(src, e))
}

/// Reads the first document into nothing, the way the check for a second document does.
/// For the fuzz target that looks for documents serde_yaml finds too deep but [`limits`] let
/// through: its nesting limit applies only after loading, too late to bound the time.
#[doc(hidden)]
pub fn skim(src: &str) -> Result<(), ParseError> {
    match serde_yaml::Deserializer::from_str(src).next() {
        Some(first) => IgnoredAny::deserialize(first)
            .map(drop)
            .map_err(|e| from_yaml(src, e)),
        None => Ok(()),
    }
}

/// Writes an incident as YAML that [`parse_incident`] reads back to the same incident.
pub fn to_string(incident: &Incident) -> Result<String, String> {
    serde_yaml::to_string(incident).map_err(|e| e.to_string())
}

fn from_yaml(src: &str, e: serde_yaml::Error) -> ParseError {
    let location = e.location().map(|l| Location {
        line: l.line(),
        column: l.column(),
    });
    let mut message = e.to_string();
    // serde_yaml appends the position to its message; we show it in the header instead.
    if let Some(l) = &location {
        let suffix = format!(" at line {} column {}", l.line, l.column);
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message = stripped.to_owned();
        }
    }
    // serde_yaml places a repeated key at the start of its mapping; point at the repeat.
    let location = match (message.strip_prefix("duplicate field `"), location) {
        (Some(rest), Some(map)) => {
            let key = rest.split('`').next().unwrap_or_default();
            repeated_key(src, map, key).or(location)
        }
        _ => location,
    };
    ParseError {
        message,
        location,
        help: None,
    }
}

/// The second `key:` at the indentation of the block mapping that starts at `map`.
fn repeated_key(src: &str, map: Location, key: &str) -> Option<Location> {
    let indent = map.column.checked_sub(1)?;
    let mut seen = 0;
    for (i, line) in src.lines().enumerate().skip(map.line - 1) {
        let body = line.get(indent..)?;
        if i + 1 > map.line
            && !line.trim().is_empty()
            && line.len() - line.trim_start().len() < indent
        {
            return None;
        }
        let key_here = body.strip_prefix("- ").unwrap_or(body);
        if key_here
            .strip_prefix(key)
            .is_some_and(|r| r.starts_with(':'))
        {
            seen += 1;
            if seen == 2 {
                return Some(Location {
                    line: i + 1,
                    column: indent + 1 + (body.len() - key_here.len()),
                });
            }
        }
    }
    None
}

/// The line of a `---` that starts a second document, for the "several documents" error.
fn second_document_marker(src: &str) -> Option<Location> {
    let mut seen_content = false;
    for (i, line) in src.lines().enumerate() {
        let starts_doc = line == "---" || line.starts_with("--- ");
        if starts_doc && seen_content {
            return Some(Location {
                line: i + 1,
                column: 1,
            });
        }
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') && !starts_doc {
            seen_content = true;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_to_an_unknown_anchor_is_an_error_not_a_panic() {
        // Found by fuzzing: serde_yaml stopped mid-document and panicked on what followed.
        for src in ["f: *u", "f: [*u, [a]]\n", "title: *u\nid: x\n"] {
            let err = parse_incident(src).unwrap_err();
            assert!(!err.message.contains("more than one"), "{src}: {err:?}");
        }
        let err = parse_incident("title: *u\n").unwrap_err();
        assert_eq!(err.message, "unknown anchor");
        assert_eq!(err.location, Some(Location { line: 1, column: 8 }));
    }

    #[test]
    fn a_second_document_after_a_broken_first_is_still_named() {
        let err = parse_incident("format: 1\n---\nformat: 1\n").unwrap_err();
        assert!(
            err.message.contains("more than one YAML document"),
            "{err:?}"
        );
        let err = parse_incident("format: 1\nid: x\n---\n: [\n").unwrap_err();
        assert!(
            !err.message.contains("more than one"),
            "a syntax error wins: {err:?}"
        );
    }

    #[test]
    fn the_keys_missing_from_one_mapping_are_one_problem() {
        let found = parse_incident_all("format: 1\nid: x\n").unwrap_err().errors;
        let messages: Vec<&str> = found.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            ["missing fields `title`, `organization`, `service`, `reviewed`, `sources`"]
        );
    }

    #[test]
    fn a_second_document_is_an_error_at_its_marker() {
        let err = parse_incident("format: 1\n---\nformat: 1\n").unwrap_err();
        assert!(
            err.message.contains("more than one YAML document"),
            "{err:?}"
        );
        assert_eq!(err.location, Some(Location { line: 2, column: 1 }));
    }
}
