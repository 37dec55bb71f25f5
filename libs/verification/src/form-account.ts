const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PREFIX = Buffer.from('account', 'latin1');
const OPEN_BRACKET = 0x5b; // '['
const PERCENT = 0x25; // '%' as in %5B

/** The account fields a form-encoded Kommo/amoCRM body names (every occurrence, decoded). */
export interface FormAccount {
  readonly ids: readonly string[];
  readonly subdomains: readonly string[];
}

/**
 * Reads `account[id]` and `account[subdomain]` from an
 * `application/x-www-form-urlencoded` body (PHP-style keys, any order), decoding
 * only the pairs whose raw key starts with `account[` or `account%5B`: the rest
 * of the body is not touched. Keys may be percent-encoded in either case
 * (`account%5Bid%5D`, `account%5bid%5d`) or literal (`account[id]`); `+` is a
 * space; trailing CR/LF after the last pair is ignored. Returns undefined when such an account pair is not valid
 * percent-encoding / UTF-8 (the caller rejects it as `malformed`).
 */
export function readFormAccount(body: Buffer): FormAccount | undefined {
  const ids: string[] = [];
  const subdomains: string[] = [];
  const length = lengthWithoutTrailingNewlines(body);
  let start = 0;
  while (start < length) {
    let end = body.indexOf(AMPERSAND, start);
    if (end === -1 || end > length) end = length;
    if (isAccountKey(body, start, end)) {
      let separator = body.indexOf(EQUALS, start);
      if (separator === -1 || separator > end) separator = end;
      const key = decodeComponent(body, start, separator);
      const value = separator < end ? decodeComponent(body, separator + 1, end) : '';
      if (key === undefined || value === undefined) return undefined;
      if (key === 'account[id]') ids.push(value);
      else if (key === 'account[subdomain]') subdomains.push(value);
    }
    start = end + 1;
  }
  return { ids, subdomains };
}

function lengthWithoutTrailingNewlines(body: Buffer): number {
  let end = body.length;
  while (end > 0 && (body[end - 1] === 0x0a || body[end - 1] === 0x0d)) end -= 1;
  return end;
}

function isAccountKey(body: Buffer, start: number, end: number): boolean {
  const after = start + PREFIX.length;
  if (after >= end || body.compare(PREFIX, 0, PREFIX.length, start, after) !== 0) return false;
  return body[after] === OPEN_BRACKET || body[after] === PERCENT;
}

function decodeComponent(body: Buffer, start: number, end: number): string | undefined {
  const raw = body.toString('utf8', start, end);
  if (raw.includes('\uFFFD')) return undefined; // raw bytes were not UTF-8
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}
