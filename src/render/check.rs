//! `check`: the items and reporting obligations that need attention, and a one-line summary
//! (its JSON document is in `json/check.rs`).

use std::fmt::Write as _;

use tabled::builder::Builder;
use tabled::settings::Style;

use super::fit::fit;
use super::labels::{labels, Labels};
use super::{days_phrase, obligation_days, obligation_due, paint, state_style};
use crate::evaluate::{AsOf, IncidentView, State};
use crate::model::Tracked;
use crate::sanitize::for_terminal;
use crate::text::Lang;

/// An incident's view, with the file it came from.
pub type Labelled<'a> = (&'a str, IncidentView<'a>);

pub fn items_in(views: &[Labelled<'_>], state: State) -> usize {
    in_state(views.iter().flat_map(|(_, v)| v.item_states()), state)
}

pub fn obligations_in(views: &[Labelled<'_>], state: State) -> usize {
    in_state(views.iter().flat_map(|(_, v)| v.obligation_states()), state)
}

fn in_state(states: impl Iterator<Item = State>, state: State) -> usize {
    states.filter(|&s| s == state).count()
}

pub fn items(views: &[Labelled<'_>]) -> usize {
    views.iter().map(|(_, v)| v.remediation.len()).sum()
}

pub fn obligations(views: &[Labelled<'_>]) -> usize {
    views.iter().map(|(_, v)| v.obligations.len()).sum()
}

/// `3 incidents, 11 items: 1 overdue, 2 due soon`; with reporting obligations
/// `1 incident, 5 items, 3 reporting obligations: 1 overdue, 0 due soon, 3 no record`.
/// Overdue and due soon count items and obligations together.
pub fn summary(views: &[Labelled<'_>], as_of: AsOf, lang: Lang) -> String {
    let l = labels(lang);
    let both = |s| items_in(views, s) + obligations_in(views, s);
    let mut out = format!(
        "{}{}{}",
        (l.n_incidents)(views.len()),
        l.summary_comma,
        (l.n_items)(items(views))
    );
    if obligations(views) > 0 {
        let _ = write!(
            out,
            "{}{}",
            l.summary_comma,
            (l.n_reporting_obligations)(obligations(views))
        );
    }
    let _ = write!(
        out,
        "{}{}",
        l.summary_colon,
        (l.n_overdue_due_soon)(both(State::Overdue), both(State::DueSoon))
    );
    let no_record = obligations_in(views, State::NoRecord);
    if no_record > 0 {
        let _ = write!(out, "{}{}", l.summary_comma, (l.n_no_record)(no_record));
    }
    let _ = write!(
        out,
        "{}{}",
        l.summary_comma.replace(',', ";").replace('、', "；"),
        super::as_of_phrase(as_of, l)
    );
    out.push('\n');
    out
}

/// The items, then the reporting obligations, in `listed` states across incidents; each table
/// only if it has rows.
pub fn tables(
    views: &[Labelled<'_>],
    listed: &[State],
    lang: Lang,
    color: bool,
    width: Option<usize>,
) -> String {
    let l = labels(lang);
    let mut out = String::new();
    let listing = Listing {
        views,
        listed,
        color,
    };
    let items = listing.rows(
        |v| &v.remediation,
        |i| i.standing.state,
        |i| {
            let due = i.due.map(|d| d.to_string()).unwrap_or_default();
            cells(i.item, due, days_phrase(i, l), lang, l)
        },
    );
    if !items.is_empty() {
        out.push_str(&table([l.incident, l.id, l.item], items, l, width));
    }
    let obligations = listing.rows(
        |v| &v.obligations,
        |o| o.standing.state,
        |o| {
            let days = obligation_days(o, l);
            cells(o.obligation, obligation_due(o, l), days, lang, l)
        },
    );
    if !obligations.is_empty() {
        let _ = writeln!(out, "{}:", l.obligations);
        out.push_str(&table(
            [l.incident, l.id, l.obligation],
            obligations,
            l,
            width,
        ));
    }
    out
}

/// The things in `listed` states across incidents, each table's rows painted alike.
struct Listing<'v, 'a> {
    views: &'v [Labelled<'a>],
    listed: &'v [State],
    color: bool,
}

impl<'v, 'a> Listing<'v, 'a> {
    /// A row for each of the things `of` finds in an incident whose `state` is listed: the
    /// incident, then `cells` (id, title, due), the state, then the last of `cells` (days).
    fn rows<T: 'v>(
        &self,
        of: impl Fn(&'v IncidentView<'a>) -> &'v [T],
        state: impl Fn(&T) -> State,
        cells: impl Fn(&T) -> [String; 4],
    ) -> Vec<[String; 6]> {
        let mut rows = Vec::new();
        for (_, view) in self.views {
            for thing in of(view).iter().filter(|t| self.listed.contains(&state(t))) {
                let s = state(thing);
                let [id, title, due, days] = cells(thing);
                rows.push([
                    for_terminal(view.incident.id.as_str()).into_owned(),
                    id,
                    title,
                    due,
                    paint(s.as_str(), state_style(s), self.color),
                    days,
                ]);
            }
        }
        rows
    }
}

/// The title, and who owns it when the file says: CI logs are read by whoever must act.
fn with_owner(title: &str, owner: &Option<String>, l: &Labels) -> String {
    match owner {
        Some(o) => format!("{title} ({})", (l.owner)(o)),
        None => title.to_owned(),
    }
}

/// The cells of a listed item or obligation: its id, its title with its owner, when it is due,
/// and its days phrase.
fn cells<K: Tracked>(what: &K, due: String, days: String, lang: Lang, l: &Labels) -> [String; 4] {
    let title = with_owner(what.title().get(lang), &what.progress().owner, l);
    [
        for_terminal(what.id().as_str()).into_owned(),
        for_terminal(&title).into_owned(),
        due,
        days,
    ]
}

fn table(head: [&str; 3], rows: Vec<[String; 6]>, l: &Labels, width: Option<usize>) -> String {
    let mut b = Builder::default();
    b.push_record([head[0], head[1], head[2], l.due, l.state, l.days]);
    for row in rows {
        b.push_record(row);
    }
    let mut t = b.build();
    t.with(Style::psql());
    if let Some(width) = width {
        fit(&mut t, &[2, 5], width);
    }
    format!("{}\n\n", super::table_text(&t))
}
