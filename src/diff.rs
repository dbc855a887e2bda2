//! What changed between two versions of a portfolio: incidents, sources, events, remediation
//! items, obligations and impact figures added, removed or changed field by field, and the
//! states that changed as a result as of a day.
//!
//! Entries are matched by id (impact figures by `potential`/`confirmed`); fields are compared
//! as the format writes them (their serde form), so a new key of the format is compared
//! without a change here.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::evaluate::{evaluate, AsOf, State};
use crate::model::{Id, Incident};

/// What kind of record an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    Incident,
    Source,
    Event,
    Impact,
    Remediation,
    Obligation,
}

impl Record {
    pub fn as_str(self) -> &'static str {
        match self {
            Record::Incident => "incident",
            Record::Source => "source",
            Record::Event => "event",
            Record::Impact => "impact",
            Record::Remediation => "remediation",
            Record::Obligation => "obligation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
        }
    }
}

/// One field that differs: its value before and after, as the format writes it (`null` where
/// absent).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// A record added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub incident: Id,
    pub record: Record,
    pub id: String,
    pub change: Kind,
    /// Each field that differs, by name: for `added`, every field of the new record (against
    /// `null`) but its id, which the change names; for `removed`, every field of the old one.
    pub fields: Vec<Field>,
}

/// A state, as of the day, that differs between the two versions; `None` where the item or
/// obligation is not shown in that version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateChange {
    pub incident: Id,
    pub record: Record,
    pub id: String,
    pub old: Option<State>,
    pub new: Option<State>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub states: Vec<StateChange>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.states.is_empty()
    }
}

/// The differences from `old` to `new`, incidents matched by id, in the order of `new` (then
/// the removed ones, in the order of `old`).
pub fn diff(old: &[&Incident], new: &[&Incident], as_of: AsOf) -> Diff {
    let old_by_id: BTreeMap<&str, &Incident> = old.iter().map(|i| (i.id.as_str(), *i)).collect();
    let new_ids: BTreeMap<&str, ()> = new.iter().map(|i| (i.id.as_str(), ())).collect();
    let mut out = Diff::default();
    for n in new {
        match old_by_id.get(n.id.as_str()) {
            Some(o) => incident(o, n, as_of, &mut out),
            None => {
                out.changes
                    .push(whole(&n.id, Record::Incident, n.id.as_str(), Kind::Added));
                states(None, Some(n), as_of, &mut out);
            }
        }
    }
    for o in old.iter().filter(|o| !new_ids.contains_key(o.id.as_str())) {
        out.changes
            .push(whole(&o.id, Record::Incident, o.id.as_str(), Kind::Removed));
        states(Some(o), None, as_of, &mut out);
    }
    out
}

fn whole(incident: &Id, record: Record, id: &str, change: Kind) -> Change {
    Change {
        incident: incident.clone(),
        record,
        id: id.to_owned(),
        change,
        fields: Vec::new(),
    }
}

/// The lists of records compared entry by entry; the rest of the incident is compared field
/// by field as the incident's own record.
const LISTS: [(&str, Record); 4] = [
    ("sources", Record::Source),
    ("events", Record::Event),
    ("remediation", Record::Remediation),
    ("obligations", Record::Obligation),
];

fn incident(old: &Incident, new: &Incident, as_of: AsOf, out: &mut Diff) {
    values(&new.id, &to_value(old), &to_value(new), out);
    states(Some(old), Some(new), as_of, out);
}

/// Two versions of an incident as the format writes them, every key compared: the lists
/// entry by entry, the impact figures revision by revision, each other key of `impact` (the
/// units, and any the format gains) as an impact record of its own name, and every other key
/// as a field of the incident's own record.
fn values(id: &Id, o: &Value, n: &Value, out: &mut Diff) {
    const FIGURES: [&str; 2] = ["potential", "confirmed"];
    let own = fields_but(o, n, |key| {
        key == "impact" || LISTS.iter().any(|(list, _)| *list == key)
    });
    if !own.is_empty() {
        out.changes.push(Change {
            fields: own,
            ..whole(id, Record::Incident, id.as_str(), Kind::Changed)
        });
    }
    for (key, record) in LISTS {
        list(id, record, o.get(key), n.get(key), out);
    }
    let impact = |v: &Value| v.get("impact").cloned().unwrap_or(Value::Null);
    let (oi, ni) = (impact(o), impact(n));
    for which in FIGURES {
        let (old_f, new_f) = (oi.get(which).cloned(), ni.get(which).cloned());
        if old_f.as_ref().is_some_and(Value::is_array)
            || new_f.as_ref().is_some_and(Value::is_array)
        {
            revisions(id, which, old_f, new_f, out);
        } else {
            entry(id, Record::Impact, which, old_f, new_f, out);
        }
    }
    for key in keys(&oi, &ni).filter(|k| !FIGURES.contains(k)) {
        entry(
            id,
            Record::Impact,
            key,
            oi.get(key).cloned(),
            ni.get(key).cloned(),
            out,
        );
    }
}

/// The keys of either object, each once, in order.
fn keys<'a>(o: &'a Value, n: &'a Value) -> impl Iterator<Item = &'a str> {
    let names = |v: &'a Value| v.as_object().into_iter().flat_map(|m| m.keys());
    let all: std::collections::BTreeSet<&str> =
        names(o).chain(names(n)).map(String::as_str).collect();
    all.into_iter()
}

/// Revisions of a figure (one figure counts as a list of one) matched by their `as_of`, each
/// named `confirmed@2025-04-22`.
fn revisions(incident: &Id, which: &str, old: Option<Value>, new: Option<Value>, out: &mut Diff) {
    let dated = |v: Option<Value>| -> Vec<(String, Value)> {
        let list = match v {
            Some(Value::Array(a)) => a,
            Some(one) => vec![one],
            None => Vec::new(),
        };
        list.into_iter()
            .map(|f| {
                let day = f.get("as_of").and_then(Value::as_str).unwrap_or_default();
                (format!("{which}@{day}"), f)
            })
            .collect()
    };
    let (old, new) = (dated(old), dated(new));
    // Matched through maps, as states are: linear however many revisions there are.
    let old_by_id: foldhash::HashMap<&str, &Value> =
        old.iter().map(|(id, v)| (id.as_str(), v)).collect();
    let new_ids: foldhash::HashSet<&str> = new.iter().map(|(id, _)| id.as_str()).collect();
    for (id, v) in &new {
        let before = old_by_id.get(id.as_str()).map(|v| (*v).clone());
        entry(incident, Record::Impact, id, before, Some(v.clone()), out);
    }
    for (id, v) in old.iter().filter(|(o, _)| !new_ids.contains(o.as_str())) {
        entry(incident, Record::Impact, id, Some(v.clone()), None, out);
    }
}

fn to_value(incident: &Incident) -> Value {
    // Plain data with derived serialisation: it cannot fail.
    serde_json::to_value(incident).unwrap_or(Value::Null)
}

/// Entries of a list matched by `id`, in the order of the new list, then the removed ones.
fn list(incident: &Id, record: Record, old: Option<&Value>, new: Option<&Value>, out: &mut Diff) {
    let items = |v: Option<&Value>| -> Vec<(String, Value)> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|x| {
                        let id = x.get("id").and_then(Value::as_str).unwrap_or_default();
                        (id.to_owned(), x.clone())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (old, new) = (items(old), items(new));
    // The first of repeated ids only: validation refuses repeats.
    let mut old_by_id: BTreeMap<&str, &Value> = BTreeMap::new();
    for (id, v) in &old {
        old_by_id.entry(id).or_insert(v);
    }
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for (id, v) in &new {
        if seen.insert(id, ()).is_some() {
            continue;
        }
        entry(
            incident,
            record,
            id,
            old_by_id.get(id.as_str()).map(|v| (*v).clone()),
            Some(v.clone()),
            out,
        );
    }
    for (id, v) in &old {
        if seen.insert(id, ()).is_none() {
            entry(incident, record, id, Some(v.clone()), None, out);
        }
    }
}

fn entry(
    incident: &Id,
    record: Record,
    id: &str,
    old: Option<Value>,
    new: Option<Value>,
    out: &mut Diff,
) {
    let change = match (&old, &new) {
        (None, None) => return,
        // An added or removed record shows what it holds: each of its fields, against nothing.
        (None, Some(n)) => Change {
            fields: fields_but(&Value::Object(Default::default()), n, |k| k == "id"),
            ..whole(incident, record, id, Kind::Added)
        },
        (Some(o), None) => Change {
            fields: fields_but(o, &Value::Object(Default::default()), |k| k == "id"),
            ..whole(incident, record, id, Kind::Removed)
        },
        (Some(o), Some(n)) => {
            let fields = fields(o, n);
            if fields.is_empty() {
                return;
            }
            Change {
                fields,
                ..whole(incident, record, id, Kind::Changed)
            }
        }
    };
    out.changes.push(change);
}

/// The top-level fields that differ, by name (a key now absent is `null` after).
fn fields(old: &Value, new: &Value) -> Vec<Field> {
    fields_but(old, new, |_| false)
}

/// [`fields`], less the keys `skip` names. A value that is not a mapping on either side is
/// compared whole, as the one field `value`.
fn fields_but(old: &Value, new: &Value, skip: impl Fn(&str) -> bool) -> Vec<Field> {
    let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
        return if old == new {
            Vec::new()
        } else {
            vec![Field {
                field: "value".into(),
                old: old.clone(),
                new: new.clone(),
            }]
        };
    };
    let mut out: Vec<Field> = Vec::new();
    for (key, nv) in n.iter().filter(|(k, _)| !skip(k)) {
        let ov = o.get(key).cloned().unwrap_or(Value::Null);
        if &ov != nv {
            out.push(Field {
                field: key.clone(),
                old: ov,
                new: nv.clone(),
            });
        }
    }
    for (key, ov) in o.iter().filter(|(k, _)| !n.contains_key(*k) && !skip(k)) {
        out.push(Field {
            field: key.clone(),
            old: ov.clone(),
            new: Value::Null,
        });
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

/// States of items and obligations that differ as of the day.
fn states(old: Option<&Incident>, new: Option<&Incident>, as_of: AsOf, out: &mut Diff) {
    let Some(incident) = new.or(old) else { return };
    let (old_view, new_view) = (
        old.map(|i| evaluate(i, as_of)),
        new.map(|i| evaluate(i, as_of)),
    );
    let items = |v: &Option<crate::evaluate::IncidentView<'_>>| -> Vec<(Record, String, State)> {
        v.as_ref()
            .map(|v| {
                v.remediation
                    .iter()
                    .map(|i| (Record::Remediation, i.item.id.to_string(), i.standing.state))
                    .chain(v.obligations.iter().map(|o| {
                        (
                            Record::Obligation,
                            o.obligation.id.to_string(),
                            o.standing.state,
                        )
                    }))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (before, after) = (items(&old_view), items(&new_view));
    // Looked up by id, not searched: a portfolio with many items costs their number, not its
    // square. The first of a repeated id, as the lists are matched.
    let index = |list: &[(Record, String, State)]| {
        let mut map: BTreeMap<(Record, String), State> = BTreeMap::new();
        for (r, i, s) in list {
            map.entry((*r, i.clone())).or_insert(*s);
        }
        map
    };
    let (before_by_id, after_by_id) = (index(&before), index(&after));
    let find = |map: &BTreeMap<(Record, String), State>, record: Record, id: &str| {
        map.get(&(record, id.to_owned())).copied()
    };
    let mut push = |record: Record, id: &str, old: Option<State>, new: Option<State>| {
        if old != new {
            out.states.push(StateChange {
                incident: incident.id.clone(),
                record,
                id: id.to_owned(),
                old,
                new,
            });
        }
    };
    for (record, id, state) in &after {
        push(*record, id, find(&before_by_id, *record, id), Some(*state));
    }
    for (record, id, state) in &before {
        if find(&after_by_id, *record, id).is_none() {
            push(*record, id, Some(*state), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLED: &str = include_str!("../incidents/secure-mx-2025.yaml");

    fn day(s: &str) -> chrono::NaiveDate {
        crate::date::parse_day(s).unwrap()
    }

    fn parse(s: &str) -> Incident {
        crate::yaml::parse_incident(s).unwrap()
    }

    /// One step of a path into the format: a key, or a list's first entry.
    #[derive(Debug, Clone)]
    enum Step {
        Key(String),
        First,
    }

    /// Every path to a value the schema describes (a map of free keys entered through one
    /// made-up key), to a depth far beyond the format's.
    fn schema_paths(node: &Value, schema: &Value, path: &[Step], out: &mut Vec<Vec<Step>>) {
        if path.len() > 8 {
            return;
        }
        if let Some(name) = node.get("$ref").and_then(Value::as_str) {
            let name = name.trim_start_matches("#/definitions/");
            return schema_paths(&schema["definitions"][name], schema, path, out);
        }
        for variants in ["anyOf", "oneOf", "allOf"] {
            for v in node
                .get(variants)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                schema_paths(v, schema, path, out);
            }
        }
        let mut enter = |step: Step, sub: &Value| {
            let mut p = path.to_vec();
            p.push(step);
            out.push(p.clone());
            schema_paths(sub, schema, &p, out);
        };
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (key, sub) in props {
                enter(Step::Key(key.clone()), sub);
            }
        }
        if let Some(sub) = node.get("additionalProperties").filter(|a| a.is_object()) {
            enter(Step::Key("some_key".into()), sub);
        }
        if let Some(sub) = node.get("items").filter(|a| a.is_object()) {
            enter(Step::First, sub);
        }
    }

    /// `v` with `leaf` at `path`, made where it is missing.
    fn set(v: &mut Value, path: &[Step], leaf: Value) {
        let Some((step, rest)) = path.split_first() else {
            *v = leaf;
            return;
        };
        let next = match step {
            Step::Key(key) => {
                if !v.is_object() {
                    *v = Value::Object(serde_json::Map::new());
                }
                let Value::Object(map) = v else {
                    unreachable!()
                };
                map.entry(key.clone()).or_insert(Value::Null)
            }
            Step::First => {
                if v.as_array().is_none_or(|a| a.is_empty()) {
                    *v = Value::Array(vec![Value::Object(serde_json::Map::new())]);
                }
                let Value::Array(list) = v else {
                    unreachable!()
                };
                &mut list[0]
            }
        };
        set(next, rest, leaf);
    }

    /// Issue 23: every key the format has is compared (changes under `impact.units` were
    /// not). The paths come from the schema, so a key added to the format is tried here too.
    #[test]
    fn a_change_at_any_key_of_the_schema_is_a_difference() {
        let base = to_value(&parse(BUNDLED));
        let schema = crate::schema::incident_schema();
        let mut paths = Vec::new();
        schema_paths(&schema, &schema, &[], &mut paths);
        assert!(paths.len() > 50, "{}", paths.len());
        let id = Id("x".into());
        for path in &paths {
            let mut changed = base.clone();
            set(&mut changed, path, Value::String("\u{1}changed".into()));
            let mut d = Diff::default();
            values(&id, &base, &changed, &mut d);
            assert!(!d.changes.is_empty(), "a change at {path:?} is not seen");
        }
    }

    #[test]
    fn the_same_incident_has_no_differences() {
        let a = parse(BUNDLED);
        let d = diff(&[&a], &[&a], AsOf::known(day("2026-11-25"), 14));
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn a_status_change_its_state_and_an_added_event_and_nothing_else() {
        let old = parse(BUNDLED);
        let mut new = old.clone();
        let r3 = new
            .remediation
            .iter_mut()
            .find(|r| r.id.as_str() == "R3")
            .unwrap();
        r3.progress.status = crate::model::Status::Done;
        r3.progress.completed = Some(crate::date::Day(day("2025-07-30")));
        let mut event = new.events[0].clone();
        event.id = Id("waf-done".into());
        new.events.push(event);
        let d = diff(&[&old], &[&new], AsOf::known(day("2026-11-25"), 14));
        let summary: Vec<(Record, &str, Kind)> = d
            .changes
            .iter()
            .map(|c| (c.record, c.id.as_str(), c.change))
            .collect();
        assert_eq!(
            summary,
            [
                (Record::Event, "waf-done", Kind::Added),
                (Record::Remediation, "R3", Kind::Changed),
            ]
        );
        let fields: Vec<&str> = d.changes[1]
            .fields
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, ["completed", "status"]);
        assert_eq!(
            d.states,
            [StateChange {
                incident: old.id.clone(),
                record: Record::Remediation,
                id: "R3".into(),
                old: Some(State::Overdue),
                new: Some(State::Done),
            }]
        );
    }

    #[test]
    fn removed_and_added_incidents_and_records_are_named() {
        let old = parse(BUNDLED);
        let mut new = old.clone();
        new.sources.remove(1);
        new.impact = None;
        let d = diff(&[&old], &[&new], AsOf::known(day("2026-11-25"), 14));
        let kinds: Vec<(Record, Kind)> = d.changes.iter().map(|c| (c.record, c.change)).collect();
        assert_eq!(
            kinds,
            [
                (Record::Source, Kind::Removed),
                (Record::Impact, Kind::Removed),
                (Record::Impact, Kind::Removed),
                (Record::Impact, Kind::Removed)
            ]
        );
        let none: [&Incident; 0] = [];
        let gone = diff(&[&old], &none, AsOf::known(day("2026-11-25"), 14));
        assert_eq!(gone.changes.len(), 1);
        assert_eq!(gone.changes[0].change, Kind::Removed);
        assert!(gone.states.iter().all(|s| s.new.is_none()));
    }
}
