//! The inline SVG timeline of the HTML export: events beside an axis, placed by date.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

use super::esc;
use crate::date::{Day, When, Zone};
use crate::evaluate::{EventView, IncidentView};
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

/// The vertical position of each event: by date, with long gaps compressed.
fn positions(events: &[EventView<'_>]) -> Vec<i64> {
    let mut y = TOP;
    events
        .iter()
        .enumerate()
        .map(|(k, e)| {
            if k > 0 {
                let gap = e.since_previous.map_or(0, |d| d.days.max(0));
                y += ROW + if gap > LONGEST_TO_SCALE { BREAK } else { gap };
            }
            y
        })
        .collect()
}

/// The timeline as a drawing: each event beside a vertical axis, by date, long gaps broken.
pub(super) fn draw(
    out: &mut String,
    view: &IncidentView<'_>,
    lang: Lang,
    l: &Labels,
    x: &ExportLabels,
) {
    let events = &view.events;
    let zone = view.incident.zone();
    let ys = positions(events);
    let height = ys.last().copied().unwrap_or(TOP) + TOP;
    let _ = writeln!(
        out,
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SVG_WIDTH} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(x.timeline)
    );
    // The axis: solid where events are placed by date, dotted and labelled where a long gap
    // has been compressed.
    for (k, e) in events.iter().enumerate().skip(1) {
        let (Some(&y0), Some(&y1)) = (ys.get(k - 1), ys.get(k)) else {
            continue;
        };
        let gap = e.since_previous.unwrap_or(e.since_first);
        if gap.days > LONGEST_TO_SCALE {
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
                    if gap.approximate { "~" } else { "" },
                    (l.days_count)(gap.days)
                ))),
            );
        } else {
            let _ = writeln!(
                out,
                "<line class=\"axis\" x1=\"{AXIS_X}\" y1=\"{y0}\" x2=\"{AXIS_X}\" y2=\"{y1}\"/>"
            );
        }
    }
    let mut previous_date = None;
    for (e, y) in events.iter().zip(&ys) {
        let ev = e.event;
        let date = short_date(ev.date, &zone);
        if previous_date.as_ref() != Some(&date) {
            let _ = write!(
                out,
                "<text class=\"date\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                AXIS_X - 12,
                y + 4,
                esc(&date)
            );
        }
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
        previous_date = Some(date);
    }
    out.push_str("</svg>\n");
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
