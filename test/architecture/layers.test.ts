import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../src/core/providers/registry.js';
import { SYNC_PLATFORMS } from '../../src/core/providers/sync/registry.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports, static or dynamic, as a path under src/ ('' for packages). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)].map((m) => m[1]!);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(SRC, resolve(dirname(file), s)));
}

const layer = (path: string) => relative(SRC, path).split('/')[0]!;
const all = sources();

describe('layers (DESIGN.md: imports point down only)', () => {
  it('finds the sources', () => {
    expect(all.length).toBeGreaterThan(80);
  });

  it.each([
    ['core', ['server', 'cli', 'demo', 'inspector', 'mcp']],
    ['server', ['cli', 'demo', 'inspector']],
    ['inspector', ['cli', 'demo', 'server', 'mcp']],
    ['mcp', ['cli', 'demo', 'server', 'inspector']],
  ])('%s imports none of %j', (from, forbidden) => {
    const wrong = all
      .filter((f) => layer(f) === from)
      .flatMap((f) => importsOf(f).filter((target) => forbidden.includes(target.split('/')[0]!)).map((target) => `${relative(SRC, f)} → ${target}`));
    expect(wrong).toEqual([]);
  });
});

describe('provider knowledge lives in profiles and fixtures', () => {
  it('no provider id is written as a literal outside core/providers and core/fixtures', () => {
    // The platforms with synchronous hooks only (Supabase, Firebase) are providers too.
    const ids = [...new Set([...PROVIDER_IDS, ...SYNC_PLATFORMS.map((p) => p.id)])];
    const literal = new RegExp(`['"\`](${ids.join('|')})['"\`]`);
    const offenders = all
      .filter((f) => !/core\/(providers|fixtures)\//.test(f))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(SRC, f)}:${i + 1}` }))
          .filter(({ line }) => literal.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

describe('commands are flags, one core call, a renderer', () => {
  const commands = all.filter((f) => relative(SRC, f).startsWith('cli/commands/'));

  it('no command prints or sets an exit code itself', () => {
    const offenders = commands.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(SRC, f)}:${i + 1}` }))
        .filter(({ line }) => /\bconsole\.(log|info|warn|error|debug)\(|process\.(stdout|stderr)\.write|process\.exitCode|process\.exit\(/.test(line))
        .map(({ at }) => at),
    );
    expect(offenders).toEqual([]);
  });

  it('no raw exit number outside core/errors.ts', () => {
    const offenders = all
      .filter((f) => !f.endsWith('core/errors.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(SRC, f)}:${i + 1}` }))
          .filter(({ line }) => /exitCode\s*[:=]\s*\d|process\.exit\(\s*\d/.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

describe('commands are flags, one core call, a renderer: nothing wired by hand', () => {
  const commands = all.filter((f) => relative(SRC, f).startsWith('cli/commands/'));

  it('no command constructs an engine object: it makes the one core call, which builds what it needs', () => {
    const offenders = commands.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(SRC, f)}:${i + 1}` }))
        // Commander's own objects, errors and renderers are the command's to make; anything else is engine wiring.
        .filter(({ line }) => /\bnew (?!Option\(|UsageError\(|\w*Renderer\()[A-Z]\w*\(/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no command holds a half-built engine for later (`let session = null` and callbacks into it)', () => {
    const offenders = commands.filter((f) => /\blet \w+(: [^=]+)? = null\b/.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});

describe('the inspector and MCP only call core and render: nothing wired by hand', () => {
  // Their own plumbing (routes, the page guard, static files, the MCP server and its transport), errors and values are theirs to make; anything else is engine wiring (issue #29).
  const theirs = /\bnew (?!(?:UsageError|ApiError|Error|Promise|URL|Date|Set|Map|Router|PageGuard|StaticFiles|McpServer|StdioServerTransport|McpContext)\()[A-Z]\w*\(/;

  it.each(['mcp', 'inspector'])('src/%s constructs no engine object (a Forwarder, an API client, a decoder, a store): it makes core calls', (face) => {
    const offenders = all
      .filter((f) => layer(f) === face && !relative(SRC, f).startsWith('inspector/web/'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(SRC, f)}:${i + 1}` }))
          .filter(({ line }) => theirs.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it.each(['mcp', 'inspector'])('src/%s opens no store itself: the inbox it is handed, or opens through core, reads it', (face) => {
    const offenders = all.filter((f) => layer(f) === face && /\bopenEventStore\(|store\.(get|list|page|attempts)\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});

describe('one event store per process', () => {
  it('the EventStore is constructed by its one factory only', () => {
    const offenders = all
      .filter((f) => !f.endsWith('core/store/event-store.ts'))
      .flatMap((f) => (readFileSync(f, 'utf8').includes('new EventStore(') ? [relative(SRC, f)] : []));
    expect(offenders).toEqual([]);
  });

  it('only the writer writes: no module outside the writer runs INSERT, UPDATE or DELETE on the event store', () => {
    const storeDir = join(SRC, 'core/store/');
    const offenders = all
      .filter((f) => f.startsWith(storeDir) && !/core\/store\/(writes|schema)\.ts$/.test(f))
      .flatMap((f) => (/\b(INSERT INTO|UPDATE deliveries|DELETE FROM)\b/.test(readFileSync(f, 'utf8')) ? [relative(SRC, f)] : []));
    expect(offenders).toEqual([]);
  });
});
