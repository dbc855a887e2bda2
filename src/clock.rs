//! Reporting clocks: when a period that starts at some moment ends.
//!
//! Pure calendar arithmetic, no incident in sight: `evaluate` finds where a clock starts and
//! asks [`count`] when it runs out, under the [`Terms`] of its rule (docs/obligations.md):
//! - the days are those of the rule's zone (or the incident's), its first day not counted
//!   unless the rule counts it or has the 00:00 proviso (Japanese Civil Code art. 140) and the
//!   start is exactly 00:00;
//! - days end at the end of their last day; months on the same day number, or the last day of
//!   a shorter month; business days skip the days the rule's calendar closes;
//! - a closed last day moves to the next open day under `extension: next-open-day`, and a
//!   cut-off ends the last day early; the unmoved day is the target;
//! - hours are elapsed from the exact instant; from a bare date, from its first instant in the
//!   incident's zone (the earliest the start can have been), and the result says it rests on
//!   that assumption; they are never extended;
//! - nothing is computed past 9999-12-31, the last day the format can write: such a deadline
//!   is `None`, which validation reports.

use std::fmt;

use chrono::{
    DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta,
};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::{Moment, Zone};
use crate::rule::{End, Extension, FirstDay, From as RuleFrom, Terms, ZoneRule};

/// The last day the format writes (four-digit years) and the calendar breachline counts in.
pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// The most `policy_days` may be: as many as `within` allows in days.
pub const POLICY_DAYS_LIMIT: u32 = Period::Days(0).limit();

/// A period a report is due within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Hours(u32),
    /// Calendar days, the first day not counted.
    Days(u32),
    /// Monday to Friday, less listed holidays.
    BusinessDays(u32),
    /// Calendar months.
    Months(u32),
}

impl Period {
    /// Periods beyond about ten years are refused: no reporting clock runs that long, and the
    /// cap keeps the arithmetic far from the calendar's end.
    const fn limit(self) -> u32 {
        match self {
            Period::Hours(_) => 87_600,
            Period::Days(_) => 3_650,
            Period::BusinessDays(_) => 2_600,
            Period::Months(_) => 120,
        }
    }

    fn count(self) -> u32 {
        match self {
            Period::Hours(n) | Period::Days(n) | Period::BusinessDays(n) | Period::Months(n) => n,
        }
    }

    pub fn is_business_days(self) -> bool {
        matches!(self, Period::BusinessDays(_))
    }

    /// The shortest and longest this period can last, in hours, from any start: a day
    /// period from late in a day lasts almost a day more than its count.
    fn hours_range(self) -> (u64, u64) {
        let n = u64::from(self.count());
        match self {
            Period::Hours(_) => (n, n),
            Period::Days(_) => (n * 24, (n + 1) * 24),
            // Weekends and at most a dozen holidays in a row.
            Period::BusinessDays(_) => (n * 24, (n + 2 * (n / 5 + 1) + 12) * 24),
            Period::Months(_) => (n * 28 * 24, (n * 31 + 1) * 24),
        }
    }

    /// The most calendar days it can last, before any extension.
    pub fn longest_days(self) -> u64 {
        self.hours_range().1.div_ceil(24)
    }

    /// True when, counted from the same start, this period can never end after `other`.
    pub fn never_longer_than(self, other: Period) -> bool {
        if std::mem::discriminant(&self) == std::mem::discriminant(&other) {
            return self.count() <= other.count();
        }
        self.hours_range().1 <= other.hours_range().0
    }
}

const PERIOD_FORMS: &str = "write a number and a unit: 72h, 30d, 4 business days or 1 month";

/// Parses `72h`, `72 hours`, `30d`, `30 days`, `4 business days`, `1 month`, `2 months`.
pub fn parse_period(s: &str) -> Result<Period, String> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = s.split_at(digits);
    let unit = unit.split_whitespace().collect::<Vec<_>>().join(" ");
    let make: fn(u32) -> Period = match unit.as_str() {
        "h" | "hour" | "hours" => Period::Hours,
        "d" | "day" | "days" => Period::Days,
        "business day" | "business days" => Period::BusinessDays,
        "month" | "months" => Period::Months,
        _ => return Err(format!("`{s}` is not a period: {PERIOD_FORMS}")),
    };
    if number.is_empty() {
        return Err(format!("`{s}` is not a period: {PERIOD_FORMS}"));
    }
    let period = make(number.parse().unwrap_or(u32::MAX));
    if period.count() == 0 {
        return Err(format!("`{s}`: a period must be at least 1"));
    }
    if period.count() > period.limit() {
        return Err(format!(
            "`{s}` is longer than any reporting period (at most {} {})",
            period.limit(),
            make(period.limit()).unit()
        ));
    }
    Ok(period)
}

impl Period {
    fn unit(self) -> &'static str {
        let one = self.count() == 1;
        match self {
            Period::Hours(_) if one => "hour",
            Period::Hours(_) => "hours",
            Period::Days(_) if one => "day",
            Period::Days(_) => "days",
            Period::BusinessDays(_) if one => "business day",
            Period::BusinessDays(_) => "business days",
            Period::Months(_) if one => "month",
            Period::Months(_) => "months",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.count(), self.unit())
    }
}

struct PeriodVisitor;

impl Visitor<'_> for PeriodVisitor {
    type Value = Period;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a period such as 72h, 30d, 4 business days or 1 month")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Period, E> {
        parse_period(v).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Period, E> {
        Err(E::custom(format!(
            "found the number {v} without a unit: write {v}d for calendar days, {v}h for hours, `{v} business days` or `{v} months`"
        )))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Period, E> {
        Err(E::custom(format!("found the number {v}: {PERIOD_FORMS}")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Period, E> {
        Err(E::custom(format!("found the number {v}: {PERIOD_FORMS}")))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Period, E> {
        Err(E::custom(format!("found `{v}`: {PERIOD_FORMS}")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Period, E> {
        Err(E::custom(format!("found nothing: {PERIOD_FORMS}")))
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PeriodVisitor)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// As `parse_period` reads it: a count of at least 1 and a unit, spaces optional before the
/// unit. The upper limits are left to the loader.
impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A period: a number and a unit, e.g. 72h, 30d, 4 business days, 1 month (h, hour(s), d, day(s), business day(s), month(s)).",
            "type": "string",
            "pattern": PERIOD_PATTERN,
        })
    }
}

/// The shape `parse_period` accepts.
pub const PERIOD_PATTERN: &str =
    "^0*[1-9][0-9]*\\s*(h|hours?|d|days?|business\\s+days?|months?)\\s*$";

/// A point in time as precisely as it is known.
///
/// As a start, `Day` means "some time that day"; as a deadline, "by the end of that day".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Time {
    Day(NaiveDate),
    Instant(DateTime<FixedOffset>),
    /// A wall-clock time with no known offset: an hour count from a bare date.
    Local(NaiveDateTime),
}

impl From<Moment> for Time {
    fn from(m: Moment) -> Time {
        match m {
            Moment::Day(d) => Time::Day(d),
            Moment::Instant(t) => Time::Instant(t),
        }
    }
}

impl Time {
    /// The calendar day it falls on (an instant's at its own offset).
    pub fn day(&self) -> NaiveDate {
        match *self {
            Time::Day(d) => d,
            Time::Instant(t) => t.date_naive(),
            Time::Local(t) => t.date(),
        }
    }

    /// As a deadline: the last day by whose end it is met. A deadline at 00:00 is the end of
    /// the day before.
    pub fn due_day(&self) -> NaiveDate {
        let midnight = |t: NaiveDateTime| t.time() == NaiveTime::MIN;
        // chrono's calendar reaches far before year 1: the fallback only keeps this total.
        let pred = |d: NaiveDate| d.pred_opt().unwrap_or(d);
        match *self {
            Time::Day(d) => d,
            Time::Instant(t) if midnight(t.naive_local()) => pred(t.date_naive()),
            Time::Local(t) if midnight(t) => pred(t.date()),
            Time::Instant(t) => t.date_naive(),
            Time::Local(t) => t.date(),
        }
    }

    /// As a deadline, the moment it runs out, for a clock that starts there: a whole day ends
    /// at 00:00 of the next day. `None` past [`LAST_DAY`].
    pub fn end(self) -> Option<Time> {
        match self {
            Time::Day(d) => Some(Time::Local(
                d.succ_opt()
                    .filter(|&n| n <= LAST_DAY)?
                    .and_time(NaiveTime::MIN),
            )),
            t => Some(t),
        }
    }

    /// Within the calendar breachline counts in: every day it falls on, in UTC too, is at most
    /// [`LAST_DAY`], and a whole day also has its end (00:00 the next day; an iCalendar
    /// all-day entry ends there).
    fn in_calendar(&self) -> bool {
        match *self {
            Time::Day(d) => d < LAST_DAY,
            Time::Instant(t) => t.date_naive() <= LAST_DAY && t.naive_utc().date() <= LAST_DAY,
            Time::Local(t) => t.date() <= LAST_DAY,
        }
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Time::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Time::Instant(t) => write!(f, "{}", t.to_rfc3339()),
            Time::Local(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S")),
        }
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// When a clock runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub time: Time,
    /// An hour count started from a bare date: counted from the start of that day.
    pub assumed_start_of_day: bool,
}

/// A deadline as the law counts it, and the target beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// With the law's extension and cut-off: what decides overdue, late and on time.
    pub legal: Due,
    /// The conservative date: the same count without the extension. Never later than `legal`.
    pub target: Due,
    /// A day the count needed from its calendar that the calendar's years do not cover: the
    /// deadline then assumes that day was open, and validation warns.
    pub beyond_calendar: Option<NaiveDate>,
}

/// When a period counted under `terms` from `start` runs out, in an incident whose days fall
/// in `zone`; `extra` are closure days the obligation adds to the rule's calendar. `None` past
/// [`LAST_DAY`].
///
/// - hours: elapsed from the instant; from a bare date, from its first instant in the
///   incident's zone (the conservative start, marked as assumed); never extended;
/// - days, business days, months: from the start's day in the rule's zone, that day not
///   counted (unless `first_day: included`, or the midnight proviso and a start at 00:00);
///   business days skip the days the calendar closes; the last day then moves to the next
///   open day under `extension: next-open-day`, and ends at the cut-off time if there is one.
pub fn count(terms: &Terms, start: Time, zone: &Zone, extra: &[NaiveDate]) -> Option<Counted> {
    let calendar = terms.calendar.0;
    if let Period::Hours(h) = terms.period {
        let due = elapsed_hours(start, h, zone)?;
        due.time.in_calendar().then_some(())?;
        return Some(Counted {
            legal: due,
            target: due,
            beyond_calendar: None,
        });
    }
    let counting_zone = match terms.zone {
        ZoneRule::Named(tz) => Zone::Named(tz),
        ZoneRule::Incident => *zone,
    };
    let (start_day, midnight) = day_in(start, &counting_zone);
    let mut from = start_day;
    if terms.from == Some(RuleFrom::EndOfCalendarYear) {
        from = NaiveDate::from_ymd_opt(start_day.year(), 12, 31)?;
    } else if terms.first_day == FirstDay::Included || (terms.midnight_proviso && midnight) {
        from = from.pred_opt()?;
    }
    let mut beyond = None;
    let mut check = |d: NaiveDate| {
        if !calendar.covers(d) && beyond.is_none() {
            beyond = Some(d);
        }
    };
    let last = match terms.period {
        Period::Days(n) => from.checked_add_days(Days::new(u64::from(n)))?,
        Period::Months(n) => months_after(from, n)?,
        Period::BusinessDays(n) => {
            let last = calendar.open_days_after(from, n, extra)?;
            check(from);
            check(last);
            last
        }
        Period::Hours(_) => return None,
    };
    let legal_day = match terms.extension {
        Extension::NextOpenDay => {
            check(last);
            let moved = calendar.open_on_or_after(last, extra)?;
            check(moved);
            moved
        }
        Extension::None => last,
    };
    let at_end = |d: NaiveDate| -> Option<Due> {
        let time = match terms.end {
            End::EndOfDay => Time::Day(d),
            End::CutOff(t) => Time::Instant(counting_zone.at(d.and_time(t))?),
        };
        time.in_calendar().then_some(Due {
            time,
            assumed_start_of_day: false,
        })
    };
    Some(Counted {
        legal: at_end(legal_day)?,
        target: at_end(last)?,
        beyond_calendar: beyond,
    })
}

/// The day `t` falls on in `zone`, and whether it is exactly 00:00 there.
fn day_in(t: Time, zone: &Zone) -> (NaiveDate, bool) {
    match t {
        Time::Day(d) => (d, false),
        Time::Instant(i) => {
            let local = zone.localize(i).naive_local();
            match zone {
                Zone::Named(_) => (local.date(), local.time() == NaiveTime::MIN),
                // Without a `timezone`, a date-time falls on the day written.
                Zone::Written(_) => (i.date_naive(), i.naive_local().time() == NaiveTime::MIN),
            }
        }
        Time::Local(l) => (l.date(), l.time() == NaiveTime::MIN),
    }
}

/// `h` elapsed hours from `start`. With a named zone a bare date starts at its first instant
/// there and a local time is placed in it, so that a clock change in between is counted as
/// the hour it is; without one, wall-clock arithmetic as before (no change of offset is
/// known). A deadline at exactly 00:00 is the end of the day before, shown as that day.
fn elapsed_hours(start: Time, h: u32, zone: &Zone) -> Option<Due> {
    let delta = TimeDelta::hours(i64::from(h));
    let named = matches!(zone, Zone::Named(_));
    let (from, assumed) = match start {
        Time::Instant(t) => (t, false),
        Time::Day(d) if named => (zone.start_of_day(d).fixed_offset(), true),
        Time::Local(t) if named => (zone.at(t)?, false),
        Time::Day(_) | Time::Local(_) => {
            let mut due = hours_after(start, h)?;
            if let Time::Instant(t) = due.time {
                due.time = Time::Instant(zone.localize(t));
            }
            return Some(due);
        }
    };
    let end = zone.localize(from.checked_add_signed(delta)?);
    let time = if named && end.naive_local().time() == NaiveTime::MIN {
        Time::Day(end.date_naive().pred_opt()?)
    } else {
        Time::Instant(end)
    };
    Some(Due {
        time,
        assumed_start_of_day: assumed,
    })
}

/// When a deadline runs out, as an instant, to compare deadlines of different kinds: a whole
/// day at the start of the next one in `zone`; a local time placed in `zone`.
pub fn runs_out(t: Time, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    match t {
        Time::Instant(i) => Some(i),
        Time::Day(d) => Some(zone.start_of_day(d.succ_opt()?).fixed_offset()),
        Time::Local(l) => zone.at(l),
    }
}

/// When `period` counted from `start` runs out, as a `within:` period of an incident's own is
/// counted ([`Terms::within`]); `None` past [`LAST_DAY`]. `holidays` count only for business
/// days.
pub fn due(period: Period, start: Time, holidays: &[NaiveDate]) -> Option<Due> {
    count(&Terms::within(period), start, &Zone::default(), holidays).map(|c| c.legal)
}

/// The same day number `n` months after `from`, or the last day of that month if it is
/// shorter: one month from 31 January is 28 (or 29) February.
pub fn months_after(from: NaiveDate, n: u32) -> Option<NaiveDate> {
    from.checked_add_months(Months::new(n))
}

fn hours_after(start: Time, h: u32) -> Option<Due> {
    let delta = TimeDelta::hours(i64::from(h));
    Some(match start {
        Time::Instant(t) => Due {
            time: Time::Instant(t.checked_add_signed(delta)?),
            assumed_start_of_day: false,
        },
        Time::Day(d) => Due {
            time: local(d.and_time(NaiveTime::MIN), delta)?,
            assumed_start_of_day: true,
        },
        Time::Local(t) => Due {
            time: local(t, delta)?,
            assumed_start_of_day: false,
        },
    })
}

/// A local time plus hours; one landing on 00:00 is the end of the day before, shown as that day.
fn local(t: NaiveDateTime, delta: TimeDelta) -> Option<Time> {
    let end = t.checked_add_signed(delta)?;
    Some(if end.time() == NaiveTime::MIN {
        Time::Day(end.date().pred_opt()?)
    } else {
        Time::Local(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;
    // The arithmetic of `within` periods, counted as breachline has always counted them (the
    // rules' own counting, with calendars, zones and cut-offs, is checked by the golden tables
    // of tests/fixtures/rules). Each period below was a built-in rule's; the names say which.
    const APPI_PRELIMINARY: Period = Period::Days(5);
    const APPI_FINAL: Period = Period::Days(30);
    const APPI_FINAL_IMPROPER_PURPOSE: Period = Period::Days(60);
    const TBA_DETAILED_REPORT: Period = Period::Days(30);
    const GDPR_ART33: Period = Period::Hours(72);
    const NIS2_EARLY_WARNING: Period = Period::Hours(24);
    const NIS2_NOTIFICATION: Period = Period::Hours(72);
    const NIS2_FINAL_REPORT: Period = Period::Months(1);
    const SEC_8K_1_05: Period = Period::BusinessDays(4);

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(s: &str) -> Time {
        Time::Instant(DateTime::parse_from_rfc3339(s).unwrap())
    }

    /// The last day of `n` days from `start`, as `within: Nd` counts.
    fn days_after(start: Time, n: u32) -> Option<NaiveDate> {
        due(Period::Days(n), start, &[]).map(|d| d.time.day())
    }

    /// The `n`th business day after `from`, as `within: N business days` counts.
    fn business_days_after(from: NaiveDate, n: u32, holidays: &[NaiveDate]) -> Option<NaiveDate> {
        due(Period::BusinessDays(n), Time::Day(from), holidays).map(|d| d.time.day())
    }

    fn rule_due(period: Period, start: Time) -> Due {
        due(period, start, &[]).unwrap()
    }

    #[test]
    fn periods_parse_in_short_and_long_forms() {
        assert_eq!(parse_period("72h"), Ok(Period::Hours(72)));
        assert_eq!(parse_period("72 hours"), Ok(Period::Hours(72)));
        assert_eq!(parse_period("1 hour"), Ok(Period::Hours(1)));
        assert_eq!(parse_period("30d"), Ok(Period::Days(30)));
        assert_eq!(parse_period("30 days"), Ok(Period::Days(30)));
        assert_eq!(parse_period("4 business days"), Ok(Period::BusinessDays(4)));
        assert_eq!(
            parse_period("4  business   days"),
            Ok(Period::BusinessDays(4))
        );
        assert_eq!(parse_period("1 month"), Ok(Period::Months(1)));
        assert_eq!(parse_period("2 months"), Ok(Period::Months(2)));
        assert_eq!(Period::Hours(72).to_string(), "72 hours");
        assert_eq!(Period::BusinessDays(1).to_string(), "1 business day");
        assert_eq!(Period::Months(1).to_string(), "1 month");
    }

    #[test]
    fn periods_without_a_number_or_unit_or_beyond_ten_years_are_refused() {
        for bad in [
            "3 weeks",
            "h",
            "days",
            "72",
            "-1d",
            "1.5d",
            "72 h later",
            "",
        ] {
            assert!(
                parse_period(bad).unwrap_err().contains("is not a period"),
                "{bad}"
            );
        }
        assert!(parse_period("0d").unwrap_err().contains("at least 1"));
        assert!(parse_period("3651d")
            .unwrap_err()
            .contains("at most 3650 days"));
        assert!(parse_period("121 months")
            .unwrap_err()
            .contains("at most 120 months"));
        assert!(parse_period("99999999999999999999h")
            .unwrap_err()
            .contains("at most"));
    }

    #[test]
    fn japanese_day_periods_exclude_the_first_day() {
        // Civil Code art. 140: 30 days from knowing on 2025-04-10 end with 2025-05-10.
        let knew = Time::Day(d(2025, 4, 10));
        assert_eq!(days_after(knew, 30).unwrap(), d(2025, 5, 10));
        assert_eq!(days_after(knew, 1).unwrap(), d(2025, 4, 11));
        // A time of day changes nothing...
        assert_eq!(
            days_after(at("2025-04-10T23:59:59+09:00"), 30).unwrap(),
            d(2025, 5, 10)
        );
        // ...except exactly 00:00, where the first day is a whole day and counts.
        assert_eq!(
            days_after(at("2025-04-10T00:00:00+09:00"), 30).unwrap(),
            d(2025, 5, 9)
        );
        // No extension when the last day is a Saturday (2025-05-10 is one).
        assert_eq!(d(2025, 5, 10).weekday(), Weekday::Sat);
    }

    #[test]
    fn every_japanese_rule_at_its_boundary() {
        let knew = Time::Day(d(2025, 4, 10));
        let on = |rule| rule_due(rule, knew);
        assert_eq!(on(APPI_PRELIMINARY).time, Time::Day(d(2025, 4, 15)));
        assert_eq!(
            due(Period::Days(3), knew, &[]).unwrap().time,
            Time::Day(d(2025, 4, 13)),
            "the policy value is configurable"
        );
        assert_eq!(on(APPI_FINAL).time, Time::Day(d(2025, 5, 10)));
        assert_eq!(
            on(APPI_FINAL_IMPROPER_PURPOSE).time,
            Time::Day(d(2025, 6, 9))
        );
        assert_eq!(on(TBA_DETAILED_REPORT).time, Time::Day(d(2025, 5, 10)));
        assert!(!on(TBA_DETAILED_REPORT).assumed_start_of_day);
        // The period crosses a month end and a leap day correctly.
        assert_eq!(
            rule_due(APPI_FINAL, Time::Day(d(2024, 2, 10))).time,
            Time::Day(d(2024, 3, 11))
        );
    }

    #[test]
    fn a_72_hour_clock_from_a_datetime_keeps_its_offset() {
        let due = rule_due(GDPR_ART33, at("2025-04-10T09:30:00+09:00"));
        assert_eq!(due.time, at("2025-04-13T09:30:00+09:00"));
        assert_eq!(due.time.to_string(), "2025-04-13T09:30:00+09:00");
        assert!(!due.assumed_start_of_day);
        assert_eq!(due.time.due_day(), d(2025, 4, 13));
        // Across a change of month, from UTC.
        assert_eq!(
            rule_due(NIS2_NOTIFICATION, at("2025-03-30T22:00:00Z")).time,
            at("2025-04-02T22:00:00Z")
        );
        assert_eq!(
            rule_due(NIS2_EARLY_WARNING, at("2025-04-10T09:30:00+09:00")).time,
            at("2025-04-11T09:30:00+09:00")
        );
    }

    #[test]
    fn a_72_hour_clock_from_a_bare_date_counts_from_the_start_of_that_day() {
        let due = rule_due(GDPR_ART33, Time::Day(d(2025, 4, 10)));
        // 2025-04-10T00:00 + 72 h = 2025-04-13T00:00, which is the end of 2025-04-12.
        assert_eq!(due.time, Time::Day(d(2025, 4, 12)));
        assert!(due.assumed_start_of_day);
        assert_eq!(
            rule_due(NIS2_EARLY_WARNING, Time::Day(d(2025, 4, 10))).time,
            Time::Day(d(2025, 4, 10)),
            "24 hours from some time on a day: by the end of that day at the latest"
        );
        let odd = due_hours(36, Time::Day(d(2025, 4, 10)));
        assert_eq!(odd.time.to_string(), "2025-04-11T12:00:00");
        assert_eq!(odd.time.due_day(), d(2025, 4, 11));
        assert!(odd.assumed_start_of_day);
    }

    fn due_hours(h: u32, start: Time) -> Due {
        due(Period::Hours(h), start, &[]).unwrap()
    }

    #[test]
    fn a_deadline_at_midnight_is_met_by_the_end_of_the_day_before() {
        assert_eq!(at("2025-04-13T00:00:00+09:00").due_day(), d(2025, 4, 12));
        assert_eq!(at("2025-04-13T00:00:01+09:00").due_day(), d(2025, 4, 13));
        assert_eq!(Time::Day(d(2025, 4, 13)).due_day(), d(2025, 4, 13));
    }

    #[test]
    fn four_business_days_skip_the_weekend() {
        // Thursday 2025-04-10: Fri 11, Mon 14, Tue 15, Wed 16.
        assert_eq!(d(2025, 4, 10).weekday(), Weekday::Thu);
        let thursday = Time::Day(d(2025, 4, 10));
        assert_eq!(
            rule_due(SEC_8K_1_05, thursday).time,
            Time::Day(d(2025, 4, 16))
        );
        // From Friday: Mon, Tue, Wed, Thu.
        assert_eq!(
            rule_due(SEC_8K_1_05, Time::Day(d(2025, 4, 11))).time,
            Time::Day(d(2025, 4, 17))
        );
        // From Saturday, the weekend is not counted either.
        assert_eq!(
            rule_due(SEC_8K_1_05, Time::Day(d(2025, 4, 12))).time,
            Time::Day(d(2025, 4, 17))
        );
        // A listed holiday on Monday moves the deadline by a day; an unlisted one does not.
        let holidays = [d(2025, 4, 14)];
        assert_eq!(
            due(SEC_8K_1_05, thursday, &holidays).unwrap().time,
            Time::Day(d(2025, 4, 17))
        );
        // A holiday on a Saturday changes nothing.
        assert_eq!(
            business_days_after(d(2025, 4, 10), 4, &[d(2025, 4, 12)]),
            Some(d(2025, 4, 16))
        );
        // An instant counts by its own day.
        assert_eq!(
            rule_due(SEC_8K_1_05, at("2025-04-10T23:00:00-04:00")).time,
            Time::Day(d(2025, 4, 16))
        );
    }

    #[test]
    fn one_month_from_31_january_is_the_end_of_february() {
        assert_eq!(months_after(d(2025, 1, 31), 1), Some(d(2025, 2, 28)));
        assert_eq!(months_after(d(2024, 1, 31), 1), Some(d(2024, 2, 29)));
        assert_eq!(months_after(d(2025, 3, 31), 1), Some(d(2025, 4, 30)));
        assert_eq!(months_after(d(2025, 4, 13), 1), Some(d(2025, 5, 13)));
        assert_eq!(months_after(d(2025, 12, 15), 1), Some(d(2026, 1, 15)));
        let final_report = rule_due(NIS2_FINAL_REPORT, Time::Day(d(2025, 1, 31)));
        assert_eq!(final_report.time, Time::Day(d(2025, 2, 28)));
        // From an instant, by its day.
        assert_eq!(
            rule_due(NIS2_FINAL_REPORT, at("2025-04-13T09:30:00+09:00")).time,
            Time::Day(d(2025, 5, 13))
        );
    }

    #[test]
    fn arithmetic_at_the_end_of_the_calendar_neither_panics_nor_saturates() {
        let last = Time::Day(NaiveDate::MAX);
        for period in [
            Period::Hours(87_600),
            Period::Days(3_650),
            Period::BusinessDays(2_600),
            Period::Months(120),
            Period::Days(u32::MAX),
            Period::BusinessDays(u32::MAX),
            Period::Months(u32::MAX),
            Period::Hours(u32::MAX),
        ] {
            assert_eq!(due(period, last, &[]), None);
            assert_eq!(
                due(
                    period,
                    Time::Instant(chrono::DateTime::<chrono::Utc>::MAX_UTC.fixed_offset()),
                    &[],
                ),
                None
            );
            assert_eq!(due(period, Time::Local(NaiveDateTime::MAX), &[]), None);
            assert_eq!(
                due(period, Time::Day(d(2025, 4, 10)), &[]).is_some(),
                period.count() <= period.limit()
            );
        }
    }

    #[test]
    fn no_deadline_runs_out_after_9999_12_31() {
        // A whole-day deadline needs its end, 00:00 the next day, within the calendar too.
        assert_eq!(
            due(Period::Days(1), Time::Day(d(9999, 12, 29)), &[]).map(|d| d.time),
            Some(Time::Day(d(9999, 12, 30)))
        );
        assert_eq!(due(Period::Days(1), Time::Day(d(9999, 12, 30)), &[]), None);
        assert_eq!(due(Period::Months(1), Time::Day(d(9999, 12, 1)), &[]), None);
        assert_eq!(
            due(Period::BusinessDays(1), Time::Day(d(9999, 12, 30)), &[]),
            None
        );
        // An instant whose own day is in the calendar but whose UTC day is not.
        assert_eq!(
            due(Period::Hours(1), at("9999-12-31T21:00:00-05:00"), &[]),
            None
        );
        assert!(due(Period::Hours(1), at("9999-12-31T21:00:00+00:00"), &[]).is_some());
        // A 24-hour count from a bare date ends with that day: 9999-12-31 has no end.
        assert_eq!(
            due(Period::Hours(24), Time::Day(d(9999, 12, 31)), &[]),
            None
        );
        assert_eq!(Time::Day(d(9999, 12, 31)).end(), None);
        assert_eq!(
            Time::Day(d(9999, 12, 30)).end(),
            Some(Time::Local(d(9999, 12, 31).and_time(NaiveTime::MIN)))
        );
    }

    #[test]
    fn a_start_at_00_00_counts_as_the_end_of_the_day_before() {
        let midnight = |s: &str| Time::Local(format!("{s}T00:00:00").parse().unwrap());
        let from = midnight("2025-04-10");
        let day_before = Time::Day(d(2025, 4, 9));
        // Days: the start's own day is the first counted (art. 140's proviso).
        assert_eq!(
            due(Period::Days(30), from, &[]),
            due(Period::Days(30), day_before, &[])
        );
        assert_eq!(days_after(from, 30), Some(d(2025, 5, 9)));
        assert_eq!(days_after(from, 1), Some(d(2025, 4, 10)));
        // A month from 00:00 counts its first day too: the day before the same day number,
        // never later than the same count of days (April has 30).
        assert_eq!(
            due(Period::Months(1), from, &[]).map(|d| d.time),
            Some(Time::Day(d(2025, 5, 9)))
        );
        assert_eq!(
            due(Period::Months(1), at("2025-04-10T00:00:00+09:00"), &[]).map(|d| d.time),
            Some(Time::Day(d(2025, 5, 9)))
        );
        assert_eq!(
            due(Period::Months(1), at("2025-04-10T00:00:01+09:00"), &[]).map(|d| d.time),
            Some(Time::Day(d(2025, 5, 10)))
        );
        // From the end of a month's last day: the same day number, or the shorter month's end.
        assert_eq!(
            due(Period::Months(1), midnight("2025-04-01"), &[]).map(|d| d.time),
            Some(Time::Day(d(2025, 4, 30)))
        );
        assert_eq!(
            due(Period::Months(1), midnight("2025-01-31"), &[]).map(|d| d.time),
            Some(Time::Day(d(2025, 2, 28)))
        );
        // Business days: the start's own day counts when it is one (Thursday 2025-04-10).
        assert_eq!(
            due(Period::BusinessDays(1), from, &[]).map(|d| d.time),
            Some(Time::Day(d(2025, 4, 10)))
        );
        assert_eq!(
            due(
                Period::BusinessDays(1),
                at("2025-04-10T00:00:01+09:00"),
                &[]
            )
            .map(|d| d.time),
            Some(Time::Day(d(2025, 4, 11)))
        );
    }

    #[test]
    fn a_month_from_00_00_never_ends_later_than_the_same_count_of_days() {
        let mut day = d(2023, 1, 1);
        while day < d(2026, 1, 1) {
            let from = Time::Local(day.and_time(NaiveTime::MIN));
            for n in [1, 2, 12] {
                let Some(Due {
                    time: Time::Day(month_end),
                    ..
                }) = due(Period::Months(n), from, &[])
                else {
                    panic!("{day}: no deadline");
                };
                // Where the same day number exists, the months are that many days long; from
                // 00:00 on the 1st they end earlier (1 March: 28 March, as from the end of
                // 28 February, where the Civil Code's art. 143 would say 31 March).
                let same = day.checked_add_months(Months::new(n)).unwrap();
                if same.day() == day.day() {
                    let length = u32::try_from((same - day).num_days()).unwrap();
                    assert!(
                        month_end <= days_after(from, length).unwrap(),
                        "{day} + {n}"
                    );
                }
                // Never later than from any later time that day.
                let later = due(Period::Months(n), Time::Day(day), &[]).unwrap().time;
                assert!(
                    Time::Day(month_end).due_day() <= later.due_day(),
                    "{day} + {n}"
                );
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn a_deadline_ends_at_the_end_of_its_day() {
        assert_eq!(
            Time::Day(d(2025, 5, 10)).end(),
            Some(Time::Local(d(2025, 5, 11).and_time(NaiveTime::MIN)))
        );
        let exact = at("2025-05-10T09:30:00+09:00");
        assert_eq!(exact.end(), Some(exact));
        // 24 hours from the end of 2025-05-10 end with 2025-05-11.
        let after = due(
            Period::Hours(24),
            Time::Day(d(2025, 5, 10)).end().unwrap(),
            &[],
        )
        .unwrap();
        assert_eq!(after.time, Time::Day(d(2025, 5, 11)));
        assert!(!after.assumed_start_of_day);
    }
}
