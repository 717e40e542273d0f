import type { SyncOutcome } from '../../core/sync/run.js';

/**
 * A synchronous hook pointed at a receiver: what the emulator calls in a
 * simulated sign-in or registration. Kept in memory (the emulator's store
 * is for event webhooks); they live as long as the server runs.
 */
export interface HookRegistration {
  id: string;
  name: string;
  provider: string;
  type: string;
  url: string;
  /** Null where the platform authenticates nothing (the Firebase Auth emulator). */
  secret: string | null;
  /** The platform's configurable failure path taken the other way (WorkOS: "Allow authentication"). */
  fail_open: boolean;
  created_at: number;
}

/** One simulated flow: the call the platform made, the answer, and what it did with it. */
export interface HookRun {
  id: string;
  hook_id: string;
  flow: string;
  /** The user the flow is for, when one was given. */
  email: string | null;
  started_at: number;
  /** The request as sent, its credential masked. */
  request: { headers: Record<string, string>; payload: unknown };
  outcome: SyncOutcome;
}

/** Registrations, and the last runs (newest first) for the feed. */
export class HookRegistrations {
  private readonly hooks = new Map<string, HookRegistration>();
  private readonly runs: HookRun[] = [];

  constructor(private readonly keepRuns = 200) {}

  add(hook: HookRegistration): void {
    this.hooks.set(hook.id, hook);
  }

  get(id: string): HookRegistration | undefined {
    return this.hooks.get(id);
  }

  /** Newest first. */
  list(): HookRegistration[] {
    return [...this.hooks.values()].sort((a, b) => b.created_at - a.created_at);
  }

  remove(id: string): boolean {
    return this.hooks.delete(id);
  }

  record(run: HookRun): void {
    this.runs.unshift(run);
    this.runs.length = Math.min(this.runs.length, this.keepRuns);
  }

  recent(hookId?: string, limit = 50): HookRun[] {
    return this.runs.filter((r) => hookId === undefined || r.hook_id === hookId).slice(0, limit);
  }
}
