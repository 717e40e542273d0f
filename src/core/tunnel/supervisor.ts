import type { ProbeResult } from './probe.js';
import type { Tunnel } from './tunnel.js';

/** What the supervisor reports; the session passes these on as engine events. */
export type SupervisorEvent =
  | { type: 'tunnel.probe'; ok: boolean; reason: 'interval' | 'time_jump' | 'recovery'; latency_ms: number; error: string | null }
  | { type: 'tunnel.unhealthy'; reason: string }
  | { type: 'tunnel.restarting'; attempt: number; delay_ms: number; reason: string }
  | { type: 'tunnel.restored'; url: string; down_ms: number; url_changed: boolean };

export interface SupervisorOptions {
  tunnel: Tunnel;
  /** A probe through the public URL (see sendProbe). */
  probe(url: string): Promise<ProbeResult>;
  /** Between probes: 30 s by default. */
  intervalMs: number;
  /** A tick of the 1 s clock this much late means the machine slept: probe at once. */
  jumpMs: number;
  /** Failures tolerated before the first success after an open (a new quick tunnel's name takes a while to resolve). */
  graceMs: number;
  emit(event: SupervisorEvent): void;
  /** The tunnel came back under a new URL: point the subscription at it. */
  urlChanged(url: string): Promise<void>;
  /** While it restarts, deliveries are refused (503, Retry-After) so the platform sends them again. */
  setPaused(paused: boolean): void;
  now?: () => number;
  /** Waits between restart attempts; tests skip the wait. */
  sleep?: (ms: number) => Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;
/** The clock that notices sleep; no slower than the probe interval. */
const TICK_MS = 1000;

/**
 * Keeps a tunnel honest: a process that runs is not a tunnel that carries
 * traffic. It probes through the public URL every interval and right after
 * the machine wakes up; two failed probes in a row (or the tunnel dying)
 * make it unhealthy, and it is then reopened with backoff (1 s, 2 s, 4 s …
 * 30 s) until a probe passes again. Tunnels that cannot be restarted from
 * here (the user's own) are only reported.
 */
export class TunnelSupervisor {
  private url = '';
  private failures = 0;
  private healthySinceOpen = false;
  private openedAt = 0;
  private downSince: number | null = null;
  private recovering = false;
  private stopped = false;
  private probing = false;
  private lastTick = 0;
  private nextProbeAt = 0;
  private ticker: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly tickMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: SupervisorOptions) {
    this.now = opts.now ?? Date.now;
    this.tickMs = Math.min(TICK_MS, opts.intervalMs);
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  /** Opens the tunnel and starts watching it; resolves with its URL. */
  async start(): Promise<string> {
    this.url = await this.opts.tunnel.open();
    this.openedAt = this.now();
    this.lastTick = this.now();
    this.nextProbeAt = this.now() + this.opts.intervalMs;
    this.ticker = setInterval(() => void this.tick(), this.tickMs);
    this.ticker.unref();
    return this.url;
  }

  get publicUrl(): string {
    return this.url;
  }

  /** The tunnel reported its own death (a process exit): no need to wait for probes. */
  died(reason: string): void {
    if (!this.stopped) void this.recover(reason);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    await this.opts.tunnel.close();
  }

  /** Driven by a 1 s clock: a late tick means the machine was asleep. */
  async tick(): Promise<void> {
    const now = this.now();
    const jumped = now - this.lastTick > this.tickMs + this.opts.jumpMs;
    this.lastTick = now;
    if (jumped) await this.probeNow('time_jump');
    else if (now >= this.nextProbeAt) await this.probeNow('interval');
  }

  async probeNow(reason: 'interval' | 'time_jump'): Promise<void> {
    if (this.probing || this.recovering || this.stopped) return;
    this.probing = true;
    this.nextProbeAt = this.now() + this.opts.intervalMs;
    try {
      const r = await this.opts.probe(this.url);
      this.opts.emit({ type: 'tunnel.probe', ok: r.ok, reason, latency_ms: r.latencyMs, error: r.error });
      if (r.ok) {
        this.failures = 0;
        this.healthySinceOpen = true;
        if (this.downSince !== null) this.restored(false);
        return;
      }
      this.failures++;
      const inGrace = !this.healthySinceOpen && this.now() - this.openedAt < this.opts.graceMs;
      if (this.failures >= 2 && !inGrace && this.downSince === null) await this.recover(`${this.failures} probes in a row through ${this.url} failed: ${r.error}`);
    } finally {
      this.probing = false;
    }
  }

  private restored(urlChanged: boolean): void {
    this.opts.emit({ type: 'tunnel.restored', url: this.url, down_ms: this.now() - (this.downSince ?? this.now()), url_changed: urlChanged });
    this.downSince = null;
    this.opts.setPaused(false);
  }

  private async recover(reason: string): Promise<void> {
    if (this.recovering || this.stopped) return;
    this.recovering = true;
    this.downSince ??= this.now();
    this.opts.emit({ type: 'tunnel.unhealthy', reason });
    if (!this.opts.tunnel.restartable) {
      // Nothing to restart from here: keep probing, and say when it comes back.
      this.recovering = false;
      return;
    }
    this.opts.setPaused(true);
    try {
      for (let attempt = 1; !this.stopped; attempt++) {
        const delay = Math.min(1000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        this.opts.emit({ type: 'tunnel.restarting', attempt, delay_ms: delay, reason });
        await this.sleep(delay);
        if (this.stopped) return;
        try {
          await this.opts.tunnel.close();
          const url = await this.opts.tunnel.open();
          this.openedAt = this.now();
          this.healthySinceOpen = false;
          const changed = url !== this.url;
          this.url = url;
          if (changed) await this.opts.urlChanged(url);
          if (await this.passesAfterOpen()) {
            this.failures = 0;
            this.healthySinceOpen = true;
            this.nextProbeAt = this.now() + this.opts.intervalMs;
            this.restored(changed);
            return;
          }
          reason = `the reopened tunnel does not pass traffic through ${url}`;
        } catch (err) {
          reason = (err as Error).message;
        }
      }
    } finally {
      this.recovering = false;
    }
  }

  /** A new tunnel may need a moment before its URL resolves: a few probes within the grace time. */
  private async passesAfterOpen(): Promise<boolean> {
    const deadline = this.now() + this.opts.graceMs;
    for (;;) {
      const r = await this.opts.probe(this.url);
      this.opts.emit({ type: 'tunnel.probe', ok: r.ok, reason: 'recovery', latency_ms: r.latencyMs, error: r.error });
      if (r.ok || this.stopped || this.now() >= deadline) return r.ok;
      await this.sleep(Math.min(2000, this.opts.intervalMs));
    }
  }
}
