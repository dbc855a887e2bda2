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
    AfterBasis, ClockStart, Days, IncidentView, Interval, ItemView, ObligationView, State,
};
use crate::model::{
    CsfFunction, EventKind, Id, ImpactFigure, ObligationStatus, Rule, StartsAt, Status,
};
use crate::text::Lang;

#[derive(Serialize)]
struct Document<T> {
    as_of: NaiveDate,
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
}

#[derive(Serialize)]
struct IntervalsJson<'a> {
    dwell: Option<IntervalJson<'a>>,
    detection_to_notification: Option<IntervalJson<'a>>,
    detection_to_disclosure: Option<IntervalJson<'a>>,
}

#[derive(Serialize)]
struct IntervalJson<'a> {
    from: &'a Id,
    to: &'a Id,
    days: i64,
    approximate: bool,
}

fn interval<'a>(i: &Option<Interval<'a>>) -> Option<IntervalJson<'a>> {
    i.as_ref().map(|i| IntervalJson {
        from: &i.from.id,
        to: &i.to.id,
        days: i.days.days,
        approximate: i.days.approximate,
    })
}

/// One `timeline` JSON document for all incidents.
pub fn timeline(views: &[(&str, IncidentView<'_>)], as_of: NaiveDate, lang: Lang) -> String {
    to_string(&timeline_document(views, as_of, lang))
}

/// [`timeline`], written to `out` as it is serialised.
pub fn write_timeline(
    out: impl io::Write,
    views: &[(&str, IncidentView<'_>)],
    as_of: NaiveDate,
    lang: Lang,
) -> io::Result<()> {
    write(out, &timeline_document(views, as_of, lang))
}

fn timeline_document<'a>(
    views: &'a [(&str, IncidentView<'_>)],
    as_of: NaiveDate,
    lang: Lang,
) -> Document<TimelineIncident<'a>> {
    let incidents = views
        .iter()
        .map(|(file, v)| TimelineIncident {
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
                })
                .collect(),
            intervals: IntervalsJson {
                dwell: interval(&v.intervals.dwell),
                detection_to_notification: interval(&v.intervals.detection_to_notification),
                detection_to_disclosure: interval(&v.intervals.detection_to_disclosure),
            },
        })
        .collect();
    Document {
        as_of,
        soon_days: None,
        incidents,
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

#[derive(Serialize)]
struct ImpactJson<'a> {
    potential: Option<FigureJson<'a>>,
    confirmed: Option<FigureJson<'a>>,
}

/// An impact figure with its text resolved and unknown counts as `null`.
#[derive(Serialize)]
struct FigureJson<'a> {
    contracts: Option<u64>,
    accounts: Option<u64>,
    as_of: Day,
    detail: Option<&'a str>,
    sources: &'a [Id],
}

fn figure(f: Option<&ImpactFigure>, lang: Lang) -> Option<FigureJson<'_>> {
    f.map(|f| FigureJson {
        contracts: f.contracts.map(|c| c.0),
        accounts: f.accounts.map(|c| c.0),
        as_of: f.as_of,
        detail: f.detail.as_ref().map(|d| d.get(lang)),
        sources: &f.sources,
    })
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a Id,
    title: &'a str,
    detail: Option<&'a str>,
    function: Option<CsfFunction>,
    due: Option<Day>,
    announced: Option<Day>,
    /// As recorded in the file.
    status: Status,
    /// As the sources had it on `as_of`.
    known_status: Option<Status>,
    last_confirmed: Option<Day>,
    state: State,
    days_left: Option<i64>,
    days_overdue: Option<i64>,
    days_late: Option<i64>,
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
        function: r.function,
        due: r.due,
        announced: r.announced,
        status: r.status,
        known_status: i.known_status,
        last_confirmed: i.last_confirmed.map(Day),
        state: i.state,
        days_left: i.days_left,
        days_overdue: i.days_overdue,
        days_late: i.days_late,
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
    unconfirmed_since_due: bool,
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
        rule: ob.rule,
        reference: ob.rule.map(Rule::reference),
        period: o.period,
        policy: o.policy,
        starts_at: ob.starts_at.as_ref(),
        after: ob.after.as_ref(),
        clock_start_basis: match o.start {
            ClockStart::Event(_) => "event",
            ClockStart::Moment(_) => "date",
            ClockStart::After { basis, .. } => match basis {
                AfterBasis::Completed => "completed",
                AfterBasis::CompletedBy => "completed_by",
                AfterBasis::Due => "due",
            },
        },
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
        unconfirmed_since_due: o.unconfirmed_since_due,
        completed: ob.completed,
        completed_by: ob.completed_by,
        sources: &ob.sources,
    }
}

/// One `status` JSON document for all incidents.
pub fn status(
    views: &[(&str, IncidentView<'_>)],
    as_of: NaiveDate,
    soon_days: i64,
    lang: Lang,
) -> String {
    to_string(&status_document(views, as_of, soon_days, lang))
}

/// [`status`], written to `out` as it is serialised: the document of a large portfolio is
/// larger than its YAML, and need not be held whole in memory.
pub fn write_status(
    out: impl io::Write,
    views: &[(&str, IncidentView<'_>)],
    as_of: NaiveDate,
    soon_days: i64,
    lang: Lang,
) -> io::Result<()> {
    write(out, &status_document(views, as_of, soon_days, lang))
}

fn status_document<'a>(
    views: &'a [(&str, IncidentView<'_>)],
    as_of: NaiveDate,
    soon_days: i64,
    lang: Lang,
) -> Document<StatusIncident<'a>> {
    let incidents = views
        .iter()
        .map(|(file, v)| StatusIncident {
            id: &v.incident.id,
            title: v.incident.title.get(lang),
            file,
            impact: ImpactJson {
                potential: figure(v.potential, lang),
                confirmed: figure(v.confirmed, lang),
            },
            remediation: v.remediation.iter().map(|i| item(i, lang)).collect(),
            obligations: v.obligations.iter().map(|o| obligation(o, lang)).collect(),
        })
        .collect();
    Document {
        as_of,
        soon_days: Some(soon_days),
        incidents,
    }
}

fn write<T: Serialize>(mut out: impl io::Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")
}

fn to_string<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs cannot fail: no maps with non-string keys, no I/O.
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
