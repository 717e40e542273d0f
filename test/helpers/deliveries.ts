import type { ReceivedDelivery } from '../../src/core/store/event-store.js';

let seq = 0;

/** A received delivery for store tests: a verified ithbat `user.created` with a fresh id, overridable field by field. */
export function aDelivery(over: Partial<ReceivedDelivery> = {}): ReceivedDelivery {
  seq++;
  return {
    id: `rcv_h${seq}`,
    received_at: Date.now(),
    method: 'POST',
    path: '/',
    headers: [['Content-Type', 'application/json']],
    body: Buffer.from('{}'),
    body_size: 2,
    body_sha256: null,
    body_truncated: false,
    provider: 'ithbat',
    event_id: `evt_${seq}`,
    event_type: 'user.created',
    verdict: 'verified',
    reason: null,
    hints: [],
    targets: ['http://127.0.0.1:3000/'],
    session: 'ses_1',
    last_status: null,
    last_outcome: null,
    ...over,
  };
}
