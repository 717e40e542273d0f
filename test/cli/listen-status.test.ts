import { describe, expect, it } from 'vitest';
import { elapsed, ListenStatus } from '../../src/cli/render/listen-status.js';
import type { RelayEvent } from '../../src/core/relay/events.js';

const verified = (verdict: 'verified' | 'invalid' | 'unverified'): RelayEvent => ({ type: 'delivery.verified', id: 'rcv_1', provider: 'ithbat', verdict, reason: null, message: null, hints: [] });

describe('the status line of a listen session on a terminal', () => {
  it('shows nothing before the session is ready, then uptime, counts by verdict and the last good probe', () => {
    const s = new ListenStatus();
    expect(s.text(0)).toBeNull();
    s.observe({ type: 'tunnel.url', url: 'https://a.trycloudflare.com', restarted: false, tunnel: 'cloudflared quick tunnel' }, 0);
    s.observe({ type: 'listen.ready' } as RelayEvent, 0);
    expect(s.text(1000)).toBe('up 1s  │  0 verified · 0 invalid · 0 unverified  │  tunnel not probed yet');
    for (const v of ['verified', 'verified', 'invalid', 'unverified'] as const) s.observe(verified(v), 2000);
    s.observe({ type: 'tunnel.probe', ok: true, reason: 'interval', latency_ms: 40, error: null }, 30_000);
    s.observe({ type: 'tunnel.probe', ok: false, reason: 'interval', latency_ms: 40, error: 'x' }, 60_000);
    expect(s.text(62_000)).toBe('up 1m02s  │  2 verified · 1 invalid · 1 unverified  │  tunnel ok 32s ago');
  });

  it('says when the tunnel is down or restarting, until it is restored', () => {
    const s = new ListenStatus();
    s.observe({ type: 'tunnel.url', url: 'https://a', restarted: false, tunnel: 'ngrok' }, 0);
    s.observe({ type: 'listen.ready' } as RelayEvent, 0);
    s.observe({ type: 'tunnel.unhealthy', reason: 'two probes failed' }, 10);
    expect(s.unhealthy).toBe(true);
    expect(s.text(20)).toContain('tunnel down');
    s.observe({ type: 'tunnel.restarting', attempt: 2, delay_ms: 2000, reason: 'x' }, 30);
    expect(s.text(40)).toContain('restarting the tunnel (attempt 2)');
    s.observe({ type: 'tunnel.restored', url: 'https://b', down_ms: 3000, url_changed: true }, 50);
    expect(s.unhealthy).toBe(false);
  });

  it('without a tunnel (--tunnel none) there is nothing to probe, and says nothing about it', () => {
    const s = new ListenStatus();
    s.observe({ type: 'listen.ready' } as RelayEvent, 0);
    expect(s.text(3_600_000 * 26)).toBe('up 1d02h  │  0 verified · 0 invalid · 0 unverified');
  });

  it('writes durations short', () => {
    expect([elapsed(59_000), elapsed(3_599_000), elapsed(7_260_000), elapsed(90_000_000)]).toEqual(['59s', '59m59s', '2h01m', '1d01h']);
  });
});
