import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('npm test', () => {
  it("never writes to the real home: hooks run by tests keep their config and data in the tests' own home", async () => {
    expect(homedir()).not.toBe(userInfo().homedir);
    const r = await runCli(['listen', '--print-secret', '--provider', 'ithbat'], { env: { HOOKS_CONFIG_DIR: undefined, HOOKS_DATA_DIR: undefined } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(homedir(), '.config', 'hooks'))).toBe(true);
  });
});
