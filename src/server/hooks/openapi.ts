/**
 * The OpenAPI description of the synchronous hook routes (routes/hooks.ts),
 * kept beside them and spread into the API's document; tests check real
 * answers against it.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const ok = (description: string, schema: unknown) => ({ description, content: json(schema) });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: `Error ${c}`, content: json(ref('Error')) }]));
const hookId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Hook registration id' };
const limit = { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 20 } };
// The request bodies are the contract's (core/api/schemas.ts: HookCreate, HookRunRequest, FlowRequest), the schemas the routes validate with.
const flowBody = (schema: 'HookRunRequest' | 'FlowRequest') => ({ required: false, content: json(ref(schema)) });

export const hookSchemas = {
  Hook: {
    type: 'object',
    required: ['id', 'name', 'provider', 'type', 'url', 'fail_open', 'created_at'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      provider: { type: 'string' },
      type: { type: 'string' },
      url: { type: 'string' },
      fail_open: { type: 'boolean' },
      created_at: { type: 'string', format: 'date-time' },
      secret: { type: ['string', 'null'], description: 'Only in the answer that created it' },
    },
  },
  HookList: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('Hook') } } },
  HookType: {
    type: 'object',
    required: ['provider', 'type', 'name', 'flow', 'deadline_ms', 'fails', 'on_failure', 'needs_secret', 'secret_format'],
    properties: {
      provider: { type: 'string' },
      type: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      flow: { enum: ['sign-in', 'registration', 'credential', 'message', 'decision', 'import'] },
      deadline_ms: { type: 'integer' },
      fails: { enum: ['open', 'closed'] },
      on_failure: { type: 'string' },
      configurable: { type: ['string', 'null'] },
      needs_secret: { type: 'boolean' },
      secret_format: { type: 'string' },
    },
  },
  HookTypeList: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('HookType') } } },
  HookRun: {
    type: 'object',
    required: ['id', 'hook_id', 'provider', 'type', 'flow', 'proceeds', 'path', 'summary', 'reason', 'result', 'violations', 'request', 'attempts', 'contract'],
    properties: {
      id: { type: 'string' },
      hook_id: { type: 'string' },
      provider: { type: 'string' },
      type: { type: 'string' },
      name: { type: 'string' },
      url: { type: 'string' },
      flow: { type: 'string' },
      email: { type: ['string', 'null'] },
      started_at: { type: 'string', format: 'date-time' },
      signed_in: { type: 'boolean', description: 'Sign-in flows: whether the user gets a token' },
      token: { description: "Sign-in flows: the token the platform issues after the hook, in its own shape (Okta's SAML hook: {saml_assertion}); null when none" },
      registered: { type: 'boolean', description: 'Registration flows' },
      proceeds: { type: 'boolean' },
      path: { enum: ['answer', 'open', 'closed'], description: "answer: the platform acted on the answer; open/closed: the failure path it took" },
      summary: { type: 'string' },
      reason: { type: ['string', 'null'] },
      result: { type: 'object' },
      violations: { type: 'array', items: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
      request: { type: 'object', required: ['headers', 'payload'], properties: { headers: { type: 'object' }, payload: {} } },
      attempts: { type: 'array', items: { type: 'object' } },
      contract: { type: 'object' },
    },
  },
  HookRunList: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('HookRun') } } },
};

export const hookPaths = {
  '/hook-types': { get: { operationId: 'listHookTypes', responses: { '200': ok('Every synchronous hook type and its contract in brief', ref('HookTypeList')), ...errors(401) } } },
  '/hooks': {
    post: { operationId: 'createHook', requestBody: { required: true, content: json(ref('HookCreate')) }, responses: { '201': ok('Registered; the only answer that carries the secret', ref('Hook')), ...errors(400, 401, 413, 415, 422) } },
    get: { operationId: 'listHooks', responses: { '200': ok('Newest first', ref('HookList')), ...errors(401) } },
  },
  '/hooks/{id}': {
    parameters: [hookId],
    get: { operationId: 'getHook', responses: { '200': ok('The registration', ref('Hook')), ...errors(401, 404) } },
    delete: { operationId: 'deleteHook', responses: { '204': { description: 'Removed' }, ...errors(401, 404) } },
  },
  '/hooks/{id}/run': {
    parameters: [hookId],
    post: { operationId: 'runHook', requestBody: flowBody('HookRunRequest'), responses: { '200': ok("One call of the hook in its flow, and what the platform does with the answer", ref('HookRun')), ...errors(400, 401, 404, 415) } },
  },
  '/hooks/{id}/runs': { parameters: [hookId, limit], get: { operationId: 'listHookRuns', responses: { '200': ok('Newest first', ref('HookRunList')), ...errors(401, 404) } } },
  '/flows': { get: { operationId: 'listFlows', parameters: [limit], responses: { '200': ok('Every hook run, newest first', ref('HookRunList')), ...errors(401) } } },
  '/flows/sign-in': {
    post: { operationId: 'signIn', description: 'Sign in as this user: the newest registered sign-in hook (of provider, when given) runs', requestBody: flowBody('FlowRequest'), responses: { '200': ok('signed_in, and the token the platform issues after the hook', ref('HookRun')), ...errors(400, 401, 409, 415) } },
  },
  '/flows/register': {
    post: { operationId: 'register', description: 'Register this user: the newest registered registration hook (of provider, when given) runs', requestBody: flowBody('FlowRequest'), responses: { '200': ok('registered, and the reason when denied', ref('HookRun')), ...errors(400, 401, 409, 415) } },
  },
};
