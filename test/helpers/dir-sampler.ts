import { Worker } from 'node:worker_threads';

/**
 * Samples the size of the files starting with `prefix` in `dir` every
 * `everyMs` on a thread of its own, so the test's own work (building bodies,
 * awaiting writes) never delays a sample. `stop()` returns the largest total
 * seen and how many samples were taken.
 */
export function sampleDir(dir: string, prefix: string, everyMs = 1): { stop(): Promise<{ most: number; samples: number; at: Record<string, number> }> } {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { readdirSync, statSync } = require('node:fs');
    const { join } = require('node:path');
    const { workerData, parentPort } = require('node:worker_threads');
    const { dir, prefix, everyMs, shared } = workerData;
    let most = 0, samples = 0, at = {};
    while (Atomics.load(shared, 0) === 0) {
      let total = 0;
      const sizes = {};
      try {
        for (const f of readdirSync(dir)) {
          if (!f.startsWith(prefix)) continue;
          try { sizes[f] = statSync(join(dir, f)).size; total += sizes[f]; } catch {}
        }
      } catch {}
      samples++;
      if (total > most) { most = total; at = sizes; }
      Atomics.wait(shared, 0, 0, everyMs);
    }
    parentPort.postMessage({ most, samples, at });
    `,
    { eval: true, workerData: { dir, prefix, everyMs, shared } },
  );
  const result = new Promise<{ most: number; samples: number; at: Record<string, number> }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop() {
      Atomics.store(shared, 0, 1);
      Atomics.notify(shared, 0);
      const r = await result;
      await worker.terminate();
      return r;
    },
  };
}
