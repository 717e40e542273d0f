import { Worker } from 'node:worker_threads';
import { BatchWriter } from './batch-writer.js';
import { packWrites, type PackedWrites } from './write-codec.js';
import { errorOf, failureOf, type StoreWrite, type WriteFailure } from './writes.js';
import type { Retention } from './types.js';

type Request =
  | { op: 'writes'; packed: PackedWrites }
  | { op: 'enforce'; retention: Retention; now: number }
  | { op: 'remove'; ids: string[] }
  | { op: 'prune'; before: number }
  | { op: 'index'; sliceMs: number }
  | { op: 'close' };
export type WriteRequest = { id: number } & Request;
export interface WriteReply {
  id: number;
  /** The request failed as a whole (the thread stopped, the transaction could not commit). */
  error?: WriteFailure;
  /** For a batch where a write failed: each write's failure, null when it committed; absent when all committed. */
  errors?: Array<WriteFailure | null>;
  removed?: number;
}

/** What a batch that committed whole reports: no error for any write. */
const ALL_COMMITTED: Array<Error | null> = [];

/**
 * The event store's writes on a worker thread with its own connection. The
 * writes of one turn of the event loop go over as one message and are
 * committed in one transaction (each alone, should one fail); each `write`
 * resolves once it is committed, so a sender is still answered only after its
 * delivery is on disk. The main thread meanwhile goes on reading and
 * answering: SQLite's CPU and its WAL checkpoints are off the request path.
 */
export class WriteThread {
  private readonly batches = new BatchWriter<StoreWrite>((writes) =>
    this.request({ op: 'writes', packed: packWrites(writes) }).then((r) => {
      if (r.removed) this.onRemoved(r.removed);
      return r.errors ? r.errors.map((e) => (e === null ? null : errorOf(e))) : ALL_COMMITTED;
    }),
  );
  private readonly replies = new Map<number, (reply: WriteReply) => void>();
  private nextId = 1;
  private broken: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly onRemoved: (n: number) => void,
  ) {
    worker.on('message', (reply: WriteReply) => {
      const done = this.replies.get(reply.id);
      this.replies.delete(reply.id);
      done?.(reply);
    });
    // A thread that dies takes no write with it silently: everything waiting fails, and so does what comes next.
    const fail = (err: Error) => {
      this.broken ??= err;
      for (const done of this.replies.values()) done({ id: 0, error: stopped(err) });
      this.replies.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  /** Starts the thread on `file` (an event store whose schema is in place). */
  static async start(file: string, onRemoved: (n: number) => void): Promise<WriteThread> {
    const worker = new Worker(new URL('./write-worker.js', import.meta.url), { workerData: { file } });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    return new WriteThread(worker, onRemoved);
  }

  write(w: StoreWrite): Promise<void> {
    return this.batches.write(w);
  }

  /** The requests below see the writes queued before them: those are sent first. */
  enforce(retention: Retention, now: number): Promise<number> {
    return this.counted({ op: 'enforce', retention, now });
  }

  remove(ids: string[]): Promise<number> {
    return this.counted({ op: 'remove', ids });
  }

  prune(before: number): Promise<number> {
    return this.counted({ op: 'prune', before });
  }

  /** Brings the search index up to date there, in slices of about `sliceMs` between which other writes go through. */
  index(sliceMs: number): Promise<void> {
    this.batches.flush();
    return this.request({ op: 'index', sliceMs }).then(() => undefined);
  }

  /** Commits what is queued, then closes the thread's connection and the thread. */
  async close(): Promise<void> {
    this.batches.flush();
    if (!this.broken) await this.request({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }

  private counted(req: Request): Promise<number> {
    this.batches.flush();
    return this.request(req).then((r) => r.removed ?? 0);
  }

  private request(req: Request): Promise<WriteReply> {
    if (this.broken) return Promise.reject(errorOf(stopped(this.broken)));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (reply) => (reply.error ? reject(errorOf(reply.error)) : resolve(reply)));
      // The packed bytes move to the thread instead of being copied.
      this.worker.postMessage({ id, ...req } as WriteRequest, req.op === 'writes' ? [req.packed.bytes] : []);
    });
  }
}

/** A thread that stopped, said with the code of what stopped it (a store removed before it opened, say). */
function stopped(err: Error): WriteFailure {
  const f = failureOf(err);
  return { message: `the store's write thread stopped: ${f.message}`, code: f.code };
}
