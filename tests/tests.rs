//! CLI behaviour, through the real binary. One test binary, topic modules (as ripgrep does).

mod util;

mod check;
mod cli;
mod errors;
mod export;
mod filter;
mod limits;
mod new;
mod obligations;
mod outputs;
mod paths;
mod properties;
mod schema;
mod status;
mod terminal;
mod timeline;
mod validate;
