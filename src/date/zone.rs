//! Time zones: the incident's `timezone` (an IANA name), and the zone that decides which
//! calendar day a moment falls on and where a whole day starts.

use std::fmt;

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveTime, Offset, TimeDelta, TimeZone as _, Utc,
};
use chrono_tz::Tz;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Which calendar day a moment falls on, and where a whole day starts, within one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The incident's `timezone`: every moment falls on its day there.
    Named(Tz),
    /// No `timezone`: a date-time falls on the day written (at its own offset), and a whole
    /// day starts at 00:00 at this offset, the easternmost one written, so that it still sorts
    /// before every date-time written on that day.
    Written(FixedOffset),
}

impl Default for Zone {
    fn default() -> Self {
        Zone::Written(utc())
    }
}

fn utc() -> FixedOffset {
    Utc.fix()
}

impl Zone {
    /// The zone of an incident with `timezone` (if any) whose date-times carry `offsets`.
    pub fn new(timezone: Option<Tz>, offsets: impl IntoIterator<Item = FixedOffset>) -> Zone {
        match timezone {
            Some(tz) => Zone::Named(tz),
            None => Zone::Written(
                offsets
                    .into_iter()
                    .max_by_key(FixedOffset::local_minus_utc)
                    .unwrap_or_else(utc),
            ),
        }
    }

    /// The calendar day `t` falls on.
    pub fn day_of(&self, t: DateTime<FixedOffset>) -> NaiveDate {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).date_naive(),
            Zone::Written(_) => t.date_naive(),
        }
    }

    /// The same instant, written at the zone's offset then (as written, without a `timezone`).
    pub fn localize(&self, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).fixed_offset(),
            Zone::Written(_) => t,
        }
    }

    /// The instant a local time names in this zone: the earlier of two in the hour the clocks
    /// go back (the earlier deadline), and in the hour they skip, that time at the offset in
    /// force before the jump (an instant within the jump's hour, which the wall clock never
    /// shows). `None` only at the ends of the calendar.
    pub fn at(&self, local: chrono::NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        match self {
            Zone::Written(offset) => offset.from_local_datetime(&local).single(),
            Zone::Named(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(t) => Some(t.fixed_offset()),
                LocalResult::Ambiguous(a, b) => Some(a.min(b).fixed_offset()),
                LocalResult::None => {
                    let before = tz
                        .offset_from_utc_datetime(&local.checked_sub_signed(TimeDelta::days(1))?)
                        .fix();
                    let utc = local.checked_sub_signed(TimeDelta::seconds(i64::from(
                        before.local_minus_utc(),
                    )))?;
                    Some(utc.and_utc().with_timezone(tz).fixed_offset())
                }
            },
        }
    }

    /// The first instant of `day`: 00:00, or, where the clocks skip midnight, the moment they
    /// jump.
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(NaiveTime::MIN);
        let offset = match self {
            Zone::Written(offset) => *offset,
            Zone::Named(tz) => match tz.from_local_datetime(&midnight) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.offset().fix(),
                // A gap: midnight at the offset in force before it is when the day began.
                LocalResult::None => tz
                    .offset_from_utc_datetime(
                        &midnight
                            .checked_sub_signed(TimeDelta::days(1))
                            .unwrap_or(midnight),
                    )
                    .fix(),
            },
        };
        let seconds = TimeDelta::seconds(i64::from(offset.local_minus_utc()));
        midnight
            .checked_sub_signed(seconds)
            .unwrap_or(midnight)
            .and_utc()
    }
}

/// An IANA time zone, as the incident's `timezone` names it (`Asia/Tokyo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(pub Tz);

/// Parses an IANA time zone name exactly as the database spells it.
pub fn parse_time_zone(s: &str) -> Result<Tz, String> {
    if let Ok(tz) = s.parse::<Tz>() {
        return Ok(tz);
    }
    let hint = match closest_zone(s) {
        Some(name) => format!("did you mean `{name}`?"),
        None => "write a name from the IANA time zone database, such as Asia/Tokyo, Europe/Berlin or UTC".to_owned(),
    };
    Err(format!("`{s}` is not a known time zone: {hint}"))
}

/// The zone name nearest to `s`: the same letters in another case, or a couple of typos away.
fn closest_zone(s: &str) -> Option<&'static str> {
    let wanted = s.to_ascii_lowercase();
    // Names are short; a longer input is no misspelling of one, and would only cost time.
    if wanted.len() > 64 {
        return None;
    }
    // In a short name (JST, EST) a letter changed makes another zone, not a typo.
    let typos = if wanted.len() >= 6 { 2 } else { 0 };
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            (
                edit_distance(&wanted, &tz.name().to_ascii_lowercase()),
                tz.name(),
            )
        })
        .filter(|&(d, _)| d <= typos)
        .min_by_key(|&(d, _)| d)
        .map(|(_, name)| name)
}

/// Levenshtein distance over bytes.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

struct TimeZoneVisitor;

impl Visitor<'_> for TimeZoneVisitor {
    type Value = TimeZone;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an IANA time zone name such as Asia/Tokyo")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<TimeZone, E> {
        parse_time_zone(v).map(TimeZone).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<TimeZone, E> {
        Err(not_a_zone(format_args!("the number {v}")))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<TimeZone, E> {
        Err(not_a_zone(format_args!("the number {v}")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<TimeZone, E> {
        Err(not_a_zone(format_args!("the number {v}")))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<TimeZone, E> {
        Err(not_a_zone(format_args!("`{v}`")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<TimeZone, E> {
        Err(not_a_zone("nothing"))
    }
}

fn not_a_zone<E: de::Error>(what: impl fmt::Display) -> E {
    E::custom(format!(
        "expected a time zone name such as Asia/Tokyo, found {what}; leave the key out to read each date-time at its own offset"
    ))
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimeZoneVisitor)
    }
}

impl Serialize for TimeZone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name())
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

impl schemars::JsonSchema for TimeZone {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TimeZone".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        schemars::json_schema!({
            "description": "An IANA time zone name, such as Asia/Tokyo.",
            "type": "string",
            "enum": names,
        })
    }
}
