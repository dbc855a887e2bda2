//! What an export shows: the evaluation and its provenance, and the switches some formats
//! have. Every format `export` writes renders a [`Report`]: the same [`IncidentView`]s that
//! `status` and `timeline` render, and the [`Provenance`] of the run; none computes a state, a
//! day count or an interval.

use crate::evaluate::IncidentView;
use crate::provenance::Provenance;
use crate::text::Lang;

/// Everything an export shows.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// Each incident with the file it came from, in path order.
    pub incidents: Vec<(&'a str, IncidentView<'a>)>,
    pub provenance: Provenance,
    /// The `--soon` window the states were computed with.
    pub soon_days: i64,
    pub lang: Lang,
}

/// Switches that only some formats have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// CSV: a UTF-8 byte-order mark first.
    pub bom: bool,
    /// iCalendar: the timeline's events too.
    pub include_events: bool,
    /// iCalendar: a reminder so many days before each deadline.
    pub remind: Option<u16>,
}
