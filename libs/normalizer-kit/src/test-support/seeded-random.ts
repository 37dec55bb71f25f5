/** A fixed linear congruential sequence in [0, 1): specs generate the same inputs every run. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}
