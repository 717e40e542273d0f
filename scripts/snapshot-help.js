#!/usr/bin/env node
// Part of `npm run build`: saves the top-level help exactly as commander renders
// it (80 columns, as for any pipe), so `hooks --help` can print it without
// loading commander. test/e2e/cli.test.ts checks the two stay identical.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const r = spawnSync(process.execPath, [bin, '--help'], { env: { ...process.env, HOOKS_RENDER_HELP: '1', NO_COLOR: '1' }, encoding: 'utf8' });
if (r.status !== 0) throw new Error(`hooks --help exited ${r.status}: ${r.stderr}`);
writeFileSync(fileURLToPath(new URL('../dist/cli/help.txt', import.meta.url)), r.stdout);
