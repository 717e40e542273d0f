import type { ServerResponse } from 'node:http';
import type { EventStore, ListFilter } from '../core/store/event-store.js';

const POLL_MS = 300;
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: every delivery stored after `after` that matches the
 * filters, oldest first, as it lands. It reads the store, so it sees what
 * this listen session and any other process stored, in both modes alike.
 */
export function streamDeliveries(res: ServerResponse, store: EventStore, filter: Omit<ListFilter, 'limit'>, after: number, prepareSearch: () => Promise<void>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  res.write(': hooks inspector stream\n\n');
  let last = after;
  let busy = false;
  let closed = false;
  const send = async () => {
    const top = store.latestSeq();
    if (top <= last) return;
    if (filter.search) await prepareSearch();
    if (closed) return;
    // Bounded by the newest row now, so rows the filter skips are not scanned again next time.
    const { rows } = store.page({ ...filter, after: last, before: top + 1, limit: 500 });
    last = top;
    for (const row of rows.reverse()) res.write(`event: delivery\ndata: ${JSON.stringify(row)}\n\n`);
  };
  const poll = setInterval(() => {
    if (busy) return;
    busy = true;
    // A store closed under a stream (the inspector stopping) ends the stream, not the process.
    send()
      .catch(() => res.end())
      .finally(() => (busy = false));
  }, POLL_MS);
  const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
  res.on('close', () => {
    closed = true;
    clearInterval(poll);
    clearInterval(heartbeat);
  });
}
