import { readFileSync, statSync } from 'node:fs';
import { ConnectError, UsageError } from '../errors.js';

const MAX_JWKS_BYTES = 1024 * 1024;

/**
 * A JWKS as text, from a file or an http(s) URL (a platform's
 * /.well-known/jwks.json), for schemes that verify with public keys. The
 * text is checked by the scheme itself, as any other secret.
 */
export async function loadJwks(source: string, timeoutMs = 10_000): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    const [{ Agent }, { send }] = await Promise.all([import('undici'), import('../http/send.js')]);
    const agent = new Agent();
    try {
      const r = await send(agent, { url: new URL(source), method: 'GET', headers: { accept: 'application/json' }, timeoutMs, keep: 'whole' });
      if (r.status === null) throw new ConnectError(`cannot fetch the JWKS at ${source}: ${r.error}`, 'check the URL (is the server running?), or pass the JWKS as a file');
      if (r.status !== 200) throw new UsageError(`the JWKS at ${source} answered ${r.status}`, 'use the platform\'s /.well-known/jwks.json address');
      if (r.body.length > MAX_JWKS_BYTES) throw new UsageError(`the JWKS at ${source} is over 1 MB`, 'point --jwks at a JWKS document');
      return r.body.toString('utf8');
    } finally {
      await agent.close();
    }
  }
  let size: number;
  try {
    const st = statSync(source);
    if (!st.isFile()) throw new UsageError(`--jwks ${source} is not a regular file`, 'pass a JWKS file or an http(s) URL');
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read --jwks ${source}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'pass a JWKS file or an http(s) URL');
  }
  if (size > MAX_JWKS_BYTES) throw new UsageError(`--jwks ${source} is over 1 MB`, 'pass a JWKS file');
  return readFileSync(source, 'utf8');
}
