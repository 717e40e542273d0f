import { dataDir as defaultDataDir } from '../config/paths.js';
import { ExitCode, UsageError } from '../errors.js';
import { Forwarder } from '../relay/forwarder.js';
import { openEventStore, type ReceivedDelivery } from '../store/event-store.js';
import { toListFilter, type ReceivedFilter } from '../store/received.js';
import { replay, type ReplayResult } from './replayer.js';

export interface ReplayRequest {
  dataDir?: string;
  /** These deliveries, or with `all` every one the filter matches (oldest first). */
  ids: string[];
  all: boolean;
  filter: ReceivedFilter;
  /** Instead of where the session forwarded each one. */
  to?: URL;
  /** Sign again with a fresh timestamp, with this secret. */
  resignWith?: string;
  timeoutMs: number;
  insecure: boolean;
}

/** What a replay run reports as it goes; the CLI draws each as a line, or a JSON line. */
export type ReplayEvent =
  | { type: 'replay.sent'; delivery: ReceivedDelivery; result: ReplayResult }
  | { type: 'replay.skipped'; id: string; reason: string }
  /** Some of the deliveries failed verification when received: sent as they came, they fail again at a receiver that verifies. */
  | { type: 'replay.invalid'; count: number; of: number };

export interface ReplayBatch {
  matched: number;
  sent: number;
  failed: number;
  /** 1 when any replay failed or any id was not replayable. */
  exitCode: ExitCode;
}

/** Re-sends stored deliveries, one after another, each recorded as a replay attempt. */
export async function replayMany(req: ReplayRequest, emit: (e: ReplayEvent) => void): Promise<ReplayBatch> {
  if (req.ids.length === 0 && !req.all) throw new UsageError('which deliveries?', 'pass ids, or --all with --type/--since/--status');
  if (req.ids.length > 0 && req.all) throw new UsageError('ids and --all together', 'pick one');
  if (req.resignWith === '') throw new UsageError('--resign needs --secret (or HOOKS_SECRET)', 'the signing secret of the receiver');
  const store = await openEventStore(req.dataDir ?? defaultDataDir());
  const forwarder = new Forwarder({ timeoutMs: req.timeoutMs, insecure: req.insecure, maxConcurrency: 16 });
  const batch: ReplayBatch = { matched: 0, sent: 0, failed: 0, exitCode: ExitCode.ok };
  try {
    const rows: Array<ReceivedDelivery | string> = req.all ? store.list(toListFilter(req.filter)).reverse() : req.ids.map((id) => store.get(id) ?? id);
    batch.matched = rows.length;
    const invalid = rows.filter((r) => typeof r !== 'string' && r.verdict === 'invalid').length;
    if (invalid > 0 && !req.resignWith) emit({ type: 'replay.invalid', count: invalid, of: rows.length });
    for (const row of rows) {
      if (typeof row === 'string') {
        batch.failed++;
        emit({ type: 'replay.skipped', id: row, reason: 'no such stored delivery' });
        continue;
      }
      const targets = req.to ? [req.to] : row.targets.map((t) => new URL(t));
      if (targets.length === 0) {
        batch.failed++;
        emit({ type: 'replay.skipped', id: row.id, reason: 'it was never forwarded anywhere: pass --to' });
        continue;
      }
      for (const result of await replay(store, forwarder, row, { targets, resignWith: req.resignWith })) {
        batch.sent++;
        if (!result.ok) batch.failed++;
        emit({ type: 'replay.sent', delivery: row, result });
      }
    }
  } finally {
    await forwarder.close();
    await store.close();
  }
  batch.exitCode = batch.failed > 0 ? ExitCode.failed : ExitCode.ok;
  return batch;
}
