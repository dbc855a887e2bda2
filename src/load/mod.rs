//! Finding incident files, reading them and turning them into checked incidents.

mod findings;
pub mod packs;
mod read;
mod walk;

use foldhash::HashMap;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::thread;

use sha2::Digest as _;

use crate::diagnostic::{Anchor, Diagnostic, FieldPath, Location, Severity};
use crate::model::Incident;
use crate::validate::{validate, Finding};
use crate::yaml;
pub use findings::MAX_PER_KIND;
use findings::{add_findings, sort_by_place, NOT_LISTED};
pub use read::display_path;
use read::{decode, read_capped, too_big};
pub use walk::discover;

/// Files above this size are refused unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The most events, remediation items or sources one file may hold. Far above any real
/// incident; it bounds the memory and time a single file can cost.
pub const MAX_ENTRIES: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    pub max_file_size: u64,
    /// Compute the SHA-256 of each file (for export provenance); off so that checking
    /// thousands of files pays nothing for it.
    pub digest: bool,
    /// See [`MAX_ENTRIES`]; lowered only by tests.
    pub max_entries: usize,
    /// How many files to read and check at once.
    pub jobs: NonZeroUsize,
    /// Find where each warning is written (a second parse of the file). Off for commands that
    /// show no warnings: their warnings are still counted, without a place.
    pub locate_warnings: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            digest: false,
            max_entries: MAX_ENTRIES,
            jobs: default_jobs(),
            locate_warnings: true,
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
    /// Where the incident's `id` is written, for problems found across files later.
    pub id_anchor: Option<Anchor>,
    /// SHA-256 of the bytes read, when [`LoadOptions::digest`] asked for it.
    pub sha256: Option<[u8; 32]>,
    /// Warnings past [`MAX_PER_KIND`] of one kind: counted, summarised, not listed.
    pub warnings_not_listed: usize,
    /// Errors likewise.
    pub errors_not_listed: usize,
}

impl Document {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Warnings found, listed or not.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning) + self.warnings_not_listed
    }

    /// Errors found, listed or not.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error) + self.errors_not_listed
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity && !d.message.starts_with(NOT_LISTED))
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

/// Reads every incident file under `paths`, and keeps them all.
pub fn load(paths: &[PathBuf], options: LoadOptions) -> Portfolio {
    let mut documents = Vec::new();
    let path_problems = load_each(
        paths,
        options,
        |_, incident| incident,
        |mut doc, incident| {
            doc.incident = incident;
            documents.push(doc);
        },
    );
    Portfolio {
        documents,
        path_problems,
    }
}

/// [`load`], file by file: `each` gets every document without errors and its incident on the
/// thread that read it, which drops the incident unless `each` returns it; `consume` gets
/// each document (its incident taken) and what `each` made of it, in path order, once the
/// checks across files have run. Memory stays flat however many files there are when `each`
/// keeps little: nothing else of a file is kept but the document's diagnostics.
///
/// Returns the problems with the paths themselves, which come before every document's.
pub fn load_each<R: Send>(
    paths: &[PathBuf],
    options: LoadOptions,
    each: impl Fn(&Document, Incident) -> R + Sync,
    mut consume: impl FnMut(Document, Option<R>) + Send,
) -> Vec<Diagnostic> {
    let (mut files, mut path_problems) = discover(paths);
    // Rule packs first: the incidents may name their rules.
    path_problems.extend(packs::install(&files, options.max_file_size));
    files.retain(|f| !packs::is_pack(f));
    let mut ids = IncidentIds::default();
    crate::parallel::for_each(
        &files,
        options.jobs,
        |path| {
            let mut doc = load_file(path, options);
            let incident = doc.incident.take();
            // Only the id is needed from here on, for the check across files.
            let id = incident.as_ref().map(|i| i.id.clone());
            let made = match incident {
                Some(incident) if !doc.has_errors() => Some(each(&doc, incident)),
                _ => None,
            };
            (doc, id, made)
        },
        |(mut doc, id, made)| {
            if let Some(id) = id {
                ids.check(&mut doc, id.as_str());
            }
            consume(doc, made);
        },
    );
    path_problems
}

/// Reads, parses and validates one file. Never fails: problems become diagnostics.
pub fn load_file(path: &Path, options: LoadOptions) -> Document {
    match read_capped(path, options.max_file_size) {
        Ok(bytes) => load_bytes(path, &bytes, options),
        Err(d) => Document {
            diagnostics: vec![*d],
            ..empty_document(path)
        },
    }
}

/// Decodes, parses and validates the contents of the file at `path`. Never fails, never
/// panics: problems become diagnostics. This is what the fuzz target feeds.
pub fn load_bytes(path: &Path, bytes: &[u8], options: LoadOptions) -> Document {
    let mut doc = empty_document(path);
    let display = doc.display.clone();
    if options.digest {
        doc.sha256 = Some(sha2::Sha256::digest(bytes).into());
    }
    if bytes.len() as u64 > options.max_file_size {
        doc.diagnostics.push(too_big(
            &display,
            Some(bytes.len() as u64),
            options.max_file_size,
        ));
        return doc;
    }
    let text = match decode(&display, bytes) {
        Ok(t) => t,
        Err(d) => {
            doc.diagnostics.push(*d);
            return doc;
        }
    };
    let incident = match parse(&display, text) {
        Ok(incident) => incident,
        Err(refused) => {
            doc.diagnostics = refused.diagnostics;
            if let Some(incident) = refused.repaired {
                let findings = moot_free(validate(&incident), &refused.touched);
                add_findings(&mut doc, text, findings, options.locate_warnings);
            }
            sort_by_place(&mut doc.diagnostics);
            return doc;
        }
    };
    if let Some(d) = too_many_entries(&display, text, &incident, options.max_entries) {
        doc.diagnostics.push(d);
        return doc;
    }
    add_findings(&mut doc, text, validate(&incident), options.locate_warnings);
    sort_by_place(&mut doc.diagnostics);
    doc.incident = Some(incident);
    doc
}

/// A file refused for its size (`size` bytes, over `max`) without reading it, as
/// [`load_file`] refuses one on disk.
pub fn too_big_document(path: &Path, size: u64, max: u64) -> Document {
    let mut doc = empty_document(path);
    doc.diagnostics.push(too_big(&doc.display, Some(size), max));
    doc
}

fn empty_document(path: &Path) -> Document {
    Document {
        path: path.to_owned(),
        display: display_path(path),
        incident: None,
        diagnostics: Vec::new(),
        id_anchor: None,
        sha256: None,
        warnings_not_listed: 0,
        errors_not_listed: 0,
    }
}

/// A cap on list lengths, checked after parsing: parsing is already bounded by the file size,
/// but the time and memory of everything after it grow with the number of entries.
fn too_many_entries(
    display: &str,
    text: &str,
    incident: &Incident,
    max: usize,
) -> Option<Diagnostic> {
    let (key, what, n) = [
        ("events", "events", incident.events.len()),
        (
            "remediation",
            "remediation items",
            incident.remediation.len(),
        ),
        ("sources", "sources", incident.sources.len()),
    ]
    .into_iter()
    .find(|(_, _, n)| *n > max)?;
    let d = Diagnostic::error(
        display,
        format!("the file holds {n} {what}, more than the limit of {max} per file"),
    )
    .with_help("see docs/limits.md");
    let first_too_many = FieldPath::root().key(key).index(max);
    Some(match yaml::locate(text, &first_too_many) {
        Some(l) => d.at(text, l),
        None => d,
    })
}

/// Why a file did not parse, and what it holds once its problems are repaired.
struct Refused {
    diagnostics: Vec<Diagnostic>,
    /// See [`yaml::Collected`].
    repaired: Option<Box<Incident>>,
    touched: Vec<String>,
}

/// The checks beyond parsing on a refused file's repaired incident, less those the repairs
/// make moot: any about an entry with a value repaired, all when a value outside the lists
/// was, and those about ids declared or repeated when an id or a whole entry was.
fn moot_free(findings: Vec<Finding>, touched: &[String]) -> Vec<Finding> {
    let entry = |path: &str| path.find(']').map(|end| path[..=end].to_owned());
    // A time zone repaired (a stand-in zone) moves an instant's day by one at most; the checks that
    // remain (ids, sources, titles, order) are still worth reporting beside it.
    if touched
        .iter()
        .any(|t| entry(t).is_none() && t.as_str() != "timezone")
    {
        return Vec::new();
    }
    let entries: Vec<String> = touched.iter().filter_map(|t| entry(t)).collect();
    // The lists whose ids may have changed: `sources` for `sources[2].id` or `sources[2]`.
    let ids_touched: Vec<&str> = touched
        .iter()
        .filter(|t| t.ends_with(".id") || t.ends_with(']'))
        .filter_map(|t| t.split('[').next())
        .map(|list| list.trim_end_matches('s'))
        .collect();
    findings
        .into_iter()
        .filter(|f| {
            let path = f.path.to_string();
            let about_ids = f.message.contains("is not declared")
                || f.message.contains("duplicate")
                || f.message.contains("already");
            let moot_ids = about_ids && ids_touched.iter().any(|l| f.message.contains(l));
            !entry(&path).is_some_and(|e| entries.contains(&e)) && !moot_ids
        })
        .collect()
}

fn parse(display: &str, text: &str) -> Result<Incident, Refused> {
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
        return Err(Refused {
            diagnostics: vec![
                Diagnostic::error(display, format!("{what}: no incident in it"))
                    .with_help("an incident needs at least format, id, title, organization, service, reviewed and sources; `breachline new FILE` writes a skeleton"),
            ],
            repaired: None,
            touched: Vec::new(),
        });
    }
    yaml::parse_incident_all(text).map_err(|found| {
        let diagnostics = found
            .errors
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                // The parser's own words for a syntax error, translated; kept as a note. A
                // syntax error is always the first (and only) problem found.
                let line = |n: usize| n.checked_sub(1).and_then(|i| text.lines().nth(i));
                let plain = e.location.filter(|_| i == 0).and_then(|l| {
                    crate::suggest::syntax_in_plain_words(
                        &e.message,
                        line(l.line),
                        l.column,
                        line(l.line.saturating_sub(1)),
                    )
                });
                let (message, help, note) = match plain {
                    Some((message, help)) => (
                        message,
                        Some(help),
                        Some(format!("the YAML parser said: {}", e.message)),
                    ),
                    None => {
                        let help = e.help.map(str::to_owned).or_else(|| help_for(&e.message));
                        (e.message, help, None)
                    }
                };
                // The parser stops after the comment a `#` started, often on a later line:
                // point at the `#` itself.
                let location = match e.location {
                    Some(l) if note.is_some() && message.contains("`#`") => {
                        hidden_by_comment(text, l).or(Some(l))
                    }
                    other => other,
                };
                let mut d = Diagnostic::error(display, message);
                if let Some(location) = location {
                    d = d.at(text, location);
                }
                if let Some(help) = help {
                    d = d.with_help(help);
                }
                d.note = note;
                d
            })
            .collect();
        Refused {
            diagnostics,
            repaired: found.repaired,
            touched: found.touched,
        }
    })
}

/// The `#` that started a comment on the line of `at` or one of the two before it.
fn hidden_by_comment(text: &str, at: Location) -> Option<Location> {
    let first = at.line.saturating_sub(2).max(1);
    let lines: Vec<&str> = text
        .lines()
        .skip(first - 1)
        .take(at.line + 1 - first)
        .collect();
    lines.iter().enumerate().rev().find_map(|(i, line)| {
        let byte = [" #", "[#", ",#"]
            .iter()
            .filter_map(|p| line.find(p).map(|b| b + 1))
            .min()?;
        Some(Location {
            line: first + i,
            column: line[..byte].chars().count() + 1,
        })
    })
}

/// Advice for the parser's own messages, which say what is wrong but not what to do.
fn help_for(message: &str) -> Option<String> {
    if let Some(help) = crate::suggest::help_for_unknown(message) {
        Some(help)
    } else if let Some(help) = crate::suggest::help_for_date(message) {
        Some(help)
    } else if let Some(help) = crate::suggest::help_for_list(message) {
        Some(help)
    } else if message.contains("missing field") {
        Some("add the key; docs/format.md lists which keys are required".into())
    } else if message.contains("is not a known time zone") {
        Some("`timezone` takes a name from the IANA time zone database, Area/City (Asia/Tokyo, America/New_York) or UTC; not an offset or an abbreviation such as JST".into())
    } else if message.contains("duplicate field") {
        Some("a key may appear once in a mapping: remove or rename one of them".into())
    } else if message.contains("found character that cannot start any token")
        || message.contains("tab")
    {
        Some("YAML indents with spaces, not tabs".into())
    } else if message.starts_with("unknown anchor") {
        Some("an alias (`*name`) repeats a value marked earlier in the same file with an anchor (`&name`): define the anchor above it, or write the value out".into())
    } else if message.contains("recursion limit exceeded") {
        Some(format!("the document nests deeper than {} levels; incident files need only a few (see docs/limits.md)", yaml::limits::MAX_DEPTH))
    } else if message.contains("repetition limit exceeded") {
        Some("aliases (`*name`) repeat their anchor's value too many times; write the values out (see docs/limits.md)".into())
    } else {
        None
    }
}

/// Two files describing the same incident id would be counted twice; the later one is wrong.
#[derive(Default)]
struct IncidentIds {
    /// Each id read so far, and the file it was first read from.
    seen: HashMap<String, String>,
}

impl IncidentIds {
    /// Records that `doc` holds the incident `id`, or adds an error if another file did.
    fn check(&mut self, doc: &mut Document, id: &str) {
        if let Some(first) = self.seen.get(id) {
            let mut d = Diagnostic::error(
                &doc.display,
                format!("incident id `{id}` is already used by {first}"),
            )
            .with_help("each incident file needs its own `id`");
            if let Some(anchor) = doc.id_anchor.clone() {
                d = d.anchored(anchor);
            }
            doc.diagnostics.push(d);
        } else {
            self.seen.insert(id.to_owned(), doc.display.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn more_entries_than_the_limit_are_refused_at_the_first_too_many() {
        let src = "format: 1\nid: x\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\nsources: [{id: s1, title: t, publisher: p}]\nevents:\n  - {id: a, date: 2025-01-01, kind: other, title: x, sources: [s1]}\n  - {id: b, date: 2025-01-01, kind: other, title: x, sources: [s1]}\n  - {id: c, date: 2025-01-01, kind: other, title: x, sources: [s1]}\n";
        let options = LoadOptions {
            max_entries: 2,
            ..LoadOptions::default()
        };
        let doc = load_bytes(Path::new("x.yaml"), src.as_bytes(), options);
        assert!(
            doc.incident.is_none(),
            "an incident over a limit is not used"
        );
        let [d] = doc.diagnostics.as_slice() else {
            panic!("{:?}", doc.diagnostics)
        };
        assert_eq!(
            d.message,
            "the file holds 3 events, more than the limit of 2 per file"
        );
        assert_eq!(
            d.location,
            Some(Location {
                line: 11,
                column: 5
            })
        );
        let at_the_limit = LoadOptions {
            max_entries: 3,
            ..LoadOptions::default()
        };
        assert!(!load_bytes(Path::new("x.yaml"), src.as_bytes(), at_the_limit).has_errors());
    }

    #[test]
    fn the_quick_look_for_the_id_agrees_with_the_parser() {
        let id = FieldPath::root().key("id");
        for src in [
            "format: 1\nid: x\ntitle: t\n",
            "# c\nformat: 1\nid:   \"#1\"  # c\n",
            "a: |\n  id: no\nid: 'yes'\n",
            "title: 漏えい\nid: 漏\n",
        ] {
            assert_eq!(
                findings::top_level_id(src),
                yaml::locate(src, &id),
                "{src:?}"
            );
            assert!(findings::top_level_id(src).is_some(), "{src:?}");
        }
        for src in ["{id: x}\n", "id:\n  x\n", "---\nid: x\n", "id:\tx\n"] {
            assert_eq!(findings::top_level_id(src), None, "{src:?}");
        }
    }

    #[test]
    fn warnings_are_counted_but_not_placed_unless_asked() {
        let src = "format: 1\nid: x\ntitle: t\norganization: o\nservice: s\nreviewed: 2025-05-13\nsources: [{id: s1, title: t, publisher: p}]\nevents:\n  - {id: a, date: 2025-01-01, kind: other, title: x, sources: []}\n";
        let quiet = LoadOptions {
            locate_warnings: false,
            ..LoadOptions::default()
        };
        let doc = load_bytes(Path::new("x.yaml"), src.as_bytes(), quiet);
        assert_eq!((doc.warnings(), doc.has_errors()), (1, false));
        assert_eq!(doc.diagnostics[0].location, None);
        assert_eq!(
            doc.id_anchor.map(|a| a.location),
            Some(Location { line: 2, column: 5 })
        );
        let doc = load_bytes(Path::new("x.yaml"), src.as_bytes(), LoadOptions::default());
        assert_eq!(
            doc.diagnostics[0].location,
            Some(Location {
                line: 9,
                column: 10
            })
        );
    }

    #[test]
    fn a_control_character_is_placed_by_line_and_column() {
        let doc = load_bytes(
            Path::new("x.yaml"),
            "format: 1\nid: \u{7f}\n".as_bytes(),
            LoadOptions::default(),
        );
        assert_eq!(
            doc.diagnostics[0].message,
            "file holds the control character U+007F at line 2, column 5, which YAML does not allow"
        );
        assert!(
            read::yaml_allows('\u{feff}')
                && read::yaml_allows('\u{85}')
                && !read::yaml_allows('\u{80}')
        );
    }

    #[cfg(unix)]
    #[test]
    fn file_names_show_odd_bytes_and_escape_controls() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let name = Path::new(OsStr::from_bytes(b"a/caf\xE9\x1b[0m.yaml"));
        assert_eq!(display_path(name), "a/caf\\xE9\\u{1b}[0m.yaml");
    }

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
            crate::provenance::hex(&doc.sha256.unwrap()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(doc.has_errors());
    }
}
