//! Arbitrary bytes → the loader (decode, limits, parse, validate) → evaluation as of several
//! days → every view, every export and the diagnostics. Besides "no panic, no hang", it checks
//! what must hold for any input: escaped terminal and Markdown output, valid JSON, and that a
//! loaded incident written back as YAML reads back the same.
#![no_main]

use std::path::Path;

use breachline::cli::ExportFormat;
use breachline::diagnostic;
use breachline::evaluate::{evaluate, AsOf, IncidentView, View};
use breachline::load::{load_bytes, LoadOptions, Portfolio};
use breachline::provenance::Provenance;
use breachline::render::formats as export;
use breachline::render::{check, json, markdown, status_table, timeline_table};
use breachline::text::Lang;
use breachline::yaml;
use chrono::{DateTime, NaiveDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions {
        max_file_size: 1 << 20,
        max_entries: 1000,
        digest: true,
        ..LoadOptions::default()
    };
    let doc = load_bytes(Path::new("fuzz.yaml"), data, options);
    for styled in [false, true] {
        let out = diagnostic::render(&doc.diagnostics, styled);
        if !styled {
            assert_terminal_safe(&out);
        }
    }
    let Some(incident) = doc.incident.clone() else {
        return;
    };

    let written = yaml::to_string(&incident).expect("an incident serialises");
    let again = yaml::parse_incident(&written)
        .unwrap_or_else(|e| panic!("written YAML does not read back: {e:?}\n{written}"));
    assert_eq!(
        again, incident,
        "round trip changed the incident:\n{written}"
    );

    let portfolio = Portfolio {
        documents: vec![doc],
        path_problems: Vec::new(),
    };
    let days = [
        NaiveDate::from_ymd_opt(1, 1, 1),
        NaiveDate::from_ymd_opt(9999, 12, 31),
        Some(incident.reviewed.0),
        incident.reviewed.0.checked_add_days(chrono::Days::new(400)),
    ];
    for (n, day) in days.into_iter().flatten().enumerate() {
        let soon_days = [0, 14, i64::from(u16::MAX)][n % 3];
        let as_of = AsOf {
            date: day,
            soon_days,
            view: [View::AsKnown, View::Hindsight][n % 2],
        };
        let view = evaluate(&incident, as_of);
        render_all(&portfolio, &view, as_of, n);
    }
});

/// Every view of one evaluation. The combinations of language, colour and width rotate with
/// `n` so that each input costs a few renderings, not dozens.
fn render_all(portfolio: &Portfolio, view: &IncidentView<'_>, as_of: AsOf, n: usize) {
    let (day, soon_days) = (as_of.date, as_of.soon_days);
    let views = [view.clone()];
    let labelled = vec![("fuzz.yaml", view.clone())];
    let lang = [Lang::En, Lang::Ja][n % 2];
    let color = n % 3 == 2;
    let width = [None, Some(20), Some(80)][n % 3];
    let t = timeline_table::render(&views, as_of, lang, color, width);
    let s = status_table::render(&views, as_of, lang, color, width, &[]);
    let c = check::tables(&labelled, &[], lang, color, width);
    if !color {
        assert_terminal_safe(&t);
        assert_terminal_safe(&s);
        assert_terminal_safe(&c);
    }
    assert_markdown_rows(&markdown::timeline(&views, as_of, lang));
    let report = json::check::Report {
        verdict: json::check::Verdict::Ok,
        as_of: day,
        view: as_of.view,
        soon_days,
        files: 1,
        views: Some(&labelled),
        listed: &[],
        problems: &[],
    };
    for out in [
        json::timeline(&labelled, as_of, lang),
        json::status(&labelled, as_of, lang),
        json::check::json(&report, lang),
    ] {
        serde_json::from_str::<serde_json::Value>(&out).expect("valid JSON");
    }
    let report = export::Report {
        incidents: labelled.clone(),
        provenance: Provenance::new(portfolio, as_of, DateTime::UNIX_EPOCH),
        soon_days,
        lang,
    };
    for &format in ExportFormat::all() {
        let options = export::Options {
            bom: format == ExportFormat::Csv && n % 2 == 0,
            include_events: format == ExportFormat::Ics && n % 2 == 1,
            remind: (n % 3 == 0).then_some(7),
        };
        // VERIS refuses an incident it cannot date (no event shown): a usage error, not a bug.
        let bytes = match export::render(format, &report, options) {
            Ok(bytes) => bytes,
            Err(_) if format == ExportFormat::Veris => continue,
            Err(e) => panic!("{format:?} failed: {e}"),
        };
        if format == ExportFormat::Xlsx {
            continue;
        }
        let text = String::from_utf8(bytes).expect("text exports are UTF-8");
        assert_no_hidden(&text, format);
        match format {
            ExportFormat::Json | ExportFormat::Veris | ExportFormat::Stix => {
                serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
            }
            ExportFormat::Markdown => assert_markdown_rows(&text),
            ExportFormat::Ics => assert_calendar_lines(&text),
            _ => {}
        }
    }
}

/// No export carries a control character beyond line breaks and tab, nor a bidirectional
/// control, raw (issue 12; docs/exports.md, "Hidden characters").
fn assert_no_hidden(out: &str, format: ExportFormat) {
    let bad = out.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert_eq!(bad, None, "{format:?} holds a hidden character raw:\n{out:?}");
}

/// Every unfolded iCalendar line is a property: `NAME:` or `NAME;`, ended by CR LF. Text that
/// could start a line of its own would let an incident write calendar properties.
fn assert_calendar_lines(ics: &str) {
    assert!(
        ics.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "{ics:?}"
    );
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let name_end = line.find([':', ';']).unwrap_or(0);
        let name = &line[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
            "a line that is not a property: {line:?}"
        );
    }
}

/// Without colour, nothing but line breaks may be a control character (no escape sequences,
/// no carriage returns, no bidirectional overrides).
fn assert_terminal_safe(out: &str) {
    let bad = out.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert_eq!(
        bad, None,
        "unescaped character in terminal output:\n{out:?}"
    );
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
