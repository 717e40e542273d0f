import type { AttemptOutcome, Store } from '../store.js';

/**
 * Records attempt outcomes in one transaction per turn of the event loop
 * instead of one each: at a few thousand attempts a second the commits, not
 * the rows, are what costs. `record` resolves once the row is committed, so
 * nothing is reported (or retried) before it is on disk.
 */
export class AttemptWriter {
  private batch: Array<{ outcome: AttemptOutcome; done: (err?: Error) => void }> = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  record(outcome: AttemptOutcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.batch.push({ outcome, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  flush(): void {
    this.scheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    try {
      this.store.recordAttempts(batch.map((b) => b.outcome), Date.now());
    } catch (err) {
      batch.forEach((b) => b.done(err as Error));
      return;
    }
    batch.forEach((b) => b.done());
  }
}
