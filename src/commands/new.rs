//! `breachline new`: a commented skeleton, never written over an existing file.

use super::shared::write_stdout;
use super::{Context, EXIT_OK};
use crate::cli::NewArgs;
use crate::error::Error;
use crate::{sanitize, scaffold};

pub fn run(ctx: &Context, args: &NewArgs) -> Result<u8, Error> {
    let text = scaffold::skeleton_for(
        &args.file,
        args.id.as_deref(),
        args.title.as_deref(),
        ctx.as_of,
    )?;
    scaffold::write_new(&args.file, &text)?;
    if !ctx.quiet {
        write_stdout(&format!(
            "created {}: replace its TODOs, then run `breachline validate {}`\n",
            sanitize::for_terminal(&args.file.display().to_string()),
            sanitize::for_terminal(&args.file.display().to_string()),
        ))?;
    }
    Ok(EXIT_OK)
}
