//! `export --format xlsx`: a workbook for people who live in spreadsheets.
//!
//! One sheet per table (Summary, Events, Remediation, Obligations, Impact, Sources,
//! Provenance), each with a frozen header row and an autofilter, and each holding the CSV's
//! columns for its kind of row. True and false are the spreadsheet's own booleans. A date known to the day is a real date cell; a
//! date known only to the month or to the instant is text (`2025-02`, RFC 3339), with a
//! `…_precision` column saying which, so no cell claims a day it does not know. Text is always
//! written as text: a title starting with `=` is never a formula, and a control or bidirectional
//! character in it is shown as `\\u{1b}`, as in every other format.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

use super::report::Report;
use crate::clock::Time;
use crate::date::When;
use crate::error::Error;
use crate::evaluate::{IncidentView, Standing, State};
use crate::model::{Count, Counted, Id, RecordStatus, Tracked};
use crate::render::labels::labels;
use crate::render::{clock_start, item_note, obligation_note};
use crate::sanitize;
use crate::text::Lang;

/// A cell as the workbook stores it.
enum Cell {
    Text(String),
    Date(NaiveDate),
    Number(f64),
    /// A spreadsheet's own TRUE or FALSE, which filters and formulas read as such.
    Bool(bool),
    Empty,
}

impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Bool(b)
    }
}

/// A day or an instant as written (`2025-04-15`, RFC 3339): a day as a date cell.
fn day_or_text(s: String) -> Cell {
    match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        Ok(d) if s.len() == 10 => Cell::Date(d),
        _ => s.into(),
    }
}

/// Every text cell is made here, so none holds a hidden character raw
/// ([`sanitize::spreadsheet_text`]).
impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(sanitize::spreadsheet_text(s).into_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        match sanitize::spreadsheet_text(&s) {
            Cow::Borrowed(_) => Cell::Text(s),
            Cow::Owned(shown) => Cell::Text(shown),
        }
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        // Day counts are far below 2^53: exact as a spreadsheet number.
        Cell::Number(n as f64)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Number(n as f64)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A count: a number where a spreadsheet holds it exactly (below 2^53), else text, so that no
/// digit is silently rounded.
fn count(n: Option<u64>) -> Cell {
    match n {
        Some(n) if n < (1 << 53) => Cell::Number(n as f64),
        Some(n) => Cell::Text(n.to_string()),
        None => Cell::Empty,
    }
}

/// A date as precise as it is known: the day as a date cell, else text, and the precision.
fn when(w: &When) -> (Cell, Cell) {
    match w {
        When::Day(d) => (Cell::Date(*d), "day".into()),
        When::Month { .. } => (Cell::Text(w.to_string()), "month".into()),
        When::Instant(_) => (Cell::Text(w.to_string()), "instant".into()),
    }
}

/// A deadline: a day as a date cell, a time as text.
fn time(t: &Time) -> Cell {
    match t {
        Time::Day(d) => Cell::Date(*d),
        other => Cell::Text(other.to_string()),
    }
}

/// For done rows: TRUE, FALSE, or the text `not known` where only a bound after the deadline
/// is recorded; empty for the rest.
fn on_time(state: State, on_time: Option<bool>) -> Cell {
    match (state, on_time) {
        (State::Done | State::DoneLate, Some(b)) => Cell::Bool(b),
        (State::Done | State::DoneLate, None) => "not known".into(),
        _ => Cell::Empty,
    }
}

/// Counts by unit in a cell: `individuals=12000; records=48000`.
fn counts(counts: &[(&str, Count)]) -> Cell {
    counts
        .iter()
        .map(|(u, c)| format!("{u}={}", c.0))
        .collect::<Vec<_>>()
        .join("; ")
        .into()
}

fn categories(c: &[crate::text::Text], lang: crate::text::Lang) -> Cell {
    // Through `From<String>`, as every text cell: categories are the record's own words.
    fit(&c.iter().map(|t| t.get(lang)).collect::<Vec<_>>().join("; ")).into()
}

fn ids(ids: &[Id]) -> Cell {
    ids.iter()
        .map(Id::as_str)
        .collect::<Vec<_>>()
        .join("; ")
        .into()
}

/// A spreadsheet cell holds at most this many characters.
const CELL_LIMIT: usize = 32_767;

/// Text cut to what a cell holds, saying so rather than failing or cutting silently.
fn fit(s: &str) -> String {
    if s.chars().count() <= CELL_LIMIT {
        return s.to_owned();
    }
    let marker = "… [cut: longer than a spreadsheet cell holds; see the JSON export]";
    let keep = CELL_LIMIT - marker.chars().count();
    s.chars().take(keep).chain(marker.chars()).collect()
}

struct Sheet {
    name: &'static str,
    columns: &'static [&'static str],
    /// How many of the first columns say which row it is, repeated on every page across.
    key_columns: usize,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Sheet {
        let key_columns = columns
            .iter()
            .zip(["incident", "id"])
            .take_while(|(a, b)| **a == *b)
            .count();
        Sheet {
            name,
            columns,
            key_columns,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.name);
        self.rows.push(row);
    }

    fn write(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let head = Format::new().set_bold().set_text_wrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let boolean = Format::new().set_num_format("\"TRUE\";\"TRUE\";\"FALSE\"");
        // Long text wraps within its column instead of widening it off the page.
        let wrap = Format::new().set_text_wrap();
        ws.set_name(self.name)?;
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.len()).collect();
        for (c, name) in self.columns.iter().enumerate() {
            ws.write_string_with_format(0, col(c), *name, &head)?;
        }
        // Column names are identifiers: a narrow column wraps its head rather than widening.
        for w in widths.iter_mut() {
            *w = (*w).min(12);
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            // Spreadsheets do not grow a row for wrapped text they did not lay out themselves.
            let mut lines = 1;
            for (c, cell) in row.iter().enumerate() {
                let width = match cell {
                    Cell::Text(s) => {
                        let (width, needed) = laid_out(s);
                        if needed > 1 {
                            lines = lines.max(needed.min(MOST_LINES));
                            ws.write_string_with_format(r, col(c), fit(s), &wrap)?;
                        } else {
                            ws.write_string(r, col(c), fit(s))?;
                        }
                        width
                    }
                    Cell::Date(d) => {
                        ws.write_date_with_format(r, col(c), d, &date)?;
                        10
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, col(c), *n)?;
                        n.to_string().len()
                    }
                    Cell::Bool(b) => {
                        // Shown as TRUE or FALSE everywhere: LibreOffice showed a boolean
                        // cell without a number format as 0 or 1.
                        ws.write_boolean_with_format(r, col(c), *b, &boolean)?;
                        5
                    }
                    Cell::Empty => 0,
                };
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(width);
                }
            }
            if lines > 1 {
                ws.set_row_height(r, 15 * lines as u32)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_row_height(0, 30)?;
        // Printed on A4 landscape at a fixed scale (see `PRINT_SCALE`): the columns run on
        // across as many pages as they need, the header row on every page, and the first
        // columns (which incident, which row) on every page across. Not "fit to N pages
        // wide": how a spreadsheet fits a sheet is its own (LibreOffice shrank a sheet asked
        // for 2 pages wide to 52 %, text at under 6 pt).
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_scale(PRINT_SCALE);
        ws.set_repeat_rows(0, 0)?;
        if self.key_columns > 0 {
            ws.set_repeat_columns(0, col(self.key_columns - 1))?;
        }
        // Across, then down: each band of rows is read whole before the next.
        ws.set_page_order(false);
        let last_row =
            u32::try_from(self.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.autofilter(0, 0, last_row, col(self.columns.len().saturating_sub(1)))?;
        for (c, w) in widths.iter().enumerate() {
            // Wide enough to read, never so wide a column leaves the screen.
            ws.set_column_width(col(c), (*w).clamp(6, WIDEST) as f64 + 2.0)?;
        }
        Ok(())
    }
}

/// The widest a column gets, in characters; longer text wraps.
const WIDEST: usize = 40;

/// The print scale, in percent: the default font (11 pt) prints at 8.8 pt, above the 8 pt
/// least readable size.
const PRINT_SCALE: u16 = 80;

/// A text's widest line, in columns, and the lines it takes in a column at most [`WIDEST`]
/// wide: its own line breaks each start one (a detail written as several lines in the YAML),
/// and a line wider than the column wraps.
fn laid_out(s: &str) -> (usize, usize) {
    s.split('\n')
        .map(unicode_width::UnicodeWidthStr::width)
        .fold((0, 0), |(widest, lines), w| {
            (widest.max(w), lines + w.div_ceil(WIDEST).max(1))
        })
}

/// The tallest a row is made, in lines: a longer text scrolls within its cell.
const MOST_LINES: usize = 12;

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

// Each sheet has the CSV's columns for its kind of row (a test holds them to it), the file
// last: the first columns say which row it is, and are repeated on every page printed across.
const SUMMARY: &[&str] = &[
    "incident",
    "title",
    "organization",
    "service",
    "reviewed",
    "overdue",
    "due_soon",
    "no_record",
    "done",
    "done_late",
    "cancelled",
    "open",
    "no_deadline",
    "dwell_days",
    "detection_to_notification_days",
    "detail",
    "file",
];
const EVENTS: &[&str] = &[
    "incident",
    "id",
    "date",
    "date_precision",
    "until",
    "ongoing",
    "kind",
    "title",
    "days_since_first",
    "days_since_previous",
    "approximate",
    "known_on",
    "sources",
    "detail",
    "file",
];
const REMEDIATION: &[&str] = &[
    "incident",
    "id",
    "title",
    "owner",
    "function",
    "due",
    "original_due",
    "rescheduled",
    "announced",
    "status",
    "known_status",
    "state",
    "days_left",
    "days_overdue",
    "days_late",
    "on_time",
    "completed",
    "completed_by",
    "last_confirmed",
    "unconfirmed_since_due",
    "known_on",
    "note",
    "sources",
    "detail",
    "file",
];
const OBLIGATIONS: &[&str] = &[
    "incident",
    "id",
    "title",
    "owner",
    "rule",
    "variant",
    "provision",
    "recipient",
    "reference",
    "period",
    "clock_start",
    "due",
    "due_day",
    "target",
    "target_day",
    "status",
    "known_status",
    "state",
    "days_left",
    "days_past_due",
    "days_late",
    "on_time",
    "completed",
    "completed_by",
    "last_confirmed",
    "unconfirmed_since_due",
    "days_overdue",
    "known_on",
    "note",
    "sources",
    "detail",
    "file",
];
const IMPACT: &[&str] = &[
    "incident",
    "figure",
    "contracts",
    "accounts",
    "up_to",
    "as_of",
    "known_on",
    "detail",
    "sources",
    "counts",
    "categories",
    "current",
    "part",
    "file",
];
const SOURCES: &[&str] = &[
    "incident",
    "id",
    "title",
    "publisher",
    "date",
    "url",
    "detail",
    "file",
];
/// The provenance: a setting and its value, or an input file and its SHA-256.
const PROVENANCE: &[&str] = &["setting", "value", "file"];

pub fn export(report: &Report<'_>) -> Result<Vec<u8>, Error> {
    let sheets = sheets(report);
    let p = &report.provenance;
    let mut workbook = Workbook::new();
    // Reproducible: the document's creation time is the export's recorded generation time.
    workbook.set_properties(
        &DocProperties::new()
            .set_title("breachline export")
            .set_creation_datetime(&p.generated_at),
    );
    let xlsx = |e: XlsxError| Error::Export(format!("cannot write the workbook: {e}"));
    let summary = summary_sheet(report);
    let provenance = provenance_sheet(report);
    for sheet in std::iter::once(&summary)
        .chain(&sheets)
        .chain(std::iter::once(&provenance))
    {
        sheet.write(workbook.add_worksheet()).map_err(xlsx)?;
    }
    workbook.save_to_buffer().map_err(xlsx)
}

/// Summary: a row per incident, with how many of its items and obligations are in each state.
fn summary_sheet(report: &Report<'_>) -> Sheet {
    let l = labels(report.lang);
    let mut s = Sheet::new("Summary", SUMMARY);
    for (file, v) in &report.incidents {
        let i = v.incident;
        let interval = |x: &Option<crate::evaluate::Interval<'_>>| -> Cell {
            x.as_ref().map_or(Cell::Empty, |x| {
                if x.days.min == x.days.max {
                    Cell::from(x.days.days)
                } else {
                    Cell::Text(crate::render::interval_days(x.days, l))
                }
            })
        };
        let text = |t: &Option<crate::text::Text>| -> Cell {
            t.as_ref()
                .map_or(Cell::Empty, |t| t.get(report.lang).into())
        };
        s.push(vec![
            i.id.as_str().into(),
            i.title.get(report.lang).into(),
            i.organization.get(report.lang).into(),
            i.service.get(report.lang).into(),
            i.reviewed.0.into(),
            v.count_in(State::Overdue).into(),
            v.count_in(State::DueSoon).into(),
            v.count_in(State::NoRecord).into(),
            v.count_in(State::Done).into(),
            v.count_in(State::DoneLate).into(),
            v.count_in(State::Cancelled).into(),
            v.count_in(State::Open).into(),
            v.count_in(State::NoDeadline).into(),
            interval(&v.intervals.dwell),
            interval(&v.intervals.detection_to_notification),
            text(&i.summary),
            (*file).into(),
        ]);
    }
    s
}

/// Provenance, on a sheet of its own so that every other sheet holds one kind of row: the
/// settings, then a row per input file with its SHA-256.
fn provenance_sheet(report: &Report<'_>) -> Sheet {
    let p = &report.provenance;
    let mut s = Sheet::new("Provenance", PROVENANCE);
    for (key, value) in [
        ("as_of", p.as_of.into()),
        ("view", p.view.as_str().into()),
        ("generated_at", p.generated_at_rfc3339().into()),
        ("breachline_version", p.version.into()),
        ("rules_sha256", p.rules_sha256.as_str().into()),
        ("soon_days", report.soon_days.into()),
        ("lang", report.lang.code().into()),
    ] {
        s.push(vec![key.into(), value, Cell::Empty]);
    }
    for input in &p.inputs {
        s.push(vec![
            "input_sha256".into(),
            input.sha256.as_str().into(),
            input.file.as_str().into(),
        ]);
    }
    s
}

/// The first cells of an item's or an obligation's row: its incident, id, title and owner.
fn named<K: Tracked>(incident: &str, what: &K, lang: Lang) -> [Cell; 4] {
    [
        incident.into(),
        what.id().as_str().into(),
        what.title().get(lang).into(),
        what.progress().owner.as_deref().into(),
    ]
}

/// Its completion as recorded, and when its status was last confirmed.
fn progress<K: Tracked>(what: &K, s: &Standing<K::Status>) -> [Cell; 4] {
    let p = what.progress();
    [
        p.completed
            .as_ref()
            .map_or(Cell::Empty, |c| day_or_text(c.to_string())),
        p.completed_by.map(|d| d.0).into(),
        s.last_confirmed.into(),
        s.unconfirmed_since_due.into(),
    ]
}

/// The cells of its status as recorded and where it stood on the day: `past_due` is its days
/// past the deadline as its sheet counts them.
fn where_it_stood<K: Tracked>(
    what: &K,
    s: &Standing<K::Status>,
    past_due: Option<i64>,
) -> [Cell; 7] {
    [
        what.progress().status.word().into(),
        s.known_status.map(RecordStatus::word).into(),
        s.state.as_str().into(),
        s.days_left.into(),
        past_due.into(),
        s.days_late.into(),
        on_time(s.state, s.on_time),
    ]
}

/// The last cells of its row: when the record knew of it, its note, sources, detail and file.
fn known<K: Tracked>(
    what: &K,
    known_on: NaiveDate,
    note: String,
    lang: Lang,
    file: &str,
) -> [Cell; 5] {
    let p = what.progress();
    let detail = p.detail.as_ref().map(|t| t.get(lang));
    [
        known_on.into(),
        note.into(),
        ids(&p.sources),
        detail.into(),
        file.into(),
    ]
}

fn sheets(report: &Report<'_>) -> [Sheet; 5] {
    let lang = report.lang;
    let l = labels(lang);
    let (mut events, mut items, mut obligations, mut impact, mut sources) = (
        Sheet::new("Events", EVENTS),
        Sheet::new("Remediation", REMEDIATION),
        Sheet::new("Obligations", OBLIGATIONS),
        Sheet::new("Impact", IMPACT),
        Sheet::new("Sources", SOURCES),
    );
    let text = |t: &Option<crate::text::Text>| -> Cell {
        t.as_ref().map_or(Cell::Empty, |t| t.get(lang).into())
    };
    for (file, v) in &report.incidents {
        let v: &IncidentView<'_> = v;
        let file: &str = file;
        let incident = v.incident.id.as_str();
        for e in &v.events {
            let ev = e.event;
            let (date, precision) = when(&ev.date);
            events.push(vec![
                incident.into(),
                ev.id.as_str().into(),
                date,
                precision,
                e.until.as_ref().map_or(Cell::Empty, |u| when(u).0),
                e.ongoing.into(),
                ev.kind.as_str().into(),
                ev.title.get(lang).into(),
                e.since_first.days.into(),
                e.since_previous.map(|d| d.days).into(),
                (e.since_first.approximate || e.since_previous.is_some_and(|d| d.approximate))
                    .into(),
                e.known_on.into(),
                ids(&ev.sources),
                text(&ev.detail),
                file.into(),
            ]);
        }
        for i in &v.remediation {
            let (r, s) = (i.item, &i.standing);
            let mut row = Vec::from(named(incident, r, lang));
            row.extend([
                r.function.map(|f| f.as_str()).into(),
                i.due.into(),
                r.due.map(|d| d.0).into(),
                i.rescheduled.into(),
                r.announced.map(|d| d.0).into(),
            ]);
            row.extend(where_it_stood(r, s, s.days_overdue()));
            row.extend(progress(r, s));
            row.extend(known(r, i.known_on, item_note(i, l), lang, file));
            items.push(row);
        }
        for o in &v.obligations {
            let ob = o.obligation;
            let mut row = Vec::from(named(incident, ob, lang));
            row.extend([
                ob.rule.as_ref().map(|r| r.as_str()).into(),
                ob.variant.as_ref().map(|v| v.as_str()).into(),
                o.provision().into(),
                o.recipient(lang).into(),
                ob.reference.as_deref().into(),
                o.period.to_string().into(),
                clock_start(o, l).into(),
                time(&o.due),
                o.due_day.into(),
                o.target.as_ref().map_or(Cell::Empty, time),
                o.target_day().into(),
            ]);
            row.extend(where_it_stood(ob, &o.standing, o.standing.days_past_due));
            row.extend(progress(ob, &o.standing));
            row.push(o.standing.days_overdue().into());
            row.extend(known(ob, o.known_on, obligation_note(o, l), lang, file));
            obligations.push(row);
        }
        // Every revision shown on the day (`current` says which is in force), each followed
        // by the parts of its breakdown (`part` numbers them).
        for (name, list) in [
            ("potential", &v.revisions.potential),
            ("confirmed", &v.revisions.confirmed),
        ] {
            for (n, f) in list.iter().enumerate() {
                let current = n + 1 == list.len();
                let fig = f.figure;
                let up_to = fig.up_to;
                impact.push(vec![
                    incident.into(),
                    name.into(),
                    count(fig.contracts.map(|c| c.0)),
                    count(fig.accounts.map(|c| c.0)),
                    up_to.into(),
                    fig.as_of.0.into(),
                    f.known_on.into(),
                    text(&fig.detail),
                    ids(&fig.sources),
                    counts(&fig.all_counts()),
                    categories(&fig.categories, lang),
                    current.into(),
                    Cell::Empty,
                    file.into(),
                ]);
                for (j, part) in fig.breakdown.iter().enumerate() {
                    impact.push(vec![
                        incident.into(),
                        name.into(),
                        count(part.contracts.map(|c| c.0)),
                        count(part.accounts.map(|c| c.0)),
                        up_to.into(),
                        fig.as_of.0.into(),
                        f.known_on.into(),
                        text(&part.detail),
                        Cell::Empty,
                        counts(&part.all_counts()),
                        categories(&part.categories, lang),
                        current.into(),
                        (j + 1).into(),
                        file.into(),
                    ]);
                }
            }
        }
        for s in &v.incident.sources {
            sources.push(vec![
                incident.into(),
                s.id.as_str().into(),
                s.title.get(lang).into(),
                s.publisher.get(lang).into(),
                s.date.map(|d| d.0).into(),
                s.url.as_deref().into(),
                text(&s.detail),
                file.into(),
            ]);
        }
    }
    [events, items, obligations, impact, sources]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_takes_a_line_for_each_of_its_own_and_for_each_wrap() {
        assert_eq!(laid_out("short"), (5, 1));
        assert_eq!(laid_out(""), (0, 1));
        assert_eq!(laid_out(&"x".repeat(WIDEST + 1)), (WIDEST + 1, 2));
        // The Japanese detail of the bundled incident's first event: a long line, then a bullet.
        let ja = "お客様情報の一部が外部に漏えいした可能性を認識\n• プレスリリースの準備";
        assert_eq!(laid_out(ja), (46, 3));
        assert_eq!(laid_out("a\nb\nc"), (1, 3));
    }

    /// Printed, text is never below 8 pt: the default 11 pt at the print scale.
    #[test]
    fn a_sheet_prints_at_a_readable_size() {
        assert!(11 * u32::from(PRINT_SCALE) >= 800);
    }

    #[test]
    fn text_longer_than_a_cell_is_cut_and_says_so() {
        let long = "x".repeat(CELL_LIMIT + 10);
        let cut = fit(&long);
        assert_eq!(cut.chars().count(), CELL_LIMIT);
        assert!(cut.ends_with("see the JSON export]"));
        assert_eq!(fit("short"), "short");
    }

    #[test]
    fn counts_a_spreadsheet_cannot_hold_exactly_stay_text() {
        assert!(matches!(count(Some(4_072_650)), Cell::Number(n) if n == 4_072_650.0));
        assert!(matches!(count(Some(u64::MAX)), Cell::Text(s) if s == u64::MAX.to_string()));
        assert!(matches!(count(None), Cell::Empty));
    }
}
