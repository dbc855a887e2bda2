//! `diff`: what changed between two versions, as text for people; and what its other formats
//! (Markdown in `markdown.rs`, JSON in `json/diff.rs`) share.

use std::fmt::Write as _;

use serde_json::Value;

use crate::diff::{Change, Diff, StateChange};
use crate::evaluate::{AsOf, State};
use crate::model::Id;
use crate::sanitize::for_terminal;

/// A field's value for people: text as it is, nothing as `—`, the rest as compact JSON.
pub fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn state(s: Option<State>) -> &'static str {
    s.map_or("—", State::as_str)
}

/// The incidents in the order their first change or state change appears.
pub fn incidents(d: &Diff) -> Vec<&Id> {
    let mut out: Vec<&Id> = Vec::new();
    let all = d
        .changes
        .iter()
        .map(|c| &c.incident)
        .chain(d.states.iter().map(|s| &s.incident));
    for id in all {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

pub fn of<'a, T>(list: &'a [T], incident: &Id, key: impl Fn(&T) -> &Id) -> Vec<&'a T> {
    list.iter().filter(|x| key(x) == incident).collect()
}

pub fn text(d: &Diff, as_of: AsOf) -> String {
    let l = crate::render::labels::labels(crate::text::Lang::En);
    if d.is_empty() {
        return "no differences\n".to_owned();
    }
    let mut out = String::new();
    for incident in incidents(d) {
        let _ = writeln!(out, "{}", for_terminal(incident.as_str()));
        for c in of(&d.changes, incident, |c: &Change| &c.incident) {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                c.record.as_str(),
                for_terminal(&c.id),
                c.change.as_str()
            );
            for f in &c.fields {
                let _ = writeln!(
                    out,
                    "    {}: {} → {}",
                    for_terminal(&f.field),
                    for_terminal(&shown(&f.old)),
                    for_terminal(&shown(&f.new))
                );
            }
        }
        let states = of(&d.states, incident, |s: &StateChange| &s.incident);
        if !states.is_empty() {
            let _ = writeln!(out, "  states {}:", crate::render::as_of_phrase(as_of, l));
            for s in states {
                let _ = writeln!(
                    out,
                    "    {} {}: {} → {}",
                    s.record.as_str(),
                    for_terminal(&s.id),
                    state(s.old),
                    state(s.new)
                );
            }
        }
    }
    out
}
