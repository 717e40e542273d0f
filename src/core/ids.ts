import { pooledRandomBytes } from './random.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = 0;
/** The time part of `lastTime`: under load many ids share a millisecond. */
let lastTimePart = '';
let lastRandom = Buffer.alloc(10);

/**
 * `prefix_` + a ULID: 48 bits of milliseconds then 80 random bits, Crockford
 * base32. Ids sort by creation time (monotonic within a millisecond), so
 * cursor pagination is "id < cursor".
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now === lastTime) {
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      lastRandom[i] = (lastRandom[i]! + 1) & 0xff;
      if (lastRandom[i] !== 0) break;
    }
  } else {
    lastTime = now;
    // A copy: the counter below changes it in place.
    lastRandom = Buffer.from(pooledRandomBytes(10));
    lastTimePart = '';
    for (let i = 0, t = now; i < 10; i++, t = Math.floor(t / 32)) lastTimePart = ALPHABET[t % 32] + lastTimePart;
  }
  // 80 random bits as 16 base32 characters: two 40-bit halves, each exact in a double.
  let rand = '';
  for (const half of [lastRandom.readUIntBE(0, 5), lastRandom.readUIntBE(5, 5)]) {
    let h = half;
    let part = '';
    for (let i = 0; i < 8; i++) {
      part = ALPHABET[h % 32] + part;
      h = Math.floor(h / 32);
    }
    rand += part;
  }
  return `${prefix}_${lastTimePart}${rand}`;
}
