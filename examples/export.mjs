// Exports a Page's whole inbox, every message of every thread, to a JSON Lines
// file: one line per thread, written once the thread is read to its end.
// Resumable: after each slice of calls it saves where it is, so a run that was
// stopped (Ctrl-C, a crash, a lasting error) goes on from there when started
// again, and no line is lost or written twice.
//
//   GRAPH_URL=https://graph.facebook.com PAGE_TOKEN=… PAGE_ID=… node examples/export.mjs inbox.jsonl
//
// PLATFORM=instagram for the Instagram inbox; MAX_REQUESTS, the calls per
// slice (default 50). While it runs, inbox.jsonl.state holds the checkpoint;
// it is removed when the export is complete. README.md ("A resumable export")
// shows the part between the export:start and export:end marks.
import { GraphClient } from "../pkg/node.js"; // in your project: from "graph-conversations"

// export:start
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";

const file = process.argv[2] ?? "inbox.jsonl";
const stateFile = `${file}.state`;
const client = new GraphClient({ accessToken: process.env.PAGE_TOKEN ?? "", baseUrl: process.env.GRAPH_URL });
/** @type {import("graph-conversations").SyncInboxOptions} */
const options = {
  platform: process.env.PLATFORM === "instagram" ? "instagram" : "messenger",
  messagesPerConversation: "all", // whole threads, not only their newest messages
  fields: ["snippet", "unread_count", "participants"], // conversation fields; id and updated_time come anyway
  maxRequests: Number(process.env.MAX_REQUESTS ?? 50), // one slice: at most this many calls, then a checkpoint
};

// The checkpoint: where the sync goes on, the threads read in part so far, and
// the file's length then. Whatever a stopped slice wrote after it is cut away.
let state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : { cursor: undefined, partial: [], bytes: 0 };
if (existsSync(file)) truncateSync(file, state.bytes);
const partial = new Map(state.partial.map((/** @type {{ id: string }} */ t) => [t.id, t]));

for (;;) {
  const inbox = await client.syncInbox(process.env.PAGE_ID ?? "", { ...options, cursor: state.cursor });
  let lines = "";
  let written = 0;
  for (const thread of inbox.conversations) {
    // A thread cut short by an earlier slice comes back with the rest of its (older) messages.
    const before = partial.get(thread.id);
    const merged = before ? { ...before, ...thread, messages: [...before.messages, ...thread.messages] } : thread;
    if (inbox.cutShort.includes(thread.id)) partial.set(thread.id, merged); // not all read yet: no line yet
    else {
      partial.delete(thread.id);
      lines += `${JSON.stringify(merged)}\n`;
      written += 1;
    }
  }
  appendFileSync(file, lines);
  state = { cursor: inbox.cursor, partial: [...partial.values()], bytes: statSync(file).size };
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
  renameSync(`${stateFile}.tmp`, stateFile); // the checkpoint, replaced whole or not at all
  console.log(`threads: ${written} written, ${partial.size} read in part (${inbox.requests} calls)`);
  if (inbox.complete) break;
}
rmSync(stateFile);
console.log(`done: ${file}`);
// export:end
