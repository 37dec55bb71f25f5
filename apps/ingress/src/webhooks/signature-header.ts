/**
 * One value of a signature header. A sender (or a proxy) that repeats the
 * header makes Node join the copies as `"abc, abc"` (or an array): when every
 * copy is the same, that one value is the signature. Copies that differ are
 * kept as received, so the verifier sees them and rejects.
 */
export function signatureValue(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const joined = Array.isArray(value) ? value.join(', ') : value;
  // Hex and base64 never contain a comma: a single value is the common case.
  if (!joined.includes(',')) return joined;
  const parts = joined.split(',');
  const first = parts[0]?.trim() ?? '';
  if (first === '') return joined;
  for (let i = 1; i < parts.length; i += 1) if (parts[i]?.trim() !== first) return joined;
  return first;
}
