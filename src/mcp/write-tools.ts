import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ApiClient } from '../core/api/client.js';
import { resolveConnection } from '../core/api/connection.js';
import { auditReceiver } from '../core/audit/audit-receiver.js';
import { CHECK_IDS } from '../core/audit/report.js';
import { storedListenSecret } from '../core/config/listen-secrets.js';
import { UsageError } from '../core/errors.js';
import { parseTarget } from '../core/http/target.js';
import { PROVIDER_IDS } from '../core/providers/registry.js';
import { Forwarder } from '../core/relay/forwarder.js';
import { replay } from '../core/replay/replayer.js';
import { trigger } from '../core/trigger/trigger.js';
import type { McpContext } from './context.js';
import { guarded } from './read-tools.js';
import { answer } from './shape.js';

const provider = z.enum(PROVIDER_IDS as [string, ...string[]]);

/** The tools that send or change something: registered only with `hooks mcp --allow-write`. */
export function registerWriteTools(server: McpServer, ctx: McpContext): void {
  const reply = (summary: string, facts: Record<string, unknown>, extra: Array<string | undefined> = []) => answer(summary, facts, ctx.secrets(extra));

  server.registerTool(
    'trigger_event',
    {
      description: 'Sends a realistic, correctly signed event: through the API to every matching subscription (a running hooks listen session included), or straight to a URL with `to` and `secret`',
      inputSchema: {
        type: z.string().min(1).max(200).describe('event type, e.g. user.created (list_event_types)'),
        provider: provider.optional(),
        data: z.record(z.unknown()).optional().describe("replaces the fixture's data object"),
        to: z.string().optional().describe('skip the API: sign here and POST to this receiver (3000/webhooks, http://…)'),
        secret: z.string().optional().describe('with `to`: the secret to sign with (never echoed back)'),
      },
    },
    guarded(
      ctx,
      async (args) => {
        const result = await trigger({
          type: args.type,
          provider: args.provider,
          data: args.data === undefined ? undefined : JSON.stringify(args.data),
          set: [],
          to: args.to === undefined ? undefined : parseTarget(args.to, 'to'),
          secret: args.secret,
          timeoutMs: 10_000,
          connection: ctx.connection,
          waitMs: 10_000,
        });
        if (result.mode === 'direct') {
          const r = result.result;
          return reply(`${result.provider} ${result.type} ${r.eventId} → ${result.url.href}: ${r.status ?? r.error}`, { mode: 'direct', event_id: r.eventId, status: r.status, ok: r.ok, latency_ms: r.latencyMs, error: r.error, target: result.url.href }, [args.secret]);
        }
        if (result.mode === 'api') {
          const deliveries = (result.event.deliveries ?? []).map((d) => ({ id: d.id, subscription_id: d.subscription_id, provider: d.provider, status: d.status, status_code: d.attempts[0]?.status_code ?? null, error: d.attempts[0]?.error ?? null }));
          const none = deliveries.length === 0 ? ': no subscription matched (create_subscription, or run hooks listen)' : '';
          return reply(`${result.event.type} ${result.event.id} → ${deliveries.length} deliver${deliveries.length === 1 ? 'y' : 'ies'}${none}${deliveries.map((d) => `\n  ${d.subscription_id} ${d.provider} ${d.status_code ?? d.status}`).join('')}`, { mode: 'api', event_id: result.event.id, type: result.event.type, deliveries });
        }
        throw new UsageError('trigger_event sends one event', 'call it again for more');
      },
      (args) => [args.secret],
    ),
  );

  server.registerTool(
    'replay_delivery',
    {
      description: "Sends a stored delivery again: as it was, or with an edited body re-signed with the session's secret; to its original target or another",
      inputSchema: {
        id: z.string().min(1),
        to: z.string().optional().describe('another target (3000/webhooks, http://…); default: where it was forwarded'),
        body: z.string().optional().describe('an edited body (text): re-signed before it is sent'),
        resign: z.boolean().default(false).describe('sign the stored body again with a fresh timestamp'),
      },
    },
    guarded(ctx, async (args) => {
      const store = await ctx.store();
      const d = store.get(args.id);
      if (!d) throw new UsageError(`no stored delivery ${args.id}`, 'list_deliveries gives the ids');
      const targets = args.to !== undefined ? [parseTarget(args.to, 'to')] : d.targets.map((t) => new URL(t));
      if (targets.length === 0) throw new UsageError(`${d.id} was never forwarded anywhere`, 'give `to`');
      const body = args.body === undefined ? undefined : Buffer.from(args.body, 'utf8');
      const needsSecret = args.resign || body !== undefined;
      // The session's own secret signs it; it is read here and never returned.
      const secret = needsSecret && d.provider ? (storedListenSecret(d.provider) ?? undefined) : undefined;
      if (needsSecret && !secret) throw new UsageError(`no session secret is known for ${d.provider ?? 'this delivery'}`, 'replay it as it was (no body, resign false)');
      const forwarder = new Forwarder({ timeoutMs: 10_000, insecure: false, maxConcurrency: 4 });
      try {
        const results = await replay(store, forwarder, d, { targets, resignWith: secret, body });
        return reply(results.map((r) => `${r.ok ? 'replayed' : 'failed'}: ${r.target} ${r.status ?? r.error}${r.stale ? ` (${r.stale})` : ''}`).join('\n'), { results });
      } finally {
        await forwarder.close();
      }
    }),
  );

  server.registerTool(
    'create_subscription',
    {
      description: 'Creates a subscription on the API (its signing secret is not returned: the API shows it once, to a person)',
      inputSchema: { name: z.string().min(1).max(200), url: z.string().min(1).max(2048), events: z.array(z.string().min(1)).min(1).default(['*']), provider: provider.optional() },
    },
    guarded(ctx, async (args) => {
      const client = new ApiClient(resolveConnection(ctx.connection));
      try {
        const { signing_secret: _secret, ...sub } = await client.createSubscription({ name: args.name, url: args.url, events: args.events, ...(args.provider ? { provider: args.provider } : {}), active: true });
        return reply(`created ${sub.id} (${sub.provider}) → ${sub.url}, ${sub.active ? 'active' : `inactive: ${sub.verification?.error ?? 'not verified'}`}`, { subscription: sub }, [_secret]);
      } finally {
        await client.close();
      }
    }),
  );

  server.registerTool(
    'delete_subscription',
    { description: 'Deletes a subscription on the API', inputSchema: { id: z.string().min(1) } },
    guarded(ctx, async ({ id }) => {
      const client = new ApiClient(resolveConnection(ctx.connection));
      try {
        await client.deleteSubscription(id);
        return reply(`deleted ${id}`, { deleted: id });
      } finally {
        await client.close();
      }
    }),
  );

  server.registerTool(
    'audit_receiver',
    {
      description: "What hooks audit does: grades a receiver against its platform's rules with real signed deliveries (raw body, forged, stale, duplicate, handshake, timing). Give a subscription id, or a url with provider and secret.",
      inputSchema: {
        subscription: z.string().optional().describe("a subscription on the API: the API runs it with the secret it holds"),
        url: z.string().optional(),
        provider: provider.optional(),
        secret: z.string().optional().describe('never echoed back'),
        only: z.array(z.enum(CHECK_IDS)).optional(),
        timeout_seconds: z.number().min(0.1).max(60).default(10),
      },
    },
    guarded(
      ctx,
      async (args) => {
        const { report, exitCode } = await auditReceiver({
          url: args.url === undefined ? undefined : parseTarget(args.url, 'url'),
          provider: args.provider,
          secret: args.secret,
          subscription: args.subscription,
          only: args.only,
          strict: false,
          timeoutMs: Math.round(args.timeout_seconds * 1000),
          connection: ctx.connection,
        });
        const failed = report.checks.filter((c) => c.status === 'fail' || c.status === 'warn');
        return reply(
          `${report.passed} passed, ${report.failed} failed, ${report.warned} warned${failed.map((c) => `\n${c.status} ${c.id}: ${c.detail}${c.hint ? `\n  fix: ${c.hint}` : ''}`).join('')}`,
          { ...report, ok: exitCode === 0 },
          [args.secret],
        );
      },
      (args) => [args.secret],
    ),
  );
}
