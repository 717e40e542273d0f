import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../src/core/tunnel/probe.js';
import { TunnelSupervisor, type SupervisorEvent } from '../../../src/core/tunnel/supervisor.js';
import type { Tunnel } from '../../../src/core/tunnel/tunnel.js';

/** A tunnel that hands out a new URL each time it opens, and counts. */
class CountingTunnel implements Tunnel {
  readonly description = 'test tunnel';
  opened = 0;
  closed = 0;
  constructor(readonly restartable = true) {}
  async open(): Promise<string> {
    this.opened++;
    return `https://t${this.opened}.example`;
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

const OK: ProbeResult = { ok: true, latencyMs: 1, error: null };
const DOWN: ProbeResult = { ok: false, latencyMs: 1, error: 'answered 530' };

/** A supervisor on a clock the test moves, whose probes answer what the test says. */
function harness(opts: { restartable?: boolean; graceMs?: number } = {}) {
  let clock = 1_000_000;
  const tunnel = new CountingTunnel(opts.restartable ?? true);
  const events: SupervisorEvent[] = [];
  const probed: string[] = [];
  const paused: boolean[] = [];
  const pointedAt: string[] = [];
  let answer = (_url: string): ProbeResult => OK;
  const supervisor = new TunnelSupervisor({
    tunnel,
    intervalMs: 30_000,
    jumpMs: 5_000,
    graceMs: opts.graceMs ?? 0,
    probe: async (url) => {
      probed.push(url);
      return answer(url);
    },
    emit: (e) => events.push(e),
    urlChanged: async (url) => void pointedAt.push(url),
    setPaused: (p) => void paused.push(p),
    now: () => clock,
    sleep: async () => undefined,
  });
  return {
    supervisor,
    tunnel,
    events,
    probed,
    paused,
    pointedAt,
    advance: (ms: number) => (clock += ms),
    answer: (fn: (url: string) => ProbeResult) => (answer = fn),
    types: () => events.map((e) => e.type),
  };
}

let running: TunnelSupervisor | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe('TunnelSupervisor', () => {
  it('probes once an interval has passed, not before', async () => {
    const h = harness();
    running = h.supervisor;
    await h.supervisor.start();
    h.advance(1000);
    await h.supervisor.tick();
    expect(h.probed).toEqual([]);
    for (let i = 0; i < 30; i++) {
      h.advance(1000);
      await h.supervisor.tick();
    }
    expect(h.probed).toEqual(['https://t1.example']);
    expect(h.events).toEqual([{ type: 'tunnel.probe', ok: true, reason: 'interval', latency_ms: 1, error: null }]);
  });

  it('probes at once when the clock jumps (the machine slept), without waiting for the interval', async () => {
    const h = harness();
    running = h.supervisor;
    await h.supervisor.start();
    h.advance(1000);
    await h.supervisor.tick();
    h.advance(45 * 60_000);
    await h.supervisor.tick();
    expect(h.events).toEqual([expect.objectContaining({ type: 'tunnel.probe', reason: 'time_jump', ok: true })]);
  });

  it('two failed probes in a row: unhealthy, deliveries paused, reopened, the new URL passed on, then restored', async () => {
    const h = harness();
    running = h.supervisor;
    await h.supervisor.start();
    h.answer((url) => (url === 'https://t1.example' ? DOWN : OK));
    await h.supervisor.probeNow('interval');
    expect(h.types()).toEqual(['tunnel.probe']);
    expect(h.tunnel.opened).toBe(1);
    await h.supervisor.probeNow('interval');
    expect(h.types()).toEqual(['tunnel.probe', 'tunnel.probe', 'tunnel.unhealthy', 'tunnel.restarting', 'tunnel.probe', 'tunnel.restored']);
    expect(h.tunnel.opened).toBe(2);
    expect(h.pointedAt).toEqual(['https://t2.example']);
    expect(h.paused).toEqual([true, false]);
    expect(h.events.at(-1)).toMatchObject({ type: 'tunnel.restored', url: 'https://t2.example', url_changed: true });
    expect(h.supervisor.publicUrl).toBe('https://t2.example');
  });

  it('one failed probe between good ones is not a restart', async () => {
    const h = harness();
    running = h.supervisor;
    await h.supervisor.start();
    const answers = [DOWN, OK, DOWN, OK];
    h.answer(() => answers.shift()!);
    for (let i = 0; i < 4; i++) await h.supervisor.probeNow('interval');
    expect(h.types()).not.toContain('tunnel.unhealthy');
    expect(h.tunnel.opened).toBe(1);
  });

  it('tolerates failures right after opening, until the grace time ends (a new name takes a while to resolve)', async () => {
    const h = harness({ graceMs: 60_000 });
    running = h.supervisor;
    await h.supervisor.start();
    h.answer(() => DOWN);
    await h.supervisor.probeNow('interval');
    await h.supervisor.probeNow('interval');
    expect(h.types()).not.toContain('tunnel.unhealthy');
    h.advance(61_000);
    h.answer((url) => (url === 'https://t1.example' ? DOWN : OK));
    await h.supervisor.probeNow('interval');
    expect(h.types()).toContain('tunnel.unhealthy');
  });

  it('keeps reopening with growing delays until the tunnel carries traffic', async () => {
    const h = harness();
    running = h.supervisor;
    await h.supervisor.start();
    // t1 goes down; t2 and t3 never pass; t4 does.
    h.answer((url) => (url === 'https://t4.example' ? OK : DOWN));
    await h.supervisor.probeNow('interval');
    await h.supervisor.probeNow('interval');
    const restarts = h.events.filter((e) => e.type === 'tunnel.restarting');
    expect(restarts.map((e) => (e.type === 'tunnel.restarting' ? e.delay_ms : 0))).toEqual([1000, 2000, 4000]);
    expect(h.tunnel.opened).toBe(4);
    expect(h.events.at(-1)).toMatchObject({ type: 'tunnel.restored', url: 'https://t4.example' });
  });

  it('a tunnel that dies on its own is reopened without waiting for probes', async () => {
    const h = harness();
    running = h.supervisor;
    await h.supervisor.start();
    h.supervisor.died('cloudflared exited (code 1)');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(h.types()).toEqual(['tunnel.unhealthy', 'tunnel.restarting', 'tunnel.probe', 'tunnel.restored']);
    expect(h.events[0]).toEqual({ type: 'tunnel.unhealthy', reason: 'cloudflared exited (code 1)' });
  });

  it('a tunnel it cannot restart (--public-url) is reported once, never paused, and restored when probes pass again', async () => {
    const h = harness({ restartable: false });
    running = h.supervisor;
    await h.supervisor.start();
    h.answer(() => DOWN);
    for (let i = 0; i < 6; i++) await h.supervisor.probeNow('interval');
    expect(h.types().filter((t) => t === 'tunnel.unhealthy')).toHaveLength(1);
    expect(h.types()).not.toContain('tunnel.restarting');
    h.answer(() => OK);
    await h.supervisor.probeNow('interval');
    expect(h.events.at(-1)).toMatchObject({ type: 'tunnel.restored', url: 'https://t1.example', url_changed: false });
    expect(h.paused).toEqual([false]);
    expect(h.tunnel.opened).toBe(1);
  });

  it('stops: closes the tunnel and probes no more', async () => {
    const h = harness();
    await h.supervisor.start();
    await h.supervisor.stop();
    h.advance(60_000);
    await h.supervisor.tick();
    expect(h.probed).toEqual([]);
    expect(h.tunnel.closed).toBe(1);
  });
});
