//! One file per command: each is a function from its parsed arguments and the shared
//! [`Context`] to an exit status. `lib.rs` builds the context and dispatches; what the commands
//! share (loading, streaming, writing) is in [`shared`].

pub mod check;
pub mod context;
pub mod diff;
pub mod export;
pub mod manual;
pub mod new;
pub mod rules;
pub mod schema;
pub mod shared;
pub mod status;
pub mod timeline;
pub mod validate;

pub use context::Context;

/// Exit status: all fine.
pub const EXIT_OK: u8 = 0;
/// Exit status: `--fail-on-overdue` found an overdue item.
pub const EXIT_OVERDUE: u8 = 1;
/// Exit status: bad input or usage.
pub const EXIT_INVALID: u8 = 2;
