/**
 * What `conversations()` and `messages()` return: an async iterator over the
 * items of a Graph list, page after page (`for await … of`; `break` calls
 * `return()` and stops it). Each `next()` waits for the one before, so pages
 * are fetched once and in order. A failed page rejects `next()` with a
 * `GraphError` whose `cursor` says where a new iterator goes on; a transient
 * failure can be tried again with another `next()`, an abort ends the
 * iteration.
 */
export declare class ItemIterator<T = unknown> implements AsyncIterableIterator<T> {
  private constructor();
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorResult<T, undefined>>;
  [Symbol.asyncIterator](): ItemIterator<T>;
}
