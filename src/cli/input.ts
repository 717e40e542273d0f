import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';

/** Raw bytes from `--body-file F`, `--body-file -` or piped stdin; never decoded. */
export async function readBody(file: string | undefined, flag = '--body-file'): Promise<Buffer> {
  if (file && file !== '-') {
    try {
      return await readFile(file);
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, `check the path given to ${flag}`);
    }
  }
  if (!file && process.stdin.isTTY) {
    throw new UsageError('no body to check', `pass ${flag} FILE or pipe the raw body on stdin`);
  }
  return readStdin();
}

/** All of stdin as raw bytes. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An API token: typed with masked input at a terminal, else piped on stdin (never a flag: flags show in the process list). */
export async function readToken(url: string, interactive: boolean): Promise<string> {
  if (interactive) {
    const { password } = await import('@inquirer/prompts');
    return password({ message: `API token for ${url}`, mask: '*', validate: (v) => (v.trim() ? true : 'paste the token') });
  }
  if (process.stdin.isTTY) throw new UsageError('no token given', 'pipe it on stdin: printf %s "$TOKEN" | hooks login …');
  return (await readStdin()).toString('utf8');
}
