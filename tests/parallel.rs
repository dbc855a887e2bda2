//! `--jobs`: files are read in parallel, but every output, error and exit status is the same
//! whatever the number of threads (issue #5).

use std::path::Path;

use crate::generate::{incident, Shape};
use crate::util::{breachline, run, Output};

fn with_jobs(jobs: &str, args: &[&str]) -> Output {
    run(breachline()
        .args(["--as-of", "2026-01-01", "--jobs", jobs])
        .args(args))
}

/// Runs `args` with one thread and with four, and checks that everything matches.
fn same_for_any_jobs(args: &[&str]) -> Output {
    let one = with_jobs("1", args);
    for jobs in ["2", "4", "64"] {
        let many = with_jobs(jobs, args);
        assert_eq!(one.code, many.code, "exit status with --jobs {jobs}");
        assert_eq!(one.stdout, many.stdout, "stdout with --jobs {jobs}");
        assert_eq!(one.stderr, many.stderr, "stderr with --jobs {jobs}");
    }
    one
}

/// 40 generated incidents in a temporary directory, in nested folders.
fn portfolio() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for n in 0..40u64 {
        let sub = dir.path().join(format!("customer-{}", n % 3));
        std::fs::create_dir_all(&sub).expect("writable");
        let shape = Shape {
            events: 1 + n as usize % 7,
            items: n as usize % 5,
            due: true,
        };
        std::fs::write(sub.join(format!("inc-{n:02}.yaml")), incident(n, shape)).expect("writable");
    }
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// The YAML files of a fixture directory, in name order.
fn fixtures(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(crate::util::root().join(dir))
        .expect("fixtures")
        .map(|e| {
            e.expect("readable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".yaml"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    files.sort();
    files
}

#[test]
fn errors_are_listed_in_the_same_order_whatever_jobs_is() {
    let out = same_for_any_jobs(&[
        "validate",
        "tests/fixtures/invalid",
        "tests/fixtures/many-problems.yaml",
        "incidents",
        "tests/fixtures/valid",
    ]);
    assert_eq!(out.code, 2);
    assert!(!out.stderr.is_empty());
    // Files come in path order within a directory, and in the order given across paths; among
    // them are repeated ids, which only a pass in that order blames on the right file.
    let mut expected = fixtures("tests/fixtures/invalid");
    expected.push("tests/fixtures/many-problems.yaml".into());
    expected.push("incidents/secure-mx-2025.yaml".into());
    expected.extend(fixtures("tests/fixtures/valid"));
    let listed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("ok ") || l.starts_with("error "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(|f| f.trim_end_matches(':'))
        .collect();
    assert_eq!(listed, expected);
    assert!(
        out.stdout
            .contains(&format!("{} files checked", expected.len())),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("is already used by"), "{}", out.stderr);
}

#[test]
fn views_of_a_portfolio_are_the_same_whatever_jobs_is() {
    let dir = portfolio();
    for args in [
        &["status", "--format", "json"][..],
        &["status"][..],
        &["timeline"][..],
        &["timeline", "--format", "json"][..],
    ] {
        let mut args = args.to_vec();
        args.push(path(dir.path()));
        let out = same_for_any_jobs(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        for id in ["gen-000000", "gen-000021", "gen-000039"] {
            assert!(out.stdout.contains(id), "{id} missing from {args:?}");
        }
    }
}

#[test]
fn a_duplicate_id_is_blamed_on_the_later_file_whatever_jobs_is() {
    let dir = portfolio();
    let copy = dir.path().join("customer-2/zz-copy.yaml");
    std::fs::write(
        &copy,
        incident(
            5,
            Shape {
                events: 2,
                items: 1,
                due: true,
            },
        ),
    )
    .expect("writable");
    let out = same_for_any_jobs(&["status", path(dir.path())]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    let shown = |p: &Path| p.display().to_string();
    let first = shown(&dir.path().join("customer-2/inc-05.yaml"));
    assert!(
        out.stderr.contains(&format!(
            "incident id `gen-000005` is already used by {first}"
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&shown(&copy)), "{}", out.stderr);
}

#[test]
fn zero_jobs_is_refused() {
    let out = run(breachline().args(["--jobs", "0", "validate"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("invalid value '0' for '--jobs <N>'"),
        "{}",
        out.stderr
    );
}

/// `status --format json`, `timeline --format json` and `validate` render each file on the
/// thread that read it and keep no incident; the tables keep the whole portfolio. Both ways
/// must report bad input identically and print nothing.
#[test]
fn views_rendered_file_by_file_report_errors_as_the_others_do() {
    let dir = portfolio();
    std::fs::write(
        dir.path().join("customer-1/zz-copy.yaml"),
        incident(
            4,
            Shape {
                events: 2,
                items: 1,
                due: true,
            },
        ),
    )
    .expect("writable");
    let inputs = [
        "tests/fixtures/invalid",
        path(dir.path()),
        "tests/fixtures/no-such-file.yaml",
    ];
    for (streamed, whole) in [
        (&["status", "--format", "json"][..], &["status"][..]),
        (&["timeline", "--format", "json"][..], &["timeline"][..]),
    ] {
        let streamed = same_for_any_jobs(&[streamed, &inputs].concat());
        let whole = with_jobs("4", &[whole, &inputs].concat());
        assert_eq!(streamed.code, 2);
        assert_eq!(streamed.stdout, "");
        assert_eq!(streamed.stderr, whole.stderr);
        assert_eq!(streamed.code, whole.code);
        assert!(streamed.stderr.contains("is already used by"));
        assert!(streamed.stderr.contains("no such file or directory"));
    }
    // A valid portfolio, and an incident asked for that it does not hold.
    std::fs::remove_file(dir.path().join("customer-1/zz-copy.yaml")).expect("removable");
    for (streamed, whole) in [
        (&["status", "--format", "json"][..], &["status"][..]),
        (&["timeline", "--format", "json"][..], &["timeline"][..]),
    ] {
        let args = [
            path(dir.path()),
            "--incident",
            "gen-000003",
            "--incident",
            "nope",
        ];
        let streamed = same_for_any_jobs(&[streamed, &args].concat());
        let whole = with_jobs("2", &[whole, &args].concat());
        assert_eq!((streamed.code, &streamed.stdout), (2, &String::new()));
        assert_eq!(streamed.stderr, whole.stderr);
        assert!(streamed.stderr.contains("no incident has the id `nope`"));
    }
}
