/** The middle value (the mean of the two middle ones for an even count). NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The nearest-rank percentile (`p` in 0..100) of the values. NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Lowest and highest: how far the repeats spread. */
export function spread(values: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Runs every variant once per round, in the same order, for `rounds` rounds (A B C A B C ...), so a
 * slow minute of a shared machine touches every variant alike. Answers each variant's samples.
 */
export async function interleave<K extends string, T>(
  variants: readonly K[],
  rounds: number,
  run: (variant: K, round: number) => Promise<T>,
): Promise<Record<K, T[]>> {
  const samples = Object.fromEntries(variants.map((v) => [v, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) samples[variant].push(await run(variant, round));
  }
  return samples;
}
