//! `check --format json`: the verdict, the counts per state, and the items listed.

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::evaluate::{Standing, State, View};
use crate::model::{Id, Tracked};
use crate::render::check::{items, items_in, obligations, obligations_in, Labelled};
use crate::text::Lang;

/// What `check` concluded, for the JSON document and the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every file is valid and nothing is overdue.
    Ok,
    /// Every file is valid and an item or a reporting obligation is overdue.
    Overdue,
    /// A file (or path) has errors: nothing was evaluated.
    Invalid,
}

#[derive(Serialize)]
struct Document<'a> {
    result: Verdict,
    as_of: NaiveDate,
    view: View,
    soon_days: i64,
    files: usize,
    incidents: Option<usize>,
    items: Option<usize>,
    obligations: Option<usize>,
    states: Option<StateCounts>,
    obligation_states: Option<StateCounts>,
    listed: Option<Vec<Listed<'a>>>,
    problems: &'a [&'a Diagnostic],
}

/// Counts per state, every state present, in the order of [`State::ALL`].
struct StateCounts([(State, usize); State::ALL.len()]);

impl Serialize for StateCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (state, n) in &self.0 {
            map.serialize_entry(state.as_str(), n)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum Record {
    Remediation,
    Obligation,
}

#[derive(Serialize)]
struct Listed<'a> {
    record: Record,
    incident: &'a Id,
    file: &'a str,
    id: &'a Id,
    title: &'a str,
    owner: Option<&'a str>,
    /// A day for items; a day or a time for obligations.
    due: Option<String>,
    state: State,
    days_left: Option<i64>,
    /// Days past the due day of what is `overdue`: the name the other JSON outputs use.
    days_overdue: Option<i64>,
    /// Obligations only, as in `status --format json`: days past the deadline, whether
    /// `overdue` or `no_record`.
    days_past_due: Option<i64>,
    last_confirmed: Option<NaiveDate>,
    unconfirmed_since_due: bool,
}

/// What the JSON document says about a run.
pub struct Report<'a> {
    pub verdict: Verdict,
    pub as_of: NaiveDate,
    pub view: View,
    pub soon_days: i64,
    pub files: usize,
    /// The evaluated incidents; `None` when the input was invalid.
    pub views: Option<&'a [Labelled<'a>]>,
    pub listed: &'a [State],
    pub problems: &'a [&'a Diagnostic],
}

fn listed<'a>(views: &'a [Labelled<'a>], states: &[State], lang: Lang) -> Vec<Listed<'a>> {
    let mut out = Vec::new();
    for labelled @ (_, view) in views {
        let shown = |s: State| states.contains(&s);
        out.extend(
            view.remediation
                .iter()
                .filter(|i| shown(i.standing.state))
                .map(|i| {
                    let due = i.due.map(|d| d.to_string());
                    entry(
                        labelled,
                        Record::Remediation,
                        i.item,
                        &i.standing,
                        due,
                        lang,
                    )
                }),
        );
        out.extend(
            view.obligations
                .iter()
                .filter(|o| shown(o.standing.state))
                .map(|o| {
                    let due = Some(o.due.to_string());
                    entry(
                        labelled,
                        Record::Obligation,
                        o.obligation,
                        &o.standing,
                        due,
                        lang,
                    )
                }),
        );
    }
    out
}

/// `what`, an item or an obligation of the incident `labelled`, as it stood on the day.
fn entry<'a, K: Tracked>(
    (file, view): &'a Labelled<'a>,
    record: Record,
    what: &'a K,
    standing: &Standing<K::Status>,
    due: Option<String>,
    lang: Lang,
) -> Listed<'a> {
    Listed {
        record,
        incident: &view.incident.id,
        file,
        id: what.id(),
        title: what.title().get(lang),
        owner: what.progress().owner.as_deref(),
        due,
        state: standing.state,
        days_left: standing.days_left,
        days_overdue: standing.days_overdue(),
        days_past_due: standing
            .days_past_due
            .filter(|_| matches!(record, Record::Obligation)),
        last_confirmed: standing.last_confirmed,
        unconfirmed_since_due: standing.unconfirmed_since_due,
    }
}

pub fn json(report: &Report<'_>, lang: Lang) -> String {
    let mut out = Vec::new();
    // Writing into memory fails only where serialising does: never, for these plain structs.
    let _ = write(report, lang, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`json`], written to `out` as it is made: the report of 100,000 files is never held whole.
pub fn write<W: std::io::Write>(
    report: &Report<'_>,
    lang: Lang,
    out: &mut W,
) -> std::io::Result<()> {
    let views = report.views;
    let doc = Document {
        result: report.verdict,
        as_of: report.as_of,
        view: report.view,
        soon_days: report.soon_days,
        files: report.files,
        incidents: views.map(<[_]>::len),
        items: views.map(items),
        obligations: views.map(obligations),
        states: views.map(|v| StateCounts(State::ALL.map(|s| (s, items_in(v, s))))),
        obligation_states: views
            .map(|v| StateCounts(State::ALL.map(|s| (s, obligations_in(v, s))))),
        listed: views.map(|v| listed(v, report.listed, lang)),
        problems: report.problems,
    };
    super::pretty::write_document(out, &doc).map_err(std::io::Error::from)
}
