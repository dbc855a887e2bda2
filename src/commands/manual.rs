//! `breachline completions` and `breachline man`: generated from the argument definitions.

use super::shared::write_stdout;
use super::EXIT_OK;
use crate::cli::{CompletionsArgs, ManArgs};
use crate::error::Error;
use crate::manual;

pub fn completions(args: &CompletionsArgs) -> Result<u8, Error> {
    write_stdout(&manual::completions(args.shell))?;
    Ok(EXIT_OK)
}

pub fn man(args: &ManArgs) -> Result<u8, Error> {
    write_stdout(&manual::man_page(args.command.as_deref())?)?;
    Ok(EXIT_OK)
}
