import { randomBytes } from 'node:crypto';

const pool = { bytes: Buffer.alloc(0), at: 0 };

/**
 * Random bytes drawn from a 4 KB pool that is refilled when used up: each
 * `randomBytes` call costs several microseconds in OpenSSL, which showed in
 * the profiles of `listen` (an id per delivery) and `trigger` (ids in every
 * fixture). A view into the pool: copy it before changing it.
 */
export function pooledRandomBytes(n: number): Buffer {
  if (pool.at + n > pool.bytes.length) {
    pool.bytes = randomBytes(Math.max(4096, n));
    pool.at = 0;
  }
  pool.at += n;
  return pool.bytes.subarray(pool.at - n, pool.at);
}
