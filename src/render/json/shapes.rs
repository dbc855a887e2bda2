//! The JSON shape of each thing every JSON document shows: an event, a remediation item, a
//! reporting obligation, the key intervals, the impact figures, a source.
//!
//! An event, an item and an obligation are each built once, with every field any document
//! writes; each document then writes the keys its layout lists, in the layout's order
//! (`status --format json` and `export --format json` were published with different orders,
//! and their bytes stay as they were).

use chrono::NaiveDate;
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::clock::{Period, Time};
use crate::date::{Day, Moment, When};
use crate::evaluate::{
    AfterBasis, ClockStart, Days, EventView, FigureView, IncidentView, Interval, ItemView,
    KeyIntervals, ObligationView, Standing, State,
};
use crate::model::{
    Count, Counted, CsfFunction, EventKind, Id, ObligationStatus, RuleName, RuleRef, Source,
    StartsAt, Status, Tracked,
};
use crate::text::{Lang, Text};

/// The name a key is written under: the field's own, unless given.
macro_rules! key_name {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $name:literal) => {
        $name
    };
}

/// A shape: a struct with every field, `Key` naming each (a layout is a list of them), and
/// [`Laid`] writing the fields a layout lists in its order. A shape `+ progress<S, C>` has the
/// keys an item and an obligation share besides its own, kept in its `progress` field (a
/// [`ProgressJson`]).
macro_rules! shape {
    (@ $(#[$doc:meta])* $shape:ident { $($field:ident $(= $name:literal)?: $ty:ty,)* }
        $($part:ident: $part_ty:ty [$($key:ident),*])?) => {
        $(#[$doc])*
        pub struct $shape<'a> {
            $(pub $field: $ty,)*
            $(pub $part: $part_ty,)?
        }

        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key {
            $($field,)*
            $($($key,)*)?
        }

        impl Key {
            /// The key as a document writes it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$field => key_name!($field $($name)?),)*
                    $($(Key::$key => stringify!($key),)*)?
                }
            }
        }

        impl Serialize for super::Laid<$shape<'_>, Key> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut out = s.serialize_struct(stringify!($shape), self.1.len())?;
                for &key in self.1 {
                    match key {
                        $(Key::$field => out.serialize_field(key.name(), &self.0.$field)?,)*
                        $($(Key::$key => out.serialize_field(key.name(), &self.0.$part.$key)?,)*)?
                    }
                }
                out.end()
            }
        }
    };
    ($(#[$doc:meta])* $shape:ident { $($field:ident $(= $name:literal)?: $ty:ty,)* }
        + progress<$status:ty, $completed:ty>) => {
        shape!(@ $(#[$doc])* $shape { $($field $(= $name)?: $ty,)* }
            progress: ProgressJson<'a, $status, $completed> [
                id, title, detail, owner, known_on, status, status_as_of, known_status,
                last_confirmed, state, days_left, days_late, on_time, unconfirmed_since_due,
                completed, completed_by, sources
            ]);
    };
    ($(#[$doc:meta])* $shape:ident { $($field:ident $(= $name:literal)?: $ty:ty,)* }) => {
        shape!(@ $(#[$doc])* $shape { $($field $(= $name)?: $ty,)* });
    };
}

/// A shape with the layout it is written in.
pub struct Laid<T, K: 'static>(T, &'static [K]);

impl<T, K> Laid<T, K> {
    /// Each of `views` as its shape, written in `layout`.
    pub fn all<V>(views: &[V], layout: &'static [K], shape: impl Fn(&V) -> T) -> Vec<Self> {
        views.iter().map(|v| Laid(shape(v), layout)).collect()
    }
}

fn text(t: &Option<Text>, lang: Lang) -> Option<&str> {
    t.as_ref().map(|t| t.get(lang))
}

pub mod event {
    use super::*;

    shape!(
        /// An event of the timeline, with its day counts both flat (`timeline`) and grouped
        /// (`export`).
        Event {
            id: &'a Id,
            date: When,
            until: Option<When>,
            ongoing: bool,
            kind: EventKind,
            title: &'a str,
            detail: Option<&'a str>,
            sources: &'a [Id],
            days_since_first: i64,
            days_since_previous: Option<i64>,
            approximate: bool,
            days_since_first_min: i64,
            days_since_first_max: i64,
            days_since_previous_min: Option<i64>,
            days_since_previous_max: Option<i64>,
            known_on: NaiveDate,
            since_first = "days_since_first": DaysJson,
            since_previous = "days_since_previous": Option<DaysJson>,
        }
    );

    pub fn of<'a>(e: &EventView<'a>, lang: Lang) -> Event<'a> {
        Event {
            id: &e.event.id,
            date: e.event.date,
            until: e.until,
            ongoing: e.ongoing,
            kind: e.event.kind,
            title: e.event.title.get(lang),
            detail: text(&e.event.detail, lang),
            sources: &e.event.sources,
            days_since_first: e.since_first.days,
            days_since_previous: e.since_previous.map(|d: Days| d.days),
            approximate: e.since_first.approximate
                || e.since_previous.is_some_and(|d| d.approximate),
            days_since_first_min: e.since_first.min,
            days_since_first_max: e.since_first.max,
            days_since_previous_min: e.since_previous.map(|d| d.min),
            days_since_previous_max: e.since_previous.map(|d| d.max),
            known_on: e.known_on,
            since_first: e.since_first.into(),
            since_previous: e.since_previous.map(DaysJson::from),
        }
    }
}

/// A day count with the least and greatest the record allows (equal unless `approximate`).
#[derive(serde::Serialize)]
pub struct DaysJson {
    days: i64,
    days_min: i64,
    days_max: i64,
    approximate: bool,
}

impl From<Days> for DaysJson {
    fn from(d: Days) -> Self {
        DaysJson {
            days: d.days,
            days_min: d.min,
            days_max: d.max,
            approximate: d.approximate,
        }
    }
}

/// The keys an item and an obligation share: what it is, its progress as recorded, and where
/// it stood on the day.
pub struct ProgressJson<'a, S, C> {
    id: &'a Id,
    title: &'a str,
    detail: Option<&'a str>,
    owner: Option<&'a str>,
    known_on: NaiveDate,
    status: S,
    status_as_of: Option<Day>,
    known_status: Option<S>,
    last_confirmed: Option<NaiveDate>,
    state: State,
    days_left: Option<i64>,
    days_late: Option<i64>,
    on_time: Option<bool>,
    unconfirmed_since_due: bool,
    completed: Option<C>,
    completed_by: Option<Day>,
    sources: &'a [Id],
}

impl<'a, S: Copy, C: Copy> ProgressJson<'a, S, C> {
    fn of<K: Tracked<Status = S, Completed = C>>(
        record: &'a K,
        standing: &Standing<S>,
        known_on: NaiveDate,
        lang: Lang,
    ) -> Self {
        let p = record.progress();
        ProgressJson {
            id: record.id(),
            title: record.title().get(lang),
            detail: text(&p.detail, lang),
            owner: p.owner.as_deref(),
            known_on,
            status: p.status,
            status_as_of: p.status_as_of,
            known_status: standing.known_status,
            last_confirmed: standing.last_confirmed,
            state: standing.state,
            days_left: standing.days_left,
            days_late: standing.days_late,
            on_time: standing.on_time,
            unconfirmed_since_due: standing.unconfirmed_since_due,
            completed: p.completed,
            completed_by: p.completed_by,
            sources: &p.sources,
        }
    }
}

pub mod item {
    use super::*;

    shape!(
        /// A remediation item: as recorded, and as it stood on the day.
        Item {
            days_overdue: Option<i64>,
            function: Option<CsfFunction>,
            due: Option<NaiveDate>,
            original_due: Option<Day>,
            rescheduled: usize,
            announced: Option<Day>,
        } + progress<Status, Day>
    );

    pub fn of<'a>(i: &ItemView<'a>, lang: Lang) -> Item<'a> {
        Item {
            days_overdue: i.standing.days_overdue(),
            function: i.item.function,
            // The deadline in force on the day; `original_due` is the first one announced.
            due: i.due,
            original_due: i.item.due,
            rescheduled: i.rescheduled,
            announced: i.item.announced,
            progress: ProgressJson::of(i.item, &i.standing, i.known_on, lang),
        }
    }
}

pub mod obligation {
    use super::*;

    shape!(
        /// A reporting obligation: as recorded, its clock, and how it stood on the day.
        Obligation {
            rule: Option<&'a RuleRef>,
            variant: Option<&'a RuleName>,
            provision: Option<&'static str>,
            recipient: Option<String>,
            reference: Option<&'a str>,
            period: Period,
            policy: bool,
            starts_at: Option<&'a StartsAt>,
            after: Option<&'a Id>,
            clock_start_basis: &'static str,
            clock_start: Time,
            due: Time,
            due_day: NaiveDate,
            target: Option<Time>,
            target_day: Option<NaiveDate>,
            days_past_due: Option<i64>,
            late_by: Option<String>,
            assumed_start_of_day: bool,
        } + progress<ObligationStatus, Moment>
    );

    pub fn of<'a>(o: &ObligationView<'a>, lang: Lang) -> Obligation<'a> {
        let ob = o.obligation;
        Obligation {
            rule: ob.rule.as_ref(),
            variant: ob.variant.as_ref(),
            provision: o.provision(),
            recipient: o.recipient(lang),
            reference: ob.reference.as_deref(),
            period: o.period,
            policy: o.policy,
            starts_at: ob.starts_at.as_ref(),
            after: ob.after.as_ref(),
            clock_start_basis: clock_start_basis(&o.start),
            clock_start: o.start_time,
            due: o.due,
            due_day: o.due_day,
            target: o.target,
            target_day: o.target_day(),
            days_past_due: o.standing.days_past_due,
            late_by: crate::render::late_by_iso(o),
            assumed_start_of_day: o.assumed_start_of_day,
            progress: ProgressJson::of(ob, &o.standing, o.known_on, lang),
        }
    }

    /// What the clock counted from: `event`, `date`, or after another obligation its
    /// `completed`, `completed_by` or `due`.
    fn clock_start_basis(start: &ClockStart<'_>) -> &'static str {
        match start {
            ClockStart::Event(_) => "event",
            ClockStart::Moment(_) => "date",
            ClockStart::After { basis, .. } => match basis {
                AfterBasis::Completed => "completed",
                AfterBasis::CompletedBy => "completed_by",
                AfterBasis::Due => "due",
            },
        }
    }
}

/// The three key intervals.
#[derive(serde::Serialize)]
pub struct IntervalsJson<'a> {
    dwell: Option<IntervalJson<'a>>,
    detection_to_notification: Option<IntervalJson<'a>>,
    detection_to_disclosure: Option<IntervalJson<'a>>,
}

#[derive(serde::Serialize)]
struct IntervalJson<'a> {
    from: &'a Id,
    to: &'a Id,
    days: i64,
    days_min: i64,
    days_max: i64,
    approximate: bool,
}

impl<'a> IntervalsJson<'a> {
    pub fn of(k: &KeyIntervals<'a>) -> Self {
        let interval = |i: &Option<Interval<'a>>| {
            i.as_ref().map(|i| IntervalJson {
                from: &i.from.id,
                to: &i.to.id,
                days: i.days.days,
                days_min: i.days.min,
                days_max: i.days.max,
                approximate: i.days.approximate,
            })
        };
        IntervalsJson {
            dwell: interval(&k.dwell),
            detection_to_notification: interval(&k.detection_to_notification),
            detection_to_disclosure: interval(&k.detection_to_disclosure),
        }
    }
}

/// The published impact figures: those in force on the day under today's keys, and every
/// revision shown by then under `revisions`.
#[derive(serde::Serialize)]
pub struct ImpactJson<'a> {
    potential: Option<FigureJson<'a>>,
    confirmed: Option<FigureJson<'a>>,
    revisions: RevisionsJson<'a>,
}

/// Each side's revisions shown by the day, oldest first: the last is the one in force.
#[derive(serde::Serialize)]
struct RevisionsJson<'a> {
    potential: Vec<FigureJson<'a>>,
    confirmed: Vec<FigureJson<'a>>,
}

impl<'a> ImpactJson<'a> {
    pub fn of(view: &IncidentView<'a>, lang: Lang) -> Self {
        let all = |list: &[FigureView<'a>]| list.iter().map(|f| figure(*f, lang)).collect();
        ImpactJson {
            potential: view.potential.map(|f| figure(f, lang)),
            confirmed: view.confirmed.map(|f| figure(f, lang)),
            revisions: RevisionsJson {
                potential: all(&view.revisions.potential),
                confirmed: all(&view.revisions.confirmed),
            },
        }
    }
}

/// An impact figure with its text resolved and unknown counts as `null`.
#[derive(serde::Serialize)]
struct FigureJson<'a> {
    contracts: Option<u64>,
    accounts: Option<u64>,
    /// Every count given, the shorthand `contracts`/`accounts` included, by unit.
    counts: CountsJson<'a>,
    /// The counts are maxima.
    up_to: bool,
    as_of: Day,
    known_on: NaiveDate,
    categories: Vec<&'a str>,
    breakdown: Vec<PartJson<'a>>,
    detail: Option<&'a str>,
    sources: &'a [Id],
}

/// A part of a figure.
#[derive(serde::Serialize)]
struct PartJson<'a> {
    counts: CountsJson<'a>,
    categories: Vec<&'a str>,
    detail: Option<&'a str>,
}

/// Counts by unit, in the order given.
struct CountsJson<'a>(Vec<(&'a str, Count)>);

impl serde::Serialize for CountsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (unit, c) in &self.0 {
            map.serialize_entry(unit, &c.0)?;
        }
        map.end()
    }
}

fn categories(c: &[Text], lang: Lang) -> Vec<&str> {
    c.iter().map(|t| t.get(lang)).collect()
}

fn figure(
    FigureView {
        figure: f,
        known_on,
    }: FigureView<'_>,
    lang: Lang,
) -> FigureJson<'_> {
    FigureJson {
        contracts: f.contracts.map(|c| c.0),
        accounts: f.accounts.map(|c| c.0),
        counts: CountsJson(f.all_counts()),
        up_to: f.up_to,
        as_of: f.as_of,
        known_on,
        categories: categories(&f.categories, lang),
        breakdown: f
            .breakdown
            .iter()
            .map(|p| PartJson {
                counts: CountsJson(p.all_counts()),
                categories: categories(&p.categories, lang),
                detail: text(&p.detail, lang),
            })
            .collect(),
        detail: text(&f.detail, lang),
        sources: &f.sources,
    }
}

/// A source the incident cites.
#[derive(serde::Serialize)]
pub struct SourceJson<'a> {
    id: &'a Id,
    title: &'a str,
    publisher: &'a str,
    date: Option<Day>,
    url: Option<&'a str>,
    detail: Option<&'a str>,
}

impl<'a> SourceJson<'a> {
    pub fn of(s: &'a Source, lang: Lang) -> Self {
        SourceJson {
            id: &s.id,
            title: s.title.get(lang),
            publisher: s.publisher.get(lang),
            date: s.date,
            url: s.url.as_deref(),
            detail: text(&s.detail, lang),
        }
    }
}
