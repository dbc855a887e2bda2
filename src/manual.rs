//! Generated from the command-line definition: the manual pages and shell completions.

use crate::cli;
use crate::error::Error;

/// The manual page of `breachline`, or of one of its commands (`breachline-check(1)`), in roff.
pub fn man_page(command: Option<&str>) -> Result<String, Error> {
    let mut cli = cli::command().disable_help_subcommand(true);
    // Building gives subcommands their full names (`breachline-check`, `breachline check`).
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => cli.find_subcommand(name).cloned().ok_or_else(|| {
            Error::Usage(format!(
                "no command `{}`; the commands are: {}",
                crate::sanitize::for_terminal(name),
                commands().join(", ")
            ))
        })?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(Error::Stdout)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The commands that have a manual page of their own.
pub fn commands() -> Vec<String> {
    cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect()
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cli::command(), "breachline", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_that_names_it() {
        let pages = commands();
        assert!(pages.contains(&"check".to_owned()), "{pages:?}");
        for name in pages {
            let page = man_page(Some(&name)).unwrap();
            assert!(
                page.contains(&format!(".TH breachline-{name} 1 ")),
                "{name}: {}",
                page.lines().take(4).collect::<Vec<_>>().join("\n")
            );
        }
        assert!(man_page(Some("nope")).is_err());
    }
}
