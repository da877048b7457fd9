//! The pure core: everything that can be decided without I/O. Ids, queries,
//! requests, answers, errors, paging and usage headers are plain values and
//! functions here, tested on the host with `cargo test`; nothing in this
//! module calls JS or the network.

pub mod account;
pub mod auth;
pub mod call;
pub mod config;
pub mod error;
pub mod ids;
pub mod inbox;
pub mod json;
pub mod models;
pub mod options;
pub mod page;
pub mod query;
pub mod quoted;
pub mod request;
pub mod response;
pub mod retry;
pub mod secrets;
pub mod send;
pub mod sha256;
pub mod sort;
pub mod string_set;
pub mod sync;
pub mod time;
pub mod usage;
pub mod value;
pub mod webhook;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
