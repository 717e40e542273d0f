import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { answer, failure } from '../../src/mcp/shape.js';

describe('what MCP tools answer', () => {
  const SECRET = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';

  it('withholds any known secret wherever it hides, and every signing_secret field', () => {
    const r = answer(`signed with ${SECRET}`, { a: [{ b: `x${SECRET}y` }], signing_secret: 'anything', n: 3 }, [SECRET]);
    const text = JSON.stringify(r);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('anything');
    expect(r.structuredContent).toEqual({ a: [{ b: 'x[secret withheld]y' }], signing_secret: '[secret withheld]', n: 3 });
  });

  it('turns an error into a tool error with the message and hint, withheld too', () => {
    const r = failure(new UsageError(`bad ${SECRET}`, 'do this'), [SECRET]);
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toBe('bad [secret withheld]\nhint: do this');
  });

  it('makes control characters in the text visible, keeping its own line breaks', () => {
    expect(answer('one\ntwo \u001b[31mred\r', {}, []).content[0]!.text).toBe('one\ntwo \\x1b[31mred\\r');
  });
});
