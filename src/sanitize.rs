//! Incident text is untrusted on a terminal: a title must not be able to move the cursor,
//! recolour the screen or reverse the reading order of what follows it.

use std::borrow::Cow;

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

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
