//! Checks beyond parsing: what the types alone cannot say.
//!
//! Every problem in a file is reported, not just the first. Errors make the file unusable;
//! warnings are legal but suspicious.

mod impact;
mod obligations;
mod texts;

// Ids are hashed in every check of a file: foldhash rather than SipHash (5.6% of a profile,
// issue 12). Its seed is still random per process, so a file cannot choose colliding ids.
use std::cell::OnceCell;

use foldhash::{HashMap, HashMapExt as _, HashSet};

use crate::date::{Day, Moment, Zone};
use crate::diagnostic::{FieldPath, Severity};
use crate::model::{EventKind, Id, Incident, Progress, RecordStatus, StartsAt, Status, Tracked};
use crate::suggest::Nearest;
use crate::text::Text;

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

/// How the warning about a placeholder left from `breachline new` starts: `check` fails on it.
pub const PLACEHOLDER: &str = "placeholder left from `breachline new`";

/// A text `breachline new` wrote for the user to replace: it starts with `TODO`.
fn is_placeholder(text: &Text) -> bool {
    let todo = |s: &str| {
        let s = s.trim_start();
        s == "TODO" || s.starts_with("TODO:")
    };
    match text {
        Text::Plain(s) => todo(s),
        Text::Localized(pairs) => pairs.iter().any(|(_, s)| todo(s)),
    }
}

/// A warning for each placeholder left: the file is valid, but not finished.
fn placeholders(incident: &Incident, out: &mut Vec<Finding>) {
    let mut texts: Vec<(FieldPath, &Text)> = vec![
        (FieldPath::root().key("title"), &incident.title),
        (
            FieldPath::root().key("organization"),
            &incident.organization,
        ),
        (FieldPath::root().key("service"), &incident.service),
    ];
    texts.extend(
        incident
            .summary
            .as_ref()
            .map(|t| (FieldPath::root().key("summary"), t)),
    );
    for (i, s) in incident.sources.iter().enumerate() {
        let at = || FieldPath::root().key("sources").index(i);
        texts.push((at().key("title"), &s.title));
        texts.push((at().key("publisher"), &s.publisher));
    }
    for (i, e) in incident.events.iter().enumerate() {
        texts.push((
            FieldPath::root().key("events").index(i).key("title"),
            &e.title,
        ));
    }
    for (i, r) in incident.remediation.iter().enumerate() {
        texts.push((
            FieldPath::root().key("remediation").index(i).key("title"),
            &r.title,
        ));
    }
    for (i, o) in incident.obligations.iter().enumerate() {
        texts.push((
            FieldPath::root().key("obligations").index(i).key("title"),
            &o.title,
        ));
    }
    for (path, _) in texts.into_iter().filter(|(_, t)| is_placeholder(t)) {
        out.push(
            Finding::warning(
                path,
                format!("{PLACEHOLDER}: replace it with the real text"),
            )
            .help(
                "`breachline check` fails while a placeholder (a text starting with TODO) is left",
            ),
        );
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
    unique_ids(
        "obligation",
        "obligations",
        incident.obligations.iter().map(|o| &o.id),
        &mut out,
    );
    source_references(incident, &mut out);
    rescheduled(incident, &mut out);
    event_dates(incident, &mut out);
    completion(incident, &mut out);
    obligations::check(incident, &mut out);
    impact::check(incident, &mut out);
    placeholders(incident, &mut out);
    event_order(incident, &mut out);
    mixed_offsets(incident, &mut out);
    missing_due_dates(incident, &mut out);
    texts::blank_titles(incident, &mut out);
    texts::confusable_ids(incident, &mut out);
    texts::source_urls(incident, &mut out);
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
    let known: HashSet<&str> = incident.sources.iter().map(|s| s.id.as_str()).collect();
    let ids = || incident.sources.iter().map(|s| s.id.as_str());
    let nearest = OnceCell::new();
    // `anchor` is a key the entry always has, to point at when `sources` is missing. `what`
    // names the entry, for a message: made only when there is one.
    let mut check =
        |path: FieldPath, anchor: &'static str, refs: &[Id], what: &dyn Fn() -> String| {
            if refs.is_empty() {
                out.push(
                    Finding::warning(
                        path.clone().key(anchor),
                        format!("{} cites no source", what()),
                    )
                    .help("add `sources: [ID]` naming where this fact comes from"),
                );
            }
            for (j, r) in refs.iter().enumerate() {
                if !known.contains(r.as_str()) {
                    out.push(
                        Finding::error(
                            path.clone().key("sources").index(j),
                            format!("source `{r}` is not declared under `sources`"),
                        )
                        .help(if incident.sources.is_empty() {
                            "declare it under `sources:` with an id, title and publisher".to_owned()
                        } else {
                            format!(
                                "{}declared sources: {}",
                                did_you_mean(r.as_str(), nearest.get_or_init(|| declared(ids()))),
                                bounded_list(ids())
                            )
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
            &|| format!("event `{}`", e.id),
        );
    }
    if let Some(impact) = &incident.impact {
        for (key, figure) in [
            ("potential", &impact.potential),
            ("confirmed", &impact.confirmed),
        ] {
            for (path, f) in figure.iter().flat_map(|f| impact::figure_paths(key, f)) {
                check(path, "as_of", &f.sources, &|| format!("the {key} impact"));
            }
        }
    }
    for (i, r) in incident.remediation.iter().enumerate() {
        let path = FieldPath::root().key("remediation").index(i);
        check(path.clone(), "id", &r.progress.sources, &|| {
            format!("remediation item `{}`", r.id)
        });
        for (j, moved) in r.rescheduled.iter().enumerate() {
            check(
                path.clone().key("rescheduled").index(j),
                "due",
                &moved.sources,
                &|| format!("the new deadline {} of `{}`", moved.due, r.id),
            );
        }
    }
    for (i, o) in incident.obligations.iter().enumerate() {
        check(
            FieldPath::root().key("obligations").index(i),
            "id",
            &o.progress.sources,
            &|| format!("obligation `{}`", o.id),
        );
    }
}

/// A moved deadline needs the first one it moved from.
fn rescheduled(incident: &Incident, out: &mut Vec<Finding>) {
    for (i, r) in incident.remediation.iter().enumerate() {
        if r.due.is_none() && !r.rescheduled.is_empty() {
            out.push(
                Finding::error(
                    FieldPath::root()
                        .key("remediation")
                        .index(i)
                        .key("rescheduled"),
                    format!(
                        "remediation item `{}` is rescheduled but has no first deadline",
                        r.id
                    ),
                )
                .help("add `due:` with the deadline first announced; `rescheduled` lists the later ones"),
            );
        }
        let at = |j: usize| {
            FieldPath::root()
                .key("remediation")
                .index(i)
                .key("rescheduled")
                .index(j)
                .key("announced")
        };
        for (j, moved) in r.rescheduled.iter().enumerate() {
            // A year typo (2024 for 2025) puts the new deadline in force from the first day,
            // and `check` passes while the real deadline has gone by.
            if let Some(first) = r.announced.filter(|first| moved.announced.0 < first.0) {
                out.push(
                    Finding::warning(
                        at(j),
                        format!(
                            "remediation item `{}` is rescheduled on {}, before the item itself was announced ({first}): the new deadline counts from the start",
                            r.id, moved.announced
                        ),
                    )
                    .help("`announced` of a reschedule is the day its new deadline was made public, on or after the item's own `announced`: is the year right?"),
                );
            }
            // The later in the file wins a tie, which the file may not mean.
            if let Some(k) = r.rescheduled[..j]
                .iter()
                .position(|earlier| earlier.announced == moved.announced)
            {
                out.push(
                    Finding::warning(
                        at(j),
                        format!(
                            "remediation item `{}` has two reschedules announced on {} (entries {} and {}): the later one, due {}, is taken",
                            r.id,
                            moved.announced,
                            k + 1,
                            j + 1,
                            moved.due
                        ),
                    )
                    .help("keep the one that was announced, or correct the other's `announced` day"),
                );
            }
        }
    }
}

fn event_dates(incident: &Incident, out: &mut Vec<Finding>) {
    let zone = incident.zone();
    for (i, e) in incident.events.iter().enumerate() {
        if let Some(until) = e.until {
            if until.surely_before(&e.date, &zone) {
                out.push(
                    Finding::error(
                        FieldPath::root().key("events").index(i).key("until"),
                        format!(
                            "event `{}` ends ({until}) before it starts ({})",
                            e.id, e.date
                        ),
                    )
                    .help("`until` is when the activity ended (its last day, or the moment): it must not be before `date`"),
                );
            }
        }
    }
}

fn completion(incident: &Incident, out: &mut Vec<Finding>) {
    let zone = incident.zone();
    for (i, r) in incident.remediation.iter().enumerate() {
        completion_of(&r.id, &r.progress, i, incident.reviewed, &zone, out);
    }
    for (i, o) in incident.obligations.iter().enumerate() {
        completion_of(&o.id, &o.progress, i, incident.reviewed, &zone, out);
    }
}

/// The completion rules, alike for remediation items and obligations.
fn completion_of<K: Tracked>(
    id: &Id,
    p: &Progress<K>,
    index: usize,
    reviewed: Day,
    zone: &Zone,
    out: &mut Vec<Finding>,
) {
    let at = |key| FieldPath::root().key(K::LIST).index(index).key(key);
    let noun = K::NOUN;
    match (p.is_done(), p.completed_at(), p.completed_by) {
        (true, None, None) => out.push(
            Finding::error(
                at("status"),
                format!("{noun} `{id}` is done but says neither when nor by when"),
            )
            .help("add `completed: YYYY-MM-DD` (the day it was finished) or, if a source confirms it was done but not when, `completed_by: YYYY-MM-DD` (the date of that source)"),
        ),
        (true, Some(_), Some(_)) => out.push(
            Finding::error(
                at("completed_by"),
                format!("{noun} `{id}` gives both `completed` and `completed_by`"),
            )
            .help("keep `completed` when the day is known, `completed_by` when only an upper bound is"),
        ),
        (true, _, _) => {}
        (false, completed, completed_by) => {
            for (key, value) in [
                ("completed", completed.is_some()),
                ("completed_by", completed_by.is_some()),
            ] {
                if value {
                    out.push(
                        Finding::error(
                            at(key),
                            format!("{noun} `{id}` has `{key}` but its status is {}", p.status.word()),
                        )
                        .help(format!("set `status: done`, or remove `{key}`")),
                    );
                }
            }
        }
    }
    for (key, value) in [
        ("completed", p.completed_at()),
        ("completed_by", p.completed_by.map(Moment::from)),
    ] {
        if let Some(m) = value {
            if m.day_in(zone) > reviewed.0 {
                out.push(
                    Finding::error(
                        at(key),
                        format!(
                            "{noun} `{id}` was {key} {m}, after the incident was last reviewed ({reviewed})"
                        ),
                    )
                    .help("a fact cannot postdate the last review: correct the date, or update `reviewed`"),
                );
            }
        }
    }
}

/// Warns about an order of events that is legal but usually a typo.
fn event_order(incident: &Incident, out: &mut Vec<Finding>) {
    let zone = incident.zone();
    let first_of = |kind: EventKind| {
        incident
            .events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.date)
            .min_by_key(|w| w.order_key(&zone))
    };
    let first_detection = first_of(EventKind::Detection);
    let first_compromise = first_of(EventKind::Compromise);
    for (i, e) in incident.events.iter().enumerate() {
        let at = FieldPath::root().key("events").index(i).key("date");
        match (e.kind, first_detection, first_compromise) {
            (EventKind::Disclosure | EventKind::Notification, Some(d), _)
                if e.date.surely_before(&d, &zone) =>
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
            (EventKind::Detection, _, Some(c)) if e.date.surely_before(&c, &zone) => out.push(
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

/// Without `timezone`, each date-time falls on the day written at its own offset: with two
/// offsets in one file, days and the order of days against date-times stop agreeing.
fn mixed_offsets(incident: &Incident, out: &mut Vec<Finding>) {
    if incident.timezone.is_some() {
        return;
    }
    let events = incident.events.iter().enumerate().flat_map(|(i, e)| {
        let at = move |key| FieldPath::root().key("events").index(i).key(key);
        [
            e.date.offset().map(|o| (at("date"), o)),
            e.until.and_then(|u| u.offset()).map(|o| (at("until"), o)),
        ]
    });
    let obligations = incident.obligations.iter().enumerate().flat_map(|(i, o)| {
        let at = move |key| FieldPath::root().key("obligations").index(i).key(key);
        let start = match o.starts_at {
            Some(StartsAt::At(m)) => m.offset(),
            _ => None,
        };
        [
            start.map(|o| (at("starts_at"), o)),
            o.progress
                .completed
                .and_then(|m| m.offset())
                .map(|o| (at("completed"), o)),
        ]
    });
    let mut written = events.chain(obligations).flatten();
    let Some((first_at, first)) = written.next() else {
        return;
    };
    if let Some((at, other)) = written.find(|(_, o)| *o != first) {
        out.push(
            Finding::warning(
                at,
                format!(
                    "this date-time is written at offset {other}, but {first_at} at {first}, and the file has no `timezone`"
                ),
            )
            .help("add `timezone:` with the zone whose calendar days count, e.g. `timezone: Asia/Tokyo`; without it each date-time falls on the day written at its own offset"),
        );
    }
}

fn missing_due_dates(incident: &Incident, out: &mut Vec<Finding>) {
    for (i, r) in incident.remediation.iter().enumerate() {
        if r.due.is_none() && matches!(r.progress.status, Status::Planned | Status::InProgress) {
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

/// The declared ids of a list, made ready for [`did_you_mean`] once per list, not once per
/// undeclared reference (thousands of those sorted thousands of ids each: quadratic).
fn declared<'a>(ids: impl IntoIterator<Item = &'a str>) -> Nearest<'a> {
    // A stable order, so that the nearest of equally near ones is always the same: the ids
    // may come from a map.
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_unstable();
    Nearest::new(ids)
}

/// "did you mean `X`? " for an id that is not declared but is near one that is; else nothing.
fn did_you_mean(id: &str, declared: &Nearest<'_>) -> String {
    declared
        .closest(id)
        .map_or_else(String::new, |c| format!("did you mean `{c}`? "))
}

/// Ids listed in a help, at most [`LIST_IDS`] of them, each cut to [`LIST_ID_CHARS`], in at
/// most about [`LIST_BYTES`]; then how many more. The same help may be repeated for every
/// finding of its kind: bounded in count alone, twenty ids of 20 kB made 400 MB of output.
fn bounded_list<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut listed = 0;
    let mut more = 0;
    for id in ids {
        if listed == LIST_IDS || out.len() >= LIST_BYTES {
            more += 1;
            continue;
        }
        if listed > 0 {
            out.push_str(", ");
        }
        let mut chars = id.chars();
        out.extend(chars.by_ref().take(LIST_ID_CHARS));
        if chars.next().is_some() {
            out.push('…');
        }
        listed += 1;
    }
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

const LIST_IDS: usize = 20;
const LIST_ID_CHARS: usize = 24;
const LIST_BYTES: usize = 200;

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
    fn until_before_date_is_an_error_at_any_precision() {
        let until = |date: &str, until: &str| {
            findings(&format!(
                "events: [{{id: a, date: '{date}', until: '{until}', kind: compromise, title: x, sources: [s1]}}]\n"
            ))
        };
        let early = until("2025-04-10T09:00:00+09:00", "2025-04-10T08:00:00+09:00");
        assert_eq!(early.len(), 1, "{early:?}");
        assert_eq!(early[0].1, "events[0].until");
        assert_eq!(until("2025-04-10T09:00:00+09:00", "2025-04-10"), []);
        assert_eq!(until("2025-04-10", "2025-04-10T08:00:00+09:00"), []);
        assert_eq!(until("2025-04-10T09:00:00+09:00", "2025-04").len(), 0);
        assert_eq!(until("2025-04-10T09:00:00+09:00", "2025-04-09").len(), 1);
        assert_eq!(until("2025-04-10", "2025-04-09T23:59:59+09:00").len(), 1);
    }

    const OFFSETS: &str = "events:\n  - {id: n, date: 2025-04-11T01:00:00+09:00, kind: notification, title: x, sources: [s1]}\n  - {id: d, date: 2025-04-10T23:30:00-05:00, kind: detection, title: x, sources: [s1]}\n";

    #[test]
    fn a_notification_before_the_detection_is_compared_as_instants() {
        let f = findings(OFFSETS);
        let messages: Vec<&str> = f.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "notification `n` (2025-04-11T01:00:00+09:00) is dated before the first detection (2025-04-10T23:30:00-05:00)",
                "this date-time is written at offset -05:00, but events[0].date at +09:00, and the file has no `timezone`",
            ]
        );
        assert_eq!(f[1].1, "events[1].date");
        assert!(f.iter().all(|(s, _, _)| *s == Severity::Warning));
    }

    #[test]
    fn mixed_offsets_are_fine_with_a_timezone_and_one_offset_is_fine_without() {
        let zoned = findings(&format!("timezone: Asia/Tokyo\n{OFFSETS}"));
        assert_eq!(zoned.len(), 1, "only the order warning: {zoned:?}");
        let one = findings(
            "events:\n  - {id: a, date: 2025-04-10T01:00:00Z, kind: compromise, title: x, sources: [s1]}\n  - {id: b, date: 2025-04-11T01:00:00+00:00, until: 2025-04-12T00:00:00Z, kind: detection, title: x, sources: [s1]}\n",
        );
        assert_eq!(one, []);
        let obligation = of_obligations(
            "  - {id: A, title: A, rule: gdpr-art33, starts_at: 2025-04-10T09:00:00+02:00, sources: [s1]}\n",
        );
        assert_eq!(obligation, []);
        let mixed = of_obligations(
            "  - {id: A, title: A, rule: gdpr-art33, starts_at: 2025-04-10T09:00:00+02:00, sources: [s1], status: done, completed: 2025-04-11T09:00:00+09:00}\n",
        );
        let paths: Vec<&str> = mixed.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(paths, ["obligations[0].completed"]);
    }

    #[test]
    fn done_and_cancelled_items_need_no_due_date() {
        let f =
            findings("remediation:\n  - {id: R1, title: x, status: cancelled, sources: [s1]}\n");
        assert_eq!(f, []);
    }

    /// Findings for these obligations (YAML list items) of an incident detected on 2025-04-10.
    fn of_obligations(list: &str) -> Vec<(Severity, String, String)> {
        findings(&format!(
            "events: [{{id: '#1', date: 2025-04-10, kind: detection, title: d, sources: [s1]}}]\nobligations:\n{list}"
        ))
    }

    #[test]
    fn a_final_report_after_something_other_than_the_notification_is_suspicious() {
        let f = of_obligations(
            "  - {id: W, title: W, rule: nis2-early-warning, starts_at: '#1', sources: [s1]}\n\
             \x20 - {id: F, title: F, rule: nis2-final-report, after: W, sources: [s1]}\n",
        );
        assert_eq!(
            f,
            [(
                Severity::Warning,
                "obligations[1].after".to_owned(),
                "rule `nis2-final-report` counts from the `nis2-notification` report, but `W` is not a `nis2-notification` obligation".to_owned()
            )]
        );
    }

    #[test]
    fn a_circle_is_reported_once_at_its_first_member() {
        let f = of_obligations(
            "  - {id: A, title: A, within: 1 month, starts_at: '#1', sources: [s1]}\n\
             \x20 - {id: B, title: B, within: 1 month, after: C, sources: [s1]}\n\
             \x20 - {id: C, title: C, within: 1 month, after: D, sources: [s1]}\n\
             \x20 - {id: D, title: D, within: 1 month, after: B, sources: [s1]}\n",
        );
        assert_eq!(
            f,
            [(
                Severity::Error,
                "obligations[1].after".to_owned(),
                "obligations start after each other in a circle: B → C → D → B".to_owned()
            )]
        );
    }

    #[test]
    fn a_chain_into_a_circle_is_not_itself_reported_as_one() {
        let f = of_obligations(
            "  - {id: A, title: A, within: 1 month, after: B, sources: [s1]}\n\
             \x20 - {id: B, title: B, within: 1 month, after: C, sources: [s1]}\n\
             \x20 - {id: C, title: C, within: 1 month, after: B, sources: [s1]}\n",
        );
        let paths: Vec<&str> = f.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(paths, ["obligations[1].after"]);
    }

    #[test]
    fn an_obligation_without_sources_is_a_warning_at_its_id() {
        let f = of_obligations("  - {id: A, title: A, rule: appi-final, starts_at: '#1'}\n");
        assert_eq!(
            f,
            [(
                Severity::Warning,
                "obligations[0].id".to_owned(),
                "obligation `A` cites no source".to_owned()
            )]
        );
    }

    #[test]
    fn obligation_completion_follows_the_remediation_rules() {
        let f = of_obligations(
            "  - {id: A, title: A, rule: appi-final, starts_at: '#1', completed: 2025-05-01, sources: [s1]}\n\
             \x20 - {id: B, title: B, rule: appi-final, starts_at: '#1', status: done, completed: 2025-06-01T09:00:00+09:00, sources: [s1]}\n",
        );
        let messages: Vec<&str> = f.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "obligation `A` has `completed` but its status is unknown",
                "obligation `B` was completed 2025-06-01T09:00:00+09:00, after the incident was last reviewed (2025-05-13)",
            ]
        );
    }

    #[test]
    fn a_completion_is_after_the_review_by_its_day_in_the_zone() {
        let completed = "obligations:\n  - {id: A, title: A, within: 30d, starts_at: 2025-04-10, status: done, completed: 2025-05-13T20:00:00-05:00, sources: [s1]}\n";
        assert_eq!(findings(completed), [], "the 13th at its own offset");
        let tokyo = findings(&format!("timezone: Asia/Tokyo\n{completed}"));
        let paths: Vec<&str> = tokyo.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(paths, ["obligations[0].completed"], "the 14th in Tokyo");
    }

    #[test]
    fn a_very_long_circle_is_found_once_without_stalling() {
        let src = format!(
            "{BASE}events: [{{id: '#1', date: 2025-04-10, kind: detection, title: d, sources: [s1]}}]\nobligations: [{{id: o0, title: t, within: 1d, after: o99999, sources: [s1]}}]\n"
        );
        let mut incident = crate::yaml::parse_incident(&src).unwrap();
        let first = incident.obligations[0].clone();
        for n in 1..100_000 {
            let mut o = first.clone();
            o.id = Id(format!("o{n}"));
            o.after = Some(Id(format!("o{}", n - 1)));
            incident.obligations.push(o);
        }
        let found = validate(&incident);
        assert_eq!(found.len(), 1, "{:?}", found.first());
        assert_eq!(found[0].path.to_string(), "obligations[0].after");
        assert!(found[0].message.starts_with(
            "obligations start after each other in a circle: o0 → o99999 → o99998 → "
        ));
    }

    #[test]
    fn the_help_for_an_unknown_source_lists_at_most_twenty() {
        let mut src = String::from(
            "format: 1\nid: x\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-01-01\nsources:\n",
        );
        for i in 0..25 {
            src.push_str(&format!("  - {{id: s{i}, title: t, publisher: p}}\n"));
        }
        src.push_str(
            "events:\n  - {id: e, date: 2025-01-01, kind: other, title: t, sources: [nope]}\n",
        );
        let incident = crate::yaml::parse_incident(&src).unwrap();
        let findings = validate(&incident);
        let help = findings
            .iter()
            .find(|f| f.message.contains("`nope`"))
            .and_then(|f| f.help.clone())
            .unwrap();
        assert!(help.starts_with("declared sources: s0, s1, "), "{help}");
        assert!(help.ends_with(", s19 and 5 more"), "{help}");
    }

    #[test]
    fn help_lists_are_bounded_in_bytes_not_only_in_count() {
        let long: Vec<String> = (0..30)
            .map(|i| format!("{i}{}", "x".repeat(20_000)))
            .collect();
        let list = bounded_list(long.iter().map(String::as_str));
        assert!(
            list.len() < LIST_BYTES + 2 * LIST_ID_CHARS + 40,
            "{}",
            list.len()
        );
        assert!(list.ends_with(" more"), "{list}");
    }
}
