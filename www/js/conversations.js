// The conversation list: who, the snippet, when, how many unread, and who
// owns the thread when the Graph says (Conversation Routing).

import { h } from "./dom.js";
import { personName, plural, timeParts } from "./format.js";

/** @typedef {import("graph-conversations/web").Conversation} Conversation */

/** The fields the page asks for: what the list shows, and nothing more. */
export const CONVERSATION_FIELDS = ["id", "updated_time", "snippet", "unread_count", "message_count", "participants", "is_owner"];

/**
 * The people a conversation is with: everyone but the inbox's own account.
 * @param {Pick<Conversation, "id" | "participants">} conversation
 * @param {Set<string>} own
 * @returns {string}
 */
export function otherPeople(conversation, own) {
  const people = conversation.participants?.data ?? [];
  const others = people.filter((p) => !own.has(p.id));
  return (others.length ? others : people).map(personName).join(", ") || conversation.id;
}

/**
 * `is_owner` (Conversation Routing): whether the app this token belongs to
 * owns the thread. Shown only when the Graph says either way.
 * @param {boolean | undefined} isOwner
 */
function owner(isOwner) {
  if (typeof isOwner !== "boolean") return null;
  return isOwner
    ? h("span", { class: "badge owner", title: "is_owner: true (Conversation Routing)" }, "this app owns it")
    : h("span", { class: "badge not-owner", title: "is_owner: false (Conversation Routing)" }, "another app owns it");
}

/**
 * One list entry: a button that opens the thread.
 * @param {Conversation} conversation
 * @param {Set<string>} own
 * @returns {HTMLLIElement}
 */
export function conversationItem(conversation, own) {
  const when = timeParts(conversation.updated_time);
  const unread = conversation.unread_count ?? 0;
  return h("li", {},
    h("button", { type: "button", class: "conversation", "data-conversation-id": conversation.id, "aria-pressed": "false" },
      h("span", { class: "conversation-top" },
        h("span", { class: "conversation-who" }, otherPeople(conversation, own)),
        h("time", { datetime: when.iso, title: conversation.updated_time }, when.text)),
      h("span", { class: "conversation-snippet" }, conversation.snippet || "(no snippet)"),
      h("span", { class: "conversation-meta" },
        unread > 0 ? h("span", { class: "badge unread", title: "unread_count" }, `${unread} unread`) : null,
        typeof conversation.message_count === "number" ? h("span", { class: "muted" }, plural(conversation.message_count, "message")) : null,
        owner(conversation.is_owner))));
}
