import { execFileSync } from 'node:child_process';
import { rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './hooks-process.js';

/** A real small file system: a tmpfs of its own, mounted for the test. */
export interface SmallFs {
  dir: string;
  /** Fills it with a file until only `leave` bytes are free (0: full). */
  fill(leave?: number): void;
  /** Removes the filler: the space comes back. */
  free(): void;
  /** Remounts it read-only (or, with false, read-write again). */
  readOnly(on?: boolean): void;
  unmount(): void;
}

/**
 * Mounts a tmpfs of `bytes` on a fresh directory, or returns null where
 * this process cannot mount one (it needs root): the tests that need a full
 * or read-only disk then say they were skipped.
 */
export function mountSmallFs(bytes: number): SmallFs | null {
  if (process.getuid?.() !== 0) return null;
  const dir = tempDir('small-fs');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill(leave = 0) {
      const { bavail, bsize } = statfsSync(dir);
      const free = bavail * bsize;
      writeFileSync(filler, Buffer.alloc(0));
      // In steps: a write that hits ENOSPC still leaves what it wrote.
      let left = Math.max(0, free - leave);
      while (left > 0) {
        const n = Math.min(left, 1024 * 1024);
        try {
          writeFileSync(filler, Buffer.alloc(n), { flag: 'a' });
        } catch {
          break;
        }
        left -= n;
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    readOnly(on = true) {
      execFileSync('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, dir], { stdio: 'ignore' });
    },
    unmount() {
      // Lazy: a process the test failed to stop must not keep the mount (or the temp dir) forever.
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    },
  };
}

export const SKIPPED_NO_MOUNT = 'skipped: mounting a small tmpfs needs root; these checks of a full and a read-only disk did not run';
