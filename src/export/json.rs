//! `export --format json`: the whole evaluated model, for other programs and for the record.
//!
//! Its own versioned format (`"format": 1`), independent of `status --format json` and
//! `timeline --format json`, and documented field by field in docs/exports.md. Texts are in
//! the requested language (falling back as the views do); every key is always present, with
//! `null` for an unknown or absent value.

use chrono::NaiveDate;
use serde::Serialize;

use super::provenance::Provenance;
use super::Report;
use crate::clock::{Period, Time};
use crate::date::{Day, Moment, TimeZone, When};
use crate::error::Error;
use crate::evaluate::{Days, IncidentView, ItemView, ObligationView, State, View};
use crate::model::{CsfFunction, EventKind, Id, ObligationStatus, Rule, Source, StartsAt, Status};
use crate::render::json::{clock_start_basis, ImpactJson, IntervalsJson};
use crate::text::{Lang, Text};

/// The version of this JSON layout; raised when a key changes meaning or disappears.
pub const FORMAT: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format: u32,
    as_of: NaiveDate,
    view: View,
    soon_days: i64,
    lang: Lang,
    provenance: ProvenanceJson<'a>,
    incidents: Vec<IncidentJson<'a>>,
}

#[derive(Serialize)]
struct ProvenanceJson<'a> {
    generated_at: String,
    view: View,
    breachline_version: &'a str,
    inputs: Vec<InputJson<'a>>,
}

#[derive(Serialize)]
struct InputJson<'a> {
    file: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct IncidentJson<'a> {
    id: &'a Id,
    file: &'a str,
    title: &'a str,
    organization: &'a str,
    service: &'a str,
    summary: Option<&'a str>,
    reviewed: Day,
    timezone: Option<TimeZone>,
    sources: Vec<SourceJson<'a>>,
    events: Vec<EventJson<'a>>,
    intervals: IntervalsJson<'a>,
    impact: ImpactJson<'a>,
    remediation: Vec<ItemJson<'a>>,
    obligations: Vec<ObligationJson<'a>>,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    id: &'a Id,
    title: &'a str,
    publisher: &'a str,
    date: Option<Day>,
    url: Option<&'a str>,
    detail: Option<&'a str>,
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
    days_since_first: DaysJson,
    days_since_previous: Option<DaysJson>,
    known_on: NaiveDate,
}

#[derive(Serialize)]
struct DaysJson {
    days: i64,
    days_min: i64,
    days_max: i64,
    approximate: bool,
}

impl From<Days> for DaysJson {
    fn from(d: Days) -> Self {
        DaysJson {
            days: d.days,
            days_min: d.min,
            days_max: d.max,
            approximate: d.approximate,
        }
    }
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a Id,
    title: &'a str,
    function: Option<CsfFunction>,
    /// The deadline in force on `as_of`.
    due: Option<NaiveDate>,
    original_due: Option<Day>,
    rescheduled: usize,
    announced: Option<Day>,
    known_on: NaiveDate,
    status: Status,
    status_as_of: Option<Day>,
    completed: Option<Day>,
    completed_by: Option<Day>,
    detail: Option<&'a str>,
    owner: Option<&'a str>,
    sources: &'a [Id],
    state: State,
    known_status: Option<Status>,
    last_confirmed: Option<NaiveDate>,
    unconfirmed_since_due: bool,
    days_left: Option<i64>,
    days_overdue: Option<i64>,
    days_late: Option<i64>,
    on_time: Option<bool>,
}

#[derive(Serialize)]
struct ObligationJson<'a> {
    id: &'a Id,
    title: &'a str,
    rule: Option<Rule>,
    reference: Option<&'static str>,
    period: Period,
    policy: bool,
    starts_at: Option<&'a StartsAt>,
    after: Option<&'a Id>,
    status: ObligationStatus,
    status_as_of: Option<Day>,
    completed: Option<Moment>,
    completed_by: Option<Day>,
    detail: Option<&'a str>,
    owner: Option<&'a str>,
    sources: &'a [Id],
    clock_start_basis: &'static str,
    clock_start: Time,
    due: Time,
    due_day: NaiveDate,
    assumed_start_of_day: bool,
    state: State,
    known_status: Option<ObligationStatus>,
    last_confirmed: Option<NaiveDate>,
    unconfirmed_since_due: bool,
    days_left: Option<i64>,
    days_past_due: Option<i64>,
    days_late: Option<i64>,
    on_time: Option<bool>,
    known_on: NaiveDate,
}

fn obligation<'a>(o: &ObligationView<'a>, lang: Lang) -> ObligationJson<'a> {
    let ob = o.obligation;
    ObligationJson {
        id: &ob.id,
        title: ob.title.get(lang),
        rule: ob.rule,
        reference: ob.rule.map(Rule::reference),
        period: o.period,
        policy: o.policy,
        starts_at: ob.starts_at.as_ref(),
        after: ob.after.as_ref(),
        status: ob.status,
        status_as_of: ob.status_as_of,
        completed: ob.completed,
        completed_by: ob.completed_by,
        detail: text(&ob.detail, lang),
        owner: ob.owner.as_deref(),
        sources: &ob.sources,
        clock_start_basis: clock_start_basis(&o.start),
        clock_start: o.start_time,
        due: o.due,
        due_day: o.due_day,
        assumed_start_of_day: o.assumed_start_of_day,
        state: o.state,
        known_status: o.known_status,
        last_confirmed: o.last_confirmed,
        unconfirmed_since_due: o.unconfirmed_since_due,
        days_left: o.days_left,
        days_past_due: o.days_past_due,
        days_late: o.days_late,
        on_time: o.on_time,
        known_on: o.known_on,
    }
}

fn text(t: &Option<Text>, lang: Lang) -> Option<&str> {
    t.as_ref().map(|t| t.get(lang))
}

fn source(s: &Source, lang: Lang) -> SourceJson<'_> {
    SourceJson {
        id: &s.id,
        title: s.title.get(lang),
        publisher: s.publisher.get(lang),
        date: s.date,
        url: s.url.as_deref(),
        detail: text(&s.detail, lang),
    }
}

fn item<'a>(i: &ItemView<'a>, lang: Lang) -> ItemJson<'a> {
    let r = i.item;
    ItemJson {
        id: &r.id,
        title: r.title.get(lang),
        function: r.function,
        due: i.due,
        original_due: r.due,
        rescheduled: i.rescheduled,
        announced: r.announced,
        known_on: i.known_on,
        status: r.status,
        status_as_of: r.status_as_of,
        completed: r.completed,
        completed_by: r.completed_by,
        detail: text(&r.detail, lang),
        owner: r.owner.as_deref(),
        sources: &r.sources,
        state: i.state,
        known_status: i.known_status,
        last_confirmed: i.last_confirmed,
        unconfirmed_since_due: i.unconfirmed_since_due,
        days_left: i.days_left,
        days_overdue: i.days_overdue,
        days_late: i.days_late,
        on_time: i.on_time,
    }
}

fn incident<'a>(file: &'a str, v: &IncidentView<'a>, lang: Lang) -> IncidentJson<'a> {
    let i = v.incident;
    IncidentJson {
        id: &i.id,
        file,
        title: i.title.get(lang),
        organization: i.organization.get(lang),
        service: i.service.get(lang),
        summary: text(&i.summary, lang),
        reviewed: i.reviewed,
        timezone: i.timezone,
        sources: i.sources.iter().map(|s| source(s, lang)).collect(),
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
                detail: text(&e.event.detail, lang),
                sources: &e.event.sources,
                days_since_first: e.since_first.into(),
                days_since_previous: e.since_previous.map(DaysJson::from),
                known_on: e.known_on,
            })
            .collect(),
        intervals: IntervalsJson::of(&v.intervals),
        impact: ImpactJson::of(v, lang),
        remediation: v.remediation.iter().map(|r| item(r, lang)).collect(),
        obligations: v.obligations.iter().map(|o| obligation(o, lang)).collect(),
    }
}

fn provenance(p: &Provenance) -> ProvenanceJson<'_> {
    ProvenanceJson {
        generated_at: p.generated_at_rfc3339(),
        view: p.view,
        breachline_version: p.version,
        inputs: p
            .inputs
            .iter()
            .map(|i| InputJson {
                file: &i.file,
                sha256: &i.sha256,
            })
            .collect(),
    }
}

pub fn export(report: &Report<'_>) -> Result<String, Error> {
    let doc = Document {
        format: FORMAT,
        as_of: report.provenance.as_of,
        view: report.provenance.view,
        soon_days: report.soon_days,
        lang: report.lang,
        provenance: provenance(&report.provenance),
        incidents: report
            .incidents
            .iter()
            .map(|(file, v)| incident(file, v, report.lang))
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).map_err(|e| Error::Export(e.to_string()))?;
    s.push('\n');
    Ok(crate::sanitize::json(s))
}
