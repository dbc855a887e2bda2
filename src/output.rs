//! Writing an export to a file: all or nothing, and never over a file the user did not offer.
//!
//! The bytes go to a temporary file in the target's directory (so the final rename stays on
//! one file system and is atomic), which is renamed over the target only once complete. A
//! failure at any step drops the temporary file: no partial export is ever left behind.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::error::Error;

/// Writes `bytes` to `path`. An existing `path` is an error unless `force`; with `force` it is
/// replaced (its permissions kept), never written into.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    // tempfile's errors name its own hidden temporary file, which the user never named: the
    // message names the file asked for instead.
    let fail = |source: io::Error| Error::Output {
        path: path.to_owned(),
        source: io::Error::new(source.kind(), strip_tempfile_path(&source)),
    };
    // `symlink_metadata`: a dangling symbolic link is something the user has there too.
    let existing = fs::symlink_metadata(path).ok();
    // A link is never replaced (the rename would put a file where the link was: run as root,
    // `-o /dev/stdout --force` replaced the system's link) nor written through (the target may
    // be anywhere, and is not what the user named).
    if existing
        .as_ref()
        .is_some_and(|m| m.file_type().is_symlink())
    {
        return Err(fail(io::Error::other(
            "it is a symbolic link, which breachline neither replaces nor writes through (--force or not); name the file it points to, or leave out -o to write to standard output",
        )));
    }
    if existing.is_some() {
        // Through a symbolic link too: a report must not replace a directory, a device such
        // as /dev/stdout, or a pipe, even with --force.
        if let Ok(target) = fs::metadata(path) {
            if target.is_dir() {
                return Err(fail(io::Error::other("it is a directory")));
            }
            if !target.is_file() {
                return Err(fail(io::Error::other(
                    "it is not a regular file (a device or a pipe?); leave out -o to write to standard output",
                )));
            }
        }
        if !force {
            return Err(Error::OutputExists {
                path: path.to_owned(),
            });
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".breachline-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As a plain file would be created (the umask applies), not tempfile's owner-only 0600.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    // tempfile's error names its own temporary file: say which folder is missing instead.
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| match fs::metadata(dir) {
            Err(missing) if missing.kind() == io::ErrorKind::NotFound => fail(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "the folder {} does not exist (create it first, e.g. mkdir -p {})",
                    crate::load::display_path(dir),
                    crate::load::display_path(dir)
                ),
            )),
            Ok(meta) if !meta.is_dir() => fail(io::Error::other(format!(
                "{} is not a folder",
                crate::load::display_path(dir)
            ))),
            _ => fail(io::Error::new(e.kind(), strip_tempfile_path(&e))),
        })?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    if let Some(meta) = existing.filter(|m| m.is_file()) {
        fs::set_permissions(tmp.path(), meta.permissions()).map_err(fail)?;
    }
    let persisted = if force {
        tmp.persist(path)
    } else {
        // The check above and this rename are not one step: another process may have created
        // the file in between, and it must not be clobbered either.
        tmp.persist_noclobber(path)
    };
    match persisted {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists && !force => {
            Err(Error::OutputExists {
                path: path.to_owned(),
            })
        }
        Err(e) => Err(fail(e.error)),
    }
}

/// tempfile's message without the ` at path "..."` it appends: the path is its own temporary
/// file, which the user never named.
fn strip_tempfile_path(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" at path \"") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_a_new_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        write_file(&path, b"a,b\r\n", false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a,b\r\n");
        assert_eq!(names(dir.path()), ["report.csv"]);
    }

    #[test]
    fn an_existing_file_is_kept_without_force_and_replaced_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        fs::write(&path, "mine").unwrap();
        let e = write_file(&path, b"new", false).unwrap_err();
        assert!(matches!(e, Error::OutputExists { .. }), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "mine");
        write_file(&path, b"new", true).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["report.csv"]);
    }

    #[cfg(unix)]
    #[test]
    fn replacing_keeps_the_permissions_and_new_files_are_not_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        write_file(&path, b"x", false).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_ne!(
            mode, 0o600,
            "a report is a normal file, not a temporary one"
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_file(&path, b"y", true).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn a_directory_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_file(dir.path(), b"x", true).unwrap_err();
        assert!(e.to_string().contains("it is a directory"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_never_replaced() {
        let e = write_file(Path::new("/dev/null"), b"x", true).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_neither_replaced_nor_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.csv");
        fs::write(&target, "mine").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink(dir.path().join("nowhere.csv"), &dangling).unwrap();
        for path in [&link, &dangling] {
            for force in [false, true] {
                let e = write_file(path, b"new", force).unwrap_err();
                assert!(e.to_string().contains("symbolic link"), "{e}");
                assert!(fs::symlink_metadata(path).unwrap().file_type().is_symlink());
            }
        }
        assert_eq!(fs::read_to_string(&target).unwrap(), "mine");
        assert_eq!(
            names(dir.path()),
            ["dangling.csv", "link.csv", "target.csv"]
        );
    }

    #[test]
    fn a_missing_directory_fails_without_leaving_anything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/report.csv");
        let e = write_file(&path, b"x", false).unwrap_err();
        assert!(matches!(e, Error::Output { .. }), "{e}");
        assert!(names(dir.path()).is_empty());
        let message = e.to_string();
        assert!(
            message.contains("no/such/dir does not exist") && !message.contains(".breachline-"),
            "{message}"
        );
    }
}
