//! A handful of futures in flight at once, taken as each one finishes: the
//! bounded concurrency of a sync, without an executor or a dependency.

use crate::prelude::*;

use ::core::future::{poll_fn, Future};
use ::core::pin::Pin;
use ::core::task::Poll;

/// Futures under way; [`InFlight::next`] yields the output of whichever
/// finishes first.
pub struct InFlight<'a, T> {
    futures: Vec<Pin<Box<dyn Future<Output = T> + 'a>>>,
}

impl<'a, T> InFlight<'a, T> {
    /// Nothing under way.
    pub fn new() -> Self {
        Self { futures: Vec::new() }
    }

    /// Starts `future`.
    pub fn push(&mut self, future: impl Future<Output = T> + 'a) {
        self.futures.push(Box::pin(future));
    }

    /// The output of the first to finish; `None` when none is under way.
    pub async fn next(&mut self) -> Option<T> {
        poll_fn(|cx| {
            if self.futures.is_empty() {
                return Poll::Ready(None);
            }
            for i in 0..self.futures.len() {
                if let Poll::Ready(output) = self.futures[i].as_mut().poll(cx) {
                    drop(self.futures.swap_remove(i));
                    return Poll::Ready(Some(output));
                }
            }
            Poll::Pending
        })
        .await
    }
}
