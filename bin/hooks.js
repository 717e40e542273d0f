#!/usr/bin/env node
// `hooks --version` and `hooks --help` answer before the CLI loads: scripts
// call them often and they must cost little more than node itself. The help
// text is the one commander renders, saved by the build (scripts/snapshot-help.js).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;
if (only === '--version' || only === '-V') {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else if ((only === '--help' || only === '-h') && !process.env.HOOKS_RENDER_HELP && !(await import('../dist/cli/agent.js').then((m) => m.agentDetected(), () => false))) {
  let help = null;
  try {
    help = readFileSync(new URL('../dist/cli/help.txt', import.meta.url), 'utf8');
  } catch {
    await import('../dist/cli/main.js');
  }
  if (help !== null) process.stdout.write(help);
} else {
  await import('../dist/cli/main.js');
}
