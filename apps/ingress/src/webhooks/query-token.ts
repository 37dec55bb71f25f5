import { createHash } from 'node:crypto';

export interface SplitQuery {
  /** The query string without any `token` parameter, as received (no leading `?`). */
  readonly rest: string;
  /** Lowercase hex SHA-256 of the first non-empty `token` value; undefined if none. */
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
 * Splits the URL token off a raw query string. The other parameters are kept
 * byte for byte; the token is percent-decoded (form rules: `+` is a space)
 * and only its digest leaves this function, so it never reaches Kafka or logs.
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

function splitUncached(query: string): SplitQuery {
  if (!query.includes('token')) return { rest: query, tokenSha256: undefined };
  const kept: string[] = [];
  let token: string | undefined;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (name !== 'token') {
      if (pair !== '') kept.push(pair);
      continue;
    }
    if (token === undefined && eq !== -1 && eq < pair.length - 1)
      token = decode(pair.slice(eq + 1));
  }
  return {
    rest: kept.join('&'),
    tokenSha256: token === undefined ? undefined : tokenDigest(token),
  };
}

function decode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // malformed escapes: hash what was sent
  }
}
