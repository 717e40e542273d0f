import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { STORE_GONE } from '../storage-failure.js';
import { capShares, REJECTED_BODY_BYTES, WAL_SLACK_BYTES, wholeBodyLimit } from './cap.js';
import { bytesInUse, latestSeq, storeUsage } from './queries.js';
import type { Retention } from './types.js';
import { utf8OrNull } from '../utf8.js';

/** A delivery's columns as SQLite takes them: JSON as text, booleans as 0/1. */
export interface DeliveryParams {
  id: string;
  received_at: number;
  method: string;
  path: string;
  headers: string;
  body: Uint8Array;
  body_size: number;
  body_sha256: string | null;
  body_truncated: 0 | 1;
  provider: string | null;
  event_id: string | null;
  event_type: string | null;
  verdict: string;
  reason: string | null;
  hints: string;
  targets: string;
  session: string | null;
  subscription_id: string | null;
  last_status: number | null;
  last_outcome: string | null;
  /** JSON array; null when the body fits (or no schema is known). */
  notes: string | null;
  reason_message: string | null;
  checked_with: string | null;
}

export interface AttemptParams {
  delivery_id: string;
  kind: string;
  target: string;
  started_at: number;
  status: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: Uint8Array | null;
  /** How long the answer's body was, when more of it came than was passed on (an answer over 10 MB). */
  response_bytes: number | null;
  resigned: 0 | 1;
  response_headers: string | null;
  sent_body: Uint8Array | null;
}

/**
 * One write of the event store: a delivery with the attempts already made
 * (one unit, so a delivery is never stored without its forwards), or
 * one more attempt (a replay). Plain values only: it may cross to the write
 * thread.
 */
export type StoreWrite =
  | { kind: 'delivery'; row: DeliveryParams; attempts: AttemptParams[] }
  | { kind: 'attempt'; row: AttemptParams; /** What it makes of its delivery (`last_outcome`). */ outcome: 'forwarded' | 'failed' };

/** Why a write failed, as it crosses back from the write thread: SQLite's or the system's code, for storageFailure(). */
export interface WriteFailure {
  message: string;
  code: string | null;
}

/** What a batch did: each write's failure (null when it committed), and how many old deliveries made room for it. */
export interface BatchResult {
  errors: Array<WriteFailure | null>;
  removed: number;
}

/**
 * The full-text index of bodies (trigram: any substring of three characters
 * or more). It is filled lazily, when someone searches, so receiving a
 * delivery never pays for it; rows are keyed by `seq`.
 */
const SEARCH_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS deliveries_text USING fts5(body, tokenize='trigram', content='', contentless_delete=1);
CREATE TRIGGER IF NOT EXISTS deliveries_text_delete AFTER DELETE ON deliveries BEGIN DELETE FROM deliveries_text WHERE rowid = old.seq; END;`;

/** What a row costs beyond its payload (columns, index entries, its cell), for the room a write needs. */
const ROW_OVERHEAD_BYTES = 1024;
/** Free space worth a VACUUM after a prune or delete outside a session (with more than half the file free). */
const RECLAIM_SLACK_BYTES = 4 * 1024 * 1024;
/** What removing one old row may add to the WAL: its share of the leaf and index pages rewritten. */
const REMOVED_ROW_WAL_BYTES = 2048;

/** A write's bytes on disk, from above: its payload, 1 % for page headers and WAL frames, and its row's overhead. */
function cost(w: StoreWrite): number {
  const attempt = (a: AttemptParams) => rowCost((a.response_excerpt?.length ?? 0) + (a.sent_body?.length ?? 0) + (a.response_headers?.length ?? 0) + (a.error?.length ?? 0) + a.target.length);
  if (w.kind === 'attempt') return attempt(w.row);
  const r = w.row;
  return rowCost(r.body.length + r.headers.length + r.hints.length + r.targets.length + r.path.length) + w.attempts.reduce((n, a) => n + attempt(a), 0);
}
const rowCost = (payload: number) => Math.ceil(payload * 1.01) + ROW_OVERHEAD_BYTES;

/**
 * Every write of the event store, over the one connection that writes: the
 * same statements whether they run on the main thread (short commands) or on
 * the write thread (a listen session). No other connection writes.
 */
export function storeWriter(db: Database.Database) {
  const insert = db.prepare(`INSERT INTO deliveries (id, received_at, method, path, headers, body, body_size, body_sha256, body_truncated, provider, event_id, event_type, verdict, reason, hints, targets, session, subscription_id, last_status, last_outcome, notes, reason_message, checked_with)
    VALUES (@id, @received_at, @method, @path, @headers, @body, @body_size, @body_sha256, @body_truncated, @provider, @event_id, @event_type, @verdict, @reason, @hints, @targets, @session, @subscription_id, @last_status, @last_outcome, @notes, @reason_message, @checked_with)`);
  const attempt = db.prepare(`INSERT INTO attempts (delivery_id, kind, target, started_at, status, duration_ms, error, response_excerpt, response_bytes, resigned, response_headers, sent_body)
    VALUES (@delivery_id, @kind, @target, @started_at, @status, @duration_ms, @error, @response_excerpt, @response_bytes, @resigned, @response_headers, @sent_body)`);
  const outcome = db.prepare('UPDATE deliveries SET last_status = @status, last_outcome = @outcome WHERE id = @delivery_id');
  const olderThan = db.prepare('DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries WHERE received_at < ? ORDER BY received_at LIMIT ?)');
  const oldest = db.prepare('DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries ORDER BY received_at, seq LIMIT ?)');
  const removeOne = db.prepare('DELETE FROM deliveries WHERE id = ?');
  const recordCap = db.prepare("INSERT INTO store_meta (key, value) VALUES ('max_bytes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const recordedCap = db.prepare("SELECT value FROM store_meta WHERE key = 'max_bytes'");
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const file = db.name;
  const wal = `${file}-wal`;
  const identity = fileIdentity(file);
  /** The file was removed or replaced under the connection: nothing written from then on is where anyone will look. */
  let gone = identity === null;
  /** The index's statements, made with its tables at the first search. */
  let search: ReturnType<typeof searchStatements> | null = null;
  /** The cap the last `enforce` was given, and how it is shared on disk: every write makes room under it first. */
  let retention: Retention | null = null;
  let shares: ReturnType<typeof capShares> | null = null;

  /**
   * What the pages in use were when last read, plus what was written since:
   * an estimate from above, so SQLite's counters are read only when a batch
   * may not fit. Under load, most batches cost no pragma at all.
   */
  let inUseAtMost = Infinity;
  /** The WAL file's size at most: measured again only when a write may not fit the WAL's share of the cap. */
  let walAtMost = Infinity;

  const goneFailure = (): WriteFailure => ({ message: `the store ${file} was removed or replaced while in use: what is written now is lost`, code: STORE_GONE });
  const failGone = (): never => {
    throw Object.assign(new Error(goneFailure().message), { code: STORE_GONE });
  };
  /** After a commit: is this connection's file still the one at its path? A directory removed under it would take every commit with it, unseen. */
  const stillThere = (): boolean => {
    if (gone) return false;
    const now = fileIdentity(file);
    gone = now === null || now !== identity;
    return !gone;
  };

  /** A body too large for the cap's share of the WAL is kept as a rejected one is: its first bytes, its size and its digest. */
  const fit = (w: StoreWrite): StoreWrite => {
    if (w.kind !== 'delivery' || !retention) return w;
    const limit = wholeBodyLimit(retention.maxBytes);
    if (w.row.body.length <= limit) return w;
    const body = w.row.body;
    const keep = Math.min(REJECTED_BODY_BYTES, limit);
    return { ...w, row: { ...w.row, body: body.subarray(0, keep), body_truncated: 1, body_sha256: w.row.body_sha256 ?? createHash('sha256').update(body).digest('hex') } };
  };

  const write = (w: StoreWrite): void => {
    if (w.kind === 'delivery') {
      insert.run(w.row);
      for (const a of w.attempts) attempt.run(a);
    } else {
      attempt.run(w.row);
      outcome.run({ delivery_id: w.row.delivery_id, status: w.row.status, outcome: w.outcome });
    }
  };

  /** Removes the oldest deliveries until the pages in use are at most `target` bytes; returns how many. */
  const shrinkTo = (target: number): number => {
    // The counters first: a batch under the cap (nearly all of them) costs three pragmas, not a count of every row.
    if (bytesInUse(db) <= target) return 0;
    let removed = 0;
    for (let usage = storeUsage(db); usage.bytes > target && usage.deliveries > 0; usage = storeUsage(db)) {
      // As many of the oldest as the excess holds at the average size, so a step never overshoots by much.
      const n = Math.min(1000, Math.max(1, Math.ceil((usage.bytes - target) / (usage.bytes / usage.deliveries))));
      const deleted = oldest.run(n).changes;
      if (deleted === 0) break;
      removed += deleted;
    }
    return removed;
  };

  /** Room in the database's share of the cap for `incoming` bytes, made by removing the oldest deliveries. */
  const makeRoom = (incoming: number): number => {
    if (!shares) return 0;
    const target = Math.max(0, shares.data - incoming);
    if (inUseAtMost <= target) {
      inUseAtMost += incoming;
      return 0;
    }
    const removed = shrinkTo(target);
    inUseAtMost = bytesInUse(db) + incoming;
    return removed;
  };

  /**
   * Room in the WAL's share of the cap for a transaction that may add `need`
   * bytes to it: when the WAL may not have it, it is emptied first. Outside
   * any transaction (a checkpoint cannot run inside one).
   */
  const walRoom = (need: number): void => {
    if (!shares) return;
    if (walAtMost + need <= shares.wal) {
      walAtMost += need;
      return;
    }
    walAtMost = sizeOf(wal);
    if (walAtMost + need > shares.wal) {
      truncateWal();
      walAtMost = sizeOf(wal);
    }
    walAtMost += need;
  };

  /** A chunk of writes in one transaction, room made first; should a row fail, each write is tried alone, so one bad row fails only its own delivery. */
  const commit = (writes: StoreWrite[], size: number): BatchResult => {
    // What removing old rows to make room rewrites goes to the WAL too: about what is written, at most.
    walRoom(2 * size + WAL_SLACK_BYTES);
    try {
      const removed = db
        .transaction(() => {
          const n = makeRoom(size);
          for (const w of writes) write(w);
          return n;
        })
        .immediate();
      return { errors: writes.map(() => null), removed };
    } catch {
      let removed = 0;
      const errors = writes.map((w) => {
        try {
          removed += db
            .transaction(() => {
              const n = makeRoom(cost(w));
              write(w);
              return n;
            })
            .immediate();
          return null;
        } catch (err) {
          return failureOf(err);
        }
      });
      return { errors, removed };
    }
  };

  /**
   * Removes rows a few at a time, each step its own transaction with room
   * in the WAL made first, so a large removal never swells the WAL past its
   * share of the cap. Returns how many went.
   */
  const removeInSteps = (step: (limit: number) => { removed: number; done: boolean }): number => {
    const rows = shares ? Math.max(8, Math.min(256, Math.floor(shares.wal / 8 / REMOVED_ROW_WAL_BYTES))) : 1000;
    let removed = 0;
    for (;;) {
      walRoom(rows * REMOVED_ROW_WAL_BYTES + WAL_SLACK_BYTES);
      const r = db.transaction(() => step(rows)).immediate();
      removed += r.removed;
      if (r.done) return removed;
    }
  };
  /** One step of removing what is older than `before`. */
  const olderStep = (before: number) => (limit: number) => {
    const n = olderThan.run(before, limit).changes;
    return { removed: n, done: n < limit };
  };

  /** A checkpoint that empties the WAL, tried again while the checkpointer thread holds its lock. */
  const truncateWal = (): void => {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const [state] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        if (!state?.busy) return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      }
      Atomics.wait(pause, 0, 0, 2);
    }
  };

  /**
   * Gives free pages back to the file system after a prune or delete that
   * freed more than half the file. A VACUUM writes a copy of what is in use
   * into the WAL, so the directory holds both for a moment: never in a
   * session under a cap (freed pages are reused by the next writes instead),
   * and outside one only when that moment fits the cap a session recorded.
   */
  const reclaim = (removed: number): void => {
    if (removed === 0 || shares) return;
    const free = (db.pragma('freelist_count', { simple: true }) as number) * pageSize;
    if (free <= RECLAIM_SLACK_BYTES || free <= sizeOf(file) / 2) return;
    const cap = (recordedCap.get() as { value: number } | undefined)?.value;
    if (cap !== undefined && sizeOf(file) + sizeOf(wal) + bytesInUse(db) > cap) return;
    db.exec('VACUUM');
    truncateWal();
  };

  return {
    /** The turn's writes: in one transaction when they fit one batch's share of the cap, else in as few as fit. */
    apply(given: StoreWrite[]): BatchResult {
      if (gone) return { errors: given.map(goneFailure), removed: 0 };
      const writes = given.map(fit);
      const result: BatchResult = { errors: [], removed: 0 };
      let chunk: StoreWrite[] = [];
      let size = 0;
      const flush = () => {
        if (chunk.length === 0) return;
        const r = commit(chunk, size);
        result.errors.push(...r.errors);
        result.removed += r.removed;
        chunk = [];
        size = 0;
      };
      for (const w of writes) {
        const c = cost(w);
        if (shares && chunk.length > 0 && size + c > shares.batch) flush();
        chunk.push(w);
        size += c;
      }
      flush();
      // Committed into a file nobody will find again: each write failed after all.
      if (!stillThere()) return { errors: given.map(goneFailure), removed: result.removed };
      return result;
    },

    remove(ids: string[]): number {
      if (gone) failGone();
      let next = 0;
      const removed = removeInSteps((limit) => {
        const part = ids.slice(next, next + limit);
        next += part.length;
        return { removed: part.reduce((n, id) => n + removeOne.run(id).changes, 0), done: next >= ids.length };
      });
      reclaim(removed);
      return removed;
    },

    prune(before: number): number {
      if (gone) failGone();
      const removed = removeInSteps(olderStep(before));
      reclaim(removed);
      return removed;
    },

    /**
     * Removes what is older than `maxAgeMs`, then the oldest deliveries until
     * the store fits the database's share of the cap, and keeps the cap for
     * the writes to come. A store larger than that share (the cap was
     * lowered) is compacted once, here. Returns how many were removed.
     */
    enforce(given: Retention, now: number): number {
      if (gone) failGone();
      retention = given;
      shares = capShares(given.maxBytes);
      // A WAL emptied by a checkpoint is also cut back on disk, to this size.
      db.pragma(`journal_size_limit = ${shares.wal}`);
      walAtMost = sizeOf(wal);
      if (walAtMost > shares.wal) {
        truncateWal();
        walAtMost = sizeOf(wal);
      }
      db.transaction(() => recordCap.run(given.maxBytes)).immediate();
      let removed = removeInSteps(olderStep(now - given.maxAgeMs));
      walRoom(shares.wal);
      removed += db.transaction(() => shrinkTo(shares!.data)).immediate();
      truncateWal();
      walAtMost = sizeOf(wal);
      // The file itself larger than its share: only a VACUUM gives pages back (and for a moment needs what is in use beside it).
      const pages = db.pragma('page_count', { simple: true }) as number;
      if (pages * pageSize > shares.data) {
        db.exec('VACUUM');
        truncateWal();
        walAtMost = sizeOf(wal);
      }
      inUseAtMost = bytesInUse(db);
      return removed;
    },

    /**
     * Indexes for search what was stored since the index was last brought up
     * to date, and stops once `budgetMs` is spent; says whether more may be
     * left. The mark is read and moved in the transaction that inserts, so two
     * connections never index the same rows. A body that is not UTF-8 text is
     * not indexed; any other error is an error. Under a cap a slice indexes
     * little enough text for the WAL's share, and makes room for what the
     * index takes (several times the text: trigrams).
     */
    indexText(budgetMs = Infinity): boolean {
      if (gone) failGone();
      const until = performance.now() + budgetMs;
      search ??= searchStatements(db);
      const { chunk, marked, insertText, mark } = search;
      const sliceBytes = shares ? Math.max(4096, Math.floor(shares.batch / 8)) : 8 * 1024 * 1024;
      const slice = db.transaction((): 'done' | 'more' => {
        // SQLite reuses the top seq once the newest rows are deleted: what is above the newest row is not indexed.
        const after = Math.min((marked.get() as { value: number } | undefined)?.value ?? 0, latestSeq(db));
        const rows: Array<{ seq: number; body: Buffer }> = [];
        let bytes = 0;
        // Read whole before writing: the connection cannot write while a statement iterates.
        for (const row of chunk.iterate(after) as IterableIterator<{ seq: number; body: Buffer }>) {
          rows.push(row);
          bytes += row.body.length;
          if (bytes > sliceBytes) break;
        }
        if (rows.length === 0) return 'done';
        makeRoom(8 * bytes);
        let last = after;
        for (const row of rows) {
          // A body that is not UTF-8 text has nothing to search in.
          const text = utf8OrNull(row.body);
          if (text !== null) insertText.run(row.seq, text);
          last = row.seq;
          if (performance.now() > until) break;
        }
        mark.run(last);
        return 'more';
      });
      for (;;) {
        if (shares) walRoom(shares.batch);
        // IMMEDIATE: the write lock is taken before the mark is read.
        const more = slice.immediate();
        if (shares) inUseAtMost = bytesInUse(db);
        if (more === 'done') return false;
        if (performance.now() > until) return true;
      }
    },

    /** The whole index in slices of about `sliceMs`, with a turn of the event loop between them, so the thread's other writes go on. */
    async indexInSlices(sliceMs: number): Promise<void> {
      while (this.indexText(sliceMs)) await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

export type StoreStatements = ReturnType<typeof storeWriter>;

/** An error as it crosses back from the writer: its message, and SQLite's or the system's code. */
export function failureOf(err: unknown): WriteFailure {
  const e = err as { message?: string; code?: unknown };
  return { message: e?.message ?? String(err), code: typeof e?.code === 'string' ? e.code : null };
}

/** The Error again on the other side, with its code. */
export function errorOf(f: WriteFailure): Error {
  return Object.assign(new Error(f.message), f.code ? { code: f.code } : {});
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The device and inode of a file, to notice it being replaced; null when it is gone. */
function fileIdentity(path: string): string | null {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

function searchStatements(db: Database.Database) {
  db.exec(SEARCH_SCHEMA);
  return {
    marked: db.prepare("SELECT value FROM store_meta WHERE key = 'text_indexed_seq'"),
    chunk: db.prepare('SELECT seq, body FROM deliveries WHERE seq > ? ORDER BY seq LIMIT 1000'),
    insertText: db.prepare('INSERT INTO deliveries_text (rowid, body) VALUES (?, ?)'),
    mark: db.prepare("INSERT INTO store_meta (key, value) VALUES ('text_indexed_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
  };
}
