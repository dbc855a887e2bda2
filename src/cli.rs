//! Command-line arguments. Parsing only: `lib::run` decides what they mean.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::evaluate::State;
use crate::load::DEFAULT_MAX_FILE_SIZE;
use crate::model::EventKind;
pub use crate::render::formats::ExportFormat;
use crate::text::Lang;

const EXAMPLES: &str = "\
Examples:
  breachline new incidents/acme-2025.yaml  start an incident file from a commented skeleton
  breachline validate                      check every file under ./incidents
  breachline timeline --lang ja            the timeline in Japanese
  breachline status --as-of 2025-06-01     where remediation and reports stood on that day
  breachline status --state overdue        what is late, across all incidents
  breachline check                         validate and fail on overdue items (for CI)
  breachline export -o report.html         a printable report (also .csv .json .md .ics)

Exit status: 0 success, 1 an overdue item (check, status --fail-on-overdue), 2 invalid input or usage.
See docs/cli.md for every command and option.";

#[derive(Debug, Parser)]
#[command(
    name = "breachline",
    version,
    propagate_version = true,
    about = "Track security incidents as sourced YAML timelines",
    long_about = "Track security incidents as sourced YAML timelines.\n\n\
        Reads incident files (YAML) from the PATHs given, or from ./incidents, validates them, \
        renders their timelines and shows which countermeasures are done, due or overdue as of \
        any day.",
    after_help = EXAMPLES,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Evaluate as of the end of this day (YYYY-MM-DD) [default: today]: the record as it stood
    /// then, only what had happened and been known by that day
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,

    /// Judge what had happened by the --as-of day with everything the record says now (e.g. a
    /// completion reported weeks later counts from the day it happened)
    #[arg(long, global = true)]
    pub hindsight: bool,

    /// Language of texts and labels; falls back to the other when a text lacks it
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,

    /// When to use colour (NO_COLOR and CLICOLOR_FORCE are honoured under auto)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Refuse input files larger than this many bytes
    #[arg(long, global = true, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,

    /// Print no summary or `ok` lines and no warnings; errors and requested output still print
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Wrap tables to this many columns [default: the terminal's width; no wrapping into a pipe]
    #[arg(long, global = true, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,

    /// Read this many files at once; the output is the same whatever N is [default: the number of CPUs]
    #[arg(long, short = 'j', global = true, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
}

/// The global options each command has no use for: hidden from its help, manual page and
/// completions (still accepted, so that a script setting them for every command keeps working).
const UNUSED: &[(&str, &[&str])] = &[
    ("validate", &["as_of", "hindsight", "lang", "width"]),
    ("export", &["width"]),
    ("diff", &["lang", "width"]),
    (
        "new",
        &[
            "hindsight",
            "lang",
            "color",
            "max_file_size",
            "width",
            "jobs",
        ],
    ),
    ("schema", ALL_GLOBAL),
    (
        "rules",
        &["as_of", "hindsight", "lang", "color", "quiet", "jobs"],
    ),
    ("completions", ALL_GLOBAL),
    ("man", ALL_GLOBAL),
];

const ALL_GLOBAL: &[&str] = &[
    "as_of",
    "hindsight",
    "lang",
    "color",
    "max_file_size",
    "quiet",
    "width",
    "jobs",
];

/// The command line as every user sees it (help, manual pages, completions) and as `main`
/// parses it: [`Cli`], with each command showing only the options it uses, described as they
/// apply to it.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let global = |id: &str| cmd.get_arguments().find(|a| a.get_id() == id).cloned();
    // A subcommand's own copy of a global option is kept when the command is built: the copy
    // is the global option hidden, or described as it applies there.
    let mut changed: Vec<(&str, clap::Arg)> = Vec::new();
    for (name, unused) in UNUSED {
        for id in *unused {
            changed.extend(global(id).map(|a| (*name, a.hide(true))));
        }
    }
    changed.extend(global("as_of").map(|a| {
        (
            "new",
            a.help("The day written as `reviewed` (YYYY-MM-DD) [default: today]"),
        )
    }));
    changed
        .extend(global("quiet").map(|a| ("new", a.help("Print nothing when the file is written"))));
    // `mut_subcommands` keeps the commands in their order (`mut_subcommand` moves each last).
    cmd.clone().mut_subcommands(|sub| {
        let name = sub.get_name().to_owned();
        changed
            .iter()
            .filter(|(n, _)| *n == name)
            .fold(sub, |sub, (_, arg)| sub.arg(arg.clone()))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check incident files and report every problem, with its line and column
    #[command(after_help = "\
Examples:
  breachline validate
  breachline validate incidents/secure-mx-2025.yaml
  breachline validate path/to/customer-a path/to/customer-b

Exit status: 0 when every file is valid (warnings allowed), 2 when any file has an error.")]
    Validate(Inputs),

    /// Show events in date order, with the days between them and the key intervals
    #[command(after_help = "\
Examples:
  breachline timeline
  breachline timeline --as-of 2025-04-16
  breachline timeline --kind detection,disclosure
  breachline timeline --format markdown > timeline.md
  breachline timeline --format json | jq '.incidents[].events[].id'

Day counts the days since the incident's first event and +Days those since the previous event
of the whole timeline, also when --kind shows only some of the events.")]
    Timeline(TimelineArgs),

    /// Show impact, where each remediation item stands, and reporting deadlines
    #[command(after_help = "\
Examples:
  breachline status
  breachline status --as-of 2025-06-01
  breachline status --soon 30 --format json
  breachline status --fail-on-overdue       # exit 1 when an item is overdue
  breachline status --state overdue,due_soon --incident iij-secure-mx-2025

States: done, done_late, cancelled, overdue, due_soon, open, no_deadline, and for reporting
obligations no_record (past due, and the record does not say whether it was done) and
not_required (a recorded decision that the report was not owed).
A due date means \"by the end of that day\".")]
    Status(StatusArgs),

    /// Write the evaluation as CSV, JSON, Markdown, an HTML report or an iCalendar file
    #[command(after_help = "\
Examples:
  breachline export --as-of 2026-11-25 -o report.html
  breachline export --format csv --bom -o remediation.csv     # for Excel
  breachline export --format json | jq '.incidents[].remediation[].state'
  breachline export --format markdown --lang ja > report.md
  breachline export -o deadlines.ics --include-events
  breachline export --format stix -o incidents.stix.json      # for a CTI platform
  breachline export --format veris -o veris/                  # one VERIS file per incident

The format comes from --format, or else from the -o extension (.csv .json .md .html .ics);
veris (VERIS 1.4) and stix (a STIX 2.1 bundle) only from --format.
States and day counts are those of `status` (same --as-of and --soon). Every export records the
as-of date, when it was generated (SOURCE_DATE_EPOCH if set), the breachline version and the
SHA-256 of each input file. -o writes atomically and never replaces a file without --force.
See docs/exports.md.")]
    Export(ExportArgs),

    /// Validate, then fail if any remediation item or reporting obligation is overdue: for CI
    #[command(after_help = "\
Examples:
  breachline check
  breachline check --as-of 2025-06-01 incidents/
  breachline check --format json > check.json

Lists the overdue, due-soon and no-record items and reporting obligations, then a summary such
as `3 incidents, 11 items: 1 overdue, 2 due soon`. no_record (an obligation past due whose
record is silent) is listed but does not fail the check.
Exit status: 0 all valid and nothing overdue, 1 something is overdue, 2 a file is invalid.")]
    Check(CheckArgs),

    /// Show what changed between two versions of incident files, and the states it changed
    #[command(after_help = "\
Examples:
  breachline diff old/secure-mx-2025.yaml incidents/secure-mx-2025.yaml
  breachline diff --since HEAD~1
  breachline diff --since v1.0 incidents/ --format markdown > review.md

Records added, removed or changed (field by field), then the states of items and obligations
that changed as a result, as of --as-of. With --since REV the files under PATH (default: ./incidents) as committed at REV are compared
with the files on disk; the `git` command must be on PATH. Without it, give OLD and NEW (files
or directories).
Exit status: 0 (whether or not anything changed), 2 for invalid input or an unknown revision.")]
    Diff(DiffArgs),

    /// Write a commented skeleton incident file that validates as it is
    #[command(after_help = "\
Examples:
  breachline new incidents/acme-mail-2025.yaml
  breachline new incidents/acme-mail-2025.yaml --id acme-mail-2025 --title \"Mail service breach\"

Never overwrites: if FILE exists, nothing is written and the exit status is 2.")]
    New(NewArgs),

    /// List the reporting rules: deadline, recipient, citation and dates in force
    #[command(after_help = "\
Examples:
  breachline rules
  breachline rules --jurisdiction JP,EU
  breachline rules --format json | jq '.rules[] | select(.jurisdiction == \"US\") | .id'
  breachline rules incidents/                # with the team's rule packs (*.rules.yaml)

The built-in rules, then those of the rule packs (*.rules.yaml) under PATH [default:
./incidents, when it exists]. An obligation names a rule with `rule:`. See docs/obligations.md.
Exit status: 0, or 2 when a rule pack is invalid.")]
    Rules(RulesArgs),

    /// Print the JSON Schema of incident files, for editors and other tools
    #[command(after_help = "\
Examples:
  breachline schema > incident.schema.json
  breachline schema | jq '.definitions.EventKind.enum'

Then start an incident file with the line
  # yaml-language-server: $schema=incident.schema.json
(a path relative to the incident file) and editors with yaml-language-server check it as you
type. See docs/editors.md.")]
    Schema,

    /// Print a shell completion script
    #[command(after_help = "\
Examples:
  breachline completions bash > ~/.local/share/bash-completion/completions/breachline
  breachline completions zsh > ~/.zfunc/_breachline
  breachline completions fish > ~/.config/fish/completions/breachline.fish")]
    Completions(CompletionsArgs),

    /// Print the manual page (roff) of breachline or of one of its commands
    #[command(after_help = "\
Examples:
  breachline man > breachline.1 && man ./breachline.1
  breachline man check | man -l -
  for c in '' validate timeline status export check new schema completions man; do
    breachline man $c > \"breachline${c:+-$c}.1\"
  done")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct Inputs {
    /// Incident files, or directories searched for *.yaml and *.yml [default: ./incidents]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// Output format: a table for people, Markdown for a wiki, JSON for programs
    #[arg(long, value_enum, default_value_t = TimelineFormat::Table)]
    pub format: TimelineFormat,

    #[command(flatten)]
    pub incidents: IncidentFilter,

    /// Show only events of these kinds (comma-separated)
    #[arg(long, value_enum, value_name = "KIND", value_delimiter = ',')]
    pub kind: Vec<EventKind>,
}

#[derive(Debug, Args)]
pub struct IncidentFilter {
    /// Only the incident with this id (repeat for several)
    #[arg(long = "incident", value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Directories or files searched for rule packs (*.rules.yaml) [default: ./incidents]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Only the rules of these jurisdictions (comma-separated): JP, EU, US (with its states), US-CA…
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub jurisdiction: Vec<String>,

    /// Output format: a table for people, Markdown for documents, JSON for programs
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// Output format: a table for people, JSON for programs
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,

    /// An open item due within this many days is due_soon
    #[arg(long, value_name = "DAYS", default_value_t = 14, value_parser = clap::value_parser!(u16))]
    pub soon: u16,

    /// Exit with status 1 when any item or reporting obligation is overdue (no_record is not)
    #[arg(long)]
    pub fail_on_overdue: bool,

    /// Only the items and obligations with this `owner` (repeat for several; case ignored)
    #[arg(long, value_name = "NAME")]
    pub owner: Vec<String>,

    #[command(flatten)]
    pub incidents: IncidentFilter,

    /// Show only items and obligations in these states (comma-separated), and only incidents
    /// that have some
    #[arg(long, value_enum, value_name = "STATE", value_delimiter = ',')]
    pub state: Vec<State>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// Output format: text for people and CI logs, one JSON document for programs
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// An open item due within this many days is due_soon
    #[arg(long, value_name = "DAYS", default_value_t = 14, value_parser = clap::value_parser!(u16))]
    pub soon: u16,

    #[command(flatten)]
    pub incidents: IncidentFilter,

    /// Only the items and obligations with this `owner` (repeat for several; case ignored):
    /// only theirs fail the check
    #[arg(long, value_name = "NAME")]
    pub owner: Vec<String>,

    /// List the items and obligations in these states (comma-separated); anything overdue fails
    /// the check all the same
    #[arg(
        long,
        value_enum,
        value_name = "STATE",
        value_delimiter = ',',
        default_value = "overdue,due_soon,no_record"
    )]
    pub state: Vec<State>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Compare the files under PATH as committed at this git revision with the files on disk
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,

    /// OLD and NEW (files or directories); with --since, the PATHs to compare [default:
    /// ./incidents]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format: text for people, Markdown for a pull-request comment, JSON for programs
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,

    /// An open item due within this many days is due_soon, for the states compared
    #[arg(long, value_name = "DAYS", default_value_t = 14, value_parser = clap::value_parser!(u16))]
    pub soon: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The file to create; its directory is created if need be. Its `reviewed` day is --as-of
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The incident's id [default: the file name without its extension]
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// The incident's title [default: a placeholder to replace]
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (e.g. check) [default: breachline's own page]
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// Output format [default: from the extension of -o]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,

    /// Write to FILE instead of standard output (atomically; see --force); for --format veris,
    /// DIR/ writes one file per incident
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE if it already exists
    #[arg(long, requires = "output")]
    pub force: bool,

    /// CSV only: start with a UTF-8 byte-order mark, so that Excel reads Japanese text correctly
    #[arg(long)]
    pub bom: bool,

    /// iCalendar only: add the timeline's events and impact figures, not only deadlines
    #[arg(long)]
    pub include_events: bool,

    /// Only the items and obligations with this `owner` (repeat for several; case ignored); the
    /// events, impact and sources of their incidents are kept
    #[arg(long, value_name = "NAME")]
    pub owner: Vec<String>,

    /// iCalendar only: a reminder this many days before each deadline
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u16).range(..=3650))]
    pub remind: Option<u16>,

    /// An open item due within this many days is due_soon (as in `status`)
    #[arg(long, value_name = "DAYS", default_value_t = 14, value_parser = clap::value_parser!(u16))]
    pub soon: u16,
}

fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    crate::date::parse_day(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }
}
