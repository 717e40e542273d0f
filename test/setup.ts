import { afterAll } from 'vitest';
import { killAllHooksProcesses } from './helpers/hooks-process.js';

// Every test file leaves no process behind, even when a test fails before its own cleanup.
afterAll(killAllHooksProcesses);
