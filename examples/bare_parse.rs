//! The floor for `breachline status`: a bare serde_yaml typed parse of the same files, on every
//! core, and nothing else (no validation, evaluation or output). See docs/performance.md.
//!
//! ```text
//! cargo build --release --examples
//! target/release/examples/bare_parse PATH...
//! ```
//!
//! It finds files as breachline does and parses each with `breachline::yaml::parse_incident`,
//! which is `serde_yaml::Deserializer` into `model::Incident` (only yaml.rs names serde_yaml).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (files, problems) = breachline::load::discover(&paths);
    if !problems.is_empty() || files.is_empty() {
        eprintln!("bare_parse: nothing to parse in {paths:?}");
        return ExitCode::from(2);
    }
    let jobs = breachline::load::default_jobs().get().min(files.len());
    let next = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let events = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    return;
                };
                let parsed = std::fs::read_to_string(path)
                    .ok()
                    .and_then(|text| breachline::yaml::parse_incident(&text).ok());
                match parsed {
                    Some(incident) => {
                        events.fetch_add(incident.events.len(), Ordering::Relaxed);
                    }
                    None => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let failed = failed.into_inner();
    println!(
        "{} files, {} events, {failed} failed",
        files.len(),
        events.into_inner()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
