//! Fitting a table to a width: the free-text columns (titles, notes) wrap, at spaces where
//! there are any; ids, dates and states keep their width unless wider than a quarter of it.
//!
//! Each column wraps on its own, by our own line breaking rather than tabled's `Width`: a
//! table-wide wrap can squeeze a column to nothing, truncating can cut a wide character in
//! half, and tabled's `keep_words` carried spaces to the start of lines in our tests.

use tabled::grid::records::{ExactRecords, PeekableRecords, Records};
use tabled::settings::object::Columns;
use tabled::settings::Format;
use tabled::Table;
use unicode_width::UnicodeWidthChar;

/// A wrapped column keeps at least this many columns, even if the table then overflows.
const MIN_WRAP_WIDTH: usize = 12;

/// A cell wider than this (in columns, on one line) never wraps narrower than
/// [`MIN_WRAP_WIDTH`], so that the lines it takes stay in proportion to its length.
const LONG_TEXT: usize = 240;

/// Wraps the columns `columns_to_wrap` so that a psql-style table fits in `width` terminal columns.
pub fn fit(table: &mut Table, columns_to_wrap: &[usize], width: usize) {
    wrap_overlong(table, columns_to_wrap, width);
    let records = table.get_records();
    let columns = records.count_columns();
    let natural: Vec<usize> = (0..columns)
        .map(|c| {
            (0..records.count_rows())
                .map(|r| records.get_width((r, c).into()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    // psql style: a space either side of each cell and `|` between cells.
    let chrome = columns * 2 + columns.saturating_sub(1);
    let fixed: usize = natural
        .iter()
        .enumerate()
        .filter(|(c, _)| !columns_to_wrap.contains(c))
        .map(|(_, w)| w)
        .sum();
    let texts: Vec<Vec<String>> = columns_to_wrap
        .iter()
        .map(|&c| {
            (0..records.count_rows())
                .map(|r| records.get_text((r, c).into()).to_owned())
                .collect()
        })
        .collect();
    let mut wanted: Vec<usize> = columns_to_wrap
        .iter()
        .map(|&c| natural.get(c).copied().unwrap_or(0))
        .collect();
    let budget = width.saturating_sub(chrome + fixed);
    // Each column keeps room for its longest word where the width allows, so that only a word
    // longer than its column is split; where even that does not fit, the columns share what
    // there is (the width wins over whole words).
    let longest: Vec<usize> = texts
        .iter()
        .zip(&wanted)
        .map(|(cells, &natural)| {
            cells
                .iter()
                .flat_map(|t| t.split([' ', '\n']))
                .map(crate::diagnostic::display_width)
                .max()
                .unwrap_or(0)
                .min(MIN_WRAP_WIDTH)
                .min(natural)
        })
        .collect();
    // A table whose fixed columns alone overflow overflows anyway: keep its words whole.
    let mins: Vec<usize> = if longest.iter().sum::<usize>() <= budget || chrome + fixed >= width {
        longest
    } else {
        let even = (budget / wanted.len().max(1)).max(2);
        wanted.iter().map(|&n| n.min(even)).collect()
    };
    // A long text in a column squeezed to a few characters would take a line per few
    // characters, each as wide as the table: its output many times its length. It keeps
    // MIN_WRAP_WIDTH, and the table overflows instead.
    let mins: Vec<usize> = mins
        .iter()
        .zip(&wanted)
        .map(|(&min, &natural)| {
            if natural > LONG_TEXT {
                min.max(MIN_WRAP_WIDTH)
            } else {
                min
            }
        })
        .collect();
    // A column wrapped at its share may come out narrower (lines break at spaces): it keeps
    // that width and the others share what it left. Each round settles a column or stops.
    let mut targets = share(&wanted, budget, &mins);
    for _ in 0..wanted.len() {
        let used: Vec<usize> = texts
            .iter()
            .zip(&targets)
            .map(|(cells, &w)| {
                cells
                    .iter()
                    .map(|t| text_width(&wrap(t, w)))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        if used == targets {
            break;
        }
        wanted = used
            .iter()
            .zip(&wanted)
            .zip(&targets)
            .map(|((&u, &n), &t)| if u < t { u } else { n })
            .collect();
        targets = share(&wanted, budget, &mins);
    }
    for (&column, target) in columns_to_wrap.iter().zip(targets) {
        if natural.get(column).is_some_and(|&n| target < n) {
            table.modify(
                Columns::one(column),
                Format::content(move |s| wrap(s, target)),
            );
        }
    }
}

/// A column that keeps its width (an id, a date) wraps too where a cell of it is wider than a
/// quarter of the table: kept whole, one 2,000-character id would widen every wrapped line of
/// the title beside it, and the output would grow with the square of the input.
fn wrap_overlong(table: &mut Table, columns_to_wrap: &[usize], width: usize) {
    let cap = (width / 4).max(MIN_WRAP_WIDTH);
    let records = table.get_records();
    let overlong: Vec<usize> = (0..records.count_columns())
        .filter(|c| !columns_to_wrap.contains(c))
        .filter(|&c| (0..records.count_rows()).any(|r| records.get_width((r, c).into()) > cap))
        .collect();
    for column in overlong {
        table.modify(Columns::one(column), Format::content(move |s| wrap(s, cap)));
    }
}

/// Japanese closing brackets, punctuation and small kana do not start a line: when `next`
/// is one, the characters before it move to the new line with it (as long as `line` keeps
/// something and the moved part fits in `room`). Returns what moved.
fn carry_for(line: &mut String, next: char, room: usize) -> String {
    let mut carried = String::new();
    let mut first = next;
    while no_line_start(first) && line.chars().count() > 1 {
        let Some(last) = line.chars().last() else {
            break;
        };
        let moved = crate::diagnostic::display_width(&carried) + last.width().unwrap_or(0);
        if moved > room {
            break;
        }
        line.pop();
        carried.insert(0, last);
        first = last;
    }
    carried
}

fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | 'ー'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '］'
            | '｝'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
    )
}

/// The widest line of a cell.
fn text_width(text: &str) -> usize {
    text.lines()
        .map(crate::diagnostic::display_width)
        .max()
        .unwrap_or(0)
}

/// The widths the columns get: the narrow ones keep theirs, the wide ones share the rest
/// equally (the largest cap under which all fit `budget`), none below its `min` or above its
/// own.
fn share(natural: &[usize], budget: usize, min: &[usize]) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= budget {
        return natural.to_vec();
    }
    let floor = |i: usize| min.get(i).copied().unwrap_or(2);
    // The largest cap under which the columns, each at least its minimum, fit the budget.
    let total = |cap: usize| -> usize {
        natural
            .iter()
            .enumerate()
            .map(|(i, &w)| w.min(cap).max(floor(i)))
            .sum()
    };
    let widest = natural.iter().copied().max().unwrap_or(0);
    let (mut lo, mut hi) = (0, widest);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if total(mid) <= budget {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    natural
        .iter()
        .enumerate()
        .map(|(i, &w)| w.min(lo).max(floor(i)))
        .collect()
}

/// Wraps each line of prose (headings, impact figures, summaries) wider than `width` at
/// spaces, continuing it two columns further in than it starts; `None` (a pipe) leaves it.
pub fn wrap_prose(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if crate::diagnostic::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = body.len() - body.trim_start_matches(' ').len();
        let first = wrap(
            body.trim_start_matches(' '),
            width.saturating_sub(indent + 2),
        );
        for (i, part) in first.lines().enumerate() {
            let pad = if i == 0 { indent } else { indent + 2 };
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(part);
            out.push('\n');
        }
        if !line.ends_with('\n') {
            out.pop();
        }
    }
    out
}

/// Breaks `text` into lines of at most `width` columns: at spaces, and inside a word only
/// when the word alone is wider than a line (as Japanese text, written without spaces, is).
/// A wide character is never split; existing line breaks are kept.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(2);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let w = crate::diagnostic::display_width(word);
            let gap = usize::from(used > 0);
            if used + gap + w <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                used += gap + w;
                continue;
            }
            if w <= width {
                lines.push(std::mem::take(&mut line));
                line.push_str(word);
                used = w;
                continue;
            }
            // Too wide for any line: break after its hyphens where the parts fit a line.
            let parts: Vec<&str> = word.split_inclusive('-').collect();
            if parts.len() > 1
                && parts
                    .iter()
                    .all(|p| crate::diagnostic::display_width(p) <= width)
            {
                for part in parts {
                    let pw = crate::diagnostic::display_width(part);
                    let glue = usize::from(used > 0 && !line.ends_with('-'));
                    if used + glue + pw > width && used > 0 {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    } else if glue == 1 {
                        line.push(' ');
                        used += 1;
                    }
                    line.push_str(part);
                    used += pw;
                }
                continue;
            }
            // Else fill this line, then break between characters.
            if used > 0 && used + 1 < width {
                line.push(' ');
                used += 1;
            } else if used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width && used > 0 {
                    let carried = carry_for(&mut line, c, width - cw);
                    lines.push(std::mem::take(&mut line));
                    used = crate::diagnostic::display_width(&carried);
                    line = carried;
                }
                line.push(c);
                used += cw;
            }
        }
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tabled::builder::Builder;
    use tabled::settings::Style;

    #[test]
    fn wraps_at_spaces_and_splits_only_words_wider_than_a_line() {
        assert_eq!(wrap("the optional feature", 12), "the optional\nfeature");
        assert_eq!(wrap("Active! mail 6", 12), "Active! mail\n6");
        assert_eq!(wrap("a vulnerability", 8), "a vulner\nability");
        assert_eq!(wrap("セキュアMXサービス", 7), "セキュ\nアMX\nサービ\nス");
        assert_eq!(wrap("short", 12), "short");
        // Closing brackets and small kana do not start a line.
        assert_eq!(
            wrap("運用上の値（法令上は「速やかに」）", 12),
            "運用上の値（\n法令上は「速\nやかに」）"
        );
        assert_eq!(wrap("アプリケーション", 6), "アプリ\nケー\nション");
        assert_eq!(wrap("", 12), "");
    }

    #[test]
    fn narrow_columns_keep_their_width_and_wide_ones_share_the_rest() {
        assert_eq!(share(&[10, 50], 100, &[10, 12]), [10, 50]);
        assert_eq!(share(&[10, 50], 40, &[10, 12]), [10, 30]);
        assert_eq!(share(&[40, 50], 40, &[12, 12]), [20, 20]);
        assert_eq!(
            share(&[40, 50], 10, &[12, 12]),
            [12, 12],
            "never below the minimum"
        );
        assert_eq!(share(&[40, 50], 30, &[20, 5]), [20, 10]);
    }

    #[test]
    fn prose_wraps_with_its_indent() {
        let text = "  potentially affected: 6,493 contracts, 4,072,650 mail accounts\nshort\n";
        assert_eq!(
            wrap_prose(text, Some(40)),
            "  potentially affected: 6,493\n    contracts, 4,072,650 mail accounts\nshort\n"
        );
        assert_eq!(wrap_prose(text, None), text);
    }

    #[test]
    fn a_word_too_long_breaks_after_its_hyphens() {
        assert_eq!(
            wrap("Strengthen behaviour-based detection", 12),
            "Strengthen\nbehaviour-\nbased\ndetection"
        );
        assert_eq!(
            wrap("appi-final-improper-purpose (60 days)", 12),
            "appi-final-\nimproper-\npurpose (60\ndays)"
        );
    }

    fn table(title: &str) -> Table {
        let mut b = Builder::default();
        b.push_record(["ID", "Date", "Title"]);
        b.push_record(["#1", "2025-04-10", title]);
        let mut t = b.build();
        t.with(Style::psql());
        t
    }

    #[test]
    fn a_wide_title_wraps_at_words_to_the_width() {
        let mut t = table("Customer information leak in the IIJ Secure MX Service");
        fit(&mut t, &[2], 40);
        let out = t.to_string();
        for line in out.lines() {
            assert!(
                crate::diagnostic::display_width(line.trim_end()) <= 40,
                "{out}"
            );
        }
        assert!(out.contains("Customer information"), "{out}");
    }

    #[test]
    fn japanese_wraps_without_broken_characters() {
        for width in 30..45 {
            let mut t = table("IIJセキュアMXサービスにおけるお客様情報の漏えい");
            fit(&mut t, &[2], width);
            let out = t.to_string();
            assert!(!out.contains('\u{FFFD}'), "{width}: {out}");
            let joined: String = out
                .lines()
                .skip(2)
                .filter_map(|l| l.rsplit('|').next())
                .map(str::trim)
                .collect();
            assert_eq!(
                joined, "IIJセキュアMXサービスにおけるお客様情報の漏えい",
                "{out}"
            );
        }
    }

    #[test]
    fn a_table_that_fits_is_left_alone() {
        let mut t = table("short");
        let before = t.to_string();
        fit(&mut t, &[2], 80);
        assert_eq!(t.to_string(), before);
    }
}
