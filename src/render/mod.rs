//! Every output format, for the terminal and for files alike: each file (or folder) renders
//! one format for every command that writes it; none computes states or days. The formats
//! `export` writes are listed in [`formats`].

pub mod check;
pub mod csv;
pub mod diff;
mod export_labels;
pub mod fit;
pub mod formats;
pub mod html;
pub mod ics;
pub mod json;
pub mod labels;
pub mod markdown;
pub mod report;
pub mod rules;
pub mod status_table;
pub mod stix;
pub mod text_table;
pub mod timeline_table;
pub mod veris;
pub mod xlsx;

use anstyle::{AnsiColor, Effects, Style};

use chrono::NaiveDate;

use crate::evaluate::{
    AfterBasis, AsOf, ClockStart, Days, IncidentView, Interval, ItemView, ObligationView, Standing,
    State, View,
};
use crate::model::{EventKind, Id, ObligationStatus, RecordStatus, Tracked};
use crate::text::Text;
use labels::Labels;

/// `4072650` → `4,072,650`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A day count for a table cell: `~` marks one resting on a month-only date.
pub fn days_cell(d: Days) -> String {
    if d.approximate {
        format!("~{}", d.days)
    } else {
        d.days.to_string()
    }
}

/// The days phrase of a remediation item: left, overdue or late, or that a completion known
/// only by a bound after the deadline may or may not have been on time.
pub fn days_phrase(item: &ItemView<'_>, l: &Labels) -> String {
    if on_time_unknown(item) {
        late_at_most(&item.standing, l)
    } else if let Some(n) = item.standing.days_overdue() {
        (l.days_overdue)(n)
    } else if let Some(n) = item.standing.days_late {
        (l.days_late)(n)
    } else if let Some(n) = item.standing.days_left {
        (l.days_left)(n)
    } else {
        String::new()
    }
}

/// Done with a deadline, but whether by the deadline is not known: only a day after it by
/// which it was done is recorded.
pub fn on_time_unknown(item: &ItemView<'_>) -> bool {
    done_on_time_unknown(&item.standing, item.due.is_some())
}

/// [`on_time_unknown`] for a report, which always has a deadline.
pub fn report_on_time_unknown(o: &ObligationView<'_>) -> bool {
    done_on_time_unknown(&o.standing, true)
}

fn done_on_time_unknown<S>(s: &Standing<S>, has_deadline: bool) -> bool {
    s.state == State::Done && has_deadline && s.on_time.is_none()
}

/// The days of one done but not known to be on time: the bound the record gives.
fn late_at_most<S>(s: &Standing<S>, l: &Labels) -> String {
    s.late_at_most
        .map_or_else(|| l.on_time_unknown.to_owned(), |n| (l.late_at_most)(n))
}

/// A key interval's length: exact, or about so many days within the range the record allows.
pub fn interval_days(d: Days, l: &Labels) -> String {
    if d.min == d.max {
        (l.days_count)(d.days)
    } else {
        (l.days_range)(d.days, d.min, d.max)
    }
}

/// The three key intervals with their labels: each one, or why there is none.
pub fn key_intervals<'v, 'a>(
    view: &'v IncidentView<'a>,
    l: &Labels,
) -> [(&'static str, Result<&'v Interval<'a>, &'static str>); 3] {
    let i = &view.intervals;
    let has = |kind| view.events.iter().any(|e| e.event.kind == kind);
    let missing = |what| {
        if has(EventKind::Detection) {
            what
        } else {
            l.no_detection
        }
    };
    [
        (
            l.dwell,
            i.dwell.as_ref().ok_or(if has(EventKind::Compromise) {
                missing(l.no_compromise)
            } else {
                l.no_compromise
            }),
        ),
        (
            l.to_notification,
            i.detection_to_notification
                .as_ref()
                .ok_or(missing(l.no_notification)),
        ),
        (
            l.to_disclosure,
            i.detection_to_disclosure
                .as_ref()
                .ok_or(missing(l.no_disclosure)),
        ),
    ]
}

/// One incident of a portfolio overview: what needs attention and how long things took.
pub struct OverviewRow<'v> {
    pub id: &'v str,
    pub title: &'v str,
    pub overdue: usize,
    pub due_soon: usize,
    pub no_record: usize,
    /// The dwell time and detection to first notification, or why there is none.
    pub dwell: Result<String, &'static str>,
    pub to_notification: Result<String, &'static str>,
}

/// The overview's row of each incident, in the order of the report. Items and obligations
/// count together, as `check` counts them.
pub fn overview<'v>(
    views: impl IntoIterator<Item = &'v IncidentView<'v>>,
    lang: crate::text::Lang,
    l: &Labels,
) -> Vec<OverviewRow<'v>> {
    views
        .into_iter()
        .map(|v| {
            let [dwell, to_notification, _] =
                key_intervals(v, l).map(|(_, i)| i.map(|i| interval_days(i.days, l)));
            OverviewRow {
                id: v.incident.id.as_str(),
                title: v.incident.title.get(lang),
                overdue: v.count_in(State::Overdue),
                due_soon: v.count_in(State::DueSoon),
                no_record: v.count_in(State::NoRecord),
                dwell,
                to_notification,
            }
        })
        .collect()
}

/// The words for a unit of `view`'s incident: its own `units` where it gives them (say
/// "mail accounts"), else contracts and accounts in the view's language, else the unit's name
/// in words (`mail_bodies`: mail bodies); never a kind of account the record does not name.
pub fn unit_label<'v>(
    view: &'v IncidentView<'_>,
    unit: &'v str,
    lang: crate::text::Lang,
    l: &'v Labels,
) -> std::borrow::Cow<'v, str> {
    let units = view.incident.impact.as_ref().and_then(|i| i.units.as_ref());
    if let Some(t) = units.and_then(|u| u.get(unit)) {
        return t.get(lang).into();
    }
    match unit {
        "contracts" => l.contracts.into(),
        "accounts" => l.accounts.into(),
        _ => unit.replace('_', " ").into(),
    }
}

/// The units a figure shows, with their counts (`None`: unknown). A figure written with the
/// `contracts`/`accounts` keys alone shows both, the one left out as unknown, as it always
/// has; one with `counts` shows the units it gives.
pub fn figure_units(f: &crate::model::ImpactFigure) -> Vec<(&str, Option<crate::model::Count>)> {
    use crate::model::Counted;
    if f.counts.is_empty() {
        f.shorthand().to_vec()
    } else {
        f.all_counts()
            .into_iter()
            .map(|(u, c)| (u, Some(c)))
            .collect()
    }
}

/// Counts with their words, e.g. `up to 6,493 contracts, up to 4,072,650 mail accounts`.
pub fn counts_phrase(
    view: &IncidentView<'_>,
    counts: &[(&str, Option<crate::model::Count>)],
    up_to: bool,
    lang: crate::text::Lang,
    l: &Labels,
) -> String {
    counts
        .iter()
        .map(|(unit, c)| {
            format!(
                "{} {}",
                figure_count(*c, up_to, l),
                unit_label(view, unit, lang, l)
            )
        })
        .collect::<Vec<_>>()
        // ", " in either language, as the views have always joined contracts and accounts.
        .join(", ")
}

/// The counts of a part of a figure, as [`counts_phrase`] words them.
pub fn part_counts(part: &crate::model::ImpactPart) -> Vec<(&str, Option<crate::model::Count>)> {
    use crate::model::Counted;
    part.all_counts()
        .into_iter()
        .map(|(u, c)| (u, Some(c)))
        .collect()
}

/// Kinds of data, joined: `names, mail addresses`.
pub fn categories_phrase(
    categories: &[crate::text::Text],
    lang: crate::text::Lang,
    l: &Labels,
) -> String {
    categories
        .iter()
        .map(|c| c.get(lang))
        .collect::<Vec<_>>()
        .join(l.summary_comma)
}

/// A part of a figure in a line: its counts, its kinds of data, its detail.
pub fn part_phrase(
    view: &IncidentView<'_>,
    part: &crate::model::ImpactPart,
    up_to: bool,
    lang: crate::text::Lang,
    l: &Labels,
) -> String {
    let mut s = counts_phrase(view, &part_counts(part), up_to, lang, l);
    let what = categories_phrase(&part.categories, lang, l);
    if !what.is_empty() {
        s.push_str(": ");
        s.push_str(&what);
    }
    if let Some(d) = &part.detail {
        s.push_str(" (");
        s.push_str(d.get(lang));
        s.push(')');
    }
    s
}

/// A count of an impact figure as shown: grouped digits, "up to" where the source gives a
/// maximum, "unknown" where it gives none (never 0).
pub fn figure_count(c: Option<crate::model::Count>, up_to: bool, l: &Labels) -> String {
    match c {
        None => l.unknown.to_owned(),
        Some(c) if up_to => (l.up_to)(&thousands(c.0)),
        Some(c) => thousands(c.0),
    }
}

/// The view and day a heading names, e.g. `as of 2025-07-01 (as known then)`.
pub fn as_of_phrase(as_of: AsOf, l: &Labels) -> String {
    let view = match as_of.view {
        View::AsKnown => l.view_as_known,
        View::Hindsight => l.view_hindsight,
    };
    format!("{} {} ({view})", l.as_of, as_of.date.format("%Y-%m-%d"))
}

/// An item or an obligation as every view shows it, whichever it is: what it is, the status
/// known on the day, its state, days and note. Each format lays it out (with the columns of
/// its kind) and escapes it in its own way.
pub struct Shown<'v> {
    /// What outputs call its kind: `remediation` or `obligation`.
    pub kind: &'static str,
    pub id: &'v Id,
    pub title: &'v Text,
    pub detail: Option<&'v Text>,
    pub owner: Option<&'v str>,
    pub sources: &'v [Id],
    /// The status known on the day, in words.
    pub status: &'static str,
    pub state: State,
    /// Done, but not known to have been on time: not shown as plainly done.
    pub on_time_unknown: bool,
    pub days: String,
    pub note: String,
    pub last_confirmed: Option<NaiveDate>,
}

impl<'v> Shown<'v> {
    /// The state in words for people: `done` not known to be on time says so (`done (on
    /// time?)`, the days beside it give the bound), so that no table or calendar title shows it
    /// as plainly done. Machine formats keep the state and say `on_time` apart.
    pub fn state_word(&self, l: &Labels) -> String {
        if self.on_time_unknown {
            format!("{} ({})", self.state.as_str(), l.on_time_asked)
        } else {
            self.state.as_str().to_owned()
        }
    }

    pub fn item(i: &'v ItemView<'_>, l: &Labels) -> Self {
        Shown {
            on_time_unknown: on_time_unknown(i),
            ..Shown::of(i.item, &i.standing, days_phrase(i, l), item_note(i, l))
        }
    }

    pub fn obligation(o: &'v ObligationView<'_>, l: &Labels) -> Self {
        let days = obligation_days(o, l);
        Shown {
            on_time_unknown: report_on_time_unknown(o),
            // Obligations have a word for silence, unlike remediation items.
            status: o
                .standing
                .known_status
                .unwrap_or(ObligationStatus::Unknown)
                .as_str(),
            ..Shown::of(o.obligation, &o.standing, days, obligation_note(o, l))
        }
    }

    fn of<K: Tracked>(what: &'v K, s: &Standing<K::Status>, days: String, note: String) -> Self {
        let p = what.progress();
        Shown {
            kind: K::KIND,
            id: what.id(),
            title: what.title(),
            detail: p.detail.as_ref(),
            owner: p.owner.as_deref(),
            sources: &p.sources,
            // An item not yet known of on the day (with hindsight) has no status then.
            status: s.known_status.map_or("?", RecordStatus::word),
            state: s.state,
            on_time_unknown: false,
            days,
            note,
            last_confirmed: s.last_confirmed,
        }
    }
}

/// The note beside an item's state: what the reader must know to trust it.
pub fn item_note(item: &ItemView<'_>, l: &Labels) -> String {
    let first_due = item.item.due.filter(|_| item.rescheduled > 0);
    notes([
        first_due.map(|first| (l.rescheduled)(item.rescheduled, &first.to_string())),
        owner_note(item.item, l),
        confirmation_note(&item.standing, l),
        completion_note(item.item, &item.standing, l),
    ])
}

/// The notes that are there, joined.
fn notes<const N: usize>(notes: [Option<String>; N]) -> String {
    notes.into_iter().flatten().collect::<Vec<_>>().join("; ")
}

/// Who is responsible for it, where the record says.
fn owner_note<K: Tracked>(what: &K, l: &Labels) -> Option<String> {
    what.progress().owner.as_ref().map(|o| (l.owner)(o))
}

/// When its status was last confirmed, where "overdue" may be unreported rather than known.
fn confirmation_note<S>(s: &Standing<S>, l: &Labels) -> Option<String> {
    s.unconfirmed_since_due.then(|| match s.last_confirmed {
        Some(d) => (l.last_confirmed)(&d.format("%Y-%m-%d").to_string()),
        None => l.never_confirmed.to_owned(),
    })
}

/// When it was done, or on or before which day, for what is done.
fn completion_note<K: Tracked>(what: &K, s: &Standing<K::Status>, l: &Labels) -> Option<String> {
    if !matches!(s.state, State::Done | State::DoneLate) {
        return None;
    }
    match (s.done_by, what.progress().completed) {
        (Some(by), _) => Some((l.completed_by)(&by.format("%Y-%m-%d").to_string())),
        (None, Some(c)) => Some((l.completed_on)(&c.to_string())),
        (None, None) => None,
    }
}

/// How late a filed obligation was, where both its deadline and its filing are instants: to
/// the minute, which a day count hides (a NIS2 notification 6 h 20 min late is "late on the
/// due day"). `None` when it was not late or either is known only to the day.
pub fn late_by(o: &ObligationView<'_>) -> Option<chrono::Duration> {
    if o.standing.state != State::DoneLate {
        return None;
    }
    let due = match o.due {
        crate::clock::Time::Instant(t) => t,
        _ => return None,
    };
    match o.obligation.progress.completed_at()? {
        crate::date::Moment::Instant(done) => {
            Some(done.signed_duration_since(due)).filter(|d| *d > chrono::Duration::zero())
        }
        crate::date::Moment::Day(_) => None,
    }
}

/// `late_by` as ISO 8601 (`PT6H20M`), for JSON.
pub fn late_by_iso(o: &ObligationView<'_>) -> Option<String> {
    late_by(o).map(|d| {
        let minutes = d.num_minutes();
        format!("PT{}H{}M", minutes / 60, minutes % 60)
    })
}

/// The days phrase of an obligation: left, overdue, past due without a record, or late (to
/// the minute where the record says when it was due and filed).
pub fn obligation_days(o: &ObligationView<'_>, l: &Labels) -> String {
    if let Some(d) = late_by(o) {
        let minutes = d.num_minutes();
        return (l.late_by)(minutes / 60, minutes % 60);
    }
    if report_on_time_unknown(o) {
        return late_at_most(&o.standing, l);
    }
    match (
        o.standing.state,
        o.standing.days_left,
        o.standing.days_past_due,
        o.standing.days_late,
    ) {
        (_, Some(n), _, _) => (l.days_left)(n),
        (State::Overdue, _, Some(n), _) => (l.days_overdue)(n),
        (_, _, Some(n), _) => (l.days_past_due)(n),
        (_, _, _, Some(0)) => l.late_on_due_day.to_owned(),
        (_, _, _, Some(n)) => (l.days_late)(n),
        _ => String::new(),
    }
}

/// The rule and its period, or the explicit period; and who receives the report.
pub fn obligation_rule(o: &ObligationView<'_>, l: &Labels) -> String {
    let period = (l.period)(o.period);
    let rule = match &o.obligation.rule {
        Some(rule) => match &o.obligation.variant {
            Some(v) => format!("{rule} / {v} ({period})"),
            None => format!("{rule} ({period})"),
        },
        None => (l.within)(&period),
    };
    match o.recipient(l.lang) {
        Some(to) => format!("{rule} · {}", (l.to)(&to)),
        None => rule,
    }
}

/// The deadline, and the target beside it where it is earlier.
pub fn obligation_due(o: &ObligationView<'_>, l: &Labels) -> String {
    match o.target {
        Some(t) => format!("{} ({})", o.due, (l.target)(&t.to_string())),
        None => o.due.to_string(),
    }
}

/// Where the clock started, as an event id and day, a day, or after another obligation.
pub fn clock_start(o: &ObligationView<'_>, l: &Labels) -> String {
    let t = o.start_time.to_string();
    match o.start {
        ClockStart::Event(e) => format!("{} {}", e.id, t),
        ClockStart::Moment(_) => t,
        ClockStart::After { obligation, basis } => {
            let id = obligation.id.as_str();
            match basis {
                AfterBasis::Completed => (l.after_completed)(id, &t),
                AfterBasis::CompletedBy => (l.after_completed_by)(id, &t),
                AfterBasis::Due => (l.after_due)(id, &t),
            }
        }
    }
}

/// The note beside an obligation's state: the assumptions its deadline rests on and what the
/// record says.
pub fn obligation_note(o: &ObligationView<'_>, l: &Labels) -> String {
    let s = &o.standing;
    notes([
        owner_note(o.obligation, l),
        (s.state == State::NoRecord).then(|| l.no_record.to_owned()),
        confirmation_note(s, l),
        s.done_later.map(|m| (l.done_later)(&m.to_string())),
        completion_note(o.obligation, s, l),
        o.policy.then(|| match o.rule.and_then(|r| r.words()) {
            Some(words) => (l.policy_words)(words),
            None => l.policy.to_owned(),
        }),
        o.target
            .filter(|_| o.past_target)
            .map(|t| (l.past_target)(&t.to_string())),
        o.beyond_calendar
            .zip(o.rule)
            .map(|(d, r)| (l.beyond_calendar)(r.rule.calendar.0.id(), &d.to_string())),
        o.assumed_start_of_day
            .then(|| l.assumed_start_of_day.to_owned()),
    ])
}

/// How a state stands out on a colour terminal. The word itself carries the meaning too.
pub fn state_style(state: State) -> Style {
    match state {
        State::Overdue => AnsiColor::Red.on_default().effects(Effects::BOLD),
        State::DueSoon => AnsiColor::Yellow.on_default(),
        State::Done => AnsiColor::Green.on_default(),
        State::DoneLate => AnsiColor::Magenta.on_default(),
        State::Cancelled | State::NoDeadline | State::NotRequired => {
            Style::new().effects(Effects::DIMMED)
        }
        // Not alarming like overdue: the record is silent, so somebody should look.
        State::NoRecord => AnsiColor::Cyan.on_default(),
        State::Open => Style::new(),
    }
}

/// A table as text, without the padding tabled leaves at the end of each line (it shows up as
/// noise in diffs, pastes and snapshots).
pub fn table_text(table: &tabled::Table) -> String {
    let text = table.to_string();
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    out
}

pub fn paint(text: &str, style: Style, color: bool) -> String {
    if color && style != Style::new() {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

/// The heading over an incident's table: id, title, organisation, service and the day.
pub fn heading(
    view: &crate::evaluate::IncidentView<'_>,
    as_of: AsOf,
    lang: crate::text::Lang,
    color: bool,
) -> String {
    use crate::sanitize::for_terminal;
    let i = view.incident;
    let l = labels::labels(lang);
    let title = format!("{} — {}", i.id, i.title.get(lang));
    format!(
        "{}\n{} · {} · {}\n",
        paint(
            &for_terminal(&title),
            Style::new().effects(Effects::BOLD),
            color
        ),
        for_terminal(i.organization.get(lang)),
        for_terminal(i.service.get(lang)),
        as_of_phrase(as_of, l),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(586), "586");
        assert_eq!(thousands(6493), "6,493");
        assert_eq!(thousands(311288), "311,288");
        assert_eq!(thousands(4072650), "4,072,650");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    /// An incident with a remediation item and an obligation, both done by a day after their
    /// deadline (2025-05-10), owned, and a second of each still planned.
    fn incident() -> crate::model::Incident {
        crate::yaml::parse_incident(
            "format: 1\nid: x\ntitle: X\norganization: O\nservice: S\nreviewed: 2025-12-31\n\
             sources: [{id: s, title: T, publisher: P, date: 2025-04-10}]\n\
             events: [{id: '#1', date: 2025-04-10, kind: detection, title: D, sources: [s]}]\n\
             remediation:\n\
             \x20 - {id: R, title: R, due: 2025-05-10, status: done, completed_by: 2025-05-20, status_as_of: 2025-05-20, owner: ops, sources: [s]}\n\
             \x20 - {id: R2, title: R2, due: 2025-05-10, status: planned, status_as_of: 2025-04-20, sources: [s]}\n\
             obligations:\n\
             \x20 - {id: O, title: O, within: 30d, starts_at: '#1', status: done, completed_by: 2025-05-20, status_as_of: 2025-05-20, owner: ops, sources: [s]}\n\
             \x20 - {id: O2, title: O2, within: 30d, starts_at: '#1', status: planned, status_as_of: 2025-04-20, sources: [s]}\n",
        )
        .unwrap()
    }

    #[test]
    fn an_item_and_an_obligation_share_their_notes_in_the_same_order() {
        let incident = incident();
        let view = crate::evaluate::evaluate(&incident, AsOf::known(day("2025-06-01"), 7));
        let l = labels::labels(crate::text::Lang::En);
        let done = "owner: ops; completed on or before 2025-05-20 (exact day not known)";
        assert_eq!(item_note(&view.remediation[0], l), done);
        assert_eq!(obligation_note(&view.obligations[0], l), done);
        let stale = "status last confirmed 2025-04-20";
        assert_eq!(item_note(&view.remediation[1], l), stale);
        assert_eq!(obligation_note(&view.obligations[1], l), stale);
    }

    #[test]
    fn an_item_and_an_obligation_are_shown_alike_but_for_the_word_for_silence() {
        let incident = incident();
        let early = crate::evaluate::evaluate(&incident, AsOf::known(day("2025-04-15"), 7));
        let l = labels::labels(crate::text::Lang::En);
        let item = Shown::item(&early.remediation[1], l);
        let report = Shown::obligation(&early.obligations[1], l);
        assert_eq!((item.kind, item.id.as_str()), ("remediation", "R2"));
        assert_eq!((report.kind, report.id.as_str()), ("obligation", "O2"));
        // Confirmed on 2025-04-20: an item is as announced until then, a report unrecorded.
        assert_eq!((item.status, report.status), ("planned", "unknown"));
        assert_eq!(item.state, report.state);
        let late = crate::evaluate::evaluate(&incident, AsOf::known(day("2025-06-01"), 7));
        let item = Shown::item(&late.remediation[0], l);
        let report = Shown::obligation(&late.obligations[0], l);
        assert_eq!((item.status, report.status), ("done", "done"));
        assert_eq!((item.owner, report.owner), (Some("ops"), Some("ops")));
        assert!(item.on_time_unknown, "done by a day after the deadline");
        assert!(report.on_time_unknown, "filed by a day after the deadline");
        let bound = "on time, or up to 10 days late";
        assert_eq!((item.days.as_str(), report.days.as_str()), (bound, bound));
        let word = "done (on time?)";
        assert_eq!(
            (item.state_word(l), report.state_word(l)),
            (word.into(), word.into())
        );
        assert_eq!(
            Shown::item(&late.remediation[1], l).state_word(l),
            "overdue"
        );
    }

    fn day(s: &str) -> NaiveDate {
        crate::date::parse_day(s).unwrap()
    }
}
