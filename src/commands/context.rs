//! What every command is run with: the options that apply to all of them, read once.

use std::io::{self, IsTerminal};

use chrono::NaiveDate;

use crate::cli::{ColorWhen, Command, GlobalArgs};
use crate::evaluate::{AsOf, View};
use crate::load::{self, LoadOptions};
use crate::text;

pub struct Context {
    pub as_of: NaiveDate,
    pub view: View,
    pub lang: text::Lang,
    pub color_out: bool,
    pub color_err: bool,
    pub load: LoadOptions,
    pub quiet: bool,
    /// Tables wrap to this many columns; `None` leaves them whole.
    pub width: Option<usize>,
}

impl Context {
    /// The context of a run of `command`; `today` is the day `--as-of` defaults to.
    pub fn new(global: &GlobalArgs, command: &Command, today: NaiveDate) -> Self {
        Context {
            as_of: global.as_of.unwrap_or(today),
            view: if global.hindsight {
                View::Hindsight
            } else {
                View::AsKnown
            },
            lang: global.lang,
            color_out: wants_color(global.color, io::stdout().is_terminal()),
            color_err: wants_color(global.color, io::stderr().is_terminal()),
            load: LoadOptions {
                max_file_size: global.max_file_size,
                jobs: global.jobs.unwrap_or_else(load::default_jobs),
                // Only `validate` and `check` show warnings; placing them costs a second parse.
                locate_warnings: !global.quiet
                    && matches!(command, Command::Validate(_) | Command::Check(_)),
                ..LoadOptions::default()
            },
            quiet: global.quiet,
            width: table_width(global.width),
        }
    }

    pub fn evaluation(&self, soon_days: i64) -> AsOf {
        AsOf {
            date: self.as_of,
            soon_days,
            view: self.view,
        }
    }
}

/// `--width`, else the terminal's width when standard output is one. Into a pipe or a file
/// nothing is wrapped: another program reads it.
fn table_width(asked: Option<u16>) -> Option<usize> {
    asked.map(usize::from).or_else(|| {
        io::stdout()
            .is_terminal()
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten()
    })
}

fn wants_color(when: ColorWhen, terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            let env = |k| std::env::var_os(k).is_some_and(|v| !v.is_empty());
            if env("NO_COLOR") {
                false
            } else if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else {
                terminal && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}
