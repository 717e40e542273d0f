import type { IncomingMessage } from 'node:http';
import { declaredLength } from './guarded-server.js';
import type { IngressBudget } from './ingress-budget.js';

/** The sender hung up (or was cut off as too slow) before the end of its body: nobody is left to answer. */
export class ClientGone extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('the client closed the connection before sending the whole body');
  }
}

/**
 * A request's whole body as the bytes received, or null as soon as it passes
 * `maxBytes` (the rest is not read). Event listeners rather than an async
 * iterator: this runs for every delivery. With a budget, the part of a large
 * body past `budget.smallBytes` is read no faster than the budget allows.
 */
export function readBody(req: IncomingMessage, maxBytes: number, budget?: IngressBudget): Promise<Buffer | null> {
  if (declaredLength(req) > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
      if (budget && size > budget.smallBytes) {
        const wait = budget.charge(Math.min(chunk.length, size - budget.smallBytes));
        if (wait > 0) {
          req.pause();
          setTimeout(() => req.resume(), wait);
        }
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: NodeJS.ErrnoException) => {
      cleanup();
      // Node reports a sender gone mid-body as an `aborted` ECONNRESET.
      reject(err.code === 'ECONNRESET' ? new ClientGone() : err);
    };
    const onAborted = () => {
      cleanup();
      reject(new ClientGone());
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onClose = () => {
      if (!req.complete) onAborted();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
