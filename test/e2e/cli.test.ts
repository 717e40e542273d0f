import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { getProvider } from '../../src/core/providers/registry.js';
import { runCli } from '../helpers/cli.js';
import { typecheck } from '../helpers/typecheck.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every module reachable through static imports from the entry point. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else seen.add(spec);
    }
  };
  visit(join(root, 'dist/cli/main.js'));
  return seen;
}

describe('the hooks program', () => {
  it('prints its version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('lists only implemented commands in --help, with examples', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const commands = [...r.stdout.matchAll(/^ {2}([a-z]+)(?:\|[a-z]+)?(?: \[options\]| <)?/gm)].map((m) => m[1]);
    for (const name of commands) {
      if (name === 'help') continue;
      const sub = await runCli([name!, '--help']);
      expect(sub.code, name).toBe(0);
      expect(sub.stdout, name).toContain('Examples:');
    }
    expect(r.stdout).toContain('Examples:');
  });

  it('gives every subcommand an example in its help', async () => {
    const groups: Record<string, string[]> = {
      subscriptions: ['create', 'list', 'get', 'update', 'enable', 'disable', 'delete', 'rotate-secret', 'test', 'deliveries', 'retry'],
      events: ['list', 'show', 'replay', 'delete', 'prune'],
      providers: ['list', 'show', 'schema'],
      config: ['list', 'get', 'set', 'unset'],
    };
    for (const [group, subs] of Object.entries(groups)) {
      for (const sub of subs) {
        const r = await runCli([group, sub, '--help']);
        expect(r.code, `${group} ${sub}`).toBe(0);
        expect(r.stdout, `${group} ${sub}`).toContain(`$ hooks `);
      }
    }
    // Twenty-two processes one after the other: on a busy 2-core machine that takes its time.
  }, 90_000);

  it('prints the same top-level help from the build snapshot as commander renders', async () => {
    const fast = await runCli(['--help']);
    const rendered = await runCli(['--help'], { env: { HOOKS_RENDER_HELP: '1' } });
    expect(fast.code).toBe(0);
    expect(rendered.code).toBe(0);
    expect(fast.stdout).toBe(rendered.stdout);
    for (const name of ['demo', 'server', 'subscriptions|subs', 'listen', 'trigger', 'events', 'verify', 'providers', 'login', 'config']) expect(fast.stdout).toContain(`  ${name}`);
  });

  it('exits quietly when the reader closes the pipe early', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${join(root, 'bin/hooks.js')}" providers show asgardeo | head -1`], { encoding: 'utf8' });
    expect(r.stderr).not.toContain('EPIPE');
  });

  it('exits 2 on an unknown command and suggests the closest', async () => {
    const r = await runCli(['verfy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('verify');
  });

  it('loads no heavy module before a command runs', () => {
    const graph = staticGraph(join(root, 'dist/cli/main.js'));
    for (const heavy of ['undici', 'better-sqlite3', '@inquirer/prompts', 'cloudflared', 'cli-table3', 'chalk']) {
      expect([...graph].some((m) => m === heavy || m.startsWith(`${heavy}/`)), heavy).toBe(false);
    }
  });
});

describe('hooks providers', () => {
  it('lists all fourteen as JSON, each with where its facts come from', async () => {
    const r = await runCli(['providers', 'list', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.map((p: { id: string }) => p.id)).toEqual(['ithbat', 'intelliauth', 'asgardeo', 'scalekit', 'scalekit-standard', 'lmif', 'standard', 'github', 'stripe', 'clerk', 'workos', 'okta', 'auth0', 'fusionauth']);
    expect(list[0]).toEqual({ id: 'ithbat', name: 'Ithbat IAM', source: 'seed 000', headers: ['X-Ithbat-Signature'], events: expect.arrayContaining(['user.created', 'user.mfa_enabled', 'tenant.updated']), coverage: expect.any(Object) });
    for (const p of list.slice(9)) expect(p.source, p.id).toMatch(/^https:\/\/(clerk\.com|workos\.com|developer\.okta\.com|auth0\.com|fusionauth\.io)\/docs/);
  });

  it('says which Scalekit form is which, and which one Scalekit sends to new endpoints', async () => {
    const seed = await runCli(['providers', 'show', 'scalekit']);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toContain('x-scalekit-signature');
    expect(seed.stdout).toMatch(/scalekit-standard provider[^\n]*\n?[^\n]*what Scalekit sends to the webhook endpoints you add today/);
    const today = JSON.parse((await runCli(['providers', 'show', 'scalekit-standard', '--json'])).stdout);
    expect(today.headers).toEqual(['webhook-signature', 'webhook-id', 'webhook-timestamp']);
    expect(today.notes.join(' ')).toContain('what it sends to the webhook endpoints you add');
    expect(today.sources.map((s: { url?: string }) => s.url)).toContain('https://docs.scalekit.com/apis/');
    expect(today.events.find((e: { type: string }) => e.type === 'user.signup')).toMatchObject({ source: 'https://docs.scalekit.com/apis/#webhook/usersignup', data: 'documented' });
  });

  it('shows the sources, the disagreements and what is not documented', async () => {
    const ia = JSON.parse((await runCli(['providers', 'show', 'intelliauth', '--json'])).stdout);
    expect(ia.delivery_headers).toEqual(['X-IntelliAuth-Event-Id', 'X-IntelliAuth-Event-Type', 'X-IntelliAuth-Delivery-Attempt', 'X-IntelliAuth-Timestamp']);
    expect(ia.sources.map((s: { url?: string }) => s.url)).toContain('https://docs.intelliauth.io/developer/webhooks/event-reference/');
    expect(ia.notes.join(' ')).toContain('concepts page');
    expect(ia.events.find((e: { type: string }) => e.type === 'user.disabled')).toMatchObject({ data: 'unavailable' });
    expect((await runCli(['providers', 'show', 'intelliauth'])).stdout).toMatch(/also sends +X-IntelliAuth-Event-Id, X-IntelliAuth-Event-Type, X-IntelliAuth-Delivery-Attempt, X-IntelliAuth-Timestamp/);
    const human = await runCli(['providers', 'show', 'ithbat']);
    expect(human.stdout).toContain('seed 000');
    expect(human.stdout).toMatch(/user\.created +.*undocumented/);
    expect(human.stdout).toContain('documents no field of data');
  });

  it('shows a table without colour codes when piped', async () => {
    const r = await runCli(['providers', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('x-lmif-signature');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('shows one provider with its retry schedule and success rule', async () => {
    const r = await runCli(['providers', 'show', 'lmif', '--json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.delivery).toMatchObject({ attempts: 7, success: '2xx', timeout_ms: 30_000, retry_delays_ms: [60_000, 300_000, 1_800_000, 7_200_000, 28_800_000, 86_400_000] });
    const human = await runCli(['providers', 'show', 'ithbat']);
    expect(human.stdout).toContain('200 only');
  });

  it("says each platform's coverage: how many types, and where they come from", async () => {
    const list = JSON.parse((await runCli(['providers', 'list', '--json'])).stdout) as Array<{ id: string; events: string[]; coverage: { types: number; sources: Array<{ name: string; url: string; gives: string }> } }>;
    for (const p of list) {
      expect(p.coverage.types, p.id).toBe(p.events.length);
      expect(p.coverage.sources.length, p.id).toBeGreaterThan(0);
    }
    const github = list.find((p) => p.id === 'github')!;
    expect(github.coverage.types).toBe(224);
    expect(github.coverage.sources.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^@octokit\/webhooks-schemas@7\./), expect.stringMatching(/^@octokit\/webhooks-examples@7\./)]));
    expect(list.find((p) => p.id === 'standard')!.coverage.sources[0]!.url).toContain('github.com/standard-webhooks/standard-webhooks');
    // WorkOS: the spec's 111 types and the 25 more the newest SDK declares, each source with its commit or version.
    const workos = list.find((p) => p.id === 'workos')!;
    expect(workos.coverage.types).toBe(136);
    expect(workos.coverage.sources.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^WorkOS OpenAPI specification \(workos\/openapi-spec@[0-9a-f]{7}/), '@workos-inc/node@12.3.0 (KnownEventResponse)']));
    expect(workos.coverage.sources[0]!.url).toMatch(/^https:\/\/github\.com\/workos\/openapi-spec\/blob\/[0-9a-f]{40}\//);
    const table = (await runCli(['providers', 'list'])).stdout;
    expect(table).toContain('EVENTS FROM');
    expect(table).toMatch(/github .*224 .*@octokit\/webhooks-schemas@7/);
    const workosShow = (await runCli(['providers', 'show', 'workos'])).stdout;
    expect(workosShow).toContain('136 types');
    expect(workosShow).toMatch(/from {8}WorkOS OpenAPI specification .*: 111 event types/);
    expect(workosShow).toMatch(/@workos-inc\/node@12\.3\.0 \(KnownEventResponse\): all 136 event types it declares/);
    expect(workosShow).toContain('resource_export.* carry a bare ULID');
    const show = await runCli(['providers', 'show', 'github']);
    expect(show.stdout).toContain('224 types; ping is its test event');
    expect(show.stdout).toContain('hooks providers schema github <type>');
    expect(show.stdout).toMatch(/from {8}@octokit\/webhooks-schemas@7\.\d+\.\d+: the 66 events/);
    const json = JSON.parse((await runCli(['providers', 'show', 'github', '--json'])).stdout);
    expect(json.coverage.types).toBe(224);
    expect(json.events.find((e: { type: string }) => e.type === 'ping')).toMatchObject({ test: true, source: expect.stringContaining('@octokit/webhooks-examples') });
  });

  it('prints the schema of an event type: JSON Schema, TypeScript a compiler accepts for the events hooks sends, or both as --json', async () => {
    const github = getProvider('github');
    const body = JSON.parse(github.catalog.build('issues.opened').body.toString('utf8'));
    const r = await runCli(['providers', 'schema', 'github', 'issues.opened']);
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema).toMatchObject({ $ref: '#/definitions/issues$opened', title: 'GitHub issues.opened' });
    // Self-contained: the definitions it uses, not GitHub's 344.
    expect(Object.keys(schema.definitions)).toEqual(expect.arrayContaining(['issues$opened', 'issue', 'repository', 'user']));
    expect(Object.keys(schema.definitions)).not.toContain('workflow-run');
    const Ajv = createRequire(import.meta.url)('ajv');
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema);
    expect(validate(body)).toBe(true);
    expect(validate({ ...body, issue: undefined, action: 'closed' })).toBe(false);

    const ts = await runCli(['providers', 'schema', 'github', 'issues.opened', '--typescript']);
    expect(ts.code, ts.stderr).toBe(0);
    expect(ts.stdout).toContain('export interface IssuesOpened {');
    const { issue: _, ...noIssue } = body;
    expect(typecheck(ts.stdout, [{ name: 'issues.opened', type: 'IssuesOpened', value: body }])).toEqual([]);
    expect(typecheck(ts.stdout, [{ name: 'issues.opened without issue', type: 'IssuesOpened', value: noIssue }])).toEqual([expect.stringContaining("'issue'")]);

    const both = JSON.parse((await runCli(['providers', 'schema', 'standard', 'user.created', '--typescript', '--json'])).stdout);
    expect(both).toMatchObject({ provider: 'standard', type: 'user.created', description: 'A user is created', schema: { required: ['type', 'timestamp', 'data'] }, typescript: expect.stringContaining('export interface UserCreated') });
    expect(typecheck(both.typescript, [{ name: 'standard user.created', type: 'UserCreated', value: JSON.parse(getProvider('standard').catalog.build('user.created').body.toString('utf8')) }])).toEqual([]);

    const unknown = await runCli(['providers', 'schema', 'github', 'issues.opend']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "issues.opened"');
  }, 90_000);

  it('exits 2 for an unknown provider', async () => {
    const r = await runCli(['providers', 'show', 'keycloak']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('use one of: ithbat');
  });
});

describe('ports out of range are usage errors', () => {
  it.each([
    ['server', '--port', '99999'],
    ['listen', '--port', '70000'],
    ['listen', '--inspect-port', '70000'],
    ['inspect', '--port', '65536'],
  ])('hooks %s %s %s exits 2 and names the range', async (command, flag, value) => {
    const r = await runCli([command, flag, value, ...(command === 'listen' ? ['--forward', '3000', '--tunnel', 'none'] : [])]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${flag} must be a port from`);
    expect(r.stderr).not.toContain('this is a bug');
  });
});

describe('--help shows defaults as a person writes them', () => {
  it('no raw millisecond or byte counts, and no empty lists', async () => {
    const { COMMANDS } = await import('../../src/cli/commands/index.js');
    const helps = await Promise.all(COMMANDS.map((c) => runCli([c.name, '--help'])));
    const offenders = helps.flatMap((h, i) => [...h.stdout.matchAll(/\(default: (\d{5,}|\[\])\)/g)].map((m) => `${COMMANDS[i]!.name}: ${m[0]}`));
    expect(offenders).toEqual([]);
    const listen = helps[COMMANDS.findIndex((c) => c.name === 'listen')]!.stdout;
    expect(listen).toContain('(default: 10mb)');
    expect(helps[COMMANDS.findIndex((c) => c.name === 'trigger')]!.stdout).toContain('(default: 10s)');
  });
});
