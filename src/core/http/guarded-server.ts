import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ServerLimits {
  /** The request line and headers must arrive within this; it also closes connections that never send one. */
  headersTimeoutMs: number;
  /** The whole request, body included. */
  requestTimeoutMs: number;
  /** How long a keep-alive connection may sit idle between requests. */
  keepAliveTimeoutMs: number;
  /** Open connections at most: at the cap the oldest idle one is closed for a new one, or the new one is refused. */
  maxConnections: number;
  /** A declared Content-Length over this is refused with 413 before `100 Continue` is sent. */
  maxBodyBytes: number;
}

/** Bounds for every HTTP server of ours: nothing waits forever and no client can hold every descriptor. */
export function defaultLimits(maxBodyBytes: number): ServerLimits {
  return {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    keepAliveTimeoutMs: 30_000,
    maxConnections: connectionCap(),
    maxBodyBytes,
  };
}

/** Half the process's open-file limit (the rest is for outgoing connections and files), between 64 and 4096. */
export function connectionCap(limitsFile = '/proc/self/limits'): number {
  let soft = 1024;
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(limitsFile, 'utf8'));
    if (m) soft = m[1] === 'unlimited' ? 1 << 20 : Number(m[1]);
  } catch {
    // No /proc (macOS, Windows): assume the common default.
  }
  return Math.max(64, Math.min(4096, Math.floor(soft / 2)));
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * An HTTP server with header, request and idle timeouts and a connection
 * cap. Node disables its own header and request timeouts when
 * `requestTimeout` is 0, and never closes a connection that sends nothing,
 * so both are set here; idle connections are the first to go at the cap, so
 * a flood of idle sockets cannot lock real senders out.
 */
export function createGuardedServer(handler: RequestHandler, limits: ServerLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // The timeouts above are checked this often (Node's default is 30 s).
      connectionsCheckingInterval: 1000,
    },
    handler,
  );
  const open = new Map<Socket, { busy: number }>();
  server.on('connection', (socket: Socket) => {
    if (open.size >= limits.maxConnections) {
      for (const [other, state] of open) {
        if (state.busy > 0) continue;
        other.destroy();
        open.delete(other);
        break;
      }
      if (open.size >= limits.maxConnections) {
        socket.destroy();
        return;
      }
    }
    open.set(socket, { busy: 0 });
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = open.get(req.socket);
    if (!state) return;
    state.busy++;
    res.once('close', () => state.busy--);
  });
  // curl sends `Expect: 100-continue` for large bodies: refuse an oversized one before it is sent.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredLength(req) > limits.maxBodyBytes) {
      tooLarge(req, res, limits.maxBodyBytes);
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });
  return server;
}

export function declaredLength(req: IncomingMessage): number {
  const value = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** How much of an oversized body is read and thrown away so that its sender gets the 413. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;

/**
 * 413 with `Connection: close`, written at once. A client that sends its
 * whole body before reading would hang on a connection that stops reading,
 * and closing with unread bytes resets the connection and can destroy the
 * answer on its way: so the rest of the body is read and dropped (64 MB or
 * 10 s at most) before the connection is closed.
 */
export function tooLarge(req: IncomingMessage, res: ServerResponse, maxBytes: number, body?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = body ?? JSON.stringify({ error: { code: 'payload_too_large', message: `the body is over ${maxBytes} bytes` } });
  res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' });
  if (req.complete) {
    res.end(text);
    return;
  }
  res.write(text);
  let drained = 0;
  const finish = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', finish);
    res.end();
  };
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_MS);
  req.on('data', onData);
  req.once('end', finish);
  req.resume();
}
