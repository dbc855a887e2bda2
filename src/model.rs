//! The incident format: plain data, as written in `incidents/*.yaml`.
//!
//! Every struct denies unknown keys so that a misspelt key is an error, not silently ignored.
//! Computing (states, durations) lives in `evaluate`, not here.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::date::{Day, When};
use crate::text::Text;

/// The version of the format this build reads.
pub const FORMAT_VERSION: u64 = 1;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub format: FormatVersion,
    pub id: Id,
    pub title: Text,
    pub organization: Text,
    pub service: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    /// The day the facts were last checked against the sources.
    pub reviewed: Day,
    pub sources: Vec<Source>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    #[serde(default)]
    pub remediation: Vec<Remediation>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Id,
    pub title: Text,
    pub publisher: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Day>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Id,
    pub date: When,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<When>,
    pub kind: EventKind,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    #[serde(default)]
    pub sources: Vec<Id>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Compromise,
    Detection,
    Notification,
    Disclosure,
    Advisory,
    Investigation,
    Containment,
    Response,
    Other,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Compromise => "compromise",
            EventKind::Detection => "detection",
            EventKind::Notification => "notification",
            EventKind::Disclosure => "disclosure",
            EventKind::Advisory => "advisory",
            EventKind::Investigation => "investigation",
            EventKind::Containment => "containment",
            EventKind::Response => "response",
            EventKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub potential: Option<ImpactFigure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<ImpactFigure>,
}

/// Counts affected as published on a day. A count left out is unknown, not zero.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactFigure {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts: Option<Count>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Count>,
    /// The day these figures were published.
    pub as_of: Day,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    #[serde(default)]
    pub sources: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    pub id: Id,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<CsfFunction>,
    /// Due by the end of this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Day>,
    /// First made public; as of earlier dates the item is not shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<Day>,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Day>,
    /// Done on or before this day (a source confirms it was done, but not when).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_by: Option<Day>,
    /// The day a source last confirmed `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_as_of: Option<Day>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// NIST Cybersecurity Framework 2.0 functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CsfFunction {
    Govern,
    Identify,
    Protect,
    Detect,
    Respond,
    Recover,
}

impl CsfFunction {
    pub fn as_str(self) -> &'static str {
        match self {
            CsfFunction::Govern => "govern",
            CsfFunction::Identify => "identify",
            CsfFunction::Protect => "protect",
            CsfFunction::Detect => "detect",
            CsfFunction::Respond => "respond",
            CsfFunction::Recover => "recover",
        }
    }
}

/// What the sources say of a remediation item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }
}

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

struct IdVisitor;

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
        Ok(Id(v.to_owned()))
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
            "expected an id, found nothing: in YAML a value starting with # is a comment, so write \"#0\" in quotes",
        ))
    }
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
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
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
        d.deserialize_any(CountVisitor)
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
