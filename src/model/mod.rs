//! The incident format: plain data, as written in `incidents/*.yaml`.
//!
//! Every struct denies unknown keys so that a misspelt key is an error, not silently ignored.
//! Computing (states, durations) lives in `evaluate`, not here.

mod values;

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::clock::Period;
use crate::date::{looks_like_date, parse_moment, Day, Moment, TimeZone, When, Zone};
use crate::text::Text;
use values::IdVisitor;
pub use values::{is_invisible, Count, FormatVersion, Id};

/// The version of the format this build reads.
pub const FORMAT_VERSION: u64 = 1;

// Doc comments on these types and their fields are also the descriptions an editor shows from
// the JSON Schema (`breachline schema`): write them for the people who write incident files.

/// A security incident as its public sources describe it: one incident per file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "breachline incident")]
pub struct Incident {
    /// The version of this file format: always 1.
    pub format: FormatVersion,
    /// A short, stable name for the incident, unique among your incident files (e.g. `acme-mail-2025`).
    pub id: Id,
    /// What happened, in a line.
    pub title: Text,
    /// The organisation that had the incident.
    pub organization: Text,
    /// The affected service or system.
    pub service: Text,
    /// A paragraph for readers who read nothing else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    /// The day the facts were last checked against the sources. Completion dates may not be later.
    pub reviewed: Day,
    /// The IANA time zone (e.g. `Asia/Tokyo`) whose calendar days the date-times fall on, for
    /// `--as-of` and day counts. Without it, a date-time falls on the day written at its own offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<TimeZone>,
    /// Where the facts come from. Events, impact figures and remediation items cite these by id.
    pub sources: Vec<Source>,
    /// What happened when, in any order: views sort by time (date-times as instants, a day at its start).
    #[serde(default)]
    pub events: Vec<Event>,
    /// How many were affected, potentially and confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    /// Countermeasures announced, with their deadlines and where they stand.
    #[serde(default)]
    pub remediation: Vec<Remediation>,
    /// Reports owed to regulators, with clocks computed from the timeline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<Obligation>,
}

impl Incident {
    /// Which day each of this incident's moments falls on, and where its whole days start.
    pub fn zone(&self) -> Zone {
        Zone::new(
            self.timezone.map(|t| t.0),
            self.events
                .iter()
                .flat_map(|e| [Some(e.date), e.until])
                .flatten()
                .filter_map(|w| w.offset()),
        )
    }
}

/// A public source: a press release, an advisory, a news report, a filing.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The name other entries cite it by, in their `sources: [...]`.
    pub id: Id,
    /// The source's title (say so in `detail` if it is a descriptive one of your own).
    pub title: Text,
    /// Who published it.
    pub publisher: Text,
    /// The day it was published, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Day>,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Notes on the source: what is used from it, how reliable it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
}

/// Something that happened, on a day (or in a month, or at an instant).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// A name unique among the events, e.g. "#1" (quote ids that start with #: YAML reads # as a comment).
    pub id: Id,
    /// When it happened or began.
    pub date: When,
    /// The last day of an activity that lasted (e.g. the end of unauthorised access); until then it is ongoing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<When>,
    /// What sort of event this is; the key intervals (dwell time, time to disclosure) are measured between kinds.
    pub kind: EventKind,
    /// What happened, in a line.
    pub title: Text,
    /// More on what happened, and what the sources say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    /// Ids of the sources (declared under the top-level `sources`) that report this event.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// The day it was first made known, when that is not the date of its earliest dated
    /// source (e.g. a completion known only from a report weeks later). Views as of an
    /// earlier day do not show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Day>,
}

/// The sort of event: compromise (attack began), detection (the organisation became aware),
/// notification (those affected or a regulator were told), disclosure (made public), advisory
/// (a vulnerability or authority notice), investigation, containment, response, other.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema, clap::ValueEnum,
)]
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

/// How many were affected: what was first feared, and what was confirmed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// The figures of those possibly affected: one figure, or a list of dated revisions (the
    /// latest published by a day is the one shown on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub potential: Option<Figures>,
    /// The figures of those confirmed affected: one figure, or a list of dated revisions. Not
    /// more than the potential ones (with revisions, a larger confirmed count is a warning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<Figures>,
    /// What this incident's counts are of, as the views should call them, per unit, e.g.
    /// `accounts: {en: mail accounts, ja: メールアカウント}`. A unit without a label is shown by
    /// its name (`mail_bodies`: mail bodies; contracts and accounts in the view's language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<UnitMap<Text>>,
}

/// One impact figure, or a list of its dated revisions.
#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    One(ImpactFigure),
    Revisions(Vec<ImpactFigure>),
}

impl Figures {
    /// Every figure given, as written.
    pub fn all(&self) -> &[ImpactFigure] {
        match self {
            Figures::One(f) => std::slice::from_ref(f),
            Figures::Revisions(list) => list,
        }
    }

    pub fn is_revisions(&self) -> bool {
        matches!(self, Figures::Revisions(_))
    }
}

const FIGURES: &str = "an impact figure (a map with `as_of`) or a list of dated revisions of it";

struct FiguresVisitor;

impl<'de> Visitor<'de> for FiguresVisitor {
    type Value = Figures;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(FIGURES)
    }
    // Each figure is read straight from the parser (not through an untagged buffer), so that an
    // error inside one keeps its line and column.
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Figures, A::Error> {
        ImpactFigure::deserialize(de::value::MapAccessDeserializer::new(map)).map(Figures::One)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Figures, A::Error> {
        let mut list = Vec::new();
        while let Some(f) = seq.next_element::<ImpactFigure>()? {
            list.push(f);
        }
        if list.is_empty() {
            return Err(de::Error::custom(
                "expected at least one revision, found an empty list: leave the key out if nothing was published",
            ));
        }
        Ok(Figures::Revisions(list))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Figures, E> {
        Err(E::custom(format!(
            "expected {FIGURES}, found nothing: leave the key out if nothing was published"
        )))
    }
}

impl<'de> Deserialize<'de> for Figures {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FiguresVisitor)
    }
}

impl Serialize for Figures {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figures::One(f) => f.serialize(s),
            Figures::Revisions(list) => list.serialize(s),
        }
    }
}

/// As `FiguresVisitor` reads it: one figure, or a non-empty list of them.
impl JsonSchema for Figures {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Figures".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let figure = generator.subschema_for::<ImpactFigure>();
        schemars::json_schema!({
            "description": "One impact figure, or a list of its dated revisions (each with its own `as_of`, no two on the same day; the latest published by a day is shown on it, the earlier ones as history).",
            "oneOf": [
                figure,
                {
                    "type": "array",
                    "description": "Dated revisions of the figure, in any order.",
                    "minItems": 1,
                    "items": figure,
                },
            ],
        })
    }
}

/// Counts affected as published on a day. A count left out is unknown, not zero.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactFigure {
    /// Customer contracts (organisations) affected: shorthand for `counts: {contracts: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts: Option<Count>,
    /// Accounts (e.g. mail accounts) affected: shorthand for `counts: {accounts: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Count>,
    /// Counts per unit, e.g. `{individuals: 12000, records: 48000}`. Units are snake_case names;
    /// `impact.units` gives them words. Leave a unit out if unknown.
    #[serde(default, skip_serializing_if = "UnitMap::is_empty")]
    pub counts: UnitMap<Count>,
    /// The counts are maxima ("up to", 最大), as the source gives them: shown as such.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub up_to: bool,
    /// The kinds of data affected, in the source's words, e.g. `[names, mail addresses]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Text>,
    /// The parts the figures are made of, e.g. per kind of data; shown under the figure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<ImpactPart>,
    /// The day these figures were published; views show them from that day on.
    pub as_of: Day,
    /// What the figures cover: which data, which customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    /// Ids of the sources that publish these figures.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// The day the figures were first made known, when later than `as_of` (e.g. figures
    /// "as of" a day but published after it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Day>,
}

/// A part of an impact figure: the counts of one kind of data or of one group affected.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactPart {
    /// Customer contracts in this part: shorthand for `counts: {contracts: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts: Option<Count>,
    /// Accounts in this part: shorthand for `counts: {accounts: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Count>,
    /// Counts per unit in this part, as in the figure.
    #[serde(default, skip_serializing_if = "UnitMap::is_empty")]
    pub counts: UnitMap<Count>,
    /// The kinds of data in this part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Text>,
    /// What this part covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
}

/// The counts of a figure or of a part, the shorthand keys merged into `counts`.
pub trait Counted {
    fn shorthand(&self) -> [(&'static str, Option<Count>); 2];
    fn unit_counts(&self) -> &UnitMap<Count>;

    /// Each unit with its count: the shorthand units first, then `counts` in file order.
    fn all_counts(&self) -> Vec<(&str, Count)> {
        self.shorthand()
            .into_iter()
            .filter_map(|(u, c)| c.map(|c| (u, c)))
            .chain(self.unit_counts().iter().map(|(u, c)| (u.as_str(), *c)))
            .collect()
    }

    /// The count of one unit, from the shorthand or `counts`.
    fn count_of(&self, unit: &str) -> Option<Count> {
        self.shorthand()
            .into_iter()
            .find_map(|(u, c)| if u == unit { c } else { None })
            .or_else(|| self.unit_counts().get(unit).copied())
    }
}

impl Counted for ImpactFigure {
    fn shorthand(&self) -> [(&'static str, Option<Count>); 2] {
        [("contracts", self.contracts), ("accounts", self.accounts)]
    }
    fn unit_counts(&self) -> &UnitMap<Count> {
        &self.counts
    }
}

impl Counted for ImpactPart {
    fn shorthand(&self) -> [(&'static str, Option<Count>); 2] {
        [("contracts", self.contracts), ("accounts", self.accounts)]
    }
    fn unit_counts(&self) -> &UnitMap<Count> {
        &self.counts
    }
}

/// What a count counts: a snake_case name such as `individuals` or `mail_bodies`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Unit(pub String);

impl Unit {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit name as the schema and `UnitVisitor` accept it.
const UNIT_PATTERN: &str = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";

fn is_unit(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.split('_').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

struct UnitVisitor;

impl Visitor<'_> for UnitVisitor {
    type Value = Unit;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a unit name in snake_case, e.g. individuals or mail_bodies")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Unit, E> {
        if is_unit(v) {
            Ok(Unit(v.to_owned()))
        } else if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            // `{individuals: 1,200}` is two entries in YAML: `individuals: 1` and `200`.
            Err(E::custom(format!(
                "expected a unit name, found the number `{v}`: inside {{...}} a comma separates entries, so write counts without separators (1200, not 1,200)"
            )))
        } else {
            Err(E::custom(format!(
                "unit `{v}` is not a snake_case name: write lower-case letters, digits and single underscores, e.g. mail_bodies"
            )))
        }
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(UnitVisitor)
    }
}

/// A map from unit to a value, in file order; a unit given twice is an error (a plain map
/// would silently keep the last). Looked up by an index, so that a figure with many units
/// costs no more than its length to read, check and show.
#[derive(Debug, Clone)]
pub struct UnitMap<T> {
    pairs: Vec<(Unit, T)>,
    index: foldhash::HashMap<Unit, usize>,
}

impl<T> Default for UnitMap<T> {
    fn default() -> Self {
        UnitMap {
            pairs: Vec::new(),
            index: foldhash::HashMap::default(),
        }
    }
}

impl<T: PartialEq> PartialEq for UnitMap<T> {
    fn eq(&self, other: &Self) -> bool {
        self.pairs == other.pairs
    }
}

impl<T> UnitMap<T> {
    /// The map of `pairs`, or the first unit given twice.
    pub fn from_pairs(pairs: Vec<(Unit, T)>) -> Result<Self, Unit> {
        let mut map = UnitMap::default();
        for (unit, value) in pairs {
            map.insert(unit, value)?;
        }
        Ok(map)
    }

    /// Adds `unit` at the end, unless it is there already (then it is handed back).
    fn insert(&mut self, unit: Unit, value: T) -> Result<(), Unit> {
        if self.index.contains_key(&unit) {
            return Err(unit);
        }
        self.index.insert(unit.clone(), self.pairs.len());
        self.pairs.push((unit, value));
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Unit, &T)> {
        self.pairs.iter().map(|(u, t)| (u, t))
    }

    pub fn get(&self, unit: &str) -> Option<&T> {
        let i = *self.index.get(unit)?;
        self.pairs.get(i).map(|(_, t)| t)
    }
}

impl std::borrow::Borrow<str> for Unit {
    fn borrow(&self) -> &str {
        &self.0
    }
}

struct UnitMapVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for UnitMapVisitor<T> {
    type Value = UnitMap<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map from unit (e.g. individuals) to its value")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<UnitMap<T>, A::Error> {
        let mut units = UnitMap::default();
        while let Some(unit) = map.next_key::<Unit>()? {
            let value = map.next_value()?;
            if let Err(twice) = units.insert(unit, value) {
                return Err(de::Error::custom(format!(
                    "unit `{}` is given twice in this map",
                    twice.0
                )));
            }
        }
        Ok(units)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for UnitMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(UnitMapVisitor(std::marker::PhantomData))
    }
}

impl<T: Serialize> Serialize for UnitMap<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.pairs.len()))?;
        for (u, t) in &self.pairs {
            map.serialize_entry(u, t)?;
        }
        map.end()
    }
}

impl<T: JsonSchema> JsonSchema for UnitMap<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("UnitMap_of_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let value = generator.subschema_for::<T>();
        schemars::json_schema!({
            "description": "A map from unit (a snake_case name such as individuals, records, contracts, accounts, mail_bodies, credentials) to its value.",
            "type": "object",
            "propertyNames": { "pattern": UNIT_PATTERN },
            "additionalProperties": value,
        })
    }
}

/// A countermeasure the organisation announced, and where it stands.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    /// A name unique among the remediation items, e.g. R1.
    pub id: Id,
    /// The countermeasure, in a line.
    pub title: Text,
    /// The NIST CSF 2.0 function it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<CsfFunction>,
    /// Due by the end of this day. Without it the item can never be overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Day>,
    /// The day it was first made public; as of earlier days the item is not shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<Day>,
    /// What the sources say of it: planned, in_progress, done (with `completed` or `completed_by`) or cancelled.
    pub status: Status,
    /// The day it was finished (with `status: done`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Day>,
    /// Done on or before this day: a source confirms it was done, but not when (with `status: done`, instead of `completed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_by: Option<Day>,
    /// The day a source last confirmed `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_as_of: Option<Day>,
    /// More on the countermeasure, and what the sources say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    /// Who is responsible for it: a team or a person, as you name them (`status --owner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Ids of the sources that announce or confirm it.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// The day it was first made known, when not `announced` (or, without that, the date of
    /// its earliest dated source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Day>,
    /// Deadlines announced later that replace `due` (which stays the first one announced).
    /// The deadline in force on a day is the one last announced by then.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rescheduled: Vec<Reschedule>,
}

/// The part a remediation item and a reporting obligation share: a status and when it was
/// confirmed, and when the thing was done (or by when). Every rule about status or completion
/// (validation, what was known on a day, whether done on time) is written once, over this.
///
/// The two keep their own fields in the file: their statuses differ (an obligation's silence
/// is `unknown`), so do their completions (a day, or for a report a moment), and the JSON
/// Schema documents each field in its own words.
pub trait Completion {
    /// What the record calls it in messages: `item`, `obligation`.
    const NOUN: &'static str;
    /// The list it stands in: `remediation`, `obligations`.
    const LIST: &'static str;
    fn id(&self) -> &Id;
    /// The status as written, e.g. `in_progress`.
    fn status_str(&self) -> &'static str;
    /// The status is `done`.
    fn is_done(&self) -> bool;
    /// When it was done, as a moment.
    fn completed(&self) -> Option<Moment>;
    fn completed_by(&self) -> Option<Day>;
    fn status_as_of(&self) -> Option<Day>;
    /// The day it was done in `zone`: `completed`, else the bound `completed_by`.
    fn completion_day(&self, zone: &Zone) -> Option<chrono::NaiveDate> {
        self.completed()
            .map(|m| m.day_in(zone))
            .or(self.completed_by().map(|d| d.0))
    }
}

impl Completion for Remediation {
    const NOUN: &'static str = "item";
    const LIST: &'static str = "remediation";
    fn id(&self) -> &Id {
        &self.id
    }
    fn status_str(&self) -> &'static str {
        self.status.as_str()
    }
    fn is_done(&self) -> bool {
        self.status == Status::Done
    }
    fn completed(&self) -> Option<Moment> {
        self.completed.map(|d| Moment::Day(d.0))
    }
    fn completed_by(&self) -> Option<Day> {
        self.completed_by
    }
    fn status_as_of(&self) -> Option<Day> {
        self.status_as_of
    }
}

impl Completion for Obligation {
    const NOUN: &'static str = "obligation";
    const LIST: &'static str = "obligations";
    fn id(&self) -> &Id {
        &self.id
    }
    fn status_str(&self) -> &'static str {
        self.status.as_str()
    }
    fn is_done(&self) -> bool {
        self.status == ObligationStatus::Done
    }
    fn completed(&self) -> Option<Moment> {
        self.completed
    }
    fn completed_by(&self) -> Option<Day> {
        self.completed_by
    }
    fn status_as_of(&self) -> Option<Day> {
        self.status_as_of
    }
}

/// A deadline moved: the new due day, when the move was announced, and who said so.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reschedule {
    /// The new deadline: due by the end of this day.
    pub due: Day,
    /// The day the new deadline was made public; until then the earlier one is in force.
    pub announced: Day,
    /// Ids of the sources that announce the new deadline.
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// NIST Cybersecurity Framework 2.0 functions: govern, identify, protect, detect, respond, recover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
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

/// What the sources say of a remediation item: planned, in_progress, done or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    /// A name unique among the obligations, e.g. O1.
    pub id: Id,
    /// The report, in a line.
    pub title: Text,
    /// A built-in rule that sets the period (and the legal reference); or give `within`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// The period, when no `rule` sets it: 72h, 30d, 4 business days, 1 month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Period>,
    /// Where the clock starts: an event id such as "#1" (usually the detection), or a date or
    /// date-time. Or give `after`.
    // `present` only makes an empty value an error; when written, the value is a `StartsAt`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub starts_at: Option<StartsAt>,
    /// The id of the obligation whose completion (or, failing that, deadline) starts this clock.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Id")]
    pub after: Option<Id>,
    /// The days `rule: appi-preliminary` allows for "promptly".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_days: Option<u32>,
    /// Days that are not business days besides Saturdays and Sundays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Day>,
    /// What the sources say of the report; silence is `unknown`: a missing record is not a
    /// missed deadline.
    #[serde(default)]
    pub status: ObligationStatus,
    /// When the report was filed (with `status: done`): a date or a date-time with offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Moment>,
    /// Done on or before this day (a source confirms it was filed, but not when).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_by: Option<Day>,
    /// The day a source last confirmed `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_as_of: Option<Day>,
    /// More on the report, and what the sources say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    /// Who is responsible for filing it: a team or a person, as you name them (`status --owner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Ids of the sources that say the report is owed, or was filed.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// The day the obligation was first made known (that the rule applied), when not the date
    /// of its earliest dated source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Day>,
}

/// An optional key that, when written, must hold a value: `starts_at: #1` reads as an empty
/// value (the rest is a comment), and the value's own visitor says so.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

pub use crate::rule::Rule;

/// What the sources say of a report: planned, in_progress, done, cancelled, or unknown (the
/// default). Unlike remediation, silence is a status of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, JsonSchema)]
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

/// As `StartsAtVisitor` reads it: text shaped like a date must be a day or a date-time with
/// offset; anything else must be an id.
impl JsonSchema for StartsAt {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StartsAt".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Where the clock starts: an event id such as \"#1\" (in quotes), or a date YYYY-MM-DD or date-time with offset.",
            "type": "string",
            "anyOf": [
                { "pattern": crate::date::DAY_PATTERN, "format": "date" },
                { "pattern": crate::date::INSTANT_PATTERN },
                {
                    "allOf": [generator.subschema_for::<Id>()],
                    "not": { "pattern": "^[0-9]{4}-" },
                },
            ],
        })
    }
}
