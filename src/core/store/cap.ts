/**
 * How a size cap is shared on disk by the event store's files. SQLite's WAL
 * holds a copy of every page written until a checkpoint empties it, and a
 * database file never shrinks without a VACUUM (which copies everything in
 * use into the WAL). So the cap holds for the database, its WAL and its
 * shared memory together only if the database stays within a share of it
 * and every write has room in the WAL's share: a quarter of the cap (at most
 * 64 MB), emptied before a write that may not fit.
 */
export function capShares(maxBytes: number): {
  /** The most the WAL file may hold. */
  wal: number;
  /** The shared memory beside it: one 32 KB region of the WAL index for every 4,096 frames. */
  shm: number;
  /** The most the database file may hold, pages in use and free ones. */
  data: number;
  /** The most one transaction may write: what it writes and what its removals rewrite both go to the WAL. */
  batch: number;
} {
  const wal = Math.min(64 * MB, Math.floor(maxBytes / 4));
  const shm = 32 * 1024 * (1 + Math.floor(wal / (4096 * 4096)));
  return { wal, shm, data: Math.max(0, maxBytes - wal - shm), batch: Math.max(0, Math.floor((wal - WAL_SLACK_BYTES) / 2)) };
}

/** The largest body a store under this cap keeps whole: one that fits a transaction's share, with room for its headers. */
export function wholeBodyLimit(maxBytes: number): number {
  const { batch } = capShares(maxBytes);
  return Math.max(0, Math.floor((batch - Math.min(HEADERS_ROOM, batch / 4) - ROW_BYTES) / 1.01));
}

/** What is kept of a body that is not kept whole (a rejected delivery's, or one too large for the cap): its first 64 KB. */
export const REJECTED_BODY_BYTES = 64 * 1024;

/** Pages any transaction may touch beyond its rows (b-tree interior and index pages, the freelist's trunk). */
export const WAL_SLACK_BYTES = 32 * 1024;

const MB = 1024 * 1024;
/** Room left in a transaction's share for a delivery's headers, hints and attempts beside its body (a quarter of it under a small cap). */
const HEADERS_ROOM = 64 * 1024;
/** A row's own overhead (writes.ts counts the same). */
const ROW_BYTES = 1024;
