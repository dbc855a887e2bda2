//! `breachline new`: a commented skeleton, never written over an existing file.

use super::shared::write_stdout;
use super::{Context, EXIT_OK};
use crate::cli::NewArgs;
use crate::error::Error;
use crate::scaffold;

pub fn run(ctx: &Context, args: &NewArgs) -> Result<u8, Error> {
    let text = scaffold::skeleton_for(
        &args.file,
        args.id.as_deref(),
        args.title.as_deref(),
        ctx.as_of,
    )?;
    scaffold::write_new(&args.file, &text)?;
    if !ctx.quiet {
        let shown = crate::load::display_path(&args.file);
        // `-x.yaml` would be read as an option: the command suggested names `./-x.yaml`.
        let arg = if shown.starts_with('-') {
            format!("./{shown}")
        } else {
            shown.clone()
        };
        write_stdout(&format!(
            "created {shown}: replace its TODOs, then run `breachline validate {arg}`\n"
        ))?;
    }
    Ok(EXIT_OK)
}
