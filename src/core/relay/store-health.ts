import type { EnvironmentError } from '../errors.js';
import { storageFailure } from '../storage-failure.js';
import type { RelayEvent } from './events.js';

/** Writes that must commit in a row before a failure is said to be over. */
const RECOVERED_AFTER = 3;

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
  /** Writes committed in a row since the last failure: a nearly full disk takes some and refuses others. */
  private streak = 0;

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
      this.streak = 0;
      if (this.failure?.failure !== failure.failure) {
        this.failure = failure;
        this.since = Date.now();
        this.refused = 0;
        this.emit({ type: 'store.failed', failure: failure.failure, file: failure.file, message: failure.message, hint: failure.hint ?? null });
      }
      return failure;
    }
    // Over only once a few writes in a row commit: a disk that frees a little at a time is not said to be back at each one.
    if (this.failure && ++this.streak >= RECOVERED_AFTER) {
      this.emit({ type: 'store.recovered', failure: this.failure.failure, file: this.file, refused: this.refused, down_ms: Date.now() - this.since });
      this.failure = null;
    }
    return null;
  }

  /** A delivery answered 503 because it could not be stored: counted for the line that ends the failure. */
  countRefused(): void {
    this.refused++;
  }
}
