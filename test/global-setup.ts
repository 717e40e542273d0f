import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from './helpers/browser.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  return readdirSync(dir).reduce((latest, name) => {
    const path = join(dir, name);
    const s = statSync(path);
    return Math.max(latest, s.isDirectory() ? newest(path) : s.mtimeMs);
  }, 0);
}

/**
 * The e2e tests run bin/hooks.js, which runs dist/: a test must never pass or
 * fail on an old build. The build ends by writing dist/cli/help.txt; any
 * source newer than that (or no build at all) means build now, loudly.
 */
export default function setup(): () => void {
  // Tests touch temporary directories only: every process they start (and Chromium) gets a home of its own.
  const home = mkdtempSync(join(tmpdir(), 'hooks-test-home-'));
  Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share') });
  const teardown = () => rmSync(home, { recursive: true, force: true });
  if (!findChromium()) {
    process.stderr.write('browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH); .ci/run installs it\n');
  }
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist/cli/help.txt')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'scripts')))) return teardown;
  process.stderr.write('dist/ is older than src/: running npm run build first\n');
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(`npm run build failed, so the e2e tests cannot run:\n${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
  }
  return teardown;
}
