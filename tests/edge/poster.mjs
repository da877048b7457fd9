// The webhook sender of the storm, in a thread of its own: Meta's side. Its
// clock and its event loop are not the test's (which also runs a hundred
// mock Graphs and their router), so a POST's time is the edge's answer
// time, not the test process's own delays.
//
// Each message from the parent is a round: { url, posts: [{ body, signature }],
// concurrency }. It answers { half: true } once half the round is sent (the
// parent evicts the objects then) and { done: true, latencies, non200,
// socketErrors, slow } at the end.
import { parentPort } from "node:worker_threads";

parentPort?.on("message", async ({ url, posts, concurrency, started }) => {
  const latencies = [];
  const slow = [];
  let non200 = 0;
  let socketErrors = 0;
  let next = 0;
  let halfSaid = false;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < posts.length) {
      if (!halfSaid && next >= posts.length / 2) {
        halfSaid = true;
        parentPort?.postMessage({ half: true });
      }
      const { body, signature } = posts[next++];
      const post = () => fetch(`${url}/webhook`, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signature }, body });
      let t0 = performance.now();
      let r;
      try {
        r = await post();
      } catch (err) {
        // No answer (the connection closed): sent again, as Meta does. Counted.
        if (!["UND_ERR_SOCKET", "ECONNRESET"].includes(err?.cause?.code)) throw err;
        socketErrors++;
        t0 = performance.now();
        r = await post();
      }
      await r.arrayBuffer();
      const ms = performance.now() - t0;
      latencies.push(ms);
      if (ms > 500) slow.push(`${Math.round(ms)} ms at ${Date.now() - started}`);
      if (r.status !== 200) non200++;
    }
  }));
  parentPort?.postMessage({ done: true, latencies, non200, socketErrors, slow });
});
