//! The benchmark generator (examples/gen) writes valid, warning-free incidents: a warning would
//! make the loader locate it in the file, and the benchmarks would measure that instead.

use crate::generate::{incident, Shape};

#[test]
fn generated_incidents_are_valid_without_warnings() {
    for (n, events, items) in [(0, 0, 0), (1, 1, 1), (2, 6, 4), (3, 2000, 400)] {
        let text = incident(
            n,
            Shape {
                events,
                items,
                due: true,
            },
        );
        let parsed =
            breachline::yaml::parse_incident(&text).unwrap_or_else(|e| panic!("{e:?} in\n{text}"));
        assert_eq!(parsed.events.len(), events);
        assert_eq!(parsed.remediation.len(), items);
        assert_eq!(
            breachline::validate::validate(&parsed),
            vec![],
            "in\n{text}"
        );
    }
}

#[test]
fn the_same_arguments_give_the_same_bytes_and_the_documented_sizes() {
    let shape = Shape {
        events: 6,
        items: 4,
        due: true,
    };
    assert_eq!(incident(7, shape), incident(7, shape));
    assert_ne!(incident(7, shape), incident(8, shape));
    // docs/performance.md: ~2.7 kB a file, so 10,000 files are ~27 MB.
    let size = incident(7, shape).len();
    assert!((2_400..3_000).contains(&size), "{size} bytes");
}

#[test]
fn without_due_dates_open_items_draw_a_warning_each() {
    let shape = Shape {
        events: 20,
        items: 40,
        due: false,
    };
    let parsed = breachline::yaml::parse_incident(&incident(3, shape)).expect("parses");
    let warnings = breachline::validate::validate(&parsed);
    // Items done or cancelled need no deadline; the rest each draw one warning.
    assert!((5..40).contains(&warnings.len()), "{warnings:?}");
    for w in &warnings {
        assert!(w.message.ends_with("has no due date"), "{w:?}");
    }
}
