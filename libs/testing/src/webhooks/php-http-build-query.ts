/** A PHP array as http_build_query sees it: nested maps/lists of scalars. */
export type PhpValue = string | number | boolean | null | undefined | PhpValue[] | PhpMap;
export interface PhpMap {
  [key: string]: PhpValue;
}

/**
 * PHP's `urlencode` (RFC 1738 flavour used by http_build_query by default):
 * letters, digits and `-_.` stay, a space becomes `+`, every other byte of
 * the UTF-8 encoding becomes `%XX` with upper-case hex (`~` included).
 */
export function phpUrlencode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const isSafe =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2d ||
      byte === 0x5f ||
      byte === 0x2e;
    if (isSafe) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * `http_build_query($data)` as Kommo's PHP senders produce it: nested keys
 * as `a[b][0][c]` (brackets percent-encoded like everything else), `&`
 * between pairs, booleans as 1/0, null members left out, key order kept.
 */
export function phpHttpBuildQuery(data: PhpMap): string {
  const pairs: string[] = [];
  const walk = (prefix: string, value: PhpValue): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(`${prefix}[${index}]`, item));
    } else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(`${prefix}[${key}]`, item);
    } else {
      const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
      pairs.push(`${phpUrlencode(prefix)}=${phpUrlencode(text)}`);
    }
  };
  for (const [key, value] of Object.entries(data)) walk(key, value);
  return pairs.join('&');
}
