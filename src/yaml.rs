//! The only module that names `serde_yaml`.
//!
//! serde_yaml is unmaintained upstream; keeping every call here makes swapping in a maintained
//! fork (serde_yaml_ng, serde_norway) a one-file change.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::diagnostic::{FieldPath, Location, Segment};
use crate::model::Incident;

/// Why a document did not parse into an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub location: Option<Location>,
}

/// Parses one incident document.
pub fn parse_incident(src: &str) -> Result<Incident, ParseError> {
    let mut documents = serde_yaml::Deserializer::from_str(src);
    let Some(first) = documents.next() else {
        return Err(ParseError {
            message: "the file holds no YAML document".into(),
            location: None,
        });
    };
    // Several documents are refused before the first is read, so that the error says so rather
    // than complaining about the first document's contents. After a syntax error serde_yaml
    // yields that error again as every further "document", endlessly: so look at one more
    // document only, and report a syntax error as what it is.
    if let Some(second) = documents.next() {
        IgnoredAny::deserialize(second).map_err(|e| from_yaml(src, e))?;
        return Err(ParseError {
            message: "the file holds more than one YAML document (a second `---`): put each incident in a file of its own".into(),
            location: second_document_marker(src),
        });
    }
    let incident = Incident::deserialize(first).map_err(|e| from_yaml(src, e))?;
    Ok(incident)
}

/// Reads a YAML document as JSON data, for checking it against the JSON Schema.
///
/// YAML scalars map as serde_yaml reads them: `2025-04-10` stays a string, `42` is a number,
/// `~` and an empty value are null.
pub fn to_json_value(src: &str) -> Result<serde_json::Value, ParseError> {
    serde_yaml::from_str(src).map_err(|e| from_yaml(src, e))
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
    ParseError { message, location }
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

/// Finds where the value at `path` is written, by parsing again and stopping there.
///
/// serde_yaml keeps no positions after parsing, but an error raised while visiting a scalar
/// carries one. So we walk to `path`, fail on purpose, and read the position off that error.
/// It costs a parse of the file up to that point, so callers use it only for diagnostics.
pub fn locate(src: &str, path: &FieldPath) -> Option<Location> {
    let seek = Seek {
        path: path.segments(),
    };
    match seek.deserialize(serde_yaml::Deserializer::from_str(src)) {
        Err(e)
            if e.to_string().starts_with(HERE) || e.to_string().contains(&format!(": {HERE}")) =>
        {
            e.location().map(|l| Location {
                line: l.line(),
                column: l.column(),
            })
        }
        _ => None,
    }
}

const HERE: &str = "breachline-locate-target";

struct Seek<'p> {
    path: &'p [Segment],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.path.split_first() {
            None => d.deserialize_any(Here),
            Some((Segment::Key(key), rest)) => d.deserialize_map(SeekKey { key, rest }),
            Some((Segment::Index(index), rest)) => d.deserialize_seq(SeekIndex {
                index: *index,
                rest,
            }),
        }
    }
}

struct SeekKey<'p> {
    key: &'p str,
    rest: &'p [Segment],
}

impl<'de> Visitor<'de> for SeekKey<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<KeyName>()? {
            if key.0.as_deref() == Some(self.key) {
                return map.next_value_seed(Seek { path: self.rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

struct SeekIndex<'p> {
    index: usize,
    rest: &'p [Segment],
}

impl<'de> Visitor<'de> for SeekIndex<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for _ in 0..self.index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek { path: self.rest })?;
        Ok(())
    }
}

/// A mapping key, or `None` for keys that are not strings.
struct KeyName(Option<String>);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyName;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyName, E> {
                Ok(KeyName(Some(v.to_owned())))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<KeyName, E> {
                Ok(KeyName(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<KeyName, E> {
                Ok(KeyName(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<KeyName, E> {
                Ok(KeyName(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyName, E> {
                Ok(KeyName(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Fails on whatever it is given, so that serde_yaml records where that was.
struct Here;

impl<'de> Visitor<'de> for Here {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("anything")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(HERE))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(HERE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        "a: 1\nlist:\n  - id: x\n    when: 2025-01-01\n  - {id: y, when: 2025-02-02}\nname: 名前\n";

    fn at(path: FieldPath) -> Option<(usize, usize)> {
        locate(DOC, &path).map(|l| (l.line, l.column))
    }

    #[test]
    fn locates_scalars_in_block_and_flow_collections() {
        assert_eq!(at(FieldPath::root().key("a")), Some((1, 4)));
        assert_eq!(
            at(FieldPath::root().key("list").index(0).key("when")),
            Some((4, 11))
        );
        assert_eq!(
            at(FieldPath::root().key("list").index(1).key("when")),
            Some((5, 19))
        );
        assert_eq!(at(FieldPath::root().key("name")), Some((6, 7)));
    }

    #[test]
    fn a_missing_path_has_no_location() {
        assert_eq!(at(FieldPath::root().key("nope")), None);
        assert_eq!(at(FieldPath::root().key("list").index(5).key("id")), None);
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
