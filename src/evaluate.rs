//! What an incident looks like as of a given day: which facts had happened, how far apart
//! they were, where each remediation item stands, and when each report falls due.
//!
//! Every view (tables, JSON, exports) renders these values; none computes its own.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::clock::{self, Period, Time};
use crate::date::{days_between, Day, Moment, When, Zone};
use crate::model::{
    Event, EventKind, Id, ImpactFigure, Incident, Obligation, ObligationStatus, Remediation,
    StartsAt, Status,
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

/// Which question a view answers: what the record said on the day, or what had happened by
/// then as the record tells it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// The record as it stood at the end of the day: only what had happened *and* been known
    /// by then. A status confirmed later is not used.
    #[default]
    AsKnown,
    /// What had happened by the day, judged with everything the record says now.
    Hindsight,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::AsKnown => "as_known",
            View::Hindsight => "hindsight",
        }
    }
}

/// A number of days between two dates. Through a date known only to the month, `days`
/// counts from the first day of that month and `min`..=`max` is every count the record
/// allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Days {
    pub days: i64,
    pub min: i64,
    pub max: i64,
    pub approximate: bool,
}

impl Days {
    pub const ZERO: Days = Days {
        days: 0,
        min: 0,
        max: 0,
        approximate: false,
    };

    /// From `from` to `to`, which the timeline puts in that order: an interval is never
    /// negative, so where the two dates' ranges overlap the least count is 0.
    fn between(from: &When, to: &When, zone: &Zone) -> Days {
        let days = days_between(from.earliest_in(zone), to.earliest_in(zone)).max(0);
        Days {
            days,
            min: days_between(from.latest_in(zone), to.earliest_in(zone)).clamp(0, days),
            max: days_between(from.earliest_in(zone), to.latest_in(zone)).max(days),
            approximate: from.is_approximate() || to.is_approximate(),
        }
    }
}

/// When the record came to know its facts: the dates of the sources, and the day the file
/// was last reviewed for facts that say nothing else.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    reviewed: NaiveDate,
    /// Which day a moment falls on.
    zone: Zone,
    source_dates: HashMap<&'a str, NaiveDate>,
}

impl<'a> Record<'a> {
    /// A record with no dated sources, reviewed on `reviewed`.
    pub fn new(reviewed: NaiveDate) -> Record<'static> {
        Record {
            reviewed,
            zone: Zone::default(),
            source_dates: HashMap::new(),
        }
    }

    pub fn of(incident: &'a Incident) -> Record<'a> {
        Record {
            reviewed: incident.reviewed.0,
            zone: incident.zone(),
            source_dates: incident
                .sources
                .iter()
                .filter_map(|s| Some((s.id.as_str(), s.date?.0)))
                .collect(),
        }
    }

    /// The day a fact was first known: `reported`, else the earliest date among its cited
    /// sources, else the day the file was reviewed.
    pub fn known_on(&self, reported: Option<Day>, sources: &[Id]) -> NaiveDate {
        reported
            .map(|d| d.0)
            .or_else(|| {
                sources
                    .iter()
                    .filter_map(|id| self.source_dates.get(id.as_str()).copied())
                    .min()
            })
            .unwrap_or(self.reviewed)
    }

    /// The day a recorded status was known: its `status_as_of`, else the review.
    pub fn status_known_on(&self, status_as_of: Option<Day>) -> NaiveDate {
        status_as_of.map_or(self.reviewed, |d| d.0)
    }

    /// An event is known once it happened and was reported.
    pub fn event_known_on(&self, e: &Event) -> NaiveDate {
        self.known_on(e.reported, &e.sources)
            .max(e.date.latest_in(&self.zone))
    }

    /// A remediation item is known from `reported`, else from its announcement.
    pub fn item_known_on(&self, r: &Remediation) -> NaiveDate {
        match (r.reported, r.announced) {
            (None, Some(a)) => a.0,
            _ => self.known_on(r.reported, &r.sources),
        }
    }

    /// Figures are known from `reported`, else from the day they were published (`as_of`).
    pub fn figure_known_on(&self, f: &ImpactFigure) -> NaiveDate {
        f.reported.map_or(f.as_of.0, |r| r.0.max(f.as_of.0))
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
    /// The first day the record knew of it.
    pub known_on: NaiveDate,
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
    /// First compromise to the first detection; none without a compromise event.
    pub dwell: Option<Interval<'a>>,
    pub detection_to_notification: Option<Interval<'a>>,
    pub detection_to_disclosure: Option<Interval<'a>>,
    /// First detection to the first containment event.
    pub detection_to_containment: Option<Interval<'a>>,
}

#[derive(Debug, Clone)]
pub struct ItemView<'a> {
    pub item: &'a Remediation,
    pub state: State,
    /// The deadline in force on the day: the one last announced by then.
    pub due: Option<NaiveDate>,
    /// How many times the deadline had been moved by the day.
    pub rescheduled: usize,
    /// Days until the end of the due day (0 on the day itself); for open items with a due date.
    pub days_left: Option<i64>,
    pub days_overdue: Option<i64>,
    /// For `done_late`: how many days after the due day it was finished.
    pub days_late: Option<i64>,
    /// For done items: finished by the deadline (`Some(true)`), after it (`Some(false)`), or
    /// not known, because only a bound on the completion after the deadline is recorded
    /// (`None`; also for items that are not done or have no deadline).
    pub on_time: Option<bool>,
    /// The status the sources gave as of the day, and when they last confirmed it (never after
    /// the day).
    pub known_status: Option<Status>,
    pub last_confirmed: Option<NaiveDate>,
    /// Overdue, but the last confirmation predates the deadline: "overdue" may be unreported
    /// rather than known.
    pub unconfirmed_since_due: bool,
    /// Done, known only as done on or before this day.
    pub done_by: Option<NaiveDate>,
    /// The first day the record knew of the item.
    pub known_on: NaiveDate,
}

/// An impact figure as shown on the day.
#[derive(Debug, Clone, Copy)]
pub struct FigureView<'a> {
    pub figure: &'a ImpactFigure,
    pub known_on: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct IncidentView<'a> {
    pub incident: &'a Incident,
    pub events: Vec<EventView<'a>>,
    pub intervals: KeyIntervals<'a>,
    pub potential: Option<FigureView<'a>>,
    pub confirmed: Option<FigureView<'a>>,
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
    pub view: View,
}

impl AsOf {
    /// The record as known at the end of `date` (the default view).
    pub fn known(date: NaiveDate, soon_days: i64) -> AsOf {
        AsOf {
            date,
            soon_days,
            view: View::AsKnown,
        }
    }

    fn hindsight(&self) -> bool {
        self.view == View::Hindsight
    }

    /// True when a fact that happened on `happened` and was known on `known` shows on the day.
    fn shows(&self, happened: NaiveDate, known: NaiveDate) -> bool {
        happened <= self.date && (self.hindsight() || known <= self.date)
    }
}

pub fn evaluate<'a>(incident: &'a Incident, as_of: AsOf) -> IncidentView<'a> {
    let record = Record::of(incident);
    let events = timeline_with(incident, &record, as_of);
    let intervals = key_intervals(&events, &record.zone);
    let impact = incident.impact.as_ref();
    let figure = |f: Option<&'a ImpactFigure>| {
        let f = f?;
        let known_on = record.figure_known_on(f);
        as_of.shows(f.as_of.0, known_on).then_some(FigureView {
            figure: f,
            known_on,
        })
    };
    IncidentView {
        incident,
        intervals,
        events,
        potential: figure(impact.and_then(|i| i.potential.as_ref())),
        confirmed: figure(impact.and_then(|i| i.confirmed.as_ref())),
        remediation: incident
            .remediation
            .iter()
            .filter(|r| {
                let announced = r.announced.map_or(NaiveDate::MIN, |a| a.0);
                as_of.shows(announced, record.item_known_on(r))
            })
            .map(|r| item_view(r, &record, as_of))
            .collect(),
        obligations: obligation_views(incident, &record, as_of),
    }
}

/// Events that had happened (and, in the default view, been known) by the end of `as_of`, in
/// date order (file order breaks ties).
pub fn timeline(incident: &Incident, as_of: AsOf) -> Vec<EventView<'_>> {
    timeline_with(incident, &Record::of(incident), as_of)
}

fn timeline_with<'a>(
    incident: &'a Incident,
    record: &Record<'_>,
    as_of: AsOf,
) -> Vec<EventView<'a>> {
    let zone = record.zone;
    let mut happened: Vec<(&Event, NaiveDate)> = incident
        .events
        .iter()
        .map(|e| (e, record.event_known_on(e)))
        .filter(|(e, known)| as_of.shows(e.date.latest_in(&zone), *known))
        .collect();
    happened.sort_by_key(|(e, _)| e.date.order_key(&zone));
    let Some(first) = happened.first().map(|(e, _)| e.date) else {
        return Vec::new();
    };
    let mut previous: Option<When> = None;
    happened
        .into_iter()
        .enumerate()
        .map(|(n, (event, known_on))| {
            let ended = event.until.filter(|u| u.latest_in(&zone) <= as_of.date);
            // The first event is 0 days from itself, however vague its date.
            let since_first = if n == 0 {
                Days::ZERO
            } else {
                Days::between(&first, &event.date, &zone)
            };
            let view = EventView {
                event,
                until: ended,
                ongoing: event.until.is_some() && ended.is_none(),
                since_first,
                since_previous: previous.map(|p| Days::between(&p, &event.date, &zone)),
                known_on,
            };
            previous = Some(event.date);
            view
        })
        .collect()
}

pub fn key_intervals<'a>(events: &[EventView<'a>], zone: &Zone) -> KeyIntervals<'a> {
    let first = |kind: EventKind| events.iter().map(|v| v.event).find(|e| e.kind == kind);
    let detection = first(EventKind::Detection);
    let between = |from: Option<&'a Event>, to: Option<&'a Event>| {
        let (from, to) = (from?, to?);
        Some(Interval {
            from,
            to,
            days: Days::between(&from.date, &to.date, zone),
        })
    };
    KeyIntervals {
        dwell: between(first(EventKind::Compromise), detection),
        detection_to_notification: between(detection, first(EventKind::Notification)),
        detection_to_disclosure: between(detection, first(EventKind::Disclosure)),
        detection_to_containment: between(detection, first(EventKind::Containment)),
    }
}

/// The deadline of `item` in force on `day`: the one last announced by then (a later entry
/// wins a tie), with how many moves had been announced.
pub fn due_on(item: &Remediation, day: NaiveDate) -> (Option<NaiveDate>, usize) {
    let mut due = item.due.map(|d| d.0);
    let mut latest: Option<NaiveDate> = None;
    let mut moves = 0;
    for r in item.rescheduled.iter().filter(|r| r.announced.0 <= day) {
        moves += 1;
        if latest.is_none_or(|a| r.announced.0 >= a) {
            latest = Some(r.announced.0);
            due = Some(r.due.0);
        }
    }
    (due, moves)
}

/// Where `item` stands at the end of `as_of`.
pub fn item_view<'a>(item: &'a Remediation, record: &Record<'_>, as_of: AsOf) -> ItemView<'a> {
    let day = as_of.date;
    let known_on = record.item_known_on(item);
    let status_day = record.status_known_on(item.status_as_of);
    let status_known = status_day <= day;
    let completion = item.completed.or(item.completed_by).map(|d| d.0);
    // Done counts from the completion; in the default view only once a source said so.
    let done_on = completion.filter(|&c| {
        item.status == Status::Done && c <= day && (status_known || as_of.hindsight())
    });
    let last_confirmed = if status_known {
        Some(status_day)
    } else {
        Some(known_on).filter(|&k| k <= day)
    };
    let recorded_applies = match item.status {
        Status::Done => done_on.is_some(),
        // When it was cancelled is known only from its confirmation, in both views.
        Status::Cancelled => status_known,
        // Not done on the day it was confirmed, so not done on any earlier day either.
        Status::Planned | Status::InProgress => status_known || as_of.hindsight(),
    };
    let known_status = if recorded_applies {
        Some(item.status)
    } else {
        // Not confirmed by then: as announced.
        last_confirmed.map(|_| Status::Planned)
    };
    let (due, rescheduled) = due_on(item, day);

    let mut view = ItemView {
        item,
        state: State::Open,
        due,
        rescheduled,
        days_left: None,
        days_overdue: None,
        days_late: None,
        on_time: None,
        known_status,
        last_confirmed,
        unconfirmed_since_due: false,
        done_by: None,
        known_on,
    };
    if let Some(done) = done_on {
        view.done_by = item.completed_by.map(|d| d.0);
        // Judged against the deadline in force when it was finished: a deadline moved later
        // does not make a late completion on time.
        let deadline = due_on(item, done).0;
        view.on_time = match (item.completed, deadline) {
            (_, None) => None,
            (Some(c), Some(d)) => Some(c.0 <= d),
            // Known only as done "by" a day: on time if that bound is, else not known.
            (None, Some(d)) => (done <= d).then_some(true),
        };
        view.days_late = match (item.completed, deadline) {
            (Some(c), Some(d)) if c.0 > d => Some(days_between(d, c.0)),
            _ => None,
        };
        view.state = if view.days_late.is_some() {
            State::DoneLate
        } else {
            State::Done
        };
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
    /// For done reports: filed by the deadline, after it, or not known (only a bound after
    /// the deadline is recorded).
    pub on_time: Option<bool>,
    /// Done, known only as done on or before this day.
    pub done_by: Option<NaiveDate>,
    /// Recorded as done after the day: not done yet then (known only with hindsight).
    pub done_later: Option<Moment>,
    /// The first day the record knew of the obligation and of where its clock starts.
    pub known_on: NaiveDate,
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
    /// The clock (or the one it follows) had started by the day.
    started: bool,
    /// The first day the record knew of the obligation and of where its clock starts.
    known_on: NaiveDate,
}

/// Each obligation's clock as of `day`, in file order. `None` only for what validation rejects
/// (no period, no start, an unknown reference, a circle, a deadline past the calendar).
fn clocks<'a>(incident: &'a Incident, record: &Record<'_>, as_of: AsOf) -> Vec<Option<Clock<'a>>> {
    along_chains(incident, |o, base| {
        clock_of(incident, o, base, record, as_of).map(|mut clock| {
            // Known once the obligation and what its clock starts from are.
            let start_known = match (clock.start, base) {
                (ClockStart::Event(e), _) => record.event_known_on(e),
                (ClockStart::After { .. }, Some((_, b))) => b.known_on,
                _ => clock.start_time.day(),
            };
            clock.known_on = record.known_on(o.reported, &o.sources).max(start_known);
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

fn period_of(o: &Obligation) -> Option<Period> {
    match (o.rule, o.within) {
        (Some(rule), _) => Some(rule.period(o.policy_days)),
        (None, p) => p,
    }
}

/// Where `o`'s clock starts and when it runs out, as of `day`; `base` is the obligation it
/// follows, with that one's clock.
fn clock_of<'a>(
    incident: &'a Incident,
    o: &'a Obligation,
    base: Option<(&'a Obligation, Clock<'a>)>,
    record: &Record<'_>,
    as_of: AsOf,
) -> Option<Clock<'a>> {
    let day = as_of.date;
    let zone = &record.zone;
    let period = period_of(o)?;
    let (start, start_time, inherited_assumption, started) = match (&o.starts_at, &o.after) {
        (Some(StartsAt::Event(id)), _) => {
            let e = incident.events.iter().find(|e| e.id == *id)?;
            let t = match e.date {
                When::Instant(t) => Time::Instant(t),
                other => Time::Day(other.earliest()),
            };
            (
                ClockStart::Event(e),
                t,
                false,
                e.date.latest_in(zone) <= day,
            )
        }
        (Some(StartsAt::At(m)), _) => (
            ClockStart::Moment(*m),
            Time::from(*m),
            false,
            m.day_in(zone) <= day,
        ),
        (None, Some(_)) => {
            let (base, bc) = base?;
            // In the default view a filing counts once a source said so.
            let done = base.status == ObligationStatus::Done
                && (as_of.hindsight() || record.status_known_on(base.status_as_of) <= day);
            let (basis, t) = match (base.completed, base.completed_by) {
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
        (None, None) => return None,
    };
    // Shown, and counted from, on the day the start falls on in the incident's zone.
    let start_time = in_zone(start_time, zone);
    // A clock after a deadline starts when it runs out: after a whole day, at its end.
    let counted_from = match start {
        ClockStart::After {
            basis: AfterBasis::Due,
            ..
        } => start_time.end()?,
        _ => start_time,
    };
    let holidays: Vec<NaiveDate> = o.holidays.iter().map(|d| d.0).collect();
    let mut due = clock::due(period, counted_from, &holidays)?;
    due.time = in_zone(due.time, zone);
    due.assumed_start_of_day |= inherited_assumption;
    Some(Clock {
        start,
        start_time,
        period,
        due,
        started,
        // Set by `clocks`, which knows the record.
        known_on: NaiveDate::MIN,
    })
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
    // Comparable across kinds of time: when a deadline runs out, as a local time.
    let key = |t: Time| match t {
        Time::Day(d) => (d, 1, chrono::NaiveTime::MIN),
        Time::Instant(t) => (t.date_naive(), 0, t.time()),
        Time::Local(t) => (t.date(), 0, t.time()),
    };
    along_chains(incident, |o, base| {
        let period = period_of(o)?;
        let holidays: Vec<NaiveDate> = o.holidays.iter().map(|d| d.0).collect();
        let start = match (&o.starts_at, base) {
            (Some(StartsAt::Event(id)), _) => {
                let e = incident.events.iter().find(|e| e.id == *id)?;
                match e.date {
                    When::Instant(t) => Time::Instant(t),
                    other => Time::Day(other.earliest()),
                }
            }
            (Some(StartsAt::At(m)), _) => Time::from(*m),
            (None, Some((b, LatestDue::By(due)))) => {
                let Some(end) = due.end() else {
                    return Some(LatestDue::Beyond);
                };
                let completed = b
                    .completed
                    .filter(|_| b.status == ObligationStatus::Done)
                    .map(Time::from);
                match completed {
                    Some(c) if key(c) > key(due) => c,
                    _ => end,
                }
            }
            (None, Some(_)) => return Some(LatestDue::AfterBeyond),
            (None, None) => return None,
        };
        Some(match clock::due(period, start, &holidays) {
            Some(due) => LatestDue::By(due.time),
            None => LatestDue::Beyond,
        })
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
    let day = as_of.date;
    let due_day = c.due.time.due_day();
    let status_day = record.status_known_on(o.status_as_of);
    let status_known = status_day <= day;
    let zone = &record.zone;
    let completion_day = o
        .completed
        .map(|m| m.day_in(zone))
        .or(o.completed_by.map(|d| d.0));
    let done_on = completion_day.filter(|&d| {
        o.status == ObligationStatus::Done && d <= day && (status_known || as_of.hindsight())
    });
    let known_status = match o.status {
        ObligationStatus::Done if done_on.is_some() => Some(ObligationStatus::Done),
        ObligationStatus::Cancelled if status_known => Some(o.status),
        // Not filed on the day it was confirmed, so not on any earlier day either.
        ObligationStatus::Planned | ObligationStatus::InProgress
            if status_known || as_of.hindsight() =>
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
        last_confirmed: status_known.then_some(status_day),
        unconfirmed_since_due: false,
        days_left: None,
        days_past_due: None,
        days_late: None,
        on_time: None,
        done_by: None,
        done_later: None,
        known_on: c.known_on,
    };
    if done_on.is_some() {
        view.done_by = o.completed_by.map(|d| d.0);
        view.days_late = o
            .completed
            .filter(|&m| is_late(m, c.due.time))
            .map(|m| days_between(due_day, m.day_in(zone)).max(0));
        // Known only as done "by" a day: on time if that bound is, else not known.
        view.on_time = match (o.completed, o.completed_by) {
            (Some(_), _) => Some(view.days_late.is_none()),
            (None, Some(by)) => (by.0 <= due_day).then_some(true),
            (None, None) => None,
        };
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
    let filed_later = o.status == ObligationStatus::Done && as_of.hindsight();
    view.done_later = o.completed.filter(|_| filed_later);
    view.state = match known_status {
        Some(ObligationStatus::Planned | ObligationStatus::InProgress) => {
            view.unconfirmed_since_due = view.last_confirmed.is_none_or(|c| c < due_day);
            State::Overdue
        }
        _ if view.done_later.is_some() => State::Overdue,
        _ => State::NoRecord,
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
            reported: None,
            rescheduled: Vec::new(),
        }
    }

    /// A record reviewed on 2026-01-01 with no dated sources.
    fn record() -> Record<'static> {
        Record::new(day("2026-01-01"))
    }

    fn at<'a>(item: &'a Remediation, date: &str) -> ItemView<'a> {
        item_view(item, &record(), AsOf::known(day(date), 14))
    }

    fn with_hindsight<'a>(item: &'a Remediation, date: &str) -> ItemView<'a> {
        let as_of = AsOf {
            view: View::Hindsight,
            ..AsOf::known(day(date), 14)
        };
        item_view(item, &record(), as_of)
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
    fn done_counts_from_its_report_and_with_hindsight_from_the_completion_day() {
        let mut r = item(Status::Done);
        r.completed = Some(Day(day("2025-05-20")));
        r.status_as_of = Some(Day(day("2025-07-18")));
        assert_eq!(at(&r, "2025-05-20").state, State::DueSoon);
        let before_report = at(&r, "2025-07-17");
        assert_eq!(before_report.state, State::Overdue);
        assert_eq!(before_report.known_status, Some(Status::Planned));
        assert_eq!(before_report.last_confirmed, Some(day("2025-05-13")));
        let reported = at(&r, "2025-07-18");
        assert_eq!(reported.state, State::Done);
        assert_eq!(reported.on_time, Some(true));
        assert_eq!(reported.last_confirmed, Some(day("2025-07-18")));
        assert_eq!(at(&r, "2030-01-01").state, State::Done, "and stays done");

        assert_eq!(with_hindsight(&r, "2025-05-19").state, State::DueSoon);
        let hindsight = with_hindsight(&r, "2025-05-20");
        assert_eq!(hindsight.state, State::Done);
        assert!(
            hindsight.last_confirmed <= Some(day("2025-05-20")),
            "never a confirmation after the day"
        );
    }

    #[test]
    fn a_status_without_status_as_of_is_known_from_the_review() {
        let mut r = item(Status::Cancelled);
        r.status_as_of = None;
        assert_eq!(at(&r, "2025-12-31").state, State::Overdue);
        assert_eq!(at(&r, "2026-01-01").state, State::Cancelled);
        r.status = Status::InProgress;
        let view = at(&r, "2025-12-31");
        assert_eq!(view.known_status, Some(Status::Planned), "as announced");
        assert_eq!(at(&r, "2026-01-01").known_status, Some(Status::InProgress));
    }

    #[test]
    fn a_completion_known_only_by_a_bound_after_the_deadline_is_not_known_to_be_on_time() {
        let mut r = item(Status::Done);
        r.completed_by = Some(Day(day("2025-06-15")));
        r.status_as_of = Some(Day(day("2025-06-15")));
        let after = at(&r, "2025-06-15");
        assert_eq!((after.state, after.on_time), (State::Done, None));
        r.completed_by = Some(Day(day("2025-05-31")));
        r.status_as_of = Some(Day(day("2025-05-31")));
        let on_the_day = at(&r, "2025-05-31");
        assert_eq!(on_the_day.on_time, Some(true));
        r.completed_by = None;
        r.completed = Some(Day(day("2025-06-01")));
        r.status_as_of = Some(Day(day("2025-06-01")));
        let late = at(&r, "2025-06-01");
        assert_eq!((late.state, late.on_time), (State::DoneLate, Some(false)));
    }

    fn moved(due: &str, announced: &str) -> crate::model::Reschedule {
        crate::model::Reschedule {
            due: Day(day(due)),
            announced: Day(day(announced)),
            sources: Vec::new(),
        }
    }

    #[test]
    fn the_deadline_in_force_is_the_one_last_announced_by_the_day() {
        let mut r = item(Status::InProgress);
        r.rescheduled = vec![
            moved("2025-07-31", "2025-05-20"),
            moved("2025-06-30", "2025-06-10"),
        ];
        let before = at(&r, "2025-05-19");
        assert_eq!(
            (before.due, before.rescheduled),
            (Some(day("2025-05-31")), 0)
        );
        let first_move = at(&r, "2025-06-05");
        assert_eq!(first_move.due, Some(day("2025-07-31")));
        assert_eq!(
            first_move.state,
            State::Open,
            "not overdue on the old deadline"
        );
        let second = at(&r, "2025-07-01");
        assert_eq!(
            (second.due, second.rescheduled),
            (Some(day("2025-06-30")), 2)
        );
        assert_eq!(second.days_overdue, Some(1));
    }

    #[test]
    fn a_deadline_moved_after_the_completion_does_not_make_it_on_time() {
        let mut r = item(Status::Done);
        r.completed = Some(Day(day("2025-06-10")));
        r.status_as_of = Some(Day(day("2025-06-10")));
        r.rescheduled = vec![moved("2025-06-30", "2025-06-20")];
        let v = at(&r, "2025-07-01");
        assert_eq!(
            (v.state, v.on_time, v.days_late),
            (State::DoneLate, Some(false), Some(10))
        );
        assert_eq!(
            v.due,
            Some(day("2025-06-30")),
            "the deadline in force is shown"
        );
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
        let t = timeline(&i, hindsight(day("2025-04-30")));
        let ids: Vec<&str> = t.iter().map(|v| v.event.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(t[1].since_first.days, 250);
        assert_eq!(t[2].since_previous.map(|d| d.days), Some(0));
        let iv = key_intervals(&t, &i.zone());
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
        assert_eq!(timeline(&i, hindsight(day("2025-02-27"))).len(), 1);
        let t = timeline(&i, hindsight(day("2025-02-28")));
        assert_eq!(t.len(), 2);
        assert_eq!(
            t[1].since_first,
            Days {
                days: 22,
                min: 22,
                max: 49,
                approximate: true
            }
        );
    }

    fn hindsight(date: NaiveDate) -> AsOf {
        AsOf {
            view: View::Hindsight,
            ..AsOf::known(date, 0)
        }
    }

    #[test]
    fn dwell_time_needs_a_compromise_and_carries_the_range_of_a_month_only_one() {
        use crate::model::EventKind::*;
        let none = incident(&[("d", "2025-04-10", Detection)]);
        let t = timeline(&none, hindsight(day("2025-05-01")));
        assert!(
            key_intervals(&t, &Zone::default()).dwell.is_none(),
            "not 0 days from itself"
        );
        let month = incident(&[("c", "2025-04", Compromise), ("d", "2025-04-10", Detection)]);
        let t = timeline(&month, hindsight(day("2025-05-01")));
        let dwell = key_intervals(&t, &Zone::default()).dwell.map(|i| i.days);
        assert_eq!(
            dwell,
            Some(Days {
                days: 9,
                min: 0,
                max: 9,
                approximate: true
            })
        );
    }

    #[test]
    fn the_first_event_is_exactly_zero_days_from_itself_even_when_only_its_month_is_known() {
        use crate::model::EventKind::*;
        let i = incident(&[("m", "2025-03", Compromise), ("d", "2025-04-10", Detection)]);
        let t = timeline(&i, hindsight(day("2025-05-01")));
        assert_eq!(t[0].since_first, Days::ZERO);
        assert_eq!((t[1].since_first.min, t[1].since_first.max), (10, 40));
    }

    #[test]
    fn an_event_shows_once_it_happened_and_was_known() {
        use crate::model::EventKind::*;
        let mut i = incident(&[("d", "2025-04-10", Detection)]);
        assert!(timeline(&i, AsOf::known(day("2025-12-31"), 0)).is_empty());
        assert_eq!(timeline(&i, AsOf::known(day("2026-01-01"), 0)).len(), 1);
        i.events[0].reported = Some(Day(day("2025-04-12")));
        assert!(timeline(&i, AsOf::known(day("2025-04-11"), 0)).is_empty());
        let t = timeline(&i, AsOf::known(day("2025-04-12"), 0));
        assert_eq!(t[0].known_on, day("2025-04-12"));
        assert_eq!(timeline(&i, hindsight(day("2025-04-10"))).len(), 1);
    }

    // Reporting obligations.

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
        let cancelled = format!("{FINAL}, status: cancelled, status_as_of: 2025-05-01}}\n");
        assert_eq!(state_on(&cancelled, d(2025, 5, 11)), State::Cancelled);
    }

    #[test]
    fn a_status_confirmed_after_the_day_leaves_the_record_silent_on_it() {
        let i = with_obligations(&format!(
            "{FINAL}, status: planned, status_as_of: 2025-07-01, sources: [s1]}}\n"
        ));
        let known = |date| obligation_views(&i, &Record::of(&i), AsOf::known(date, 7));
        let early = known(d(2025, 6, 1));
        assert_eq!(
            early[0].state,
            State::NoRecord,
            "not overdue on a later word"
        );
        assert_eq!(early[0].last_confirmed, None);
        assert_eq!(known(d(2025, 7, 1))[0].state, State::Overdue);
        assert_eq!(
            on(&i, d(2025, 6, 1))[0].state,
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
    fn a_clock_after_a_whole_day_deadline_starts_at_the_end_of_that_day() {
        // A due 2025-05-10 (appi-final from 2025-04-10), not filed: the next clock starts at
        // 2025-05-11T00:00.
        let after = |within: &str| {
            let i = with_obligations(&format!(
                "{FINAL}}}\n  - {{id: N, title: N, within: {within}, after: F}}\n"
            ));
            let v = &on(&i, d(2025, 4, 10))[1];
            assert_eq!(
                v.start_time,
                Time::Day(d(2025, 5, 10)),
                "shown as the deadline"
            );
            assert!(!v.assumed_start_of_day, "{within}");
            v.due
        };
        assert_eq!(after("24h"), Time::Day(d(2025, 5, 11)));
        assert_eq!(
            after("36h").to_string(),
            "2025-05-12T12:00:00",
            "hours from the end of the day"
        );
        // Whole-day counts: 2025-05-11 is the first day counted.
        assert_eq!(after("1d"), Time::Day(d(2025, 5, 11)));
        assert_eq!(after("30d"), Time::Day(d(2025, 6, 9)));
        // Sunday 2025-05-11 is skipped; Monday 2025-05-12 is the first business day.
        assert_eq!(after("1 business day"), Time::Day(d(2025, 5, 12)));
        assert_eq!(after("1 month"), Time::Day(d(2025, 6, 10)));
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
        assert_eq!(
            latest_dues(&i),
            [
                Some(LatestDue::By(Time::Day(d(2025, 5, 10)))),
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
