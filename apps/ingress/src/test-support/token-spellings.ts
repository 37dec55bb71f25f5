/** Random spellings of the URL token parameter, for the query-token fuzz (unit and broker-backed). */

/** A small seeded generator: a failure is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export function percentEncode(ch: string, upper: boolean): string {
  return [...Buffer.from(ch)]
    .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
    .map((hex) => (upper ? hex.toUpperCase() : hex))
    .join('');
}

/** `token` in random case, each letter maybe percent-encoded, maybe `+` around, maybe `[]`. */
export function spellTokenName(next: () => number): string {
  let name = '';
  for (const ch of 'token') {
    const cased = next() < 0.5 ? ch.toUpperCase() : ch;
    name += next() < 0.4 ? percentEncode(cased, next() < 0.5) : cased;
  }
  if (next() < 0.2) name = `+${name}`;
  if (next() < 0.2) name = `${name}+`;
  if (next() < 0.3) name += next() < 0.5 ? '[]' : '%5B%5D';
  return name;
}

/** A value as a form encoder might send it: spaces as `+` or `%20`, other characters maybe escaped. */
export function encodeFormValue(value: string, next: () => number): string {
  return [...value]
    .map((ch) => {
      if (ch === ' ') return next() < 0.5 ? '+' : '%20';
      if (/[A-Za-z0-9]/.test(ch) && next() < 0.7) return ch;
      if (/[A-Za-z0-9\-_.~]/.test(ch)) return next() < 0.5 ? ch : percentEncode(ch, next() < 0.5);
      return percentEncode(ch, next() < 0.5);
    })
    .join('');
}

/** Fixed spellings that once went through as ordinary parameters. */
export const TOKEN_NAME_SPELLINGS = [
  'token',
  'TOKEN',
  'Token',
  '%74oken',
  'to%6Ben',
  '%54%4F%4B%45%4E',
  'token[]',
  'token%5B%5D',
  'token[0]',
  '+token',
  'token+',
  'token%20',
  'token%00',
  '%09token',
] as const;
