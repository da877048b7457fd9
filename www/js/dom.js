// Building DOM nodes from Graph data. Every string goes in as text (never as
// HTML), and every URL the Graph gives passes `safeUrl` before it becomes an
// `href` or a `src`: a `javascript:` link in a message must stay inert.

/**
 * `h("p", { class: "x", title: "…" }, "text", child, …)`: an element whose
 * string children become text nodes. Attributes with `undefined`, `null` or
 * `false` are left out; `true` sets an empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

/** Appends strings (as text), nodes and nested arrays; skips empty values. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false || child === "") continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all children of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** The URL if it is http(s), else null: only those become links or media. */
export function safeUrl(value) {
  if (typeof value !== "string" || value === "") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A link that opens in a new tab without giving it a handle on this page. */
export function link(url, text) {
  const href = safeUrl(url);
  if (!href) return h("span", {}, text);
  return h("a", { href, target: "_blank", rel: "noopener noreferrer" }, text);
}
