import type { DeliveryQueue } from '../store/platform-store.js';
import type { AttemptOutcome } from '../store/rows.js';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/**
 * Records attempts: one transaction for the outcomes of an event-loop turn
 * (at thousands a second the commits are what costs). An outcome the store
 * cannot take now (a full disk, a database that is down) is kept and
 * written again, with backoff, until it is taken: its delivery stays leased
 * meanwhile, so the receiver is never sent again what it already answered,
 * and nothing is dropped from the schedule.
 */
export class OutcomeWriter {
  private queued: Array<{ outcome: AttemptOutcome; done: (err?: Error) => void }> = [];
  private scheduled = false;
  private retryMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Why the last commit failed, while outcomes wait. */
  lastError: string | null = null;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly worker: string,
  ) {}

  get unwritten(): number {
    return this.queued.length;
  }

  /** Resolves once the outcome is committed. */
  write(outcome: AttemptOutcome): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('stopped'));
    return new Promise((resolve, reject) => {
      this.queued.push({ outcome, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.scheduled && this.retryTimer === null) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Gives up on what is still unwritten (the caller has said so). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const left = this.queued;
    this.queued = [];
    for (const q of left) q.done(new Error('stopped before the attempt could be recorded'));
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.retryTimer = null;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0 || this.stopped) return;
    try {
      await this.queue.complete(
        batch.map((b) => b.outcome),
        this.worker,
      );
    } catch (err) {
      // Kept in order, ahead of what came meanwhile, and tried again.
      this.queued = batch.concat(this.queued);
      this.lastError = (err as Error).message;
      this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs ? this.retryMs * 2 : FIRST_RETRY_MS);
      if (!this.stopped) this.retryTimer = setTimeout(() => void this.flush(), this.retryMs);
      return;
    }
    this.retryMs = 0;
    this.lastError = null;
    for (const b of batch) b.done();
    if (this.queued.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }
}
