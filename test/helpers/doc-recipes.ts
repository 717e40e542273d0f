import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getProvider, PROVIDER_IDS } from '../../src/core/providers/registry.js';
import { startReceiver, type Receiver } from './receiver.js';

/**
 * The docs' recipes, run as written (docs/README.md, "How the recipes are
 * tested", says the same for writers).
 *
 * A fenced block's info string says what it is:
 *   ```sh recipe [exit=N] [timeout=S] [background ready="TEXT" [platform=P]]
 *   ```sh synopsis            usage with placeholders (ID, URL): never run
 *   ```sh manual="reason"     a real command the tests cannot run (the npm registry, a real platform)
 *   ```LANG file=NAME         written into the page's directory when the run reaches it
 *   ```text sample            what the recipe just above prints, compared once ids, numbers,
 *                             secrets and this run's paths and ports are made neutral; a line
 *                             `…` stands for any number of lines
 * Every sh block is one of the first three, so a command cannot slip in untested.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FAKE_CLOUDFLARED = join(ROOT, 'test/helpers/fake-cloudflared.mjs');

export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  attrs: Record<string, string | true>;
  text: string;
  /** The nearest `#` or `##` heading above the block (`###` and deeper do not count): a background recipe lives until its section ends. */
  section: string;
}

/** `sh recipe exit=1 ready="Ready!"` → lang and attributes. */
export function parseInfo(info: string): { lang: string; attrs: Record<string, string | true> } {
  const tokens = [...info.matchAll(/([^\s=]+)(?:=("[^"]*"|\S+))?/g)];
  const lang = tokens.shift()?.[0] ?? '';
  const attrs: Record<string, string | true> = {};
  for (const [, key, value] of tokens) attrs[key!] = value === undefined ? true : value.replace(/^"(.*)"$/, '$1');
  return { lang, attrs };
}

/** The fenced blocks of a Markdown file, in order. */
export function parseBlocks(markdown: string, file: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#{1,2})\s+(.*)$/.exec(lines[i]!);
    if (heading) section = heading[2]!;
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[j]!)) body.push(lines[j++]!.slice(indent!.length));
    const { lang, attrs } = parseInfo(info!.trim());
    blocks.push({ file, line: i + 1, lang, attrs, text: body.join('\n'), section });
    i = j;
  }
  return blocks;
}

/** README.md and every page under docs/, as paths relative to the repository. */
export function docFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  return ['README.md', ...walk('docs').sort()];
}

export function blocksOf(file: string): DocBlock[] {
  return parseBlocks(readFileSync(join(ROOT, file), 'utf8'), file);
}

export const isShell = (b: DocBlock) => ['sh', 'bash', 'shell'].includes(b.lang);
export const isRecipe = (b: DocBlock) => isShell(b) && b.attrs.recipe === true;
export const isSample = (b: DocBlock) => b.attrs.sample === true;

/** A line as a sample shows it: ids, hex and base64 runs, numbers, spacing and table rules made neutral. */
export function neutralLine(line: string): string {
  return line
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'UUID')
    .replace(/\b(sub|rcv|evt|msg|dlv)_[0-9A-Za-z]+/g, '$1_ID')
    .replace(/[A-Za-z0-9+/_-]{20,}={0,2}/g, (run) => (/\d/.test(run) ? 'SECRET' : run))
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/─+/g, '─')
    .replace(/ +/g, ' ')
    .trim();
}

/**
 * Whether `output` is what `sample` shows: line by line once neutral, a `…`
 * line standing for any number of lines. Returns the first line that differs, or null.
 */
export function sampleMismatch(sample: string, output: string): string | null {
  const want = sample.split('\n').map(neutralLine).filter(Boolean);
  const got = output.split('\n').map(neutralLine).filter(Boolean);
  const match = (i: number, j: number): boolean => {
    if (i === want.length) return j === got.length;
    if (want[i] === '…') return Array.from({ length: got.length - j + 1 }, (_, k) => j + k).some((k) => match(i + 1, k));
    return j < got.length && want[i] === got[j] && match(i + 1, j + 1);
  };
  if (match(0, 0)) return null;
  const differs = want.findIndex((w, i) => w !== '…' && w !== got[i]);
  return `the sample's line ${differs + 1} ${JSON.stringify(want[differs] ?? '(end)')} against ${JSON.stringify(got[differs] ?? '(end)')}; neutral output:\n${got.join('\n')}`;
}

/** A port the kernel has free right now (bound on 0, then released for the command that needs it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `$ITHBAT_SECRET`, `$CLERK_WEBHOOK_SECRET`, `${STRIPE_SECRET}`,
 * `process.env.ITHBAT_WEBHOOK_SECRET` in an app, `"env:ITHBAT_SECRET"` in hooks.json: a variable
 * that names a provider's signing secret is what the reader copied from the
 * platform's dashboard; the run gives it a fresh secret of that provider.
 */
export function secretVariables(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [, name, prefix] of text.matchAll(/(?:\$\{?|process\.env\.|"env:)(([A-Z][A-Z0-9_]*?)(?:_WEBHOOK|_HOOK)?_SECRET)\b/g)) {
    const id = prefix!.toLowerCase().replace(/_/g, '-');
    if (PROVIDER_IDS.includes(id)) vars[name!] ??= getProvider(id).newSecret();
  }
  return vars;
}

export interface RecipeResult {
  code: number | null;
  output: string;
}

interface Running {
  block: DocBlock;
  proc: ChildProcess;
  output: () => string;
}

/**
 * One page's run, top to bottom, as a reader follows it: a fresh home (config,
 * data dir, nothing from the machine), `hooks` on PATH running this checkout,
 * cloudflared replaced by the tests' fake one (it prints a loopback URL as its
 * public one), and ports mapped to free ones: 3000-3999 are the reader's app
 * (a recording receiver answers 200, unless the page writes its own app with
 * a `file=` block, whose `listen(3000` is mapped too), 8787 is `hooks server` (which gets `--port` when it has
 * none), any other port a free one. What a recipe exports, the later ones
 * have, as in one terminal. A background recipe runs until its `##`
 * section ends (Ctrl-C, and a `hooks` command must then exit 0), or until the
 * same command starts again.
 */
export class DocRun {
  readonly root = mkdtempSync(join(tmpdir(), 'hooks-docs-'));
  readonly home = join(this.root, 'home');
  readonly cwd = join(this.root, 'work');
  readonly receivers = new Map<number, Receiver>();
  private readonly ports = new Map<number, number>();
  private readonly background: Running[] = [];
  private readonly env: Record<string, string | undefined>;
  private ownApp = false;

  constructor(readonly page: string, blocks: DocBlock[] = blocksOf(page)) {
    const bin = join(this.root, 'bin');
    for (const dir of [this.home, this.cwd, bin]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(bin, 'hooks'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/hooks.js')}" "$@"\n`);
    chmodSync(join(bin, 'hooks'), 0o755);
    // An app file the page writes imports what its reader installed (express, standardwebhooks): this checkout's packages.
    symlinkSync(join(ROOT, 'node_modules'), join(this.cwd, 'node_modules'));
    const env: Record<string, string | undefined> = { ...process.env };
    for (const key of Object.keys(env)) if (/^(HOOKS_|XDG_|CLOUDFLARED_|NGROK_|FAKE_CLOUDFLARED)/.test(key) || key === 'CI' || key === 'EDITOR') delete env[key];
    this.env = { ...env, HOME: this.home, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1', FORCE_COLOR: undefined, CLOUDFLARED_BIN: FAKE_CLOUDFLARED };
    this.ownApp = blocks.some((b) => typeof b.attrs.file === 'string' && /\.(c|m)?js$/.test(b.attrs.file));
  }

  /** The port that stands for `port` in this run. */
  async port(port: number): Promise<number> {
    const known = this.ports.get(port);
    if (known) return known;
    let real: number;
    if (port >= 3000 && port <= 3999 && !this.ownApp) {
      const receiver = await startReceiver();
      real = Number(new URL(receiver.url).port);
      this.receivers.set(port, receiver);
    } else {
      real = await freePort();
    }
    this.ports.set(port, real);
    return real;
  }

  /** The text as this run executes it: its ports mapped, `hooks server` given a free --port. */
  async substitute(text: string): Promise<string> {
    const portish = /(localhost:|127\.0\.0\.1:|--(?:port|forward|to|inspect-port)[ =]|listen\(|=|"|')(\d{4,5})(?=[/"' \n,;&)]|$)/g;
    // A target written as a bare port and a path (`hooks audit 3000/webhooks`).
    const portPath = /(\s)(\d{4,5})(?=\/)/g;
    const found = new Set<number>();
    for (const m of [...text.matchAll(portish), ...text.matchAll(portPath)]) found.add(Number(m[2]));
    if (/^\s*hooks server\b(?![^\n]*--port)/m.test(text)) found.add(8787);
    for (const port of found) await this.port(port);
    return text
      .replace(portish, (_all: string, before: string, port: string) => `${before}${this.ports.get(Number(port)) ?? port}`)
      .replace(portPath, (_all: string, before: string, port: string) => `${before}${this.ports.get(Number(port)) ?? port}`)
      .replace(/^(\s*hooks server\b)(?![^\n]*--port)/gm, `$1 --port ${this.ports.get(8787)}`);
  }

  /** Writes a `file=` block into the page's directory. */
  async writeFile(block: DocBlock): Promise<void> {
    const path = join(this.cwd, block.attrs.file as string);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${await this.substitute(block.text)}\n`, { mode: 0o644 });
    // An app that reads $ITHBAT_WEBHOOK_SECRET gets the page's one, as the reader exports it once.
    for (const [name, value] of Object.entries(secretVariables(block.text))) this.env[name] ??= value;
  }

  private start(block: DocBlock, script: string): Running {
    // One secret per variable for the whole page, as the reader copies it from the dashboard once.
    for (const [name, value] of Object.entries(secretVariables(script))) this.env[name] ??= value;
    // What earlier recipes exported is there, as in the reader's terminal; a recipe that ends passes its exports on.
    const exports = join(this.root, 'exports.sh');
    const keep = block.attrs.background ? '' : `trap 'export -p > "${exports}"' EXIT\n`;
    const wrapped = `if [ -f "${exports}" ]; then . "${exports}"; fi\n${keep}${script}`;
    // Its own process group: whatever the recipe leaves running is stopped with it.
    const proc = spawn('bash', ['-e', '-o', 'pipefail', '-c', wrapped], { cwd: this.cwd, env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    return { block, proc, output: () => out };
  }

  /** Runs one recipe block; rejects, with its output, when it does not do what its attributes say. */
  async run(block: DocBlock): Promise<RecipeResult> {
    // A section's background recipes end with it; the same command started again (a fixed app) replaces the one running.
    await this.stopBackground((b) => b.section !== block.section || (Boolean(block.attrs.background) && b.text === block.text));
    const where = `${block.file}:${block.line}`;
    const script = await this.substitute(block.text);
    const timeoutMs = Number(block.attrs.timeout ?? 60) * 1000;
    const running = this.start(block, script);
    if (block.attrs.background) {
      this.background.push(running);
      const ready = String(block.attrs.ready ?? '');
      if (!ready) throw new Error(`${where}: a background recipe needs ready="TEXT"`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${where}: did not print ${JSON.stringify(ready)} within ${timeoutMs} ms; output:\n${running.output()}`)), timeoutMs);
        const check = () => running.output().includes(ready) && done();
        const exited = (code: number | null) => done(new Error(`${where}: exited (${code}) before printing ${JSON.stringify(ready)}; output:\n${running.output()}`));
        const done = (err?: Error) => {
          clearTimeout(timer);
          running.proc.stdout!.off('data', check);
          running.proc.stderr!.off('data', check);
          running.proc.off('exit', exited);
          if (!err) return resolve();
          this.background.splice(this.background.indexOf(running), 1);
          killGroup(running.proc, 'SIGKILL');
          reject(err);
        };
        running.proc.stdout!.on('data', check);
        running.proc.stderr!.on('data', check);
        running.proc.once('exit', exited);
        check();
      });
      return { code: null, output: running.output() };
    }
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        killGroup(running.proc, 'SIGKILL');
        resolve(null);
      }, timeoutMs);
      running.proc.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    // What the recipe left running (`app &`) holds its output open: stop it, then read the rest.
    killGroup(running.proc, 'SIGKILL');
    await new Promise((resolve) => (running.proc.stdout!.closed && running.proc.stderr!.closed ? resolve(null) : running.proc.once('close', resolve)));
    const expected = Number(block.attrs.exit ?? 0);
    if (code === null) throw new Error(`${where}: still running after ${timeoutMs} ms; output:\n${running.output()}`);
    if (code !== expected) throw new Error(`${where}: exited ${code}, the page says ${expected}; output:\n${running.output()}`);
    return { code, output: running.output() };
  }

  /** Output as the page shows it: this run's home as /home/me, its ports as the page's. */
  asPageShows(output: string): string {
    let text = output.split(this.cwd).join('/home/me/app').split(this.home).join('/home/me');
    for (const [page, real] of this.ports) text = text.replace(new RegExp(`\\b${real}\\b`, 'g'), String(page));
    return text;
  }

  /** A background recipe's output so far (the one that started most recently when several run). */
  backgroundOutput(): string {
    return this.background.at(-1)?.output() ?? '';
  }

  /** Runs `hooks …` in this run's environment (the harness acting as the platform). */
  hooks(args: string[]): Promise<RecipeResult> {
    return new Promise((resolve) => {
      const proc = spawn(process.execPath, [join(ROOT, 'bin/hooks.js'), ...args], { cwd: this.cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
      proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      proc.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output: out });
      });
    });
  }

  secret(name: string): string | undefined {
    return this.env[name];
  }

  /** Ctrl-C to the background recipes that match, as the reader stops them; each must stop cleanly. */
  async stopBackground(which: (b: DocBlock) => boolean = () => true): Promise<void> {
    const stopping = this.background.filter((r) => which(r.block));
    for (const r of stopping) this.background.splice(this.background.indexOf(r), 1);
    const failures: string[] = [];
    for (const r of stopping) {
      const { code, signal } = await stop(r.proc);
      killGroup(r.proc, 'SIGKILL');
      const expected = Number(r.block.attrs['stop-exit'] ?? 0);
      // hooks handles Ctrl-C and exits 0; a reader's app (node app.js) may just die of it.
      const isHooks = /^\s*hooks\b/m.test(r.block.text);
      if (code !== expected && !(signal === 'SIGINT' && !isHooks)) failures.push(`${r.block.file}:${r.block.line}: exited ${code} on Ctrl-C, expected ${expected}; output:\n${r.output()}`);
    }
    if (failures.length) throw new Error(failures.join('\n'));
  }

  async close(): Promise<void> {
    try {
      await this.stopBackground();
    } finally {
      await Promise.all([...this.receivers.values()].map((r) => r.close()));
      rmSync(this.root, { recursive: true, force: true });
    }
  }

  /** Where the page is, relative to the run's directory (for messages). */
  toString(): string {
    return relative(ROOT, join(ROOT, this.page));
  }
}

function killGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-proc.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

/** SIGINT to the recipe's group (a terminal's Ctrl-C reaches the whole foreground group), SIGKILL after 15 s. */
function stop(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 15_000);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
    killGroup(proc, 'SIGINT');
  });
}
