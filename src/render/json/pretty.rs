//! The one way breachline writes JSON: serde_json's pretty layout (two spaces a level), with the
//! characters serde_json leaves raw and no output may carry escaped in the same pass.
//!
//! serde_json escapes C0 controls, quotes and backslashes, and hands every other run of a
//! string to [`Formatter::write_string_fragment`]; DEL, C1 and bidirectional controls are
//! escaped there ([`sanitize::write_json_fragment`]), so no JSON output needs a second pass.
//! A line break and its indentation are one write, not one write per level, and a value can
//! start deeper in a document than its own root, so that parts of a document made on different
//! threads join into the bytes the whole would have been.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::sanitize;

/// serde_json's `PrettyFormatter`, at a given depth, escaping what [`sanitize::is_hidden`]
/// calls hidden.
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// For a value that stands `depth` levels deep in its document (0 for the document).
    pub fn at_depth(depth: usize) -> Self {
        Pretty {
            depth,
            has_value: false,
        }
    }
}

/// A document: its JSON and a line break.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = to_vec(value, 0)?;
    out.push(b'\n');
    // serde_json writes only what it was given as `str` and ASCII of its own.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.utf8_error()))
}

/// The JSON of a value that stands `depth` levels deep in a document.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, depth: usize) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    write(&mut out, value, depth)?;
    Ok(out)
}

/// Writes the JSON of a whole document to `out` as it is made, and a line break.
pub fn write_document<W: io::Write, T: Serialize + ?Sized>(
    out: &mut W,
    value: &T,
) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut *out,
        Pretty::at_depth(0),
    ))?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// Appends the JSON of a value that stands `depth` levels deep in a document to `out`.
pub fn write<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    depth: usize,
) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(
        out,
        Pretty::at_depth(depth),
    ))
}

/// A line break and the indentation of `depth` levels.
fn line<W: ?Sized + io::Write>(w: &mut W, depth: usize) -> io::Result<()> {
    const LINE: &[u8; 129] = b"\n                                                                                                                                ";
    let mut spaces = depth * 2;
    let first = spaces.min(LINE.len() - 1);
    w.write_all(&LINE[..=first])?;
    spaces -= first;
    while spaces > 0 {
        let more = spaces.min(LINE.len() - 1);
        w.write_all(&LINE[1..=more])?;
        spaces -= more;
    }
    Ok(())
}

impl Pretty {
    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            line(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn entry<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        line(w, self.depth)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.entry(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.entry(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        sanitize::write_json_fragment(w, fragment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> serde_json::Value {
        // Deeper than the prepared line of spaces.
        let deep = (0..70).fold(json!(1), |v, _| json!([v]));
        json!({
            "a": [],
            "b": {},
            "c": [1, [2, {"d": null}], {"e": [true, "f\u{1b}\u{7f}\u{9b}\u{202e}g"]}],
            "deep": deep,
            "h": "plain, ASCII and 日本語",
        })
    }

    /// The layout is serde_json's own; only hidden characters differ, as `\u` escapes.
    #[test]
    #[allow(clippy::disallowed_methods)] // what serde_json writes, to compare with
    fn writes_what_serde_json_writes_with_hidden_characters_escaped() {
        let ours = to_string(&sample()).unwrap();
        let theirs = serde_json::to_string_pretty(&sample())
            .unwrap()
            .replace('\u{7f}', "\\u007f")
            .replace('\u{9b}', "\\u009b")
            .replace('\u{202e}', "\\u202e")
            + "\n";
        assert_eq!(ours, theirs);
        assert!(ours.contains(r#""f\u001b\u007f\u009b\u202eg""#), "{ours}");
        let back: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(back, sample(), "the escapes read back as the same text");
    }

    /// A value made apart at depth 2 is what it would be inside a document's list.
    #[test]
    fn a_value_written_deeper_is_indented_as_inside_its_document() {
        let part = json!({"x": [1, {"y": "z"}], "w": {}});
        let whole = to_string(&json!({"list": [part.clone()]})).unwrap();
        let mut joined = b"{\n  \"list\": [\n    ".to_vec();
        write(&mut joined, &part, 2).unwrap();
        joined.extend_from_slice(b"\n  ]\n}\n");
        assert_eq!(String::from_utf8(joined).unwrap(), whole);
    }

    #[test]
    fn indentation_past_the_prepared_line_is_whole() {
        let mut out = Vec::new();
        line(&mut out, 100).unwrap();
        assert_eq!(out.len(), 201);
        assert!(out[1..].iter().all(|&b| b == b' '));
    }
}
