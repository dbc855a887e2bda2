//! What an incident looks like as of a given day: which facts had happened, how far apart
//! they were, and where each remediation item stands.
//!
//! Every view (tables, JSON, exports) renders these values; none computes its own.

use chrono::NaiveDate;
use serde::Serialize;

use crate::date::{days_between, When};
use crate::model::{Event, EventKind, ImpactFigure, Incident, Remediation, Status};

/// Where a remediation item stands as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Done,
    DoneLate,
    Cancelled,
    Overdue,
    DueSoon,
    Open,
    NoDeadline,
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
        }
    }

    pub const ALL: [State; 7] = [
        State::Done,
        State::DoneLate,
        State::Cancelled,
        State::Overdue,
        State::DueSoon,
        State::Open,
        State::NoDeadline,
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
