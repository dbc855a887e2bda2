//! The incident format: plain data, as written in `incidents/*.yaml`.
//!
//! Every struct denies unknown keys so that a misspelt key is an error, not silently ignored.
//! Computing (states, durations) lives in `evaluate`, not here.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::clock::Period;
use crate::date::{looks_like_date, parse_moment, Day, Moment, When};
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
    /// Reports owed to regulators, with clocks computed from the timeline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<Obligation>,
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

/// A report owed to a regulator (or anyone), due within a period of a starting moment.
///
/// The period comes from a built-in `rule` or an explicit `within`; the clock starts at
/// `starts_at` (an event or a moment) or, for a report due after another, at `after`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: Id,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Period>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub starts_at: Option<StartsAt>,
    /// The id of the obligation whose completion (or, failing that, deadline) starts this clock.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub after: Option<Id>,
    /// The days `rule: appi-preliminary` allows for "promptly".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_days: Option<u32>,
    /// Days that are not business days besides Saturdays and Sundays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Day>,
    /// Silence is `unknown`: a missing record is not a missed deadline.
    #[serde(default)]
    pub status: ObligationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Moment>,
    /// Done on or before this day (a source confirms it was filed, but not when).
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

/// An optional key that, when written, must hold a value: `starts_at: #1` reads as an empty
/// value (the rest is a comment), and the value's own visitor says so.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Built-in reporting rules; each one's period and legal reference are in `clock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Rule {
    #[serde(rename = "appi-preliminary")]
    AppiPreliminary,
    #[serde(rename = "appi-final")]
    AppiFinal,
    #[serde(rename = "appi-final-improper-purpose")]
    AppiFinalImproperPurpose,
    #[serde(rename = "tba-detailed-report")]
    TbaDetailedReport,
    #[serde(rename = "gdpr-art33")]
    GdprArt33,
    #[serde(rename = "nis2-early-warning")]
    Nis2EarlyWarning,
    #[serde(rename = "nis2-notification")]
    Nis2Notification,
    #[serde(rename = "nis2-final-report")]
    Nis2FinalReport,
    #[serde(rename = "sec-8k-1-05")]
    Sec8k105,
}

impl Rule {
    pub const ALL: [Rule; 9] = [
        Rule::AppiPreliminary,
        Rule::AppiFinal,
        Rule::AppiFinalImproperPurpose,
        Rule::TbaDetailedReport,
        Rule::GdprArt33,
        Rule::Nis2EarlyWarning,
        Rule::Nis2Notification,
        Rule::Nis2FinalReport,
        Rule::Sec8k105,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::AppiPreliminary => "appi-preliminary",
            Rule::AppiFinal => "appi-final",
            Rule::AppiFinalImproperPurpose => "appi-final-improper-purpose",
            Rule::TbaDetailedReport => "tba-detailed-report",
            Rule::GdprArt33 => "gdpr-art33",
            Rule::Nis2EarlyWarning => "nis2-early-warning",
            Rule::Nis2Notification => "nis2-notification",
            Rule::Nis2FinalReport => "nis2-final-report",
            Rule::Sec8k105 => "sec-8k-1-05",
        }
    }
}

/// What the sources say of a report. Unlike remediation, silence is a status of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationStatus {
    Planned,
    InProgress,
    Done,
    Cancelled,
    #[default]
    Unknown,
}

impl ObligationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ObligationStatus::Planned => "planned",
            ObligationStatus::InProgress => "in_progress",
            ObligationStatus::Done => "done",
            ObligationStatus::Cancelled => "cancelled",
            ObligationStatus::Unknown => "unknown",
        }
    }
}

/// Where a clock starts: an event of the timeline (`"#1"`) or a moment written out.
///
/// Text shaped like a date (four digits and a hyphen) is read as a date; anything else is an
/// event id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartsAt {
    Event(Id),
    At(Moment),
}

impl fmt::Display for StartsAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartsAt::Event(id) => write!(f, "{id}"),
            StartsAt::At(m) => write!(f, "{m}"),
        }
    }
}

struct StartsAtVisitor;

const STARTS_AT: &str = "an event id such as \"#1\" or a date YYYY-MM-DD";

impl Visitor<'_> for StartsAtVisitor {
    type Value = StartsAt;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(STARTS_AT)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<StartsAt, E> {
        if looks_like_date(v) {
            parse_moment(v).map(StartsAt::At).map_err(E::custom)
        } else {
            IdVisitor.visit_str(v).map(StartsAt::Event)
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<StartsAt, E> {
        Err(number_start(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<StartsAt, E> {
        Err(number_start(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<StartsAt, E> {
        Err(number_start(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<StartsAt, E> {
        Err(E::custom(format!("expected {STARTS_AT}, found `{v}`")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<StartsAt, E> {
        Err(E::custom(format!(
            "expected {STARTS_AT}, found nothing: in YAML a value starting with # is a comment, so write \"#1\" in quotes"
        )))
    }
}

fn number_start<E: de::Error>(v: impl fmt::Display) -> E {
    E::custom(format!(
        "expected {STARTS_AT}, found the number {v}: put an event id in quotes (\"{v}\")"
    ))
}

impl<'de> Deserialize<'de> for StartsAt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StartsAtVisitor)
    }
}

impl Serialize for StartsAt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
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
