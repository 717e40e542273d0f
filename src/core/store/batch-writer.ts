/**
 * Commits queued writes in one transaction per turn of the event loop
 * instead of one each: at thousands of writes a second the commits, not the
 * rows, are what costs. `write` resolves once its item is committed, so
 * nothing is reported (or answered) before it is on disk.
 */
export class BatchWriter<T> {
  private batch: Array<{ item: T; done: (err?: Error) => void }> = [];
  private scheduled = false;

  constructor(private readonly commit: (items: T[]) => void) {}

  write(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.batch.push({ item, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now; also called before closing the database. */
  flush(): void {
    this.scheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    try {
      this.commit(batch.map((b) => b.item));
    } catch (err) {
      batch.forEach((b) => b.done(err as Error));
      return;
    }
    batch.forEach((b) => b.done());
  }
}
