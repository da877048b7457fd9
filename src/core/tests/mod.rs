//! Unit tests of the pure core (`src/core`), run on the host with `cargo test`.

mod account;
mod auth;
mod call;
mod config;
mod error;
mod ids;
mod inbox;
mod page;
mod properties;
mod query;
mod request;
mod response;
mod retry;
mod sha256;
mod sync;
mod time;
mod ts_types;
mod usage;
mod webhook;
