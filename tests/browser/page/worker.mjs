// A module web worker that loads the package by its path (import maps do
// not reach workers) and lists a page of conversations: what a page that
// moves its Graph calls off the main thread does. The package is imported
// inside the handler: a message that came while a top-level import still
// waited (the package awaits its .wasm) would find no handler.
self.onmessage = async ({ data: cfg }) => {
  try {
    const { GraphClient } = await import("/pkg/web.js");
    const client = new GraphClient({ baseUrl: cfg.baseUrl, accessToken: cfg.token, callsPerSecond: 0 });
    const page = await client.listConversations(cfg.pageId, { limit: 2 });
    self.postMessage({ ids: page.data.map((c) => c.id) });
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error) });
  }
};
