//! Each stage of a run on generated incidents: load (read, parse, validate), evaluate, and each
//! renderer. `cargo bench`; the whole binary against its baselines is `benches/compare.sh`.

#[path = "../examples/gen/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::num::NonZeroUsize;
use std::path::PathBuf;

use breachline::evaluate::{evaluate, AsOf, View};
use breachline::load::{self, LoadOptions};
use breachline::model::Incident;
use breachline::render;
use breachline::text::Lang;
use chrono::NaiveDate;
use divan::Bencher;
use generate::{incident, Shape};

fn main() {
    divan::main();
}

const AS_OF: AsOf = AsOf {
    date: match NaiveDate::from_ymd_opt(2026, 1, 1) {
        Some(d) => d,
        None => NaiveDate::MIN,
    },
    soon_days: 14,
    view: View::AsKnown,
};

/// Events in the one large incident that evaluation and rendering are measured on; its items
/// are a fifth of that, as in the 100,000-event file of docs/performance.md.
const EVENTS: &[usize] = &[1_000, 10_000];

fn large(events: usize) -> Incident {
    let text = incident(
        0,
        Shape {
            events,
            items: events / 5,
            due: true,
        },
    );
    breachline::yaml::parse_incident(&text).expect("generated incidents parse")
}

/// A directory of `files` small incidents (6 events, 4 items), removed when dropped.
fn portfolio(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for n in 0..files {
        let shape = Shape {
            events: 6,
            items: 4,
            due: true,
        };
        std::fs::write(
            dir.path().join(format!("inc-{n:06}.yaml")),
            incident(n as u64, shape),
        )
        .expect("writable");
    }
    dir
}

#[divan::bench(args = [1, 2], sample_count = 10)]
fn load_1000_files(bencher: Bencher, jobs: usize) {
    let dir = portfolio(1000);
    let paths = [PathBuf::from(dir.path())];
    let options = LoadOptions {
        jobs: NonZeroUsize::new(jobs).unwrap_or(NonZeroUsize::MIN),
        ..LoadOptions::default()
    };
    bencher.bench(|| load::load(&paths, options));
}

/// What `status --format json` does with a portfolio: each file read, checked, evaluated and
/// rendered on the thread that read it, the parts joined in path order.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn status_json_1000_files(bencher: Bencher, jobs: usize) {
    let dir = portfolio(1000);
    let paths = [PathBuf::from(dir.path())];
    let options = LoadOptions {
        jobs: NonZeroUsize::new(jobs).unwrap_or(NonZeroUsize::MIN),
        ..LoadOptions::default()
    };
    bencher.bench(|| {
        let mut out = Vec::new();
        load::load_each(
            &paths,
            options,
            |doc, incident| {
                render::json::status_part(&doc.display, &evaluate(&incident, AS_OF), Lang::En)
            },
            |_, part| {
                if let Some(Ok(part)) = part {
                    out.extend(part);
                }
            },
        );
        out
    });
}

/// A file with a warning on every entry (no entry cites a source): each warning is placed on
/// its line and column, all in one pass over the file.
#[divan::bench(args = [500, 5_000], sample_count = 10)]
fn load_file_with_a_warning_per_entry(bencher: Bencher, events: usize) {
    let text: String = incident(
        0,
        Shape {
            events,
            items: events / 5,
            due: true,
        },
    )
    .lines()
    .filter(|l| !l.starts_with("    sources: [s"))
    .flat_map(|l| [l, "\n"])
    .collect();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("warnings.yaml");
    std::fs::write(&path, text).expect("writable");
    let options = LoadOptions::default();
    bencher.bench(|| {
        let doc = load::load_file(&path, options);
        assert_eq!(doc.warnings(), events + events / 5);
        doc
    });
}

#[divan::bench(args = EVENTS, sample_count = 10)]
fn parse(bencher: Bencher, events: usize) {
    let text = incident(
        0,
        Shape {
            events,
            items: events / 5,
            due: true,
        },
    );
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| breachline::yaml::parse_incident(&text));
}

#[divan::bench(args = EVENTS, sample_count = 10)]
fn validate(bencher: Bencher, events: usize) {
    let incident = large(events);
    bencher.bench(|| breachline::validate::validate(&incident));
}

#[divan::bench(args = EVENTS, sample_count = 10)]
fn evaluate_one(bencher: Bencher, events: usize) {
    let incident = large(events);
    bencher.bench(|| evaluate(&incident, AS_OF));
}

mod render_ {
    use super::*;

    #[divan::bench(args = EVENTS, sample_count = 10)]
    fn status_json(bencher: Bencher, events: usize) {
        let incident = large(events);
        let view = evaluate(&incident, AS_OF);
        bencher.bench(|| render::json::status_part("large.yaml", &view, Lang::En));
    }

    #[divan::bench(args = EVENTS, sample_count = 10)]
    fn timeline_json(bencher: Bencher, events: usize) {
        let incident = large(events);
        let view = evaluate(&incident, AS_OF);
        bencher.bench(|| render::json::timeline_part("large.yaml", &view, Lang::En));
    }

    #[divan::bench(args = EVENTS, sample_count = 10)]
    fn timeline_table(bencher: Bencher, events: usize) {
        let incident = large(events);
        let views = [evaluate(&incident, AS_OF)];
        bencher.bench(|| render::timeline_table::render(&views, AS_OF, Lang::En, false, None));
    }

    #[divan::bench(args = EVENTS, sample_count = 10)]
    fn timeline_markdown(bencher: Bencher, events: usize) {
        let incident = large(events);
        let views = [evaluate(&incident, AS_OF)];
        bencher.bench(|| render::markdown::timeline(&views, AS_OF, Lang::En));
    }

    #[divan::bench(args = EVENTS, sample_count = 10)]
    fn status_table(bencher: Bencher, events: usize) {
        let incident = large(events);
        let views = [evaluate(&incident, AS_OF)];
        bencher.bench(|| render::status_table::render(&views, AS_OF, Lang::En, false, None, &[]));
    }
}
