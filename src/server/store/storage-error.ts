import { EnvironmentError, type EnvironmentFailure } from '../../core/errors.js';

/** What the machine or the database did to the store: each has its own words and fix. */
export type StorageProblem = 'full' | 'read_only' | 'damaged' | 'vanished' | 'unavailable';

/**
 * The store could not do its work for a reason outside hooks. The API
 * answers 503 with Retry-After (a platform retries), the log says it once,
 * and at start it is exit 4 with the fix.
 */
export class StorageError extends EnvironmentError {
  constructor(
    readonly problem: StorageProblem,
    message: string,
    hint: string,
  ) {
    super(message, hint, FAILURE[problem], '', message, `storage_${problem}`);
  }
}

/** Each problem as the one reading of a machine's failure names it. */
const FAILURE: Record<StorageProblem, EnvironmentFailure> = { full: 'disk_full', read_only: 'read_only', damaged: 'damaged', vanished: 'gone', unavailable: 'unavailable' };

/** A problem that a successful read does not prove gone: only a write does. */
const WRITE_PROBLEMS: ReadonlySet<StorageProblem> = new Set(['full', 'read_only']);

/**
 * Runs every store call, turns the errors of the machine into StorageError
 * (the rest pass through: they are bugs), and reports when a problem starts
 * and when it ends: one line each, however many requests meet it.
 */
export class StorageGuard {
  private current: StorageError | null = null;
  private since = 0;
  /** A problem that never clears while this process runs (the data dir was removed). */
  private fatal: StorageError | null = null;

  constructor(
    private readonly classify: (err: unknown) => StorageError | null,
    private readonly report: (problem: StorageError | null, sinceMs: number) => void,
  ) {}

  get problem(): StorageError | null {
    return this.fatal ?? this.current;
  }

  /** Marks the store unusable for the rest of this process. */
  stop(err: StorageError): void {
    if (this.fatal) return;
    this.fatal = err;
    this.current = err;
    this.since = Date.now();
    this.report(err, 0);
  }

  async run<T>(write: boolean, fn: () => T | Promise<T>): Promise<T> {
    if (this.fatal) throw this.fatal;
    let value: T;
    try {
      value = await fn();
    } catch (err) {
      throw this.failed(err);
    }
    if (this.current && (write || !WRITE_PROBLEMS.has(this.current.problem))) {
      this.current = null;
      this.report(null, Date.now() - this.since);
    }
    return value;
  }

  /** The error to throw for `err`, reported when it starts a problem. */
  failed(err: unknown): unknown {
    if (this.fatal) return this.fatal;
    const problem = err instanceof StorageError ? err : this.classify(err);
    if (!problem) return err;
    if (this.current?.problem !== problem.problem) {
      this.current = problem;
      this.since = Date.now();
      this.report(problem, 0);
    }
    return problem;
  }
}
