//! Errors that stop a run. Problems inside input files are diagnostics, not errors: they are
//! collected and reported all together.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{files} input file{} with errors; nothing was rendered (see above, or run `breachline validate`)", if *.files == 1 { "" } else { "s" })]
    InvalidInput { files: usize },

    #[error("cannot write to standard output: {0}")]
    Stdout(#[source] io::Error),

    /// The output held back until every input is checked did not fit in the temporary file.
    #[error("cannot hold the output back in a temporary file: {0}; nothing was written (set TMPDIR to a directory with room)")]
    Spool(#[source] io::Error),

    /// Formatting a view failed; a bug rather than bad input.
    #[error("cannot format the output: {0}")]
    Render(#[source] io::Error),

    /// Formatting an export failed; a bug rather than bad input.
    #[error("cannot format the export: {0}")]
    Export(String),

    /// A usage problem clap cannot see, such as a format it cannot infer.
    #[error("{0}")]
    Usage(String),

    #[error(
        "{} already exists; nothing was written (pass --force to replace it)",
        crate::load::display_path(path)
    )]
    OutputExists { path: PathBuf },

    #[error(
        "cannot write {}: {source}; nothing was written",
        crate::load::display_path(path)
    )]
    Output {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("no incident has the id `{id}` (the ids read are: {})", if known.is_empty() { "none".to_owned() } else { known.join(", ") })]
    UnknownIncident { id: String, known: Vec<String> },

    #[error("no reporting rule is of the jurisdiction `{jurisdiction}` (the rules' jurisdictions are: {})", list_of(known))]
    UnknownJurisdiction {
        jurisdiction: String,
        known: Vec<String>,
    },

    #[error("no remediation item or reporting obligation has the owner `{owner}` (the owners named are: {})", list_of(known))]
    UnknownOwner { owner: String, known: Vec<String> },

    #[error(
        "{path} already exists: `breachline new` never overwrites a file; choose another name"
    )]
    Exists { path: String },
}

/// At most 20 values, then how many more: a list in a message stays short.
fn list_of(values: &[String]) -> String {
    const SHOWN: usize = 20;
    if values.is_empty() {
        return "none".to_owned();
    }
    let mut out = values
        .iter()
        .take(SHOWN)
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > SHOWN {
        out.push_str(&format!(" and {} more", values.len() - SHOWN));
    }
    out
}

impl Error {
    /// Writing into a closed pipe (`breachline timeline | head -1`) is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Stdout(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    pub fn exit_code(&self) -> u8 {
        2
    }
}
