//! The fuzzer's randomness and its inputs: answers built from the corpus
//! and mutated byte by byte or value by value.

#![allow(clippy::wildcard_imports)]

use super::corpus::*;
use super::prelude::*;

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/// xorshift64*: fast, and enough to pick mutations.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        // splitmix64 of the seed, so that nearby seeds diverge at once.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self((z ^ (z >> 31)) | 1)
    }

    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub(super) fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(super) fn bytes(&mut self, max: usize) -> Vec<u8> {
        (0..self.below(max + 1)).map(|_| self.next() as u8).collect()
    }

    pub(super) fn alnum(&mut self, len: usize) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len).map(|_| *self.pick(ALNUM) as char).collect()
    }
}

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// One answer body: its text and, when it came from a structural mutation,
/// the value it is the text of (which may be nested deeper than the JSON
/// parser allows, as a JS engine's objects can be).
#[derive(Clone, Debug)]
pub(super) struct Answer {
    pub(super) status: u16,
    /// X-App-Usage, X-Page-Usage, X-Business-Use-Case-Usage, Retry-After,
    /// Content-Type.
    pub(super) headers: [Option<Vec<u8>>; 5],
    pub(super) text: Vec<u8>,
    pub(super) value: Option<Value>,
    /// Hand the body over as text even when it parses.
    pub(super) as_text: bool,
    /// The transport fails instead (with this text in its message).
    pub(super) transport_error: bool,
}

impl Answer {
    pub(super) fn response_headers(&self) -> ResponseHeaders {
        let text = |i: usize| self.headers[i].as_ref().map(|b| String::from_utf8_lossy(b).into_owned());
        ResponseHeaders {
            app_usage: text(0),
            page_usage: text(1),
            business_use_case_usage: text(2),
            retry_after: text(3),
            content_type: text(4),
        }
    }

    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.text).into_owned()
    }

    /// The body as the client reads it: JSON when it parses.
    pub(super) fn body(&self) -> Body<Value> {
        match &self.value {
            Some(value) if !self.as_text => Body::Json(value.clone()),
            _ if self.as_text => Body::Text(self.text()),
            _ => Value::parse(&self.text()).map_or_else(|| Body::Text(self.text()), Body::Json),
        }
    }

    /// The body as a JSON value, if it is one.
    pub(super) fn json(&self) -> Option<Value> {
        self.value.clone().or_else(|| Value::parse(&self.text()))
    }

    /// The answer as a transport hands it over: the body's raw text.
    pub(super) fn response(&self) -> Result<HttpResponse<String>, Error> {
        if self.transport_error {
            return Err(Error::network(format!("fetch failed: {}", self.text())));
        }
        let text = match &self.value {
            Some(value) if !self.as_text => value.to_string(),
            _ => self.text(),
        };
        Ok(HttpResponse { status: self.status, headers: self.response_headers(), body: text })
    }
}

/// Everything one execution sees.
#[derive(Clone, Debug)]
pub(super) struct Input {
    pub(super) token: String,
    pub(super) app_secret: Option<String>,
    pub(super) token_in: TokenIn,
    /// An id or start cursor, where a target needs one.
    pub(super) word: String,
    /// A sync's options, for the sync targets.
    pub(super) sync: SyncOptions,
    /// Calls a sync keeps in flight.
    pub(super) concurrency: usize,
    pub(super) answers: Vec<Answer>,
    /// The app secrets a webhook is checked with (the signature target;
    /// the first is the handshake's verify token).
    pub(super) webhook_secrets: Vec<String>,
    /// An `X-Hub-Signature-256` header (the signature target).
    pub(super) signature: Option<String>,
    /// The inputs of an inbox, in order (the inbox target), and the most
    /// messages it keeps per conversation.
    pub(super) steps: Vec<Value>,
    pub(super) cap: u32,
}

/// Where the fuzzed client sends: a path prefix, a port.
pub(super) const BASE_URL: &str = "https://graph.example:8443/prefix";

impl Input {
    pub(super) fn config(&self) -> ClientConfig {
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

    pub(super) fn secrets(&self) -> Vec<&str> {
        let mut secrets = vec![self.token.as_str()];
        secrets.extend(self.app_secret.as_deref());
        secrets
    }

    /// What the client redacts with.
    pub(super) fn redactor(&self) -> Secrets<'_> {
        Secrets::new(&self.token, self.app_secret.as_deref())
    }

    /// The secrets that no answer or cursor of this input holds: a Graph
    /// that echoes the token as a cursor or an id gets it sent back, which
    /// the client cannot tell from any other cursor.
    pub(super) fn unechoed_secrets(&self) -> Vec<&str> {
        // A linear search (`str::contains`), not a comparison at every
        // window: the answers of one input reach megabytes.
        let holds = |haystack: &[u8], secret: &str| String::from_utf8_lossy(haystack).contains(secret);
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

    pub(super) fn client(&self) -> Client<ScriptedTransport> {
        let client = Client::new(self.config(), ScriptedTransport::new());
        for answer in &self.answers {
            client.transport().answer(answer.response());
        }
        client
    }
}

pub(super) struct Generator<'a> {
    pub(super) rng: Rng,
    pub(super) corpus: &'a Corpus,
    pub(super) strings: Vec<String>,
}

impl Generator<'_> {
    pub(super) fn input(&mut self, answers: usize) -> Input {
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
        Input {
            token,
            app_secret,
            token_in,
            word,
            sync,
            concurrency: 1,
            answers,
            webhook_secrets: Vec::new(),
            signature: None,
            steps: Vec::new(),
            cap: 0,
        }
    }

    pub(super) fn answer(&mut self) -> Answer {
        let mut answer = self.answer_without_body();
        (answer.text, answer.value) = self.body();
        answer
    }

    /// An answer's status and headers, its body still empty: for the
    /// generators that write the body themselves.
    pub(super) fn answer_without_body(&mut self) -> Answer {
        const STATUSES: &[u16] =
            &[200, 200, 200, 201, 204, 299, 300, 304, 400, 401, 403, 404, 429, 500, 502, 503, 0, 99, 599, 600, 65535];
        let status = if self.rng.one_in(8) { self.rng.next() as u16 } else { *self.rng.pick(STATUSES) };
        let headers = std::array::from_fn(|_| self.header());
        Answer {
            status,
            headers,
            text: Vec::new(),
            value: None,
            as_text: self.rng.one_in(16),
            transport_error: self.rng.one_in(32),
        }
    }

    pub(super) fn header(&mut self) -> Option<Vec<u8>> {
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
    pub(super) fn body(&mut self) -> (Vec<u8>, Option<Value>) {
        match self.rng.below(10) {
            0 => (self.rng.bytes(256), None),
            1..=5 => {
                let mut value = self.rng.pick(&self.corpus.values).clone();
                for _ in 0..1 + self.rng.below(4) {
                    self.mutate_value(&mut value);
                }
                if weight(&value, MAX_WEIGHT) > MAX_WEIGHT {
                    // Repeats of repeats: keep bodies a size a Graph answer has
                    // (weighed before serialising, which would take long).
                    return (self.rng.pick(&self.corpus.seeds).clone(), None);
                }
                let mut text = json_text(&value, self.rng.one_in(4));
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

    pub(super) fn scalar(&mut self) -> Value {
        match self.rng.below(5) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.one_in(2)),
            2 => serde_json::from_str(self.rng.pick::<&str>(NUMBERS)).unwrap_or(Value::Null),
            3 => Value::String(self.rng.pick(&self.strings).clone()),
            _ => Value::String("x".repeat(self.rng.below(5000))),
        }
    }

    pub(super) fn mutate_value(&mut self, root: &mut Value) {
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
                        // At most MAX_WEIGHT more: repeats of repeats grow as
                        // 100^k, and a few took the generator seconds.
                        let n = self.rng.below(100).min(MAX_WEIGHT / weight(&first, MAX_WEIGHT).max(1));
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

    pub(super) fn mutate_bytes(&mut self, bytes: &mut Vec<u8>) {
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
    pub(super) fn page(&mut self) -> Answer {
        let answer = self.answer_without_body();
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
    pub(super) fn seal(&mut self, mut answer: Answer, mut value: Value, one_in: usize) -> Answer {
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
    pub(super) fn batch(&mut self, n: usize) -> Answer {
        if self.rng.one_in(3) {
            return self.answer();
        }
        let mut answer = self.answer_without_body();
        // The bodies of one answer share MAX_WEIGHT: fifty of a quarter
        // megabyte each made answers of 13 MB, which took a second to make
        // and to read (for no more than the input's own size).
        let mut room = MAX_WEIGHT;
        let items: Vec<Value> = (0..n + usize::from(self.rng.one_in(16)))
            .map(|_| match self.rng.below(10) {
                0 => Value::Null,
                1 => self.scalar(),
                _ => {
                    let (mut text, _) = self.body();
                    if text.len() > room {
                        text = br#"{"id":"m_1"}"#.to_vec();
                    }
                    room = room.saturating_sub(text.len());
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
    pub(super) fn count(&mut self) -> u32 {
        match self.rng.below(8) {
            0 => *self.rng.pick(&[0, 101, u32::MAX]),
            1 => 100,
            _ => 1 + self.rng.below(5) as u32,
        }
    }

    pub(super) fn sync_options(&mut self) -> SyncOptions {
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
            conversation_fields: match self.rng.below(4) {
                0 => Some(vec!["snippet".into(), "unread_count".into()]),
                1 => Some(vec![(*self.rng.pick(&["messages", "", "a,b", "participants", "id"])).into()]),
                _ => None,
            },
            updated_since,
            page_size: self.count(),
            adaptive: self.rng.one_in(2),
            max_requests,
            concurrency: 1,
        }
    }

    /// A Graph time, right or odd.
    pub(super) fn time(&mut self) -> Value {
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
    pub(super) fn graph_cursor(&mut self) -> Value {
        match self.rng.below(10) {
            0 => self.scalar(),
            1 => json!(*self.rng.pick(STRINGS)),
            2 => json!(format!("QVFI{}", self.rng.alnum(4000))),
            _ => json!(["A", "B", "C", "D", "E"][self.rng.below(5)]),
        }
    }

    /// `{data, paging}` with `n` items made by `item`, and a next page
    /// (or not).
    pub(super) fn list(&mut self, items: Vec<Value>) -> Value {
        let mut page = object("data", Value::Array(items));
        if !self.rng.one_in(4) {
            page["paging"] =
                json!({"cursors": {"after": self.graph_cursor()}, "next": "https://graph.facebook.com/next"});
        }
        page
    }

    pub(super) fn thread_id(&mut self) -> Value {
        match self.rng.below(12) {
            0 => self.scalar(),
            1 => Value::String(self.rng.pick(&self.strings).clone()),
            _ => json!(format!("t_{}", self.rng.below(6))),
        }
    }

    /// An answer to a sync call: a conversations page with nested
    /// messages, or a messages page; mutated now and then.
    pub(super) fn sync_answer(&mut self) -> Answer {
        let answer = self.answer_without_body();
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
    pub(super) fn plan_cursor(&mut self, options: &SyncOptions) -> Option<String> {
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
    pub(super) fn sync_cursor(&mut self, options: &SyncOptions) -> Option<String> {
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

/// The most a generated value weighs (about its JSON text's length).
pub(super) const MAX_WEIGHT: usize = 1 << 18;

/// About the length of `value`'s JSON text, counted up to a little past
/// `limit` and no further: cheap on a value however large or deep.
pub(super) fn weight(value: &Value, limit: usize) -> usize {
    let mut total = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        total += match value {
            Value::String(text) => text.len() + 2,
            Value::Array(items) => {
                stack.extend(items.iter().take(limit));
                2 + items.len()
            }
            Value::Object(map) => {
                for (key, value) in map.iter().take(limit) {
                    total += key.len() + 4;
                    stack.push(value);
                }
                2
            }
            _ => 5,
        };
        if total > limit {
            break;
        }
    }
    total
}

/// Whether `value` is nested deeper than `limit` levels.
pub(super) fn deeper_than(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 0)];
    while let Some((value, level)) = stack.pop() {
        if level > limit {
            return true;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, level + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, level + 1))),
            _ => {}
        }
    }
    false
}

/// The JSON text of `value`, pretty-printed when asked and shallow enough:
/// the indentation grows with the depth (2 KB a line 1,000 levels down),
/// which made 9 MB bodies of 256 KB values.
pub(super) fn json_text(value: &Value, pretty: bool) -> Vec<u8> {
    if pretty && !deeper_than(value, 32) { serde_json::to_vec_pretty(value) } else { serde_json::to_vec(value) }
        .expect("a value serialises")
}

/// The Page the sync targets read.
pub(super) const PAGE: &str = "100200300400500";

/// `{key: value}`, without the copy that `json!` makes of a value.
pub(super) fn object(key: &str, value: Value) -> Value {
    Value::Object(Map::from_iter([(key.to_owned(), value)]))
}

/// A random node of `root`, by random descent.
pub(super) fn pick_node<'v>(root: &'v mut Value, rng: &mut Rng) -> &'v mut Value {
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
