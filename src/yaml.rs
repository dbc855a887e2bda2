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

/// Where the values at `paths` are written: [`locate`] for many paths in one reading of `src`.
///
/// `locate` parses the file up to its path each time: a file with a warning on each of its
/// 20,000 entries would be parsed 20,000 times. This walks the YAML events once (with
/// saphyr-parser, which keeps every position) and gives the same answers: a test compares the
/// two on every value of every test file. The few kinds of node the two parsers place
/// differently are asked of `locate`, and so is every path in a document with aliases, tags or
/// complex keys, which serde_yaml reads its own way.
pub fn locate_all(src: &str, paths: &[&FieldPath]) -> Vec<Option<Location>> {
    if paths.is_empty() {
        return Vec::new();
    }
    match scan(src, paths) {
        Some(found) => found,
        None => paths.iter().map(|p| locate(src, p)).collect(),
    }
}

/// `None` when the document holds something only serde_yaml's own reading can place.
fn scan(src: &str, paths: &[&FieldPath]) -> Option<Vec<Option<Location>>> {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    use std::collections::HashMap;

    let mut wanted: HashMap<&[Segment], Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        wanted.entry(p.segments()).or_default().push(i);
    }
    // Document keys are compared with the keys asked for; any other key cannot lead to a match.
    let mut keys: Vec<&'static str> = paths
        .iter()
        .flat_map(|p| p.segments())
        .filter_map(|s| match s {
            Segment::Key(k) => Some(*k),
            Segment::Index(_) => None,
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    /// How a node is reached from its parent: a step on a path asked for, or not.
    #[derive(Clone, Copy, PartialEq)]
    enum Step {
        Root,
        Live,
        Dead,
    }
    enum Frame {
        /// The key whose value comes next: `None` while a key is awaited, `Some(None)` for a key
        /// that is not asked for.
        Map(Option<Option<Segment>>, Step),
        Seq(usize, Step),
    }
    let mut found = vec![None; paths.len()];
    let mut uncertain_at = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // The path of the node being read, and how many of its steps can match nothing.
    let mut path: Vec<Segment> = Vec::new();
    let mut dead = 0usize;
    let mut in_document = false;
    let mut parser = Parser::new_from_str(src);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.ok()?;
        match event {
            Event::DocumentStart(_) if in_document => break,
            Event::DocumentStart(_) => in_document = true,
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Alias(_)
            | Event::Scalar(_, _, _, Some(_))
            | Event::MappingStart(_, Some(_))
            | Event::SequenceStart(_, Some(_)) => return None,
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(Frame::Map(_, step) | Frame::Seq(_, step)) = stack.pop() else {
                    return None;
                };
                match step {
                    Step::Live => {
                        path.pop();
                    }
                    Step::Dead => dead -= 1,
                    Step::Root => {}
                }
            }
            Event::Scalar(..) | Event::MappingStart(..) | Event::SequenceStart(..) => {
                let step = match stack.last_mut() {
                    None => Step::Root,
                    Some(Frame::Map(key @ None, _)) => {
                        // A key: remember it for the value that follows.
                        let Event::Scalar(text, ..) = &event else {
                            return None;
                        };
                        let text: &str = text;
                        *key = Some(keys.iter().find(|k| **k == text).map(|k| Segment::Key(k)));
                        continue;
                    }
                    Some(Frame::Map(key @ Some(_), _)) => match key.take().flatten() {
                        Some(segment) => {
                            path.push(segment);
                            Step::Live
                        }
                        None => Step::Dead,
                    },
                    Some(Frame::Seq(next, _)) => {
                        path.push(Segment::Index(*next));
                        *next += 1;
                        Step::Live
                    }
                };
                if step == Step::Dead {
                    dead += 1;
                }
                if dead == 0 {
                    if let Some(indices) = wanted.get(path.as_slice()) {
                        // Where the two parsers place a node differently, ask serde_yaml: a block
                        // scalar (at its `|` or `>`, not its text), an empty value (after the
                        // `:`, not at it), a sequence (at its first `-`, even when not indented).
                        let uncertain = match &event {
                            Event::Scalar(_, ScalarStyle::Literal | ScalarStyle::Folded, ..) => {
                                true
                            }
                            Event::Scalar(text, ScalarStyle::Plain, ..) => text.is_empty(),
                            Event::SequenceStart(..) => true,
                            _ => false,
                        };
                        for &i in indices {
                            if found[i].is_none() {
                                found[i] = Some(Location {
                                    line: span.start.line(),
                                    column: span.start.col() + 1,
                                });
                                if uncertain {
                                    uncertain_at.push(i);
                                }
                            }
                        }
                    }
                }
                match event {
                    Event::MappingStart(..) => stack.push(Frame::Map(None, step)),
                    Event::SequenceStart(..) => stack.push(Frame::Seq(0, step)),
                    _ => match step {
                        Step::Live => {
                            path.pop();
                        }
                        Step::Dead => dead -= 1,
                        Step::Root => {}
                    },
                }
            }
            Event::StreamStart | Event::Nothing => {}
        }
    }
    for i in uncertain_at {
        found[i] = paths.get(i).and_then(|p| locate(src, p));
    }
    Some(found)
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

    /// Every value's path in `src` (keys leaked: `FieldPath` keys are static).
    fn every_path(src: &str) -> Vec<FieldPath> {
        fn walk(v: &serde_yaml::Value, at: FieldPath, out: &mut Vec<FieldPath>) {
            out.push(at.clone());
            match v {
                serde_yaml::Value::Mapping(m) => {
                    for (k, v) in m {
                        if let Some(k) = k.as_str() {
                            let k: &'static str = Box::leak(k.to_owned().into_boxed_str());
                            walk(v, at.clone().key(k), out);
                        }
                    }
                }
                serde_yaml::Value::Sequence(s) => {
                    for (i, v) in s.iter().enumerate() {
                        walk(v, at.clone().index(i), out);
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Some(doc) = serde_yaml::Deserializer::from_str(src).next() {
            if let Ok(v) = serde_yaml::Value::deserialize(doc) {
                walk(&v, FieldPath::root(), &mut out);
            }
        }
        // Paths that lead nowhere, too.
        out.push(FieldPath::root().key("events").index(999).key("id"));
        out.push(FieldPath::root().key("title").index(0));
        out.push(FieldPath::root().key("nope"));
        out
    }

    fn same_as_locate(src: &str) -> usize {
        let paths = every_path(src);
        let refs: Vec<&FieldPath> = paths.iter().collect();
        let one_by_one: Vec<_> = paths.iter().map(|p| locate(src, p)).collect();
        let all = locate_all(src, &refs);
        let differ: Vec<String> = paths
            .iter()
            .zip(all.iter().zip(&one_by_one))
            .filter(|(_, (a, b))| a != b)
            .map(|(p, (a, b))| format!("{p}: {a:?}, locate says {b:?}"))
            .collect();
        assert!(differ.is_empty(), "{}\nin\n{src}", differ.join("\n"));
        one_by_one.iter().flatten().count()
    }

    #[test]
    fn locate_all_places_every_value_of_every_test_file_as_locate_does() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut files = vec![format!("{root}/incidents/secure-mx-2025.yaml")];
        for dir in [
            "tests/fixtures",
            "tests/fixtures/valid",
            "tests/fixtures/invalid",
        ] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    files.push(path.display().to_string());
                }
            }
        }
        let mut located = 0;
        for file in &files {
            if let Ok(src) = std::fs::read_to_string(file) {
                located += same_as_locate(&src);
            }
        }
        assert!(
            files.len() > 30 && located > 1000,
            "{} files, {located} values",
            files.len()
        );
    }

    #[test]
    fn locate_all_agrees_on_awkward_yaml() {
        for src in [
            DOC,
            "# comment\n---\nkey: value\n...\n",
            "a: |\n  block\n  text\nb: >-\n  folded\nc: 'single'\nd: \"double\"\n",
            "\"a\": 1\n'list': [1, {x: 2, y: [3, 4]}, [5]]\n",
            "a:\n- 1\n- - 2\n  - 3\n- k: v\n  l: w\n",
            "名前: 値\nlist: [漏えい, {鍵: 全角}]\nafter: x\n",
            "a: &anchor {x: 1}\nb: *anchor\n",
            "? complex\n: value\nafter: 1\n",
            "a: 1\n---\nb: 2\n",
            "a: !tagged 1\nb: !!str 2\n",
            "a:\nb:\n  -\n  - x\n",
            "events:\n- id: x\n  date: 2025-01-01\n- id: y\n  sources: [s1, s2]\n",
            "a: 1\r\nb:\r\n  - x\r\n  - {k: v}\r\nc: d\r\n",
            "a: # comment\n  b: 1\n# between\nc:\n  # inside\n  - d\n",
            "flow: {a: 1,\n  b: [x,\n    y], c: 全角の文字列, d: z}\n",
            "\"quoted\\\"key\": 1\nplain key: 2\nid: 'it''s'\n",
        ] {
            same_as_locate(src);
        }
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
