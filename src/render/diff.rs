//! `diff`: what changed between two versions, as text for people, Markdown for a pull-request
//! comment, or JSON for programs.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::diff::{Change, Diff, Kind, StateChange};
use crate::evaluate::{AsOf, State, View};
use crate::model::Id;
use crate::sanitize::{for_terminal, markdown_cell as cell};

/// A field's value for people: text as it is, nothing as `—`, the rest as compact JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn state(s: Option<State>) -> &'static str {
    s.map_or("—", State::as_str)
}

/// The incidents in the order their first change or state change appears.
fn incidents(d: &Diff) -> Vec<&Id> {
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

fn of<'a, T>(list: &'a [T], incident: &Id, key: impl Fn(&T) -> &Id) -> Vec<&'a T> {
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

pub fn markdown(d: &Diff, as_of: AsOf) -> String {
    let l = crate::render::labels::labels(crate::text::Lang::En);
    let mut out = format!(
        "## breachline diff, {}\n\n",
        crate::render::as_of_phrase(as_of, l)
    );
    if d.is_empty() {
        out.push_str("No differences.\n");
        return out;
    }
    for incident in incidents(d) {
        let _ = writeln!(out, "### {}\n", cell(incident.as_str()));
        let changes = of(&d.changes, incident, |c: &Change| &c.incident);
        if !changes.is_empty() {
            out.push_str(
                "| Record | ID | Change | Field | Before | After |\n|---|---|---|---|---|---|\n",
            );
            for c in changes {
                if c.fields.is_empty() || c.change != Kind::Changed {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | | | |",
                        c.record.as_str(),
                        cell(&c.id),
                        c.change.as_str()
                    );
                }
                for f in &c.fields {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} |",
                        c.record.as_str(),
                        cell(&c.id),
                        c.change.as_str(),
                        cell(&f.field),
                        cell(&shown(&f.old)),
                        cell(&shown(&f.new))
                    );
                }
            }
            out.push('\n');
        }
        let states = of(&d.states, incident, |s: &StateChange| &s.incident);
        if !states.is_empty() {
            out.push_str("| Record | ID | State before | State after |\n|---|---|---|---|\n");
            for s in states {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    s.record.as_str(),
                    cell(&s.id),
                    state(s.old),
                    state(s.new)
                );
            }
            out.push('\n');
        }
    }
    out
}

#[derive(Serialize)]
struct Document<'a> {
    as_of: NaiveDate,
    view: View,
    changes: &'a [Change],
    states: &'a [StateChange],
}

pub fn json(d: &Diff, as_of: AsOf) -> String {
    let doc = Document {
        as_of: as_of.date,
        view: as_of.view,
        changes: &d.changes,
        states: &d.states,
    };
    // Plain data: serialising it cannot fail.
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
