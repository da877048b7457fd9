// Building DOM nodes from Graph data. Every string goes in as text (never as
// HTML), and every URL the Graph gives passes `safeUrl` before it becomes an
// `href` or a `src`: a `javascript:` link in a message must stay inert.

/** One child of `h` and `append`: a node or text; empty values are skipped. */
/** @typedef {Node | string | number | boolean | null | undefined} Leaf */
/** What `h` and `append` take as children: leaves, and lists of them (nested once). */
/** @typedef {Leaf | Array<Leaf | Leaf[]>} Child */

/** Attribute values: `undefined`, `null` and `false` leave the attribute out, `true` sets it empty. */
/** @typedef {Record<string, string | number | boolean | null | undefined>} Attributes */

/**
 * `h("p", { class: "x", title: "…" }, "text", child, …)`: an element whose
 * string children become text nodes. Attributes with `undefined`, `null` or
 * `false` are left out; `true` sets an empty attribute.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
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

/**
 * Appends strings (as text), nodes and nested arrays; skips empty values.
 * @template {Node & ParentNode} P
 * @param {P} parent
 * @param {Child[]} children
 * @returns {P}
 */
export function append(parent, children) {
  for (const child of /** @type {Leaf[]} */ (children.flat(Infinity))) {
    if (child === undefined || child === null || child === false || child === "") continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/**
 * Replaces all children of `parent`.
 * @template {Node & ParentNode} P
 * @param {P} parent
 * @param {...Child} children
 * @returns {P}
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/**
 * The URL if it is http(s), else null: only those become links or media.
 * @param {unknown} value
 * @returns {string | null}
 */
export function safeUrl(value) {
  if (typeof value !== "string" || value === "") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A link that opens in a new tab without giving it a handle on this page;
 * a plain `<span>` when `url` is not http(s).
 * @param {unknown} url
 * @param {Child} text
 * @returns {HTMLElement}
 */
export function link(url, text) {
  const href = safeUrl(url);
  if (!href) return h("span", {}, text);
  return h("a", { href, target: "_blank", rel: "noopener noreferrer" }, text);
}
