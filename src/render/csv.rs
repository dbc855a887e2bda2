//! `export --format csv`: one table for spreadsheets (RFC 4180: comma-separated, every cell
//! quoted, CRLF line ends, UTF-8).
//!
//! One header row, then rows that all have the same columns; the `record` column says what a
//! row is: `provenance` (as-of day, generation time, version, settings), `input` (a file and
//! its SHA-256), `event`, `remediation` or `obligation`. A single rectangular table opens the same way in
//! Excel, LibreOffice, pandas and the `csv` crate, where comment lines or a second header
//! would not; filter on `record` to get one kind of row.
//!
//! Every cell goes through [`sanitize::csv_cell`]: a cell a spreadsheet would run as a
//! formula gets a leading `'` (OWASP CSV-injection guidance).

use std::borrow::Cow;

use chrono::NaiveDate;

use super::report::Report;
use crate::error::Error;
use crate::evaluate::{Days, EventView, ItemView, ObligationView, Standing, State};
use crate::model::{Count, Counted, Id, RecordStatus, Tracked};
use crate::render::labels::labels;
use crate::render::{clock_start, item_note, obligation_note};
use crate::sanitize;
use crate::text::{Lang, Text};

/// The columns, in order. docs/exports.md describes each.
pub const COLUMNS: [&str; 58] = [
    "record",
    "incident",
    "file",
    "id",
    "date",
    "until",
    "ongoing",
    "kind",
    "function",
    "rule",
    "period",
    "title",
    "clock_start",
    "due",
    "due_day",
    "original_due",
    "rescheduled",
    "announced",
    "known_on",
    "status",
    "known_status",
    "state",
    "days_since_first",
    "days_since_previous",
    "approximate",
    "days_left",
    "days_overdue",
    "days_past_due",
    "days_late",
    "on_time",
    "completed",
    "completed_by",
    "last_confirmed",
    "unconfirmed_since_due",
    "owner",
    "note",
    "sources",
    "detail",
    "value",
    // Added after the first release of this layout: new columns go last, so that a sheet
    // that reads columns by position keeps working.
    "incident_title",
    "organization",
    "service",
    "reviewed",
    "contracts",
    "accounts",
    "as_of",
    "publisher",
    "url",
    "up_to",
    "counts",
    "categories",
    "current",
    // The reporting rules as the law counts them (issue 21).
    "variant",
    "provision",
    "recipient",
    "reference",
    "target",
    "target_day",
];

/// A row under construction: column name to cell.
struct Row<'a>(Vec<(&'static str, Cow<'a, str>)>);

impl<'a> Row<'a> {
    fn new(record: &'static str) -> Self {
        Row(vec![("record", Cow::Borrowed(record))])
    }

    fn set(mut self, column: &'static str, value: impl Into<Cow<'a, str>>) -> Self {
        self.0.push((column, value.into()));
        self
    }

    fn opt<T: ToString>(self, column: &'static str, value: Option<T>) -> Self {
        match value {
            Some(v) => self.set(column, v.to_string()),
            None => self,
        }
    }

    /// The cells in column order, neutralised; columns not set are empty.
    fn cells(&self) -> Vec<Cow<'_, str>> {
        COLUMNS
            .iter()
            .map(|c| {
                self.0
                    .iter()
                    .find(|(k, _)| k == c)
                    .map_or(Cow::Borrowed(""), |(_, v)| sanitize::csv_cell(v))
            })
            .collect()
    }
}

/// For done rows: `true`, `false`, or `not known` where only a bound after the deadline is
/// recorded; empty for the rest.
fn on_time(state: State, on_time: Option<bool>) -> Option<&'static str> {
    match (state, on_time) {
        (State::Done | State::DoneLate, Some(b)) => Some(flag(b)),
        (State::Done | State::DoneLate, None) => Some("not known"),
        _ => None,
    }
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Counts by unit in a cell: `individuals=12000; records=48000`.
fn counts(counts: &[(&str, Count)]) -> String {
    counts
        .iter()
        .map(|(u, c)| format!("{u}={}", c.0))
        .collect::<Vec<_>>()
        .join("; ")
}

fn categories(c: &[Text], lang: Lang) -> String {
    c.iter().map(|t| t.get(lang)).collect::<Vec<_>>().join("; ")
}

fn ids(ids: &[Id]) -> String {
    ids.iter().map(Id::as_str).collect::<Vec<_>>().join("; ")
}

fn event_row<'a>(incident: &'a str, file: &'a str, e: &EventView<'a>, r: &Report<'_>) -> Row<'a> {
    let ev = e.event;
    let approximate =
        e.since_first.approximate || e.since_previous.is_some_and(|d: Days| d.approximate);
    Row::new("event")
        .set("incident", incident)
        .set("file", file)
        .set("id", ev.id.as_str())
        .set("date", ev.date.to_string())
        .opt("until", e.until)
        .set("ongoing", flag(e.ongoing))
        .set("kind", ev.kind.as_str())
        .set("title", ev.title.get(r.lang))
        .set("days_since_first", e.since_first.days.to_string())
        .opt("days_since_previous", e.since_previous.map(|d| d.days))
        .set("approximate", flag(approximate))
        .set("known_on", e.known_on.to_string())
        .set("sources", ids(&ev.sources))
        .opt("detail", ev.detail.as_ref().map(|d| d.get(r.lang)))
}

fn item_row<'a>(incident: &'a str, file: &'a str, i: &ItemView<'a>, r: &Report<'_>) -> Row<'a> {
    let note = item_note(i, labels(r.lang));
    let row = (incident, file);
    tracked_row(
        "remediation",
        row,
        i.item,
        &i.standing,
        i.known_on,
        note,
        r.lang,
    )
    .opt("function", i.item.function.map(|f| f.as_str()))
    .opt("due", i.due)
    .opt("original_due", i.item.due)
    .set("rescheduled", i.rescheduled.to_string())
    .opt("announced", i.item.announced)
}

fn obligation_row<'a>(
    incident: &'a str,
    file: &'a str,
    o: &ObligationView<'a>,
    r: &Report<'_>,
) -> Row<'a> {
    let ob = o.obligation;
    let l = labels(r.lang);
    let row = (incident, file);
    tracked_row(
        "obligation",
        row,
        ob,
        &o.standing,
        o.known_on,
        obligation_note(o, l),
        r.lang,
    )
    .opt("rule", ob.rule.as_ref().map(|x| x.as_str()))
    .opt("variant", ob.variant.as_ref().map(|x| x.as_str()))
    .opt("provision", o.provision())
    .opt("recipient", o.recipient(r.lang))
    .opt("reference", ob.reference.as_deref())
    .opt("target", o.target)
    .opt("target_day", o.target_day().map(|d| d.format("%Y-%m-%d")))
    .set("period", o.period.to_string())
    .set("clock_start", clock_start(o, l))
    .set("due", o.due.to_string())
    .set("due_day", o.due_day.format("%Y-%m-%d").to_string())
    // Past the deadline whether overdue or unrecorded; `days_overdue` only where the record
    // says it was not filed.
    .opt("days_past_due", o.standing.days_past_due)
}

/// The cells an item's and an obligation's rows share: what it is, its progress as recorded,
/// where it stood on the day (`standing`), and `note`.
fn tracked_row<'a, K: Tracked>(
    record: &'static str,
    (incident, file): (&'a str, &'a str),
    what: &'a K,
    standing: &Standing<K::Status>,
    known_on: NaiveDate,
    note: String,
    lang: Lang,
) -> Row<'a> {
    let p = what.progress();
    Row::new(record)
        .set("incident", incident)
        .set("file", file)
        .set("id", what.id().as_str())
        .set("title", what.title().get(lang))
        .set("known_on", known_on.to_string())
        .set("status", p.status.word())
        .opt(
            "known_status",
            standing.known_status.map(RecordStatus::word),
        )
        .set("state", standing.state.as_str())
        .opt("days_left", standing.days_left)
        .opt("days_overdue", standing.days_overdue())
        .opt("days_late", standing.days_late)
        .opt("on_time", on_time(standing.state, standing.on_time))
        .opt("completed", p.completed)
        .opt("completed_by", p.completed_by)
        .opt("last_confirmed", standing.last_confirmed)
        .set(
            "unconfirmed_since_due",
            flag(standing.unconfirmed_since_due),
        )
        .opt("owner", p.owner.as_deref())
        .set("note", note)
        .set("sources", ids(&p.sources))
        .opt("detail", p.detail.as_ref().map(|d| d.get(lang)))
}

fn rows<'a>(r: &'a Report<'a>) -> Vec<Row<'a>> {
    let p = &r.provenance;
    let setting = |key: &'static str, value: String| {
        Row::new("provenance").set("id", key).set("value", value)
    };
    let mut rows = vec![
        setting("as_of", p.as_of.format("%Y-%m-%d").to_string()),
        setting("view", p.view.as_str().to_owned()),
        setting("generated_at", p.generated_at_rfc3339()),
        setting("breachline_version", p.version.to_owned()),
        setting("rules_sha256", p.rules_sha256.clone()),
        setting("soon_days", r.soon_days.to_string()),
        setting("lang", r.lang.code().to_owned()),
    ];
    for input in &p.inputs {
        let incident = r
            .incidents
            .iter()
            .find(|(file, _)| *file == input.file)
            .map(|(_, v)| v.incident.id.as_str());
        rows.push(
            Row::new("input")
                .opt("incident", incident)
                .set("file", input.file.as_str())
                .set("value", input.sha256.as_str()),
        );
    }
    for (file, view) in &r.incidents {
        let i = view.incident;
        let id = i.id.as_str();
        let lang = r.lang;
        let title = i.title.get(lang);
        let text = |t: &'a Option<crate::text::Text>| t.as_ref().map(|t| t.get(lang));
        rows.push(
            Row::new("incident")
                .set("incident", id)
                .set("file", *file)
                .set("id", id)
                .set("title", title)
                .set("organization", i.organization.get(lang))
                .set("service", i.service.get(lang))
                .set("reviewed", i.reviewed.to_string())
                .opt("detail", text(&i.summary)),
        );
        let first = rows.len();
        rows.extend(view.events.iter().map(|e| event_row(id, file, e, r)));
        rows.extend(view.remediation.iter().map(|i| item_row(id, file, i, r)));
        rows.extend(
            view.obligations
                .iter()
                .map(|o| obligation_row(id, file, o, r)),
        );
        // One row per revision shown on the day (`current` says which is in force), then a
        // row per part of its breakdown.
        for (name, list) in [
            ("potential", &view.revisions.potential),
            ("confirmed", &view.revisions.confirmed),
        ] {
            for (n, f) in list.iter().enumerate() {
                let current = flag(n + 1 == list.len());
                let figure = f.figure;
                rows.push(
                    Row::new("impact")
                        .set("incident", id)
                        .set("file", *file)
                        .set("id", name)
                        .opt("contracts", figure.contracts.map(|c| c.0))
                        .opt("accounts", figure.accounts.map(|c| c.0))
                        .set("up_to", flag(figure.up_to))
                        .set("as_of", figure.as_of.to_string())
                        .set("known_on", f.known_on.to_string())
                        .set("sources", ids(&figure.sources))
                        .opt("detail", text(&figure.detail))
                        .set("counts", counts(&figure.all_counts()))
                        .set("categories", categories(&figure.categories, lang))
                        .set("current", current),
                );
                for part in &figure.breakdown {
                    rows.push(
                        Row::new("impact_part")
                            .set("incident", id)
                            .set("file", *file)
                            .set("id", name)
                            .opt("contracts", part.contracts.map(|c| c.0))
                            .opt("accounts", part.accounts.map(|c| c.0))
                            .set("up_to", flag(figure.up_to))
                            .set("as_of", figure.as_of.to_string())
                            .opt("detail", text(&part.detail))
                            .set("counts", counts(&part.all_counts()))
                            .set("categories", categories(&part.categories, lang))
                            .set("current", current),
                    );
                }
            }
        }
        for s in &i.sources {
            rows.push(
                Row::new("source")
                    .set("incident", id)
                    .set("file", *file)
                    .set("id", s.id.as_str())
                    .set("title", s.title.get(lang))
                    .set("publisher", s.publisher.get(lang))
                    .opt("date", s.date)
                    .opt("url", s.url.as_deref())
                    .opt("detail", text(&s.detail)),
            );
        }
        // Every row of the incident names it in words too, for filters and pivot tables.
        for row in rows.iter_mut().skip(first - 1) {
            row.0.push(("incident_title", Cow::Borrowed(title)));
        }
    }
    rows
}

/// The CSV bytes; with `bom`, preceded by a UTF-8 byte-order mark.
pub fn export(report: &Report<'_>, bom: bool) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let fail = |e: csv::Error| Error::Export(e.to_string());
    w.write_record(COLUMNS).map_err(fail)?;
    for row in rows(report) {
        w.write_record(row.cells().iter().map(|c| c.as_bytes()))
            .map_err(fail)?;
    }
    w.into_inner().map_err(|e| Error::Export(e.to_string()))
}
