//! CLI behaviour, through the real binary. One test binary, topic modules (as ripgrep does).

// clippy.toml keeps breachline's own outputs on render::json::pretty; tests write JSON inputs.
#![allow(clippy::disallowed_methods)]

mod util;

#[path = "../examples/gen/generate.rs"]
#[allow(dead_code)]
mod generate;

mod check;
mod cli;
mod diff;
mod errors;
mod export;
mod filter;
mod generator;
mod impact;
mod instants;
mod interchange;
mod limits;
mod new;
mod obligations;
mod outputs;
mod parallel;
mod paths;
mod properties;
mod rules;
mod schema;
mod status;
mod terminal;
mod time;
mod timeline;
mod validate;
mod veris_check;
