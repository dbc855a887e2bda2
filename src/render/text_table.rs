//! The plain-text table both table views print: `psql` style, left-aligned, one space of padding,
//! without trailing spaces.
//!
//! Unwrapped, it writes what tabled's `Style::psql()` writes (a test compares the two byte for
//! byte) in one pass over the cells: a timeline of 100,000 events went through tabled's
//! measuring and formatting at about 3 µs a row, here it is a copy. Cells are single lines:
//! every text that reaches a table has been through `sanitize::for_terminal`, which escapes
//! line breaks. Wrapped to a terminal, the table goes through tabled and `fit`.

use unicode_width::UnicodeWidthStr;

/// Rows of cells; the first row is the header, underlined.
#[derive(Debug, Default)]
pub struct TextTable {
    rows: Vec<Vec<String>>,
    widths: Vec<usize>,
}

impl TextTable {
    pub fn new() -> Self {
        TextTable::default()
    }

    pub fn push_record<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let row: Vec<String> = cells.into_iter().map(Into::into).collect();
        if self.widths.len() < row.len() {
            self.widths.resize(row.len(), 0);
        }
        for (width, cell) in self.widths.iter_mut().zip(&row) {
            *width = (*width).max(display_width(cell));
        }
        self.rows.push(row);
    }

    /// The table, wrapped to `width` if given (a terminal's), without a final line break.
    ///
    /// Wrapping is tabled's, with `fit` choosing the widths of the `wrap` columns; into a pipe
    /// (`None`, how large outputs are read) the table is laid out here, in one pass.
    pub fn fitted(self, wrap: &[usize], width: Option<usize>) -> String {
        let Some(width) = width else {
            return self.render();
        };
        let mut b = tabled::builder::Builder::default();
        for row in self.rows {
            b.push_record(row);
        }
        let mut t = b.build();
        t.with(tabled::settings::Style::psql());
        super::fit::fit(&mut t, wrap, width);
        super::table_text(&t)
    }

    /// The table without a final line break.
    pub fn render(&self) -> String {
        let line_width: usize = self.widths.iter().map(|w| w + 3).sum();
        let mut out = String::with_capacity((self.rows.len() + 1) * (line_width + 1));
        for (n, row) in self.rows.iter().enumerate() {
            if n > 0 {
                out.push('\n');
            }
            for (c, &width) in self.widths.iter().enumerate() {
                if c > 0 {
                    out.push('|');
                }
                let cell = row.get(c).map_or("", String::as_str);
                out.push(' ');
                out.push_str(cell);
                pad(&mut out, width - display_width(cell) + 1);
            }
            let end = out.trim_end_matches(' ').len();
            out.truncate(end);
            if n == 0 {
                out.push('\n');
                for (c, &width) in self.widths.iter().enumerate() {
                    if c > 0 {
                        out.push('+');
                    }
                    out.extend(std::iter::repeat_n('-', width + 2));
                }
            }
        }
        out
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Columns the cell takes on a terminal: escape sequences (the colours `paint` adds) take none.
fn display_width(cell: &str) -> usize {
    if !cell.contains('\x1b') {
        return cell.width();
    }
    let mut width = 0;
    let mut rest = cell;
    while let Some(start) = rest.find('\x1b') {
        width += rest[..start].width();
        let after = &rest[start + 1..];
        // CSI: ESC [ parameters, then one final byte in @..~.
        rest = match after.strip_prefix('[') {
            Some(csi) => match csi.find(|c: char| ('@'..='~').contains(&c)) {
                Some(end) => &csi[end + 1..],
                None => "",
            },
            None => after,
        };
    }
    width + rest.width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{paint, state_style};

    fn tabled(rows: &[Vec<String>]) -> String {
        let mut b = tabled::builder::Builder::default();
        for row in rows {
            b.push_record(row.clone());
        }
        let mut t = b.build();
        t.with(tabled::settings::Style::psql());
        crate::render::table_text(&t)
    }

    fn ours(rows: &[Vec<String>]) -> String {
        let mut t = TextTable::new();
        for row in rows {
            t.push_record(row.clone());
        }
        t.render()
    }

    #[test]
    fn writes_what_tabled_wrote() {
        let cells: Vec<String> = [
            "",
            "ID",
            "#0",
            "2025-04-10",
            "Incident recognised",
            "IIJセキュアMXサービス",
            "事象認識",
            "※○①→",
            "e\u{301}te\u{301}",
            "👍🏽 ok",
            "a\u{200d}b",
            "wide：全角",
            "trailing  ",
            "  leading",
            "x",
        ]
        .into_iter()
        .map(String::from)
        .chain(
            [
                crate::evaluate::State::Overdue,
                crate::evaluate::State::Done,
            ]
            .map(|s| paint(s.as_str(), state_style(s), true)),
        )
        .collect();
        // A fixed walk through many shapes and mixes of cells.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        for _ in 0..300 {
            let columns = 1 + next() % 8;
            let rows: Vec<Vec<String>> = (0..1 + next() % 6)
                .map(|_| {
                    (0..columns)
                        .map(|_| cells[next() % cells.len()].clone())
                        .collect()
                })
                .collect();
            assert_eq!(ours(&rows), tabled(&rows), "{rows:?}");
        }
    }

    #[test]
    fn colours_take_no_width() {
        let red = paint(
            "overdue",
            state_style(crate::evaluate::State::Overdue),
            true,
        );
        assert_eq!(display_width(&red), 7);
        assert_eq!(display_width("漏えい"), 6);
    }
}
