import { describe, expect, it } from 'vitest';
import { packWrites, unpackWrites } from '../../../src/core/store/write-codec.js';
import type { AttemptParams, DeliveryParams, StoreWrite } from '../../../src/core/store/writes.js';

const row = (id: string, body: Uint8Array): DeliveryParams => ({
  id,
  received_at: 1_700_000_000_123,
  method: 'POST',
  path: '/hooks?x=1',
  headers: '[["Content-Type","application/json"]]',
  body,
  body_size: body.length,
  body_sha256: null,
  body_truncated: 0,
  provider: 'ithbat',
  event_id: 'evt_1',
  event_type: 'user.created',
  verdict: 'verified',
  reason: null,
  hints: '[]',
  targets: '["http://127.0.0.1:3000/"]',
  session: 'ses_1',
  subscription_id: null,
  last_status: 204,
  last_outcome: 'forwarded',
});

const attempt = (deliveryId: string, over: Partial<AttemptParams> = {}): AttemptParams => ({
  delivery_id: deliveryId,
  kind: 'forward',
  target: 'http://127.0.0.1:3000/',
  started_at: 1_700_000_000_124,
  status: 204,
  duration_ms: 1.25,
  error: null,
  response_excerpt: new Uint8Array([0x6f, 0x6b]),
  resigned: 0,
  response_headers: '{"x-a":"1"}',
  sent_body: null,
  ...over,
});

describe('write codec', () => {
  it('gives back every column of every write, bytes included, in order', () => {
    const writes: StoreWrite[] = [
      { kind: 'delivery', row: row('rcv_1', new Uint8Array([0xff, 0x00, 0x0a])), attempts: [attempt('rcv_1'), attempt('rcv_1', { status: null, error: 'ECONNREFUSED', response_excerpt: null, response_headers: null })] },
      { kind: 'delivery', row: row('rcv_2', new Uint8Array(0)), attempts: [] },
      { kind: 'attempt', row: attempt('rcv_1', { kind: 'replay', status: 500, resigned: 1, sent_body: new Uint8Array([1, 2, 3, 4]) }), outcome: 'failed' },
    ];
    const back = unpackWrites(structuredClone(packWrites(writes)));
    expect(back).toEqual(writes);
  });

  it('carries only the bytes of a view, not the larger buffer behind it', () => {
    const slab = Buffer.alloc(65_536, 0x7a);
    slab.set([1, 2, 3], 500);
    const packed = packWrites([{ kind: 'delivery', row: row('rcv_1', slab.subarray(500, 503)), attempts: [attempt('rcv_1')] }]);
    expect(packed.bytes.byteLength).toBe(3 + 2);
    const [w] = unpackWrites(packed);
    expect(w!.kind === 'delivery' && [...w.row.body]).toEqual([1, 2, 3]);
  });
});
