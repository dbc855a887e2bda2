//! What an export was made from, so that a reviewer can prove which version of an incident file
//! a report shows: the as-of day, when it was generated, by which breachline, and the SHA-256
//! of every input file.

use std::ffi::OsStr;

use chrono::{DateTime, NaiveDate, Utc};

use crate::evaluate::{AsOf, View};
use crate::load::Portfolio;

/// The breachline that wrote the export.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub as_of: NaiveDate,
    /// Which question the states answer: the record as known on the day, or hindsight.
    pub view: View,
    /// Whole seconds, UTC.
    pub generated_at: DateTime<Utc>,
    pub version: &'static str,
    /// The reporting rules' version: the SHA-256 of the rules library, the rule packs read
    /// and the calendars (`rule::Library::hash`).
    pub rules_sha256: String,
    pub inputs: Vec<Input>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path as the user gave it (or as found under a directory they gave).
    pub file: String,
    /// Lower-case hex, as `sha256sum` prints it.
    pub sha256: String,
}

impl Provenance {
    /// Provenance of `portfolio`, which must have been loaded with `digest` on; a document
    /// without a digest (it was not read) is listed with an empty one rather than hidden.
    pub fn new(portfolio: &Portfolio, as_of: AsOf, generated_at: DateTime<Utc>) -> Self {
        Provenance {
            as_of: as_of.date,
            view: as_of.view,
            generated_at,
            version: VERSION,
            rules_sha256: crate::rule::library().hash().to_owned(),
            inputs: portfolio
                .documents
                .iter()
                .map(|d| Input {
                    file: d.display.clone(),
                    sha256: d.sha256.as_ref().map(|h| hex(h)).unwrap_or_default(),
                })
                .collect(),
        }
    }

    /// The day and the view the states answer for (headings name them: `as of 2025-07-01 (as
    /// known then)`).
    pub fn evaluated(&self) -> AsOf {
        AsOf {
            date: self.as_of,
            soon_days: 0,
            view: self.view,
        }
    }

    /// The breachline version and the first 12 digits of the rules' hash, for a report's
    /// footer: `0.1.0 (rules 1a2b3c4d5e6f)`.
    pub fn version_and_rules(&self) -> String {
        let short: String = self.rules_sha256.chars().take(12).collect();
        format!("{} (rules {short})", self.version)
    }

    /// `2026-11-25T00:00:00Z`
    pub fn generated_at_rfc3339(&self) -> String {
        self.generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// When the export was generated: `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC, as the
/// reproducible-builds convention has it) when set, else `now`, read once by the caller.
/// A malformed value is an error rather than silently the clock: whoever set it wants
/// reproducible output.
pub fn generated_at(
    source_date_epoch: Option<&OsStr>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, String> {
    let Some(raw) = source_date_epoch.filter(|v| !v.is_empty()) else {
        return Ok(now.with_nanosecond_zero());
    };
    let shown = crate::sanitize::for_terminal(&raw.to_string_lossy()).into_owned();
    let time = shown
        .parse::<i64>()
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .ok_or_else(|| {
            format!(
                "SOURCE_DATE_EPOCH=`{shown}` is not a time: give whole seconds since 1970-01-01 UTC, e.g. 1795564800, or unset it"
            )
        })?;
    // Every format writes a four-digit year (iCalendar's DTSTAMP, the workbook's properties,
    // RFC 3339): beyond them a time would be written as `+100000101T000000Z`.
    if !(1..=9999).contains(&chrono::Datelike::year(&time)) {
        return Err(format!(
            "SOURCE_DATE_EPOCH=`{shown}` is a time in the year {}, outside the years 1 to 9999 the export formats can write; give a time within them, e.g. 1795564800, or unset it",
            chrono::Datelike::year(&time)
        ));
    }
    Ok(time)
}

trait WholeSeconds {
    fn with_nanosecond_zero(self) -> Self;
}

impl WholeSeconds for DateTime<Utc> {
    fn with_nanosecond_zero(self) -> Self {
        DateTime::from_timestamp(self.timestamp(), 0).unwrap_or(self)
    }
}

pub use crate::sanitize::hex;

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap()
    }

    #[test]
    fn source_date_epoch_wins_over_the_clock() {
        let t = generated_at(Some(OsStr::new("1795564800")), now()).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-25T00:00:00+00:00");
    }

    #[test]
    fn without_it_the_clock_is_used_to_the_second() {
        assert_eq!(
            generated_at(None, now()).unwrap().timestamp_subsec_nanos(),
            0
        );
        assert_eq!(
            generated_at(Some(OsStr::new("")), now())
                .unwrap()
                .timestamp(),
            1_700_000_000
        );
    }

    #[test]
    fn a_malformed_value_is_an_error() {
        for bad in ["soon", "1.5", "1e9", "99999999999999999999"] {
            let e = generated_at(Some(OsStr::new(bad)), now()).unwrap_err();
            assert!(e.contains(&format!("`{bad}`")), "{e}");
        }
    }

    /// Issue 23: beyond year 9999 or before year 1 the formats would write invalid times.
    #[test]
    fn a_time_outside_the_years_the_formats_write_is_an_error() {
        let first = "-62135596800"; // 0001-01-01T00:00:00Z
        let last = "253402300799"; // 9999-12-31T23:59:59Z
        for good in [first, last] {
            assert!(
                generated_at(Some(OsStr::new(good)), now()).is_ok(),
                "{good}"
            );
        }
        for (bad, year) in [("-62135596801", "0"), ("253402300800", "10000")] {
            let e = generated_at(Some(OsStr::new(bad)), now()).unwrap_err();
            assert!(
                e.contains(&format!(
                    "`{bad}` is a time in the year {year}, outside the years 1 to 9999"
                )),
                "{e}"
            );
        }
    }
}
