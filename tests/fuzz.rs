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
//! FUZZ_SECONDS=3600 cargo test --release --test fuzz -- --nocapture
//! ```
//!
//! The number of executions is printed and written to
//! `target/fuzz-executions.txt`.

#[path = "support/base64url.rs"]
mod base64;
use base64::base64url;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use graph_conversations::core::error::{Error, ErrorKind};
use graph_conversations::core::json::{int_member, str_member, Json};
use graph_conversations::core::models::{Conversation, Message, Participant};
use graph_conversations::core::page::{check_node, check_page, next_cursor, CursorWalk, Node, Page};
use graph_conversations::core::query::{Folder, Platform};
use graph_conversations::core::request::form_encode;
use graph_conversations::core::response::{graph_error, read_response, Body, HttpResponse};
use graph_conversations::core::retry::{Pacer, RetryPolicy};
use graph_conversations::core::sync::{SyncCall, SyncOptions, SyncPlan};
use graph_conversations::core::time::unix_seconds;
use graph_conversations::core::usage::{wait_ms, ResponseHeaders, Usage, UsageValues};
use graph_conversations::transport::scripted::{block_on, ScriptedTransport};
use graph_conversations::{
    Client, ClientConfig, ConversationId, ConversationQuery, Fields, ListWalk, MessageQuery, PageId, TokenIn,
};
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/// xorshift64*: fast, and enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // splitmix64 of the seed, so that nearby seeds diverge at once.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        (0..self.below(max + 1)).map(|_| self.next() as u8).collect()
    }

    fn alnum(&mut self, len: usize) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len).map(|_| *self.pick(ALNUM) as char).collect()
    }
}

// ---------------------------------------------------------------------------
// Seeds and dictionaries
// ---------------------------------------------------------------------------

/// Keys the core looks at, and some it must ignore.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "data", "paging", "cursors", "after", "before", "next", "previous", "id", "error", "message", "type", "code",
    "error_subcode", "error_user_title", "error_user_msg", "fbtrace_id", "is_transient", "messages", "body",
    "headers", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access", "100200300400500",
    "participants", "attachments", "from", "to", "", "__proto__", "constructor", "\u{0}", "é",
];

/// Number literals, as JSON text: huge, tiny, negative zero, past 2^53,
/// past u64, out of f64's range.
#[rustfmt::skip]
const NUMBERS: &[&str] = &[
    "0", "-0", "1", "-1", "0.5", "1e308", "-1e308", "1e-320", "1e999", "-1e999", "4.9e-324", "9007199254740991",
    "9007199254740992", "9007199254740993", "-9007199254740993", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "123456789012345678901234567890", "613", "80006", "9000001", "190", "1.0", "3", "100", "-5", "65535", "65536",
    "200", "400", "500", "0e0", "1E+2",
];

/// Odd strings: empty, control and format characters, bidi overrides,
/// astral planes, combining marks, escapes, HTML, long runs.
const STRINGS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "\u{7f}",
    "\u{FEFF}",
    "\u{202E}gnirts",
    "\u{2028}\u{2029}",
    "e\u{301}\u{301}\u{301}",
    "👩‍👩‍👧‍👦",
    "\u{10FFFF}",
    "漢字かな",
    "\\",
    "\"",
    "\\u0000",
    "<html><body>502</body></html>",
    "<script>alert(1)</script>",
    "../../x",
    "/v1.0/me?fields=id#x",
    "https://graph.facebook.com/v21.0/100200300400500/conversations?after=QVFI&limit=25",
    "QVFIUmlMekhKeEtrN2xr",
    "A",
    "B",
    "C",
    "Please reduce the amount of data you're asking for, then retry your request",
    "OAuthException",
    "messenger",
    "instagram",
    "null",
    "true",
    "0",
    "-1",
    "7",
    " 7 ",
    "18446744073709551616",
    "1e3",
    "\u{663}",
    "text/html",
    "application/json; charset=UTF-8",
];

/// Byte strings spliced into raw text.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "null", "true", "false", "{}", "[]", "{", "}", "[", "]", ",", ":", "\"", "\\", "\"error\":", "\"data\":",
    "\"paging\":", "\"cursors\":", "\"after\":", "\"next\":", "\"id\":", "\"code\":", "\"is_transient\":", "\\ud800",
    "\\udc00", "\\ud83d\\ude00", "\\u0000", "\u{FEFF}", "\r\n", "<", ">", "<!--", "1e999", "-0",
    "18446744073709551616", "NaN", "Infinity", "\u{0}",
];

struct Corpus {
    /// Raw fixture bodies, and the bodies inside `batch_response.json`.
    seeds: Vec<Vec<u8>>,
    /// The seeds that parse, for structure-aware mutation and splicing.
    values: Vec<Value>,
    /// Header values seen in fixtures.
    headers: Vec<String>,
}

impl Corpus {
    fn load() -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("tests/fixtures")
            .map(|entry| entry.expect("a fixture").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        names.sort();
        let mut seeds: Vec<Vec<u8>> = names.iter().map(|path| std::fs::read(path).expect("a fixture")).collect();
        let mut headers = vec!["7".to_owned(), "0".into(), "text/html".into(), "application/json".into()];
        let values: Vec<Value> = seeds.iter().filter_map(|s| serde_json::from_slice(s).ok()).collect();
        for value in &values {
            // Usage header values, and the JSON strings of batch item bodies.
            for (name, text) in value.as_object().into_iter().flatten() {
                if name.starts_with("x-") {
                    headers.extend(text.as_str().map(str::to_owned));
                }
            }
            for item in value.as_array().into_iter().flatten() {
                seeds.extend(item.get("body").and_then(Value::as_str).map(|b| b.as_bytes().to_vec()));
            }
        }
        seeds.extend(
            [
                r#"{"data":[]}"#,
                r#"{"data":[{"id":"1"}],"paging":{"cursors":{"after":"A"},"next":"n"}}"#,
                r#"{"error":{}}"#,
                r#"{"error":null}"#,
                r#"{"error":{"message":"x","code":4,"is_transient":true}}"#,
                "[]",
                "null",
                "\"\"",
                "",
                "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                r#"[{"code":200,"body":"{\"id\":\"m_1\"}"},null,{"code":"200","body":{}}]"#,
            ]
            .map(|s| s.as_bytes().to_vec()),
        );
        let values = seeds.iter().filter_map(|s| serde_json::from_slice(s).ok()).collect();
        Self { seeds, values, headers }
    }
}

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// One answer body: its text and, when it came from a structural mutation,
/// the value it is the text of (which may be nested deeper than the JSON
/// parser allows, as a JS engine's objects can be).
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    /// X-App-Usage, X-Page-Usage, X-Business-Use-Case-Usage, Retry-After,
    /// Content-Type.
    headers: [Option<Vec<u8>>; 5],
    text: Vec<u8>,
    value: Option<Value>,
    /// Hand the body over as text even when it parses.
    as_text: bool,
    /// The transport fails instead (with this text in its message).
    transport_error: bool,
}

impl Answer {
    fn response_headers(&self) -> ResponseHeaders {
        let text = |i: usize| self.headers[i].as_ref().map(|b| String::from_utf8_lossy(b).into_owned());
        ResponseHeaders {
            app_usage: text(0),
            page_usage: text(1),
            business_use_case_usage: text(2),
            retry_after: text(3),
            content_type: text(4),
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.text).into_owned()
    }

    /// The body as a transport hands it over: JSON when it parses.
    fn body(&self) -> Body<Value> {
        match &self.value {
            Some(value) if !self.as_text => Body::Json(value.clone()),
            _ if self.as_text => Body::Text(self.text()),
            _ => Value::parse(&self.text()).map_or_else(|| Body::Text(self.text()), Body::Json),
        }
    }

    /// The body as a JSON value, if it is one.
    fn json(&self) -> Option<Value> {
        self.value.clone().or_else(|| Value::parse(&self.text()))
    }

    #[allow(clippy::result_large_err)] // the crate's own `Error`, as the transport returns it
    fn response(&self) -> Result<HttpResponse<Value>, Error> {
        if self.transport_error {
            return Err(Error::network(format!("fetch failed: {}", self.text())));
        }
        Ok(HttpResponse { status: self.status, headers: self.response_headers(), body: self.body() })
    }
}

/// Everything one execution sees.
#[derive(Clone, Debug)]
struct Input {
    token: String,
    app_secret: Option<String>,
    token_in: TokenIn,
    /// An id or start cursor, where a target needs one.
    word: String,
    /// A sync's options, for the sync targets.
    sync: SyncOptions,
    /// Calls a sync keeps in flight.
    concurrency: usize,
    answers: Vec<Answer>,
}

/// Where the fuzzed client sends: a path prefix, a port.
const BASE_URL: &str = "https://graph.example:8443/prefix";

impl Input {
    fn config(&self) -> ClientConfig {
        let config = ClientConfig::new(self.token.as_str())
            .expect("a valid token")
            .token_in(self.token_in)
            .base_url(BASE_URL)
            .expect("a valid base URL");
        match &self.app_secret {
            Some(secret) => config.app_secret(secret).expect("a valid app secret"),
            None => config,
        }
    }

    fn secrets(&self) -> Vec<&str> {
        let mut secrets = vec![self.token.as_str()];
        secrets.extend(self.app_secret.as_deref());
        secrets
    }

    /// The secrets that no answer or cursor of this input holds: a Graph
    /// that echoes the token as a cursor or an id gets it sent back, which
    /// the client cannot tell from any other cursor.
    fn unechoed_secrets(&self) -> Vec<&str> {
        let holds = |haystack: &[u8], secret: &str| haystack.windows(secret.len()).any(|w| w == secret.as_bytes());
        self.secrets()
            .into_iter()
            .filter(|secret| {
                !holds(self.word.as_bytes(), secret)
                    && !self
                        .answers
                        .iter()
                        .any(|a| holds(&a.text, secret) || a.headers.iter().flatten().any(|h| holds(h, secret)))
            })
            .collect()
    }

    fn client(&self) -> Client<ScriptedTransport> {
        let client = Client::new(self.config(), ScriptedTransport::new());
        for answer in &self.answers {
            client.transport().answer(answer.response());
        }
        client
    }
}

struct Generator<'a> {
    rng: Rng,
    corpus: &'a Corpus,
    strings: Vec<String>,
}

impl Generator<'_> {
    fn input(&mut self, answers: usize) -> Input {
        let len = 17 + self.rng.below(230);
        let token = format!("EAAFAKE{}", self.rng.alnum(len));
        let app_secret = self.rng.one_in(2).then(|| format!("{:016x}{:016x}", self.rng.next(), self.rng.next()));
        self.strings = STRINGS.iter().map(|s| (*s).to_owned()).collect();
        self.strings.extend([
            token.clone(),
            format!("Invalid token {token} given"),
            format!("https://graph.facebook.com/v21.0/1/conversations?access_token={token}&after=QVFI"),
            format!("method=GET&access_token={token}"),
        ]);
        if let Some(secret) = &app_secret {
            self.strings.push(secret.clone());
            self.strings.push(format!("secret={secret};"));
        }
        let token_in = if self.rng.one_in(2) { TokenIn::Header } else { TokenIn::Body };
        let word = match self.rng.below(4) {
            0 => self.rng.pick(&self.strings).clone(),
            1 => ["A", "B", "C"][self.rng.below(3)].to_owned(),
            _ => {
                let len = 1 + self.rng.below(12);
                format!("t_{}", self.rng.alnum(len))
            }
        };
        let answers = (0..answers).map(|_| self.answer()).collect();
        let sync = SyncOptions::default();
        Input { token, app_secret, token_in, word, sync, concurrency: 1, answers }
    }

    fn answer(&mut self) -> Answer {
        const STATUSES: &[u16] =
            &[200, 200, 200, 201, 204, 299, 300, 304, 400, 401, 403, 404, 429, 500, 502, 503, 0, 99, 599, 600, 65535];
        let status = if self.rng.one_in(8) { self.rng.next() as u16 } else { *self.rng.pick(STATUSES) };
        let headers = std::array::from_fn(|_| self.header());
        let (text, value) = self.body();
        Answer { status, headers, text, value, as_text: self.rng.one_in(16), transport_error: self.rng.one_in(32) }
    }

    fn header(&mut self) -> Option<Vec<u8>> {
        match self.rng.below(6) {
            0 | 1 => None,
            2 => Some(self.rng.pick(&self.corpus.headers).clone().into_bytes()),
            3 => Some(self.rng.pick(&self.strings).clone().into_bytes()),
            4 => {
                let mut bytes = self.rng.pick(&self.corpus.headers).clone().into_bytes();
                for _ in 0..1 + self.rng.below(3) {
                    self.mutate_bytes(&mut bytes);
                }
                Some(bytes)
            }
            _ => {
                let mut value = self.rng.pick(&self.corpus.values).clone();
                self.mutate_value(&mut value);
                Some(value.to_string().into_bytes())
            }
        }
    }

    /// A body: random bytes, a fixture mutated as a value, or a fixture
    /// mutated as bytes.
    fn body(&mut self) -> (Vec<u8>, Option<Value>) {
        match self.rng.below(10) {
            0 => (self.rng.bytes(256), None),
            1..=5 => {
                let mut value = self.rng.pick(&self.corpus.values).clone();
                for _ in 0..1 + self.rng.below(4) {
                    self.mutate_value(&mut value);
                }
                let mut text =
                    if self.rng.one_in(4) { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) }
                        .expect("a value serialises");
                if text.len() > 1 << 18 {
                    // Repeats of repeats: keep bodies a size a Graph answer has.
                    return (self.rng.pick(&self.corpus.seeds).clone(), None);
                }
                if self.rng.one_in(4) {
                    self.mutate_bytes(&mut text);
                    (text, None)
                } else {
                    (text, Some(value))
                }
            }
            _ => {
                let mut bytes = self.rng.pick(&self.corpus.seeds).clone();
                for _ in 0..1 + self.rng.below(6) {
                    self.mutate_bytes(&mut bytes);
                }
                (bytes, None)
            }
        }
    }

    fn scalar(&mut self) -> Value {
        match self.rng.below(5) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.one_in(2)),
            2 => serde_json::from_str(self.rng.pick::<&str>(NUMBERS)).unwrap_or(Value::Null),
            3 => Value::String(self.rng.pick(&self.strings).clone()),
            _ => Value::String("x".repeat(self.rng.below(5000))),
        }
    }

    fn mutate_value(&mut self, root: &mut Value) {
        let op = self.rng.below(14);
        let corpus = self.corpus;
        let node = pick_node(root, &mut self.rng);
        match op {
            0 => *node = Value::Null,
            1 | 2 => *node = self.scalar(),
            3 => *node = if self.rng.one_in(2) { json!({}) } else { json!([]) },
            4 => {
                let mut splice = self.rng.pick(&corpus.values).clone();
                *node = pick_node(&mut splice, &mut self.rng).take();
            }
            5 => {
                let inner = Value::Array(vec![node.take()]);
                *node = if self.rng.one_in(2) { inner } else { object("data", inner) };
            }
            6 => match node {
                Value::Object(map) if !map.is_empty() => {
                    let key = map.keys().nth(self.rng.below(map.len())).cloned().unwrap_or_default();
                    map.remove(&key);
                }
                Value::Array(items) if !items.is_empty() => {
                    items.remove(self.rng.below(items.len()));
                }
                _ => *node = Value::Null,
            },
            7 | 8 => {
                let key = (*self.rng.pick(KEYS)).to_owned();
                let value = if self.rng.one_in(2) { self.scalar() } else { self.rng.pick(&corpus.values).clone() };
                match node {
                    Value::Object(map) => {
                        map.insert(key, value);
                    }
                    other => *other = Value::Object(Map::from_iter([(key, value)])),
                }
            }
            9 => {
                if let Value::Array(items) = node {
                    if let Some(first) = items.first().cloned() {
                        let n = self.rng.below(100);
                        items.extend(std::iter::repeat_n(first, n));
                    }
                }
            }
            10 => {
                let depth = 1 + self.rng.below(300);
                let mut inner = node.take();
                for _ in 0..depth {
                    inner = if self.rng.one_in(2) { Value::Array(vec![inner]) } else { object("data", inner) };
                }
                *node = inner;
            }
            // A value where its JSON text belongs (batch bodies are strings).
            11 => *node = Value::String(node.to_string()),
            12 => {
                if let Value::String(text) = node {
                    let mut bytes = std::mem::take(text).into_bytes();
                    self.mutate_bytes(&mut bytes);
                    *text = String::from_utf8_lossy(&bytes).into_owned();
                } else {
                    *node = self.scalar();
                }
            }
            _ => {
                // The types the core relies on, swapped: a string id becomes a
                // number, an object an array of itself.
                *node = match node.take() {
                    Value::String(s) => s.parse::<f64>().ok().map_or(Value::Array(vec![]), |n| json!(n)),
                    Value::Number(n) => Value::String(n.to_string()),
                    Value::Object(map) => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
                    Value::Array(items) => {
                        Value::Object(items.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect())
                    }
                    other => other,
                };
            }
        }
    }

    fn mutate_bytes(&mut self, bytes: &mut Vec<u8>) {
        let len = bytes.len();
        let at = self.rng.below(len + 1);
        match self.rng.below(12) {
            0 if len > 0 => bytes[at.min(len - 1)] ^= 1 << self.rng.below(8),
            1 if len > 0 => {
                let any = self.rng.next() as u8;
                bytes[at.min(len - 1)] =
                    *self.rng.pick(&[0, 0x7f, 0x80, 0xc0, 0xff, b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', any]);
            }
            2 if len > 0 => {
                let end = (at + 1 + self.rng.below(64)).min(len);
                bytes.drain(at.min(len - 1)..end);
            }
            3 => {
                let extra = self.rng.bytes(8);
                bytes.splice(at..at, extra);
            }
            4 if len > 0 => {
                let start = self.rng.below(len);
                let end = (start + 1 + self.rng.below(256)).min(len);
                let copy = bytes[start..end].to_vec();
                bytes.splice(at..at, copy);
            }
            5 => bytes.truncate(at),
            6 => {
                let other = self.rng.pick(&self.corpus.seeds);
                let from = self.rng.below(other.len() + 1);
                bytes.truncate(at);
                bytes.extend_from_slice(&other[from..]);
            }
            7 => {
                let token = self.rng.pick(TOKENS).as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            8 => {
                let depth = 1 + self.rng.below(5000);
                let (open, close): (&[u8], &[u8]) = if self.rng.one_in(2) { (b"[", b"]") } else { (b"{\"a\":", b"}") };
                let mut nest = open.repeat(depth);
                nest.extend_from_slice(b"1");
                if self.rng.one_in(2) {
                    nest.extend(close.repeat(depth));
                }
                bytes.splice(at..at, nest);
            }
            9 => {
                // A number where a number was: huge, negative, out of range.
                let number = self.rng.pick(NUMBERS).as_bytes();
                let start = bytes.iter().position(|b| b.is_ascii_digit()).map_or(at, |first| {
                    let digits: Vec<usize> = (first..len).filter(|&i| bytes[i].is_ascii_digit()).collect();
                    *self.rng.pick(&digits)
                });
                let end = (start..len).find(|&i| !bytes[i].is_ascii_digit()).unwrap_or(len);
                bytes.splice(start..end, number.iter().copied());
            }
            10 => {
                let text = self.rng.pick(&self.strings).clone();
                bytes.splice(at..at, text.into_bytes());
            }
            _ => {
                // A duplicate key right after an opening brace.
                if let Some(brace) = (0..len).filter(|&i| bytes[i] == b'{').nth(self.rng.below(8)) {
                    let key = self.rng.pick(KEYS);
                    let value = self.scalar();
                    let member = format!("{}:{value},", Value::String((*key).into()));
                    bytes.splice(brace + 1..brace + 1, member.into_bytes());
                }
            }
        }
        bytes.truncate(1 << 16);
    }

    /// A list page whose cursors come from a small set, so walks meet
    /// repeats, empty cursors and missing ones.
    fn page(&mut self) -> Answer {
        let answer = self.answer();
        let items: Vec<Value> = (0..self.rng.below(4)).map(|i| json!({"id": format!("t_{i}")})).collect();
        let after = match self.rng.below(8) {
            0 => Value::Null,
            1 => json!(""),
            2 => json!(1),
            3 => json!(*self.rng.pick(STRINGS)),
            _ => json!(["A", "B", "C", "D"][self.rng.below(4)]),
        };
        let mut paging = json!({"cursors": {"before": "Z", "after": after}});
        match self.rng.below(4) {
            0 => {}
            1 => paging["next"] = json!(""),
            _ => {
                paging["next"] = json!(format!(
                    "https://graph.facebook.com/v21.0/1/conversations?access_token={}",
                    self.rng.alnum(8)
                ))
            }
        }
        let value = json!({"data": items, "paging": paging});
        self.seal(answer, value, 4)
    }

    /// `answer` with the JSON body `value`, mutated one time in `one_in`,
    /// and mostly a clean 200.
    fn seal(&mut self, mut answer: Answer, mut value: Value, one_in: usize) -> Answer {
        if self.rng.one_in(one_in) {
            self.mutate_value(&mut value);
        }
        answer.text = value.to_string().into_bytes();
        answer.value = Some(value);
        if self.rng.below(one_in) > 0 {
            answer.status = 200;
            answer.transport_error = false;
            answer.as_text = false;
        }
        answer
    }

    /// A batch answer of `n` items, each `{code, body: "<JSON text>"}` or
    /// `null`, built from mutated fixtures; or a wholly mutated body.
    fn batch(&mut self, n: usize) -> Answer {
        let mut answer = self.answer();
        if self.rng.one_in(3) {
            return answer;
        }
        let items: Vec<Value> = (0..n + usize::from(self.rng.one_in(16)))
            .map(|_| match self.rng.below(10) {
                0 => Value::Null,
                1 => self.scalar(),
                _ => {
                    let (text, _) = self.body();
                    let code =
                        if self.rng.one_in(4) { self.scalar() } else { json!(*self.rng.pick(&[200, 400, 500, 190])) };
                    json!({"code": code, "body": String::from_utf8_lossy(&text)})
                }
            })
            .collect();
        let value = Value::Array(items);
        answer.text = value.to_string().into_bytes();
        answer.value = Some(value);
        if self.rng.below(4) > 0 {
            answer.status = 200;
            answer.transport_error = false;
            answer.as_text = false;
        }
        answer
    }
}

impl Generator<'_> {
    fn count(&mut self) -> u32 {
        match self.rng.below(8) {
            0 => *self.rng.pick(&[0, 101, u32::MAX]),
            1 => 100,
            _ => 1 + self.rng.below(5) as u32,
        }
    }

    fn sync_options(&mut self) -> SyncOptions {
        let platform = [None, Some(Platform::Messenger), Some(Platform::Instagram)][self.rng.below(3)];
        let folder = [None, Some(Folder::Inbox), Some(Folder::Other), Some(Folder::PageDone), Some(Folder::Spam)]
            [self.rng.below(5)];
        let updated_since = match self.rng.below(4) {
            0 => Some(*self.rng.pick(&[i64::MIN, -1, 0, 1_767_225_600, 1_767_312_000, i64::MAX])),
            _ => None,
        };
        let max_requests = if self.rng.one_in(3) { Some(self.rng.below(12) as u32) } else { None };
        SyncOptions {
            platform,
            folder,
            messages_per_conversation: self.count(),
            updated_since,
            page_size: self.count(),
            max_requests,
        }
    }

    /// A Graph time, right or odd.
    fn time(&mut self) -> Value {
        const TIMES: &[&str] = &[
            "2026-01-01T00:00:00+0000",
            "2026-01-02T12:30:00+0000",
            "2025-12-31T23:59:59+0000",
            "2026-01-01T00:00:00.000Z",
            "2026-01-01",
            "2026-01-01T00:00+02:00",
            "2026-01-01T24:00:00+0000",
            "2026-13-01T00:00:00+0000",
            "0000-01-01T00:00:00+0000",
            "9999-12-31T23:59:60-2359",
            "2026-01-01T00:00:00+99",
            "2026-01-01T00:00:00+",
            "2026-01-01T00:00:00+00:0é",
            "2026-01-01T00:00:00é",
            "",
            "1767225600",
        ];
        match self.rng.below(6) {
            0 => self.scalar(),
            1 => {
                let mut bytes = self.rng.pick(TIMES).as_bytes().to_vec();
                self.mutate_bytes(&mut bytes);
                Value::String(String::from_utf8_lossy(&bytes).into_owned())
            }
            _ => json!(*self.rng.pick(TIMES)),
        }
    }

    /// A cursor the Graph might send: mostly plain, sometimes odd.
    fn graph_cursor(&mut self) -> Value {
        match self.rng.below(10) {
            0 => self.scalar(),
            1 => json!(*self.rng.pick(STRINGS)),
            2 => json!(format!("QVFI{}", self.rng.alnum(4000))),
            _ => json!(["A", "B", "C", "D", "E"][self.rng.below(5)]),
        }
    }

    /// `{data, paging}` with `n` items made by `item`, and a next page
    /// (or not).
    fn list(&mut self, items: Vec<Value>) -> Value {
        let mut page = object("data", Value::Array(items));
        if !self.rng.one_in(4) {
            page["paging"] =
                json!({"cursors": {"after": self.graph_cursor()}, "next": "https://graph.facebook.com/next"});
        }
        page
    }

    fn thread_id(&mut self) -> Value {
        match self.rng.below(12) {
            0 => self.scalar(),
            1 => Value::String(self.rng.pick(&self.strings).clone()),
            _ => json!(format!("t_{}", self.rng.below(6))),
        }
    }

    /// An answer to a sync call: a conversations page with nested
    /// messages, or a messages page; mutated now and then.
    fn sync_answer(&mut self) -> Answer {
        let answer = self.answer();
        let messages = |g: &mut Self| -> Vec<Value> {
            (0..g.rng.below(6)).map(|i| json!({"id": format!("m_{i}"), "created_time": g.time()})).collect()
        };
        let value = if self.rng.one_in(2) {
            let threads: Vec<Value> = (0..self.rng.below(5))
                .map(|_| {
                    let items = messages(self);
                    let nested = self.list(items);
                    let mut thread = object("id", self.thread_id());
                    thread["updated_time"] = self.time();
                    thread["messages"] = nested;
                    thread
                })
                .collect();
            self.list(threads)
        } else {
            let items = messages(self);
            self.list(items)
        };
        self.seal(answer, value, 5)
    }

    /// The cursor of a plan that got a few answers.
    fn plan_cursor(&mut self, options: &SyncOptions) -> Option<String> {
        let page = PageId::new(PAGE).expect("a valid id");
        let mut plan = SyncPlan::new(page, options.clone(), None).ok()?;
        for _ in 0..1 + self.rng.below(3) {
            let (id, _) = plan.next_call()?;
            let answer = self.sync_answer();
            let _ = plan.answered(id, &answer.json().unwrap_or(Value::Null));
        }
        plan.cursor()
    }

    /// A sync cursor: made by a plan, made by hand, mutated, or anything.
    fn sync_cursor(&mut self, options: &SyncOptions) -> Option<String> {
        match self.rng.below(6) {
            0 => None,
            1 => Some((*self.rng.pick(STRINGS)).to_owned()),
            2 | 3 => {
                // Answers without the secrets: the cursor would hide them.
                let strings = std::mem::replace(&mut self.strings, STRINGS.iter().map(|s| (*s).to_owned()).collect());
                let cursor = self.plan_cursor(options);
                self.strings = strings;
                let mut cursor = cursor?.into_bytes();
                if self.rng.one_in(2) {
                    self.mutate_bytes(&mut cursor);
                }
                Some(String::from_utf8_lossy(&cursor).into_owned())
            }
            _ => {
                const KEYS: &[&str] = &["v", "page", "platform", "folder", "pages", "after", "tc", "ta", "tn", "x", ""];
                let mut pairs = vec![("v", "1".to_owned()), ("page", PAGE.to_owned())];
                for _ in 0..self.rng.below(8) {
                    let key = *self.rng.pick(KEYS);
                    let value = match self.rng.below(4) {
                        0 => self.rng.pick(NUMBERS).to_string(),
                        // Not the secrets: a cursor is the caller's, who would not put them there.
                        1 => (*self.rng.pick(STRINGS)).to_owned(),
                        _ => ["t_1", "A", "3", "1", "messenger", "inbox"][self.rng.below(6)].to_owned(),
                    };
                    pairs.push((key, value));
                }
                if self.rng.one_in(4) {
                    pairs.remove(self.rng.below(2));
                }
                let mut text = form_encode(&pairs).into_bytes();
                if self.rng.one_in(3) {
                    self.mutate_bytes(&mut text);
                }
                Some(base64url(&text))
            }
        }
    }
}

/// The Page the sync targets read.
const PAGE: &str = "100200300400500";

/// `{key: value}`, without the copy that `json!` makes of a value.
fn object(key: &str, value: Value) -> Value {
    Value::Object(Map::from_iter([(key.to_owned(), value)]))
}

/// A random node of `root`, by random descent.
fn pick_node<'v>(root: &'v mut Value, rng: &mut Rng) -> &'v mut Value {
    let mut node = root;
    loop {
        let len = match &*node {
            Value::Array(items) => items.len(),
            Value::Object(map) => map.len(),
            _ => 0,
        };
        if len == 0 || rng.one_in(3) {
            return node;
        }
        let i = rng.below(len);
        node = match node {
            Value::Array(items) => &mut items[i],
            Value::Object(map) => map.values_mut().nth(i).expect("i < len"),
            other => other,
        };
    }
}

// ---------------------------------------------------------------------------
// Checks shared by the targets

/// Two values that serialise alike, numbers within a rounding of each
/// other: serde_json (without its `float_roundtrip` feature) may read a
/// float it wrote one unit in the last place off.
fn assert_same<T: serde::Serialize>(a: &T, b: &T) {
    fn close(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
                x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
            }
            (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y)),
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
            }
            (x, y) => x == y,
        }
    }
    let (a, b) = (serde_json::to_value(a).expect("serialises"), serde_json::to_value(b).expect("serialises"));
    assert!(close(&a, &b), "read back differently:\n{a}\n{b}");
}
// ---------------------------------------------------------------------------

/// An error the client hands out: its text and `Debug` hold no secret
/// (the client redacts; for the core's own errors, `redact` must).
fn assert_no_secret(err: &Error, secrets: &[&str]) {
    let shown = err.to_string();
    let debug = format!("{err:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "a secret in the error text: {shown}");
        assert!(!debug.contains(secret), "a secret in the error's Debug: {debug}");
    }
    let _ = (err.kind().as_str(), err.transient(), err.status(), err.retry_after_ms(), err.graph());
}

fn is_page(value: &Value, node: Node) -> bool {
    value.is_object()
        && value.get("data").and_then(Value::as_array).is_some_and(|items| items.iter().all(|item| is_node(item, node)))
        && value.get("paging").is_none_or(|p| {
            p.is_null()
                || p.is_object()
                    && p.get("cursors").filter(|c| !c.is_null()).is_none_or(|c| {
                        ["before", "after"].iter().all(|k| c.get(k).is_none_or(|v| v.is_string() || v.is_null()))
                    })
        })
}

fn is_node(value: &Value, node: Node) -> bool {
    value.is_object()
        && value.get("id").is_some_and(Value::is_string)
        && (node == Node::Message
            || value.get("messages").filter(|m| !m.is_null()).is_none_or(|m| is_page(m, Node::Message)))
}

fn whole(value: Option<&Value>) -> Option<i64> {
    let n = value?.as_f64()?;
    (n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15).then_some(n as i64)
}

/// The URL of a request the client sent: on its path, no secret in it.
fn assert_sent_to(client: &Client<ScriptedTransport>, input: &Input, path: &str) {
    let prefix = format!("{BASE_URL}/{}", input.config().api_version);
    for sent in client.transport().sent() {
        let url_path = sent.url.split('?').next().unwrap_or("");
        assert_eq!(url_path, format!("{prefix}{path}"), "sent to {}", sent.url);
        for secret in input.unechoed_secrets() {
            assert!(!sent.url.contains(secret), "a secret in {}", sent.url);
        }
    }
}

// ---------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------

/// An input, and the checks to run on it.
type Case = (Input, Box<dyn FnOnce(&Input)>);

type Target = fn(&mut Generator) -> Case;

/// `read_response` with any status, headers and body.
fn read_response_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            let answer = &input.answers[0];
            let headers = answer.response_headers();
            let usage = UsageValues::<Value>::parse(&headers);
            let body = answer.body();
            let (is_json, error_object) = match &body {
                Body::Json(v) => (true, v.get("error").is_some_and(Value::is_object)),
                Body::Text(_) => (false, false),
            };
            let status = answer.status;
            let ok_status = (200..300).contains(&status);
            let wait = wait_ms(&usage, headers.retry_after.as_deref());
            match read_response(HttpResponse { status, headers: headers.clone(), body }, &usage) {
                Ok(json) => {
                    assert!(ok_status && is_json && !error_object, "accepted status {status}");
                    assert!(graph_error(&json).is_none());
                }
                Err(err) => {
                    let expected = match (error_object, is_json, ok_status) {
                        (true, _, _) => ErrorKind::Graph,
                        (false, false, true) => ErrorKind::Decode,
                        (false, true, true) => panic!("a 2xx JSON answer was refused: {err}"),
                        (false, _, false) => ErrorKind::Http,
                    };
                    assert_eq!(err.kind(), expected);
                    assert_eq!(err.status(), Some(status));
                    let expected_wait = if expected == ErrorKind::Decode { None } else { wait };
                    assert_eq!(err.retry_after_ms(), expected_wait);
                    if let Error::Decode { message, .. } = &err {
                        assert!(message.chars().count() <= 22 + 121, "a long decode message: {message}");
                        assert!(!message.chars().any(char::is_control), "a control character in {message:?}");
                    }
                    assert_no_secret(&err.clone().redact(&input.secrets()), &input.secrets());
                }
            }
        }),
    )
}

/// The error-body reader on any value.
fn graph_error_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            let Some(value) = input.answers[0].json() else { return };
            let read = graph_error(&value);
            let error = value.get("error").filter(|e| e.is_object());
            assert_eq!(read.is_some(), error.is_some());
            let (Some(body), Some(error)) = (read, error) else { return };
            match error.get("message").and_then(Value::as_str) {
                Some(message) => assert_eq!(body.message, message),
                None => assert!(!body.message.is_empty()),
            }
            assert_eq!(body.code, whole(error.get("code")));
            assert_eq!(body.subcode, whole(error.get("error_subcode")));
            assert_eq!(body.fbtrace_id.as_deref(), error.get("fbtrace_id").and_then(Value::as_str));
            assert_eq!(body.is_transient, error.get("is_transient").and_then(Value::as_bool));
            for status in [None, Some(input.answers[0].status)] {
                let transient = body.transient(status);
                if let Some(said) = body.is_transient {
                    assert_eq!(transient, said, "is_transient is the Graph's word");
                }
            }
            let err = Error::Graph { status: Some(input.answers[0].status), body, retry_after_ms: None };
            assert_no_secret(&err.redact(&input.secrets()), &input.secrets());
        }),
    )
}

/// `check_page`, `check_node` and `next_cursor` on any value.
fn page_target(generator: &mut Generator) -> Case {
    let input = if generator.rng.one_in(2) {
        let mut input = generator.input(0);
        input.answers.push(generator.page());
        input
    } else {
        generator.input(1)
    };
    (
        input,
        Box::new(|input: &Input| {
            let Some(value) = input.answers[0].json() else { return };
            let status = Some(input.answers[0].status);
            for node in [Node::Conversation, Node::Message] {
                match check_page(&value, node, status) {
                    Ok(()) => assert!(is_page(&value, node), "check_page accepted {value}"),
                    Err(err) => {
                        assert!(!is_page(&value, node), "check_page refused a page: {err}");
                        assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, status));
                    }
                }
                match check_node(&value, node, status) {
                    Ok(()) => assert!(is_node(&value, node)),
                    Err(err) => {
                        assert!(!is_node(&value, node), "check_node refused a node: {err}");
                        assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, status));
                    }
                }
            }
            let paging = value.get("paging");
            let has_next = paging.and_then(|p| p.get("next")).and_then(Value::as_str).is_some_and(|n| !n.is_empty());
            let non_empty = value.get("data").and_then(Value::as_array).is_some_and(|d| !d.is_empty());
            let after = paging.and_then(|p| p.get("cursors")).and_then(|c| c.get("after")).and_then(Value::as_str);
            match next_cursor(&value) {
                Ok(Some(cursor)) => {
                    assert!(has_next && non_empty && !cursor.is_empty());
                    assert_eq!(Some(cursor.as_str()), after);
                }
                Ok(None) => assert!(!(has_next && non_empty)),
                Err(err) => {
                    assert!(has_next && non_empty && after.is_none_or(str::is_empty));
                    assert_eq!(err.kind(), ErrorKind::Decode);
                }
            }
        }),
    )
}

/// `CursorWalk` over a run of pages, then the client's `next_page` over
/// the same answers: the walk ends, never repeats a cursor, never leaves
/// its path, and its errors hold no secret.
fn walk_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    for _ in 0..1 + generator.rng.below(6) {
        let page = generator.page();
        input.answers.push(page);
    }
    (
        input,
        Box::new(|input: &Input| {
            let start = ["A", "B"].contains(&input.word.as_str()).then(|| input.word.clone());
            let mut walk = CursorWalk::starting_at(start.clone());
            let mut seen: HashSet<String> = start.iter().cloned().collect();
            for answer in &input.answers {
                if walk.done() {
                    break;
                }
                let Some(body) = answer.json() else { continue };
                let next = match next_cursor(&body) {
                    Ok(next) => next,
                    Err(_) => {
                        walk.advance(None).expect("ending a walk cannot fail");
                        assert!(walk.done());
                        continue;
                    }
                };
                match walk.advance(next.clone()) {
                    Ok(()) => match &next {
                        None => assert!(walk.done()),
                        Some(cursor) => {
                            assert!(seen.insert(cursor.clone()), "a repeated cursor was accepted");
                            assert_eq!(walk.after(), Some(cursor.as_str()));
                            assert!(!walk.done());
                        }
                    },
                    Err(err) => {
                        assert!(walk.done());
                        assert_eq!(err.kind(), ErrorKind::Decode);
                        assert!(next.is_some_and(|cursor| seen.contains(&cursor)));
                    }
                }
            }

            let client = input.client();
            let query = ConversationQuery { after: start, ..Default::default() };
            let mut walk = ListWalk::conversations("100200300400500", &query).expect("a valid walk");
            let mut pages = 0;
            for _ in 0..input.answers.len() + 3 {
                match block_on(client.next_page(&mut walk)) {
                    Ok(Some(body)) => {
                        pages += 1;
                        assert!(is_page(&body, Node::Conversation));
                    }
                    Ok(None) => {
                        assert!(walk.done());
                        break;
                    }
                    Err(err) => assert_no_secret(&err, &input.secrets()),
                }
            }
            assert!(pages <= input.answers.len());
            assert_sent_to(&client, input, "/100200300400500/conversations");
        }),
    )
}

/// The usage headers, typed and as a wait.
fn usage_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            let headers = input.answers[0].response_headers();
            let values = UsageValues::<Value>::parse(&headers);
            for (value, text) in [
                (&values.app, &headers.app_usage),
                (&values.page, &headers.page_usage),
                (&values.business_use_case, &headers.business_use_case_usage),
            ] {
                let parsed =
                    text.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok()).filter(Value::is_object);
                assert_eq!(value, &parsed);
            }
            assert_eq!(
                values.is_empty(),
                values.app.is_none() && values.page.is_none() && values.business_use_case.is_none()
            );
            let usage = Usage::read(&values);
            assert_eq!(usage.app.is_some(), values.app.is_some());
            if let (Some(app), Some(value)) = (&usage.app, &values.app) {
                assert_eq!(app.call_count, value.get("call_count").and_then(Value::as_f64));
            }
            let text = serde_json::to_string(&usage).expect("usage serialises");
            let again = serde_json::from_str::<Usage>(&text).expect("usage reads back");
            assert_same(&again, &usage);
            let retry = headers.retry_after.as_deref();
            let wait = wait_ms(&values, retry);
            assert!(wait != Some(0));
            if let Some(seconds) = retry.and_then(|s| s.trim().parse::<u64>().ok()).filter(|&s| s > 0) {
                assert!(wait >= Some(seconds.saturating_mul(1000)), "Retry-After {seconds} gave {wait:?}");
            }
        }),
    )
}

/// The `Json` helpers over `serde_json::Value`.
fn json_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            let text = input.answers[0].text();
            assert_eq!(Value::parse(&text), serde_json::from_str::<Value>(&text).ok());
            let Some(value) = input.answers[0].json() else { return };
            let mut keys: Vec<String> = KEYS.iter().map(|k| (*k).to_owned()).collect();
            keys.extend(value.entries().into_iter().map(|(k, _)| k));
            for key in &keys {
                assert_eq!(Json::get(&value, key), value.as_object().and_then(|o| o.get(key)).cloned());
                assert_eq!(str_member(&value, key).as_deref(), value.get(key).and_then(Value::as_str));
                assert_eq!(int_member(&value, key), whole(value.get(key)));
            }
            assert_eq!(value.entries().len(), value.as_object().map_or(0, Map::len));
            let len = value.array_len();
            assert_eq!(len, value.as_array().map(Vec::len));
            for i in 0..len.unwrap_or(0) + 2 {
                assert_eq!(value.at(i), value.as_array().and_then(|a| a.get(i)).cloned());
            }
            assert_eq!(Json::string(&value), value.as_str().map(str::to_owned));
            assert_eq!(Json::number(&value), value.as_f64());
            assert_eq!(Json::is_string(&value), value.is_string());
        }),
    )
}

/// The serde models (and the JS-facing query types) from any bytes: no
/// panic, and what is read writes back to the same value. A query read
/// from JSON builds a request that stays on its path.
fn models_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            fn round_trip<T>(bytes: &[u8]) -> Option<T>
            where
                T: serde::de::DeserializeOwned + serde::Serialize,
            {
                let read: T = serde_json::from_slice(bytes).ok()?;
                let text = serde_json::to_string(&read).expect("a model serialises");
                let again: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text} does not read back: {e}"));
                assert_same(&again, &read);
                Some(read)
            }
            let bytes = &input.answers[0].text;
            round_trip::<Page<Conversation>>(bytes);
            round_trip::<Conversation>(bytes);
            round_trip::<Page<Message>>(bytes);
            round_trip::<Message>(bytes);
            round_trip::<Participant>(bytes);
            round_trip::<Usage>(bytes);
            round_trip::<Fields>(bytes);
            let config = input.config();
            let page = PageId::new("100200300400500").expect("a valid id");
            if let Some(query) = round_trip::<ConversationQuery>(bytes) {
                if let Ok(request) = graph_conversations::core::request::GraphRequest::list_conversations(&page, &query)
                {
                    let url = request.to_http(&config).url;
                    let path = format!("{BASE_URL}/{}/100200300400500/conversations", config.api_version);
                    assert_eq!(url.split('?').next(), Some(path.as_str()), "{url}");
                    // A query that itself holds the token (a `paging.next` link
                    // passed as `after`) is the caller's; the client refuses to
                    // send it (see `client.rs`), to_http only builds it.
                    let echoed = String::from_utf8_lossy(bytes).contains(&input.token);
                    assert!(echoed || !url.contains(&input.token), "{url}");
                }
            }
            if let Some(query) = round_trip::<MessageQuery>(bytes) {
                let _ = ListWalk::messages("t_1", &query);
            }
        }),
    )
}

/// `get_messages` over batch answers: one result per id, each item a
/// message or an error, no secret in any error.
fn batch_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    let most = if generator.rng.one_in(16) { 120 } else { 8 };
    let ids = 1 + generator.rng.below(most);
    for chunk in 0..ids.div_ceil(50) {
        let n = (ids - chunk * 50).min(50);
        let batch = generator.batch(n);
        input.answers.push(batch);
    }
    input.word = ids.to_string();
    (
        input,
        Box::new(|input: &Input| {
            let n: usize = input.word.parse().expect("the id count");
            let ids: Vec<String> = (0..n).map(|i| format!("m_{i}")).collect();
            let client = input.client();
            match block_on(client.get_messages(&ids, None)) {
                Ok(results) => {
                    assert_eq!(results.len(), n);
                    for result in results {
                        match result {
                            Ok(item) => {
                                assert!(is_node(&item, Node::Message), "a batch item that is no message: {item}")
                            }
                            Err(err) => assert_no_secret(&err, &input.secrets()),
                        }
                    }
                }
                Err(err) => assert_no_secret(&err, &input.secrets()),
            }
            assert_sent_to(&client, input, "/");
        }),
    )
}

/// Every client method over one answer: a list is a page, a node a node,
/// an error holds no secret, the request stayed on its path.
fn client_target(generator: &mut Generator) -> Case {
    let method = generator.rng.below(5);
    let mut input = generator.input(1);
    input.word = method.to_string();
    (
        input,
        Box::new(|input: &Input| {
            let client = input.client();
            // What a success must be: a page, a node, or (find) a node or nothing.
            enum Shape {
                Page(Node),
                Node(Node),
                Found,
            }
            let (result, path, shape) = match input.word.as_str() {
                "0" => {
                    let query = ConversationQuery::default();
                    (
                        block_on(client.list_conversations("1", &query)),
                        "/1/conversations",
                        Shape::Page(Node::Conversation),
                    )
                }
                "1" => {
                    let query = MessageQuery::default();
                    (block_on(client.list_messages("t_1", &query)), "/t_1/messages", Shape::Page(Node::Message))
                }
                "2" => (block_on(client.get_conversation("t_1", None)), "/t_1", Shape::Node(Node::Conversation)),
                "3" => (block_on(client.get_message("m_1", None)), "/m_1", Shape::Node(Node::Message)),
                _ => {
                    let found = block_on(client.find_conversation("1", "5000000000000001", None, None));
                    (found.map(|c| c.unwrap_or(Value::Null)), "/1/conversations", Shape::Found)
                }
            };
            match (result, shape) {
                (Ok(body), Shape::Page(node)) => assert!(is_page(&body, node), "{body}"),
                (Ok(body), Shape::Node(node)) => assert!(is_node(&body, node), "{body}"),
                (Ok(body), Shape::Found) => assert!(body.is_null() || is_node(&body, Node::Conversation), "{body}"),
                (Err(err), _) => assert_no_secret(&err, &input.secrets()),
            }
            assert_sent_to(&client, input, path);
        }),
    )
}

/// The sync planner driven call by call over any answers, failures and
/// "reduce the amount of data" errors, from any cursor: every call it hands
/// out can be built and stays on its path, it never makes more calls than
/// allowed, and the cursor it writes is one it reads back.
fn sync_plan_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    input.sync = generator.sync_options();
    input.concurrency = 1 + generator.rng.below(3);
    input.word = generator.sync_cursor(&input.sync).unwrap_or_default();
    for _ in 0..1 + generator.rng.below(12) {
        let answer = generator.sync_answer();
        input.answers.push(answer);
    }
    (
        input,
        Box::new(|input: &Input| {
            let page = PageId::new(PAGE).expect("a valid id");
            let options = input.sync.clone();
            let cursor = Some(input.word.as_str()).filter(|c| !c.is_empty());
            let mut plan = match SyncPlan::new(page.clone(), options.clone(), cursor) {
                Ok(plan) => plan,
                Err(err) => {
                    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
                    assert!(cursor.is_some() || options.check().is_err(), "fresh plan refused: {err}");
                    return;
                }
            };
            assert!(options.check().is_ok());
            let config = input.config();
            let mut in_flight: Vec<(u64, SyncCall)> = Vec::new();
            for answer in &input.answers {
                while in_flight.len() < input.concurrency {
                    let Some((id, call)) = plan.next_call() else { break };
                    let request = plan
                        .request(&call)
                        .unwrap_or_else(|err| panic!("the plan handed out {call:?}, which cannot be built: {err}"));
                    let path = match &call {
                        SyncCall::Conversations { .. } => format!("/{PAGE}/conversations"),
                        SyncCall::Messages(follow_up) => {
                            assert!(ConversationId::new(follow_up.conversation.as_str()).is_ok());
                            assert!(follow_up.remaining >= 1);
                            format!("/{}/messages", follow_up.conversation)
                        }
                    };
                    assert_eq!(request.path, path);
                    let url = request.to_http(&config).url;
                    assert_eq!(
                        url.split('?').next(),
                        Some(format!("{BASE_URL}/{}{path}", config.api_version).as_str())
                    );
                    in_flight.push((id, call));
                }
                assert!(options.max_requests.is_none_or(|max| plan.calls() <= max));
                if in_flight.is_empty() {
                    assert!(plan.finished() || options.max_requests.is_some_and(|max| plan.calls() >= max));
                    break;
                }
                let (id, call) = in_flight.swap_remove(usize::from(answer.status) % in_flight.len());
                let mut stop = false;
                match answer.status % 10 {
                    0 => plan.failed(id),
                    1 => {
                        let _ = plan.ask_for_less(id);
                    }
                    _ => {
                        let body = answer.json().unwrap_or(Value::Null);
                        let (threads, error) = plan.answered(id, &body);
                        for thread in &threads {
                            let wanted = match &call {
                                SyncCall::Conversations { .. } => options.messages_per_conversation,
                                SyncCall::Messages(follow_up) => follow_up.remaining,
                            };
                            assert!(
                                thread.messages.len() <= wanted as usize,
                                "{} messages for {wanted}",
                                thread.messages.len()
                            );
                            assert_eq!(thread.conversation.is_some(), matches!(call, SyncCall::Conversations { .. }));
                        }
                        if let Some(err) = error {
                            assert_eq!(err.kind(), ErrorKind::Decode);
                            stop = true;
                        }
                    }
                }
                match plan.cursor() {
                    Some(cursor) => {
                        let again = SyncPlan::new(page.clone(), options.clone(), Some(&cursor))
                            .unwrap_or_else(|err| panic!("the plan's own cursor {cursor} is refused: {err}"));
                        assert_eq!(again.cursor().as_deref(), Some(cursor.as_str()));
                    }
                    None => assert!(plan.finished() && in_flight.is_empty()),
                }
                if stop {
                    break;
                }
            }
        }),
    )
}

/// `sync_inbox` over scripted answers: no secret in its errors, a cursor
/// whenever it stopped short, and that cursor accepted by a new sync.
fn sync_client_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    input.sync = generator.sync_options();
    input.concurrency = 1 + generator.rng.below(4);
    input.word = generator.sync_cursor(&input.sync).unwrap_or_default();
    for _ in 0..1 + generator.rng.below(10) {
        let answer = if generator.rng.one_in(5) { generator.answer() } else { generator.sync_answer() };
        input.answers.push(answer);
    }
    (
        input,
        Box::new(|input: &Input| {
            let client = input.client();
            let cursor = Some(input.word.as_str()).filter(|c| !c.is_empty());
            let mut reports = 0u32;
            let result =
                block_on(client.sync_inbox(PAGE, input.sync.clone(), cursor, input.concurrency, &mut |progress| {
                    reports += 1;
                    assert_eq!(progress.requests, reports);
                }));
            let page = PageId::new(PAGE).expect("a valid id");
            let inbox = match result {
                Ok(inbox) => {
                    assert_eq!(inbox.complete, inbox.cursor.is_none());
                    inbox
                }
                Err(failure) => {
                    assert_no_secret(&failure.error, &input.secrets());
                    match failure.partial {
                        Some(partial) => partial,
                        None => {
                            assert!(client.transport().sent().is_empty(), "sent, but no partial result");
                            return;
                        }
                    }
                }
            };
            assert_eq!(inbox.requests, reports);
            if let Some(cursor) = &inbox.cursor {
                SyncPlan::new(page, input.sync.clone(), Some(cursor))
                    .unwrap_or_else(|err| panic!("the sync's own cursor {cursor} is refused: {err}"));
            }
            let ids: HashSet<&str> = inbox.conversations.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(ids.len(), inbox.conversations.len(), "a thread listed twice");
            for sent in client.transport().sent() {
                for secret in input.unechoed_secrets() {
                    assert!(!sent.url.contains(secret), "a secret in {}", sent.url);
                }
                let path = sent.url.split('?').next().unwrap_or("");
                let path =
                    path.strip_prefix(&format!("{BASE_URL}/{}/", input.config().api_version)).expect("on the base URL");
                let segments: Vec<&str> = path.split('/').collect();
                match segments[..] {
                    [page, "conversations"] => assert_eq!(page, PAGE),
                    [thread, "messages"] => assert!(ConversationId::new(thread).is_ok() && thread != "."),
                    _ => panic!("sent to {}", sent.url),
                }
            }
        }),
    )
}

/// Graph times, the retry policy and the pacer on odd numbers.
fn time_and_retry_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(1);
    input.word = match generator.time() {
        Value::String(text) => text,
        other => other.to_string(),
    };
    (
        input,
        Box::new(|input: &Input| {
            let text = &input.word;
            if let Some(seconds) = unix_seconds(text) {
                assert!(
                    text.len() >= 10 && text.as_bytes()[..4].iter().all(u8::is_ascii_digit),
                    "{text:?} read as {seconds}"
                );
                if text.len() == 10 {
                    assert_eq!(seconds.rem_euclid(86_400), 0);
                }
            }
            // The error this answer would give, and what the backoff makes of it.
            let answer = &input.answers[0];
            let headers = answer.response_headers();
            let usage = UsageValues::<Value>::parse(&headers);
            let Err(err) = read_response(HttpResponse { status: answer.status, headers, body: answer.body() }, &usage)
            else {
                return;
            };
            let numbers = answer.text.iter().map(|&b| u64::from(b)).chain([0, 1, 7, u64::MAX]);
            for (i, n) in numbers.take(8).enumerate() {
                let policy = RetryPolicy {
                    max_retries: (n % 12) as u32,
                    base_delay_ms: n.wrapping_mul(997),
                    max_delay_ms: n.wrapping_mul(7919) % 3_600_001,
                };
                let random = [0.0, 0.5, 0.999_999, -1.0, 2.0, f64::NAN, f64::INFINITY][i % 7];
                for retry in [0, 1, 2, 31, 64, 65, u32::MAX] {
                    if let Some(ms) = policy.delay_ms(&err, retry, random) {
                        assert!(err.transient() && retry >= 1 && retry <= policy.max_retries);
                        let asked = err.retry_after_ms().unwrap_or(0);
                        assert!(ms >= asked && ms <= policy.max_delay_ms.max(asked), "waits {ms} ms");
                    }
                }
                let mut pacer = Pacer::new();
                let now = [0.0, 1e12, -5.0, f64::NAN, f64::INFINITY, 1.5][i % 6];
                let rate = [2.0, 1000.0, 1e-300, 0.0, -1.0, f64::NAN, f64::INFINITY, 0.5][(n % 8) as usize];
                let first = pacer.reserve(now, (n % 60) as u32, rate);
                let second = pacer.reserve(now, 1, rate);
                assert!(
                    first >= 0.0 && second >= 0.0 || first.is_nan() || second.is_nan(),
                    "negative wait {first}, {second}"
                );
            }
        }),
    )
}

const TARGETS: &[(&str, Target)] = &[
    ("read_response", read_response_target),
    ("graph_error", graph_error_target),
    ("page", page_target),
    ("walk", walk_target),
    ("usage", usage_target),
    ("json", json_target),
    ("models", models_target),
    ("batch", batch_target),
    ("client", client_target),
    ("sync_plan", sync_plan_target),
    ("sync_client", sync_client_target),
    ("time_retry", time_and_retry_target),
];

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
