import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../core/http/body-reader.js';
import { verifyDelivery, type VerificationReport } from '../core/providers/verification.js';

export interface AppDelivery {
  path: string;
  report: VerificationReport;
}

/**
 * The demo's stand-in for the user's app: it checks every signature itself,
 * on the raw bytes, exactly as a correct receiver must, and answers 200 or 401.
 */
export async function startReceiverApp(secret: string, onDelivery: (d: AppDelivery) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const body = (await readBody(req, 10 * 1024 * 1024)) ?? Buffer.alloc(0);
    const report = verifyDelivery({ provider: 'auto', body, headers: req.headers as Record<string, string>, secret });
    onDelivery({ path: req.url ?? '/', report });
    res.writeHead(report.valid ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ received: report.valid }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
