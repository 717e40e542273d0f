import { afterEach, describe, expect, it, vi } from 'vitest';
import { ListenRenderer } from '../../src/cli/render/listen-log.js';

afterEach(() => vi.restoreAllMocks());

function lines(render: (r: ListenRenderer) => void): string {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  render(new ListenRenderer(false, false));
  return out.join('');
}

const facts = { id: 'rcv_1', provider: 'clerk', event_type: 'user.created', event_id: 'msg_1', verdict: 'verified' as const };

describe("listen's log line", () => {
  it('says what a delivery lacks beside its platform and type, and nothing when it fits', () => {
    const noted = lines((r) => r.render({ type: 'delivery.forwarded', ...facts, notes: ['lacks data.banned', 'lacks data.locked'], target: 'http://localhost:3000/', status: 200, latency_ms: 3 }));
    expect(noted).toContain('→ http://localhost:3000/ 200');
    expect(noted).toContain('note: clerk user.created lacks data.banned; lacks data.locked');
    const fits = lines((r) => r.render({ type: 'delivery.forwarded', ...facts, notes: [], target: 'http://localhost:3000/', status: 200, latency_ms: 3 }));
    expect(fits).not.toContain('note:');
  });

  it('notes a refused or failed delivery the same way', () => {
    const failed = lines((r) => r.render({ type: 'delivery.failed', ...facts, notes: ['lacks data.banned'], target: 'http://localhost:3000/', status: 502, error: 'connection refused', latency_ms: 1 }));
    expect(failed).toContain('note: clerk user.created lacks data.banned');
    const rejected = lines((r) => r.render({ type: 'delivery.rejected', ...facts, verdict: 'invalid', notes: ['lacks data.banned'], status: 401, reason: 'signature_mismatch', message: 'no match', hints: [], secret: null }));
    expect(rejected).toContain('note: clerk user.created lacks data.banned');
  });
});
