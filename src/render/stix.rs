//! `export --format stix`: a STIX 2.1 bundle, for CTI platforms.
//!
//! Each incident is an `incident` object with the Incident Core extension
//! (`extension-definition--ef765651-…`), its events as `event` objects and its remediation
//! items and reporting obligations as `task` objects of that extension suite. Ids are UUIDv5
//! of the incident id and the fact's id, so that an export made again names the same objects
//! and a platform updates them rather than adding copies. Times come from the record and the
//! as-of day, never the clock. What STIX has no property for is kept as `x_breachline_*`
//! custom properties. The mapping is documented in docs/exports.md.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::report::Report;
use crate::date::{Moment, When, Zone};
use crate::error::Error;
use crate::evaluate::{FigureView, IncidentView, Standing, State};
use crate::model::{
    Counted, Event, Id, Obligation, RecordStatus, Remediation, Source, Status, Tracked,
};
use crate::text::{Lang, Text};

pub const INCIDENT_CORE: &str = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";
pub const EVENT_EXTENSION: &str = "extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e";
pub const TASK_EXTENSION: &str = "extension-definition--2074a052-8be4-4932-849e-f5e7798e0030";

/// breachline's own properties of an incident, at its top level as `x_breachline_*`
/// (a top-level property extension, declared at the start of every bundle).
pub const INCIDENT_PROPERTIES: &str = "extension-definition--b9446149-a647-50c3-b3e6-4df3f3b95ecc";
/// breachline's own properties of an event or a task, nested in their `extensions` under this
/// id (a property extension: the Incident Extension Suite's task schema allows no other
/// top-level property).
pub const FACT_PROPERTIES: &str = "extension-definition--9b7270a7-4eb6-53f5-bf04-88875ddb6211";
/// The identity that defines breachline's extensions.
const BREACHLINE_IDENTITY: &str = "identity--88908027-37af-5180-82e2-b5a2ec85d9cc";
/// When breachline's extension definitions were written; raised with their `version`.
const DEFINED: &str = "2026-12-07T00:00:00.000Z";
const DEFINITION_VERSION: &str = "1.0.0";

/// The `x_breachline_*` properties an incident may have, declared in [`INCIDENT_PROPERTIES`]'s
/// `extension_properties`; a test holds every one written to this list.
pub const INCIDENT_PROPERTY_NAMES: &[&str] = &[
    "x_breachline_id",
    "x_breachline_organization",
    "x_breachline_service",
    "x_breachline_reviewed",
    "x_breachline_impact",
    "x_breachline_as_of",
    "x_breachline_view",
    "x_breachline_generated_at",
    "x_breachline_version",
    "x_breachline_rules_sha256",
    "x_breachline_file",
    "x_breachline_sha256",
];

/// The objects that declare breachline's extensions: its identity, and the two extension
/// definitions, first in every bundle.
fn definitions() -> [Value; 3] {
    let schema =
        "breachline's docs/exports.md, section STIX, lists these properties and their meaning";
    [
        json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": BREACHLINE_IDENTITY,
            "created": DEFINED,
            "modified": DEFINED,
            "name": "breachline",
            "identity_class": "system",
            "description": "breachline, a tool that tracks security incidents as sourced timelines: the author of its STIX extensions",
        }),
        json!({
            "type": "extension-definition",
            "spec_version": "2.1",
            "id": INCIDENT_PROPERTIES,
            "created_by_ref": BREACHLINE_IDENTITY,
            "created": DEFINED,
            "modified": DEFINED,
            "name": "breachline incident properties",
            "description": "What breachline records of an incident that STIX has no property for, and the provenance of the export (as-of day, view, input file and its SHA-256).",
            "schema": schema,
            "version": DEFINITION_VERSION,
            "extension_types": ["toplevel-property-extension"],
            "extension_properties": INCIDENT_PROPERTY_NAMES,
        }),
        json!({
            "type": "extension-definition",
            "spec_version": "2.1",
            "id": FACT_PROPERTIES,
            "created_by_ref": BREACHLINE_IDENTITY,
            "created": DEFINED,
            "modified": DEFINED,
            "name": "breachline event and task properties",
            "description": "What breachline records of an event, a remediation item or a reporting obligation that the Incident Extension Suite has no property for: its id, kind, state as of the day, due date and lateness.",
            "schema": schema,
            "version": DEFINITION_VERSION,
            "extension_types": ["property-extension"],
        }),
    ]
}

/// Sets `modified`: the start of the as-of day plus a number of milliseconds (under a day)
/// taken from the SHA-256 of the object's content, so that an object exported again with the
/// same content is the same version, and one whose content changed is a new version, still
/// on the as-of day. The time of day means nothing else. The generation time is left out of
/// the content: it changes with every run.
fn versioned(mut o: Map<String, Value>, day: DateTime<Utc>) -> Value {
    use sha2::Digest as _;
    o.remove("modified");
    let generated = o.remove("x_breachline_generated_at");
    let content = super::json::pretty::to_vec(&o, 0).unwrap_or_default();
    let digest = sha2::Sha256::digest(&content);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let ms = u64::from_be_bytes(first) % 86_400_000;
    let modified = day + chrono::Duration::milliseconds(i64::try_from(ms).unwrap_or(0));
    o.insert("modified".into(), json!(stamp(modified)));
    if let Some(g) = generated {
        o.insert("x_breachline_generated_at".into(), g);
    }
    Value::Object(o)
}

/// breachline's namespace for the UUIDv5 of every object it exports.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:breachline:stix-2.1")
}

/// `type--uuid`, the UUID derived from `parts` alone. The parts are written as a JSON array so
/// that no two different lists of ids give the same name.
fn stix_id(kind: &str, parts: &[&str]) -> String {
    let mut name = vec![kind];
    name.extend_from_slice(parts);
    // Hashed, never written: serde_json's compact form, so that ids stay what they were.
    #[allow(clippy::disallowed_methods)]
    let name = serde_json::to_string(&name).unwrap_or_default();
    format!("{kind}--{}", Uuid::new_v5(&namespace(), name.as_bytes()))
}

/// STIX timestamps: UTC, to the millisecond (`created` and `modified` must be).
fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A date as a STIX time and its fidelity: a day or a month from its first instant in the
/// incident's zone, a date-time as written.
fn when(w: When, zone: &Zone) -> (DateTime<Utc>, &'static str) {
    match w {
        When::Day(d) => (zone.start_of_day(d), "day"),
        When::Month { .. } => (zone.start_of_day(w.earliest()), "month"),
        When::Instant(t) => (t.with_timezone(&Utc), "second"),
    }
}

fn moment(m: Moment, zone: &Zone) -> (DateTime<Utc>, &'static str) {
    match m {
        Moment::Day(d) => when(When::Day(d), zone),
        Moment::Instant(t) => when(When::Instant(t), zone),
    }
}

fn put(o: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        o.insert(key.to_owned(), v.into());
    }
}

/// `start_time` and, when strictly later (as STIX requires), `end_time`, with fidelities.
fn times(
    o: &mut Map<String, Value>,
    start: Option<(DateTime<Utc>, &'static str)>,
    end: Option<(DateTime<Utc>, &'static str)>,
) {
    if let Some((t, fidelity)) = start {
        o.insert("start_time".into(), json!(stamp(t)));
        o.insert("start_time_fidelity".into(), json!(fidelity));
    }
    if let Some((t, fidelity)) = end.filter(|(t, _)| start.is_none_or(|(s, _)| *t > s)) {
        o.insert("end_time".into(), json!(stamp(t)));
        o.insert("end_time_fidelity".into(), json!(fidelity));
    }
}

/// An RFC 3986 URI, as the schema's `format: uri` wants: a scheme, then only characters a URI
/// may hold. Anything else is kept in the description instead.
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    let percent_encoded = rest
        .split('%')
        .skip(1)
        .all(|after| after.len() >= 2 && after.bytes().take(2).all(|b| b.is_ascii_hexdigit()));
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && percent_encoded
        && rest.matches('#').count() <= 1
        && authority_ok(rest)
        // Brackets only belong around an IPv6 host: rare enough to leave to the description.
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#@!$&'()*+,;=%".contains(c))
}

/// After `//`: `[userinfo@]host[:port]`, the port digits only; the host has no `@` or `:`.
fn authority_ok(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("//") else {
        return true;
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host_port.split_once(':') {
        Some((host, port)) => !host.contains('@') && port.bytes().all(|b| b.is_ascii_digit()),
        None => !host_port.contains('@'),
    }
}

fn external_reference(s: &Source, lang: Lang) -> Value {
    let mut r = Map::new();
    r.insert("source_name".into(), json!(s.publisher.get(lang)));
    let title = s.title.get(lang);
    match s.url.as_deref().filter(|u| crate::sanitize::is_web_url(u)) {
        Some(url) if is_uri(url) => {
            r.insert("description".into(), json!(title));
            r.insert("url".into(), json!(url));
        }
        Some(url) => {
            r.insert("description".into(), json!(format!("{title} ({url})")));
        }
        None => {
            r.insert("description".into(), json!(title));
        }
    }
    Value::Object(r)
}

/// The sources `ids` cite, in the order of the file's source list.
fn references(sources: &[Source], ids: &[Id], lang: Lang) -> Option<Value> {
    let refs: Vec<Value> = sources
        .iter()
        .filter(|s| ids.contains(&s.id))
        .map(|s| external_reference(s, lang))
        .collect();
    (!refs.is_empty()).then_some(Value::Array(refs))
}

fn text(t: &Option<Text>, lang: Lang) -> Option<&str> {
    t.as_ref().map(|t| t.get(lang)).filter(|s| !s.is_empty())
}

/// What a status known on the day says of a task's outcome.
fn outcome<S: RecordStatus>(s: Option<S>) -> &'static str {
    match s.and_then(RecordStatus::said) {
        Some(Status::Done) => "successful",
        Some(Status::Cancelled) => "cancelled",
        Some(Status::InProgress) => "ongoing",
        Some(Status::Planned) => "pending",
        None => "unknown",
    }
}

fn finished(s: State) -> bool {
    matches!(s, State::Done | State::DoneLate | State::Cancelled)
}

/// Common properties of every object: `created` is the day the record first knew the fact,
/// never after `modified`, which is the as-of day the object is evaluated on.
fn common(
    kind: &str,
    id: &str,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("type".into(), json!(kind));
    o.insert("spec_version".into(), json!("2.1"));
    o.insert("id".into(), json!(id));
    o.insert("created".into(), json!(stamp(created.min(modified))));
    o.insert("modified".into(), json!(stamp(modified)));
    o
}

fn figure(f: Option<FigureView<'_>>) -> Option<Value> {
    f.map(|f| {
        let mut o = Map::new();
        put(&mut o, "contracts", f.figure.contracts.map(|c| c.0));
        put(&mut o, "accounts", f.figure.accounts.map(|c| c.0));
        o.insert(
            "counts".into(),
            super::veris::counts(&f.figure.all_counts()),
        );
        // Counts the source gives as maxima are not exact counts.
        o.insert("up_to".into(), json!(f.figure.up_to));
        o.insert("as_of".into(), json!(f.figure.as_of.to_string()));
        o.insert("known_on".into(), json!(f.known_on.to_string()));
        Value::Object(o)
    })
}

/// What the objects of an incident are made with.
struct Made<'a> {
    iid: &'a str,
    /// Seen with hindsight, every object is another one than as known: its own ids.
    hindsight: bool,
    zone: &'a Zone,
    /// When every object was last modified: the day the report is as of.
    modified: DateTime<Utc>,
    sources: &'a [Source],
    lang: Lang,
}

impl Made<'_> {
    /// The id of an object of this incident: from its kind, the incident id and `parts`, and
    /// the view when it is hindsight (so that the two views never share an id).
    fn id(&self, kind: &str, parts: &[&str]) -> String {
        let mut name = Vec::with_capacity(parts.len() + 2);
        if self.hindsight {
            name.push("hindsight");
        }
        name.push(self.iid);
        name.extend_from_slice(parts);
        stix_id(kind, &name)
    }
}

/// The task of an item or an obligation, as both are: `start` when it began, if it did; its
/// STIX id, for the incident to refer to it.
fn task<K: Tracked>(
    made: &Made<'_>,
    what: &K,
    s: &Standing<K::Status>,
    known_on: NaiveDate,
    start: Option<(DateTime<Utc>, &'static str)>,
) -> (Map<String, Value>, Map<String, Value>) {
    let p = what.progress();
    let id = made.id("task", &[K::KIND, what.id().as_str()]);
    let created = made.zone.start_of_day(known_on);
    let mut o = common("task", &id, created, made.modified);
    o.remove("modified");
    o.insert("name".into(), json!(what.title().get(made.lang)));
    put(&mut o, "description", text(&p.detail, made.lang));
    o.insert("outcome".into(), json!(outcome(s.known_status)));
    let done = matches!(s.state, State::Done | State::DoneLate);
    let completed = p.completed_at().filter(|_| done);
    times(&mut o, start, completed.map(|c| moment(c, made.zone)));
    let references = references(made.sources, &p.sources, made.lang);
    put(&mut o, "external_references", references);
    let mut own = Map::new();
    own.insert("extension_type".into(), json!("property-extension"));
    own.insert("id".into(), json!(what.id().as_str()));
    own.insert("kind".into(), json!(K::KIND));
    own.insert("state".into(), json!(s.state.as_str()));
    let completed_by = p.completed_by.filter(|_| done).map(|d| d.to_string());
    put(&mut own, "completed_by", completed_by);
    put(&mut own, "days_late", s.days_late);
    put(&mut own, "on_time", s.on_time);
    (o, own)
}

/// A task or an event with its `extensions`: the suite's own, and breachline's properties.
fn with_extensions(
    mut o: Map<String, Value>,
    suite: &str,
    own: Map<String, Value>,
    day: DateTime<Utc>,
) -> Value {
    o.insert(
        "extensions".into(),
        json!({ suite: { "extension_type": "new-sdo" }, FACT_PROPERTIES: own }),
    );
    versioned(o, day)
}

/// The objects of an incident, handed to `emit` one at a time: the incident first, then its
/// events, items and obligations. A file of many events is never held as one tree of values
/// (a 1 MB file of 20,000 events took 224 MB so).
fn incident_objects(
    file: &str,
    v: &IncidentView<'_>,
    report: &Report<'_>,
    emit: &mut dyn FnMut(Value) -> Result<(), Error>,
) -> Result<(), Error> {
    let lang = report.lang;
    let i = v.incident;
    let iid = i.id.as_str();
    let zone = i.zone();
    let day = |d: NaiveDate| zone.start_of_day(d);
    let modified = day(report.provenance.as_of);
    let made = Made {
        iid,
        hindsight: report.provenance.view == crate::evaluate::View::Hindsight,
        zone: &zone,
        modified,
        sources: &i.sources,
        lang,
    };
    // The incident names its events and tasks: their ids, worked out here as each object's
    // own is below.
    let event_id = |ev: &Event| made.id("event", &["event", ev.id.as_str()]);
    let task_id = |kind: &str, id: &Id| made.id("task", &[kind, id.as_str()]);
    let event_refs: Vec<Value> = v
        .events
        .iter()
        .map(|e| json!({ "event_ref": event_id(e.event) }))
        .collect();
    let task_refs: Vec<Value> = (v.remediation.iter())
        .map(|r| task_id(Remediation::KIND, &r.item.id))
        .chain(
            v.obligations
                .iter()
                .map(|o| task_id(Obligation::KIND, &o.obligation.id)),
        )
        .map(|id| json!({ "task_ref": id }))
        .collect();
    emit(incident_object(
        file, v, report, &made, event_refs, task_refs,
    ))?;

    for e in &v.events {
        let ev = e.event;
        let id = event_id(ev);
        let mut o = common("event", &id, day(e.known_on), modified);
        o.remove("modified");
        o.insert("name".into(), json!(ev.title.get(lang)));
        put(&mut o, "description", text(&ev.detail, lang));
        o.insert(
            "status".into(),
            json!(if e.ongoing { "ongoing" } else { "occurred" }),
        );
        times(
            &mut o,
            Some(when(ev.date, &zone)),
            e.until.map(|u| when(u, &zone)),
        );
        put(
            &mut o,
            "external_references",
            references(&i.sources, &ev.sources, lang),
        );
        let mut own = Map::new();
        own.insert("extension_type".into(), json!("property-extension"));
        own.insert("id".into(), json!(ev.id.as_str()));
        own.insert("kind".into(), json!(ev.kind.as_str()));
        emit(with_extensions(o, EVENT_EXTENSION, own, modified))?;
    }

    for r in &v.remediation {
        let started = r.item.announced.map(|a| when(When::Day(a.0), &zone));
        let (o, mut own) = task(&made, r.item, &r.standing, r.known_on, started);
        let function = r.item.function.map(|f| f.as_str());
        put(&mut own, "function", function);
        put(&mut own, "due", r.due.map(|d| d.to_string()));
        put(&mut own, "days_overdue", r.standing.days_overdue());
        emit(with_extensions(o, TASK_EXTENSION, own, modified))?;
    }

    for ob in &v.obligations {
        let (mut o, mut own) = task(&made, ob.obligation, &ob.standing, ob.known_on, None);
        o.insert("task_types".into(), json!(["reported"]));
        put(
            &mut own,
            "rule",
            ob.obligation.rule.as_ref().map(|r| r.as_str()),
        );
        put(
            &mut own,
            "variant",
            ob.obligation.variant.as_ref().map(|v| v.as_str()),
        );
        put(&mut own, "provision", ob.provision());
        put(&mut own, "recipient", ob.recipient(lang));
        put(&mut own, "reference", ob.obligation.reference.as_deref());
        own.insert("period".into(), json!(ob.period.to_string()));
        if ob.policy {
            own.insert("period_is_policy".into(), json!(true));
        }
        own.insert("due".into(), json!(ob.due.to_string()));
        own.insert("due_day".into(), json!(ob.due_day.to_string()));
        put(&mut own, "target", ob.target.map(|t| t.to_string()));
        put(
            &mut own,
            "target_day",
            ob.target_day().map(|d| d.to_string()),
        );
        put(&mut own, "days_past_due", ob.standing.days_past_due);
        emit(with_extensions(o, TASK_EXTENSION, own, modified))?;
    }
    Ok(())
}

/// The incident itself, naming its events and tasks.
fn incident_object(
    file: &str,
    v: &IncidentView<'_>,
    report: &Report<'_>,
    made: &Made<'_>,
    event_refs: Vec<Value>,
    task_refs: Vec<Value>,
) -> Value {
    let lang = report.lang;
    let p = &report.provenance;
    let i = v.incident;
    let iid = i.id.as_str();
    let zone = i.zone();
    let day = |d: NaiveDate| zone.start_of_day(d);
    let modified = day(p.as_of);
    let mut core = Map::new();
    core.insert("extension_type".into(), json!("property-extension"));
    core.insert(
        "determination".into(),
        json!(if super::veris::confirmed(v) {
            "confirmed"
        } else {
            "suspected"
        }),
    );
    let states = v.item_states().chain(v.obligation_states());
    let closed = !task_refs.is_empty() && states.clone().all(finished);
    core.insert(
        "investigation_status".into(),
        json!(if closed { "closed" } else { "open" }),
    );
    if !event_refs.is_empty() {
        core.insert("events".into(), Value::Array(event_refs));
    }
    if !task_refs.is_empty() {
        core.insert("tasks".into(), Value::Array(task_refs));
    }
    // An exact count only: a maximum ("up to") is not a count of the impacted.
    let exact = v.confirmed.filter(|f| !f.figure.up_to);
    // The keys SHOULD come from entity-type-ov (Incident Extension Suite, 4.3): a contract is
    // a `customer` (an individual or an organisation), and `individual` is the vocabulary's
    // own; the other units (accounts, records, ...) name no entity type and stay in
    // x_breachline_impact.
    let mut entities = Map::new();
    for (unit, entity) in [("contracts", "customer"), ("individuals", "individual")] {
        if let Some(c) = exact.and_then(|f| f.figure.count_of(unit)) {
            entities.insert(entity.into(), json!(c.0));
        }
    }
    if !entities.is_empty() {
        core.insert("impacted_entity_counts".into(), Value::Object(entities));
    }

    let created = v
        .events
        .iter()
        .map(|e| e.known_on)
        .min()
        .map_or(modified, day);
    let id = made.id("incident", &[]);
    let mut o = common("incident", &id, created, modified);
    o.insert("name".into(), json!(i.title.get(lang)));
    put(&mut o, "description", text(&i.summary, lang));
    let all: Vec<Id> = i.sources.iter().map(|s| s.id.clone()).collect();
    put(
        &mut o,
        "external_references",
        references(&i.sources, &all, lang),
    );
    o.insert(
        "extensions".into(),
        json!({
            INCIDENT_CORE: core,
            INCIDENT_PROPERTIES: { "extension_type": "toplevel-property-extension" },
        }),
    );
    o.insert("x_breachline_id".into(), json!(iid));
    o.insert(
        "x_breachline_organization".into(),
        json!(i.organization.get(lang)),
    );
    o.insert("x_breachline_service".into(), json!(i.service.get(lang)));
    o.insert(
        "x_breachline_reviewed".into(),
        json!(i.reviewed.to_string()),
    );
    let mut impact = Map::new();
    put(&mut impact, "potential", figure(v.potential));
    put(&mut impact, "confirmed", figure(v.confirmed));
    if !impact.is_empty() {
        o.insert("x_breachline_impact".into(), Value::Object(impact));
    }
    o.insert("x_breachline_as_of".into(), json!(p.as_of.to_string()));
    o.insert("x_breachline_view".into(), json!(p.view.as_str()));
    o.insert(
        "x_breachline_generated_at".into(),
        json!(p.generated_at_rfc3339()),
    );
    o.insert("x_breachline_version".into(), json!(p.version));
    o.insert("x_breachline_rules_sha256".into(), json!(p.rules_sha256));
    o.insert("x_breachline_file".into(), json!(file));
    put(
        &mut o,
        "x_breachline_sha256",
        p.inputs
            .iter()
            .find(|input| input.file == file && !input.sha256.is_empty())
            .map(|input| input.sha256.clone()),
    );
    debug_assert!(o
        .keys()
        .filter(|k| k.starts_with("x_"))
        .all(|k| INCIDENT_PROPERTY_NAMES.contains(&k.as_str())));
    versioned(o, modified)
}

pub fn export(report: &Report<'_>) -> Result<String, Error> {
    let p = &report.provenance;
    let as_of = p.as_of.to_string();
    let mut name = vec![as_of.as_str(), p.view.as_str()];
    name.extend(report.incidents.iter().map(|(_, v)| v.incident.id.as_str()));
    // Every incident is an object of its own.
    if report.incidents.is_empty() {
        return Err(Error::Export(
            "a STIX bundle needs at least one object, and there is no incident to export".into(),
        ));
    }
    let failed = |e: serde_json::Error| Error::Export(e.to_string());
    // Written as serde_json writes the whole bundle (its keys in order: id, objects, type),
    // one object at a time; a test holds the two equal.
    let mut out = b"{\n  \"id\": ".to_vec();
    super::json::pretty::write(&mut out, &stix_id("bundle", &name), 1).map_err(failed)?;
    out.extend_from_slice(b",\n  \"objects\": [");
    let mut first = true;
    let mut emit = |object: Value| {
        out.extend_from_slice(if first { b"\n    " } else { b",\n    " });
        first = false;
        super::json::pretty::write(&mut out, &object, 2).map_err(failed)
    };
    for definition in definitions() {
        emit(definition)?;
    }
    for (file, v) in &report.incidents {
        incident_objects(file, v, report, &mut emit)?;
    }
    out.extend_from_slice(b"\n  ],\n  \"type\": \"bundle\"\n}\n");
    String::from_utf8(out).map_err(|e| Error::Export(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written object by object, the bundle is what serde_json writes for the whole of it.
    #[test]
    fn the_bundle_written_object_by_object_is_the_whole_one() {
        let bundled = include_str!("../../incidents/secure-mx-2025.yaml");
        let minimal = include_str!("../../tests/fixtures/valid/minimal.yaml");
        let obligations = include_str!("../../tests/fixtures/valid/obligations.yaml");
        let incidents: Vec<_> = [bundled, minimal, obligations]
            .map(|text| crate::yaml::parse_incident(text).unwrap())
            .into_iter()
            .collect();
        let as_of = crate::evaluate::AsOf::known(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(), 14);
        for count in 1..=incidents.len() {
            let report = Report {
                incidents: incidents[..count]
                    .iter()
                    .map(|i| ("f.yaml", crate::evaluate::evaluate(i, as_of)))
                    .collect(),
                provenance: crate::provenance::Provenance {
                    as_of: as_of.date,
                    view: as_of.view,
                    generated_at: DateTime::from_timestamp(1_748_736_000, 0).unwrap(),
                    version: "0",
                    rules_sha256: String::new(),
                    inputs: Vec::new(),
                },
                soon_days: 14,
                lang: Lang::En,
            };
            let mut objects = definitions().to_vec();
            for (file, v) in &report.incidents {
                incident_objects(file, v, &report, &mut |o| {
                    objects.push(o);
                    Ok(())
                })
                .unwrap();
            }
            let mut name = vec!["2025-06-01", "as_known"];
            name.extend(incidents[..count].iter().map(|i| i.id.as_str()));
            let whole = json!({
                "type": "bundle",
                "id": stix_id("bundle", &name),
                "objects": objects,
            });
            let whole = super::super::json::pretty::to_string(&whole).unwrap();
            assert_eq!(export(&report).unwrap(), whole, "{count} incidents");
        }
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = stix_id("event", &["inc", "event", "#1"]);
        assert_eq!(a, stix_id("event", &["inc", "event", "#1"]));
        assert!(a.starts_with("event--"));
        assert_eq!(&a[7 + 14..7 + 15], "5", "a version 5 UUID: {a}");
        // Joining the parts naively would make these two the same name.
        assert_ne!(
            stix_id("task", &["a/b", "c"]),
            stix_id("task", &["a", "b/c"])
        );
    }

    #[test]
    fn only_uris_are_urls() {
        assert!(is_uri("https://example.com/a?b=c#d"));
        assert!(is_uri("mailto:a@example.com"));
        assert!(!is_uri("example.com/a"));
        assert!(!is_uri("https://example.com/a b"));
        assert!(!is_uri("1http://x"));
        assert!(!is_uri("https:"));
    }

    /// What `is_uri` lets through, the schema's `format: uri` (as the tests check it) accepts.
    #[test]
    fn what_passes_for_a_uri_is_one() {
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&json!({ "type": "string", "format": "uri" }))
            .unwrap();
        let candidates = [
            "https://example.com/a?b=c#d",
            "https://example.com/%E6%97%A5",
            "https://example.com/%zz",
            "https://example.com/%4",
            "https://user@example.com:8080/x;y=z",
            "https://[::1]/x",
            "https://example.com/a b",
            "https://例え.jp/",
            "urn:isbn:0451450523",
            "http:/x",
            "javascript:alert(1)",
            "https://example.com/a\\b",
            "https://example.com/#a#b",
            "https://example.com:abc/",
            "https://example.com:443/",
            "https://a:b:c@example.com/",
            "https://exa%mple.com/",
            "a:b",
            "https:///x",
            "https://example.com/?q=a?b",
            "https://@/",
        ];
        for c in candidates {
            if is_uri(c) {
                assert!(validator.is_valid(&json!(c)), "{c} passes is_uri only");
            }
        }
        assert!(!is_uri("https://example.com/%zz"));
    }

    /// The ids of breachline's own definitions are UUIDv5 as every other id is, of their names.
    #[test]
    fn definition_ids_are_derived_from_their_names() {
        let d = definitions();
        assert_eq!(
            INCIDENT_PROPERTIES,
            stix_id("extension-definition", &["breachline incident properties"])
        );
        assert_eq!(
            FACT_PROPERTIES,
            stix_id(
                "extension-definition",
                &["breachline event and task properties"]
            )
        );
        assert_eq!(BREACHLINE_IDENTITY, stix_id("identity", &["breachline"]));
        assert_eq!(d[1]["name"], "breachline incident properties");
        assert_eq!(d[2]["name"], "breachline event and task properties");
        assert_eq!(d[0]["name"], "breachline");
    }

    /// The same content is the same version; any change of content, another one, on the
    /// same day.
    #[test]
    fn modified_follows_the_content() {
        let day = DateTime::from_timestamp(1_795_564_800, 0).unwrap();
        let mut a = Map::new();
        a.insert("name".into(), json!("R1"));
        let mut b = a.clone();
        b.insert("outcome".into(), json!("successful"));
        let (va, vb) = (versioned(a.clone(), day), versioned(b, day));
        assert_eq!(va["modified"], versioned(a.clone(), day)["modified"]);
        assert_ne!(va["modified"], vb["modified"]);
        for v in [&va, &vb] {
            let m = v["modified"].as_str().unwrap();
            assert!(m.starts_with("2026-11-25T"), "{m}");
        }
        // The generation time is no part of the content.
        a.insert(
            "x_breachline_generated_at".into(),
            json!("2026-12-01T00:00:00Z"),
        );
        assert_eq!(versioned(a, day)["modified"], va["modified"]);
    }

    #[test]
    fn millisecond_timestamps() {
        let t = DateTime::from_timestamp(1_795_564_800, 0).unwrap();
        assert_eq!(stamp(t), "2026-11-25T00:00:00.000Z");
    }
}
