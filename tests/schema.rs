//! The JSON Schema against an independent validator (the `jsonschema` crate): it must accept
//! every file the loader accepts and reject the structurally invalid fixtures. This stands in
//! for an editor with yaml-language-server underlining a misspelt key.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::util::{breachline, bundled, root, run};

const REGENERATE: &str = "cargo run -- schema > docs/incident.schema.json";

fn committed() -> Value {
    let path = root().join("docs/incident.schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with `{REGENERATE}`", path.display()));
    serde_json::from_str(&text).expect("the committed schema is JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles")
}

/// The schema's verdict on a YAML file: `Err` with the validator's messages when it refuses it.
fn check(validator: &jsonschema::Validator, path: &Path) -> Result<(), String> {
    let src = std::fs::read_to_string(path).map_err(|e| format!("unreadable: {e}"))?;
    let value = breachline::yaml::to_json_value(&src).map_err(|e| e.message)?;
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| match e.instance_path().to_string() {
            at if at.is_empty() => format!("(top level): {e}"),
            at => format!("{at}: {e}"),
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_committed_schema_is_what_breachline_schema_prints() {
    let out = run(breachline().arg("schema"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let printed: Value = serde_json::from_str(&out.stdout).expect("`schema` prints JSON");
    assert!(
        printed == committed(),
        "docs/incident.schema.json is stale: regenerate it with `{REGENERATE}` and commit it"
    );
    assert_eq!(
        printed,
        breachline::schema::incident_schema(),
        "`schema` prints the generated schema"
    );
}

#[test]
fn the_schema_is_a_valid_draft_07_schema() {
    let schema = committed();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::draft7::meta::validate(&schema).expect("valid against the draft-07 meta-schema");
}

#[test]
fn the_bundled_incident_and_every_valid_fixture_match_the_schema() {
    let v = validator(&committed());
    let mut files = yaml_files("incidents");
    assert!(files.contains(&bundled()));
    files.extend(yaml_files("tests/fixtures/valid"));
    files.extend(yaml_files("tests/fixtures/check"));
    assert!(files.len() >= 4, "{files:?}");
    for file in &files {
        if let Err(e) = check(&v, file) {
            panic!("{} does not match the schema:\n{e}", file.display());
        }
    }
}

/// Invalid fixtures whose problem is the shape of the data: the schema must refuse them.
const STRUCTURAL: &[&str] = &[
    // Not a mapping: a list, text, nothing.
    "top-level-list",
    "top-level-text",
    "document-marker-only",
    // A string, not a mapping (a wide character, then carriage returns).
    "fuzz-carriage-returns-after-a-wide-character",
    "function-misspelt",
    "impact-bad-count-in-revision",
    "impact-comma-in-flow-counts",
    "impact-empty-revision-list",
    "impact-figure-a-number",
    "impact-unit-label-not-text",
    "impact-unit-not-snake-case",
    "impact-unknown-key-in-revision",
    "kind-misspelt",
    "list-without-brackets",
    "obligation-status-written-as-state",
    "status-written-as-state",
    "count-beyond-64-bits",
    "count-with-separators",
    "date-as-number",
    "date-in-words",
    "date-with-slashes",
    "datetime-without-offset",
    "empty",
    "empty-id",
    "format-version-2",
    "id-null",
    "id-only-spaces",
    "impossible-date",
    "missing-field",
    "negative-count",
    "number-as-title",
    "obligation-period-in-weeks",
    "obligation-period-without-unit",
    "obligation-starts-at-month",
    "obligation-starts-at-unquoted-hash",
    "obligation-unknown-status",
    "only-comments",
    "unknown-key",
    "unknown-kind",
    "unknown-status",
    "unknown-timezone",
    "unquoted-hash-id",
    "yaml11-function-off",
    "yaml11-kind-no",
    "yaml11-status-yes",
    "yaml11-title-true",
    "year-10000",
    // Invisible characters in an id (issue 12).
    "id-bidi-override",
    "id-zero-width-space",
];

/// Problems across fields, which `validate` finds and a schema of shapes does not: the schema
/// accepts these.
const SEMANTIC: &[&str] = &[
    "obligation-not-required-without-reasoning",
    "obligation-several-clocks-from-one-start",
    "obligation-unknown-variant",
    // A rule may come from a team's rule pack, which the schema cannot know: it offers the
    // built-in names to editors and accepts any well-formed name.
    "obligation-unknown-rule",
    "completed-after-review",
    "completed-but-planned",
    "confirmed-above-potential",
    // Across revisions and keys: `validate` compares them.
    "impact-revisions-same-day",
    "impact-shorthand-and-counts",
    "done-with-both",
    "done-without-completion",
    "duplicate-event-id",
    "duplicate-remediation-id",
    "duplicate-source-id",
    "obligation-after-circle",
    "obligation-after-itself",
    "obligation-after-unknown",
    "obligation-completed-after-review",
    "obligation-completed-but-unknown",
    "obligation-done-without-completion",
    "obligation-duplicate-id",
    "obligation-final-report-with-starts-at",
    "obligation-holidays-without-business-days",
    "obligation-policy-days-on-fixed-rule",
    "obligation-policy-days-zero",
    "obligation-rule-after-another",
    "obligation-rule-and-within",
    "obligation-after-due-past-9999",
    "obligation-due-on-9999-12-31",
    "obligation-due-past-9999",
    "obligation-policy-days-too-many",
    "obligation-starts-at-and-after",
    "obligation-starts-at-month-event",
    "obligation-unknown-event",
    "obligation-unknown-source",
    "obligation-without-period",
    "obligation-without-start",
    "unknown-source",
    "until-before-date",
    "until-before-date-same-day",
    // RFC 3339 (and so `format: date`) allows year 0; the loader does not.
    "year-zero",
    // The schema sees the number YAML reads (16, 8, 10), not the digits written.
    "count-hexadecimal",
    "count-octal",
    "count-with-plus-sign",
    // Text of any length is text to a schema; a blank title is checked by `validate`.
    "title-blank",
    "title-empty",
];

/// Problems below the data: encoding and YAML syntax, which the editor's YAML parser reports.
const NOT_DATA: &[&str] = &[
    // Bounds checked before the data is read (docs/limits.md).
    "alias-cycle",
    "alias-to-unknown-anchor",
    "colon-in-plain-value",
    "list-continued-after-brackets",
    "list-item-without-dash",
    "list-on-the-key-line",
    "list-with-unquoted-hash",
    "billion-laughs",
    "binary-garbage",
    "control-character",
    "deep-nesting",
    "duplicate-key",
    "duplicate-language",
    "impact-unit-twice",
    "fuzz-alias-to-unknown-anchor",
    "not-utf8",
    "tab-indentation",
    "two-documents",
    "utf-16",
    "double-byte-order-mark",
    // YAML tags, refused before the data is read.
    "yaml-tag-binary",
    "yaml-tag-directive",
    "yaml-tag-local",
    "fuzz-tag-after-byte-order-mark",
];

#[test]
fn structural_invalid_fixtures_are_refused_and_semantic_ones_are_not() {
    let v = validator(&committed());
    let files = yaml_files("tests/fixtures/invalid");
    for file in &files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let verdict = check(&v, file);
        if STRUCTURAL.contains(&name) {
            assert!(verdict.is_err(), "the schema accepts {name}");
        } else if SEMANTIC.contains(&name) {
            if let Err(e) = verdict {
                panic!("the schema refuses {name}, which only `validate` should:\n{e}");
            }
        } else {
            assert!(
                NOT_DATA.contains(&name),
                "classify the new fixture {name} in tests/schema.rs"
            );
        }
    }
    let all = STRUCTURAL.len() + SEMANTIC.len() + NOT_DATA.len();
    assert_eq!(files.len(), all, "a listed fixture no longer exists");
}

#[test]
fn a_misspelt_key_is_refused_where_it_is() {
    let v = validator(&committed());
    let err = check(&v, &root().join("tests/fixtures/invalid/unknown-key.yaml")).unwrap_err();
    insta::assert_snapshot!(err);
}

/// The schema of one definition, for checking single values.
fn definition(name: &str) -> jsonschema::Validator {
    let schema = committed();
    validator(&json!({
        "definitions": schema["definitions"],
        "allOf": [{ "$ref": format!("#/definitions/{name}") }],
    }))
}

#[test]
fn ids_match_what_the_loader_reads() {
    let v = definition("Id");
    let mut cases: Vec<String> = ["R1", "#0", "a b", "漏えい", "", " ", "x ", " x"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Every character either side treats as white space, at either end and inside.
    for c in (0..=0x3000u32).filter_map(char::from_u32) {
        if c.is_whitespace() || c == '\u{FEFF}' || breachline::model::is_invisible(c) {
            cases.extend([format!("{c}x"), format!("x{c}"), format!("x{c}y")]);
        }
    }
    for case in cases {
        // A raw NEL in a YAML scalar is a line break, folded to a space: escape it as YAML does.
        let yaml = format!("{}\n", serde_json::to_string(&case).unwrap()).replace('\u{85}', "\\N");
        let loader = loader_accepts_id(&yaml);
        let schema = v.is_valid(&json!(case));
        assert_eq!(
            loader, schema,
            "id {case:?}: loader {loader}, schema {schema}"
        );
    }
}

/// Whether the loader accepts `id` as an incident id, read through the real parser.
fn loader_accepts_id(id_yaml: &str) -> bool {
    let src = format!(
        "format: 1\nid: {id_yaml}title: t\norganization: o\nservice: s\nreviewed: 2025-01-01\nsources: []\n"
    );
    breachline::yaml::parse_incident(&src).is_ok()
}

#[test]
fn dates_match_what_the_loader_reads() {
    let day = definition("Day");
    let when = definition("When");
    // The schema checks the shape, and the calendar of a day (`format: date`); where it
    // stops, it is the more lenient: year 0, and the calendar and clock of a date-time.
    let lenient = [
        "0000-01-01",
        "0000-01-01T00:00:00Z",
        "0000-05",
        "2025-02-30T00:00:00Z",
        "2025-04-10T25:00:00Z",
    ];
    for case in [
        "2025-04-10",
        "2024-02-29",
        "2025-02-29",
        "2025-13-01",
        "2025/04/10",
        "2025-4-10",
        "10 April 2025",
        " 2025-04-10",
        "2025-04-10 ",
        "0000-01-01",
        "2025-04",
        "2025-13",
        "2025-00",
        "0000-05",
        "2025-4",
        "2025-04-10T09:30:00+09:00",
        "2025-04-10t09:30:00z",
        "2025-04-10 09:30:00Z",
        "2025-04-10T09:30:00.123456789+09:00",
        "2025-04-10T09:30:00\u{2212}05:00",
        "2025-04-10T09:30:00",
        "2024-05-01 10:00",
        "2025-04-10T09:30+09:00",
        "2025-04-10T09:30:00+0900",
        "0000-01-01T00:00:00Z",
        "2025-02-30T00:00:00Z",
        "2025-04-10T25:00:00Z",
    ] {
        let loader_day = breachline::date::parse_day(case).is_ok();
        let loader_when = breachline::date::parse_when(case).is_ok();
        let schema_day = day.is_valid(&json!(case));
        let schema_when = when.is_valid(&json!(case));
        if lenient.contains(&case) {
            assert!(!loader_when && schema_when, "{case}: listed as lenient");
            continue;
        }
        assert_eq!(loader_day, schema_day, "day {case:?}");
        assert_eq!(loader_when, schema_when, "when {case:?}");
    }
}

#[test]
fn periods_match_what_the_loader_reads() {
    let v = definition("Period");
    // The loader also caps each unit (no reporting clock runs ten years); the schema does not.
    let lenient = ["87601h", "99999999999d"];
    for case in [
        "72h",
        "72 h",
        "72 hours",
        "1 hour",
        "30d",
        "30 days",
        "1 day",
        "4 business days",
        "1 business day",
        "4  business   days",
        "1 month",
        "2 months",
        "007d",
        "0d",
        "00h",
        "2 weeks",
        "30",
        "d",
        " 30d",
        "30d ",
        "30 Days",
        "4 businessdays",
        "-1d",
        "1.5d",
        "87601h",
        "99999999999d",
    ] {
        let loader = breachline::clock::parse_period(case).is_ok();
        let schema = v.is_valid(&json!(case));
        if lenient.contains(&case) {
            assert!(!loader && schema, "{case:?}: listed as lenient");
        } else {
            assert_eq!(
                loader, schema,
                "period {case:?}: loader {loader}, schema {schema}"
            );
        }
    }
}

#[test]
fn clock_starts_match_what_the_loader_reads() {
    let v = definition("StartsAt");
    for case in [
        "#1",
        "detection",
        "2025-04-10",
        "2025-04-10T09:30:00+09:00",
        "2025-04",
        "2025-13-01",
        "2025-04-10T09:30:00",
        "2025-x",
        "20250410",
        "",
        " #1",
    ] {
        let src = format!(
            "format: 1\nid: x\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-01-01\nsources: []\n\
             obligations:\n  - id: o\n    title: t\n    within: 1d\n    starts_at: {}\n",
            serde_json::to_string(case).unwrap()
        );
        let loader = breachline::yaml::parse_incident(&src).is_ok();
        let schema = v.is_valid(&json!(case));
        assert_eq!(
            loader, schema,
            "starts_at {case:?}: loader {loader}, schema {schema}"
        );
    }
}
