//! `timeline` as a table for people.

use std::fmt::Write as _;

use crate::evaluate::AsOf;

use super::labels::{labels, Labels};
use super::text_table::TextTable;
use super::{days_cell, heading};
use crate::evaluate::IncidentView;
use crate::sanitize::for_terminal;
use crate::text::Lang;

/// `width`: the terminal's, to wrap the Title column to; `None` into a pipe.
pub fn render(
    views: &[IncidentView<'_>],
    as_of: AsOf,
    lang: Lang,
    color: bool,
    width: Option<usize>,
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
        out.push('\n');
        if view.events.is_empty() {
            let _ = writeln!(out, "{}", l.no_events);
            continue;
        }
        out.push_str(&table(view, lang, l, width));
        out.push_str("\n\n");
        out.push_str(&super::fit::wrap_prose(&intervals(view, l), width));
    }
    out
}

fn table(view: &IncidentView<'_>, lang: Lang, l: &Labels, width: Option<usize>) -> String {
    let mut b = TextTable::new();
    b.push_record([
        l.id,
        l.date,
        l.until,
        l.day,
        l.since_previous,
        l.kind,
        l.title,
    ]);
    for e in &view.events {
        let until = match (e.until, e.ongoing) {
            (Some(u), _) => u.to_string(),
            (None, true) => l.ongoing.to_owned(),
            (None, false) => String::new(),
        };
        b.push_record([
            for_terminal(e.event.id.as_str()).into_owned(),
            e.event.date.to_string(),
            until,
            days_cell(e.since_first),
            e.since_previous.map(days_cell).unwrap_or_default(),
            e.event.kind.as_str().to_owned(),
            for_terminal(e.event.title.get(lang)).into_owned(),
        ]);
    }
    b.fitted(&[TITLE_COLUMN], width)
}

const TITLE_COLUMN: usize = 6;

fn intervals(view: &IncidentView<'_>, l: &Labels) -> String {
    super::key_intervals(view, l)
        .into_iter()
        .map(|(label, interval)| match interval {
            Ok(iv) => format!(
                "{label}: {} ({} → {})\n",
                super::interval_days(iv.days, l),
                for_terminal(iv.from.id.as_str()),
                for_terminal(iv.to.id.as_str()),
            ),
            Err(missing) => format!("{label}: {missing}\n"),
        })
        .collect()
}
