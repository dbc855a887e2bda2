//! Properties that must hold for every incident, day and text, checked on generated ones
//! (proptest). These call the library directly: the loader, evaluation and escapers are pure
//! functions, and a process per case would make the suite slow.

use std::path::Path;

use breachline::cli::ExportFormat;
use breachline::clock::Period;
use breachline::date::{looks_like_date, Day, Moment, TimeZone, When};
use breachline::evaluate::{due_on, evaluate, item_view, AsOf, Record, State, View};
use breachline::load::{load_bytes, LoadOptions, Portfolio};
use breachline::model::{
    Count, CsfFunction, Event, EventKind, Figures, FormatVersion, Id, Impact, ImpactFigure,
    Incident, Obligation, ObligationStatus, Progress, Remediation, Reschedule, RuleRef, Source,
    StartsAt, Status, Unit, UnitMap, FORMAT_VERSION,
};
use breachline::provenance::Provenance;
use breachline::render::formats as export;
use breachline::sanitize::for_terminal;
use breachline::sanitize::markdown_cell as cell;
use breachline::text::{Lang, Text};
use breachline::yaml;
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// 0001-01-01 and 9999-12-31 as days since the common era, the range the format allows.
const FIRST_DAY: i32 = 1;
const LAST_DAY: i32 = 3_652_059;

/// The seed `cargo test` uses, so that CI runs the same cases every time and never flakes.
/// To explore others, set PROPTEST_RNG_SEED (a u64; proptest reads it and it wins over this),
/// e.g. `PROPTEST_RNG_SEED=$RANDOM PROPTEST_CASES=5000 cargo test --test integration properties`.
/// A failure prints its minimal input: add that as a regression test.
const SEED: u64 = 0x6272_6561_6368;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        // Failures are reported with their minimal input; no files are written into tests/.
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(SEED),
        ..ProptestConfig::default()
    }
}

fn day_between(from: i32, to: i32) -> impl Strategy<Value = NaiveDate> {
    (from..=to).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).expect("in range"))
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    // Mostly recent days, where incidents are; sometimes anywhere in the allowed range.
    prop_oneof![
        3 => day_between(739_600, 739_800),
        1 => day_between(FIRST_DAY, LAST_DAY),
    ]
}

/// Any text, control characters and all: the YAML writer must quote it and the reader give it
/// back unchanged.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 .,:#'\"-]{0,20}",
        1 => any::<String>(),
        1 => "(no|yes|on|off|true|null|~|0x1F|1e3|2025-04-10|#1|- x|\\[a\\]|&a|\\*a| lead| trail )",
    ]
}

/// Text that is not only white space (a blank title is an error).
fn some_text() -> impl Strategy<Value = String> {
    any_text().prop_map(|s| {
        if s.trim().is_empty() {
            format!("{s}x")
        } else {
            s
        }
    })
}

fn text() -> impl Strategy<Value = Text> {
    prop_oneof![
        3 => some_text().prop_map(Text::Plain),
        1 => vec((any_text(), some_text()), 1..4).prop_map(|pairs| {
            let mut seen = std::collections::HashSet::new();
            Text::Localized(
                pairs
                    .into_iter()
                    .filter(|(lang, _)| seen.insert(lang.clone()))
                    .collect(),
            )
        }),
    ]
}

/// Ids are text that is not empty, has no spaces at either end and no invisible characters,
/// in Unicode NFC (as the loader keeps them); `n` keeps them unique.
fn id(n: usize) -> impl Strategy<Value = Id> {
    use unicode_normalization::UnicodeNormalization as _;
    any_text().prop_map(move |s| {
        let visible: String = s
            .chars()
            .filter(|&c| !breachline::model::is_invisible(c))
            .collect();
        Id(format!("{}{n}", visible.trim()).nfc().collect())
    })
}

fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    // RFC 3339 offsets are whole minutes; the local day must stay within years 1..=9999.
    (
        day_between(FIRST_DAY + 1, LAST_DAY - 1),
        0u32..86_400,
        -(23 * 60 + 59)..=(23 * 60 + 59i32),
    )
        .prop_map(|(d, secs, minutes)| {
            let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap();
            let offset = FixedOffset::east_opt(minutes * 60).unwrap();
            d.and_time(time)
                .and_local_timezone(offset)
                .single()
                .unwrap()
        })
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        any_day().prop_map(When::Day),
        any_day().prop_map(|d| When::Month {
            year: chrono::Datelike::year(&d),
            month: chrono::Datelike::month(&d),
        }),
        instant().prop_map(When::Instant),
    ]
}

fn cited(sources: usize) -> impl Strategy<Value = Vec<Id>> {
    vec(0..sources, 0..3).prop_map(|picks| picks.into_iter().map(|i| Id(format!("s{i}"))).collect())
}

fn kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        Just(EventKind::Compromise),
        Just(EventKind::Detection),
        Just(EventKind::Notification),
        Just(EventKind::Disclosure),
        Just(EventKind::Advisory),
        Just(EventKind::Investigation),
        Just(EventKind::Containment),
        Just(EventKind::Response),
        Just(EventKind::Other),
    ]
}

/// An `until` for `date`, never before it: the day `days_after` its last possible day, unless
/// that is past 9999-12-31, which the format refuses (chrono's dates go further).
fn until(date: &When, days_after: u64) -> Option<When> {
    let day = date.latest().checked_add_days(Days::new(days_after))?;
    (chrono::Datelike::num_days_from_ce(&day) <= LAST_DAY).then_some(When::Day(day))
}

/// Seed 33422664714375 generated an event on 9999-10-29 with `until` 400 days later, in year
/// 10000: the round trip failed on an incident the format never allowed.
#[test]
fn until_stays_within_the_years_the_format_allows() {
    let late = When::Day(NaiveDate::from_ymd_opt(9999, 10, 29).unwrap());
    assert_eq!(until(&late, 400), None);
    assert_eq!(
        until(&late, 63),
        Some(When::Day(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()))
    );
}

fn event(n: usize, sources: usize) -> impl Strategy<Value = Event> {
    (
        id(n),
        when(),
        option::of(0u64..400),
        kind(),
        text(),
        option::of(text()),
        cited(sources),
        option::of(any_day()),
    )
        .prop_map(
            |(id, date, until_after, kind, title, detail, sources, reported)| Event {
                id,
                until: until_after.and_then(|n| until(&date, n)),
                date,
                kind,
                title,
                detail,
                sources,
                reported: reported.map(Day),
            },
        )
}

fn figure(sources: usize) -> impl Strategy<Value = ImpactFigure> {
    (
        option::of(any::<u64>()),
        option::of(any::<u64>()),
        any_day(),
        option::of(text()),
        cited(sources),
        option::of(any_day()),
    )
        .prop_map(
            |(contracts, accounts, as_of, detail, sources, reported)| ImpactFigure {
                contracts: contracts.map(Count),
                // Units beyond the shorthand, and kinds of data, derived from the values drawn
                // (more strategies overflow the test thread's stack in debug builds).
                counts: UnitMap::from_pairs(
                    accounts
                        .filter(|_| as_of.day() % 3 == 0)
                        .map(|n| (Unit("individuals".into()), Count(n / 2)))
                        .into_iter()
                        .collect(),
                )
                .unwrap(),
                categories: detail.iter().cloned().collect(),
                breakdown: Vec::new(),
                accounts: accounts.map(Count),
                // A maximum whenever the as-of day is odd: both kinds, deterministically.
                up_to: as_of.ordinal() % 2 == 1,
                as_of: Day(as_of),
                detail,
                sources,
                reported: reported.map(Day),
            },
        )
}

/// Confirmed figures are at most the potential ones, as validation requires.
fn impact(sources: usize) -> impl Strategy<Value = Impact> {
    (option::of(figure(sources)), option::of(figure(sources))).prop_map(|(potential, confirmed)| {
        let confirmed = confirmed.map(|mut c| {
            if let Some(p) = &potential {
                c.contracts = cap(c.contracts, p.contracts);
                c.accounts = cap(c.accounts, p.accounts);
                // Every unit capped by the potential count of the same unit.
                let capped = c
                    .counts
                    .iter()
                    .map(|(u, n)| {
                        (
                            u.clone(),
                            p.counts.get(u.as_str()).map_or(*n, |m| (*n).min(*m)),
                        )
                    })
                    .collect();
                c.counts = UnitMap::from_pairs(capped).unwrap();
            }
            c
        });
        // Both shapes: a figure with an even as-of day is written as a list of one revision.
        let shape = |f: ImpactFigure| {
            if f.as_of.0.ordinal() % 2 == 0 {
                Figures::Revisions(vec![f])
            } else {
                Figures::One(f)
            }
        };
        Impact {
            potential: potential.map(shape),
            confirmed: confirmed.map(shape),
            units: None,
        }
    })
}

fn cap(c: Option<Count>, p: Option<Count>) -> Option<Count> {
    match (c, p) {
        (Some(c), Some(p)) => Some(c.min(p)),
        (c, _) => c,
    }
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Planned),
        Just(Status::InProgress),
        Just(Status::Done),
        Just(Status::Cancelled),
    ]
}

fn function() -> impl Strategy<Value = CsfFunction> {
    prop_oneof![
        Just(CsfFunction::Govern),
        Just(CsfFunction::Identify),
        Just(CsfFunction::Protect),
        Just(CsfFunction::Detect),
        Just(CsfFunction::Respond),
        Just(CsfFunction::Recover),
    ]
}

/// A remediation item consistent with `reviewed`: done items say when (or by when), no later
/// than the review; others say neither.
fn item(n: usize, sources: usize, reviewed: NaiveDate) -> impl Strategy<Value = Remediation> {
    (
        (id(n), text(), option::of(function())),
        (option::of(any_day()), option::of(any_day()), status()),
        (any::<bool>(), 0u64..200, option::of(any_day())),
        (option::of(text()), cited(sources)),
    )
        .prop_map(
            move |(
                (id, title, function),
                (due, announced, status),
                (exact, back, status_as_of),
                (detail, sources),
            )| {
                let finished = reviewed.checked_sub_days(Days::new(back)).map(Day);
                let (completed, completed_by) = match (status, exact) {
                    (Status::Done, true) => (finished, None),
                    (Status::Done, false) => (None, finished),
                    _ => (None, None),
                };
                Remediation {
                    id,
                    title,
                    function,
                    due: due.map(Day),
                    announced: announced.map(Day),
                    progress: Progress {
                        status,
                        completed,
                        completed_by,
                        status_as_of: status_as_of.map(Day),
                        detail,
                        owner: None,
                        sources,
                        reported: None,
                    },
                    rescheduled: Vec::new(),
                }
            },
        )
        .prop_flat_map(|item| {
            let moves = proptest::collection::vec((any_day(), any_day()), 0..3);
            (Just(item), moves, option::of(any_day()))
        })
        .prop_map(|(mut item, moves, reported)| {
            // A deadline can only be moved when there was one.
            if item.due.is_some() {
                item.rescheduled = moves
                    .into_iter()
                    .map(|(due, announced)| Reschedule {
                        due: Day(due),
                        announced: Day(announced),
                        sources: Vec::new(),
                    })
                    .collect();
            }
            item.progress.reported = reported.map(Day);
            item
        })
}

fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (1u32..=720).prop_map(Period::Hours),
        (1u32..=400).prop_map(Period::Days),
        (1u32..=60).prop_map(Period::BusinessDays),
        (1u32..=24).prop_map(Period::Months),
    ]
}

fn obligation_status() -> impl Strategy<Value = ObligationStatus> {
    prop_oneof![
        Just(ObligationStatus::Planned),
        Just(ObligationStatus::InProgress),
        Just(ObligationStatus::Done),
        Just(ObligationStatus::Cancelled),
        Just(ObligationStatus::Unknown),
    ]
}

/// What starts an obligation's clock, before the incident's events are known: an event by its
/// place in the list, a moment, or an earlier obligation by its place.
#[derive(Debug, Clone)]
enum Start {
    Event(usize),
    At(Moment),
    After(usize),
}

/// The built-in rules an obligation can name with one start (`starts_at` or `after`).
fn single_clock_rules() -> Vec<&'static breachline::rule::Rule> {
    breachline::rule::builtin()
        .rules()
        .iter()
        .filter(|r| r.earliest_of.is_empty())
        .collect()
}

/// A reporting obligation consistent with validation: a rule or a period (never both),
/// holidays only for business days, `policy_days` only for appi-preliminary, completion as for
/// remediation items. [`resolve`] sets its start once the events are known.
fn obligation(
    n: usize,
    sources: usize,
    reviewed: NaiveDate,
) -> impl Strategy<Value = (Obligation, Start)> {
    (
        (
            id(n),
            text(),
            option::of(0..single_clock_rules().len()),
            period(),
            option::of(1u32..30),
        ),
        prop_oneof![
            (0usize..6).prop_map(Start::Event),
            any_day().prop_map(|d| Start::At(Moment::Day(d))),
            instant().prop_map(|t| Start::At(Moment::Instant(t))),
            (0usize..4).prop_map(Start::After),
        ],
        (
            vec(any_day(), 0..3),
            obligation_status(),
            any::<bool>(),
            0u64..200,
        ),
        (option::of(any_day()), option::of(text()), cited(sources)),
    )
        .prop_map(
            move |(
                (id, title, rule, within, policy_days),
                start,
                (holidays, status, exact, back),
                (status_as_of, detail, sources),
            )| {
                let spec = rule.and_then(|r| single_clock_rules().get(r).copied());
                let rule = spec.map(|r| RuleRef::new(r.id.as_str()));
                let policy_days = policy_days.filter(|_| {
                    spec.is_some_and(|r| r.policy && matches!(r.period, Some(Period::Days(_))))
                });
                let finished = reviewed.checked_sub_days(Days::new(back));
                let (completed, completed_by) = match (status, exact) {
                    (ObligationStatus::Done, true) => (finished.map(Moment::Day), None),
                    (ObligationStatus::Done, false) => (None, finished.map(Day)),
                    _ => (None, None),
                };
                let period = spec
                    .and_then(|r| r.applied(None)?.period(policy_days))
                    .unwrap_or(within);
                let moves_off_holidays =
                    spec.is_some_and(|r| r.extension == breachline::rule::Extension::NextOpenDay);
                let o = Obligation {
                    id,
                    title,
                    rule,
                    within: if spec.is_some() { None } else { Some(within) },
                    variant: None,
                    starts_at: None,
                    starts: None,
                    after: None,
                    policy_days,
                    target: None,
                    recipient: None,
                    reference: None,
                    holidays: if period.is_business_days() || moves_off_holidays {
                        holidays.into_iter().map(Day).collect()
                    } else {
                        Vec::new()
                    },
                    progress: Progress {
                        status,
                        completed,
                        completed_by,
                        status_as_of: status_as_of.map(Day),
                        detail,
                        owner: None,
                        sources,
                        reported: None,
                    },
                };
                (o, start)
            },
        )
}

/// Sets each obligation's start, keeping validation's rules: an event dated to the day, an
/// earlier obligation (so no circles), and `after` always and only for nis2-final-report
/// among the rules.
fn resolve(list: Vec<(Obligation, Start)>, events: &[Event]) -> Vec<Obligation> {
    let ids: Vec<Id> = list.iter().map(|(o, _)| o.id.clone()).collect();
    let fallback = || StartsAt::At(Moment::Day(NaiveDate::from_ymd_opt(2025, 4, 10).unwrap()));
    list.into_iter()
        .enumerate()
        .map(|(i, (mut o, start))| {
            let final_report = o
                .rule
                .as_ref()
                .and_then(|r| r.rule())
                .is_some_and(|r| r.follows_a_report());
            match start {
                Start::After(n) if i > 0 && (o.rule.is_none() || final_report) => {
                    o.after = ids.get(n % i).cloned();
                }
                _ if final_report => {
                    // It counts only from another obligation, and there is none before it:
                    // a plain period instead.
                    o.rule = None;
                    o.within = Some(Period::Days(30));
                    o.holidays.clear();
                    o.starts_at = Some(fallback());
                }
                Start::Event(n) => {
                    o.starts_at = Some(
                        events
                            .get(n)
                            .filter(|e| !e.date.is_approximate())
                            // `starts_at: 2025-04-10x` reads as a date, never as an event id:
                            // such an event cannot start a clock (the schema says so too).
                            .filter(|e| !looks_like_date(e.id.as_str()))
                            .map_or_else(fallback, |e| StartsAt::Event(e.id.clone())),
                    )
                }
                Start::At(m) => o.starts_at = Some(StartsAt::At(m)),
                Start::After(_) => o.starts_at = Some(fallback()),
            }
            o
        })
        .collect()
}

/// Incidents that validate without errors (warnings allowed), with any text in them.
fn incident() -> impl Strategy<Value = Incident> {
    (
        1usize..4,
        0usize..6,
        0usize..5,
        0usize..4,
        day_between(739_600, 739_800),
    )
        .prop_flat_map(|(n_sources, n_events, n_items, n_obligations, reviewed)| {
            let sources: Vec<_> = (0..n_sources)
                .map(|i| {
                    (
                        text(),
                        text(),
                        option::of(any_day()),
                        option::of(any_text()),
                        option::of(text()),
                    )
                        .prop_map(
                            move |(title, publisher, date, url, detail)| Source {
                                id: Id(format!("s{i}")),
                                title,
                                publisher,
                                date: date.map(Day),
                                url,
                                detail,
                            },
                        )
                })
                .collect();
            let events: Vec<_> = (0..n_events).map(|i| event(i, n_sources)).collect();
            let items: Vec<_> = (0..n_items).map(|i| item(i, n_sources, reviewed)).collect();
            let obligations: Vec<_> = (0..n_obligations)
                .map(|i| obligation(i, n_sources, reviewed))
                .collect();
            (
                (
                    id(0),
                    text(),
                    text(),
                    text(),
                    option::of(text()),
                    option::of(prop::sample::select(vec![
                        chrono_tz::Asia::Tokyo,
                        chrono_tz::UTC,
                        chrono_tz::America::New_York,
                        chrono_tz::America::Santiago,
                    ])),
                ),
                sources,
                events,
                option::of(impact(n_sources)),
                items,
                obligations,
            )
                .prop_map(
                    move |(
                        (id, title, organization, service, summary, timezone),
                        sources,
                        events,
                        impact,
                        remediation,
                        obligations,
                    )| {
                        let obligations = resolve(obligations, &events);
                        Incident {
                            format: FormatVersion(FORMAT_VERSION),
                            id,
                            title,
                            organization,
                            service,
                            summary,
                            reviewed: Day(reviewed),
                            timezone: timezone.map(TimeZone),
                            sources,
                            events,
                            impact,
                            remediation,
                            obligations,
                        }
                    },
                )
        })
}

fn load(src: &str) -> Incident {
    let doc = load_bytes(
        Path::new("generated.yaml"),
        src.as_bytes(),
        LoadOptions::default(),
    );
    assert!(!doc.has_errors(), "{:#?}\n{src}", doc.diagnostics);
    doc.incident.expect("no errors, so an incident")
}

proptest! {
    #![proptest_config(config())]

    /// Writing an incident as YAML and loading it gives the same incident, and doing it again
    /// changes nothing: no text is lost or reinterpreted (`no`, `1e3`, `#1`, control characters).
    #[test]
    fn load_write_load_gives_the_same_incident(generated in incident()) {
        let written = yaml::to_string(&generated).unwrap();
        let loaded = load(&written);
        prop_assert_eq!(&loaded, &generated, "{}", written);
        let again = yaml::to_string(&loaded).unwrap();
        prop_assert_eq!(load(&again), loaded);
    }

    /// As the as-of day moves forward: an overdue item stays overdue until it is done or
    /// cancelled, a done item stays done (and as late as it was), and items only appear.
    /// Checked between every two of some random days and the days where states change.
    #[test]
    fn states_are_monotone_in_time(incident in incident(), a in any_day(), b in any_day(), soon in 0i64..60) {
        let mut days = vec![a, b];
        for r in &incident.remediation {
            for d in [r.due, r.announced, r.progress.completed, r.progress.completed_by, r.progress.status_as_of].into_iter().flatten() {
                days.extend([d.0.pred_opt(), Some(d.0), d.0.succ_opt()].into_iter().flatten());
            }
        }
        for o in &incident.obligations {
            let marks = [o.progress.completed.map(|m| m.day_in(&incident.zone())), o.progress.completed_by.map(|d| d.0), o.progress.status_as_of.map(|d| d.0)];
            for d in marks.into_iter().flatten() {
                days.extend([d.pred_opt(), Some(d), d.succ_opt()].into_iter().flatten());
            }
        }
        // And around each obligation's deadline, as evaluated on the last of the days so far.
        if let Some(&last) = days.iter().max() {
            for o in evaluate(&incident, AsOf::known(last, soon)).obligations {
                let d = o.due_day;
                days.extend([d.pred_opt(), Some(d), d.succ_opt()].into_iter().flatten());
            }
        }
        days.sort();
        days.dedup();
        let views: Vec<_> = days
            .iter()
            .map(|&date| evaluate(&incident, AsOf::known(date, soon)))
            .collect();
        for (i, before) in views.iter().enumerate() {
            for (j, after) in views.iter().enumerate().skip(i + 1) {
                let (early, late) = (days[i], days[j]);
                for was in &before.remediation {
                    let now = after
                        .remediation
                        .iter()
                        .find(|x| x.item.id == was.item.id)
                        .expect("an item shown earlier is still shown later");
                    if now.rescheduled != was.rescheduled {
                        // A deadline moved in between: "once overdue" does not hold across it.
                        continue;
                    }
                    match was.standing.state {
                        State::Overdue => prop_assert!(
                            matches!(now.standing.state, State::Overdue | State::Done | State::DoneLate | State::Cancelled),
                            "{} was overdue on {}, {:?} on {}", was.item.id, early, now.standing.state, late
                        ),
                        State::Done | State::DoneLate => prop_assert_eq!(now.standing.state, was.standing.state),
                        _ => {}
                    }
                    if was.standing.state == State::Overdue && now.standing.state == State::Overdue {
                        prop_assert_eq!(
                            now.standing.days_overdue(),
                            was.standing.days_overdue().map(|d| d + (late - early).num_days())
                        );
                    }
                }
                // A clock started `after` another obligation counts from that one's deadline
                // until its completion is on record, then from the completion: its deadline
                // moves by design, so "once overdue" does not hold for it.
                for was in before.obligations.iter().filter(|o| o.obligation.after.is_none()) {
                    let id = &was.obligation.id;
                    let now = after
                        .obligations
                        .iter()
                        .find(|x| x.obligation.id == *id)
                        .expect("a clock that had started has still started later");
                    prop_assert_eq!(now.due_day, was.due_day, "{} moved its deadline", id);
                    let past_due = matches!(was.standing.state, State::Overdue | State::NoRecord);
                    match was.standing.state {
                        State::Done | State::DoneLate => prop_assert_eq!(now.standing.state, was.standing.state),
                        State::Overdue | State::NoRecord => prop_assert!(
                            matches!(now.standing.state, State::Overdue | State::NoRecord | State::Done | State::DoneLate | State::Cancelled),
                            "{} was {:?} on {}, {:?} on {}", id, was.standing.state, early, now.standing.state, late
                        ),
                        _ => {}
                    }
                    if past_due && matches!(now.standing.state, State::Overdue | State::NoRecord) {
                        prop_assert_eq!(
                            now.standing.days_past_due,
                            was.standing.days_past_due.map(|d| d + (late - early).num_days())
                        );
                    }
                }
            }
        }
    }

    /// Every day count shown is chrono's calendar arithmetic: adding it to one day gives the
    /// other (due days, overdue days, late days, days since the first event).
    #[test]
    fn day_counts_agree_with_the_calendar(incident in incident(), day in any_day(), soon in 0i64..60) {
        let plus = |d: NaiveDate, n: i64| {
            if n >= 0 {
                d.checked_add_days(Days::new(n.unsigned_abs()))
            } else {
                d.checked_sub_days(Days::new(n.unsigned_abs()))
            }
        };
        // The random day, and the days around each deadline, where off-by-one errors live.
        let mut days = vec![day];
        for due in incident.remediation.iter().filter_map(|r| r.due) {
            days.extend([due.0.pred_opt(), Some(due.0), due.0.succ_opt()].into_iter().flatten());
        }
        for day in days {
        let view = evaluate(&incident, AsOf::known(day, soon));
        for item in &view.remediation {
            let due = item.due;
            if let Some(left) = item.standing.days_left {
                prop_assert_eq!(plus(day, left), due);
                prop_assert_eq!(item.standing.state == State::DueSoon, left <= soon);
            }
            if let Some(over) = item.standing.days_overdue() {
                prop_assert!(over > 0);
                prop_assert_eq!(plus(day, -over), due);
            }
            if let Some(late) = item.standing.days_late {
                // Late against the deadline in force when it was finished.
                let completed = item.item.progress.completed.map(|c| c.0);
                let then = completed.and_then(|c| due_on(item.item, c).0);
                prop_assert_eq!(then.and_then(|d| plus(d, late)), completed);
            }
        }
        for o in &view.obligations {
            if let Some(left) = o.standing.days_left {
                prop_assert_eq!(plus(day, left), Some(o.due_day));
            }
            if let Some(past) = o.standing.days_past_due {
                prop_assert!(past > 0);
                prop_assert_eq!(plus(o.due_day, past), Some(day));
            }
        }
        if let Some(first) = view.events.first() {
            // Days are counted between the days moments fall on in the incident's zone.
            let zone = incident.zone();
            let start = first.event.date.earliest_in(&zone);
            for e in &view.events {
                prop_assert_eq!(plus(start, e.since_first.days), Some(e.event.date.earliest_in(&zone)));
            }
        }
        }
    }

    /// The default view shows only what the record knew by the end of the day: no event,
    /// item, figure or obligation before the day it was reported (`reported`, else its
    /// earliest dated source, else the review), and no confirmation after the day. With
    /// hindsight, only what had happened by then, known or not.
    #[test]
    fn a_fact_never_appears_before_its_known_day(incident in incident(), day in any_day()) {
        let source_day = |ids: &[Id]| {
            ids.iter()
                .filter_map(|id| incident.sources.iter().find(|s| s.id == *id)?.date)
                .map(|d| d.0)
                .min()
        };
        let known = |reported: Option<Day>, ids: &[Id]| {
            reported.map(|d| d.0).or_else(|| source_day(ids)).unwrap_or(incident.reviewed.0)
        };
        let view = evaluate(&incident, AsOf::known(day, 14));
        for e in &view.events {
            prop_assert!(e.event.date.latest() <= day);
            prop_assert!(known(e.event.reported, &e.event.sources) <= day, "{} shown before it was known", e.event.id);
        }
        let shown = |id: &Id| view.events.iter().any(|v| v.event.id == *id);
        for e in &incident.events {
            let visible = e.date.latest() <= day && known(e.reported, &e.sources) <= day;
            prop_assert_eq!(shown(&e.id), visible, "{} known and happened: {}", e.id, visible);
        }
        for item in &view.remediation {
            let r = item.item;
            let first = if r.progress.reported.is_none() { r.announced.map(|a| a.0) } else { None };
            prop_assert!(first.unwrap_or_else(|| known(r.progress.reported, &r.progress.sources)) <= day);
            prop_assert!(item.standing.last_confirmed.is_none_or(|c| c <= day));
            if matches!(item.standing.state, State::Done | State::DoneLate | State::Cancelled) {
                let confirmed = r.progress.status_as_of.map_or(incident.reviewed.0, |d| d.0);
                prop_assert!(confirmed <= day, "{} {:?} before it was confirmed", r.id, item.standing.state);
            }
        }
        for figure in [view.potential, view.confirmed].into_iter().flatten() {
            let f = figure.figure;
            prop_assert!(f.as_of.0 <= day && f.reported.is_none_or(|r| r.0 <= day));
        }
        for o in &view.obligations {
            prop_assert!(known(o.obligation.progress.reported, &o.obligation.progress.sources) <= day);
            prop_assert!(o.standing.last_confirmed.is_none_or(|c| c <= day));
        }
        let hindsight = evaluate(&incident, AsOf { view: View::Hindsight, ..AsOf::known(day, 14) });
        for e in &incident.events {
            let shown = hindsight.events.iter().any(|v| v.event.id == e.id);
            prop_assert_eq!(shown, e.date.latest() <= day);
        }
        prop_assert!(hindsight.events.len() >= view.events.len());
    }

    /// The timeline holds the events that fall on the as-of day or earlier in the incident's
    /// zone, ordered by time (date-times as instants, a day at its start), file order on ties.
    #[test]
    fn the_timeline_is_in_order_of_time_and_stops_at_the_end_of_the_day(incident in incident(), day in any_day()) {
        let zone = incident.zone();
        let view = evaluate(&incident, AsOf { view: View::Hindsight, ..AsOf::known(day, 14) });
        let index = |e: &breachline::model::Event| incident.events.iter().position(|x| std::ptr::eq(x, e));
        let expected = incident.events.iter().filter(|e| e.date.latest_in(&zone) <= day).count();
        prop_assert_eq!(view.events.len(), expected);
        for pair in view.events.windows(2) {
            let (a, b) = (pair[0].event, pair[1].event);
            let (ka, kb) = (a.date.order_key(&zone), b.date.order_key(&zone));
            prop_assert!(ka <= kb, "{} before {}", a.date, b.date);
            if ka == kb {
                prop_assert!(index(a) < index(b), "file order on a tie");
            }
        }
    }

    /// The overdue state itself against the rule "due by the end of that day".
    #[test]
    fn an_open_item_is_overdue_exactly_from_the_day_after_its_due_day(due in day_between(FIRST_DAY + 3, LAST_DAY - 3), offset in -3i64..=3) {
        let day = if offset >= 0 {
            due.checked_add_days(Days::new(offset.unsigned_abs()))
        } else {
            due.checked_sub_days(Days::new(offset.unsigned_abs()))
        }
        .unwrap();
        let item = Remediation {
            id: Id("R".into()),
            title: Text::from("t"),
            function: None,
            due: Some(Day(due)),
            announced: None,
            progress: Progress {
                status: Status::Planned,
                completed: None,
                completed_by: None,
                status_as_of: None,
                detail: None,
                owner: None,
                sources: Vec::new(),
                reported: None,
            },
            rescheduled: Vec::new(),
        };
        let record = Record::new(NaiveDate::MIN);
        let state = item_view(&item, &record, AsOf::known(day, 0)).standing.state;
        prop_assert_eq!(state == State::Overdue, day > due);
    }

    /// A Markdown cell can hold any text without ending its cell, row or table, or starting
    /// HTML: no unescaped `|`, no line break, no control character, no `<`.
    #[test]
    fn markdown_cells_never_break_the_table(s in any::<String>()) {
        let out = cell(&s);
        prop_assert!(!out.chars().any(|c| c.is_control()), "{:?}", out);
        prop_assert!(!out.contains('<') || out.contains("<br>"));
        prop_assert!(!out.replace("<br>", "").contains('<'), "{:?}", out);
        let mut escaped = false;
        for c in out.chars() {
            prop_assert!(escaped || c != '|', "unescaped pipe in {:?}", out);
            escaped = !escaped && c == '\\';
        }
        prop_assert!(!escaped, "a trailing backslash would escape the cell's closing pipe: {:?}", out);
    }

    /// Terminal text carries no control characters or bidirectional overrides, and plain text
    /// passes unchanged.
    #[test]
    fn terminal_text_has_no_controls(s in any::<String>()) {
        let out = for_terminal(&s);
        prop_assert!(
            !out.chars().any(|c| c.is_control()
                || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
            "{:?}", out
        );
        if !s.chars().any(|c| c.is_control() || ('\u{2000}'..='\u{206F}').contains(&c) || c == '\u{061C}') {
            prop_assert_eq!(out.as_ref(), s.as_str());
        }
    }
}

/// Every export of any generated incident, as of any day: cells and elements hold the
/// incident's text without it escaping into structure.
fn exports_of(incident: &Incident, day: NaiveDate) -> Vec<(ExportFormat, Vec<u8>)> {
    let written = yaml::to_string(incident).unwrap();
    let options = LoadOptions {
        digest: true,
        ..LoadOptions::default()
    };
    let doc = load_bytes(Path::new("generated.yaml"), written.as_bytes(), options);
    let portfolio = Portfolio {
        documents: vec![doc],
        path_problems: Vec::new(),
    };
    let as_of = AsOf::known(day, 14);
    let view = evaluate(incident, as_of);
    let report = export::Report {
        incidents: vec![("generated.yaml", view)],
        provenance: Provenance::new(&portfolio, as_of, chrono::DateTime::UNIX_EPOCH),
        soon_days: 14,
        lang: Lang::En,
    };
    [
        ExportFormat::Csv,
        ExportFormat::Json,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Ics,
        ExportFormat::Xlsx,
        ExportFormat::Stix,
    ]
    .into_iter()
    .map(|f| {
        let options = export::Options {
            bom: false,
            include_events: f == ExportFormat::Ics,
            remind: (f == ExportFormat::Ics).then_some(7),
        };
        (f, export::render(f, &report, options).unwrap())
    })
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..config() })]

    #[test]
    fn exports_never_let_text_out_of_its_cell_or_element(incident in incident(), day in any_day()) {
        for (format, bytes) in exports_of(&incident, day) {
            if format == ExportFormat::Xlsx {
                use calamine::{Data, Reader, Xlsx};
                let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
                let summary = book.worksheet_range("Summary").unwrap();
                let title = incident.title.get(Lang::En);
                // An empty text is an empty cell: spreadsheets store no empty strings.
                let want = if title.is_empty() { Data::Empty } else { Data::String(title.to_owned()) };
                // The title is the Summary's second column (after the incident id).
                prop_assert_eq!(summary.get((1, 1)), Some(&want), "text kept exactly");
                for name in book.sheet_names() {
                    prop_assert!(book.worksheet_formula(&name).unwrap().is_empty(), "no formula in {}", name);
                }
                continue;
            }
            let text = String::from_utf8(bytes).unwrap();
            match format {
                ExportFormat::Csv => {
                    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
                    let width = reader.headers().unwrap().len();
                    for record in reader.records() {
                        let record = record.unwrap();
                        prop_assert_eq!(record.len(), width);
                        for cell in &record {
                            prop_assert!(
                                !cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}']),
                                "a cell a spreadsheet would run: {:?}", cell
                            );
                        }
                    }
                }
                ExportFormat::Xlsx => {}
                ExportFormat::Json => {
                    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
                    let title = json["incidents"][0]["title"].as_str().unwrap();
                    prop_assert_eq!(title, incident.title.get(Lang::En), "JSON keeps text exactly");
                }
                ExportFormat::Markdown => {
                    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
                    let (mut head, mut cells, mut in_head) = (0, 0, false);
                    for event in Parser::new_ext(&text, Options::ENABLE_TABLES) {
                        match event {
                            Event::Start(Tag::TableHead) => { in_head = true; head = 0; }
                            Event::End(TagEnd::TableHead) => in_head = false,
                            Event::Start(Tag::TableRow) => cells = 0,
                            Event::Start(Tag::TableCell) if in_head => head += 1,
                            Event::Start(Tag::TableCell) => cells += 1,
                            Event::End(TagEnd::TableRow) => prop_assert_eq!(cells, head),
                            Event::Html(h) | Event::InlineHtml(h) => {
                                prop_assert_eq!(&*h, "<br>", "only line breaks are HTML");
                            }
                            _ => {}
                        }
                    }
                }
                ExportFormat::Html => {
                    use scraper::{Html, Selector};
                    let doc = Html::parse_document(&text);
                    let any = Selector::parse("script, img, iframe, object, [src]").unwrap();
                    prop_assert!(doc.select(&any).next().is_none(), "an element was injected");
                    for el in doc.select(&Selector::parse("*").unwrap()) {
                        for (name, value) in el.value().attrs() {
                            prop_assert!(!name.starts_with("on"), "handler attribute {}", name);
                            if name == "href" {
                                prop_assert!(
                                    value.starts_with("https://") || value.starts_with("http://") || value.starts_with('#'),
                                    "link to {}", value
                                );
                            }
                        }
                    }
                }
                ExportFormat::Ics => {
                    prop_assert!(text.split_inclusive('\n').all(|l| l.ends_with("\r\n")));
                    prop_assert!(!text.replace("\r\n", "").contains('\r'), "a bare carriage return");
                    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
                    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
                        let name = &line[..line.find([':', ';']).unwrap_or(0)];
                        prop_assert!(
                            !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
                            "a line that is not a property: {:?}", line
                        );
                    }
                }
                ExportFormat::Stix => {
                    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
                    // After breachline's identity and two extension definitions.
                    let name = json["objects"][3]["name"].as_str().unwrap();
                    prop_assert_eq!(name, incident.title.get(Lang::En), "STIX keeps text exactly");
                }
                // Not generated above: VERIS refuses incidents without an event in its years,
                // which generated ones may be; tests/interchange.rs covers it.
                ExportFormat::Veris => prop_assert!(false, "VERIS is not among the formats above"),
            }
        }
    }
}

use breachline::yaml::limits::flow_depth;

#[test]
fn flow_depth_counts_brackets_only() {
    assert_eq!(flow_depth("a: [x, {b: [c]}]\n"), Some(3));
    assert_eq!(flow_depth("a:\n  b:\n    - c\n"), Some(0));
    assert_eq!(flow_depth("[a: b]"), Some(1));
    assert_eq!(flow_depth("[[x]: b]"), Some(2));
    assert_eq!(flow_depth("[x]: b\n{y: z}: c\n"), Some(1));
    assert_eq!(
        flow_depth("- [\n  ']',\n  \"[\",\n  [], # ]\n  ]\n"),
        Some(2)
    );
    assert_eq!(flow_depth("a: [unclosed\n"), None);
}

/// A flow node that saphyr-parser reads: lists and mappings whose scalars, comments and tags
/// hold brackets of both kinds, over one line or several.
fn flow_node() -> impl Strategy<Value = String> {
    // Mostly plain, so that a bound too low shows: each hiding byte raises it.
    let leaf = prop_oneof![
        8 => Just("a".to_owned()),
        1 => Just("\"]\"".to_owned()),
        1 => Just("\"}\\\"]\"".to_owned()),
        1 => Just("']'".to_owned()),
        1 => Just("'}'']'".to_owned()),
        1 => Just("\"[\"".to_owned()),
        1 => Just("'{'".to_owned()),
        1 => Just("!<]> x".to_owned()),
        1 => Just("!a x".to_owned()),
        1 => Just("a#b".to_owned()),
        1 => Just("&b x".to_owned()),
    ];
    let gap = prop_oneof![
        8 => Just(""),
        4 => Just(" "),
        2 => Just("\n "),
        1 => Just(" # ]}\n "),
        1 => Just(" # [{\n "),
    ];
    leaf.prop_recursive(8, 64, 4, move |inner| {
        (vec((gap.clone(), inner, gap.clone()), 0..4), any::<bool>()).prop_map(
            |(items, mapping)| {
                let items: Vec<String> = items
                    .into_iter()
                    .enumerate()
                    .map(|(n, (before, item, after))| {
                        if mapping {
                            format!("{before}k{n}: {item}{after}")
                        } else {
                            format!("{before}{item}{after}")
                        }
                    })
                    .collect();
                let (open, close) = if mapping { ("{", "}") } else { ("[", "]") };
                format!("{open}{}{close}", items.join(","))
            },
        )
    })
}

/// Text that is rarely YAML, from the bytes the bound looks at and a few that matter to YAML.
fn yaml_bytes() -> impl Strategy<Value = String> {
    "[\\[\\]{}\"'#!<>%,:&*| \na1-]{0,48}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..config() })]

    /// The bound that decides whether the pre-check runs (`limits::needed`) never falls below
    /// how deep flow collections really nest: a file it let through could cost libyaml time
    /// growing with the square of its size.
    #[test]
    fn the_flow_depth_bound_is_never_below_the_real_depth(
        src in prop_oneof![
            3 => flow_node().prop_map(|node| format!("a: {node}\n")),
            1 => flow_node(),
            1 => (flow_node(), flow_node()).prop_map(|(k, v)| format!("- {k}: {v}\n")),
            2 => yaml_bytes(),
        ]
    ) {
        if let Some(real) = flow_depth(&src) {
            let bound = yaml::limits::flow_depth_bound(&src, usize::MAX);
            prop_assert!(bound >= real, "bound {} < real {} in {:?}", bound, real, src);
        }
    }
}
