//! `breachline rules`: the reporting rules breachline knows, and a team's own from the rule
//! packs (`*.rules.yaml`) under the paths given.

use super::shared::{paths, write_stderr, write_stdout};
use super::{Context, EXIT_INVALID, EXIT_OK};
use crate::cli::{Inputs, RulesArgs, RulesFormat};
use crate::diagnostic;
use crate::error::Error;
use crate::load::{self, packs};
use crate::render::rules;
use crate::rule;

pub fn run(ctx: &Context, args: &RulesArgs) -> Result<u8, Error> {
    // Rule packs under the paths; without paths, ./incidents when it is there.
    let inputs = Inputs {
        paths: args.paths.clone(),
    };
    let given = !inputs.paths.is_empty();
    let roots = paths(&inputs);
    let (files, problems) = if given || roots.iter().all(|p| p.exists()) {
        load::discover(&roots)
    } else {
        (Vec::new(), Vec::new())
    };
    // A folder of incidents without packs is no problem here.
    let mut problems: Vec<_> = problems
        .into_iter()
        .filter(|d| !d.message.starts_with("no incident files"))
        .collect();
    problems.extend(packs::install(&files, ctx.load.max_file_size));
    if !problems.is_empty() {
        write_stderr(&diagnostic::render(&problems, ctx.color_err));
        return Ok(EXIT_INVALID);
    }
    let library = rule::library();
    // A misspelt jurisdiction is an error naming the known ones, as a misspelt --owner is.
    if let Some(j) = args
        .jurisdiction
        .iter()
        .find(|j| rules::select(library, std::slice::from_ref(j)).is_empty())
    {
        let mut known: Vec<String> = library
            .rules()
            .iter()
            .map(|r| r.jurisdiction.clone())
            .collect();
        known.sort_unstable();
        known.dedup();
        return Err(Error::UnknownJurisdiction {
            jurisdiction: crate::sanitize::for_terminal(j).into_owned(),
            known,
        });
    }
    let chosen = rules::select(library, &args.jurisdiction);
    let out = match args.format {
        RulesFormat::Table => rules::table(&chosen, ctx.width),
        RulesFormat::Markdown => rules::markdown(&chosen),
        RulesFormat::Json => rules::json(library, &chosen),
    };
    write_stdout(&out)?;
    Ok(EXIT_OK)
}
