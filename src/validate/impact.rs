//! Checks of impact figures: counts given twice, revisions dated alike, and confirmed counts
//! above the potential ones in force when they were published.

// foldhash, as in the other checks of a file.
use foldhash::{HashMap, HashMapExt as _};

use super::Finding;
use crate::diagnostic::FieldPath;
use crate::model::{Counted, Figures, ImpactFigure, Incident};

/// Each figure of a `potential` or `confirmed` with the path it is written at: the key itself
/// for one figure, an index into it for a list of revisions.
pub(super) fn figure_paths<'a>(
    key: &'static str,
    figures: &'a Figures,
) -> Vec<(FieldPath, &'a ImpactFigure)> {
    let path = FieldPath::root().key("impact").key(key);
    match figures {
        Figures::One(f) => vec![(path, f)],
        Figures::Revisions(list) => list
            .iter()
            .enumerate()
            .map(|(i, f)| (path.clone().index(i), f))
            .collect(),
    }
}

/// Where a unit's count is written in a figure or part: its shorthand key, or the `counts` map.
fn count_path(path: FieldPath, counted: &impl Counted, unit: &str) -> FieldPath {
    match unit {
        "contracts" if counted.shorthand()[0].1.is_some() => path.key("contracts"),
        "accounts" if counted.shorthand()[1].1.is_some() => path.key("accounts"),
        _ => path.key("counts"),
    }
}

fn shorthand_twice(path: &FieldPath, counted: &impl Counted, out: &mut Vec<Finding>) {
    for (unit, count) in counted.shorthand() {
        if count.is_some() && counted.unit_counts().get(unit).is_some() {
            out.push(
                Finding::error(
                    path.clone().key("counts"),
                    format!("{unit} are given twice: as `{unit}:` and in `counts`"),
                )
                .help(format!(
                    "`{unit}: N` is shorthand for `counts: {{{unit}: N}}`: keep one"
                )),
            );
        }
    }
}

/// Counts given twice, revisions dated alike, and confirmed counts above the potential ones.
pub(super) fn check(incident: &Incident, out: &mut Vec<Finding>) {
    let Some(impact) = &incident.impact else {
        return;
    };
    for (key, figures) in [
        ("potential", &impact.potential),
        ("confirmed", &impact.confirmed),
    ] {
        let Some(figures) = figures else { continue };
        let mut days = HashMap::new();
        for (path, f) in figure_paths(key, figures) {
            shorthand_twice(&path, f, out);
            for (j, part) in f.breakdown.iter().enumerate() {
                shorthand_twice(&path.clone().key("breakdown").index(j), part, out);
            }
            if let Some(first) = days.insert(f.as_of, path.clone()) {
                out.push(
                    Finding::error(
                        path.key("as_of"),
                        format!(
                            "two {key} revisions are dated {}: each revision needs its own `as_of`",
                            f.as_of
                        ),
                    )
                    .help(format!(
                        "the other is at {first}; merge them or correct one date"
                    )),
                );
            }
        }
    }
    let (Some(potential), Some(confirmed)) = (&impact.potential, &impact.confirmed) else {
        return;
    };
    // With single figures a larger confirmed count is a mistake; once figures are revised, a
    // later confirmed count may well exceed an early estimate, so it is only worth a look.
    let revised = potential.is_revisions() || confirmed.is_revisions();
    // Sorted once, so that each confirmed figure finds its potential one by a binary search:
    // many revisions on both sides cost n log n, not their product.
    let mut potentials: Vec<&ImpactFigure> = potential.all().iter().collect();
    potentials.sort_by_key(|p| p.as_of);
    for (path, c) in figure_paths("confirmed", confirmed) {
        // The potential figure in force on the day the confirmed one was published (with
        // single figures, the one there is).
        let in_force = if revised {
            potentials.partition_point(|p| p.as_of <= c.as_of)
        } else {
            potentials.len()
        };
        let Some(p) = in_force.checked_sub(1).and_then(|i| potentials.get(i)) else {
            continue;
        };
        for (unit, count) in c.all_counts() {
            let Some(most) = p.count_of(unit) else {
                continue;
            };
            if count <= most {
                continue;
            }
            let at = count_path(path.clone(), c, unit);
            let message = format!(
                "confirmed {unit} ({}) exceed the potentially affected {unit} ({})",
                count.0, most.0
            );
            out.push(if revised {
                Finding::warning(
                    at,
                    format!(
                        "confirmed {unit} ({}) of {} exceed the potentially affected {unit} ({}) of {}",
                        count.0, c.as_of, most.0, p.as_of
                    ),
                )
                .help("later confirmed figures may exceed an early estimate: check both numbers against their sources, or revise the potential figure")
            } else {
                Finding::error(at, message).help("confirmed figures are a subset of the potential ones: check both numbers against their sources")
            });
        }
    }
}
