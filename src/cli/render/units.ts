/** `12.3 MB`, `512 KB`, `900 B`. */
export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${trim(n / 1024 ** 3)} GB`;
  if (n >= 1024 ** 2) return `${trim(n / 1024 ** 2)} MB`;
  if (n >= 1024) return `${trim(n / 1024)} KB`;
  return `${n} B`;
}

/** `30 s`, `5 min`, `2 h`, `30 days`. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 2 * 86_400_000) return `${ms / 3_600_000} h`;
  return `${trim(ms / 86_400_000)} days`;
}

function trim(n: number): string {
  return n >= 100 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}
