import { startHooksProcess, tempDir, type EventLine, type HooksProcess } from './hooks-process.js';

export interface HooksListen extends HooksProcess {
  /** The listen.ready event. */
  ready: EventLine;
  localUrl: string;
  publicUrl: string;
  dataDir: string;
  /** As the ready event shows it: masked. */
  maskedSecret: string | null;
  subscriptionId: string | null;
}

/** Starts `hooks listen … --json` as a real process and waits for its "ready" line. */
export async function startListen(args: string[], env: Record<string, string | undefined>, dataDir = tempDir('listen')): Promise<HooksListen> {
  // Tests that are not about the inspector do not start one (each would take a port from 4040 up).
  const inspect = args.some((a) => a.startsWith('--inspect')) ? [] : ['--no-inspect'];
  const p = await startHooksProcess(['listen', '--json', '--data-dir', dataDir, ...inspect, ...args], env, 'listen.ready');
  return { ...p, localUrl: p.ready.local_url, publicUrl: p.ready.public_url, maskedSecret: p.ready.secret, subscriptionId: p.ready.subscription_id, dataDir };
}
