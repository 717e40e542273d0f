import type { ServerResponse } from 'node:http';
import { PageGuard, type LocalPages } from '../core/http/page-guard.js';
import { StaticFiles } from '../core/http/static-files.js';
import { WEB_DIR } from './server.js';

/**
 * The emulator's console at /console: its page calls the emulator's own API
 * (with its session header), so everything it shows and does is what the
 * API and the CLI show and do.
 */
export function createConsole(): LocalPages {
  const files = new StaticFiles(WEB_DIR);
  return {
    guard: new PageGuard({ relink: 'hooks server --console-link', assets: '/console/assets/' }),
    prefix: '/console',
    serve(res: ServerResponse, path: string, session: string | null): boolean {
      if (path === '' || path === '/') return files.sendPage(res, 'console.html', session);
      return path.startsWith('/assets/') && files.send(res, path.slice('/assets/'.length));
    },
  };
}
