//! Views of evaluated incidents. Each file renders one format; none computes states or days.

pub mod check;
pub mod fit;
pub mod json;
pub mod labels;
pub mod markdown;
pub mod status_table;
pub mod text_table;
pub mod timeline_table;

use anstyle::{AnsiColor, Effects, Style};

use crate::evaluate::{AfterBasis, ClockStart, Days, ItemView, ObligationView, State};
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

/// The days phrase of a remediation item: left, overdue or late.
pub fn days_phrase(item: &ItemView<'_>, l: &Labels) -> String {
    if let Some(n) = item.days_overdue {
        (l.days_overdue)(n)
    } else if let Some(n) = item.days_late {
        (l.days_late)(n)
    } else if let Some(n) = item.days_left {
        (l.days_left)(n)
    } else {
        String::new()
    }
}

/// The note beside a state: what the reader must know to trust it.
pub fn item_note(item: &ItemView<'_>, l: &Labels) -> String {
    let mut notes = Vec::new();
    if let Some(owner) = &item.item.owner {
        notes.push((l.owner)(owner));
    }
    if item.unconfirmed_since_due {
        match item.last_confirmed {
            Some(d) => notes.push((l.last_confirmed)(&d.format("%Y-%m-%d").to_string())),
            None => notes.push(l.never_confirmed.to_owned()),
        }
    }
    if matches!(item.state, State::Done | State::DoneLate) {
        if let Some(by) = item.done_by {
            notes.push((l.completed_by)(&by.format("%Y-%m-%d").to_string()));
        } else if let Some(c) = item.item.completed {
            notes.push((l.completed_on)(&c.to_string()));
        }
    }
    notes.join("; ")
}

/// The days phrase of an obligation: left, overdue, past due without a record, or late.
pub fn obligation_days(o: &ObligationView<'_>, l: &Labels) -> String {
    match (o.state, o.days_left, o.days_past_due, o.days_late) {
        (_, Some(n), _, _) => (l.days_left)(n),
        (State::Overdue, _, Some(n), _) => (l.days_overdue)(n),
        (_, _, Some(n), _) => (l.days_past_due)(n),
        (_, _, _, Some(0)) => l.late_on_due_day.to_owned(),
        (_, _, _, Some(n)) => (l.days_late)(n),
        _ => String::new(),
    }
}

/// The rule and its period, or the explicit period.
pub fn obligation_rule(o: &ObligationView<'_>, l: &Labels) -> String {
    let period = (l.period)(o.period);
    match o.obligation.rule {
        Some(rule) => format!("{} ({period})", rule.as_str()),
        None => (l.within)(&period),
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
    let mut notes = Vec::new();
    if let Some(owner) = &o.obligation.owner {
        notes.push((l.owner)(owner));
    }
    if o.state == State::NoRecord {
        notes.push(l.no_record.to_owned());
    }
    if o.unconfirmed_since_due {
        match o.last_confirmed {
            Some(d) => notes.push((l.last_confirmed)(&d.format("%Y-%m-%d").to_string())),
            None => notes.push(l.never_confirmed.to_owned()),
        }
    }
    if let Some(m) = o.done_later {
        notes.push((l.done_later)(&m.to_string()));
    }
    if matches!(o.state, State::Done | State::DoneLate) {
        if let Some(by) = o.done_by {
            notes.push((l.completed_by)(&by.format("%Y-%m-%d").to_string()));
        } else if let Some(c) = o.obligation.completed {
            notes.push((l.completed_on)(&c.to_string()));
        }
    }
    if o.policy {
        notes.push(l.policy.to_owned());
    }
    if o.assumed_start_of_day {
        notes.push(l.assumed_start_of_day.to_owned());
    }
    notes.join("; ")
}

/// How a state stands out on a colour terminal. The word itself carries the meaning too.
pub fn state_style(state: State) -> Style {
    match state {
        State::Overdue => AnsiColor::Red.on_default().effects(Effects::BOLD),
        State::DueSoon => AnsiColor::Yellow.on_default(),
        State::Done => AnsiColor::Green.on_default(),
        State::DoneLate => AnsiColor::Magenta.on_default(),
        State::Cancelled | State::NoDeadline => Style::new().effects(Effects::DIMMED),
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
    as_of: chrono::NaiveDate,
    lang: crate::text::Lang,
    color: bool,
) -> String {
    use crate::sanitize::for_terminal;
    let i = view.incident;
    let l = labels::labels(lang);
    let title = format!("{} — {}", i.id, i.title.get(lang));
    format!(
        "{}\n{} · {} · {} {}\n",
        paint(
            &for_terminal(&title),
            Style::new().effects(Effects::BOLD),
            color
        ),
        for_terminal(i.organization.get(lang)),
        for_terminal(i.service.get(lang)),
        l.as_of,
        as_of.format("%Y-%m-%d"),
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
}
