//! Incident files as committed at a git revision, for `diff --since REV`: read through the
//! `git` command, so that any repository git can read (worktrees, submodules, packed refs)
//! works without a second implementation of git.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::load::{load_bytes, Document, LoadOptions, Portfolio};

/// Runs git in the current directory; its standard output, or what it said on failure.
fn git(args: &[&OsStr]) -> Result<Vec<u8>, Error> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| Error::Usage(format!("cannot run git for --since: {e}")))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let said = String::from_utf8_lossy(&out.stderr);
        Err(Error::Usage(format!(
            "git could not read the revision: {}",
            crate::sanitize::for_terminal(said.trim())
        )))
    }
}

/// The `*.yaml`/`*.yml` files under `paths` (relative to the current directory, as the
/// working-tree side reads them) as committed at `rev`, loaded and validated like files on
/// disk. A file larger than `--max-file-size` is refused before it is read.
pub fn load_at(rev: &str, paths: &[PathBuf], options: LoadOptions) -> Result<Portfolio, Error> {
    if rev.starts_with('-') {
        return Err(Error::Usage(format!(
            "`{rev}` is not a revision: give a commit, branch or tag such as HEAD~1"
        )));
    }
    // Fails clearly outside a repository and for an unknown revision.
    git(&[
        "rev-parse".as_ref(),
        "--verify".as_ref(),
        "--quiet".as_ref(),
        format!("{rev}^{{commit}}").as_ref(),
    ])
    .map_err(|_| Error::Usage(format!("`{rev}` is not a commit of this git repository")))?;
    let mut args: Vec<&OsStr> = vec![
        "ls-tree".as_ref(),
        "-r".as_ref(),
        "-z".as_ref(),
        "--full-name".as_ref(),
        "--name-only".as_ref(),
        rev.as_ref(),
        "--".as_ref(),
    ];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    let listed = git(&args)?;
    let mut documents = Vec::new();
    for name in listed.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let yaml = Path::new(&name)
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml");
        if !yaml {
            continue;
        }
        let object = format!("{rev}:{name}");
        let size = git(&["cat-file".as_ref(), "-s".as_ref(), object.as_ref()])?;
        let size: u64 = String::from_utf8_lossy(&size)
            .trim()
            .parse()
            .unwrap_or(u64::MAX);
        if size > options.max_file_size {
            return Err(Error::Usage(format!(
                "{object} is {size} bytes, more than --max-file-size ({})",
                options.max_file_size
            )));
        }
        let bytes = git(&["cat-file".as_ref(), "blob".as_ref(), object.as_ref()])?;
        documents.push(load_bytes(Path::new(&object), &bytes, options));
    }
    check_unique_ids(&mut documents);
    Ok(Portfolio {
        documents,
        path_problems: Vec::new(),
    })
}

/// Two files at the revision with one incident id are an error there as on disk.
fn check_unique_ids(documents: &mut [Document]) {
    let mut seen = std::collections::HashSet::new();
    for doc in documents.iter_mut() {
        let Some(incident) = &doc.incident else {
            continue;
        };
        if !seen.insert(incident.id.as_str().to_owned()) {
            let id = incident.id.to_string();
            doc.diagnostics.push(crate::diagnostic::Diagnostic::error(
                &doc.display,
                format!("incident id `{id}` is used by another file at this revision"),
            ));
        }
    }
}
