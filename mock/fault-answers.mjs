// What the faults answer when it is not a plain error body: a proxy's HTML
// page, the real answer cut in half, a page whose cursor never moves, and a
// 20 MB page. Pure functions over answers (see graph.mjs for their shape).

import { PAGE_ID, PAGE_NAME, graphTime } from "./data.mjs";
import { graphJson } from "./json.mjs";
import { encodeCursor } from "./paging.mjs";

export const JSON_TYPE = "application/json; charset=UTF-8";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The answer's body cut in half: as a complete short body (`mode` "body"), or
 * as a transfer that stops half way through the promised Content-Length
 * ("transfer": the answer carries `cutAt`, the bytes to send before the
 * connection drops). A dropped answer stays dropped.
 */
export function truncated(answer, mode) {
  if (answer.drop) return answer;
  const text = answer.raw ? answer.raw.text : graphJson(answer.json);
  const bytes = encoder.encode(text);
  const cut = Math.max(1, Math.floor(bytes.length / 2));
  const contentType = answer.raw?.contentType ?? JSON_TYPE;
  if (mode === "transfer") return { ...answer, json: undefined, raw: { contentType, text }, cutAt: cut };
  return { ...answer, json: undefined, raw: { contentType, text: decoder.decode(bytes.subarray(0, cut)) } };
}

/**
 * The page after X answers "after: X" again (in its cursors and its `next`
 * link), so a client that trusts the cursor asks for the same page forever.
 */
export function repeatCursor(answer, after) {
  const paging = answer.json?.paging;
  if (answer.status !== 200 || !paging?.cursors) return answer;
  const json = structuredClone(answer.json);
  json.paging.cursors.after = after;
  if (json.paging.next) {
    const next = new URL(json.paging.next);
    next.searchParams.set("after", after);
    json.paging.next = next.toString();
  }
  return { ...answer, json };
}

/** A proxy's 502 page of about 9 KB (title first); `echo` goes into the title. */
export function proxyPage(echo) {
  const filler = Array.from({ length: 60 }, (_, i) =>
    `<p class="detail">Diagnostic line ${i + 1}: upstream connect error or disconnect/reset before headers. reset reason: connection termination</p>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>502 Bad Gateway${echo.replace(/[<>&]/g, "")}</title>
<style>
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; color: #1c1e21; background: #f0f2f5; }
.box { max-width: 640px; margin: 80px auto; padding: 24px; background: #fff; border-radius: 8px; }
.detail { font-size: 12px; color: #606770; }
</style>
</head>
<body>
<div class="box">
<h1>502 Bad Gateway</h1>
<p>The proxy server received an invalid response from an upstream server.</p>
${filler}
<hr><center>nginx</center>
</div>
</body>
</html>
`;
}

// ---------------------------------------------------------------- the 20 MB page

const HUGE_CONVERSATIONS = 200; // the Graph's reported cap per page
const HUGE_MESSAGES = 25;
const hugeCache = new Map();

/**
 * A valid, last page of 200 conversations, each with participants and its 25
 * newest messages (long texts), about `bytes` long once written the Graph's
 * way. Built once per size.
 */
export function hugePage(bytes) {
  if (!hugeCache.has(bytes)) {
    // Escaped emoji make a character of text cost more than a byte: measure.
    const empty = graphJson(hugeBody(0)).length;
    const perChar = (graphJson(hugeBody(1000)).length - empty) / 1000;
    const textLength = Math.max(0, Math.round((bytes - empty) / perChar));
    hugeCache.set(bytes, graphJson(hugeBody(textLength)));
  }
  return hugeCache.get(bytes);
}

const PROSE = "Hello again! Following up on the catering order for Friday: 40 oat flat whites, 12 decaf, "
  + "a tray of cinnamon buns and the gluten-free muffins ☕🥐. Could the delivery come to the side entrance? ";

function hugeBody(textLength) {
  const newest = Date.UTC(2026, 10, 20, 14, 3, 11) / 1000;
  const page = { name: PAGE_NAME, email: `${PAGE_ID}@facebook.com`, id: PAGE_ID };
  const text = PROSE.repeat(Math.ceil(textLength / PROSE.length) + 1).slice(0, textLength);
  const data = [];
  for (let i = 0; i < HUGE_CONVERSATIONS; i++) {
    const psid = String(7_100_000_000_000_000 + i * 7919);
    const person = { name: `Customer ${i + 1}`, email: `${psid}@facebook.com`, id: psid };
    const updated = newest - i * 3600;
    const messages = Array.from({ length: HUGE_MESSAGES }, (_, j) => ({
      id: `m_huge${String(i).padStart(3, "0")}x${String(j).padStart(2, "0")}`,
      created_time: graphTime(updated - j * 60),
      from: j % 2 ? page : person,
      to: { data: [j % 2 ? person : page] },
      message: `#${j} ${text}`,
    }));
    data.push({
      id: `t_${9_100_000_000_000 + i}`,
      updated_time: graphTime(updated),
      message_count: HUGE_MESSAGES,
      unread_count: i % 3,
      snippet: `#0 ${text}`.slice(0, 100),
      participants: { data: [person, page] },
      messages: { data: messages, paging: { cursors: { before: encodeCursor(`m|huge|${i}`, 0), after: encodeCursor(`m|huge|${i}`, HUGE_MESSAGES - 1) } } },
    });
  }
  return { data, paging: { cursors: { before: encodeCursor("c|huge", 0), after: encodeCursor("c|huge", HUGE_CONVERSATIONS - 1) } } };
}
