//! Writes synthetic incident files for benchmarks (see docs/performance.md).
//!
//! ```text
//! cargo run --release --example gen -- --files 10000 --events 6 --items 4 OUT_DIR
//! cargo run --release --example gen -- --files 1 --events 100000 --items 20000 OUT_DIR
//! cargo run --release --example gen -- --files 1 --events 100000 --items 20000 --no-due OUT_DIR
//! ```
//!
//! Without `--no-due` the files draw no warnings; with it, items have no due date, and each
//! item not done draws one (for measuring the cost of warnings).
//!
//! Files are named `inc-NNNNNN.yaml`; the same arguments always write the same bytes.

mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

use generate::{incident, Shape};

const USAGE: &str = "usage: gen [--files N] [--events N] [--items N] [--no-due] OUT_DIR";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut files = 1usize;
    let mut shape = Shape {
        events: 6,
        items: 4,
        due: true,
    };
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let v = args.next().ok_or(format!("{name} needs a number"))?;
            v.parse()
                .map_err(|_| format!("{name}: `{v}` is not a number"))
        };
        match arg.as_str() {
            "--files" => files = number("--files")?,
            "--events" => shape.events = number("--events")?,
            "--items" => shape.items = number("--items")?,
            "--no-due" => shape.due = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let out = out.ok_or("OUT_DIR is missing")?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut bytes = 0;
    for n in 0..files {
        let text = incident(n as u64, shape);
        bytes += text.len();
        let path = out.join(format!("inc-{n:06}.yaml"));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    eprintln!(
        "gen: wrote {files} file{} ({bytes} bytes) to {}",
        if files == 1 { "" } else { "s" },
        out.display()
    );
    Ok(())
}
