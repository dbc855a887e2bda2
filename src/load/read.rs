//! Reading one input: its bytes, at most the size allowed, from a regular file only, and
//! their encoding; and how its path is shown.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::sanitize;

/// A path as messages show it: as given, with bytes that are not UTF-8 written `\xNN` (so that
/// two such names stay distinct) and control characters escaped (a file name must not be able
/// to drive the terminal).
pub fn display_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(&sanitize::for_terminal(chunk.valid()));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        sanitize::for_terminal(&path.to_string_lossy()).into_owned()
    }
}

pub(super) fn is_broken_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && fs::metadata(path).is_err()
}

pub(super) fn too_big(display: &str, size: Option<u64>, max: u64) -> Diagnostic {
    let message = match size {
        Some(size) => format!("file is {size} bytes, more than the limit of {max} bytes"),
        None => format!("file is larger than the limit of {max} bytes"),
    };
    Diagnostic::error(display, message)
        .with_help("split the incident, or raise the limit with --max-file-size BYTES")
}

/// Reads at most one byte more than `max`: the size on disk may be unknown (a pipe, a device
/// such as /dev/zero) or change while reading.
pub(super) fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    let display = display_path(path);
    let cannot = |e: io::Error| Box::new(Diagnostic::error(&display, format!("cannot read: {e}")));
    // Opening a FIFO waits for a writer, perhaps forever, and a device may never end: only
    // regular files are read. Looked at before opening, and again on the file opened.
    let not_regular = |meta: &fs::Metadata| {
        (!meta.is_file()).then(|| {
            Box::new(
                Diagnostic::error(
                    &display,
                    format!(
                        "this is {}, not a regular file: breachline reads incident files only",
                        kind_of(meta)
                    ),
                )
                .with_help("save the incident to a file and name that file"),
            )
        })
    };
    if let Some(d) = fs::metadata(path).ok().as_ref().and_then(not_regular) {
        return Err(d);
    }
    let file = fs::File::open(path).map_err(cannot)?;
    if let Some(d) = file.metadata().ok().as_ref().and_then(not_regular) {
        return Err(d);
    }
    let on_disk = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    if let Some(size) = on_disk.filter(|&size| size > max) {
        return Err(Box::new(too_big(&display, Some(size), max)));
    }
    // Room for the whole file and the byte that would show it grew: read in one call, rather
    // than in a buffer doubling from a few bytes (nine reads for a 3 kB file).
    let room = on_disk.map_or(0, |size| size.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(Box::new(too_big(&display, None, max)));
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, in words.
pub(super) fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        } else if t.is_socket() {
            return "a socket";
        } else if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "neither a file nor a directory"
    }
}

/// Checks the encoding: UTF-8, with an optional byte-order mark.
pub(super) fn decode<'a>(display: &str, bytes: &'a [u8]) -> Result<&'a str, Box<Diagnostic>> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if bytes.starts_with(BOM) {
        // serde_yaml would take the second for text before the first key ("missing field").
        return Err(Box::new(
            Diagnostic::error(display, "file starts with two byte-order marks (U+FEFF); one at most is allowed")
                .with_help("remove the extra mark: save the file as UTF-8 again (with or without one byte-order mark), or delete the first invisible character"),
        ));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Box::new(
            Diagnostic::error(display, "file is UTF-16 text; breachline reads UTF-8")
                .with_help("save the file as UTF-8 (most editors offer it under \"encoding\")"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        let mut d = Diagnostic::error(
            display,
            format!(
                "file is not UTF-8 text: invalid byte 0x{:02X} at line {line}, column {column}",
                bytes[e.valid_up_to()]
            ),
        )
        .with_help(
            "save the file as UTF-8; if it is not an incident file, move it out of the directory",
        );
        d.location = Some(Location { line, column });
        Box::new(d)
    })?;
    match first_not_allowed(text) {
        None => Ok(text),
        Some((at, c)) => {
            // serde_yaml reports these without a position: find it here.
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            let mut d = Diagnostic::error(
                display,
                format!(
                    "file holds the control character U+{:04X} at line {line}, column {column}, which YAML does not allow",
                    u32::from(c)
                ),
            )
            .with_help("remove it (editors often show it as nothing at all); if this is not an incident file, move it out of the directory");
            d.location = Some(Location { line, column });
            Err(Box::new(d))
        }
    }
}

/// The first character YAML does not allow, and where it is. Every file is read through this,
/// so it looks at bytes: only the few that can begin such a character (C0 controls, DEL, and
/// the lead bytes of U+0080..U+00BF and U+F000..U+FFFF) are decoded and checked.
fn first_not_allowed(text: &str) -> Option<(usize, char)> {
    const SUSPECT: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
            b += 1;
        }
        table[0x7F] = true;
        table[0xC2] = true;
        table[0xEF] = true;
        table
    };
    // Blocks of printable ASCII, tabs and line breaks (most of most files) are passed over
    // with a test that has no branch per byte, so it runs many bytes a step.
    const BLOCK: usize = 32;
    let maybe = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b >= 0x7F);
    for (n, block) in text.as_bytes().chunks(BLOCK).enumerate() {
        if !block.iter().fold(false, |any, &b| any | maybe(b)) {
            continue;
        }
        for (i, &b) in block.iter().enumerate() {
            if SUSPECT[usize::from(b)] {
                let at = n * BLOCK + i;
                // `at` starts a character: every suspect byte is ASCII or a lead byte.
                let c = text[at..].chars().next()?;
                if !yaml_allows(c) {
                    return Some((at, c));
                }
            }
        }
    }
    None
}

/// The characters YAML allows in a stream, as libyaml (serde_yaml's parser) checks them.
pub(super) fn yaml_allows(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds exactly what a scan of every character finds, for every character,
    /// alone and between others.
    #[test]
    fn the_byte_scan_agrees_with_yaml_allows_on_every_character() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let alone = c.to_string();
            let expected = (!yaml_allows(c)).then_some((0, c));
            assert_eq!(
                first_not_allowed(&alone),
                expected,
                "U+{:04X}",
                u32::from(c)
            );
            let between = format!("aé（{c}");
            let at = "aé（".len();
            assert_eq!(
                first_not_allowed(&between),
                expected.map(|(_, c)| (at, c)),
                "U+{:04X}",
                u32::from(c)
            );
        }
        assert_eq!(
            first_not_allowed("ok\u{85}\u{9b}x\u{7}"),
            Some((4, '\u{9b}'))
        );
    }
}
