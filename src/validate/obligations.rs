//! Checks of reporting obligations: their periods, where their clocks start, the references
//! between them, and the circles those can make.

// foldhash, as in the other checks of a file.
use foldhash::{HashMap, HashMapExt as _};

use std::cell::OnceCell;

use super::{bounded_list, declared, did_you_mean, Finding};
use crate::clock::{Period, LAST_DAY, POLICY_DAYS_LIMIT};
use crate::diagnostic::FieldPath;
use crate::evaluate::{applied_rule, latest_dues, LatestDue};
use crate::model::{Event, Incident, Obligation, ObligationStatus, Rule, StartsAt};
use crate::rule::{Applied, Extension};
use crate::suggest::Nearest;

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
        let rule = o.rule.as_ref().and_then(|r| r.rule());
        let applied = applied_rule(o);
        match (&o.rule, o.within) {
            (Some(name), Some(_)) => out.push(
                Finding::error(
                    at("within"),
                    format!("obligation `{id}` gives both `rule` and `within`"),
                )
                .help(format!(
                    "rule `{name}` sets its own period ({}): remove `within`, or remove `rule` to count your own period",
                    applied.map_or_else(String::new, |a| a.deadline_words())
                )),
            ),
            (None, None) => out.push(
                Finding::error(at("id"), format!("obligation `{id}` has no period"))
                    .help("give `rule:` (`breachline rules` lists them) or `within:` (e.g. 72h, 30d, 4 business days, 1 month)"),
            ),
            _ => {}
        }
        if let (Some(rule), Some(variant)) = (rule, &o.variant) {
            if applied.is_none() {
                let names: Vec<&str> = rule.variants.iter().map(|v| v.id.as_str()).collect();
                let help = if names.is_empty() {
                    format!("rule `{}` has no variants: remove `variant`", rule.id)
                } else {
                    format!(
                        "{}the variants of `{}` are {}",
                        did_you_mean(variant.as_str(), &Nearest::new(names.iter().copied())),
                        rule.id,
                        names.join(", ")
                    )
                };
                out.push(
                    Finding::error(
                        at("variant"),
                        format!("rule `{}` has no variant `{variant}`", rule.id),
                    )
                    .help(help),
                );
            }
        }
        if let (None, Some(_)) = (&o.rule, &o.variant) {
            out.push(
                Finding::error(
                    at("variant"),
                    format!("obligation `{id}` gives `variant` without `rule`"),
                )
                .help("a variant belongs to a rule: add `rule:`, or remove `variant`"),
            );
        }
        if let Some(a) = applied {
            check_rule_fit(o, a, &at, &events, out);
        }
        if o.progress.status == ObligationStatus::NotRequired && o.progress.detail.is_none() {
            out.push(
                Finding::error(
                    at("status"),
                    format!("obligation `{id}` is `not_required` without its reasoning"),
                )
                .help("say in `detail` why the report was not owed (e.g. GDPR art. 33(5): the breach is unlikely to result in a risk), and cite the sources of the decision"),
            );
        }
        match (&o.starts_at, &o.after) {
            (Some(_), Some(_)) => out.push(
                Finding::error(
                    at("after"),
                    format!("obligation `{id}` gives both `starts_at` and `after`"),
                )
                .help("a clock has one start: keep `starts_at` (an event or a date) or `after` (another obligation)"),
            ),
            (None, None) if o.starts.is_some() => {}
            (None, None) => out.push(
                Finding::error(at("id"), format!("obligation `{id}` does not say when its clock starts"))
                    .help("add `starts_at:` with an event id such as \"#1\" or a date, or `after:` with the id of the obligation it follows"),
            ),
            (Some(_), None) if rule.is_some_and(Rule::follows_a_report) => {
                let (name, after) = rule.map_or(("", ""), |r| {
                    (r.id.as_str(), r.after.as_ref().map_or("", |a| a.as_str()))
                });
                out.push(
                    Finding::error(
                        at("starts_at"),
                        format!("rule `{name}` counts from the `{after}` report, not from `starts_at`"),
                    )
                    .help(format!("replace `starts_at` with `after:` and the id of the {after} obligation")),
                )
            }
            (None, Some(_)) if rule.is_some_and(|r| !r.follows_a_report()) => out.push(
                Finding::error(
                    at("after"),
                    format!(
                        "rule `{}` counts from the incident, not from another obligation",
                        rule.map_or("", |r| r.id.as_str())
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
                    if rule.and_then(|r| r.after.as_ref()).is_some_and(|want| {
                        base.rule.as_ref().map(|b| b.as_str()) != Some(want.as_str())
                    }) =>
                {
                    let (name, want) = rule.map_or(("", ""), |r| {
                        (r.id.as_str(), r.after.as_ref().map_or("", |a| a.as_str()))
                    });
                    out.push(
                        Finding::warning(
                            at("after"),
                            format!(
                                "rule `{name}` counts from the `{want}` report, but `{after}` is not a `{want}` obligation"
                            ),
                        )
                        .help(format!("check that `after` names the {want} obligation")),
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
            if !applied
                .is_some_and(|a| a.is_policy() && matches!(a.period(None), Some(Period::Days(_))))
            {
                out.push(
                    Finding::error(
                        at("policy_days"),
                        "`policy_days` applies only to a policy rule counted in days, such as `rule: appi-preliminary`".to_owned(),
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
        let period = applied.and_then(|a| a.period(o.policy_days)).or(o.within);
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
        let moves_off_holidays = rule.is_some_and(|r| r.extension == Extension::NextOpenDay);
        if let Some(p) = period
            .filter(|p| !o.holidays.is_empty() && !p.is_business_days() && !moves_off_holidays)
        {
            out.push(
                Finding::error(
                    at("holidays"),
                    format!(
                        "obligation `{id}` lists holidays, but its period ({p}) is not counted in business days"
                    ),
                )
                .help("holidays are skipped only in business-day periods such as `4 business days`, and by rules that move a deadline off a closed day: remove them"),
            );
        }
    }
}

/// What an obligation must say for its rule: every start a rule of several clocks needs (and
/// no `starts` for a rule of one), a `target` no later than the law allows, and the dates the
/// rule is in force.
fn check_rule_fit(
    o: &Obligation,
    rule: Applied<'_>,
    at: &dyn Fn(&'static str) -> FieldPath,
    events: &HashMap<&str, &Event>,
    out: &mut Vec<Finding>,
) {
    let id = &o.id;
    let name = rule.id();
    let clauses = &rule.rule.earliest_of;
    if clauses.is_empty() {
        if o.starts.is_some() {
            out.push(
                Finding::error(
                    at("starts"),
                    format!("rule `{name}` has one clock: `starts` is for rules of several"),
                )
                .help("write the start as `starts_at:` (an event id such as \"#1\", or a date)"),
            );
        }
    } else {
        let needed: Vec<&str> = clauses.iter().map(|c| c.trigger.as_str()).collect();
        let form = format!(
            "write `starts: {{{}}}` with an event id or a date for each clock; the deadline is the earliest",
            needed
                .iter()
                .map(|n| format!("{n}: \"#1\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        match &o.starts {
            None if o.starts_at.is_some() => out.push(
                Finding::error(
                    at("starts_at"),
                    format!(
                        "rule `{name}` runs several clocks: `starts_at` cannot say where each starts"
                    ),
                )
                .help(form),
            ),
            None => out.push(
                Finding::error(
                    at("id"),
                    format!(
                        "rule `{name}` runs several clocks: give where each starts under `starts`"
                    ),
                )
                .help(form),
            ),
            Some(starts) => {
                let missing: Vec<&str> = clauses
                    .iter()
                    .filter(|c| starts.of(c.trigger).is_none())
                    .map(|c| c.trigger.as_str())
                    .collect();
                if !missing.is_empty() {
                    out.push(
                        Finding::error(
                            at("starts"),
                            format!(
                                "rule `{name}` needs the start of each clock: `{}` is missing",
                                missing.join("`, `")
                            ),
                        )
                        .help(format!(
                            "the clocks of `{name}` start at {}; the deadline is the earliest",
                            needed.join(" and ")
                        )),
                    );
                }
                for (key, start) in starts.written() {
                    if !needed.contains(&key) {
                        out.push(
                            Finding::error(
                                at("starts"),
                                format!("rule `{name}` has no clock started by `{key}`"),
                            )
                            .help(format!("its clocks start at {}", needed.join(" and "))),
                        );
                    }
                    if let StartsAt::Event(e) = start {
                        if !events.contains_key(e.as_str()) {
                            out.push(
                                Finding::error(
                                    at("starts"),
                                    format!("event `{e}` is not declared under `events`"),
                                )
                                .help("name an event of the timeline, or give a date"),
                            );
                        }
                    }
                }
            }
        }
        if o.starts_at.is_some() && o.starts.is_some() {
            out.push(
                Finding::error(
                    at("starts_at"),
                    format!("rule `{name}` runs several clocks: `starts_at` cannot say which"),
                )
                .help("move the start under `starts:` with its trigger"),
            );
        }
    }
    if let (Some(target), Some(period)) = (o.target, rule.period(o.policy_days)) {
        if rule.is_policy() {
            out.push(
                Finding::error(at("target"), format!("rule `{name}` is itself a policy value: `target` has nothing to be earlier than"))
                    .help("set the days your policy allows with `policy_days`"),
            );
        } else if !target.never_longer_than(period) {
            out.push(
                Finding::warning(
                    at("target"),
                    format!("the target ({target}) of obligation `{id}` can end after the legal deadline ({period})"),
                )
                .help("a target is your own earlier date: breachline never shows one later than the law's; shorten it, or remove it"),
            );
        }
    }
    let calendar = rule.rule.calendar.0;
    let counts_closed_days = rule.rule.extension == Extension::NextOpenDay
        || rule
            .period(o.policy_days)
            .is_some_and(Period::is_business_days);
    if let (true, Some((first, last)), Some(day)) =
        (counts_closed_days, calendar.years(), start_day(o, events))
    {
        let end = rule.period(o.policy_days).map_or(day, |p| {
            day.checked_add_days(chrono::Days::new(p.longest_days()))
                .unwrap_or(day)
        });
        if !calendar.covers(day) || !calendar.covers(end) {
            out.push(
                Finding::warning(
                    at("starts_at"),
                    format!(
                        "rule `{name}` counts with the calendar {} of closed days, which covers {first} to {last}: this clock, from {day}, runs outside it",
                        calendar.id()
                    ),
                )
                .help("breachline counts the days it does not know as open, so the deadline may be early; list the recipient's closed days under `holidays`, or update breachline for a newer calendar"),
            );
        }
    }
    let (from, to) = (rule.effective_from(), rule.effective_to());
    if let Some(day) = start_day(o, events) {
        let before = day < from;
        let after = to.is_some_and(|t| day > t);
        if before || after {
            let range = match to {
                Some(t) => format!("from {from} to {t}"),
                None => format!("from {from}"),
            };
            out.push(
                Finding::warning(
                    at("starts_at"),
                    format!("rule `{name}` applies {range}, but this clock starts on {day}"),
                )
                .help("check the rule (`breachline rules`) and the start: the deadline is computed as if the rule applied then"),
            );
        }
    }
}

/// The day an obligation's `starts_at` falls on, where it is written.
fn start_day(o: &Obligation, events: &HashMap<&str, &Event>) -> Option<chrono::NaiveDate> {
    match &o.starts_at {
        Some(StartsAt::At(m)) => Some(m.day()),
        Some(StartsAt::Event(e)) => events.get(e.as_str()).map(|e| e.date.earliest()),
        None => None,
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
