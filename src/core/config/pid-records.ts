import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from './paths.js';
import { readJsonFile, writeSecretFile } from './secret-file.js';

/**
 * One 0600 file per running process in a folder of the config dir (a listen
 * session, an inspector): what other local commands read to find and reach
 * it. Records of dead processes (kill -9) are removed when listed.
 */
export class PidRecords<T extends { pid: number }> {
  constructor(private readonly folder: string) {}

  private dir(env: NodeJS.ProcessEnv): string {
    return join(configDir(env), this.folder);
  }

  write(record: T, env: NodeJS.ProcessEnv = process.env): void {
    writeSecretFile(join(this.dir(env), `${record.pid}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }

  forget(pid: number, env: NodeJS.ProcessEnv = process.env): void {
    rmSync(join(this.dir(env), `${pid}.json`), { force: true });
  }

  /** The records whose process is alive; each dead one is handed to `onDead` before it is removed. */
  running(env: NodeJS.ProcessEnv = process.env, onDead?: (record: T) => void): T[] {
    let names: string[];
    try {
      names = readdirSync(this.dir(env)).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const alive: T[] = [];
    for (const name of names) {
      const record = readJsonFile<T>(join(this.dir(env), name));
      if (record && isAlive(record.pid)) alive.push(record);
      else {
        if (record) onDead?.(record);
        rmSync(join(this.dir(env), name), { force: true });
      }
    }
    return alive;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
