import { parentPort, workerData } from 'node:worker_threads';
import { basename, dirname } from 'node:path';
import { openDatabase } from './sqlite.js';
import { storeWriter } from './writes.js';
import type { WriteRequest, WriteReply } from './write-thread.js';

// The event store's write thread: its own connection, so commits and WAL
// checkpoints run here and never on the thread that answers senders.
const { file } = workerData as { file: string };
const { db } = openDatabase(dirname(file), basename(file), '');
const writer = storeWriter(db);
const port = parentPort!;

port.on('message', (req: WriteRequest) => {
  let reply: WriteReply;
  try {
    if (req.op === 'writes') {
      writer.apply(req.writes);
      reply = { id: req.id };
    } else if (req.op === 'enforce') {
      reply = { id: req.id, removed: writer.enforce(req.retention, req.now) };
    } else {
      db.close();
      reply = { id: req.id };
    }
  } catch (err) {
    reply = { id: req.id, error: (err as Error).message };
  }
  port.postMessage(reply);
});
