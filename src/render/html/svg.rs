//! The inline SVG timeline of the HTML export: events and deadlines beside an axis, placed
//! by date.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

use super::esc;
use crate::date::{Day, When, Zone};
use crate::evaluate::{EventView, IncidentView, State};
use crate::model::EventKind;
use crate::render::export_labels::ExportLabels;
use crate::render::labels::Labels;
use crate::text::Lang;

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
                state: i.standing.state,
                on_time_unknown: crate::render::on_time_unknown(i),
            })
        })
        .chain(view.obligations.iter().map(|o| Mark::Due {
            day: o.due_day,
            id: o.obligation.id.as_str(),
            title: o.obligation.title.get(lang),
            state: o.standing.state,
            on_time_unknown: crate::render::report_on_time_unknown(o),
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
        State::Cancelled | State::NoDeadline | State::Open | State::NotRequired => "#607d8b",
    }
}

/// The timeline as a drawing: each event and deadline beside a vertical axis, by date, long
/// gaps broken.
pub(super) fn draw(
    out: &mut String,
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    x: &ExportLabels,
) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_wide_characters_twice() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdefghij", 10), "abcdefghij");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("漏えい漏えい", 5), "漏え…");
        assert_eq!(truncate("line\nbreak", 20), "line break");
    }
}
