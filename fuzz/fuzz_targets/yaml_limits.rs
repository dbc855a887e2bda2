//! Two YAML parsers, one question: does the streaming pre-check (saphyr-parser) stop every
//! document that serde_yaml (libyaml) would find nested too deeply, and is it skipped
//! (`limits::needed`) only where flow nesting stays within the limit? If either let one
//! through, libyaml could spend time growing with the square of the file before serde_yaml's
//! own limit applies. A timeout here is as much a finding as a failed assertion.
#![no_main]

use breachline::yaml::limits::{self, flow_depth};
use breachline::yaml::skim;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    // `needed` rests on this bound: below the real depth, it could skip the check on a file
    // nested deeper than the limit in flow style.
    let real = flow_depth(src);
    if let Some(real) = real {
        let bound = limits::flow_depth_bound(src, usize::MAX);
        assert!(
            bound >= real,
            "flow depth bound {bound} below the real {real}"
        );
    }
    let needed = limits::needed(src);
    match limits::check(src) {
        Ok(_) => {
            if let Err(e) = skim(src) {
                assert!(
                    !e.message.contains("recursion limit exceeded"),
                    "serde_yaml found nesting the pre-check let through: {e:?}"
                );
            }
        }
        // Skipping the check (no anchor, flow nesting within the limit) may only ever skip
        // finding block nesting, which serde_yaml's own limit reports at no extra cost.
        Err(e) if !needed => assert!(
            e.message.starts_with("the document nests deeper"),
            "skipped a check that finds {e:?}"
        ),
        Err(_) => {}
    }
    if !needed {
        if let Err(e) = skim(src) {
            if e.message.contains("recursion limit exceeded") {
                assert!(
                    real.is_none_or(|real| real <= limits::MAX_DEPTH),
                    "skipped the check on flow nesting {real:?} deep: {e:?}"
                );
            }
        }
    }
});
