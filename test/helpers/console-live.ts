import { request } from 'node:http';

/** The console's live stream, read as its page reads it (fetch with the session header). */
export function liveStream(url: string, session: string) {
  let text = '';
  const listeners = new Set<() => void>();
  let resolveOpened!: () => void;
  const opened = new Promise<void>((r) => (resolveOpened = r));
  const u = new URL(url);
  const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: u.host, 'x-hooks-session': session, accept: 'text/event-stream' } }, (res) => {
    resolveOpened();
    res.on('data', (c: Buffer) => {
      text += c.toString();
      listeners.forEach((l) => l());
    });
  });
  req.on('error', () => undefined);
  req.end();
  return {
    opened,
    close: () => req.destroy(),
    waitFor: (needle: string) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the live stream never told of ${needle}: ${text}`)), 10_000);
        const check = () => {
          if (!text.includes(needle)) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(text);
        };
        listeners.add(check);
        check();
      }),
  };
}
