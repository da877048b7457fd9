//! The inbox: history (sync results), live events (webhooks) and sent
//! messages in one view, the same whatever the order and repetition of its
//! inputs.
//!
//! How it stays order-independent: the inbox keeps *facts*, not a
//! rendered view. Each thread holds the copies of its messages (one per
//! distinct copy a source gave: a sync, a webhook, a send), its newest
//! synced conversation object, and its events (edits, unsends, reactions,
//! reads) — each a set that only grows by union, cut by a rule that depends
//! on the facts alone (the newest messages by `created_time`, the newest
//! events by time). What a page sees is derived from those sets on demand:
//! copies of one message merge by mid (the richest source first, and a
//! copy only fills in what the others lack), the highest edit count wins,
//! the latest reaction per person wins, an unsend is final. A live message
//! from a person whose thread no sync has brought yet is kept under that
//! person; once a sync brings a thread with that person among its
//! participants, both are one conversation. Since every part is a union of
//! sets and a function of the final sets, two inboxes given the same inputs
//! in any order, with any repeats, hold the same facts and write the same
//! snapshot, byte for byte.
//!
//! Memory is bounded per thread: the copies of the newest `max_messages`
//! messages (by `created_time`, then mid; each copy by its own time, so two
//! copies of one message that disagree on it take two places) and the
//! newest `4 × max_messages` events (by time). An event about a message
//! outside that window changes nothing that is shown, whether it came
//! before or after the message.

use std::collections::{BTreeMap, BTreeSet};

use super::account::own_ids;
use super::error::Error;
use super::query::Platform;
use super::time::unix_seconds;
use super::value::Value;
use super::webhook::{EventKind, WebhookEvent};

/// How deep the inbox reads an input value.
const READ_DEPTH: usize = 32;
/// How deep it reads a snapshot: a copy's value sits 5 levels down in one,
/// 4 deeper than a message in the shallowest input (`{ message }`).
const SNAPSHOT_DEPTH: usize = READ_DEPTH + 4;
/// Events kept per thread, per message kept.
const EVENTS_PER_MESSAGE: usize = 4;

/// Where a copy of a message came from; a richer source's fields win.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Webhook = 1,
    Sent = 2,
    Sync = 3,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Sent => "sent",
            Self::Sync => "sync",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [Self::Webhook, Self::Sent, Self::Sync].into_iter().find(|s| s.name() == name)
    }
}

/// A thread's key: a Graph conversation id, or (for live messages before a
/// sync brought the thread) the person's id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Conversation(String),
    Customer(String),
}

impl Key {
    fn text(&self) -> String {
        match self {
            Self::Conversation(id) => format!("c:{id}"),
            Self::Customer(id) => format!("p:{id}"),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text.split_once(':')? {
            ("c", id) => Some(Self::Conversation(id.to_owned())),
            ("p", id) => Some(Self::Customer(id.to_owned())),
            _ => None,
        }
    }
}

/// One copy of a message.
#[derive(Clone, Debug, PartialEq)]
struct Copy {
    source: Source,
    /// `created_time` in whole seconds (webhook milliseconds are cut to
    /// the second the Graph shows), 0 when unknown.
    created: i64,
    value: Value,
}

/// The facts of one thread.
#[derive(Clone, Debug, Default, PartialEq)]
struct Thread {
    /// The newest synced conversation object (without its messages), by
    /// `updated_time` and then its text.
    conversation: Option<(String, Value)>,
    /// mid → (source, text) → copy.
    copies: BTreeMap<String, BTreeMap<(Source, String), Copy>>,
    /// (time ms, text) → event.
    events: BTreeMap<(i64, String), Value>,
}

impl Thread {
    fn add_copy(&mut self, mid: String, copy: Copy, cap: usize) {
        let text = copy.value.to_json_text();
        self.copies.entry(mid).or_default().insert((copy.source, text), copy);
        self.cut_copies(cap);
    }

    /// The copies of the newest `cap` (created, mid) pairs. Each copy ranks
    /// by its own time: a message's earliest copy changes as copies come, so
    /// ranking by it made what was cut depend on the order of the inputs.
    fn cut_copies(&mut self, cap: usize) {
        let ranked: BTreeSet<(i64, &String)> =
            self.copies.iter().flat_map(|(mid, copies)| copies.values().map(move |c| (c.created, mid))).collect();
        if ranked.len() <= cap {
            return;
        }
        let kept: BTreeSet<(i64, String)> = ranked.into_iter().rev().take(cap).map(|(t, m)| (t, m.clone())).collect();
        for (mid, copies) in &mut self.copies {
            copies.retain(|_, copy| kept.contains(&(copy.created, mid.clone())));
        }
        self.copies.retain(|_, copies| !copies.is_empty());
    }

    fn add_event(&mut self, time: i64, event: Value, cap: usize) {
        self.events.insert((time, event.to_json_text()), event);
        while self.events.len() > cap * EVENTS_PER_MESSAGE {
            self.events.pop_first();
        }
    }

    fn add_conversation(&mut self, conversation: Value) {
        let updated = conversation.get("updated_time").and_then(Value::as_str).unwrap_or("").to_owned();
        let rank = (updated, conversation.to_json_text());
        let newer = match &self.conversation {
            Some((updated, value)) => rank > (updated.clone(), value.to_json_text()),
            None => true,
        };
        if newer {
            self.conversation = Some((rank.0, conversation));
        }
    }

    fn merge(&mut self, other: &Thread, cap: usize) {
        if let Some((_, conversation)) = &other.conversation {
            self.add_conversation(conversation.clone());
        }
        for (mid, copies) in &other.copies {
            let mine = self.copies.entry(mid.clone()).or_default();
            for (key, copy) in copies {
                mine.insert(key.clone(), copy.clone());
            }
        }
        self.cut_copies(cap);
        for (key, event) in &other.events {
            self.events.insert(key.clone(), event.clone());
        }
        while self.events.len() > cap * EVENTS_PER_MESSAGE {
            self.events.pop_first();
        }
    }

    fn participants(&self) -> Vec<String> {
        let Some((_, conversation)) = &self.conversation else { return Vec::new() };
        let data = conversation.get("participants").and_then(|p| p.get("data"));
        data.map(Value::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.get("id")?.as_str().map(str::to_owned))
            .collect()
    }
}

/// The earliest known `created_time` of a message's copies (0 if none).
fn created_of<'a>(copies: impl Iterator<Item = &'a Copy>) -> i64 {
    copies.map(|c| c.created).filter(|c| *c > 0).min().unwrap_or(0)
}

/// What one `apply` changed, for redrawing only that.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Conversations (by output id) that appeared.
    pub conversations_added: Vec<String>,
    /// Conversations whose object or messages changed.
    pub conversations_updated: Vec<String>,
    /// Conversations no longer shown under that id (a person's thread that
    /// a sync joined to its conversation id).
    pub conversations_removed: Vec<String>,
    /// Messages (by mid) that appeared.
    pub messages_added: Vec<String>,
    /// Messages that changed (an edit, a reaction, a richer copy).
    pub messages_updated: Vec<String>,
    /// Messages no longer shown (unsent, or out of the window).
    pub messages_removed: Vec<String>,
}

impl Changes {
    /// Whether anything changed.
    pub fn is_empty(&self) -> bool {
        self.conversations_added.is_empty()
            && self.conversations_updated.is_empty()
            && self.conversations_removed.is_empty()
            && self.messages_added.is_empty()
            && self.messages_updated.is_empty()
            && self.messages_removed.is_empty()
    }

    /// `{ conversations: { added, updated, removed }, messages: { added, updated, removed } }`.
    pub fn to_value(&self) -> Value {
        let list = |ids: &[String]| Value::Array(ids.iter().cloned().map(Value::String).collect());
        let part = |added: &[String], updated: &[String], removed: &[String]| {
            Value::object().with("added", list(added)).with("updated", list(updated)).with("removed", list(removed))
        };
        Value::object()
            .with(
                "conversations",
                part(&self.conversations_added, &self.conversations_updated, &self.conversations_removed),
            )
            .with("messages", part(&self.messages_added, &self.messages_updated, &self.messages_removed))
    }
}

/// The inbox of one account (a Page, or an Instagram professional account).
#[derive(Clone, Debug, PartialEq)]
pub struct Inbox {
    account_id: String,
    platform: Platform,
    max_messages: usize,
    /// Ids of the account itself among participants and senders.
    own: BTreeSet<String>,
    threads: BTreeMap<Key, Thread>,
}

/// A rendered conversation: its output id and the text of each part, to
/// tell what changed.
type Rendered = BTreeMap<String, (Value, BTreeMap<String, String>)>;

impl Inbox {
    /// An empty inbox of `account_id` on `platform`, keeping at most
    /// `max_messages` newest messages per conversation.
    pub fn new(account_id: &str, platform: Platform, max_messages: u32) -> Self {
        let own = [account_id.to_owned()].into_iter().filter(|id| !id.is_empty()).collect();
        Self {
            account_id: account_id.to_owned(),
            platform,
            max_messages: max_messages.max(1) as usize,
            own,
            threads: BTreeMap::new(),
        }
    }

    /// Applies one input: a sync result (`{ conversations, accountIds? }`),
    /// a webhook event, a list of them, or what `sendMessage` resolved to
    /// (`{ recipientId, messageId, message }`).
    ///
    /// # Errors
    /// An invalid-argument error for a value that is none of these; nothing
    /// is applied then.
    pub fn apply(&mut self, input: &Value) -> Result<Changes, Error> {
        let inputs = match input {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        let mut parsed = Vec::with_capacity(inputs.len());
        for (i, item) in inputs.into_iter().enumerate() {
            parsed.push(Input::read(item).ok_or_else(|| {
                Error::invalid_argument(format!(
                    "inbox.apply: input {i} is not a sync result, a webhook event or a sent message"
                ))
            })?);
        }
        let whole = parsed.iter().any(|input| matches!(input, Input::Sync(_)));
        let touched: Vec<Key> = if whole { Vec::new() } else { parsed.iter().filter_map(Input::key).collect() };
        let before = if whole { self.render_all() } else { self.render_keys(&touched) };
        for input in parsed {
            self.add(input);
        }
        let after = if whole { self.render_all() } else { self.render_keys(&touched) };
        Ok(diff(&before, &after))
    }

    /// [`Inbox::apply`] on the caller's JSON (a JS value in the wasm
    /// build, `serde_json::Value` on the host).
    ///
    /// # Errors
    /// As [`Inbox::apply`].
    pub fn apply_json<J: super::json::Json>(&mut self, input: &J) -> Result<Changes, Error> {
        self.apply(&Value::read(input, READ_DEPTH))
    }

    /// [`Inbox::restore`] from the parsed snapshot text.
    ///
    /// # Errors
    /// As [`Inbox::restore`].
    pub fn restore_json<J: super::json::Json>(snapshot: &J) -> Result<Self, Error> {
        Self::restore(&Value::read(snapshot, SNAPSHOT_DEPTH))
    }

    fn add(&mut self, input: Input) {
        let cap = self.max_messages;
        match input {
            Input::Sync(sync) => {
                for id in sync.get("accountIds").map(Value::items).unwrap_or_default() {
                    if let Some(id) = id.as_str().filter(|id| !id.is_empty()) {
                        self.own.insert(id.to_owned());
                    }
                }
                for conversation in sync.get("conversations").map(Value::items).unwrap_or_default() {
                    let Some(id) = conversation.get("id").and_then(Value::as_str) else { continue };
                    let thread = self.threads.entry(Key::Conversation(id.to_owned())).or_default();
                    let mut object = conversation.clone();
                    let messages = object.remove("messages");
                    thread.add_conversation(object);
                    let list = match &messages {
                        Some(Value::Array(items)) => items.clone(),
                        Some(page) => page.get("data").map(|d| d.items().to_vec()).unwrap_or_default(),
                        None => Vec::new(),
                    };
                    for message in list {
                        if let Some((mid, copy)) = copy_of(&message, Source::Sync) {
                            thread.add_copy(mid, copy, cap);
                        }
                    }
                }
            }
            Input::Event(event) => {
                if !event.account_id.is_empty() {
                    self.own.insert(event.account_id.clone());
                }
                if event.customer_id.is_empty() {
                    return;
                }
                let thread = self.threads.entry(Key::Customer(event.customer_id.clone())).or_default();
                match event.kind {
                    EventKind::Message | EventKind::Echo => {
                        if let Some((mid, copy)) = event.message.as_ref().and_then(|m| copy_of(m, Source::Webhook)) {
                            thread.add_copy(mid, copy, cap);
                        }
                    }
                    EventKind::Edit | EventKind::Delete | EventKind::Reaction | EventKind::Read => {
                        let fact = fact_of(&event);
                        thread.add_event(event.timestamp as i64, fact, cap);
                    }
                    _ => {}
                }
            }
            Input::Sent { customer, message } => {
                let thread = self.threads.entry(Key::Customer(customer)).or_default();
                if let Some((mid, copy)) = copy_of(&message, Source::Sent) {
                    thread.add_copy(mid, copy, cap);
                }
            }
        }
    }

    /// The ids of the account itself: the ones given, and on Instagram the
    /// participant every synced thread has.
    fn own_ids(&self) -> BTreeSet<String> {
        let conversations: Vec<serde_like::Ref<'_>> =
            self.threads.values().filter_map(|t| t.conversation.as_ref().map(|(_, c)| serde_like::Ref(c))).collect();
        let mut own = self.own.clone();
        own.extend(own_ids::<serde_like::Ref<'_>, _>("", &conversations).into_iter().filter(|id| !id.is_empty()));
        own
    }

    /// Person → the synced conversations they take part in (as a customer).
    fn customer_index(&self, own: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
        let mut index: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (key, thread) in &self.threads {
            let Key::Conversation(id) = key else { continue };
            for person in thread.participants().into_iter().filter(|p| !own.contains(p)) {
                index.entry(person).or_default().insert(id.clone());
            }
        }
        index
    }

    /// The output groups: each synced conversation with the persons' threads
    /// that belong to it alone, and every other person's thread on its own.
    fn groups(&self) -> Vec<(String, Vec<Key>)> {
        let own = self.own_ids();
        let index = self.customer_index(&own);
        let mut groups: BTreeMap<String, Vec<Key>> = BTreeMap::new();
        for key in self.threads.keys() {
            let owner = match key {
                Key::Conversation(id) => id.clone(),
                Key::Customer(person) => match index.get(person) {
                    Some(ids) if ids.len() == 1 => ids.iter().next().cloned().unwrap_or_default(),
                    _ => person.clone(),
                },
            };
            groups.entry(owner).or_default().push(key.clone());
        }
        groups.into_iter().collect()
    }

    fn render_group(&self, id: &str, keys: &[Key], own: &BTreeSet<String>) -> Option<Value> {
        let mut thread = Thread::default();
        let mut customer = None;
        for key in keys {
            if let Some(part) = self.threads.get(key) {
                thread.merge(part, self.max_messages);
            }
            if let Key::Customer(person) = key {
                customer = Some(person.clone());
            }
        }
        let customer = customer.or_else(|| thread.participants().into_iter().find(|p| !own.contains(p)));
        let messages = render_messages(&thread, own);
        if messages.is_empty() && thread.conversation.is_none() {
            return None;
        }
        let mut conversation = match &thread.conversation {
            Some((_, object)) => object.clone(),
            None => Value::object().with("id", Value::text(id)),
        };
        if let Some(customer) = customer {
            conversation.set("customer_id", Value::String(customer));
        }
        let newest = messages.first().and_then(|m| m.get("created_time")).and_then(Value::as_str).map(str::to_owned);
        let updated = conversation.get("updated_time").and_then(Value::as_str).map(str::to_owned);
        let latest = match (newest, updated) {
            (Some(a), Some(b)) => Some(if unix_seconds(&a) >= unix_seconds(&b) { a } else { b }),
            (a, b) => a.or(b),
        };
        if let Some(latest) = latest {
            conversation.set("updated_time", Value::String(latest));
        }
        if let Some(watermark) = read_watermark(&thread) {
            conversation.set("read_watermark", Value::Number(watermark as f64));
        }
        conversation.set("messages", Value::Array(messages));
        Some(conversation)
    }

    fn render_all(&self) -> Rendered {
        let own = self.own_ids();
        let mut out = Rendered::new();
        for (id, keys) in self.groups() {
            if let Some(conversation) = self.render_group(&id, &keys, &own) {
                out.insert(id, split(conversation));
            }
        }
        out
    }

    fn render_keys(&self, touched: &[Key]) -> Rendered {
        let own = self.own_ids();
        let mut out = Rendered::new();
        for (id, keys) in self.groups() {
            if keys.iter().any(|k| touched.contains(k)) || touched.iter().any(|k| k == &Key::Conversation(id.clone())) {
                if let Some(conversation) = self.render_group(&id, &keys, &own) {
                    out.insert(id, split(conversation));
                }
            }
        }
        // A touched person with no thread yet renders as nothing: it is new.
        out
    }

    /// Every conversation, newest activity first, each with its messages
    /// newest first.
    pub fn conversations(&self) -> Vec<Value> {
        let own = self.own_ids();
        let mut list: Vec<Value> =
            self.groups().into_iter().filter_map(|(id, keys)| self.render_group(&id, &keys, &own)).collect();
        list.sort_by(|a, b| activity(b).cmp(&activity(a)).then_with(|| id_of(a).cmp(id_of(b))));
        list
    }

    /// One conversation, by its id or by the person's id.
    pub fn conversation(&self, id_or_customer: &str) -> Option<Value> {
        self.conversations().into_iter().find(|c| {
            id_of(c) == id_or_customer || c.get("customer_id").and_then(Value::as_str) == Some(id_or_customer)
        })
    }

    /// The inbox as one canonical JSON text; [`Inbox::restore`] reads it
    /// back. Two inboxes given the same inputs write the same bytes.
    pub fn snapshot(&self) -> String {
        let threads = self
            .threads
            .iter()
            .map(|(key, thread)| {
                let copies = thread
                    .copies
                    .values()
                    .flat_map(|copies| copies.values())
                    .map(|c| {
                        Value::object()
                            .with("source", Value::text(c.source.name()))
                            .with("created", Value::Number(c.created as f64))
                            .with("value", c.value.clone())
                    })
                    .collect();
                let events = thread
                    .events
                    .iter()
                    .map(|((time, _), event)| Value::Array(vec![Value::Number(*time as f64), event.clone()]))
                    .collect();
                let mut out = Value::object().with("key", Value::String(key.text()));
                if let Some((_, conversation)) = &thread.conversation {
                    out.set("conversation", conversation.clone());
                }
                out.with("copies", Value::Array(copies)).with("events", Value::Array(events))
            })
            .collect();
        Value::object()
            .with("graphConversationsInbox", Value::Number(1.0))
            .with("accountId", Value::String(self.account_id.clone()))
            .with("platform", Value::text(self.platform.as_str()))
            .with("maxMessagesPerConversation", Value::Number(self.max_messages as f64))
            .with("own", Value::Array(self.own.iter().cloned().map(Value::String).collect()))
            .with("threads", Value::Array(threads))
            .to_json_text()
    }

    /// The inbox a [`Inbox::snapshot`] wrote (parsed).
    ///
    /// # Errors
    /// An invalid-argument error for anything else.
    pub fn restore(snapshot: &Value) -> Result<Self, Error> {
        let bad = || Error::invalid_argument("Inbox.restore: not a snapshot that inbox.snapshot() wrote");
        if snapshot.get("graphConversationsInbox").and_then(Value::as_f64) != Some(1.0) {
            return Err(bad());
        }
        let account = snapshot.get("accountId").and_then(Value::as_str).ok_or_else(bad)?;
        let platform = Platform::parse(snapshot.get("platform").and_then(Value::as_str).ok_or_else(bad)?)?;
        let max = snapshot.get("maxMessagesPerConversation").and_then(Value::as_f64).ok_or_else(bad)?;
        let mut inbox = Self::new(account, platform, max.clamp(1.0, f64::from(u32::MAX)) as u32);
        for id in snapshot.get("own").map(Value::items).unwrap_or_default() {
            inbox.own.insert(id.as_str().ok_or_else(bad)?.to_owned());
        }
        for thread in snapshot.get("threads").map(Value::items).unwrap_or_default() {
            let key = Key::parse(thread.get("key").and_then(Value::as_str).ok_or_else(bad)?).ok_or_else(bad)?;
            let mut state = Thread::default();
            if let Some(conversation) = thread.get("conversation") {
                state.add_conversation(conversation.clone());
            }
            for copy in thread.get("copies").map(Value::items).unwrap_or_default() {
                let source =
                    Source::parse(copy.get("source").and_then(Value::as_str).ok_or_else(bad)?).ok_or_else(bad)?;
                let created = copy.get("created").and_then(Value::as_f64).ok_or_else(bad)? as i64;
                let value = copy.get("value").cloned().ok_or_else(bad)?;
                let mid = value.get("id").and_then(Value::as_str).ok_or_else(bad)?.to_owned();
                state.add_copy(mid, Copy { source, created, value }, inbox.max_messages);
            }
            for event in thread.get("events").map(Value::items).unwrap_or_default() {
                let [time, value] = event.items() else { return Err(bad()) };
                state.add_event(time.as_f64().ok_or_else(bad)? as i64, value.clone(), inbox.max_messages);
            }
            inbox.threads.insert(key, state);
        }
        Ok(inbox)
    }
}

/// One input of [`Inbox::apply`].
enum Input {
    Sync(Value),
    Event(Box<WebhookEvent>),
    Sent { customer: String, message: Value },
}

impl Input {
    fn read(value: &Value) -> Option<Self> {
        if matches!(value.get("conversations"), Some(Value::Array(_))) {
            return Some(Self::Sync(value.clone()));
        }
        if value.get("kind").is_some() {
            return WebhookEvent::from_value(value).map(|e| Self::Event(Box::new(e)));
        }
        let customer = value.get("recipientId").and_then(Value::as_str)?;
        let mut message = value.get("message").cloned().unwrap_or_else(Value::object);
        if let Some(mid) = value.get("messageId").and_then(Value::as_str) {
            message.set("id", Value::text(mid));
        }
        Some(Self::Sent { customer: customer.to_owned(), message })
    }

    fn key(&self) -> Option<Key> {
        match self {
            Self::Sync(_) => None,
            Self::Event(event) => Some(Key::Customer(event.customer_id.clone())),
            Self::Sent { customer, .. } => Some(Key::Customer(customer.clone())),
        }
    }
}

/// A message node as a copy keyed by its mid.
fn copy_of(message: &Value, source: Source) -> Option<(String, Copy)> {
    let mid = message.get("id").and_then(Value::as_str).filter(|m| !m.is_empty())?.to_owned();
    let created = message.get("created_time").and_then(Value::as_str).and_then(unix_seconds).unwrap_or(0);
    Some((mid, Copy { source, created, value: message.clone() }))
}

/// The part of an event the inbox keeps: what it does, to which message, by
/// whom, when.
fn fact_of(event: &WebhookEvent) -> Value {
    let mut fact = Value::object().with("kind", Value::text(event.kind.as_str()));
    if let Some(mid) = &event.mid {
        fact.set("mid", Value::String(mid.clone()));
    }
    fact.set(
        "person",
        Value::String(if event.kind == EventKind::Reaction { event_person(event) } else { String::new() }),
    );
    if let Some(text) = &event.text {
        fact.set("text", Value::String(text.clone()));
    }
    if let Some(count) = event.edit_count {
        fact.set("count", Value::Number(f64::from(count)));
    }
    if let Some(reaction) = &event.reaction {
        fact.set("action", Value::String(reaction.action.clone()));
        if let Some(emoji) = reaction.emoji.as_ref().or(reaction.reaction.as_ref()) {
            fact.set("reaction", Value::String(emoji.clone()));
        }
    }
    if let Some(watermark) = event.watermark {
        fact.set("watermark", Value::Number(watermark));
    }
    fact
}

/// Who reacted: the sender of the reaction item.
fn event_person(event: &WebhookEvent) -> String {
    let sender = event.raw.get("sender").and_then(|s| s.get("id"));
    match sender {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(n)) => format!("{n:.0}"),
        _ => event.customer_id.clone(),
    }
}

/// The newest `max` messages of a thread, each its copies merged and its
/// events applied, newest first; unsent ones are left out.
fn render_messages(thread: &Thread, _own: &BTreeSet<String>) -> Vec<Value> {
    let mut edits: BTreeMap<&str, (f64, i64, &str)> = BTreeMap::new();
    let mut deleted: BTreeSet<&str> = BTreeSet::new();
    let mut reactions: BTreeMap<(&str, &str), (i64, &str, Option<&str>)> = BTreeMap::new();
    for ((time, text), event) in &thread.events {
        let Some(mid) = event.get("mid").and_then(Value::as_str) else { continue };
        match event.get("kind").and_then(Value::as_str) {
            Some("edit") => {
                let count = event.get("count").and_then(Value::as_f64).unwrap_or(0.0);
                let new = event.get("text").and_then(Value::as_str).unwrap_or("");
                let slot = edits.entry(mid).or_insert((count, *time, new));
                if (count, *time, new) > *slot {
                    *slot = (count, *time, new);
                }
            }
            Some("delete") => {
                deleted.insert(mid);
            }
            Some("reaction") => {
                let person = event.get("person").and_then(Value::as_str).unwrap_or("");
                let action = event.get("action").and_then(Value::as_str).unwrap_or("react");
                let reaction = event.get("reaction").and_then(Value::as_str);
                let slot = reactions.entry((mid, person)).or_insert((*time, action, reaction));
                if (*time, text.as_str()) > (slot.0, "") && (*time, action, reaction) > *slot {
                    *slot = (*time, action, reaction);
                }
            }
            _ => {}
        }
    }
    let mut messages: Vec<(i64, &str, Value)> = Vec::new();
    for (mid, copies) in &thread.copies {
        if deleted.contains(mid.as_str()) {
            continue;
        }
        let mut ordered: Vec<&Copy> = copies.values().collect();
        ordered
            .sort_by(|a, b| b.source.cmp(&a.source).then_with(|| b.value.to_json_text().cmp(&a.value.to_json_text())));
        let mut message = Value::object();
        for copy in ordered {
            for (key, value) in copy.value.members() {
                if message.get(key).is_none() {
                    message.set(key, value.clone());
                }
            }
        }
        if let Some((count, _, text)) = edits.get(mid.as_str()) {
            message.set("message", Value::text(*text));
            message.set("edit_count", Value::Number(*count));
        }
        let live: Vec<(&str, &str)> = reactions
            .iter()
            .filter(|((m, _), _)| *m == mid.as_str())
            .filter_map(|((_, person), (_, action, reaction))| {
                (*action == "react").then_some((*person, reaction.unwrap_or("")))
            })
            .collect();
        let decided: BTreeSet<&str> = reactions.keys().filter(|(m, _)| *m == mid.as_str()).map(|(_, p)| *p).collect();
        if !decided.is_empty() {
            message.set("reactions", reactions_value(message.get("reactions"), &decided, &live));
        }
        messages.push((created_of(copies.values()), mid.as_str(), message));
    }
    messages.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)));
    messages.into_iter().map(|(_, _, m)| m).collect()
}

/// The Graph's `reactions` shape (`{ data: [{ reaction, users: [{ id }] }] }`):
/// the synced ones of persons with no live event, then the live ones.
fn reactions_value(synced: Option<&Value>, decided: &BTreeSet<&str>, live: &[(&str, &str)]) -> Value {
    let mut by_reaction: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for group in synced.and_then(|r| r.get("data")).map(Value::items).unwrap_or_default() {
        let reaction = group.get("reaction").and_then(Value::as_str).unwrap_or("").to_owned();
        for user in group.get("users").map(Value::items).unwrap_or_default() {
            let id = user.get("id").and_then(Value::as_str).unwrap_or("");
            if !decided.contains(id) {
                by_reaction.entry(reaction.clone()).or_default().push(user.clone());
            }
        }
    }
    for (person, reaction) in live {
        by_reaction.entry((*reaction).to_owned()).or_default().push(Value::object().with("id", Value::text(*person)));
    }
    let data = by_reaction
        .into_iter()
        .map(|(reaction, users)| {
            Value::object().with("reaction", Value::String(reaction)).with("users", Value::Array(users))
        })
        .collect();
    Value::object().with("data", Value::Array(data))
}

/// Up to when the person has read (ms): the highest watermark, or the time
/// of the newest message a read names.
fn read_watermark(thread: &Thread) -> Option<i64> {
    let mut best: Option<i64> = None;
    for event in thread.events.values().filter(|e| e.get("kind").and_then(Value::as_str) == Some("read")) {
        let at = event.get("watermark").and_then(Value::as_f64).map(|w| w as i64).or_else(|| {
            let mid = event.get("mid").and_then(Value::as_str)?;
            thread.copies.get(mid).map(|copies| created_of(copies.values()) * 1000)
        });
        if let Some(at) = at {
            best = Some(best.map_or(at, |b| b.max(at)));
        }
    }
    best
}

fn id_of(conversation: &Value) -> &str {
    conversation.get("id").and_then(Value::as_str).unwrap_or("")
}

fn activity(conversation: &Value) -> i64 {
    conversation.get("updated_time").and_then(Value::as_str).and_then(unix_seconds).unwrap_or(0)
}

/// A rendered conversation as (the object without messages, mid → text).
fn split(mut conversation: Value) -> (Value, BTreeMap<String, String>) {
    let messages = conversation.remove("messages").map(|m| m.items().to_vec()).unwrap_or_default();
    let by_mid = messages.iter().filter_map(|m| Some((m.get("id")?.as_str()?.to_owned(), m.to_json_text()))).collect();
    (conversation, by_mid)
}

fn diff(before: &Rendered, after: &Rendered) -> Changes {
    let mut changes = Changes::default();
    for (id, (object, messages)) in after {
        match before.get(id) {
            None => changes.conversations_added.push(id.clone()),
            Some((old_object, old_messages)) => {
                if old_object != object || old_messages != messages {
                    changes.conversations_updated.push(id.clone());
                }
            }
        }
        let old = before.get(id).map(|(_, m)| m);
        for (mid, text) in messages {
            match old.and_then(|m| m.get(mid)) {
                None => changes.messages_added.push(mid.clone()),
                Some(old_text) if old_text != text => changes.messages_updated.push(mid.clone()),
                Some(_) => {}
            }
        }
    }
    for (id, (_, messages)) in before {
        let now = after.get(id).map(|(_, m)| m);
        if now.is_none() {
            changes.conversations_removed.push(id.clone());
        }
        for mid in messages.keys() {
            let still = after.values().any(|(_, m)| m.contains_key(mid));
            if !still {
                changes.messages_removed.push(mid.clone());
            }
        }
        let _ = now;
    }
    // A message that moved between conversations (a person's thread joined
    // to its conversation) is not new.
    let removed: BTreeSet<String> = changes.messages_removed.iter().cloned().collect();
    let before_mids: BTreeSet<&String> = before.values().flat_map(|(_, m)| m.keys()).collect();
    changes.messages_added.retain(|mid| !before_mids.contains(mid) || removed.contains(mid));
    changes.messages_added.sort();
    changes.messages_added.dedup();
    changes.messages_updated.sort();
    changes.messages_updated.dedup();
    changes
}

/// A [`Value`] seen through the [`Json`](super::json::Json) trait, so the
/// account rule of [`own_ids`] reads the inbox's own values.
mod serde_like {
    use crate::core::json::Json;
    use crate::core::secrets::BodyText;
    use crate::core::value::Value;

    /// A borrowed value.
    #[derive(Clone, Copy)]
    pub struct Ref<'a>(pub &'a Value);

    static NULL: Value = Value::Null;

    /// Values are never parsed from text here.
    pub struct NoText;

    impl BodyText for NoText {
        fn contains(&self, _: &str) -> bool {
            false
        }
        fn replace_all(&self, _: &str, _: &str) -> Self {
            Self
        }
        fn start(&self, _: usize) -> String {
            String::new()
        }
    }

    impl<'a> Json for Ref<'a> {
        type Text = NoText;
        fn parse_text(_: &NoText) -> Option<Self> {
            None
        }
        fn parse(_: &str) -> Option<Self> {
            None
        }
        fn get(&self, key: &str) -> Option<Self> {
            self.0.get(key).map(Ref)
        }
        fn array_len(&self) -> Option<usize> {
            matches!(self.0, Value::Array(_)).then(|| self.0.items().len())
        }
        fn at(&self, index: usize) -> Option<Self> {
            self.0.items().get(index).map(Ref)
        }
        fn string(&self) -> Option<String> {
            self.0.as_str().map(str::to_owned)
        }
        fn number(&self) -> Option<f64> {
            self.0.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            match self.0 {
                Value::Bool(b) => Some(*b),
                _ => None,
            }
        }
        fn is_object(&self) -> bool {
            matches!(self.0, Value::Object(_))
        }
        fn is_null(&self) -> bool {
            matches!(self.0, Value::Null)
        }
        fn entries(&self) -> Vec<(String, Self)> {
            Vec::new()
        }
        fn null() -> Self {
            Ref(&NULL)
        }
        fn from_bool(_: bool) -> Self {
            Ref(&NULL)
        }
        fn from_f64(_: f64) -> Self {
            Ref(&NULL)
        }
        fn from_str(_: &str) -> Self {
            Ref(&NULL)
        }
        fn from_array(_: Vec<Self>) -> Self {
            Ref(&NULL)
        }
        fn new_object() -> Self {
            Ref(&NULL)
        }
        fn set_member(&mut self, _: &str, _: Self) {}
        fn stringify(&self) -> String {
            self.0.to_json_text()
        }
    }
}
