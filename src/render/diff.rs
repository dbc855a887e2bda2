//! `diff`: what changed between two versions, as text for people; and what its other formats
//! (Markdown in `markdown.rs`, JSON in `json/diff.rs`) share.

use std::fmt::Write as _;

use serde_json::Value;

use crate::diff::{Change, Diff, Kind, StateChange};
use crate::evaluate::{AsOf, State};
use crate::model::Id;
use crate::sanitize::for_terminal;

/// A field's value for people: text as it is, nothing as `—`; a text in two languages as
/// each language's text (`en: …; ja: …`), and so any object of plain values (`contracts: 586;
/// accounts: 311288`); a list as its items (`s1, s2`); the rest as compact JSON.
pub fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        Value::Object(o) if !o.is_empty() && o.values().all(plain) => o
            .iter()
            .map(|(lang, text)| format!("{lang}: {}", shown(text)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Array(items) if items.iter().all(plain) => {
            if items.is_empty() {
                "—".to_owned()
            } else {
                items.iter().map(shown).collect::<Vec<_>>().join(", ")
            }
        }
        other => other.to_string(),
    }
}

fn plain(v: &Value) -> bool {
    matches!(
        v,
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null
    )
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
                // An added or removed record has one side only: its value, without an arrow.
                let value = match c.change {
                    Kind::Added => shown(&f.new),
                    Kind::Removed => shown(&f.old),
                    Kind::Changed => format!("{} → {}", shown(&f.old), shown(&f.new)),
                };
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    for_terminal(&f.field),
                    for_terminal(&value)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn texts_and_lists_are_shown_as_text() {
        assert_eq!(
            shown(&json!({ "en": "Leak", "ja": "漏えい" })),
            "en: Leak; ja: 漏えい"
        );
        assert_eq!(shown(&json!(["s1", "s2"])), "s1, s2");
        assert_eq!(shown(&json!([])), "—");
        assert_eq!(shown(&json!("x")), "x");
        assert_eq!(shown(&Value::Null), "—");
        assert_eq!(shown(&json!(12)), "12");
        assert_eq!(
            shown(&json!({ "contracts": 5, "accounts": null })),
            "accounts: —; contracts: 5"
        );
        assert_eq!(shown(&json!([{ "a": 1 }])), "[{\"a\":1}]");
    }
}
