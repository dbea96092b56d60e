/** Levenshtein distance, for "did you mean" hints on unknown keys and names. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The candidates closest to `input` (case-insensitive), best first; at most `limit`. */
export function suggestClosest(input: string, candidates: Iterable<string>, limit = 1): string[] {
  const needle = input.toLowerCase();
  const scored = [...new Set(candidates)]
    .map((c) => {
      const hay = c.toLowerCase();
      const d = distance(needle, hay);
      // Substring matches ("requirement" in "requirements") count as close regardless of length.
      const score = hay.includes(needle) || needle.includes(hay) ? Math.min(d, 2) : d;
      return { c, score };
    })
    .filter(({ c, score }) => score <= Math.max(2, Math.floor(Math.max(c.length, input.length) / 3)))
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c));
  return scored.slice(0, limit).map((s) => s.c);
}

export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const [best] = suggestClosest(input, candidates);
  return best ? `did you mean "${best}"?` : undefined;
}
