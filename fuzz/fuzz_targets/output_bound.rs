//! Arbitrary bytes → the loader → every view, every export and the diagnostics, each checked
//! against the bound of issue 12: no output is more than 20 bytes per input byte plus 1 MiB.
//! Output that grows with the square of the input (a whole line copied per diagnostic, a help
//! repeating every declared id) fails here long before it costs seconds. Time per input is
//! bounded by libFuzzer's `-timeout` (docs/fuzzing.md).
#![no_main]

use std::path::Path;

use breachline::cli::ExportFormat;
use breachline::diagnostic;
use breachline::evaluate::evaluate;
use breachline::evaluate::AsOf;
use breachline::export::{self, provenance::Provenance};
use breachline::load::{load_bytes, LoadOptions, Portfolio};
use breachline::render::{check, json, markdown, status_table, timeline_table};
use breachline::text::Lang;
use chrono::DateTime;
use libfuzzer_sys::fuzz_target;

fn assert_bounded(what: &str, input: usize, output: usize) {
    assert!(
        output <= 20 * input + (1 << 20),
        "{what}: {output} bytes of output for {input} bytes of input"
    );
}

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions {
        max_file_size: 1 << 20,
        max_entries: 10_000,
        digest: true,
        ..LoadOptions::default()
    };
    let input = data.len();
    let doc = load_bytes(Path::new("fuzz.yaml"), data, options);
    for styled in [false, true] {
        let out = diagnostic::render(&doc.diagnostics, styled);
        assert_bounded("diagnostics", input, out.len());
    }
    let Some(incident) = doc.incident.clone() else {
        return;
    };
    let day = incident.reviewed.0;
    let view = evaluate(
        &incident,
        AsOf {
            date: day,
            soon_days: 14,
        },
    );
    let views = [view.clone()];
    let labelled = vec![("fuzz.yaml", view)];
    let lang = if input % 2 == 0 { Lang::En } else { Lang::Ja };
    for (what, out) in [
        (
            "timeline",
            timeline_table::render(&views, day, lang, false, Some(80)),
        ),
        (
            "status",
            status_table::render(&views, day, lang, false, Some(80), &[]),
        ),
        (
            "check",
            check::tables(&labelled, &[], lang, false, Some(80)),
        ),
        ("markdown timeline", markdown::timeline(&views, day, lang)),
        ("json timeline", json::timeline(&labelled, day, lang)),
        ("json status", json::status(&labelled, day, 14, lang)),
    ] {
        assert_bounded(what, input, out.len());
    }
    let portfolio = Portfolio {
        documents: vec![doc],
        path_problems: Vec::new(),
    };
    let report = export::Report {
        incidents: labelled.clone(),
        provenance: Provenance::new(&portfolio, day, DateTime::UNIX_EPOCH),
        soon_days: 14,
        lang,
    };
    for format in [
        ExportFormat::Csv,
        ExportFormat::Json,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Ics,
    ] {
        let options = export::Options {
            bom: false,
            include_events: format == ExportFormat::Ics,
        };
        let bytes = export::render(format, &report, options).expect("exports render");
        assert_bounded("export", input, bytes.len());
    }
});
