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
  /** A body may take this long before the floor rate applies to it. */
  bodyGraceMs: number;
  /** Past the grace, a body must keep arriving at this average rate or its connection is closed. */
  minBodyBytesPerSecond: number;
}

/** Bounds for every HTTP server of ours: nothing waits forever and no client can hold every descriptor. */
export function defaultLimits(maxBodyBytes: number): ServerLimits {
  return {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    keepAliveTimeoutMs: 30_000,
    maxConnections: connectionCap(),
    maxBodyBytes,
    bodyGraceMs: 10_000,
    minBodyBytesPerSecond: 1024,
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

/** A sender this new may not have sent its request yet: at the cap, trickling bodies go before it. */
const FRESH_MS = 250;

/** What the server knows of one open connection. */
interface Connection {
  openedAt: number;
  /** The request being answered on it (null between requests), and its answer. */
  request: IncomingMessage | null;
  response: ServerResponse | null;
  requestAt: number;
  /** `socket.bytesRead` when the request's headers were parsed: what came after is body. */
  bytesAtRequest: number;
}

/**
 * An HTTP server with header, request, idle and body-rate limits and a
 * connection cap. Node disables its own header and request timeouts when
 * `requestTimeout` is 0, and never closes a connection that sends nothing,
 * so both are set here. A body slower than the floor rate is cut off (the
 * rule of Apache's mod_reqtimeout `body=…,MinRate=…`: after the grace, a
 * body has one more second per `minBodyBytesPerSecond` bytes received).
 * At the cap, a new sender takes the place of an idle connection, else of
 * the request furthest from done at its rate so far: a flood of idle or
 * trickling sockets cannot lock real senders out.
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
  const open = new Map<Socket, Connection>();
  const arriving = (socket: Socket, c: Connection): boolean => c.request !== null && !c.request.complete && !socket.destroyed;
  /** How long the body still being received would take at its rate so far (Infinity when nothing came yet). */
  const timeLeft = (socket: Socket, c: Connection, now: number): number => {
    const got = socket.bytesRead - c.bytesAtRequest;
    const rate = got / Math.max(1, now - c.requestAt);
    const declared = declaredLength(c.request!);
    return rate === 0 ? Infinity : Math.max(1, declared - got) / rate;
  };
  /**
   * The connection a new sender should replace: the oldest idle one past
   * its first moments, else the request furthest from done (at equal odds,
   * the oldest), else the oldest idle one. None when every connection is
   * doing work.
   */
  const victim = (now: number): Socket | null => {
    let furthest: Socket | null = null;
    let furthestLeft = -1;
    let youngIdle: Socket | null = null;
    for (const [socket, c] of open) {
      if (c.request === null) {
        if (now - c.openedAt >= FRESH_MS) return socket;
        youngIdle ??= socket;
        continue;
      }
      if (!arriving(socket, c)) continue;
      const left = timeLeft(socket, c, now);
      if (left > furthestLeft) [furthest, furthestLeft] = [socket, left];
    }
    return furthest ?? youngIdle;
  };
  server.on('connection', (socket: Socket) => {
    const now = Date.now();
    if (open.size >= limits.maxConnections) {
      const other = victim(now);
      if (!other) {
        socket.destroy();
        return;
      }
      other.destroy();
      open.delete(other);
    }
    open.set(socket, { openedAt: now, request: null, response: null, requestAt: 0, bytesAtRequest: 0 });
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const c = open.get(req.socket);
    if (!c) return;
    Object.assign(c, { request: req, response: res, requestAt: Date.now(), bytesAtRequest: req.socket.bytesRead });
    res.once('close', () => {
      if (c.request !== req) return;
      c.request = null;
      c.response = null;
    });
  });
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [socket, c] of open) {
      if (!arriving(socket, c)) continue;
      const elapsed = now - c.requestAt;
      const allowed = limits.bodyGraceMs + ((socket.bytesRead - c.bytesAtRequest) / limits.minBodyBytesPerSecond) * 1000;
      if (elapsed > allowed) tooSlow(socket, c.response!);
    }
  }, Math.min(1000, Math.max(50, limits.bodyGraceMs / 4)));
  sweep.unref();
  server.once('close', () => clearInterval(sweep));
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

/** A body under the floor rate: 408, as nginx answers a `client_body_timeout`, and the connection closed. */
function tooSlow(socket: Socket, res: ServerResponse): void {
  if (!res.headersSent) {
    const text = '{"error":{"code":"body_too_slow","message":"the body arrived slower than the floor rate; send it again"}}';
    res.writeHead(408, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' }).end(text);
  }
  socket.destroySoon();
  setTimeout(() => socket.destroy(), 1000).unref();
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
