//! `export --format html`: one self-contained report to print (A4) or attach.
//!
//! Inline CSS, an inline SVG timeline, no scripts, no fonts, images or styles from elsewhere;
//! a Content-Security-Policy that forbids all of those in case anything slipped through.
//! Every text from an incident file goes through [`html`](crate::sanitize::html); only `http`/`https` source URLs
//! become links. States are coloured and also told apart without colour: by their name, a
//! symbol and the border (overdue: capitals, a warning sign, a heavy border and a marked row).

mod summary;
mod svg;

use std::fmt::Write as _;

use super::export_labels::{export_labels, ExportLabels};
use super::report::Report;
use crate::evaluate::{IncidentView, Revisions, State};
use crate::model::{Id, Incident};
use crate::render::labels::{labels, Labels};
use crate::render::status_table::{item_columns, obligation_columns, obligation_summary, summary};
use crate::render::{clock_start, days_cell, obligation_due, obligation_rule, Shown};
use crate::sanitize::{html as esc, link_url};
use crate::text::{Lang, Text};

/// The report's style sheet, inlined into every report.
const STYLE: &str = include_str!("style.css");

pub fn export(report: &Report<'_>) -> String {
    let lang = report.lang;
    let l = labels(lang);
    let x = export_labels(lang);
    let as_of = crate::render::as_of_phrase(report.provenance.evaluated(), l);
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
        summary::overview(&mut out, report, l, x);
    }
    for (n, (_, view)) in report.incidents.iter().enumerate() {
        incident(&mut out, n, view, report, l, x);
        // The provenance closes the last incident, as its last block: Chromium keeps a block
        // with the one before it (`break-before: avoid`) only between siblings, so outside
        // the article it was left alone on a page whenever the sources filled the one before.
        if n + 1 == report.incidents.len() {
            provenance(&mut out, report, l, x);
        }
        out.push_str("</article>\n");
    }
    if report.incidents.is_empty() {
        provenance(&mut out, report, l, x);
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// An id, escaped, that a line may break only at its own separators (after `-`, `_`, `/`,
/// `.`, `:` or `#`): never `nis2-notifica/tion`. The style sheet keeps the rest whole.
pub(super) fn id_html(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 8);
    let mut chars = id.chars().peekable();
    while let Some(c) = chars.next() {
        out.push_str(&esc(c.encode_utf8(&mut [0; 4])));
        if matches!(c, '-' | '_' | '/' | '.' | ':' | '#') && chars.peek().is_some() {
            out.push_str("<wbr>");
        }
    }
    out
}

/// A date-time (`2025-09-17T10:00:00+02:00`) in a text: a line may break between its day and
/// its time, never inside either. The rest of the text is escaped as it is.
pub(super) fn text_html(s: &str) -> String {
    s.split(' ')
        .map(|word| match word.split_once('T') {
            Some((day, time))
                if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok()
                    && time.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                format!(
                    "<span class=\"nowrap\">{}</span><wbr><span class=\"nowrap\">T{}</span>",
                    esc(day),
                    esc(time)
                )
            }
            _ => esc(word),
        })
        .collect::<Vec<_>>()
        .join(" ")
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
            Some(a) => format!("<a href=\"#{a}\">{}</a>", id_html(id.as_str())),
            None => id_html(id.as_str()),
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
    let phrase = crate::render::as_of_phrase(r.provenance.evaluated(), l);
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
    summary::glance(out, view, r, l, x);
    impact(out, n, view, lang, l);
    timeline(out, n, view, lang, l, x);
    tracked(out, n, view, lang, l, x);
    legend(out, view, x);
    sources(out, n, i, lang, x);
}

/// A CSS string holding any text: every character but letters, digits and spaces as a hex
/// escape, so that no quote, backslash, line break or `</style>` can end it.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        // A space is escaped too: CSS reads one space after a hex escape as the escape's end,
        // so `· as of` lost its space (`·as of`).
        if c.is_alphanumeric() && !c.is_control() {
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
    let phrase = crate::render::as_of_phrase(report.provenance.evaluated(), l);
    let mut css = String::new();
    for (n, (_, v)) in report.incidents.iter().enumerate() {
        let _ = writeln!(
            css,
            "#incident-{n} {{ page: incident-{n}; }}\n@page incident-{n} {{ @top-left {{ content: {}; font-size: 8pt; color: #555; }} }}",
            css_string(&format!("{} · {}", v.incident.id, phrase)),
        );
    }
    // The provenance on the last incident's page: a change of named page is a forced page
    // break, which left the provenance alone on a last, almost blank page.
    if let Some(last) = report.incidents.len().checked_sub(1) {
        let _ = writeln!(css, "footer.provenance {{ page: incident-{last}; }}");
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
    let figures = [
        ("potential", l.potential, &view.revisions.potential),
        ("confirmed", l.confirmed, &view.revisions.confirmed),
    ];
    if figures.iter().all(|(_, _, list)| list.is_empty()) {
        let _ = writeln!(out, "<p>{}</p>\n</section>", esc(l.unknown));
        return;
    }
    out.push_str("<div class=\"figures\">\n");
    for (class, label, list) in figures {
        let Some(current) = list.last() else {
            continue;
        };
        let f = current.figure;
        let _ = writeln!(
            out,
            "<div class=\"figure {class}\">\n<h3>{}</h3>",
            esc(&capitalised(label))
        );
        for (unit, c) in crate::render::figure_units(f) {
            let _ = writeln!(
                out,
                "<div><span class=\"n\">{}</span> {}</div>",
                esc(&crate::render::figure_count(c, f.up_to, l)),
                esc(&crate::render::unit_label(view, unit, lang, l)),
            );
        }
        let _ = writeln!(
            out,
            "<div class=\"small\">{} {} · {}</div>",
            esc(l.published),
            f.as_of,
            source_refs(n, view.incident, &f.sources),
        );
        if let Some(d) = &f.detail {
            let _ = writeln!(out, "<div class=\"detail\">{}</div>", esc(d.get(lang)));
        }
        if !f.categories.is_empty() {
            let _ = writeln!(
                out,
                "<div class=\"categories\">{}: {}</div>",
                esc(l.categories),
                esc(&crate::render::categories_phrase(&f.categories, lang, l))
            );
        }
        if !f.breakdown.is_empty() {
            let _ = writeln!(out, "<div class=\"breakdown\">{}:\n<ul>", esc(l.breakdown));
            for part in &f.breakdown {
                let _ = writeln!(
                    out,
                    "<li>{}</li>",
                    esc(&crate::render::part_phrase(view, part, f.up_to, lang, l))
                );
            }
            out.push_str("</ul>\n</div>\n");
        }
        let history = Revisions::history(list);
        if !history.is_empty() {
            let _ = writeln!(
                out,
                "<div class=\"history\">{}:\n<ul>",
                esc(l.earlier_figures)
            );
            for h in history.iter().rev() {
                let h = h.figure;
                let counts = crate::render::counts_phrase(
                    view,
                    &crate::render::figure_units(h),
                    h.up_to,
                    lang,
                    l,
                );
                let _ = writeln!(
                    out,
                    "<li>{} {}: {} · {}</li>",
                    esc(l.published),
                    h.as_of,
                    esc(&counts),
                    source_refs(n, view.incident, &h.sources),
                );
            }
            out.push_str("</ul>\n</div>\n");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n</section>\n");
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
    svg::draw(out, view, lang, l, x);
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
            (Some(u), _) => text_html(&u.to_string()),
            (None, true) => esc(l.ongoing),
            (None, false) => String::new(),
        };
        let detail = detail(ev.detail.as_ref(), lang);
        let _ = writeln!(
            out,
            "<tr><td class=\"id\">{}</td><td>{}</td><td>{until}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"nowrap\">{}</td><td class=\"title\">{}{detail}</td><td class=\"small refs\">{}</td></tr>",
            id_html(ev.id.as_str()),
            text_html(&ev.date.to_string()),
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

/// A section of items or obligations (its `class`, `heading`, what it says where there are
/// none, and their summary line), then their table: its `columns` and the sources.
fn table_section(
    out: &mut String,
    (class, heading, none, summary): (&str, &str, &str, String),
    columns: &[&str],
    rows: Vec<String>,
    x: &ExportLabels,
) {
    if !section(out, class, heading, rows.is_empty(), none) {
        return;
    }
    let _ = write!(
        out,
        "<p><strong>{}</strong></p>\n<table>\n<thead><tr>",
        esc(summary.trim_end())
    );
    for header in columns.iter().chain([&x.sources]) {
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
        State::NotRequired => "∅",
    }
}

fn state_badge(state: State) -> String {
    format!(
        "<span class=\"state state-{0}\">{1} {0}</span>",
        state.as_str(),
        symbol(state)
    )
}

/// The state's badge; a done item not known to be on time is not badged as plainly done: the
/// badge says so.
fn badge(s: &Shown<'_>, l: &Labels) -> String {
    if s.on_time_unknown {
        format!(
            "<span class=\"state on-time-unknown state-done\">{} done — {}</span>",
            symbol(State::Done),
            esc(l.on_time_unknown)
        )
    } else {
        state_badge(s.state)
    }
}

/// A table row of an item or an obligation: its id and title (with its detail), the cells of
/// its kind (`own`), then its status, state, days, note and sources.
fn row(n: usize, incident: &Incident, s: Shown<'_>, own: &str, lang: Lang, l: &Labels) -> String {
    format!(
        "<tr class=\"{}\"><td class=\"id\">{}</td><td class=\"title\">{}{}</td>{own}<td class=\"nowrap\">{}</td><td>{}</td><td class=\"days\">{}</td><td class=\"small note\">{}</td><td class=\"small refs\">{}</td></tr>",
        s.state.as_str(),
        id_html(s.id.as_str()),
        esc(s.title.get(lang)),
        detail(s.detail, lang),
        s.status,
        badge(&s, l),
        esc(&s.days),
        text_html(&s.note),
        source_refs(n, incident, s.sources),
    )
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

/// The remediation table, then the reporting obligations' (only for incidents that record
/// obligations, as in `status`: silence elsewhere is not a claim that nothing is owed).
fn tracked(
    out: &mut String,
    n: usize,
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    x: &ExportLabels,
) {
    let items = view.remediation.iter().map(|i| {
        let function = i.item.function.map(|f| f.as_str()).unwrap_or_default();
        let due = i.due.map(|d| d.to_string()).unwrap_or_default();
        let own = format!("<td class=\"nowrap\">{function}</td><td class=\"nowrap\">{due}</td>");
        row(n, view.incident, Shown::item(i, l), &own, lang, l)
    });
    let section = ("remediation", x.remediation, l.no_items, summary(view, l));
    table_section(out, section, &item_columns(l), items.collect(), x);
    if view.incident.obligations.is_empty() {
        return;
    }
    let obligations = view.obligations.iter().map(|o| {
        let reference = o
            .provision()
            .map(|r| format!("<div class=\"small\">{}</div>", esc(r)))
            .unwrap_or_default();
        let own = format!(
            "<td class=\"rule\">{}{reference}</td><td>{}</td><td>{}</td>",
            id_html(&obligation_rule(o, l)),
            text_html(&clock_start(o, l)),
            text_html(&obligation_due(o, l)),
        );
        row(n, view.incident, Shown::obligation(o, l), &own, lang, l)
    });
    let summary = obligation_summary(view, l);
    let section = ("obligations", l.obligations, l.no_clock_started, summary);
    table_section(
        out,
        section,
        &obligation_columns(l),
        obligations.collect(),
        x,
    );
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
            id_html(s.id.as_str()),
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
        esc(crate::render::as_of_phrase(p.evaluated(), l).trim_start_matches(l.as_of).trim_start()),
        esc(x.generated),
        esc(&p.generated_at_rfc3339()),
        esc(x.version),
        esc(&p.version_and_rules()),
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
        // No raw space after an escape, where CSS would swallow it.
        assert_eq!(css_string("· a"), "\"\\0000b7\\000020a\"");
    }

    #[test]
    fn ids_and_date_times_break_only_at_their_separators() {
        assert_eq!(id_html("nis2-notification"), "nis2-<wbr>notification");
        assert_eq!(id_html("a<b"), "a&lt;b");
        assert_eq!(id_html("x-"), "x-", "no break after the last character");
        assert_eq!(
            text_html("#1 2025-09-17T10:00:00+02:00"),
            "#1 <span class=\"nowrap\">2025-09-17</span><wbr><span class=\"nowrap\">T10:00:00+02:00</span>"
        );
        assert_eq!(text_html("2025-09-17 <x>"), "2025-09-17 &lt;x&gt;");
    }
}
