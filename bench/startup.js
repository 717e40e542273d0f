#!/usr/bin/env node
// Cold start of `hooks --version` and `hooks --help` beside a bare `node -e 0`,
// in one run, interleaved so that machine noise hits all three alike.
// Prints the median of each and the ratio to bare node. Usage: node bench/startup.js [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 40);
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const cases = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'hooks --version': [process.execPath, [bin, '--version']],
  'hooks --help': [process.execPath, [bin, '--help']],
};

const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const [name, [cmd, args]] of Object.entries(cases)) spawnSync(cmd, args); // warm the file cache
for (let i = 0; i < runs; i++) {
  for (const [name, [cmd, args]] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
    times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times['node -e 0']);
console.log(`startup, median of ${runs} runs each (ms)`);
for (const name of Object.keys(cases)) {
  const m = median(times[name]);
  console.log(`  ${name.padEnd(16)} ${m.toFixed(1).padStart(7)} ms   ${(m / base).toFixed(2)}x node`);
}
