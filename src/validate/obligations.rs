//! Checks of reporting obligations: their periods, where their clocks start, the references
//! between them, and the circles those can make.

// foldhash, as in the other checks of a file.
use foldhash::{HashMap, HashMapExt as _};

use std::cell::OnceCell;

use super::{bounded_list, declared, did_you_mean, Finding};
use crate::clock::{LAST_DAY, POLICY_DAYS_LIMIT};
use crate::diagnostic::FieldPath;
use crate::evaluate::{latest_dues, LatestDue};
use crate::model::{Event, Incident, Obligation, Rule, StartsAt};
use crate::rule::Trigger;

/// Periods, starts and references of reporting obligations.
pub(super) fn check(incident: &Incident, out: &mut Vec<Finding>) {
    let list = &incident.obligations;
    // Made only for a help text that shows them.
    let ids = |names: Vec<&str>, what: &str| {
        if names.is_empty() {
            format!("no {what} is declared")
        } else {
            format!("declared {what}s: {}", bounded_list(names.into_iter()))
        }
    };
    let event_ids = || {
        ids(
            incident.events.iter().map(|e| e.id.as_str()).collect(),
            "event",
        )
    };
    let obligation_ids = || ids(list.iter().map(|o| o.id.as_str()).collect(), "obligation");
    // The first of each id, as duplicates are reported on their own.
    let events: HashMap<&str, &Event> = incident
        .events
        .iter()
        .rev()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let by_id: HashMap<&str, &Obligation> = list.iter().rev().map(|o| (o.id.as_str(), o)).collect();
    let (event_names, obligation_names) = (OnceCell::new(), OnceCell::new());
    let circles = circles(incident);
    let latest = latest_dues(incident);
    for (i, o) in list.iter().enumerate() {
        let at = |key| FieldPath::root().key("obligations").index(i).key(key);
        let id = &o.id;
        match (o.rule, o.within) {
            (Some(rule), Some(_)) => out.push(
                Finding::error(
                    at("within"),
                    format!("obligation `{id}` gives both `rule` and `within`"),
                )
                .help(format!(
                    "rule `{}` sets its own period ({}): remove `within`, or remove `rule` to count your own period",
                    rule.as_str(),
                    rule.period(o.policy_days)
                )),
            ),
            (None, None) => out.push(
                Finding::error(at("id"), format!("obligation `{id}` has no period"))
                    .help(format!(
                        "give `rule:` (one of {}) or `within:` (e.g. 72h, 30d, 4 business days, 1 month)",
                        Rule::ALL.map(Rule::as_str).join(", ")
                    )),
            ),
            _ => {}
        }
        match (&o.starts_at, &o.after) {
            (Some(_), Some(_)) => out.push(
                Finding::error(
                    at("after"),
                    format!("obligation `{id}` gives both `starts_at` and `after`"),
                )
                .help("a clock has one start: keep `starts_at` (an event or a date) or `after` (another obligation)"),
            ),
            (None, None) => out.push(
                Finding::error(at("id"), format!("obligation `{id}` does not say when its clock starts"))
                    .help("add `starts_at:` with an event id such as \"#1\" or a date, or `after:` with the id of the obligation it follows"),
            ),
            (Some(_), None) if o.rule.is_some_and(|r| r.trigger() == Trigger::AfterObligation) => {
                out.push(
                    Finding::error(
                        at("starts_at"),
                        "rule `nis2-final-report` counts from the NIS2 notification, not from `starts_at`".to_owned(),
                    )
                    .help("replace `starts_at` with `after:` and the id of the nis2-notification obligation"),
                )
            }
            (None, Some(_)) if o.rule.is_some_and(|r| r.trigger() == Trigger::Start) => out.push(
                Finding::error(
                    at("after"),
                    format!(
                        "rule `{}` counts from the incident, not from another obligation",
                        o.rule.map_or("", Rule::as_str)
                    ),
                )
                .help("replace `after` with `starts_at:` and the event (or date) that starts the clock, e.g. \"#1\""),
            ),
            _ => {}
        }
        if let Some(StartsAt::Event(event)) = &o.starts_at {
            match events.get(event.as_str()) {
                None => out.push(
                    Finding::error(
                        at("starts_at"),
                        format!("event `{event}` is not declared under `events`"),
                    )
                    .help(format!(
                        "{}{}",
                        did_you_mean(
                            event.as_str(),
                            event_names.get_or_init(|| declared(events.keys().copied()))
                        ),
                        event_ids()
                    )),
                ),
                Some(e) if e.date.is_approximate() => out.push(
                    Finding::error(
                        at("starts_at"),
                        format!(
                            "event `{event}` is dated only to the month ({}): a clock needs the day",
                            e.date
                        ),
                    )
                    .help("start the clock from a day instead: `starts_at: YYYY-MM-DD`"),
                ),
                Some(_) => {}
            }
        }
        if let Some(after) = &o.after {
            match by_id.get(after.as_str()) {
                _ if after == id => out.push(
                    Finding::error(
                        at("after"),
                        format!("obligation `{id}` cannot start after itself"),
                    )
                    .help("name the obligation whose completion starts this one's clock"),
                ),
                None => out.push(
                    Finding::error(
                        at("after"),
                        format!("obligation `{after}` is not declared under `obligations`"),
                    )
                    .help(format!(
                        "{}{}",
                        did_you_mean(
                            after.as_str(),
                            obligation_names
                                .get_or_init(|| declared(list.iter().map(|o| o.id.as_str())))
                        ),
                        obligation_ids()
                    )),
                ),
                Some(base)
                    if o.rule == Some(Rule::Nis2FinalReport)
                        && base.rule != Some(Rule::Nis2Notification) =>
                {
                    out.push(
                        Finding::warning(
                            at("after"),
                            format!(
                                "rule `nis2-final-report` counts from the NIS2 notification, but `{after}` is not a `nis2-notification` obligation"
                            ),
                        )
                        .help("check that `after` names the notification"),
                    )
                }
                Some(_) => {}
            }
            if let Some(cycle) = circles.get(&i) {
                out.push(
                    Finding::error(
                        at("after"),
                        format!("obligations start after each other in a circle: {cycle}"),
                    )
                    .help("one of them must start from `starts_at` (an event or a date)"),
                );
            }
        }
        if let Some(days) = o.policy_days {
            if o.rule != Some(Rule::AppiPreliminary) {
                out.push(
                    Finding::error(
                        at("policy_days"),
                        "`policy_days` applies only to `rule: appi-preliminary`".to_owned(),
                    )
                    .help("it sets the days the tool allows for \"promptly\"; other periods are fixed: remove it"),
                );
            } else if days == 0 {
                out.push(
                    Finding::error(
                        at("policy_days"),
                        "`policy_days` must be at least 1".to_owned(),
                    )
                    .help("leave it out for the default of 5 days"),
                );
            } else if days > POLICY_DAYS_LIMIT {
                out.push(
                    Finding::error(
                        at("policy_days"),
                        format!(
                            "`policy_days: {days}` is longer than any reporting period (at most {POLICY_DAYS_LIMIT} days)"
                        ),
                    )
                    .help("give the days your policy allows for \"promptly\" (the PPC speaks of about 3 to 5), or leave it out for the default of 5"),
                );
            }
        }
        let period = o.rule.map(|r| r.period(o.policy_days)).or(o.within);
        let policy_days_ok = o
            .policy_days
            .is_none_or(|d| (1..=POLICY_DAYS_LIMIT).contains(&d));
        if let (Some(p), Some(LatestDue::Beyond), true) =
            (period, latest.get(i).copied().flatten(), policy_days_ok)
        {
            let (key, from) = match (&o.starts_at, &o.after) {
                (Some(StartsAt::Event(e)), _) => (
                    "starts_at",
                    match events.get(e.as_str()) {
                        Some(ev) => format!("from event `{e}` ({})", ev.date),
                        None => format!("from event `{e}`"),
                    },
                ),
                (Some(StartsAt::At(m)), _) => ("starts_at", format!("from {m}")),
                (None, Some(after)) => ("after", format!("after obligation `{after}`")),
                (None, None) => ("id", String::new()),
            };
            out.push(
                Finding::error(
                    at(key),
                    format!(
                        "the deadline of obligation `{id}` ({p} {from}) would run out at or past the end of {LAST_DAY}, where breachline's calendar ends"
                    ),
                )
                .help("a whole-day deadline must fall on 9999-12-30 at the latest, so that its end is a date too: check the date the clock starts from, or shorten the period"),
            );
        }
        if let Some(p) = period.filter(|p| !o.holidays.is_empty() && !p.is_business_days()) {
            out.push(
                Finding::error(
                    at("holidays"),
                    format!(
                        "obligation `{id}` lists holidays, but its period ({p}) is not counted in business days"
                    ),
                )
                .help("holidays are skipped only in business-day periods such as `4 business days`: remove them"),
            );
        }
    }
}

/// The circles of `after` references, each keyed by its first member in file order and written
/// from there (`B → C → D → B`). A reference to itself is reported on its own, not here.
///
/// Each obligation is visited once, so no input makes this slow.
fn circles(incident: &Incident) -> HashMap<usize, String> {
    #[derive(Clone, Copy)]
    enum Mark {
        New,
        OnPath(usize),
        Done,
    }
    let list = &incident.obligations;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, o) in list.iter().enumerate() {
        index.entry(o.id.as_str()).or_insert(i);
    }
    let next = |i: usize| -> Option<usize> {
        let n = index.get(list.get(i)?.after.as_ref()?.as_str()).copied()?;
        (n != i).then_some(n)
    };
    let mut marks = vec![Mark::New; list.len()];
    let mut found = HashMap::new();
    for i in 0..list.len() {
        let mut path = Vec::new();
        let mut current = Some(i);
        while let Some(c) = current {
            match marks.get(c).copied() {
                Some(Mark::New) => {
                    if let Some(m) = marks.get_mut(c) {
                        *m = Mark::OnPath(path.len());
                    }
                    path.push(c);
                    current = next(c);
                }
                Some(Mark::OnPath(at)) => {
                    let members = path.get(at..).unwrap_or_default();
                    if let Some(&first) = members.iter().min() {
                        let from = members.iter().position(|&m| m == first).unwrap_or(0);
                        let (before, after) = members.split_at(from);
                        let names: Vec<&str> = after
                            .iter()
                            .chain(before)
                            .chain([&first])
                            .filter_map(|&m| list.get(m).map(|o| o.id.as_str()))
                            .collect();
                        found.insert(first, names.join(" → "));
                    }
                    break;
                }
                Some(Mark::Done) | None => break,
            }
        }
        for c in path {
            if let Some(m) = marks.get_mut(c) {
                *m = Mark::Done;
            }
        }
    }
    found
}
