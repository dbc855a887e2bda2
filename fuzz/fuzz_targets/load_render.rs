//! Arbitrary bytes → the loader (decode, limits, parse, validate) → evaluation as of several
//! days → every view and the diagnostics. Besides "no panic, no hang", it checks what must hold
//! for any input: escaped terminal and Markdown output, valid JSON, and that a loaded incident
//! written back as YAML reads back the same.
#![no_main]

use std::path::Path;

use breachline::diagnostic;
use breachline::evaluate::{evaluate, AsOf, IncidentView};
use breachline::load::{load_bytes, LoadOptions};
use breachline::render::{json, markdown, status_table, timeline_table};
use breachline::text::Lang;
use breachline::yaml;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions {
        max_file_size: 1 << 20,
        max_entries: 1000,
    };
    let doc = load_bytes(Path::new("fuzz.yaml"), data, options);
    for styled in [false, true] {
        let out = diagnostic::render(&doc.diagnostics, styled);
        if !styled {
            assert_terminal_safe(&out);
        }
    }
    let Some(incident) = &doc.incident else {
        return;
    };

    let written = yaml::to_string(incident).expect("an incident serialises");
    let again = yaml::parse_incident(&written)
        .unwrap_or_else(|e| panic!("written YAML does not read back: {e:?}\n{written}"));
    assert_eq!(&again, incident, "round trip changed the incident:\n{written}");

    let days = [
        NaiveDate::from_ymd_opt(1, 1, 1),
        NaiveDate::from_ymd_opt(2025, 6, 1),
        NaiveDate::from_ymd_opt(9999, 12, 31),
        Some(incident.reviewed.0),
    ];
    for day in days.into_iter().flatten() {
        for soon_days in [0, 14, i64::from(u16::MAX)] {
            let view = evaluate(incident, AsOf { date: day, soon_days });
            render_all(&view, day, soon_days);
        }
    }
});

fn render_all(view: &IncidentView<'_>, day: NaiveDate, soon_days: i64) {
    let views = [view.clone()];
    let labelled = [("fuzz.yaml", view.clone())];
    for lang in [Lang::En, Lang::Ja] {
        for color in [false, true] {
            let t = timeline_table::render(&views, day, lang, color);
            let s = status_table::render(&views, day, lang, color);
            if !color {
                assert_terminal_safe(&t);
                assert_terminal_safe(&s);
            }
        }
        assert_markdown_rows(&markdown::timeline(&views, day, lang));
        for out in [
            json::timeline(&labelled, day, lang),
            json::status(&labelled, day, soon_days, lang),
        ] {
            serde_json::from_str::<serde_json::Value>(&out).expect("valid JSON");
        }
    }
}

/// Without colour, nothing but line breaks may be a control character (no escape sequences,
/// no carriage returns, no bidirectional overrides).
fn assert_terminal_safe(out: &str) {
    let bad = out.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert_eq!(bad, None, "unescaped character in terminal output:\n{out:?}");
}

/// Every table row has exactly the columns of its header: no cell opened a new one.
fn assert_markdown_rows(out: &str) {
    let mut columns = None;
    for line in out.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let n = unescaped_pipes(line);
        match columns {
            None => columns = Some(n),
            Some(c) => assert_eq!(n, c, "a cell broke its table row: {line:?}\n{out}"),
        }
    }
}

fn unescaped_pipes(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n
}
