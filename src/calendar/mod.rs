//! Holiday calendars: the days a recipient of a report is closed, for deadline arithmetic.
//!
//! Each calendar is a file in `src/calendar/data/`, generated from the `holidays` Python package
//! by `scripts/calendars.py` and committed; the files are embedded here and parsed once. A file
//! is a header of `# key: value` lines (id, title, citation, provenance, years, and notes on what
//! it includes and leaves out), then one line per listed closed day, `YYYY-MM-DD<TAB>name`,
//! sorted, one line per date. Saturdays and Sundays are closed by rule in every calendar and are
//! not listed. See docs/calendars.md.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use sha2::{Digest, Sha256};

/// The embedded files, in the order [`builtins`] lists them: file name (without `.txt`), text.
const FILES: [(&str, &str); 15] = [
    ("jp-admin", include_str!("data/jp-admin.txt")),
    ("us-federal", include_str!("data/us-federal.txt")),
    ("br-national", include_str!("data/br-national.txt")),
    ("at-national", include_str!("data/at-national.txt")),
    ("be-national", include_str!("data/be-national.txt")),
    ("de-national", include_str!("data/de-national.txt")),
    ("es-national", include_str!("data/es-national.txt")),
    ("fr-national", include_str!("data/fr-national.txt")),
    ("ie-national", include_str!("data/ie-national.txt")),
    ("it-national", include_str!("data/it-national.txt")),
    ("lu-national", include_str!("data/lu-national.txt")),
    ("nl-national", include_str!("data/nl-national.txt")),
    ("pl-national", include_str!("data/pl-national.txt")),
    ("se-national", include_str!("data/se-national.txt")),
    ("weekends", include_str!("data/weekends.txt")),
];

/// A calendar of closed days: Saturdays, Sundays and the days its file lists.
#[derive(Debug)]
pub struct Calendar {
    id: &'static str,
    title: &'static str,
    provenance: &'static str,
    citation: &'static str,
    years: Option<(i32, i32)>,
    header: Vec<(&'static str, &'static str)>,
    /// Sorted by date, one entry per date.
    days: Vec<(NaiveDate, &'static str)>,
}

impl Calendar {
    /// The id rules and users name it by, e.g. `jp-admin`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// One line: what it is.
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// Where the listed days come from, e.g. `holidays 0.109 (PyPI), 2020–2035`.
    pub fn provenance(&self) -> &'static str {
        self.provenance
    }

    /// The legal definition of a closed day the calendar follows.
    pub fn citation(&self) -> &'static str {
        self.citation
    }

    /// The first and last year whose holidays are listed; `None` for a calendar that lists none
    /// and so is right for every year (`weekends`).
    pub fn years(&self) -> Option<(i32, i32)> {
        self.years
    }

    /// Whether `day` is in a year the calendar lists holidays for. Outside it, only weekends
    /// count as closed, which may not be the law: the caller says so.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.years
            .is_none_or(|(first, last)| (first..=last).contains(&day.year()))
    }

    /// Whether `day` is closed: a Saturday or Sunday, a listed day, or one of `extra` (the
    /// user's own closure days, in any order).
    pub fn is_closed(&self, day: NaiveDate, extra: &[NaiveDate]) -> bool {
        is_weekend(day) || self.listed(day).is_some() || extra.contains(&day)
    }

    /// The name of a listed day (a weekend day that is not listed has none).
    pub fn closure(&self, day: NaiveDate) -> Option<&'static str> {
        self.listed(day)
    }

    /// The first day on or after `day` that is not closed; None past 9999-12-31.
    pub fn open_on_or_after(&self, day: NaiveDate, extra: &[NaiveDate]) -> Option<NaiveDate> {
        self.first_open(day, &sorted(extra))
    }

    /// The `n`th open day after `from` (from itself not counted); None past 9999-12-31.
    /// `n == 0` gives `from` itself, open or not.
    pub fn open_days_after(
        &self,
        from: NaiveDate,
        n: u32,
        extra: &[NaiveDate],
    ) -> Option<NaiveDate> {
        if from > last_day()? {
            return None;
        }
        // Sorted once, so that each day costs a binary search however long `extra` is; every
        // step moves forward, so the work is bounded by the days between `from` and the answer.
        let extra = sorted(extra);
        let mut day = from;
        for _ in 0..n {
            day = self.first_open(day.succ_opt()?, &extra)?;
        }
        Some(day)
    }

    /// The days listed, by date, with their names.
    pub fn listed_days(&self) -> &[(NaiveDate, &'static str)] {
        &self.days
    }

    /// The file's header, `# key: value` lines as (key, value) in file order: besides the keys
    /// above, `includes`, `left-out`, `note`, `package`, `generated-by` and (us-federal)
    /// `closure`.
    pub fn header(&self) -> &[(&'static str, &'static str)] {
        &self.header
    }

    fn listed(&self, day: NaiveDate) -> Option<&'static str> {
        self.days
            .binary_search_by_key(&day, |&(d, _)| d)
            .ok()
            .and_then(|i| self.days.get(i))
            .map(|&(_, name)| name)
    }

    /// The first open day on or after `day`, with `extra` sorted and without duplicates.
    fn first_open(&self, mut day: NaiveDate, extra: &[NaiveDate]) -> Option<NaiveDate> {
        let last = last_day()?;
        while day <= last {
            let closed =
                is_weekend(day) || self.listed(day).is_some() || extra.binary_search(&day).is_ok();
            if !closed {
                return Some(day);
            }
            day = day.succ_opt()?;
        }
        None
    }
}

/// The built-in calendar with this id.
pub fn builtin(id: &str) -> Option<&'static Calendar> {
    builtins().iter().find(|c| c.id == id)
}

/// Every built-in calendar: jp-admin, us-federal, br-national, the EU member states' national
/// calendars by id, then weekends.
pub fn builtins() -> &'static [Calendar] {
    static CALENDARS: OnceLock<Vec<Calendar>> = OnceLock::new();
    CALENDARS.get_or_init(|| {
        FILES
            .iter()
            .map(|&(name, text)| match parse(name, text) {
                Ok(calendar) => calendar,
                // The files are part of the source, not input: `every_file_parses` checks each
                // one, so this cannot happen in a build whose tests passed.
                Err(e) => panic!("embedded calendar {name}.txt: {e}"),
            })
            .collect()
    })
}

/// SHA-256 (lower-case hex) of the embedded calendar files, for provenance: over each file in
/// [`builtins`] order, its name, a NUL byte, its length in bytes (u64, little-endian) and its
/// bytes.
pub fn data_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut hasher = Sha256::new();
        for (name, text) in FILES {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        crate::sanitize::hex(&hasher.finalize())
    })
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

fn last_day() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(9999, 12, 31)
}

fn sorted(extra: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut extra = extra.to_vec();
    extra.sort_unstable();
    extra.dedup();
    extra
}

/// Reads one file: header, then days. Errors name the line.
fn parse(name: &str, text: &'static str) -> Result<Calendar, String> {
    let mut header = Vec::new();
    let mut days: Vec<(NaiveDate, &'static str)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = |what: &str| format!("line {}: {what}", i + 1);
        if let Some(comment) = line.strip_prefix('#') {
            if !days.is_empty() {
                return Err(at("a header line after the days"));
            }
            let (key, value) = comment
                .strip_prefix(' ')
                .and_then(|c| c.split_once(": "))
                .ok_or_else(|| at("a header line is `# key: value`"))?;
            header.push((key, value));
            continue;
        }
        let (date, day_name) = line
            .split_once('\t')
            .ok_or_else(|| at("a day is `YYYY-MM-DD<TAB>name`"))?;
        let day = parse_date(date).ok_or_else(|| at("not a date YYYY-MM-DD"))?;
        if day_name.trim().is_empty() {
            return Err(at("a day without a name"));
        }
        if days.last().is_some_and(|&(prev, _)| prev >= day) {
            return Err(at("days out of order or listed twice"));
        }
        days.push((day, day_name));
    }
    let one = |key: &str| -> Result<&'static str, String> {
        let mut values = header.iter().filter(|(k, _)| *k == key).map(|&(_, v)| v);
        match (values.next(), values.next()) {
            (Some(v), None) => Ok(v),
            (None, _) => Err(format!("no `# {key}:` line")),
            (Some(_), Some(_)) => Err(format!("`# {key}:` given twice")),
        }
    };
    let id = one("id")?;
    if id != name {
        return Err(format!("id {id} in a file named {name}.txt"));
    }
    let years = match one("years")? {
        "all" => None,
        span => Some(parse_years(span).ok_or_else(|| format!("years {span}: not FIRST-LAST"))?),
    };
    if let Some((first, last)) = years {
        if let Some((day, _)) = days
            .iter()
            .find(|(d, _)| !(first..=last).contains(&d.year()))
        {
            return Err(format!("{day} is outside the years {first}-{last}"));
        }
    } else if !days.is_empty() {
        return Err("days listed in a calendar for all years".to_owned());
    }
    Ok(Calendar {
        id,
        title: one("title")?,
        provenance: one("provenance")?,
        citation: one("citation")?,
        years,
        header,
        days,
    })
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return None;
    }
    NaiveDate::from_ymd_opt(
        s.get(0..4)?.parse().ok()?,
        s.get(5..7)?.parse().ok()?,
        s.get(8..10)?.parse().ok()?,
    )
}

fn parse_years(s: &str) -> Option<(i32, i32)> {
    let (first, last) = s.split_once('-')?;
    let (first, last) = (first.parse().ok()?, last.parse().ok()?);
    (first <= last).then_some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a valid test date")
    }

    fn cal(id: &str) -> &'static Calendar {
        builtin(id).unwrap_or_else(|| panic!("no calendar {id}"))
    }

    const IDS: [&str; 15] = [
        "jp-admin",
        "us-federal",
        "br-national",
        "at-national",
        "be-national",
        "de-national",
        "es-national",
        "fr-national",
        "ie-national",
        "it-national",
        "lu-national",
        "nl-national",
        "pl-national",
        "se-national",
        "weekends",
    ];

    #[test]
    fn every_file_parses_with_its_header_and_the_ids_are_the_ones_asked_for() {
        for (name, text) in FILES {
            let c = parse(name, text).unwrap_or_else(|e| panic!("{name}.txt: {e}"));
            for key in [
                "id",
                "title",
                "citation",
                "provenance",
                "years",
                "generated-by",
            ] {
                assert!(
                    c.header().iter().any(|(k, _)| *k == key),
                    "{name}.txt has no `# {key}:`"
                );
            }
            assert!(!c.title().is_empty() && !c.citation().is_empty());
        }
        let ids: Vec<&str> = builtins().iter().map(Calendar::id).collect();
        assert_eq!(ids, IDS);
        assert!(builtin("xx-national").is_none());
    }

    #[test]
    fn every_holiday_calendar_covers_2020_to_2035_and_lists_days_in_each_year() {
        for c in builtins().iter().filter(|c| c.id() != "weekends") {
            let (first, last) = c.years().expect("a holiday calendar has years");
            assert!(first <= 2020 && last >= 2035, "{}: {first}-{last}", c.id());
            for year in 2020..=2035 {
                let n = c
                    .listed_days()
                    .iter()
                    .filter(|(d, _)| d.year() == year)
                    .count();
                assert!(n >= 8, "{}: only {n} days in {year}", c.id());
            }
            assert!(c.covers(d(2020, 1, 1)) && c.covers(d(2035, 12, 31)));
            assert!(!c.covers(d(first - 1, 12, 31)) && !c.covers(d(last + 1, 1, 1)));
            assert_eq!(
                c.provenance(),
                format!("holidays {} (PyPI), {first}–{last}", pinned_version()),
            );
        }
        let w = cal("weekends");
        assert_eq!(w.years(), None);
        assert!(w.listed_days().is_empty());
        assert!(w.covers(d(1900, 1, 1)) && w.covers(d(9999, 12, 31)));
    }

    #[test]
    fn days_are_sorted_unique_and_named() {
        for c in builtins() {
            for pair in c.listed_days().windows(2) {
                assert!(pair[0].0 < pair[1].0, "{}: {:?}", c.id(), pair);
            }
            assert!(c.listed_days().iter().all(|(_, n)| !n.trim().is_empty()));
        }
    }

    fn pinned_version() -> &'static str {
        include_str!("../../scripts/requirements-calendars.txt")
            .lines()
            .find_map(|l| l.trim().strip_prefix("holidays=="))
            .expect("a holidays== pin")
    }

    #[test]
    fn the_package_version_in_each_file_is_the_pinned_one() {
        let want = format!("holidays {}", pinned_version());
        for c in builtins().iter().filter(|c| c.years().is_some()) {
            let package: Vec<_> = c.header().iter().filter(|(k, _)| *k == "package").collect();
            assert_eq!(package, [&("package", want.as_str())], "{}", c.id());
        }
    }

    #[test]
    fn jp_admin_golden_week_weekends_and_year_end() {
        let c = cal("jp-admin");
        for day in 3..=6 {
            assert!(c.is_closed(d(2025, 5, day), &[]), "2025-05-0{day}");
        }
        assert_eq!(c.closure(d(2025, 5, 6)), Some("Substitute Holiday"));
        assert!(c.is_closed(d(2025, 5, 10), &[]));
        assert_eq!(
            c.closure(d(2025, 5, 10)),
            None,
            "a Saturday, closed by rule"
        );
        assert!(!c.is_closed(d(2025, 5, 7), &[]));
        assert!(!c.is_closed(d(2025, 5, 12), &[]));
        let mut day = d(2025, 12, 29);
        while day <= d(2026, 1, 3) {
            assert!(c.is_closed(day, &[]), "{day}");
            assert!(
                c.closure(day)
                    .is_some_and(|n| n.contains("29 Dec to 3 Jan")),
                "{day}"
            );
            day = day.succ_opt().expect("a next day");
        }
        assert!(!c.is_closed(d(2026, 1, 5), &[]));
        assert_eq!(
            c.open_on_or_after(d(2025, 5, 10), &[]),
            Some(d(2025, 5, 12))
        );
        assert_eq!(c.open_on_or_after(d(2025, 5, 3), &[]), Some(d(2025, 5, 7)));
        assert_eq!(
            c.open_on_or_after(d(2025, 12, 27), &[]),
            Some(d(2026, 1, 5))
        );
        assert_eq!(
            c.open_on_or_after(d(2025, 5, 12), &[]),
            Some(d(2025, 5, 12))
        );
    }

    #[test]
    fn us_federal_holidays_observed_days_and_closures_by_order() {
        let c = cal("us-federal");
        for (day, name) in [
            (d(2025, 1, 20), "Birthday of Martin Luther King, Jr."),
            (d(2025, 6, 19), "Juneteenth National Independence Day"),
            (d(2025, 7, 4), "Independence Day"),
            (d(2026, 7, 3), "Independence Day (observed)"),
            (d(2021, 12, 31), "New Year's Day (observed)"),
            (
                d(2021, 6, 18),
                "Juneteenth National Independence Day (observed)",
            ),
        ] {
            assert_eq!(c.closure(day), Some(name), "{day}");
        }
        for day in [
            d(2020, 12, 24),
            d(2024, 12, 24),
            d(2025, 1, 9),
            d(2025, 12, 24),
            d(2025, 12, 26),
        ] {
            assert!(c.closure(day).is_some_and(|n| n.contains("E.O. ")), "{day}");
        }
        // Juneteenth became a federal holiday in June 2021; Christmas Eve is closed only by order.
        assert!(!c.is_closed(d(2020, 6, 19), &[]));
        assert!(!c.is_closed(d(2026, 12, 24), &[]));
        assert!(!c.is_closed(d(2025, 1, 21), &[]));
        // Thu 16 Jan 2025: Fri 17, (Sat, Sun, MLK Mon 20 closed), Tue 21, Wed 22, Thu 23.
        assert_eq!(
            c.open_days_after(d(2025, 1, 16), 4, &[]),
            Some(d(2025, 1, 23))
        );
        // Wed 8 Jan 2025: Thu 9 closed by E.O. 14133, so Fri 10 is the first.
        assert_eq!(
            c.open_days_after(d(2025, 1, 8), 1, &[]),
            Some(d(2025, 1, 10))
        );
    }

    #[test]
    fn national_calendars_spot_checks() {
        assert_eq!(
            cal("br-national").closure(d(2025, 4, 21)),
            Some("Tiradentes' Day")
        );
        assert!(cal("br-national").is_closed(d(2024, 11, 20), &[]));
        assert!(
            !cal("br-national").is_closed(d(2023, 11, 20), &[]),
            "national from 2024"
        );
        assert_eq!(
            cal("de-national").closure(d(2025, 10, 3)),
            Some("German Unity Day")
        );
        assert!(
            !cal("de-national").is_closed(d(2025, 10, 31), &[]),
            "Reformation Day: some Länder"
        );
        assert!(cal("fr-national").is_closed(d(2025, 7, 14), &[]));
        assert!(cal("pl-national").is_closed(d(2025, 12, 24), &[]));
        assert!(
            !cal("pl-national").is_closed(d(2024, 12, 24), &[]),
            "from 2025"
        );
        assert!(
            !cal("se-national").is_closed(d(2025, 6, 20), &[]),
            "Midsummer Eve left out"
        );
        assert!(cal("ie-national").is_closed(d(2025, 3, 17), &[]));
        assert!(!cal("weekends").is_closed(d(2025, 12, 25), &[]));
        assert!(cal("weekends").is_closed(d(2025, 12, 27), &[]));
    }

    #[test]
    fn extra_days_count_in_any_order_with_duplicates() {
        let c = cal("weekends");
        let extra = [d(2025, 3, 5), d(2025, 3, 3), d(2025, 3, 4), d(2025, 3, 3)];
        assert!(c.is_closed(d(2025, 3, 4), &extra));
        assert!(!c.is_closed(d(2025, 3, 4), &[]));
        // Fri 28 Feb: Mon 3, Tue 4, Wed 5 closed, then Thu 6, Fri 7, (weekend), Mon 10.
        assert_eq!(
            c.open_days_after(d(2025, 2, 28), 3, &extra),
            Some(d(2025, 3, 10))
        );
        assert_eq!(
            c.open_on_or_after(d(2025, 3, 1), &extra),
            Some(d(2025, 3, 6))
        );
        assert_eq!(
            c.open_days_after(d(2025, 2, 28), 0, &extra),
            Some(d(2025, 2, 28))
        );
    }

    #[test]
    fn arithmetic_stops_at_the_end_of_9999() {
        let c = cal("jp-admin");
        let last = d(9999, 12, 31); // a Friday
        assert_eq!(c.open_on_or_after(last, &[]), Some(last));
        assert_eq!(c.open_on_or_after(last, &[last]), None);
        assert_eq!(c.open_days_after(d(9999, 12, 30), 1, &[]), Some(last));
        assert_eq!(c.open_days_after(d(9999, 12, 30), 2, &[]), None);
        assert_eq!(c.open_days_after(last, 0, &[]), Some(last));
        assert_eq!(c.open_on_or_after(d(10000, 1, 3), &[]), None);
        assert_eq!(c.open_days_after(d(10000, 1, 3), 0, &[]), None);
        // An n far beyond the callers' cap still ends, at 9999-12-31.
        assert_eq!(c.open_days_after(d(9990, 1, 1), u32::MAX, &[]), None);
    }

    #[test]
    fn data_hash_is_64_lower_hex_and_stable() {
        let h = data_hash();
        assert_eq!(h.len(), 64);
        assert!(h
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(h, data_hash());
        let mut other = Sha256::new();
        other.update(FILES[0].1.as_bytes());
        let other = crate::sanitize::hex(&other.finalize());
        assert_ne!(h, other, "the hash covers more than one file");
    }

    #[test]
    fn parse_refuses_bad_files_with_the_line() {
        let head = "# id: t\n# title: T\n# citation: C\n# provenance: P\n# years: 2025-2025\n";
        let ok =
            |body: &str| -> &'static str { Box::leak(format!("{head}{body}").into_boxed_str()) };
        assert!(parse("t", ok("2025-01-01\tNew Year\n")).is_ok());
        for (body, want) in [
            (
                "2025-01-02\tB\n2025-01-01\tA\n",
                "line 7: days out of order or listed twice",
            ),
            (
                "2025-01-01\tA\n2025-01-01\tA\n",
                "line 7: days out of order or listed twice",
            ),
            ("2025-1-01\tA\n", "line 6: not a date YYYY-MM-DD"),
            ("2025-02-30\tA\n", "line 6: not a date YYYY-MM-DD"),
            ("2025-01-01 A\n", "line 6: a day is `YYYY-MM-DD<TAB>name`"),
            ("2025-01-01\t \n", "line 6: a day without a name"),
            (
                "2024-12-31\tA\n",
                "2024-12-31 is outside the years 2025-2025",
            ),
            (
                "2025-01-01\tA\n# note: late\n",
                "line 7: a header line after the days",
            ),
        ] {
            assert_eq!(
                parse("t", ok(body)).map(|_| ()),
                Err(want.to_owned()),
                "{body:?}"
            );
        }
        assert_eq!(
            parse("u", ok("")).map(|_| ()),
            Err("id t in a file named u.txt".to_owned())
        );
        assert_eq!(
            parse("t", "# id: t\n").map(|_| ()),
            Err("no `# years:` line".to_owned())
        );
    }
}
