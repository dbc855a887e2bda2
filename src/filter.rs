//! Narrowing a run to some incidents, item states or event kinds.
//!
//! Filters choose among evaluated values and never change them: a day count in a filtered
//! timeline still counts from the incident's first event, and from the previous event of the
//! whole timeline.

use crate::error::Error;
use crate::evaluate::{IncidentView, ItemView, ObligationView, State};
use crate::model::EventKind;
use crate::sanitize::for_terminal;

/// An incident's view, with the file it came from.
pub type Labelled<'a> = (&'a str, IncidentView<'a>);

/// Keeps the incidents whose id is in `ids` (all when `ids` is empty), in input order.
/// An id that matches no incident is an error: a typo must not pass for "nothing to report".
pub fn incidents<'a>(views: Vec<Labelled<'a>>, ids: &[String]) -> Result<Vec<Labelled<'a>>, Error> {
    if ids.is_empty() {
        return Ok(views);
    }
    let known: Vec<&str> = views.iter().map(|(_, v)| v.incident.id.as_str()).collect();
    check_ids(ids, &known)?;
    Ok(views
        .into_iter()
        .filter(|(_, v)| ids.iter().any(|id| id == v.incident.id.as_str()))
        .collect())
}

/// Fails on the first of `ids` that is not one of the incident ids `known`, listing them.
pub fn check_ids(ids: &[String], known: &[impl AsRef<str>]) -> Result<(), Error> {
    match ids
        .iter()
        .find(|id| !known.iter().any(|k| k.as_ref() == id.as_str()))
    {
        None => Ok(()),
        Some(missing) => Err(Error::UnknownIncident {
            id: for_terminal(missing).into_owned(),
            known: known
                .iter()
                .map(|k| for_terminal(k.as_ref()).into_owned())
                .collect(),
        }),
    }
}

/// Keeps the remediation items and reporting obligations in `states`, and the incidents left
/// with at least one of either. Nothing is removed when `states` is empty.
pub fn states<'a>(views: Vec<Labelled<'a>>, states: &[State]) -> Vec<Labelled<'a>> {
    if states.is_empty() {
        return views;
    }
    let wanted = |s: &State| states.contains(s);
    keep(
        views,
        |i| wanted(&i.standing.state),
        |o| wanted(&o.standing.state),
    )
}

/// Keeps the remediation items and reporting obligations whose `owner` is one of `owners`
/// (compared without regard to case or surrounding spaces), and the incidents left with at
/// least one of either. Nothing is removed when `owners` is empty.
pub fn owners<'a>(views: Vec<Labelled<'a>>, owners: &[String]) -> Vec<Labelled<'a>> {
    if owners.is_empty() {
        return views;
    }
    let wanted: Vec<String> = owners.iter().map(|o| o.trim().to_lowercase()).collect();
    let owned = |owner: &Option<String>| {
        owner
            .as_deref()
            .is_some_and(|o| wanted.contains(&o.trim().to_lowercase()))
    };
    keep(
        views,
        |i| owned(&i.item.progress.owner),
        |o| owned(&o.obligation.progress.owner),
    )
}

/// Fails on the first of `owners` that no remediation item or reporting obligation of `views`
/// names (compared as [`owners`] compares them), listing those they name: a misspelt team
/// must not pass for a team with nothing due.
pub fn check_owners(views: &[Labelled<'_>], owners: &[String]) -> Result<(), Error> {
    if owners.is_empty() {
        return Ok(());
    }
    let named: Vec<&str> = views.iter().flat_map(|(_, v)| owners_named(v)).collect();
    check_owner_names(named, owners)
}

/// The owners the items and obligations of `view` name, trimmed, repeats and all.
pub fn owners_named<'a>(view: &'a IncidentView<'_>) -> impl Iterator<Item = &'a str> {
    let items = view.remediation.iter().map(|i| &i.item.progress.owner);
    let obligations = view
        .obligations
        .iter()
        .map(|o| &o.obligation.progress.owner);
    items
        .chain(obligations)
        .filter_map(|o| o.as_deref().map(str::trim))
}

/// [`check_owners`], given the owners named (`status --format json` collects them file by
/// file).
pub fn check_owner_names(mut known: Vec<&str>, owners: &[String]) -> Result<(), Error> {
    known.sort_unstable();
    known.dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());
    let key = |o: &str| o.trim().to_lowercase();
    match owners
        .iter()
        .find(|o| !known.iter().any(|k| key(k) == key(o)))
    {
        None => Ok(()),
        Some(missing) => Err(Error::UnknownOwner {
            owner: for_terminal(missing).into_owned(),
            known: known.iter().map(|k| for_terminal(k).into_owned()).collect(),
        }),
    }
}

/// Keeps the items and obligations `item` and `obligation` accept, and the incidents left with
/// at least one of either.
fn keep<'a>(
    views: Vec<Labelled<'a>>,
    item: impl Fn(&ItemView<'_>) -> bool,
    obligation: impl Fn(&ObligationView<'_>) -> bool,
) -> Vec<Labelled<'a>> {
    views
        .into_iter()
        .filter_map(|(file, mut view)| {
            view.remediation.retain(&item);
            view.obligations.retain(&obligation);
            (!view.remediation.is_empty() || !view.obligations.is_empty()).then_some((file, view))
        })
        .collect()
}

/// Keeps the events of `kinds`; nothing is removed when `kinds` is empty.
pub fn kinds<'a>(views: Vec<Labelled<'a>>, kinds: &[EventKind]) -> Vec<Labelled<'a>> {
    if kinds.is_empty() {
        return views;
    }
    views
        .into_iter()
        .map(|(file, mut view)| {
            view.events.retain(|e| kinds.contains(&e.event.kind));
            (file, view)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{evaluate, AsOf};
    use crate::model::Incident;
    use chrono::NaiveDate;

    fn incident(id: &str) -> Incident {
        crate::yaml::parse_incident(&format!(
            "format: 1\nid: {id}\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-06-01\nsources: []\n\
             events:\n  - {{id: a, date: 2025-01-01, kind: compromise, title: a}}\n  - {{id: b, date: 2025-01-05, kind: detection, title: b}}\n  - {{id: c, date: 2025-01-09, kind: disclosure, title: c}}\n\
             remediation:\n  - {{id: R1, title: late, due: 2025-02-01, status: planned}}\n  - {{id: R2, title: later, due: 2025-12-01, status: planned}}\n"
        ))
        .expect("a valid incident")
    }

    fn as_of() -> AsOf {
        AsOf::known(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(), 14)
    }

    #[test]
    fn incidents_by_id_and_an_unknown_id_is_an_error() {
        let (a, b) = (incident("a"), incident("b"));
        let views = || {
            vec![
                ("a.yaml", evaluate(&a, as_of())),
                ("b.yaml", evaluate(&b, as_of())),
            ]
        };
        let kept = incidents(views(), &["b".into()]).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].0, "b.yaml");
        assert_eq!(incidents(views(), &[]).unwrap().len(), 2);
        let err = incidents(views(), &["c".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no incident has the id `c` (the ids read are: a, b)"
        );
    }

    #[test]
    fn states_drop_items_and_then_empty_incidents() {
        let i = incident("a");
        let views = || vec![("a.yaml", evaluate(&i, as_of()))];
        let overdue = states(views(), &[State::Overdue]);
        let ids: Vec<&str> = overdue[0]
            .1
            .remediation
            .iter()
            .map(|r| r.item.id.as_str())
            .collect();
        assert_eq!(ids, ["R1"]);
        assert!(states(views(), &[State::Done]).is_empty());
        assert_eq!(states(views(), &[]).len(), 1);
    }

    #[test]
    fn kinds_keep_the_evaluated_day_counts() {
        let i = incident("a");
        let kept = kinds(
            vec![("a.yaml", evaluate(&i, as_of()))],
            &[EventKind::Disclosure],
        );
        let events = &kept[0].1.events;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].since_first.days, 8);
        assert_eq!(events[0].since_previous.map(|d| d.days), Some(4));
        assert!(
            kept[0].1.intervals.dwell.is_some(),
            "intervals are the incident's"
        );
    }
}
