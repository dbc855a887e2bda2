//! The JSON Schema of the incident format, for editors (yaml-language-server) and other tools.
//!
//! Generated from the same types the loader deserialises ([`crate::model::Incident`]), so the
//! two cannot drift apart; `docs/incident.schema.json` is a committed copy, checked by a test.
//! The schema describes the shape of a file; the checks across fields (ids that refer to
//! sources, completion dates against status) stay in `validate`, which `breachline validate`
//! runs.

use schemars::generate::SchemaSettings;

use crate::model::Incident;

/// Draft-07: the draft yaml-language-server (and so VS Code and Neovim setups) supports fully.
pub fn incident_schema() -> serde_json::Value {
    let generator = SchemaSettings::draft07().into_generator();
    generator.into_root_schema_for::<Incident>().to_value()
}

/// The schema as `breachline schema` prints it: pretty, with a final newline.
pub fn incident_schema_json() -> String {
    // A `Value` always serialises.
    crate::render::json::pretty::to_string(&incident_schema()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_refused_in_every_object() {
        let schema = incident_schema();
        assert_eq!(schema["additionalProperties"], false);
        let defs = schema["definitions"].as_object().expect("definitions");
        for name in ["Source", "Event", "Impact", "ImpactFigure", "Remediation"] {
            assert_eq!(defs[name]["additionalProperties"], false, "{name}");
        }
    }

    #[test]
    fn every_property_is_described() {
        let schema = incident_schema();
        let mut objects = vec![("Incident".to_owned(), &schema)];
        for (name, def) in schema["definitions"].as_object().expect("definitions") {
            objects.push((name.clone(), def));
        }
        for (name, object) in objects {
            assert!(
                object["description"].is_string(),
                "{name} has no description"
            );
            if let Some(props) = object["properties"].as_object() {
                for (key, prop) in props {
                    assert!(
                        prop["description"].is_string(),
                        "{name}.{key} has no description"
                    );
                }
            }
        }
    }
}
