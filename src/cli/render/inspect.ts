import { style } from './style.js';

export function printInspector(url: string, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ type: 'inspect.ready', url })}\n`);
    return;
  }
  process.stdout.write(`${style.ok('Inspecting')} ${style.code(url)}\n${style.dim('127.0.0.1 only. The link opens one browser tab, once, within 10 minutes; hooks inspect --link prints a new one. Ctrl-C to stop.')}\n`);
}

/** Fresh links to the running inspectors: the URL alone when there is one (for scripts), else each with its store. */
export function printLinks(links: Array<{ url: string; store: string; pid: number }>, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ links })}\n`);
    return;
  }
  if (links.length === 1) {
    process.stdout.write(`${links[0]!.url}\n`);
    return;
  }
  for (const l of links) process.stdout.write(`${style.code(l.url)}  ${style.dim(`${l.store} (pid ${l.pid})`)}\n`);
}
