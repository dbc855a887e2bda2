//! `export --format ics`: remediation due dates, reporting deadlines (and, if asked, the
//! timeline's events) for a calendar (RFC 5545).
//!
//! Written with the `icalendar` crate, which escapes TEXT values, folds lines at 75 octets
//! without splitting UTF-8 and ends them with CRLF. Around it:
//! - text first goes through [`calendar_text`] (the crate leaves a bare carriage return alone,
//!   which would end the content line);
//! - an all-day entry has DTEND the day after its DTSTART (the crate's `all_day` writes them
//!   equal, which RFC 5545 forbids);
//! - DTSTAMP is the generation time, not the crate's "now", so output is reproducible;
//! - UIDs are made of the incident and item ids, so re-importing updates rather than duplicates.

use chrono::{NaiveDate, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property, Trigger};

use super::export_labels::export_labels;
use super::report::{Options, Report};
use crate::clock::Time;
use crate::date::When;
use crate::evaluate::{EventView, IncidentView, ItemView, ObligationView, State};
use crate::model::Id;
use crate::render::labels::{labels, Labels};
use crate::render::{clock_start, obligation_due, obligation_rule, Shown};
use crate::sanitize::calendar_text;
use crate::text::Text;

/// Percent-encodes everything but unreserved characters, so that the parts of a UID cannot
/// run into each other (`a/b` + `c` and `a` + `b/c` stay apart).
fn uid_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A stable identifier: the same incident and item give the same UID in every export.
pub fn uid(incident: &Id, what: &str, id: &Id) -> String {
    format!(
        "{}/{what}/{}@breachline",
        uid_part(incident.as_str()),
        uid_part(id.as_str())
    )
}

fn ids(ids: &[Id]) -> String {
    ids.iter().map(Id::as_str).collect::<Vec<_>>().join(", ")
}

/// LAST-MODIFIED: when a source last confirmed the status (the start of that day, UTC, as the
/// property must be a UTC date-time).
fn last_modified(e: &mut Event, day: NaiveDate) {
    e.add_property("LAST-MODIFIED", day.format("%Y%m%dT000000Z").to_string());
}

/// An all-day entry from `first` to `last`, both included.
fn all_day(e: &mut Event, first: NaiveDate, last: NaiveDate) {
    e.starts(first);
    // DTEND is exclusive; after 9999-12-31 there is no day iCalendar can write, and DTSTART
    // alone means one day.
    if let Some(end) = last.succ_opt().filter(|&d| d <= crate::clock::LAST_DAY) {
        e.ends(end);
    }
}

/// What every entry has, the parts that differ by kind given: `body` goes between the incident
/// line and the detail, and the summary reads `incident [tag] id: title`, so that entries of
/// two incidents never look alike in a calendar.
struct Entry<'a> {
    what: &'static str,
    id: &'a Id,
    tag: &'a str,
    title: &'a Text,
    body: Vec<String>,
    detail: Option<&'a Text>,
    sources: &'a [Id],
}

/// The event of an entry, without its dates.
fn entry(report: &Report<'_>, held: &Held, view: &IncidentView<'_>, entry: Entry<'_>) -> Event {
    let lang = report.lang;
    let x = export_labels(lang);
    let i = view.incident;
    let mut lines = vec![format!("{} {} — {}", x.incident, i.id, i.title.get(lang))];
    lines.extend(entry.body);
    if let Some(d) = entry.detail {
        lines.push(String::new());
        lines.push(d.get(lang).to_owned());
    }
    if !entry.sources.is_empty() {
        lines.push(format!("{}: {}", x.sources, ids(entry.sources)));
    }
    let mut e = Event::new();
    e.uid(&uid(&i.id, entry.what, entry.id))
        .timestamp(report.provenance.generated_at)
        .summary(&held.text(&calendar_text(&format!(
            "{} [{}] {}: {}",
            i.id,
            entry.tag,
            entry.id,
            entry.title.get(lang)
        ))))
        .description(&held.text(&calendar_text(&lines.join("\n"))))
        .add_property("TRANSP", "TRANSPARENT");
    e
}

/// The state as of the report's day, then the day count and note where there are any.
fn state_lines(report: &Report<'_>, state: &str, extras: [String; 2]) -> Vec<String> {
    let l = labels(report.lang);
    let mut lines = vec![format!(
        "{} ({}): {}",
        l.state,
        crate::render::as_of_phrase(report.provenance.evaluated(), l),
        state
    )];
    lines.extend(extras.into_iter().filter(|extra| !extra.is_empty()));
    lines
}

/// The entry of an item or an obligation: its state as of the day, its days and note, then
/// `own` lines, under its id and title; `date` puts it on the calendar. Last modified when a
/// source last confirmed its status.
fn tracked_entry(
    report: &Report<'_>,
    held: &Held,
    view: &IncidentView<'_>,
    s: &Shown<'_>,
    own: Vec<String>,
    date: impl FnOnce(&mut Event),
) -> Event {
    // The title and text say "done (on time not known)" where that is all the record holds;
    // the property keeps the state's own name for programs.
    let state = s.state_word(labels(report.lang));
    let mut body = state_lines(report, &state, [s.days.clone(), s.note.clone()]);
    body.extend(own);
    let what = Entry {
        what: s.kind,
        id: s.id,
        tag: &state,
        title: s.title,
        body,
        detail: s.detail,
        sources: s.sources,
    };
    let mut e = entry(report, held, view, what);
    e.add_property("X-BREACHLINE-STATE", s.state.as_str());
    date(&mut e);
    if let Some(day) = s.last_confirmed {
        last_modified(&mut e, day);
    }
    e.done()
}

/// An item's own lines: its status, function and due day.
fn item_lines(item: &ItemView<'_>, s: &Shown<'_>, due: NaiveDate, l: &Labels) -> Vec<String> {
    let function = item.item.function.map_or("—", |f| f.as_str());
    vec![format!(
        "{}: {} · {}: {function} · {}: {due}",
        l.status, s.status, l.function, l.due,
    )]
}

fn event_entry(
    report: &Report<'_>,
    held: &Held,
    view: &IncidentView<'_>,
    ev: &EventView<'_>,
) -> Event {
    let l = labels(report.lang);
    let event = ev.event;
    let mut body = vec![format!(
        "{}: {} · {}: {}",
        l.date,
        event.date,
        l.kind,
        event.kind.as_str()
    )];
    match (ev.until, ev.ongoing) {
        (Some(u), _) => body.push(format!("{}: {u}", l.until)),
        (None, true) => body.push(format!("{}: {}", l.until, l.ongoing)),
        (None, false) => {}
    }
    let mut e = entry(
        report,
        held,
        view,
        Entry {
            what: "event",
            id: &event.id,
            tag: event.kind.as_str(),
            title: &event.title,
            body,
            detail: event.detail.as_ref(),
            sources: &event.sources,
        },
    );
    // A span runs from its date to its end (`until`, once reached); a month-only date spans
    // the month, since the day is not known.
    match (event.date, ev.until) {
        (When::Instant(t), Some(When::Instant(u))) => {
            e.starts(t.with_timezone(&Utc)).ends(u.with_timezone(&Utc));
        }
        (When::Instant(t), None) => {
            e.starts(t.with_timezone(&Utc));
        }
        (w, until) => all_day(
            &mut e,
            w.earliest(),
            until.map_or(w.latest(), |u| u.latest().max(w.latest())),
        ),
    }
    e.done()
}

/// Impact figures as published: an all-day entry on each revision's `as_of` day, named
/// `potential@2025-04-15`; the body says whether it is the figure in force on the day.
fn impact_entries(report: &Report<'_>, held: &Held, view: &IncidentView<'_>) -> Vec<Event> {
    let lang = report.lang;
    let l = labels(lang);
    let mut out = Vec::new();
    for (which, label, list) in [
        ("potential", l.potential, &view.revisions.potential),
        ("confirmed", l.confirmed, &view.revisions.confirmed),
    ] {
        for (n, f) in list.iter().enumerate() {
            let fig = f.figure;
            let counts = crate::render::counts_phrase(
                view,
                &crate::render::figure_units(fig),
                fig.up_to,
                lang,
                l,
            );
            let id = Id(format!("{which}@{}", fig.as_of));
            let title = Text::Plain(format!("{label}: {counts}"));
            let mut body = vec![format!(
                "{} {} · {}",
                l.published,
                fig.as_of,
                if n + 1 == list.len() {
                    l.current
                } else {
                    l.earlier_figures
                }
            )];
            if !fig.categories.is_empty() {
                let what = crate::render::categories_phrase(&fig.categories, lang, l);
                body.push(format!("{}: {what}", l.categories));
            }
            for part in &fig.breakdown {
                let part = crate::render::part_phrase(view, part, fig.up_to, lang, l);
                body.push(format!("{}: {part}", l.breakdown));
            }
            let mut e = entry(
                report,
                held,
                view,
                Entry {
                    what: "impact",
                    id: &id,
                    tag: "impact",
                    title: &title,
                    body,
                    detail: fig.detail.as_ref(),
                    sources: &fig.sources,
                },
            );
            all_day(&mut e, fig.as_of.0, fig.as_of.0);
            out.push(e.done());
        }
    }
    out
}

/// An obligation's own lines: its rule (and the law it cites), where its clock starts, its
/// deadline and status.
fn obligation_lines(o: &ObligationView<'_>, s: &Shown<'_>, l: &Labels) -> Vec<String> {
    let mut own = vec![format!("{}: {}", l.rule, obligation_rule(o, l))];
    if let Some(provision) = o.provision() {
        own.push(provision.to_owned());
    }
    own.push(format!("{}: {}", l.clock_starts, clock_start(o, l)));
    own.push(format!(
        "{}: {} · {}: {}",
        l.due,
        obligation_due(o, l),
        l.status,
        s.status
    ));
    own
}

/// A reporting deadline: timed when the deadline has a time of day (in UTC, or floating local
/// time when counted in hours from a bare date), else all-day on the due day. A timed deadline
/// is the end of a half-hour entry, so that calendars show it ending then.
fn deadline(e: &mut Event, due: Time) {
    let slot = chrono::Duration::minutes(30);
    match due {
        Time::Day(d) => all_day(e, d, d),
        Time::Instant(t) => {
            let t = t.with_timezone(&Utc);
            e.starts(t.checked_sub_signed(slot).unwrap_or(t)).ends(t);
        }
        Time::Local(t) => {
            e.starts(t.checked_sub_signed(slot).unwrap_or(t)).ends(t);
        }
    }
}

/// A reminder `days` before the deadline: before the due day's start, or before a timed
/// deadline itself (the entry's end).
///
/// Only for a deadline still ahead on the as-of day (`open` or `due_soon`): nothing is left to
/// remind of once it is done or cancelled, and a reminder before a deadline already past
/// (`overdue`, `no_record`) would fire in the past, or say "due in 7 days" of what is overdue.
///
/// With a target earlier than the deadline (`target_lead` days before it), the reminder comes
/// that much earlier and says so: the target is what reminders follow.
fn remind(
    e: &mut Event,
    days: Option<u16>,
    timed: bool,
    s: &Shown<'_>,
    (incident, target_lead): (&str, i64),
    report: &Report<'_>,
) {
    let Some(days) = days else { return };
    if !matches!(s.state, State::Open | State::DueSoon) {
        return;
    }
    let before = chrono::Duration::days(i64::from(days) + target_lead);
    let related = if timed {
        Trigger::before_end(before)
    } else {
        Trigger::before_start(before)
    };
    let x = export_labels(report.lang);
    // Without the entry's state tag: the state as of the export is not the state when the
    // reminder fires; "due in N days" is what holds then.
    let what = format!("{incident} {}: {}", s.id, s.title.get(report.lang));
    // Its own stable UID and the generation time: the crate would make both up at random.
    let uid = format!("{}/reminder", e.get_uid().unwrap_or_default());
    let when = if target_lead > 0 {
        (x.target_reminder)(i64::from(days), target_lead)
    } else {
        (x.reminder)(days)
    };
    let mut alarm = Alarm::display(&calendar_text(&format!("{when} — {what}")), related);
    alarm.uid(&uid).timestamp(report.provenance.generated_at);
    e.alarm(alarm);
}

pub fn export(report: &Report<'_>, options: Options) -> String {
    let include_events = options.include_events;
    let p = &report.provenance;
    let l = labels(report.lang);
    let held = Held::default();
    let mut cal = Calendar::empty();
    let name = match report.incidents.as_slice() {
        [(_, v)] => format!("breachline: {}", v.incident.id),
        _ => "breachline".to_owned(),
    };
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            format!("-//breachline//breachline {}//EN", p.version),
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        // Held like every text from the input: an id holding the mark's character would
        // otherwise be taken for a mark, and another text put in its place.
        .name(&held.text(&calendar_text(&name)))
        .append_property(Property::new(
            "X-BREACHLINE-AS-OF",
            p.as_of.format("%Y-%m-%d").to_string(),
        ))
        .append_property(Property::new("X-BREACHLINE-VIEW", p.view.as_str()))
        .append_property(Property::new(
            "X-BREACHLINE-GENERATED-AT",
            p.generated_at_rfc3339(),
        ))
        .append_property(Property::new("X-BREACHLINE-VERSION", p.version))
        .append_property(Property::new("X-BREACHLINE-RULES-SHA256", &p.rules_sha256));
    for input in &p.inputs {
        // As `sha256sum` prints it: digest, two spaces, file.
        cal.append_property(Property::new(
            "X-BREACHLINE-INPUT-SHA256",
            held.text(&calendar_text(&format!("{}  {}", input.sha256, input.file))),
        ));
    }
    for (_, view) in &report.incidents {
        for item in &view.remediation {
            let Some(due) = item.due else { continue };
            let s = Shown::item(item, l);
            let own = item_lines(item, &s, due, l);
            let mut e = tracked_entry(report, &held, view, &s, own, |e| all_day(e, due, due));
            let incident = view.incident.id.as_str();
            remind(&mut e, options.remind, false, &s, (incident, 0), report);
            cal.push(e);
        }
        for o in &view.obligations {
            let s = Shown::obligation(o, l);
            let own = obligation_lines(o, &s, l);
            let mut e = tracked_entry(report, &held, view, &s, own, |e| deadline(e, o.due));
            let timed = !matches!(o.due, Time::Day(_));
            let incident = view.incident.id.as_str();
            let lead = o
                .target_day()
                .map_or(0, |t| (o.due_day - t).num_days().max(0));
            remind(&mut e, options.remind, timed, &s, (incident, lead), report);
            cal.push(e);
        }
        if include_events {
            for ev in &view.events {
                cal.push(event_entry(report, &held, view, ev));
            }
            for e in impact_entries(report, &held, view) {
                cal.push(e);
            }
        }
    }
    held.put_back(&cal.to_string())
}

/// Texts longer than this are held out of the calendar writer.
const HOLD_ABOVE: usize = 256;

/// Marks the place of a held text in what the calendar writer wrote.
const HELD: char = '\u{E000}';

/// Long texts kept out of the `icalendar` crate, whose folding takes time with the square of
/// a line's length (a 10 MB title did not finish in a minute). The crate writes a short mark
/// in their place; [`Held::put_back`] unfolds its output, puts each text back escaped as the
/// crate would, and folds every line again in one pass.
#[derive(Default)]
struct Held(std::cell::RefCell<Vec<String>>);

impl Held {
    /// `s` itself, or a mark standing for it. Text holding the mark's character is held too,
    /// so that every mark in the crate's output is one of ours.
    fn text(&self, s: &str) -> String {
        if s.len() <= HOLD_ABOVE && !s.contains(HELD) {
            return s.to_owned();
        }
        let mut held = self.0.borrow_mut();
        held.push(s.to_owned());
        format!("{HELD}{}{HELD}", held.len() - 1)
    }

    fn put_back(&self, written: &str) -> String {
        let held = self.0.borrow();
        let unfolded = written.replace("\r\n ", "");
        let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 70 * 3);
        for line in unfolded.split_terminator("\r\n") {
            let mut whole = String::new();
            let mut parts = line.split(HELD);
            whole.push_str(parts.next().unwrap_or(""));
            while let (Some(index), Some(after)) = (parts.next(), parts.next()) {
                if let Some(text) = index.parse::<usize>().ok().and_then(|i| held.get(i)) {
                    escape_text(&mut whole, text);
                }
                whole.push_str(after);
            }
            fold(&mut out, &whole);
        }
        out
    }
}

/// As the `icalendar` crate escapes a TEXT value (RFC 5545 3.3.11).
fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// Appends `line` folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character, and
/// CR LF; in time linear in its length.
fn fold(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut rest = line;
    let mut room = LIMIT;
    while rest.len() > room {
        let mut at = room;
        while !rest.is_char_boundary(at) {
            at -= 1;
        }
        out.push_str(&rest[..at]);
        out.push_str("\r\n ");
        rest = &rest[at..];
        // The continuation's leading space counts.
        room = LIMIT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_put_back_escaped_and_every_line_is_folded() {
        let held = Held::default();
        let long = format!("a,b;c\\d\n{}", "漏".repeat(1_000));
        let mark = held.text(&long);
        assert_ne!(mark, long);
        assert_eq!(held.text("short"), "short");
        let written = format!("BEGIN:VEVENT\r\nSUMMARY:[x] {mark}\r\nEND:VEVENT\r\n");
        let out = held.put_back(&written);
        assert!(out.lines().all(|l| l.len() <= 76), "{out}");
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(
            unfolded,
            format!(
                "BEGIN:VEVENT\r\nSUMMARY:[x] a\\,b\\;c\\\\d\\n{}\r\nEND:VEVENT\r\n",
                "漏".repeat(1_000)
            )
        );
    }

    #[test]
    fn uids_keep_their_parts_apart() {
        let a = uid(&Id("a/b".into()), "remediation", &Id("c".into()));
        let b = uid(&Id("a".into()), "remediation", &Id("b/c".into()));
        assert_ne!(a, b);
        assert_eq!(
            uid(&Id("iij-secure-mx-2025".into()), "event", &Id("#0".into())),
            "iij-secure-mx-2025/event/%230@breachline"
        );
    }
}
