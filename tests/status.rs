use crate::util::{breachline, run};

fn status(args: &[&str]) -> crate::util::Output {
    run(breachline().arg("status").args(args))
}

#[test]
fn on_the_day_of_the_deck_nothing_is_overdue() {
    let out = status(&["--as-of", "2025-05-13"]);
    assert_eq!(out.code, 0);
    assert!(!out.stdout.contains("overdue"), "{}", out.stdout);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn on_2025_06_01_exactly_the_waf_decision_is_overdue() {
    let out = status(&["--as-of", "2025-06-01", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let items = json["incidents"][0]["remediation"].as_array().unwrap();
    let overdue: Vec<_> = items
        .iter()
        .filter(|i| i["state"] == "overdue")
        .map(|i| {
            (
                i["id"].as_str().unwrap(),
                i["last_confirmed"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(overdue, [("R2", "2025-05-13")]);
    insta::assert_snapshot!(status(&["--as-of", "2025-06-01"]).stdout);
}

#[test]
fn as_of_late_2026_detection_is_done_on_time_and_the_waf_is_overdue() {
    let out = status(&["--as-of", "2026-11-25"]);
    insta::assert_snapshot!(out.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&status(&["--as-of", "2026-11-25", "--format", "json"]).stdout)
            .unwrap();
    let item = |id: &str| {
        json["incidents"][0]["remediation"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item("R1")["state"], "done");
    assert_eq!(item("R1")["completed"], "2025-06-26");
    assert_eq!(item("R3")["state"], "overdue");
    assert_eq!(item("R3")["due"], "2025-07-31");
    assert_eq!(item("R3")["last_confirmed"], "2025-07-18");
    assert_eq!(item("R3")["unconfirmed_since_due"], true);
}

#[test]
fn japanese_titles_line_up() {
    let out = status(&["--as-of", "2026-11-25", "--lang", "ja"]);
    insta::assert_snapshot!(out.stdout);
    // Each table (remediation, then reporting obligations) lines up on its own.
    let tables: Vec<Vec<&str>> = out
        .stdout
        .split("\n\n")
        .map(|block| {
            block
                .lines()
                .filter(|l| l.contains(" | "))
                .collect::<Vec<_>>()
        })
        .filter(|rows| !rows.is_empty())
        .collect();
    assert_eq!(tables.len(), 2, "{}", out.stdout);
    for rows in tables {
        let separators: Vec<Vec<usize>> = rows
            .iter()
            .map(|l| {
                let mut col = 0;
                let mut at = Vec::new();
                for c in l.chars() {
                    if c == '|' {
                        at.push(col);
                    }
                    col += breachline::diagnostic::display_width(c.encode_utf8(&mut [0; 4]));
                }
                at
            })
            .collect();
        assert!(rows.len() > 2);
        assert!(
            separators.windows(2).all(|w| w[0] == w[1]),
            "columns do not line up: {separators:?}"
        );
    }
}

#[test]
fn fail_on_overdue_exits_1_only_when_something_is_overdue() {
    assert_eq!(
        status(&["--as-of", "2025-06-01", "--fail-on-overdue"]).code,
        1
    );
    assert_eq!(
        status(&["--as-of", "2025-05-13", "--fail-on-overdue"]).code,
        0
    );
    assert_eq!(
        status(&["--as-of", "2025-06-01"]).code,
        0,
        "without the flag overdue is not a failure"
    );
}

#[test]
fn the_json_keeps_its_keys() {
    insta::assert_snapshot!(status(&["--as-of", "2025-06-01", "--format", "json"]).stdout);
}

#[test]
fn colour_marks_overdue_only_when_asked() {
    let plain = status(&["--as-of", "2025-06-01"]).stdout;
    assert!(!plain.contains('\x1b'), "no colour into a pipe");
    let forced = status(&["--as-of", "2025-06-01", "--color", "always"]).stdout;
    assert!(
        forced.contains("\x1b[1m\x1b[31moverdue") || forced.contains("\x1b[1;31moverdue"),
        "{forced:?}"
    );
    let out = run(breachline()
        .args(["status", "--as-of", "2025-06-01"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1"));
    assert!(!out.stdout.contains('\x1b'), "NO_COLOR wins");
}

/// Issue #14: the word for a count is the incident's own (`impact.units`), else a plain one:
/// no incident's accounts are called mail accounts unless it says so.
#[test]
fn counts_are_called_what_the_incident_calls_them() {
    let bundled = run(breachline().args(["status", "--as-of", "2026-11-25"]));
    assert!(
        bundled.stdout.contains("4,072,650 mail accounts"),
        "{}",
        bundled.stdout
    );
    let ja = run(breachline().args(["status", "--as-of", "2026-11-25", "--lang", "ja"]));
    assert!(
        ja.stdout.contains("4,072,650 メールアカウント"),
        "{}",
        ja.stdout
    );
    let plain = run(breachline().args([
        "status",
        "--as-of",
        "2026-11-25",
        "tests/fixtures/valid/minimal.yaml",
    ]));
    assert!(plain.stdout.contains("100 accounts"), "{}", plain.stdout);
    assert!(!plain.stdout.contains("mail"), "{}", plain.stdout);
}

/// Issue #14: a figure the source gives as a maximum (最大) is shown as one.
#[test]
fn a_maximum_is_shown_as_up_to() {
    let en = run(breachline().args(["status", "--as-of", "2026-11-25"]));
    assert!(
        en.stdout
            .contains("potentially affected: up to 6,493 contracts, up to 4,072,650 mail accounts"),
        "{}",
        en.stdout
    );
    assert!(
        en.stdout.contains("confirmed: 586 contracts"),
        "{}",
        en.stdout
    );
    let ja = run(breachline().args(["status", "--as-of", "2026-11-25", "--lang", "ja"]));
    assert!(ja.stdout.contains("最大6,493"), "{}", ja.stdout);
    let json = run(breachline().args(["status", "--as-of", "2026-11-25", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["incidents"][0]["impact"]["potential"]["up_to"], true);
    assert_eq!(doc["incidents"][0]["impact"]["confirmed"]["up_to"], false);
}
