//! The built-in library as shipped: every file reads, every rule is complete and consistent,
//! and the hand-computed golden cases of `tests/fixtures/rules/` hold.

use super::*;

#[test]
fn every_built_in_file_reads_and_passes_the_checks_a_pack_gets() {
    let empty = Library::default();
    let mut all = RuleFile { rules: Vec::new() };
    for (name, src) in LIBRARY_FILES {
        let file = crate::yaml::parse_rules(src)
            .unwrap_or_else(|e| panic!("{name}: {} at {:?}", e.message, e.location));
        assert!(!file.rules.is_empty(), "{name}");
        all.rules.extend(file.rules);
    }
    let problems: Vec<String> = check_pack(&all, &empty)
        .into_iter()
        .map(|p| p.message)
        .collect();
    assert_eq!(
        problems,
        Vec::<String>::new(),
        "the library checked as one pack"
    );
    assert_eq!(builtin().rules().len(), all.rules.len(), "no rule left out");
}

#[test]
fn every_rule_cites_an_official_text_and_says_when_it_applies() {
    for r in builtin().rules() {
        assert!(r.url.as_str().starts_with("https://"), "{}", r.id);
        assert!(!r.provision.trim().is_empty(), "{}", r.id);
        assert!(!r.recipient.trim().is_empty(), "{}", r.id);
        if r.policy {
            assert!(
                r.words.is_some(),
                "{}: a policy value quotes the law's words",
                r.id
            );
        }
    }
}

#[test]
fn the_library_hash_names_its_version() {
    let h = builtin().hash();
    assert_eq!(h.len(), 64);
    assert!(h.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn a_pack_rule_named_like_a_built_in_or_twice_is_refused() {
    let src = "rules:\n  - &r\n    id: gdpr-art33\n    jurisdiction: X\n    regime: X\n    title: X\n    recipient: X\n    provision: X\n    url: https://example.org/x\n    effective_from: 2020-01-01\n    trigger: awareness\n    period: 48h\n  - id: mine\n    jurisdiction: X\n    regime: X\n    title: X\n    recipient: X\n    provision: X\n    url: https://example.org/x\n    effective_from: 2020-01-01\n    trigger: awareness\n    period: 48h\n  - id: mine\n    jurisdiction: X\n    regime: X\n    title: X\n    recipient: X\n    provision: X\n    url: https://example.org/x\n    effective_from: 2020-01-01\n    period: 48h\n";
    let file = crate::yaml::parse_rules(src).unwrap();
    let problems = check_pack(&file, builtin());
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "rule `gdpr-art33` is already a built-in rule",
            "rule `mine` is defined twice (first as rule 2)",
            "rule `mine` does not say what starts its clock",
        ]
    );
}

#[test]
fn a_rule_file_with_a_typo_gets_an_error_at_its_place() {
    let src = "rules:\n  - id: mine\n    jurisdiction: X\n    regime: X\n    title: X\n    recipient: X\n    provision: X\n    url: https://example.org/x\n    effective_from: 2020-01-01\n    trigger: awareness\n    period: 48h\n    calender: jp-admin\n";
    let e = crate::yaml::parse_rules(src).unwrap_err();
    assert!(
        e.message.starts_with("rules[0]: unknown field `calender`"),
        "{}",
        e.message
    );
    assert_eq!(e.location.map(|l| l.line), Some(12));
    let bad = src.replace("calender: jp-admin", "calendar: jp-admin-x");
    let e = crate::yaml::parse_rules(&bad).unwrap_err();
    assert!(
        e.message.contains("`jp-admin-x` is not a calendar"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("did you mean `jp-admin`?"),
        "{}",
        e.message
    );
}

mod golden;

mod target {
    //! The target is never later than the legal deadline, whatever the rule, start and zone.

    use chrono::{DateTime, NaiveDate, TimeZone as _};
    use proptest::prelude::*;

    use crate::clock::{self, Time};
    use crate::date::Zone;
    use crate::rule::builtin;

    const ZONES: [&str; 6] = [
        "Asia/Tokyo",
        "Europe/Berlin",
        "America/New_York",
        "America/Sao_Paulo",
        "UTC",
        "Australia/Sydney",
    ];

    fn start() -> impl Strategy<Value = Time> {
        // 2020-01-01 to 2035-06-30, as a day, a UTC instant or an instant at 00:00 somewhere.
        (0i64..5660, 0i64..86_400, 0u8..3).prop_map(|(days, secs, kind)| {
            let day = NaiveDate::from_ymd_opt(2020, 1, 1)
                .unwrap()
                .checked_add_days(chrono::Days::new(days as u64))
                .unwrap();
            match kind {
                0 => Time::Day(day),
                1 => Time::Instant(
                    DateTime::from_timestamp(
                        day.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() + secs,
                        0,
                    )
                    .unwrap()
                    .fixed_offset(),
                ),
                _ => Time::Instant(
                    chrono::FixedOffset::east_opt(9 * 3600)
                        .unwrap()
                        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
                        .unwrap(),
                ),
            }
        })
    }

    proptest! {
        #[test]
        fn never_later_than_the_legal_deadline(
            rule in 0usize..200,
            zone in 0usize..ZONES.len(),
            at in start(),
        ) {
            let rules = builtin().rules();
            let r = &rules[rule % rules.len()];
            let zone = Zone::Named(ZONES[zone].parse().unwrap());
            let applied = r.applied(None).unwrap();
            for (_, terms) in applied.clocks(None) {
                let c = clock::count(&terms, at, &zone, &[]).unwrap();
                let (legal, target) = (
                    clock::runs_out(c.legal.time, &zone).unwrap(),
                    clock::runs_out(c.target.time, &zone).unwrap(),
                );
                prop_assert!(target <= legal, "{}: target {:?} after legal {:?}", r.id, c.target, c.legal);
            }
        }
    }
}
