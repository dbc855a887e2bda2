//! `export --format veris`: one VERIS 1.4 incident object per incident.
//!
//! VERIS's own validator (`checkValidity.py` of vz-risk/veris) reads one object per file (a
//! list it reads only zipped), so one incident is written as one object, and several as one
//! file each into a folder (`-o DIR/`); a list goes only to standard output. An incident with
//! no event as of the day has no year, which VERIS requires: it is left out with a warning.
//!
//! VERIS (the Verizon DBIR's schema) requires answers breachline's format does not record: who
//! the actor was, what action they took, which assets. Those get VERIS's own "Unknown" values,
//! never a guess; what breachline does know but VERIS has no field for (remediation, reporting
//! obligations, the view and provenance) goes under `plus.breachline`, the schema's extension
//! point. The mapping is documented in docs/exports.md.

use chrono::Datelike;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::report::Report;
use crate::date::{When, Zone};
use crate::error::Error;
use crate::evaluate::{Days, FigureView, IncidentView, Interval, Standing};
use crate::model::{Count, Counted, EventKind, RecordStatus, Tracked};
use crate::provenance::Provenance;
use crate::text::{Lang, Text};

/// The VERIS version the exported objects follow (`verisc-merged.json` describes itself as
/// "VERIS Community Schema 1.4.1").
pub const SCHEMA_VERSION: &str = "1.4.1";

/// The version of the layout under `plus.breachline`; raised when a key changes meaning.
pub const PLUS_FORMAT: u32 = 1;

/// VERIS `timeline.incident.year` bounds.
const YEARS: std::ops::RangeInclusive<i32> = 1950..=2050;

const NOT_RECORDED: &str = "Not recorded: breachline's incident format has no field for this.";

/// The VERIS objects of a report: one per incident VERIS can hold, and why each other one was
/// left out.
#[derive(Debug, Clone)]
pub struct Records {
    pub records: Vec<Record>,
    /// A warning per incident left out, naming it and what would let it be exported.
    pub skipped: Vec<String>,
}

/// One VERIS incident object.
#[derive(Debug, Clone)]
pub struct Record {
    /// The incident's id, as in the record.
    pub id: String,
    pub value: Value,
}

pub fn records(report: &Report<'_>) -> Records {
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    for (file, v) in &report.incidents {
        match incident(file, v, report) {
            Ok(value) => records.push(Record {
                id: v.incident.id.as_str().to_owned(),
                value,
            }),
            Err(Skip(why)) => skipped.push(format!("{file}: {why}")),
        }
    }
    Records { records, skipped }
}

/// Standard output's form: the one incident's object, or, for several, a JSON array of them
/// (VERIS's "joined" form, which its tools read zipped). None at all is an error naming why
/// each was left out.
pub fn export(report: &Report<'_>) -> Result<String, Error> {
    joined(records(report))
}

pub fn joined(r: Records) -> Result<String, Error> {
    let value = match r.records.len() {
        0 => return Err(nothing_to_export(&r.skipped)),
        1 => r
            .records
            .into_iter()
            .map(|r| r.value)
            .next()
            .unwrap_or_default(),
        _ => Value::Array(r.records.into_iter().map(|r| r.value).collect()),
    };
    to_string(&value)
}

pub fn to_string(value: &Value) -> Result<String, Error> {
    super::json::pretty::to_string(value).map_err(|e| Error::Export(e.to_string()))
}

/// A file name per record, in order: the incident id with every character but ASCII letters,
/// digits, `-`, `_` and `.` replaced by `_` (an id is any text, and may hold `/` or `..`),
/// never starting with a dot, and numbered where two would be the same.
pub fn file_names(records: &[Record]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    records
        .iter()
        .map(|r| {
            let mut stem: String =
                r.id.chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
            if stem.starts_with('.') {
                stem.replace_range(..1, "_");
            }
            let mut name = format!("{stem}.json");
            let mut n = 2;
            while !taken.insert(name.to_ascii_lowercase()) {
                name = format!("{stem}-{n}.json");
                n += 1;
            }
            name
        })
        .collect()
}

pub fn nothing_to_export(skipped: &[String]) -> Error {
    Error::Export(format!(
        "no incident could be exported as VERIS: {}",
        skipped.join("; ")
    ))
}

/// Why an incident cannot be a VERIS record.
struct Skip(String);

fn incident(file: &str, v: &IncidentView<'_>, report: &Report<'_>) -> Result<Value, Skip> {
    let lang = report.lang;
    let i = v.incident;
    let mut o = Map::new();
    o.insert("schema_version".into(), json!(SCHEMA_VERSION));
    o.insert("schema_name".into(), json!("verisc"));
    o.insert("incident_id".into(), json!(i.id.as_str()));
    o.insert(
        "security_incident".into(),
        json!(if confirmed(v) {
            "Confirmed"
        } else {
            "Suspected"
        }),
    );
    let summary = i.summary.as_ref().unwrap_or(&i.title).get(lang);
    o.insert("summary".into(), json!(summary));
    let urls: Vec<&str> = i
        .sources
        .iter()
        .filter_map(|s| s.url.as_deref())
        .filter(|u| crate::sanitize::is_web_url(u))
        .collect();
    if !urls.is_empty() {
        // VERIS has one reference string; VCDB separates several by "; ".
        o.insert("reference".into(), json!(urls.join("; ")));
    }
    // The analyst's confidence in the record is not something breachline records; VCDB's lint
    // asks for a value, and "Low" is the least that does not call the record baseless (as
    // "None" would). docs/exports.md says so.
    o.insert("confidence".into(), json!(CONFIDENCE));
    let (timeline, began) = timeline(v, report)?;
    o.insert("timeline".into(), timeline);
    o.insert("victim".into(), victim(v, lang));
    o.insert(
        "actor".into(),
        json!({ "unknown": { "notes": NOT_RECORDED } }),
    );
    o.insert(
        "action".into(),
        json!({ "unknown": { "notes": NOT_RECORDED } }),
    );
    o.insert(
        "asset".into(),
        json!({ "assets": [{ "variety": "Unknown" }], "cloud": ["Unknown"] }),
    );
    o.insert(
        "attribute".into(),
        json!({ "confidentiality": confidentiality(v) }),
    );
    o.insert("discovery_method".into(), json!({ "unknown": true }));
    if let Some(notes) = discovery_notes(v, lang) {
        o.insert("discovery_notes".into(), json!(notes));
    }
    let mut plus = Map::new();
    plus.insert("master_id".into(), json!(master_id(i.id.as_str())));
    // This record was made when the export was: VERIS keeps no other history of it.
    let made = report.provenance.generated_at_rfc3339();
    plus.insert("created".into(), json!(made));
    plus.insert("modified".into(), json!(made));
    if let Some(n) = v
        .events
        .iter()
        .find(|e| e.event.kind == EventKind::Notification)
    {
        let mut notification = Map::new();
        let _year = put_date(&mut notification, n.event.date, &i.zone());
        plus.insert("timeline".into(), json!({ "notification": notification }));
    }
    plus.insert("breachline".into(), self::plus(file, v, report, began));
    o.insert("plus".into(), Value::Object(plus));
    Ok(Value::Object(o))
}

/// See the note where it is written.
const CONFIDENCE: &str = "Low";

/// breachline's namespace for the UUIDv5 of every VERIS `plus.master_id`.
fn master_namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:breachline:veris-1.4")
}

/// The same incident keeps the same `master_id` in every export, so that a record exported
/// again replaces its earlier copy. VCDB writes these in upper case. (VERIS's schema calls
/// the id a type 4 UUID; it is a type 5, derived from the incident id, so that it is stable.)
fn master_id(incident: &str) -> String {
    Uuid::new_v5(&master_namespace(), incident.as_bytes())
        .hyphenated()
        .to_string()
        .to_uppercase()
}

/// What breachline knows of the victim: its name. Every field VERIS requires and the record
/// does not hold gets VERIS's own "Unknown" value (industry `000`, region `000000`).
fn victim(v: &IncidentView<'_>, lang: Lang) -> Value {
    json!({
        "victim_id": v.incident.organization.get(lang),
        "industry": "000",
        "employee_count": "Unknown",
        "government": ["Unknown"],
        "country": ["Unknown"],
        "region": ["000000"],
    })
}

/// Confirmed when the record tells of the attack itself, or of confirmed victims; an incident
/// known only from an advisory or a notice is suspected. VERIS has no "unknown" here.
pub(crate) fn confirmed(v: &IncidentView<'_>) -> bool {
    let telling = v.events.iter().any(|e| {
        matches!(
            e.event.kind,
            EventKind::Compromise
                | EventKind::Detection
                | EventKind::Notification
                | EventKind::Disclosure
                | EventKind::Containment
        )
    });
    telling || affected(v.confirmed)
}

/// A figure that says someone was affected: a count above zero, or no count at all (affected,
/// number unknown).
fn affected(f: Option<FigureView<'_>>) -> bool {
    f.is_some_and(|f| {
        let counts = f.figure.all_counts();
        counts.is_empty() || counts.iter().any(|(_, c)| c.0 > 0)
    })
}

fn confidentiality(v: &IncidentView<'_>) -> Value {
    let mut c = Map::new();
    let disclosure = if affected(v.confirmed) {
        "Yes"
    } else if affected(v.potential) {
        "Potentially"
    } else {
        "Unknown"
    };
    c.insert("data_disclosure".into(), json!(disclosure));
    if disclosure == "Unknown" {
        return Value::Object(c);
    }
    // The record says how much, never which kind of data: VERIS's "Unknown" variety, with the
    // amount where the total is exact.
    let mut data = Map::new();
    data.insert("variety".into(), json!("Unknown"));
    if disclosure == "Yes" {
        // An exact total only: a maximum ("up to") is not the number of records disclosed.
        // VERIS counts records: `records` where the figure gives them, else the accounts.
        let exact = v.confirmed.filter(|f| !f.figure.up_to);
        let total = exact.and_then(|f| f.figure.count_of("records").or(f.figure.accounts));
        if let Some(total) = total {
            c.insert("data_total".into(), json!(total.0));
            data.insert("amount".into(), json!(total.0));
        }
    }
    c.insert("data".into(), json!([data]));
    Value::Object(c)
}

/// `year`, `month` and `day` of a date, as far as it is known.
fn put_date(o: &mut Map<String, Value>, w: When, zone: &Zone) -> i32 {
    let (year, month, day) = match w {
        When::Month { year, month } => (year, month, None),
        w => {
            let d = w.earliest_in(zone);
            (d.year(), d.month(), Some(d.day()))
        }
    };
    o.insert("year".into(), json!(year));
    o.insert("month".into(), json!(month));
    if let Some(day) = day {
        o.insert("day".into(), json!(day));
    }
    year
}

/// How `timeline.incident` was found, for `plus.breachline.incident_began`.
struct Began {
    /// The event it was taken from.
    event: String,
    /// True when that event is a compromise; otherwise only its year is given, the year by
    /// which the incident had begun.
    compromise: bool,
}

/// `timeline.incident` is when the incident began: the first compromise, as precisely as the
/// record dates it. A record with no compromise event does not know when the incident began,
/// but VERIS requires a year: the year of the first event, by which it had begun, and no
/// month or day.
fn timeline(v: &IncidentView<'_>, report: &Report<'_>) -> Result<(Value, Began), Skip> {
    let id = v.incident.id.as_str();
    let compromise = v
        .events
        .iter()
        .find(|e| e.event.kind == EventKind::Compromise);
    let Some(first) = compromise.or(v.events.first()) else {
        return Err(Skip(format!(
            "incident `{id}` left out: VERIS needs the year it began, and no event of it had happened (or was known) as of {} (export as of a later day to include it)",
            report.provenance.as_of
        )));
    };
    let zone = v.incident.zone();
    let mut incident = Map::new();
    let year = put_date(&mut incident, first.event.date, &zone);
    let began = Began {
        event: first.event.id.as_str().to_owned(),
        compromise: compromise.is_some(),
    };
    if !began.compromise {
        incident.remove("month");
        incident.remove("day");
    }
    if !YEARS.contains(&year) {
        return Err(Skip(format!(
            "incident `{id}` left out: VERIS cannot hold the year it began ({year}), its years run from {} to {}",
            YEARS.start(),
            YEARS.end()
        )));
    }
    let timeline = json!({
        "incident": incident,
        // From the first action to the first compromise of an attribute: the record marks when
        // the attack began, not when an attribute was first compromised.
        "compromise": { "unit": "Unknown" },
        "discovery": duration(v.intervals.dwell.as_ref()),
        "containment": duration(v.intervals.detection_to_containment.as_ref()),
    });
    Ok((timeline, began))
}

/// `{unit, value}` in days when the day count is exact; through a month-only date, the VERIS
/// unit every count the dates allow falls in, without a value (or `Unknown` when they span
/// more than one unit).
fn duration(interval: Option<&Interval<'_>>) -> Value {
    interval.map_or_else(|| json!({ "unit": "Unknown" }), |i| days(i.days))
}

fn days(d: Days) -> Value {
    let Days {
        days,
        min,
        max,
        approximate,
    } = d;
    if !approximate {
        return json!({ "unit": "Days", "value": days });
    }
    let unit = |d: i64| match d {
        ..7 => "Days",
        7..30 => "Weeks",
        30..365 => "Months",
        _ => "Years",
    };
    if unit(min) == unit(max) {
        json!({ "unit": unit(min) })
    } else {
        json!({ "unit": "Unknown" })
    }
}

/// The first detection event, as the record tells it: VERIS's `discovery_method` needs a
/// category the record does not have, so the words go to the notes.
fn discovery_notes(v: &IncidentView<'_>, lang: Lang) -> Option<String> {
    let e = v
        .events
        .iter()
        .find(|e| e.event.kind == EventKind::Detection)?
        .event;
    let mut notes = e.title.get(lang).trim().to_owned();
    if let Some(detail) = text(&e.detail, lang)
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        if !notes.is_empty() {
            notes.push_str(": ");
        }
        notes.push_str(detail);
    }
    (!notes.is_empty()).then_some(notes)
}

fn text(t: &Option<Text>, lang: Lang) -> Option<&str> {
    t.as_ref().map(|t| t.get(lang))
}

fn input_sha256<'a>(p: &'a Provenance, file: &str) -> Option<&'a str> {
    p.inputs
        .iter()
        .find(|i| i.file == file)
        .map(|i| i.sha256.as_str())
}

fn interval(i: Option<&Interval<'_>>) -> Value {
    i.map_or(Value::Null, |i| {
        json!({
            "from": i.from.id.as_str(),
            "to": i.to.id.as_str(),
            "days": i.days.days,
            "days_min": i.days.min,
            "days_max": i.days.max,
            "approximate": i.days.approximate,
        })
    })
}

/// Counts by unit as a JSON object, in the order given.
pub(crate) fn counts(counts: &[(&str, Count)]) -> Value {
    Value::Object(
        counts
            .iter()
            .map(|(u, c)| ((*u).to_owned(), json!(c.0)))
            .collect(),
    )
}

/// An item or an obligation: its `own` keys, and those both have, as recorded and as they
/// stood on the day.
fn tracked<K: Tracked>(what: &K, s: &Standing<K::Status>, own: Value, lang: Lang) -> Value {
    let p = what.progress();
    let mut both = json!({
        "id": what.id().as_str(),
        "title": what.title().get(lang),
        "known_status": s.known_status.map(RecordStatus::word),
        "state": s.state.as_str(),
        "completed": p.completed.map(|c| c.to_string()),
        "completed_by": p.completed_by.map(|d| d.to_string()),
        "days_late": s.days_late,
        "on_time": s.on_time,
    });
    if let (Value::Object(both), Value::Object(own)) = (&mut both, own) {
        both.extend(own);
    }
    both
}

fn plus(file: &str, v: &IncidentView<'_>, report: &Report<'_>, began: Began) -> Value {
    let lang = report.lang;
    let p = &report.provenance;
    let i = v.incident;
    let figure = |f: Option<FigureView<'_>>| {
        f.map_or(Value::Null, |f| {
            json!({
                "contracts": f.figure.contracts.map(|c| c.0),
                "accounts": f.figure.accounts.map(|c| c.0),
                "counts": counts(&f.figure.all_counts()),
                "up_to": f.figure.up_to,
                "as_of": f.figure.as_of.to_string(),
                "known_on": f.known_on.to_string(),
            })
        })
    };
    let remediation: Vec<Value> = v
        .remediation
        .iter()
        .map(|r| {
            let own = json!({
                "function": r.item.function.map(|f| f.as_str()),
                "due": r.due.map(|d| d.to_string()),
                "announced": r.item.announced.map(|d| d.to_string()),
                "days_overdue": r.standing.days_overdue(),
            });
            tracked(r.item, &r.standing, own, lang)
        })
        .collect();
    let obligations: Vec<Value> = v
        .obligations
        .iter()
        .map(|o| {
            let own = json!({
                "rule": o.obligation.rule.as_ref().map(|r| r.as_str()),
                "variant": o.obligation.variant.as_ref().map(|v| v.as_str()),
                "provision": o.provision(),
                "recipient": o.recipient(lang),
                "reference": o.obligation.reference.as_deref(),
                "period": o.period.to_string(),
                "period_is_policy": o.policy,
                "due": o.due.to_string(),
                "due_day": o.due_day.to_string(),
                "target": o.target.map(|t| t.to_string()),
                "target_day": o.target_day().map(|d| d.to_string()),
                "days_past_due": o.standing.days_past_due,
            });
            tracked(o.obligation, &o.standing, own, lang)
        })
        .collect();
    json!({
        "format": PLUS_FORMAT,
        "as_of": p.as_of.to_string(),
        "view": p.view.as_str(),
        "generated_at": p.generated_at_rfc3339(),
        "breachline_version": p.version,
        "rules_sha256": p.rules_sha256,
        "file": file,
        "sha256": input_sha256(p, file),
        "title": i.title.get(lang),
        "organization": i.organization.get(lang),
        "service": i.service.get(lang),
        "reviewed": i.reviewed.to_string(),
        "incident_began": {
            "event": began.event,
            "compromise": began.compromise,
        },
        "impact": { "potential": figure(v.potential), "confirmed": figure(v.confirmed) },
        "intervals": {
            "discovery": interval(v.intervals.dwell.as_ref()),
            "containment": interval(v.intervals.detection_to_containment.as_ref()),
        },
        "remediation": remediation,
        "obligations": obligations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approx(min: i64, max: i64) -> Days {
        Days {
            days: min,
            min,
            max,
            approximate: true,
        }
    }

    #[test]
    fn exact_counts_are_days_with_a_value() {
        let exact = Days {
            days: 250,
            min: 250,
            max: 250,
            approximate: false,
        };
        assert_eq!(days(exact), json!({ "unit": "Days", "value": 250 }));
        assert_eq!(days(Days::ZERO), json!({ "unit": "Days", "value": 0 }));
    }

    #[test]
    fn approximate_counts_are_the_unit_they_all_fall_in() {
        assert_eq!(days(approx(0, 6)), json!({ "unit": "Days" }));
        assert_eq!(days(approx(7, 29)), json!({ "unit": "Weeks" }));
        assert_eq!(days(approx(40, 70)), json!({ "unit": "Months" }));
        assert_eq!(days(approx(400, 430)), json!({ "unit": "Years" }));
        // Between 20 and 50 days: weeks or months, so VERIS's unit is not known.
        assert_eq!(days(approx(20, 50)), json!({ "unit": "Unknown" }));
        assert_eq!(duration(None), json!({ "unit": "Unknown" }));
    }
}
