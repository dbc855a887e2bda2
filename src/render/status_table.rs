//! `status` as a table for people: impact, each remediation item's state, then the reporting
//! obligations in a table of their own.

use std::fmt::Write as _;

use crate::evaluate::AsOf;

use super::labels::{labels, Labels};
use super::text_table::TextTable;
use super::{clock_start, heading, obligation_due, obligation_rule, paint, state_style, Shown};
use crate::evaluate::{IncidentView, State};
use crate::model::ImpactFigure;
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
            // Every column with spaces in it may wrap: ids, dates, statuses and states never do
            // (a state cut in the middle would not read as one).
            out.push_str(
                &items(view, lang, l, color).fitted(&[ITEM_COLUMN, 6, NOTE_COLUMN], width),
            );
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
                let wrap = [OBLIGATION_COLUMN, 2, 3, 4, 7, OBLIGATION_NOTE_COLUMN];
                out.push_str(&obligations(view, lang, l, color).fitted(&wrap, width));
                out.push_str("\n\n");
                out.push_str(&obligation_summary(view, l));
            }
        }
    }
    out
}

fn obligations(view: &IncidentView<'_>, lang: Lang, l: &Labels, color: bool) -> TextTable {
    let rows = view.obligations.iter().map(|o| {
        let own = vec![
            obligation_rule(o, l),
            for_terminal(&clock_start(o, l)).into_owned(),
            obligation_due(o, l),
        ];
        (Shown::obligation(o, l), own)
    });
    table(obligation_columns(l), rows, lang, l, color)
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
    let unknown = view
        .obligations
        .iter()
        .filter(|o| super::report_on_time_unknown(o));
    counted(
        l,
        l.n_obligations,
        view.obligation_states(),
        unknown.count(),
    )
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

fn items(view: &IncidentView<'_>, lang: Lang, l: &Labels, color: bool) -> TextTable {
    let rows = view.remediation.iter().map(|i| {
        let function = i.item.function.map(|f| f.as_str()).unwrap_or_default();
        let due = i.due.map(|d| d.to_string()).unwrap_or_default();
        (Shown::item(i, l), vec![function.to_owned(), due])
    });
    table(item_columns(l), rows, lang, l, color)
}

/// A table of items or obligations: each one's id and title, the columns of its kind (`own`),
/// then its status, state, days and note.
fn table<'v, const N: usize>(
    columns: [&str; N],
    rows: impl Iterator<Item = (Shown<'v>, Vec<String>)>,
    lang: Lang,
    l: &Labels,
    color: bool,
) -> TextTable {
    let mut b = TextTable::new();
    b.push_record(columns);
    for (s, own) in rows {
        // Not green where the record does not show it was on time.
        let style = if s.on_time_unknown {
            anstyle::Style::new()
        } else {
            state_style(s.state)
        };
        let state = s.state_word(l);
        let mut cells = vec![
            for_terminal(s.id.as_str()).into_owned(),
            for_terminal(s.title.get(lang)).into_owned(),
        ];
        cells.extend(own);
        cells.extend([
            s.status.to_owned(),
            paint(&state, style, color),
            s.days,
            // The note quotes the owner, written in the file.
            for_terminal(&s.note).into_owned(),
        ]);
        b.push_record(cells);
    }
    b
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
    let unknown = view
        .remediation
        .iter()
        .filter(|i| super::on_time_unknown(i));
    counted(l, l.n_items, view.item_states(), unknown.count())
}

/// How many there are (`head`), and how many in each state, in the order of [`State::ALL`];
/// of the done ones, how many are not known to have been on time (`done_unknown`), so that the
/// count does not show them as plainly done either.
fn counted(
    l: &Labels,
    head: fn(usize) -> String,
    states: impl Iterator<Item = State>,
    done_unknown: usize,
) -> String {
    let states: Vec<State> = states.collect();
    let counts: Vec<String> = State::ALL
        .iter()
        .filter_map(|s| {
            let n = states.iter().filter(|state| *state == s).count();
            let count = (l.n_in_state)(n, s.as_str());
            (n > 0).then(|| match s {
                State::Done if done_unknown > 0 => {
                    format!(
                        "{count} ({})",
                        (l.n_in_state)(done_unknown, l.on_time_unknown)
                    )
                }
                _ => count,
            })
        })
        .collect();
    if counts.is_empty() {
        // "0 obligations", not "0 obligations:" with nothing after it.
        return format!("{}\n", head(states.len()));
    }
    format!(
        "{}{}{}\n",
        head(states.len()),
        l.summary_colon,
        counts.join(l.summary_comma)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_of_nothing_has_no_colon() {
        for (lang, none, some) in [
            (Lang::En, "0 obligations\n", "2 items: 1 done, 1 overdue\n"),
            (
                Lang::Ja,
                "報告義務0件\n",
                "対策2件：done 1件、overdue 1件\n",
            ),
        ] {
            let l = labels(lang);
            assert_eq!(counted(l, l.n_obligations, std::iter::empty(), 0), none);
            let states = [State::Overdue, State::Done].into_iter();
            assert_eq!(counted(l, l.n_items, states, 0), some);
        }
    }

    #[test]
    fn done_ones_not_known_to_be_on_time_are_counted_as_such() {
        for (lang, line) in [
            (
                Lang::En,
                "3 items: 2 done (1 on time not known), 1 overdue\n",
            ),
            (
                Lang::Ja,
                "対策3件：done 2件 (期限内か不明 1件)、overdue 1件\n",
            ),
        ] {
            let l = labels(lang);
            let states = [State::Done, State::Overdue, State::Done].into_iter();
            assert_eq!(counted(l, l.n_items, states, 1), line);
        }
    }
}
