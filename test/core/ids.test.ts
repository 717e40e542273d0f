import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../src/core/ids.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const timeOf = (id: string) => [...id.split('_')[1]!.slice(0, 10)].reduce((t, c) => t * 32 + ALPHABET.indexOf(c), 0);

describe('newId', () => {
  afterEach(() => vi.restoreAllMocks());

  it('encodes the millisecond it was made in, and sorts in creation order within and across milliseconds', () => {
    const now = vi.spyOn(Date, 'now');
    const ids: string[] = [];
    for (const ms of [1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000]) {
      now.mockReturnValue(ms);
      const id = newId('rcv');
      expect(timeOf(id)).toBe(ms);
      ids.push(id);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
