//! Calendar values as the incident format writes them.
//!
//! Dates are parsed by hand-written visitors rather than chrono's lenient `FromStr`, so that
//! `2025/04/10`, `10 April 2025`, a bare number or a year outside 1..=9999 fail with a message
//! that serde_yaml can still place on a line and column.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod zone;

pub use zone::{parse_time_zone, TimeZone, Zone};

/// A calendar day: `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub NaiveDate);

/// When an event happened, as precisely as the sources say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// `YYYY-MM-DD`
    Day(NaiveDate),
    /// `YYYY-MM`: the day is unknown.
    Month { year: i32, month: u32 },
    /// RFC 3339 with an offset: `2025-04-10T09:30:00+09:00`.
    Instant(DateTime<FixedOffset>),
}

impl When {
    /// The first calendar day this could be: used for ordering and day counts.
    pub fn earliest(&self) -> NaiveDate {
        match *self {
            When::Day(d) => d,
            When::Month { year, month } => first_of_month(year, month),
            When::Instant(t) => t.date_naive(),
        }
    }

    /// The last calendar day this could be: a fact counts as of a date only once it surely happened.
    pub fn latest(&self) -> NaiveDate {
        match *self {
            When::Day(d) => d,
            When::Month { year, month } => last_of_month(year, month),
            When::Instant(t) => t.date_naive(),
        }
    }

    /// True when the day itself is unknown, so intervals through it are approximate.
    pub fn is_approximate(&self) -> bool {
        matches!(self, When::Month { .. })
    }
}

/// A day or an instant, never only a month: what a clock can start from or a report was
/// filed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// `YYYY-MM-DD`: some time that day.
    Day(NaiveDate),
    /// RFC 3339 with an offset.
    Instant(DateTime<FixedOffset>),
}

impl From<Day> for Moment {
    fn from(d: Day) -> Moment {
        Moment::Day(d.0)
    }
}

impl Moment {
    /// The calendar day, at the instant's own offset.
    pub fn day(&self) -> NaiveDate {
        match *self {
            Moment::Day(d) => d,
            Moment::Instant(t) => t.date_naive(),
        }
    }
}

/// Where an event sorts: its instant, or the start of its day (or month) in the incident's
/// zone; at the same instant a day or a month sorts before a date-time.
pub type OrderKey = (DateTime<Utc>, bool);

impl When {
    /// The first calendar day this could be, in `zone`.
    pub fn earliest_in(&self, zone: &Zone) -> NaiveDate {
        match *self {
            When::Instant(t) => zone.day_of(t),
            _ => self.earliest(),
        }
    }

    /// The last calendar day this could be, in `zone`.
    pub fn latest_in(&self, zone: &Zone) -> NaiveDate {
        match *self {
            When::Instant(t) => zone.day_of(t),
            _ => self.latest(),
        }
    }

    /// The key events are ordered by.
    pub fn order_key(&self, zone: &Zone) -> OrderKey {
        match *self {
            When::Instant(t) => (t.with_timezone(&Utc), true),
            _ => (zone.start_of_day(self.earliest()), false),
        }
    }

    /// True when this surely ended before `other` began: as instants when both are, else by
    /// the days they fall on in `zone` (a day lasts until its end).
    pub fn surely_before(&self, other: &When, zone: &Zone) -> bool {
        match (self, other) {
            (When::Instant(a), When::Instant(b)) => a < b,
            _ => self.latest_in(zone) < other.earliest_in(zone),
        }
    }

    /// The offset a date-time is written with.
    pub fn offset(&self) -> Option<FixedOffset> {
        match self {
            When::Instant(t) => Some(*t.offset()),
            _ => None,
        }
    }
}

impl Moment {
    /// The calendar day, in `zone`.
    pub fn day_in(&self, zone: &Zone) -> NaiveDate {
        match *self {
            Moment::Day(d) => d,
            Moment::Instant(t) => zone.day_of(t),
        }
    }

    /// The offset a date-time is written with.
    pub fn offset(&self) -> Option<FixedOffset> {
        match self {
            Moment::Instant(t) => Some(*t.offset()),
            Moment::Day(_) => None,
        }
    }
}

fn first_of_month(year: i32, month: u32) -> NaiveDate {
    // Month values are validated on parsing; the fallback only keeps this total.
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

fn last_of_month(year: i32, month: u32) -> NaiveDate {
    let first = first_of_month(year, month);
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first)
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_day(f, self.0)
    }
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it. By hand because every JSON and table row
/// holds several dates, and chrono parses its format string on each call.
fn write_day(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
    let (year, month, day) = (d.year(), d.month(), d.day());
    let Ok(year @ 0..=9999) = u32::try_from(year) else {
        return write!(f, "{}", d.format("%Y-%m-%d"));
    };
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let bytes = [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    f.write_str(std::str::from_utf8(&bytes).map_err(|_| fmt::Error)?)
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Day(d) => write_day(f, *d),
            When::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            When::Instant(t) => write!(f, "{}", t.to_rfc3339()),
        }
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Moment::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Moment::Instant(t) => write!(f, "{}", t.to_rfc3339()),
        }
    }
}

/// Parses `YYYY-MM-DD` exactly: four-digit year 1..=9999, two-digit month and day.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!(
            "`{s}` is not a date: write dates as YYYY-MM-DD, e.g. 2025-04-10"
        ));
    }
    let year: i32 = s[0..4].parse().map_err(|_| bad_date(s))?;
    let month: u32 = s[5..7].parse().map_err(|_| bad_date(s))?;
    let day: u32 = s[8..10].parse().map_err(|_| bad_date(s))?;
    if year == 0 {
        return Err(format!(
            "`{s}`: year 0 is not a calendar year (use 0001 to 9999)"
        ));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        format!(
            "`{s}` is not a day of the calendar: check the month (01-12) and the day of that month"
        )
    })
}

fn bad_date(s: &str) -> String {
    format!("`{s}` is not a date: write dates as YYYY-MM-DD, e.g. 2025-04-10")
}

fn parse_month(s: &str) -> Option<Result<(i32, u32), String>> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year: i32 = s[0..4].parse().ok()?;
    let month: u32 = s[5..7].parse().ok()?;
    if year == 0 {
        return Some(Err(format!(
            "`{s}`: year 0 is not a calendar year (use 0001 to 9999)"
        )));
    }
    if !(1..=12).contains(&month) {
        return Some(Err(format!("`{s}`: the month must be 01 to 12")));
    }
    Some(Ok((year, month)))
}

/// Parses an event date: `YYYY-MM-DD`, `YYYY-MM` or RFC 3339 with an offset.
pub fn parse_when(s: &str) -> Result<When, String> {
    if s.len() == 10 {
        return parse_day(s).map(When::Day);
    }
    if let Some(month) = parse_month(s) {
        return month.map(|(year, month)| When::Month { year, month });
    }
    if s.len() > 10
        && s.as_bytes()
            .get(10)
            .is_some_and(|c| matches!(c, b'T' | b't' | b' '))
    {
        parse_day(&s[..10])?;
        return match DateTime::parse_from_rfc3339(s) {
            Ok(t) if (1..=9999).contains(&t.year()) => Ok(When::Instant(t)),
            _ => Err(format!(
                "`{s}` is not a date-time with an offset: write RFC 3339, e.g. 2025-04-10T09:30:00+09:00 (or Z for UTC)"
            )),
        };
    }
    Err(format!(
        "`{s}` is not a date: write YYYY-MM-DD, YYYY-MM when the day is unknown, or a date-time with offset such as 2025-04-10T09:30:00+09:00"
    ))
}

/// Parses a day or a date-time with offset; a month alone is refused, since a clock or a
/// filing needs at least the day.
pub fn parse_moment(s: &str) -> Result<Moment, String> {
    match parse_when(s)? {
        When::Day(d) => Ok(Moment::Day(d)),
        When::Instant(t) => Ok(Moment::Instant(t)),
        When::Month { .. } => Err(format!(
            "`{s}` gives only the month: write the day, YYYY-MM-DD, or a date-time with offset"
        )),
    }
}

/// True for text shaped like a date (`2025-...`), as opposed to an event id such as `#1`.
pub fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// Describes a non-string YAML scalar for an error message ("found the number 20250410").
pub(crate) fn found<E: de::Error>(what: impl fmt::Display, expected: &str) -> E {
    E::custom(format!(
        "expected {expected}, found {what}; dates are written as YYYY-MM-DD"
    ))
}

macro_rules! reject_non_strings {
    ($expected:expr) => {
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Err(found(format_args!("the number {v}"), $expected))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Err(found(format_args!("the number {v}"), $expected))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(found(format_args!("the number {v}"), $expected))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Err(found(format_args!("`{v}`"), $expected))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(found("nothing (an empty value, `~` or `null`)", $expected))
        }
    };
}

struct DayVisitor;

impl Visitor<'_> for DayVisitor {
    type Value = Day;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date YYYY-MM-DD")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Day, E> {
        parse_day(v).map(Day).map_err(E::custom)
    }
    reject_non_strings!("a date YYYY-MM-DD");
}

struct WhenVisitor;

impl Visitor<'_> for WhenVisitor {
    type Value = When;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date YYYY-MM-DD, YYYY-MM, or an RFC 3339 date-time with offset")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<When, E> {
        parse_when(v).map_err(E::custom)
    }
    reject_non_strings!("a date");
}

struct MomentVisitor;

impl Visitor<'_> for MomentVisitor {
    type Value = Moment;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date YYYY-MM-DD or an RFC 3339 date-time with offset")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Moment, E> {
        parse_moment(v).map_err(E::custom)
    }
    reject_non_strings!("a date");
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MomentVisitor)
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DayVisitor)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WhenVisitor)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

// The JSON Schema of these types accepts what the visitors above accept: the same shapes, with
// the calendar checks (a real day, year 1 to 9999) left to the loader, except that a `Day` also
// carries `format: date`, which editors check.

/// `YYYY-MM-DD`, as `parse_day` requires it.
pub const DAY_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// `YYYY-MM`, as `parse_month` requires it.
pub const MONTH_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])$";
/// RFC 3339 with an offset, as chrono's `parse_from_rfc3339` reads it (`t` or a space may
/// separate date and time; U+2212 may stand for the minus of the offset).
pub const INSTANT_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+\\-\u{2212}][0-9]{2}:[0-9]{2})$";

impl schemars::JsonSchema for Day {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Day".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A calendar day, YYYY-MM-DD (e.g. 2025-04-10).",
            "type": "string",
            "pattern": DAY_PATTERN,
            "format": "date",
        })
    }
}

impl schemars::JsonSchema for Moment {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Moment".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A day YYYY-MM-DD, or an RFC 3339 date-time with offset such as 2025-04-10T09:30:00+09:00.",
            "type": "string",
            "anyOf": [
                { "pattern": DAY_PATTERN, "format": "date" },
                { "pattern": INSTANT_PATTERN },
            ],
        })
    }
}

impl schemars::JsonSchema for When {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "When".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "As precisely as the sources say: a day YYYY-MM-DD, a month YYYY-MM when the day is unknown, or an RFC 3339 date-time with offset such as 2025-04-10T09:30:00+09:00.",
            "type": "string",
            "anyOf": [
                { "pattern": DAY_PATTERN, "format": "date" },
                { "pattern": MONTH_PATTERN },
                { "pattern": INSTANT_PATTERN },
            ],
        })
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_display_as_chrono_formats_them() {
        for (y, m, d) in [
            (1, 1, 1),
            (999, 12, 31),
            (2025, 4, 9),
            (9999, 12, 31),
            (10000, 1, 1),
            (-5, 3, 4),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(Day(date).to_string(), date.format("%Y-%m-%d").to_string());
            assert_eq!(
                When::Day(date).to_string(),
                date.format("%Y-%m-%d").to_string()
            );
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_accepts_only_iso_calendar_days() {
        assert_eq!(parse_day("2025-04-10"), Ok(d(2025, 4, 10)));
        assert_eq!(parse_day("2024-02-29"), Ok(d(2024, 2, 29)));
        for bad in [
            "2025/04/10",
            "10 April 2025",
            "2025-4-10",
            "+2025-04-10",
            " 2025-04-10",
        ] {
            assert!(parse_day(bad).unwrap_err().contains("YYYY-MM-DD"), "{bad}");
        }
        assert!(parse_day("2025-02-30")
            .unwrap_err()
            .contains("not a day of the calendar"));
        assert!(parse_day("2025-13-01")
            .unwrap_err()
            .contains("not a day of the calendar"));
        assert!(parse_day("0000-01-01").unwrap_err().contains("year 0"));
        assert!(parse_day("10000-01-01").is_err());
    }

    #[test]
    fn when_covers_day_month_and_instant() {
        assert_eq!(parse_when("2025-04-10"), Ok(When::Day(d(2025, 4, 10))));
        let month = parse_when("2025-02").unwrap();
        assert_eq!(
            month,
            When::Month {
                year: 2025,
                month: 2
            }
        );
        assert_eq!(month.earliest(), d(2025, 2, 1));
        assert_eq!(month.latest(), d(2025, 2, 28));
        assert!(month.is_approximate());
        assert_eq!(parse_when("2024-02").unwrap().latest(), d(2024, 2, 29));
        assert_eq!(parse_when("2025-12").unwrap().latest(), d(2025, 12, 31));

        let t = parse_when("2025-04-10T23:30:00+09:00").unwrap();
        assert_eq!(
            t.earliest(),
            d(2025, 4, 10),
            "the day is the day at the given offset"
        );
        assert_eq!(t.to_string(), "2025-04-10T23:30:00+09:00");
        assert!(parse_when("2025-04-10T09:30:00Z").is_ok());
    }

    #[test]
    fn when_rejects_datetimes_without_offset_and_odd_months() {
        assert!(parse_when("2025-04-10T09:30:00")
            .unwrap_err()
            .contains("offset"));
        assert!(parse_when("2024-05-01 10:00")
            .unwrap_err()
            .contains("offset"));
        assert!(parse_when("2025-13").unwrap_err().contains("01 to 12"));
        assert!(parse_when("0000-05").unwrap_err().contains("year 0"));
        assert!(parse_when("April 2025").is_err());
    }

    #[test]
    fn moments_are_days_or_instants_never_months() {
        assert_eq!(parse_moment("2025-04-10"), Ok(Moment::Day(d(2025, 4, 10))));
        let t = parse_moment("2025-04-10T23:30:00-05:00").unwrap();
        assert_eq!(
            t.day(),
            d(2025, 4, 10),
            "the day at the instant's own offset"
        );
        assert!(parse_moment("2025-04")
            .unwrap_err()
            .contains("only the month"));
        assert!(parse_moment("2025-04-10T09:30:00")
            .unwrap_err()
            .contains("offset"));
        assert!(looks_like_date("2025-04-10"));
        assert!(looks_like_date("2025-4"));
        assert!(!looks_like_date("#1"));
        assert!(!looks_like_date("2025"));
        assert!(!looks_like_date("R2025-01"));
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn tokyo() -> Zone {
        Zone::Named(chrono_tz::Asia::Tokyo)
    }

    #[test]
    fn a_moment_falls_on_its_written_day_without_a_zone_and_on_the_zones_day_with_one() {
        let late_in_new_york = at("2025-04-10T23:30:00-05:00");
        assert_eq!(Zone::default().day_of(late_in_new_york), d(2025, 4, 10));
        assert_eq!(tokyo().day_of(late_in_new_york), d(2025, 4, 11));
        let w = When::Instant(late_in_new_york);
        assert_eq!(w.earliest_in(&tokyo()), d(2025, 4, 11));
        assert_eq!(w.latest_in(&tokyo()), d(2025, 4, 11));
        assert_eq!(
            Moment::Instant(late_in_new_york).day_in(&tokyo()),
            d(2025, 4, 11)
        );
        let month = When::Month {
            year: 2025,
            month: 2,
        };
        assert_eq!(month.latest_in(&tokyo()), d(2025, 2, 28), "days stay days");
    }

    #[test]
    fn an_instant_is_localized_to_the_zone_and_left_as_written_without_one() {
        let t = at("2025-04-13T20:00:00-05:00");
        assert_eq!(
            tokyo().localize(t).to_rfc3339(),
            "2025-04-14T10:00:00+09:00"
        );
        assert_eq!(tokyo().localize(t), t, "the same instant");
        assert_eq!(Zone::default().localize(t).to_rfc3339(), t.to_rfc3339());
    }

    #[test]
    fn without_a_zone_days_start_at_the_easternmost_offset_written() {
        let offsets = [
            at("2025-04-10T00:00:00-05:00"),
            at("2025-04-10T00:00:00+09:00"),
        ];
        let zone = Zone::new(None, offsets.iter().map(|t| *t.offset()));
        assert_eq!(
            zone,
            Zone::Written(FixedOffset::east_opt(9 * 3600).unwrap())
        );
        assert_eq!(Zone::new(None, []), Zone::default());
        assert_eq!(
            Zone::new(Some(chrono_tz::UTC), offsets.iter().map(|t| *t.offset())),
            Zone::Named(chrono_tz::UTC),
            "a named zone wins"
        );
        assert_eq!(
            zone.start_of_day(d(2025, 4, 10)),
            at("2025-04-09T15:00:00Z").with_timezone(&Utc)
        );
    }

    #[test]
    fn a_day_starts_at_midnight_in_its_zone_or_when_the_clocks_skip_it() {
        assert_eq!(
            tokyo().start_of_day(d(2025, 4, 10)),
            at("2025-04-09T15:00:00Z").with_timezone(&Utc)
        );
        // New York in summer time.
        let ny = Zone::Named(chrono_tz::America::New_York);
        assert_eq!(
            ny.start_of_day(d(2025, 7, 1)),
            at("2025-07-01T04:00:00Z").with_timezone(&Utc)
        );
        // Santiago moved its clocks from 00:00 to 01:00 on 2024-09-08: the day began at the
        // jump, 04:00 UTC, an hour after midnight at the winter offset would have been.
        let santiago = Zone::Named(chrono_tz::America::Santiago);
        assert_eq!(
            santiago.start_of_day(d(2024, 9, 8)),
            at("2024-09-08T04:00:00Z").with_timezone(&Utc)
        );
    }

    #[test]
    fn the_ends_of_the_calendar_do_not_panic() {
        let east = Zone::Written(FixedOffset::east_opt(14 * 3600).unwrap());
        for zone in [
            tokyo(),
            Zone::Named(chrono_tz::America::Santiago),
            east,
            Zone::default(),
        ] {
            for day in [NaiveDate::MIN, d(1, 1, 1), d(9999, 12, 31), NaiveDate::MAX] {
                let _ = zone.start_of_day(day);
            }
            for t in ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"] {
                let _ = zone.day_of(at(t));
                let _ = zone.localize(at(t));
            }
        }
    }

    #[test]
    fn events_order_as_instants_and_a_day_before_any_instant_on_it() {
        let zone = Zone::new(None, [FixedOffset::east_opt(9 * 3600).unwrap()]);
        let notification = When::Instant(at("2025-04-11T01:00:00+09:00"));
        let detection = When::Instant(at("2025-04-10T23:30:00-05:00"));
        assert!(notification.order_key(&zone) < detection.order_key(&zone));
        let day = When::Day(d(2025, 4, 11));
        let midnight = When::Instant(at("2025-04-11T00:00:00+09:00"));
        assert!(day.order_key(&zone) < midnight.order_key(&zone));
        assert!(
            When::Instant(at("2025-04-10T23:59:59+09:00")).order_key(&zone) < day.order_key(&zone)
        );
        let april = When::Month {
            year: 2025,
            month: 4,
        };
        assert_eq!(
            april.order_key(&zone),
            When::Day(d(2025, 4, 1)).order_key(&zone),
            "a month and its first day tie: file order decides"
        );
        assert!(april.order_key(&zone) < When::Day(d(2025, 4, 2)).order_key(&zone));
        // With a zone, a day starts at its midnight there.
        let tokyo_day = When::Day(d(2025, 4, 11)).order_key(&tokyo());
        assert!(detection.order_key(&tokyo()) > tokyo_day);
    }

    #[test]
    fn surely_before_compares_instants_as_instants_and_anything_else_by_day() {
        let zone = Zone::default();
        let eight = When::Instant(at("2025-04-10T08:00:00+09:00"));
        let nine = When::Instant(at("2025-04-10T09:00:00+09:00"));
        assert!(eight.surely_before(&nine, &zone));
        assert!(!nine.surely_before(&eight, &zone));
        assert!(!eight.surely_before(&eight, &zone));
        let tenth = When::Day(d(2025, 4, 10));
        assert!(
            !tenth.surely_before(&nine, &zone),
            "the day lasts until its end"
        );
        assert!(!nine.surely_before(&tenth, &zone));
        assert!(When::Day(d(2025, 4, 9)).surely_before(&nine, &zone));
        let april = When::Month {
            year: 2025,
            month: 4,
        };
        assert!(!april.surely_before(&tenth, &zone));
        assert!(When::Month {
            year: 2025,
            month: 3
        }
        .surely_before(&tenth, &zone));
    }

    #[test]
    fn time_zones_are_iana_names_and_a_near_miss_gets_a_suggestion() {
        assert_eq!(parse_time_zone("Asia/Tokyo"), Ok(chrono_tz::Asia::Tokyo));
        assert_eq!(parse_time_zone("UTC"), Ok(chrono_tz::UTC));
        assert_eq!(
            parse_time_zone("Asia/Tokio").unwrap_err(),
            "`Asia/Tokio` is not a known time zone: did you mean `Asia/Tokyo`?"
        );
        assert!(parse_time_zone("asia/tokyo")
            .unwrap_err()
            .ends_with("did you mean `Asia/Tokyo`?"));
        assert!(parse_time_zone("JST")
            .unwrap_err()
            .contains("such as Asia/Tokyo"));
        assert!(parse_time_zone(&"x".repeat(10_000)).is_err());
        assert_eq!(zone::edit_distance("kitten", "sitting"), 3);
        assert_eq!(zone::edit_distance("", "abc"), 3);
    }

    #[test]
    fn day_counts_follow_the_calendar() {
        assert_eq!(days_between(d(2024, 8, 3), d(2025, 4, 10)), 250);
        assert_eq!(days_between(d(2025, 4, 10), d(2025, 4, 10)), 0);
        assert_eq!(days_between(d(2025, 3, 1), d(2025, 2, 28)), -1);
    }
}
