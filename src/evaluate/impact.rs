//! The impact figures as of a day: the revisions published (and, in the default view, known)
//! by then, the latest of each being the one in force.

use chrono::NaiveDate;

use super::{AsOf, Record};
use crate::model::{Figures, ImpactFigure};

/// An impact figure as shown on the day.
#[derive(Debug, Clone, Copy)]
pub struct FigureView<'a> {
    pub figure: &'a ImpactFigure,
    pub known_on: NaiveDate,
}

/// The revisions of the impact figures shown on a day, oldest first: the last is the one in
/// force, the others its history. A single figure is its own only revision.
#[derive(Debug, Clone, Default)]
pub struct Revisions<'a> {
    pub potential: Vec<FigureView<'a>>,
    pub confirmed: Vec<FigureView<'a>>,
}

impl<'a> Revisions<'a> {
    /// The earlier revisions of one list: all but the one in force.
    pub fn history<'s>(list: &'s [FigureView<'a>]) -> &'s [FigureView<'a>] {
        list.split_last().map_or(&[], |(_, rest)| rest)
    }
}

/// The revisions of a figure shown on the day (published, and in the as-known view known, by
/// then), in order of publication: the latest published is the one in force. Revisions may be
/// written in any order; validation refuses two on the same day.
pub fn shown_revisions<'a>(
    figures: &'a Figures,
    record: &Record,
    as_of: AsOf,
) -> Vec<FigureView<'a>> {
    let mut shown: Vec<FigureView<'a>> = figures
        .all()
        .iter()
        .filter_map(|f| {
            let known_on = record.figure_known_on(f);
            as_of.shows(f.as_of.0, known_on).then_some(FigureView {
                figure: f,
                known_on,
            })
        })
        .collect();
    shown.sort_by_key(|f| f.figure.as_of);
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Day;
    use crate::evaluate::View;

    fn day(s: &str) -> NaiveDate {
        crate::date::parse_day(s).unwrap()
    }

    /// A record reviewed on 2026-01-01 with no dated sources.
    fn record() -> Record<'static> {
        Record::new(day("2026-01-01"))
    }

    fn revision(as_of: &str, reported: Option<&str>, individuals: u64) -> ImpactFigure {
        ImpactFigure {
            contracts: None,
            accounts: None,
            counts: crate::model::UnitMap::from_pairs(vec![(
                crate::model::Unit("individuals".into()),
                crate::model::Count(individuals),
            )])
            .unwrap(),
            up_to: false,
            categories: Vec::new(),
            breakdown: Vec::new(),
            as_of: Day(day(as_of)),
            detail: None,
            sources: Vec::new(),
            reported: reported.map(|r| Day(day(r))),
        }
    }

    /// The individuals of the revision in force on `date`, and how many are shown by then.
    fn in_force(figures: &Figures, date: &str, view: View) -> (Option<u64>, usize) {
        let as_of = AsOf {
            view,
            ..AsOf::known(day(date), 14)
        };
        let shown = shown_revisions(figures, &record(), as_of);
        let current = shown
            .last()
            .and_then(|f| f.figure.counts.get("individuals"))
            .map(|c| c.0);
        (current, shown.len())
    }

    #[test]
    fn the_latest_revision_published_by_the_day_is_in_force() {
        // Written newest first: the order in the file does not matter.
        let figures = Figures::Revisions(vec![
            revision("2025-04-01", None, 15000),
            revision("2025-03-01", None, 12000),
        ]);
        let known = |d| in_force(&figures, d, View::AsKnown);
        assert_eq!(known("2025-02-28"), (None, 0));
        assert_eq!(known("2025-03-01"), (Some(12000), 1));
        assert_eq!(known("2025-03-31"), (Some(12000), 1));
        assert_eq!(known("2025-04-01"), (Some(15000), 2));
        assert_eq!(known("2026-01-01"), (Some(15000), 2));
    }

    #[test]
    fn a_revision_reported_late_is_in_force_once_known_except_in_hindsight() {
        // As of 2025-04-01, published 2025-05-01: until then the earlier revision stands.
        let figures = Figures::Revisions(vec![
            revision("2025-03-01", None, 12000),
            revision("2025-04-01", Some("2025-05-01"), 15000),
        ]);
        assert_eq!(
            in_force(&figures, "2025-04-15", View::AsKnown),
            (Some(12000), 1)
        );
        assert_eq!(
            in_force(&figures, "2025-04-15", View::Hindsight),
            (Some(15000), 2)
        );
        assert_eq!(
            in_force(&figures, "2025-05-01", View::AsKnown),
            (Some(15000), 2)
        );
    }

    #[test]
    fn one_figure_is_its_own_only_revision() {
        let figures = Figures::One(revision("2025-03-01", None, 12000));
        assert_eq!(in_force(&figures, "2025-02-01", View::AsKnown), (None, 0));
        assert_eq!(
            in_force(&figures, "2025-03-01", View::AsKnown),
            (Some(12000), 1)
        );
    }
}
