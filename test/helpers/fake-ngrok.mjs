// Stands in for @ngrok/ngrok (HOOKS_NGROK_MODULE), which cannot reach ngrok
// here: `forward` opens a loopback proxy to `addr` and returns it as the
// listener. FAKE_NGROK_LOG appends each config as a JSON line (the token
// reduced to whether it came); FAKE_NGROK_SILENT works as FAKE_CLOUDFLARED_SILENT.
import { appendFileSync } from 'node:fs';
import { startLoopbackProxy } from './loopback-proxy.mjs';

export async function forward(config) {
  const { authtoken, onStatusChange, ...rest } = config;
  if (process.env.FAKE_NGROK_LOG) appendFileSync(process.env.FAKE_NGROK_LOG, `${JSON.stringify({ ...rest, authtoken: authtoken ?? null, onStatusChange: typeof onStatusChange })}\n`);
  const proxy = await startLoopbackProxy(config.addr, process.env.FAKE_NGROK_SILENT);
  return { url: () => proxy.url, close: () => proxy.close() };
}
