//! Every JSON document: `timeline --format json`, `status --format json` ([`export`]: `export
//! --format json`; [`check`]: `check --format json`; [`diff`]: `diff --format json`), built
//! from the one set of [`shapes`] where they show the same things.
//!
//! Texts are resolved to the requested language; dates are `YYYY-MM-DD` (or as written for
//! event dates); absent values are `null` rather than missing, so consumers see every key.

pub mod check;
pub mod diff;
pub mod export;
pub mod pretty;
pub mod shapes;

use std::io;

use chrono::NaiveDate;
use serde::Serialize;

use crate::evaluate::{AsOf, IncidentView, View};
use crate::model::Id;
use crate::text::Lang;
use shapes::{event, item, obligation, ImpactJson, IntervalsJson, Laid};

#[derive(Serialize)]
struct Document<T> {
    as_of: NaiveDate,
    view: View,
    #[serde(skip_serializing_if = "Option::is_none")]
    soon_days: Option<i64>,
    /// With the deadlines of `status`: the version of the rules they were counted by.
    #[serde(skip_serializing_if = "Option::is_none")]
    rules_sha256: Option<&'static str>,
    incidents: Vec<T>,
}

#[derive(Serialize)]
struct TimelineIncident<'a> {
    id: &'a Id,
    title: &'a str,
    file: &'a str,
    events: Vec<Laid<event::Event<'a>, event::Key>>,
    intervals: IntervalsJson<'a>,
}

/// The keys of an event in `timeline`.
#[rustfmt::skip]
const TIMELINE_EVENT: &[event::Key] = {
    use event::Key::*;
    &[id, date, until, ongoing, kind, title, detail, sources, days_since_first,
      days_since_previous, approximate, days_since_first_min, days_since_first_max,
      days_since_previous_min, days_since_previous_max, known_on]
};

/// One `timeline` JSON document for all incidents.
pub fn timeline(views: &[(&str, IncidentView<'_>)], as_of: AsOf, lang: Lang) -> String {
    to_string(&Document {
        as_of: as_of.date,
        view: as_of.view,
        soon_days: None,
        rules_sha256: None,
        incidents: views
            .iter()
            .map(|(file, v)| timeline_incident(file, v, lang))
            .collect(),
    })
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
        events: Laid::all(&v.events, TIMELINE_EVENT, |e| event::of(e, lang)),
        intervals: IntervalsJson::of(&v.intervals),
    }
}

#[derive(Serialize)]
struct StatusIncident<'a> {
    id: &'a Id,
    title: &'a str,
    file: &'a str,
    impact: ImpactJson<'a>,
    remediation: Vec<Laid<item::Item<'a>, item::Key>>,
    obligations: Vec<Laid<obligation::Obligation<'a>, obligation::Key>>,
}

/// The keys of a remediation item in `status`.
#[rustfmt::skip]
const STATUS_ITEM: &[item::Key] = {
    use item::Key::*;
    &[id, title, detail, owner, function, due, original_due, rescheduled, announced, known_on, status,
      known_status, last_confirmed, state, days_left, days_overdue, days_late, on_time,
      unconfirmed_since_due, completed, completed_by, sources]
};

/// The keys of a reporting obligation in `status`.
#[rustfmt::skip]
const STATUS_OBLIGATION: &[obligation::Key] = {
    use obligation::Key::*;
    &[id, title, detail, owner, rule, variant, provision, recipient, reference, period, policy,
      starts_at, after, clock_start_basis, clock_start, due, due_day, target, target_day,
      assumed_start_of_day, status, known_status, last_confirmed, state,
      days_left, days_past_due, days_late, late_by, on_time, unconfirmed_since_due, known_on, completed,
      completed_by, sources]
};

/// One `status` JSON document for all incidents.
pub fn status(views: &[(&str, IncidentView<'_>)], as_of: AsOf, lang: Lang) -> String {
    to_string(&Document {
        as_of: as_of.date,
        view: as_of.view,
        soon_days: Some(as_of.soon_days),
        rules_sha256: Some(crate::rule::library().hash()),
        incidents: views
            .iter()
            .map(|(file, v)| status_incident(file, v, lang))
            .collect(),
    })
}

fn status_incident<'a>(file: &'a str, v: &'a IncidentView<'_>, lang: Lang) -> StatusIncident<'a> {
    StatusIncident {
        id: &v.incident.id,
        title: v.incident.title.get(lang),
        file,
        impact: ImpactJson::of(v, lang),
        remediation: Laid::all(&v.remediation, STATUS_ITEM, |i| item::of(i, lang)),
        obligations: Laid::all(&v.obligations, STATUS_OBLIGATION, |o| {
            obligation::of(o, lang)
        }),
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
    let mut part = Vec::with_capacity(8192);
    part.extend_from_slice(b"\n    ");
    pretty::write(&mut part, incident, 2)?;
    Ok(part)
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
        rules_sha256: with_soon_days.then(|| crate::rule::library().hash()),
        incidents: Vec::new(),
    };
    let head = pretty::to_vec(&empty, 0)?;
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
    pretty::to_string(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{evaluate, AsOf};

    const BUNDLED: &str = include_str!("../../../incidents/secure-mx-2025.yaml");
    const MINIMAL: &str = include_str!("../../../tests/fixtures/valid/minimal.yaml");

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

    fn once_each(names: Vec<&str>) {
        for (n, name) in names.iter().enumerate() {
            assert!(!names[..n].contains(name), "`{name}` written twice");
        }
    }

    #[test]
    fn no_layout_writes_a_key_twice() {
        let names = |keys: &[event::Key]| keys.iter().map(|k| k.name()).collect();
        once_each(names(TIMELINE_EVENT));
        once_each(names(export::EVENT));
        once_each(STATUS_ITEM.iter().map(|k| k.name()).collect());
        once_each(export::ITEM.iter().map(|k| k.name()).collect());
        once_each(STATUS_OBLIGATION.iter().map(|k| k.name()).collect());
        once_each(export::OBLIGATION.iter().map(|k| k.name()).collect());
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
