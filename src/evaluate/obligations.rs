//! Reporting obligations as of a day: where each clock starts, when it runs out, and where
//! the report stands.

use chrono::NaiveDate;

use foldhash::{HashMap, HashMapExt as _};

use super::standing::{standing, Deadline, Standing};
use super::{AsOf, Record, State};
use crate::clock::{self, Period, Time};
use crate::date::{Moment, When, Zone};
use crate::model::{Event, Incident, Obligation, ObligationStatus, StartsAt};
use crate::rule::{Applied, Extension, Terms, Trigger};

/// Where a reporting clock started.
#[derive(Debug, Clone, Copy)]
pub enum ClockStart<'a> {
    Event(&'a Event),
    Moment(Moment),
    /// After another obligation, from when it was met or else fell due.
    After {
        obligation: &'a Obligation,
        basis: AfterBasis,
    },
}

/// What an `after` clock counts from, as far as was known on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterBasis {
    /// The other report's recorded completion.
    Completed,
    /// A day by which the other report was done (or its deadline, if earlier).
    CompletedBy,
    /// The other report's deadline: not done by the day, or not known to be.
    Due,
}

#[derive(Debug, Clone)]
pub struct ObligationView<'a> {
    pub obligation: &'a Obligation,
    /// The rule it follows, its variant applied; `None` for a period of its own (`within`).
    pub rule: Option<Applied<'static>>,
    pub period: Period,
    /// The period is a policy value for a law that says only "promptly": `due` is then a
    /// target, never a legal deadline.
    pub policy: bool,
    pub start: ClockStart<'a>,
    pub start_time: Time,
    /// The deadline that decides overdue, late and on time: the legal one, or for a policy
    /// rule the policy target.
    pub due: Time,
    /// The last day by whose end the deadline is met.
    pub due_day: NaiveDate,
    /// The target, where earlier than `due`: the same count without the law's extension, or
    /// the obligation's own `target`. Reminders and "due soon" follow it.
    pub target: Option<Time>,
    /// Not done by the day, and the day is past the target (though not the deadline).
    pub past_target: bool,
    /// An hour count from a bare date, counted from the start of that day.
    pub assumed_start_of_day: bool,
    /// A day the count needed that its calendar's years do not cover (assumed open).
    pub beyond_calendar: Option<NaiveDate>,
    /// Its state, status, days and filing as of the day.
    pub standing: Standing<ObligationStatus>,
    /// The first day the record knew of the obligation and of where its clock starts.
    pub known_on: NaiveDate,
}

impl ObligationView<'_> {
    /// Who receives the report: the obligation's own `recipient`, else its rule's.
    pub fn recipient(&self, lang: crate::text::Lang) -> Option<String> {
        match (&self.obligation.recipient, self.rule) {
            (Some(own), _) => Some(own.get(lang).to_owned()),
            (None, Some(rule)) => Some(rule.recipient().to_owned()),
            (None, None) => None,
        }
    }

    /// The provision its rule cites, with the official text's address.
    pub fn provision(&self) -> Option<&'static str> {
        self.rule.map(|r| r.provision())
    }

    /// The last day by whose end the target is met, where it is earlier than the deadline.
    pub fn target_day(&self) -> Option<NaiveDate> {
        self.target.map(|t| t.due_day())
    }
}

/// The obligations whose clock had started by the end of `as_of` (and, in the default view,
/// that were known by then), in file order.
pub fn obligation_views<'a>(
    incident: &'a Incident,
    record: &Record<'_>,
    as_of: AsOf,
) -> Vec<ObligationView<'a>> {
    let clocks = clocks(incident, record, as_of);
    incident
        .obligations
        .iter()
        .zip(clocks)
        .filter_map(|(o, c)| {
            let c = c?;
            let shows = c.started && (as_of.hindsight() || c.known_on <= as_of.date);
            shows.then(|| obligation_view(o, c, record, as_of))
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
struct Clock<'a> {
    start: ClockStart<'a>,
    start_time: Time,
    period: Period,
    due: clock::Due,
    target: Option<Time>,
    beyond_calendar: Option<NaiveDate>,
    /// The clock (or the one it follows) had started by the day.
    started: bool,
    /// The first day the record knew of the obligation and of where its clock starts.
    known_on: NaiveDate,
}

/// Each obligation's clock as of `day`, in file order. `None` only for what validation rejects
/// (no period, no start, an unknown reference, a circle, a deadline past the calendar).
fn clocks<'a>(incident: &'a Incident, record: &Record<'_>, as_of: AsOf) -> Vec<Option<Clock<'a>>> {
    let events = events_by_id(incident);
    along_chains(incident, |o, base| {
        clock_of(&events, o, base, record, as_of).map(|mut clock| {
            // Known once the obligation and what its clock starts from are.
            let start_known = match (clock.start, base) {
                (ClockStart::Event(e), _) => record.event_known_on(e),
                (ClockStart::After { .. }, Some((_, b))) => b.known_on,
                _ => clock.start_time.day(),
            };
            clock.known_on = record
                .known_on(o.progress.reported, &o.progress.sources)
                .max(start_known);
            clock
        })
    })
}

/// `f` of every obligation in file order, each computed once and after the obligation it
/// follows (`after`), whose result it is given. `None` where `f` gives none, for an unknown
/// reference and for the members of a circle.
///
/// A chain of `after` references is followed without recursion, so that no input, however
/// long its chains, can exhaust the stack or the time.
fn along_chains<'a, T: Copy>(
    incident: &'a Incident,
    mut f: impl FnMut(&'a Obligation, Option<(&'a Obligation, T)>) -> Option<T>,
) -> Vec<Option<T>> {
    let list = &incident.obligations;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, o) in list.iter().enumerate() {
        index.entry(o.id.as_str()).or_insert(i);
    }
    let base_of = |o: &Obligation| match (&o.starts_at, &o.after) {
        (None, Some(after)) => index.get(after.as_str()).copied(),
        _ => None,
    };
    // `None`: not computed yet; `Some(None)`: nothing.
    let mut memo: Vec<Option<Option<T>>> = vec![None; list.len()];
    let mut on_chain = vec![false; list.len()];
    for i in 0..list.len() {
        // Walk towards the root until a computed one, a root or a circle.
        let mut chain = Vec::new();
        let mut current = Some(i);
        let mut circle = false;
        while let Some(c) = current {
            if memo.get(c).is_some_and(Option::is_some) {
                break;
            }
            if on_chain.get(c).copied().unwrap_or(true) {
                circle = true;
                break;
            }
            if let Some(flag) = on_chain.get_mut(c) {
                *flag = true;
            }
            chain.push(c);
            current = list.get(c).and_then(base_of);
        }
        for &c in chain.iter().rev() {
            let computed = match list.get(c) {
                Some(_) if circle => None,
                Some(o) => {
                    let base = base_of(o).and_then(|b| {
                        let done = memo.get(b).copied().flatten().flatten()?;
                        Some((list.get(b)?, done))
                    });
                    f(o, base)
                }
                None => None,
            };
            if let Some(slot) = memo.get_mut(c) {
                *slot = Some(computed);
            }
            if let Some(flag) = on_chain.get_mut(c) {
                *flag = false;
            }
        }
    }
    memo.into_iter().map(Option::flatten).collect()
}

/// The events by id, the first of a repeated id (validation refuses repeats): looked up once
/// per obligation, so a file with many of both costs their sum, not their product.
fn events_by_id(incident: &Incident) -> HashMap<&str, &Event> {
    let mut by_id = HashMap::with_capacity(incident.events.len());
    for e in &incident.events {
        by_id.entry(e.id.as_str()).or_insert(e);
    }
    by_id
}

/// The rule an obligation follows, its variant applied.
pub(crate) fn applied_rule(o: &Obligation) -> Option<Applied<'static>> {
    o.rule
        .as_ref()?
        .rule()?
        .applied(o.variant.as_ref().map(|v| v.as_str()))
}

/// How each of an obligation's clocks is counted, with the trigger that starts it (`None`:
/// `starts_at` or `after`, whatever the rule calls it); empty for what validation rejects.
pub(crate) fn terms_of(o: &Obligation) -> Vec<(Option<Trigger>, Terms)> {
    match (&o.rule, o.within) {
        (Some(_), _) => applied_rule(o).map_or_else(Vec::new, |r| {
            let mut clocks = r.clocks(o.policy_days);
            if clocks.len() == 1 {
                // One clock starts at `starts_at` or `after`, whatever the rule's trigger.
                if let Some(c) = clocks.first_mut() {
                    c.0 = None;
                }
            }
            clocks
        }),
        (None, Some(p)) => vec![(None, Terms::within(p))],
        (None, None) => Vec::new(),
    }
}

/// The moment an event or a written moment starts a clock.
fn start_time_of<'a>(
    events: &HashMap<&str, &'a Event>,
    at: &StartsAt,
    zone: &Zone,
) -> Option<(ClockStart<'a>, Time, NaiveDate)> {
    match at {
        StartsAt::Event(id) => {
            let e = *events.get(id.as_str())?;
            let t = match e.date {
                When::Instant(t) => Time::Instant(t),
                other => Time::Day(other.earliest()),
            };
            Some((ClockStart::Event(e), t, e.date.latest_in(zone)))
        }
        StartsAt::At(m) => Some((ClockStart::Moment(*m), Time::from(*m), m.day_in(zone))),
    }
}

/// Where `o`'s clock starts and when it runs out, as of `day`; `base` is the obligation it
/// follows, with that one's clock.
fn clock_of<'a>(
    events: &HashMap<&str, &'a Event>,
    o: &'a Obligation,
    base: Option<(&'a Obligation, Clock<'a>)>,
    record: &Record<'_>,
    as_of: AsOf,
) -> Option<Clock<'a>> {
    let day = as_of.date;
    let zone = &record.zone;
    let extra: Vec<NaiveDate> = o.holidays.iter().map(|d| d.0).collect();
    let terms = terms_of(o);
    let policy = applied_rule(o).is_some_and(|r| r.is_policy());
    // Each clock: its start, when it counts from, whether it had started, and its deadlines.
    let mut candidates = Vec::with_capacity(terms.len());
    for (trigger, t) in &terms {
        let (start, start_time, inherited_assumption, started) =
            match (trigger, &o.starts_at, &o.after) {
                (Some(trigger), _, _) => {
                    let at = o.starts.as_ref()?.of(*trigger)?;
                    let (start, time, on) = start_time_of(events, at, zone)?;
                    (start, time, false, on <= day)
                }
                (None, Some(at), _) => {
                    let (start, time, on) = start_time_of(events, at, zone)?;
                    (start, time, false, on <= day)
                }
                (None, None, Some(_)) => {
                    let (base, bc) = base?;
                    // In the default view a filing counts once a source said so.
                    let done = base.progress.is_done()
                        && (as_of.hindsight()
                            || record.status_known_on(base.progress.status_as_of) <= day);
                    let (basis, t) = match (base.progress.completed, base.progress.completed_by) {
                        (Some(c), _) if done && c.day_in(zone) <= day => {
                            (AfterBasis::Completed, Time::from(c))
                        }
                        (None, Some(by)) if done && by.0 <= day && by.0 < bc.due.time.due_day() => {
                            (AfterBasis::CompletedBy, Time::Day(by.0))
                        }
                        _ => (AfterBasis::Due, bc.due.time),
                    };
                    let assumed = basis == AfterBasis::Due && bc.due.assumed_start_of_day;
                    (
                        ClockStart::After {
                            obligation: base,
                            basis,
                        },
                        t,
                        assumed,
                        bc.started,
                    )
                }
                (None, None, None) => return None,
            };
        // Shown, and counted from, on the day the start falls on in the incident's zone.
        let start_time = in_zone(start_time, zone);
        // A clock after a deadline starts when it runs out: after a whole day, at its end
        // (00:00 the next day, which a count with the midnight proviso counts, and an hour
        // count starts from). A day count without the proviso leaves out the day of the
        // event, and the deadline passing is an event of its own last day: it counts from
        // that day (from Sat 10 May, one month ends on 10 June), never a day later.
        let counted_from = match start {
            ClockStart::After {
                basis: AfterBasis::Due,
                ..
            } if matches!(t.period, Period::Hours(_)) || t.midnight_proviso => start_time.end()?,
            _ => start_time,
        };
        let mut counted = clock::count(t, counted_from, zone, &extra)?;
        counted.legal.assumed_start_of_day |= inherited_assumption;
        counted.target.assumed_start_of_day |= inherited_assumption;
        // The obligation's own target, counted as the rule counts, without its extension.
        if let Some(own) = o.target {
            let own_terms = Terms {
                period: own,
                extension: Extension::None,
                ..*t
            };
            if let Some(mine) = clock::count(&own_terms, counted_from, zone, &extra) {
                if earlier(mine.target.time, counted.target.time, zone) {
                    counted.target = mine.target;
                }
            }
        }
        candidates.push((start, start_time, t.period, started, counted));
    }
    // The earliest of the clocks that had started, or of all of them before any had.
    let any_started = candidates.iter().any(|c| c.3);
    let (start, start_time, period, started, counted) = candidates
        .into_iter()
        .filter(|c| c.3 || !any_started)
        .reduce(|a, b| {
            if earlier(b.4.legal.time, a.4.legal.time, zone) {
                b
            } else {
                a
            }
        })?;
    let mut due = counted.legal;
    due.time = in_zone(due.time, zone);
    let target = in_zone(counted.target.time, zone);
    let target = (!policy && earlier(target, due.time, zone)).then_some(target);
    let due = if policy {
        // No legal deadline: the policy value decides, and is labelled as such everywhere.
        clock::Due {
            time: in_zone(counted.target.time, zone),
            ..counted.target
        }
    } else {
        due
    };
    Some(Clock {
        start,
        start_time,
        period,
        due,
        target,
        beyond_calendar: counted.beyond_calendar,
        started,
        // Set by `clocks`, which knows the record.
        known_on: NaiveDate::MIN,
    })
}

/// True when deadline `a` runs out before `b`.
fn earlier(a: Time, b: Time, zone: &Zone) -> bool {
    match (clock::runs_out(a, zone), clock::runs_out(b, zone)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    }
}

/// The latest deadline of an obligation on any day, or where that would fall past the
/// calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LatestDue {
    By(Time),
    /// Past [`clock::LAST_DAY`].
    Beyond,
    /// The obligation it follows is `Beyond`.
    AfterBeyond,
}

/// Each obligation's latest possible deadline, in file order, for validation to refuse the
/// ones past the calendar before any day is evaluated: an `after` clock counts from the other
/// obligation's completion or deadline depending on the day, so the later of both is taken.
/// `None` for what validation rejects otherwise.
pub(crate) fn latest_dues(incident: &Incident) -> Vec<Option<LatestDue>> {
    let zone = incident.zone();
    let events = events_by_id(incident);
    along_chains(incident, |o, base| {
        let extra: Vec<NaiveDate> = o.holidays.iter().map(|d| d.0).collect();
        let terms = terms_of(o);
        if terms.is_empty() {
            return None;
        }
        let mut latest: Option<Time> = None;
        for (trigger, t) in &terms {
            let start = match (trigger, &o.starts_at, base) {
                (Some(trigger), _, _) => {
                    let at = o.starts.as_ref()?.of(*trigger)?;
                    start_time_of(&events, at, &zone)?.1
                }
                (None, Some(at), _) => start_time_of(&events, at, &zone)?.1,
                (None, None, Some((b, LatestDue::By(due)))) => {
                    let Some(end) = due.end() else {
                        return Some(LatestDue::Beyond);
                    };
                    let completed = b
                        .progress
                        .completed
                        .filter(|_| b.progress.is_done())
                        .map(Time::from);
                    match completed {
                        Some(c) if earlier(due, c, &zone) => c,
                        _ => end,
                    }
                }
                (None, None, Some(_)) => return Some(LatestDue::AfterBeyond),
                (None, None, None) => return None,
            };
            let Some(counted) = clock::count(t, start, &zone, &extra) else {
                return Some(LatestDue::Beyond);
            };
            let due = counted.legal.time;
            if latest.is_none_or(|l| earlier(l, due, &zone)) {
                latest = Some(due);
            }
        }
        latest.map(LatestDue::By)
    })
}

/// The same time at the zone's offset, so that its day is the zone's (unchanged without a
/// `timezone`).
fn in_zone(t: Time, zone: &Zone) -> Time {
    match t {
        Time::Instant(t) => Time::Instant(zone.localize(t)),
        other => other,
    }
}

/// Where `o` stands at the end of `as_of`.
fn obligation_view<'a>(
    o: &'a Obligation,
    c: Clock<'a>,
    record: &Record<'_>,
    as_of: AsOf,
) -> ObligationView<'a> {
    let deadline = Deadline {
        day: c.due.time.due_day(),
        time: c.due.time,
    };
    let mut standing = standing(&o.progress, record, as_of, c.known_on, |_| Some(deadline));
    // A decision not to report is shown as such, never as a report dropped.
    if o.progress.status == ObligationStatus::NotRequired && standing.state == State::Cancelled {
        standing.state = State::NotRequired;
    }
    // Reminders follow the target: due soon once it is near, though the law allows longer.
    if let (State::Open, Some(target)) = (standing.state, c.target) {
        if crate::date::days_between(as_of.date, target.due_day()) <= as_of.soon_days {
            standing.state = State::DueSoon;
        }
    }
    let past_target = matches!(standing.state, State::Open | State::DueSoon)
        && c.target.is_some_and(|t| t.due_day() < as_of.date);
    let rule = applied_rule(o);
    ObligationView {
        past_target,
        obligation: o,
        rule,
        period: c.period,
        policy: rule.is_some_and(|r| r.is_policy()),
        start: c.start,
        start_time: c.start_time,
        due: c.due.time,
        due_day: deadline.day,
        target: c.target,
        assumed_start_of_day: c.due.assumed_start_of_day,
        beyond_calendar: c.beyond_calendar,
        standing,
        known_on: c.known_on,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{State, View};
    use crate::model::Id;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// An incident detected on 2025-04-10 with the given obligations (YAML list items).
    fn with_obligations(obligations: &str) -> Incident {
        let src = format!(
            "format: 1\nid: x\ntitle: X\norganization: O\nservice: S\nreviewed: 2025-12-31\n\
             sources: [{{id: s1, title: T, publisher: P, date: 2025-04-10}}]\n\
             events:\n  - {{id: '#1', date: 2025-04-10, kind: detection, title: D, sources: [s1]}}\n\
             obligations:\n{obligations}"
        );
        crate::yaml::parse_incident(&src).unwrap()
    }

    fn on(incident: &Incident, day: NaiveDate) -> Vec<ObligationView<'_>> {
        let as_of = AsOf {
            view: View::Hindsight,
            ..AsOf::known(day, 7)
        };
        obligation_views(incident, &Record::of(incident), as_of)
    }

    fn state_on(obligation: &str, day: NaiveDate) -> State {
        let i = with_obligations(obligation);
        let views = on(&i, day);
        assert_eq!(views.len(), 1);
        views[0].standing.state
    }

    const FINAL: &str = "  - {id: F, title: F, rule: appi-final, starts_at: '#1'";

    #[test]
    fn a_clock_is_shown_from_its_start_on() {
        let i = with_obligations(&format!("{FINAL}}}\n"));
        assert!(on(&i, d(2025, 4, 9)).is_empty());
        let views = on(&i, d(2025, 4, 10));
        // Day 30 is Saturday 2025-05-10: an APPI final report due on an administrative
        // holiday is due the next working day (Act on Holidays of Administrative Organs
        // art. 2), Monday 05-12; the unmoved day is the target.
        assert_eq!(views[0].due, Time::Day(d(2025, 5, 12)));
        assert_eq!(views[0].target, Some(Time::Day(d(2025, 5, 10))));
        assert_eq!(views[0].standing.days_left, Some(32));
        assert_eq!(views[0].standing.state, State::Open);
    }

    #[test]
    fn on_the_due_day_it_is_due_and_the_day_after_silence_is_no_record() {
        // Due Monday 2025-05-12: day 30, Saturday 05-10, is an administrative holiday (Act
        // on Holidays of Administrative Organs art. 2).
        let unknown = format!("{FINAL}}}\n");
        assert_eq!(state_on(&unknown, d(2025, 5, 12)), State::DueSoon);
        assert_eq!(state_on(&unknown, d(2025, 5, 13)), State::NoRecord);
        let i = with_obligations(&unknown);
        assert_eq!(on(&i, d(2025, 5, 13))[0].standing.days_past_due, Some(1));
    }

    #[test]
    fn overdue_only_where_the_record_says_it_was_not_done() {
        // Due Monday 2025-05-12, day 30 (Saturday 05-10) being an administrative holiday (Act
        // on Holidays of Administrative Organs art. 2): the first day past due is 05-13.
        let planned = format!("{FINAL}, status: planned, status_as_of: 2025-05-01}}\n");
        assert_eq!(state_on(&planned, d(2025, 5, 13)), State::Overdue);
        let i = with_obligations(&planned);
        let v = &on(&i, d(2025, 5, 13))[0];
        assert!(
            v.standing.unconfirmed_since_due,
            "last confirmed before the deadline"
        );
        // Filed late, on a known day: overdue until then, late afterwards.
        let late = format!("{FINAL}, status: done, completed: 2025-05-20}}\n");
        assert_eq!(state_on(&late, d(2025, 5, 13)), State::Overdue);
        assert_eq!(state_on(&late, d(2025, 5, 20)), State::DoneLate);
        // Filed by some day after the deadline: it may have been on time, so silence.
        let by = format!("{FINAL}, status: done, completed_by: 2025-05-20}}\n");
        assert_eq!(state_on(&by, d(2025, 5, 13)), State::NoRecord);
        assert_eq!(
            state_on(&by, d(2025, 5, 20)),
            State::Done,
            "never late for lack of a day"
        );
        let cancelled = format!("{FINAL}, status: cancelled, status_as_of: 2025-05-01}}\n");
        assert_eq!(state_on(&cancelled, d(2025, 5, 13)), State::Cancelled);
    }

    #[test]
    fn a_status_confirmed_after_the_day_leaves_the_record_silent_on_it() {
        let i = with_obligations(&format!(
            "{FINAL}, status: planned, status_as_of: 2025-07-01, sources: [s1]}}\n"
        ));
        let known = |date| obligation_views(&i, &Record::of(&i), AsOf::known(date, 7));
        let early = known(d(2025, 6, 1));
        assert_eq!(
            early[0].standing.state,
            State::NoRecord,
            "not overdue on a later word"
        );
        assert_eq!(early[0].standing.last_confirmed, None);
        assert_eq!(known(d(2025, 7, 1))[0].standing.state, State::Overdue);
        assert_eq!(
            on(&i, d(2025, 6, 1))[0].standing.state,
            State::Overdue,
            "with hindsight"
        );
    }

    #[test]
    fn a_report_filed_on_the_due_day_is_on_time_unless_its_time_says_otherwise() {
        let gdpr = "  - {id: G, title: G, rule: gdpr-art33, starts_at: 2025-04-10T09:30:00+09:00, status: done";
        let day = format!("{gdpr}, completed: 2025-04-13}}\n");
        assert_eq!(state_on(&day, d(2025, 4, 13)), State::Done);
        let exact = format!("{gdpr}, completed: 2025-04-13T09:30:00+09:00}}\n");
        assert_eq!(state_on(&exact, d(2025, 4, 13)), State::Done);
        let after = format!("{gdpr}, completed: 2025-04-13T09:31:00+09:00}}\n");
        assert_eq!(state_on(&after, d(2025, 4, 13)), State::DoneLate);
    }

    #[test]
    fn a_report_after_another_counts_from_its_filing_once_filed_else_from_its_deadline() {
        let i = with_obligations(
            "  - {id: N, title: N, rule: nis2-notification, starts_at: 2025-04-10T09:30:00+09:00, status: done, completed: 2025-04-11T12:00:00+09:00}\n\
             \x20 - {id: F, title: F, rule: nis2-final-report, after: N}\n",
        );
        let before = on(&i, d(2025, 4, 10));
        assert!(matches!(
            before[1].start,
            ClockStart::After {
                basis: AfterBasis::Due,
                ..
            }
        ));
        assert_eq!(before[1].due, Time::Day(d(2025, 5, 13)));
        let after = on(&i, d(2025, 4, 11));
        assert!(matches!(
            after[1].start,
            ClockStart::After {
                basis: AfterBasis::Completed,
                ..
            }
        ));
        // One month from the filing on 04-11 ends on Sunday 05-11; under Regulation 1182/71
        // art. 3(4), which the rule cites, a period ending on a Sunday ends with the next
        // working day, Monday 05-12.
        assert_eq!(after[1].due, Time::Day(d(2025, 5, 12)));
    }

    #[test]
    fn the_start_of_day_assumption_carries_over_to_a_report_after_another() {
        let i = with_obligations(
            "  - {id: N, title: N, rule: nis2-notification, starts_at: '#1'}\n\
             \x20 - {id: F, title: F, rule: nis2-final-report, after: N}\n",
        );
        let views = on(&i, d(2025, 4, 10));
        assert_eq!(views[0].due, Time::Day(d(2025, 4, 12)));
        assert!(views[0].assumed_start_of_day);
        assert_eq!(views[1].due, Time::Day(d(2025, 5, 12)));
        assert!(views[1].assumed_start_of_day);
    }

    #[test]
    fn a_clock_after_a_whole_day_deadline_starts_at_the_end_of_that_day() {
        // A due Monday 2025-05-12 (appi-final from 2025-04-10: day 30, Saturday 05-10, is an
        // administrative holiday, so the deadline is the next working day under the Act on
        // Holidays of Administrative Organs art. 2), not filed: the next clock starts at
        // 2025-05-13T00:00, two days later than before that Act was applied.
        let after = |within: &str| {
            let i = with_obligations(&format!(
                "{FINAL}}}\n  - {{id: N, title: N, within: {within}, after: F}}\n"
            ));
            let v = &on(&i, d(2025, 4, 10))[1];
            assert_eq!(
                v.start_time,
                Time::Day(d(2025, 5, 12)),
                "shown as the deadline"
            );
            assert!(!v.assumed_start_of_day, "{within}");
            v.due
        };
        assert_eq!(after("24h"), Time::Day(d(2025, 5, 13)));
        assert_eq!(
            after("36h").to_string(),
            "2025-05-14T12:00:00",
            "hours from the end of the day"
        );
        // Whole-day counts: 2025-05-13 is the first day counted.
        assert_eq!(after("1d"), Time::Day(d(2025, 5, 13)));
        assert_eq!(after("30d"), Time::Day(d(2025, 6, 11)));
        // Tuesday 2025-05-13 is the first business day.
        assert_eq!(after("1 business day"), Time::Day(d(2025, 5, 13)));
        assert_eq!(after("1 month"), Time::Day(d(2025, 6, 12)));
    }

    #[test]
    fn a_clock_after_a_filing_or_an_exact_deadline_starts_there() {
        let i = with_obligations(&format!(
            "{FINAL}, status: done, completed: 2025-05-01}}\n  - {{id: N, title: N, within: 24h, after: F}}\n"
        ));
        // Filed some time on 2025-05-01: counted from its start, as any bare date.
        let v = &on(&i, d(2025, 5, 1))[1];
        assert_eq!(v.due, Time::Day(d(2025, 5, 1)));
        assert!(v.assumed_start_of_day);
        let i = with_obligations(
            "  - {id: G, title: G, rule: gdpr-art33, starts_at: 2025-04-10T09:30:00+09:00}\n\
             \x20 - {id: N, title: N, within: 24h, after: G}\n",
        );
        assert_eq!(
            on(&i, d(2025, 4, 10))[1].due.to_string(),
            "2025-04-14T09:30:00+09:00"
        );
    }

    #[test]
    fn a_month_from_00_00_ends_with_the_same_count_of_days() {
        let i = with_obligations(
            "  - {id: M, title: M, within: 1 month, starts_at: 2025-04-10T00:00:00+09:00}\n\
             \x20 - {id: D, title: D, within: 30d, starts_at: 2025-04-10T00:00:00+09:00}\n",
        );
        let views = on(&i, d(2025, 4, 10));
        assert_eq!(views[0].due, Time::Day(d(2025, 5, 9)));
        assert_eq!(views[0].due, views[1].due);
    }

    #[test]
    fn the_latest_deadline_takes_the_later_of_a_filing_and_the_other_deadline() {
        let i = with_obligations(&format!(
            "{FINAL}, status: done, completed: 2025-06-01}}\n  - {{id: N, title: N, within: 1d, after: F}}\n"
        ));
        // F is due Monday 2025-05-12, day 30 (Saturday 05-10) being an administrative holiday
        // (Act on Holidays of Administrative Organs art. 2).
        assert_eq!(
            latest_dues(&i),
            [
                Some(LatestDue::By(Time::Day(d(2025, 5, 12)))),
                Some(LatestDue::By(Time::Day(d(2025, 6, 2))))
            ]
        );
        let i = with_obligations(
            "  - {id: A, title: A, within: 3650d, starts_at: 9990-01-01}\n\
             \x20 - {id: B, title: B, within: 1d, after: A}\n\
             \x20 - {id: C, title: C, within: 1d, after: B}\n",
        );
        assert_eq!(
            latest_dues(&i),
            [
                Some(LatestDue::By(Time::Day(d(9999, 12, 30)))),
                Some(LatestDue::Beyond),
                Some(LatestDue::AfterBeyond)
            ],
            "9999-12-31 has no end for a whole-day deadline"
        );
        assert_eq!(
            on(&i, d(9999, 12, 31)).len(),
            1,
            "no clock past the calendar"
        );
    }

    #[test]
    fn a_circle_of_references_yields_nothing_rather_than_looping() {
        let i = with_obligations(
            "  - {id: A, title: A, within: 1 month, after: B}\n\
             \x20 - {id: B, title: B, within: 1 month, after: A}\n",
        );
        assert!(on(&i, d(2025, 4, 10)).is_empty());
    }

    #[test]
    fn a_very_long_chain_of_reports_neither_overflows_the_stack_nor_stalls() {
        let mut i = with_obligations("  - {id: o0, title: t, within: 1d, starts_at: '#1'}\n");
        let first = i.obligations[0].clone();
        for n in 1..100_000 {
            let mut o = first.clone();
            o.id = Id(format!("o{n}"));
            o.starts_at = None;
            o.after = Some(Id(format!("o{}", n - 1)));
            i.obligations.push(o);
        }
        let views = on(&i, d(2025, 4, 10));
        assert_eq!(views.len(), 100_000);
        let last = d(2025, 4, 10)
            .checked_add_days(chrono::Days::new(100_000))
            .unwrap();
        assert_eq!(views[99_999].due, Time::Day(last));
    }
}
