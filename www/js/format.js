// Times, sizes and names as a person reads them.

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * The Graph writes `2026-11-20T14:03:11+0000`; `Date` wants `+00:00`.
 * @param {unknown} value an ISO 8601 string, or Unix seconds (`date_format=U`)
 * @returns {Date | null}
 */
export function parseGraphTime(value) {
  if (typeof value === "number") return new Date(value * 1000); // date_format=U
  if (typeof value !== "string") return null;
  const date = new Date(value.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A `<time>`-ready pair: the local reading and the machine value.
 * @param {unknown} value
 * @returns {{ text: string, iso: string | undefined }}
 */
export function timeParts(value) {
  const date = parseGraphTime(value);
  return date ? { text: DATE_TIME.format(date), iso: date.toISOString() } : { text: String(value ?? ""), iso: undefined };
}

/**
 * @param {unknown} bytes
 * @returns {string} `""` when `bytes` is not a number
 */
export function fileSize(bytes) {
  if (typeof bytes !== "number") return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Messenger people have a `name`, Instagram ones a `username`.
 * @param {import("graph-conversations/web").Participant | null | undefined} person
 * @returns {string}
 */
export function personName(person) {
  if (!person) return "unknown sender";
  if (person.name) return person.name;
  if (person.username) return `@${person.username}`;
  return person.id ?? "unknown";
}

/**
 * `plural(2, "message")` is `"2 messages"`.
 * @param {number} n
 * @param {string} one
 * @param {string} [many]
 */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
