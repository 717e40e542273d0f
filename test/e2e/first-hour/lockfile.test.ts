import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const lock = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package-lock.json', import.meta.url)), 'utf8')) as { packages: Record<string, Record<string, unknown>> };

describe('package-lock.json', () => {
  it("is written as Node 20's npm (10.x) writes it, so a fresh npm install leaves git status clean with npm 10 and 11", () => {
    // npm 11 adds "libc" to platform packages; npm 10 drops it again, rewriting the file in a fresh clone.
    expect(Object.entries(lock.packages).filter(([, p]) => 'libc' in p).map(([name]) => name)).toEqual([]);
  });

  it('keeps the optional ngrok agent and its platform packages', () => {
    expect(lock.packages['']!.optionalDependencies).toHaveProperty('@ngrok/ngrok');
    expect(lock.packages['node_modules/@ngrok/ngrok']).toMatchObject({ optional: true });
    expect(Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/@ngrok/ngrok-linux-x64')).length).toBeGreaterThan(0);
  });
});
