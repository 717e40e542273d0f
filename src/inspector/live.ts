import type { ServerResponse } from 'node:http';
import type { EventStore, ListFilter } from '../core/store/event-store.js';

const POLL_MS = 300;
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: every delivery stored after `after` that matches the
 * filters, oldest first, as it lands. It reads the store, so it sees what
 * this listen session and any other process stored, in both modes alike.
 */
export function streamDeliveries(res: ServerResponse, store: EventStore, filter: Omit<ListFilter, 'limit'>, after: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  res.write(': hooks inspector stream\n\n');
  let last = after;
  const poll = setInterval(() => {
    const top = store.latestSeq();
    if (top <= last) return;
    // Bounded by the newest row now, so rows the filter skips are not scanned again next time.
    const { rows } = store.page({ ...filter, after: last, before: top + 1, limit: 500 });
    last = top;
    for (const row of rows.reverse()) res.write(`event: delivery\ndata: ${JSON.stringify(row)}\n\n`);
  }, POLL_MS);
  const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
  res.on('close', () => {
    clearInterval(poll);
    clearInterval(heartbeat);
  });
}
