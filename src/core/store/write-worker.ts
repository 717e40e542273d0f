import { parentPort, Worker, workerData } from 'node:worker_threads';
import { connectStore } from './schema.js';
import { failureOf, storeWriter } from './writes.js';
import { unpackWrites } from './write-codec.js';
import type { WriteRequest, WriteReply } from './write-thread.js';

// The event store's write thread: its connection is the only one that writes,
// so commits, pruning and search indexing run here and never on the thread
// that answers senders. Checkpoints run on a thread of their own
// (checkpointer.ts), so they do not hold up commits either.
const { file } = workerData as { file: string };
const db = connectStore(file);
const writer = storeWriter(db);
const port = parentPort!;

db.pragma('wal_autocheckpoint = 0');
const checkpointer = new Worker(new URL('./checkpointer.js', import.meta.url), { workerData: { file } });
// Should the checkpointer stop, commits checkpoint again as SQLite does by default: the WAL never grows unbounded.
checkpointer.on('error', () => undefined);
checkpointer.on('exit', () => db.open && db.pragma('wal_autocheckpoint = 1000'));

port.on('message', async (req: WriteRequest) => {
  let reply: WriteReply;
  try {
    if (req.op === 'writes') {
      const { errors, removed } = writer.apply(unpackWrites(req.packed));
      // Errors cross back only when a write failed: a batch that committed whole costs one small message.
      reply = { id: req.id, ...(errors.some((e) => e !== null) ? { errors } : {}), ...(removed ? { removed } : {}) };
    }
    else if (req.op === 'enforce') reply = { id: req.id, removed: writer.enforce(req.retention, req.now) };
    else if (req.op === 'remove') reply = { id: req.id, removed: writer.remove(req.ids) };
    else if (req.op === 'prune') reply = { id: req.id, removed: writer.prune(req.before) };
    else if (req.op === 'index') {
      await writer.indexInSlices(req.sliceMs);
      reply = { id: req.id };
    } else {
      checkpointer.removeAllListeners('exit');
      await checkpointer.terminate();
      db.close();
      reply = { id: req.id };
    }
  } catch (err) {
    reply = { id: req.id, error: failureOf(err) };
  }
  port.postMessage(reply);
});
