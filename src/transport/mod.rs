//! The only place that performs HTTP.
//!
//! - [`fetch`] (wasm only): the global `fetch`, or one the caller gives,
//!   with a timeout and the caller's `AbortSignal`.
//! - [`scripted`]: a test double that answers from a script and records
//!   what was sent, so the client is tested natively without a network.

#[cfg(target_arch = "wasm32")]
pub mod fetch;
#[cfg(not(target_arch = "wasm32"))]
pub mod scripted;
