//! Every problem in a document, not only the first: used after serde_yaml has refused a file.
//!
//! serde_yaml stops at the first value its types refuse. To report the others in the same run,
//! the document is read once more, through saphyr-parser, into a tree of nodes that keep their
//! positions; the format's own types (`Incident` and everything under it) are then deserialized
//! from that tree, so every message comes from the same visitors as serde_yaml's. At each error
//! the offending part is repaired (an unknown key removed, a bad value replaced by a stand-in
//! that fits, a missing key supplied) and the document read again, until it reads or the cap is
//! reached. A file that reads needs none of this: the valid path keeps its single parse.

mod node_de;

use std::collections::HashMap;
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde::de;
use serde::Deserialize;

use crate::diagnostic::Location;
use crate::model::Incident;

use super::{limits, ParseError};
use node_de::NodeDe;

/// The most errors reported for one file; the rest wait for the next run.
pub const MAX_ERRORS: usize = 100;

/// Node visits allowed for all the readings of one file together: each repair costs a reading
/// of the whole tree, and a huge file with many errors must still end quickly.
const VISIT_BUDGET: usize = 20_000_000;

/// The most values (scalars, lists, mappings) a document may hold to be read a second time: the
/// tree costs memory that serde_yaml's reading does not, and a file this large (several MB)
/// reports its first problem alone.
pub const MAX_NODES: usize = 1_000_000;

/// Values tried, in turn, in place of a refused value or for a missing key, until one fits
/// (lists, mappings and optional values have a stand-in of their own).
const STAND_INS: usize = 4;

struct Node {
    id: usize,
    at: Location,
    kind: Kind,
    /// Put there by a repair: its problems are the repair's, not the file's.
    synthetic: bool,
}

enum Kind {
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// A value put in place of a refused one; the number says which of the stand-ins.
    StandIn(usize),
}

/// What an error is about, so that the right part can be repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cause {
    Value,
    /// A key of a mapping: unknown, or repeated.
    Key,
    Missing(String),
    /// A stand-in asked for as a struct: it becomes a mapping, filled by later repairs.
    WantsMap,
}

#[derive(Debug)]
struct Error {
    message: String,
    node: Option<usize>,
    at: Option<Location>,
    cause: Cause,
    /// Where, as serde_yaml writes it (`events[2].date`); `.` for the whole document.
    path: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            node: None,
            at: None,
            cause: Cause::Value,
            path: String::new(),
        }
    }
}

impl Error {
    /// Places an error raised by a visitor at the node it was reading, as serde_yaml does: the
    /// innermost node wins, and the message starts with the path, unless at the root.
    fn placed(mut self, node: &Node, path: &Path<'_>, cause: Cause) -> Self {
        if self.node.is_none() {
            self.node = Some(node.id);
            self.at = Some(node.at);
            self.cause = cause;
            self.path = path.to_string();
            if self.path != "." {
                self.message = format!("{}: {}", self.path, self.message);
            }
        }
        self
    }
}

/// What a second reading of a refused document found.
#[derive(Debug, Default)]
pub struct Collected {
    /// The problems, in the order found (from `more_problems`: those besides serde_yaml's
    /// first).
    pub errors: Vec<ParseError>,
    /// The incident as read once every problem was repaired, for the checks beyond parsing;
    /// `None` if the repairs did not get that far.
    pub repaired: Option<Box<Incident>>,
    /// Where values were repaired (`events[2].date`, or `.`): checks of what is there are moot.
    pub touched: Vec<String>,
}

/// Reads `src` again after serde_yaml refused it with `first`, for the other problems; finds
/// nothing when the document cannot be read as a tree (a syntax error).
pub fn more_problems(src: &str, first: &ParseError) -> Collected {
    let mut out = Collected::default();
    // A file too large for a tree is not even parsed for one (see MAX_NODES): a value takes
    // at least two bytes.
    if src.len() / 2 > MAX_NODES * 4 {
        return out;
    }
    let Some(mut tree) = Tree::build(src) else {
        return out;
    };
    let attempts = (VISIT_BUDGET / tree.nodes.max(1)).clamp(1, MAX_ERRORS * (STAND_INS + 8));
    let mut recorded = 0;
    let mut finished = false;
    for _ in 0..attempts {
        let e = match Incident::deserialize(NodeDe {
            node: &tree.root,
            path: Path::Root,
        }) {
            Ok(incident) => {
                out.repaired = Some(Box::new(incident));
                finished = true;
                break;
            }
            Err(e) => e,
        };
        let Some(id) = e.node else {
            finished = true;
            break;
        };
        // A stand-in that does not fit says nothing about the file: make it fit.
        if tree.root.find_mut(id).is_some_and(|n| n.synthetic) {
            if tree.mend_stand_in(id, &e.cause) {
                continue;
            }
            finished = true;
            break;
        }
        recorded += 1;
        // serde_yaml's own message for the first problem stays; its twin here is not repeated.
        let twin = e.message == first.message;
        if !twin {
            if recorded > MAX_ERRORS {
                out.errors.push(ParseError {
                    message: format!(
                        "stopped after {MAX_ERRORS} problems in this file: fix these and run again"
                    ),
                    location: None,
                    help: None,
                });
                return out;
            }
            out.errors.push(ParseError {
                message: e.message.clone(),
                location: e.at,
                help: None,
            });
        }
        // Only a key that is unknown leaves the values as they were.
        if e.cause != Cause::Key || e.message.contains("duplicate field") {
            out.touched.push(e.path.clone());
        }
        // The document itself cannot be replaced, only mended.
        let whole = id == tree.root.id && e.cause == Cause::Value;
        if whole || !tree.repair(id, &e.cause, &e.message) {
            finished = true;
            break;
        }
    }
    // Each repair costs a reading of the whole tree: a large file runs out of readings first.
    if !finished {
        out.errors.push(ParseError {
            message: format!(
                "stopped after {} problems in this large file: fix these and run again",
                recorded
            ),
            location: None,
            help: None,
        });
    }
    out
}

struct Tree {
    root: Node,
    nodes: usize,
}

impl Tree {
    /// Reads the first document into nodes; `None` if it does not parse or nests too deep (that
    /// has its own error already).
    fn build(src: &str) -> Option<Tree> {
        if limits::needed(src) {
            limits::check(src).ok()?;
        }
        enum Open {
            Seq(Node),
            Map(Node, Option<Node>),
        }
        let mut parser = Parser::new_from_str(src);
        let mut open: Vec<Open> = Vec::new();
        let mut anchors: HashMap<usize, Node> = HashMap::new();
        let mut anchor_of: Vec<usize> = Vec::new();
        let mut nodes = 0usize;
        let mut root = None;
        while root.is_none() {
            let (event, span) = parser.next_event()?.ok()?;
            let at = Location {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            let mut node = |kind| {
                nodes += 1;
                Node {
                    id: nodes,
                    at,
                    kind,
                    synthetic: false,
                }
            };
            let done = match event {
                Event::Scalar(value, style, anchor, _) => {
                    let n = node(Kind::Scalar {
                        value: value.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    });
                    if anchor != 0 {
                        anchors.insert(anchor, n.copy(&mut nodes));
                    }
                    n
                }
                Event::Alias(id) => {
                    let n = anchors.get(&id)?.copy(&mut nodes);
                    Node { at, ..n }
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if open.len() >= limits::MAX_DEPTH {
                        return None;
                    }
                    anchor_of.push(anchor);
                    open.push(if matches!(event, Event::SequenceStart(..)) {
                        Open::Seq(node(Kind::Seq(Vec::new())))
                    } else {
                        Open::Map(node(Kind::Map(Vec::new())), None)
                    });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let n = match open.pop()? {
                        Open::Seq(n) | Open::Map(n, None) => n,
                        Open::Map(_, Some(_)) => return None,
                    };
                    let anchor = anchor_of.pop()?;
                    if anchor != 0 {
                        anchors.insert(anchor, n.copy(&mut nodes));
                    }
                    n
                }
                Event::DocumentEnd | Event::StreamEnd => return None,
                _ => continue,
            };
            match open.last_mut() {
                None => root = Some(done),
                Some(Open::Seq(Node {
                    kind: Kind::Seq(items),
                    ..
                })) => items.push(done),
                Some(Open::Map(
                    Node {
                        kind: Kind::Map(pairs),
                        ..
                    },
                    key,
                )) => match key.take() {
                    None => *key = Some(done),
                    Some(k) => pairs.push((k, done)),
                },
                Some(_) => return None,
            }
            if nodes > MAX_NODES {
                return None;
            }
        }
        Some(Tree { root: root?, nodes })
    }

    /// Mends the part of the tree that `cause` at node `id` is about; `false` if it cannot be.
    fn repair(&mut self, id: usize, cause: &Cause, message: &str) -> bool {
        match cause {
            // A misspelt key is read as the key it was meant to be, so that the key it stands
            // for is not reported missing too.
            Cause::Key => match misspelt(message) {
                Some(meant) if self.root.rename_key(id, meant) => true,
                _ => self.root.remove_key(id),
            },
            Cause::Missing(field) => {
                self.nodes += 2;
                let fresh = self.nodes;
                let Some(map) = self.root.find_mut(id) else {
                    return false;
                };
                let at = map.at;
                let Kind::Map(pairs) = &mut map.kind else {
                    return false;
                };
                pairs.push((
                    Node {
                        id: fresh - 1,
                        at,
                        kind: Kind::Scalar {
                            value: field.clone(),
                            plain: false,
                        },
                        synthetic: true,
                    },
                    Node {
                        id: fresh,
                        at,
                        kind: Kind::StandIn(0),
                        synthetic: true,
                    },
                ));
                true
            }
            Cause::Value => match self.root.find_mut(id) {
                Some(n) => {
                    n.kind = Kind::StandIn(0);
                    n.synthetic = true;
                    true
                }
                None => false,
            },
            Cause::WantsMap => false,
        }
    }

    /// Fits a stand-in (or a mapping made of one) to what its type asked for; `false` once
    /// nothing fits.
    fn mend_stand_in(&mut self, id: usize, cause: &Cause) -> bool {
        let Some(n) = self.root.find_mut(id) else {
            return false;
        };
        match (&n.kind, cause) {
            (Kind::StandIn(_), Cause::WantsMap) => {
                n.kind = Kind::Map(Vec::new());
                true
            }
            (Kind::StandIn(tried), _) if tried + 1 < STAND_INS => {
                n.kind = Kind::StandIn(tried + 1);
                true
            }
            (Kind::Map(_), Cause::Missing(_)) => self.repair(id, cause, ""),
            _ => false,
        }
    }
}

impl Node {
    /// A copy with fresh ids, for an alias: repairs must reach one place only.
    fn copy(&self, next: &mut usize) -> Node {
        *next += 1;
        let id = *next;
        let kind = match &self.kind {
            Kind::Scalar { value, plain } => Kind::Scalar {
                value: value.clone(),
                plain: *plain,
            },
            Kind::Seq(items) => Kind::Seq(items.iter().map(|n| n.copy(next)).collect()),
            Kind::Map(pairs) => Kind::Map(
                pairs
                    .iter()
                    .map(|(k, v)| (k.copy(next), v.copy(next)))
                    .collect(),
            ),
            Kind::StandIn(n) => Kind::StandIn(*n),
        };
        Node {
            id,
            at: self.at,
            kind,
            synthetic: self.synthetic,
        }
    }

    fn find_mut(&mut self, id: usize) -> Option<&mut Node> {
        if self.id == id {
            return Some(self);
        }
        match &mut self.kind {
            Kind::Seq(items) => items.iter_mut().find_map(|n| n.find_mut(id)),
            Kind::Map(pairs) => pairs
                .iter_mut()
                .find_map(|(k, v)| k.find_mut(id).or_else(|| v.find_mut(id))),
            _ => None,
        }
    }

    /// Renames the key that is node `id` to `to`, unless its mapping has that key already.
    fn rename_key(&mut self, id: usize, to: &str) -> bool {
        match &mut self.kind {
            Kind::Seq(items) => items.iter_mut().any(|n| n.rename_key(id, to)),
            Kind::Map(pairs) => {
                if pairs.iter().any(|(k, _)| k.id == id) {
                    let taken = pairs
                        .iter()
                        .any(|(k, _)| matches!(&k.kind, Kind::Scalar { value, .. } if value == to));
                    if taken {
                        return false;
                    }
                    return pairs.iter_mut().any(|(k, _)| {
                        if k.id != id {
                            return false;
                        }
                        k.kind = Kind::Scalar {
                            value: to.to_owned(),
                            plain: false,
                        };
                        true
                    });
                }
                pairs.iter_mut().any(|(_, v)| v.rename_key(id, to))
            }
            _ => false,
        }
    }

    /// Removes the entry whose key is node `id`.
    fn remove_key(&mut self, id: usize) -> bool {
        match &mut self.kind {
            Kind::Seq(items) => items.iter_mut().any(|n| n.remove_key(id)),
            Kind::Map(pairs) => {
                if let Some(i) = pairs.iter().position(|(k, _)| k.id == id) {
                    pairs.remove(i);
                    return true;
                }
                pairs.iter_mut().any(|(_, v)| v.remove_key(id))
            }
            _ => false,
        }
    }
}

/// The key an "unknown field `x`, expected one of ..." message most likely meant.
fn misspelt(message: &str) -> Option<&str> {
    let rest = &message[message.find("unknown field `")? + "unknown field `".len()..];
    let (word, rest) = rest.split_once('`')?;
    crate::suggest::closest(word, rest.split('`').skip(1).step_by(2))
}

/// Where a value is, written as serde_yaml writes it at the start of its messages.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Seq { parent: &'a Path<'a>, index: usize },
    Map { parent: &'a Path<'a>, key: &'a str },
    Unknown { parent: &'a Path<'a> },
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Parent<'a>(&'a Path<'a>);
        impl fmt::Display for Parent<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.0 {
                    Path::Root => Ok(()),
                    path => write!(f, "{path}."),
                }
            }
        }
        match self {
            Path::Root => f.write_str("."),
            Path::Seq { parent, index } => write!(f, "{parent}[{index}]"),
            Path::Map { parent, key } => write!(f, "{}{key}", Parent(parent)),
            Path::Unknown { parent } => write!(f, "{}?", Parent(parent)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(src: &str) -> Vec<String> {
        let first = super::super::parse_incident(src).unwrap_err();
        std::iter::once(&first)
            .chain(more_problems(src, &first).errors.iter())
            .map(|e| {
                let at = e.location.map_or((0, 0), |l| (l.line, l.column));
                format!("{}:{} {}", at.0, at.1, e.message)
            })
            .collect()
    }

    const HEAD: &str = "format: 1\nid: x\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\nsources: [{id: s1, title: t, publisher: p}]\n";

    #[test]
    fn every_mistake_of_a_file_is_found_in_one_reading() {
        let src = format!(
            "{HEAD}events:\n  - {{id: a, date: 2025/04/03, kind: detected, titel: x}}\nremediation:\n  - {{id: R1, title: t, function: protect, status: in-progress}}\n"
        );
        let found = problems(&src);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("9:19 events[0].date:"), "{found:#?}");
        assert!(found[1].starts_with("9:37 events[0].kind: unknown variant `detected`"));
        assert!(found[2].starts_with("9:47 events[0]: unknown field `titel`"));
        assert!(found[3].starts_with("11:51 remediation[0].status: unknown variant `in-progress`"));
    }

    #[test]
    fn a_syntax_error_stops_at_itself() {
        let src = format!("{HEAD}events: [\n");
        let first = super::super::parse_incident(&src).unwrap_err();
        assert!(more_problems(&src, &first).errors.is_empty());
    }

    #[test]
    fn the_count_of_problems_is_capped() {
        let mut src = HEAD.to_owned();
        src.push_str("events:\n");
        for i in 0..150 {
            src.push_str(&format!(
                "  - {{id: e{i}, date: 2025-01-01, kind: nope, title: t}}\n"
            ));
        }
        let found = problems(&src);
        assert_eq!(
            found.len(),
            MAX_ERRORS + 1,
            "the first, and the capped rest"
        );
        assert!(found.last().unwrap().contains("stopped after 100 problems"));
    }
}
