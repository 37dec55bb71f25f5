const FACTORS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * A Kubernetes storage quantity (`2Gi`, `500M`, `1.5Ti`, `1e9`) in bytes;
 * undefined for what is not one (including milli-units, meaningless for bytes).
 */
export function quantityBytes(quantity: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(?:([kMGTPE]i?|Ki)|[eE](\d+))?$/.exec(quantity ?? '');
  if (!match) return undefined;
  const [, number = '', suffix = '', exponent] = match;
  const factor = exponent !== undefined ? 10 ** Number(exponent) : FACTORS[suffix];
  return factor === undefined ? undefined : Number(number) * factor;
}
