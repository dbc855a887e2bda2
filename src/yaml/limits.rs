//! Bounds checked on the YAML event stream before serde_yaml sees the text.
//!
//! serde_yaml loads a whole document into memory before it deserializes anything, and only
//! then applies its own nesting limit; its parser (libyaml) spends time proportional to the
//! nesting depth on every token, so a few megabytes of `[[[[…` take hours before that limit is
//! reached. Aliases are replayed in full each time they are used, so a small file can stand for
//! gigabytes. This pass reads the events one at a time with saphyr-parser, keeps only a stack
//! and the size of each anchored node, and stops at the first bound crossed — in time and memory
//! proportional to the file.
//!
//! When saphyr-parser finds a syntax error, this pass gives up and lets serde_yaml report the
//! error in its own words, so that messages do not depend on which parser noticed first.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScanError};

use crate::diagnostic::Location;

/// Deepest nesting of lists and mappings accepted, aliases included. Incident files need five;
/// serde_yaml's own limit is the same.
pub const MAX_DEPTH: usize = 128;

/// What aliases may add to a file, in total, at most: each value they repeat counts one, plus
/// the bytes of its text. A file may add [`ALIAS_ALLOWANCE`] plus half its own size, up to this.
pub const MAX_ALIAS_EXPANSION: u64 = 1_000_000;

/// What aliases may add to any file, however small: room for repeating a few lists of sources.
/// Tied to the file's size so that what aliases add counts toward the output bound of issue 12
/// (output within 20 times the input plus 1 MiB): 16 KB of aliases repeating a long title made
/// 1.9 MB of `check --format json`.
pub const ALIAS_ALLOWANCE: u64 = 64 * 1024;

/// What aliases may add to a file of `len` bytes.
pub fn alias_budget(len: usize) -> u64 {
    MAX_ALIAS_EXPANSION.min(ALIAS_ALLOWANCE + len as u64 / 2)
}

/// What the pre-check saw of a stream within the bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stream {
    /// Documents begun, up to a syntax error if there was one.
    pub documents: usize,
    /// Read to the end without a syntax error.
    pub complete: bool,
}

/// A bound crossed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    pub message: String,
    pub help: &'static str,
    pub location: Location,
}

const DEPTH_HELP: &str = "incident files need only a few levels of nesting: look for unclosed `[` or `{`, or for aliases (`*name`) nested inside each other";

const ALIAS_HELP: &str = "aliases (`*name`) repeat the value of their anchor (`&name`) each time they are used; write the values out, or use fewer aliases (see docs/limits.md)";

/// Whether [`check`] can find anything in `src`, by a scan far cheaper than a parse.
///
/// Without `&` there is no anchor, so no alias can expand; with flow nesting (`[`, `{`) no
/// deeper than [`MAX_DEPTH`], libyaml's time stays linear. Deep nesting in block style
/// (indentation) costs libyaml nothing extra: serde_yaml's own limit of the same depth reports
/// it.
pub fn needed(src: &str) -> bool {
    src.contains('&') || may_hold_a_tag(src) || flow_depth_bound(src, MAX_DEPTH) > MAX_DEPTH
}

/// Whether `src` has a `!` where a tag could begin: at the start, or after white space, a flow
/// indicator (`[`, `{`, `,`, or `:` after a quoted key) or a byte-order mark (whose last byte,
/// 0xBF, is looked for; found by fuzzing). A `!` inside text such as
/// `Fixed!` cannot start a tag, and does not make the check run.
fn may_hold_a_tag(src: &str) -> bool {
    // `match_indices` of one byte searches with memchr: most files have no `!` at all.
    let bytes = src.as_bytes();
    src.match_indices('!').any(|(at, _)| {
        at == 0
            || matches!(
                bytes[at - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',' | b':' | 0xBF
            )
    })
}

const TAG_HELP: &str = "incident files are plain YAML: remove the tag (and any %TAG line) and write the value itself, quoted if it is text";

/// A tag as the file wrote it, where saphyr-parser resolved it.
fn shown_tag(tag: &saphyr_parser::Tag) -> String {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        "!" => format!("!{}", tag.suffix),
        "" if tag.suffix == "!" => "!".to_owned(),
        handle => format!("{handle}{}", tag.suffix),
    }
}

/// An upper bound of how deep `[` and `{` nest in `src`, found in one pass over its bytes; the
/// scan stops, returning `stop_above + 1`, as soon as the bound passes `stop_above`.
///
/// Every `[` and `{` is pushed as an open. A `]` or `}` pops the latest open still pushed,
/// unless a byte that may hide it (`"`, `'`, `#`, `!`, `%`) lies between the two; otherwise, or
/// with nothing pushed, it is ignored. The bound is the most opens pushed at once.
///
/// Why it never falls below the real depth (libyaml's flow level, which its scanner raises at
/// each `[`/`{` token and lowers at each `]`/`}` token): every real open is pushed, and while
/// it is still open, only its own close can pop it, so the opens pushed are never fewer than
/// the real level. Say the top open is real and still open when a `]` comes. Every real open
/// after it was closed already (else it would still be pushed, above it), so the scanner is
/// inside that collection, in flow context. There a `]` that is not its close can only sit in
/// a quoted scalar, a comment, a tag (`!a]`, `!<]>`) or a directive (`%`, at the start of a
/// line), each begun by a hiding byte after the open: plain scalars end at `]` and `}` in flow
/// context, anchor and alias names are letters, digits, `-` and `_`, and block scalars (`|`,
/// `>`) do not exist there. Newlines change none of this. If instead the top open is not a
/// real one (it sits in a string, a comment or a block scalar), or was really closed by a `]`
/// that was ignored, popping it leaves every real open that is still open pushed. Every byte
/// named is ASCII, and no byte of a multi-byte UTF-8 character equals one. Anchors are not
/// looked at: [`needed`] runs the check on any `&`.
pub fn flow_depth_bound(src: &str, stop_above: usize) -> usize {
    // Positions are counted from 1, so that 0 can stand for "none yet".
    let mut opens: Vec<usize> = Vec::new();
    // Where the last byte that may hide a `]` or `}` is.
    let mut hider = 0;
    let mut deepest = 0;
    for (at, &byte) in (1..).zip(src.as_bytes()) {
        if !LOOKED_AT[usize::from(byte)] {
            continue;
        }
        match byte {
            b'[' | b'{' => {
                opens.push(at);
                deepest = deepest.max(opens.len());
                if deepest > stop_above {
                    return deepest;
                }
            }
            b']' | b'}' => {
                if opens.last().is_some_and(|&open| hider < open) {
                    opens.pop();
                }
            }
            _ => hider = at,
        }
    }
    deepest
}

/// The bytes [`flow_depth_bound`] acts on; most bytes are none of them, and cost one look-up.
const LOOKED_AT: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"[]{}\"'#!%";
    let mut n = 0;
    while n < bytes.len() {
        table[bytes[n] as usize] = true;
        n += 1;
    }
    table
};

/// The oracle [`flow_depth_bound`] is tested against (by tests/properties.rs and the
/// `yaml_limits` fuzz target): how deep `[` and `{` collections nest in `src` as saphyr-parser
/// reads it, or `None` if it does not read to the end without error. A collection counts when
/// its event starts at a bracket and the next event does not start at the same place: `[x]: y`
/// in block style opens a block mapping and then a flow list, both at the `[`. A mapping of
/// one pair in a list, `[a: b]`, has no bracket of its own and libyaml does not count it
/// either.
#[doc(hidden)]
pub fn flow_depth(src: &str) -> Option<usize> {
    use saphyr_parser::Event::{MappingEnd, MappingStart, SequenceEnd, SequenceStart};
    let mut parser = saphyr_parser::Parser::new_from_str(src);
    let mut events = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.ok()?;
        // saphyr counts positions in characters.
        events.push((event, span.start.index()));
    }
    let chars: Vec<char> = src.chars().collect();
    let mut open: Vec<bool> = Vec::new();
    let (mut depth, mut deepest) = (0usize, 0);
    for (n, (event, at)) in events.iter().enumerate() {
        match event {
            SequenceStart(..) | MappingStart(..) => {
                let shared = matches!(events.get(n + 1),
                    Some((SequenceStart(..) | MappingStart(..), next)) if next == at);
                let bracket = matches!(chars.get(*at), Some('[' | '{')) && !shared;
                open.push(bracket);
                if bracket {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            SequenceEnd | MappingEnd => {
                depth = depth.saturating_sub(usize::from(open.pop() == Some(true)));
            }
            _ => {}
        }
    }
    Some(deepest)
}

/// Checks `src` against [`MAX_DEPTH`] and its [`alias_budget`].
pub fn check(src: &str) -> Result<Stream, Exceeded> {
    check_with(src, MAX_DEPTH, alias_budget(src.len()))
}

/// An open list or mapping.
struct Open {
    anchor: usize,
    /// One for the node, one per value and text byte inside it, aliases expanded.
    size: u64,
    /// Levels below this node, aliases expanded.
    height: usize,
}

/// A finished anchored node, as an alias would replay it.
#[derive(Clone, Copy)]
struct Anchored {
    size: u64,
    height: usize,
}

pub(crate) fn check_with(
    src: &str,
    max_depth: usize,
    max_expansion: u64,
) -> Result<Stream, Exceeded> {
    let mut parser = Parser::new_from_str(src);
    let mut open: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Anchored> = HashMap::new();
    let mut expanded: u64 = 0;
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(e) => e,
            Err(e) => {
                too_deep_in_scanner(&e, max_depth)?;
                return Ok(Stream {
                    documents,
                    complete: false,
                });
            }
        };
        let at = location(span.start);
        // serde_yaml drops most tags without a word (`!!binary` text was read as its base64,
        // a `%TAG` prefix ignored): the format has none, so each is an error.
        if let Event::Scalar(_, _, _, Some(tag))
        | Event::SequenceStart(_, Some(tag))
        | Event::MappingStart(_, Some(tag)) = &event
        {
            return Err(Exceeded {
                message: format!(
                    "the YAML tag `{}` is not part of the incident format",
                    crate::sanitize::for_terminal(&shown_tag(tag))
                ),
                help: TAG_HELP,
                location: at,
            });
        }
        // A finished node: its size and height, as the parent sees it.
        let finished = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                // Anchors belong to their document.
                anchors.clear();
                None
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= max_depth {
                    return Err(Exceeded {
                        message: format!("the document nests deeper than {max_depth} levels"),
                        help: DEPTH_HELP,
                        location: at,
                    });
                }
                open.push(Open {
                    anchor,
                    size: 1,
                    height: 0,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => open.pop().map(|node| {
                let done = Anchored {
                    size: node.size,
                    height: node.height + 1,
                };
                if node.anchor != 0 {
                    anchors.insert(node.anchor, done);
                }
                done
            }),
            Event::Scalar(value, _, anchor, _) => {
                let done = Anchored {
                    size: 1 + value.len() as u64,
                    height: 0,
                };
                if anchor != 0 {
                    anchors.insert(anchor, done);
                }
                Some(done)
            }
            Event::Alias(id) => {
                if open.iter().any(|o| o.anchor == id) {
                    return Err(Exceeded {
                        message: "this alias refers to a value that contains it, which would repeat forever".into(),
                        help: ALIAS_HELP,
                        location: at,
                    });
                }
                // An unknown anchor is left to serde_yaml, which reports it.
                anchors.get(&id).copied().inspect(|replayed| {
                    expanded = expanded.saturating_add(replayed.size);
                })
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
        };
        if expanded > max_expansion {
            return Err(Exceeded {
                message: format!(
                    "aliases expand the document beyond the limit of {max_expansion} for this file (values plus bytes of text repeated: 65536 plus half the file's size, at most 1000000)"
                ),
                help: ALIAS_HELP,
                location: at,
            });
        }
        if let Some(done) = finished {
            if open.len() + done.height > max_depth {
                return Err(Exceeded {
                    message: format!(
                        "the document nests deeper than {max_depth} levels once this alias is expanded"
                    ),
                    help: DEPTH_HELP,
                    location: at,
                });
            }
            if let Some(parent) = open.last_mut() {
                parent.size = parent.size.saturating_add(done.size);
                parent.height = parent.height.max(done.height);
            }
        }
    }
    Ok(Stream {
        documents,
        complete: true,
    })
}

/// saphyr-parser's scanner counts flow levels in a byte and fails past 255, possibly before the
/// parser has handed out the events that would reach `max_depth`: that is the same finding.
/// Any other error is a syntax error, left to serde_yaml.
fn too_deep_in_scanner(e: &ScanError, max_depth: usize) -> Result<(), Exceeded> {
    if e.info() == "recursion limit exceeded" {
        Err(Exceeded {
            message: format!("the document nests deeper than {max_depth} levels"),
            help: DEPTH_HELP,
            location: location(*e.marker()),
        })
    } else {
        Ok(())
    }
}

/// saphyr counts lines from 1 and columns from 0, in characters; serde_yaml both from 1.
fn location(m: saphyr_parser::Marker) -> Location {
    Location {
        line: m.line(),
        column: m.col() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> Exceeded {
        check(src).unwrap_err()
    }

    #[test]
    fn ordinary_documents_pass() {
        check("a: 1\nb: [x, {c: d}]\nanchor: &s [s1, s2]\nuse: *s\n").unwrap();
        check(include_str!("../../tests/fixtures/valid/minimal.yaml")).unwrap();
    }

    #[test]
    fn flow_nesting_is_refused_at_the_first_level_too_many() {
        let src = format!("a: {}{}\n", "[".repeat(129), "]".repeat(129));
        let e = err(&src);
        assert_eq!(e.message, "the document nests deeper than 128 levels");
        assert_eq!(
            e.location,
            Location {
                line: 1,
                column: 131
            },
            "the root mapping is a level"
        );
        check(&format!("{}{}\n", "[".repeat(128), "]".repeat(128))).unwrap();
    }

    #[test]
    fn very_deep_flow_nesting_is_refused_by_the_scanner_quickly() {
        let src = format!("a: {}\n", "[".repeat(1_000_000));
        assert!(err(&src).message.contains("deeper than 128"));
    }

    #[test]
    fn block_nesting_counts_too() {
        let src: String = (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(err(&src).message.contains("deeper than 128"));
    }

    /// Issue 23: what aliases add is bounded by the file's size, so that it counts toward the
    /// output bound: a 4,000-byte title repeated by 200 aliases (800 kB) is refused in a 5 kB
    /// file, and the same aliases are allowed where the file is large enough to hold them.
    #[test]
    fn the_alias_budget_grows_with_the_file() {
        assert_eq!(alias_budget(0), ALIAS_ALLOWANCE);
        assert_eq!(alias_budget(100_000), ALIAS_ALLOWANCE + 50_000);
        assert_eq!(alias_budget(100_000_000), MAX_ALIAS_EXPANSION);
        let mut src = format!("t: &t {}\nl:\n", "x".repeat(4_000));
        for _ in 0..200 {
            src.push_str("  - *t\n");
        }
        let e = err(&src);
        let limit = format!("limit of {} for this file", alias_budget(src.len()));
        assert!(e.message.contains(&limit), "{e:?}");
        src.push_str(&format!("# {}\n", "y".repeat(2_000_000)));
        check(&src).unwrap();
    }

    #[test]
    fn billion_laughs_stops_at_the_alias_that_crosses_the_budget() {
        let mut src = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            src.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let e = check_with(&src, MAX_DEPTH, MAX_ALIAS_EXPANSION).unwrap_err();
        assert!(e
            .message
            .starts_with("aliases expand the document beyond the limit of 1000000"));
        assert_eq!(
            e.location.line, 6,
            "at `f`, whose nine aliases of `e` repeat 2 million: {e:?}"
        );
    }

    #[test]
    fn a_big_anchor_repeated_many_times_is_refused() {
        let big = vec!["s1"; 1000].join(", ");
        let uses = "  - *big\n".repeat(400);
        let e = err(&format!("list:\n  - &big [{big}]\n{uses}"));
        assert!(e.message.starts_with("aliases expand"), "{e:?}");
    }

    #[test]
    fn a_long_text_repeated_counts_its_bytes() {
        let uses = "  - *t\n".repeat(20);
        let src = format!("list:\n  - &t {}\n{uses}", "x".repeat(100_000));
        assert!(err(&src).message.starts_with("aliases expand"));
        assert!(check_with(&src, MAX_DEPTH, 3_000_000).is_ok());
    }

    #[test]
    fn aliases_nesting_deeper_than_the_limit_are_refused() {
        let inner = format!("{}x{}", "[".repeat(100), "]".repeat(100));
        let src = format!(
            "a: &deep {inner}\nb: {}*deep{}\n",
            "[".repeat(50),
            "]".repeat(50)
        );
        let e = err(&src);
        assert!(e.message.contains("once this alias is expanded"), "{e:?}");
        assert_eq!(e.location.line, 2);
    }

    #[test]
    fn an_alias_inside_its_own_anchor_is_refused() {
        let e = err("a: &a [x, *a]\n");
        assert!(e.message.contains("contains it"), "{e:?}");
    }

    #[test]
    fn syntax_errors_are_left_to_serde_yaml() {
        assert!(!check("a: [unclosed\n").unwrap().complete);
        assert!(!check("a:\n\t- tab\n").unwrap().complete);
    }

    #[test]
    fn the_check_is_skipped_only_where_it_cannot_find_anything() {
        assert!(!needed("a: [x, {b: c}]\n"));
        assert!(needed("a: &x 1\n"));
        assert!(!needed(&"[".repeat(MAX_DEPTH)));
        assert!(needed(&"[".repeat(MAX_DEPTH + 1)));
        assert!(needed(&"{".repeat(MAX_DEPTH + 1)));
        assert!(needed(&"[{".repeat(MAX_DEPTH)));
    }

    #[test]
    fn many_shallow_flow_lists_do_not_need_the_check() {
        let src = "  - sources: [s1]\n".repeat(10_000);
        assert!(!needed(&format!("events:\n{src}")));
        let entry = "  - {id: s1, title: Notice, date: 2020-01-31}\n";
        assert!(!needed(&format!("sources:\n{}", entry.repeat(10_000))));
    }

    #[test]
    fn flow_lists_over_several_lines_close_as_usual() {
        let entry = "  - sources: [\n      s1,\n      {a: [b,\n  c]}\n    ]\n";
        assert_eq!(flow_depth_bound(entry, usize::MAX), 3);
        assert!(!needed(&entry.repeat(1_000)));
    }

    #[test]
    fn the_bound_is_the_deepest_nesting_reached() {
        assert_eq!(
            flow_depth_bound("a: [x, [y, {b: c}]]\nd: [e]\n", usize::MAX),
            3
        );
        assert_eq!(flow_depth_bound("a: b\n", usize::MAX), 0);
        assert_eq!(
            flow_depth_bound("]]}[]", usize::MAX),
            1,
            "stray closes are ignored"
        );
        assert_eq!(
            flow_depth_bound(&"[".repeat(1_000), 10),
            11,
            "stops past the limit"
        );
    }

    #[test]
    fn a_close_that_a_string_may_hide_is_not_counted() {
        assert_eq!(flow_depth_bound(r#"["]", []]"#, usize::MAX), 2);
        assert_eq!(flow_depth_bound("[']', []]", usize::MAX), 2);
        let hidden = format!(
            "{}\"{}\"{}",
            "[".repeat(100),
            "]".repeat(100),
            "[".repeat(100)
        );
        assert!(needed(&hidden));
        let single = format!(
            "{}'{}'{}",
            "[".repeat(100),
            "]".repeat(100),
            "[".repeat(100)
        );
        assert!(needed(&single));
    }

    #[test]
    fn a_close_that_a_comment_tag_or_directive_may_hide_is_not_counted() {
        let deep = |hiding: &str| format!("{0}{hiding}{0}", "[".repeat(100));
        assert!(needed(&deep("# ]]]]\n")));
        assert!(needed(&deep("%TAG ! x]\n")));
        // A verbatim tag may hold `]`: `[!<]> x` is a list holding a tagged `x`.
        assert!(needed(&"[!<]> x, ".repeat(MAX_DEPTH + 1)));
        assert!(needed(&"[!a] x, ".repeat(MAX_DEPTH + 1)));
    }

    #[test]
    fn brackets_in_strings_and_comments_may_only_raise_the_bound() {
        // Balanced ones cost nothing.
        assert!(!needed(&"title: \"see [1] and {x}\"\n".repeat(1_000)));
        assert!(!needed(&"a: 1 # see [1]\n".repeat(1_000)));
        // Unbalanced ones count as opens: the check runs, needlessly but safely.
        assert!(needed(&"title: \"[\"\n".repeat(MAX_DEPTH + 1)));
        assert!(needed(&"a: [x, \"y\"]\n".repeat(MAX_DEPTH + 1)));
    }

    #[test]
    fn tags_are_errors_and_the_check_runs_wherever_one_may_be() {
        for (src, tag) in [
            ("a: !!binary aGk=\n", "!!binary"),
            ("a: !x 1\n", "!x"),
            ("a: [x, !y z]\n", "!y"),
            ("\u{feff}!=)~= ", "!=)~="),
            (
                "%TAG !e! tag:example.com,2000:\n---\na: !e!b c\n",
                "tag:example.com,2000:b",
            ),
        ] {
            assert!(needed(src), "{src:?}");
            let e = err(src);
            assert!(e.message.contains(&format!("`{tag}`")), "{src:?}: {e:?}");
        }
        assert!(!needed("title: Fixed! And again!\n"));
    }

    #[test]
    fn documents_are_counted() {
        let one = check("a: 1\n").unwrap();
        assert_eq!((one.documents, one.complete), (1, true));
        assert_eq!(check("a: 1\n---\nb: 2\n").unwrap().documents, 2);
    }
}
