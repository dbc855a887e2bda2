//! CLI behaviour, through the real binary. One test binary, topic modules (as ripgrep does).

mod util;

mod errors;
mod export;
mod obligations;
mod status;
mod timeline;
mod validate;
