// Small helpers shared by the Worker and the Durable Object.

/**
 * A JSON answer that no shared cache keeps (inboxes are private).
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function json(status, body, headers = {}) {
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}

/**
 * Compares two strings in constant time (for their length).
 * @param {string} given
 * @param {string} expected
 */
export function timingSafeEqualText(given, expected) {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

/** @param {Uint8Array} bytes */
export function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** @param {string} text */
export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * The hex SHA-256 of a text.
 * @param {string} text
 */
export async function sha256(text) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * AES-256-GCM key from TOKEN_KEY (base64 of 32 bytes).
 * @param {string | undefined} tokenKey
 */
export async function tokenKey(tokenKey) {
  const raw = tokenKey ? fromBase64(tokenKey) : new Uint8Array(0);
  if (raw.byteLength !== 32) throw new Error("TOKEN_KEY must be the base64 of 32 bytes");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/**
 * `iv.ciphertext` in base64; `aad` binds it to its account.
 * @param {CryptoKey} key
 * @param {string} plain
 * @param {string} aad
 */
export async function encrypt(key, plain, aad) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new TextEncoder().encode(plain);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(aad) }, key, data));
  return `${toBase64(iv)}.${toBase64(sealed)}`;
}

/**
 * @param {CryptoKey} key
 * @param {string} sealed
 * @param {string} aad
 */
export async function decrypt(key, sealed, aad) {
  const [iv, data] = sealed.split(".");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv ?? ""), additionalData: new TextEncoder().encode(aad) },
    key,
    fromBase64(data ?? ""),
  );
  return new TextDecoder().decode(plain);
}
