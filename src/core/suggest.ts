/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** ` (did you mean "user.created"?)` when a candidate is close enough, else ''. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const best = candidates.map((c) => ({ c, d: distance(input, c) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(input.length / 3)) ? ` (did you mean "${best.c}"?)` : '';
}

/** A long list cut to its first few, saying how many there are: `push, ping, …, issues.opened, … (224 in all)`. */
export function someOf(items: readonly string[], shown = 12): string {
  return items.length <= shown ? items.join(', ') : `${items.slice(0, shown).join(', ')}, … (${items.length} in all)`;
}

/** ` (did you mean "issues.*"?)` for a pattern that names a group of types without the `.*` (GitHub's event names), else a did-you-mean among the types. */
export function didYouMeanType(input: string, types: readonly string[]): string {
  return types.some((t) => t.startsWith(`${input}.`)) ? ` (did you mean "${input}.*"?)` : didYouMean(input, types);
}
