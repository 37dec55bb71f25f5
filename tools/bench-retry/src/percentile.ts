/** The p-th percentile (0..100) of `values` by nearest rank; NaN when empty. Sorts in place. */
export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort();
  const rank = Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1));
  return values[rank] ?? Number.NaN;
}
