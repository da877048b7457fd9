//! The inbox-sync planner: which Graph call to make next, and what each
//! answer means for the calls still to make. A state machine with no I/O;
//! the client runs it (see `Client::sync_inbox`).
//!
//! One call reads a page of conversations *with* each thread's newest
//! messages and their details, through field expansion on the conversations
//! edge (`messages.limit(n){…}`). A thread's own messages edge is read only
//! when its nested page held fewer messages than asked for and has more.
//! Whatever is left to do can be written into a cursor, from which a later
//! sync goes on without asking again for anything it already has.

use crate::prelude::*;
use crate::text::{cat, parse_u64, split_byte, split_once_byte};

use super::error::Error;
use super::ids::{ConversationId, PageId};
use super::json::{str_member, Json};
use super::options::{
    ALL_MESSAGES, CONCURRENCY, MAX_REQUESTS, MESSAGES_PER_CALL, MESSAGES_PER_CONVERSATION, PAGE_SIZE,
};
use super::page::next_cursor;
use super::query::{check_cursor, ConversationQuery, Fields, Folder, MessageQuery, Platform};
use super::quoted::quoted;
use super::request::{form_encode, percent_decode, GraphRequest, DEFAULT_MESSAGE_FIELDS};
use super::string_set::StringSet;
use super::time::unix_seconds;

/// The most messages one sync call asks for.
const MAX_SYNC_LIMIT: u32 = MESSAGES_PER_CALL;

/// What to sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncOptions {
    /// Messenger (the Graph's default) or Instagram.
    pub platform: Option<Platform>,
    /// The folder to read; the Graph's default is the inbox.
    pub folder: Option<Folder>,
    /// How many of each thread's newest messages to read
    /// ([`MESSAGES_PER_CONVERSATION`]; [`ALL_MESSAGES`] for all of them).
    pub messages_per_conversation: u32,
    /// The conversation fields to read (`id` and `updated_time` are always
    /// read); `None` for the platform's usual set.
    pub conversation_fields: Option<Vec<String>>,
    /// Conversations come newest first: stop at the first one updated
    /// before this (Unix seconds).
    pub updated_since: Option<i64>,
    /// Conversations per call ([`PAGE_SIZE`]); where an adaptive sync starts.
    pub page_size: u32,
    /// Whether the page size adapts: halved when the Graph asks for less
    /// data, times out or fails on a large page, doubled again after two
    /// pages that went well. `false` keeps `page_size` (halving only on the
    /// Graph's "reduce the amount of data").
    pub adaptive: bool,
    /// Make no more than this many calls; the rest goes into the cursor
    /// ([`MAX_REQUESTS`]).
    pub max_requests: Option<u32>,
    /// Calls in flight at once ([`CONCURRENCY`]).
    pub concurrency: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            platform: None,
            folder: None,
            messages_per_conversation: MESSAGES_PER_CONVERSATION.default_whole(),
            conversation_fields: None,
            updated_since: None,
            page_size: PAGE_SIZE.default_whole(),
            adaptive: true,
            max_requests: None,
            concurrency: CONCURRENCY.default_whole(),
        }
    }
}

impl SyncOptions {
    /// Checks the numbers.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a count out of range.
    pub fn check(&self) -> Result<(), Error> {
        if self.messages_per_conversation != ALL_MESSAGES {
            MESSAGES_PER_CONVERSATION.check(f64::from(self.messages_per_conversation))?;
        }
        PAGE_SIZE.check(f64::from(self.page_size))?;
        CONCURRENCY.check(f64::from(self.concurrency))?;
        for name in self.conversation_fields.as_deref().unwrap_or_default() {
            let plain = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !plain || name == "messages" {
                return Err(Error::invalid_argument(cat!(
                    "invalid fields: ",
                    quoted(name),
                    " is not a conversation field name (a sync reads messages itself; give plain names such as \
                     \"snippet\", \"unread_count\")"
                )));
            }
        }
        if let Some(max) = self.max_requests {
            MAX_REQUESTS.check(f64::from(max))?;
        }
        Ok(())
    }
}

/// The rest of one thread's messages: read from `after`, `remaining` more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// The conversation id.
    pub conversation: String,
    /// The cursor of its messages edge.
    pub after: String,
    /// How many messages are still wanted.
    pub remaining: u32,
}

/// The follow-ups waiting, first out first: a queue as two vectors (the
/// front reversed, so it pops from its end), in a fraction of the wasm code
/// of a `VecDeque`. Each follow-up moves from `back` to `front` once.
#[derive(Debug, Default)]
struct FollowUps {
    /// The first ones, the very first last.
    front: Vec<FollowUp>,
    /// The rest, in order.
    back: Vec<FollowUp>,
}

impl FollowUps {
    fn pop_front(&mut self) -> Option<FollowUp> {
        if self.front.is_empty() {
            self.back.reverse();
            ::core::mem::swap(&mut self.front, &mut self.back);
        }
        self.front.pop()
    }

    fn push_front(&mut self, follow_up: FollowUp) {
        self.front.push(follow_up);
    }

    fn push_back(&mut self, follow_up: FollowUp) {
        self.back.push(follow_up);
    }

    fn len(&self) -> usize {
        self.front.len() + self.back.len()
    }

    fn is_empty(&self) -> bool {
        self.front.is_empty() && self.back.is_empty()
    }
}

/// One call of a sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncCall {
    /// A page of conversations with their newest messages, from `after`.
    Conversations {
        /// The cursor; `None` for the first page.
        after: Option<String>,
    },
    /// More of one thread's messages.
    Messages(FollowUp),
}

/// What is left of a sync, as its cursor holds it: form-encoded pairs
/// (`v=1&page=…&after=…&tc=…&ta=…&tn=…`) in base64url. Written by hand, not
/// with serde_json, which would double the size of the `.wasm`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Remaining {
    /// The Page, and the platform and folder the sync was for.
    page: String,
    platform: Option<String>,
    folder: Option<String>,
    /// `Some(after)` while conversation pages are left (`after` = `None`
    /// for the first page); `None` when all have been read.
    pages: Option<Option<String>>,
    /// Threads whose messages were cut short.
    threads: Vec<FollowUp>,
}

impl Remaining {
    fn encode(&self) -> String {
        let mut pairs = vec![("v", "1".to_owned()), ("page", self.page.clone())];
        if let Some(platform) = &self.platform {
            pairs.push(("platform", platform.clone()));
        }
        if let Some(folder) = &self.folder {
            pairs.push(("folder", folder.clone()));
        }
        if let Some(after) = &self.pages {
            pairs.push(("pages", "1".to_owned()));
            if let Some(after) = after {
                pairs.push(("after", after.clone()));
            }
        }
        for thread in &self.threads {
            pairs.push(("tc", thread.conversation.clone()));
            pairs.push(("ta", thread.after.clone()));
            pairs.push(("tn", cat!(thread.remaining)));
        }
        base64url_encode(form_encode(&pairs).as_bytes())
    }

    fn decode(cursor: &str) -> Option<Self> {
        let text = String::from_utf8(base64url_decode(cursor)?).ok()?;
        let mut remaining = Self::default();
        let mut thread = (None, None);
        let mut first = true;
        for pair in split_byte(&text, b'&') {
            let (key, value) = split_once_byte(pair, b'=')?;
            let value = percent_decode(value, false)?;
            if first {
                if (key, value.as_str()) != ("v", "1") {
                    return None;
                }
                first = false;
                continue;
            }
            match key {
                "page" => remaining.page = value,
                "platform" => remaining.platform = Some(value),
                "folder" => remaining.folder = Some(value),
                "pages" => remaining.pages = Some(None),
                "after" => remaining.pages = Some(Some(value)),
                "tc" => thread = (Some(value), None),
                "ta" => thread.1 = Some(value),
                "tn" => {
                    let (Some(conversation), Some(after)) = ::core::mem::take(&mut thread) else { return None };
                    // Read as u64, as the other numbers of the library are (one
                    // integer parser in the wasm).
                    let wanted = u32::try_from(parse_u64(&value)?).ok()?;
                    remaining.threads.push(FollowUp { conversation, after, remaining: wanted });
                }
                _ => return None,
            }
        }
        Some(remaining)
    }
}

/// One thread from an answer: the conversation (absent for a follow-up
/// call) and the messages the answer held for it, newest first.
#[derive(Clone, Debug)]
pub struct ThreadPart<J> {
    /// The conversation id.
    pub id: String,
    /// The conversation object as the Graph gave it (its `messages` member
    /// is the nested page), or `None` for more messages of a known thread.
    pub conversation: Option<J>,
    /// Its messages in this answer.
    pub messages: Vec<J>,
}

/// The planner. Ask it for calls with [`SyncPlan::next_call`], report each
/// answer with [`SyncPlan::answered`] or [`SyncPlan::failed`].
#[derive(Debug)]
pub struct SyncPlan {
    page: PageId,
    options: SyncOptions,
    /// `Some(after)` when a conversations page is ready to be asked for.
    next_page: Option<Option<String>>,
    /// The conversations page under way, if any.
    page_in_flight: Option<Option<String>>,
    follow_ups: FollowUps,
    in_flight: Vec<(u64, FollowUp)>,
    seen_cursors: StringSet,
    next_id: u64,
    calls: u32,
    /// Conversation pages answered in a row at the current size.
    good_pages: u32,
}

impl SyncPlan {
    /// A plan for `page` with `options`, fresh or from a `cursor` that an
    /// interrupted sync of the same Page, platform and folder gave.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for bad options, a cursor that is not one
    /// of ours, or one from another sync.
    pub fn new(page: PageId, options: SyncOptions, cursor: Option<&str>) -> Result<Self, Error> {
        options.check()?;
        let mut plan = Self {
            page,
            options,
            next_page: Some(None),
            page_in_flight: None,
            follow_ups: FollowUps::default(),
            in_flight: Vec::new(),
            seen_cursors: StringSet::new(),
            next_id: 0,
            calls: 0,
            good_pages: 0,
        };
        if let Some(cursor) = cursor {
            let remaining = plan.read_cursor(cursor)?;
            plan.next_page = remaining.pages;
            if let Some(Some(after)) = &plan.next_page {
                plan.seen_cursors.insert(after);
            }
            plan.follow_ups = FollowUps { front: Vec::new(), back: remaining.threads };
        }
        Ok(plan)
    }

    fn read_cursor(&self, cursor: &str) -> Result<Remaining, Error> {
        let bad = || Error::invalid_argument("cursor is not a syncInbox cursor");
        let remaining = Remaining::decode(cursor).ok_or_else(bad)?;
        let (platform, folder) = self.scope();
        if remaining.page != self.page.as_str() || remaining.platform != platform || remaining.folder != folder {
            return Err(Error::invalid_argument(
                "cursor belongs to a sync of another Page, platform or folder; start without it",
            ));
        }
        // Only a cursor whose every call can be built: one that fails the
        // same way on each resume would be a cursor to nowhere.
        let sendable = |after: &str| check_cursor("after", after).is_ok();
        let page_ok = remaining.pages.as_ref().is_none_or(|after| after.as_deref().is_none_or(sendable));
        let mut threads_ok = true;
        for follow_up in &remaining.threads {
            threads_ok = threads_ok
                && ConversationId::new(follow_up.conversation.as_str()).is_ok()
                && sendable(&follow_up.after)
                && follow_up.remaining >= 1;
        }
        if page_ok && threads_ok {
            Ok(remaining)
        } else {
            Err(bad())
        }
    }

    fn scope(&self) -> (Option<String>, Option<String>) {
        (self.options.platform.map(|p| p.as_str().to_owned()), self.options.folder.map(|f| f.as_str().to_owned()))
    }

    /// Calls made so far.
    #[cfg(test)]
    pub fn calls(&self) -> u32 {
        self.calls
    }

    /// The next call to make now, with its id for reporting the answer;
    /// `None` when nothing can start before an answer comes, or when
    /// `max_requests` calls have been made.
    pub fn next_call(&mut self) -> Option<(u64, SyncCall)> {
        if self.options.max_requests.is_some_and(|max| self.calls >= max) {
            return None;
        }
        let call = if let Some(after) = self.next_page.take() {
            self.page_in_flight = Some(after.clone());
            SyncCall::Conversations { after }
        } else {
            let follow_up = self.follow_ups.pop_front()?;
            self.in_flight.push((self.next_id, follow_up.clone()));
            SyncCall::Messages(follow_up)
        };
        self.calls += 1;
        self.next_id += 1;
        Some((self.next_id - 1, call))
    }

    /// The Graph request for `call`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a conversation id a cursor smuggled in
    /// (checked when the cursor is read, so this does not happen).
    pub fn request(&self, call: &SyncCall) -> Result<GraphRequest, Error> {
        match call {
            SyncCall::Conversations { after } => {
                let query = ConversationQuery {
                    platform: self.options.platform,
                    folder: self.options.folder,
                    fields: Some(Fields::Expansion(self.conversation_fields())),
                    limit: Some(self.options.page_size),
                    after: after.clone(),
                    ..ConversationQuery::default()
                };
                GraphRequest::list_conversations(&self.page, &query)
            }
            SyncCall::Messages(follow_up) => {
                let query = MessageQuery {
                    limit: Some(follow_up.remaining.min(MAX_SYNC_LIMIT)),
                    after: Some(follow_up.after.clone()),
                    ..MessageQuery::default()
                };
                GraphRequest::list_messages(&ConversationId::new(follow_up.conversation.as_str())?, &query)
            }
        }
    }

    /// The conversation fields with the nested messages and their details.
    /// Instagram threads have fewer fields than Messenger ones.
    fn conversation_fields(&self) -> String {
        let conversation = match (&self.options.conversation_fields, self.options.platform) {
            (Some(names), _) => {
                let mut fields = "id,updated_time".to_owned();
                for name in names {
                    if !matches!(name.as_str(), "id" | "updated_time") {
                        fields.push(',');
                        fields.push_str(name);
                    }
                }
                fields
            }
            (None, Some(Platform::Instagram)) => "id,updated_time,participants".to_owned(),
            (None, _) => "id,updated_time,link,snippet,message_count,unread_count,participants,can_reply".to_owned(),
        };
        let nested = self.options.messages_per_conversation.min(MESSAGES_PER_CALL);
        cat!(conversation, ",messages.limit(", nested, "){", DEFAULT_MESSAGE_FIELDS, "}")
    }

    /// Every thread still to read, in the cursor's order: the calls under
    /// way, then the queue. One list instead of a chain of
    /// iterators per caller, or a `dyn FnMut` (whose vtable keeps three
    /// copies of each closure).
    fn pending(&self) -> Vec<&FollowUp> {
        let mut out = Vec::with_capacity(self.in_flight.len() + self.follow_ups.len());
        for (_, thread) in &self.in_flight {
            out.push(thread);
        }
        for thread in self.follow_ups.front.iter().rev() {
            out.push(thread);
        }
        for thread in &self.follow_ups.back {
            out.push(thread);
        }
        out
    }

    /// The threads whose messages are not all read yet: a later sync from
    /// [`SyncPlan::cursor`] reads the rest of them.
    pub fn cut_short(&self) -> Vec<String> {
        let mut seen = StringSet::new();
        let mut ids = Vec::new();
        for thread in self.pending() {
            if seen.insert(&thread.conversation) {
                ids.push(thread.conversation.clone());
            }
        }
        ids
    }

    /// Takes the answer to call `id`: the threads it brought, in order, and
    /// an error that ends the sync after them: [`Error::Decode`] when the
    /// Graph repeats a conversations cursor (which would loop for ever) or
    /// announces a next page without a cursor.
    pub fn answered<J: Json>(&mut self, id: u64, body: &J) -> (Vec<ThreadPart<J>>, Option<Error>) {
        if let Some(at) = self.in_flight_at(id) {
            let (_, follow_up) = self.in_flight.swap_remove(at);
            return (self.more_messages(follow_up, body), None);
        }
        self.page_in_flight = None;
        self.next_page = None;
        self.grow_after_success();
        let (threads, reached_older) = self.conversations_page(body);
        if reached_older {
            return (threads, None);
        }
        match next_cursor(body) {
            Ok(Some(after)) if check_cursor("after", &after).is_err() => (
                threads,
                Some(Error::decode(
                    Some(200),
                    "the Graph's next cursor cannot be sent back: it is not printable ASCII",
                )),
            ),
            Ok(Some(after)) if !self.seen_cursors.insert(&after) => {
                let error = "the Graph repeated a conversations cursor; stopped to avoid an endless loop";
                (threads, Some(Error::decode(Some(200), error)))
            }
            Ok(Some(after)) => {
                self.next_page = Some(Some(after));
                (threads, None)
            }
            Ok(None) => (threads, None),
            Err(error) => (threads, Some(error)),
        }
    }

    /// The threads of a conversations page, and whether one older than
    /// `updated_since` ended it.
    fn conversations_page<J: Json>(&mut self, body: &J) -> (Vec<ThreadPart<J>>, bool) {
        let mut threads = Vec::new();
        let Some(data) = body.get("data") else { return (threads, false) };
        let wanted = self.options.messages_per_conversation;
        for conversation in (0..data.array_len().unwrap_or(0)).filter_map(|i| data.at(i)) {
            let Some(id) = str_member(&conversation, "id") else { continue };
            if let Some(since) = self.options.updated_since {
                let updated = str_member(&conversation, "updated_time").as_deref().and_then(unix_seconds);
                if updated.is_some_and(|t| t < since) {
                    return (threads, true);
                }
            }
            let nested = conversation.get("messages");
            let messages = nested.as_ref().map_or_else(Vec::new, |page| items(page, wanted));
            let got = u32::try_from(messages.len()).unwrap_or(u32::MAX);
            // Only a thread that can be asked for again is followed: its id
            // and cursor must be sendable (the fuzzer found answers with neither).
            let followable =
                |after: &String| check_cursor("after", after).is_ok() && ConversationId::new(id.as_str()).is_ok();
            if let Some(after) = nested.as_ref().and_then(|page| next_cursor(page).ok().flatten()).filter(followable) {
                if got > 0 && got < wanted {
                    self.follow_ups.push_back(FollowUp { conversation: id.clone(), after, remaining: wanted - got });
                }
            }
            threads.push(ThreadPart { id, conversation: Some(conversation), messages });
        }
        (threads, false)
    }

    fn more_messages<J: Json>(&mut self, follow_up: FollowUp, body: &J) -> Vec<ThreadPart<J>> {
        let messages = items(body, follow_up.remaining);
        let got = u32::try_from(messages.len()).unwrap_or(u32::MAX);
        // A page with no messages ends the thread even if it names a next
        // cursor: asking again could go on for ever.
        if got > 0 && got < follow_up.remaining {
            if let Ok(Some(after)) = next_cursor(body) {
                if after != follow_up.after && check_cursor("after", &after).is_ok() {
                    let remaining = follow_up.remaining - got;
                    self.follow_ups.push_back(FollowUp {
                        conversation: follow_up.conversation.clone(),
                        after,
                        remaining,
                    });
                }
            }
        }
        vec![ThreadPart { id: follow_up.conversation, conversation: None, messages }]
    }

    /// Where follow-up call `id` stands in `in_flight` (one plain loop for
    /// every lookup, not a position or any chain each).
    fn in_flight_at(&self, id: u64) -> Option<usize> {
        let mut at = 0;
        while let Some((call, _)) = self.in_flight.get(at) {
            if *call == id {
                return Some(at);
            }
            at += 1;
        }
        None
    }

    /// Call `id` failed or was given up: it goes back to the work left, so
    /// the cursor still holds it.
    pub fn failed(&mut self, id: u64) {
        if let Some(at) = self.in_flight_at(id) {
            let (_, follow_up) = self.in_flight.swap_remove(at);
            self.follow_ups.push_front(follow_up);
        } else if let Some(after) = self.page_in_flight.take() {
            self.next_page = Some(after);
        }
    }

    /// Call `id` was too heavy for the Graph (code 1, "reduce the amount of
    /// data"): a conversations page is asked for again with half as many
    /// conversations. `false` when it cannot shrink (one conversation, or a
    /// follow-up call), and the call counts as failed.
    pub fn ask_for_less(&mut self, id: u64) -> bool {
        let is_page = self.in_flight_at(id).is_none();
        if !is_page || self.options.page_size <= 1 {
            self.failed(id);
            return false;
        }
        self.options.page_size /= 2;
        self.good_pages = 0;
        self.failed(id);
        true
    }

    /// Two conversation pages that went well at a reduced size: the next
    /// is asked for twice as large (up to the largest).
    fn grow_after_success(&mut self) {
        if !self.options.adaptive || self.options.page_size >= PAGE_SIZE.max as u32 {
            return;
        }
        self.good_pages += 1;
        if self.good_pages >= 2 {
            self.options.page_size = (self.options.page_size * 2).min(PAGE_SIZE.max as u32);
            self.good_pages = 0;
        }
    }

    /// Whether the page size adapts.
    pub fn adaptive(&self) -> bool {
        self.options.adaptive
    }

    /// The conversations per call the next page is asked with: what an
    /// adaptive sync learned, for the client to remember.
    pub fn page_size(&self) -> u32 {
        self.options.page_size
    }

    /// Whether call `id` is a conversations page that an adaptive sync
    /// would rather ask for smaller than retry as it is.
    pub fn shrinks_on_failure(&self, id: u64) -> bool {
        self.options.adaptive && self.options.page_size > 1 && self.in_flight_at(id).is_none()
    }

    /// Whether every call has been made and answered.
    pub fn finished(&self) -> bool {
        self.next_page.is_none()
            && self.page_in_flight.is_none()
            && self.follow_ups.is_empty()
            && self.in_flight.is_empty()
    }

    /// The work left, including calls under way (as if they failed), as an
    /// opaque cursor; `None` when the sync is finished.
    pub fn cursor(&self) -> Option<String> {
        if self.finished() {
            return None;
        }
        let (platform, folder) = self.scope();
        let mut threads = Vec::with_capacity(self.in_flight.len() + self.follow_ups.len());
        for thread in self.pending() {
            threads.push(thread.clone());
        }
        let remaining = Remaining {
            page: self.page.as_str().to_owned(),
            platform,
            folder,
            pages: self.page_in_flight.clone().or_else(|| self.next_page.clone()),
            threads,
        };
        Some(remaining.encode())
    }
}

/// The first `max` items of a page's `data`.
fn items<J: Json>(page: &J, max: u32) -> Vec<J> {
    let Some(data) = page.get("data") else { return Vec::new() };
    let len = data.array_len().unwrap_or(0).min(max as usize);
    let mut items = Vec::with_capacity(len);
    for i in 0..len {
        if let Some(item) = data.at(i) {
            items.push(item);
        }
    }
    items
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url: a cursor travels in URLs and forms unchanged.
/// (Bits in, six at a time out: plain loops, no chunks or folds.)
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8 | u32::from(b)) & 0xffff;
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(char::from(BASE64URL[(acc >> bits & 63) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE64URL[(acc << (6 - bits) & 63) as usize]));
    }
    out
}

/// The value of one base64url digit.
fn base64url_digit(c: u8) -> Option<u32> {
    let value = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        acc = (acc << 6 | base64url_digit(c)?) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}
