//! `export --format veris` and `--format stix` against the standards' own schemas (copies in
//! tests/standards/, with their licences): the bundled incident and every valid fixture must
//! validate; the mapping is checked where it carries a decision (docs/exports.md).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::util::{breachline, root, run};

/// 2026-11-25T00:00:00Z, as in tests/export.rs.
const EPOCH: &str = "1795564800";
const AS_OF: &str = "2026-11-25";
const BUNDLED: &str = "incidents/secure-mx-2025.yaml";

fn export_text(format: &str, args: &[&str]) -> String {
    let out = run(breachline()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["export", "--format", format])
        .args(args));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn export(format: &str, args: &[&str]) -> Value {
    serde_json::from_str(&export_text(format, args)).expect("the export is JSON")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("a readable schema"))
        .expect("a JSON schema")
}

fn standards() -> PathBuf {
    root().join("tests/standards")
}

fn veris_validator() -> jsonschema::Validator {
    let schema = read_json(&standards().join("veris/verisc-merged.json"));
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the VERIS schema compiles")
}

/// Every STIX schema file, registered under its `$id`, so that the relative `$ref`s between
/// them resolve without a network.
fn stix_registry() -> jsonschema::Registry<'static> {
    let mut files = Vec::new();
    for dir in ["common", "sdos", "sros", "observables"] {
        let dir = standards().join("stix2.1/schemas").join(dir);
        for entry in fs::read_dir(&dir).expect("the vendored STIX schemas") {
            files.push(entry.expect("a readable entry").path());
        }
    }
    files.sort();
    let mut builder = jsonschema::Registry::new();
    for file in &files {
        let schema = read_json(file);
        let id = schema["$id"]
            .as_str()
            .expect("every STIX schema has an $id")
            .to_owned();
        // The Incident Extension Suite's schemas refer to them by https, their own $ids
        // say http: both name the same schema.
        if let Some(rest) = id.strip_prefix("http://") {
            builder = builder
                .add(
                    format!("https://{rest}"),
                    jsonschema::Resource::from_contents(schema.clone()),
                )
                .expect("a valid $id");
        }
        builder = builder
            .add(id, jsonschema::Resource::from_contents(schema))
            .expect("a valid $id");
    }
    builder.prepare().expect("the STIX schemas resolve")
}

fn stix_validator(registry: &jsonschema::Registry<'static>, file: &str) -> jsonschema::Validator {
    let schema = read_json(&standards().join("stix2.1/schemas").join(file));
    jsonschema::options()
        .with_registry(registry)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{file} compiles: {e}"))
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Checks a VERIS file as `checkValidity.py` does: one object, valid against the schema and
/// VERIS's own rules (ported in tests/veris_check.rs).
fn check_veris_file(v: &jsonschema::Validator, text: &str, what: &str) {
    let mut e = crate::veris_check::check_file(text);
    if e.is_empty() {
        let incident: Value = serde_json::from_str(text).expect("JSON");
        e.extend(errors(v, &incident));
    }
    assert!(e.is_empty(), "{what}: VERIS refuses it:\n{}", e.join("\n"));
}

/// Exports `args` as VERIS into a new folder (`-o DIR/`) and checks every file written,
/// returning them by name.
fn veris_files(v: &jsonschema::Validator, args: &[&str]) -> Vec<(String, Value)> {
    let dir = tempfile::tempdir().unwrap();
    let out = format!("{}/", dir.path().join("veris").display());
    let done = run(breachline()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["export", "--format", "veris", "-o", &out])
        .args(args));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let mut files: Vec<_> = fs::read_dir(&out)
        .expect("the folder was made")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = fs::read_to_string(f).unwrap();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            check_veris_file(v, &text, &format!("{args:?}: {name}"));
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// The STIX checks. The upstream `bundle.json` cannot take an `incident`, nor any object of
/// an extension (`event`, `task`): `incident` is missing from its list of objects, and its
/// branch for custom objects demands exactly one of `core.json` and
/// `cyber-observable-core.json`, which every valid SDO satisfies both of (see
/// [`the_upstream_bundle_schema_refuses_every_incident`]). So the bundle's own properties
/// are checked against `bundle.json`'s definitions of them, and each object against the
/// schema that applies to it: `core.json` (the common properties of every SDO) and, for an
/// incident, `sdos/incident.json`.
struct Stix {
    bundle_type: jsonschema::Validator,
    bundle_id: jsonschema::Validator,
    core: jsonschema::Validator,
    incident: jsonschema::Validator,
    extension_definition: jsonschema::Validator,
    identity: jsonschema::Validator,
    /// The Incident Extension Suite's task and event schemas (tests/standards/stix2.1/
    /// extensions/): no top-level property of their own beyond the suite's.
    task: jsonschema::Validator,
    event: jsonschema::Validator,
}

fn extension_validator(
    registry: &jsonschema::Registry<'static>,
    file: &str,
) -> jsonschema::Validator {
    let schema = read_json(&standards().join("stix2.1/extensions").join(file));
    jsonschema::options()
        .with_registry(registry)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{file} compiles: {e}"))
}

/// The rule of `stix2-validator --strict` (check 401, `extensions-use`) the schemas do not
/// hold, ported: a custom property of a STIX object is declared by a top-level property
/// extension the object names, whose definition in the bundle lists it; and every extension
/// an object names is defined in the bundle or is one of the Incident Extension Suite's.
fn declared(objects: &[Value]) -> Vec<String> {
    let suite = [
        "extension-definition--ef765651-680c-498d-9894-99799f2fa126",
        "extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e",
        "extension-definition--2074a052-8be4-4932-849e-f5e7798e0030",
    ];
    let definitions: std::collections::HashMap<&str, &Value> = objects
        .iter()
        .filter(|o| o["type"] == "extension-definition")
        .map(|o| (o["id"].as_str().unwrap_or_default(), o))
        .collect();
    let mut e = Vec::new();
    for o in objects {
        let id = o["id"].as_str().unwrap_or_default();
        let extensions = o["extensions"].as_object().cloned().unwrap_or_default();
        for (ext, body) in &extensions {
            let Some(def) = definitions.get(ext.as_str()) else {
                if !suite.contains(&ext.as_str()) {
                    e.push(format!(
                        "{id}: extension {ext} is not defined in the bundle"
                    ));
                }
                continue;
            };
            let kind = &body["extension_type"];
            let types = def["extension_types"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if !types.contains(kind) {
                e.push(format!(
                    "{id}: {ext} is used as {kind}, defined as {types:?}"
                ));
            }
        }
        for key in o.as_object().into_iter().flatten().map(|(k, _)| k) {
            if !key.starts_with("x_") {
                continue;
            }
            let listed = extensions.iter().any(|(ext, body)| {
                body["extension_type"] == "toplevel-property-extension"
                    && definitions.get(ext.as_str()).is_some_and(|d| {
                        d["extension_properties"]
                            .as_array()
                            .is_some_and(|p| p.iter().any(|p| p == key.as_str()))
                    })
            });
            if !listed {
                e.push(format!(
                    "{id}: custom property {key} is not declared by a top-level property extension"
                ));
            }
        }
    }
    e
}

impl Stix {
    fn new() -> Stix {
        let registry = stix_registry();
        let bundle = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/bundle.json";
        let part = |pointer: &str| {
            jsonschema::options()
                .with_registry(&registry)
                .should_validate_formats(true)
                .build(&json!({ "$ref": format!("{bundle}#{pointer}") }))
                .unwrap_or_else(|e| panic!("bundle.json#{pointer} compiles: {e}"))
        };
        Stix {
            bundle_type: part("/properties/type"),
            bundle_id: part("/properties/id"),
            core: stix_validator(&registry, "common/core.json"),
            incident: stix_validator(&registry, "sdos/incident.json"),
            extension_definition: stix_validator(&registry, "common/extension-definition.json"),
            identity: stix_validator(&registry, "sdos/identity.json"),
            task: extension_validator(&registry, "task-1735164.json"),
            event: extension_validator(&registry, "event-563d8d4.json"),
        }
    }

    fn check(&self, export: &Value, what: &str) {
        let mut e = errors(&self.bundle_type, &export["type"]);
        e.extend(errors(&self.bundle_id, &export["id"]));
        let objects = export["objects"].as_array().expect("objects");
        assert!(!objects.is_empty(), "{what}: a bundle has objects");
        let mut incidents = 0;
        for o in objects {
            e.extend(errors(&self.core, o));
            match o["type"].as_str() {
                Some("incident") => {
                    incidents += 1;
                    e.extend(errors(&self.incident, o));
                }
                Some("task") => e.extend(errors(&self.task, o)),
                Some("event") => e.extend(errors(&self.event, o)),
                Some("extension-definition") => e.extend(errors(&self.extension_definition, o)),
                Some("identity") => e.extend(errors(&self.identity, o)),
                other => e.push(format!("an object of type {other:?}")),
            }
        }
        e.extend(declared(objects));
        assert!(e.is_empty(), "{what}: STIX refuses it:\n{}", e.join("\n"));
        assert!(incidents > 0, "{what}: no incident object");
    }
}

fn valid_fixtures() -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(root().join("tests/fixtures/valid"))
        .expect("tests/fixtures/valid")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| crate::util::rel(&p))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the valid fixtures: {files:?}");
    files
}

#[test]
fn the_bundled_incident_is_valid_veris_and_stix_in_both_views() {
    let veris = veris_validator();
    let stix = Stix::new();
    for view in [&[][..], &["--hindsight"][..]] {
        for as_of in ["2025-04-20", AS_OF] {
            let mut args = vec!["--as-of", as_of, BUNDLED];
            args.extend_from_slice(view);
            let what = format!("{BUNDLED} as of {as_of} {view:?}");
            check_veris_file(&veris, &export_text("veris", &args), &what);
            stix.check(&export("stix", &args), &what);
        }
    }
}

#[test]
fn every_valid_fixture_is_valid_veris_and_stix() {
    let veris = veris_validator();
    let stix = Stix::new();
    for file in valid_fixtures() {
        let args = ["--as-of", AS_OF, file.as_str()];
        assert_eq!(veris_files(&veris, &args).len(), 1, "{file}");
        check_veris_file(&veris, &export_text("veris", &args), &file);
        stix.check(&export("stix", &args), &file);
    }
    // Several incidents in one export: one VERIS file and one incident object each.
    let files = [BUNDLED, "tests/fixtures/valid/obligations.yaml"];
    let mut args = vec!["--as-of", AS_OF];
    args.extend(files);
    let written = veris_files(&veris, &args);
    let names: Vec<&str> = written.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["clocks.json", "iij-secure-mx-2025.json"]);
    // To standard output, VERIS's joined form: a list.
    let all = export("veris", &args);
    assert_eq!(all.as_array().map(Vec::len), Some(files.len()));
    let all = export("stix", &args);
    stix.check(&all, "two incidents");
    let incidents = all["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["type"] == "incident")
        .count();
    assert_eq!(incidents, files.len());
}

/// The validators are not vacuous: they refuse what the standards forbid.
#[test]
fn the_schemas_refuse_what_the_standards_forbid() {
    let veris = veris_validator();
    let mut v = export("veris", &["--as-of", AS_OF, BUNDLED]);
    let first = &mut v;
    remove(first, "discovery_method");
    assert!(
        !errors(&veris, first).is_empty(),
        "discovery_method is required"
    );
    first["discovery_method"] = json!({ "unknown": true });
    first["timeline"]["discovery"] = json!({ "unit": "Fortnights" });
    assert!(!errors(&veris, first).is_empty(), "an invented unit");

    let stix = Stix::new();
    let mut s = export("stix", &["--as-of", AS_OF, BUNDLED]);
    let incident = &mut s["objects"][INCIDENT];
    incident["created"] = json!("2026-11-25T00:00:00Z");
    assert!(
        !errors(&stix.core, incident).is_empty(),
        "created needs milliseconds"
    );
    incident["created"] = json!("2026-11-25T00:00:00.000Z");
    assert!(errors(&stix.core, incident).is_empty());
    incident["x_breachline_nothing"] = Value::Null;
    assert!(
        !errors(&stix.core, incident).is_empty(),
        "a custom property cannot be null"
    );
    remove(incident, "x_breachline_nothing");
    remove(incident, "name");
    assert!(
        !errors(&stix.incident, incident).is_empty(),
        "an incident has a name"
    );
    assert!(!errors(&stix.bundle_id, &json!("bundle--not-a-uuid")).is_empty());
    let mut s = export("stix", &["--as-of", AS_OF, BUNDLED]);
    let incident = &mut s["objects"][INCIDENT];
    assert!(errors(&stix.core, incident).is_empty());
    incident["external_references"][1]["url"] = json!("not a URI");
    assert!(
        !errors(&stix.core, incident).is_empty(),
        "formats are checked"
    );
    // A custom property no extension declares, and one on a task, are refused.
    let mut s = export("stix", &["--as-of", AS_OF, BUNDLED]);
    let objects = s["objects"].as_array_mut().expect("objects");
    assert!(declared(objects).is_empty());
    objects[INCIDENT]["x_breachline_new"] = json!(1);
    assert_eq!(declared(objects).len(), 1, "{:?}", declared(objects));
    let task = objects
        .iter_mut()
        .find(|o| o["type"] == "task")
        .expect("a task");
    assert!(errors(&stix.task, task).is_empty());
    task["x_breachline_state"] = json!("overdue");
    assert!(
        !errors(&stix.task, task).is_empty(),
        "the suite's task schema allows no other top-level property"
    );
}

/// Why [`Stix`] does not check bundles against `bundle.json` whole: it refuses any bundle
/// with an incident. Should a fixed copy be vendored, this fails: then check with it.
#[test]
fn the_upstream_bundle_schema_refuses_every_incident() {
    let registry = stix_registry();
    let bundle = stix_validator(&registry, "common/bundle.json");
    let stix = Stix::new();
    let mut s = export(
        "stix",
        &["--as-of", AS_OF, "tests/fixtures/valid/minimal.yaml"],
    );
    stix.check(&s, "minimal");
    if let Some(objects) = s["objects"].as_array_mut() {
        objects.drain(..INCIDENT);
        objects.truncate(1);
    }
    assert_eq!(s["objects"][0]["type"], "incident");
    assert!(
        !errors(&bundle, &s).is_empty(),
        "bundle.json now accepts an incident: check bundles against it whole"
    );
}

/// Where a bundle's first incident is: after breachline's identity and its two extension
/// definitions.
const INCIDENT: usize = 3;

fn remove(v: &mut Value, key: &str) {
    if let Some(o) = v.as_object_mut() {
        o.remove(key);
    }
}

fn redact_digest(text: &str) -> String {
    let digest = crate::export::sha256_of(BUNDLED);
    assert!(
        text.contains(&digest),
        "the export states the file's SHA-256"
    );
    text.replace(&digest, "[sha256 of incidents/secure-mx-2025.yaml]")
}

#[test]
fn veris_of_the_bundled_incident() {
    let text = export_text("veris", &["--as-of", AS_OF, BUNDLED]);
    insta::assert_snapshot!(redact_digest(&text));
}

#[test]
fn stix_of_the_bundled_incident() {
    let text = export_text("stix", &["--as-of", AS_OF, BUNDLED]);
    insta::assert_snapshot!(redact_digest(&text));
}

#[test]
fn veris_maps_what_the_record_knows_and_leaves_the_rest_unknown() {
    // As of 2025-04-20 only the potential figures were published: "Potentially", no total.
    let early = export("veris", &["--as-of", "2025-04-20", BUNDLED]);
    let c = &early["attribute"]["confidentiality"];
    assert_eq!(c["data_disclosure"], "Potentially");
    assert!(c.get("data_total").is_none(), "{c}");
    assert_eq!(c["data"], json!([{ "variety": "Unknown" }]));
    assert_eq!(early["plus"]["breachline"]["view"], "as_known");
    // Once the confirmed figures are out: "Yes", with the confirmed accounts.
    let late = export("veris", &["--as-of", AS_OF, BUNDLED]);
    let c = &late["attribute"]["confidentiality"];
    assert_eq!(c["data_disclosure"], "Yes");
    assert_eq!(c["data_total"], 311_288);
    assert_eq!(
        c["data"],
        json!([{ "variety": "Unknown", "amount": 311_288 }]),
        "VCDB's lint wants the data with a disclosure"
    );
    let i = &late;
    // The victim: its name, and VERIS's own "Unknown" for what the record does not hold.
    assert_eq!(
        i["victim"]["victim_id"],
        "Internet Initiative Japan Inc. (IIJ)"
    );
    assert_eq!(i["victim"]["country"], json!(["Unknown"]));
    assert_eq!(i["victim"]["employee_count"], "Unknown");
    assert_eq!(i["confidence"], "Low");
    // The first notification event (customer-contact), for VERIS's notification date.
    assert_eq!(
        i["plus"]["timeline"]["notification"],
        json!({ "year": 2025, "month": 4, "day": 10 })
    );
    // The same incident keeps its master_id: an export made again replaces the earlier.
    let master = i["plus"]["master_id"].as_str().expect("a master_id");
    assert_eq!(master.len(), 36);
    assert_eq!(early["plus"]["master_id"], master);
    assert_eq!(i["plus"]["created"], "2026-11-25T00:00:00Z");
    assert_eq!(
        i["plus"]["breachline"]["incident_began"]["compromise"],
        true
    );
    assert_eq!(
        i["timeline"]["incident"],
        json!({ "year": 2024, "month": 8, "day": 3 })
    );
    assert_eq!(
        i["timeline"]["discovery"],
        json!({ "unit": "Days", "value": 250 })
    );
    assert_eq!(i["timeline"]["compromise"], json!({ "unit": "Unknown" }));
    assert_eq!(i["discovery_method"], json!({ "unknown": true }));
    assert_eq!(
        i["actor"]["unknown"]["notes"]
            .as_str()
            .map(|s| s.is_empty()),
        Some(false)
    );
    assert_eq!(i["plus"]["breachline"]["as_of"], AS_OF);
    let minimal = export(
        "veris",
        &["--as-of", AS_OF, "tests/fixtures/valid/minimal.yaml"],
    );
    assert_eq!(
        minimal["summary"], "Example incident",
        "the title, without a summary"
    );
    assert!(minimal.get("reference").is_none(), "no source has a URL");
    assert_eq!(
        minimal["timeline"]["containment"],
        json!({ "unit": "Unknown" })
    );
}

/// `timeline.incident` is when the incident began: a record without a compromise event does
/// not know the day, only the year by which it had begun.
#[test]
fn veris_dates_the_incident_only_as_precisely_as_the_compromise() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-compromise.yaml");
    let bundled = fs::read_to_string(root().join(BUNDLED)).unwrap();
    assert_eq!(bundled.matches("kind: compromise").count(), 1);
    fs::write(&file, bundled.replace("kind: compromise", "kind: other")).unwrap();
    let v = export("veris", &["--as-of", AS_OF, file.to_str().unwrap()]);
    assert_eq!(v["timeline"]["incident"], json!({ "year": 2024 }));
    assert_eq!(
        v["plus"]["breachline"]["incident_began"],
        json!({ "event": "#0", "compromise": false })
    );
    check_veris_file(&veris_validator(), &v.to_string(), "no compromise");
}

/// An incident with no event yet is left out of a VERIS export with a warning; the others
/// are written.
#[test]
fn veris_leaves_out_an_incident_with_no_event_yet() {
    let dir = tempfile::tempdir().unwrap();
    let out = format!("{}/", dir.path().join("v").display());
    let done = run(breachline().env("SOURCE_DATE_EPOCH", EPOCH).args([
        "export",
        "--format",
        "veris",
        "--as-of",
        "2024-09-01",
        // Seen with hindsight the bundled incident had begun; the other had not.
        "--hindsight",
        "-o",
        &out,
        BUNDLED,
        "tests/fixtures/valid/obligations.yaml",
    ]));
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(
        done.stderr,
        "warning: tests/fixtures/valid/obligations.yaml: incident `clocks` left out: VERIS needs the year it began, and no event of it had happened (or was known) as of 2024-09-01 (export as of a later day to include it)\n"
    );
    let written: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(written, ["iij-secure-mx-2025.json"]);
}

/// VERIS's tools read one incident per file: several are refused into one file, and a
/// folder gets one file each, none written over without --force.
#[test]
fn veris_writes_several_incidents_only_to_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let two = [BUNDLED, "tests/fixtures/valid/obligations.yaml"];
    let file = dir.path().join("all.json");
    let refused = run(breachline()
        .args(["export", "--format", "veris", "--as-of", AS_OF, "-o"])
        .arg(&file)
        .args(two));
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("give a folder, -o DIR/"),
        "{}",
        refused.stderr
    );
    assert!(!file.exists());
    let out = format!("{}/", dir.path().join("v").display());
    let export = |force: bool| {
        let mut cmd = breachline();
        cmd.args(["export", "--format", "veris", "--as-of", AS_OF, "-o", &out]);
        if force {
            cmd.arg("--force");
        }
        run(cmd.args(two))
    };
    assert_eq!(export(false).code, 0);
    let again = export(false);
    assert_ne!(again.code, 0, "no file is written over");
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(export(true).code, 0, "--force replaces them");
    // Another format into a folder is refused: it is one file.
    let csv = run(breachline().args(["export", "--format", "csv", "-o", &out, BUNDLED]));
    assert_eq!(csv.code, 2, "{}", csv.stderr);
}

#[test]
fn veris_refuses_when_no_incident_has_begun() {
    let out = run(breachline().env("SOURCE_DATE_EPOCH", EPOCH).args([
        "export",
        "--format",
        "veris",
        "--as-of",
        "2024-01-01",
        BUNDLED,
    ]));
    assert_ne!(out.code, 0);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("no incident could be exported as VERIS: incidents/secure-mx-2025.yaml: incident `iij-secure-mx-2025` left out: VERIS needs the year it began"),
        "{}",
        out.stderr
    );
}

fn by_id(bundle: &Value) -> std::collections::HashMap<String, Value> {
    bundle["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| (o["id"].as_str().unwrap_or_default().to_owned(), o.clone()))
        .collect()
}

#[test]
fn stix_ids_are_stable_and_every_reference_resolves() {
    let early = export("stix", &["--as-of", "2025-07-20", BUNDLED]);
    let late = export("stix", &["--as-of", AS_OF, BUNDLED]);
    let (early, late) = (by_id(&early), by_id(&late));
    // A later export names the same objects again (and more, as more became known).
    for id in early.keys() {
        assert!(late.contains_key(id), "{id} is gone from the later export");
    }
    let incident = late
        .values()
        .find(|o| o["type"] == "incident")
        .expect("an incident");
    let core =
        &incident["extensions"]["extension-definition--ef765651-680c-498d-9894-99799f2fa126"];
    assert_eq!(core["extension_type"], "property-extension");
    assert_eq!(core["determination"], "confirmed");
    assert_eq!(core["investigation_status"], "open", "R3 is overdue");
    assert_eq!(
        core["impacted_entity_counts"],
        json!({ "customer": 586 }),
        "entity-type-ov: the 586 contracts are customers"
    );
    let refs = core["events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (&r["event_ref"], "event"))
        .chain(
            core["tasks"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| (&r["task_ref"], "task")),
        );
    let mut n = 0;
    for (r, kind) in refs {
        let object = &late[r.as_str().expect("a reference")];
        assert_eq!(object["type"], kind);
        n += 1;
    }
    let definitions = late
        .values()
        .filter(|o| o["type"] == "extension-definition" || o["type"] == "identity")
        .count();
    assert_eq!(definitions, 3, "breachline's identity and two definitions");
    assert_eq!(
        n,
        late.len() - 1 - definitions,
        "every other object is referenced by the incident"
    );
    // created never after modified; modified is the as-of day, not the clock.
    for o in late.values() {
        assert!(o["created"].as_str() <= o["modified"].as_str(), "{o}");
    }
    assert!(
        incident["modified"]
            .as_str()
            .is_some_and(|m| m.starts_with("2026-11-25T")),
        "on the as-of day: {}",
        incident["modified"]
    );
    assert_eq!(incident["x_breachline_as_of"], AS_OF);
    let r3 = late.values().find(|o| own(o)["id"] == "R3").expect("R3");
    assert_eq!(r3["outcome"], "ongoing");
    assert_eq!(own(r3)["state"], "overdue");
}

/// breachline's own properties of an event or a task: its property extension.
fn own(o: &Value) -> &Value {
    &o["extensions"]["extension-definition--9b7270a7-4eb6-53f5-bf04-88875ddb6211"]
}

/// A platform keeps one version per (id, modified): two exports that say different things
/// never share both. As known and with hindsight are different objects; a later day, or the
/// same day with other content, a new version; the same content, the same version.
#[test]
fn stix_versions_change_with_the_content() {
    let task = |args: &[&str]| {
        let bundle = export("stix", args);
        by_id(&bundle)
            .into_values()
            .find(|o| own(o)["id"] == "R1")
            .expect("R1")
    };
    let known = task(&["--as-of", AS_OF, BUNDLED]);
    let hindsight = task(&["--as-of", AS_OF, "--hindsight", BUNDLED]);
    assert_ne!(
        known["id"], hindsight["id"],
        "the two views are different objects"
    );
    let again = task(&["--as-of", AS_OF, BUNDLED]);
    assert_eq!(
        (&known["id"], &known["modified"]),
        (&again["id"], &again["modified"]),
        "the same content is the same version"
    );
    let earlier = task(&["--as-of", "2025-07-20", BUNDLED]);
    assert_eq!(known["id"], earlier["id"]);
    assert_ne!(known["modified"], earlier["modified"]);
    // The same day, the record edited: R1's title changed.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edited.yaml");
    let bundled = fs::read_to_string(root().join(BUNDLED)).unwrap();
    let title = known["name"].as_str().expect("a name");
    assert_eq!(bundled.matches(title).count(), 1, "{title}");
    fs::write(&file, bundled.replace(title, "Edited")).unwrap();
    let edited = task(&["--as-of", AS_OF, file.to_str().unwrap()]);
    assert_eq!(edited["id"], known["id"]);
    assert_ne!(edited["modified"], known["modified"], "another version");
}

#[test]
fn interchange_exports_are_reproducible() {
    for format in ["veris", "stix"] {
        let args = [
            "--as-of",
            AS_OF,
            BUNDLED,
            "tests/fixtures/valid/obligations.yaml",
        ];
        assert_eq!(
            export_text(format, &args),
            export_text(format, &args),
            "{format}"
        );
    }
}

#[test]
fn the_json_extension_still_means_the_json_export() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.json");
    let done = run(breachline()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["export", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(BUNDLED));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let v: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["format"], 1, "breachline's own JSON, not VERIS or STIX");
}

/// A confirmed figure given only as a maximum ("up to") is not written as an exact total:
/// VERIS gets no `data_total`, STIX no `impacted_entity_counts`, and both say `up_to`.
#[test]
fn a_maximum_is_never_an_exact_total() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("upto.yaml");
    let bundled = fs::read_to_string(root().join("incidents/secure-mx-2025.yaml")).unwrap();
    let confirmed = "  confirmed:\n";
    assert_eq!(bundled.matches(confirmed).count(), 1);
    fs::write(
        &file,
        bundled.replace(confirmed, "  confirmed:\n    up_to: true\n"),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let as_of = ["--as-of", "2026-11-25", path];
    let veris = export("veris", &as_of);
    let c = &veris["attribute"]["confidentiality"];
    assert_eq!(c["data_disclosure"], "Yes");
    assert!(c.get("data_total").is_none(), "{c}");
    assert_eq!(c["data"], json!([{ "variety": "Unknown" }]));
    assert_eq!(
        veris["plus"]["breachline"]["impact"]["confirmed"]["up_to"],
        true
    );
    let stix = export_text("stix", &as_of);
    assert!(!stix.contains("impacted_entity_counts"), "{stix}");
    assert!(stix.contains("\"up_to\": true"), "{stix}");

    let exact = export("veris", &["--as-of", "2026-11-25"]);
    assert_eq!(exact["attribute"]["confidentiality"]["data_total"], 311288);
}
