import type Database from 'better-sqlite3';
import { BatchWriter } from './batch-writer.js';
import type { Retention } from './types.js';
import { WriteThread } from './write-thread.js';
import { errorOf, storeWriter, type StoreWrite } from './writes.js';

/**
 * The one way into the event store for every write: deliveries, attempts,
 * replays, deletes, pruning and the search index. Chosen once, when the
 * store opens: `inline` commits on this thread's connection (short commands),
 * `threaded` on a write thread with the checkpointer beside it (listen).
 */
export interface StoreWriter {
  readonly mode: 'inline' | 'threaded';
  /** Resolves once committed; rejects when this write alone failed. */
  write(w: StoreWrite): Promise<void>;
  remove(ids: string[]): Promise<number>;
  prune(before: number): Promise<number>;
  /** Applies the retention now and keeps its size cap for every batch after. */
  enforce(retention: Retention, now: number): Promise<number>;
  /** Brings the search index up to date, in slices of about `sliceMs`. */
  index(sliceMs: number): Promise<void>;
  close(): Promise<void>;
}

export type WriterMode = StoreWriter['mode'];

/** `onRemoved`: how many old deliveries a batch removed to stay under the cap, to say so. */
export async function createStoreWriter(mode: WriterMode, db: Database.Database, file: string, onRemoved: (n: number) => void): Promise<StoreWriter> {
  return mode === 'threaded' ? threaded(await WriteThread.start(file, onRemoved)) : inline(db, onRemoved);
}

function inline(db: Database.Database, onRemoved: (n: number) => void): StoreWriter {
  const writer = storeWriter(db);
  const batches = new BatchWriter<StoreWrite>((writes) => {
    const { errors, removed } = writer.apply(writes);
    if (removed) onRemoved(removed);
    return errors.map((e) => (e === null ? null : errorOf(e)));
  });
  // Requests see the writes queued before them.
  const after = <T>(fn: () => T): Promise<T> => {
    batches.flush();
    return Promise.resolve().then(fn);
  };
  return {
    mode: 'inline',
    write: (w) => batches.write(w),
    remove: (ids) => after(() => writer.remove(ids)),
    prune: (before) => after(() => writer.prune(before)),
    enforce: (retention, now) => after(() => writer.enforce(retention, now)),
    index: async (sliceMs) => {
      batches.flush();
      await writer.indexInSlices(sliceMs);
    },
    close: async () => batches.flush(),
  };
}

function threaded(thread: WriteThread): StoreWriter {
  return {
    mode: 'threaded',
    write: (w) => thread.write(w),
    remove: (ids) => thread.remove(ids),
    prune: (before) => thread.prune(before),
    enforce: (retention, now) => thread.enforce(retention, now),
    index: (sliceMs) => thread.index(sliceMs),
    close: () => thread.close(),
  };
}
