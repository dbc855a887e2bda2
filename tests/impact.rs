//! Impact of any incident (issue #14 item 5): counts per unit and dated revisions, the one in
//! force on the day shown by `status`, its JSON and every export format.

use clap::ValueEnum;
use serde_json::Value;

use crate::util::{breachline, run, workbook_text, Output};

const FIXTURE: &str = "tests/fixtures/valid/impact-revisions.yaml";
/// Between the two confirmed revisions (2025-03-01 and 2025-04-01), and after both.
const BETWEEN: &str = "2025-03-15";
const AFTER: &str = "2025-04-15";

fn status(as_of: &str, args: &[&str]) -> Output {
    let out = run(breachline()
        .args(["status", "--as-of", as_of])
        .args(args)
        .arg(FIXTURE));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out
}

fn export(as_of: &str, format: &str) -> Vec<u8> {
    let mut cmd = breachline();
    cmd.env("SOURCE_DATE_EPOCH", "1747094400")
        .args(["export", "--as-of", as_of, "--format", format]);
    if format == "ics" {
        // Impact figures are calendar entries with the timeline's events.
        cmd.arg("--include-events");
    }
    let out = cmd.arg(FIXTURE).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn status_shows_the_revision_in_force_with_its_units() {
    let between = status(BETWEEN, &[]).stdout;
    assert!(between.contains("individuals"), "{between}");
    assert!(
        between.contains("confirmed: 12,000 individuals, 48,000 patient records"),
        "{between}"
    );
    assert!(!between.contains("15,000"), "{between}");
    let after = status(AFTER, &[]).stdout;
    assert!(
        after.contains("confirmed: 15,000 individuals, 61,000 patient records, 3 mail bodies"),
        "{after}"
    );
    assert!(!after.contains("12,000"), "{after}");
    insta::assert_snapshot!("status_between_revisions", between);
    insta::assert_snapshot!("status_after_revisions", after);
}

#[test]
fn before_any_confirmed_revision_none_is_shown() {
    let out = status("2025-02-25", &[]).stdout;
    assert!(out.contains("up to 20,000 individuals"), "{out}");
    assert!(!out.contains("confirmed:"), "{out}");
}

#[test]
fn status_json_has_the_current_figure_and_the_revisions_by_then() {
    for (day, current, shown) in [(BETWEEN, 12000, 1), (AFTER, 15000, 2)] {
        let json: Value = serde_json::from_str(&status(day, &["--format", "json"]).stdout).unwrap();
        let impact = &json["incidents"][0]["impact"];
        assert_eq!(
            impact["confirmed"]["counts"]["individuals"], current,
            "{day}"
        );
        assert_eq!(impact["confirmed"]["contracts"], Value::Null, "{day}");
        let revisions = impact["revisions"]["confirmed"].as_array().unwrap();
        assert_eq!(revisions.len(), shown, "{day}");
        // Oldest first: the last is the one in force.
        assert_eq!(revisions[0]["as_of"], "2025-03-01");
        assert_eq!(revisions[shown - 1]["counts"]["individuals"], current);
    }
}

/// The counts of the revision in force, as each format writes numbers.
fn has(text: &str, n: u64) -> bool {
    let grouped = n
        .to_string()
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(",");
    text.contains(&n.to_string()) || text.contains(&grouped)
}

#[test]
fn every_export_format_shows_the_revision_in_force() {
    for format in breachline::render::formats::ExportFormat::all() {
        let name = format.to_possible_value().unwrap().get_name().to_owned();
        let text = |day| {
            let bytes = export(day, &name);
            if name == "xlsx" {
                workbook_text(bytes)
            } else if name == "ics" {
                // Unfolded, commas unescaped: as a calendar reads it.
                String::from_utf8(bytes)
                    .unwrap()
                    .replace("\r\n ", "")
                    .replace("\\,", ",")
            } else {
                String::from_utf8(bytes).unwrap()
            }
        };
        let between = text(BETWEEN);
        assert!(between.contains("individuals"), "{name}: {between}");
        assert!(
            has(&between, 12000) && has(&between, 48000),
            "{name}: {between}"
        );
        assert!(
            !has(&between, 15000),
            "{name} shows a revision not yet published"
        );
        let after = text(AFTER);
        assert!(has(&after, 15000) && has(&after, 61000), "{name}: {after}");
        current_is(&name, &between, 12000);
        current_is(&name, &after, 15000);
    }
}

/// The revision in force, not only present: where the format says which one that is.
fn current_is(format: &str, text: &str, individuals: u64) {
    match format {
        "json" => {
            let json: Value = serde_json::from_str(text).unwrap();
            let confirmed = &json["incidents"][0]["impact"]["confirmed"];
            assert_eq!(confirmed["counts"]["individuals"], individuals);
        }
        "csv" => {
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let header = reader.headers().unwrap().clone();
            let col = |n: &str| header.iter().position(|h| h == n).unwrap();
            let current: Vec<String> = reader
                .records()
                .map(Result::unwrap)
                .filter(|r| &r[col("record")] == "impact" && &r[col("id")] == "confirmed")
                .filter(|r| &r[col("current")] == "true")
                .map(|r| r[col("counts")].to_owned())
                .collect();
            assert_eq!(current.len(), 1, "{current:?}");
            assert!(
                current[0].starts_with(&format!("individuals={individuals};")),
                "{current:?}"
            );
        }
        "xlsx" => {
            let row = text
                .lines()
                .find(|l| {
                    l.contains("\tconfirmed\t")
                        && l.contains("\ttrue\t")
                        && !l.ends_with("\t1")
                        && !l.ends_with("\t2")
                })
                .unwrap_or_default();
            assert!(
                row.contains(&format!("individuals={individuals};")),
                "{text}"
            );
        }
        "veris" => {
            // VERIS counts records: the total of the revision in force.
            let json: Value = serde_json::from_str(text).unwrap();
            let records = if individuals == 12000 { 48000 } else { 61000 };
            let veris = json.as_array().map_or(&json, |a| &a[0]);
            assert_eq!(
                veris["attribute"]["confidentiality"]["data_total"], records,
                "{text}"
            );
        }
        "stix" => {
            let json: Value = serde_json::from_str(text).unwrap();
            let incident = json["objects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["type"] == "incident")
                .unwrap();
            let core = &incident["extensions"]
                ["extension-definition--ef765651-680c-498d-9894-99799f2fa126"];
            assert_eq!(core["impacted_entity_counts"]["individual"], individuals);
        }
        "markdown" => {
            let row = text
                .lines()
                .find(|l| l.starts_with("| confirmed |"))
                .unwrap();
            assert!(has(row, individuals), "{row}");
        }
        "html" => {
            let start = text.find("<div class=\"figure confirmed\">").unwrap();
            let card = &text[start..];
            let card = &card[..card.find("<div class=\"small\">").unwrap()];
            assert!(has(card, individuals), "{card}");
        }
        "ics" => {
            let line = text
                .lines()
                .rfind(|l| l.starts_with("SUMMARY:clinic-2025 [impact] confirmed@"))
                .unwrap();
            assert!(has(line, individuals), "{line}");
        }
        other => panic!("no check of the revision in force for {other}: add one"),
    }
}

#[test]
fn html_and_markdown_list_the_history_and_the_breakdown() {
    let html = String::from_utf8(export(AFTER, "html")).unwrap();
    let start = html.find("<section class=\"impact\">").unwrap();
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    insta::assert_snapshot!("html_impact_with_revisions", section);
    let md = String::from_utf8(export(AFTER, "markdown")).unwrap();
    let start = md.find("## Impact").unwrap();
    let section = &md[start..start + md[start + 3..].find("\n## ").unwrap() + 3];
    insta::assert_snapshot!("markdown_impact_with_revisions", section);
}

/// With revisions, a confirmed count above the potential one in force on its day is a
/// warning (a later confirmed figure may exceed an early estimate); with single figures it
/// stays an error (tests/fixtures/invalid/confirmed-above-potential.yaml).
#[test]
fn confirmed_above_an_early_estimate_is_a_warning() {
    let out = run(breachline().args([
        "validate",
        "tests/fixtures/impact/confirmed-above-early-estimate.yaml",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr.matches("warning:").count(), 1, "{}", out.stderr);
    insta::assert_snapshot!(out.stderr);
}

/// A figure that becomes a list of revisions: `diff` matches revisions by their `as_of`, so
/// the unchanged first one is not reported and the new one is an addition.
#[test]
fn diff_reports_a_new_revision_as_added() {
    let out = run(breachline().args([
        "diff",
        "--as-of",
        AFTER,
        "tests/fixtures/impact/one-confirmed-figure.yaml",
        FIXTURE,
    ]));
    assert!(
        out.stdout.contains("impact confirmed@2025-04-01: added"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("confirmed@2025-03-01"),
        "{}",
        out.stdout
    );
}
