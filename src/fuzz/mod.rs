//! Bounded fuzzing of everything that reads an answer: `read_response`
//! (random statuses and headers), the error-body reader, the page checks,
//! `next_cursor` and `CursorWalk`, the usage headers, the JSON helpers, the
//! serde models, Graph times, the retry policy, the inbox-sync planner (its
//! answers and its cursor), and the client's batch, paging and sync paths
//! over a scripted transport. Nothing may panic, ever, and what comes out
//! must be sane: no secret in an error's text or a URL, results that agree
//! with the input, calls that stay on their path.
//!
//! Stable Rust has no `cargo fuzz`, so this is a small mutation fuzzer: a
//! xorshift PRNG, the JSON fixtures of `tests/fixtures/` as seeds, byte-level
//! mutations (bit flips, truncation, splicing, deep nesting, huge numbers,
//! odd unicode, duplicate keys) and structure-aware ones on parsed values
//! (nulls where objects belong, wrong types, spliced subtrees, the token in
//! odd places). Each input runs under `catch_unwind`; a failure prints the
//! input hex-escaped.
//!
//! `FUZZ_SECONDS` sets the duration (default 20), `FUZZ_SEED` the seed:
//!
//! ```text
//! FUZZ_SECONDS=3600 cargo test --profile fuzz --lib fuzz:: -- --nocapture
//! ```
//!
//! The number of executions is printed and written to
//! `target/fuzz-executions.txt`.

mod corpus;
mod generator;
mod targets;

/// What every part of the fuzzer uses.
mod prelude {
    pub(super) use crate::test_support::base64url;

    pub(super) use std::collections::HashSet;
    pub(super) use std::fmt::Write as _;
    pub(super) use std::panic::{self, AssertUnwindSafe};
    pub(super) use std::path::PathBuf;
    pub(super) use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    pub(super) use crate::core::error::{Error, ErrorDetail, ErrorKind};
    pub(super) use crate::core::json::{int_member, str_member, Json};
    pub(super) use crate::core::models::{Conversation, Message, Participant};
    pub(super) use crate::core::page::{check_node, check_page, next_cursor, CursorWalk, Node, Page};
    pub(super) use crate::core::query::{Folder, Platform};
    pub(super) use crate::core::request::form_encode;
    pub(super) use crate::core::response::{graph_error, read_response, Body, HttpResponse};
    pub(super) use crate::core::retry::{Pacer, RetryPolicy};
    pub(super) use crate::core::secrets::Secrets;
    pub(super) use crate::core::sync::{SyncCall, SyncOptions, SyncPlan};
    pub(super) use crate::core::time::unix_seconds;
    pub(super) use crate::core::usage::{wait_ms, ResponseHeaders, Usage, UsageValues};
    pub(super) use crate::transport::scripted::{block_on, ScriptedTransport};
    pub(super) use crate::{
        Client, ClientConfig, ConversationId, ConversationQuery, Fields, ListWalk, MessageQuery, PageId, TokenIn,
    };
    pub(super) use serde_json::{json, Map, Value};
}

use corpus::Corpus;
use generator::{Generator, Input, Rng};
use prelude::*;
use targets::TARGETS;

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

/// Bytes as a Rust string literal would show them.
fn escape(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b' '..=b'~' => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out
}

/// `bytes` escaped and quoted, cut to `limit` bytes when one is given.
fn shown(bytes: &[u8], limit: Option<usize>) -> String {
    match limit {
        Some(limit) if bytes.len() > limit => {
            format!("\"{}\"… (cut; {} bytes in all)", escape(&bytes[..limit]), bytes.len())
        }
        _ => format!("\"{}\"", escape(bytes)),
    }
}

fn describe(input: &Input, limit: Option<usize>) -> String {
    let mut out = format!(
        "token: \"{}\"\napp_secret: {:?}\ntoken_in: {:?}\nword: {}\nsync: {:?}, concurrency {}\n",
        escape(input.token.as_bytes()),
        input.app_secret,
        input.token_in,
        shown(input.word.as_bytes(), limit),
        input.sync,
        input.concurrency,
    );
    for (i, answer) in input.answers.iter().enumerate() {
        let _ = writeln!(
            out,
            "answer {i}: status {}, as_text {}, transport_error {}",
            answer.status, answer.as_text, answer.transport_error
        );
        for (name, value) in ["x-app-usage", "x-page-usage", "x-business-use-case-usage", "retry-after", "content-type"]
            .iter()
            .zip(&answer.headers)
        {
            if let Some(value) = value {
                let _ = writeln!(out, "  {name}: {}", shown(value, limit));
            }
        }
        let _ = writeln!(out, "  body: {}", shown(&answer.text, limit));
        if answer.value.is_some() {
            let _ = writeln!(out, "  (handed over as the parsed value of that text)");
        }
    }
    out
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".into())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from)
}

fn run(seconds: f64, seed: u64) -> Result<u64, String> {
    let corpus = Corpus::load();
    let mut counts = vec![0u64; TARGETS.len()];
    let mut spent = vec![Duration::ZERO; TARGETS.len()];
    let mut slowest = vec![Duration::ZERO; TARGETS.len()];
    let mut failures: Vec<String> = Vec::new();
    // FUZZ_TARGETS=json,usage runs only those.
    let only = std::env::var("FUZZ_TARGETS").ok();
    let mut stopped: Vec<bool> = TARGETS
        .iter()
        .map(|(name, _)| only.as_deref().is_some_and(|only| !only.split(',').any(|n| n.trim() == *name)))
        .collect();
    let mut slowest_input: Vec<Option<Input>> = vec![None; TARGETS.len()];
    let started = Instant::now();
    let budget = Duration::from_secs_f64(seconds);
    let mut iteration: u64 = 0;
    while started.elapsed() < budget && stopped.iter().any(|s| !s) {
        let index = (iteration % TARGETS.len() as u64) as usize;
        iteration += 1;
        if stopped[index] {
            continue;
        }
        let (name, target) = TARGETS[index];
        let began = Instant::now();
        let mut generator = Generator {
            rng: Rng::new(seed ^ iteration.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            corpus: &corpus,
            strings: Vec::new(),
        };
        let (input, check) = target(&mut generator);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| check(&input)));
        counts[index] += 1;
        spent[index] += began.elapsed();
        if began.elapsed() > slowest[index] {
            slowest[index] = began.elapsed();
            slowest_input[index] = Some(input.clone());
        }
        if let Err(payload) = outcome {
            stopped[index] = true;
            let headline = format!(
                "target {name} failed (FUZZ_SEED={seed}, iteration {iteration}): {}",
                panic_message(payload.as_ref())
            );
            // The whole input goes to a file; the report shows its start.
            let dir = target_dir().join("fuzz-failures");
            let file = dir.join(format!("{name}-{seed}-{iteration}.txt"));
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(&file, format!("{headline}\n{}", describe(&input, None)));
            failures.push(format!("{headline}\nwhole input: {}\n{}", file.display(), describe(&input, Some(400))));
        }
    }
    let total: u64 = counts.iter().sum();
    let elapsed = started.elapsed().as_secs_f64();
    println!("fuzz: FUZZ_SEED={seed}, {elapsed:.1} s");
    for (((name, _), count), (spent, slowest)) in TARGETS.iter().zip(&counts).zip(spent.iter().zip(&slowest)) {
        let per = spent.as_secs_f64() * 1e6 / (*count).max(1) as f64;
        let slowest = slowest.as_secs_f64() * 1e3;
        println!("fuzz: {name:>14}: {count:>10} executions ({per:.0} µs each, slowest {slowest:.1} ms)");
    }
    println!("fuzz: {:>14}: {total:>10} executions ({:.0}/s)", "total", total as f64 / elapsed.max(1e-9));
    let _ = std::fs::create_dir_all(target_dir());
    let _ = std::fs::write(target_dir().join("fuzz-executions.txt"), format!("{total}\n"));
    // The slowest input of each target, to look into what takes long.
    let dir = target_dir().join("fuzz-slowest");
    let _ = std::fs::create_dir_all(&dir);
    for (((name, _), input), slowest) in TARGETS.iter().zip(&slowest_input).zip(&slowest) {
        if let Some(input) = input {
            let text = format!("{name}: {:.1} ms\n{}", slowest.as_secs_f64() * 1e3, describe(input, None));
            let _ = std::fs::write(dir.join(format!("{name}.txt")), text);
        }
    }
    if failures.is_empty() {
        Ok(total)
    } else {
        Err(failures.join("\n"))
    }
}

#[test]
fn decoders_never_panic() {
    let seconds =
        std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse::<f64>().ok()).filter(|s| *s >= 0.0).unwrap_or(20.0);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64));
    // Deep values are cloned and dropped recursively (by serde_json, not
    // by the core): give them room.
    let result = std::thread::Builder::new()
        .name("fuzz".into())
        .stack_size(256 << 20)
        .spawn(move || run(seconds, seed))
        .expect("a fuzzing thread")
        .join()
        .expect("the fuzzer itself does not panic");
    if let Err(failures) = result {
        panic!("the fuzzer found inputs that break the core:\n{failures}");
    }
}
