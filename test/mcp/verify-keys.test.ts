import { createHmac, generateKeyPairSync } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpServer } from '../../src/mcp/server.js';
import { tempDir } from '../helpers/hooks-process.js';

/** Issue #29 item 1, through MCP: verify_signature never takes a public key for an HMAC key. */
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS = JSON.stringify({ keys: [publicKey.export({ format: 'jwk' })] });
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  const { server, context } = createMcpServer({ allowWrite: false, connection: { apiUrl: 'http://127.0.0.1:1', token: 'mcp-test-token-0123456789' }, dataDir: tempDir('mcp-verify') });
  const [a, b] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: 'hooks-test', version: '1.0.0' });
  await Promise.all([server.connect(a), client.connect(b)]);
  close = async () => {
    await client.close();
    await server.close();
    await context.close();
  };
});
afterAll(() => close());

describe('verify_signature', () => {
  it('answers a tool error, not "valid ithbat", for an HMAC keyed with a JWKS', async () => {
    const body = '{"id":"evt_1","type":"user.created"}';
    const r = (await client.callTool({ name: 'verify_signature', arguments: { headers: { 'X-Ithbat-Signature': `sha256=${createHmac('sha256', JWKS).update(body).digest('hex')}` }, body, secret: JWKS } })) as { isError?: boolean; content: Array<{ text: string }>; structuredContent?: { error?: { code: string } } };
    expect(r.isError).toBe(true);
    expect(r.structuredContent?.error?.code).toBe('invalid_secret');
    expect(r.content[0]!.text).toContain('JWKS');
  });
});
