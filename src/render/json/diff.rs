//! `diff --format json`: the changes and state changes, for programs.

use chrono::NaiveDate;
use serde::Serialize;

use crate::diff::{Change, Diff, StateChange};
use crate::evaluate::{AsOf, View};

#[derive(Serialize)]
struct Document<'a> {
    as_of: NaiveDate,
    view: View,
    changes: &'a [Change],
    states: &'a [StateChange],
}

pub fn json(d: &Diff, as_of: AsOf) -> String {
    let doc = Document {
        as_of: as_of.date,
        view: as_of.view,
        changes: &d.changes,
        states: &d.states,
    };
    super::to_string(&doc)
}
