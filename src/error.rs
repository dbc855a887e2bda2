//! Errors that stop a run. Problems inside input files are diagnostics, not errors: they are
//! collected and reported all together.

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{files} input file{} with errors; nothing was rendered (see above, or run `breachline validate`)", if *.files == 1 { "" } else { "s" })]
    InvalidInput { files: usize },

    #[error("cannot write to standard output: {0}")]
    Stdout(#[source] io::Error),
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
