import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './http-error.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Handler = (ctx: RouteContext) => Promise<void> | void;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  auth: boolean;
}

/** Method + path templates such as `/webhooks/subscriptions/{id}`; nothing more is needed here. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler, opts: { auth?: boolean } = {}): this {
    const names: string[] = [];
    const source = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, template, pattern: new RegExp(`^${source}$`), names, handler, auth: opts.auth ?? true });
    return this;
  }

  /** The route for this method and path; `allowed` lists methods when only the path matched (405). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      for (const [i, name] of route.names.entries()) {
        try {
          params[name] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new ApiError(400, 'invalid_path', `the ${name} in the path is not valid percent-encoding`);
        }
      }
      return { route, params };
    }
    return allowed.length > 0 ? { allowed } : null;
  }

  list(): Array<{ method: string; template: string }> {
    return this.routes.map(({ method, template }) => ({ method, template }));
  }
}
