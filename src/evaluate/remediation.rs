//! Remediation items as of a day: the deadline in force (moved by later announcements) and
//! where each stands.

use chrono::NaiveDate;

use super::standing::{standing, Deadline, Standing};
use super::{AsOf, Record};
use crate::model::{Remediation, Status};

#[derive(Debug, Clone)]
pub struct ItemView<'a> {
    pub item: &'a Remediation,
    /// The deadline in force on the day: the one last announced by then.
    pub due: Option<NaiveDate>,
    /// How many times the deadline had been moved by the day.
    pub rescheduled: usize,
    /// Its state, status, days and completion as of the day.
    pub standing: Standing<Status>,
    /// The first day the record knew of the item.
    pub known_on: NaiveDate,
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
    let known_on = record.item_known_on(item);
    let (due, rescheduled) = due_on(item, as_of.date);
    ItemView {
        item,
        due,
        rescheduled,
        standing: standing(&item.progress, record, as_of, known_on, |day| {
            due_on(item, day).0.map(Deadline::day)
        }),
        known_on,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Day;
    use crate::evaluate::{State, View};
    use crate::model::{Id, Progress};

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
        assert_eq!(on_the_day.standing.state, State::DueSoon);
        assert_eq!(on_the_day.standing.days_left, Some(0));
        let next_day = at(&r, "2025-06-01");
        assert_eq!(next_day.standing.state, State::Overdue);
        assert_eq!(next_day.standing.days_overdue(), Some(1));
        assert_eq!(next_day.standing.days_left, None);
    }

    #[test]
    fn due_soon_starts_exactly_soon_days_before() {
        let r = item(Status::InProgress);
        assert_eq!(at(&r, "2025-05-16").standing.state, State::Open);
        assert_eq!(at(&r, "2025-05-16").standing.days_left, Some(15));
        assert_eq!(at(&r, "2025-05-17").standing.state, State::DueSoon);
        assert_eq!(at(&r, "2025-05-17").standing.days_left, Some(14));
    }

    #[test]
    fn overdue_says_whether_the_status_was_confirmed_after_the_deadline() {
        let mut r = item(Status::InProgress);
        let stale = at(&r, "2025-06-10");
        assert!(stale.standing.unconfirmed_since_due);
        assert_eq!(stale.standing.last_confirmed, Some(day("2025-05-13")));
        r.progress.status_as_of = Some(Day(day("2025-06-05")));
        let fresh = at(&r, "2025-06-10");
        assert_eq!(fresh.standing.state, State::Overdue);
        assert!(
            !fresh.standing.unconfirmed_since_due,
            "confirmed still open after the due day"
        );
        assert_eq!(fresh.standing.last_confirmed, Some(day("2025-06-05")));
    }

    #[test]
    fn a_status_confirmed_later_was_not_known_earlier() {
        let mut r = item(Status::InProgress);
        r.progress.status_as_of = Some(Day(day("2025-07-18")));
        let before = at(&r, "2025-06-01");
        assert_eq!(
            before.standing.known_status,
            Some(Status::Planned),
            "as announced"
        );
        assert_eq!(before.standing.last_confirmed, Some(day("2025-05-13")));
        assert!(before.standing.unconfirmed_since_due);
    }

    #[test]
    fn done_counts_from_its_report_and_with_hindsight_from_the_completion_day() {
        let mut r = item(Status::Done);
        r.progress.completed = Some(Day(day("2025-05-20")));
        r.progress.status_as_of = Some(Day(day("2025-07-18")));
        assert_eq!(at(&r, "2025-05-20").standing.state, State::DueSoon);
        let before_report = at(&r, "2025-07-17");
        assert_eq!(before_report.standing.state, State::Overdue);
        assert_eq!(before_report.standing.known_status, Some(Status::Planned));
        assert_eq!(
            before_report.standing.last_confirmed,
            Some(day("2025-05-13"))
        );
        let reported = at(&r, "2025-07-18");
        assert_eq!(reported.standing.state, State::Done);
        assert_eq!(reported.standing.on_time, Some(true));
        assert_eq!(reported.standing.last_confirmed, Some(day("2025-07-18")));
        assert_eq!(
            at(&r, "2030-01-01").standing.state,
            State::Done,
            "and stays done"
        );

        assert_eq!(
            with_hindsight(&r, "2025-05-19").standing.state,
            State::DueSoon
        );
        let hindsight = with_hindsight(&r, "2025-05-20");
        assert_eq!(hindsight.standing.state, State::Done);
        assert!(
            hindsight.standing.last_confirmed <= Some(day("2025-05-20")),
            "never a confirmation after the day"
        );
    }

    #[test]
    fn a_status_without_status_as_of_is_known_from_the_review() {
        let mut r = item(Status::Cancelled);
        r.progress.status_as_of = None;
        assert_eq!(at(&r, "2025-12-31").standing.state, State::Overdue);
        assert_eq!(at(&r, "2026-01-01").standing.state, State::Cancelled);
        r.progress.status = Status::InProgress;
        let view = at(&r, "2025-12-31");
        assert_eq!(
            view.standing.known_status,
            Some(Status::Planned),
            "as announced"
        );
        assert_eq!(
            at(&r, "2026-01-01").standing.known_status,
            Some(Status::InProgress)
        );
    }

    #[test]
    fn a_completion_known_only_by_a_bound_after_the_deadline_is_not_known_to_be_on_time() {
        let mut r = item(Status::Done);
        r.progress.completed_by = Some(Day(day("2025-06-15")));
        r.progress.status_as_of = Some(Day(day("2025-06-15")));
        let after = at(&r, "2025-06-15");
        assert_eq!(
            (after.standing.state, after.standing.on_time),
            (State::Done, None)
        );
        r.progress.completed_by = Some(Day(day("2025-05-31")));
        r.progress.status_as_of = Some(Day(day("2025-05-31")));
        let on_the_day = at(&r, "2025-05-31");
        assert_eq!(on_the_day.standing.on_time, Some(true));
        r.progress.completed_by = None;
        r.progress.completed = Some(Day(day("2025-06-01")));
        r.progress.status_as_of = Some(Day(day("2025-06-01")));
        let late = at(&r, "2025-06-01");
        assert_eq!(
            (late.standing.state, late.standing.on_time),
            (State::DoneLate, Some(false))
        );
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
            first_move.standing.state,
            State::Open,
            "not overdue on the old deadline"
        );
        let second = at(&r, "2025-07-01");
        assert_eq!(
            (second.due, second.rescheduled),
            (Some(day("2025-06-30")), 2)
        );
        assert_eq!(second.standing.days_overdue(), Some(1));
    }

    #[test]
    fn a_deadline_moved_after_the_completion_does_not_make_it_on_time() {
        let mut r = item(Status::Done);
        r.progress.completed = Some(Day(day("2025-06-10")));
        r.progress.status_as_of = Some(Day(day("2025-06-10")));
        r.rescheduled = vec![moved("2025-06-30", "2025-06-20")];
        let v = at(&r, "2025-07-01");
        assert_eq!(
            (v.standing.state, v.standing.on_time, v.standing.days_late),
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
        assert_eq!(at(&r, "2025-06-02").standing.state, State::Overdue);
        let late = at(&r, "2025-06-03");
        assert_eq!(late.standing.state, State::DoneLate);
        assert_eq!(late.standing.days_late, Some(3));
    }

    #[test]
    fn done_by_a_day_is_never_late_and_says_it_is_an_upper_bound() {
        let mut r = item(Status::Done);
        r.progress.completed_by = Some(Day(day("2025-07-18")));
        r.progress.status_as_of = Some(Day(day("2025-07-18")));
        assert_eq!(at(&r, "2025-06-01").standing.state, State::Overdue);
        let done = at(&r, "2025-07-18");
        assert_eq!(done.standing.state, State::Done);
        assert_eq!(done.standing.done_by, Some(day("2025-07-18")));
        assert_eq!(done.standing.days_late, None);
    }

    #[test]
    fn cancelled_and_no_deadline() {
        let mut r = item(Status::Cancelled);
        assert_eq!(at(&r, "2025-06-30").standing.state, State::Cancelled);
        assert_eq!(at(&r, "2025-06-30").standing.days_overdue(), None);
        r.progress.status = Status::Planned;
        r.due = None;
        assert_eq!(at(&r, "2025-06-30").standing.state, State::NoDeadline);
    }

    #[test]
    fn cancellation_counts_from_its_confirmation() {
        let mut r = item(Status::Cancelled);
        r.progress.status_as_of = Some(Day(day("2025-06-05")));
        assert_eq!(at(&r, "2025-06-02").standing.state, State::Overdue);
        assert_eq!(at(&r, "2025-06-05").standing.state, State::Cancelled);
    }
}
