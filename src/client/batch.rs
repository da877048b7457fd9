//! `getMessages`: many messages through Graph batch requests, as a state
//! machine that performs no I/O. A driver (the async [`Client`], or the
//! JS driver of the wasm facade) asks [`BatchRead::next`] what to do, makes
//! each batch call under the core's [`Attempts`](crate::core::call::Attempts)
//! and hands its outcome to [`BatchRead::answered`].
//!
//! The rules: at most 50 items per HTTP call, in input order; an item that
//! fails is an `Err` in its place. When a whole batch call fails but
//! another one succeeded, each item of the failed call carries its error,
//! so nothing fetched is lost; when every call failed, the read fails with
//! the first call's error. An item that failed on its own with a transient
//! error (a `null` item, a rate limit inside the batch) is sent again in a
//! later batch, up to `maxRetries` times with the same backoff as whole
//! calls; a whole batch call was already retried: its items are not.

use crate::prelude::*;
use crate::text::cat;

use crate::core::config::ClientConfig;
use crate::core::error::Error;
use crate::core::ids::MessageId;
use crate::core::json::{int_member, Json};
use crate::core::page::{check_node, Node};
use crate::core::query::Fields;
use crate::core::request::{batch_request, GraphRequest, HttpRequest, MAX_BATCH};
use crate::core::response::{read_response, Body, HttpResponse};
use crate::core::retry::RetryPolicy;
use crate::core::usage::{ResponseHeaders, UsageValues};

/// What a driver does next.
#[derive(Debug)]
pub enum BatchStep {
    /// Make this batch call, worth this many calls of the token's budget
    /// (each item counts).
    Call(HttpRequest, u32),
    /// Wait this many milliseconds, then ask again (before items are sent
    /// again).
    Wait(f64),
    /// Every item is read: [`BatchRead::finish`].
    Done,
}

/// A `getMessages` under way.
#[derive(Debug)]
pub struct BatchRead<J> {
    requests: Vec<GraphRequest>,
    /// Each item's result; `None` before its first answer.
    results: Vec<Option<Result<J, Error>>>,
    /// How many times each item was sent again on its own.
    retried: Vec<u32>,
    /// The calls of this round still to make, as item indices, the next
    /// one last (`pop` takes it: no `VecDeque` code in the wasm).
    queue: Vec<Vec<usize>>,
    /// The items of the call under way.
    current: Vec<usize>,
    /// 0: the first pass over every item; then the retry round.
    round: u32,
    policy: RetryPolicy,
    any_answered: bool,
    first_failure: Option<Error>,
}

impl<J: Json> BatchRead<J> {
    /// A read of `ids` with `fields` (or the documented message fields).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] (nothing is sent) when any id or the
    /// fields are bad.
    pub fn new(ids: &[String], fields: Option<&Fields>, config: &ClientConfig) -> Result<Self, Error> {
        // Plain loops rather than `map(…).collect()`: each collect shape
        // is its own few hundred bytes of wasm (issue 15).
        let mut requests = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let id = MessageId::new(id.as_str())
                .map_err(|e| Error::invalid_argument(cat!("messageIds[", i, "]: ", e.message())))?;
            requests.push(GraphRequest::get_message(&id, fields)?);
        }
        let mut queue = Vec::new();
        for call in (0..requests.len().div_ceil(MAX_BATCH)).rev() {
            let start = call * MAX_BATCH;
            queue.push((start..(start + MAX_BATCH).min(requests.len())).collect());
        }
        let mut results = Vec::with_capacity(requests.len());
        for _ in 0..requests.len() {
            results.push(None);
        }
        Ok(Self {
            retried: vec![0; requests.len()],
            requests,
            results,
            queue,
            current: Vec::new(),
            round: 0,
            policy: RetryPolicy::of(config),
            any_answered: false,
            first_failure: None,
        })
    }

    /// What to do next; `random` is uniform in `[0, 1)`, for the backoff.
    ///
    /// # Errors
    /// The first call's error when every call of the first pass failed.
    pub fn next(&mut self, config: &ClientConfig, random: f64) -> Result<BatchStep, Error> {
        if let Some(chunk) = self.queue.pop() {
            let mut items = Vec::with_capacity(chunk.len());
            for &i in &chunk {
                if let Some(request) = self.requests.get(i) {
                    items.push(request.clone());
                }
            }
            self.current = chunk;
            let calls = u32::try_from(items.len()).unwrap_or(u32::MAX);
            return Ok(BatchStep::Call(batch_request(&items, config)?, calls));
        }
        if self.round == 0 && !self.any_answered {
            if let Some(error) = self.first_failure.take() {
                return Err(error);
            }
        }
        if self.round >= self.policy.max_retries {
            return Ok(BatchStep::Done);
        }
        self.round += 1;
        let mut again = Vec::new();
        let mut wait = None;
        for (i, result) in self.results.iter().enumerate() {
            // An item that failed on its own has no attempts yet; one from
            // a whole failed call was retried with it.
            let Some(Err(error)) = result else { continue };
            if error.attempts().is_some() {
                continue;
            }
            if let Some(ms) = self.policy.delay_ms(error, self.round, random) {
                again.push(i);
                wait = wait.max(Some(ms));
            }
        }
        let Some(wait) = wait else {
            self.round = self.policy.max_retries;
            return Ok(BatchStep::Done);
        };
        for chunk in again.chunks(MAX_BATCH).rev() {
            self.queue.push(chunk.to_vec());
        }
        Ok(BatchStep::Wait(wait as f64))
    }

    /// Checks that the answer of the call under way is an array with an
    /// item per request.
    ///
    /// # Errors
    /// [`Error::Decode`] otherwise.
    pub fn check(&self, body: &J) -> Result<(), Error> {
        match body.array_len() == Some(self.current.len()) {
            true => Ok(()),
            false => {
                Err(Error::decode(Some(200), cat!("a batch answer must be an array of ", self.current.len(), " items")))
            }
        }
    }

    /// The outcome of the call under way: its answer (checked), or the
    /// error it ended with after its own retries.
    ///
    /// # Errors
    /// An abort, which ends the whole read.
    pub fn answered(&mut self, outcome: Result<J, Error>) -> Result<(), Error> {
        let chunk = ::core::mem::take(&mut self.current);
        match outcome {
            Ok(body) => {
                self.any_answered = true;
                for (n, &i) in chunk.iter().enumerate() {
                    // The items' texts come from a body already redacted on
                    // the way in.
                    let item = batch_item(body.at(n), n)
                        .and_then(|item| check_node(&item, Node::Message, Some(200)).map(|()| item));
                    if self.round > 0 {
                        if let Some(count) = self.retried.get_mut(i) {
                            *count += 1;
                        }
                    }
                    if let Some(result) = self.results.get_mut(i) {
                        *result = Some(item);
                    }
                }
                Ok(())
            }
            Err(error) if error.is_aborted() => Err(error),
            // A retry round's failed call: its items keep their own errors.
            Err(_) if self.round > 0 => Ok(()),
            Err(error) => {
                for &i in &chunk {
                    if let Some(result) = self.results.get_mut(i) {
                        *result = Some(Err(error.clone()));
                    }
                }
                self.first_failure.get_or_insert(error);
                Ok(())
            }
        }
    }

    /// Every item's result, in input order (taken out of the read); an
    /// item's own error says how many times it was sent.
    pub fn finish(&mut self) -> Vec<Result<J, Error>> {
        let results = ::core::mem::take(&mut self.results);
        let mut out = Vec::with_capacity(results.len());
        for (result, &count) in results.into_iter().zip(&self.retried) {
            let result = match result {
                Some(Err(mut error)) => {
                    if error.attempts().is_none() {
                        error.set_attempts(count + 1);
                    }
                    Err(error)
                }
                Some(ok) => ok,
                None => Err(Error::network("the batch call of this item was never answered")),
            };
            out.push(result);
        }
        out
    }
}

/// One item of a batch answer: `{code, headers?, body: "<JSON text>"}`, or
/// `null` for an item the Graph did not process.
fn batch_item<J: Json>(item: Option<J>, index: usize) -> Result<J, Error> {
    // `at` gives nothing for a `null` element.
    let item = item.ok_or_else(|| {
        Error::network(cat!("the Graph did not process batch item ", index, " (it answered null); try it again"))
    })?;
    let status = int_member(&item, "code").and_then(|c| u16::try_from(c).ok());
    let (Some(status), Some(text)) = (status, item.get("body").and_then(|b| b.string())) else {
        return Err(Error::decode(Some(200), cat!("batch item ", index, " is not {code, body}")));
    };
    let body = J::parse(&text).map_or(Body::Text(text), Body::Json);
    let response = HttpResponse { status, headers: ResponseHeaders::default(), body };
    read_response(response, &UsageValues { app: None, page: None, business_use_case: None })
}
