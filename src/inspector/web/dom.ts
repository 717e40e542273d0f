// Shared by the inspector and the console pages. Every value reaches the page
// through textContent or an attribute, never as HTML: what a delivery carries
// cannot become markup or script.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

/** An element with attributes (`on…` are listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(typeof child === 'number' ? String(child) : child);
  return el;
}

export function $(selector: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`no ${selector} on the page`);
  return el;
}

export class ApiFailure extends Error {}

const SESSION_KEY = 'hooks-session';

/**
 * This tab's session: handed over once in the page's HTML when it was opened
 * from a link, then kept in sessionStorage (this tab and this origin only: a
 * UI on another port never sees it, and no cookie goes anywhere). The link's
 * token is taken out of the address bar; it cannot be used again anyway.
 */
function takeSession(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="hooks-session"]');
  if (meta) {
    sessionStorage.setItem(SESSION_KEY, meta.content);
    meta.remove();
  }
  if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', location.pathname);
  return sessionStorage.getItem(SESSION_KEY);
}

const session = takeSession();
let relink = 'the command that started this page, again';

/** The command that prints a fresh link, for the notice shown when this tab has no live session. */
export function setRelink(command: string): void {
  relink = command;
}

/** Replaces the page with the notice that its session is gone (a restart, or opened without a link). */
function sessionEnded(): void {
  document.body.className = 'refused';
  document.body.replaceChildren(
    h(
      'main',
      {},
      h('h1', {}, 'This tab has no session'),
      h('p', {}, 'Its process restarted, or the page was opened without a link. A link opens one browser tab, once, within 10 minutes of being printed.'),
      h('p', {}, 'Print a new link for this process:'),
      h('pre', { class: 'command' }, relink),
    ),
  );
}

function sessionHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { ...(session ? { 'x-hooks-session': session } : {}), ...extra };
}

/** A request to this page's own server with the tab's session; a 401 ends the page with the notice. */
export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(path, { ...init, headers: sessionHeaders(init.headers as Record<string, string> | undefined) });
  if (res.status === 401) {
    sessionEnded();
    throw new ApiFailure('no session');
  }
  return res;
}

/** A JSON request to this page's own server; an error answer becomes an ApiFailure with its message. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await call(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiFailure(json?.error?.message ?? `${res.status} ${res.statusText}`);
  return json as T;
}

/**
 * Server-sent events read with fetch, so that the session goes in a header
 * (EventSource cannot send one). Reconnects after a drop, as EventSource
 * does; `close` stops it for good.
 */
export function eventStream(path: () => string, on: { event(name: string, data: string): void; open(): void; error(): void }): { close(): void } {
  const abort = new AbortController();
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const res = await call(path(), { signal: abort.signal, headers: { accept: 'text/event-stream' } });
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        on.open();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length > 0) on.event(name, data.join('\n'));
          }
        }
      } catch (err) {
        if (abort.signal.aborted || (err as Error).message === 'no session') return;
      }
      on.error();
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return { close: () => abort.abort() };
}

/** A short message in the corner: what an action did, or why it failed. */
export function toast(message: string, kind: 'ok' | 'bad' = 'ok'): void {
  const el = h('div', { class: `toast ${kind}`, role: 'status' }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 6000);
}

export function time(iso: string | number): string {
  return new Date(iso).toLocaleTimeString([], { hour12: false });
}

/** A duration as a person reads it, short enough for its column: 0.4 ms, 4.9 ms, 139 ms, 1.2 s, 42 s (whole milliseconds stay whole: 0 ms). */
export function ms(value: number): string {
  if (value < 9.95) return `${Number.isInteger(value) ? value : value.toFixed(1)} ms`;
  if (value < 999.5) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 9950 ? 1 : 0)} s`;
}

/**
 * A URL that keeps its path in sight when its cell is too narrow: the origin
 * gives way first (`http://local…/webhooks/ithbat`), as the path is what tells
 * one subscription's from another's. The whole URL goes in the cell's title.
 */
export function urlView(url: string): HTMLElement {
  let origin = url;
  let rest = '';
  try {
    const parsed = new URL(url);
    origin = parsed.origin;
    rest = parsed.href.slice(origin.length);
  } catch {
    // Not a URL: shown as it is, cut at its end.
  }
  return h('span', { class: 'url' }, h('span', { class: 'origin' }, origin), rest ? h('span', { class: 'path' }, rest) : null);
}

export function badge(text: string, kind: string): HTMLElement {
  return h('span', { class: `badge ${kind}` }, text);
}

export function statusBadge(status: number | null): HTMLElement {
  if (status === null) return badge('—', 'muted');
  return badge(String(status), status < 300 ? 'ok' : status < 500 ? 'warn' : 'bad');
}

/** Bytes as offset, hex and printable ASCII, 16 a line: for bodies that are not text. */
export function hexDump(bytes: Uint8Array, max = 64 * 1024): string {
  const lines: string[] = [];
  for (let at = 0; at < Math.min(bytes.length, max); at += 16) {
    const row = bytes.subarray(at, at + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${bytes.length - max} more bytes (download the body for all of them)`);
  return lines.join('\n');
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** A unified diff as lines marked +, - and space. */
export function diffView(lines: Array<{ op: string; text: string }> | null): HTMLElement {
  if (!lines) return h('p', { class: 'muted' }, 'Too long to compare here.');
  return h('pre', { class: 'diff' }, ...lines.map((l) => h('span', { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same' }, `${l.op} ${l.text}\n`)));
}
