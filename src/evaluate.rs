//! What an incident looks like as of a given day: which facts had happened, how far apart
//! they were, where each remediation item stands, and when each report falls due.
//!
//! Every view (tables, JSON, exports) renders these values; none computes its own.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::clock::{self, Period, Time};
use crate::date::{days_between, Moment, When};
use crate::model::{
    Event, EventKind, ImpactFigure, Incident, Obligation, ObligationStatus, Remediation, StartsAt,
    Status,
};

/// Where a remediation item or a reporting obligation stands as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum State {
    Done,
    DoneLate,
    Cancelled,
    Overdue,
    DueSoon,
    Open,
    NoDeadline,
    /// A reporting obligation past its deadline whose record is silent: not known to be missed.
    NoRecord,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Done => "done",
            State::DoneLate => "done_late",
            State::Cancelled => "cancelled",
            State::Overdue => "overdue",
            State::DueSoon => "due_soon",
            State::Open => "open",
            State::NoDeadline => "no_deadline",
            State::NoRecord => "no_record",
        }
    }

    pub const ALL: [State; 8] = [
        State::Done,
        State::DoneLate,
        State::Cancelled,
        State::Overdue,
        State::DueSoon,
        State::Open,
        State::NoDeadline,
        State::NoRecord,
    ];
}

/// A number of days, marked approximate when an end is known only to the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Days {
    pub days: i64,
    pub approximate: bool,
}

impl Days {
    fn between(from: &When, to: &When) -> Days {
        Days {
            days: days_between(from.earliest(), to.earliest()),
            approximate: from.is_approximate() || to.is_approximate(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct EventView<'a> {
    pub event: &'a Event,
    /// `until`, when that end had been reached as of the day; otherwise the activity is ongoing.
    pub until: Option<When>,
    pub ongoing: bool,
    pub since_first: Days,
    pub since_previous: Option<Days>,
}

/// An interval between two key events, such as the dwell time.
#[derive(Debug, Clone)]
pub struct Interval<'a> {
    pub from: &'a Event,
    pub to: &'a Event,
    pub days: Days,
}

#[derive(Debug, Clone, Default)]
pub struct KeyIntervals<'a> {
    /// First compromise (or, without one, the first event) to the first detection.
    pub dwell: Option<Interval<'a>>,
    pub detection_to_notification: Option<Interval<'a>>,
    pub detection_to_disclosure: Option<Interval<'a>>,
}

#[derive(Debug, Clone)]
pub struct ItemView<'a> {
    pub item: &'a Remediation,
    pub state: State,
    /// Days until the end of the due day (0 on the day itself); for open items with a due date.
    pub days_left: Option<i64>,
    pub days_overdue: Option<i64>,
    /// For `done_late`: how many days after the due day it was finished.
    pub days_late: Option<i64>,
    /// The status the sources gave as of the day, and when they last confirmed it.
    pub known_status: Option<Status>,
    pub last_confirmed: Option<NaiveDate>,
    /// Overdue, but the last confirmation predates the deadline: "overdue" may be unreported
    /// rather than known.
    pub unconfirmed_since_due: bool,
    /// Done, known only as done on or before this day.
    pub done_by: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct IncidentView<'a> {
    pub incident: &'a Incident,
    pub events: Vec<EventView<'a>>,
    pub intervals: KeyIntervals<'a>,
    pub potential: Option<&'a ImpactFigure>,
    pub confirmed: Option<&'a ImpactFigure>,
    pub remediation: Vec<ItemView<'a>>,
    /// Reporting obligations whose clock had started by the day.
    pub obligations: Vec<ObligationView<'a>>,
}

/// Settings of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    pub date: NaiveDate,
    /// An open item due within this many days is `due_soon`.
    pub soon_days: i64,
}

pub fn evaluate(incident: &Incident, as_of: AsOf) -> IncidentView<'_> {
    let events = timeline(incident, as_of.date);
    let intervals = key_intervals(&events);
    let impact = incident.impact.as_ref();
    IncidentView {
        incident,
        intervals,
        events,
        potential: published(impact.and_then(|i| i.potential.as_ref()), as_of.date),
        confirmed: published(impact.and_then(|i| i.confirmed.as_ref()), as_of.date),
        remediation: incident
            .remediation
            .iter()
            .filter(|r| r.announced.is_none_or(|a| a.0 <= as_of.date))
            .map(|r| item_view(r, as_of))
            .collect(),
        obligations: obligation_views(incident, as_of),
    }
}

/// Figures count from the day they were published.
fn published(figure: Option<&ImpactFigure>, day: NaiveDate) -> Option<&ImpactFigure> {
    figure.filter(|f| f.as_of.0 <= day)
}

/// Events that had happened by the end of `as_of`, in date order (file order breaks ties).
pub fn timeline(incident: &Incident, as_of: NaiveDate) -> Vec<EventView<'_>> {
    let mut happened: Vec<&Event> = incident
        .events
        .iter()
        .filter(|e| e.date.latest() <= as_of)
        .collect();
    happened.sort_by_key(|e| e.date.earliest());
    let Some(first) = happened.first().map(|e| e.date) else {
        return Vec::new();
    };
    let mut previous: Option<When> = None;
    happened
        .into_iter()
        .map(|event| {
            let ended = event.until.filter(|u| u.latest() <= as_of);
            let view = EventView {
                event,
                until: ended,
                ongoing: event.until.is_some() && ended.is_none(),
                since_first: Days::between(&first, &event.date),
                since_previous: previous.map(|p| Days::between(&p, &event.date)),
            };
            previous = Some(event.date);
            view
        })
        .collect()
}

pub fn key_intervals<'a>(events: &[EventView<'a>]) -> KeyIntervals<'a> {
    let first = |kind: EventKind| events.iter().map(|v| v.event).find(|e| e.kind == kind);
    let detection = first(EventKind::Detection);
    let start = first(EventKind::Compromise).or_else(|| events.first().map(|v| v.event));
    let between = |from: Option<&'a Event>, to: Option<&'a Event>| {
        let (from, to) = (from?, to?);
        Some(Interval {
            from,
            to,
            days: Days::between(&from.date, &to.date),
        })
    };
    KeyIntervals {
        dwell: between(start, detection),
        detection_to_notification: between(detection, first(EventKind::Notification)),
        detection_to_disclosure: between(detection, first(EventKind::Disclosure)),
    }
}

/// Where `item` stands at the end of `as_of`.
pub fn item_view(item: &Remediation, as_of: AsOf) -> ItemView<'_> {
    let day = as_of.date;
    let completion = item.completed.or(item.completed_by).map(|d| d.0);
    let done_on = completion.filter(|&c| item.status == Status::Done && c <= day);
    let confirmed_by_then = item.status_as_of.map(|d| d.0).filter(|&d| d <= day);
    // A status confirmed only after `as_of` was not known then; the announcement was.
    let (known_status, last_confirmed) = if done_on.is_some() {
        (
            Some(Status::Done),
            item.status_as_of.map(|d| d.0).or(completion),
        )
    } else if item.status != Status::Done && confirmed_by_then.is_some() {
        (Some(item.status), confirmed_by_then)
    } else if let Some(a) = item.announced.filter(|a| a.0 <= day) {
        (Some(Status::Planned), Some(a.0))
    } else {
        (None, None)
    };
    let due = item.due.map(|d| d.0);

    let mut view = ItemView {
        item,
        state: State::Open,
        days_left: None,
        days_overdue: None,
        days_late: None,
        known_status,
        last_confirmed,
        unconfirmed_since_due: false,
        done_by: None,
    };
    if done_on.is_some() {
        view.done_by = item.completed_by.map(|d| d.0);
        // Known only as done "by" a day: never late for lack of an exact date.
        let late = match (item.completed, due) {
            (Some(c), Some(due)) if c.0 > due => Some(days_between(due, c.0)),
            _ => None,
        };
        view.state = if late.is_some() {
            State::DoneLate
        } else {
            State::Done
        };
        view.days_late = late;
        return view;
    }
    if known_status == Some(Status::Cancelled) {
        view.state = State::Cancelled;
        return view;
    }
    let Some(due) = due else {
        view.state = State::NoDeadline;
        return view;
    };
    let left = days_between(day, due);
    if left < 0 {
        view.state = State::Overdue;
        view.days_overdue = Some(-left);
        view.unconfirmed_since_due = last_confirmed.is_none_or(|c| c < due);
    } else {
        view.state = if left <= as_of.soon_days {
            State::DueSoon
        } else {
            State::Open
        };
        view.days_left = Some(left);
    }
    view
}

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
    pub period: Period,
    /// The period is the tool's policy for "promptly", not set by law.
    pub policy: bool,
    pub start: ClockStart<'a>,
    pub start_time: Time,
    pub due: Time,
    /// The last day by whose end the deadline is met.
    pub due_day: NaiveDate,
    /// An hour count from a bare date, counted from the start of that day.
    pub assumed_start_of_day: bool,
    pub state: State,
    pub known_status: Option<ObligationStatus>,
    pub last_confirmed: Option<NaiveDate>,
    /// Overdue, but the last confirmation predates the deadline.
    pub unconfirmed_since_due: bool,
    pub days_left: Option<i64>,
    /// For `overdue` and `no_record`: days since the due day.
    pub days_past_due: Option<i64>,
    pub days_late: Option<i64>,
    /// Done, known only as done on or before this day.
    pub done_by: Option<NaiveDate>,
    /// Recorded as done after the day: not done yet then.
    pub done_later: Option<Moment>,
}

/// The obligations whose clock had started by the end of `as_of`, in file order.
pub fn obligation_views(incident: &Incident, as_of: AsOf) -> Vec<ObligationView<'_>> {
    incident
        .obligations
        .iter()
        .zip(clocks(incident, as_of.date))
        .filter_map(|(o, c)| {
            let c = c?;
            c.started.then(|| obligation_view(o, c, as_of))
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
struct Clock<'a> {
    start: ClockStart<'a>,
    start_time: Time,
    period: Period,
    due: clock::Due,
    /// The clock (or the one it follows) had started by the day.
    started: bool,
}

/// Each obligation's clock as of `day`, in file order. `None` only for what validation rejects
/// (no period, no start, an unknown reference, a circle).
///
/// A chain of `after` references is followed without recursion and each clock computed once,
/// so that no input, however long its chains, can exhaust the stack or the time.
fn clocks(incident: &Incident, day: NaiveDate) -> Vec<Option<Clock<'_>>> {
    let list = &incident.obligations;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, o) in list.iter().enumerate() {
        index.entry(o.id.as_str()).or_insert(i);
    }
    let base_of = |o: &Obligation| match (&o.starts_at, &o.after) {
        (None, Some(after)) => index.get(after.as_str()).copied(),
        _ => None,
    };
    // `None`: not computed yet; `Some(None)`: no clock.
    let mut memo: Vec<Option<Option<Clock<'_>>>> = vec![None; list.len()];
    let mut on_chain = vec![false; list.len()];
    for i in 0..list.len() {
        // Walk towards the root until a computed clock, a root or a circle.
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
                        let clock = memo.get(b).copied().flatten().flatten()?;
                        Some((list.get(b)?, clock))
                    });
                    clock_of(incident, o, base, day)
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

/// Where `o`'s clock starts and when it runs out, as of `day`; `base` is the obligation it
/// follows, with that one's clock.
fn clock_of<'a>(
    incident: &'a Incident,
    o: &'a Obligation,
    base: Option<(&'a Obligation, Clock<'a>)>,
    day: NaiveDate,
) -> Option<Clock<'a>> {
    let period = match (o.rule, o.within) {
        (Some(rule), _) => rule.period(o.policy_days),
        (None, Some(p)) => p,
        (None, None) => return None,
    };
    let (start, start_time, inherited_assumption, started) = match (&o.starts_at, &o.after) {
        (Some(StartsAt::Event(id)), _) => {
            let e = incident.events.iter().find(|e| e.id == *id)?;
            let t = match e.date {
                When::Instant(t) => Time::Instant(t),
                other => Time::Day(other.earliest()),
            };
            (ClockStart::Event(e), t, false, e.date.latest() <= day)
        }
        (Some(StartsAt::At(m)), _) => (
            ClockStart::Moment(*m),
            Time::from(*m),
            false,
            m.day() <= day,
        ),
        (None, Some(_)) => {
            let (base, bc) = base?;
            let done = base.status == ObligationStatus::Done;
            let (basis, t) = match (base.completed, base.completed_by) {
                (Some(c), _) if done && c.day() <= day => (AfterBasis::Completed, Time::from(c)),
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
        (None, None) => return None,
    };
    let holidays: Vec<NaiveDate> = o.holidays.iter().map(|d| d.0).collect();
    let mut due = clock::due(period, start_time, &holidays);
    due.assumed_start_of_day |= inherited_assumption;
    Some(Clock {
        start,
        start_time,
        period,
        due,
        started,
    })
}

/// Where `o` stands at the end of `as_of`.
fn obligation_view<'a>(o: &'a Obligation, c: Clock<'a>, as_of: AsOf) -> ObligationView<'a> {
    let day = as_of.date;
    let due_day = c.due.time.due_day();
    let done = o.status == ObligationStatus::Done;
    let completion_day = o.completed.map(|m| m.day()).or(o.completed_by.map(|d| d.0));
    let done_on = completion_day.filter(|&d| done && d <= day);
    let confirmed_by_then = o.status_as_of.map(|d| d.0).filter(|&d| d <= day);
    let known_status = match o.status {
        ObligationStatus::Done if done_on.is_some() => Some(ObligationStatus::Done),
        ObligationStatus::Planned | ObligationStatus::InProgress | ObligationStatus::Cancelled
            if o.status_as_of.is_none() || confirmed_by_then.is_some() =>
        {
            Some(o.status)
        }
        _ => None,
    };
    let mut view = ObligationView {
        obligation: o,
        period: c.period,
        policy: o.rule.is_some_and(|r| r.is_policy()),
        start: c.start,
        start_time: c.start_time,
        due: c.due.time,
        due_day,
        assumed_start_of_day: c.due.assumed_start_of_day,
        state: State::Open,
        known_status,
        last_confirmed: if done_on.is_some() {
            o.status_as_of.map(|d| d.0).or(completion_day)
        } else {
            confirmed_by_then
        },
        unconfirmed_since_due: false,
        days_left: None,
        days_past_due: None,
        days_late: None,
        done_by: None,
        done_later: None,
    };
    if done_on.is_some() {
        view.done_by = o.completed_by.map(|d| d.0);
        // Known only as done "by" a day: never late for lack of an exact time.
        view.days_late = o
            .completed
            .filter(|&m| is_late(m, c.due.time))
            .map(|m| days_between(due_day, m.day()).max(0));
        view.state = if view.days_late.is_some() {
            State::DoneLate
        } else {
            State::Done
        };
        return view;
    }
    if known_status == Some(ObligationStatus::Cancelled) {
        view.state = State::Cancelled;
        return view;
    }
    let left = days_between(day, due_day);
    if left >= 0 {
        view.state = if left <= as_of.soon_days {
            State::DueSoon
        } else {
            State::Open
        };
        view.days_left = Some(left);
        return view;
    }
    view.days_past_due = Some(-left);
    // Past due and not done by the day. Overdue only where the record says it was not done
    // then; where it is silent, say so instead of claiming a missed legal deadline.
    view.done_later = o.completed.filter(|_| done);
    view.state = match o.status {
        ObligationStatus::Planned | ObligationStatus::InProgress => {
            view.unconfirmed_since_due = view.last_confirmed.is_none_or(|c| c < due_day);
            State::Overdue
        }
        ObligationStatus::Done if view.done_later.is_some() => State::Overdue,
        ObligationStatus::Done | ObligationStatus::Cancelled | ObligationStatus::Unknown => {
            State::NoRecord
        }
    };
    view
}

/// True when a report filed at `m` missed `due`. A bare day is on time on the due day itself.
fn is_late(m: Moment, due: Time) -> bool {
    match (m, due) {
        (Moment::Instant(done), Time::Instant(due)) => done > due,
        (Moment::Instant(done), Time::Local(due)) => done.naive_local() > due,
        (m, due) => m.day() > due.due_day(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Day;
    use crate::model::Id;

    fn day(s: &str) -> NaiveDate {
        crate::date::parse_day(s).unwrap()
    }

    fn item(status: Status) -> Remediation {
        Remediation {
            id: Id("R".into()),
            title: "item".into(),
            function: None,
            due: Some(Day(day("2025-05-31"))),
            announced: Some(Day(day("2025-05-13"))),
            status,
            completed: None,
            completed_by: None,
            status_as_of: Some(Day(day("2025-05-13"))),
            detail: None,
            owner: None,
            sources: Vec::new(),
        }
    }

    fn at<'a>(item: &'a Remediation, date: &str) -> ItemView<'a> {
        item_view(
            item,
            AsOf {
                date: day(date),
                soon_days: 14,
            },
        )
    }

    #[test]
    fn a_due_date_lasts_until_the_end_of_its_day() {
        let r = item(Status::Planned);
        let on_the_day = at(&r, "2025-05-31");
        assert_eq!(on_the_day.state, State::DueSoon);
        assert_eq!(on_the_day.days_left, Some(0));
        let next_day = at(&r, "2025-06-01");
        assert_eq!(next_day.state, State::Overdue);
        assert_eq!(next_day.days_overdue, Some(1));
        assert_eq!(next_day.days_left, None);
    }

    #[test]
    fn due_soon_starts_exactly_soon_days_before() {
        let r = item(Status::InProgress);
        assert_eq!(at(&r, "2025-05-16").state, State::Open);
        assert_eq!(at(&r, "2025-05-16").days_left, Some(15));
        assert_eq!(at(&r, "2025-05-17").state, State::DueSoon);
        assert_eq!(at(&r, "2025-05-17").days_left, Some(14));
    }

    #[test]
    fn overdue_says_whether_the_status_was_confirmed_after_the_deadline() {
        let mut r = item(Status::InProgress);
        let stale = at(&r, "2025-06-10");
        assert!(stale.unconfirmed_since_due);
        assert_eq!(stale.last_confirmed, Some(day("2025-05-13")));
        r.status_as_of = Some(Day(day("2025-06-05")));
        let fresh = at(&r, "2025-06-10");
        assert_eq!(fresh.state, State::Overdue);
        assert!(
            !fresh.unconfirmed_since_due,
            "confirmed still open after the due day"
        );
        assert_eq!(fresh.last_confirmed, Some(day("2025-06-05")));
    }

    #[test]
    fn a_status_confirmed_later_was_not_known_earlier() {
        let mut r = item(Status::InProgress);
        r.status_as_of = Some(Day(day("2025-07-18")));
        let before = at(&r, "2025-06-01");
        assert_eq!(before.known_status, Some(Status::Planned), "as announced");
        assert_eq!(before.last_confirmed, Some(day("2025-05-13")));
        assert!(before.unconfirmed_since_due);
    }

    #[test]
    fn done_counts_from_the_completion_day() {
        let mut r = item(Status::Done);
        r.completed = Some(Day(day("2025-05-20")));
        r.status_as_of = Some(Day(day("2025-07-18")));
        assert_eq!(at(&r, "2025-05-19").state, State::DueSoon);
        assert_eq!(at(&r, "2025-05-20").state, State::Done);
        assert_eq!(at(&r, "2030-01-01").state, State::Done, "and stays done");
    }

    #[test]
    fn done_after_the_due_day_is_done_late_by_that_many_days() {
        let mut r = item(Status::Done);
        r.completed = Some(Day(day("2025-06-03")));
        assert_eq!(at(&r, "2025-06-02").state, State::Overdue);
        let late = at(&r, "2025-06-03");
        assert_eq!(late.state, State::DoneLate);
        assert_eq!(late.days_late, Some(3));
    }

    #[test]
    fn done_by_a_day_is_never_late_and_says_it_is_an_upper_bound() {
        let mut r = item(Status::Done);
        r.completed_by = Some(Day(day("2025-07-18")));
        r.status_as_of = Some(Day(day("2025-07-18")));
        assert_eq!(at(&r, "2025-06-01").state, State::Overdue);
        let done = at(&r, "2025-07-18");
        assert_eq!(done.state, State::Done);
        assert_eq!(done.done_by, Some(day("2025-07-18")));
        assert_eq!(done.days_late, None);
    }

    #[test]
    fn cancelled_and_no_deadline() {
        let mut r = item(Status::Cancelled);
        assert_eq!(at(&r, "2025-06-30").state, State::Cancelled);
        assert_eq!(at(&r, "2025-06-30").days_overdue, None);
        r.status = Status::Planned;
        r.due = None;
        assert_eq!(at(&r, "2025-06-30").state, State::NoDeadline);
    }

    #[test]
    fn cancellation_counts_from_its_confirmation() {
        let mut r = item(Status::Cancelled);
        r.status_as_of = Some(Day(day("2025-06-05")));
        assert_eq!(at(&r, "2025-06-02").state, State::Overdue);
        assert_eq!(at(&r, "2025-06-05").state, State::Cancelled);
    }

    fn incident(events: &[(&str, &str, crate::model::EventKind)]) -> Incident {
        let src = format!(
            "format: 1\nid: t\ntitle: t\norganization: o\nservice: s\nreviewed: 2026-01-01\nsources: []\nevents:\n{}",
            events
                .iter()
                .map(|(id, date, kind)| format!(
                    "  - {{id: \"{id}\", date: {date}, kind: {}, title: x}}\n",
                    kind.as_str()
                ))
                .collect::<String>()
        );
        crate::yaml::parse_incident(&src).unwrap()
    }

    #[test]
    fn the_timeline_orders_by_date_keeps_file_order_on_ties_and_stops_at_as_of() {
        use crate::model::EventKind::*;
        let i = incident(&[
            ("b", "2025-04-10", Detection),
            ("a", "2024-08-03", Compromise),
            ("c", "2025-04-10", Disclosure),
            ("late", "2025-05-01", Response),
        ]);
        let t = timeline(&i, day("2025-04-30"));
        let ids: Vec<&str> = t.iter().map(|v| v.event.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(t[1].since_first.days, 250);
        assert_eq!(t[2].since_previous.map(|d| d.days), Some(0));
        let iv = key_intervals(&t);
        assert_eq!(iv.dwell.map(|i| i.days.days), Some(250));
        assert_eq!(iv.detection_to_disclosure.map(|i| i.days.days), Some(0));
        assert!(iv.detection_to_notification.is_none());
    }

    #[test]
    fn a_month_only_date_counts_once_the_month_is_over_and_makes_days_approximate() {
        use crate::model::EventKind::*;
        let i = incident(&[
            ("a", "2025-01-10", Compromise),
            ("m", "2025-02", Containment),
        ]);
        assert_eq!(timeline(&i, day("2025-02-27")).len(), 1);
        let t = timeline(&i, day("2025-02-28"));
        assert_eq!(t.len(), 2);
        assert_eq!(
            t[1].since_first,
            Days {
                days: 22,
                approximate: true
            }
        );
    }

    // Reporting obligations.

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// An incident detected on 2025-04-10 with the given obligations (YAML list items).
    fn with_obligations(obligations: &str) -> Incident {
        let src = format!(
            "format: 1\nid: x\ntitle: X\norganization: O\nservice: S\nreviewed: 2025-12-31\n\
             sources: [{{id: s1, title: T, publisher: P}}]\n\
             events:\n  - {{id: '#1', date: 2025-04-10, kind: detection, title: D, sources: [s1]}}\n\
             obligations:\n{obligations}"
        );
        crate::yaml::parse_incident(&src).unwrap()
    }

    fn on(incident: &Incident, day: NaiveDate) -> Vec<ObligationView<'_>> {
        obligation_views(
            incident,
            AsOf {
                date: day,
                soon_days: 7,
            },
        )
    }

    fn state_on(obligation: &str, day: NaiveDate) -> State {
        let i = with_obligations(obligation);
        let views = on(&i, day);
        assert_eq!(views.len(), 1);
        views[0].state
    }

    const FINAL: &str = "  - {id: F, title: F, rule: appi-final, starts_at: '#1'";

    #[test]
    fn a_clock_is_shown_from_its_start_on() {
        let i = with_obligations(&format!("{FINAL}}}\n"));
        assert!(on(&i, d(2025, 4, 9)).is_empty());
        let views = on(&i, d(2025, 4, 10));
        assert_eq!(views[0].due, Time::Day(d(2025, 5, 10)));
        assert_eq!(views[0].days_left, Some(30));
        assert_eq!(views[0].state, State::Open);
    }

    #[test]
    fn on_the_due_day_it_is_due_and_the_day_after_silence_is_no_record() {
        let unknown = format!("{FINAL}}}\n");
        assert_eq!(state_on(&unknown, d(2025, 5, 10)), State::DueSoon);
        assert_eq!(state_on(&unknown, d(2025, 5, 11)), State::NoRecord);
        let i = with_obligations(&unknown);
        assert_eq!(on(&i, d(2025, 5, 11))[0].days_past_due, Some(1));
    }

    #[test]
    fn overdue_only_where_the_record_says_it_was_not_done() {
        let planned = format!("{FINAL}, status: planned, status_as_of: 2025-05-01}}\n");
        assert_eq!(state_on(&planned, d(2025, 5, 11)), State::Overdue);
        let i = with_obligations(&planned);
        let v = &on(&i, d(2025, 5, 11))[0];
        assert!(
            v.unconfirmed_since_due,
            "last confirmed before the deadline"
        );
        // Filed late, on a known day: overdue until then, late afterwards.
        let late = format!("{FINAL}, status: done, completed: 2025-05-20}}\n");
        assert_eq!(state_on(&late, d(2025, 5, 11)), State::Overdue);
        assert_eq!(state_on(&late, d(2025, 5, 20)), State::DoneLate);
        // Filed by some day after the deadline: it may have been on time, so silence.
        let by = format!("{FINAL}, status: done, completed_by: 2025-05-20}}\n");
        assert_eq!(state_on(&by, d(2025, 5, 11)), State::NoRecord);
        assert_eq!(
            state_on(&by, d(2025, 5, 20)),
            State::Done,
            "never late for lack of a day"
        );
        let cancelled = format!("{FINAL}, status: cancelled}}\n");
        assert_eq!(state_on(&cancelled, d(2025, 5, 11)), State::Cancelled);
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
        assert_eq!(after[1].due, Time::Day(d(2025, 5, 11)));
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
