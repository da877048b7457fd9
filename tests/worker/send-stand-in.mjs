// A STAND-IN FOR THE MOCK GRAPH'S SEND API, used by reply.test.mjs only,
// until mock/server.mjs answers `POST /{version}/{page}/messages` (being
// added on branch h-mocksend). Main's mock answers that POST with a Graph
// error (100/33, "Unsupported post request"), so the reply route cannot be
// tested against it yet. Once it can, reply.test.mjs should start the mock
// instead and this file should go.
//
// It answers nothing but that one POST, in the two shapes the Send API
// answers and the one a proxy in the way would:
//   - 200 `{ recipient_id, message_id }` for any recipient not below;
//   - RECIPIENTS.outsideWindow: 400 with the Graph's error body for a message
//     outside the 24-hour window (code 10, subcode 2018278);
//   - RECIPIENTS.throttled: 400 with the Graph's rate-limit body (code 613);
//   - RECIPIENTS.proxyPage: 502 with an HTML page, an answer that does not say
//     whether the message went out.
// A call without the mock's token in the Authorization header answers the
// Graph's 190; anything else 404. Every request is recorded (method, path,
// headers, the form body decoded) in `requests`. 127.0.0.1 only.
import { createServer } from "node:http";
import { TOKEN } from "../../mock/server.mjs";

export const RECIPIENTS = Object.freeze({
  outsideWindow: "7000000000000002",
  proxyPage: "7000000000000003",
  throttled: "7000000000000006",
});

const graphError = (status, error) => ({ status, type: "application/json", body: JSON.stringify({ error: { fbtrace_id: "AStandInTraceId", ...error } }) });

const OUTSIDE_WINDOW = graphError(400, {
  message: "(#10) This message is sent outside of allowed window.",
  type: "OAuthException",
  code: 10,
  error_subcode: 2018278,
});

const THROTTLED = graphError(400, {
  message: "(#613) Calls to this api have exceeded the rate limit.",
  type: "OAuthException",
  code: 613,
});

/** Starts the stand-in on 127.0.0.1; resolves to `{ url, requests, reset(), close() }`. */
export async function startSendStandIn() {
  const requests = [];
  let sent = 0;
  const server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const form = Object.fromEntries(new URLSearchParams(text));
    const parsed = (key) => (form[key] === undefined ? undefined : JSON.parse(form[key]));
    const request = { method: req.method, path: req.url, headers: req.headers, form, recipient: parsed("recipient"), message: parsed("message") };
    requests.push(request);
    const answer = answerFor(request, () => `m_stand_in_${++sent}`);
    res.writeHead(answer.status, { "Content-Type": answer.type });
    res.end(answer.body);
  });
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", done);
  });
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => requests.splice(0),
    close: () => new Promise((done) => server.close(() => done(undefined))),
  };
}

function answerFor(request, nextMid) {
  if (request.method !== "POST" || !/^\/v\d+\.\d+\/\d+\/messages$/.test(request.path)) {
    return graphError(404, { message: "Unknown path components (stand-in: POST /{version}/{page}/messages only)", type: "OAuthException", code: 2500 });
  }
  if (request.headers.authorization !== `Bearer ${TOKEN}`) {
    return graphError(400, { message: "Invalid OAuth access token - Cannot parse access token", type: "OAuthException", code: 190 });
  }
  const recipient = request.recipient?.id;
  if (recipient === RECIPIENTS.outsideWindow) return OUTSIDE_WINDOW;
  if (recipient === RECIPIENTS.throttled) return THROTTLED;
  if (recipient === RECIPIENTS.proxyPage) return { status: 502, type: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" };
  return { status: 200, type: "application/json", body: JSON.stringify({ recipient_id: recipient, message_id: nextMid() }) };
}
