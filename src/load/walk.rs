//! Finding the incident files under the paths given, by the link policy of docs/limits.md:
//! files and links may come from a stranger's pull request, so a symbolic link is followed
//! only where it stays inside the directory named, and each real file and directory is visited
//! once, however many links lead to it.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::read::{display_path, is_broken_link};
use crate::diagnostic::Diagnostic;

pub(super) fn is_incident_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Expands directories (recursively, in path order, hidden entries skipped) into incident
/// files. A file named explicitly is read whatever its extension.
///
/// A symbolic link met in a directory is followed only if what it resolves to lies inside that
/// directory as named (its real path); a link named on the command line only if it resolves
/// inside the directory holding it. Any other link to an incident file or a directory is a path
/// problem naming the link: what it points to is neither read nor named, so a link to
/// `~/.git-credentials` cannot print a line of it. Each real file is listed once and each real
/// directory walked once (by device and inode), so no arrangement of links multiplies the work;
/// links are followed after the real tree is walked, so a file is listed by its own name when
/// it has one.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut walk = Walk::default();
    for root in paths {
        walk.root(root);
    }
    (walk.files, walk.problems)
}

/// A real file or directory: device and inode.
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(meta: &fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> Option<FileId> {
    None
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    problems: Vec<Diagnostic>,
    /// Every real file listed and directory walked so far.
    seen: HashSet<FileId>,
    /// Files and directories passed over because they were met before.
    repeats: usize,
}

/// The directory named, as the walk below it is bounded by it.
struct Root {
    /// Its real path: links must resolve inside it.
    real: PathBuf,
    /// As messages show it.
    shown: String,
    /// Links met and not yet followed, in the order met.
    links: Vec<PathBuf>,
}

impl Walk {
    fn root(&mut self, path: &Path) {
        let shown = display_path(path);
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound && !is_broken_link(path) => {
                self.problems.push(
                    Diagnostic::error(shown, "no such file or directory")
                        .with_help("check the path; with no PATH breachline reads ./incidents"),
                );
                return;
            }
            Err(e) => return self.cannot_read(path, &e),
        };
        if !meta.is_dir() {
            if is_link(path) {
                // Named, but perhaps in a list a pull request made (the files it changed):
                // held to the directory holding it, as a link found there would be.
                let parent = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                let root = match fs::canonicalize(parent) {
                    Ok(real) => Root {
                        real,
                        shown: display_path(parent),
                        links: Vec::new(),
                    },
                    Err(e) => return self.cannot_read(path, &e),
                };
                if !self.stays_inside(path, &root) {
                    return;
                }
            }
            if file_id(&meta).is_none_or(|id| self.seen.insert(id)) {
                self.files.push(path.to_owned());
            }
            return;
        }
        if file_id(&meta).is_some_and(|id| self.seen.contains(&id)) {
            // Named twice, or inside a directory named before: its files are listed already.
            return;
        }
        let mut root = match fs::canonicalize(path) {
            Ok(real) => Root {
                real,
                shown,
                links: Vec::new(),
            },
            Err(e) => return self.cannot_read(path, &e),
        };
        let (before, repeats) = (self.files.len(), self.repeats);
        self.dir(path, &meta, &mut root);
        // Each link followed may hold more links: the list grows as it is worked through, and
        // ends because each real directory is walked once.
        let mut next = 0;
        while let Some(link) = root.links.get(next).cloned() {
            next += 1;
            self.link(&link, &mut root);
        }
        // Depth first in name order, which is path order; files reached by links join them.
        self.files[before..].sort_unstable();
        // A directory whose files were all listed under another name is not empty.
        if self.files.len() == before && self.repeats == repeats {
            self.problems.push(
                Diagnostic::error(
                    root.shown,
                    "no incident files (*.yaml, *.yml) in this directory",
                )
                .with_help("create one with `breachline new FILE`, or name the files to read"),
            );
        }
    }

    /// Walks `dir` (real metadata `meta`) unless it is already walked: files are listed,
    /// directories walked, links kept in `root` for later.
    fn dir(&mut self, dir: &Path, meta: &fs::Metadata, root: &mut Root) {
        if file_id(meta).is_some_and(|id| !self.seen.insert(id)) {
            self.repeats += 1;
            return;
        }
        let mut entries: Vec<(std::ffi::OsString, PathBuf, fs::FileType)> = match fs::read_dir(dir)
        {
            Ok(read) => {
                let mut entries = Vec::new();
                for entry in read {
                    match entry.and_then(|e| Ok((e.file_name(), e.path(), e.file_type()?))) {
                        Ok(e) => entries.push(e),
                        Err(e) => self.cannot_read(dir, &e),
                    }
                }
                entries
            }
            Err(e) => return self.cannot_read(dir, &e),
        };
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (name, path, kind) in entries {
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            if kind.is_symlink() {
                root.links.push(path);
            } else if kind.is_dir() {
                match fs::metadata(&path) {
                    Ok(meta) => self.dir(&path, &meta, root),
                    Err(e) => self.cannot_read(&path, &e),
                }
            } else if kind.is_file() && is_incident_file(&path) {
                match fs::metadata(&path) {
                    Ok(meta) => self.file(path, &meta),
                    Err(e) => self.cannot_read(&path, &e),
                }
            }
        }
    }

    fn file(&mut self, path: PathBuf, meta: &fs::Metadata) {
        if file_id(meta).is_none_or(|id| self.seen.insert(id)) {
            self.files.push(path);
        } else {
            self.repeats += 1;
        }
    }

    /// A link met in the walk below `root`.
    fn link(&mut self, link: &Path, root: &mut Root) {
        let meta = match fs::metadata(link) {
            Ok(meta) => meta,
            Err(e) => return self.cannot_read(link, &e),
        };
        let read = meta.is_dir() || (meta.is_file() && is_incident_file(link));
        if !read {
            // Not read, wherever it points: no need to judge the link.
            return;
        }
        if !self.stays_inside(link, root) {
            return;
        }
        if meta.is_file() {
            return self.file(link.to_owned(), &meta);
        }
        let walked = file_id(&meta).is_some_and(|id| self.seen.contains(&id));
        if walked && is_loop(link) {
            self.problems.push(Diagnostic::error(
                display_path(link),
                "symbolic link loop: this directory links back to one of its parents; skipped",
            ));
        } else {
            self.dir(link, &meta, root);
        }
    }

    /// Whether `link` resolves inside `root`; if not, says so, naming the link and the root
    /// but never what the link points to.
    fn stays_inside(&mut self, link: &Path, root: &Root) -> bool {
        match fs::canonicalize(link) {
            Ok(target) if target.starts_with(&root.real) => true,
            Ok(_) => {
                self.problems.push(
                    Diagnostic::error(
                        display_path(link),
                        format!(
                            "symbolic link to a place outside `{}`: not followed, and nothing there is read",
                            root.shown
                        ),
                    )
                    .with_help("a link is followed only if it points inside the directory named (docs/limits.md); to read the file, copy it in or name the file itself"),
                );
                false
            }
            Err(e) => {
                self.cannot_read(link, &e);
                false
            }
        }
    }

    fn cannot_read(&mut self, path: &Path, e: &io::Error) {
        let message = if is_broken_link(path) && e.kind() == io::ErrorKind::NotFound {
            "broken symbolic link: what it points to does not exist; skipped".to_owned()
        } else {
            format!("cannot read: {e}")
        };
        self.problems
            .push(Diagnostic::error(display_path(path), message));
    }
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Whether the directory `link` points to holds the link itself.
fn is_loop(link: &Path) -> bool {
    let holder = link.parent().and_then(|p| fs::canonicalize(p).ok());
    let target = fs::canonicalize(link).ok();
    matches!((holder, target), (Some(h), Some(t)) if h.starts_with(&t))
}
