import type { IncomingMessage } from 'node:http';
import { readBody } from './body-reader.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../json-depth.js';
import { ApiError } from './http-error.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request's JSON object: 415 unless it is application/json, 413 over
 * 1 MB, 400 when it does not parse, nests deeper than 64 levels, or is not an
 * object. An empty body is `{}`.
 */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (!body) throw new ApiError(413, 'payload_too_large', `the body is over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  if (body.length === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', `send JSON with Content-Type: application/json (got ${type || 'none'})`);
  }
  const text = body.toString('utf8');
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new ApiError(400, 'too_deep', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError(400, 'invalid_json', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}
