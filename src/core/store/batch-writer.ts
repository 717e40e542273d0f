/**
 * Commits queued writes in one transaction per turn of the event loop
 * instead of one each: at thousands of writes a second the commits, not the
 * rows, are what costs. `write` resolves once its item is committed, so
 * nothing is reported (or answered) before it is on disk. The commit may be
 * synchronous (a connection on this thread) or a promise (the write thread);
 * it says, item by item, which failed: one bad row fails only its own write.
 */
export class BatchWriter<T> {
  private batch: Array<{ item: T; done: (err?: Error) => void }> = [];
  private scheduled = false;

  constructor(private readonly commit: (items: T[]) => Array<Error | null> | Promise<Array<Error | null>>) {}

  write(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.batch.push({ item, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Starts committing what is queued now; also called before closing, or before a request that must come after these writes. */
  flush(): void {
    this.scheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    const fail = (err: Error) => batch.forEach((b) => b.done(err));
    const settle = (errors: Array<Error | null>) => batch.forEach((b, i) => b.done(errors[i] ?? undefined));
    let committed: Array<Error | null> | Promise<Array<Error | null>>;
    try {
      committed = this.commit(batch.map((b) => b.item));
    } catch (err) {
      return fail(err as Error);
    }
    if (Array.isArray(committed)) settle(committed);
    else committed.then(settle, fail);
  }
}
