//! `syncInbox`: runs the core's [`SyncPlan`] over the client, with a bound
//! on the calls in flight, progress after each call, and everything
//! fetched kept when the sync stops early.

use crate::prelude::*;

use super::first_of::InFlight;
use super::{Client, Transport};
use crate::core::account::own_ids;
use crate::core::call::Retries;
use crate::core::error::Error;
use crate::core::ids::PageId;
use crate::core::json::Json;
use crate::core::page::Node;
use crate::core::request::GraphRequest;
use crate::core::sync::{SyncCall, SyncOptions, SyncPlan, ThreadPart};

/// Counts reported after each call of a sync.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncProgress {
    /// Threads read so far.
    pub conversations: u32,
    /// Messages read so far.
    pub messages: u32,
    /// Calls answered so far.
    pub requests: u32,
}

/// One thread of a sync.
#[derive(Clone, Debug)]
pub struct SyncedThread<J> {
    /// The conversation id.
    pub id: String,
    /// The conversation as the Graph gave it; `None` when this sync only
    /// read the rest of its messages (it resumed a cut-short thread).
    pub conversation: Option<J>,
    /// Its newest messages, newest first.
    pub messages: Vec<J>,
}

/// What a sync read.
#[derive(Clone, Debug)]
pub struct InboxSync<J> {
    /// The threads, newest first.
    pub conversations: Vec<SyncedThread<J>>,
    /// Calls answered.
    pub requests: u32,
    /// Whether every thread was read (`false` when `max_requests` stopped it).
    pub complete: bool,
    /// Where a later sync goes on, when it is not complete.
    pub cursor: Option<String>,
    /// The threads of this result whose messages are not all read yet
    /// (the sync from `cursor` brings the rest); empty when complete.
    pub cut_short: Vec<String>,
    /// The ids of the inbox's own account among the participants (see
    /// [`own_ids`]): the Page (or `me`), and on Instagram the business's
    /// account once two threads show it. Everyone else is a customer.
    pub account_ids: Vec<String>,
}

/// A sync that stopped on an error: the error, and what was read before
/// it, with the cursor to go on from (`None` when nothing was sent).
#[derive(Clone, Debug)]
pub struct SyncFailure<J> {
    /// Why it stopped.
    pub error: Error,
    /// What it had read, for a sync that got under way.
    pub partial: Option<InboxSync<J>>,
}

/// The threads read so far, merged by id.
struct Threads<J> {
    list: Vec<SyncedThread<J>>,
    /// `(id, position in list)`, sorted by id.
    index: Vec<(String, usize)>,
    messages: u32,
}

impl<J> Threads<J> {
    /// Adds one answer's parts, each merged into its thread when its id is
    /// known. The answer's new ids go into the sorted index in one merge, so
    /// the index costs a pass per answer, not a shift per thread (which grew
    /// as the square of the inbox).
    fn add_all(&mut self, parts: Vec<ThreadPart<J>>) {
        // This answer's new ids, sorted, with their place in `list`.
        let mut fresh: Vec<(String, usize)> = Vec::new();
        for part in parts {
            self.messages += u32::try_from(part.messages.len()).unwrap_or(u32::MAX);
            let by_id = |(id, _): &(String, usize)| id.as_str().cmp(&part.id);
            let known = match self.index.binary_search_by(by_id) {
                Ok(found) => Some(self.index[found].1),
                Err(_) => match fresh.binary_search_by(by_id) {
                    Ok(found) => Some(fresh[found].1),
                    Err(slot) => {
                        fresh.insert(slot, (part.id.clone(), self.list.len()));
                        None
                    }
                },
            };
            match known {
                // `get_mut` and a push loop, not an index and `extend`: no
                // bounds panic or `spec_extend` of its own in the wasm.
                Some(at) => {
                    if let Some(thread) = self.list.get_mut(at) {
                        for message in part.messages {
                            thread.messages.push(message);
                        }
                    }
                }
                None => {
                    let thread = SyncedThread { id: part.id, conversation: part.conversation, messages: part.messages };
                    self.list.push(thread);
                }
            }
        }
        if fresh.is_empty() {
            return;
        }
        let mut merged = Vec::with_capacity(self.index.len() + fresh.len());
        // A loop with the next fresh entry at hand, not `Peekable::next_if`
        // and `extend` (their own wasm code for this one merge).
        let mut fresh = fresh.into_iter();
        let mut next = fresh.next();
        for entry in ::core::mem::take(&mut self.index) {
            while let Some(item) = next.take() {
                if item.0 < entry.0 {
                    merged.push(item);
                    next = fresh.next();
                } else {
                    next = Some(item);
                    break;
                }
            }
            merged.push(entry);
        }
        if let Some(item) = next {
            merged.push(item);
        }
        for item in fresh {
            merged.push(item);
        }
        self.index = merged;
    }
}

/// A call a sync makes: the plan's id for it, its request (or the error
/// that keeps it from being made), the kind of node it lists, and how it
/// is tried again ([`Retries::RateLimits`] for an adaptive sync's large
/// page, which shrinks instead).
pub struct SyncStep {
    /// The plan's id of the call.
    pub id: u64,
    /// Its request.
    pub request: Result<GraphRequest, Error>,
    /// What its page lists.
    pub node: Node,
    /// Which failures it is tried again after.
    pub retries: Retries,
}

/// A sync under way, as a state machine that performs no I/O: the core's
/// [`SyncPlan`] and what was read so far. A driver (the async [`Client`],
/// or the JS driver of the wasm facade) starts the calls
/// [`SyncRun::next_call`] hands out, at most `concurrency` at once, gives
/// each outcome to [`SyncRun::answered`], and ends with
/// [`SyncRun::finish`].
pub struct SyncRun<J> {
    page_id: String,
    plan: SyncPlan,
    threads: Threads<J>,
    requests: u32,
    concurrency: usize,
    under_way: usize,
    failure: Option<Error>,
}

impl<J: Json> SyncRun<J> {
    /// A sync of `page_id` from `cursor`; `learned` is the page size an
    /// earlier adaptive sync of this account ended with.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a bad id, option or cursor.
    pub fn new(page_id: &str, options: SyncOptions, cursor: Option<&str>, learned: Option<u32>) -> Result<Self, Error> {
        let page = PageId::new(page_id)?;
        let concurrency = options.concurrency as usize;
        let mut options = options;
        if options.adaptive {
            // Start where the last sync of this account ended up.
            if let Some(size) = learned {
                options.page_size = size;
            }
        }
        Ok(Self {
            page_id: page_id.to_owned(),
            plan: SyncPlan::new(page, options, cursor)?,
            threads: Threads { list: Vec::new(), index: Vec::new(), messages: 0 },
            requests: 0,
            concurrency,
            under_way: 0,
            failure: None,
        })
    }

    /// The next call to start, while fewer than `concurrency` are under
    /// way and the sync has not stopped.
    pub fn next_call(&mut self) -> Option<SyncStep> {
        if self.failure.is_some() || self.under_way >= self.concurrency {
            return None;
        }
        let (id, call) = self.plan.next_call()?;
        self.under_way += 1;
        let node = match call {
            SyncCall::Conversations { .. } => Node::Conversation,
            SyncCall::Messages(_) => Node::Message,
        };
        let retries = if self.plan.shrinks_on_failure(id) { Retries::RateLimits } else { Retries::Transient };
        Some(SyncStep { id, request: self.plan.request(&call), node, retries })
    }

    /// Whether the sync stopped on an error: no call is started after it,
    /// and the outcomes of the calls still under way are left out.
    pub fn stopped(&self) -> bool {
        self.failure.is_some()
    }

    /// The outcome of call `id`: its page (checked), or the error it ended
    /// with. Returns the counts so far, for the progress callback; `None`
    /// when the sync had already stopped (the outcome of a call that was
    /// under way then is left out: it stays in the cursor).
    pub fn answered(&mut self, id: u64, answer: Result<J, Error>) -> Option<SyncProgress> {
        if self.failure.is_some() {
            return None;
        }
        self.under_way = self.under_way.saturating_sub(1);
        // A call that never left (aborted while it waited for its turn)
        // is not counted.
        if !matches!(&answer, Err(error) if error.attempts().is_none()) {
            self.requests += 1;
        }
        let plan = &mut self.plan;
        self.failure = match answer {
            Ok(body) => {
                let (parts, error) = plan.answered(id, &body);
                self.threads.add_all(parts);
                error
            }
            Err(error) if error.graph().is_some_and(|body| body.code == Some(1) && body.asks_for_less_data()) => {
                // Too heavy: the page is asked for again, smaller.
                (!plan.ask_for_less(id)).then_some(error)
            }
            Err(error) if plan.shrinks_on_failure(id) && error.transient() && !error.rate_limited() => {
                // A timeout or a 5xx on a large page: smaller, at once.
                (!plan.ask_for_less(id)).then_some(error)
            }
            Err(error) => {
                plan.failed(id);
                Some(error)
            }
        };
        Some(SyncProgress {
            conversations: u32::try_from(self.threads.list.len()).unwrap_or(u32::MAX),
            messages: self.threads.messages,
            requests: self.requests,
        })
    }

    /// What the sync read, or the error that stopped it with what it had
    /// read; beside it, for an adaptive sync, the page size to start the
    /// account's next sync with. Calls still under way stay in the cursor.
    ///
    /// # Errors
    /// A [`SyncFailure`] with the error and the partial inbox.
    pub fn finish(self) -> (Result<InboxSync<J>, SyncFailure<J>>, Option<u32>) {
        let learned = self.plan.adaptive().then(|| self.plan.page_size());
        let cursor = self.plan.cursor();
        let cut_short = self.plan.cut_short();
        let mut read = Vec::with_capacity(self.threads.list.len());
        for thread in &self.threads.list {
            if let Some(conversation) = &thread.conversation {
                read.push(conversation);
            }
        }
        let account_ids = own_ids::<J, _>(&self.page_id, &read);
        let conversations = self.threads.list;
        let inbox = InboxSync {
            conversations,
            requests: self.requests,
            complete: cursor.is_none(),
            cursor,
            cut_short,
            account_ids,
        };
        let result = match self.failure {
            Some(error) => Err(SyncFailure { error, partial: Some(inbox) }),
            None => Ok(inbox),
        };
        (result, learned)
    }
}

impl<T: Transport> Client<T> {
    /// Reads an inbox with its threads' newest messages and their details
    /// in as few calls as the Graph allows, `options.concurrency` calls at
    /// most at once, calling `on_progress` after each one.
    ///
    /// # Errors
    /// A [`SyncFailure`]: [`Error::InvalidArgument`] before anything is
    /// sent, or the error that stopped the sync with what it had read and a
    /// cursor to go on from.
    pub async fn sync_inbox(
        &self,
        page_id: &str,
        options: SyncOptions,
        cursor: Option<&str>,
        on_progress: &mut dyn FnMut(SyncProgress),
    ) -> Result<InboxSync<T::Json>, SyncFailure<T::Json>> {
        let learned = self.page_sizes.borrow().learned(page_id);
        let mut run =
            SyncRun::new(page_id, options, cursor, learned).map_err(|error| SyncFailure { error, partial: None })?;
        let mut in_flight = InFlight::new();
        loop {
            while let Some(step) = run.next_call() {
                in_flight.push(async move {
                    let answer = match step.request {
                        Ok(request) => self.list_with(&request, step.node, step.retries).await,
                        Err(error) => Err(error),
                    };
                    (step.id, answer)
                });
            }
            let Some((id, answer)) = in_flight.next().await else { break };
            if let Some(progress) = run.answered(id, answer) {
                on_progress(progress);
            }
            if run.stopped() {
                break;
            }
        }
        // Calls still under way are dropped (their requests cancelled) and
        // stay in the cursor.
        drop(in_flight);
        let (result, learned) = run.finish();
        if let Some(size) = learned {
            self.page_sizes.borrow_mut().learn(page_id, size);
        }
        result
    }
}

/// What adaptive syncs learned, per account, for a client's life: the page
/// size each account's last sync ended with, where its next one starts.
#[derive(Clone, Debug, Default)]
pub struct PageSizes(Vec<(String, u32)>);

impl PageSizes {
    /// The page size the last adaptive sync of `page_id` ended with.
    pub fn learned(&self, page_id: &str) -> Option<u32> {
        self.0.iter().find(|(id, _)| id == page_id).map(|(_, size)| *size)
    }

    /// Keeps `size` as the page size for the next adaptive sync of `page_id`.
    pub fn learn(&mut self, page_id: &str, size: u32) {
        self.0.retain(|(id, _)| id != page_id);
        self.0.push((page_id.to_owned(), size));
    }
}

#[cfg(test)]
mod threads_tests {
    use super::{ThreadPart, Threads};

    /// Answers of ids in a scrambled order, repeated within and across
    /// answers: each id is one thread, in the order it was first seen, with
    /// every message of every part, and the index stays sorted.
    #[test]
    fn parts_merge_by_id_across_answers() {
        let mut threads = Threads::<u32> { list: Vec::new(), index: Vec::new(), messages: 0 };
        let mut first_seen: Vec<String> = Vec::new();
        let mut expected: Vec<(String, Vec<u32>)> = Vec::new();
        let mut n = 7_u32;
        for answer in 0..40 {
            let mut parts = Vec::new();
            for _ in 0..25 {
                n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345) % 2_000_003;
                let id = format!("t_{}", n % 300);
                let message = answer * 100 + u32::try_from(parts.len()).unwrap();
                if !first_seen.contains(&id) {
                    first_seen.push(id.clone());
                    expected.push((id.clone(), Vec::new()));
                }
                expected.iter_mut().find(|(e, _)| *e == id).unwrap().1.push(message);
                parts.push(ThreadPart { id, conversation: Some(0), messages: vec![message] });
            }
            threads.add_all(parts);
        }
        let got: Vec<(String, Vec<u32>)> = threads.list.iter().map(|t| (t.id.clone(), t.messages.clone())).collect();
        assert_eq!(got, expected);
        assert_eq!(threads.messages, 1_000);
        assert!(threads.index.windows(2).all(|w| w[0].0 < w[1].0), "the index is sorted and has no repeat");
        assert!(threads.index.iter().all(|(id, at)| threads.list[*at].id == *id), "each entry points at its thread");
    }
}
