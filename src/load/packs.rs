//! Rule packs: a team's own reporting rules (`*.rules.yaml`), kept beside its incidents and
//! read before them, so that any incident can name them. A pack is read like an incident
//! file (size cap, encoding, bounds) and its problems are errors at their line and column.

use std::path::{Path, PathBuf};

use super::read::{decode, read_capped};
use crate::diagnostic::Diagnostic;
use crate::rule::{self, Rule};
use crate::yaml;

/// True for a rule pack's file name.
pub fn is_pack(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".rules.yaml") || n.ends_with(".rules.yml"))
}

/// Reads the packs among `files`, checks them, and makes them part of this process's rule
/// library ([`rule::install_packs`]). Returns the problems found; a pack with any is left out.
pub fn install(files: &[PathBuf], max_file_size: u64) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut packs: Vec<(Vec<Rule>, Vec<u8>)> = Vec::new();
    for path in files.iter().filter(|p| is_pack(p)) {
        let display = super::display_path(path);
        match read(path, &display, max_file_size) {
            Ok((rules, bytes)) => {
                // Names must be unique across the built-in rules and every pack read so far.
                if let Some(clash) = rules.iter().find(|r| {
                    packs
                        .iter()
                        .any(|(other, _)| other.iter().any(|o| o.id == r.id))
                }) {
                    problems.push(
                        Diagnostic::error(
                            &display,
                            format!("rule `{}` is also defined in another rule pack", clash.id),
                        )
                        .with_help("each rule has one name across all packs: rename one of them"),
                    );
                    continue;
                }
                packs.push((rules, bytes));
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    rule::install_packs(packs);
    problems
}

fn read(
    path: &Path,
    display: &str,
    max_file_size: u64,
) -> Result<(Vec<Rule>, Vec<u8>), Vec<Diagnostic>> {
    let bytes = read_capped(path, max_file_size).map_err(|d| vec![*d])?;
    let text = decode(display, &bytes).map_err(|d| vec![*d])?;
    let file = yaml::parse_rules(text).map_err(|e| {
        let d = Diagnostic::error(display, e.message).with_help(
            e.help
                .unwrap_or("a rule pack lists rules under `rules:`, each with the keys docs/obligations.md describes"),
        );
        vec![match e.location {
            Some(at) => d.at(text, at),
            None => d,
        }]
    })?;
    let found = rule::check_pack(&file, rule::builtin());
    if !found.is_empty() {
        return Err(found
            .into_iter()
            .map(|p| {
                let d = Diagnostic::error(display, p.message).with_help(p.help);
                match yaml::locate(text, &p.path) {
                    Some(at) => d.at(text, at),
                    None => d,
                }
            })
            .collect());
    }
    let bytes = text.as_bytes().to_vec();
    Ok((file.rules, bytes))
}
