//! The golden tables: edge cases of every built-in rule, computed by hand from the law and
//! written in `tests/fixtures/rules/<library file>.tsv`, one case a line (the header names the
//! columns; `why` says how the expected deadline was worked out). Every rule of the library
//! has a table.

use std::path::Path;

use crate::clock::{self, Time};
use crate::date::{parse_moment, parse_time_zone, Zone};
use crate::rule::{builtin, Trigger, LIBRARY_FILES};

fn time_of(s: &str) -> Time {
    Time::from(parse_moment(s).unwrap_or_else(|e| panic!("`{s}`: {e}")))
}

/// The legal deadline and target of `rule` from `start` in an incident of `zone`.
fn deadlines(rule: &str, variant: Option<&str>, zone: &Zone, start: &str) -> (Option<Time>, Time) {
    let r = builtin()
        .get(rule)
        .unwrap_or_else(|| panic!("no rule `{rule}`"));
    let applied = r
        .applied(variant)
        .unwrap_or_else(|| panic!("no variant {variant:?}"));
    let clocks = applied.clocks(None);
    let mut best: Option<clock::Counted> = None;
    for (trigger, terms) in clocks {
        let at = if start.contains('=') {
            let want = trigger.map(Trigger::as_str).unwrap_or_default();
            let found = start
                .split(';')
                .find_map(|p| p.strip_prefix(want)?.strip_prefix('='))
                .unwrap_or_else(|| panic!("{rule}: no start for {want} in `{start}`"));
            time_of(found)
        } else {
            time_of(start)
        };
        let at = match at {
            Time::Instant(t) => Time::Instant(zone.localize(t)),
            other => other,
        };
        let counted = clock::count(&terms, at, zone, &[]).expect("a deadline");
        let earlier = best.is_none_or(|b| {
            clock::runs_out(counted.legal.time, zone) < clock::runs_out(b.legal.time, zone)
        });
        if earlier {
            best = Some(counted);
        }
    }
    let best = best.expect("a clock");
    if applied.is_policy() {
        (None, best.target.time)
    } else {
        (Some(best.legal.time), best.target.time)
    }
}

/// True when `got` is the deadline `want` writes: the same day, or the same instant.
fn same(got: Time, want: &str, zone: &Zone) -> bool {
    match (got, time_of(want)) {
        (Time::Day(g), Time::Day(w)) => g == w,
        (g, Time::Instant(w)) => clock::runs_out(g, zone) == Some(w),
        _ => false,
    }
}

#[test]
fn every_rule_meets_its_hand_computed_edge_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut failures = Vec::new();
    let mut cases = 0;
    for (file, _) in LIBRARY_FILES {
        let table = dir.join(file.replace(".yaml", ".tsv"));
        let text = std::fs::read_to_string(&table).unwrap_or_else(|e| {
            panic!("{}: {e}: every library file has its table", table.display())
        });
        let mut covered = std::collections::BTreeSet::new();
        for (n, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let [rule, variant, tz, start, legal, target, why] = cols[..] else {
                panic!(
                    "{}:{}: seven columns, tab-separated",
                    table.display(),
                    n + 1
                );
            };
            let zone = match tz {
                "-" => Zone::default(),
                name => Zone::Named(parse_time_zone(name).unwrap()),
            };
            let variant = (variant != "-").then_some(variant);
            let (got_legal, got_target) = deadlines(rule, variant, &zone, start);
            let legal_ok = match (got_legal, legal) {
                (None, "-") => true,
                (Some(g), w) if w != "-" => same(g, w, &zone),
                _ => false,
            };
            let want_target = if target == "-" { legal } else { target };
            let target_ok = want_target != "-" && same(got_target, want_target, &zone);
            cases += 1;
            covered.insert(rule.to_owned());
            if !legal_ok || !target_ok {
                failures.push(format!(
                    "{file}:{} {rule} from {start} ({tz}): legal {got_legal:?} (want {legal}), target {got_target:?} (want {want_target}): {why}",
                    n + 1
                ));
            }
        }
        let src = LIBRARY_FILES
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, s)| *s)
            .unwrap_or_default();
        for r in crate::yaml::parse_rules(src).unwrap().rules {
            assert!(
                covered.contains(r.id.as_str()),
                "{file}: rule `{}` has no golden case",
                r.id
            );
        }
    }
    assert!(cases >= 20, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
