//! Arbitrary bytes → the loader → every view (the tables at several widths), every export and
//! the diagnostics, each checked against the bound of issue 12: no output is more than 20 bytes per input byte plus 1 MiB.
//! Output that grows with the square of the input (a whole line copied per diagnostic, a help
//! repeating every declared id) fails here long before it costs seconds. Time per input is
//! bounded by libFuzzer's `-timeout` (docs/fuzzing.md).
#![no_main]

use std::path::Path;

use breachline::cli::ExportFormat;
use breachline::diagnostic;
use breachline::evaluate::evaluate;
use breachline::evaluate::AsOf;
use breachline::load::{load_bytes, LoadOptions, Portfolio};
use breachline::provenance::Provenance;
use breachline::render::formats as export;
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
    let as_of = AsOf::known(day, 14);
    let view = evaluate(&incident, as_of);
    let views = [view.clone()];
    let labelled = vec![("fuzz.yaml", view)];
    let lang = if input % 2 == 0 { Lang::En } else { Lang::Ja };
    // Tables wrapped to a terminal: a narrow one and a common one, and one the input picks
    // (issue 23: an id that did not wrap made the output grow with the square of the input).
    for width in [20, 80, 20 + input % 200] {
        for (what, out) in [
            (
                "timeline",
                timeline_table::render(&views, as_of, lang, false, Some(width)),
            ),
            (
                "status",
                status_table::render(&views, as_of, lang, false, Some(width), &[]),
            ),
            (
                "check",
                check::tables(&labelled, &[], lang, false, Some(width)),
            ),
        ] {
            assert_bounded(&format!("{what} at width {width}"), input, out.len());
        }
    }
    for (what, out) in [
        ("markdown timeline", markdown::timeline(&views, as_of, lang)),
        ("json timeline", json::timeline(&labelled, as_of, lang)),
        ("json status", json::status(&labelled, as_of, lang)),
    ] {
        assert_bounded(what, input, out.len());
    }
    let portfolio = Portfolio {
        documents: vec![doc],
        path_problems: Vec::new(),
    };
    let report = export::Report {
        incidents: labelled.clone(),
        provenance: Provenance::new(&portfolio, as_of, DateTime::UNIX_EPOCH),
        soon_days: 14,
        lang,
    };
    for format in [
        ExportFormat::Csv,
        ExportFormat::Json,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Ics,
        ExportFormat::Xlsx,
        ExportFormat::Veris,
        ExportFormat::Stix,
    ] {
        let options = export::Options {
            bom: false,
            include_events: format == ExportFormat::Ics,
            remind: (format == ExportFormat::Ics).then_some(7),
        };
        // VERIS refuses an incident it cannot date (no event shown): a usage error, not a bug.
        let Ok(bytes) = export::render(format, &report, options) else {
            assert!(matches!(format, ExportFormat::Veris), "{format:?} failed");
            continue;
        };
        assert_bounded("export", input, bytes.len());
    }
});
