import type { ServerResponse } from 'node:http';
import type { ApiError } from './http-error.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
  res.end(bytes);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.status, err.toJSON());
}
