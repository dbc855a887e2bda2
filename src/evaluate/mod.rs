//! What an incident looks like as of a given day: which facts had happened, how far apart
//! they were, where each remediation item stands, and when each report falls due.
//!
//! Every view (tables, JSON, exports) renders these values; none computes its own.

mod impact;
mod obligations;
mod remediation;
mod standing;

pub use impact::{shown_revisions, FigureView, Revisions};
pub(crate) use obligations::applied_rule;
pub(crate) use obligations::{latest_dues, LatestDue};
pub use obligations::{obligation_views, AfterBasis, ClockStart, ObligationView};
pub use remediation::{due_on, item_view, ItemView};
pub use standing::Standing;

use foldhash::{HashMap, HashMapExt as _};

use chrono::NaiveDate;
use serde::Serialize;

use crate::date::{days_between, Day, When, Zone};
use crate::model::{Event, EventKind, Id, ImpactFigure, Incident, Remediation};

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
    /// A reporting obligation decided, with its reasoning, not to be owed.
    NotRequired,
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
            State::NotRequired => "not_required",
        }
    }

    pub const ALL: [State; 9] = [
        State::Done,
        State::DoneLate,
        State::Cancelled,
        State::Overdue,
        State::DueSoon,
        State::Open,
        State::NoDeadline,
        State::NoRecord,
        State::NotRequired,
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

impl IncidentView<'_> {
    /// The states of its remediation items, in order.
    pub fn item_states(&self) -> impl Iterator<Item = State> + Clone + '_ {
        self.remediation.iter().map(|i| i.standing.state)
    }

    /// The states of its reporting obligations, in order.
    pub fn obligation_states(&self) -> impl Iterator<Item = State> + Clone + '_ {
        self.obligations.iter().map(|o| o.standing.state)
    }

    /// How many of its items and obligations together are in `state`.
    pub fn count_in(&self, state: State) -> usize {
        self.item_states()
            .chain(self.obligation_states())
            .filter(|&s| s == state)
            .count()
    }
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
    evaluate_for(incident, as_of, Scope::Whole)
}

/// How much of an incident a view shows: a command that shows no events (`status`) is spared
/// working out the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything: the timeline and its intervals too.
    Whole,
    /// Where items, obligations and impact stand: `events` empty, no intervals.
    Standing,
}

/// [`evaluate`], of as much as `scope` asks for.
pub fn evaluate_for<'a>(incident: &'a Incident, as_of: AsOf, scope: Scope) -> IncidentView<'a> {
    let record = Record::of(incident);
    let (events, intervals) = match scope {
        Scope::Whole => {
            let events = timeline_with(incident, &record, as_of);
            let intervals = key_intervals(&events, &record.zone);
            (events, intervals)
        }
        Scope::Standing => (Vec::new(), KeyIntervals::default()),
    };
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
    // A key works out its day in the zone: once per event, not once per comparison.
    happened.sort_by_cached_key(|(e, _)| e.date.order_key(&zone));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Day;

    fn day(s: &str) -> NaiveDate {
        crate::date::parse_day(s).unwrap()
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
    fn a_standing_view_is_the_whole_one_without_its_timeline() {
        let bundled = include_str!("../../incidents/secure-mx-2025.yaml");
        let incident = crate::yaml::parse_incident(bundled).unwrap();
        for (date, view) in [
            ("2025-05-13", View::AsKnown),
            ("2026-11-25", View::Hindsight),
        ] {
            let as_of = AsOf {
                date: day(date),
                soon_days: 14,
                view,
            };
            let whole = evaluate(&incident, as_of);
            let standing = evaluate_for(&incident, as_of, Scope::Standing);
            assert!(!whole.events.is_empty() && whole.intervals.dwell.is_some());
            assert!(standing.events.is_empty() && standing.intervals.dwell.is_none());
            let shown = |v: &IncidentView<'_>| {
                format!(
                    "{:?}{:?}{:?}{:?}",
                    v.remediation, v.obligations, v.potential, v.revisions
                )
            };
            assert_eq!(shown(&standing), shown(&whole));
        }
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
    fn an_incident_counts_its_items_and_obligations_in_a_state_together() {
        let i = crate::yaml::parse_incident(
            "format: 1\nid: t\ntitle: t\norganization: o\nservice: s\nreviewed: 2026-01-01\n\
             sources: []\nevents: [{id: '#1', date: 2025-04-10, kind: detection, title: D}]\n\
             remediation:\n\
             \x20 - {id: R1, title: R, due: 2025-05-01, status: planned}\n\
             \x20 - {id: R2, title: R, due: 2025-07-01, status: planned}\n\
             obligations:\n\
             \x20 - {id: O1, title: O, within: 3d, starts_at: '#1', status: planned}\n\
             \x20 - {id: O2, title: O, within: 3d, starts_at: '#1'}\n",
        )
        .unwrap();
        let view = evaluate(&i, hindsight(day("2025-06-01")));
        let items: Vec<State> = view.item_states().collect();
        assert_eq!(items, [State::Overdue, State::Open]);
        let obligations: Vec<State> = view.obligation_states().collect();
        assert_eq!(obligations, [State::Overdue, State::NoRecord]);
        assert_eq!(view.count_in(State::Overdue), 2);
        assert_eq!(view.count_in(State::NoRecord), 1);
        assert_eq!(view.count_in(State::Done), 0);
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
