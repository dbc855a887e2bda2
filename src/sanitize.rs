//! Incident text is untrusted in every output. On a terminal a title must not be able to move
//! the cursor, recolour the screen or reverse the reading order of what follows it; in a
//! Markdown table it must not end its cell, in HTML it must not become markup, in a spreadsheet
//! it must not run as a formula, in a calendar it must not start a new property. The escapers
//! live together here so that they can be reviewed together.
//!
//! One rule holds in every format: no control character (C0 other than the format's own line
//! breaks and tab, DEL, C1) and no bidirectional override or isolate from incident text is
//! written raw. Each is written in the visible form `\u{1b}` (JSON: its own `\u001b` escape),
//! so that a reader sees that something was there and what it was (docs/exports.md).

use std::borrow::Cow;
use std::io;

/// Escapes control characters (C0, DEL, C1, including ESC) and bidirectional overrides.
/// Tabs become spaces; everything else passes through unchanged.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c == '\t' {
            out.push(' ');
        } else if needs_escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// A character no output writes raw: a control character other than a line break (LF, CR) or
/// tab, DEL, a C1 control, or a bidirectional control.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_bidi_control(c)
}

/// Appends the visible form of a hidden character, `\u{1b}`: the same as the terminal shows.
fn push_visible(out: &mut String, c: char) {
    out.extend(c.escape_unicode());
}

/// Writes a run of a JSON string that serde_json left unescaped (it escapes only C0, quotes
/// and backslashes), with DEL, C1 and bidirectional controls as `\uXXXX` escapes: every
/// hidden character serde_json leaves is in the Basic Multilingual Plane, so one escape each.
pub fn write_json_fragment<W: ?Sized + io::Write>(w: &mut W, s: &str) -> io::Result<()> {
    // Most text holds none: every byte of their UTF-8 is DEL or above, and the first is one of
    // these (a test checks).
    let bytes = s.as_bytes();
    if !has_del_or_above(bytes) || !bytes.iter().any(|b| matches!(b, 0x7F | 0xC2 | 0xD8 | 0xE2)) {
        return w.write_all(s.as_bytes());
    }
    let mut start = 0;
    for (at, c) in s.char_indices() {
        if is_hidden(c) {
            w.write_all(&s.as_bytes()[start..at])?;
            write!(w, "\\u{:04x}", u32::from(c))?;
            start = at + c.len_utf8();
        }
    }
    w.write_all(&s.as_bytes()[start..])
}

/// Whether any byte is 0x7F or above, eight bytes a step: JSON strings are mostly short ASCII,
/// where a byte-by-byte look costs more than the rest of writing them.
fn has_del_or_above(bytes: &[u8]) -> bool {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte's low seven bits plus one reach its high bit only from 0x7F, and cannot carry
    // into the next byte; a byte of 0x80 or more has that bit already.
    let word = |w: u64| (w | (w & LOW7).wrapping_add(ONES)) & HIGH != 0;
    let mut chunks = bytes.chunks_exact(8);
    let any = chunks
        .by_ref()
        .any(|c| word(u64::from_le_bytes(c.try_into().unwrap_or_default())));
    let rest = chunks.remainder();
    any || rest.iter().any(|&b| b >= 0x7F)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Escapes text for a Markdown table cell (or any inline position): pipes, backslashes, line
/// breaks, inline HTML and the characters that start emphasis, code or links.
pub fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values. Hidden characters
/// ([`is_hidden`]) are shown as `\u{1b}`; a carriage return is a line break.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            '\n' | '\t' => out.push(c),
            c if is_hidden(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Whether `url` is an `http` or `https` URL: the only kind an export carries as a URL or a
/// link. A `javascript:`, `data:` or `file:` URL from an incident file is dropped from STIX and
/// VERIS, shown as text only in HTML and Markdown, and warned about by `validate`.
pub fn is_web_url(url: &str) -> bool {
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    scheme.starts_with("http://") || scheme.starts_with("https://")
}

/// A source URL fit to be a link target, or `None` to show it as text only.
///
/// Only `http` and `https` are linked (a `javascript:` or `data:` URL from an incident file must
/// not become clickable). Bytes outside printable ASCII and the characters that could end a
/// Markdown link destination or an HTML attribute are percent-encoded, so the result can go
/// inside `<...>` in Markdown and, HTML-escaped, inside `href="..."`.
pub fn link_url(url: &str) -> Option<String> {
    if !is_web_url(url) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_graphic() && !b"<>\"'`\\{}|^".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

/// Neutralises a CSV cell that a spreadsheet would run as a formula (OWASP "CSV Injection"):
/// a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (or, as a precaution for
/// Japanese input methods, their full-width forms) gets a leading single quote. The CSV writer
/// quotes every cell, so separators and quotes inside the text cannot start a new cell.
/// Hidden characters ([`is_hidden`]) are shown as `\u{1b}`, and a carriage return not followed
/// by a line feed (which would send a terminal back to the start of the line) becomes CR LF.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let s = csv_visible(s);
    match s.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}',
        ) => Cow::Owned(format!("'{s}")),
        _ => s,
    }
}

fn csv_visible(s: &str) -> Cow<'_, str> {
    let lone_cr = |(i, c): (usize, char)| c == '\r' && s.as_bytes().get(i + 1) != Some(&b'\n');
    if !s
        .char_indices()
        .any(|(i, c)| is_hidden(c) || lone_cr((i, c)))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if is_hidden(c) {
            push_visible(&mut out, c);
        } else if lone_cr((i, c)) {
            out.push_str("\r\n");
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Prepares text for an iCalendar TEXT value: line breaks become `\n` (the calendar writer
/// then escapes them with backslashes, commas and semicolons) and hidden characters
/// ([`is_hidden`]), which RFC 5545 does not allow in a value or which reorder what follows,
/// are shown as `\u{1b}`. A bare carriage return would otherwise end the content line and let
/// a title start a property of its own.
pub fn calendar_text(s: &str) -> Cow<'_, str> {
    shown_with_line_breaks(s)
}

/// Prepares text for a spreadsheet cell: line breaks stay line breaks within the cell (a bare
/// carriage return becomes one) and hidden characters ([`is_hidden`]) are shown as `\u{1b}`.
/// The workbook writer stores a C0 control as `_x001B_`, which a spreadsheet reads back as the
/// control itself, and C1 and bidirectional controls as they are.
pub fn spreadsheet_text(s: &str) -> Cow<'_, str> {
    shown_with_line_breaks(s)
}

fn shown_with_line_breaks(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c == '\r' || is_hidden(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if is_hidden(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
    }

    #[test]
    fn plain_and_japanese_text_pass_unchanged() {
        assert!(matches!(for_terminal("漏えい leak"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_ansi_and_bidi_controls() {
        assert_eq!(for_terminal("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(for_terminal("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(for_terminal("line\nbreak\ttab"), "line\\u{a}break tab");
    }

    #[test]
    fn markdown_cells_cannot_break_the_table_or_inject_html() {
        assert_eq!(markdown_cell("a|b"), "a\\|b");
        assert_eq!(markdown_cell("line\r\nnext"), "line<br>next");
        assert_eq!(markdown_cell("<script>"), "&lt;script&gt;");
        assert_eq!(markdown_cell("[x](javascript:y)"), "\\[x\\](javascript:y)");
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(html("bell\x07 ok\n漏えい"), "bell\\u{7} ok\n漏えい");
        assert_eq!(html("a\r\nb\rc\u{202e}"), "a\nb\nc\\u{202e}");
    }

    #[test]
    fn only_web_urls_become_links_and_they_cannot_break_out() {
        assert_eq!(link_url("javascript:alert(1)"), None);
        assert_eq!(link_url("JaVaScRiPt:alert(1)"), None);
        assert_eq!(link_url("data:text/html,<script>"), None);
        assert_eq!(link_url("ftp://example.org/"), None);
        assert_eq!(
            link_url("HTTPS://example.org/a b\"><x>"),
            Some("HTTPS://example.org/a%20b%22%3E%3Cx%3E".into())
        );
        assert_eq!(
            link_url("https://例.jp/?q=1&r=(2)").as_deref(),
            Some("https://%E4%BE%8B.jp/?q=1&r=(2)")
        );
    }

    #[test]
    fn csv_cells_that_would_run_as_formulas_get_a_quote() {
        for bad in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\tx",
            "\r\nx",
            "＝1+1",
        ] {
            assert_eq!(csv_cell(bad), format!("'{bad}"), "{bad:?}");
        }
        assert_eq!(csv_cell("\rx"), "'\r\nx");
        for fine in ["R1", "2025-04-10", "a=b", "", "漏えい", "'quoted"] {
            assert!(matches!(csv_cell(fine), Cow::Borrowed(_)), "{fine:?}");
        }
    }

    #[test]
    fn hidden_characters_are_shown_in_every_escaper() {
        let s = "a\x1b\x07\x7f\u{9b}\u{85}\u{202e}\u{2066}b";
        let visible = "a\\u{1b}\\u{7}\\u{7f}\\u{9b}\\u{85}\\u{202e}\\u{2066}b";
        assert_eq!(markdown_cell(s), visible);
        assert_eq!(html(s), visible);
        assert_eq!(csv_cell(s), visible);
        assert_eq!(calendar_text(s), visible);
        assert_eq!(spreadsheet_text(s), visible);
        assert_eq!(csv_cell("a\rb\r\nc"), "a\r\nb\r\nc");
        let mut json = Vec::new();
        write_json_fragment(&mut json, "a\u{7f}\u{9b}\u{85}\u{202e}\u{2066}b").unwrap();
        assert_eq!(json, b"a\\u007f\\u009b\\u0085\\u202e\\u2066b");
    }

    #[test]
    fn the_word_at_a_time_look_finds_every_byte_from_del_up_wherever_it_stands() {
        for b in 0..=255u8 {
            for len in 1..20 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    assert_eq!(
                        has_del_or_above(&bytes),
                        b >= 0x7F,
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert!(!has_del_or_above(b""));
        assert!(!has_del_or_above(&[0x7E; 17]));
    }

    /// The quick look for hidden characters in JSON misses none of those serde_json leaves.
    #[test]
    fn every_hidden_character_past_c0_starts_with_a_byte_the_json_escaper_looks_for() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if is_hidden(c) && u32::from(c) >= 0x20 {
                let mut bytes = [0; 4];
                let lead = c.encode_utf8(&mut bytes).as_bytes()[0];
                assert!(
                    matches!(lead, 0x7F | 0xC2 | 0xD8 | 0xE2),
                    "U+{:04X}",
                    u32::from(c)
                );
                let mut out = Vec::new();
                write_json_fragment(&mut out, c.encode_utf8(&mut bytes)).unwrap();
                assert_eq!(out, format!("\\u{:04x}", u32::from(c)).into_bytes());
            }
        }
    }

    #[test]
    fn calendar_text_keeps_line_breaks_and_drops_other_controls() {
        assert_eq!(calendar_text("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(calendar_text("x\x1b[31my\x00"), "x\\u{1b}[31my\\u{0}");
        assert_eq!(calendar_text("\u{9b}\u{202e}"), "\\u{9b}\\u{202e}");
        assert!(matches!(calendar_text("a\tb"), Cow::Borrowed(_)));
    }
}
