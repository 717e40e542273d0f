import { apiSchemas, type ApiSchemas } from '../core/api/schemas.js';
import { CHECK_IDS } from '../core/audit/report.js';
import { PROVIDER_IDS } from '../core/providers/registry.js';

let built: ApiSchemas | null = null;

/** The API's schemas for the providers and audit checks of this build, made once. */
export function contract(): ApiSchemas {
  built ??= apiSchemas({ providers: PROVIDER_IDS as [string, ...string[]], checks: CHECK_IDS as unknown as [string, ...string[]] });
  return built;
}
