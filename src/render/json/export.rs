//! `export --format json`: the whole evaluated model, for other programs and for the record.
//!
//! Its own versioned format (`"format": 1`), independent of `status --format json` and
//! `timeline --format json` though built from the same [`shapes`](super::shapes), and
//! documented field by field in docs/exports.md. Texts are in the requested language (falling
//! back as the views do); every key is always present, with `null` for an unknown or absent
//! value.

use chrono::NaiveDate;
use serde::Serialize;

use super::shapes::{event, item, obligation, ImpactJson, IntervalsJson, Laid, SourceJson};
use crate::date::{Day, TimeZone};
use crate::error::Error;
use crate::evaluate::{IncidentView, View};
use crate::model::Id;
use crate::provenance::Provenance;
use crate::render::report::Report;
use crate::text::Lang;

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
    rules_sha256: &'a str,
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
    events: Vec<Laid<event::Event<'a>, event::Key>>,
    intervals: IntervalsJson<'a>,
    impact: ImpactJson<'a>,
    remediation: Vec<Laid<item::Item<'a>, item::Key>>,
    obligations: Vec<Laid<obligation::Obligation<'a>, obligation::Key>>,
}

/// The keys of an event: its day counts grouped with their bounds.
#[rustfmt::skip]
pub(super) const EVENT: &[event::Key] = {
    use event::Key::*;
    &[id, date, until, ongoing, kind, title, detail, sources, since_first, since_previous,
      known_on]
};

/// The keys of a remediation item: as recorded, then as evaluated.
#[rustfmt::skip]
pub(super) const ITEM: &[item::Key] = {
    use item::Key::*;
    &[id, title, function, due, original_due, rescheduled, announced, known_on, status,
      status_as_of, completed, completed_by, detail, owner, sources, state, known_status, last_confirmed,
      unconfirmed_since_due, days_left, days_overdue, days_late, on_time]
};

/// The keys of a reporting obligation: as recorded, then as evaluated.
#[rustfmt::skip]
pub(super) const OBLIGATION: &[obligation::Key] = {
    use obligation::Key::*;
    &[id, title, rule, variant, provision, recipient, reference, period, policy, starts_at, after,
      status, status_as_of, completed, completed_by, detail, owner, sources, clock_start_basis,
      clock_start, due, due_day, target, target_day, assumed_start_of_day, state, known_status,
      last_confirmed, unconfirmed_since_due, days_left, days_past_due, days_late, late_by, on_time,
      known_on]
};

fn incident<'a>(file: &'a str, v: &IncidentView<'a>, lang: Lang) -> IncidentJson<'a> {
    let i = v.incident;
    IncidentJson {
        id: &i.id,
        file,
        title: i.title.get(lang),
        organization: i.organization.get(lang),
        service: i.service.get(lang),
        summary: i.summary.as_ref().map(|s| s.get(lang)),
        reviewed: i.reviewed,
        timezone: i.timezone,
        sources: i.sources.iter().map(|s| SourceJson::of(s, lang)).collect(),
        events: Laid::all(&v.events, EVENT, |e| event::of(e, lang)),
        intervals: IntervalsJson::of(&v.intervals),
        impact: ImpactJson::of(v, lang),
        remediation: Laid::all(&v.remediation, ITEM, |i| item::of(i, lang)),
        obligations: Laid::all(&v.obligations, OBLIGATION, |o| obligation::of(o, lang)),
    }
}

fn provenance(p: &Provenance) -> ProvenanceJson<'_> {
    ProvenanceJson {
        generated_at: p.generated_at_rfc3339(),
        view: p.view,
        breachline_version: p.version,
        rules_sha256: &p.rules_sha256,
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
    super::pretty::to_string(&doc).map_err(|e| Error::Export(e.to_string()))
}
