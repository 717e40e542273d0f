import { dataDir as defaultDataDir } from '../config/paths.js';
import { ExitCode, OperationError } from '../errors.js';
import { openEventStore, OUTCOMES, type EventStore, type ListFilter, type Outcome, type ReceivedDelivery, type RelayAttempt, type Verdict } from './event-store.js';

/** Opens the store of `dir` (default: the user data dir), runs `fn`, and always closes it. */
export async function withStore<T>(dir: string | undefined, fn: (store: EventStore) => T | Promise<T>): Promise<T> {
  const store = await openEventStore(dir ?? defaultDataDir());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** `--status`: a verdict or a forward outcome, one flag for the CLI and two filters for the store. */
export type StatusFilter = Verdict | Outcome;

export function statusFilter(status: StatusFilter | undefined): Pick<ListFilter, 'verdict' | 'outcome'> {
  if (!status) return {};
  return (OUTCOMES as readonly string[]).includes(status) ? { outcome: status as Outcome } : { verdict: status as Verdict };
}

export interface ReceivedFilter {
  typePattern?: string;
  status?: StatusFilter;
  /** Received within this many ms. */
  withinMs?: number;
  limit: number;
}

export function toListFilter(f: ReceivedFilter, now = Date.now()): ListFilter {
  return { typePattern: f.typePattern, ...statusFilter(f.status), since: f.withinMs !== undefined ? now - f.withinMs : undefined, limit: f.limit };
}

/** What `hooks events` does with the deliveries listen received. */
export const received = {
  list: (dir: string | undefined, filter: ReceivedFilter): Promise<ReceivedDelivery[]> => withStore(dir, (s) => s.list(toListFilter(filter))),

  show: (dir: string | undefined, id: string): Promise<{ delivery: ReceivedDelivery; attempts: RelayAttempt[] }> =>
    withStore(dir, (s) => {
      const delivery = s.get(id);
      if (!delivery) throw new OperationError(`no stored delivery ${id}`, 'hooks events list shows the ids', 'not_found');
      return { delivery, attempts: s.attempts(id) };
    }),

  /** The exact bytes received; refused for a rejected delivery whose body was kept only in part. */
  async body(dir: string | undefined, id: string): Promise<Buffer> {
    const { delivery: d } = await received.show(dir, id);
    if (d.body_truncated) {
      throw new OperationError(`only the first ${d.body.length} of the ${d.body_size} bytes of ${id} were kept (rejected deliveries are stored truncated)`, `hooks events show ${id} shows the kept part and the sha256 of the whole body`, 'truncated');
    }
    return d.body;
  },

  /** Exit 1 when some of the ids were not stored. */
  remove: (dir: string | undefined, ids: string[]): Promise<{ deleted: number; requested: number; exitCode: ExitCode }> =>
    withStore(dir, async (s) => {
      const deleted = await s.remove(ids);
      return { deleted, requested: ids.length, exitCode: deleted === ids.length ? ExitCode.ok : ExitCode.failed };
    }),

  prune: (dir: string | undefined, olderThanMs: number): Promise<{ deleted: number; older_than_ms: number }> =>
    withStore(dir, async (s) => ({ deleted: await s.prune(Date.now() - olderThanMs), older_than_ms: olderThanMs })),
};
