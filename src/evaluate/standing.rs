//! Where a remediation item or a reporting obligation stands as of a day, as far as its status
//! and completion tell: one set of rules for both, over a [`Progress`]. What differs is the
//! deadline (an item's may be moved, an obligation's may run out at a time of day) and what
//! silence means ([`Tracked::UNCONFIRMED`]: an item is as announced, an obligation unrecorded).

use chrono::NaiveDate;

use super::{AsOf, Record, State};
use crate::clock::Time;
use crate::date::{days_between, Moment};
use crate::model::{Progress, RecordStatus, Status, Tracked};

/// A deadline: the last day by whose end it is met, and when it runs out (a time of day, for
/// a deadline counted in hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub day: NaiveDate,
    pub time: Time,
}

impl Deadline {
    /// Due by the end of `day`.
    pub fn day(day: NaiveDate) -> Deadline {
        Deadline {
            day,
            time: Time::Day(day),
        }
    }

    /// True when something done at `m` missed it. A bare day is on time on the due day itself.
    fn missed_by(&self, m: Moment) -> bool {
        match (m, self.time) {
            (Moment::Instant(done), Time::Instant(due)) => done > due,
            (Moment::Instant(done), Time::Local(due)) => done.naive_local() > due,
            (m, _) => m.day() > self.day,
        }
    }
}

/// What the record says, at the end of a day, of a status and a completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing<S> {
    pub state: State,
    /// The status the sources gave as of the day, and when they last confirmed it (never after
    /// the day).
    pub known_status: Option<S>,
    pub last_confirmed: Option<NaiveDate>,
    /// Overdue, but the last confirmation predates the deadline: "overdue" may be unreported
    /// rather than known.
    pub unconfirmed_since_due: bool,
    /// Days until the end of the due day (0 on the day itself), while open.
    pub days_left: Option<i64>,
    /// Days since the due day, past it and neither done nor cancelled by the day (`overdue`,
    /// or for an obligation `no_record`).
    pub days_past_due: Option<i64>,
    /// For `done_late`: how many days after the due day it was done.
    pub days_late: Option<i64>,
    /// For done ones: by the deadline (`Some(true)`), after it (`Some(false)`), or not known,
    /// because only a bound on the completion after the deadline is recorded (`None`; also for
    /// ones not done or without a deadline).
    pub on_time: Option<bool>,
    /// Done, known only as done on or before this day.
    pub done_by: Option<NaiveDate>,
    /// Done, on time not known (`on_time` is `None`), because only a day after the due day
    /// by which it was done is recorded: at most this many days late.
    pub late_at_most: Option<i64>,
    /// Recorded as done after the day: not done yet then (known only with hindsight).
    pub done_later: Option<Moment>,
}

impl<S> Standing<S> {
    /// The days past due where the record says it was not done by then.
    pub fn days_overdue(&self) -> Option<i64> {
        self.days_past_due.filter(|_| self.state == State::Overdue)
    }
}

/// Where `p` stands at the end of `as_of`: `known_on` is the first day the record knew of it,
/// and `deadline` gives the deadline in force on a day (`None`: it has none).
pub(super) fn standing<K: Tracked>(
    p: &Progress<K>,
    record: &Record<'_>,
    as_of: AsOf,
    known_on: NaiveDate,
    deadline: impl Fn(NaiveDate) -> Option<Deadline>,
) -> Standing<K::Status> {
    let day = as_of.date;
    let zone = &record.zone;
    let status_day = record.status_known_on(p.status_as_of);
    let status_known = status_day <= day;
    // Done counts from the completion; in the default view only once a source said so.
    let done_on = p
        .completion_day(zone)
        .filter(|&d| p.is_done() && d <= day && (status_known || as_of.hindsight()));
    // Where the record has a status before any confirmation (an item as announced), it has it
    // from the day the record knew of it.
    let last_confirmed = if status_known {
        Some(status_day)
    } else {
        K::UNCONFIRMED.and(Some(known_on)).filter(|&k| k <= day)
    };
    let applies = match p.status.said() {
        Some(Status::Done) => done_on.is_some(),
        // When it was cancelled is known only from its confirmation, in both views.
        Some(Status::Cancelled) => status_known,
        // Not done on the day it was confirmed, so not done on any earlier day either.
        Some(Status::Planned | Status::InProgress) => status_known || as_of.hindsight(),
        None => false,
    };
    let known_status = if applies {
        Some(p.status)
    } else {
        last_confirmed.and(K::UNCONFIRMED).map(K::Status::from)
    };
    let mut s = Standing {
        state: State::Open,
        known_status,
        last_confirmed,
        unconfirmed_since_due: false,
        days_left: None,
        days_past_due: None,
        days_late: None,
        on_time: None,
        done_by: None,
        late_at_most: None,
        done_later: None,
    };
    if let Some(done) = done_on {
        s.done_by = p.completed_by.map(|d| d.0);
        // Judged against the deadline in force when it was done: a deadline moved later does
        // not make a late completion on time.
        if let Some(due) = deadline(done) {
            let completed = p.completed_at();
            s.days_late = completed
                .filter(|&m| due.missed_by(m))
                .map(|m| days_between(due.day, m.day_in(zone)).max(0));
            // Known only as done "by" a day: on time if that bound is, else not known.
            s.on_time = match (completed, p.completed_by) {
                (Some(_), _) => Some(s.days_late.is_none()),
                (None, Some(by)) => (by.0 <= due.day).then_some(true),
                (None, None) => None,
            };
            s.late_at_most = p
                .completed_by
                .filter(|_| s.on_time.is_none() && completed.is_none())
                .map(|by| days_between(due.day, by.0));
        }
        s.state = if s.days_late.is_some() {
            State::DoneLate
        } else {
            State::Done
        };
        return s;
    }
    if known_status.and_then(RecordStatus::said) == Some(Status::Cancelled) {
        s.state = State::Cancelled;
        return s;
    }
    let Some(due) = deadline(day) else {
        s.state = State::NoDeadline;
        return s;
    };
    let left = days_between(day, due.day);
    if left >= 0 {
        s.days_left = Some(left);
        s.state = if left <= as_of.soon_days {
            State::DueSoon
        } else {
            State::Open
        };
        return s;
    }
    s.days_past_due = Some(-left);
    s.done_later = p
        .completed_at()
        .filter(|_| p.is_done() && as_of.hindsight());
    // Past due and not done by the day: overdue where the record says it was not done then;
    // where it is silent, say so instead of claiming a missed deadline.
    s.state = match known_status.and_then(RecordStatus::said).or(K::UNCONFIRMED) {
        Some(Status::Planned | Status::InProgress) => {
            s.unconfirmed_since_due = s.last_confirmed.is_none_or(|c| c < due.day);
            State::Overdue
        }
        _ if s.done_later.is_some() => State::Overdue,
        _ => State::NoRecord,
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{parse_moment, Day};
    use crate::evaluate::View;
    use crate::model::{Obligation, ObligationStatus, Remediation};

    fn day(s: &str) -> NaiveDate {
        crate::date::parse_day(s).unwrap()
    }

    fn progress<K: Tracked>(status: K::Status, status_as_of: &str) -> Progress<K> {
        Progress {
            status,
            completed: None,
            completed_by: None,
            status_as_of: Some(Day(day(status_as_of))),
            detail: None,
            owner: None,
            sources: Vec::new(),
            reported: None,
        }
    }

    /// Where `p` stands on `date`, known from 2025-05-01 and due by the end of 2025-05-31.
    fn on<K: Tracked>(p: &Progress<K>, date: &str, view: View) -> Standing<K::Status> {
        let as_of = AsOf {
            view,
            ..AsOf::known(day(date), 7)
        };
        let due = Deadline::day(day("2025-05-31"));
        standing(
            p,
            &Record::new(day("2026-01-01")),
            as_of,
            day("2025-05-01"),
            |_| Some(due),
        )
    }

    #[test]
    fn an_item_and_an_obligation_with_the_same_record_stand_alike() {
        let item = progress::<Remediation>(Status::InProgress, "2025-05-20");
        let report = progress::<Obligation>(ObligationStatus::InProgress, "2025-05-20");
        for date in ["2025-05-10", "2025-05-24", "2025-05-31", "2025-06-03"] {
            let (i, o) = (
                on(&item, date, View::AsKnown),
                on(&report, date, View::AsKnown),
            );
            assert_eq!(i.state, o.state, "{date}");
            assert_eq!(
                (i.days_left, i.days_past_due, i.unconfirmed_since_due),
                (o.days_left, o.days_past_due, o.unconfirmed_since_due),
                "{date}"
            );
        }
        let past = on(&item, "2025-06-03", View::AsKnown);
        assert_eq!((past.state, past.days_overdue()), (State::Overdue, Some(3)));
        assert!(
            past.unconfirmed_since_due,
            "last confirmed before the deadline"
        );
        assert_eq!(on(&item, "2025-05-24", View::AsKnown).state, State::DueSoon);
    }

    #[test]
    fn before_any_confirmation_an_item_is_as_announced_and_a_report_unrecorded() {
        let item = progress::<Remediation>(Status::InProgress, "2025-07-01");
        let report = progress::<Obligation>(ObligationStatus::InProgress, "2025-07-01");
        let i = on(&item, "2025-06-03", View::AsKnown);
        assert_eq!(
            (i.state, i.known_status, i.last_confirmed),
            (
                State::Overdue,
                Some(Status::Planned),
                Some(day("2025-05-01"))
            )
        );
        let o = on(&report, "2025-06-03", View::AsKnown);
        assert_eq!(
            (o.state, o.known_status, o.last_confirmed),
            (State::NoRecord, None, None)
        );
        assert_eq!((o.days_past_due, o.days_overdue()), (Some(3), None));
        let silent = progress::<Obligation>(ObligationStatus::Unknown, "2025-05-20");
        assert_eq!(
            on(&silent, "2025-06-03", View::AsKnown).state,
            State::NoRecord
        );
        let hindsight = on(&report, "2025-06-03", View::Hindsight);
        assert_eq!(hindsight.state, State::Overdue, "the later word counts");
    }

    #[test]
    fn a_completion_is_judged_against_the_deadline_to_the_minute_or_by_its_bound() {
        let mut report = progress::<Obligation>(ObligationStatus::Done, "2025-06-01");
        let exact = |p: &Progress<Obligation>, due: &str| {
            let due = parse_moment(due).unwrap();
            let Moment::Instant(t) = due else {
                unreachable!()
            };
            let deadline = Deadline {
                day: due.day(),
                time: Time::Instant(t),
            };
            let as_of = AsOf::known(day("2025-06-01"), 7);
            let s = standing(
                p,
                &Record::new(day("2026-01-01")),
                as_of,
                day("2025-05-01"),
                |_| Some(deadline),
            );
            (s.state, s.days_late, s.on_time)
        };
        report.completed = Some(parse_moment("2025-05-31T09:31:00+09:00").unwrap());
        assert_eq!(
            exact(&report, "2025-05-31T09:30:00+09:00"),
            (State::DoneLate, Some(0), Some(false)),
            "late on the due day"
        );
        assert_eq!(
            exact(&report, "2025-05-31T09:31:00+09:00"),
            (State::Done, None, Some(true))
        );
        report.completed = None;
        report.completed_by = Some(Day(day("2025-06-01")));
        let by = on(&report, "2025-06-01", View::AsKnown);
        assert_eq!(
            (by.state, by.on_time, by.done_by, by.late_at_most),
            (State::Done, None, Some(day("2025-06-01")), Some(1)),
            "done by a day after the deadline: on time or not, not known; a day late at most"
        );
        report.completed_by = Some(Day(day("2025-05-30")));
        let by = on(&report, "2025-06-01", View::AsKnown);
        assert_eq!((by.on_time, by.late_at_most), (Some(true), None));
    }

    #[test]
    fn a_completion_is_judged_against_the_deadline_in_force_when_it_was_done() {
        let mut item = progress::<Remediation>(Status::Done, "2025-06-05");
        item.completed = Some(Day(day("2025-06-05")));
        // Due 2025-05-31 until 2025-06-10, when the deadline moved to 2025-06-30.
        let moved = |d: NaiveDate| {
            let due = if d < day("2025-06-10") {
                "2025-05-31"
            } else {
                "2025-06-30"
            };
            Some(Deadline::day(day(due)))
        };
        let as_of = AsOf::known(day("2025-07-01"), 7);
        let s = standing(
            &item,
            &Record::new(day("2026-01-01")),
            as_of,
            day("2025-05-01"),
            moved,
        );
        assert_eq!(
            (s.state, s.days_late, s.on_time),
            (State::DoneLate, Some(5), Some(false))
        );
        let none = standing(
            &item,
            &Record::new(day("2026-01-01")),
            as_of,
            day("2025-05-01"),
            |_| None,
        );
        assert_eq!(
            (none.state, none.on_time),
            (State::Done, None),
            "no deadline to miss"
        );
    }

    #[test]
    fn a_report_filed_after_the_day_is_overdue_with_hindsight_and_unrecorded_without() {
        let mut report = progress::<Obligation>(ObligationStatus::Done, "2025-06-10");
        report.completed = Some(Moment::Day(day("2025-06-10")));
        let hindsight = on(&report, "2025-06-03", View::Hindsight);
        assert_eq!(
            (hindsight.state, hindsight.done_later),
            (State::Overdue, report.completed)
        );
        let known = on(&report, "2025-06-03", View::AsKnown);
        assert_eq!((known.state, known.done_later), (State::NoRecord, None));
        let cancelled = progress::<Remediation>(Status::Cancelled, "2025-06-05");
        assert_eq!(
            on(&cancelled, "2025-06-03", View::AsKnown).state,
            State::Overdue
        );
        assert_eq!(
            on(&cancelled, "2025-06-05", View::AsKnown).state,
            State::Cancelled
        );
    }
}
