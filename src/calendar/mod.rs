//! TEMPORARY STUB (replaced by the generated calendars on merge).
use chrono::{Datelike, NaiveDate, Weekday};

pub struct Calendar {
    id: &'static str,
}
static ALL: [Calendar; 4] = [
    Calendar { id: "weekends" },
    Calendar { id: "jp-admin" },
    Calendar { id: "us-federal" },
    Calendar { id: "br-national" },
];
impl Calendar {
    pub fn id(&self) -> &'static str {
        self.id
    }
    pub fn title(&self) -> &'static str {
        self.id
    }
    pub fn provenance(&self) -> &'static str {
        "stub"
    }
    pub fn citation(&self) -> &'static str {
        "stub"
    }
    pub fn years(&self) -> Option<(i32, i32)> {
        (self.id != "weekends").then_some((2020, 2035))
    }
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.years()
            .is_none_or(|(a, b)| (a..=b).contains(&day.year()))
    }
    pub fn is_closed(&self, day: NaiveDate, extra: &[NaiveDate]) -> bool {
        matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || extra.contains(&day)
    }
    pub fn closure(&self, _day: NaiveDate) -> Option<&'static str> {
        None
    }
    pub fn open_on_or_after(&self, day: NaiveDate, extra: &[NaiveDate]) -> Option<NaiveDate> {
        let mut d = day;
        while self.is_closed(d, extra) {
            d = d.succ_opt()?;
        }
        Some(d)
    }
    pub fn open_days_after(&self, from: NaiveDate, n: u32, extra: &[NaiveDate]) -> Option<NaiveDate> {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt()?;
            if !self.is_closed(d, extra) {
                left -= 1;
            }
        }
        Some(d)
    }
}
pub fn builtin(id: &str) -> Option<&'static Calendar> {
    ALL.iter().find(|c| c.id == id)
}
pub fn builtins() -> &'static [Calendar] {
    &ALL
}
pub fn data_hash() -> &'static str {
    "stub"
}
