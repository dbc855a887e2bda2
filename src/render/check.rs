//! `check`: the items and reporting obligations that need attention, a one-line summary, or
//! one JSON document for CI.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::Style;

use super::fit::fit;
use super::labels::{labels, Labels};
use super::{days_phrase, obligation_days, paint, state_style};
use crate::diagnostic::Diagnostic;
use crate::evaluate::{AsOf, IncidentView, ItemView, ObligationView, State, View};
use crate::model::Id;
use crate::sanitize::for_terminal;
use crate::text::Lang;

/// An incident's view, with the file it came from.
type Labelled<'a> = (&'a str, IncidentView<'a>);

fn items_in(views: &[Labelled<'_>], state: State) -> usize {
    views
        .iter()
        .flat_map(|(_, v)| &v.remediation)
        .filter(|i| i.state == state)
        .count()
}

fn obligations_in(views: &[Labelled<'_>], state: State) -> usize {
    views
        .iter()
        .flat_map(|(_, v)| &v.obligations)
        .filter(|o| o.state == state)
        .count()
}

fn items(views: &[Labelled<'_>]) -> usize {
    views.iter().map(|(_, v)| v.remediation.len()).sum()
}

fn obligations(views: &[Labelled<'_>]) -> usize {
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
    let items = listing.rows(|v| &v.remediation, |i| i.state, |i| item_cells(i, lang, l));
    if !items.is_empty() {
        out.push_str(&table([l.incident, l.id, l.item], items, l, width));
    }
    let obligations = listing.rows(
        |v| &v.obligations,
        |o| o.state,
        |o| obligation_cells(o, lang, l),
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

fn item_cells(item: &ItemView<'_>, lang: Lang, l: &Labels) -> [String; 4] {
    [
        for_terminal(item.item.id.as_str()).into_owned(),
        for_terminal(&with_owner(item.item.title.get(lang), &item.item.owner, l)).into_owned(),
        item.due.map(|d| d.to_string()).unwrap_or_default(),
        days_phrase(item, l),
    ]
}

fn obligation_cells(o: &ObligationView<'_>, lang: Lang, l: &Labels) -> [String; 4] {
    [
        for_terminal(o.obligation.id.as_str()).into_owned(),
        for_terminal(&with_owner(
            o.obligation.title.get(lang),
            &o.obligation.owner,
            l,
        ))
        .into_owned(),
        o.due.to_string(),
        obligation_days(o, l),
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

/// What `check` concluded, for the JSON document and the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every file is valid and nothing is overdue.
    Ok,
    /// Every file is valid and an item or a reporting obligation is overdue.
    Overdue,
    /// A file (or path) has errors: nothing was evaluated.
    Invalid,
}

#[derive(Serialize)]
struct Document<'a> {
    result: Verdict,
    as_of: NaiveDate,
    view: View,
    soon_days: i64,
    files: usize,
    incidents: Option<usize>,
    items: Option<usize>,
    obligations: Option<usize>,
    states: Option<StateCounts>,
    obligation_states: Option<StateCounts>,
    listed: Option<Vec<Listed<'a>>>,
    problems: &'a [Diagnostic],
}

/// Counts per state, every state present, in the order of [`State::ALL`].
struct StateCounts([(State, usize); State::ALL.len()]);

impl Serialize for StateCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (state, n) in &self.0 {
            map.serialize_entry(state.as_str(), n)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Record {
    Remediation,
    Obligation,
}

#[derive(Serialize)]
struct Listed<'a> {
    record: Record,
    incident: &'a Id,
    file: &'a str,
    id: &'a Id,
    title: &'a str,
    owner: Option<&'a str>,
    /// A day for items; a day or a time for obligations.
    due: Option<String>,
    state: State,
    days_left: Option<i64>,
    /// Days past the due day of what is `overdue`: the name the other JSON outputs use.
    days_overdue: Option<i64>,
    /// Obligations only, as in `status --format json`: days past the deadline, whether
    /// `overdue` or `no_record`.
    days_past_due: Option<i64>,
    last_confirmed: Option<NaiveDate>,
    unconfirmed_since_due: bool,
}

/// What the JSON document says about a run.
pub struct Report<'a> {
    pub verdict: Verdict,
    pub as_of: NaiveDate,
    pub view: View,
    pub soon_days: i64,
    pub files: usize,
    /// The evaluated incidents; `None` when the input was invalid.
    pub views: Option<&'a [Labelled<'a>]>,
    pub listed: &'a [State],
    pub problems: &'a [Diagnostic],
}

fn listed<'a>(views: &'a [Labelled<'a>], states: &[State], lang: Lang) -> Vec<Listed<'a>> {
    let mut out = Vec::new();
    for (file, view) in views {
        for i in view
            .remediation
            .iter()
            .filter(|i| states.contains(&i.state))
        {
            out.push(Listed {
                record: Record::Remediation,
                incident: &view.incident.id,
                file,
                id: &i.item.id,
                title: i.item.title.get(lang),
                owner: i.item.owner.as_deref(),
                due: i.due.map(|d| d.to_string()),
                state: i.state,
                days_left: i.days_left,
                days_overdue: i.days_overdue,
                days_past_due: None,
                last_confirmed: i.last_confirmed,
                unconfirmed_since_due: i.unconfirmed_since_due,
            });
        }
        for o in view
            .obligations
            .iter()
            .filter(|o| states.contains(&o.state))
        {
            out.push(Listed {
                record: Record::Obligation,
                incident: &view.incident.id,
                file,
                id: &o.obligation.id,
                title: o.obligation.title.get(lang),
                owner: o.obligation.owner.as_deref(),
                due: Some(o.due.to_string()),
                state: o.state,
                days_left: o.days_left,
                days_overdue: o.days_past_due.filter(|_| o.state == State::Overdue),
                days_past_due: o.days_past_due,
                last_confirmed: o.last_confirmed,
                unconfirmed_since_due: o.unconfirmed_since_due,
            });
        }
    }
    out
}

pub fn json(report: &Report<'_>, lang: Lang) -> String {
    let views = report.views;
    let doc = Document {
        result: report.verdict,
        as_of: report.as_of,
        view: report.view,
        soon_days: report.soon_days,
        files: report.files,
        incidents: views.map(<[_]>::len),
        items: views.map(items),
        obligations: views.map(obligations),
        states: views.map(|v| StateCounts(State::ALL.map(|s| (s, items_in(v, s))))),
        obligation_states: views
            .map(|v| StateCounts(State::ALL.map(|s| (s, obligations_in(v, s))))),
        listed: views.map(|v| listed(v, report.listed, lang)),
        problems: report.problems,
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    crate::sanitize::json(s)
}
