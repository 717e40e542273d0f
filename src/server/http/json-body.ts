import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request's JSON object: 415 unless it is application/json, 413 over
 * 1 MB, 400 when it does not parse or is not an object. An empty body is `{}`.
 */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  if (size === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', `send JSON with Content-Type: application/json (got ${type || 'none'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError(400, 'invalid_json', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `the body is over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
}
