//! Finding incident files, reading them and turning them into checked incidents.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::thread;

use sha2::Digest as _;

use crate::diagnostic::{Diagnostic, FieldPath, Location, Severity};
use crate::model::Incident;
use crate::validate::validate;
use crate::yaml;

/// Files above this size are refused unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    pub max_file_size: u64,
    /// Compute the SHA-256 of each file (for export provenance); off so that checking
    /// thousands of files pays nothing for it.
    pub digest: bool,
    /// How many files to read and check at once.
    pub jobs: NonZeroUsize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            digest: false,
            jobs: default_jobs(),
        }
    }
}

/// One job per core the process may use.
pub fn default_jobs() -> NonZeroUsize {
    thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// One input file: its incident if it parsed, and everything found wrong with it.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    /// The path as the user will recognise it in messages.
    pub display: String,
    pub incident: Option<Incident>,
    pub diagnostics: Vec<Diagnostic>,
    /// SHA-256 of the bytes read, when [`LoadOptions::digest`] asked for it.
    pub sha256: Option<[u8; 32]>,
}

impl Document {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}

/// All inputs of a run, in path order.
#[derive(Debug, Clone, Default)]
pub struct Portfolio {
    pub documents: Vec<Document>,
    /// Problems with the paths themselves (missing, empty directory, unreadable).
    pub path_problems: Vec<Diagnostic>,
}

impl Portfolio {
    pub fn has_errors(&self) -> bool {
        !self.path_problems.is_empty() || self.documents.iter().any(Document::has_errors)
    }

    /// The incidents that parsed, in path order.
    pub fn incidents(&self) -> impl Iterator<Item = (&Document, &Incident)> {
        self.documents
            .iter()
            .filter_map(|d| d.incident.as_ref().map(|i| (d, i)))
    }

    /// Every diagnostic, path problems first, then file by file.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.path_problems
            .iter()
            .chain(self.documents.iter().flat_map(|d| d.diagnostics.iter()))
    }
}

/// Reads every incident file under `paths`.
pub fn load(paths: &[PathBuf], options: LoadOptions) -> Portfolio {
    let (files, path_problems) = discover(paths);
    let mut documents = load_files(&files, options);
    duplicate_incident_ids(&mut documents);
    Portfolio {
        documents,
        path_problems,
    }
}

/// Loads `files` on up to `options.jobs` threads; the documents come back in the order of `files`,
/// whatever the number of threads, so that every output and message is the same. Each thread
/// holds only the file it is reading, so memory does not grow with the number of files beyond
/// their parsed incidents.
pub fn load_files(files: &[PathBuf], options: LoadOptions) -> Vec<Document> {
    crate::parallel::map(files, options.jobs, |path| load_file(path, options))
}

fn is_incident_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Expands directories (recursively, sorted, hidden entries skipped) into incident files.
/// A file named explicitly is read whatever its extension.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        let shown = root.display().to_string();
        match fs::metadata(root) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => problems.push(
                Diagnostic::error(shown, "no such file or directory")
                    .with_help("check the path; with no PATH breachline reads ./incidents"),
            ),
            Err(e) => problems.push(Diagnostic::error(shown, format!("cannot read: {e}"))),
            Ok(meta) if meta.is_dir() => {
                let before = files.len();
                let walker = walkdir::WalkDir::new(root)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    });
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_file() && is_incident_file(e.path()) => {
                            files.push(e.into_path())
                        }
                        Ok(_) => {}
                        Err(e) => {
                            let at = e
                                .path()
                                .map_or_else(|| shown.clone(), |p| p.display().to_string());
                            let message = if e.loop_ancestor().is_some() {
                                "symbolic link loop: this directory links back to one of its parents; skipped".to_owned()
                            } else {
                                match e.io_error() {
                                    Some(io) => format!("cannot read: {io}"),
                                    None => format!("cannot read: {e}"),
                                }
                            };
                            problems.push(Diagnostic::error(at, message));
                        }
                    }
                }
                if files.len() == before {
                    problems.push(
                        Diagnostic::error(
                            shown,
                            "no incident files (*.yaml, *.yml) in this directory",
                        )
                        .with_help(
                            "create one with `breachline new FILE`, or name the files to read",
                        ),
                    );
                }
            }
            Ok(_) => files.push(root.clone()),
        }
    }
    (files, problems)
}

/// Reads, parses and validates one file. Never fails: problems become diagnostics.
pub fn load_file(path: &Path, options: LoadOptions) -> Document {
    let display = path.display().to_string();
    let mut doc = Document {
        path: path.to_owned(),
        display: display.clone(),
        incident: None,
        diagnostics: Vec::new(),
        sha256: None,
    };
    let bytes = match read_capped(path, options.max_file_size) {
        Ok(b) => b,
        Err(d) => {
            doc.diagnostics.push(*d);
            return doc;
        }
    };
    if options.digest {
        doc.sha256 = Some(sha2::Sha256::digest(&bytes).into());
    }
    let text = match decode(&display, &bytes) {
        Ok(t) => t,
        Err(d) => {
            doc.diagnostics.push(*d);
            return doc;
        }
    };
    match parse(&display, text) {
        Ok(incident) => {
            let findings = validate(&incident);
            // Placed in one pass over the file, however many there are: a generated file can
            // have a warning on each of 100,000 entries.
            let paths: Vec<&FieldPath> = findings.iter().map(|f| &f.path).collect();
            let locations = yaml::locate_all(text, &paths);
            let lines: Vec<&str> = if findings.is_empty() {
                Vec::new()
            } else {
                text.lines().collect()
            };
            for (finding, location) in findings.into_iter().zip(locations) {
                let mut d = Diagnostic::error(&display, finding.message);
                d.severity = finding.severity;
                d.help = finding.help;
                if let Some(location) = location {
                    let line = location.line.checked_sub(1).and_then(|i| lines.get(i));
                    d = d.at_line(line.copied(), location);
                }
                doc.diagnostics.push(d);
            }
            // Read top to bottom, like the file; unlocated ones last.
            doc.diagnostics
                .sort_by_key(|d| d.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
            doc.incident = Some(incident);
        }
        Err(d) => doc.diagnostics.push(*d),
    }
    doc
}

fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    let display = path.display().to_string();
    let cannot = |e: io::Error| Box::new(Diagnostic::error(&display, format!("cannot read: {e}")));
    let meta = fs::metadata(path).map_err(cannot)?;
    if meta.len() > max {
        return Err(Box::new(
            Diagnostic::error(
                &display,
                format!(
                    "file is {} bytes, more than the limit of {max} bytes",
                    meta.len()
                ),
            )
            .with_help("split the incident, or raise the limit with --max-file-size BYTES"),
        ));
    }
    fs::read(path).map_err(cannot)
}

/// Checks the encoding: UTF-8, with an optional byte-order mark.
fn decode<'a>(display: &str, bytes: &'a [u8]) -> Result<&'a str, Box<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Box::new(
            Diagnostic::error(display, "file is UTF-16 text; breachline reads UTF-8")
                .with_help("save the file as UTF-8 (most editors offer it under \"encoding\")"),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        let mut d = Diagnostic::error(
            display,
            format!(
                "file is not UTF-8 text: invalid byte 0x{:02X} at line {line}, column {column}",
                bytes[e.valid_up_to()]
            ),
        )
        .with_help(
            "save the file as UTF-8; if it is not an incident file, move it out of the directory",
        );
        d.location = Some(Location { line, column });
        Box::new(d)
    })
}

fn parse(display: &str, text: &str) -> Result<Incident, Box<Diagnostic>> {
    let content = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    if content.is_none() {
        let what = if text.trim().is_empty() {
            "file is empty"
        } else {
            "file holds only comments"
        };
        return Err(Box::new(
            Diagnostic::error(display, format!("{what}: no incident in it"))
                .with_help("an incident needs at least format, id, title, organization, service, reviewed and sources; `breachline new FILE` writes a skeleton"),
        ));
    }
    yaml::parse_incident(text).map_err(|e| {
        let help = help_for(&e.message);
        let mut d = Diagnostic::error(display, e.message);
        if let Some(location) = e.location {
            d = d.at(text, location);
        }
        if let Some(help) = help {
            d = d.with_help(help);
        }
        Box::new(d)
    })
}

/// Advice for the parser's own messages, which say what is wrong but not what to do.
fn help_for(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some("check the spelling of the key; the keys allowed here are listed above (see docs/format.md)".into())
    } else if message.contains("missing field") {
        Some("add the key; docs/format.md lists which keys are required".into())
    } else if message.contains("unknown variant") {
        Some("use one of the values listed above".into())
    } else if message.contains("duplicate field") {
        Some("a key may appear once in a mapping: remove or rename one of them".into())
    } else if message.contains("found character that cannot start any token")
        || message.contains("tab")
    {
        Some("YAML indents with spaces, not tabs".into())
    } else if message.contains("recursion limit exceeded") {
        Some("the document nests too deeply; incident files need only a few levels".into())
    } else if message.contains("repetition limit exceeded") {
        Some("the document expands aliases too many times (a \"billion laughs\" pattern?)".into())
    } else {
        None
    }
}

/// Two files describing the same incident id would be counted twice; the later one is wrong.
fn duplicate_incident_ids(documents: &mut [Document]) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for doc in documents.iter_mut() {
        let Some(incident) = &doc.incident else {
            continue;
        };
        let id = incident.id.as_str().to_owned();
        if let Some(first) = seen.get(&id) {
            let mut d = Diagnostic::error(
                &doc.display,
                format!("incident id `{id}` is already used by {first}"),
            )
            .with_help("each incident file needs its own `id`");
            if let Ok(text) = fs::read_to_string(&doc.path) {
                if let Some(l) = yaml::locate(&text, &FieldPath::root().key("id")) {
                    d = d.at(&text, l);
                }
            }
            doc.diagnostics.push(d);
        } else {
            seen.insert(id, doc.display.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_of_the_bytes_read_and_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.yaml");
        fs::write(&path, "abc").unwrap();
        assert_eq!(load_file(&path, LoadOptions::default()).sha256, None);
        let doc = load_file(
            &path,
            LoadOptions {
                digest: true,
                ..LoadOptions::default()
            },
        );
        // The SHA-256 of "abc" (FIPS 180-2, appendix B.1), even though "abc" is no incident.
        assert_eq!(
            crate::export::provenance::hex(&doc.sha256.unwrap()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(doc.has_errors());
    }
}
