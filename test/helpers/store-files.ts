import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openEventStore } from '../../src/core/store/event-store.js';
import { aDelivery } from './deliveries.js';

/** A store in `dir` with `count` deliveries of `bytes` each (oldest first) and a forward attempt each; returns their ids. */
export async function fillStore(dir: string, count: number, bytes: number): Promise<string[]> {
  const store = await openEventStore(dir);
  const ids: string[] = [];
  const start = Date.now() - count * 1000;
  for (let i = 0; i < count; i++) {
    const body = Buffer.alloc(bytes, 0x61 + (i % 26));
    body.write(`{"n":${i},"pad":"`, 0);
    body.write('"}', bytes - 2);
    const d = aDelivery({ received_at: start + i * 1000, body, body_size: bytes });
    ids.push(d.id);
    await store.saveDelivery(d, [{ delivery_id: d.id, kind: 'forward', target: 'http://127.0.0.1:3000/', started_at: d.received_at, status: 200, duration_ms: 1, error: null, response_excerpt: Buffer.from('ok'), resigned: false }]);
  }
  await store.close();
  return ids;
}

export const storePath = (dir: string) => join(dir, 'events.db');

/** `dd if=/dev/urandom of=FILE bs=4096 seek=N count=PAGES conv=notrunc`: random bytes over whole pages, as a failing disk leaves them. */
export function damagePages(file: string, firstPage: number, pages = 4): void {
  execFileSync('dd', ['if=/dev/urandom', `of=${file}`, 'bs=4096', `seek=${firstPage}`, `count=${pages}`, 'conv=notrunc', 'status=none']);
}

/** The page in the middle of the file, as the issue's `seek=$((SIZE/4096/2))`. */
export const middlePage = (file: string) => Math.floor(statSync(file).size / 4096 / 2);
