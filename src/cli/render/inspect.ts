import { style } from './style.js';

export function printInspector(url: string, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ type: 'inspect.ready', url })}\n`);
    return;
  }
  process.stdout.write(`${style.ok('Inspecting')} ${style.code(url)}\n${style.dim('127.0.0.1 only; the link carries this session\'s token. Ctrl-C to stop.')}\n`);
}
