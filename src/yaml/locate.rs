//! Where values are written: line and column of the values at many paths, in one pass.
//!
//! serde_yaml keeps no positions once parsing succeeds, and finding one position through it
//! costs a parse of the whole document; doing that once per finding made a file with a thousand
//! warnings take minutes. This walks saphyr-parser's events once, following the paths asked for.
//! Positions are those serde_yaml reports: line and column from 1, columns in characters.

use std::collections::HashMap;

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
    let mut wanted: HashMap<Vec<Step>, Vec<usize>> = HashMap::new();
    for (i, path) in paths.iter().enumerate() {
        wanted.entry(steps(path)).or_default().push(i);
    }
    let mut found: Vec<Option<Location>> = vec![None; paths.len()];
    let mut remaining = wanted.len();
    // Positions of the values on the way to those asked for: aliases, and with `nearest`, every
    // enclosing value.
    let mut fallback: HashMap<Vec<Step>, Location> = HashMap::new();
    let mut on_the_way: std::collections::HashSet<Vec<Step>> = std::collections::HashSet::new();
    if nearest {
        for path in wanted.keys() {
            for n in 0..path.len() {
                on_the_way.insert(path[..n].to_vec());
            }
        }
    }
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Vec<Step> = Vec::new();
    let mut parser = Parser::new_from_str(src);
    while let Some(Ok((event, span))) = parser.next_event() {
        let collection = match &event {
            Event::SequenceStart(..) | Event::MappingStart(..) => true,
            Event::Scalar(..) | Event::Alias(_) => false,
            Event::SequenceEnd | Event::MappingEnd => {
                frames.pop();
                path.pop();
                continue;
            }
            Event::DocumentEnd => break,
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
                    *key = Some(match &event {
                        Event::Scalar(name, ..) => Step::Key(name.to_string()),
                        _ => Step::Other,
                    });
                    if collection {
                        // A complex key: walk through it without matching anything.
                        frames.push(new_frame(&event));
                        path.push(Step::Other);
                    }
                    continue;
                }
            },
        };
        if let Some(step) = step {
            path.push(step);
        }
        let at = Location {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        if let Some(indices) = wanted.get(path.as_slice()) {
            if indices.first().is_some_and(|&i| found[i].is_none()) {
                for &i in indices {
                    found[i] = Some(at);
                }
                remaining -= 1;
                if remaining == 0 {
                    break;
                }
            }
        }
        if matches!(event, Event::Alias(_)) || on_the_way.contains(path.as_slice()) {
            fallback.entry(path.clone()).or_insert(at);
        }
        if collection {
            frames.push(new_frame(&event));
        } else if !path.is_empty() {
            path.pop();
        }
    }
    if !fallback.is_empty() {
        for (i, target) in paths.iter().enumerate() {
            if found[i].is_none() {
                let target = steps(target);
                found[i] = (0..target.len())
                    .rev()
                    .find_map(|n| fallback.get(&target[..n]).copied());
            }
        }
    }
    found
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
}
