// Cursor paging like the Graph's: opaque base64 cursors, `{cursors, next, previous}`.
//
// Every cursor starts with bytes that encode to "QQ+/" and is padded so it
// ends in "==": a client that forgets to URL-encode `+`, `/` or `=` gets
// "Invalid cursor" instead of a silently wrong page.

import { failures } from "./errors.mjs";

const MAGIC = Buffer.from([0x41, 0x0f, 0xbf]); // base64: "QQ+/"

/** Cursor naming item `index` of the list called `scope`. */
export function encodeCursor(scope, index) {
  let payload = `mock|${scope}|${index}`;
  while ((MAGIC.length + Buffer.byteLength(payload)) % 3 !== 1) payload += "~";
  return Buffer.concat([MAGIC, Buffer.from(payload)]).toString("base64");
}

/** Index inside `scope` named by a cursor; "Invalid cursor" for anything else. */
export function decodeCursor(scope, cursor) {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) throw failures.invalidCursor();
  const bytes = Buffer.from(cursor, "base64");
  if (!bytes.subarray(0, 3).equals(MAGIC)) throw failures.invalidCursor();
  const match = /^mock\|(.*)\|(\d+)~*$/.exec(bytes.subarray(3).toString());
  if (!match || match[1] !== scope) throw failures.invalidCursor();
  return Number(match[2]);
}

/** Parses a `limit`: a positive integer, capped silently at `cap`. */
export function parseLimit(value, fallback, cap) {
  if (value === undefined || value === null || value === "") return fallback;
  if (!/^\d+$/.test(String(value)) || Number(value) < 1) {
    throw failures.param(`(#100) param limit must be a positive integer - got "${value}"`);
  }
  return Math.min(Number(value), cap);
}

/**
 * One page of `list`: `after` starts behind its item, `before` ends ahead of
 * its item; neither starts at the head. Returns `{ items, start, end }`.
 */
export function slicePage(list, scope, { limit, after, before }) {
  let start = 0;
  let end = Math.min(list.length, limit);
  if (after) {
    start = Math.min(list.length, decodeCursor(scope, after) + 1);
    end = Math.min(list.length, start + limit);
  } else if (before) {
    end = Math.min(list.length, decodeCursor(scope, before));
    start = Math.max(0, end - limit);
  }
  return { items: list.slice(start, end), start, end };
}

/**
 * The Graph's paging object for a page, or null for an empty one.
 * `linkFor({after}|{before})` builds the absolute next/previous URL.
 */
export function pagingFor(page, total, scope, linkFor) {
  if (page.items.length === 0) return null;
  const before = encodeCursor(scope, page.start);
  const after = encodeCursor(scope, page.end - 1);
  const paging = { cursors: { before, after } };
  if (page.start > 0) paging.previous = linkFor({ before });
  if (page.end < total) paging.next = linkFor({ after });
  return paging;
}
