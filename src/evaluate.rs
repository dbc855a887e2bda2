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
}
