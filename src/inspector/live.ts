import type { ServerResponse } from 'node:http';
import type { FilterInput } from '../core/inbox/filter.js';
import type { Inbox } from '../core/inbox/inbox.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: every delivery stored after `after` that matches the
 * filters, oldest first, as the inbox sees it land (this listen session's or
 * any other process's, in both modes alike).
 */
export function streamDeliveries(res: ServerResponse, inbox: Inbox, filter: FilterInput, after: number): void {
  // A bad filter is refused before the stream opens.
  const stop = inbox.watch(
    filter,
    after,
    (rows) => {
      for (const row of rows) res.write(`event: delivery\ndata: ${JSON.stringify(row)}\n\n`);
    },
    // A store closed under a stream (the inspector stopping) ends the stream, not the process.
    () => res.end(),
  );
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  res.write(': hooks inspector stream\n\n');
  const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
  res.on('close', () => {
    stop();
    clearInterval(heartbeat);
  });
}
