import { startHooksProcess, tempDir, type EventLine, type HooksProcess } from './hooks-process.js';

export { tempDir };
export type ServerEventLine = EventLine;

export interface HooksServer extends HooksProcess {
  url: string;
  token: string;
  dataDir: string;
  configDir: string;
  /**
   * One API request with the server's token. Throws, with the answer, when the
   * status is not `opts.status` (any 2xx when absent): a test never reads the
   * fields of an answer it did not expect.
   */
  api<T = any>(method: string, path: string, body?: unknown, opts?: { status?: number; headers?: Record<string, string> }): Promise<{ status: number; json: T; text: string }>;
}

/** Starts `hooks server --port 0 --json` as a real process and reads its ready line. */
export async function startHooksServer(opts: { args?: string[]; dataDir?: string; configDir?: string; token?: string } = {}): Promise<HooksServer> {
  const dataDir = opts.dataDir ?? tempDir('data');
  const configDir = opts.configDir ?? tempDir('config');
  const token = opts.token ?? 'test-token-0123456789';
  const p = await startHooksProcess(['server', '--port', '0', '--json', '--data-dir', dataDir, '--token', token, ...(opts.args ?? [])], { HOOKS_CONFIG_DIR: configDir }, 'server.ready');
  const url = p.ready.url as string;
  return {
    ...p,
    url,
    token,
    dataDir,
    configDir,
    async api(method, path, body, opts = {}) {
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      const expected = opts.status;
      if (expected === undefined ? res.status < 200 || res.status > 299 : res.status !== expected) {
        throw new Error(`${method} ${path} answered ${res.status}, expected ${expected ?? '2xx'}: ${text.slice(0, 500)}`);
      }
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: res.status, json, text };
    },
  };
}
