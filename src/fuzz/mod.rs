//! Bounded fuzzing of everything that reads an answer: `read_response`
//! (random statuses and headers), the error-body reader, the page checks,
//! `next_cursor` and `CursorWalk`, the usage headers, the JSON helpers, the
//! serde models, Graph times, the retry policy, the inbox-sync planner (its
//! answers and its cursor), and the client's batch, paging and sync paths
//! over a scripted transport; and the live half (`live.rs`): webhook bodies
//! through `check_body`, JSON and `parse`, the signature check and the
//! handshake, and the inbox fed events, sync results and sends in order,
//! reversed and repeated. Nothing may panic, ever, and what comes out must
//! be sane: no secret in an error's text or a URL, results that agree with
//! the input, calls that stay on their path, an inbox the same whatever the
//! order of its inputs and no larger than its bounds.
//!
//! Stable Rust has no `cargo fuzz`, so this is a small mutation fuzzer: a
//! xorshift PRNG, the JSON fixtures of `tests/fixtures/` and the webhook
//! bodies of `tests/fixtures/webhooks/` as seeds, byte-level mutations (bit
//! flips, truncation, splicing, deep nesting, huge numbers, odd unicode,
//! duplicate keys) and structure-aware ones on parsed values (nulls where
//! objects belong, wrong types, spliced subtrees, the token in odd places,
//! a webhook item's kind, times and ids). Each input runs under
//! `catch_unwind`; a failure prints the input hex-escaped.
//!
//! `FUZZ_SECONDS` sets the duration (default 20), `FUZZ_SEED` the seed:
//!
//! ```text
//! FUZZ_SECONDS=3600 cargo test --profile fuzz --lib fuzz:: -- --nocapture
//! ```
//!
//! The number of executions is printed and written to
//! `target/fuzz-executions.txt`, and so is each target's slowest input.
//!
//! Every input is made again from its target, the seed and its iteration
//! (the generator's randomness is seeded from those alone), so each one the
//! run keeps is a replayable record: the slowest of each target in
//! `target/fuzz-slowest/<target>.txt`, each failure in
//! `target/fuzz-failures/`. `FUZZ_REPLAY=<record>` (or
//! `FUZZ_REPLAY=target:seed:iteration`) runs exactly that input once, timed,
//! and says whether it is still the input recorded:
//!
//! ```text
//! FUZZ_REPLAY=target/fuzz-slowest/sync_plan.txt cargo test --profile fuzz --lib fuzz:: -- --nocapture
//! ```
//!
//! No input may take long: one that takes more than `FUZZ_MAX_MS` (2,000 by
//! default), made and checked, and as long again when run a second time,
//! fails the run with its record; one still running after ten times that
//! (at least 20 s) stops the run, its record written, instead of leaving it
//! to a test runner's timeout.

mod corpus;
mod generator;
mod live;
mod scaling;
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
use targets::{Target, TARGETS};

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
    for secret in &input.webhook_secrets {
        let _ = writeln!(out, "webhook secret: {}", shown(secret.as_bytes(), limit));
    }
    if let Some(header) = &input.signature {
        let _ = writeln!(out, "X-Hub-Signature-256: {}", shown(header.as_bytes(), limit));
    }
    if !input.steps.is_empty() {
        let _ = writeln!(out, "inbox keeping {} messages a conversation, fed:", input.cap);
    }
    for (i, step) in input.steps.iter().enumerate() {
        let _ = writeln!(out, "  step {i}: {}", shown(step.to_string().as_bytes(), limit));
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

/// The longest one input may take, made and checked: `FUZZ_MAX_MS`, 2 s by
/// default (inputs take well under 10 ms; this is for work that grows
/// faster than the input).
fn max_duration() -> Duration {
    let ms = std::env::var("FUZZ_MAX_MS").ok().and_then(|s| s.parse::<f64>().ok()).filter(|ms| *ms > 0.0);
    Duration::from_secs_f64(ms.unwrap_or(2000.0) / 1e3)
}

/// How long one input may run before the run is stopped as hung: ten
/// times the bound, at least 20 s.
fn hang_duration() -> Duration {
    (max_duration() * 10).max(Duration::from_secs(20))
}

/// FNV-1a of the input's description: whether a replay made again the
/// input that was recorded (the generator, the target or the fixtures may
/// have changed since).
fn fingerprint(input: &Input) -> String {
    let hash = describe(input, None)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

// ---------------------------------------------------------------------------
// One execution, and its record
// ---------------------------------------------------------------------------

/// What makes an input again: the target, the run's seed and the
/// iteration (the generator's randomness is seeded from the two alone).
#[derive(Clone, Debug, PartialEq)]
struct Origin {
    target: String,
    seed: u64,
    iteration: u64,
}

impl Origin {
    fn replay_command(file: &std::path::Path) -> String {
        format!("FUZZ_REPLAY={} cargo test --profile fuzz --lib fuzz:: -- --nocapture", file.display())
    }

    /// The start of a record: the replay command and the origin, what a
    /// replay reads (up to the first blank line).
    fn header(&self, fingerprint: Option<&str>, took: &str, file: &std::path::Path) -> String {
        let mut out = format!(
            "# {}\ntarget: {}\nseed: {}\niteration: {}\n",
            Self::replay_command(file),
            self.target,
            self.seed,
            self.iteration
        );
        if let Some(fingerprint) = fingerprint {
            let _ = writeln!(out, "fingerprint: {fingerprint}");
        }
        let _ = writeln!(out, "took: {took}");
        out
    }

    /// The record of an input: its origin, what it took, the input itself.
    fn record(&self, input: &Input, took: &str, file: &std::path::Path) -> String {
        format!("{}\n{}", self.header(Some(&fingerprint(input)), took, file), describe(input, None))
    }

    /// Reads `FUZZ_REPLAY`: a record's path, or `target:seed:iteration`.
    /// The fingerprint, when the record has one, comes second.
    fn read(replay: &str) -> Result<(Self, Option<String>), String> {
        let text = match std::fs::read_to_string(replay) {
            Ok(text) => text,
            Err(err) => {
                let parts: Vec<&str> = replay.split(':').collect();
                if let [target, seed, iteration] = parts[..] {
                    if let (Ok(seed), Ok(iteration)) = (seed.parse(), iteration.parse()) {
                        return Ok((Self { target: target.to_owned(), seed, iteration }, None));
                    }
                }
                return Err(format!("FUZZ_REPLAY={replay}: neither a record ({err}) nor target:seed:iteration"));
            }
        };
        let mut fields = std::collections::HashMap::new();
        for line in text.lines().take_while(|line| !line.trim().is_empty()) {
            if let Some((key, value)) = line.split_once(": ").filter(|_| !line.starts_with('#')) {
                fields.insert(key.trim(), value.trim());
            }
        }
        let field = |key: &str| fields.get(key).copied().ok_or_else(|| format!("{replay}: no {key:?} line"));
        let number = |key: &str| field(key)?.parse::<u64>().map_err(|e| format!("{replay}: {key}: {e}"));
        let origin =
            Self { target: field("target")?.to_owned(), seed: number("seed")?, iteration: number("iteration")? };
        Ok((origin, fields.get("fingerprint").map(|f| (*f).to_owned())))
    }
}

/// One input made and checked.
struct Execution {
    input: Input,
    /// The check's panic message, if it panicked.
    outcome: Result<(), String>,
    generate: Duration,
    check: Duration,
}

impl Execution {
    fn took(&self) -> Duration {
        self.generate + self.check
    }

    fn took_text(&self) -> String {
        format!(
            "{:.1} ms (made in {:.1} ms, checked in {:.1} ms)",
            self.took().as_secs_f64() * 1e3,
            self.generate.as_secs_f64() * 1e3,
            self.check.as_secs_f64() * 1e3
        )
    }
}

fn target_named(name: &str) -> Option<(&'static str, Target)> {
    TARGETS.iter().copied().find(|(n, _)| *n == name)
}

/// Makes the input of `seed` and `iteration` for `target` and runs its check.
fn execute(target: Target, corpus: &Corpus, seed: u64, iteration: u64) -> Execution {
    let began = Instant::now();
    let mut generator =
        Generator { rng: Rng::new(seed ^ iteration.wrapping_mul(0x9E37_79B9_7F4A_7C15)), corpus, strings: Vec::new() };
    let (input, check) = target(&mut generator);
    let generate = began.elapsed();
    let began = Instant::now();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| check(&input))).map_err(|p| panic_message(p.as_ref()));
    Execution { input, outcome, generate, check: began.elapsed() }
}

/// Writes the record of `execution` into `target/<folder>/<file>`; its path.
fn write_record(folder: &str, file: &str, origin: &Origin, input: &Input, took: &str) -> PathBuf {
    let dir = target_dir().join(folder);
    let path = dir.join(file);
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(&path, origin.record(input, took, &path));
    path
}

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

/// The execution under way: its target, iteration and start, for the
/// watchdog.
type Current = std::sync::Mutex<Option<(usize, u64, Instant)>>;

/// The slowest execution of a target so far.
struct Slowest {
    took: Duration,
    iteration: u64,
    text: String,
    input: Input,
}

fn run(seconds: f64, seed: u64, current: &Current) -> Result<u64, String> {
    let corpus = Corpus::load();
    let bound = max_duration();
    let mut counts = vec![0u64; TARGETS.len()];
    let mut spent = vec![Duration::ZERO; TARGETS.len()];
    let mut slowest: Vec<Option<Slowest>> = TARGETS.iter().map(|_| None).collect();
    let mut failures: Vec<String> = Vec::new();
    // FUZZ_TARGETS=json,usage runs only those.
    let only = std::env::var("FUZZ_TARGETS").ok();
    if let Some(only) = &only {
        if let Some(name) = only.split(',').map(str::trim).find(|n| target_named(n).is_none()) {
            return Err(format!("FUZZ_TARGETS names {name:?}, which is not a target"));
        }
    }
    let mut stopped: Vec<bool> = TARGETS
        .iter()
        .map(|(name, _)| only.as_deref().is_some_and(|only| !only.split(',').any(|n| n.trim() == *name)))
        .collect();
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
        let origin = Origin { target: name.to_owned(), seed, iteration };
        *current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((index, iteration, Instant::now()));
        let mut execution = execute(target, &corpus, seed, iteration);
        counts[index] += 1;
        spent[index] += execution.took();
        let mut failure = execution.outcome.clone().err();
        if failure.is_none() && execution.took() > bound {
            // Once more, to tell a slow input from a busy machine.
            let again = execute(target, &corpus, seed, iteration);
            if again.took() > bound {
                failure = Some(format!(
                    "one input took {} and {} when run again: over the bound of {} ms (FUZZ_MAX_MS)",
                    execution.took_text(),
                    again.took_text(),
                    bound.as_millis()
                ));
            } else {
                println!(
                    "fuzz: {name}: iteration {iteration} took {}, {} when run again: the machine was busy",
                    execution.took_text(),
                    again.took_text()
                );
                execution = again;
            }
        }
        *current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        if slowest[index].as_ref().is_none_or(|s| execution.took() > s.took) {
            slowest[index] = Some(Slowest {
                took: execution.took(),
                iteration,
                text: execution.took_text(),
                input: execution.input.clone(),
            });
        }
        if let Some(message) = failure {
            stopped[index] = true;
            let headline = format!("target {name} failed (FUZZ_SEED={seed}, iteration {iteration}): {message}");
            // The whole input goes to a file; the report shows its start.
            let file = write_record(
                "fuzz-failures",
                &format!("{name}-{seed}-{iteration}.txt"),
                &origin,
                &execution.input,
                &format!("{}; failed: {message}", execution.took_text()),
            );
            failures.push(format!(
                "{headline}\nwhole input: {}\nreplay: {}\n{}",
                file.display(),
                Origin::replay_command(&file),
                describe(&execution.input, Some(400))
            ));
        }
    }
    let total: u64 = counts.iter().sum();
    let elapsed = started.elapsed().as_secs_f64();
    println!("fuzz: FUZZ_SEED={seed}, {elapsed:.1} s, bound on one input {} ms", bound.as_millis());
    // The slowest input of each target, replayable.
    for (((name, _), count), (spent, slowest)) in TARGETS.iter().zip(&counts).zip(spent.iter().zip(&slowest)) {
        let per = spent.as_secs_f64() * 1e6 / (*count).max(1) as f64;
        let Some(slowest) = slowest else { continue };
        let origin = Origin { target: (*name).to_owned(), seed, iteration: slowest.iteration };
        let file = write_record("fuzz-slowest", &format!("{name}.txt"), &origin, &slowest.input, &slowest.text);
        println!(
            "fuzz: {name:>14}: {count:>10} executions ({per:.0} µs each, slowest {:.1} ms: FUZZ_REPLAY={})",
            slowest.took.as_secs_f64() * 1e3,
            file.display()
        );
    }
    println!("fuzz: {:>14}: {total:>10} executions ({:.0}/s)", "total", total as f64 / elapsed.max(1e-9));
    let refusals = *live::REFUSALS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for ((count, largest, slowest), what) in refusals.iter().zip(["too large", "too deep"]) {
        if *count > 0 {
            println!(
                "fuzz: check_body refused {count} webhook bodies {what} before any parse (up to {:.1} MB, in {:.0} µs \
                 at most)",
                *largest as f64 / (1 << 20) as f64,
                slowest.as_secs_f64() * 1e6
            );
        }
    }
    let _ = std::fs::create_dir_all(target_dir());
    let _ = std::fs::write(target_dir().join("fuzz-executions.txt"), format!("{total}\n"));
    if failures.is_empty() {
        Ok(total)
    } else {
        Err(failures.join("\n"))
    }
}

/// `FUZZ_REPLAY`: makes the recorded input again and runs its check, timed.
fn replay(replay: &str) -> Result<(), String> {
    let (origin, recorded) = Origin::read(replay)?;
    let (name, target) = target_named(&origin.target).ok_or_else(|| format!("no target {:?}", origin.target))?;
    let corpus = Corpus::load();
    let execution = execute(target, &corpus, origin.seed, origin.iteration);
    let made = fingerprint(&execution.input);
    println!("{}", describe(&execution.input, Some(400)));
    match recorded {
        Some(recorded) if recorded != made => println!(
            "fuzz replay: the input made now ({made}) is not the one recorded ({recorded}): the generator, \
             the target or the fixtures changed since"
        ),
        Some(_) => println!("fuzz replay: the input recorded, made again ({made})"),
        None => {}
    }
    println!(
        "fuzz replay: {name}, FUZZ_SEED={}, iteration {}: {}",
        origin.seed,
        origin.iteration,
        execution.took_text()
    );
    if let Err(message) = execution.outcome {
        return Err(format!("target {name} fails on this input: {message}"));
    }
    let bound = max_duration();
    if execution.took() > bound {
        return Err(format!(
            "target {name} took {} on this input, over {} ms",
            execution.took_text(),
            bound.as_millis()
        ));
    }
    Ok(())
}

#[test]
fn decoders_never_panic() {
    let seconds =
        std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse::<f64>().ok()).filter(|s| *s >= 0.0).unwrap_or(20.0);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64));
    let replaying = std::env::var("FUZZ_REPLAY").ok().filter(|r| !r.is_empty());
    let current: std::sync::Arc<Current> = std::sync::Arc::default();
    let (done, finished) = std::sync::mpsc::channel();
    let watched = std::sync::Arc::clone(&current);
    // Deep values are cloned and dropped recursively (by serde_json, not
    // by the core): give them room.
    std::thread::Builder::new()
        .name("fuzz".into())
        .stack_size(256 << 20)
        .spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(|| match &replaying {
                Some(file) => replay(file).map(|()| 1),
                None => run(seconds, seed, &watched),
            }));
            let _ = done.send(
                result.unwrap_or_else(|p| Err(format!("the fuzzer itself panicked: {}", panic_message(p.as_ref())))),
            );
        })
        .expect("a fuzzing thread");
    // The watchdog: an input that runs for ever ends the run with its
    // origin written down, not with the test runner's timeout.
    let result = loop {
        match finished.recv_timeout(Duration::from_millis(250)) {
            Ok(result) => break result,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break Err("the fuzzing thread died".into()),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        let running = *current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((index, iteration, began)) = running.filter(|(_, _, began)| began.elapsed() > hang_duration()) {
            let name = TARGETS[index].0;
            let origin = Origin { target: name.to_owned(), seed, iteration };
            let dir = target_dir().join("fuzz-failures");
            let file = dir.join(format!("{name}-{seed}-{iteration}.txt"));
            let _ = std::fs::create_dir_all(&dir);
            let took = format!("more than {:.0} s (hung)", began.elapsed().as_secs_f64());
            let record = origin.header(None, &took, &file);
            let _ = std::fs::write(&file, record);
            break Err(format!(
                "target {name} (FUZZ_SEED={seed}, iteration {iteration}) has run one input for {:.0} s, over \
                 {} s: the run is stopped. Replay: {}",
                began.elapsed().as_secs_f64(),
                hang_duration().as_secs(),
                Origin::replay_command(&file)
            ));
        }
    };
    if let Err(failures) = result {
        panic!("the fuzzer found inputs that break the core:\n{failures}");
    }
}
