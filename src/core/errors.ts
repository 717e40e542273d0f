/** Exit codes shared by every command (DESIGN.md, Conventions). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
  /** The machine failed, not hooks and not the input: a full disk, a read-only file system, a damaged or vanished file, a database that is down. */
  environment: 4,
  /** A second Ctrl-C while stopping: 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Every error the engine raises on purpose. The CLI maps it once, at the top:
 * message on stderr (or `{"error":…}` with --json), the hint on the next line,
 * and `exitCode` as the process status.
 */
export class HooksError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A flag, argument or input file the user can fix (exit 2). */
export class UsageError extends HooksError {
  constructor(message: string, hint?: string, code = 'usage') {
    super(message, ExitCode.usage, code, hint);
  }
}

/** The operation ran and failed: bad signature, non-2xx, API error (exit 1). */
export class OperationError extends HooksError {
  constructor(message: string, hint?: string, code = 'failed') {
    super(message, ExitCode.failed, code, hint);
  }
}

/** A server or binary we need could not be reached or started (exit 3). */
export class ConnectError extends HooksError {
  constructor(message: string, hint?: string, code = 'unreachable') {
    super(message, ExitCode.unreachable, code, hint);
  }
}

/** What failed in the machine: each has its own code and fix, and exit 4. */
export type EnvironmentFailure = 'disk_full' | 'read_only' | 'damaged' | 'gone' | 'no_access' | 'io_error' | 'unavailable';

/**
 * The environment failed, not hooks (exit 4): the message names the file
 * and the cause, the hint the fix. `detail` is what the system or SQLite
 * said, word for word.
 */
export class EnvironmentError extends HooksError {
  constructor(
    message: string,
    hint: string,
    readonly failure: EnvironmentFailure,
    readonly file: string,
    readonly detail: string,
    code: string = failure,
  ) {
    super(message, ExitCode.environment, code, hint);
  }
}
