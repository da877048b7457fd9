// The few Workers APIs src/ uses beyond the DOM's fetch API, for the type
// check (`make check`). @cloudflare/workers-types has all of them, but its
// globals clash with the DOM lib that the rest of the checked code needs.
// A script (no import or export): its declarations are global.

declare module "cloudflare:workers" {
  export abstract class DurableObject<Env = unknown> {
    constructor(ctx: DurableObjectState, env: Env);
    protected ctx: DurableObjectState;
    protected env: Env;
  }
}

interface SqlStorageCursor<T = Record<string, string | number | null | ArrayBuffer>> {
  toArray(): T[];
  readonly rowsWritten: number;
}

interface SqlStorage {
  exec<T = Record<string, string | number | null | ArrayBuffer>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T>;
}

interface DurableObjectStorage {
  readonly sql: SqlStorage;
  transactionSync<T>(fn: () => T): T;
  getAlarm(): Promise<number | null>;
  setAlarm(when: number | Date): Promise<void>;
}

interface DurableObjectState {
  readonly storage: DurableObjectStorage;
  acceptWebSocket(socket: WebSocket, tags?: string[]): void;
  getWebSockets(tag?: string): WebSocket[];
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
  /** Resets the object as an eviction would (its in-memory state is gone). */
  abort(reason?: string): void;
}

interface DurableObjectId {}

/** A stub: fetch, and the object's public methods as RPC. */
type DurableObjectStub<T> = { fetch(request: Request): Promise<Response> } & {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

interface DurableObjectNamespace<T = unknown> {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): DurableObjectStub<T>;
}

interface Queue<Body = unknown> {
  send(body: Body, options?: { contentType?: "json" | "text" | "bytes" | "v8"; delaySeconds?: number }): Promise<void>;
  sendBatch(messages: Iterable<{ body: Body; contentType?: "json" | "text" | "bytes" | "v8"; delaySeconds?: number }>): Promise<void>;
}

interface Message<Body = unknown> {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

interface MessageBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly Message<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}

declare class WebSocketPair {
  0: WebSocket;
  1: WebSocket;
}

interface ResponseInit {
  /** Workers: the client end of a WebSocketPair, with status 101. */
  webSocket?: WebSocket | null;
}
