//! VERIS's own validator, ported: the rules of `checkValidity.py` (vz-risk/veris, commit
//! 45d9d7ace489b9b7bc4f1cee1daa4bf4872dfcaf, `bin/checkValidity.py`) beside the schema check,
//! so that `cargo test` checks exports as VERIS's tool does, without Python.
//!
//! Licence: this file is adapted from checkValidity.py, part of the VERIS project
//! (c) Verizon, licensed under Creative Commons Attribution-ShareAlike 4.0 International
//! (tests/standards/veris/LICENSE.txt); this adaptation is under the same licence. Changes:
//! translated from Python to Rust; the rules' messages are kept word for word. `checkYear`
//! applies only to records with `plus.dbir_year`, which breachline never writes, and is left
//! out (the test asserts the key is absent). How the tool reads files is ported too: a file
//! must hold one object ("is a list … it must be zipped" otherwise).

use serde_json::Value;

/// The value at `path` (object keys), if every step is there.
fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

fn has_key(v: &Value, path: &[&str], key: &str) -> bool {
    at(v, path).and_then(|o| o.get(key)).is_some()
}

/// Python's `x in inDict.get(...).get(..., [])`: membership in a list, or a key of an object.
fn lists(v: &Value, path: &[&str], item: &str) -> bool {
    match at(v, path) {
        Some(Value::Array(a)) => a.iter().any(|x| x == item),
        Some(Value::Object(o)) => o.contains_key(item),
        Some(Value::String(s)) => s.contains(item),
        _ => false,
    }
}

fn len(v: &Value, path: &[&str]) -> usize {
    at(v, path).and_then(Value::as_array).map_or(0, Vec::len)
}

/// What `checkValidity.py` reports for the text of one file: its "ERROR" messages.
pub fn check_file(text: &str) -> Vec<String> {
    let Ok(incident) = serde_json::from_str::<Value>(text) else {
        return vec!["did not parse properly. Skipping".into()];
    };
    if incident.is_array() {
        return vec![
            "is a list (presumably of VERIS json).  If so, it must be zipped to be processed.  Skipping."
                .into(),
        ];
    }
    assert!(
        at(&incident, &["plus", "dbir_year"]).is_none(),
        "checkYear is not ported: a record with plus.dbir_year needs it"
    );
    rules(&incident)
}

/// `main(incident)` of checkValidity.py: its rules in its order. Where the Python would raise
/// (a missing `attribute`, `action` or `actor` indexed directly), a message says so.
pub fn rules(i: &Value) -> Vec<String> {
    let mut e = Vec::new();
    let mut err = |s: &str| e.push(s.to_owned());
    // checkMalwareIntegrity
    if has_key(i, &["action"], "malware")
        && !lists(
            i,
            &["attribute", "integrity", "variety"],
            "Software installation",
        )
    {
        err("Malware present, but no Software installation in attribute.integrity.variety");
    }
    // checkSocialIntegrity
    if has_key(i, &["action"], "social")
        && !lists(i, &["attribute", "integrity", "variety"], "Alter behavior")
    {
        err("acton.social present, but Alter behavior not in attribute.integrity.variety");
    }
    // checkSQLiRepurpose
    if lists(i, &["action", "hacking", "variety"], "SQLi")
        && !lists(i, &["attribute", "integrity", "variety"], "Repurpose")
    {
        err("action.hacking.SQLi present but Repurpose not in attribute.integrity.variety");
    }
    // checkSecurityIncident
    match i.get("security_incident") {
        None => err("security_incident not in incident."),
        Some(s) if s == "Confirmed" && i.get("attribute").is_none() => {
            err("security_incident Confirmed but attribute section not present")
        }
        _ => {}
    }
    // checkLossTheftAvailability
    if (lists(i, &["action", "physical", "variety"], "Theft")
        || lists(i, &["action", "error", "variety"], "Loss"))
        && !lists(i, &["attribute", "availability", "variety"], "Loss")
    {
        err("action.physical.theft or action.error.loss present but attribute.availability.loss not present");
    }
    // checkPlusAttributeConsistency
    if has_key(i, &["plus", "attribute"], "confidentiality")
        && !has_key(i, &["attribute"], "confidentiality")
    {
        err("plus.attribute.confidentiality present but confidentiality is not an affected attribute.");
    }
    // checkImpactTotal
    if let Some(losses) = at(i, &["impact", "loss"]).and_then(Value::as_array) {
        let sum: f64 = losses
            .iter()
            .filter_map(|l| l.get("amount").and_then(Value::as_f64))
            .sum();
        let overall = at(i, &["impact", "overall_amount"])
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        if sum > overall {
            err("The amounts in impact.loss sum to more than impact.overall_amount.");
        }
    }
    // checkMisuseActor (the Python indexes `action` and `actor` directly)
    match (i.get("action"), i.get("actor")) {
        (Some(action), Some(actor)) => {
            if action.get("misuse").is_some()
                && actor.get("internal").is_none()
                && actor.get("partner").is_none()
            {
                err("Misuse in action, but no internal or partner actor defined.");
            }
        }
        _ => err("KeyError: action or actor missing (checkMisuseActor raises)"),
    }
    // checkDataTotal (indexes `attribute` directly)
    match i.get("attribute") {
        None => err("KeyError: attribute missing (checkDataTotal raises)"),
        Some(a) => {
            if let Some(data) = at(a, &["confidentiality", "data"]).and_then(Value::as_array) {
                let max = data
                    .iter()
                    .map(|d| d.get("amount").and_then(Value::as_i64).unwrap_or(0))
                    .max();
                let total = at(a, &["confidentiality", "data_total"])
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                match max {
                    None => err("ValueError: max() of an empty attribute.confidentiality.data"),
                    Some(m) if m > total => err("The maximum amount of attribute.confidentiality.data.amount is more than attribute.confidentiality.data_total."),
                    _ => {}
                }
            }
        }
    }
    // checkRegion
    let regions: &[(&str, &[&str])] = &[
        ("002", &["011", "014", "017", "018", "015", "000"]),
        ("010", &["000"]),
        ("019", &["021", "005", "013", "029", "419", "000"]),
        ("419", &["005", "013", "029"]),
        ("142", &["030", "034", "035", "143", "145", "000"]),
        ("150", &["039", "151", "154", "830", "155", "000"]),
        ("009", &["053", "054", "057", "061", "000"]),
        ("000", &["000"]),
    ];
    let unused = ["001", "020", "003"];
    for region in at(i, &["victim", "region"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match region.as_str() {
            Some(r) if r.len() == 6 && r.is_ascii() => {
                let (sup, sub) = r.split_at(3);
                if unused.contains(&sup) {
                    err(&format!("Region {r} is incorrect."));
                } else if !regions
                    .iter()
                    .any(|(s, subs)| *s == sup && subs.contains(&sub))
                {
                    err(&format!(
                        "victim.region second half, ('{sub}') does not match first half '{sup}'"
                    ));
                }
            }
            _ => err(&format!(
                "Victim.region {region} is not a six character string."
            )),
        }
    }
    // checkSecondaryVictimAmount
    let secondary = len(i, &["victim", "secondary", "victim_id"]);
    let amount = at(i, &["victim", "secondary", "amount"])
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if secondary as u64 > amount {
        err("victim.secondary.victim_id lists more victims than victim.secondary.amount.");
    }
    // checkValueChain (indexes `action` directly; every rule fires only on an action variety
    // or vector breachline never writes, so each is checked by its trigger)
    if let Some(action) = i.get("action") {
        let triggers: &[(&[&str], &str)] = &[
            (&["social", "variety"], "Phishing"),
            (&["malware", "vector"], "C2"),
            (&["malware", "variety"], "Ransomware"),
            (&["social", "vector"], "Email"),
            (&["malware", "variety"], "Trojan"),
            (&["social", "variety"], "Pretexting"),
            (&["hacking", "variety"], "Use of stolen creds"),
            (&["hacking", "variety"], "Exploit vuln"),
            (&["malware", "variety"], "Downloader"),
            (&["hacking", "variety"], "Exploit misconfig"),
            (&["malware", "variety"], "Exploit misconfig"),
            (&["malware", "vector"], "Web application"),
            (&["social", "vector"], "Web application"),
        ];
        for (path, item) in triggers {
            if lists(action, path, item) {
                err(&format!(
                    "action.{}.{item}: a value_chain rule applies (not ported in detail)",
                    path.join(".")
                ));
            }
        }
        if action.get("malware").is_some()
            && len(i, &["value_chain", "development", "variety"]) == 0
        {
            err("Because there is a malware action, consider adding a value_chain development variety, even if it is 'Unknown'.");
        }
    }
    // checkDefacementInterruption
    if lists(i, &["attribute", "integrity", "variety"], "Defacement")
        && !lists(i, &["attribute", "availability"], "Interruption")
    {
        err("Because there is a defacement, consider adding Interruption to Availability");
    }
    e
}

/// The port is not vacuous: each rule breachline's records could meet fires.
#[test]
fn the_ported_rules_fire() {
    use serde_json::json;
    let ok = json!({
        "security_incident": "Confirmed",
        "action": { "unknown": {} },
        "actor": { "unknown": {} },
        "attribute": { "confidentiality": { "data": [{ "variety": "Unknown", "amount": 5 }], "data_total": 5 } },
        "victim": { "region": ["000000"] },
    });
    assert!(rules(&ok).is_empty(), "{:?}", rules(&ok));
    let mut over = ok.clone();
    over["attribute"]["confidentiality"]["data_total"] = json!(4);
    assert_eq!(rules(&over).len(), 1);
    let mut region = ok.clone();
    region["victim"]["region"] = json!(["150010"]);
    assert_eq!(rules(&region).len(), 1);
    let mut bare = ok.clone();
    bare.as_object_mut().map(|o| o.remove("attribute"));
    assert_eq!(rules(&bare).len(), 2, "{:?}", rules(&bare));
    assert_eq!(check_file("[]").len(), 1, "a list is skipped");
    let mut malware = ok;
    malware["action"] = json!({ "malware": { "variety": ["Ransomware"] } });
    assert!(rules(&malware).len() >= 2);
}
