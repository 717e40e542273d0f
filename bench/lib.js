// Shared by the bench scripts: child processes that print their URL, and autocannon runs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Starts `node script args` (under `ulimit -n maxFiles` when given) and resolves with the first line matching `pattern`. */
export function startChild(args, { pattern = /^http/, env = {}, json = false, readyType = 'server.ready', maxFiles } = {}) {
  return new Promise((resolve, reject) => {
    // With maxFiles, the child runs under `ulimit -n maxFiles`, as on a machine with the common default.
    const [cmd, argv] = maxFiles ? ['bash', ['-c', `ulimit -n ${maxFiles} && exec "$0" "$@"`, process.execPath, ...args]] : [process.execPath, args];
    const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let buf = '';
    child.stdout.on('data', (c) => {
      buf += c;
      for (const line of buf.split('\n')) {
        const value = json ? safeJson(line) : line;
        if (json ? value?.type === readyType : pattern.test(line)) {
          child.stdout.removeAllListeners('data');
          child.stdout.resume();
          resolve({ child, line: value });
          return;
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

function safeJson(line) {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

export function stop(child) {
  children.delete(child);
  child.kill('SIGKILL');
}

export function cannon(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** Whether a program is on PATH (wrk, nginx). */
export function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

const UNITS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
const toMs = (text) => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]] : NaN;
};

/**
 * wrk (one thread, `connections` connections) POSTing `body` with `headers`:
 * req/s and latency percentiles in ms, with wrk's microsecond resolution
 * (autocannon's is a whole millisecond, too coarse for c=1).
 */
export function wrk(url, { connections, seconds, body, headers }) {
  const dir = mkdtempSync(join(tmpdir(), 'hooks-bench-wrk-'));
  const script = join(dir, 'post.lua');
  const lines = [`wrk.method = "POST"`, `wrk.body = ${JSON.stringify(body)}`, ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)];
  writeFileSync(script, `${lines.join('\n')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${out}`));
      const pct = (p) => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
      resolve({
        rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
        p50: pct(50),
        p99: pct(99),
        bad: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0),
      });
    });
  });
}

/** nginx as a keep-alive reverse proxy to `target`, in its own temp dir: the practical limit of one extra hop. */
export async function startNginx(target) {
  const dir = mkdtempSync(join(tmpdir(), 'hooks-bench-nginx-'));
  const port = await freePort();
  const to = new URL(target);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream app { server ${to.host}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { method: 'POST', body: '{}' });
      return { url, stop: () => (stop(child), rmSync(dir, { recursive: true, force: true })) };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nginx did not start; see ${dir}/error.log`);
}

export async function freePort() {
  const server = createNetServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Samples a process's resident memory (MB) every 250 ms; `done()` stops and returns the peak. */
export function sampleRss(pid) {
  let peak = 0;
  const read = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // The process is gone: the peak so far stands.
    }
  };
  read();
  const timer = setInterval(read, 250);
  return () => {
    clearInterval(timer);
    read();
    return peak;
  };
}
