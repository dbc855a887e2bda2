//! `breachline export`: each format on the bundled incident, read back by a real parser of that
//! format; the same facts as `status`; reproducibility; hostile text; and `-o` safety.

use std::fs;

use sha2::{Digest, Sha256};

use crate::util::{breachline, bundled, names, root, run, Output};

/// 2026-11-25T00:00:00Z, the day the bundled incident was reviewed.
const EPOCH: &str = "1795564800";
const AS_OF: &str = "2026-11-25";
const HOSTILE: &str = "tests/fixtures/valid/hostile.yaml";

fn export(args: &[&str]) -> Output {
    run(breachline()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["export", "--as-of", AS_OF])
        .args(args))
}

fn export_bytes(args: &[&str]) -> Vec<u8> {
    let out = breachline()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["export", "--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

pub fn sha256_of(path: &str) -> String {
    Sha256::digest(fs::read(root().join(path)).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The digest of the bundled file changes with every edit of it; the snapshots show a
/// placeholder, after checking that the real digest is there.
fn redact_digest(text: &str) -> String {
    let digest = sha256_of("incidents/secure-mx-2025.yaml");
    assert!(
        text.contains(&digest),
        "the export states the file's SHA-256"
    );
    text.replace(&digest, "[sha256 of incidents/secure-mx-2025.yaml]")
}

/// iCalendar lines are folded at 75 octets, which may split the digest: unfold first.
fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "").replace("\r\n", "\n")
}

fn csv_records(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header = reader.headers().expect("a header row").clone();
    let rows = reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("every row parses and has as many cells as the header");
    (header, rows)
}

fn field<'a>(header: &csv::StringRecord, row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = header.iter().position(|h| h == name).unwrap();
    row.get(i).unwrap()
}

// --- each format on the bundled incident ---------------------------------------------------

#[test]
fn csv_snapshot() {
    let out = export(&["--format", "csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("\"record\",\"incident\","));
    assert!(out.stdout.ends_with("\"\r\n"), "RFC 4180 line ends");
    insta::assert_snapshot!(redact_digest(&out.stdout).replace("\r\n", "\n"));
}

#[test]
fn json_snapshot() {
    let out = export(&["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(redact_digest(&out.stdout));
}

#[test]
fn markdown_snapshot() {
    let out = export(&["--format", "markdown"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(redact_digest(&out.stdout));
}

#[test]
fn markdown_in_japanese_snapshot() {
    let out = export(&["--format", "markdown", "--lang", "ja"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out
        .stdout
        .contains("# IIJセキュアMXサービスにおけるお客様情報の漏えい"));
    insta::assert_snapshot!(redact_digest(&out.stdout));
}

#[test]
fn html_snapshot() {
    let out = export(&["--format", "html"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(redact_digest(&out.stdout));
}

#[test]
fn ics_snapshot() {
    let out = export(&["--format", "ics"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(redact_digest(&unfold(&out.stdout)));
}

// --- read back by parsers --------------------------------------------------------------------

#[test]
fn csv_parses_with_one_row_per_event_and_item_and_the_provenance() {
    let (header, rows) = csv_records(&export_bytes(&["--format", "csv"]));
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        breachline::render::csv::COLUMNS
    );
    let kind = |k: &str| {
        rows.iter()
            .filter(|r| field(&header, r, "record") == k)
            .count()
    };
    assert_eq!(kind("event"), 15);
    assert_eq!(kind("remediation"), 5);
    assert_eq!(kind("obligation"), 3);
    assert_eq!(kind("input"), 1);
    let setting = |key: &str| {
        rows.iter()
            .find(|r| field(&header, r, "record") == "provenance" && field(&header, r, "id") == key)
            .map(|r| field(&header, r, "value").to_owned())
            .unwrap()
    };
    assert_eq!(setting("as_of"), AS_OF);
    assert_eq!(setting("generated_at"), "2026-11-25T00:00:00Z");
    assert_eq!(setting("breachline_version"), env!("CARGO_PKG_VERSION"));
    let input = rows
        .iter()
        .find(|r| field(&header, r, "record") == "input")
        .unwrap();
    assert_eq!(
        field(&header, input, "file"),
        "incidents/secure-mx-2025.yaml"
    );
    assert_eq!(
        field(&header, input, "value"),
        sha256_of("incidents/secure-mx-2025.yaml")
    );
}

#[test]
fn bom_only_when_asked_and_the_csv_still_parses() {
    let plain = export_bytes(&["--format", "csv"]);
    assert!(plain.starts_with(b"\"record\""));
    let bom = export_bytes(&["--format", "csv", "--bom"]);
    assert_eq!(&bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&bom[3..], &plain[..]);
    let (header, rows) = csv_records(&bom[3..]);
    assert_eq!(header.len(), breachline::render::csv::COLUMNS.len());
    assert!(!rows.is_empty());
}

#[test]
fn markdown_is_commonmark_with_whole_tables() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let md = String::from_utf8(export_bytes(&["--format", "markdown"])).unwrap();
    let mut tables = 0;
    let mut header_cells = 0;
    let mut cells = 0;
    let mut in_head = false;
    let mut links = Vec::new();
    for event in Parser::new_ext(&md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::TableHead) => {
                in_head = true;
                header_cells = 0;
            }
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) if in_head => header_cells += 1,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableRow) => {
                assert_eq!(cells, header_cells, "a row as wide as its header")
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::Html(h) | Event::InlineHtml(h) => {
                assert_eq!(&*h, "<br>", "no HTML but line breaks")
            }
            _ => {}
        }
    }
    assert_eq!(
        tables, 5,
        "impact, timeline, remediation, obligations, provenance"
    );
    assert_eq!(links.len(), 12, "sources with a URL are links: {links:?}");
    assert!(links.iter().all(|l| l.starts_with("https://")), "{links:?}");
}

#[test]
fn html_parses_is_self_contained_and_marks_overdue_without_colour() {
    use scraper::{Html, Selector};
    let html = String::from_utf8(export_bytes(&["--format", "html"])).unwrap();
    let doc = Html::parse_document(&html);
    let sel = |s: &str| Selector::parse(s).unwrap();
    assert!(doc
        .select(&sel("script, link, img, iframe, object, embed, [src]"))
        .next()
        .is_none());
    assert!(
        !html.contains("url("),
        "no resources from elsewhere in the CSS"
    );
    let csp = doc
        .select(&sel("meta[http-equiv=Content-Security-Policy]"))
        .next()
        .unwrap();
    assert!(csp
        .value()
        .attr("content")
        .unwrap()
        .starts_with("default-src 'none'"));
    assert_eq!(
        doc.select(&sel("svg.timeline circle")).count(),
        15,
        "one dot per event"
    );
    let gaps: Vec<String> = doc
        .select(&sel("svg.timeline text.gap"))
        .map(|t| t.text().collect())
        .collect();
    // Deadlines are drawn among the events, so the last long gap is broken up by them.
    assert_eq!(gaps, ["~182 days later", "~68 days later"]);
    assert_eq!(
        doc.select(&sel("svg.timeline g.due")).count(),
        6,
        "a marker per deadline: R1-R3 and three reports"
    );
    let overdue: Vec<String> = doc
        .select(&sel("tr.overdue .state"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(
        overdue,
        ["⚠ overdue"],
        "a symbol and the word, not only colour"
    );
    assert!(html.contains("@page { size: A4"));
    let footer: String = doc.select(&sel("footer")).next().unwrap().text().collect();
    assert!(footer.contains(&sha256_of("incidents/secure-mx-2025.yaml")));
    assert!(footer.contains("2026-11-25T00:00:00Z"));
}

#[test]
fn ics_parses_with_all_day_due_dates_and_stable_uids() {
    use icalendar::{Calendar, Component, DatePerhapsTime};
    let ics = String::from_utf8(export_bytes(&["--format", "ics"])).unwrap();
    assert!(
        ics.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "CRLF line ends"
    );
    assert!(
        ics.split("\r\n").all(|l| l.len() <= 75),
        "lines folded at 75 octets"
    );
    let cal: Calendar = ics.parse().unwrap();
    assert_eq!(cal.property_value("X-BREACHLINE-AS-OF"), Some(AS_OF));
    let events: Vec<_> = cal.events().collect();
    let uids: Vec<_> = events.iter().map(|e| e.get_uid().unwrap()).collect();
    assert_eq!(
        uids,
        [
            "iij-secure-mx-2025/remediation/R1@breachline",
            "iij-secure-mx-2025/remediation/R2@breachline",
            "iij-secure-mx-2025/remediation/R3@breachline",
            "iij-secure-mx-2025/obligation/tba-detailed@breachline",
            "iij-secure-mx-2025/obligation/appi-preliminary@breachline",
            "iij-secure-mx-2025/obligation/appi-final@breachline",
        ],
        "items without a due date have no entry"
    );
    let tba = events[3];
    assert_eq!(
        tba.get_summary(),
        Some("iij-secure-mx-2025 [no_record] tba-detailed: Detailed report on the leak of secrecy of communications")
    );
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    // Saturday 2025-05-10, day 30, is an administrative holiday: the deadline is Monday 05-12
    // (Act on Holidays of Administrative Organs art. 2).
    assert_eq!(
        tba.get_start(),
        Some(DatePerhapsTime::Date(day(2025, 5, 12)))
    );
    assert_eq!(tba.get_end(), Some(DatePerhapsTime::Date(day(2025, 5, 13))));
    let r3 = events[2];
    assert_eq!(
        r3.get_summary(),
        Some(
            "iij-secure-mx-2025 [overdue] R3: Implement the multi-layered web application firewall"
        )
    );
    assert_eq!(
        r3.get_start(),
        Some(DatePerhapsTime::Date(day(2025, 7, 31)))
    );
    assert_eq!(
        r3.get_end(),
        Some(DatePerhapsTime::Date(day(2025, 8, 1))),
        "all-day: DTEND is the next day"
    );
    assert_eq!(
        r3.get_timestamp().map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-25T00:00:00+00:00"),
        "DTSTAMP is the generation time"
    );
}

#[test]
fn ics_reminders_spans_timed_ends_and_last_modified() {
    use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
    let ics = String::from_utf8(export_bytes(&["--format", "ics", "--remind", "7"])).unwrap();
    let cal: Calendar = ics.parse().unwrap();
    let events: Vec<_> = cal.events().collect();
    let uid = |e: &&icalendar::Event| e.get_uid().unwrap_or_default().to_owned();
    let r3 = events.iter().find(|e| uid(e).contains("/R3@")).unwrap();
    assert!(r3.get_summary().unwrap().starts_with("iij-secure-mx-2025 "));
    assert_eq!(r3.property_value("LAST-MODIFIED"), Some("20250718T000000Z"));
    // As of 2026-11-25 every deadline is past (R3 overdue, the obligations without a record)
    // or met: a reminder would fire in the past, saying "due in 7 days" of what is overdue.
    assert_eq!(ics.matches("BEGIN:VALARM").count(), 0, "{ics}");
    // As of 2025-05-20, a reminder for each deadline still ahead (R1 open, R2 due soon,
    // appi-final open), none for the one past (appi-preliminary) or without a due day (R4).
    let may = run(breachline().env("SOURCE_DATE_EPOCH", EPOCH).args([
        "export",
        "--format",
        "ics",
        "--remind",
        "7",
        "--as-of",
        "2025-05-20",
        "incidents",
    ]));
    let may = may.stdout;
    assert_eq!(may.matches("BEGIN:VALARM").count(), 3, "{may}");
    assert!(may.contains("TRIGGER;RELATED=START:-PT604800S"));
    for id in ["remediation/R1", "remediation/R2", "obligation/appi-final"] {
        assert!(
            may.contains(&format!("UID:iij-secure-mx-2025/{id}@breachline/reminder")),
            "{id}: {may}"
        );
    }
    assert!(!may.contains("appi-preliminary@breachline/reminder"));
    // The reminder says what is due, without the state the entry had on the day of export.
    let unfolded = may.replace("\r\n ", "");
    let reminder = unfolded
        .lines()
        .find(|l| l.starts_with("DESCRIPTION:Due in 7 days — iij-secure-mx-2025 R2"))
        .expect("R2's reminder");
    assert_eq!(
        reminder,
        "DESCRIPTION:Due in 7 days — iij-secure-mx-2025 R2: Decide whether or not to implement a multi-layered web application firewall"
    );
    let refused = run(breachline().args(["export", "--format", "csv", "--remind", "3"]));
    assert_eq!(refused.code, 2);

    // A span is a range; a timed deadline ends at its time.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("timed.yaml");
    fs::write(
        &file,
        "format: 1\nid: t\ntitle: T\norganization: O\nservice: S\nreviewed: 2025-12-31\n\
         sources: [{id: s, title: T, publisher: P, date: 2025-04-01}]\n\
         events:\n  - {id: c, date: 2025-04-01, until: 2025-04-05, kind: compromise, title: C, sources: [s]}\n\
         \x20 - {id: d, date: 2025-04-10T09:30:00+09:00, kind: detection, title: D, sources: [s]}\n\
         obligations:\n  - {id: G, title: G, rule: gdpr-art33, starts_at: d, sources: [s]}\n",
    )
    .unwrap();
    let ics = String::from_utf8(export_bytes(&[
        "--format",
        "ics",
        "--include-events",
        file.to_str().unwrap(),
    ]))
    .unwrap();
    let cal: Calendar = ics.parse().unwrap();
    let find = |id: &str| {
        cal.components
            .iter()
            .find_map(|c| match c {
                CalendarComponent::Event(e) if e.get_uid().unwrap_or_default().contains(id) => {
                    Some(e.clone())
                }
                _ => None,
            })
            .unwrap()
    };
    let span = find("/event/c@");
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        span.get_start(),
        Some(DatePerhapsTime::Date(day(2025, 4, 1)))
    );
    assert_eq!(span.get_end(), Some(DatePerhapsTime::Date(day(2025, 4, 6))));
    let gdpr = find("/obligation/G@");
    assert!(ics.contains("DTEND:20250413T003000Z"), "{ics}");
    assert!(ics.contains("DTSTART:20250413T000000Z"), "{ics}");
    assert!(gdpr.get_end().is_some());
}

#[test]
fn ics_can_include_the_events() {
    use icalendar::{Calendar, Component, DatePerhapsTime};
    let ics = String::from_utf8(export_bytes(&["--format", "ics", "--include-events"])).unwrap();
    let cal: Calendar = ics.parse().unwrap();
    let events: Vec<_> = cal.events().collect();
    // Items, obligations, events, and the two impact figures on their days.
    assert_eq!(events.len(), 3 + 3 + 15 + 2);
    let month = events
        .iter()
        .find(|e| e.get_uid() == Some("iij-secure-mx-2025/event/optional-feature-ended@breachline"))
        .unwrap();
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        month.get_start(),
        Some(DatePerhapsTime::Date(day(2025, 2, 1)))
    );
    assert_eq!(
        month.get_end(),
        Some(DatePerhapsTime::Date(day(2025, 3, 1))),
        "a month-only date spans the month"
    );
    assert!(events
        .iter()
        .any(|e| e.get_uid() == Some("iij-secure-mx-2025/event/%230@breachline")));
}

#[test]
fn reporting_deadlines_with_a_time_are_timed_calendar_entries() {
    use icalendar::{Calendar, Component};
    let out = breachline()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "export",
            "--as-of",
            "2025-05-01",
            "--format",
            "ics",
            "tests/fixtures/valid/obligations.yaml",
        ])
        .output()
        .unwrap();
    let cal: Calendar = String::from_utf8(out.stdout).unwrap().parse().unwrap();
    // A timed deadline is the end of a half-hour entry.
    let start = |id: &str| {
        let uid = format!("clocks/obligation/{id}@breachline");
        let e = cal
            .events()
            .find(|e| e.get_uid() == Some(uid.as_str()))
            .unwrap_or_else(|| panic!("{uid}"));
        (
            e.property_value("DTSTART").unwrap().to_owned(),
            e.property_value("DTEND").map(str::to_owned),
        )
    };
    assert_eq!(
        start("gdpr"),
        (
            "20250413T000000Z".to_owned(),
            Some("20250413T003000Z".to_owned())
        ),
        "72 hours from 09:30 JST, in UTC"
    );
    assert_eq!(
        start("contract"),
        (
            "20250411T113000".to_owned(),
            Some("20250411T120000".to_owned())
        ),
        "from a bare date: local time, no zone"
    );
    // Day 30 is Saturday 2025-05-10, an administrative holiday: Monday 05-12 (Act on Holidays
    // of Administrative Organs art. 2).
    assert_eq!(
        start("appi-final"),
        ("20250512".to_owned(), Some("20250513".to_owned()))
    );
}

// --- the same evaluation as status ------------------------------------------------------------

/// (record, id, state, days) as `status --format json` gives them.
type Row = (String, String, String, String);

const DAY_KEYS: [&str; 4] = ["days_left", "days_overdue", "days_past_due", "days_late"];

fn json_rows(incident: &serde_json::Value) -> Vec<Row> {
    let mut rows = Vec::new();
    for (record, key) in [
        ("remediation", "remediation"),
        ("obligation", "obligations"),
    ] {
        for i in incident[key].as_array().unwrap() {
            let days = DAY_KEYS
                .map(|k| i[k].as_i64().map(|n| n.to_string()).unwrap_or_default())
                .join("/");
            rows.push((
                record.to_owned(),
                i["id"].as_str().unwrap().to_owned(),
                i["state"].as_str().unwrap().to_owned(),
                days,
            ));
        }
    }
    rows
}

#[test]
fn every_export_shows_the_states_and_days_of_status() {
    let cases = [
        ("incidents/secure-mx-2025.yaml", "2025-05-13"),
        ("incidents/secure-mx-2025.yaml", "2025-06-01"),
        ("incidents/secure-mx-2025.yaml", "2026-11-25"),
        ("tests/fixtures/valid/obligations.yaml", "2025-05-01"),
        ("tests/fixtures/valid/obligations.yaml", "2025-07-01"),
    ];
    let mut records = std::collections::BTreeSet::new();
    for (file, as_of) in cases {
        let status = run(breachline().args(["status", "--as-of", as_of, "--format", "json", file]));
        let status: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
        let mut expected = json_rows(&status["incidents"][0]);
        // status JSON has no days_overdue for obligations: it is days_past_due when overdue.
        for row in &mut expected {
            if row.0 == "obligation" {
                let parts: Vec<&str> = row.3.split('/').collect();
                let overdue = if row.2 == "overdue" { parts[2] } else { "" };
                row.3 = format!("{}/{overdue}/{}/{}", parts[0], parts[2], parts[3]);
            }
        }
        assert!(!expected.is_empty());
        records.extend(expected.iter().map(|r| r.0.clone()));

        let args = |format| ["export", "--as-of", as_of, "--format", format, file];
        let json = run(breachline().args(args("json")));
        let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        let mut from_json = json_rows(&json["incidents"][0]);
        for row in &mut from_json {
            if row.0 == "obligation" {
                let parts: Vec<&str> = row.3.split('/').collect();
                let overdue = if row.2 == "overdue" { parts[2] } else { "" };
                row.3 = format!("{}/{overdue}/{}/{}", parts[0], parts[2], parts[3]);
            }
        }
        assert_eq!(from_json, expected, "json, {file} as of {as_of}");

        let csv = breachline().args(args("csv")).output().unwrap().stdout;
        let (header, rows) = csv_records(&csv);
        let from_csv: Vec<Row> = rows
            .iter()
            .filter(|r| matches!(field(&header, r, "record"), "remediation" | "obligation"))
            .map(|r| {
                (
                    field(&header, r, "record").to_owned(),
                    field(&header, r, "id").to_owned(),
                    field(&header, r, "state").to_owned(),
                    DAY_KEYS.map(|k| field(&header, r, k)).join("/"),
                )
            })
            .collect();
        assert_eq!(from_csv, expected, "csv, {file} as of {as_of}");

        let html = run(breachline().args(args("html"))).stdout;
        let md = run(breachline().args(args("markdown"))).stdout;
        for (_, id, state, _) in &expected {
            let row = html
                .lines()
                .find(|l| {
                    l.contains(&format!(
                        "<td class=\"id\">{}</td>",
                        crate::util::html_id(id)
                    ))
                })
                .unwrap_or_else(|| panic!("html, {file} as of {as_of}: no row {id}"));
            assert!(
                row.starts_with(&format!("<tr class=\"{state}\">"))
                    && row.contains(&format!("state-{state}\">")),
                "html, {file} as of {as_of}: {row}"
            );
            let row = md
                .lines()
                .find(|l| l.starts_with(&format!("| {id} |")))
                .unwrap_or_else(|| panic!("markdown, {file} as of {as_of}: no row {id}"));
            let shown = if state == "overdue" {
                "OVERDUE".to_owned()
            } else {
                state.replace('_', "\\_")
            };
            let cells: Vec<&str> = row.split(" | ").collect();
            assert!(
                cells.iter().any(|c| c
                    .trim_matches('*')
                    .trim_start_matches("? ")
                    .trim_start_matches("⚠ ")
                    == shown),
                "markdown, {file} as of {as_of}: {row}"
            );
        }
    }
    assert_eq!(
        records.into_iter().collect::<Vec<_>>(),
        ["obligation", "remediation"]
    );
}

// --- reproducibility ----------------------------------------------------------------------------

#[test]
fn with_as_of_and_source_date_epoch_two_runs_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["csv", "json", "md", "html", "ics"] {
        let mut files = Vec::new();
        for n in 0..2 {
            let path = dir.path().join(format!("run{n}.{ext}"));
            let out = export(&["-o", path.to_str().unwrap()]);
            assert_eq!(out.code, 0, "{ext}: {}", out.stderr);
            assert_eq!(out.stdout, "", "{ext}: nothing on stdout with -o");
            files.push(fs::read(&path).unwrap());
        }
        assert!(!files[0].is_empty());
        assert_eq!(files[0], files[1], "{ext} differs between runs");
    }
}

#[test]
fn the_generation_time_is_recorded() {
    let out = run(breachline()
        .env("SOURCE_DATE_EPOCH", "0")
        .args(["export", "--as-of", AS_OF, "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["provenance"]["generated_at"], "1970-01-01T00:00:00Z");
    assert_eq!(json["format"], 1);

    let out = run(breachline()
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["export", "--as-of", AS_OF, "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let at = json["provenance"]["generated_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(at)
            .unwrap()
            .timestamp()
            > 1_700_000_000,
        "without SOURCE_DATE_EPOCH, the clock: {at}"
    );
}

#[test]
fn a_malformed_source_date_epoch_is_refused() {
    let out = run(breachline()
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .args(["export", "--format", "json"]));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("SOURCE_DATE_EPOCH=`yesterday` is not a time"),
        "{}",
        out.stderr
    );
}

// --- hostile text -----------------------------------------------------------------------------

const FORMULA: &str = "=HYPERLINK(\"https://evil.example\",\"x\")";
const SCRIPT_TITLE: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";
const PIPE_TITLE: &str = "pipe | and\nnewline ]]> --> <!--";
const COMMA_TITLE: &str = "Comma, \"quotes\" and; semicolon\nDTSTART:19700101\nX-INJECTED:1";

fn hostile(format: &str) -> Vec<u8> {
    let out = breachline()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "export",
            "--as-of",
            "2025-06-01",
            "--format",
            format,
            HOSTILE,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn hostile_csv_cells_cannot_run_as_formulas_or_split_rows() {
    let (header, rows) = csv_records(&hostile("csv"));
    let row = |record: &str, id: &str| {
        rows.iter()
            .find(|r| field(&header, r, "record") == record && field(&header, r, "id") == id)
            .unwrap_or_else(|| panic!("{record} {id}"))
    };
    assert_eq!(
        field(&header, row("event", "'-2+3"), "title"),
        format!("'{FORMULA}")
    );
    assert_eq!(
        field(&header, row("event", "'-2+3"), "detail"),
        "'\tstarts with a tab"
    );
    assert_eq!(field(&header, row("event", "e2"), "title"), SCRIPT_TITLE);
    assert_eq!(field(&header, row("event", "e3"), "title"), PIPE_TITLE);
    assert_eq!(
        field(&header, row("remediation", "R1"), "title"),
        COMMA_TITLE.replace('\n', "\r\n"),
        "the title's own CR LF, inside one quoted cell"
    );
    assert_eq!(
        field(&header, row("remediation", "'=1+1"), "title"),
        "'-2+3 starts with a minus"
    );
    assert_eq!(
        rows.iter()
            .filter(|r| field(&header, r, "record") == "event")
            .count(),
        3
    );
    for r in &rows {
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula cell: {cell:?}"
            );
        }
    }
}

#[test]
fn hostile_json_keeps_the_text_exactly() {
    let json: serde_json::Value = serde_json::from_slice(&hostile("json")).unwrap();
    let incident = &json["incidents"][0];
    assert_eq!(
        incident["title"],
        "<script>alert(1)</script> & \"quotes\", commas"
    );
    let titles: Vec<&str> = incident["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, [FORMULA, SCRIPT_TITLE, PIPE_TITLE]);
    assert_eq!(
        incident["remediation"][0]["title"],
        COMMA_TITLE.replace('\n', "\r\n")
    );
}

#[test]
fn hostile_markdown_stays_in_its_cells_and_has_no_html() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let md = String::from_utf8(hostile("markdown")).unwrap();
    let mut text = String::new();
    let mut header_cells = 0;
    let mut cells = 0;
    let mut in_head = false;
    let mut links = Vec::new();
    for event in Parser::new_ext(&md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableHead) => {
                in_head = true;
                header_cells = 0;
            }
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) if in_head => header_cells += 1,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableRow) => assert_eq!(cells, header_cells),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::Start(Tag::Heading { .. }) => text.push_str("\n# "),
            Event::Html(h) | Event::InlineHtml(h) => {
                assert_eq!(&*h, "<br>", "only line breaks are HTML");
                text.push('\n');
            }
            Event::Text(t) => text.push_str(&t),
            _ => {}
        }
    }
    // Rendered, the texts read as written.
    assert!(
        text.contains("# <script>alert(1)</script> & \"quotes\", commas"),
        "{text}"
    );
    assert!(text.contains(FORMULA));
    assert!(text.contains(SCRIPT_TITLE));
    assert!(text.contains(PIPE_TITLE), "{text}");
    assert!(
        text.contains("javascript:alert(document.cookie)"),
        "shown as text"
    );
    assert_eq!(
        links,
        ["https://example.org/a%20b%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"],
        "only the web URL is a link, and it cannot break out"
    );
}

#[test]
fn hostile_html_shows_markup_as_text() {
    use scraper::{Html, Selector};
    let html = String::from_utf8(hostile("html")).unwrap();
    let doc = Html::parse_document(&html);
    let sel = |s: &str| Selector::parse(s).unwrap();
    assert!(
        doc.select(&sel("script, img, [src]")).next().is_none(),
        "no element injected"
    );
    for el in doc.select(&sel("*")) {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler attribute {name}");
            if name == "href" {
                assert!(
                    value.starts_with("https://") || value.starts_with('#'),
                    "link to {value}"
                );
            }
        }
    }
    let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
    assert_eq!(h1, "<script>alert(1)</script> & \"quotes\", commas");
    let body: String = doc.select(&sel("body")).next().unwrap().text().collect();
    assert!(body.contains(SCRIPT_TITLE));
    assert!(body.contains(FORMULA));
    assert!(body.contains("</style><script>x()</script>"));
    assert!(body.contains("javascript:alert(document.cookie)"));
    let style: String = doc.select(&sel("style")).next().unwrap().text().collect();
    assert!(
        !style.contains("script"),
        "the style element was not closed early"
    );
}

#[test]
fn hostile_ics_text_cannot_start_a_property() {
    use icalendar::{Calendar, Component};
    let ics = String::from_utf8(hostile("ics")).unwrap();
    assert!(ics.split_inclusive('\n').all(|l| l.ends_with("\r\n")));
    assert!(
        !ics.replace("\r\n", "").contains('\r'),
        "no bare carriage return"
    );
    let cal: Calendar = ics.parse().unwrap();
    let events: Vec<_> = cal.events().collect();
    assert_eq!(events.len(), 2);
    for e in &events {
        assert!(e.property_value("X-INJECTED").is_none());
    }
    let r1 = events[0];
    assert_eq!(
        r1.get_summary(),
        Some(format!("hostile-2025 [overdue] R1: {COMMA_TITLE}").as_str())
    );
    assert_eq!(r1.property_value("DTSTART"), Some("20250501"));
    assert_eq!(
        events[1].get_uid(),
        Some("hostile-2025/remediation/%3D1%2B1@breachline")
    );
}

#[test]
fn an_event_with_a_time_is_a_timed_calendar_entry_in_utc() {
    use icalendar::{Calendar, Component};
    let out = breachline()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "export",
            "--as-of",
            "2025-06-01",
            "--format",
            "ics",
            "--include-events",
            HOSTILE,
        ])
        .output()
        .unwrap();
    let cal: Calendar = String::from_utf8(out.stdout).unwrap().parse().unwrap();
    let e2 = cal
        .events()
        .find(|e| e.get_uid() == Some("hostile-2025/event/e2@breachline"))
        .unwrap();
    assert_eq!(e2.property_value("DTSTART"), Some("20250410T003000Z"));
    assert_eq!(e2.property_value("DTEND"), None);
}

// --- -o and usage ---------------------------------------------------------------------------------

#[test]
fn the_format_comes_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (file, starts) in [
        ("r.csv", "\"record\""),
        ("r.json", "{"),
        ("r.md", "# "),
        ("r.html", "<!DOCTYPE html>"),
        ("r.ics", "BEGIN:VCALENDAR"),
    ] {
        let path = dir.path().join(file);
        let out = export(&["-o", path.to_str().unwrap()]);
        assert_eq!(out.code, 0, "{file}: {}", out.stderr);
        assert!(
            fs::read_to_string(&path).unwrap().starts_with(starts),
            "{file}"
        );
    }
}

#[test]
fn an_unknown_extension_or_no_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    let out = export(&["-o", path.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cannot tell the export format from the name"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("report.txt"));
    assert!(names(dir.path()).is_empty());

    let out = export(&[]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: say which format to export: --format csv|json|markdown|html|ics|xlsx|veris|stix, or -o FILE ending in .csv, .json, .md, .html, .ics or .xlsx\n"
    );
}

#[test]
fn format_specific_switches_are_refused_elsewhere() {
    let out = export(&["--format", "html", "--bom"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--bom applies to CSV only"),
        "{}",
        out.stderr
    );
    let out = export(&["--format", "csv", "--include-events"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--include-events applies to iCalendar"),
        "{}",
        out.stderr
    );
    let out = export(&["--format", "csv", "--force"]);
    assert_eq!(out.code, 2, "--force needs -o");
}

#[test]
fn an_existing_file_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    fs::write(&path, "precious").unwrap();
    let out = export(&["-o", path.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        format!(
            "error: {} already exists; nothing was written (pass --force to replace it)\n",
            path.display()
        )
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "precious");
    assert_eq!(names(dir.path()), ["report.csv"], "no temporary file left");

    let out = export(&["-o", path.to_str().unwrap(), "--force"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(fs::read_to_string(&path).unwrap().starts_with("\"record\""));
    assert_eq!(names(dir.path()), ["report.csv"]);
}

#[test]
fn a_failed_export_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let out = run(breachline().args([
        "export",
        "-o",
        path.to_str().unwrap(),
        "tests/fixtures/invalid/duplicate-event-id.yaml",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("nothing was rendered"),
        "{}",
        out.stderr
    );
    assert!(
        names(dir.path()).is_empty(),
        "invalid input: no file at all"
    );

    let missing = dir.path().join("no/such/dir/report.html");
    let out = export(&["-o", missing.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with(&format!("error: cannot write {}: ", missing.display())),
        "{}",
        out.stderr
    );
    assert!(names(dir.path()).is_empty());
}

#[test]
fn several_inputs_are_one_export_with_a_digest_each() {
    let minimal = "tests/fixtures/valid/minimal.yaml";
    let json = export_bytes(&["--format", "json", "incidents", minimal]);
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let inputs: Vec<(&str, &str)> = json["provenance"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["file"].as_str().unwrap(), i["sha256"].as_str().unwrap()))
        .collect();
    let bundled = sha256_of("incidents/secure-mx-2025.yaml");
    let small = sha256_of(minimal);
    assert_eq!(
        inputs,
        [
            ("incidents/secure-mx-2025.yaml", bundled.as_str()),
            (minimal, small.as_str())
        ]
    );
    let ids: Vec<&str> = json["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["iij-secure-mx-2025", "example"]);

    let (header, rows) = csv_records(&export_bytes(&["--format", "csv", "incidents", minimal]));
    let inputs: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| field(&header, r, "record") == "input")
        .map(|r| (field(&header, r, "incident"), field(&header, r, "value")))
        .collect();
    assert_eq!(
        inputs,
        [
            ("iij-secure-mx-2025", bundled.as_str()),
            ("example", small.as_str())
        ]
    );

    let html =
        String::from_utf8(export_bytes(&["--format", "html", "incidents", minimal])).unwrap();
    assert_eq!(html.matches("<article id=\"incident-").count(), 2);
    let ics = String::from_utf8(export_bytes(&["--format", "ics", "incidents", minimal])).unwrap();
    assert!(ics.contains("UID:example/remediation/R1@breachline"));
    assert_eq!(ics.matches("X-BREACHLINE-INPUT-SHA256:").count(), 2);
}

/// The portfolio overview (issue #15): exports of several incidents start with a row per
/// incident, linked to its section, before the first incident.
#[test]
fn an_export_of_two_incidents_starts_with_an_overview_naming_both() {
    let minimal = "tests/fixtures/valid/minimal.yaml";
    let export = |format: &str| {
        let out = run(breachline()
            .args(["export", "--as-of", "2026-11-25", "--format", format])
            .arg(bundled())
            .arg(minimal));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let html = export("html");
    let first_section = html.find("<article id=\"incident-0\">").unwrap();
    let overview = &html[..first_section];
    for (n, id) in ["iij-secure-mx-2025", "example"].iter().enumerate() {
        assert!(
            overview.contains(&format!(
                "<a href=\"#incident-{n}\">{}</a>",
                crate::util::html_id(id)
            )),
            "{overview}"
        );
        assert!(html.contains(&format!("<article id=\"incident-{n}\">")));
    }
    assert!(overview.contains("<td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">3</td><td>250 days</td><td>0 days</td>"), "{overview}");

    let md = export("markdown");
    let (overview, rest) = md.split_once("\n---\n").unwrap();
    assert!(overview.starts_with("# Overview\n"), "{overview}");
    assert!(
        overview.contains(
            "| [iij-secure-mx-2025](#customer-information-leak-in-the-iij-secure-mx-service) |"
        ),
        "{overview}"
    );
    assert!(
        overview.contains("| [example](#example-incident) |"),
        "{overview}"
    );
    assert!(rest.contains("# Customer information leak in the IIJ Secure MX Service\n"));

    let single = run(breachline()
        .args(["export", "--format", "html"])
        .arg(bundled()));
    assert!(
        !single.stdout.contains("class=\"overview\""),
        "one incident needs no overview"
    );
}

/// The workbook (issue #14): six sheets, real date cells, states as `status` has them, read
/// back with a spreadsheet reader.
#[test]
fn the_workbook_has_its_sheets_with_dates_as_dates_and_text_as_text() {
    use calamine::{Data, Reader, Xlsx};
    let bytes = export_bytes(&["--format", "xlsx", "incidents"]);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Events",
            "Remediation",
            "Obligations",
            "Impact",
            "Sources",
            "Provenance"
        ]
    );
    let sheet = |book: &mut Xlsx<_>, name: &str| {
        let range = book.worksheet_range(name).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        rows
    };
    let items = sheet(&mut book, "Remediation");
    let col = |name: &str| {
        items[0]
            .iter()
            .position(|c| c == &Data::String(name.into()))
            .unwrap()
    };
    let r3 = items
        .iter()
        .find(|r| r[col("id")] == Data::String("R3".into()))
        .unwrap();
    assert_eq!(r3[col("state")], Data::String("overdue".into()));
    assert_eq!(r3[col("days_overdue")], Data::Float(482.0));
    let due = calamine::DataType::as_datetime(&r3[col("due")]).expect("a date cell");
    assert_eq!(due.date().to_string(), "2025-07-31");
    let r2 = items
        .iter()
        .find(|r| r[col("id")] == Data::String("R2".into()))
        .unwrap();
    assert_eq!(r2[col("on_time")], Data::String("not known".into()));
    assert_eq!(
        r2[col("unconfirmed_since_due")],
        Data::Bool(false),
        "a boolean is the spreadsheet's own"
    );

    let events = sheet(&mut book, "Events");
    let precision: Vec<String> = events.iter().skip(1).map(|r| r[3].to_string()).collect();
    assert!(precision.contains(&"month".to_owned()), "{precision:?}");
    let month = events
        .iter()
        .find(|r| r[3] == Data::String("month".into()))
        .unwrap();
    assert_eq!(
        month[2],
        Data::String("2025-02".into()),
        "a month is not made a day"
    );

    let impact = sheet(&mut book, "Impact");
    assert!(impact.iter().any(|r| r.contains(&Data::Float(4_072_650.0))));
    let summary = sheet(&mut book, "Summary");
    assert_eq!(
        summary.len(),
        2,
        "a header and one row per incident, nothing below"
    );
    let provenance = sheet(&mut book, "Provenance");
    assert!(provenance
        .iter()
        .any(|r| r[0] == Data::String("view".into()) && r[1] == Data::String("as_known".into())));
}

/// Issue 24: each sheet has every column the CSV has for its kind of row (docs/exports.md says
/// so), the owner among them; and the Summary counts every state, late and cancelled too.
#[test]
fn the_workbook_sheets_have_the_csv_columns_and_count_every_state() {
    use calamine::{Data, Reader, Xlsx};
    let args = [
        "incidents",
        "tests/fixtures/owners.yaml",
        "tests/fixtures/valid/obligations.yaml",
    ];
    let mut with = vec!["--format", "csv"];
    with.extend(args);
    let (header, rows) = csv_records(&export_bytes(&with));
    let mut with = vec!["--format", "xlsx"];
    with.extend(args);
    let bytes = export_bytes(&with);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    // The CSV's record kinds and the sheet holding them; the columns named differently
    // there, and those the sheet need not repeat.
    let kinds = [
        ("incident", "Summary"),
        ("event", "Events"),
        ("remediation", "Remediation"),
        ("obligation", "Obligations"),
        ("impact", "Impact"),
        ("impact_part", "Impact"),
        ("source", "Sources"),
        ("provenance", "Provenance"),
        ("input", "Provenance"),
    ];
    let renamed = |kind: &str, column: &str| -> Option<String> {
        match (kind, column) {
            // Every CSV row names its incident in words; a sheet row names it by its id.
            (_, "record" | "incident_title") | ("input", "incident") => None,
            ("incident", "id") => Some("incident".into()),
            ("impact" | "impact_part", "id") => Some("figure".into()),
            ("provenance" | "input", "id") => Some("setting".into()),
            (_, other) => Some(other.into()),
        }
    };
    for (kind, sheet) in kinds {
        let range = book.worksheet_range(sheet).unwrap();
        let head: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        let of_kind: Vec<_> = rows
            .iter()
            .filter(|r| field(&header, r, "record") == kind)
            .collect();
        assert!(!of_kind.is_empty(), "no {kind} row in the CSV");
        for (i, column) in header.iter().enumerate() {
            if of_kind.iter().all(|r| r[i].is_empty()) {
                continue;
            }
            if let Some(name) = renamed(kind, column) {
                assert!(
                    head.contains(&name),
                    "the CSV's {kind} rows have `{column}`, the {sheet} sheet has no `{name}`: {head:?}"
                );
            }
        }
    }
    let sheet = |book: &mut Xlsx<_>, name: &str| -> Vec<Vec<Data>> {
        let range = book.worksheet_range(name).unwrap();
        range.rows().map(<[Data]>::to_vec).collect()
    };
    let items = sheet(&mut book, "Remediation");
    let col = |rows: &[Vec<Data>], name: &str| {
        rows[0]
            .iter()
            .position(|c| c == &Data::String(name.into()))
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let owners: Vec<String> = items
        .iter()
        .skip(1)
        .map(|r| r[col(&items, "owner")].to_string())
        .collect();
    assert!(owners.contains(&"Web team".to_owned()), "{owners:?}");

    // Summary: the items and obligations of `clocks` (one filed late, one cancelled), each
    // counted in its state once.
    let summary = sheet(&mut book, "Summary");
    let bundled = summary
        .iter()
        .find(|r| r[0] == Data::String("clocks".into()))
        .expect("the obligations fixture");
    let n = |name: &str| match &bundled[col(&summary, name)] {
        Data::Float(f) => *f,
        other => panic!("{name}: {other:?}"),
    };
    let states = [
        "overdue",
        "due_soon",
        "no_record",
        "done",
        "done_late",
        "cancelled",
        "open",
        "no_deadline",
    ];
    let total: f64 = states.iter().map(|s| n(s)).sum();
    let out = run(breachline().args([
        "status",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "tests/fixtures/valid/obligations.yaml",
    ]));
    let status: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let every = status["incidents"][0]["remediation"]
        .as_array()
        .unwrap()
        .len()
        + status["incidents"][0]["obligations"]
            .as_array()
            .unwrap()
            .len();
    assert_eq!(
        total, every as f64,
        "every item and obligation counted once"
    );
    assert_eq!(
        n("done_late"),
        1.0,
        "the late filing is counted, apart from done"
    );
    assert_eq!(n("done"), 4.0);
    assert_eq!(n("cancelled"), 1.0, "the cancelled one is counted");
}

#[test]
fn a_formula_like_title_stays_text_in_the_workbook() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.yaml");
    let src = fs::read_to_string(root().join("tests/fixtures/valid/minimal.yaml"))
        .unwrap()
        .replace("title: Fix it", "title: \"=HYPERLINK(\\\"http://x\\\")\"");
    fs::write(&file, src).unwrap();
    let bytes = export_bytes(&["--format", "xlsx", file.to_str().unwrap()]);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Remediation").unwrap();
    let title = range.get((1, 2)).unwrap();
    assert_eq!(title, &Data::String("=HYPERLINK(\"http://x\")".into()));
    assert!(book.worksheet_formula("Remediation").unwrap().is_empty());
}

#[test]
fn the_workbook_is_the_same_bytes_every_time() {
    let once = export_bytes(&["--format", "xlsx", "incidents"]);
    let twice = export_bytes(&["--format", "xlsx", "incidents"]);
    assert!(once.starts_with(b"PK"), "a zip container");
    assert_eq!(once, twice);
}

/// Issue 13: the folder that is missing is named, not a temporary file the user never saw.
#[test]
fn a_missing_output_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(breachline()
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["export", "--as-of", AS_OF, "-o", "nosuch/report.html"])
        .arg(crate::util::bundled()));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: cannot write nosuch/report.html: the folder nosuch does not exist (create it first, e.g. mkdir -p nosuch); nothing was written\n"
    );
    assert!(names(dir.path()).is_empty());
}

/// Issue #14: the CSV names the incident in words, and holds the impact figures and the
/// sources, each a record of its own.
#[test]
fn the_csv_holds_the_incident_its_figures_and_its_sources() {
    let (header, rows) = csv_records(&export_bytes(&["--format", "csv", "incidents"]));
    let record = |kind: &str| -> Vec<&csv::StringRecord> {
        rows.iter()
            .filter(|r| field(&header, r, "record") == kind)
            .collect()
    };
    let incident = record("incident");
    assert_eq!(incident.len(), 1);
    assert_eq!(
        field(&header, incident[0], "organization"),
        "Internet Initiative Japan Inc. (IIJ)"
    );
    assert_eq!(
        field(&header, incident[0], "service"),
        "IIJ Secure MX Service"
    );
    let potential = record("impact")
        .into_iter()
        .find(|r| field(&header, r, "id") == "potential")
        .unwrap();
    assert_eq!(field(&header, potential, "accounts"), "4072650");
    assert_eq!(field(&header, potential, "contracts"), "6493");
    let deck = record("source")
        .into_iter()
        .find(|r| field(&header, r, "id") == "fy24-deck")
        .unwrap();
    assert_eq!(
        field(&header, deck, "title"),
        "FY24 results summary and future growth strategy (briefing material)"
    );
    assert_eq!(field(&header, deck, "date"), "2025-05-13");
    let of_the_incident = |r: &&csv::StringRecord| {
        field(&header, r, "incident") == "iij-secure-mx-2025"
            && field(&header, r, "record") != "input"
    };
    for r in rows.iter().filter(of_the_incident) {
        assert_eq!(
            field(&header, r, "incident_title"),
            "Customer information leak in the IIJ Secure MX Service"
        );
    }
}

/// Issue 12: `-o` never replaces a symbolic link nor writes through one, `--force` or not.
#[cfg(unix)]
#[test]
fn a_symbolic_link_named_by_o_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.csv");
    fs::write(&target, "precious").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for force in [&[][..], &["--force"][..]] {
        let mut args = vec!["-o", link.to_str().unwrap()];
        args.extend_from_slice(force);
        let out = export(&args);
        assert_eq!(out.code, 2, "{force:?}: {}", out.stderr);
        assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "precious");
        assert_eq!(names(dir.path()), ["link.csv", "target.csv"]);
    }
    if fs::symlink_metadata("/dev/stdout").is_ok_and(|m| m.file_type().is_symlink()) {
        let out = export(&["--format", "csv", "-o", "/dev/stdout", "--force"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink());
    }
}

/// Issue #14: the timeline drawing shows spans as bars and deadlines as markers, overdue ones
/// marked.
#[test]
fn the_drawing_shows_spans_and_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("span.yaml");
    fs::write(
        &file,
        "format: 1\nid: span\ntitle: T\norganization: O\nservice: S\nreviewed: 2025-12-31\n\
         sources: [{id: s, title: T, publisher: P, date: 2025-04-01}]\n\
         events:\n  - {id: c, date: 2025-04-01, until: 2025-04-12, kind: compromise, title: C, sources: [s]}\n\
         \x20 - {id: d, date: 2025-04-10, kind: detection, title: D, sources: [s]}\n\
         remediation:\n  - {id: R1, title: Patch, due: 2025-04-18, announced: 2025-04-10, status: planned, status_as_of: 2025-04-10, sources: [s]}\n",
    )
    .unwrap();
    let html =
        String::from_utf8(export_bytes(&["--format", "html", file.to_str().unwrap()])).unwrap();
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<rect class=\"span\"").count(), 1, "{svg}");
    assert!(svg.contains("<title>c Until: 2025-04-12</title>"), "{svg}");
    let due = svg.find("<g class=\"due\">").expect("a deadline marker");
    assert!(svg[due..].contains("due · overdue"), "{svg}");
    assert!(
        svg[due..].contains("fill=\"#b71c1c\""),
        "overdue is red: {svg}"
    );
    // Placed among the events by day: after the detection of 2025-04-10.
    assert!(
        svg.find("Patch").unwrap() > svg.find(">D<").unwrap(),
        "{svg}"
    );
}

/// Issue 23: STIX and VERIS carry only http(s) URLs; a `javascript:` source URL is left out
/// (it used to be STIX's `external_references[].url`), and `validate` warns about it.
#[test]
fn interchange_formats_carry_only_web_urls() {
    for format in ["stix", "veris"] {
        let text = String::from_utf8(hostile(format)).unwrap();
        assert!(!text.contains("javascript:"), "{format}");
        assert!(text.contains("https://example.org/"), "{format}");
    }
    let out = run(breachline().args(["validate", HOSTILE]));
    assert!(
        out.stderr
            .contains("has a URL that is not http or https (`javascript:alert(document.cookie)`)"),
        "{}",
        out.stderr
    );
}

/// Issue 24: a filing late by less than a day says by how much, to the minute, wherever its
/// lateness is shown: the tables, the JSON (`late_by`), the at-a-glance box and the overview.
#[test]
fn a_late_filing_says_how_late_in_hours_and_minutes() {
    let fixture = "tests/fixtures/valid/obligations.yaml";
    let status = run(breachline().args(["status", "--as-of", AS_OF, fixture]));
    let gdpr = status
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("gdpr "))
        .expect("the gdpr row");
    assert!(gdpr.contains("30 min late"), "{gdpr}");
    let json = run(breachline().args(["status", "--as-of", AS_OF, "--format", "json", fixture]));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let obligations = v["incidents"][0]["obligations"].as_array().unwrap();
    let late: Vec<_> = obligations
        .iter()
        .filter(|o| !o["late_by"].is_null())
        .map(|o| (o["id"].as_str().unwrap(), o["late_by"].as_str().unwrap()))
        .collect();
    assert_eq!(late, [("gdpr", "PT0H30M")]);
    let html =
        String::from_utf8(export_bytes(&["--format", "html", "incidents", fixture])).unwrap();
    let clocks = &html[html.find("<article id=\"incident-1\">").unwrap()..];
    let glance = &clocks[clocks.find("class=\"glance\"").unwrap()..];
    let glance = &glance[..glance.find("</section>").unwrap()];
    assert!(
        glance.contains("<strong class=\"id\">gdpr</strong> GDPR notification, filed half an hour late — 30 min late"),
        "{glance}"
    );
    let overview = &html[..html.find("<article").unwrap()];
    assert!(overview.contains("gdpr (30 min late)"), "{overview}");
    let ja = run(breachline().args(["status", "--as-of", AS_OF, "--lang", "ja", fixture]));
    assert!(ja.stdout.contains("30分遅れ"), "{}", ja.stdout);
}

/// The text of docs/exports.md under `## heading`, up to the next `## `.
fn exports_doc(heading: &str) -> String {
    let doc = fs::read_to_string(root().join("docs/exports.md")).unwrap();
    let start = doc
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading}"));
    let rest = &doc[start + 4..];
    rest[..rest.find("\n## ").unwrap_or(rest.len())].to_owned()
}

/// The keys `text` does not name: as `key`, or as the start of a path (`key.x`, `key[]`).
fn undocumented<'a>(text: &str, keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    keys.into_iter()
        .filter(|k| {
            !["`", ".", "[]"]
                .iter()
                .any(|end| text.contains(&format!("`{k}{end}")))
        })
        .collect()
}

fn keys(v: &serde_json::Value) -> Vec<&str> {
    v.as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Issue 24: docs/exports.md states the CSV's column count and lists the keys and columns of
/// each export; those statements hold for what breachline writes.
#[test]
fn the_exports_doc_lists_every_column_and_key() {
    let fixtures = ["incidents", "tests/fixtures/valid/obligations.yaml"];
    let csv_doc = exports_doc("CSV");
    let mut args = vec!["--format", "csv"];
    args.extend(fixtures);
    let (header, _) = csv_records(&export_bytes(&args));
    assert!(
        csv_doc.contains(&format!("the same {} columns", header.len())),
        "docs/exports.md gives another column count than the CSV's {}",
        header.len()
    );
    assert_eq!(undocumented(&csv_doc, header.iter()), Vec::<&str>::new());

    let json_doc = exports_doc("JSON");
    let mut args = vec!["--format", "json"];
    args.extend(fixtures);
    let json: serde_json::Value = serde_json::from_slice(&export_bytes(&args)).unwrap();
    let paragraph = |start: &str| -> String {
        let at = json_doc.find(start).unwrap_or_else(|| panic!("{start}"));
        let rest = &json_doc[at..];
        rest[..rest.find("\n\n").unwrap_or(rest.len())].to_owned()
    };
    assert_eq!(undocumented(&json_doc, keys(&json)), Vec::<&str>::new());
    for incident in json["incidents"].as_array().unwrap() {
        assert_eq!(undocumented(&json_doc, keys(incident)), Vec::<&str>::new());
        for (list, start) in [
            ("events", "Each event:"),
            ("remediation", "Each remediation item:"),
            ("obligations", "Each obligation, as written:"),
        ] {
            let text = paragraph(start);
            for o in incident[list].as_array().unwrap() {
                assert_eq!(undocumented(&text, keys(o)), Vec::<&str>::new(), "{list}");
            }
        }
    }

    let workbook_doc = exports_doc("Workbook (xlsx)");
    let mut args = vec!["--format", "xlsx"];
    args.extend(fixtures);
    let bytes = export_bytes(&args);
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let head: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        let row = workbook_doc
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("no row for the {name} sheet"));
        assert_eq!(
            undocumented(row, head.iter().map(String::as_str)),
            Vec::<&str>::new(),
            "{name}"
        );
    }

    let veris_doc = exports_doc("VERIS");
    let veris: serde_json::Value =
        serde_json::from_slice(&export_bytes(&["--format", "veris", "incidents"])).unwrap();
    assert_eq!(undocumented(&veris_doc, keys(&veris)), Vec::<&str>::new());
    assert_eq!(
        undocumented(&veris_doc, keys(&veris["plus"]["breachline"])),
        Vec::<&str>::new()
    );
}

/// Issue 23: `SOURCE_DATE_EPOCH` beyond year 9999 wrote `DTSTAMP:+100000101T000000Z`.
#[test]
fn a_source_date_epoch_beyond_the_years_the_formats_write_is_an_error() {
    let out = run(breachline()
        .env("SOURCE_DATE_EPOCH", "253402300800")
        .args(["export", "--as-of", "2025-06-01", "--format", "ics"])
        .arg(bundled()));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr, @"error: SOURCE_DATE_EPOCH=`253402300800` is a time in the year 10000, outside the years 1 to 9999 the export formats can write; give a time within them, e.g. 1795564800, or unset it");
}

/// Issue 23: an id holding the calendar writer's private-use mark (U+E000) is written as it is;
/// it was taken for a mark, and another entry's long text took its place in the name.
#[test]
fn an_id_holding_the_calendar_mark_is_written_as_it_is() {
    let id = "a\u{e000}0\u{e000}b";
    let long = "x".repeat(400);
    let text = fs::read_to_string(root().join("tests/fixtures/valid/minimal.yaml"))
        .unwrap()
        .replace("id: example", &format!("id: \"{id}\""))
        .replace("title: Fix it", &format!("title: {long}"));
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("mark.yaml"), text).unwrap();
    let out = run(breachline()
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "export",
            "--as-of",
            "2025-05-13",
            "--format",
            "ics",
            "mark.yaml",
        ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let unfolded = out.stdout.replace("\r\n ", "");
    assert!(
        unfolded.contains(&format!("\r\nNAME:breachline: {id}\r\n")),
        "{unfolded}"
    );
    assert_eq!(
        unfolded.matches(&long).count(),
        1,
        "the long title once, where it belongs"
    );
}
