// The conversation list: who, the snippet, when, how many unread.

import { h } from "./dom.js";
import { personName, plural, timeParts } from "./format.js";

/** The fields the page asks for: what the list shows, and nothing more. */
export const CONVERSATION_FIELDS = ["id", "updated_time", "snippet", "unread_count", "message_count", "participants"];

/**
 * The ids of the inbox's own account: the Page id, plus any participant
 * present in every listed conversation (on Instagram the account has an id
 * of its own, which the Page id does not reveal).
 */
export function ownIds(pageId, conversations) {
  const ids = new Set([pageId]);
  const lists = conversations.map((c) => new Set((c.participants?.data ?? []).map((p) => p.id)));
  if (lists.length >= 2) for (const id of lists[0]) if (lists.every((l) => l.has(id))) ids.add(id);
  return ids;
}

/** The people a conversation is with: everyone but the inbox's own account. */
export function otherPeople(conversation, own) {
  const people = conversation.participants?.data ?? [];
  const others = people.filter((p) => !own.has(p.id));
  return (others.length ? others : people).map(personName).join(", ") || conversation.id;
}

/** One list entry: a button that opens the thread. */
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
        typeof conversation.message_count === "number" ? h("span", { class: "muted" }, plural(conversation.message_count, "message")) : null)));
}
