import type { RelayEvent } from '../../core/relay/events.js';

/**
 * The one line a listen session keeps at the bottom of a terminal: how long
 * it has run, what it received by verdict, and whether its tunnel still
 * carries traffic. Pure: it is fed events and asked for text.
 */
export class ListenStatus {
  private readyAt: number | null = null;
  private readonly counts = { verified: 0, invalid: 0, unverified: 0 };
  private lastProbeOk: number | null = null;
  private probing = false;
  private down: string | null = null;

  observe(e: RelayEvent, now: number): void {
    switch (e.type) {
      case 'listen.ready':
        this.readyAt = now;
        break;
      case 'tunnel.url':
        if (!e.restarted && e.tunnel) this.probing = true;
        break;
      case 'delivery.verified':
        this.counts[e.verdict]++;
        break;
      case 'delivery.rejected':
        // Too large to read: never verified, still received.
        if (e.id === null) this.counts.unverified++;
        break;
      case 'tunnel.probe':
        if (e.ok) this.lastProbeOk = now;
        break;
      case 'tunnel.unhealthy':
        this.down = 'tunnel down';
        break;
      case 'tunnel.restarting':
        this.down = `restarting the tunnel (attempt ${e.attempt})`;
        break;
      case 'tunnel.restored':
        this.down = null;
        break;
      default:
        break;
    }
  }

  /** Null before the session is ready. */
  text(now: number): string | null {
    if (this.readyAt === null) return null;
    const { verified, invalid, unverified } = this.counts;
    const parts = [`up ${elapsed(now - this.readyAt)}`, `${verified} verified · ${invalid} invalid · ${unverified} unverified`];
    if (this.down) parts.push(this.down);
    else if (this.probing) parts.push(this.lastProbeOk === null ? 'tunnel not probed yet' : `tunnel ok ${elapsed(now - this.lastProbeOk)} ago`);
    return parts.join('  │  ');
  }

  get unhealthy(): boolean {
    return this.down !== null;
  }
}

/** `42s`, `3m05s`, `2h14m`, `1d03h`. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor(s / 3600) % 24)}h`;
}
