// Seeded randomness for the mock's data: every value comes from a seed string
// (FNV-1a into mulberry32), never from Math.random, so two runs and two
// servers produce identical bytes. Also the CDN URL shapes media come with.

// FNV-1a: turns a seed string into 32 bits.
function hashSeed(text) {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A generator of numbers in [0, 1) for a seed string (mulberry32: tiny, fast, good enough for fake data). */
export function rngFor(seedText) {
  let a = hashSeed(seedText);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer from lo to hi, both included. */
export const int = (rng, lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
/** One entry of a list. */
export const pick = (rng, list) => list[Math.floor(rng() * list.length)];

/** `n` decimal digits; numeric ids never start with 0, like the Graph's. */
export function digits(rng, n) {
  let out = String(int(rng, 1, 9));
  while (out.length < n) out += String(int(rng, 0, 9));
  return out;
}

function randomBytes(rng, n) {
  return Buffer.from(Array.from({ length: n }, () => int(rng, 0, 255)));
}

/** `n` random bytes as base64url. */
export const base64url = (rng, n) => randomBytes(rng, n).toString("base64url");
/** `n` hex digits. */
export const hex = (rng, n) => randomBytes(rng, Math.ceil(n / 2)).toString("hex").slice(0, n);

// ---------------------------------------------------------------- media URLs

/** A signed-looking Facebook CDN URL ending in `.ext`. */
export function fbcdnUrl(rng, ext) {
  return `https://scontent.xx.fbcdn.net/v/t1.15752-9/${digits(rng, 9)}_${digits(rng, 16)}_${digits(rng, 19)}_n.${ext}` +
    `?_nc_cat=10${int(rng, 1, 9)}&ccb=1-7&_nc_sid=5f2048&_nc_ohc=${base64url(rng, 9)}&_nc_ad=z-m&_nc_cid=0` +
    `&_nc_ht=scontent.xx&oh=03_${base64url(rng, 36)}&oe=${hex(rng, 8).toUpperCase()}`;
}

/** An Instagram messaging CDN (lookaside) URL. */
export function igCdnUrl(rng) {
  return `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${digits(rng, 17)}&signature=${base64url(rng, 72)}`;
}
