// JSON the way graph.facebook.com writes it: every non-ASCII character as a
// \uXXXX escape (emoji as surrogate pairs) and every "/" as "\/". Valid JSON,
// but a client that scrapes bodies with string matching instead of parsing
// them will notice.

export function graphJson(value) {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\//g, "\\/");
}
