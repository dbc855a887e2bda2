//! What a remediation item and a reporting obligation share: a status and when a source last
//! confirmed it, when the thing was done (or by when), and the detail, owner and sources that
//! go with them, as one type, [`Progress`]. Every rule about status or completion is written
//! once, over it: validation (`validate::completion_of`), where it stands on a day
//! (`evaluate::standing`), and how the views show it.
//!
//! What differs between the two is said by [`Tracked`]: their statuses (an obligation's
//! silence is `unknown`), their completions (a day, or for a report a moment), and the words the
//! JSON Schema describes each key in.

use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Id;
use crate::date::{Day, Moment, Zone};
use crate::text::Text;

/// A record whose progress is tracked: a remediation item or a reporting obligation.
/// `tracked_record!` implements it, with the items given and the accessors below.
pub trait Tracked: Sized {
    /// The statuses its record can have.
    type Status: RecordStatus;
    /// When it was done: a day, or (a report may be filed at a time) a moment.
    type Completed: Copy + PartialEq + fmt::Debug + fmt::Display + Serialize + Into<Moment>;
    /// What messages call one: `item`, `obligation`.
    const NOUN: &'static str;
    /// The list it stands in: `remediation`, `obligations`.
    const LIST: &'static str;
    /// What outputs call its kind: `remediation`, `obligation` (a CSV row's `record`, a STIX
    /// task's kind, part of its ids).
    const KIND: &'static str;
    /// The status it has on a day before any source confirmed one: an announced item is
    /// planned, as announced; of a report, the record is silent.
    const UNCONFIRMED: Option<Status>;
    /// How the JSON Schema describes each key of its progress.
    const DOCS: Docs;
    fn id(&self) -> &Id;
    fn title(&self) -> &Text;
    fn progress(&self) -> &Progress<Self>;
}

/// A status as a record writes it.
pub trait RecordStatus: Copy + Eq + fmt::Debug + Serialize + From<Status> {
    /// What it says of the work; `None` where the record is silent (`unknown`).
    fn said(self) -> Option<Status>;
    /// As written, e.g. `in_progress`.
    fn word(self) -> &'static str;
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

impl RecordStatus for Status {
    fn said(self) -> Option<Status> {
        Some(self)
    }
    fn word(self) -> &'static str {
        self.as_str()
    }
}

/// What the sources say of a report: planned, in_progress, done, cancelled, or unknown (the
/// default). Unlike remediation, silence is a status of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObligationStatus {
    Planned,
    InProgress,
    Done,
    Cancelled,
    /// A decision, with its reasoning, that the report was not owed (GDPR art. 33(5) asks
    /// for it to be documented): never overdue.
    NotRequired,
    #[default]
    Unknown,
}

impl ObligationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ObligationStatus::NotRequired => "not_required",
            other => other.said().map_or("unknown", Status::as_str),
        }
    }
}

impl From<Status> for ObligationStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Planned => ObligationStatus::Planned,
            Status::InProgress => ObligationStatus::InProgress,
            Status::Done => ObligationStatus::Done,
            Status::Cancelled => ObligationStatus::Cancelled,
        }
    }
}

impl RecordStatus for ObligationStatus {
    fn said(self) -> Option<Status> {
        match self {
            ObligationStatus::Planned => Some(Status::Planned),
            ObligationStatus::InProgress => Some(Status::InProgress),
            ObligationStatus::Done => Some(Status::Done),
            // As far as deadlines go, a report not owed is one dropped: never overdue.
            ObligationStatus::Cancelled | ObligationStatus::NotRequired => Some(Status::Cancelled),
            ObligationStatus::Unknown => None,
        }
    }
    fn word(self) -> &'static str {
        self.as_str()
    }
}

/// The JSON Schema's description of each key of a [`Progress`], in the words of its record.
pub struct Docs {
    pub status: &'static str,
    pub completed: &'static str,
    pub completed_by: &'static str,
    pub status_as_of: &'static str,
    pub detail: &'static str,
    pub owner: &'static str,
    pub sources: &'static str,
    pub reported: &'static str,
}

/// Where a remediation item or a reporting obligation stands as its record tells it: the keys
/// both write, after their own and in this order (`tracked_record!` puts them there).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(bound = "")]
pub struct Progress<K: Tracked> {
    /// What the sources say of it.
    pub status: K::Status,
    /// When it was done (with `status: done`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<K::Completed>,
    /// Done on or before this day: a source confirms it was done, but not when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_by: Option<Day>,
    /// The day a source last confirmed `status`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_as_of: Option<Day>,
    /// More on it, and what the sources say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    /// Who is responsible for it (`status --owner`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Ids of the sources that say so.
    pub sources: Vec<Id>,
    /// The day it was first made known, when not the date of its earliest dated source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<Day>,
}

impl<K: Tracked> Progress<K> {
    /// The status is `done`.
    pub fn is_done(&self) -> bool {
        self.status.said() == Some(Status::Done)
    }

    /// When it was done, as a moment.
    pub fn completed_at(&self) -> Option<Moment> {
        self.completed.map(Into::into)
    }

    /// The day it was done in `zone`: `completed`, else the bound `completed_by`.
    pub fn completion_day(&self, zone: &Zone) -> Option<NaiveDate> {
        self.completed_at()
            .map(|m| m.day_in(zone))
            .or(self.completed_by.map(|d| d.0))
    }
}

/// Declares a record with a [`Progress`]: the struct, whose `progress` keys are written at
/// `..progress` among its own, and how serde reads it and schemars describes it.
///
/// The progress keys stand at the record's own level in the file, and unknown keys are
/// refused; serde's `flatten` does not combine with `deny_unknown_fields`, and reads a
/// flattened value through a buffer, so that its errors lose their line, column and wording.
/// So the record is read as it is written: into the same struct with every key at one level,
/// declared here under the record's own name (so that derive's messages, `expected struct
/// Remediation`, and the schema's name are the record's), then moved into place. Writing goes
/// through `flatten`, which writes the same keys in the same order.
///
/// A field's attributes are written in the order docs, `serde`, `schemars`; only the reading
/// struct sees `schemars` ones. `..progress with status default` reads a missing status as
/// the status type's default. The `impl Tracked` after the struct gives what the record's kind
/// says; the accessors are added (every record has an `id` and a `title`).
macro_rules! tracked_record {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $(
                $(#[doc = $head_doc:literal])*
                $(#[serde($($head_serde:tt)*)])?
                $(#[schemars($($head_schemars:tt)*)])?
                pub $head:ident: $head_ty:ty,
            )*
            ..progress $(with status $status_default:ident)?,
            $(
                $(#[doc = $tail_doc:literal])*
                $(#[serde($($tail_serde:tt)*)])?
                $(#[schemars($($tail_schemars:tt)*)])?
                pub $tail:ident: $tail_ty:ty,
            )*
        }

        impl Tracked for $also:ident {
            $($tracked:tt)*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        pub struct $name {
            $(
                $(#[doc = $head_doc])*
                $(#[serde($($head_serde)*)])?
                pub $head: $head_ty,
            )*
            /// Its status and completion, and the detail, owner and sources that go with them.
            #[serde(flatten)]
            pub progress: $crate::model::Progress<$name>,
            $(
                $(#[doc = $tail_doc])*
                $(#[serde($($tail_serde)*)])?
                pub $tail: $tail_ty,
            )*
        }

        impl $crate::model::Tracked for $also {
            $($tracked)*

            fn id(&self) -> &$crate::model::Id {
                &self.id
            }
            fn title(&self) -> &$crate::text::Text {
                &self.title
            }
            fn progress(&self) -> &$crate::model::Progress<Self> {
                &self.progress
            }
        }

        // Inside this block `$name` is the reading struct; `self::$name` the record.
        const _: () = {
            use $crate::model::Tracked;

            $(#[doc = $doc])*
            #[derive(::serde::Deserialize, ::schemars::JsonSchema)]
            #[serde(deny_unknown_fields)]
            struct $name {
                $(
                    $(#[doc = $head_doc])*
                    $(#[serde($($head_serde)*)])?
                    $(#[schemars($($head_schemars)*)])?
                    $head: $head_ty,
                )*
                $(#[serde($status_default)])?
                #[schemars(description = <self::$name as Tracked>::DOCS.status)]
                status: <self::$name as Tracked>::Status,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[schemars(description = <self::$name as Tracked>::DOCS.completed)]
                completed: Option<<self::$name as Tracked>::Completed>,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[schemars(description = <self::$name as Tracked>::DOCS.completed_by)]
                completed_by: Option<$crate::date::Day>,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[schemars(description = <self::$name as Tracked>::DOCS.status_as_of)]
                status_as_of: Option<$crate::date::Day>,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[schemars(description = <self::$name as Tracked>::DOCS.detail)]
                detail: Option<$crate::text::Text>,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[schemars(description = <self::$name as Tracked>::DOCS.owner)]
                owner: Option<String>,
                #[serde(default)]
                #[schemars(description = <self::$name as Tracked>::DOCS.sources)]
                sources: Vec<$crate::model::Id>,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[schemars(description = <self::$name as Tracked>::DOCS.reported)]
                reported: Option<$crate::date::Day>,
                $(
                    $(#[doc = $tail_doc])*
                    $(#[serde($($tail_serde)*)])?
                    $(#[schemars($($tail_schemars)*)])?
                    $tail: $tail_ty,
                )*
            }

            impl<'de> ::serde::Deserialize<'de> for self::$name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let read = $name::deserialize(d)?;
                    Ok(self::$name {
                        $($head: read.$head,)*
                        progress: $crate::model::Progress {
                            status: read.status,
                            completed: read.completed,
                            completed_by: read.completed_by,
                            status_as_of: read.status_as_of,
                            detail: read.detail,
                            owner: read.owner,
                            sources: read.sources,
                            reported: read.reported,
                        },
                        $($tail: read.$tail,)*
                    })
                }
            }

            impl ::schemars::JsonSchema for self::$name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    <$name as ::schemars::JsonSchema>::schema_name()
                }
                fn schema_id() -> ::std::borrow::Cow<'static, str> {
                    <$name as ::schemars::JsonSchema>::schema_id()
                }
                fn inline_schema() -> bool {
                    <$name as ::schemars::JsonSchema>::inline_schema()
                }
                fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    <$name as ::schemars::JsonSchema>::json_schema(generator)
                }
            }
        };
    };
}

pub(super) use tracked_record;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Obligation, Remediation};

    fn item(json: &str) -> Result<Remediation, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn obligation(json: &str) -> Result<Obligation, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // serde's own form of the record, not an output
    fn the_progress_keys_are_written_among_the_records_own_in_the_files_order() {
        let r = item(
            r#"{"rescheduled": [], "sources": ["s1"], "owner": "me", "completed": "2025-05-01",
                "status": "done", "announced": "2025-04-15", "title": "T", "id": "R1"}"#,
        )
        .unwrap();
        assert_eq!(r.progress.owner.as_deref(), Some("me"));
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"id":"R1","title":"T","announced":"2025-04-15","status":"done","completed":"2025-05-01","owner":"me","sources":["s1"]}"#
        );
        let o =
            obligation(r#"{"sources": [], "id": "O1", "title": "T", "within": "72h"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&o).unwrap(),
            r#"{"id":"O1","title":"T","within":"72 hours","status":"unknown","sources":[]}"#,
            "an obligation's silence is written as `unknown`"
        );
    }

    #[test]
    fn a_records_keys_are_refused_in_derives_own_words() {
        let unknown = item(r#"{"id": "R1", "title": "T", "status": "done", "stauts": 1}"#);
        assert!(
            unknown.as_ref().unwrap_err().starts_with(
                "unknown field `stauts`, expected one of `id`, `title`, `function`, `due`, \
                 `announced`, `status`, `completed`, `completed_by`, `status_as_of`, `detail`, \
                 `owner`, `sources`, `reported`, `rescheduled`"
            ),
            "{unknown:?}"
        );
        // Required keys are missed in the order they are declared, the record's own first.
        let no_title = item(r#"{"id": "R1"}"#).unwrap_err();
        assert!(no_title.starts_with("missing field `title`"), "{no_title}");
        let no_status = item(r#"{"id": "R1", "title": "T"}"#).unwrap_err();
        assert!(
            no_status.starts_with("missing field `status`"),
            "{no_status}"
        );
        let twice = item(r#"{"id": "R1", "title": "T", "status": "done", "status": "done"}"#);
        assert!(twice.unwrap_err().starts_with("duplicate field `status`"));
        let text = obligation(r#""a report""#).unwrap_err();
        assert!(
            text.starts_with(r#"invalid type: string "a report", expected struct Obligation"#),
            "{text}"
        );
        let silent = obligation(r#"{"id": "O1", "title": "T"}"#).unwrap();
        assert_eq!(silent.progress.status, ObligationStatus::Unknown);
    }

    #[test]
    fn done_is_the_status_done_and_its_day_is_the_completion_else_its_bound() {
        let mut o = obligation(r#"{"id": "O1", "title": "T"}"#).unwrap();
        let zone = Zone::default();
        assert!(!o.progress.is_done(), "unknown is not done");
        o.progress.status = ObligationStatus::Done;
        assert!(o.progress.is_done());
        assert_eq!(o.progress.completion_day(&zone), None);
        let day = |s| crate::date::parse_day(s).unwrap();
        o.progress.completed_by = Some(Day(day("2025-04-20")));
        assert_eq!(o.progress.completion_day(&zone), Some(day("2025-04-20")));
        o.progress.completed =
            Some(crate::date::parse_moment("2025-04-13T09:31:00+09:00").unwrap());
        assert_eq!(
            o.progress.completion_day(&zone),
            Some(day("2025-04-13")),
            "the completion wins over its bound"
        );
    }

    #[test]
    fn an_obligation_status_says_what_a_remediation_status_says_or_is_silent() {
        for s in [
            Status::Planned,
            Status::InProgress,
            Status::Done,
            Status::Cancelled,
        ] {
            let o = ObligationStatus::from(s);
            assert_eq!(o.said(), Some(s));
            assert_eq!(o.as_str(), s.as_str());
        }
        assert_eq!(ObligationStatus::Unknown.said(), None);
        assert_eq!(ObligationStatus::Unknown.as_str(), "unknown");
    }
}
