//! Incident files as committed at a git revision, for `diff --since REV`: read through the
//! `git` command, so that any repository git can read (worktrees, submodules, packed refs)
//! works without a second implementation of git.
//!
//! The repository is untrusted input: in CI it is a stranger's pull request, and its
//! `.git/config` may plant commands (a partial clone whose `remote.origin.uploadpack` runs on
//! the next lazy fetch, an fsmonitor, a pager, hooks, diff drivers). Every git call here runs
//! with fetching, hooks, pagers, external diffs, textconv and fsmonitor switched off (see
//! `git()` here and docs/limits.md), and only plumbing commands that run none of them: `rev-parse`,
//! `ls-tree`, and one `cat-file --batch` for all the blobs.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::load::{display_path, load_bytes, too_big_document, Document, LoadOptions, Portfolio};

/// `git` with everything a repository's configuration could make it run switched off. Options
/// a git older than the one that knows them ignores are passed in the environment.
fn git() -> Command {
    let mut cmd = Command::new("git");
    cmd.args([
        "--no-pager",
        // Lazy fetching of a partial clone's missing objects runs `remote.*.uploadpack` (and
        // any transport); no protocol is allowed, and lazy fetching is off (git ≥ 2.44 reads
        // GIT_NO_LAZY_FETCH).
        "-c",
        "protocol.allow=never",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "core.pager=cat",
        "-c",
        "diff.external=",
        "-c",
        "core.sshCommand=false",
        "-c",
        "credential.helper=",
    ])
    .env("GIT_NO_LAZY_FETCH", "1")
    .env("GIT_TERMINAL_PROMPT", "0")
    .env("GIT_PAGER", "cat")
    .env("GIT_OPTIONAL_LOCKS", "0")
    // The paths given are paths, never pathspec magic such as `:(exclude)`.
    .env("GIT_LITERAL_PATHSPECS", "1")
    .env("GIT_ALLOW_PROTOCOL", "")
    .env_remove("GIT_EXTERNAL_DIFF")
    .env_remove("GIT_ASKPASS")
    .env_remove("SSH_ASKPASS");
    cmd
}

/// Runs git in the current directory; its standard output, or what it said on failure.
fn run(args: &[&OsStr]) -> Result<Vec<u8>, Error> {
    let out = git()
        .args(args)
        .stdin(Stdio::null())
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

/// One entry of `git ls-tree -l`: what to read and how to name it.
struct Entry {
    object: String,
    /// Unknown when the object is missing (git shows `BAD`).
    size: Option<u64>,
    /// The name as git gives it (bytes: names need not be UTF-8).
    name: Vec<u8>,
}

/// The `*.yaml`/`*.yml` files under `paths` (relative to the current directory, as the
/// working-tree side reads them) as committed at `rev`, loaded and validated like files on
/// disk. A file larger than `--max-file-size` is refused before it is read.
///
/// As at the working tree, hidden entries are passed over, and so are symbolic links (at a
/// revision a link is the text of its target: the file it names, if inside, is read under its
/// own name, as the working tree reads it once) and submodules (a commit, not a file).
pub fn load_at(rev: &str, paths: &[PathBuf], options: LoadOptions) -> Result<Portfolio, Error> {
    let shown = crate::sanitize::for_terminal(rev).into_owned();
    if rev.starts_with('-') {
        return Err(Error::Usage(format!(
            "`{shown}` is not a revision: give a commit, branch or tag such as HEAD~1"
        )));
    }
    let not_a_commit = || Error::Usage(format!("`{shown}` is not a commit of this git repository"));
    // Resolved once, then peeled to its commit: `:/text` (the newest commit whose message
    // holds "text") cannot take a `^{commit}` suffix, which it would read as part of the text.
    let object = run(&[
        "rev-parse".as_ref(),
        "--verify".as_ref(),
        "--quiet".as_ref(),
        "--end-of-options".as_ref(),
        rev.as_ref(),
    ])
    .map_err(|_| not_a_commit())?;
    let object = String::from_utf8_lossy(&object).trim().to_owned();
    let commit = run(&[
        "rev-parse".as_ref(),
        "--verify".as_ref(),
        "--quiet".as_ref(),
        format!("{object}^{{commit}}").as_ref(),
    ])
    .map_err(|_| not_a_commit())?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();
    let mut args: Vec<&OsStr> = vec![
        "ls-tree".as_ref(),
        "-r".as_ref(),
        "-z".as_ref(),
        "-l".as_ref(),
        "--full-name".as_ref(),
        commit.as_ref(),
        "--".as_ref(),
    ];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    let listed = run(&args)?;
    let mut entries = Vec::new();
    for line in listed.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let Some(entry) = parse_entry(line) else {
            continue;
        };
        entries.push(entry);
    }
    // Refused by size before they are read, as on disk.
    let too_big = |e: &Entry| e.size.is_some_and(|size| size > options.max_file_size);
    // Every blob first (git answers faster than files are checked), then checked on
    // `--jobs` threads as files on disk are: what is held is the size of the input.
    let (entries, refused): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| !too_big(e));
    let blobs = read_blobs(&entries)?;
    let mut documents = Vec::with_capacity(entries.len());
    crate::parallel::for_each(
        &blobs,
        options.jobs,
        |(entry, blob)| {
            let path = PathBuf::from(format!("{shown}:{}", shown_name(&entry.name)));
            match blob {
                Some(bytes) => load_bytes(&path, bytes, options),
                None => missing(&path),
            }
        },
        |doc| documents.push(doc),
    );
    for entry in &refused {
        let path = PathBuf::from(format!("{shown}:{}", shown_name(&entry.name)));
        let size = entry.size.unwrap_or(u64::MAX);
        documents.push(too_big_document(&path, size, options.max_file_size));
    }
    // In path order, as on disk.
    documents.sort_by(|a, b| a.path.cmp(&b.path));
    check_unique_ids(&mut documents);
    Ok(Portfolio {
        documents,
        path_problems: Vec::new(),
    })
}

/// `<mode> SP <type> SP <object> SP+ <size> TAB <name>`: a regular file named `*.yaml` or
/// `*.yml` with no hidden part; anything else (links, submodules, other files) is `None`.
fn parse_entry(line: &[u8]) -> Option<Entry> {
    let tab = line.iter().position(|&b| b == b'\t')?;
    let (head, name) = (&line[..tab], &line[tab + 1..]);
    let head = std::str::from_utf8(head).ok()?;
    let mut fields = head.split_ascii_whitespace();
    let (mode, kind, object, size) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    if kind != "blob" || !matches!(mode, "100644" | "100755") {
        return None;
    }
    let incident = name.ends_with(b".yaml") || name.ends_with(b".yml");
    let hidden = name
        .split(|&b| b == b'/')
        .any(|part| part.starts_with(b"."));
    if !incident || hidden {
        return None;
    }
    Some(Entry {
        object: object.to_owned(),
        size: size.parse().ok(),
        name: name.to_owned(),
    })
}

/// A name from git as messages show names on disk: bytes that are not UTF-8 as `\xNN`.
fn shown_name(name: &[u8]) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        display_path(Path::new(OsStr::from_bytes(name)))
    }
    #[cfg(not(unix))]
    {
        display_path(Path::new(&*String::from_utf8_lossy(name)))
    }
}

fn missing(path: &Path) -> Document {
    let mut doc = load_bytes(path, b"", LoadOptions::default());
    doc.diagnostics = vec![Diagnostic::error(
        &doc.display,
        "this file's contents are not in the local repository (a partial or shallow clone): breachline never fetches",
    )
    .with_help("fetch the revision first (`git fetch`), or compare with a revision that is present")];
    doc
}

/// An entry and its contents, `None` when the repository lacks them.
type Blob<'a> = (&'a Entry, Option<Vec<u8>>);

/// Reads every entry's blob through one `git cat-file --batch`, in order (`None` for an
/// object missing from the repository).
fn read_blobs(entries: &[Entry]) -> Result<Vec<Blob<'_>>, Error> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let cannot = |e: std::io::Error| Error::Usage(format!("cannot run git for --since: {e}"));
    let mut child = git()
        .args(["cat-file", "--batch", "--buffer"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(cannot)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(Error::Usage("cannot run git for --since".into()));
    };
    let mut out = BufReader::new(stdout);
    let result = std::thread::scope(|scope| {
        // Written from a thread: git answers as it reads, and a pipe holds only so much.
        scope.spawn(move || {
            for entry in entries {
                if writeln!(stdin, "{}", entry.object).is_err() {
                    break;
                }
            }
        });
        let mut blobs = Vec::with_capacity(entries.len());
        let mut header = String::new();
        for entry in entries {
            header.clear();
            out.read_line(&mut header).map_err(cannot)?;
            let fields: Vec<&str> = header.split_ascii_whitespace().collect();
            match fields.as_slice() {
                [_, "missing"] => blobs.push((entry, None)),
                [_, "blob", size] => {
                    let size: u64 = size
                        .parse()
                        .map_err(|_| Error::Usage("git cat-file answered oddly".into()))?;
                    let mut blob = Vec::with_capacity(usize::try_from(size + 1).unwrap_or(0));
                    // The size and the newline after the contents.
                    (&mut out)
                        .take(size + 1)
                        .read_to_end(&mut blob)
                        .map_err(cannot)?;
                    if blob.len() as u64 != size + 1 {
                        return Err(Error::Usage("git cat-file ended early".into()));
                    }
                    blob.pop();
                    blobs.push((entry, Some(blob)));
                }
                _ => {
                    return Err(Error::Usage(format!(
                        "git cat-file answered oddly: {}",
                        crate::sanitize::for_terminal(header.trim())
                    )))
                }
            }
        }
        Ok(blobs)
    });
    // Whatever happened, git is not left running.
    drop(out);
    let _ = child.kill();
    let _ = child.wait();
    result
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
