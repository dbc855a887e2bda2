//! `timeline --format json` and `status --format json`: stable keys for other tools.
//!
//! Texts are resolved to the requested language; dates are `YYYY-MM-DD` (or as written for
//! event dates); absent values are `null` rather than missing, so consumers see every key.

use std::io;

use chrono::NaiveDate;
use serde::Serialize;

use crate::clock::{Period, Time};
use crate::date::{Day, Moment, When};
use crate::evaluate::{
    AfterBasis, AsOf, ClockStart, Days, FigureView, IncidentView, Interval, ItemView,
    ObligationView, State, View,
};
use crate::model::{CsfFunction, EventKind, Id, ObligationStatus, Rule, StartsAt, Status};
use crate::text::Lang;

#[derive(Serialize)]
struct Document<T> {
    as_of: NaiveDate,
    view: View,
    #[serde(skip_serializing_if = "Option::is_none")]
    soon_days: Option<i64>,
    incidents: Vec<T>,
}

#[derive(Serialize)]
struct TimelineIncident<'a> {
    id: &'a Id,
    title: &'a str,
    file: &'a str,
    events: Vec<EventJson<'a>>,
    intervals: IntervalsJson<'a>,
}

#[derive(Serialize)]
struct EventJson<'a> {
    id: &'a Id,
    date: When,
    until: Option<When>,
    ongoing: bool,
    kind: EventKind,
    title: &'a str,
    detail: Option<&'a str>,
    sources: &'a [Id],
    days_since_first: i64,
    days_since_previous: Option<i64>,
    approximate: bool,
    /// The least and greatest counts the record allows (equal unless `approximate`).
    days_since_first_min: i64,
    days_since_first_max: i64,
    days_since_previous_min: Option<i64>,
    days_since_previous_max: Option<i64>,
    known_on: NaiveDate,
}

/// The key intervals as both JSON outputs write them (`timeline --format json`, `export`).
#[derive(Serialize)]
pub(crate) struct IntervalsJson<'a> {
    dwell: Option<IntervalJson<'a>>,
    detection_to_notification: Option<IntervalJson<'a>>,
    detection_to_disclosure: Option<IntervalJson<'a>>,
}

#[derive(Serialize)]
struct IntervalJson<'a> {
    from: &'a Id,
    to: &'a Id,
    days: i64,
    days_min: i64,
    days_max: i64,
    approximate: bool,
}

impl<'a> IntervalsJson<'a> {
    pub(crate) fn of(k: &crate::evaluate::KeyIntervals<'a>) -> Self {
        IntervalsJson {
            dwell: interval(&k.dwell),
            detection_to_notification: interval(&k.detection_to_notification),
            detection_to_disclosure: interval(&k.detection_to_disclosure),
        }
    }
}

fn interval<'a>(i: &Option<Interval<'a>>) -> Option<IntervalJson<'a>> {
    i.as_ref().map(|i| IntervalJson {
        from: &i.from.id,
        to: &i.to.id,
        days: i.days.days,
        days_min: i.days.min,
        days_max: i.days.max,
        approximate: i.days.approximate,
    })
}

/// One `timeline` JSON document for all incidents.
pub fn timeline(views: &[(&str, IncidentView<'_>)], as_of: AsOf, lang: Lang) -> String {
    to_string(&timeline_document(views, as_of, lang))
}

fn timeline_document<'a>(
    views: &'a [(&str, IncidentView<'_>)],
    as_of: AsOf,
    lang: Lang,
) -> Document<TimelineIncident<'a>> {
    Document {
        as_of: as_of.date,
        view: as_of.view,
        soon_days: None,
        incidents: views
            .iter()
            .map(|(file, v)| timeline_incident(file, v, lang))
            .collect(),
    }
}

fn timeline_incident<'a>(
    file: &'a str,
    v: &'a IncidentView<'_>,
    lang: Lang,
) -> TimelineIncident<'a> {
    TimelineIncident {
        id: &v.incident.id,
        title: v.incident.title.get(lang),
        file,
        events: v
            .events
            .iter()
            .map(|e| EventJson {
                id: &e.event.id,
                date: e.event.date,
                until: e.until,
                ongoing: e.ongoing,
                kind: e.event.kind,
                title: e.event.title.get(lang),
                detail: e.event.detail.as_ref().map(|d| d.get(lang)),
                sources: &e.event.sources,
                days_since_first: e.since_first.days,
                days_since_previous: e.since_previous.map(|d: Days| d.days),
                approximate: e.since_first.approximate
                    || e.since_previous.is_some_and(|d| d.approximate),
                days_since_first_min: e.since_first.min,
                days_since_first_max: e.since_first.max,
                days_since_previous_min: e.since_previous.map(|d| d.min),
                days_since_previous_max: e.since_previous.map(|d| d.max),
                known_on: e.known_on,
            })
            .collect(),
        intervals: IntervalsJson::of(&v.intervals),
    }
}

#[derive(Serialize)]
struct StatusIncident<'a> {
    id: &'a Id,
    title: &'a str,
    file: &'a str,
    impact: ImpactJson<'a>,
    remediation: Vec<ItemJson<'a>>,
    obligations: Vec<ObligationJson<'a>>,
}

/// The published impact figures as both JSON outputs write them (`status --format json`,
/// `export`).
#[derive(Serialize)]
pub(crate) struct ImpactJson<'a> {
    potential: Option<FigureJson<'a>>,
    confirmed: Option<FigureJson<'a>>,
}

impl<'a> ImpactJson<'a> {
    pub(crate) fn of(view: &IncidentView<'a>, lang: Lang) -> Self {
        ImpactJson {
            potential: figure(view.potential, lang),
            confirmed: figure(view.confirmed, lang),
        }
    }
}

/// An impact figure with its text resolved and unknown counts as `null`.
#[derive(Serialize)]
struct FigureJson<'a> {
    contracts: Option<u64>,
    accounts: Option<u64>,
    as_of: Day,
    known_on: NaiveDate,
    detail: Option<&'a str>,
    sources: &'a [Id],
}

fn figure<'a>(f: Option<FigureView<'a>>, lang: Lang) -> Option<FigureJson<'a>> {
    f.map(
        |FigureView {
             figure: f,
             known_on,
         }| FigureJson {
            contracts: f.contracts.map(|c| c.0),
            accounts: f.accounts.map(|c| c.0),
            as_of: f.as_of,
            known_on,
            detail: f.detail.as_ref().map(|d| d.get(lang)),
            sources: &f.sources,
        },
    )
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a Id,
    title: &'a str,
    detail: Option<&'a str>,
    owner: Option<&'a str>,
    function: Option<CsfFunction>,
    /// The deadline in force on `as_of`.
    due: Option<NaiveDate>,
    /// The first deadline announced.
    original_due: Option<Day>,
    /// How many times the deadline had been moved by `as_of`.
    rescheduled: usize,
    announced: Option<Day>,
    known_on: NaiveDate,
    /// As recorded in the file.
    status: Status,
    /// As the sources had it on `as_of`.
    known_status: Option<Status>,
    last_confirmed: Option<Day>,
    state: State,
    days_left: Option<i64>,
    days_overdue: Option<i64>,
    days_late: Option<i64>,
    on_time: Option<bool>,
    unconfirmed_since_due: bool,
    completed: Option<Day>,
    completed_by: Option<Day>,
    sources: &'a [Id],
}

fn item<'a>(i: &ItemView<'a>, lang: Lang) -> ItemJson<'a> {
    let r = i.item;
    ItemJson {
        id: &r.id,
        title: r.title.get(lang),
        detail: r.detail.as_ref().map(|d| d.get(lang)),
        owner: r.owner.as_deref(),
        function: r.function,
        due: i.due,
        original_due: r.due,
        rescheduled: i.rescheduled,
        announced: r.announced,
        known_on: i.known_on,
        status: r.status,
        known_status: i.known_status,
        last_confirmed: i.last_confirmed.map(Day),
        state: i.state,
        days_left: i.days_left,
        days_overdue: i.days_overdue,
        days_late: i.days_late,
        on_time: i.on_time,
        unconfirmed_since_due: i.unconfirmed_since_due,
        completed: r.completed,
        completed_by: r.completed_by,
        sources: &r.sources,
    }
}

#[derive(Serialize)]
struct ObligationJson<'a> {
    id: &'a Id,
    title: &'a str,
    detail: Option<&'a str>,
    owner: Option<&'a str>,
    rule: Option<Rule>,
    /// The provision the rule's period comes from.
    reference: Option<&'static str>,
    period: Period,
    /// The period is the tool's policy for "promptly", not set by law.
    policy: bool,
    /// As written in the file.
    starts_at: Option<&'a StartsAt>,
    after: Option<&'a Id>,
    /// What the clock counted from: `event`, `date`, or after another obligation its
    /// `completed`, `completed_by` or `due`.
    clock_start_basis: &'static str,
    clock_start: Time,
    /// `YYYY-MM-DD` (by the end of that day), RFC 3339 with offset, or a local date-time without
    /// offset when counted in hours from a bare date.
    due: Time,
    /// The last day by whose end the deadline is met.
    due_day: NaiveDate,
    assumed_start_of_day: bool,
    /// As recorded in the file.
    status: ObligationStatus,
    known_status: Option<ObligationStatus>,
    last_confirmed: Option<NaiveDate>,
    state: State,
    days_left: Option<i64>,
    days_past_due: Option<i64>,
    days_late: Option<i64>,
    on_time: Option<bool>,
    unconfirmed_since_due: bool,
    known_on: NaiveDate,
    completed: Option<Moment>,
    completed_by: Option<Day>,
    sources: &'a [Id],
}

fn obligation<'a>(o: &ObligationView<'a>, lang: Lang) -> ObligationJson<'a> {
    let ob = o.obligation;
    ObligationJson {
        id: &ob.id,
        title: ob.title.get(lang),
        detail: ob.detail.as_ref().map(|d| d.get(lang)),
        owner: ob.owner.as_deref(),
        rule: ob.rule,
        reference: ob.rule.map(Rule::reference),
        period: o.period,
        policy: o.policy,
        starts_at: ob.starts_at.as_ref(),
        after: ob.after.as_ref(),
        clock_start_basis: clock_start_basis(&o.start),
        clock_start: o.start_time,
        due: o.due,
        due_day: o.due_day,
        assumed_start_of_day: o.assumed_start_of_day,
        status: ob.status,
        known_status: o.known_status,
        last_confirmed: o.last_confirmed,
        state: o.state,
        days_left: o.days_left,
        days_past_due: o.days_past_due,
        days_late: o.days_late,
        on_time: o.on_time,
        unconfirmed_since_due: o.unconfirmed_since_due,
        known_on: o.known_on,
        completed: ob.completed,
        completed_by: ob.completed_by,
        sources: &ob.sources,
    }
}

/// What an obligation's clock counted from, as both JSON outputs name it (`status --format
/// json`, `export`).
pub(crate) fn clock_start_basis(start: &ClockStart<'_>) -> &'static str {
    match start {
        ClockStart::Event(_) => "event",
        ClockStart::Moment(_) => "date",
        ClockStart::After { basis, .. } => match basis {
            AfterBasis::Completed => "completed",
            AfterBasis::CompletedBy => "completed_by",
            AfterBasis::Due => "due",
        },
    }
}

/// One `status` JSON document for all incidents.
pub fn status(views: &[(&str, IncidentView<'_>)], as_of: AsOf, lang: Lang) -> String {
    to_string(&status_document(views, as_of, lang))
}

fn status_document<'a>(
    views: &'a [(&str, IncidentView<'_>)],
    as_of: AsOf,
    lang: Lang,
) -> Document<StatusIncident<'a>> {
    Document {
        as_of: as_of.date,
        view: as_of.view,
        soon_days: Some(as_of.soon_days),
        incidents: views
            .iter()
            .map(|(file, v)| status_incident(file, v, lang))
            .collect(),
    }
}

fn status_incident<'a>(file: &'a str, v: &'a IncidentView<'_>, lang: Lang) -> StatusIncident<'a> {
    StatusIncident {
        id: &v.incident.id,
        title: v.incident.title.get(lang),
        file,
        impact: ImpactJson::of(v, lang),
        remediation: v.remediation.iter().map(|i| item(i, lang)).collect(),
        obligations: v.obligations.iter().map(|o| obligation(o, lang)).collect(),
    }
}

/// One incident of a `status` document, as [`write_document`] puts it in the list.
pub fn status_part(file: &str, view: &IncidentView<'_>, lang: Lang) -> io::Result<Vec<u8>> {
    part(&status_incident(file, view, lang))
}

/// One incident of a `timeline` document, as [`write_document`] puts it in the list.
pub fn timeline_part(file: &str, view: &IncidentView<'_>, lang: Lang) -> io::Result<Vec<u8>> {
    part(&timeline_incident(file, view, lang))
}

/// An incident as it stands in the list of a pretty-printed document: a line break, then its
/// own pretty JSON indented by two levels (a test compares the result with serde_json's).
fn part<T: Serialize>(incident: &T) -> io::Result<Vec<u8>> {
    let mut part = b"\n    ".to_vec();
    let mut json = serde_json::Serializer::with_formatter(&mut part, Nested::default());
    incident.serialize(&mut json)?;
    Ok(crate::sanitize::json_bytes(part))
}

/// serde_json's pretty printer, two levels deeper: every line break it writes between values
/// is followed by two more levels of indentation. Line breaks are only written by the methods
/// that begin or end a value of a list or an object, never inside a string, so only those pass
/// the writer through [`Deeper`]; the rest is the pretty printer's own.
#[derive(Default)]
struct Nested(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(&mut Deeper(w))
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(&mut Deeper(w), first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(&mut Deeper(w))
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(&mut Deeper(w), first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// A writer that adds two levels of indentation after each write ending in a line break.
struct Deeper<'w, W: ?Sized>(&'w mut W);

impl<W: ?Sized + io::Write> io::Write for Deeper<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)?;
        if buf.ends_with(b"\n") {
            self.0.write_all(b"    ")?;
        }
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Writes a `status` (with `soon_days`) or `timeline` document around the parts of its
/// incidents, which `parts` writes joined by commas: byte for byte what
/// `serde_json::to_writer_pretty` writes for the whole document, and a line break. The parts
/// are made on the threads that read the files, and the document is never held whole.
pub fn write_document<W: io::Write>(
    out: &mut W,
    as_of: AsOf,
    with_soon_days: bool,
    parts: Option<impl FnOnce(&mut W) -> io::Result<()>>,
) -> io::Result<()> {
    let empty = Document::<()> {
        as_of: as_of.date,
        view: as_of.view,
        soon_days: with_soon_days.then_some(as_of.soon_days),
        incidents: Vec::new(),
    };
    let head = serde_json::to_vec_pretty(&empty)?;
    let Some(head) = head.strip_suffix(b"[]\n}") else {
        return Err(io::Error::other("unexpected JSON layout"));
    };
    out.write_all(head)?;
    match parts {
        None => out.write_all(b"[]\n}\n"),
        Some(write) => {
            out.write_all(b"[")?;
            write(out)?;
            out.write_all(b"\n  ]\n}\n")
        }
    }
}

fn to_string<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs cannot fail: no maps with non-string keys, no I/O.
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    crate::sanitize::json(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{evaluate, AsOf};

    const BUNDLED: &str = include_str!("../../incidents/secure-mx-2025.yaml");
    const MINIMAL: &str = include_str!("../../tests/fixtures/valid/minimal.yaml");

    fn written(views: &[(&str, IncidentView<'_>)], as_of: AsOf) -> [String; 2] {
        let document =
            |with_soon_days, part: &dyn Fn(&str, &IncidentView<'_>) -> io::Result<Vec<u8>>| {
                let mut out = Vec::new();
                let parts = (!views.is_empty()).then_some(|out: &mut Vec<u8>| {
                    for (n, (file, view)) in views.iter().enumerate() {
                        if n > 0 {
                            out.push(b',');
                        }
                        out.extend(part(file, view)?);
                    }
                    Ok(())
                });
                write_document(&mut out, as_of, with_soon_days, parts).unwrap();
                String::from_utf8(out).unwrap()
            };
        [
            document(true, &|f, v| status_part(f, v, Lang::Ja)),
            document(false, &|f, v| timeline_part(f, v, Lang::En)),
        ]
    }

    #[test]
    fn written_part_by_part_it_is_what_serde_json_writes() {
        let incidents = [
            crate::yaml::parse_incident(BUNDLED).unwrap(),
            crate::yaml::parse_incident(MINIMAL).unwrap(),
        ];
        let as_of = AsOf::known(crate::date::parse_day("2025-06-01").unwrap(), 14);
        for count in [0, 1, 2, 3] {
            let views: Vec<(&str, IncidentView<'_>)> = (0..count)
                .map(|n| {
                    let view = evaluate(&incidents[n % 2], as_of);
                    ("file \"quoted\".yaml", view)
                })
                .collect();
            let whole = [
                status(&views, as_of, Lang::Ja),
                timeline(&views, as_of, Lang::En),
            ];
            assert_eq!(written(&views, as_of), whole, "{count} incidents");
        }
    }
}
