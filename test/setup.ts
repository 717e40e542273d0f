import { afterAll } from 'vitest';
import { killAllHooksProcesses, removeTempDirs } from './helpers/hooks-process.js';

// Every test file leaves no process and no temporary directory behind, even when a test fails before its own cleanup.
afterAll(async () => {
  await killAllHooksProcesses();
  removeTempDirs();
});
