//! `status` as a table for people: impact, each remediation item's state, then the reporting
//! obligations in a table of their own.

use std::fmt::Write as _;

use crate::evaluate::AsOf;

use super::labels::{labels, Labels};
use super::text_table::TextTable;
use super::{
    clock_start, days_phrase, heading, item_note, obligation_days, obligation_note,
    obligation_rule, paint, state_style,
};
use crate::evaluate::{IncidentView, State};
use crate::model::{ImpactFigure, ObligationStatus};
use crate::sanitize::for_terminal;
use crate::text::Lang;

/// `width`: the terminal's, to wrap the free-text columns to; `None` into a pipe.
/// `only`: the states `--state` asked for (empty: all). The views hold only those already; here
/// it means an empty section is left out rather than reported as having nothing at all.
pub fn render(
    views: &[IncidentView<'_>],
    as_of: AsOf,
    lang: Lang,
    color: bool,
    width: Option<usize>,
    only: &[State],
) -> String {
    let l = labels(lang);
    let mut out = String::new();
    for (n, view) in views.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&super::fit::wrap_prose(
            &heading(view, as_of, lang, color),
            width,
        ));
        out.push_str(&super::fit::wrap_prose(&impact(view, lang, l), width));
        out.push('\n');
        let filtered = !only.is_empty();
        if view.remediation.is_empty() {
            if !filtered {
                let _ = writeln!(out, "{}", l.no_items);
            }
        } else {
            out.push_str(&table(view, lang, l, color, width));
            out.push_str("\n\n");
            out.push_str(&summary(view, l));
        }
        // Only incidents that record obligations get the section: silence elsewhere is not a
        // claim that nothing is owed.
        let none_left = filtered && view.obligations.is_empty();
        if !view.incident.obligations.is_empty() && !none_left {
            let _ = writeln!(out, "\n{}:", l.obligations);
            if view.obligations.is_empty() {
                let _ = writeln!(out, "{}", l.no_clock_started);
            } else {
                out.push_str(&obligations(view, lang, l, color, width));
                out.push_str("\n\n");
                out.push_str(&obligation_summary(view, l));
            }
        }
    }
    out
}

fn obligations(
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    color: bool,
    width: Option<usize>,
) -> String {
    let mut b = TextTable::new();
    b.push_record(obligation_columns(l));
    for o in &view.obligations {
        b.push_record([
            for_terminal(o.obligation.id.as_str()).into_owned(),
            for_terminal(o.obligation.title.get(lang)).into_owned(),
            obligation_rule(o, l),
            for_terminal(&clock_start(o, l)).into_owned(),
            o.due.to_string(),
            // Obligations have a word for silence, unlike remediation items.
            o.standing
                .known_status
                .unwrap_or(ObligationStatus::Unknown)
                .as_str()
                .to_owned(),
            paint(
                o.standing.state.as_str(),
                state_style(o.standing.state),
                color,
            ),
            obligation_days(o, l),
            // The note quotes the owner, written in the file.
            for_terminal(&obligation_note(o, l)).into_owned(),
        ]);
    }
    // Every column with spaces in it may wrap: ids, dates, statuses and states never do.
    b.fitted(&[OBLIGATION_COLUMN, 2, 3, 7, OBLIGATION_NOTE_COLUMN], width)
}

/// The columns of the obligations table; the Markdown and HTML exports add the sources.
pub fn obligation_columns(l: &Labels) -> [&'static str; 9] {
    [
        l.id,
        l.obligation,
        l.rule,
        l.clock_starts,
        l.due,
        l.status,
        l.state,
        l.days,
        l.note,
    ]
}

const OBLIGATION_COLUMN: usize = 1;
const OBLIGATION_NOTE_COLUMN: usize = 8;

/// `3 obligations: 2 no_record, 1 open`
pub fn obligation_summary(view: &IncidentView<'_>, l: &Labels) -> String {
    counted(l, l.n_obligations, view.obligation_states())
}

fn impact(view: &IncidentView<'_>, lang: Lang, l: &Labels) -> String {
    let figure = |label: &str, f: Option<&ImpactFigure>| -> Option<String> {
        let f = f?;
        let mut s = format!(
            "  {label}: {} ({} {})\n",
            for_terminal(&super::counts_phrase(
                view,
                &super::figure_units(f),
                f.up_to,
                lang,
                l
            )),
            l.published,
            f.as_of,
        );
        if !f.categories.is_empty() {
            let _ = writeln!(
                s,
                "    {}: {}",
                l.categories,
                for_terminal(&super::categories_phrase(&f.categories, lang, l))
            );
        }
        if !f.breakdown.is_empty() {
            let _ = writeln!(s, "    {}:", l.breakdown);
            for part in &f.breakdown {
                let part = super::part_phrase(view, part, f.up_to, lang, l);
                let _ = writeln!(s, "    - {}", for_terminal(&part));
            }
        }
        Some(s)
    };
    let lines: Vec<String> = [
        figure(l.potential, view.potential.map(|f| f.figure)),
        figure(l.confirmed, view.confirmed.map(|f| f.figure)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!("{}:\n{}", l.impact, lines.concat())
}

fn table(
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    color: bool,
    width: Option<usize>,
) -> String {
    let mut b = TextTable::new();
    b.push_record(item_columns(l));
    for item in &view.remediation {
        let r = item.item;
        b.push_record([
            for_terminal(r.id.as_str()).into_owned(),
            for_terminal(r.title.get(lang)).into_owned(),
            r.function
                .map(|f| f.as_str())
                .unwrap_or_default()
                .to_owned(),
            item.due.map(|d| d.to_string()).unwrap_or_default(),
            item.standing
                .known_status
                .map(|s| s.as_str())
                .unwrap_or("?")
                .to_owned(),
            // Not green where the record does not show it was on time.
            paint(
                item.standing.state.as_str(),
                if super::on_time_unknown(item) {
                    anstyle::Style::new()
                } else {
                    state_style(item.standing.state)
                },
                color,
            ),
            days_phrase(item, l),
            for_terminal(&item_note(item, l)).into_owned(),
        ]);
    }
    b.fitted(&[ITEM_COLUMN, 6, NOTE_COLUMN], width)
}

/// The columns of the remediation table; the Markdown and HTML exports add the sources.
pub fn item_columns(l: &Labels) -> [&'static str; 8] {
    [
        l.id, l.item, l.function, l.due, l.status, l.state, l.days, l.note,
    ]
}

const ITEM_COLUMN: usize = 1;
const NOTE_COLUMN: usize = 7;

/// `5 items: 1 overdue, 1 due_soon, 2 done, 1 no_deadline`
pub fn summary(view: &IncidentView<'_>, l: &Labels) -> String {
    counted(l, l.n_items, view.item_states())
}

/// How many there are (`head`), and how many in each state, in the order of [`State::ALL`].
fn counted(l: &Labels, head: fn(usize) -> String, states: impl Iterator<Item = State>) -> String {
    let states: Vec<State> = states.collect();
    let counts: Vec<String> = State::ALL
        .iter()
        .filter_map(|s| {
            let n = states.iter().filter(|state| *state == s).count();
            (n > 0).then(|| (l.n_in_state)(n, s.as_str()))
        })
        .collect();
    format!(
        "{}{}{}\n",
        head(states.len()),
        l.summary_colon,
        counts.join(l.summary_comma)
    )
}
