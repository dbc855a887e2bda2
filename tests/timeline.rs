use crate::util::{breachline, run};

fn timeline(args: &[&str]) -> crate::util::Output {
    run(breachline().arg("timeline").args(args))
}

#[test]
fn the_table_shows_events_days_and_key_intervals() {
    let out = timeline(&["--as-of", "2026-11-25"]);
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn events_after_the_as_of_date_are_not_shown() {
    let out = timeline(&["--as-of", "2025-04-15"]);
    insta::assert_snapshot!(out.stdout);
    assert!(!out.stdout.contains("#3"));
    assert!(
        !out.stdout.contains("mic-leak-window-end"),
        "MIC's end of the leak window, 2025-04-17"
    );
}

#[test]
fn an_activity_is_ongoing_until_its_end_is_reached() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.yaml");
    std::fs::write(
        &file,
        "format: 1\nid: x\ntitle: X\norganization: O\nservice: S\nreviewed: 2025-05-01\n\
         sources: [{id: s1, title: T, publisher: P, date: 2025-04-20}]\n\
         events:\n  - {id: a, date: 2025-04-01, until: 2025-04-17, kind: compromise, title: A, sources: [s1]}\n",
    )
    .unwrap();
    let on = |day: &str| {
        // With hindsight: the source of 2025-04-20 reports the activity, and its end, later.
        let out = run(breachline()
            .args(["--hindsight", "timeline"])
            .arg(&file)
            .args(["--as-of", day]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    assert!(on("2025-04-16").contains("ongoing"));
    assert!(!on("2025-04-17").contains("ongoing"));
}

#[test]
fn japanese_timeline() {
    insta::assert_snapshot!(timeline(&["--as-of", "2026-11-25", "--lang", "ja"]).stdout);
}

#[test]
fn markdown() {
    insta::assert_snapshot!(timeline(&["--as-of", "2026-11-25", "--format", "markdown"]).stdout);
}

#[test]
fn json_has_ids_dates_and_intervals() {
    let out = timeline(&["--as-of", "2026-11-25", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["as_of"], "2026-11-25");
    let events = json["incidents"][0]["events"].as_array().unwrap();
    let ids: Vec<&str> = events
        .iter()
        .filter_map(|e| e["id"].as_str())
        .filter(|i| i.starts_with('#'))
        .collect();
    assert_eq!(ids, ["#0", "#1", "#2", "#3", "#4", "#5"]);
    assert_eq!(events[0]["date"], "2024-08-03");
    assert_eq!(json["incidents"][0]["intervals"]["dwell"]["days"], 250);
    insta::assert_snapshot!(out.stdout);
}
