//! `timeline --format markdown`: a CommonMark table to paste into a wiki or a ticket.

use std::fmt::Write as _;

use crate::evaluate::AsOf;

use super::days_cell;
use super::labels::{labels, Labels};
use crate::evaluate::IncidentView;
use crate::model::Id;
use crate::text::Lang;

/// Table cells are escaped by the one Markdown escaper shared with `export`.
pub use crate::sanitize::markdown_cell as cell;

pub fn timeline(views: &[IncidentView<'_>], as_of: AsOf, lang: Lang) -> String {
    let l = labels(lang);
    let mut out = String::new();
    for view in views {
        let i = view.incident;
        let _ = writeln!(
            out,
            "## {} — {}\n",
            cell(i.id.as_str()),
            cell(i.title.get(lang))
        );
        let _ = writeln!(
            out,
            "{} · {} · {}\n",
            cell(i.organization.get(lang)),
            cell(i.service.get(lang)),
            super::as_of_phrase(as_of, l)
        );
        if view.events.is_empty() {
            let _ = writeln!(out, "{}\n", l.no_events);
            continue;
        }
        events(&mut out, view, lang, l, None);
        out.push('\n');
        key_intervals(&mut out, view, l);
        out.push('\n');
    }
    out
}

/// The events as a Markdown table: shared by `timeline --format markdown` and the Markdown
/// export, which adds a column of sources under the label `sources`.
pub fn events(
    out: &mut String,
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    sources: Option<&str>,
) {
    let _ = write!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |",
        l.id, l.date, l.until, l.day, l.since_previous, l.kind, l.title
    );
    if let Some(label) = sources {
        let _ = write!(out, " {label} |");
    }
    out.push_str("\n|---|---|---|--:|--:|---|---|");
    if sources.is_some() {
        out.push_str("---|");
    }
    out.push('\n');
    for e in &view.events {
        let until = match (e.until, e.ongoing) {
            (Some(u), _) => u.to_string(),
            (None, true) => l.ongoing.to_owned(),
            (None, false) => String::new(),
        };
        let _ = write!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(e.event.id.as_str()),
            e.event.date,
            until,
            days_cell(e.since_first),
            e.since_previous.map(days_cell).unwrap_or_default(),
            e.event.kind.as_str(),
            cell(e.event.title.get(lang)),
        );
        if sources.is_some() {
            let _ = write!(out, " {} |", ids(&e.event.sources));
        }
        out.push('\n');
    }
}

/// Ids as a list in a table cell.
pub fn ids(ids: &[Id]) -> String {
    ids.iter()
        .map(|i| cell(i.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key intervals as a Markdown list: shared by `timeline --format markdown` and the
/// Markdown export.
pub fn key_intervals(out: &mut String, view: &IncidentView<'_>, l: &Labels) {
    for (label, interval) in super::key_intervals(view, l) {
        match interval {
            Ok(x) => {
                let _ = writeln!(
                    out,
                    "- {label}: {} ({} → {})",
                    cell(&super::interval_days(x.days, l)),
                    cell(x.from.id.as_str()),
                    cell(x.to.id.as_str())
                );
            }
            Err(missing) => {
                let _ = writeln!(out, "- {label}: {}", cell(missing));
            }
        }
    }
}
