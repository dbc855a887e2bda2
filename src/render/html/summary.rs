//! What a reader sees first: the overview of a portfolio, and each incident's at-a-glance
//! section.

use std::fmt::Write as _;

use super::{esc, state_badge};
use crate::evaluate::{IncidentView, State};
use crate::render::export_labels::ExportLabels;
use crate::render::labels::Labels;
use crate::render::report::Report;
use crate::render::status_table::{obligation_summary, summary};
use crate::render::Shown;

/// Before the incidents of a portfolio: a row per incident, linked to its section, with what
/// needs attention, then a table of contents.
pub(super) fn overview(out: &mut String, r: &Report<'_>, l: &Labels, x: &ExportLabels) {
    let rows = crate::render::overview(r.incidents.iter().map(|(_, v)| v), r.lang, l);
    let [overdue, due_soon, no_record, dwell, to_notification] = x.overview_columns;
    let _ = writeln!(
        out,
        "<section class=\"overview\">\n<h1>{} · {}</h1>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(x.overview),
        esc(&crate::render::as_of_phrase(r.provenance.evaluated(), l)),
        esc(l.incident),
        esc(l.title),
        esc(overdue),
        esc(due_soon),
        esc(no_record),
        esc(dwell),
        esc(to_notification),
        esc(x.filed_late),
    );
    let interval = |i: &Result<String, &str>| match i {
        Ok(days) => esc(days),
        Err(missing) => format!("<span class=\"small\">{}</span>", esc(missing)),
    };
    for (n, (row, (_, view))) in rows.iter().zip(&r.incidents).enumerate() {
        let late: Vec<String> = view
            .obligations
            .iter()
            .filter(|o| o.standing.state == State::DoneLate)
            .map(|o| {
                format!(
                    "{} ({})",
                    super::id_html(o.obligation.id.as_str()),
                    esc(&crate::render::obligation_days(o, l))
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td class=\"id\"><a href=\"#incident-{n}\">{}</a></td><td class=\"title\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"small\">{}</td></tr>",
            super::id_html(row.id),
            esc(row.title),
            row.overdue,
            row.due_soon,
            row.no_record,
            interval(&row.dwell),
            interval(&row.to_notification),
            late.join("<br>"),
        );
    }
    let _ = writeln!(
        out,
        "</tbody>\n</table>\n<nav class=\"contents\">\n<h2>{}</h2>\n<ol>",
        esc(x.contents)
    );
    for (n, row) in rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li><a href=\"#incident-{n}\">{} — {}</a></li>",
            esc(row.id),
            esc(row.title)
        );
    }
    out.push_str("</ol>\n</nav>\n</section>\n");
}

/// Page 1: what an auditor asks first. The states counted, every item and obligation that is
/// overdue, has no record or is due soon, and the key intervals, before any detail.
pub(super) fn glance(
    out: &mut String,
    view: &IncidentView<'_>,
    r: &Report<'_>,
    l: &Labels,
    x: &ExportLabels,
) {
    let _ = writeln!(
        out,
        "<section class=\"glance\">\n<h2>{} · {}</h2>\n<p>{}<br>{}</p>",
        esc(x.at_a_glance),
        esc(&crate::render::as_of_phrase(r.provenance.evaluated(), l)),
        esc(summary(view, l).trim_end()),
        esc(obligation_summary(view, l).trim_end()),
    );
    let lang = r.lang;
    // What needs attention, then what was filed or done late: a late filing is on record for
    // an auditor even once it is done.
    let attention = [
        State::Overdue,
        State::NoRecord,
        State::DueSoon,
        State::DoneLate,
    ];
    let mut listed = String::new();
    let items = view.remediation.iter().map(|i| Shown::item(i, l));
    let shown: Vec<Shown<'_>> = items
        .chain(view.obligations.iter().map(|o| Shown::obligation(o, l)))
        .collect();
    for state in attention {
        for s in shown.iter().filter(|s| s.state == state) {
            let _ = writeln!(
                listed,
                "<li>{} <strong class=\"id\">{}</strong> {} — {}</li>",
                state_badge(state),
                super::id_html(s.id.as_str()),
                esc(s.title.get(lang)),
                esc(&s.days),
            );
        }
    }
    if listed.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", esc(x.nothing_needs_attention));
    } else {
        let _ = write!(out, "<ul class=\"attention\">\n{listed}</ul>\n");
    }
    out.push_str("<ul class=\"intervals\">\n");
    for (label, interval) in crate::render::key_intervals(view, l) {
        let value = match interval {
            Ok(i) => esc(&crate::render::interval_days(i.days, l)),
            Err(missing) => esc(missing),
        };
        let _ = writeln!(out, "<li>{}: {value}</li>", esc(label));
    }
    out.push_str("</ul>\n</section>\n");
}
