//! The format's scalar values with their own visitors: ids, counts and the format version,
//! each refusing a wrong value with a message serde_yaml can place on a line and column.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::FORMAT_VERSION;

/// An identifier: non-empty text. Numbers and `#0` written without quotes get a hint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(super) struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = Id;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id (text)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
        if v.trim().is_empty() {
            return Err(E::custom(
                "an id must not be empty or only spaces: give a short name such as R1",
            ));
        }
        if v.trim() != v {
            return Err(E::custom(format!(
                "id `{v}` starts or ends with spaces: remove them"
            )));
        }
        // Most ids are ASCII: only its controls can be invisible, and it is already in NFC.
        if v.is_ascii() && !v.bytes().any(|b| b < 0x20 || b == 0x7F) {
            return Ok(Id(v.to_owned()));
        }
        if let Some(c) = v.chars().find(|&c| is_invisible(c)) {
            return Err(E::custom(format!(
                "id `{}` holds the invisible character U+{:04X}: two ids that print the same must be the same id; remove it",
                v.chars()
                    .map(|c| if is_invisible(c) { c.escape_unicode().to_string() } else { c.to_string() })
                    .collect::<String>(),
                u32::from(c)
            )));
        }
        // Compared, and shown, in one form: `café` typed composed in one place and decomposed
        // in another is the same id (Unicode NFC).
        if unicode_normalization::is_nfc_quick(v.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            Ok(Id(v.to_owned()))
        } else {
            use unicode_normalization::UnicodeNormalization as _;
            Ok(Id(v.nfc().collect()))
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
        Err(number_id(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
        Err(number_id(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Id, E> {
        Err(number_id(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Id, E> {
        Err(E::custom(format!(
            "expected an id, found `{v}`, which YAML reads as a boolean; put it in quotes: \"{v}\""
        )))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Id, E> {
        Err(E::custom(
            "expected an id, found nothing (an empty value, `~` or `null`); a value starting with # is a comment, so write \"#0\" in quotes",
        ))
    }
}

/// Characters that print as nothing or change how their neighbours print: controls, format
/// characters (zero-width spaces and joiners, bidirectional controls, the byte-order mark,
/// soft hyphen, tag characters) and the other default-ignorable code points (variation
/// selectors, Hangul fillers).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

fn number_id<E: de::Error>(v: impl fmt::Display) -> E {
    E::custom(format!(
        "expected an id, found the number {v}; ids are text: put it in quotes: \"{v}\""
    ))
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IdVisitor)
    }
}

/// [`is_invisible`] as a regex character class body, for the characters of the Basic
/// Multilingual Plane (a schema regex without the `u` flag cannot name the others).
const INVISIBLE: &str = "\\u0000-\\u001F\\u007F-\\u009F\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFFB";

/// White space as `str::trim` sees it (Unicode White_Space), as a regex character class body.
/// Spelt out rather than `\s` because ECMAScript's `\s` also matches U+FEFF.
const WHITE_SPACE: &str =
    "\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

/// As `IdVisitor` reads it: a string, not empty, not starting or ending with white space.
impl JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An id: text, not empty, without spaces at either end. Quote ids that start with # (\"#1\") and ids that YAML would read as numbers or booleans.",
            "type": "string",
            "minLength": 1,
            "pattern": format!("^[^{WHITE_SPACE}]([\\s\\S]*[^{WHITE_SPACE}])?$"),
            "not": { "pattern": format!("[{INVISIBLE}]") },
        })
    }
}

/// A count of contracts or accounts: a whole number, zero or more, that fits in 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Count(pub u64);

struct CountVisitor;

impl Visitor<'_> for CountVisitor {
    type Value = Count;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number, zero or more")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
        Ok(Count(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
        u64::try_from(v).map(Count).map_err(|_| {
            E::custom(format!(
                "a count cannot be negative ({v}): leave the key out if the number is unknown"
            ))
        })
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Count, E> {
        u64::try_from(v).map(Count).map_err(|_| {
            E::custom(format!(
                "count {v} is too large (the limit is {})",
                u64::MAX
            ))
        })
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Count, E> {
        u64::try_from(v)
            .map(Count)
            .map_err(|_| E::custom(format!("count {v} is out of range (0 to {})", u64::MAX)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
        Err(E::custom(format!(
            "expected a whole number, found {v}: counts are written without decimals or separators, e.g. 4072650"
        )))
    }
    /// Counts are read as written (see `Deserialize for Count`): decimal digits only. YAML
    /// would read `0x10` as 16, `0o10` as 8 and `+10` as 10, none of which the format allows.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(v) {
            return v.parse::<u64>().map(Count).map_err(|_| {
                E::custom(format!(
                    "count {v} is too large (the limit is {})",
                    u64::MAX
                ))
            });
        }
        if v.strip_prefix('-').is_some_and(digits) {
            return Err(E::custom(format!(
                "a count cannot be negative ({v}): leave the key out if the number is unknown"
            )));
        }
        let lower = v.to_ascii_lowercase();
        if v.starts_with('+')
            || ["0x", "0o", "0b", "-0x", "-0o", "-0b"]
                .iter()
                .any(|p| lower.starts_with(p))
        {
            return Err(E::custom(format!(
                "count `{v}` is not written in decimal digits: write digits only, e.g. 4072650 (no sign, no 0x or 0o)"
            )));
        }
        match v {
            "true" | "false" => return self.visit_bool(v == "true"),
            "~" | "null" | "Null" | "NULL" | "" => return self.visit_unit(),
            _ => {}
        }
        if v.parse::<f64>().is_ok() || matches!(lower.as_str(), ".inf" | "-.inf" | ".nan") {
            return Err(E::custom(format!(
                "expected a whole number, found {v}: counts are written without decimals or separators, e.g. 4072650"
            )));
        }
        Err(E::custom(format!(
            "expected a whole number, found the text `{v}`: write digits only, e.g. 4072650, or leave the key out if unknown"
        )))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Count, E> {
        Err(E::custom(format!("expected a whole number, found `{v}`")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Count, E> {
        Err(E::custom(
            "expected a whole number, found nothing: leave the key out if the number is unknown",
        ))
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // As text, so that the digits are seen as written: serde_yaml hands any scalar over as
        // its text when asked for a string (a quoted "12" too, which is read as 12).
        d.deserialize_str(CountVisitor)
    }
}

impl JsonSchema for Count {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Count".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A whole number, zero or more, written with digits only (4072650, not 4,072,650).",
            "type": "integer",
            "minimum": 0,
            "maximum": u64::MAX,
        })
    }
}

/// `format: 1`. A file from a newer breachline says so rather than failing on unknown keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FormatVersion(pub u64);

struct FormatVisitor;

impl Visitor<'_> for FormatVisitor {
    type Value = FormatVersion;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the format version {FORMAT_VERSION}")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FormatVersion, E> {
        if v == FORMAT_VERSION {
            Ok(FormatVersion(v))
        } else {
            Err(E::custom(format!(
                "format {v} is not supported: this breachline reads format {FORMAT_VERSION}; upgrade breachline or write `format: {FORMAT_VERSION}`"
            )))
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FormatVersion, E> {
        Err(E::custom(format!(
            "format {v} is not supported: write `format: {FORMAT_VERSION}`"
        )))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<FormatVersion, E> {
        Err(E::custom(format!(
            "expected the format version as a number, found the text `{v}`: write `format: {FORMAT_VERSION}`"
        )))
    }
}

impl<'de> Deserialize<'de> for FormatVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FormatVisitor)
    }
}

impl JsonSchema for FormatVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FormatVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": format!("The version of the file format: {FORMAT_VERSION}."),
            "type": "integer",
            "const": FORMAT_VERSION,
        })
    }
}
