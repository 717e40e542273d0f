import { workerData } from 'node:worker_threads';
import { connectStore } from './schema.js';

/**
 * The event store's checkpointer, a thread of the write thread with its own
 * connection; it moves pages from the WAL into the database and writes no
 * row. SQLite's automatic checkpoint runs inside the commit that crosses
 * 1,000 WAL pages and holds up every write behind it: at 10,000
 * deliveries a second that was several times a second, and a fifth of the
 * relay's throughput. Here a PASSIVE checkpoint copies the WAL into the
 * database every tick while writes go on; small and frequent, because on two
 * cores a long copy takes the CPU the sender's answers wait for (with ticks of
 * 100 ms the relay's p99 was 18 ms, with 20 ms 12.5 ms). Under steady writes a passive
 * checkpoint never finds the WAL quiet enough to start it over, so past
 * `RESTART_FRAMES` a RESTART checkpoint, whenever it can take the write lock
 * at once, holds the writer back for the short rest and lets the WAL begin
 * again: it stays at a few tens of MB.
 */
const TICK_MS = 20;
/** An idle session backs off to this, so a day of listening does not wake the laptop 50 times a second. */
const IDLE_TICK_MS = 1000;
const RESTART_FRAMES = 4000;

const { file } = workerData as { file: string };
const db = connectStore(file);
db.pragma('wal_autocheckpoint = 0');
// RESTART never waits: when the writer holds the lock (a long slice of search indexing, say) it acts as a
// PASSIVE one and is tried again next tick. Waiting in the busy handler held every commit behind it, and
// deliveries waited up to 0.7 s while the search index was built.
db.pragma('busy_timeout = 0');

let lastFrames = -1;
let delay = TICK_MS;
function tick(): void {
  let state: { busy: number; log: number; checkpointed: number } | undefined;
  try {
    [state] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    if (state && state.log > RESTART_FRAMES) db.pragma('wal_checkpoint(RESTART)');
  } catch {
    // A full disk (the database cannot grow) or a removed store: the writer says so; this tries again next tick.
  }
  const frames = state?.log ?? 0;
  delay = frames === lastFrames ? Math.min(delay * 2, IDLE_TICK_MS) : TICK_MS;
  lastFrames = frames;
  setTimeout(tick, delay);
}
setTimeout(tick, delay);
