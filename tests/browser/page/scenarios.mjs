// What a user of graph-conversations does, written once and run in a plain
// page (tests/browser), in bundled apps (tests/bundlers) and in a bundled
// Node app. It takes the package's exports as an argument so that each
// caller imports them its own way ("graph-conversations/web" through an
// import map, "graph-conversations" through a bundler).
//
// Every scenario takes plain values and resolves to plain values, which is
// what Playwright's page.evaluate can carry back to the test. Checks that need
// the live objects (instanceof) are made here and reported as booleans.
//
// cfg: { baseUrl, token, pageId, threadId, messageId }

export function scenarios({ GraphClient, GraphError }) {
  // Pacing off: the tests make a handful of calls and must not wait on a budget.
  const client = (cfg, extra = {}) =>
    new GraphClient({ baseUrl: cfg.baseUrl, accessToken: cfg.token, callsPerSecond: 0, ...extra });

  const failure = async (promise) => {
    try {
      return { resolved: await promise };
    } catch (err) {
      return describeError(err);
    }
  };

  const describeError = (err) => ({
    isGraphError: err instanceof GraphError,
    isError: err instanceof Error,
    name: err?.name,
    kind: err?.kind,
    message: String(err?.message),
    status: err?.status,
    code: err?.code,
    subcode: err?.subcode,
    type: err?.type,
    transient: err?.transient,
  });

  // The abort scenario is two steps so that the test can wait until the
  // request has reached the mock before aborting it.
  let slowCall = null;

  return {
    async listConversations(cfg) {
      const page = await client(cfg).listConversations(cfg.pageId, { platform: "instagram", limit: 5 });
      return { ids: page.data.map((c) => c.id), first: page.data[0], after: page.paging?.cursors?.after };
    },

    async iterateConversations(cfg) {
      const ids = [];
      const walk = client(cfg).conversations(cfg.pageId, { platform: "instagram", fields: ["id"], limit: 20 });
      for await (const conversation of walk) ids.push(conversation.id);
      return ids;
    },

    async readThread(cfg) {
      const page = await client(cfg).listMessages(cfg.threadId, { limit: 5 });
      return { messages: page.data, after: page.paging?.cursors?.after };
    },

    getMessage(cfg) {
      return client(cfg).getMessage(cfg.messageId);
    },

    graphError(cfg) {
      return failure(client(cfg).getConversation("error-190"));
    },

    async invalidArguments(cfg) {
      const c = client(cfg);
      return [
        await failure(c.getMessage("m_1 with space")),
        await failure(c.listConversations(cfg.pageId, { platform: "whatsapp" })),
        await failure(c.listMessages(cfg.threadId, { limit: -1 })),
      ];
    },

    startSlowCall(cfg) {
      const controller = new AbortController();
      const promise = failure(client(cfg).getMessage(`slow-10000-${cfg.messageId}`, { signal: controller.signal }));
      slowCall = { controller, promise };
    },

    abortSlowCall() {
      slowCall.controller.abort();
      return slowCall.promise;
    },

    /** One call with the token in an Authorization header, which needs a CORS preflight. */
    async headerCall(cfg) {
      const conversation = await client(cfg, { tokenIn: "header" }).getConversation(cfg.threadId);
      return conversation.id;
    },

    /** Two clients with an app secret: in a browser, one warning for the page. */
    async appSecretCall(cfg, appSecret) {
      client(cfg, { appSecret });
      const conversation = await client(cfg, { appSecret }).getConversation(cfg.threadId);
      return conversation.id;
    },
  };
}
