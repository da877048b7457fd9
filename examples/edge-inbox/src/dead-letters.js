// The dead letters: what the Queue could not deliver, kept durably until
// someone looks and sends it again. One Durable Object (SQLite storage) for
// the whole Worker, idFromName("dead-letters"): dead letters are rare, and
// they must not live in the account object that could not take them.
//
//   letters  one row per Queue message: its id (a redelivery of the same
//            message is stored once), the account, why it is here, when it
//            was first queued and when it died, and the event as queued
//
// The Worker's consumer of the dead-letter queue calls record(); the routes
// GET /dead-letters and POST /dead-letters/replay call list(), pick() and
// remove() (index.js).
import { DurableObject } from "cloudflare:workers";

/**
 * A dead letter as stored and as the routes show it.
 * @typedef {{ id: string, messageId: string, accountId: string, reason: string,
 *   queuedAt: string, deadAt: string, event: unknown }} DeadLetter
 * @typedef {{ messageId: string, accountId: string, reason: string, queuedAt: number, event: unknown }} NewDeadLetter
 */

/** Most letters one list or replay call handles. */
export const MAX_LETTERS = 100;

export class DeadLetters extends DurableObject {
  /**
   * @param {DurableObjectState} ctx
   * @param {unknown} env
   */
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS letters (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        message TEXT NOT NULL UNIQUE,
        account TEXT NOT NULL,
        reason TEXT NOT NULL,
        queued_at INTEGER NOT NULL,
        dead_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS letters_account ON letters (account, seq);
    `);
  }

  /**
   * Stores letters in one transaction; a message stored before (the dead-letter
   * queue delivers at least once) is not stored twice. Resolves once durable.
   * @param {NewDeadLetter[]} letters
   * @returns {{ stored: number }}
   */
  record(letters) {
    const now = Date.now();
    let stored = 0;
    this.ctx.storage.transactionSync(() => {
      for (const letter of letters) {
        const cursor = this.sql.exec(
          "INSERT OR IGNORE INTO letters (message, account, reason, queued_at, dead_at, body) VALUES (?, ?, ?, ?, ?, ?)",
          String(letter.messageId), String(letter.accountId ?? ""), String(letter.reason), Number(letter.queuedAt) || now, now, JSON.stringify(letter.event ?? null),
        );
        stored += cursor.rowsWritten > 0 ? 1 : 0;
      }
    });
    return { stored };
  }

  /**
   * Oldest first, `limit` at most, after the letter `after` (a seq), of one
   * account or all. `total`: how many there are (of that account).
   * @param {{ limit: number, after?: number, accountId?: string }} query
   * @returns {{ data: DeadLetter[], total: number, more: boolean }}
   */
  list({ limit, after = 0, accountId }) {
    const rows = accountId
      ? this.sql.exec("SELECT * FROM letters WHERE account = ? AND seq > ? ORDER BY seq LIMIT ?", accountId, after, limit + 1).toArray()
      : this.sql.exec("SELECT * FROM letters WHERE seq > ? ORDER BY seq LIMIT ?", after, limit + 1).toArray();
    const total = Number((accountId
      ? this.sql.exec("SELECT COUNT(*) AS n FROM letters WHERE account = ?", accountId)
      : this.sql.exec("SELECT COUNT(*) AS n FROM letters")).toArray()[0]?.n ?? 0);
    return { data: rows.slice(0, limit).map(letterOf), total, more: rows.length > limit };
  }

  /**
   * The letters to replay: these ids, or else the oldest `limit` (of one
   * account, or all).
   * @param {{ ids?: string[], accountId?: string, limit: number }} query
   * @returns {DeadLetter[]}
   */
  pick({ ids, accountId, limit }) {
    if (ids) {
      return ids.slice(0, limit).flatMap((id) => this.sql.exec("SELECT * FROM letters WHERE seq = ?", Number(id)).toArray()).map(letterOf);
    }
    return this.list({ limit, accountId }).data;
  }

  /**
   * Removes letters (once they are on the Queue again).
   * @param {string[]} ids
   * @returns {{ removed: number, left: number }}
   */
  remove(ids) {
    let removed = 0;
    this.ctx.storage.transactionSync(() => {
      for (const id of ids) removed += this.sql.exec("DELETE FROM letters WHERE seq = ?", Number(id)).rowsWritten > 0 ? 1 : 0;
    });
    const left = Number(this.sql.exec("SELECT COUNT(*) AS n FROM letters").toArray()[0]?.n ?? 0);
    return { removed, left };
  }
}

/**
 * @param {Record<string, string | number | null | ArrayBuffer>} row
 * @returns {DeadLetter}
 */
function letterOf(row) {
  return {
    id: String(row.seq),
    messageId: String(row.message),
    accountId: String(row.account),
    reason: String(row.reason),
    queuedAt: new Date(Number(row.queued_at)).toISOString(),
    deadAt: new Date(Number(row.dead_at)).toISOString(),
    event: JSON.parse(String(row.body)),
  };
}
