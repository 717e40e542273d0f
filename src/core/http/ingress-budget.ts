/**
 * A shared byte budget for large request bodies (a token bucket): reading
 * them costs CPU per byte (copying, HMAC, SHA-256), and senders on a fast
 * link can push bytes faster than one core handles them. Past the burst,
 * large bodies are read at `bytesPerSecond` in all, so small deliveries keep
 * the rest of the event loop whatever the large ones are. Small bodies are
 * never charged.
 */
export class IngressBudget {
  private tokens: number;
  private last = performance.now();

  constructor(
    readonly bytesPerSecond: number,
    private readonly burstBytes: number,
    /** Bodies up to this size are never throttled. */
    readonly smallBytes: number,
  ) {
    this.tokens = burstBytes;
  }

  /** Takes `bytes` from the budget; returns how long (ms) to wait before reading more. */
  charge(bytes: number): number {
    const now = performance.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond);
    this.last = now;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.bytesPerSecond) * 1000;
  }
}
