//! Markdown: `timeline --format markdown` (a table to paste into a wiki or a ticket) and
//! `export --format markdown` (a report a reviewer can paste into one).
//!
//! CommonMark with GitHub-style tables. Every text from an incident file goes through
//! [`cell`], so it can neither end a table cell nor start markup; free text is only ever placed
//! after a label, never at the start of a line, so it cannot open a heading or a list either.
//! Links are made only for `http`/`https` source URLs.

use std::fmt::Write as _;

use super::diff::{incidents, of, shown, state};
use super::export_labels::{export_labels, ExportLabels};
use super::labels::{labels, Labels};
use super::report::Report;
use super::status_table::{item_columns, obligation_columns, obligation_summary, summary};
use super::{as_of_phrase, clock_start, days_cell, obligation_due, obligation_rule, Shown};
use crate::diff::{Change, Diff, StateChange};
use crate::evaluate::{AsOf, IncidentView, Revisions, State};
use crate::model::{Count, Id, ImpactFigure};
use crate::sanitize::link_url;
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
            as_of_phrase(as_of, l)
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

/// The events as a Markdown table; the export adds a column of sources under the label
/// `sources`.
fn events(
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
fn ids(ids: &[Id]) -> String {
    ids.iter()
        .map(|i| cell(i.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key intervals as a Markdown list.
fn key_intervals(out: &mut String, view: &IncidentView<'_>, l: &Labels) {
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

/// The Markdown export: every incident, then the provenance.
pub fn export(report: &Report<'_>) -> String {
    let l = labels(report.lang);
    let x = export_labels(report.lang);
    let mut out = String::new();
    if report.incidents.len() > 1 {
        overview(&mut out, report, l, x);
    }
    for (n, (_, view)) in report.incidents.iter().enumerate() {
        if n > 0 {
            out.push_str("\n---\n\n");
        }
        incident(&mut out, view, report, l, x);
    }
    provenance(&mut out, report, l, x);
    out
}

/// Before the incidents of a portfolio: a row per incident, linked to its heading, then a
/// table of contents.
fn overview(out: &mut String, r: &Report<'_>, l: &Labels, x: &ExportLabels) {
    let rows = crate::render::overview(r.incidents.iter().map(|(_, v)| v), r.lang, l);
    let anchors = anchors(rows.iter().map(|row| row.title));
    let _ = writeln!(
        out,
        "# {}\n\n{}\n",
        x.overview,
        cell(&as_of_phrase(r.provenance.evaluated(), l))
    );
    header(
        out,
        &[&[l.incident, l.title][..], &x.overview_columns[..]].concat(),
    );
    let interval = |i: &Result<String, &str>| match i {
        Ok(days) => cell(days),
        Err(missing) => cell(missing),
    };
    for (row, anchor) in rows.iter().zip(&anchors) {
        let _ = writeln!(
            out,
            "| [{}](#{anchor}) | {} | {} | {} | {} | {} | {} |",
            cell(row.id),
            cell(row.title),
            row.overdue,
            row.due_soon,
            row.no_record,
            interval(&row.dwell),
            interval(&row.to_notification),
        );
    }
    let _ = writeln!(out, "\n## {}\n", x.contents);
    for (n, (row, anchor)) in rows.iter().zip(&anchors).enumerate() {
        let _ = writeln!(
            out,
            "{}. [{} — {}](#{anchor})",
            n + 1,
            cell(row.id),
            cell(row.title)
        );
    }
    out.push_str("\n---\n\n");
}

/// The anchors that CommonMark renderers such as GitHub's give the incidents' headings: the
/// heading's text in lower case, without punctuation, spaces as hyphens, and a repeat
/// numbered (`-1`, `-2`).
fn anchors<'a>(titles: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    titles
        .map(|t| {
            let slug: String = t
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
            let n = seen.entry(slug.clone()).or_insert(0);
            let anchor = if *n == 0 { slug } else { format!("{slug}-{n}") };
            *n += 1;
            anchor
        })
        .collect()
}

fn incident(
    out: &mut String,
    view: &IncidentView<'_>,
    r: &Report<'_>,
    l: &Labels,
    x: &ExportLabels,
) {
    let lang = r.lang;
    let i = view.incident;
    let _ = writeln!(out, "# {}\n", cell(i.title.get(lang)));
    let _ = writeln!(
        out,
        "**{}:** {} · **{}:** {} · **{}:** {}  \n**{}:** {} · **{}:** {}\n",
        x.incident,
        cell(i.id.as_str()),
        x.organization,
        cell(i.organization.get(lang)),
        x.service,
        cell(i.service.get(lang)),
        capitalised(l.as_of),
        as_of_phrase(r.provenance.evaluated(), l)
            .trim_start_matches(l.as_of)
            .trim_start(),
        x.reviewed,
        i.reviewed,
    );
    if let Some(s) = &i.summary {
        let _ = writeln!(out, "**{}:** {}\n", x.summary, cell(s.get(lang)));
    }

    impact(out, view, lang, l);
    timeline_section(out, view, lang, l, x);
    tracked(out, view, lang, l, x);
    sources(out, view, lang, x);
}

/// "as of" heads a line here; Japanese has no case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn impact(out: &mut String, view: &IncidentView<'_>, lang: Lang, l: &Labels) {
    let _ = writeln!(out, "## {}\n", l.impact);
    // Each side's figure in force, then its earlier revisions, newest first.
    let mut figures: Vec<(String, &ImpactFigure)> = Vec::new();
    for (label, list) in [
        (l.potential, &view.revisions.potential),
        (l.confirmed, &view.revisions.confirmed),
    ] {
        if let Some(current) = list.last() {
            figures.push((label.to_owned(), current.figure));
        }
        for f in Revisions::history(list).iter().rev() {
            figures.push((format!("{label} ({})", l.earlier_figures), f.figure));
        }
    }
    if figures.is_empty() {
        let _ = writeln!(out, "{}\n", l.unknown);
        return;
    }
    // One column per unit any figure or part shown gives, in the order first given; past a
    // handful of units, one column of counts in words, so that the table grows with the
    // figures written and not with their product with the units.
    let mut units: Vec<&str> = Vec::new();
    let mut seen = foldhash::HashSet::default();
    'units: for (_, f) in &figures {
        let parts = f.breakdown.iter().flat_map(super::part_counts);
        for (unit, _) in super::figure_units(f).into_iter().chain(parts) {
            if seen.insert(unit) {
                units.push(unit);
                if units.len() > MOST_UNIT_COLUMNS {
                    break 'units;
                }
            }
        }
    }
    let columns = units.len() <= MOST_UNIT_COLUMNS;
    out.push('|');
    if columns {
        for unit in &units {
            let _ = write!(out, " | {}", cell(&super::unit_label(view, unit, lang, l)));
        }
    } else {
        let _ = write!(out, " | {}", l.impact);
    }
    let _ = writeln!(out, " | {} | {} |", l.published, l.note);
    out.push_str("|---|");
    out.push_str(&"--:|".repeat(if columns { units.len() } else { 1 }));
    out.push_str("---|---|\n");
    // The cells of one row's counts: per unit column (blank where `blank_unknown` and the
    // unit is not given), or all in one cell.
    let counts = |out: &mut String, given: &[(&str, Option<Count>)], up_to, blank_unknown| {
        if !columns {
            let _ = write!(
                out,
                " {} |",
                cell(&super::counts_phrase(view, given, up_to, lang, l))
            );
            return;
        }
        for unit in &units {
            let c = given.iter().find(|(u, _)| u == unit).and_then(|(_, c)| *c);
            let shown = match c {
                None if blank_unknown => String::new(),
                c => super::figure_count(c, up_to, l),
            };
            let _ = write!(out, " {shown} |");
        }
    };
    for (label, f) in figures {
        let _ = write!(out, "| {label} |");
        counts(out, &super::figure_units(f), f.up_to, false);
        let mut note: Vec<String> = Vec::new();
        if !f.categories.is_empty() {
            let what = super::categories_phrase(&f.categories, lang, l);
            note.push(format!("{}: {}", l.categories, cell(&what)));
        }
        note.extend(f.detail.iter().map(|d| cell(d.get(lang))));
        let _ = writeln!(out, " {} | {} |", f.as_of, note.join(" · "));
        for part in &f.breakdown {
            let what = super::categories_phrase(&part.categories, lang, l);
            let _ = write!(out, "| ↳ {}: {} |", l.breakdown, cell(&what));
            counts(out, &super::part_counts(part), f.up_to, true);
            let detail = part.detail.as_ref().map(|d| cell(d.get(lang)));
            let _ = writeln!(out, " | {} |", detail.unwrap_or_default());
        }
    }
    out.push('\n');
}

/// The most units the impact table gives a column each.
const MOST_UNIT_COLUMNS: usize = 6;

fn timeline_section(
    out: &mut String,
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    x: &ExportLabels,
) {
    let _ = writeln!(out, "## {}\n", x.timeline);
    if view.events.is_empty() {
        let _ = writeln!(out, "{}\n", l.no_events);
        return;
    }
    events(out, view, lang, l, Some(x.sources));
    out.push('\n');
    if any_approximate(view) {
        let _ = writeln!(out, "{}\n", x.approximate_note);
    }
    let _ = writeln!(out, "### {}\n", x.key_intervals);
    key_intervals(out, view, l);
    out.push('\n');
}

fn any_approximate(view: &IncidentView<'_>) -> bool {
    view.events
        .iter()
        .any(|e| e.since_first.approximate || e.since_previous.is_some_and(|d| d.approximate))
}

/// The state as the table shows it: overdue in bold capitals with a warning sign, so that it
/// stands out in any renderer and in plain text.
fn state_cell(state: State) -> String {
    match state {
        State::Overdue => "**⚠ OVERDUE**".to_owned(),
        State::DueSoon => "**due\\_soon**".to_owned(),
        State::NoRecord => "**? no\\_record**".to_owned(),
        s => cell(s.as_str()),
    }
}

/// The header of a table: its column names, then the line that makes it one.
fn header(out: &mut String, columns: &[&str]) {
    let _ = writeln!(out, "| {} |", columns.join(" | "));
    out.push_str(&"|---".repeat(columns.len()));
    out.push_str("|\n");
}

/// The remediation table, then the reporting obligations' (only for incidents that record
/// obligations, as in `status`: silence elsewhere is not a claim that nothing is owed).
fn tracked(out: &mut String, view: &IncidentView<'_>, lang: Lang, l: &Labels, x: &ExportLabels) {
    let items = view.remediation.iter().map(|i| {
        let function = i.item.function.map(|f| f.as_str()).unwrap_or_default();
        let due = i.due.map(|d| d.to_string()).unwrap_or_default();
        row(Shown::item(i, l), [function.to_owned(), due], lang, l)
    });
    let section = (x.remediation, l.no_items, summary(view, l));
    table_section(out, section, &item_columns(l), items.collect(), x);
    if view.incident.obligations.is_empty() {
        return;
    }
    let obligations = view.obligations.iter().map(|o| {
        let own = [
            cell(&obligation_rule(o, l)),
            cell(&clock_start(o, l)),
            obligation_due(o, l),
        ];
        row(Shown::obligation(o, l), own, lang, l)
    });
    let section = (
        l.obligations,
        l.no_clock_started,
        obligation_summary(view, l),
    );
    table_section(
        out,
        section,
        &obligation_columns(l),
        obligations.collect(),
        x,
    );
}

/// A section of items or obligations (its heading, what it says where there are none, and
/// their summary line): their table, its `columns` and the sources, then the summary.
fn table_section(
    out: &mut String,
    (heading, none, summary): (&str, &str, String),
    columns: &[&str],
    rows: Vec<String>,
    x: &ExportLabels,
) {
    let _ = writeln!(out, "## {heading}\n");
    if rows.is_empty() {
        let _ = writeln!(out, "{none}\n");
        return;
    }
    header(out, &[columns, &[x.sources]].concat());
    for row in rows {
        let _ = writeln!(out, "{row}");
    }
    let _ = writeln!(out, "\n{}\n", cell(summary.trim_end()));
}

/// A table row of an item or an obligation: its id and title, the cells of its kind (`own`),
/// then its status, state, days, note and sources.
fn row<const N: usize>(s: Shown<'_>, own: [String; N], lang: Lang, l: &Labels) -> String {
    let state = if s.on_time_unknown {
        cell(&s.state_word(l))
    } else {
        state_cell(s.state)
    };
    let cells = [cell(s.id.as_str()), cell(s.title.get(lang))]
        .into_iter()
        .chain(own)
        .chain([
            cell(s.status),
            state,
            cell(&s.days),
            cell(&s.note),
            ids(s.sources),
        ]);
    format!("| {} |", cells.collect::<Vec<_>>().join(" | "))
}

fn sources(out: &mut String, view: &IncidentView<'_>, lang: Lang, x: &ExportLabels) {
    let i = view.incident;
    if i.sources.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {}\n", x.sources);
    for s in &i.sources {
        let title = cell(s.title.get(lang));
        let linked = match s.url.as_deref().map(|u| (u, link_url(u))) {
            Some((_, Some(url))) => format!("[{title}](<{url}>)"),
            Some((raw, None)) => format!("{title} ({})", cell(raw)),
            None => title,
        };
        let mut line = format!(
            "- **{}**: {linked} — {}",
            cell(s.id.as_str()),
            cell(s.publisher.get(lang))
        );
        if let Some(d) = s.date {
            let _ = write!(line, ", {d}");
        }
        if let Some(d) = &s.detail {
            let _ = write!(line, ". {}", cell(d.get(lang)));
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

fn provenance(out: &mut String, r: &Report<'_>, l: &Labels, x: &ExportLabels) {
    let p = &r.provenance;
    let _ = writeln!(out, "---\n\n## {}\n", x.provenance);
    let _ = writeln!(
        out,
        "{}: {} · {}: {} · {}: {}\n",
        capitalised(l.as_of),
        as_of_phrase(p.evaluated(), l)
            .trim_start_matches(l.as_of)
            .trim_start(),
        x.generated,
        p.generated_at_rfc3339(),
        x.version,
        p.version_and_rules(),
    );
    let _ = writeln!(out, "| {} | SHA-256 |", x.input_file);
    out.push_str("|---|---|\n");
    for input in &p.inputs {
        let _ = writeln!(out, "| {} | `{}` |", cell(&input.file), input.sha256);
    }
    // Our own words, with a code span meant as one.
    let _ = writeln!(out, "\n{}", x.provenance_note);
}

/// `diff --format markdown`: what changed, for a pull-request comment.
pub fn diff(d: &Diff, as_of: AsOf) -> String {
    let l = crate::render::labels::labels(crate::text::Lang::En);
    let mut out = format!(
        "## breachline diff, {}\n\n",
        crate::render::as_of_phrase(as_of, l)
    );
    if d.is_empty() {
        out.push_str("No differences.\n");
        return out;
    }
    for incident in incidents(d) {
        let _ = writeln!(out, "### {}\n", cell(incident.as_str()));
        let changes = of(&d.changes, incident, |c: &Change| &c.incident);
        if !changes.is_empty() {
            out.push_str(
                "| Record | ID | Change | Field | Before | After |\n|---|---|---|---|---|---|\n",
            );
            for c in changes {
                if c.fields.is_empty() {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | | | |",
                        c.record.as_str(),
                        cell(&c.id),
                        c.change.as_str()
                    );
                }
                for f in &c.fields {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} |",
                        c.record.as_str(),
                        cell(&c.id),
                        c.change.as_str(),
                        cell(&f.field),
                        cell(&shown(&f.old)),
                        cell(&shown(&f.new))
                    );
                }
            }
            out.push('\n');
        }
        let states = of(&d.states, incident, |s: &StateChange| &s.incident);
        if !states.is_empty() {
            out.push_str("| Record | ID | State before | State after |\n|---|---|---|---|\n");
            for s in states {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    s.record.as_str(),
                    cell(&s.id),
                    state(s.old),
                    state(s.new)
                );
            }
            out.push('\n');
        }
    }
    out
}
