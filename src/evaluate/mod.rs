//! What an incident looks like as of a given day: which facts had happened, how far apart
//! they were, where each remediation item stands, and when each report falls due.
//!
//! Every view (tables, JSON, exports) renders these values; none computes its own.

mod obligations;

pub(crate) use obligations::{latest_dues, LatestDue};
pub use obligations::{obligation_views, AfterBasis, ClockStart, ObligationView};

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::date::{days_between, Day, When, Zone};
use crate::model::{
    Event, EventKind, Figures, Id, ImpactFigure, Incident, Progress, Remediation, Status, Tracked,
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
        match (r.progress.reported, r.announced) {
            (None, Some(a)) => a.0,
            _ => self.known_on(r.progress.reported, &r.progress.sources),
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

/// The revisions of the impact figures shown on a day, oldest first: the last is the one in
/// force, the others its history. A single figure is its own only revision.
#[derive(Debug, Clone, Default)]
pub struct Revisions<'a> {
    pub potential: Vec<FigureView<'a>>,
    pub confirmed: Vec<FigureView<'a>>,
}

impl<'a> Revisions<'a> {
    /// The earlier revisions of one list: all but the one in force.
    pub fn history<'s>(list: &'s [FigureView<'a>]) -> &'s [FigureView<'a>] {
        list.split_last().map_or(&[], |(_, rest)| rest)
    }
}

/// The revisions of a figure shown on the day (published, and in the as-known view known, by
/// then), in order of publication: the latest published is the one in force. Revisions may be
/// written in any order; validation refuses two on the same day.
pub fn shown_revisions<'a>(
    figures: &'a Figures,
    record: &Record,
    as_of: AsOf,
) -> Vec<FigureView<'a>> {
    let mut shown: Vec<FigureView<'a>> = figures
        .all()
        .iter()
        .filter_map(|f| {
            let known_on = record.figure_known_on(f);
            as_of.shows(f.as_of.0, known_on).then_some(FigureView {
                figure: f,
                known_on,
            })
        })
        .collect();
    shown.sort_by_key(|f| f.figure.as_of);
    shown
}

#[derive(Debug, Clone)]
pub struct IncidentView<'a> {
    pub incident: &'a Incident,
    pub events: Vec<EventView<'a>>,
    pub intervals: KeyIntervals<'a>,
    /// The potential and confirmed figures in force on the day: the latest revision shown.
    pub potential: Option<FigureView<'a>>,
    pub confirmed: Option<FigureView<'a>>,
    /// Every revision shown on the day, the current one included.
    pub revisions: Revisions<'a>,
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
    let revisions = Revisions {
        potential: impact
            .and_then(|i| i.potential.as_ref())
            .map_or_else(Vec::new, |f| shown_revisions(f, &record, as_of)),
        confirmed: impact
            .and_then(|i| i.confirmed.as_ref())
            .map_or_else(Vec::new, |f| shown_revisions(f, &record, as_of)),
    };
    IncidentView {
        incident,
        intervals,
        events,
        potential: revisions.potential.last().copied(),
        confirmed: revisions.confirmed.last().copied(),
        revisions,
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

/// What the record says, at the end of `as_of`, of a status and a completion: alike for
/// remediation items and obligations.
struct Standing {
    /// The day the recorded status was known.
    status_day: NaiveDate,
    status_known: bool,
    /// The day it was done, if done by then and (in the default view) a source had said so.
    done_on: Option<NaiveDate>,
}

fn standing<K: Tracked>(p: &Progress<K>, record: &Record<'_>, as_of: AsOf) -> Standing {
    let status_day = record.status_known_on(p.status_as_of);
    let status_known = status_day <= as_of.date;
    // Done counts from the completion; in the default view only once a source said so.
    let done_on = p
        .completion_day(&record.zone)
        .filter(|&d| p.is_done() && d <= as_of.date && (status_known || as_of.hindsight()));
    Standing {
        status_day,
        status_known,
        done_on,
    }
}

/// Where `item` stands at the end of `as_of`.
pub fn item_view<'a>(item: &'a Remediation, record: &Record<'_>, as_of: AsOf) -> ItemView<'a> {
    let day = as_of.date;
    let known_on = record.item_known_on(item);
    let Standing {
        status_day,
        status_known,
        done_on,
    } = standing(&item.progress, record, as_of);
    let last_confirmed = if status_known {
        Some(status_day)
    } else {
        Some(known_on).filter(|&k| k <= day)
    };
    let recorded_applies = match item.progress.status {
        Status::Done => done_on.is_some(),
        // When it was cancelled is known only from its confirmation, in both views.
        Status::Cancelled => status_known,
        // Not done on the day it was confirmed, so not done on any earlier day either.
        Status::Planned | Status::InProgress => status_known || as_of.hindsight(),
    };
    let known_status = if recorded_applies {
        Some(item.progress.status)
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
        view.done_by = item.progress.completed_by.map(|d| d.0);
        // Judged against the deadline in force when it was finished: a deadline moved later
        // does not make a late completion on time.
        let deadline = due_on(item, done).0;
        view.on_time = match (item.progress.completed, deadline) {
            (_, None) => None,
            (Some(c), Some(d)) => Some(c.0 <= d),
            // Known only as done "by" a day: on time if that bound is, else not known.
            (None, Some(d)) => (done <= d).then_some(true),
        };
        view.days_late = match (item.progress.completed, deadline) {
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
            progress: Progress {
                status,
                completed: None,
                completed_by: None,
                status_as_of: Some(Day(day("2025-05-13"))),
                detail: None,
                owner: None,
                sources: Vec::new(),
                reported: None,
            },
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

    fn revision(as_of: &str, reported: Option<&str>, individuals: u64) -> ImpactFigure {
        ImpactFigure {
            contracts: None,
            accounts: None,
            counts: crate::model::UnitMap::from_pairs(vec![(
                crate::model::Unit("individuals".into()),
                crate::model::Count(individuals),
            )])
            .unwrap(),
            up_to: false,
            categories: Vec::new(),
            breakdown: Vec::new(),
            as_of: Day(day(as_of)),
            detail: None,
            sources: Vec::new(),
            reported: reported.map(|r| Day(day(r))),
        }
    }

    /// The individuals of the revision in force on `date`, and how many are shown by then.
    fn in_force(figures: &Figures, date: &str, view: View) -> (Option<u64>, usize) {
        let as_of = AsOf {
            view,
            ..AsOf::known(day(date), 14)
        };
        let shown = shown_revisions(figures, &record(), as_of);
        let current = shown
            .last()
            .and_then(|f| f.figure.counts.get("individuals"))
            .map(|c| c.0);
        (current, shown.len())
    }

    #[test]
    fn the_latest_revision_published_by_the_day_is_in_force() {
        // Written newest first: the order in the file does not matter.
        let figures = Figures::Revisions(vec![
            revision("2025-04-01", None, 15000),
            revision("2025-03-01", None, 12000),
        ]);
        let known = |d| in_force(&figures, d, View::AsKnown);
        assert_eq!(known("2025-02-28"), (None, 0));
        assert_eq!(known("2025-03-01"), (Some(12000), 1));
        assert_eq!(known("2025-03-31"), (Some(12000), 1));
        assert_eq!(known("2025-04-01"), (Some(15000), 2));
        assert_eq!(known("2026-01-01"), (Some(15000), 2));
    }

    #[test]
    fn a_revision_reported_late_is_in_force_once_known_except_in_hindsight() {
        // As of 2025-04-01, published 2025-05-01: until then the earlier revision stands.
        let figures = Figures::Revisions(vec![
            revision("2025-03-01", None, 12000),
            revision("2025-04-01", Some("2025-05-01"), 15000),
        ]);
        assert_eq!(
            in_force(&figures, "2025-04-15", View::AsKnown),
            (Some(12000), 1)
        );
        assert_eq!(
            in_force(&figures, "2025-04-15", View::Hindsight),
            (Some(15000), 2)
        );
        assert_eq!(
            in_force(&figures, "2025-05-01", View::AsKnown),
            (Some(15000), 2)
        );
    }

    #[test]
    fn one_figure_is_its_own_only_revision() {
        let figures = Figures::One(revision("2025-03-01", None, 12000));
        assert_eq!(in_force(&figures, "2025-02-01", View::AsKnown), (None, 0));
        assert_eq!(
            in_force(&figures, "2025-03-01", View::AsKnown),
            (Some(12000), 1)
        );
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
        r.progress.status_as_of = Some(Day(day("2025-06-05")));
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
        r.progress.status_as_of = Some(Day(day("2025-07-18")));
        let before = at(&r, "2025-06-01");
        assert_eq!(before.known_status, Some(Status::Planned), "as announced");
        assert_eq!(before.last_confirmed, Some(day("2025-05-13")));
        assert!(before.unconfirmed_since_due);
    }

    #[test]
    fn done_counts_from_its_report_and_with_hindsight_from_the_completion_day() {
        let mut r = item(Status::Done);
        r.progress.completed = Some(Day(day("2025-05-20")));
        r.progress.status_as_of = Some(Day(day("2025-07-18")));
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
        r.progress.status_as_of = None;
        assert_eq!(at(&r, "2025-12-31").state, State::Overdue);
        assert_eq!(at(&r, "2026-01-01").state, State::Cancelled);
        r.progress.status = Status::InProgress;
        let view = at(&r, "2025-12-31");
        assert_eq!(view.known_status, Some(Status::Planned), "as announced");
        assert_eq!(at(&r, "2026-01-01").known_status, Some(Status::InProgress));
    }

    #[test]
    fn a_completion_known_only_by_a_bound_after_the_deadline_is_not_known_to_be_on_time() {
        let mut r = item(Status::Done);
        r.progress.completed_by = Some(Day(day("2025-06-15")));
        r.progress.status_as_of = Some(Day(day("2025-06-15")));
        let after = at(&r, "2025-06-15");
        assert_eq!((after.state, after.on_time), (State::Done, None));
        r.progress.completed_by = Some(Day(day("2025-05-31")));
        r.progress.status_as_of = Some(Day(day("2025-05-31")));
        let on_the_day = at(&r, "2025-05-31");
        assert_eq!(on_the_day.on_time, Some(true));
        r.progress.completed_by = None;
        r.progress.completed = Some(Day(day("2025-06-01")));
        r.progress.status_as_of = Some(Day(day("2025-06-01")));
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
        r.progress.completed = Some(Day(day("2025-06-10")));
        r.progress.status_as_of = Some(Day(day("2025-06-10")));
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
        r.progress.completed = Some(Day(day("2025-06-03")));
        assert_eq!(at(&r, "2025-06-02").state, State::Overdue);
        let late = at(&r, "2025-06-03");
        assert_eq!(late.state, State::DoneLate);
        assert_eq!(late.days_late, Some(3));
    }

    #[test]
    fn done_by_a_day_is_never_late_and_says_it_is_an_upper_bound() {
        let mut r = item(Status::Done);
        r.progress.completed_by = Some(Day(day("2025-07-18")));
        r.progress.status_as_of = Some(Day(day("2025-07-18")));
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
        r.progress.status = Status::Planned;
        r.due = None;
        assert_eq!(at(&r, "2025-06-30").state, State::NoDeadline);
    }

    #[test]
    fn cancellation_counts_from_its_confirmation() {
        let mut r = item(Status::Cancelled);
        r.progress.status_as_of = Some(Day(day("2025-06-05")));
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
}
