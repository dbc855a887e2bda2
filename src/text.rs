//! Text that may be written once or in several languages.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The languages breachline renders in. Text may carry any language tag; these two are the
/// ones a reader can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Ja,
            Lang::Ja => Lang::En,
        }
    }
}

/// A text field: a plain string, or a map of language tag to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    /// In file order; keys are unique (checked on parsing).
    Localized(Vec<(String, String)>),
}

impl Text {
    /// The text in `lang`, else in the other language, else in whatever language there is.
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Localized(pairs) => {
                let find = |code: &str| pairs.iter().find(|(k, _)| k == code).map(|(_, v)| v);
                find(lang.code())
                    .or_else(|| find(lang.other().code()))
                    .or_else(|| pairs.first().map(|(_, v)| v))
                    .map_or("", String::as_str)
            }
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Text::Plain(s) => s.trim().is_empty(),
            Text::Localized(pairs) => pairs.iter().all(|(_, v)| v.trim().is_empty()),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_owned())
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text, or a map of language to text such as {en: ..., ja: ...}")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::Plain(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text::Plain(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Err(quote_it(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Err(quote_it(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Err(quote_it(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Err(quote_it(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Err(E::custom(
            "expected text, found nothing (an empty value, `~` or `null`; a value starting with # is a comment)",
        ))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        // A set beside the list: searching the list for each key is quadratic, and a map of
        // tens of thousands of "languages" then takes minutes.
        let mut seen: HashSet<String> = HashSet::new();
        while let Some(lang) = map.next_key::<String>()? {
            if !seen.insert(lang.clone()) {
                return Err(de::Error::custom(format!(
                    "language `{lang}` is given twice in this text"
                )));
            }
            let text: PlainString = map.next_value()?;
            pairs.push((lang, text.0));
        }
        if pairs.is_empty() {
            return Err(de::Error::custom(
                "expected text, found an empty map: give at least one language, e.g. {en: ...}",
            ));
        }
        Ok(Text::Localized(pairs))
    }
}

fn quote_it<E: de::Error>(v: impl fmt::Display) -> E {
    E::custom(format!(
        "expected text, found `{v}`, which YAML reads as a number or boolean; put it in quotes: \"{v}\""
    ))
}

/// A string inside a language map: only strings, with the same hints as a plain text.
struct PlainString(String);

impl<'de> Deserialize<'de> for PlainString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(TextVisitor)? {
            Text::Plain(s) => Ok(PlainString(s)),
            Text::Localized(_) => Err(de::Error::custom(
                "expected text in this language, found a map",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Text::Plain(v) => s.serialize_str(v),
            Text::Localized(pairs) => {
                let mut map = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// As the visitor reads it: a string, or a non-empty map of language tag to string.
impl schemars::JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Text, written once (`title: Leak`) or per language (`title: {en: Leak, ja: 漏えい}`). `--lang` picks the language, falling back to the other.",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": { "type": "string" },
                    "properties": {
                        "en": { "type": "string", "description": "English" },
                        "ja": { "type": "string", "description": "Japanese" },
                    },
                },
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(pairs: &[(&str, &str)]) -> Text {
        Text::Localized(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn picks_the_asked_language_then_the_other_then_any() {
        let both = loc(&[("en", "leak"), ("ja", "漏えい")]);
        assert_eq!(both.get(Lang::En), "leak");
        assert_eq!(both.get(Lang::Ja), "漏えい");
        assert_eq!(loc(&[("en", "leak")]).get(Lang::Ja), "leak");
        assert_eq!(loc(&[("ja", "漏えい")]).get(Lang::En), "漏えい");
        assert_eq!(loc(&[("de", "Leck")]).get(Lang::En), "Leck");
        assert_eq!(Text::from("plain").get(Lang::Ja), "plain");
    }

    #[test]
    fn blank_means_only_white_space() {
        assert!(Text::from("  ").is_blank());
        assert!(loc(&[("en", ""), ("ja", " ")]).is_blank());
        assert!(!loc(&[("en", ""), ("ja", "x")]).is_blank());
    }
}
