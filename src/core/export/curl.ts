import { utf8OrNull } from '../utf8.js';

/** Headers a client sets itself or that belong to the connection: curl sends its own. */
const SKIPPED = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'expect', 'te', 'upgrade', 'proxy-connection']);

/** A header value, or the environment variable the shell reads it from (a secret never written into the command). */
export type CurlHeaderValue = string | { env: string };

/** A single-quoted shell word; any byte inside is taken literally. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function headerFlag(name: string, value: CurlHeaderValue): string {
  return typeof value === 'string' ? `  -H ${quote(`${name}: ${value}`)}` : `  -H ${quote(`${name}: `)}"\${${value.env}}"`;
}

/**
 * A curl command that sends exactly these bytes and headers to `url`. A UTF-8
 * body goes on stdin through a quoted printf (byte for byte, no added
 * newline); any other body through base64, so binary bytes survive a paste.
 */
export function curlCommand(url: string, method: string, headers: Array<[string, CurlHeaderValue]>, body: Buffer): string {
  const flags = headers.filter(([name]) => !SKIPPED.has(name.toLowerCase())).map(([name, value]) => headerFlag(name, value));
  const curl = [`curl -sS -X ${method} ${quote(url)}`, ...flags, '  --data-binary @-'].join(' \\\n');
  const text = utf8OrNull(body);
  // printf '%s' prints the argument as is; base64 -d restores bytes that do not survive a terminal.
  const pastable = text !== null && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text);
  const source = pastable ? `printf '%s' ${quote(text!)}` : `printf '%s' ${quote(body.toString('base64'))} | base64 -d`;
  return `${source} | ${curl}`;
}
