//! Checks beyond parsing: what the types alone cannot say.
//!
//! Every problem in a file is reported, not just the first. Errors make the file unusable;
//! warnings are legal but suspicious.

use std::collections::HashMap;

use crate::diagnostic::{FieldPath, Severity};
use crate::model::{EventKind, Id, Incident, Status};

/// A problem found in an incident, at a path inside the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub path: FieldPath,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    fn error(path: FieldPath, message: String) -> Self {
        Finding {
            severity: Severity::Error,
            path,
            message,
            help: None,
        }
    }

    fn warning(path: FieldPath, message: String) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(path, message)
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

pub fn validate(incident: &Incident) -> Vec<Finding> {
    let mut out = Vec::new();
    unique_ids(
        "source",
        "sources",
        incident.sources.iter().map(|s| &s.id),
        &mut out,
    );
    unique_ids(
        "event",
        "events",
        incident.events.iter().map(|e| &e.id),
        &mut out,
    );
    unique_ids(
        "remediation item",
        "remediation",
        incident.remediation.iter().map(|r| &r.id),
        &mut out,
    );
    source_references(incident, &mut out);
    event_dates(incident, &mut out);
    completion(incident, &mut out);
    impact(incident, &mut out);
    event_order(incident, &mut out);
    missing_due_dates(incident, &mut out);
    out
}

fn unique_ids<'a>(
    what: &str,
    list: &'static str,
    ids: impl Iterator<Item = &'a Id>,
    out: &mut Vec<Finding>,
) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(&j) = first.get(id.as_str()) {
            out.push(
                Finding::error(
                    FieldPath::root().key(list).index(i).key("id"),
                    format!("duplicate {what} id `{id}`: {list}[{j}] already uses it"),
                )
                .help("give each entry its own id"),
            );
        } else {
            first.insert(id.as_str(), i);
        }
    }
}

fn source_references(incident: &Incident, out: &mut Vec<Finding>) {
    let declared: Vec<&str> = incident.sources.iter().map(|s| s.id.as_str()).collect();
    // `anchor` is a key the entry always has, to point at when `sources` is missing.
    let mut check = |path: FieldPath, anchor: &'static str, refs: &[Id], what: String| {
        if refs.is_empty() {
            out.push(
                Finding::warning(path.clone().key(anchor), format!("{what} cites no source"))
                    .help("add `sources: [ID]` naming where this fact comes from"),
            );
        }
        for (j, r) in refs.iter().enumerate() {
            if !declared.contains(&r.as_str()) {
                out.push(
                    Finding::error(
                        path.clone().key("sources").index(j),
                        format!("source `{r}` is not declared under `sources`"),
                    )
                    .help(if declared.is_empty() {
                        "declare it under `sources:` with an id, title and publisher".to_owned()
                    } else {
                        format!("declared sources: {}", declared.join(", "))
                    }),
                );
            }
        }
    };
    for (i, e) in incident.events.iter().enumerate() {
        check(
            FieldPath::root().key("events").index(i),
            "id",
            &e.sources,
            format!("event `{}`", e.id),
        );
    }
    if let Some(impact) = &incident.impact {
        for (key, figure) in [
            ("potential", &impact.potential),
            ("confirmed", &impact.confirmed),
        ] {
            if let Some(f) = figure {
                check(
                    FieldPath::root().key("impact").key(key),
                    "as_of",
                    &f.sources,
                    format!("the {key} impact"),
                );
            }
        }
    }
    for (i, r) in incident.remediation.iter().enumerate() {
        check(
            FieldPath::root().key("remediation").index(i),
            "id",
            &r.sources,
            format!("remediation item `{}`", r.id),
        );
    }
}

fn event_dates(incident: &Incident, out: &mut Vec<Finding>) {
    for (i, e) in incident.events.iter().enumerate() {
        if let Some(until) = e.until {
            if until.latest() < e.date.earliest() {
                out.push(
                    Finding::error(
                        FieldPath::root().key("events").index(i).key("until"),
                        format!(
                            "event `{}` ends ({until}) before it starts ({})",
                            e.id, e.date
                        ),
                    )
                    .help("`until` is the last day of the activity: it must not be before `date`"),
                );
            }
        }
    }
}

fn completion(incident: &Incident, out: &mut Vec<Finding>) {
    let reviewed = incident.reviewed;
    for (i, r) in incident.remediation.iter().enumerate() {
        let at = |key| FieldPath::root().key("remediation").index(i).key(key);
        match (r.status, r.completed, r.completed_by) {
            (Status::Done, None, None) => out.push(
                Finding::error(
                    at("status"),
                    format!("item `{}` is done but says neither when nor by when", r.id),
                )
                .help("add `completed: YYYY-MM-DD` (the day it was finished) or, if a source confirms it was done but not when, `completed_by: YYYY-MM-DD` (the date of that source)"),
            ),
            (Status::Done, Some(_), Some(_)) => out.push(
                Finding::error(
                    at("completed_by"),
                    format!("item `{}` gives both `completed` and `completed_by`", r.id),
                )
                .help("keep `completed` when the day is known, `completed_by` when only an upper bound is"),
            ),
            (Status::Done, _, _) => {}
            (status, completed, completed_by) => {
                for (key, value) in [("completed", completed), ("completed_by", completed_by)] {
                    if value.is_some() {
                        out.push(
                            Finding::error(
                                at(key),
                                format!(
                                    "item `{}` has `{key}` but its status is {}",
                                    r.id,
                                    status.as_str()
                                ),
                            )
                            .help(format!("set `status: done`, or remove `{key}`")),
                        );
                    }
                }
            }
        }
        for (key, value) in [("completed", r.completed), ("completed_by", r.completed_by)] {
            if let Some(day) = value {
                if day > reviewed {
                    out.push(
                        Finding::error(
                            at(key),
                            format!(
                                "item `{}` was {key} {day}, after the incident was last reviewed ({reviewed})",
                                r.id
                            ),
                        )
                        .help("a fact cannot postdate the last review: correct the date, or update `reviewed`"),
                    );
                }
            }
        }
    }
}

fn impact(incident: &Incident, out: &mut Vec<Finding>) {
    let Some(impact) = &incident.impact else {
        return;
    };
    let (Some(potential), Some(confirmed)) = (&impact.potential, &impact.confirmed) else {
        return;
    };
    for (key, p, c) in [
        ("contracts", potential.contracts, confirmed.contracts),
        ("accounts", potential.accounts, confirmed.accounts),
    ] {
        if let (Some(p), Some(c)) = (p, c) {
            if c > p {
                out.push(
                    Finding::error(
                        FieldPath::root().key("impact").key("confirmed").key(key),
                        format!(
                            "confirmed {key} ({}) exceed the potentially affected {key} ({})",
                            c.0, p.0
                        ),
                    )
                    .help("confirmed figures are a subset of the potential ones: check both numbers against their sources"),
                );
            }
        }
    }
}

/// Warns about an order of events that is legal but usually a typo.
fn event_order(incident: &Incident, out: &mut Vec<Finding>) {
    let first_of = |kind: EventKind| {
        incident
            .events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.date.earliest())
            .min()
    };
    let first_detection = first_of(EventKind::Detection);
    let first_compromise = first_of(EventKind::Compromise);
    for (i, e) in incident.events.iter().enumerate() {
        let at = FieldPath::root().key("events").index(i).key("date");
        match (e.kind, first_detection, first_compromise) {
            (EventKind::Disclosure | EventKind::Notification, Some(d), _)
                if e.date.latest() < d =>
            {
                out.push(
                    Finding::warning(
                        at,
                        format!(
                            "{} `{}` ({}) is dated before the first detection ({d})",
                            e.kind.as_str(),
                            e.id,
                            e.date
                        ),
                    )
                    .help("check the dates, or the kinds, of these events"),
                )
            }
            (EventKind::Detection, _, Some(c)) if e.date.latest() < c => out.push(
                Finding::warning(
                    at,
                    format!(
                        "detection `{}` ({}) is dated before the first compromise ({c})",
                        e.id, e.date
                    ),
                )
                .help("check the dates, or the kinds, of these events"),
            ),
            _ => {}
        }
    }
}

fn missing_due_dates(incident: &Incident, out: &mut Vec<Finding>) {
    for (i, r) in incident.remediation.iter().enumerate() {
        if r.due.is_none() && matches!(r.status, Status::Planned | Status::InProgress) {
            out.push(
                Finding::warning(
                    FieldPath::root().key("remediation").index(i).key("id"),
                    format!("remediation item `{}` has no due date", r.id),
                )
                .help("add `due: YYYY-MM-DD` if a deadline was announced; without one it can never be overdue"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "format: 1\nid: t\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\nsources: [{id: s1, title: t, publisher: p}]\n";

    fn findings(rest: &str) -> Vec<(Severity, String, String)> {
        let incident = crate::yaml::parse_incident(&format!("{BASE}{rest}")).unwrap();
        validate(&incident)
            .into_iter()
            .map(|f| (f.severity, f.path.to_string(), f.message))
            .collect()
    }

    #[test]
    fn a_clean_incident_has_no_findings() {
        assert_eq!(
            findings(
                "events: [{id: a, date: 2025-04-01, kind: compromise, title: x, sources: [s1]}]\n"
            ),
            []
        );
    }

    #[test]
    fn each_problem_is_reported_at_its_path() {
        let f = findings(
            "events:\n  - {id: a, date: 2025-04-10, until: 2025-04-01, kind: detection, title: x, sources: [s1]}\n  - {id: a, date: 2025-04-11, kind: other, title: y, sources: [nope]}\n",
        );
        let paths: Vec<&str> = f.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["events[1].id", "events[1].sources[0]", "events[0].until"]
        );
        assert!(f.iter().all(|(s, _, _)| *s == Severity::Error));
    }

    #[test]
    fn completion_rules() {
        let f = findings("remediation:\n  - {id: R1, title: x, status: done, completed: 2025-06-01, sources: [s1]}\n  - {id: R2, title: y, status: in_progress, completed_by: 2025-05-01, due: 2025-06-01, sources: [s1]}\n");
        let messages: Vec<&str> = f.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "item `R1` was completed 2025-06-01, after the incident was last reviewed (2025-05-13)",
                "item `R2` has `completed_by` but its status is in_progress",
            ]
        );
    }

    #[test]
    fn suspicious_orders_and_gaps_are_warnings() {
        let f = findings(
            "events:\n  - {id: c, date: 2025-04-10, kind: compromise, title: x, sources: [s1]}\n  - {id: d, date: 2025-04-01, kind: detection, title: x, sources: [s1]}\n  - {id: n, date: 2025-03-01, kind: notification, title: x}\nremediation:\n  - {id: R1, title: x, status: planned, sources: [s1]}\n",
        );
        assert!(f.iter().all(|(s, _, _)| *s == Severity::Warning), "{f:?}");
        let messages: Vec<&str> = f.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "event `n` cites no source",
                "detection `d` (2025-04-01) is dated before the first compromise (2025-04-10)",
                "notification `n` (2025-03-01) is dated before the first detection (2025-04-01)",
                "remediation item `R1` has no due date",
            ]
        );
    }

    #[test]
    fn done_and_cancelled_items_need_no_due_date() {
        let f =
            findings("remediation:\n  - {id: R1, title: x, status: cancelled, sources: [s1]}\n");
        assert_eq!(f, []);
    }
}
