// What a GraphError usually means, in plain words, and the panel that shows
// it. Codes and their meanings: Meta's "Handling Errors" guide
// (https://developers.facebook.com/docs/graph-api/guides/error-handling) and
// the Conversations API reference. Whether an error is a rate limit is the
// package's call (`err.rateLimited`); the words here only name which one.

import { h, replace } from "./dom.js";

/** @typedef {import("graph-conversations/web").GraphError} GraphError */
/** @typedef {[title: string, meaning: string, action?: string]} Explanation */

const RATE_LIMIT = "A rate limit: the Graph is refusing calls for a while.";

/**
 * Explanations by Graph error code: [title, what it usually means, what to do].
 * Rate limits have no "what to do": it is when to try again, from the error.
 * @type {Record<number, Explanation>}
 */
const BY_CODE = {
  1: ["Unknown or temporary error", "The Graph failed to answer this call. When the message says to reduce the amount of data, the call asked for too much at once.", "Try again later; if it keeps failing, ask for fewer fields or a smaller limit."],
  2: ["The Graph is temporarily unavailable", "A service error on Meta's side.", "Try again in a little while."],
  4: ["App rate limit reached", `${RATE_LIMIT} The whole app made too many calls.`],
  10: ["Permission denied", "The app or the token lacks a permission this call needs, or the feature is not enabled for the app.", "Check the app's permissions in the App Dashboard and get a new token that has them."],
  17: ["User rate limit reached", `${RATE_LIMIT} Too many calls were made with this user's tokens.`],
  32: ["Page rate limit reached", `${RATE_LIMIT} Too many calls were made to this Page.`],
  100: ["Invalid parameter", "An id, field or option is not valid here: a mistyped page or conversation id, a field the node does not have, or an object the token cannot see.", "Check the ids and fields; check that the token belongs to this Page."],
  104: ["No access token", "The call carried no access token.", "Fill in a Page access token."],
  190: ["The access token is not valid", "The token has expired, was revoked (a password change, a logout, the app removed) or is mistyped.", "Get a new Page access token and paste it above."],
  200: ["Missing permission", "The token lacks a permission this call needs: reading an inbox takes pages_messaging (and, for Instagram, instagram_manage_messages).", "Grant the permission to the app, then get a new Page access token."],
  230: ["Missing messaging permission", "The token lacks a Messenger permission this call needs.", "Grant pages_messaging (or the permission named in the message), then get a new token."],
  368: ["Blocked for now", "The Graph deemed the action abusive or otherwise disallowed, and has blocked it for this Page or user for a while.", "Wait, and review the Page's standing in the Page Quality tab."],
  613: ["Rate limit reached", `${RATE_LIMIT} The Conversations API allows about 2 calls per second per Page.`],
  2500: ["The request could not be parsed", "Usually a fields string with a typo: an unbalanced brace or a stray character.", "Check the fields expression."],
  80001: ["Page rate limit reached", `${RATE_LIMIT} Too many calls were made to this Page.`],
  80002: ["Instagram rate limit reached", `${RATE_LIMIT} Too many calls were made to this Instagram account.`],
  80006: ["Messenger rate limit reached", `${RATE_LIMIT} Too many Messenger API calls were made to this Page.`],
  9000001: ["Message details not available", "The Graph gives details only for a thread's 20 newest messages; for older ones it answers as if the message had been deleted. It may also really have been deleted.", "Read the newest 20 messages of a thread; keep older ones from when they were new."],
};

/**
 * Subcodes of 190 that say which way the token went bad.
 * @type {Record<number, string>}
 */
const TOKEN_SUBCODES = {
  458: "The app is no longer installed for this user.",
  460: "The session was invalidated: the password changed, or Facebook ended the session for security reasons.",
  463: "The token has expired.",
  467: "The token is invalid (logged out, or otherwise revoked).",
};

/**
 * What the client reports when no Graph error object was involved.
 * @type {Record<string, Explanation>}
 */
const BY_KIND = {
  invalid_argument: ["Not sent: an argument is not valid", "The client checked the arguments before sending anything, and nothing went out.", "Fix the value named in the message."],
  network: ["The request did not reach the Graph", "No answer came back: the base URL is wrong, the network is down, or the server refused the page's origin (CORS).", "Check the base URL and your connection."],
  timeout: ["No answer in time", "The server did not answer before the client's timeout.", "Try again; ask for less data if it keeps happening."],
  http: ["Not a Graph answer", "Something answered that is not the Graph's JSON: a proxy error page, a wrong base URL, or an outage.", "Check the base URL."],
  decode: ["An answer of an unexpected shape", "The server answered JSON that is not shaped like the Graph's. The base URL may point at something else.", "Check the base URL."],
};

/**
 * A rate limit the words above do not name: an HTTP 429, or a throttling code without an entry.
 * @type {Explanation}
 */
const RATE_LIMITED = ["Rate limit reached", `${RATE_LIMIT} The answer said there were too many calls.`];

/**
 * The fields of a GraphError this page reads. Anything thrown can reach
 * `explain`, so every field may be missing.
 * @typedef {Partial<Pick<GraphError, "kind" | "message" | "code" | "subcode" | "type" | "fbtraceId" | "userTitle" | "userMessage" | "status" | "transient" | "rateLimited" | "retryAfterMs" | "attempts">>} ErrorFields
 */

/**
 * `{ title, meaning, action }` for a GraphError (or any thrown value).
 * Rate limits say when to try again when the answer said so.
 * @param {ErrorFields | null | undefined} err
 * @returns {{ title: string, meaning: string, action: string }}
 */
export function explain(err) {
  const code = err?.code ?? NaN;
  const known = err?.kind === "graph" ? BY_CODE[code] : BY_KIND[err?.kind ?? ""];
  if (err?.rateLimited) {
    const [title, meaning] = known && err.kind === "graph" ? known : RATE_LIMITED;
    return { title, meaning, action: retryAdvice(err) };
  }
  let [title, meaning, action] = known ?? ["Something went wrong", err?.kind === "graph"
    ? "The Graph answered with an error this page has no explanation for; its own message is above."
    : "An unexpected failure."];
  const tokenSubcode = TOKEN_SUBCODES[err?.subcode ?? NaN];
  if (code === 190 && tokenSubcode) meaning = `${tokenSubcode} ${meaning}`;
  if (action === undefined) action = retryAdvice(err);
  else if (err?.transient && err?.kind !== "graph") action = `${action} ${retryAdvice(err)}`;
  return { title, meaning, action };
}

/**
 * When to try again: what the answer said, else whether waiting can help.
 * @param {ErrorFields | null | undefined} err
 */
function retryAdvice(err) {
  if (typeof err?.retryAfterMs === "number" && err.retryAfterMs > 0) {
    const minutes = Math.ceil(err.retryAfterMs / 60000);
    return `Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"} (the answer said so).`;
  }
  if (!err?.transient) return "Waiting will not help; something must change first.";
  const tried = err.attempts !== undefined && err.attempts > 1 ? `The client already tried ${err.attempts} times, with backoff; ` : "";
  return `${tried}${tried ? "try" : "Try"} again in a little while.`;
}

/**
 * The panel's rows: the error's own fields, as the client gives them.
 * @param {ErrorFields} err
 * @returns {Array<[string, unknown]>}
 */
function facts(err) {
  const rows = [
    ["kind", err.kind],
    ["HTTP status", err.status],
    ["code", err.code],
    ["subcode", err.subcode],
    ["type", err.type],
    ["fbtrace id", err.fbtraceId],
    ["user title", err.userTitle],
    ["user message", err.userMessage],
    ["transient", typeof err.transient === "boolean" ? (err.transient ? "yes: trying again later can work" : "no") : undefined],
    ["rate limited", err.rateLimited ? "yes: too many calls" : undefined],
    ["retry after", typeof err.retryAfterMs === "number" ? `${err.retryAfterMs} ms` : undefined],
    ["attempts", err.attempts !== undefined && err.attempts > 1 ? `${err.attempts} (retried with backoff, then given up)` : err.attempts],
  ];
  return /** @type {Array<[string, unknown]>} */ (rows).filter(([, value]) => value !== undefined && value !== null && value !== "");
}

/**
 * Fills the error panel; `snippet` is the code of the call that failed.
 * @param {HTMLElement} panel
 * @param {unknown} err anything thrown; a GraphError's fields are shown
 * @param {string} [snippet]
 */
export function showError(panel, err, snippet) {
  const fields = /** @type {ErrorFields} */ (err && typeof err === "object" ? err : {});
  const { title, meaning, action } = explain(fields);
  const list = h("dl", { class: "facts" });
  for (const [name, value] of facts(fields)) {
    const slug = name.replace(/\s+/g, "-");
    list.append(h("dt", {}, name), h("dd", { "data-field": slug }, String(value)));
  }
  replace(panel,
    h("div", { class: "error-head" },
      h("h2", { class: "error-title" }, title),
      h("button", { type: "button", class: "ghost", "data-action": "dismiss-error", "aria-label": "Dismiss the error" }, "✕")),
    h("p", { class: "error-message" }, fields.message ?? String(err)),
    h("div", { class: "error-explain" },
      h("p", {}, h("strong", {}, "What it usually means: "), meaning),
      h("p", {}, h("strong", {}, "What to do: "), action)),
    list,
    snippet ? h("details", { class: "error-call", open: true }, h("summary", {}, "The call that failed"), h("pre", {}, h("code", {}, snippet))) : null,
    h("p", { class: "hint" }, "Catch it in code: ", h("code", {}, "catch (err) { if (err instanceof GraphError) … err.rateLimited, err.retryAfterMs, err.code, err.transient }")));
  panel.hidden = false;
}

/** @param {HTMLElement} panel */
export function hideError(panel) {
  panel.hidden = true;
  panel.replaceChildren();
}
