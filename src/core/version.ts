import { readFileSync } from 'node:fs';

/** This package's version (bin/hooks.js reads it on its own for the --version fast path). */
export const version: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
