export interface Outcome {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  error: string | null;
}

export interface LoadSummary {
  sent: number;
  succeeded: number;
  failed: number;
  /** Failures by answer: "500": 3, "error": 1 (no answer). */
  by_status: Record<string, number>;
  errors: Record<string, number>;
  duration_s: number;
  throughput_per_s: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number };
}

export interface LoadOptions {
  count: number;
  concurrency: number;
  /** Sends per second at most; unlimited when absent. */
  rate?: number;
  send: (index: number) => Promise<Outcome>;
  onProgress?: (done: number, total: number) => void;
}

/** Runs `count` sends with `concurrency` workers (paced to `rate`) and summarizes them. */
export async function runLoad(opts: LoadOptions): Promise<LoadSummary> {
  const latencies = new Float64Array(opts.count);
  const byStatus: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let next = 0;
  let done = 0;
  let succeeded = 0;
  const started = performance.now();
  const interval = opts.rate ? 1000 / opts.rate : 0;

  const worker = async () => {
    while (next < opts.count) {
      const i = next++;
      if (interval) {
        const due = started + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const o = await opts.send(i);
      latencies[i] = o.latencyMs;
      if (o.ok) succeeded++;
      else {
        const key = o.status === null ? 'error' : String(o.status);
        byStatus[key] = (byStatus[key] ?? 0) + 1;
        if (o.error && o.status === null) errors[o.error] = (errors[o.error] ?? 0) + 1;
      }
      done++;
      opts.onProgress?.(done, opts.count);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.count)) }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const pct = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
  return {
    sent: opts.count,
    succeeded,
    failed: opts.count - succeeded,
    by_status: byStatus,
    errors,
    duration_s: round(seconds),
    throughput_per_s: round(opts.count / seconds),
    latency_ms: { p50: pct(50), p90: pct(90), p99: pct(99), max: round(sorted[sorted.length - 1] ?? 0) },
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
