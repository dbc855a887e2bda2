//! Reporting rules as data: each built-in rule is one record in a file of `library/`,
//! embedded in the binary, and a team's own rules come in rule packs (`*.rules.yaml`) of the
//! same shape. A rule says who must report what to whom, the provision it comes from, when its
//! clock starts and how its period is counted ([`Terms`]); `clock` does the arithmetic and
//! `evaluate` applies it to an incident. docs/obligations.md lists the library.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{OnceLock, RwLock};

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Digest as _;

use crate::calendar::{self, Calendar};
use crate::clock::Period;
use crate::date::Day;

/// The built-in library, one file per jurisdiction group, in the order `rules` lists them.
pub const LIBRARY_FILES: &[(&str, &str)] = &[
    ("jp.yaml", include_str!("library/jp.yaml")),
    ("eu.yaml", include_str!("library/eu.yaml")),
    ("us-sec.yaml", include_str!("library/us-sec.yaml")),
    ("eu-cra.yaml", include_str!("library/eu-cra.yaml")),
    ("uk.yaml", include_str!("library/uk.yaml")),
    ("us.yaml", include_str!("library/us.yaml")),
    ("br.yaml", include_str!("library/br.yaml")),
    ("apac.yaml", include_str!("library/apac.yaml")),
    ("other.yaml", include_str!("library/other.yaml")),
];

/// The number of days `rule: appi-preliminary` allows when the file gives no `policy_days`.
/// The law says "promptly"; the PPC's guidance speaks of about 3 to 5 days.
pub const APPI_PRELIMINARY_POLICY_DAYS: u32 = 5;

/// A rules file: the built-in library's files and a team's rule packs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub rules: Vec<Rule>,
}

/// One reporting duty, as its law counts it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The name obligations use (`rule: gdpr-art33`).
    pub id: RuleName,
    /// ISO 3166 code of the country (`JP`), `EU`, or a US state as `US-CA`.
    pub jurisdiction: String,
    /// The law or framework, in short (`GDPR`).
    pub regime: String,
    /// What is filed, in a line.
    pub title: String,
    /// Who receives it.
    pub recipient: String,
    /// The provision the duty and its period come from.
    pub provision: String,
    /// The official text.
    pub url: HttpsUrl,
    /// The law's own words for the deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
    /// The first day the duty applies.
    pub effective_from: Day,
    /// The last day it applies, when repealed or replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<Day>,
    /// What starts the clock (with `period`); or give `earliest_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Trigger>,
    /// With `trigger: report-filed`: the rule whose report starts this clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<RuleName>,
    /// Where the count starts relative to the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<From>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The law sets no period ("promptly"): `period` is breachline's policy value, a target and
    /// never a legal deadline.
    #[serde(default, skip_serializing_if = "is_false")]
    pub policy: bool,
    /// The zone whose days are counted; `incident` (the default): the incident's own.
    #[serde(default)]
    pub zone: ZoneRule,
    #[serde(default)]
    pub first_day: FirstDay,
    /// A start at exactly 00:00 counts its own day (Japanese Civil Code art. 140 proviso).
    #[serde(default, skip_serializing_if = "is_false")]
    pub midnight_proviso: bool,
    #[serde(default)]
    pub end: End,
    #[serde(default)]
    pub extension: Extension,
    /// The days counted as business days, and those a deadline is moved off.
    #[serde(default)]
    pub calendar: CalendarName,
    /// Due at the earliest of these clocks (instead of `trigger` and `period`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earliest_of: Vec<Clause>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    /// Counting caveats, conventions chosen and why, what was not confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One clock of an `earliest_of` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub trigger: Trigger,
    pub period: Period,
}

/// A named variant of a rule: the keys it changes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: RuleName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<HttpsUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<Day>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What starts a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// Becoming aware of (knowing of) the breach or incident.
    Awareness,
    /// Determining that it is reportable (material, a notification incident).
    Determination,
    /// Discovering it.
    Discovery,
    /// Assessing that it is notifiable.
    Assessment,
    /// Classifying it (as major).
    Classification,
    /// Suspecting it.
    Suspicion,
    /// Making a payment (a ransom).
    Payment,
    /// Giving notice (to the individuals).
    Notice,
    /// Filing another report (`after`).
    ReportFiled,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Awareness => "awareness",
            Trigger::Determination => "determination",
            Trigger::Discovery => "discovery",
            Trigger::Assessment => "assessment",
            Trigger::Classification => "classification",
            Trigger::Suspicion => "suspicion",
            Trigger::Payment => "payment",
            Trigger::Notice => "notice",
            Trigger::ReportFiled => "report-filed",
        }
    }
}

/// Where a count starts relative to its trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum From {
    /// At the end of the calendar year in which the trigger falls (HIPAA, under 500 people).
    EndOfCalendarYear,
}

/// The zone whose calendar days a rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZoneRule {
    /// The incident's `timezone` (or, without one, the day as written).
    #[default]
    Incident,
    Named(Tz),
}

/// Whether the trigger's own day is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FirstDay {
    /// Not counted (Japanese Civil Code art. 140, Regulation 1182/71 art. 3(1), US practice).
    #[default]
    Excluded,
    /// Counted as the first day.
    Included,
}

/// When the last day of a period ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum End {
    #[default]
    EndOfDay,
    /// A cut-off time on the last day, in the rule's zone (EDGAR: 17:30 Eastern).
    CutOff(NaiveTime),
}

/// What happens to a last day that is closed in the rule's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extension {
    /// Nothing.
    #[default]
    None,
    /// It moves to the next open day (periods in days or months, never hours).
    NextOpenDay,
}

/// A calendar known to breachline, by name.
#[derive(Clone, Copy)]
pub struct CalendarName(pub &'static Calendar);

impl Default for CalendarName {
    fn default() -> Self {
        CalendarName(weekends())
    }
}

impl PartialEq for CalendarName {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}

impl fmt::Debug for CalendarName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.id())
    }
}

/// Saturdays and Sundays: the calendar of a rule that names none.
pub fn weekends() -> &'static Calendar {
    calendar::builtins()
        .iter()
        .find(|c| c.years().is_none())
        .or_else(|| calendar::builtins().first())
        .unwrap_or_else(|| unreachable!("the calendars are built in"))
}

/// A rule or variant name: lower-case letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleName(pub String);

impl RuleName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An `https://` address of an official text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsUrl(pub String);

impl HttpsUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Scalars read by visitors, so that every error keeps its line and column.
macro_rules! scalar {
    ($ty:ty, $expecting:literal, |$v:ident| $parse:expr, |$s:ident| $write:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, $v: &str) -> Result<$ty, E> {
                        $parse.map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let $s = self;
                s.collect_str(&$write)
            }
        }
    };
}

scalar!(
    RuleName,
    "a name of lower-case letters, digits and hyphens",
    |v| parse_name(v).map(|n| RuleName(n.to_owned())),
    |s| s.0
);
scalar!(
    HttpsUrl,
    "an https:// address",
    |v| parse_https(v).map(|u| HttpsUrl(u.to_owned())),
    |s| s.0
);
scalar!(
    ZoneRule,
    "`incident` or an IANA time zone such as America/New_York",
    |v| match v {
        "incident" => Ok(ZoneRule::Incident),
        name => crate::date::parse_time_zone(name).map(ZoneRule::Named),
    },
    |s| match s {
        ZoneRule::Incident => "incident".to_owned(),
        ZoneRule::Named(tz) => tz.name().to_owned(),
    }
);
scalar!(
    End,
    "`end-of-day` or a cut-off time HH:MM",
    |v| {
        match v {
        "end-of-day" => Ok(End::EndOfDay),
        hm => NaiveTime::parse_from_str(hm, "%H:%M")
            .map(End::CutOff)
            .map_err(|_| format!(
                "`{hm}` is not an end of period: write `end-of-day`, or a cut-off time such as \"17:30\" (in quotes)"
            )),
    }
    },
    |s| match s {
        End::EndOfDay => "end-of-day".to_owned(),
        End::CutOff(t) => t.format("%H:%M").to_string(),
    }
);
scalar!(
    CalendarName,
    "the name of a calendar such as jp-admin or us-federal",
    |v| match calendar::builtin(v) {
        Some(c) => Ok(CalendarName(c)),
        None => Err(format!(
            "`{v}` is not a calendar breachline knows: {}{}",
            did_you_mean(v, calendar::builtins().iter().map(|c| c.id())),
            calendar_list()
        )),
    },
    |s| s.0.id()
);

/// "did you mean `x`? ", or nothing.
fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    crate::suggest::closest(word, candidates)
        .map_or_else(String::new, |c| format!("did you mean `{c}`? "))
}

/// At most 80 characters of a value, safe on a terminal.
fn excerpt(v: &str) -> String {
    let cut: String = v.chars().take(80).collect();
    let more = if cut.len() < v.len() { "…" } else { "" };
    format!("{}{more}", crate::sanitize::for_terminal(&cut))
}

fn calendar_list() -> String {
    let names: Vec<&str> = calendar::builtins().iter().map(|c| c.id()).collect();
    format!("the calendars are {}", names.join(", "))
}

const MAX_NAME: usize = 64;

fn parse_name(v: &str) -> Result<&str, String> {
    let ok = !v.is_empty()
        && v.len() <= MAX_NAME
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !v.starts_with('-');
    if ok {
        Ok(v)
    } else {
        Err(format!(
            "`{}` is not a rule name: use lower-case letters, digits and hyphens (at most {MAX_NAME}), such as insurer-48h",
            excerpt(v)
        ))
    }
}

fn parse_https(v: &str) -> Result<&str, String> {
    let rest = v.strip_prefix("https://").unwrap_or_default();
    if rest.is_empty() || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(format!(
            "`{}` is not an https:// address: link the official text",
            excerpt(v)
        ))
    } else {
        Ok(v)
    }
}

/// What the arithmetic needs of a rule, a variant applied: its period and how it is counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Terms {
    pub period: Period,
    pub zone: ZoneRule,
    pub first_day: FirstDay,
    pub midnight_proviso: bool,
    pub end: End,
    pub extension: Extension,
    pub calendar: CalendarName,
    pub from: Option<From>,
}

impl Terms {
    /// How a `within:` period of an incident's own is counted: as breachline always has,
    /// after the Japanese Civil Code (art. 140 with its proviso), business days without
    /// holidays but those listed, no extension, in the incident's zone.
    pub fn within(period: Period) -> Terms {
        Terms {
            period,
            zone: ZoneRule::Incident,
            first_day: FirstDay::Excluded,
            midnight_proviso: true,
            end: End::EndOfDay,
            extension: Extension::None,
            calendar: CalendarName::default(),
            from: None,
        }
    }
}

/// A rule with one of its variants (or none) applied: what an obligation follows.
#[derive(Debug, Clone, Copy)]
pub struct Applied<'r> {
    pub rule: &'r Rule,
    pub variant: Option<&'r Variant>,
}

impl<'r> Applied<'r> {
    pub fn id(&self) -> &'r str {
        self.rule.id.as_str()
    }

    /// The variant's value of a key where it gives one, else the rule's.
    fn either<T: ?Sized>(&self, of: impl Fn(&'r Variant) -> Option<&'r T>, rule: &'r T) -> &'r T {
        self.variant.and_then(of).unwrap_or(rule)
    }

    pub fn title(&self) -> &'r str {
        self.either(|v| v.title.as_deref(), &self.rule.title)
    }

    pub fn recipient(&self) -> &'r str {
        self.either(|v| v.recipient.as_deref(), &self.rule.recipient)
    }

    pub fn provision(&self) -> &'r str {
        self.either(|v| v.provision.as_deref(), &self.rule.provision)
    }

    pub fn url(&self) -> &'r str {
        self.either(
            |v| v.url.as_ref().map(HttpsUrl::as_str),
            self.rule.url.as_str(),
        )
    }

    pub fn words(&self) -> Option<&'r str> {
        self.variant
            .and_then(|v| v.words.as_deref())
            .or(self.rule.words.as_deref())
    }

    pub fn effective_from(&self) -> NaiveDate {
        self.variant
            .and_then(|v| v.effective_from)
            .unwrap_or(self.rule.effective_from)
            .0
    }

    pub fn effective_to(&self) -> Option<NaiveDate> {
        self.rule.effective_to.map(|d| d.0)
    }

    pub fn is_policy(&self) -> bool {
        self.rule.policy
    }

    /// The period of a single clock, with `policy_days` for a policy rule that takes them.
    pub fn period(&self, policy_days: Option<u32>) -> Option<Period> {
        let period = self.variant.and_then(|v| v.period).or(self.rule.period)?;
        Some(match (self.rule.policy, policy_days, period) {
            (true, Some(days), Period::Days(_)) => Period::Days(days),
            _ => period,
        })
    }

    /// The terms of each clock: one, or one per `earliest_of` clause, with its trigger.
    pub fn clocks(&self, policy_days: Option<u32>) -> Vec<(Option<Trigger>, Terms)> {
        let r = self.rule;
        let terms = |period| Terms {
            period,
            zone: r.zone,
            first_day: r.first_day,
            midnight_proviso: r.midnight_proviso,
            end: r.end,
            extension: r.extension,
            calendar: r.calendar,
            from: r.from,
        };
        if r.earliest_of.is_empty() {
            self.period(policy_days)
                .map(|p| vec![(r.trigger, terms(p))])
                .unwrap_or_default()
        } else {
            r.earliest_of
                .iter()
                .map(|c| (Some(c.trigger), terms(c.period)))
                .collect()
        }
    }

    /// The deadline in words: "72 hours from awareness", "30 days from awareness, moved off
    /// administrative holidays", "the earlier of …".
    pub fn deadline_words(&self) -> String {
        let r = self.rule;
        let after = |trigger: Option<Trigger>| match (trigger, &r.after) {
            (Some(Trigger::ReportFiled), Some(after)) => format!("after `{after}` is filed"),
            (Some(t), _) => format!("from {}", t.as_str()),
            (None, _) => String::new(),
        };
        let mut words = if r.earliest_of.is_empty() {
            match self.period(None) {
                Some(p) => format!("{p} {}", after(r.trigger)),
                None => String::new(),
            }
        } else {
            let each: Vec<String> = r
                .earliest_of
                .iter()
                .map(|c| format!("{} {}", c.period, after(Some(c.trigger))))
                .collect();
            format!("the earlier of {}", each.join(" and "))
        };
        if r.from == Some(From::EndOfCalendarYear) {
            words.push_str(", counted from the end of that calendar year");
        }
        if r.policy {
            words = format!("policy: {words} (the law sets no period)");
        }
        if let End::CutOff(t) = r.end {
            words.push_str(&format!(", by {} on the last day", t.format("%H:%M")));
        }
        if r.extension == Extension::NextOpenDay {
            words.push_str(&format!(
                ", a closed last day moved to the next open day ({})",
                r.calendar.0.id()
            ));
        }
        words
    }

    /// How days are counted, in words, for `rules`.
    pub fn counting_words(&self) -> String {
        let r = self.rule;
        let zone = match r.zone {
            ZoneRule::Incident => "the incident's zone".to_owned(),
            ZoneRule::Named(tz) => tz.name().to_owned(),
        };
        let first = match (r.first_day, r.midnight_proviso) {
            (FirstDay::Included, _) => "first day counted",
            (FirstDay::Excluded, true) => "first day not counted unless the start is 00:00",
            (FirstDay::Excluded, false) => "first day not counted",
        };
        format!("{first}; days of {zone}; calendar {}", r.calendar.0.id())
    }
}

impl Rule {
    /// The rule with `variant` applied (`None`: the rule itself).
    pub fn applied(&self, variant: Option<&str>) -> Option<Applied<'_>> {
        let variant = match variant {
            None => None,
            Some(name) => Some(self.variants.iter().find(|v| v.id.as_str() == name)?),
        };
        Some(Applied {
            rule: self,
            variant,
        })
    }

    /// True when an obligation following this rule starts after another obligation.
    pub fn follows_a_report(&self) -> bool {
        self.trigger == Some(Trigger::ReportFiled)
    }
}

/// Every rule an incident can name: the built-in library, then the rule packs read in this run.
#[derive(Debug, Default)]
pub struct Library {
    rules: Vec<Rule>,
    by_id: BTreeMap<String, usize>,
    /// SHA-256 of the library's files and the calendars' data, hex: the rules' version.
    hash: String,
}

impl Library {
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.by_id.get(id).and_then(|&i| self.rules.get(i))
    }

    /// The rules' version: a SHA-256 of every rules file and calendar read.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// A library of the built-in rules and `packs` (each already checked); later names never
    /// replace earlier ones.
    fn build(files: Vec<(Vec<Rule>, &[u8])>) -> Library {
        let mut hasher = sha2::Sha256::new();
        let mut lib = Library::default();
        for (rules, bytes) in files {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
            for rule in rules {
                if !lib.by_id.contains_key(rule.id.as_str()) {
                    lib.by_id.insert(rule.id.0.clone(), lib.rules.len());
                    lib.rules.push(rule);
                }
            }
        }
        hasher.update(calendar::data_hash().as_bytes());
        lib.hash = crate::sanitize::hex(&hasher.finalize());
        lib
    }
}

/// The built-in rules, read once from the embedded files.
pub fn builtin() -> &'static Library {
    static BUILTIN: OnceLock<Library> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        Library::build(
            LIBRARY_FILES
                .iter()
                .map(|(_, src)| {
                    // A broken built-in file is a bug that the tests of this module catch; at
                    // run time its rules are left out rather than stopping every command.
                    let rules = crate::yaml::parse_rules(src)
                        .map(|f| f.rules)
                        .unwrap_or_default();
                    (rules, src.as_bytes())
                })
                .collect(),
        )
    })
}

static IN_USE: RwLock<Option<&'static Library>> = RwLock::new(None);

/// The rules this run knows: the built-in library and the rule packs installed with
/// [`install_packs`].
///
/// One library per process, set before any incident is read: rule names are resolved while a
/// file is parsed, on whichever thread reads it, so that an unknown name is an error at its
/// line and column like any other.
pub fn library() -> &'static Library {
    IN_USE
        .read()
        .ok()
        .and_then(|guard| *guard)
        .unwrap_or_else(builtin)
}

/// Makes the built-in rules and these packs (already checked: see [`check_pack`]) the library
/// of this process. A pack's rule named like a built-in one was refused by the check.
pub fn install_packs(packs: Vec<(Vec<Rule>, Vec<u8>)>) {
    if packs.is_empty() {
        return;
    }
    // The built-in rules as already read, the packs after them; the version is the built-in
    // library's hash and the packs' bytes.
    let base = builtin();
    let mut hasher = sha2::Sha256::new();
    hasher.update(base.hash.as_bytes());
    let mut lib = Library {
        rules: base.rules.clone(),
        by_id: base.by_id.clone(),
        hash: String::new(),
    };
    for (rules, bytes) in packs {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
        for rule in rules {
            if !lib.by_id.contains_key(rule.id.as_str()) {
                lib.by_id.insert(rule.id.0.clone(), lib.rules.len());
                lib.rules.push(rule);
            }
        }
    }
    lib.hash = crate::sanitize::hex(&hasher.finalize());
    // Leaked once per run that reads packs: the library lives as long as the process.
    let lib: &'static Library = Box::leak(Box::new(lib));
    if let Ok(mut guard) = IN_USE.write() {
        *guard = Some(lib);
    }
}

/// A problem in a rules file, at a path of keys inside it.
#[derive(Debug, Clone)]
pub struct Problem {
    /// `rules`, the index of the rule, and its key.
    pub path: crate::diagnostic::FieldPath,
    pub message: String,
    pub help: String,
}

/// Checks a rules file beyond its shape: names unique and not taken by `known` (the built-in
/// library), each rule with exactly one way to count, `after` only with `report-filed` and
/// naming a rule that exists, a policy period in days, effective dates in order.
pub fn check_pack(file: &RuleFile, known: &Library) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, r) in file.rules.iter().enumerate() {
        let at = |key: &'static str| {
            crate::diagnostic::FieldPath::root()
                .key("rules")
                .index(i)
                .key(key)
        };
        let mut problem = |key, message: String, help: &str| {
            out.push(Problem {
                path: at(key),
                message,
                help: help.to_owned(),
            })
        };
        let id = r.id.as_str();
        if known.get(id).is_some() {
            problem(
                "id",
                format!("rule `{id}` is already a built-in rule"),
                "give your rule a name of its own, such as your team's prefix: acme-insurer-48h",
            );
        } else if let Some(first) = seen.insert(id, i) {
            problem(
                "id",
                format!("rule `{id}` is defined twice (first as rule {})", first + 1),
                "rename one of them",
            );
        }
        match (r.earliest_of.is_empty(), r.period, r.trigger) {
            (true, None, _) => problem(
                "id",
                format!("rule `{id}` has no period"),
                "give `period:` (72h, 30d, 4 business days, 1 month) and `trigger:`, or `earliest_of:`",
            ),
            (true, Some(_), None) => problem(
                "period",
                format!("rule `{id}` does not say what starts its clock"),
                "add `trigger:` (awareness, determination, discovery, assessment, classification, suspicion, payment, notice or report-filed)",
            ),
            (false, Some(_), _) | (false, _, Some(_)) => problem(
                "earliest_of",
                format!("rule `{id}` gives both `earliest_of` and a `period` or `trigger` of its own"),
                "each clause of `earliest_of` has its trigger and period: remove the rule's own",
            ),
            _ => {}
        }
        if r.earliest_of.len() == 1 {
            problem(
                "earliest_of",
                format!("rule `{id}` has `earliest_of` with a single clock"),
                "give two or more clocks, or write the one as `trigger:` and `period:`",
            );
        }
        match (&r.after, r.trigger) {
            (None, Some(Trigger::ReportFiled)) => problem(
                "trigger",
                format!("rule `{id}` starts when a report is filed but does not say which"),
                "add `after:` with the id of the rule whose report starts this clock",
            ),
            (Some(_), t) if t != Some(Trigger::ReportFiled) => problem(
                "after",
                format!("rule `{id}` gives `after` but its trigger is not `report-filed`"),
                "set `trigger: report-filed`, or remove `after`",
            ),
            (Some(after), _)
                if known.get(after.as_str()).is_none()
                    && !file.rules.iter().any(|o| o.id == *after) =>
            {
                problem(
                    "after",
                    format!("rule `{after}` is not a built-in rule nor one of this file's"),
                    "name the rule whose report starts this clock",
                )
            }
            _ => {}
        }
        if r.policy && !matches!(r.period, Some(Period::Days(_) | Period::Hours(_))) {
            problem(
                "policy",
                format!("policy rule `{id}` needs a period in days or hours"),
                "a policy value is the time your team allows for \"promptly\": write it as `period: 5d` or `period: 48h`",
            );
        }
        if let (Some(to), from) = (r.effective_to, r.effective_from) {
            if to.0 < from.0 {
                problem(
                    "effective_to",
                    format!(
                        "rule `{id}` stops applying ({}) before it starts ({})",
                        to.0, from.0
                    ),
                    "check the dates: `effective_to` is the last day the rule applies",
                );
            }
        }
        let mut variants: BTreeMap<&str, ()> = BTreeMap::new();
        for v in &r.variants {
            if variants.insert(v.id.as_str(), ()).is_some() {
                problem(
                    "variants",
                    format!("rule `{id}` has two variants named `{}`", v.id),
                    "rename one of them",
                );
            }
        }
    }
    out
}

/// The rule names the schema offers editors: the built-in ones.
pub fn builtin_names() -> Vec<String> {
    builtin().ids().map(str::to_owned).collect()
}

/// An obligation's `rule:`, a name from the [`library`] in use; resolved when the file is read,
/// so that an unknown name is an error at its place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleRef(String);

impl RuleRef {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The rule, from the library in use.
    pub fn rule(&self) -> Option<&'static Rule> {
        library().get(&self.0)
    }

    /// For tests and tools that build incidents in code: a reference not checked against the
    /// library (an unknown one has no rule).
    pub fn new(name: impl Into<String>) -> RuleRef {
        RuleRef(name.into())
    }
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RuleRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RuleRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the name of a reporting rule, such as gdpr-art33")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RuleRef, E> {
                let lib = library();
                if lib.get(v).is_some() {
                    return Ok(RuleRef(v.to_owned()));
                }
                Err(E::custom(format!(
                    "`{}` is not a reporting rule breachline knows: {}run `breachline rules` for the list, or define it in a rule pack (*.rules.yaml)",
                    excerpt(v),
                    did_you_mean(v, lib.ids()),
                )))
            }
        }
        d.deserialize_str(V)
    }
}

impl Serialize for RuleRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl JsonSchema for RuleRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RuleRef".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A reporting rule: a built-in one (`breachline rules` lists them), or one of a rule pack (*.rules.yaml) beside the incidents.",
            "anyOf": [
                { "enum": builtin_names() },
                { "type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$" }
            ]
        })
    }
}

#[cfg(test)]
mod tests;
