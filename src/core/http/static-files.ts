import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { PAGE_HEADERS } from './page-guard.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The files of one directory, read once, served by name only: a request
 * can name nothing but these files (no path is ever joined from a request).
 */
export class StaticFiles {
  private readonly files = new Map<string, { bytes: Buffer; type: string }>();

  constructor(dir: string) {
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (type) this.files.set(name, { bytes: readFileSync(join(dir, name)), type });
    }
  }

  /** Sends the file; false when there is none by that name. */
  send(res: ServerResponse, name: string): boolean {
    const file = this.files.get(name);
    if (!file) return false;
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': file.type, 'content-length': file.bytes.length }).end(file.bytes);
    return true;
  }

  /** Sends an HTML page with a session just opened for it in a meta tag, which the page moves to sessionStorage. */
  sendPage(res: ServerResponse, name: string, session: string | null): boolean {
    const file = this.files.get(name);
    if (!file || session === null) return this.send(res, name);
    // A session is base64url: nothing in it can break out of the attribute.
    const html = file.bytes.toString('utf8').replace('<head>', `<head><meta name="hooks-session" content="${session}">`);
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': file.type, 'content-length': Buffer.byteLength(html) }).end(html);
    return true;
  }
}
