import { afterEach, describe, expect, it, vi } from 'vitest';
import { ListenRenderer } from '../../src/cli/render/listen-log.js';
import type { RelayEvent } from '../../src/core/relay/events.js';

/** What a person reads for one forwarded delivery, as `hooks listen` prints it (not a terminal: no colour). */
function lines(e: RelayEvent, columns?: number): string[] {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.stubEnv('COLUMNS', columns === undefined ? '' : String(columns));
  try {
    new ListenRenderer(false, false).render(e);
  } finally {
    spy.mockRestore();
  }
  return out.join('').replace(/\n$/, '').split('\n');
}

afterEach(() => vi.unstubAllEnvs());

const forwarded = (status: number, target = 'http://127.0.0.1:3000/webhooks/ithbat'): RelayEvent => ({
  type: 'delivery.forwarded',
  id: 'rcv_01M96NFH6S8HZYYE1ZCCA5072K',
  provider: 'ithbat',
  event_type: 'user.created',
  event_id: 'evt_9QxT2mKq81ZbNcLw0aPd',
  verdict: 'verified',
  notes: [],
  target,
  status,
  latency_ms: 12,
});

describe('a forwarded delivery line', () => {
  it('fits the terminal by cutting the target in its middle, never the status', () => {
    const [line] = lines(forwarded(200, 'http://127.0.0.1:3000/a/rather/long/path/that/goes/on/and/on/webhooks/ithbat'), 120);
    expect([...line!].length).toBeLessThanOrEqual(120);
    expect(line).toMatch(/→ http:\/\/127\.0\.0\.1:3000\/….*\/ithbat 200 12 ms$/);
  });

  it('keeps its natural width when no width is known', () => {
    const [line] = lines(forwarded(200, 'http://127.0.0.1:3000/a/rather/long/path/that/goes/on/and/on/webhooks/ithbat'));
    expect(line).toContain('/a/rather/long/path/that/goes/on/and/on/webhooks/ithbat 200');
  });

  it('says what a 401 from the app likely means when listen verified the delivery, and points at the audit', () => {
    const out = lines(forwarded(401));
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/your app refused a delivery hooks listen verified/);
    expect(out[1]).toContain("its secret differs from this session's");
    expect(out[1]).toContain('re-serialized');
    expect(out[1]).toContain('hooks audit http://127.0.0.1:3000/webhooks/ithbat --provider ithbat');
  });

  it('says a 404 is the path, with the flag that sets it', () => {
    const out = lines(forwarded(404, 'http://127.0.0.1:3000/'));
    expect(out).toHaveLength(2);
    expect(out[1]).toContain('nothing at / on your app');
    expect(out[1]).toContain('--forward localhost:3000/webhooks');
  });

  it('adds nothing to a 2xx', () => {
    expect(lines(forwarded(204))).toHaveLength(1);
  });
});
