import { dataDir as defaultDataDir } from '../config/paths.js';
import { ExitCode, OperationError } from '../errors.js';
import { EventStore, type ListFilter, type ReceivedDelivery, type RelayAttempt } from './event-store.js';

/** Opens the store of `dir` (default: the user data dir), runs `fn`, and always closes it. */
export function withStore<T>(dir: string | undefined, fn: (store: EventStore) => T): T {
  const store = new EventStore(dir ?? defaultDataDir());
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

export interface ReceivedFilter {
  typePattern?: string;
  status?: ListFilter['status'];
  /** Received within this many ms. */
  withinMs?: number;
  limit: number;
}

export function toListFilter(f: ReceivedFilter, now = Date.now()): ListFilter {
  return { typePattern: f.typePattern, status: f.status, since: f.withinMs !== undefined ? now - f.withinMs : undefined, limit: f.limit };
}

/** What `hooks events` does with the deliveries listen received. */
export const received = {
  list: (dir: string | undefined, filter: ReceivedFilter): ReceivedDelivery[] => withStore(dir, (s) => s.list(toListFilter(filter))),

  show: (dir: string | undefined, id: string): { delivery: ReceivedDelivery; attempts: RelayAttempt[] } =>
    withStore(dir, (s) => {
      const delivery = s.get(id);
      if (!delivery) throw new OperationError(`no stored delivery ${id}`, 'hooks events list shows the ids', 'not_found');
      return { delivery, attempts: s.attempts(id) };
    }),

  /** The exact bytes received; refused for a rejected delivery whose body was kept only in part. */
  body(dir: string | undefined, id: string): Buffer {
    const { delivery: d } = received.show(dir, id);
    if (d.body_truncated) {
      throw new OperationError(`only the first ${d.body.length} of the ${d.body_size} bytes of ${id} were kept (rejected deliveries are stored truncated)`, `hooks events show ${id} shows the kept part and the sha256 of the whole body`, 'truncated');
    }
    return d.body;
  },

  /** Exit 1 when some of the ids were not stored. */
  remove: (dir: string | undefined, ids: string[]): { deleted: number; requested: number; exitCode: ExitCode } =>
    withStore(dir, (s) => {
      const deleted = s.remove(ids);
      return { deleted, requested: ids.length, exitCode: deleted === ids.length ? ExitCode.ok : ExitCode.failed };
    }),

  prune: (dir: string | undefined, olderThanMs: number): { deleted: number; older_than_ms: number } =>
    withStore(dir, (s) => ({ deleted: s.prune(Date.now() - olderThanMs), older_than_ms: olderThanMs })),
};
