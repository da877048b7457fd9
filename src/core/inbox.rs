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
//! Memory is bounded per thread: the newest `max_messages` messages (by
//! `created_time`, then mid) and the newest `4 × max_messages` events (by
//! time). An event about a message outside that window changes nothing
//! that is shown, whether it came before or after the message.

use crate::prelude::*;
use crate::text::{cat, push_decimal, split_once_byte};

use ::core::cmp::Ordering;

use super::account::own_ids_with;
use super::error::Error;
use super::query::Platform;
use super::string_set::StringSet;
use super::time::unix_seconds;
use super::value::{Value, ValueRef};
use super::webhook::{EventKind, WebhookEvent};

/// A map kept as a vector sorted by key: what the inbox needs of a map
/// (ordered iteration, lookups, inserts) in far less wasm code than a
/// `BTreeMap` per key and value type.
#[derive(Clone, Debug, PartialEq)]
struct SortedMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    fn get(&self, key: &K) -> Option<&V> {
        self.0.get(self.find(key).ok()?).map(|(_, v)| v)
    }

    fn contains_key(&self, key: &K) -> bool {
        self.find(key).is_ok()
    }

    /// The value of `key`, made with `make` when missing.
    fn entry(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.find(&key) {
            Ok(at) => at,
            Err(at) => {
                self.0.insert(at, (key, make()));
                at
            }
        };
        &mut self.0[at].1
    }

    fn insert(&mut self, key: K, value: V) {
        match self.find(&key) {
            Ok(at) => {
                if let Some((_, slot)) = self.0.get_mut(at) {
                    *slot = value;
                }
            }
            Err(at) => self.0.insert(at, (key, value)),
        }
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// How deep the inbox reads an input value.
pub const READ_DEPTH: usize = 32;
/// How deep a snapshot is read: a kept message sits a few levels below
/// where its input held it (threads, copies, value), so a snapshot of
/// inputs read [`READ_DEPTH`] deep is read back whole.
pub const SNAPSHOT_DEPTH: usize = READ_DEPTH + 8;
/// Events kept per thread, per message kept.
pub const EVENTS_PER_MESSAGE: usize = 4;
/// Copies kept per thread, per message kept (a sync, a send, a webhook).
pub const COPIES_PER_MESSAGE: usize = 3;

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
        let mut found = None;
        for source in [Self::Webhook, Self::Sent, Self::Sync] {
            if source.name() == name {
                found = Some(source);
                break;
            }
        }
        found
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
            Self::Conversation(id) => cat!("c:", id),
            Self::Customer(id) => cat!("p:", id),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match split_once_byte(text, b':')? {
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
    mid: String,
    value: Value,
}

/// Copies in (created, mid, source, text) order. The canonical text is
/// written only for two copies of one message from one source in one
/// second, so no copy keeps its text.
fn copy_order(a: &Copy, b: &Copy) -> Ordering {
    (a.created, &a.mid, a.source)
        .cmp(&(b.created, &b.mid, b.source))
        .then_with(|| a.value.to_json_text().cmp(&b.value.to_json_text()))
}

/// Copies of one message, the poorest source first, then by text.
fn richness(a: &Copy, b: &Copy) -> Ordering {
    a.source.cmp(&b.source).then_with(|| a.value.to_json_text().cmp(&b.value.to_json_text()))
}

/// An event: when (ms) and the fact.
type Event = (i64, Value);

/// Events in (time, text) order; the text is written only on a tie.
fn event_order(a: &Event, b: &Event) -> Ordering {
    a.0.cmp(&b.0).then_with(|| a.1.to_json_text().cmp(&b.1.to_json_text()))
}

/// Puts `item` into the sorted `list` unless an equal one is there; then
/// keeps only the newest `limit`.
fn add_sorted<T>(list: &mut Vec<T>, item: T, order: impl Fn(&T, &T) -> Ordering, limit: usize) {
    if let Err(at) = list.binary_search_by(|x| order(x, &item)) {
        list.insert(at, item);
    }
    if list.len() > limit {
        list.drain(..list.len() - limit);
    }
}

/// The facts of one thread.
#[derive(Clone, Debug, Default, PartialEq)]
struct Thread {
    /// The newest synced conversation object (without its messages), by
    /// `updated_time` and then its text.
    conversation: Option<(String, Value)>,
    /// One entry per distinct copy, in [`copy_order`], oldest first, so the
    /// window keeps the newest copies.
    copies: Vec<Copy>,
    /// Events in [`event_order`].
    events: Vec<Event>,
}

/// Whether the conversation object `a` ranks above `b`: by `updated_time`,
/// then by text.
fn newer(a: &(String, Value), b: &(String, Value)) -> bool {
    a.0.cmp(&b.0).then_with(|| a.1.to_json_text().cmp(&b.1.to_json_text())) == Ordering::Greater
}

impl Thread {
    /// Adds a copy and keeps the newest `3 × cap` copies. Each copy is cut
    /// on its own facts, so two copies of one message that disagree on its
    /// second are cut the same way in any order.
    fn add_copy(&mut self, copy: Copy, cap: usize) {
        add_sorted(&mut self.copies, copy, copy_order, cap * COPIES_PER_MESSAGE);
    }

    /// Adds an event and keeps the newest `4 × cap`: the oldest go first.
    fn add_event(&mut self, time: i64, event: Value, cap: usize) {
        add_sorted(&mut self.events, (time, event), event_order, cap * EVENTS_PER_MESSAGE);
    }

    fn add_conversation(&mut self, conversation: Value) {
        let updated = conversation.get("updated_time").and_then(Value::as_str).unwrap_or("").to_owned();
        let rank = (updated, conversation);
        if self.conversation.as_ref().is_none_or(|old| newer(&rank, old)) {
            self.conversation = Some(rank);
        }
    }

    fn participants(&self) -> Vec<String> {
        let Some((_, conversation)) = &self.conversation else { return Vec::new() };
        participants(conversation)
    }
}

fn participants(conversation: &Value) -> Vec<String> {
    let data = conversation.get("participants").and_then(|p| p.get("data"));
    let mut ids = Vec::new();
    for person in data.map(Value::items).unwrap_or_default() {
        if let Some(id) = person.get("id").and_then(Value::as_str) {
            ids.push(id.to_owned());
        }
    }
    ids
}

/// The facts of one output conversation, borrowed from the threads it
/// joins: what merging copies of them would hold, without the copying.
struct View<'a> {
    conversation: Option<&'a (String, Value)>,
    copies: Vec<&'a Copy>,
    events: Vec<&'a Event>,
}

impl<'a> View<'a> {
    fn of(threads: &[&'a Thread], cap: usize) -> Self {
        let mut conversation: Option<&(String, Value)> = None;
        let mut copies: Vec<&Copy> = Vec::new();
        let mut events: Vec<&Event> = Vec::new();
        for thread in threads {
            if let Some(c) = &thread.conversation {
                if conversation.is_none_or(|old| newer(c, old)) {
                    conversation = Some(c);
                }
            }
            if threads.len() == 1 {
                for copy in &thread.copies {
                    copies.push(copy);
                }
                for event in &thread.events {
                    events.push(event);
                }
                continue;
            }
            // The union, in order, each fact once; then the same window a
            // thread keeps.
            for copy in &thread.copies {
                add_sorted(&mut copies, copy, |a, b| copy_order(a, b), cap * COPIES_PER_MESSAGE);
            }
            for event in &thread.events {
                add_sorted(&mut events, event, |a, b| event_order(a, b), cap * EVENTS_PER_MESSAGE);
            }
        }
        Self { conversation, copies, events }
    }

    /// The copies of each message: mid → copies, richest source last.
    fn by_mid(&self) -> SortedMap<&'a str, Vec<&'a Copy>> {
        let mut out: SortedMap<&str, Vec<&Copy>> = SortedMap::default();
        for copy in &self.copies {
            let list = out.entry(copy.mid.as_str(), Vec::new);
            let at = list.partition_point(|c| richness(c, copy) != Ordering::Greater);
            list.insert(at, copy);
        }
        out
    }
}

/// The output id of a thread: a person's thread belongs to the one synced
/// conversation that has them as a participant, if there is exactly one.
fn owner_of(key: &Key, index: &SortedMap<String, StringSet>) -> String {
    match key {
        Key::Conversation(id) => id.clone(),
        Key::Customer(person) => match index.get(person) {
            Some(ids) if ids.len() == 1 => ids.iter().next().cloned().unwrap_or_default(),
            _ => person.clone(),
        },
    }
}

/// The latest known `created_time` of a message's copies (0 if none).
fn created_of(copies: &[&Copy]) -> i64 {
    let Some(first) = copies.first() else { return 0 };
    let mut latest = first.created;
    for copy in copies {
        latest = latest.max(copy.created);
    }
    latest
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
        let list = |ids: &[String]| {
            let mut list = Vec::with_capacity(ids.len());
            for id in ids {
                list.push(Value::String(id.clone()));
            }
            Value::Array(list)
        };
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
#[derive(Clone, Debug)]
pub struct Inbox {
    account_id: String,
    platform: Platform,
    max_messages: usize,
    /// Ids of the account itself among participants and senders.
    own: StringSet,
    threads: SortedMap<Key, Thread>,
    /// Derived from the facts, kept between calls: which ids are the
    /// account's own and which persons belong to which synced conversation.
    /// Only a sync or a new account id changes it.
    mapping: ::core::cell::RefCell<Option<alloc::rc::Rc<Mapping>>>,
}

/// The account's own ids, and person → the synced conversations they take
/// part in as a customer.
#[derive(Debug)]
struct Mapping {
    own: StringSet,
    index: SortedMap<String, StringSet>,
}

/// A rendered conversation: its output id, the [`fingerprint`] of its
/// object without messages, and of each message shown by mid (`None`: not
/// rendered, the same before and after), to tell what changed without
/// holding a second copy of what is shown.
type Rendered = SortedMap<String, (u64, SortedMap<String, Option<u64>>)>;

/// A value's canonical text (members sorted, so equal exactly when
/// [`Value::same_as`]), hashed (64-bit FNV-1a): two renders of one message
/// that differ are told apart but for a 2⁻⁶⁴ chance.
fn fingerprint(value: &Value) -> u64 {
    value
        .to_json_text()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3))
}

/// A conversation as [`Inbox::render_group`] gives it: the object without
/// messages, and the messages shown, newest first.
type Parts<'a> = (Value, Vec<(&'a str, Option<Value>)>);

/// The conversation object with its messages.
fn whole((mut conversation, messages): Parts<'_>) -> Value {
    // Loops, not `into_iter().…collect()`: each in-place collect is its own
    // wasm code per item type.
    let mut shown = Vec::with_capacity(messages.len());
    for (_, message) in messages {
        if let Some(message) = message {
            shown.push(message);
        }
    }
    conversation.set("messages", Value::Array(shown));
    conversation
}

impl Inbox {
    /// An empty inbox of `account_id` on `platform`, keeping at most
    /// `max_messages` newest messages per conversation.
    pub fn new(account_id: &str, platform: Platform, max_messages: u32) -> Self {
        let mut own = StringSet::default();
        if !account_id.is_empty() {
            own.insert(account_id);
        }
        Self {
            account_id: account_id.to_owned(),
            platform,
            max_messages: max_messages.max(1) as usize,
            own,
            threads: SortedMap::default(),
            mapping: ::core::cell::RefCell::new(None),
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
        self.apply_value(input.clone())
    }

    /// [`Inbox::apply`] on a value it may keep: a sync's messages move into
    /// the inbox instead of being copied.
    ///
    /// # Errors
    /// As [`Inbox::apply`].
    pub fn apply_value(&mut self, input: Value) -> Result<Changes, Error> {
        let inputs = match input {
            Value::Array(items) => items,
            other => vec![other],
        };
        let mut parsed = Vec::with_capacity(inputs.len());
        let mut whole = false;
        for item in inputs {
            let i = parsed.len();
            let Some(input) = Input::read(item) else {
                return Err(Error::invalid_argument(cat!(
                    "inbox.apply: input ",
                    i,
                    " is not a sync result, a webhook event or a sent message"
                )));
            };
            whole = whole || matches!(input, Input::Sync(_));
            parsed.push(input);
        }
        let mut touched: Vec<Key> = Vec::new();
        if !whole {
            for input in &parsed {
                if let Some(key) = input.key() {
                    touched.push(key);
                }
            }
        }
        let owners = self.owners(&touched);
        // Live inputs that cut nothing change only the messages they name.
        let mut named = StringSet::default();
        for input in &parsed {
            input.mids(&mut named);
        }
        let mut remaps = false;
        for input in &parsed {
            remaps = remaps || self.remaps(input);
        }
        let partial = !whole && !remaps && self.fits(&owners, parsed.len());
        let only = partial.then_some(&named);
        let before = if whole { self.render_all() } else { self.render_keys(&owners, only) };
        for input in parsed {
            self.add(input);
        }
        let after = if whole { self.render_all() } else { self.render_keys(&owners, only) };
        Ok(diff(&before, &after))
    }

    /// [`Inbox::apply`] on the caller's JSON (a JS value in the wasm
    /// build, `serde_json::Value` on the host).
    ///
    /// # Errors
    /// As [`Inbox::apply`].
    pub fn apply_json<J: super::json::Json>(&mut self, input: &J) -> Result<Changes, Error> {
        self.apply_value(Value::read(input, READ_DEPTH))
    }

    /// [`Inbox::restore`] from the parsed snapshot text.
    ///
    /// # Errors
    /// As [`Inbox::restore`].
    pub fn restore_json<J: super::json::Json>(snapshot: &J) -> Result<Self, Error> {
        Self::restore(&Value::read(snapshot, SNAPSHOT_DEPTH))
    }

    /// Whether `input` changes the mapping: a sync, or a new account id.
    fn remaps(&self, input: &Input) -> bool {
        match input {
            Input::Sync(_) => true,
            Input::Event(event) => !event.account_id.is_empty() && !self.own.contains(&event.account_id),
            Input::Sent { .. } => false,
        }
    }

    fn add(&mut self, input: Input) {
        let cap = self.max_messages;
        if self.remaps(&input) {
            self.mapping.replace(None);
        }
        match input {
            Input::Sync(mut sync) => {
                for id in sync.get("accountIds").map(Value::items).unwrap_or_default() {
                    if let Some(id) = id.as_str().filter(|id| !id.is_empty()) {
                        self.own.insert(id);
                    }
                }
                let Some(Value::Array(conversations)) = sync.remove("conversations") else { return };
                for mut object in conversations {
                    let Some(id) = object.get("id").and_then(Value::as_str) else { continue };
                    let thread = self.threads.entry(Key::Conversation(id.to_owned()), Thread::default);
                    let list = match object.remove("messages") {
                        Some(Value::Array(items)) => items,
                        Some(mut page) => match page.remove("data") {
                            Some(Value::Array(items)) => items,
                            _ => Vec::new(),
                        },
                        None => Vec::new(),
                    };
                    thread.add_conversation(object);
                    for message in list {
                        if let Some(copy) = copy_of(message, Source::Sync) {
                            thread.add_copy(copy, cap);
                        }
                    }
                }
            }
            Input::Event(mut event) => {
                if !event.account_id.is_empty() {
                    self.own.insert(&event.account_id);
                }
                if event.customer_id.is_empty() {
                    return;
                }
                let thread = self.threads.entry(Key::Customer(event.customer_id.clone()), Thread::default);
                match event.kind {
                    EventKind::Message | EventKind::Echo => {
                        if let Some(copy) = event.message.take().and_then(|m| copy_of(m, Source::Webhook)) {
                            thread.add_copy(copy, cap);
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
                let thread = self.threads.entry(Key::Customer(customer), Thread::default);
                if let Some(copy) = copy_of(message, Source::Sent) {
                    thread.add_copy(copy, cap);
                }
            }
        }
    }

    /// The mapping, computed once per change of the synced conversations
    /// or the account's ids.
    fn mapping(&self) -> alloc::rc::Rc<Mapping> {
        if let Some(mapping) = self.mapping.borrow().as_ref() {
            return mapping.clone();
        }
        let mut conversations: Vec<ValueRef<'_>> = Vec::new();
        for thread in self.threads.values() {
            if let Some((_, conversation)) = &thread.conversation {
                conversations.push(ValueRef(conversation));
            }
        }
        let mut own = self.own.clone();
        // The account's own ids: the ones given, and on Instagram the
        // participant every synced thread has.
        let mut known: Vec<&str> = Vec::with_capacity(self.own.len());
        for id in self.own.iter() {
            known.push(id);
        }
        for id in own_ids_with::<ValueRef<'_>, _>(&known, &conversations) {
            own.insert_owned(id);
        }
        let mut index: SortedMap<String, StringSet> = SortedMap::default();
        for (key, thread) in self.threads.iter() {
            let Key::Conversation(id) = key else { continue };
            for person in thread.participants() {
                if !own.contains(&person) {
                    index.entry(person, StringSet::default).insert(id);
                }
            }
        }
        let mapping = alloc::rc::Rc::new(Mapping { own, index });
        self.mapping.replace(Some(mapping.clone()));
        mapping
    }

    /// The output groups: each synced conversation with the persons' threads
    /// that belong to it alone, and every other person's thread on its own.
    fn groups(&self) -> Vec<(String, Vec<Key>)> {
        let mapping = self.mapping();
        let mut groups: SortedMap<String, Vec<Key>> = SortedMap::default();
        for key in self.threads.keys() {
            groups.entry(owner_of(key, &mapping.index), Vec::new).push(key.clone());
        }
        groups.0
    }

    /// The threads of the output conversation `owner`, without walking the
    /// others: the synced conversation and the persons' threads that belong
    /// to it alone, or a person's thread on its own.
    fn group(&self, owner: &str, mapping: &Mapping) -> Vec<Key> {
        let conversation = Key::Conversation(owner.to_owned());
        let Some(thread) = self.threads.get(&conversation) else {
            let person = Key::Customer(owner.to_owned());
            return if self.threads.contains_key(&person) { vec![person] } else { Vec::new() };
        };
        let mut keys = vec![conversation];
        for person in thread.participants() {
            let key = Key::Customer(person);
            if self.threads.contains_key(&key) && owner_of(&key, &mapping.index) == owner {
                keys.push(key);
            }
        }
        keys
    }

    /// The output conversation `id` of the threads `keys`: the object
    /// (without messages) and its messages shown, newest first (see
    /// [`render_messages`] for `only`).
    fn render_group(&self, id: &str, keys: &[Key], own: &StringSet, only: Option<&StringSet>) -> Option<Parts<'_>> {
        let mut customer = None;
        for key in keys {
            if let Key::Customer(person) = key {
                customer = Some(person.clone());
                break;
            }
        }
        let mut threads: Vec<&Thread> = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(thread) = self.threads.get(key) {
                threads.push(thread);
            }
        }
        if threads.is_empty() {
            return None;
        }
        let view = View::of(&threads, self.max_messages);
        if let (None, Some((_, c))) = (&customer, view.conversation) {
            for person in participants(c) {
                if !own.contains(&person) {
                    customer = Some(person);
                    break;
                }
            }
        }
        let by_mid = view.by_mid();
        let messages = render_messages(&view, &by_mid, self.max_messages, only);
        if messages.is_empty() && view.conversation.is_none() {
            return None;
        }
        let mut conversation = match view.conversation {
            // Only live inputs render part of a conversation, and they
            // never bring its object: the parts they change are enough.
            Some(_) if only.is_some() => Value::object(),
            Some((_, object)) => object.clone(),
            None => Value::object().with("id", Value::text(id)),
        };
        if let Some(customer) = customer {
            conversation.set("customer_id", Value::String(customer));
        }
        // What the newest message shows as its `created_time`: the richest
        // copy's that has one.
        let mut newest = None;
        if let Some(copies) = messages.first().and_then(|(mid, _)| by_mid.get(mid)) {
            for copy in copies.iter().rev() {
                if let Some(time) = copy.value.get("created_time") {
                    newest = time.as_str().map(str::to_owned);
                    break;
                }
            }
        }
        let updated =
            view.conversation.and_then(|(_, c)| c.get("updated_time")).and_then(Value::as_str).map(str::to_owned);
        let latest = match (newest, updated) {
            (Some(a), Some(b)) => Some(if unix_seconds(&a) >= unix_seconds(&b) { a } else { b }),
            (a, b) => a.or(b),
        };
        if let Some(latest) = latest {
            conversation.set("updated_time", Value::String(latest));
        }
        if let Some(watermark) = read_watermark(&view, &by_mid) {
            conversation.set("read_watermark", Value::from(watermark));
        }
        Some((conversation, messages))
    }

    fn render_all(&self) -> Rendered {
        let mapping = self.mapping();
        let mut out = Rendered::default();
        for (id, keys) in self.groups() {
            if let Some(parts) = self.render_group(&id, &keys, &mapping.own, None) {
                out.insert(id, split(parts));
            }
        }
        out
    }

    /// The output ids `touched` belong to: a person's thread to the one
    /// synced conversation that has them as a participant, if there is one.
    /// Live inputs do not change this mapping (only syncs do), so it is the
    /// same before and after they are applied.
    fn owners(&self, touched: &[Key]) -> StringSet {
        let mapping = self.mapping();
        let mut owners = StringSet::default();
        for key in touched {
            owners.insert_owned(owner_of(key, &mapping.index));
        }
        owners
    }

    fn render_keys(&self, owners: &StringSet, only: Option<&StringSet>) -> Rendered {
        let mapping = self.mapping();
        let mut out = Rendered::default();
        for id in owners.iter() {
            let keys = self.group(id, &mapping);
            if let Some(parts) = self.render_group(id, &keys, &mapping.own, only) {
                out.insert(id.clone(), split(parts));
            }
        }
        out
    }

    /// Whether `extra` more facts leave every thread and view of `owners`
    /// inside its window: then no fact is cut, and a message the inputs do
    /// not name shows the same before and after.
    fn fits(&self, owners: &StringSet, extra: usize) -> bool {
        let mapping = self.mapping();
        for id in owners.iter() {
            let (mut copies, mut events) = (0, 0);
            for key in self.group(id, &mapping) {
                if let Some(thread) = self.threads.get(&key) {
                    copies += thread.copies.len();
                    events += thread.events.len();
                }
            }
            if copies + extra > self.max_messages * COPIES_PER_MESSAGE
                || events + extra > self.max_messages * EVENTS_PER_MESSAGE
            {
                return false;
            }
        }
        true
    }

    /// Every conversation, newest activity first, each with its messages
    /// newest first.
    pub fn conversations(&self) -> Vec<Value> {
        let mapping = self.mapping();
        let mut list = Vec::new();
        for (id, keys) in self.groups() {
            if let Some(parts) = self.render_group(&id, &keys, &mapping.own, None) {
                list.push(whole(parts));
            }
        }
        // Newest activity first, then by id: one sort of plain keys.
        let mut order: Vec<(i64, String, usize)> = Vec::with_capacity(list.len());
        for (i, c) in list.iter().enumerate() {
            order.push((-activity(c), id_of(c).to_owned(), i));
        }
        crate::core::sort::heapsort(&mut order);
        let mut slots: Vec<Option<Value>> = Vec::with_capacity(list.len());
        for conversation in list {
            slots.push(Some(conversation));
        }
        let mut sorted = Vec::with_capacity(slots.len());
        for (_, _, i) in order {
            if let Some(conversation) = slots.get_mut(i).and_then(Option::take) {
                sorted.push(conversation);
            }
        }
        sorted
    }

    /// One conversation, by its id or by the person's id.
    pub fn conversation(&self, id_or_customer: &str) -> Option<Value> {
        let mapping = self.mapping();
        // A synced conversation's id, a person's own thread, or a person
        // who takes part in exactly one synced conversation.
        let owner = if self.threads.contains_key(&Key::Conversation(id_or_customer.to_owned())) {
            id_or_customer.to_owned()
        } else {
            owner_of(&Key::Customer(id_or_customer.to_owned()), &mapping.index)
        };
        let keys = self.group(&owner, &mapping);
        self.render_group(&owner, &keys, &mapping.own, None).map(whole).or_else(|| {
            // A person in several synced conversations (other folders) has
            // no one owner: the newest conversation they are the customer of.
            let mut found = None;
            for c in self.conversations() {
                if c.get("customer_id").and_then(Value::as_str) == Some(id_or_customer) {
                    found = Some(c);
                    break;
                }
            }
            found
        })
    }

    /// The inbox as one canonical JSON text; [`Inbox::restore`] reads it
    /// back. Two inboxes given the same inputs write the same bytes.
    pub fn snapshot(&self) -> String {
        // Written as it goes, members in the canonical (sorted) order, so
        // that no second copy of the inbox is built to write it.
        // Pushed piece by piece, into one text.
        let text = |value: Value| value.to_json_text();
        let mut out = String::from("{\"accountId\":");
        out.push_str(&text(Value::text(self.account_id.as_str())));
        out.push_str(",\"graphConversationsInbox\":1,\"maxMessagesPerConversation\":");
        push_decimal(&mut out, self.max_messages as u64, 1);
        out.push_str(",\"own\":[");
        let mut first = true;
        for id in self.own.iter() {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&text(Value::text(id.as_str())));
        }
        out.push_str("],\"platform\":");
        out.push_str(&text(Value::text(self.platform.as_str())));
        out.push_str(",\"threads\":[");
        let mut first = true;
        for (key, thread) in &self.threads.0 {
            out.push_str(if first { "{" } else { ",{" });
            first = false;
            if let Some((_, conversation)) = &thread.conversation {
                out.push_str("\"conversation\":");
                out.push_str(&conversation.to_json_text());
                out.push(',');
            }
            out.push_str("\"copies\":[");
            for c in &thread.copies {
                if !out.ends_with('[') {
                    out.push(',');
                }
                out.push_str("{\"created\":");
                out.push_str(&cat!(c.created));
                out.push_str(",\"source\":\"");
                out.push_str(c.source.name());
                out.push_str("\",\"value\":");
                out.push_str(&c.value.to_json_text());
                out.push('}');
            }
            out.push_str("],\"events\":[");
            for (time, event) in &thread.events {
                if !out.ends_with('[') {
                    out.push(',');
                }
                out.push('[');
                out.push_str(&cat!(*time));
                out.push(',');
                out.push_str(&event.to_json_text());
                out.push(']');
            }
            out.push_str("],\"key\":");
            out.push_str(&text(Value::String(key.text())));
            out.push('}');
        }
        out.push_str("]}");
        out
    }

    /// The snapshot as a value, written the slow way: what
    /// [`Inbox::snapshot`] must write byte for byte.
    #[cfg(test)]
    pub(crate) fn snapshot_by_value(&self) -> String {
        let threads = self
            .threads
            .iter()
            .map(|(key, thread)| {
                let copies = thread
                    .copies
                    .iter()
                    .map(|c| {
                        Value::object()
                            .with("source", Value::text(c.source.name()))
                            .with("created", Value::from(c.created))
                            .with("value", c.value.clone())
                    })
                    .collect();
                let events = thread
                    .events
                    .iter()
                    .map(|(time, event)| Value::Array(vec![Value::from(*time), event.clone()]))
                    .collect();
                let mut out = Value::object().with("key", Value::String(key.text()));
                if let Some((_, conversation)) = &thread.conversation {
                    out.set("conversation", conversation.clone());
                }
                out.with("copies", Value::Array(copies)).with("events", Value::Array(events))
            })
            .collect();
        Value::object()
            .with("graphConversationsInbox", Value::from(1))
            .with("accountId", Value::String(self.account_id.clone()))
            .with("platform", Value::text(self.platform.as_str()))
            .with("maxMessagesPerConversation", Value::from(self.max_messages as i64))
            .with("own", Value::Array(self.own.iter().cloned().map(Value::String).collect()))
            .with("threads", Value::Array(threads))
            .to_json_text()
    }

    /// The inbox a [`Inbox::snapshot`] wrote (parsed).
    ///
    /// # Errors
    /// An invalid-argument error for anything else.
    pub fn restore(snapshot: &Value) -> Result<Self, Error> {
        Self::read_snapshot(snapshot).unwrap_or_else(|| {
            Err(Error::invalid_argument("Inbox.restore: not a snapshot that inbox.snapshot() wrote"))
        })
    }

    /// [`Inbox::restore`]'s reading: `None` for anything that is not a
    /// snapshot (one error made in one place, not an `ok_or_else` each),
    /// `Some(Err(_))` for an unknown platform.
    fn read_snapshot(snapshot: &Value) -> Option<Result<Self, Error>> {
        if snapshot.get("graphConversationsInbox").and_then(Value::as_f64) != Some(1.0) {
            return None;
        }
        let account = snapshot.get("accountId").and_then(Value::as_str)?;
        let platform = match Platform::parse(snapshot.get("platform").and_then(Value::as_str)?) {
            Ok(platform) => platform,
            Err(error) => return Some(Err(error)),
        };
        let max = snapshot.get("maxMessagesPerConversation").and_then(Value::as_f64)?;
        let mut inbox = Self::new(account, platform, max.clamp(1.0, f64::from(u32::MAX)) as u32);
        for id in snapshot.get("own").map(Value::items).unwrap_or_default() {
            inbox.own.insert(id.as_str()?);
        }
        for thread in snapshot.get("threads").map(Value::items).unwrap_or_default() {
            let key = Key::parse(thread.get("key").and_then(Value::as_str)?)?;
            let mut state = Thread::default();
            if let Some(conversation) = thread.get("conversation") {
                state.add_conversation(conversation.clone());
            }
            for copy in thread.get("copies").map(Value::items).unwrap_or_default() {
                let source = Source::parse(copy.get("source").and_then(Value::as_str)?)?;
                let created = copy.get("created").and_then(Value::as_f64)? as i64;
                let value = copy.get("value").cloned()?;
                let mid = value.get("id").and_then(Value::as_str)?.to_owned();
                state.add_copy(Copy { source, created, mid, value }, inbox.max_messages);
            }
            for event in thread.get("events").map(Value::items).unwrap_or_default() {
                let [time, value] = event.items() else { return None };
                state.add_event(time.as_f64()? as i64, value.clone(), inbox.max_messages);
            }
            inbox.threads.insert(key, state);
        }
        Some(Ok(inbox))
    }
}

/// One input of [`Inbox::apply`].
enum Input {
    Sync(Value),
    Event(Box<WebhookEvent>),
    Sent { customer: String, message: Value },
}

impl Input {
    fn read(value: Value) -> Option<Self> {
        if matches!(value.get("conversations"), Some(Value::Array(_))) {
            return Some(Self::Sync(value));
        }
        if value.get("kind").is_some() {
            return WebhookEvent::from_value(&value).map(|e| Self::Event(Box::new(e)));
        }
        let customer = value.get("recipientId").and_then(Value::as_str)?;
        let mut message = value.get("message").cloned().unwrap_or_else(Value::object);
        if let Some(mid) = value.get("messageId").and_then(Value::as_str) {
            message.set("id", Value::text(mid));
        }
        Some(Self::Sent { customer: customer.to_owned(), message })
    }

    /// The mids this input adds a copy or an event of.
    fn mids(&self, out: &mut StringSet) {
        let mut add = |mid: Option<&str>| {
            if let Some(mid) = mid {
                out.insert(mid);
            }
        };
        match self {
            Self::Sync(_) => {}
            Self::Event(event) => {
                add(event.mid.as_deref());
                add(event.message.as_ref().and_then(|m| m.get("id")).and_then(Value::as_str));
            }
            Self::Sent { message, .. } => add(message.get("id").and_then(Value::as_str)),
        }
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
fn copy_of(message: Value, source: Source) -> Option<Copy> {
    let mid = message.get("id").and_then(Value::as_str).filter(|m| !m.is_empty())?.to_owned();
    let created = message.get("created_time").and_then(Value::as_str).and_then(unix_seconds).unwrap_or(0);
    Some(Copy { source, created, mid, value: message })
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
        fact.set("count", Value::from(i64::from(count)));
    }
    if let Some(reaction) = &event.reaction {
        fact.set("action", Value::String(reaction.action.clone()));
        if let Some(emoji) = reaction.emoji.as_ref().or(reaction.reaction.as_ref()) {
            fact.set("reaction", Value::String(emoji.clone()));
        }
    }
    if let Some(watermark) = event.watermark {
        fact.set("watermark", Value::from(watermark as i64));
    }
    fact
}

/// Who reacted: the sender of the reaction item.
fn event_person(event: &WebhookEvent) -> String {
    let sender = event.raw.get("sender").and_then(|s| s.get("id"));
    match sender {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(n)) => n.as_str().to_owned(),
        _ => event.customer_id.clone(),
    }
}

/// The newest `max` messages of a conversation, newest first, unsent ones
/// left out: each mid with its copies merged and its events applied, or
/// with `None` when `only` is given and does not name it (what a message
/// shows depends on its own copies and events alone, so an apply renders
/// only the messages its inputs name).
fn render_messages<'a>(
    view: &View<'a>,
    by_mid: &SortedMap<&'a str, Vec<&'a Copy>>,
    max: usize,
    only: Option<&StringSet>,
) -> Vec<(&'a str, Option<Value>)> {
    let mut edits: SortedMap<&str, (f64, i64, &str)> = SortedMap::default();
    let mut deleted: SortedMap<&str, ()> = SortedMap::default();
    // (mid, person) → (action, reaction) of the latest event: events come in
    // (time, text) order, so the last one seen wins.
    let mut reactions: SortedMap<(&str, &str), (&str, &str)> = SortedMap::default();
    for (time, event) in view.events.iter().copied() {
        let Some(mid) = event.get("mid").and_then(Value::as_str) else { continue };
        match event.get("kind").and_then(Value::as_str) {
            Some("edit") => {
                let count = event.get("count").and_then(Value::as_f64).unwrap_or(0.0);
                let new = event.get("text").and_then(Value::as_str).unwrap_or("");
                let slot = edits.entry(mid, || (count, *time, new));
                if (count, *time, new) > *slot {
                    *slot = (count, *time, new);
                }
            }
            Some("delete") => deleted.insert(mid, ()),
            Some("reaction") => {
                let person = event.get("person").and_then(Value::as_str).unwrap_or("");
                let action = event.get("action").and_then(Value::as_str).unwrap_or("react");
                let reaction = event.get("reaction").and_then(Value::as_str).unwrap_or("");
                reactions.insert((mid, person), (action, reaction));
            }
            _ => {}
        }
    }
    // Newest first, then by mid: the `max` messages shown, ordered before
    // any is rendered.
    // (Placed one by one: a sort costs more wasm than it saves here.)
    let mut order: Vec<(i64, &str, &[&Copy])> = Vec::with_capacity(by_mid.len());
    for (mid, copies) in &by_mid.0 {
        if deleted.contains_key(mid) {
            continue;
        }
        let key = (-created_of(copies), *mid);
        let at = order.partition_point(|k| (k.0, k.1) <= key);
        order.insert(at, (key.0, key.1, copies));
    }
    order.truncate(max);
    let render = |mid: &str, copies: &[&Copy]| {
        // The richest source first, then by text: walk the copies backwards.
        let mut message = Value::object();
        for copy in copies.iter().rev() {
            for (key, value) in copy.value.members() {
                if message.get(key).is_none() {
                    message.set(key, value.clone());
                }
            }
        }
        if let Some((count, _, text)) = edits.get(&mid) {
            message.set("message", Value::text(*text));
            message.set("edit_count", Value::from(*count as i64));
        }
        let mut mine: Vec<(&str, &str, &str)> = Vec::new();
        for ((m, person), (action, reaction)) in reactions.iter() {
            if *m == mid {
                mine.push((*person, *action, *reaction));
            }
        }
        if !mine.is_empty() {
            message.set("reactions", reactions_value(message.get("reactions"), &mine));
        }
        message
    };
    let mut shown = Vec::with_capacity(order.len());
    for (_, mid, copies) in order {
        let wanted = only.is_none_or(|only| only.contains(mid));
        shown.push((mid, wanted.then(|| render(mid, copies))));
    }
    shown
}

/// The Graph's `reactions` shape (`{ data: [{ reaction, users: [{ id }] }] }`):
/// the synced ones of persons with no live event, then the live ones.
fn reactions_value(synced: Option<&Value>, live: &[(&str, &str, &str)]) -> Value {
    let mut by_reaction: SortedMap<String, Vec<Value>> = SortedMap::default();
    for group in synced.and_then(|r| r.get("data")).map(Value::items).unwrap_or_default() {
        let reaction = group.get("reaction").and_then(Value::as_str).unwrap_or("").to_owned();
        for user in group.get("users").map(Value::items).unwrap_or_default() {
            let id = user.get("id").and_then(Value::as_str).unwrap_or("");
            if !live.iter().any(|(person, _, _)| *person == id) {
                by_reaction.entry(reaction.clone(), Vec::new).push(user.clone());
            }
        }
    }
    for (person, action, reaction) in live {
        if *action == "react" {
            by_reaction.entry((*reaction).to_owned(), Vec::new).push(Value::object().with("id", Value::text(*person)));
        }
    }
    let mut data = Vec::with_capacity(by_reaction.len());
    for (reaction, users) in by_reaction.0 {
        data.push(Value::object().with("reaction", Value::String(reaction)).with("users", Value::Array(users)));
    }
    Value::object().with("data", Value::Array(data))
}

/// Up to when the person has read (ms): the highest watermark, or the time
/// of the newest message a read names.
fn read_watermark(view: &View<'_>, by_mid: &SortedMap<&str, Vec<&Copy>>) -> Option<i64> {
    let mut best: Option<i64> = None;
    for (_, event) in &view.events {
        if event.get("kind").and_then(Value::as_str) != Some("read") {
            continue;
        }
        let at = event.get("watermark").and_then(Value::as_f64).map(|w| w as i64).or_else(|| {
            let mid = event.get("mid").and_then(Value::as_str)?;
            by_mid.get(&mid).map(|copies| created_of(copies) * 1000)
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

/// A rendered conversation as fingerprints: the object without messages,
/// mid → message.
fn split((conversation, messages): Parts<'_>) -> (u64, SortedMap<String, Option<u64>>) {
    let mut by_mid = SortedMap::default();
    for (mid, message) in messages {
        by_mid.insert(mid.to_owned(), message.as_ref().map(fingerprint));
    }
    (fingerprint(&conversation), by_mid)
}

fn diff(before: &Rendered, after: &Rendered) -> Changes {
    let mut changes = Changes::default();
    let shown = |rendered: &Rendered, mid: &String| {
        for (_, (_, m)) in &rendered.0 {
            if m.contains_key(mid) {
                return true;
            }
        }
        false
    };
    for (id, (object, messages)) in &after.0 {
        let old = before.get(id);
        match old {
            None => changes.conversations_added.push(id.clone()),
            Some((old_object, old_messages)) if old_object != object || old_messages != messages => {
                changes.conversations_updated.push(id.clone());
            }
            Some(_) => {}
        }
        for (mid, text) in &messages.0 {
            match old.and_then(|(_, m)| m.get(mid)) {
                Some(old_text) if old_text != text => changes.messages_updated.push(mid.clone()),
                Some(_) => {}
                // A message that moved between conversations (a person's
                // thread joined to its conversation) is not new.
                None if shown(before, mid) => {}
                None => changes.messages_added.push(mid.clone()),
            }
        }
    }
    for (id, (_, messages)) in &before.0 {
        let here = after.get(id);
        if here.is_none() {
            changes.conversations_removed.push(id.clone());
        }
        for (mid, _) in &messages.0 {
            // Most messages stay where they were: look there first.
            if !here.is_some_and(|(_, m)| m.contains_key(mid)) && !shown(after, mid) {
                changes.messages_removed.push(mid.clone());
            }
        }
    }
    sort_unique(&mut changes.messages_added);
    sort_unique(&mut changes.messages_updated);
    sort_unique(&mut changes.messages_removed);
    changes
}

/// `list` sorted, each mid once.
fn sort_unique(list: &mut Vec<String>) {
    let mut set = StringSet::default();
    for mid in list.drain(..) {
        set.insert_owned(mid);
    }
    *list = set.into_vec();
}
