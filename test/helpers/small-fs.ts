import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './hooks-process.js';

export interface SmallFilesystem {
  dir: string;
  /** Writes a filler file until the file system is full, to the last byte. */
  fill(): void;
  /** Removes the filler: space comes back. */
  free(): void;
  /** Remounts it read-only (or read-write again). */
  readOnly(on: boolean): void;
  unmount(): void;
}

/**
 * A real, small file system: a tmpfs of `sizeKb` mounted on a temporary
 * directory. Mounting needs root with CAP_SYS_ADMIN (a VM, or a privileged
 * container); elsewhere this returns the reason instead, and the tests that
 * need it say they were skipped and why.
 */
export function smallFilesystem(sizeKb: number): SmallFilesystem | { unavailable: string } {
  const dir = tempDir('smallfs');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) return { unavailable: `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || '').trim()}): run the tests as root in a VM or a privileged container` };
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      try {
        for (const size of [1 << 20, 1 << 16, 4096, 1]) {
          const chunk = Buffer.alloc(size, 1);
          try {
            for (;;) writeSync(fd, chunk);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    readOnly(on) {
      const r = spawnSync('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, dir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`remount failed: ${r.stderr}`);
    },
    unmount() {
      spawnSync('umount', ['-l', dir]);
    },
  };
}
