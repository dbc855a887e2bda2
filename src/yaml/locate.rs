//! Where values are written: line and column of the values at many paths, in one pass.
//!
//! serde_yaml keeps no positions once parsing succeeds, and finding one position through it
//! costs a parse of the whole document; doing that once per finding made a file with a thousand
//! warnings take minutes. This walks saphyr-parser's events once, following the paths asked for.
//! Positions are those serde_yaml reports: line and column from 1, columns in characters.

use foldhash::{HashMap, HashMapExt as _};

use saphyr_parser::{Event, Parser};

use crate::diagnostic::{FieldPath, Location, Segment};

/// A step on the way to a value, as written in the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
    /// Inside a key that is itself a list or mapping, or a key written as an alias: no
    /// [`FieldPath`] leads there.
    Other,
}

enum Frame {
    Sequence {
        next: usize,
    },
    /// `key` is the key whose value comes next, or `None` while a key is expected.
    Mapping {
        key: Option<Step>,
    },
}

/// The positions of the values at `paths`, in the first document of `src`; `None` where there
/// is no such value (or the document does not parse). A path through an alias is placed at
/// the alias.
pub fn locate_all(src: &str, paths: &[&FieldPath]) -> Vec<Option<Location>> {
    walk(src, paths, false)
}

/// Like [`locate_all`], but where a value is missing (a key left out), the position of the
/// nearest value that encloses where it would be.
pub fn locate_nearest_all(src: &str, paths: &[&FieldPath]) -> Vec<Option<Location>> {
    walk(src, paths, true)
}

fn walk(src: &str, paths: &[&FieldPath], nearest: bool) -> Vec<Option<Location>> {
    let wanted: Vec<Vec<Step>> = paths.iter().map(|p| steps(p)).collect();
    by_sections(src, &wanted, nearest)
        .unwrap_or_else(|| walk_events(src, &wanted, nearest, None).found)
}

/// The top-level sections of a document written as a block mapping at column 0, the usual
/// shape: each key's name, and where its lines start (byte offset and line number from 1).
/// `None` when the document is written in any other way (a flow mapping, keys quoted or
/// indented, a line at column 0 that is neither a key nor a list entry, a key twice), and for
/// any doubt the whole document is walked instead.
fn sections(src: &str) -> Option<Vec<(&str, usize, usize)>> {
    let mut found: Vec<(&str, usize, usize)> = Vec::new();
    let mut offset = 0;
    for (number, line) in src.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let text = if start == 0 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        let first = text.as_bytes().first().copied().unwrap_or(b'\n');
        match first {
            b' ' | b'\n' | b'\r' | b'#' => continue,
            // A list written at the column of its key (`events:` then `- id: ...`).
            b'-' if !found.is_empty() && is_entry(text) => continue,
            b'-' | b'.' | b'%' if found.is_empty() && (is_marker(text) || first == b'%') => {
                continue
            }
            _ => {}
        }
        let key = text.split_once(':').and_then(|(key, rest)| {
            let plain = key.bytes().enumerate().all(|(i, b)| {
                b.is_ascii_alphabetic() || b == b'_' || (i > 0 && (b.is_ascii_digit() || b == b'-'))
            });
            // A key ends at `:` and a space or the end of its line (or of the file).
            let ends = rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']);
            (plain && !key.is_empty() && ends).then_some(key)
        })?;
        if found.iter().any(|(k, ..)| *k == key) {
            return None;
        }
        found.push((key, start, number + 1));
    }
    Some(found)
}

fn is_entry(line: &str) -> bool {
    line.strip_prefix('-')
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\n', '\r']))
}

fn is_marker(line: &str) -> bool {
    let rest = line
        .strip_prefix("---")
        .or_else(|| line.strip_prefix("..."));
    rest.is_some_and(|rest| rest.trim().is_empty())
}

/// [`walk_events`] over only the top-level sections the paths lead into, each parsed on its
/// own: a warning about a remediation item need not parse a hundred thousand events. The
/// positions are those of the walk of the whole document (a test compares the two); `None`
/// where that cannot be vouched for, and the whole document is walked.
fn by_sections(src: &str, wanted: &[Vec<Step>], nearest: bool) -> Option<Vec<Option<Location>>> {
    let sections = sections(src)?;
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, path) in wanted.iter().enumerate() {
        let Some(Step::Key(key)) = path.first() else {
            return None;
        };
        let section = sections.iter().position(|(k, ..)| k == key)?;
        match groups.iter_mut().find(|(s, _)| *s == section) {
            Some((_, members)) => members.push(i),
            None => groups.push((section, vec![i])),
        }
    }
    let mut found = vec![None; wanted.len()];
    for (section, members) in groups {
        let (key, start, line) = sections[section];
        let end = sections
            .get(section + 1)
            .map_or(src.len(), |&(_, end, _)| end);
        let paths: Vec<Vec<Step>> = members.iter().map(|&i| wanted[i].clone()).collect();
        let walked = walk_events(&src[start..end], &paths, nearest, Some(key));
        if !walked.sound {
            return None;
        }
        for (i, at) in members.into_iter().zip(walked.found) {
            found[i] = at.map(|at| Location {
                line: at.line + line - 1,
                column: at.column,
            });
        }
    }
    Some(found)
}

struct Walked {
    found: Vec<Option<Location>>,
    /// Read without a parse error until every path was settled or the document ended, and,
    /// for a section, holding nothing but its one key.
    sound: bool,
}

/// The positions of the values at `wanted`, in one pass over the events of the first document
/// of `src`. With `section`, `src` is one top-level section, which must hold that key alone.
fn walk_events(src: &str, wanted: &[Vec<Step>], nearest: bool, section: Option<&str>) -> Walked {
    // Each distinct path once, with the indices asking for it.
    let mut distinct: HashMap<&[Step], usize> = HashMap::new();
    let mut askers: Vec<Vec<usize>> = Vec::new();
    for (i, path) in wanted.iter().enumerate() {
        let d = *distinct.entry(path.as_slice()).or_insert_with(|| {
            askers.push(Vec::new());
            askers.len() - 1
        });
        askers[d].push(i);
    }
    // The paths below each value on the way to one: when that value ends, those not found are
    // not in the document, and once none is left the walk stops instead of reading on.
    let mut below: HashMap<&[Step], Vec<usize>> = HashMap::new();
    for (path, &d) in &distinct {
        for n in 0..path.len() {
            below.entry(&path[..n]).or_default().push(d);
        }
    }
    let mut settled = vec![false; askers.len()];
    let mut remaining = askers.len();
    let mut settle = |d: usize, settled: &mut Vec<bool>| {
        if !settled[d] {
            settled[d] = true;
            remaining -= 1;
        }
        remaining
    };
    let mut at_of: Vec<Option<Location>> = vec![None; askers.len()];
    // Positions of the values on the way to those asked for: aliases, and with `nearest`, every
    // enclosing value.
    let mut fallback: HashMap<Vec<Step>, Location> = HashMap::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Vec<Step> = Vec::new();
    let mut root_keys = 0;
    let mut sound = false;
    let mut parser = Parser::new_from_str(src);
    'events: loop {
        let (event, span) = match parser.next_event() {
            Some(Ok(next)) => next,
            // A parse error: what was found before it stands.
            Some(Err(_)) => break,
            None => {
                sound = true;
                break;
            }
        };
        let collection = match &event {
            Event::SequenceStart(..) | Event::MappingStart(..) => true,
            Event::Scalar(..) | Event::Alias(_) => false,
            Event::SequenceEnd | Event::MappingEnd => {
                frames.pop();
                if let Some(ds) = below.get(path.as_slice()) {
                    for &d in ds {
                        if settle(d, &mut settled) == 0 {
                            sound = true;
                            break 'events;
                        }
                    }
                }
                path.pop();
                continue;
            }
            Event::DocumentEnd => {
                sound = true;
                break;
            }
            _ => continue,
        };
        // Which step leads to this node, and whether it is a key rather than a value.
        let step = match frames.last_mut() {
            None => None,
            Some(Frame::Sequence { next }) => {
                *next += 1;
                Some(Step::Index(*next - 1))
            }
            Some(Frame::Mapping { key }) => match key.take() {
                Some(k) => Some(k),
                None => {
                    let name = match &event {
                        Event::Scalar(name, ..) => Step::Key(name.to_string()),
                        _ => Step::Other,
                    };
                    if path.is_empty() {
                        root_keys += 1;
                        if section.is_some_and(|s| root_keys > 1 || name != Step::Key(s.into())) {
                            break;
                        }
                    }
                    *key = Some(name);
                    if collection {
                        // A complex key: walk through it without matching anything.
                        frames.push(new_frame(&event));
                        path.push(Step::Other);
                    }
                    continue;
                }
            },
        };
        if section.is_some() && step.is_none() && !matches!(event, Event::MappingStart(..)) {
            break;
        }
        if let Some(step) = step {
            path.push(step);
        }
        let at = Location {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        if let Some(&d) = distinct.get(path.as_slice()) {
            if at_of[d].is_none() {
                at_of[d] = Some(at);
                if settle(d, &mut settled) == 0 {
                    sound = true;
                    break;
                }
            }
        }
        let on_the_way = below.contains_key(path.as_slice());
        if on_the_way && (nearest || matches!(event, Event::Alias(_))) {
            fallback.entry(path.clone()).or_insert(at);
        }
        if collection {
            frames.push(new_frame(&event));
        } else {
            // Nothing is found below a scalar or an alias.
            if on_the_way {
                for &d in &below[path.as_slice()] {
                    if settle(d, &mut settled) == 0 {
                        sound = true;
                        break 'events;
                    }
                }
            }
            path.pop();
        }
    }
    let mut found: Vec<Option<Location>> = vec![None; wanted.len()];
    for (d, indices) in askers.iter().enumerate() {
        for &i in indices {
            found[i] = at_of[d];
        }
    }
    if !fallback.is_empty() {
        for (i, target) in wanted.iter().enumerate() {
            if found[i].is_none() {
                found[i] = (0..target.len())
                    .rev()
                    .find_map(|n| fallback.get(&target[..n]).copied());
            }
        }
    }
    Walked { found, sound }
}

/// The position of the value at `path`.
pub fn locate(src: &str, path: &FieldPath) -> Option<Location> {
    locate_all(src, &[path]).pop().flatten()
}

fn new_frame(event: &Event<'_>) -> Frame {
    match event {
        Event::SequenceStart(..) => Frame::Sequence { next: 0 },
        _ => Frame::Mapping { key: None },
    }
}

fn steps(path: &FieldPath) -> Vec<Step> {
    path.segments()
        .iter()
        .map(|s| match s {
            Segment::Key(k) => Step::Key((*k).to_owned()),
            Segment::Index(i) => Step::Index(*i),
        })
        .collect()
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
        assert_eq!(at(FieldPath::root().key("a").key("b")), None);
    }

    #[test]
    fn many_paths_in_one_pass_including_repeats() {
        let a = FieldPath::root().key("a");
        let name = FieldPath::root().key("name");
        let none = FieldPath::root().key("zzz");
        let got = locate_all(DOC, &[&name, &a, &none, &a]);
        assert_eq!(
            got,
            [
                Some(Location { line: 6, column: 7 }),
                Some(Location { line: 1, column: 4 }),
                None,
                Some(Location { line: 1, column: 4 }),
            ]
        );
    }

    #[test]
    fn complex_keys_do_not_confuse_the_walk() {
        let src = "? [a, b]\n: 1\n? {c: d}\n: 2\nz: 3\n";
        assert_eq!(
            locate(src, &FieldPath::root().key("z")),
            Some(Location { line: 5, column: 4 })
        );
    }

    #[test]
    fn a_path_through_an_alias_points_at_the_alias() {
        let src = "base: &b {x: 1}\nlist:\n  - *b\n";
        assert_eq!(
            locate(src, &FieldPath::root().key("list").index(0).key("x")),
            Some(Location { line: 3, column: 5 })
        );
    }

    #[test]
    fn nearest_falls_back_to_the_enclosing_value() {
        let missing = FieldPath::root().key("list").index(0).key("sources");
        let absent_item = FieldPath::root().key("list").index(7).key("id");
        assert_eq!(locate(DOC, &missing), None);
        assert_eq!(
            locate_nearest_all(DOC, &[&missing, &absent_item]),
            [
                Some(Location { line: 3, column: 5 }),
                Some(Location { line: 3, column: 3 }),
            ]
        );
    }

    #[test]
    fn the_first_of_repeated_keys_is_found() {
        let src = "a: 1\na: 2\n";
        assert_eq!(
            locate(src, &FieldPath::root().key("a")),
            Some(Location { line: 1, column: 4 })
        );
    }

    #[test]
    fn sections_follow_a_block_mapping_at_column_zero() {
        let src = "\u{feff}# c\n---\nid: x\nevents:\n- id: a\n  when: 1\n\nremediation: []\n";
        let got: Vec<(&str, usize)> = sections(src)
            .expect("sections")
            .into_iter()
            .map(|(k, _, line)| (k, line))
            .collect();
        assert_eq!(got, [("id", 3), ("events", 4), ("remediation", 8)]);
        for doubtful in [
            "{id: x}\n",
            "id: x\nid: y\n",
            "id: x\n\"events\": []\n",
            "id: x\nevents: [\n{id: a},\n]\n",
            "id: x\n? events\n: []\n",
            "id: x\n---\nid: y\n",
            // A quoted key on the last line, without a line break.
            "id: x\n\"events\":",
        ] {
            assert_eq!(sections(doubtful), None, "{doubtful:?}");
        }
    }

    #[test]
    fn a_quoted_value_running_over_a_key_like_line_is_not_taken_for_a_section() {
        // `events: x"` at column 0 is inside the title: the real `events` then stands twice
        // among the lines, and the whole document is walked.
        for src in [
            "title: \"a\nevents: x\"\nevents:\n  - id: e\n",
            "events:\n  - title: \"a\nremediation: b\"\n    id: e\nremediation: []\n",
            "events:\n- title: 'a\nremediation: b'\n  id: e\nremediation: []\n",
        ] {
            assert_eq!(sections(src), None, "{src:?}");
        }
        // Where no key stands twice, the false section is not one a path leads into: the key
        // asked for is found in its own section. (saphyr refuses the title, so the whole walk
        // finds nothing here; libyaml, which serde_yaml uses, reads the document.)
        let src = "title: \"a\nevents: x\"\nid: y\n";
        let id = FieldPath::root().key("id");
        assert_eq!(locate(src, &id), Some(Location { line: 3, column: 5 }));
    }

    #[test]
    fn an_alias_to_another_section_is_found_as_in_the_whole_document() {
        let src = "base: &b {x: 1}\nlist:\n- *b\n- y\n";
        let path = FieldPath::root().key("list").index(0).key("x");
        assert_eq!(locate(src, &path), Some(Location { line: 3, column: 3 }));
    }

    /// The document as a tree, built from the parser's events without any of the walk's
    /// shortcuts: what the walk must agree with.
    #[derive(Debug)]
    enum Node {
        Leaf(Location, bool),
        Seq(Location, Vec<Node>),
        Map(Location, Vec<(Option<String>, Node)>),
    }

    impl Node {
        fn at(&self) -> Location {
            match self {
                Node::Leaf(at, _) | Node::Seq(at, _) | Node::Map(at, _) => *at,
            }
        }
    }

    fn tree(src: &str) -> Option<Node> {
        fn node(events: &mut std::vec::IntoIter<(Event<'_>, Location)>) -> Option<Node> {
            let (event, at) = events.next()?;
            Some(match event {
                Event::Scalar(..) => Node::Leaf(at, false),
                Event::Alias(_) => Node::Leaf(at, true),
                Event::SequenceStart(..) => {
                    let mut items = Vec::new();
                    while !matches!(events.as_slice().first(), Some((Event::SequenceEnd, _))) {
                        items.push(node(events)?);
                    }
                    events.next();
                    Node::Seq(at, items)
                }
                Event::MappingStart(..) => {
                    let mut entries = Vec::new();
                    while !matches!(events.as_slice().first(), Some((Event::MappingEnd, _))) {
                        let key = match events.as_slice().first() {
                            Some((Event::Scalar(k, ..), _)) => Some(k.to_string()),
                            _ => None,
                        };
                        node(events)?;
                        entries.push((key, node(events)?));
                    }
                    events.next();
                    Node::Map(at, entries)
                }
                _ => return None,
            })
        }
        let mut events = Vec::new();
        let mut parser = Parser::new_from_str(src);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.ok()?;
            let at = Location {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            match event {
                Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
                Event::DocumentEnd | Event::StreamEnd => break,
                e => events.push((e, at)),
            }
        }
        node(&mut events.into_iter())
    }

    fn oracle(root: &Node, path: &[Step], nearest: bool) -> Option<Location> {
        let mut here = root;
        let mut fallback = None;
        for step in path {
            let next = match (here, step) {
                (Node::Map(_, entries), Step::Key(k)) => entries
                    .iter()
                    .find(|(key, _)| key.as_ref() == Some(k))
                    .map(|(_, v)| v),
                (Node::Seq(_, items), Step::Index(i)) => items.get(*i),
                _ => None,
            };
            if nearest || matches!(here, Node::Leaf(_, true)) {
                fallback = Some(here.at());
            }
            match next {
                Some(next) => here = next,
                None => return fallback,
            }
        }
        Some(here.at())
    }

    fn document() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let item = prop_oneof![
            Just("- id: a\n  when: 1\n".to_owned()),
            Just("  - id: b\n    due: 2\n".to_owned()),
            Just("  - {id: c, when: 3}\n".to_owned()),
            Just("- &n {id: d}\n".to_owned()),
            Just("- *n\n".to_owned()),
            Just("  - title: \"x\n    y\"\n    id: e\n".to_owned()),
            Just("- title: |\n    text\n  id: f\n".to_owned()),
            Just("# note\n\n".to_owned()),
        ];
        let keys = proptest::sample::subsequence(
            vec!["id", "events", "remediation", "obligations"],
            1..=4,
        )
        .prop_shuffle();
        let sections = (
            keys,
            proptest::collection::vec(
                (proptest::collection::vec(item, 0..4), proptest::bool::ANY),
                4,
            ),
        )
            .prop_map(|(keys, bodies)| {
                keys.into_iter()
                    .zip(bodies)
                    .map(|(key, (items, flow))| {
                        if key == "id" {
                            "id: x # c\n".to_owned()
                        } else if flow || items.is_empty() {
                            format!("{key}: [{{id: g}}, *n]\n")
                        } else {
                            format!("{key}:\n{}", items.concat())
                        }
                    })
                    .collect::<String>()
            });
        (
            prop_oneof![Just(""), Just("\u{feff}"), Just("---\n"), Just("# top\n")],
            sections,
        )
            .prop_map(|(head, sections)| format!("{head}{sections}"))
    }

    fn paths() -> impl proptest::strategy::Strategy<Value = Vec<FieldPath>> {
        use proptest::prelude::*;
        let path = (
            prop_oneof![
                Just("events"),
                Just("remediation"),
                Just("obligations"),
                Just("id"),
                Just("nope")
            ],
            proptest::option::of((
                0usize..5,
                proptest::option::of(prop_oneof![
                    Just("id"),
                    Just("when"),
                    Just("due"),
                    Just("title")
                ]),
            )),
        )
            .prop_map(|(key, rest)| {
                let mut path = FieldPath::root().key(key);
                if let Some((i, field)) = rest {
                    path = path.index(i);
                    if let Some(field) = field {
                        path = path.key(field);
                    }
                }
                path
            });
        proptest::collection::vec(path, 1..6)
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 512,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x6c6f_6361_7465),
            ..proptest::test_runner::Config::default()
        })]

        /// Sections, early stops and fallbacks give what a plain descent of the whole tree gives.
        #[test]
        fn the_walk_agrees_with_the_tree(src in document(), paths in paths(), nearest in proptest::bool::ANY) {
            let Some(root) = tree(&src) else {
                return Ok(());
            };
            let refs: Vec<&FieldPath> = paths.iter().collect();
            let got = walk(&src, &refs, nearest);
            let expected: Vec<Option<Location>> =
                paths.iter().map(|p| oracle(&root, &steps(p), nearest)).collect();
            proptest::prop_assert_eq!(got, expected, "{:?}", src);
        }
    }
}
