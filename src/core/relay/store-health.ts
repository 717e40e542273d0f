import type { EnvironmentError } from '../errors.js';
import { storageFailure } from '../storage-failure.js';
import type { RelayEvent } from './events.js';

/**
 * What a listen session knows of its store: a failure of the machine (a
 * full disk, a read-only file system, a store removed under it) is said once
 * when it starts and once when it ends, never a line per delivery. While it
 * lasts the relay refuses deliveries with 503 and Retry-After, and stores
 * each one before forwarding it: the app never gets what the store then
 * refuses (and the sender sends again).
 */
export class StoreHealth {
  private failure: EnvironmentError | null = null;
  private since = 0;
  private refused = 0;

  constructor(
    private readonly file: string,
    private readonly emit: (e: RelayEvent) => void,
  ) {}

  /** The failure in force; null while the store works. */
  get failing(): EnvironmentError | null {
    return this.failure;
  }

  /**
   * Runs a store write. Returns null when it committed (ending a failure in
   * force, said once), or the failure of the machine that stopped it (said
   * once when it starts); anything else is not the machine's and is thrown.
   */
  async write(op: () => Promise<unknown>): Promise<EnvironmentError | null> {
    try {
      await op();
    } catch (err) {
      const failure = storageFailure(err, this.file);
      if (!failure) throw err;
      this.refused++;
      if (this.failure?.failure !== failure.failure) {
        this.failure = failure;
        this.since = Date.now();
        this.refused = 1;
        this.emit({ type: 'store.failed', failure: failure.failure, file: failure.file, message: failure.message, hint: failure.hint ?? null });
      }
      return failure;
    }
    if (this.failure) {
      this.emit({ type: 'store.recovered', failure: this.failure.failure, file: this.file, refused: this.refused, down_ms: Date.now() - this.since });
      this.failure = null;
    }
    return null;
  }

  /** A delivery refused without a write (the store is gone): counted for the line that ends it. */
  refuse(): EnvironmentError {
    this.refused++;
    return this.failure!;
  }
}
