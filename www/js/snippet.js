// The JS beside each view. A view's call is kept as data
// (`{ method, args }`), the page runs `client[method](...args)` and this
// module prints the same data as code, so what is shown is what ran.

/** A piece of code printed as is (a variable name), not as a value. */
export class Code {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const WIDTH = 72;

/**
 * A JS literal for `value`: on one line when it fits (or `open` is false),
 * else one entry per line. A list of plain values, such as `fields`, always
 * stays on one line: that is how people write it.
 * @param {unknown} value
 * @param {string} [indent]
 * @param {boolean} [open]
 * @returns {string}
 */
export function literal(value, indent = "", open = false) {
  if (value instanceof Code) return value.text;
  if (Array.isArray(value)) {
    const items = value.map((v) => literal(v, `${indent}  `));
    const line = `[${items.join(", ")}]`;
    const plain = value.every((v) => v === null || typeof v !== "object");
    return plain || (!open && fits(line, indent)) ? line : multiLine("[", "]", items, indent);
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${literal(v, `${indent}  `)}`);
    if (entries.length === 0) return "{}";
    const line = `{ ${entries.join(", ")} }`;
    return !open && fits(line, indent) ? line : multiLine("{", "}", entries, indent);
  }
  return JSON.stringify(value);
}

/** @param {string} line @param {string} indent */
const fits = (line, indent) => !line.includes("\n") && indent.length + line.length <= WIDTH;

/** @param {string} open @param {string} close @param {string[]} items @param {string} indent */
function multiLine(open, close, items, indent) {
  return `${open}\n${items.map((item) => `${indent}  ${item},`).join("\n")}\n${indent}${close}`;
}

/**
 * A call kept as data: the client method, its arguments, and the name of
 * what it resolves to in the code shown.
 * @typedef {{ method: string, args: unknown[], result?: string }} Call
 */

/**
 * `const page = await client.listConversations("…", { … });`
 * @param {Call} call
 * @returns {string}
 */
export function callSnippet({ method, args, result = "page" }) {
  const printed = args.map((arg) => literal(arg));
  const oneLine = `const ${result} = await client.${method}(${printed.join(", ")});`;
  const options = args.at(-1);
  const several = options && typeof options === "object" && Object.values(options).filter((v) => v !== undefined).length > 1;
  if (!several || (!oneLine.includes("\n") && oneLine.length <= WIDTH + 8)) return oneLine;
  // The options open over several lines; a long id alone does not make it worth it.
  const head = printed.slice(0, -1).map((p) => `${p}, `).join("");
  return `const ${result} = await client.${method}(${head}${literal(args.at(-1), "", true)});`;
}

/**
 * How to make the client the page uses, without the token itself. The base
 * URL is left out when it is the client's own default (`clientDefaults()`).
 * @param {import("graph-conversations/web").ClientOptions} options
 * @param {{ baseUrl: string }} defaults what `clientDefaults()` returns
 * @returns {string}
 */
export function clientSnippet(options, defaults) {
  const shown = {
    accessToken: new Code("PAGE_TOKEN"),
    ...(options.baseUrl && options.baseUrl !== defaults.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
    ...(options.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: options.maxRetryDelayMs } : {}),
  };
  return [
    'import { GraphClient, GraphError } from "graph-conversations/web";',
    "",
    "// PAGE_TOKEN: a Page access token. Keep it out of URLs and source control.",
    ...(shown.maxRetryDelayMs !== undefined
      ? ["// maxRetryDelayMs: a rate limit that asks for a longer wait rejects at once (err.retryAfterMs)."]
      : []),
    `const client = new GraphClient(${literal(shown)});`,
  ].join("\n");
}
