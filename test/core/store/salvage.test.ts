import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEventStore } from '../../../src/core/store/event-store.js';
import { salvageStore } from '../../../src/core/store/salvage.js';
import { aDelivery as delivery } from '../../helpers/deliveries.js';
import { tempDir } from '../../helpers/hooks-process.js';

describe('hooks events salvage', () => {
  it("brings a delivery back with every column it was stored with: its notes, its check's message and mask", async () => {
    const from = tempDir('salvage-from');
    const store = await openEventStore(from);
    const d = delivery({ verdict: 'invalid', reason: 'signature_mismatch', reason_message: 'no signature matched', checked_with: 'ith_whsec_c8bc…', notes: ['lacks data.user_id'] });
    await store.saveDelivery(d);
    await store.close();
    const aside = join(tempDir('salvage-aside'), 'events.db.damaged-test');
    copyFileSync(join(from, 'events.db'), aside);

    const into = tempDir('salvage-into');
    expect(await salvageStore(aside, into)).toMatchObject({ deliveries: 1, unreadable: 0 });
    const back = await openEventStore(into);
    expect(back.get(d.id)).toMatchObject({ reason_message: 'no signature matched', checked_with: 'ith_whsec_c8bc…', notes: ['lacks data.user_id'] });
    await back.close();
  });
});
