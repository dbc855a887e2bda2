//! Two YAML parsers, one question: does the streaming pre-check (saphyr-parser) stop every
//! document that serde_yaml (libyaml) would find nested too deeply? If it let one through,
//! libyaml could spend time growing with the square of the file before serde_yaml's own limit
//! applies. A timeout here is as much a finding as a failed assertion.
#![no_main]

use breachline::yaml::{limits, skim};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    match limits::check(src) {
        Ok(_) => {
            if let Err(e) = skim(src) {
                assert!(
                    !e.message.contains("recursion limit exceeded"),
                    "serde_yaml found nesting the pre-check let through: {e:?}"
                );
            }
        }
        // Skipping the check (few brackets, no anchor) may only ever skip finding block
        // nesting, which serde_yaml's own limit reports at no extra cost.
        Err(e) if !limits::needed(src) => assert!(
            e.message.starts_with("the document nests deeper"),
            "skipped a check that finds {e:?}"
        ),
        Err(_) => {}
    }
});
