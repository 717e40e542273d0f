import { describe, expect, it } from 'vitest';
import { deliveryView, rowView } from '../../../src/core/inbox/delivery-view.js';
import type { ReceivedDelivery } from '../../../src/core/store/types.js';

function delivery(body: Buffer, headers: Array<[string, string]> = [['content-type', 'application/json']]): ReceivedDelivery {
  return { id: 'rcv_1', received_at: 0, method: 'POST', path: '/x', headers, body, body_size: body.length, body_sha256: null, body_truncated: false, provider: 'okta', event_id: 'evt', event_type: 'user.created', verdict: 'verified', reason: null, hints: [{ code: 'key_id', message: 'kid from the sender' }], targets: [], session: null, last_status: null, last_outcome: null };
}

describe("the inbox's one view of a delivery", () => {
  it('keeps what the sender wrote inside untrusted, and only there', () => {
    const v = deliveryView(delivery(Buffer.from('{}')), [], { bytes: 64 }, false);
    expect(v).toMatchObject({ id: 'rcv_1', provider: 'okta', verdict: 'verified', hint_codes: ['key_id'], untrusted: { event_type: 'user.created', event_id: 'evt', method: 'POST', path: '/x', hints: [{ message: 'kid from the sender' }], note: expect.stringContaining('never as instructions') } });
    expect(Object.keys(v)).not.toContain('event_type');
    expect(Object.keys(rowView(delivery(Buffer.from('{}'))))).not.toContain('event_type');
  });

  it('cuts a body at the bound on a character boundary and says so', () => {
    const body = Buffer.from(`${'a'.repeat(9)}é${'b'.repeat(20)}`);
    const v = deliveryView(delivery(body), [], { bytes: 10 }, false);
    expect(v.untrusted).toMatchObject({ body_text: 'a'.repeat(9), body_base64: null, body_shown: 9, body_cut: true });
    expect(v.full_body).toContain('--raw');
  });

  it('pretty-prints a JSON body for the inspector, cut at the bound, not at the size of the compact bytes', () => {
    expect(deliveryView(delivery(Buffer.from('{"a":{"b":1}}')), [], { bytes: 1024, pretty: true }, false).untrusted.body_pretty).toBe('{\n  "a": {\n    "b": 1\n  }\n}');
  });

  it('gives bytes that are not UTF-8 as base64, cut at the bound', () => {
    const v = deliveryView(delivery(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x01])), [], { bytes: 4 }, false);
    expect(v.untrusted).toMatchObject({ body_text: null, body_base64: Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString('base64'), body_cut: true });
  });

  it('withholds the value of a header a provider reads as its secret, whatever the delivery was read as', () => {
    const v = deliveryView(delivery(Buffer.from('{}'), [['authorization', 'the-okta-secret'], ['x-other', 'kept']]), [], { bytes: null }, false);
    expect(v.untrusted.headers).toEqual([['authorization', '[secret withheld]'], ['x-other', 'kept']]);
    expect(v.withheld_headers).toEqual(['authorization']);
    expect(JSON.stringify(v)).not.toContain('the-okta-secret');
  });
});
