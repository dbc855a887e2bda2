//! The incident format: plain data, as written in `incidents/*.yaml`.
//!
//! Every struct denies unknown keys so that a misspelt key is an error, not silently ignored.
//! Computing (states, durations) lives in `evaluate`, not here.

mod impact;
mod tracked;
mod values;

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::clock::Period;
use crate::date::{looks_like_date, parse_moment, Day, Moment, TimeZone, When, Zone};
use crate::text::Text;
pub use impact::{Counted, Figures, Impact, ImpactFigure, ImpactPart, Unit, UnitMap};
use tracked::tracked_record;
pub use tracked::{Docs, ObligationStatus, Progress, RecordStatus, Status, Tracked};
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

tracked_record! {
    /// A countermeasure the organisation announced, and where it stands.
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
        ..progress,
        /// Deadlines announced later that replace `due` (which stays the first one announced).
        /// The deadline in force on a day is the one last announced by then.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub rescheduled: Vec<Reschedule>,
    }

    impl Tracked for Remediation {
        type Status = Status;
        type Completed = Day;
        const NOUN: &'static str = "item";
        const LIST: &'static str = "remediation";
        const KIND: &'static str = "remediation";
        const UNCONFIRMED: Option<Status> = Some(Status::Planned);
        const DOCS: Docs = Docs {
            status: "What the sources say of it: planned, in_progress, done (with `completed` or `completed_by`) or cancelled.",
            completed: "The day it was finished (with `status: done`).",
            completed_by: "Done on or before this day: a source confirms it was done, but not when (with `status: done`, instead of `completed`).",
            status_as_of: "The day a source last confirmed `status`.",
            detail: "More on the countermeasure, and what the sources say.",
            owner: "Who is responsible for it: a team or a person, as you name them (`status --owner`).",
            sources: "Ids of the sources that announce or confirm it.",
            reported: "The day it was first made known, when not `announced` (or, without that, the date of\nits earliest dated source).",
        };
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

tracked_record! {
    /// A report owed to a regulator (or anyone), due within a period of a starting moment.
    ///
    /// The period comes from a built-in `rule` or an explicit `within`; the clock starts at
    /// `starts_at` (an event or a moment) or, for a report due after another, at `after`.
    pub struct Obligation {
        /// A name unique among the obligations, e.g. O1.
        pub id: Id,
        /// The report, in a line.
        pub title: Text,
        /// A reporting rule (`breachline rules` lists the built-in ones; a rule pack adds a
        /// team's own) that sets the period, its counting and its citation; or give `within`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rule: Option<RuleRef>,
        /// A variant of the rule, such as `telecom-carrier` for `appi-final`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(with = "String")]
        pub variant: Option<RuleName>,
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
        /// For a rule with two or more clocks (`earliest_of`, as DORA's initial report): where
        /// each starts, by its trigger.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub starts: Option<Starts>,
        /// The days a policy rule (one whose law says only "promptly") allows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub policy_days: Option<u32>,
        /// Your own target, counted from the same start: a period shorter than the law's
        /// (e.g. 48h for a 72-hour rule). Reminders and "due soon" follow it; the legal
        /// deadline still decides overdue and late.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub target: Option<Period>,
        /// Days the recipient is closed besides those of the rule's calendar (or Saturdays and
        /// Sundays, for `within`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub holidays: Vec<Day>,
        /// Who receives the report, when not the rule's recipient.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub recipient: Option<Text>,
        /// The submission's reference number, once filed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reference: Option<String>,
        ..progress with status default,
    }

    impl Tracked for Obligation {
        type Status = ObligationStatus;
        type Completed = Moment;
        const NOUN: &'static str = "obligation";
        const LIST: &'static str = "obligations";
        const KIND: &'static str = "obligation";
        const UNCONFIRMED: Option<Status> = None;
        const DOCS: Docs = Docs {
            status: "What the sources say of the report; silence is `unknown`: a missing record is not a\nmissed deadline.",
            completed: "When the report was filed (with `status: done`): a date or a date-time with offset.",
            completed_by: "Done on or before this day (a source confirms it was filed, but not when).",
            status_as_of: "The day a source last confirmed `status`.",
            detail: "More on the report, and what the sources say.",
            owner: "Who is responsible for filing it: a team or a person, as you name them (`status --owner`).",
            sources: "Ids of the sources that say the report is owed, or was filed.",
            reported: "The day the obligation was first made known (that the rule applied), when not the date\nof its earliest dated source.",
        };
    }
}

/// An optional key that, when written, must hold a value: `starts_at: #1` reads as an empty
/// value (the rest is a comment), and the value's own visitor says so.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

pub use crate::rule::{Rule, RuleName, RuleRef};

/// Where each clock of a rule with several starts: one key per trigger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Starts {
    /// Becoming aware of the incident (an event id such as "#1", or a date or date-time).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub awareness: Option<StartsAt>,
    /// Determining that it is reportable, e.g. material.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub determination: Option<StartsAt>,
    /// Discovering it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub discovery: Option<StartsAt>,
    /// Assessing that it is notifiable.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub assessment: Option<StartsAt>,
    /// Classifying it, e.g. as major (DORA).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub classification: Option<StartsAt>,
    /// Suspecting it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub suspicion: Option<StartsAt>,
    /// Making a payment, e.g. a ransom.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub payment: Option<StartsAt>,
    /// Giving notice, e.g. to the individuals.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StartsAt")]
    pub notice: Option<StartsAt>,
}

impl Starts {
    /// Where the clock of `trigger` starts, if written.
    pub fn of(&self, trigger: crate::rule::Trigger) -> Option<&StartsAt> {
        use crate::rule::Trigger as T;
        match trigger {
            T::Awareness => self.awareness.as_ref(),
            T::Determination => self.determination.as_ref(),
            T::Discovery => self.discovery.as_ref(),
            T::Assessment => self.assessment.as_ref(),
            T::Classification => self.classification.as_ref(),
            T::Suspicion => self.suspicion.as_ref(),
            T::Payment => self.payment.as_ref(),
            T::Notice => self.notice.as_ref(),
            T::ReportFiled => None,
        }
    }

    /// Every start written, with its trigger's name.
    pub fn written(&self) -> impl Iterator<Item = (&'static str, &StartsAt)> {
        [
            ("awareness", &self.awareness),
            ("determination", &self.determination),
            ("discovery", &self.discovery),
            ("assessment", &self.assessment),
            ("classification", &self.classification),
            ("suspicion", &self.suspicion),
            ("payment", &self.payment),
            ("notice", &self.notice),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.as_ref()?)))
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
