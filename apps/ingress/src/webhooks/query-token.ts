import { createHash } from 'node:crypto';

export interface SplitQuery {
  /**
   * The query string without any parameter that could be the token (any
   * case, percent-encoding or array suffix: see mayHoldToken), the others
   * byte for byte as received (no leading `?`).
   */
  readonly rest: string;
  /**
   * Lowercase hex SHA-256 of the first non-empty value whose decoded name is
   * `token` (case-insensitive, trimmed, `token[]` too); undefined if none.
   */
  readonly tokenSha256: string | undefined;
}

const NONE: SplitQuery = { rest: '', tokenSha256: undefined };

/**
 * Digests of recently seen tokens. A connection has one or two tokens, so
 * nearly every request hits; the bound keeps a flood of random tokens from
 * growing memory (the map is simply cleared when full).
 */
const DIGEST_CACHE_LIMIT = 1_024;
const digests = new Map<string, string>();

function tokenDigest(token: string): string {
  let digest = digests.get(token);
  if (digest === undefined) {
    if (digests.size >= DIGEST_CACHE_LIMIT) digests.clear();
    digest = createHash('sha256').update(token, 'utf8').digest('hex');
    digests.set(token, digest);
  }
  return digest;
}

/** Splits of recently seen query strings, bounded like the digests. */
const SPLIT_CACHE_LIMIT = 1_024;
const splits = new Map<string, SplitQuery>();

/**
 * Splits the URL token off a raw query string. Names are percent-decoded by
 * form rules (`+` is a space) and matched case-insensitively; the token value
 * is decoded the same way and only its digest leaves this function, so it
 * never reaches Kafka or logs under any spelling.
 */
export function splitQueryToken(query: string): SplitQuery {
  if (query === '') return NONE;
  // A CRM calls the same configured URL every time: the split is usually a lookup.
  let split = splits.get(query);
  if (split === undefined) {
    if (splits.size >= SPLIT_CACHE_LIMIT) splits.clear();
    split = splitUncached(query);
    splits.set(query, split);
  }
  return split;
}

/** Cheap pre-test: no spelling of `token` gets past both (an encoded letter needs a `%`). */
const MAYBE_TOKEN = /token|%/i;
/** Trailing PHP array suffixes: `token[]`, `token[0]`, `token[a][]`. */
const ARRAY_SUFFIX = /(\[[^\]]*\])+$/;
/** How often a name is decoded for the removal test (`%2574oken` is `%74oken` once decoded). */
const NAME_DECODE_ROUNDS = 3;

function splitUncached(query: string): SplitQuery {
  if (!MAYBE_TOKEN.test(query)) return { rest: query, tokenSha256: undefined };
  const kept: string[] = [];
  let token: string | undefined;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    if (!mayHoldToken(rawName, rawValue)) {
      kept.push(pair);
      continue;
    }
    // Removed either way; only a name PHP reads as `token` authenticates.
    if (token === undefined && rawValue !== '' && isTokenName(lenientDecode(rawName)))
      token = decode(rawValue);
  }
  return {
    rest: kept.join('&'),
    tokenSha256: token === undefined ? undefined : tokenDigest(token),
  };
}

/**
 * When in doubt, a parameter is treated as a token and kept out of Kafka: a
 * name containing `token` in any case or encoding, ignoring every character
 * but letters and digits (`to ken`, `_token`, `token[]`, `%74oken`), or a
 * value containing `token` (`a=1;token=…`, `x=?token=…`).
 */
function mayHoldToken(rawName: string, rawValue: string): boolean {
  let name = rawName;
  for (let round = 0; round < NAME_DECODE_ROUNDS; round += 1) {
    const decoded = lenientDecode(name);
    if (squeeze(decoded).includes('token')) return true;
    if (decoded === name) break;
    name = decoded;
  }
  return rawValue !== '' && lenientDecode(rawValue).toLowerCase().includes('token');
}

/** The name as PHP's form decoding would match it: trimmed (spaces, controls), any case, array suffix off. */
function isTokenName(decodedName: string): boolean {
  // eslint-disable-next-line no-control-regex
  const trimmed = decodedName.replace(/^[\s\x00-\x1f]+|[\s\x00-\x1f]+$/g, '').toLowerCase();
  return trimmed.replace(ARRAY_SUFFIX, '').trim() === 'token';
}

function squeeze(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function decode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // malformed escapes: hash what was sent
  }
}

/** Form decoding that never fails: escapes that are not valid UTF-8 decode byte by byte. */
function lenientDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
  }
}
