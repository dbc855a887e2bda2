//! `export --format html`: one self-contained report to print (A4) or attach.
//!
//! Inline CSS, an inline SVG timeline, no scripts, no fonts, images or styles from elsewhere;
//! a Content-Security-Policy that forbids all of those in case anything slipped through.
//! Every text from an incident file goes through [`html`]; only `http`/`https` source URLs
//! become links. States are coloured and also told apart without colour: by their name, a
//! symbol and the border (overdue: capitals, a warning sign, a heavy border and a marked row).

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

use super::labels::{export_labels, ExportLabels};
use super::Report;
use crate::date::{Day, When, Zone};
use crate::evaluate::{EventView, IncidentView, ItemView, ObligationView, State};
use crate::model::ObligationStatus;
use crate::model::{Count, EventKind, Id, ImpactFigure, Incident};
use crate::render::labels::{labels, Labels};
use crate::render::status_table::{item_columns, obligation_columns, obligation_summary, summary};
use crate::render::{
    clock_start, days_cell, days_phrase, item_note, obligation_days, obligation_note,
    obligation_rule, thousands,
};
use crate::sanitize::{html as esc, link_url};
use crate::text::{Lang, Text};

const STYLE: &str = r#"
@page { size: A4; margin: 15mm 14mm 16mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, "Helvetica Neue", Arial, sans-serif;
  font-size: 10pt; line-height: 1.45; color: #1a1a1a; background: #fff; max-width: 182mm; margin: 0 auto; padding: 10mm 0; }
@media print { body { max-width: none; padding: 0; } }
h1 { font-size: 18pt; line-height: 1.2; margin: 0 0 6pt; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #1a1a1a; break-after: avoid; }
h3 { font-size: 10pt; margin: 10pt 0 4pt; break-after: avoid; }
p { margin: 4pt 0; }
a { color: #0b4f9c; }
.kicker { font-size: 8.5pt; letter-spacing: .06em; text-transform: uppercase; color: #555; margin: 0 0 2pt; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 12pt; margin: 6pt 0; }
dl.meta dt { font-weight: 600; color: #444; }
dl.meta dd { margin: 0; }
.summary { white-space: pre-line; margin: 8pt 0; padding: 6pt 9pt; background: #f5f5f5; border-left: 3pt solid #888; }
.figures { display: flex; gap: 8pt; }
.figure { flex: 1; padding: 6pt 9pt; border: 1pt solid #999; border-radius: 3pt; break-inside: avoid; }
.figure.confirmed { border-width: 2pt; border-color: #333; }
.figure h3 { margin: 0 0 2pt; }
.figure .n { font-size: 15pt; font-weight: 700; font-variant-numeric: tabular-nums; }
.small, .detail { font-size: 8.5pt; color: #444; }
.detail { margin-top: 2pt; white-space: pre-line; font-weight: 400; }
td.title { width: 36%; min-width: 12em; }
table { width: 100%; border-collapse: collapse; font-size: 8.8pt; margin: 4pt 0; }
thead { display: table-header-group; }
th, td { text-align: left; vertical-align: top; padding: 3pt 4pt; border-bottom: .5pt solid #bbb; overflow-wrap: break-word; }
/* Free text may hold one long token (a URL, a path, a hash): it breaks anywhere rather than
   widening the page; the other columns keep their words. */
td.title, td.note, td.refs, td.id, .detail, dd, li, p, h1, h2, h3 { overflow-wrap: anywhere; }
td.id { min-width: 5em; }
td.days { min-width: 6.5em; }
td.note { min-width: 9em; }
td.refs { min-width: 6em; }
.glance { margin: 8pt 0; padding: 6pt 9pt; border: 1.5pt solid #1a1a1a; border-radius: 3pt; break-inside: avoid; }
.glance h2 { margin-top: 0; }
.glance ul { margin: 2pt 0 4pt; padding-left: 14pt; }
.glance li { margin: 1pt 0; }
th { background: #ececec; border-bottom: 1pt solid #555; overflow-wrap: normal; }
tr { break-inside: avoid; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.id { font-weight: 600; min-width: 3em; }
.state { display: inline-block; white-space: nowrap; font-weight: 600; padding: 0 4pt; border: 1pt solid; border-radius: 2pt; }
.state-done { color: #1b5e20; background: #e4f3e6; border-color: #2e7d32; }
.state-done.on-time-unknown { color: #37474f; background: #fff; border-color: #2e7d32; border-style: dashed; white-space: normal; }
.state-done_late { color: #4a148c; background: #f3e6f6; border-color: #7b1fa2; }
.state-cancelled { color: #555; background: #f2f2f2; border-color: #999; border-style: dashed; text-decoration: line-through; }
.state-overdue { color: #fff; background: #b71c1c; border: 2pt solid #000; text-transform: uppercase; letter-spacing: .03em; }
.state-due_soon { color: #6d4300; background: #fff1cc; border-color: #b26a00; border-style: double; border-width: 3pt; }
.state-open { color: #263238; background: #fff; border-color: #607d8b; }
.state-no_deadline { color: #555; background: #fff; border-color: #aaa; border-style: dotted; }
.state-no_record { color: #0d4f5c; background: #e0f4f7; border: 1.5pt dashed #00838f; }
tr.overdue td { background: #fdecea; font-weight: 600; }
tr.overdue td:first-child { border-left: 4pt solid #b71c1c; }
.legend { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 8pt; font-size: 8.5pt; margin: 6pt 0; }
.legend dd { margin: 0; color: #444; }
svg.timeline { width: 100%; height: auto; display: block; margin: 4pt 0 8pt; break-inside: avoid; }
svg text { font-family: inherit; font-size: 10px; fill: #1a1a1a; }
svg .date { fill: #333; font-variant-numeric: tabular-nums; }
svg .kind { fill: #555; font-style: italic; }
svg .gap { fill: #666; font-style: italic; font-size: 9px; }
svg .axis { stroke: #444; stroke-width: 1.5; }
svg .break { stroke: #444; stroke-width: 1.5; stroke-dasharray: 2 3; }
ol.sources { padding-left: 16pt; }
ol.sources li { margin: 2pt 0; break-inside: avoid; }
.hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8pt; word-break: break-all; }
footer { margin-top: 18pt; }
article + article, .overview + article { break-before: page; }
"#;

pub fn export(report: &Report<'_>) -> String {
    let lang = report.lang;
    let l = labels(lang);
    let x = export_labels(lang);
    let as_of = report.provenance.as_of_phrase(l);
    let title = match report.incidents.as_slice() {
        [(_, v)] => format!("{} — {} ({as_of})", v.incident.title.get(lang), x.report),
        _ => format!("{} ({as_of})", x.report),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"breachline {}\">\n<title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(report.provenance.version),
        esc(&title),
        running_heads(report, l),
    );
    if report.incidents.len() > 1 {
        overview(&mut out, report, l, x);
    }
    for (n, (_, view)) in report.incidents.iter().enumerate() {
        incident(&mut out, n, view, report, l, x);
    }
    provenance(&mut out, report, l, x);
    out.push_str("</body>\n</html>\n");
    out
}

/// Anchor of a source: by position, since ids are free text.
fn source_anchor(n: usize, incident: &Incident, id: &Id) -> Option<String> {
    incident
        .sources
        .iter()
        .position(|s| &s.id == id)
        .map(|k| format!("src-{n}-{k}"))
}

fn source_refs(n: usize, incident: &Incident, ids: &[Id]) -> String {
    ids.iter()
        .map(|id| match source_anchor(n, incident, id) {
            Some(a) => format!("<a href=\"#{a}\">{}</a>", esc(id.as_str())),
            None => esc(id.as_str()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn incident(
    out: &mut String,
    n: usize,
    view: &IncidentView<'_>,
    r: &Report<'_>,
    l: &Labels,
    x: &ExportLabels,
) {
    let lang = r.lang;
    let i = view.incident;
    let phrase = r.provenance.as_of_phrase(l);
    let as_of = esc(phrase.trim_start_matches(l.as_of).trim_start());
    let _ = write!(
        out,
        "<article id=\"incident-{n}\">\n<header>\n<p class=\"kicker\">{} · {}</p>\n<h1>{}</h1>\n<dl class=\"meta\">\n\
         <dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n\
         <dt>{}</dt><dd><strong>{as_of}</strong></dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
        esc(x.report),
        esc(&phrase),
        esc(i.title.get(lang)),
        esc(x.incident),
        esc(i.id.as_str()),
        esc(x.organization),
        esc(i.organization.get(lang)),
        esc(x.service),
        esc(i.service.get(lang)),
        esc(&capitalised(l.as_of)),
        esc(x.reviewed),
        i.reviewed,
    );
    if let Some(s) = &i.summary {
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", esc(s.get(lang)));
    }
    out.push_str("</header>\n");
    glance(out, view, r, l, x);
    impact(out, n, view, lang, l);
    timeline(out, n, view, lang, l, x);
    remediation(out, n, view, lang, l, x);
    obligations(out, n, view, lang, l, x);
    legend(out, view, x);
    sources(out, n, i, lang, x);
    out.push_str("</article>\n");
}

/// Before the incidents of a portfolio: a row per incident, linked to its section, with what
/// needs attention, then a table of contents.
fn overview(out: &mut String, r: &Report<'_>, l: &Labels, x: &ExportLabels) {
    let rows = crate::render::overview(r.incidents.iter().map(|(_, v)| v), r.lang, l);
    let [overdue, due_soon, no_record, dwell, to_notification] = x.overview_columns;
    let _ = writeln!(
        out,
        "<section class=\"overview\">\n<h1>{} · {}</h1>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(x.overview),
        esc(&r.provenance.as_of_phrase(l)),
        esc(l.incident),
        esc(l.title),
        esc(overdue),
        esc(due_soon),
        esc(no_record),
        esc(dwell),
        esc(to_notification),
    );
    let interval = |i: &Result<String, &str>| match i {
        Ok(days) => esc(days),
        Err(missing) => format!("<span class=\"small\">{}</span>", esc(missing)),
    };
    for (n, row) in rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td class=\"id\"><a href=\"#incident-{n}\">{}</a></td><td class=\"title\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(row.id),
            esc(row.title),
            row.overdue,
            row.due_soon,
            row.no_record,
            interval(&row.dwell),
            interval(&row.to_notification),
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
fn glance(out: &mut String, view: &IncidentView<'_>, r: &Report<'_>, l: &Labels, x: &ExportLabels) {
    let _ = writeln!(
        out,
        "<section class=\"glance\">\n<h2>{} · {}</h2>\n<p>{}<br>{}</p>",
        esc(x.at_a_glance),
        esc(&r.provenance.as_of_phrase(l)),
        esc(summary(view, l).trim_end()),
        esc(obligation_summary(view, l).trim_end()),
    );
    let lang = r.lang;
    let attention = [State::Overdue, State::NoRecord, State::DueSoon];
    let mut listed = String::new();
    for state in attention {
        for i in view.remediation.iter().filter(|i| i.state == state) {
            let _ = writeln!(
                listed,
                "<li>{} <strong>{}</strong> {} — {}</li>",
                state_badge(state),
                esc(i.item.id.as_str()),
                esc(i.item.title.get(lang)),
                esc(&days_phrase(i, l)),
            );
        }
        for o in view.obligations.iter().filter(|o| o.state == state) {
            let _ = writeln!(
                listed,
                "<li>{} <strong>{}</strong> {} — {}</li>",
                state_badge(state),
                esc(o.obligation.id.as_str()),
                esc(o.obligation.title.get(lang)),
                esc(&obligation_days(o, l)),
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

/// A CSS string holding any text: every character but letters, digits and spaces as a hex
/// escape, so that no quote, backslash, line break or `</style>` can end it.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_alphanumeric() && !c.is_control() || c == ' ' {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:06x}", u32::from(c));
        }
    }
    out.push('"');
    out
}

/// Each printed page names its incident and the day and view in its top margin: one named
/// page per incident.
fn running_heads(report: &Report<'_>, l: &Labels) -> String {
    let phrase = report.provenance.as_of_phrase(l);
    let mut css = String::new();
    for (n, (_, v)) in report.incidents.iter().enumerate() {
        let _ = writeln!(
            css,
            "#incident-{n} {{ page: incident-{n}; }}\n@page incident-{n} {{ @top-left {{ content: {}; font-size: 8pt; color: #555; }} }}",
            css_string(&format!("{} · {}", v.incident.id, phrase)),
        );
    }
    css
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn impact(out: &mut String, n: usize, view: &IncidentView<'_>, lang: Lang, l: &Labels) {
    let _ = writeln!(
        out,
        "<section class=\"impact\">\n<h2>{}</h2>",
        esc(l.impact)
    );
    let figures: Vec<(&str, &str, &ImpactFigure)> = [
        ("potential", l.potential, view.potential.map(|f| f.figure)),
        ("confirmed", l.confirmed, view.confirmed.map(|f| f.figure)),
    ]
    .into_iter()
    .filter_map(|(class, label, f)| f.map(|f| (class, label, f)))
    .collect();
    if figures.is_empty() {
        let _ = writeln!(out, "<p>{}</p>\n</section>", esc(l.unknown));
        return;
    }
    let count = |c: Option<Count>| c.map_or(l.unknown.to_owned(), |c| thousands(c.0));
    out.push_str("<div class=\"figures\">\n");
    for (class, label, f) in figures {
        let _ = write!(
            out,
            "<div class=\"figure {class}\">\n<h3>{}</h3>\n<div><span class=\"n\">{}</span> {}</div>\n\
             <div><span class=\"n\">{}</span> {}</div>\n<div class=\"small\">{} {} · {}</div>\n",
            esc(&capitalised(label)),
            esc(&count(f.contracts)),
            esc(l.contracts),
            esc(&count(f.accounts)),
            esc(l.accounts),
            esc(l.published),
            f.as_of,
            source_refs(n, view.incident, &f.sources),
        );
        if let Some(d) = &f.detail {
            let _ = writeln!(out, "<div class=\"detail\">{}</div>", esc(d.get(lang)));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n</section>\n");
}

fn kind_colour(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Compromise => "#c62828",
        EventKind::Detection => "#ef6c00",
        EventKind::Notification => "#6a1b9a",
        EventKind::Disclosure => "#1565c0",
        EventKind::Advisory => "#00838f",
        EventKind::Investigation => "#5d4037",
        EventKind::Containment => "#2e7d32",
        EventKind::Response => "#558b2f",
        EventKind::Other => "#757575",
    }
}

/// The day part of an event date, for the drawing (the table gives it in full).
/// The day beside the axis: for a date-time, the day it falls on in the incident's zone.
fn short_date(w: When, zone: &Zone) -> String {
    match w {
        When::Instant(t) => Day(zone.day_of(t)).to_string(),
        w => w.to_string(),
    }
}

/// Cuts `s` to at most `columns` display columns (wide characters count two), marking a cut;
/// line breaks and other controls become spaces.
fn truncate(s: &str, columns: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if width(&flat) <= columns {
        return flat;
    }
    let mut used = 0;
    let mut out = String::new();
    for c in flat.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn width(s: &str) -> usize {
    s.chars().filter_map(|c| c.width()).sum()
}

// The drawing, in SVG user units (CSS pixels at 100%); it scales to the page width.
const SVG_WIDTH: i64 = 700;
const AXIS_X: i64 = 84;
const TOP: i64 = 16;
/// Vertical distance between two events on the same day.
const ROW: i64 = 17;
/// Up to this many days apart, events are placed by date: one unit per day on top of `ROW`.
const LONGEST_TO_SCALE: i64 = 30;
/// A longer gap is drawn broken, with this height, and labelled with its length.
const BREAK: i64 = 34;
/// What fits beside the axis at 10px: display columns.
const LABEL_COLUMNS: usize = 112;

/// A row of the drawing: an event, or a deadline (a remediation item's due day, a reporting
/// obligation's due day) placed among the events by its day.
enum Mark<'v, 'a> {
    Event(&'v EventView<'a>),
    Due {
        day: chrono::NaiveDate,
        id: &'a str,
        title: &'a str,
        state: State,
        /// Done, but the record does not show it was on time.
        on_time_unknown: bool,
    },
}

impl Mark<'_, '_> {
    fn day(&self, zone: &Zone) -> chrono::NaiveDate {
        match self {
            Mark::Event(e) => e.event.date.earliest_in(zone),
            Mark::Due { day, .. } => *day,
        }
    }
}

/// The events in timeline order with the deadlines merged in: a deadline after the events of
/// its day, since a due day lasts to its end.
fn marks<'v, 'a>(view: &'v IncidentView<'a>, lang: Lang, zone: &Zone) -> Vec<Mark<'v, 'a>> {
    let mut due: Vec<Mark<'v, 'a>> = view
        .remediation
        .iter()
        .filter_map(|i| {
            Some(Mark::Due {
                day: i.due?,
                id: i.item.id.as_str(),
                title: i.item.title.get(lang),
                state: i.state,
                on_time_unknown: crate::render::on_time_unknown(i),
            })
        })
        .chain(view.obligations.iter().map(|o| Mark::Due {
            day: o.due_day,
            id: o.obligation.id.as_str(),
            title: o.obligation.title.get(lang),
            state: o.state,
            on_time_unknown: o.state == State::Done && o.on_time.is_none(),
        }))
        .collect();
    due.sort_by_key(|m| m.day(zone));
    let mut out = Vec::with_capacity(view.events.len() + due.len());
    let mut due = due.into_iter().peekable();
    for e in &view.events {
        let day = e.event.date.earliest_in(zone);
        while let Some(d) = due.next_if(|d| d.day(zone) < day) {
            out.push(d);
        }
        out.push(Mark::Event(e));
    }
    out.extend(due);
    out
}

/// The vertical position of each mark: by date, with long gaps compressed.
fn positions(marks: &[Mark<'_, '_>], zone: &Zone) -> Vec<i64> {
    let mut y = TOP;
    let mut previous = None;
    marks
        .iter()
        .map(|m| {
            let day = m.day(zone);
            if let Some(p) = previous {
                let gap = crate::date::days_between(p, day).max(0);
                y += ROW + if gap > LONGEST_TO_SCALE { BREAK } else { gap };
            }
            previous = Some(day);
            y
        })
        .collect()
}

fn due_colour(state: State) -> &'static str {
    match state {
        State::Overdue => "#b71c1c",
        State::DueSoon => "#b26a00",
        State::Done => "#2e7d32",
        State::DoneLate => "#7b1fa2",
        State::NoRecord => "#00838f",
        State::Cancelled | State::NoDeadline | State::Open => "#607d8b",
    }
}

fn svg(out: &mut String, view: &IncidentView<'_>, lang: Lang, l: &Labels, x: &ExportLabels) {
    let zone = view.incident.zone();
    let marks = marks(view, lang, &zone);
    let ys = positions(&marks, &zone);
    let height = ys.last().copied().unwrap_or(TOP) + TOP;
    let _ = writeln!(
        out,
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SVG_WIDTH} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(x.timeline)
    );
    // The axis: solid where marks are placed by date, dotted and labelled where a long gap
    // has been compressed.
    for k in 1..marks.len() {
        let (Some(&y0), Some(&y1), Some(m0), Some(m1)) =
            (ys.get(k - 1), ys.get(k), marks.get(k - 1), marks.get(k))
        else {
            continue;
        };
        let gap = crate::date::days_between(m0.day(&zone), m1.day(&zone)).max(0);
        if gap > LONGEST_TO_SCALE {
            let approximate = [m0, m1]
                .iter()
                .any(|m| matches!(m, Mark::Event(e) if e.event.date.is_approximate()));
            let mid = (y0 + y1) / 2;
            let _ = writeln!(
                out,
                "<line class=\"axis\" x1=\"{AXIS_X}\" y1=\"{y0}\" x2=\"{AXIS_X}\" y2=\"{}\"/>\
                 <line class=\"break\" x1=\"{AXIS_X}\" y1=\"{}\" x2=\"{AXIS_X}\" y2=\"{}\"/>\
                 <line class=\"axis\" x1=\"{AXIS_X}\" y1=\"{}\" x2=\"{AXIS_X}\" y2=\"{y1}\"/>\
                 <path class=\"axis\" fill=\"none\" d=\"M{} {} l12 -4 M{} {} l12 -4\"/>\
                 <text class=\"gap\" x=\"{}\" y=\"{}\">{}</text>",
                y0 + 8,
                y0 + 8,
                y1 - 8,
                y1 - 8,
                AXIS_X - 6,
                mid - 1,
                AXIS_X - 6,
                mid + 4,
                AXIS_X + 16,
                mid + 4,
                esc(&(x.gap)(&format!(
                    "{}{}",
                    if approximate { "~" } else { "" },
                    (l.days_count)(gap)
                ))),
            );
        } else {
            let _ = writeln!(
                out,
                "<line class=\"axis\" x1=\"{AXIS_X}\" y1=\"{y0}\" x2=\"{AXIS_X}\" y2=\"{y1}\"/>"
            );
        }
    }
    // Spans (`until`) as bars along the axis, to the last mark on or before their end, or to
    // the bottom while ongoing.
    for (k, m) in marks.iter().enumerate() {
        let Mark::Event(e) = m else { continue };
        if e.until.is_none() && !e.ongoing {
            continue;
        }
        let end = e.until.map(|u| u.latest_in(&zone));
        let last = marks
            .iter()
            .enumerate()
            .skip(k)
            .take_while(|(_, n)| end.is_none_or(|end| n.day(&zone) <= end))
            .last()
            .map_or(k, |(j, _)| j);
        let (Some(&y0), Some(&y1)) = (ys.get(k), ys.get(last)) else {
            continue;
        };
        let _ = writeln!(
            out,
            "<rect class=\"span\" x=\"{}\" y=\"{y0}\" width=\"6\" height=\"{}\" rx=\"3\" fill=\"{}\" fill-opacity=\"0.35\"><title>{} {}: {}</title></rect>",
            AXIS_X - 3,
            (y1 - y0).max(6),
            kind_colour(e.event.kind),
            esc(e.event.id.as_str()),
            esc(l.until),
            esc(&e.until.map_or(l.ongoing.to_owned(), |u| u.to_string())),
        );
    }
    let mut previous_date = None;
    for (m, y) in marks.iter().zip(&ys) {
        let date = match m {
            Mark::Event(e) => short_date(e.event.date, &zone),
            Mark::Due { day, .. } => Day(*day).to_string(),
        };
        if previous_date.as_ref() != Some(&date) {
            let _ = write!(
                out,
                "<text class=\"date\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                AXIS_X - 12,
                y + 4,
                esc(&date)
            );
        }
        match m {
            Mark::Event(e) => event_mark(out, e, *y, lang, l),
            Mark::Due {
                id,
                title,
                state,
                on_time_unknown,
                ..
            } => {
                let mut tag = format!("{} · {}", l.due.to_lowercase(), state.as_str());
                if *on_time_unknown {
                    let _ = write!(tag, " — {}", l.on_time_unknown);
                }
                // Not green where the record does not show it was on time.
                let colour = if *on_time_unknown {
                    "#607d8b"
                } else {
                    due_colour(*state)
                };
                let used = width(id) + width(&tag) + 2;
                let _ = writeln!(
                    out,
                    "<g class=\"due\"><title>{} {} ({}): {}</title><path d=\"M{AXIS_X} {} l6 6 l-6 6 l-6 -6 z\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\"/>\
                     <text x=\"{}\" y=\"{}\"><tspan font-weight=\"600\">{}</tspan><tspan class=\"kind\" dx=\"5\" fill=\"{}\">{}</tspan><tspan dx=\"5\">{}</tspan></text></g>",
                    esc(&date),
                    esc(id),
                    esc(&tag),
                    esc(title),
                    y - 6,
                    colour,
                    AXIS_X + 14,
                    y + 4,
                    esc(&truncate(id, 24)),
                    colour,
                    esc(&tag),
                    esc(&truncate(title, LABEL_COLUMNS.saturating_sub(used))),
                );
            }
        }
        previous_date = Some(date);
    }
    out.push_str("</svg>\n");
}

/// An event of the drawing: a dot on the axis, its id, kind (and end) and title.
fn event_mark(out: &mut String, e: &EventView<'_>, y: i64, lang: Lang, l: &Labels) {
    let ev = e.event;
    let mut kind = ev.kind.as_str().to_owned();
    match (e.until, e.ongoing) {
        (Some(u), _) => {
            let _ = write!(kind, ", {} {u}", l.until.to_lowercase());
        }
        (None, true) => {
            let _ = write!(kind, ", {}", l.ongoing);
        }
        (None, false) => {}
    }
    let id = truncate(ev.id.as_str(), 24);
    let title = ev.title.get(lang);
    let used = width(&id) + width(&kind) + 2;
    let _ = writeln!(
        out,
        "<g><title>{} {} ({}): {}</title><circle cx=\"{AXIS_X}\" cy=\"{y}\" r=\"5\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1.5\"/>\
         <text x=\"{}\" y=\"{}\"><tspan font-weight=\"600\">{}</tspan><tspan class=\"kind\" dx=\"5\">{}</tspan><tspan dx=\"5\">{}</tspan></text></g>",
        esc(&ev.date.to_string()),
        esc(ev.id.as_str()),
        esc(&kind),
        esc(title),
        kind_colour(ev.kind),
        AXIS_X + 14,
        y + 4,
        esc(&id),
        esc(&kind),
        esc(&truncate(title, LABEL_COLUMNS.saturating_sub(used))),
    );
}

fn timeline(
    out: &mut String,
    n: usize,
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    x: &ExportLabels,
) {
    if !section(
        out,
        "timeline",
        x.timeline,
        view.events.is_empty(),
        l.no_events,
    ) {
        return;
    }
    svg(out, view, lang, l, x);
    let _ = writeln!(out, "<h3>{}</h3>\n<ul>", esc(x.key_intervals));
    for (label, interval) in crate::render::key_intervals(view, l) {
        let value = match interval {
            Ok(i) => format!(
                "<strong>{}</strong> ({} → {})",
                esc(&crate::render::interval_days(i.days, l)),
                esc(i.from.id.as_str()),
                esc(i.to.id.as_str())
            ),
            Err(missing) => esc(missing),
        };
        let _ = writeln!(out, "<li>{}: {value}</li>", esc(label));
    }
    let _ = writeln!(
        out,
        "</ul>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(l.id),
        esc(l.date),
        esc(l.until),
        esc(l.day),
        esc(l.since_previous),
        esc(l.kind),
        esc(l.title),
        esc(x.sources),
    );
    for e in &view.events {
        let ev = e.event;
        let until = match (e.until, e.ongoing) {
            (Some(u), _) => esc(&u.to_string()),
            (None, true) => esc(l.ongoing),
            (None, false) => String::new(),
        };
        let detail = detail(ev.detail.as_ref(), lang);
        let _ = writeln!(
            out,
            "<tr><td class=\"id\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{until}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"nowrap\">{}</td><td class=\"title\">{}{detail}</td><td class=\"small\">{}</td></tr>",
            esc(ev.id.as_str()),
            esc(&ev.date.to_string()),
            esc(&days_cell(e.since_first)),
            e.since_previous.map(|d| esc(&days_cell(d))).unwrap_or_default(),
            ev.kind.as_str(),
            esc(ev.title.get(lang)),
            source_refs(n, view.incident, &ev.sources),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if view
        .events
        .iter()
        .any(|e| e.since_first.approximate || e.since_previous.is_some_and(|d| d.approximate))
    {
        let _ = writeln!(out, "<p class=\"small\">{}</p>", esc(x.approximate_note));
    }
    out.push_str("</section>\n");
}

/// The detail under a title, if there is one.
fn detail(detail: Option<&Text>, lang: Lang) -> String {
    detail
        .map(|d| format!("<div class=\"detail\">{}</div>", esc(d.get(lang))))
        .unwrap_or_default()
}

/// Opens a section under its heading; where there is nothing to list, says `empty`, closes
/// the section again and returns false.
fn section(out: &mut String, class: &str, heading: &str, is_empty: bool, empty: &str) -> bool {
    let _ = writeln!(
        out,
        "<section class=\"{class}\">\n<h2>{}</h2>",
        esc(heading)
    );
    if is_empty {
        let _ = writeln!(out, "<p>{}</p>\n</section>", esc(empty));
    }
    !is_empty
}

/// The table of remediation items or obligations: their summary line, the table, and the end
/// of the section.
fn state_table(
    out: &mut String,
    summary: &str,
    headers: &[&str],
    rows: impl Iterator<Item = String>,
) {
    let _ = write!(
        out,
        "<p><strong>{}</strong></p>\n<table>\n<thead><tr>",
        esc(summary.trim_end())
    );
    for header in headers {
        let _ = write!(out, "<th>{}</th>", esc(header));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let _ = writeln!(out, "{row}");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn symbol(state: State) -> &'static str {
    match state {
        State::Done => "✓",
        State::DoneLate => "✓",
        State::Cancelled => "✕",
        State::Overdue => "⚠",
        State::DueSoon => "◷",
        State::Open => "○",
        State::NoDeadline => "–",
        State::NoRecord => "?",
    }
}

fn state_badge(state: State) -> String {
    format!(
        "<span class=\"state state-{0}\">{1} {0}</span>",
        state.as_str(),
        symbol(state)
    )
}

/// A done item not known to be on time is not badged as plainly done: the badge says so.
fn item_badge(item: &ItemView<'_>, l: &Labels) -> String {
    if crate::render::on_time_unknown(item) {
        format!(
            "<span class=\"state on-time-unknown state-done\">{} done — {}</span>",
            symbol(State::Done),
            esc(l.on_time_unknown)
        )
    } else {
        state_badge(item.state)
    }
}

fn item_row(n: usize, incident: &Incident, item: &ItemView<'_>, lang: Lang, l: &Labels) -> String {
    let r = item.item;
    let detail = detail(r.detail.as_ref(), lang);
    format!(
        "<tr class=\"{}\"><td class=\"id\">{}</td><td class=\"title\">{}{detail}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td>{}</td><td class=\"days\">{}</td><td class=\"small note\">{}</td><td class=\"small refs\">{}</td></tr>",
        item.state.as_str(),
        esc(r.id.as_str()),
        esc(r.title.get(lang)),
        r.function.map(|f| f.as_str()).unwrap_or_default(),
        item.due.map(|d| d.to_string()).unwrap_or_default(),
        item.known_status.map(|s| s.as_str()).unwrap_or("?"),
        item_badge(item, l),
        esc(&days_phrase(item, l)),
        esc(&item_note(item, l)),
        source_refs(n, incident, &r.sources),
    )
}

fn remediation(
    out: &mut String,
    n: usize,
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    x: &ExportLabels,
) {
    if !section(
        out,
        "remediation",
        x.remediation,
        view.remediation.is_empty(),
        l.no_items,
    ) {
        return;
    }
    state_table(
        out,
        &summary(view, l),
        &[&item_columns(l)[..], &[x.sources]].concat(),
        view.remediation
            .iter()
            .map(|item| item_row(n, view.incident, item, lang, l)),
    );
}

/// What each state means, after the tables that use them; `no_record` only where there are
/// obligations, the only things that can have it.
fn legend(out: &mut String, view: &IncidentView<'_>, x: &ExportLabels) {
    if view.remediation.is_empty() && view.obligations.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section class=\"states\">\n<h3>{}</h3>\n<dl class=\"legend\">",
        esc(x.states)
    );
    for state in State::ALL {
        if state == State::NoRecord && view.obligations.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            state_badge(state),
            esc((x.state_meaning)(state))
        );
    }
    out.push_str("</dl>\n</section>\n");
}

/// Only incidents that record obligations get the section, as in `status`: silence elsewhere
/// is not a claim that nothing is owed.
fn obligations(
    out: &mut String,
    n: usize,
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    x: &ExportLabels,
) {
    if view.incident.obligations.is_empty() {
        return;
    }
    if !section(
        out,
        "obligations",
        l.obligations,
        view.obligations.is_empty(),
        l.no_clock_started,
    ) {
        return;
    }
    state_table(
        out,
        &obligation_summary(view, l),
        &[&obligation_columns(l)[..], &[x.sources]].concat(),
        view.obligations
            .iter()
            .map(|o| obligation_row(n, view.incident, o, lang, l)),
    );
}

fn obligation_row(
    n: usize,
    incident: &Incident,
    o: &ObligationView<'_>,
    lang: Lang,
    l: &Labels,
) -> String {
    let ob = o.obligation;
    let detail = detail(ob.detail.as_ref(), lang);
    let reference = ob
        .rule
        .map(|r| format!("<div class=\"small\">{}</div>", esc(r.reference())))
        .unwrap_or_default();
    format!(
        "<tr class=\"{}\"><td class=\"id\">{}</td><td class=\"title\">{}{detail}</td><td>{}{reference}</td><td>{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td>{}</td><td class=\"days\">{}</td><td class=\"small note\">{}</td><td class=\"small refs\">{}</td></tr>",
        o.state.as_str(),
        esc(ob.id.as_str()),
        esc(ob.title.get(lang)),
        esc(&obligation_rule(o, l)),
        esc(&clock_start(o, l)),
        esc(&o.due.to_string()),
        o.known_status.unwrap_or(ObligationStatus::Unknown).as_str(),
        state_badge(o.state),
        esc(&obligation_days(o, l)),
        esc(&obligation_note(o, l)),
        source_refs(n, incident, &ob.sources),
    )
}

fn sources(out: &mut String, n: usize, incident: &Incident, lang: Lang, x: &ExportLabels) {
    if incident.sources.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section class=\"sources\">\n<h2>{}</h2>\n<ol class=\"sources\">",
        esc(x.sources)
    );
    for (k, s) in incident.sources.iter().enumerate() {
        let title = esc(s.title.get(lang));
        let title = match s.url.as_deref().map(|u| (u, link_url(u))) {
            Some((_, Some(url))) => format!("<a href=\"{}\">{title}</a>", esc(&url)),
            Some((raw, None)) => format!("{title} <span class=\"small\">({})</span>", esc(raw)),
            None => title,
        };
        let date = s.date.map(|d| format!(", {d}")).unwrap_or_default();
        let detail = detail(s.detail.as_ref(), lang);
        let _ = writeln!(
            out,
            "<li id=\"src-{n}-{k}\"><span class=\"id\">{}</span>: {title} — {}{date}{detail}</li>",
            esc(s.id.as_str()),
            esc(s.publisher.get(lang)),
        );
    }
    out.push_str("</ol>\n</section>\n");
}

/// Our own label text, where `backticks` mark a command as in Markdown.
fn code_spans(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(|(k, part)| {
            if k % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

fn provenance(out: &mut String, r: &Report<'_>, l: &Labels, x: &ExportLabels) {
    let p = &r.provenance;
    let _ = writeln!(
        out,
        "<footer class=\"provenance\">\n<h2>{}</h2>\n<dl class=\"meta\">\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n\
         <table>\n<thead><tr><th>{}</th><th>SHA-256</th></tr></thead>\n<tbody>",
        esc(x.provenance),
        esc(&capitalised(l.as_of)),
        esc(p.as_of_phrase(l).trim_start_matches(l.as_of).trim_start()),
        esc(x.generated),
        esc(&p.generated_at_rfc3339()),
        esc(x.version),
        esc(p.version),
        esc(x.input_file),
    );
    for input in &p.inputs {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"hash\">{}</td></tr>",
            esc(&input.file),
            esc(&input.sha256)
        );
    }
    let _ = writeln!(
        out,
        "</tbody>\n</table>\n<p class=\"small\">{}</p>\n</footer>",
        code_spans(x.provenance_note)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_css_string_holds_any_text_without_ending() {
        let s = css_string("R1\"; } </style><script>x</script> \\ \n 事象");
        assert!(s.starts_with('"') && s.ends_with('"'));
        let inner = &s[1..s.len() - 1];
        assert!(!inner.contains(['"', '<', '>', ';', '}', '\n']), "{s}");
        assert!(inner.contains("事象"), "letters stay readable: {s}");
        assert_eq!(css_string("a-b"), "\"a\\00002db\"");
    }

    #[test]
    fn truncation_counts_wide_characters_twice() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdefghij", 10), "abcdefghij");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("漏えい漏えい", 5), "漏え…");
        assert_eq!(truncate("line\nbreak", 20), "line break");
    }
}
