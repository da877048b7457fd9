// `make demo`: serves the www page and the local mock Graph together, with
// the page prefilled for the mock, so the API can be tried in a browser with
// no Meta account, and receives the mock's webhooks so the page can show a
// customer's message as it is written (examples/demo-live.mjs). Ports:
// WWW_PORT (default 8080), MOCK_PORT (default 8787). Ctrl-C stops both.
// `--edge` (`make demo-edge`): the edge inbox (examples/edge-inbox) under
// `wrangler dev` as well, fed by the same mock, shown on the page.
import { PAGE_ID, TOKEN } from "../mock/server.mjs";
import { startDemo } from "./demo-servers.mjs";

const mockPort = Number(process.env.MOCK_PORT ?? 8787);
const wwwPort = Number(process.env.WWW_PORT ?? 8080);
const edge = process.argv.includes("--edge");

let demo;
try {
  demo = await startDemo({ mockPort, wwwPort, edge });
} catch (caught) {
  const err = /** @type {{ code?: string, port?: number } | undefined} */ (caught);
  if (err?.code !== "EADDRINUSE") throw err;
  console.error(`Port ${err.port} is in use. Pick others: WWW_PORT=8081 MOCK_PORT=8788 make demo`);
  process.exit(1);
}

console.log(`
  The page:      ${demo.pageUrl}
                 (open it in a browser: the mock's URL and a demo token are filled in)
  Mock Graph:    ${demo.mock.url}   token ${TOKEN}   page ${PAGE_ID}
  Live:          the mock's webhooks go to ${demo.site.url}/demo/webhook (signed, checked by Webhook.handle);
                 the page's "Live" panel makes a customer write and shows it as it arrives

  From Node:     GRAPH_URL=${demo.mock.url} PAGE_TOKEN=${TOKEN} PAGE_ID=${PAGE_ID} PLATFORM=instagram node examples/inbox.mjs
${demo.edgeInbox ? `  Edge inbox:    ${demo.edgeInbox.edge.url} (wrangler dev ${demo.edgeInbox.edge.version}, local mode): the mock's Page is connected,
                 its webhooks go there too; the page's "Edge inbox" panel reads its routes (through this
                 demo's server, which adds the run's random ADMIN_TOKEN) and its WebSocket
` : ""}  Real inbox:    in the page, set the base URL to https://graph.facebook.com and paste a Page access token.

  Ctrl-C to stop.`);

const stop = () => demo.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
