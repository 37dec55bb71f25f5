import type { Source } from '@crm/contracts';

/**
 * Which Content-Type each source may send. Kommo/amoCRM always send form
 * bodies, but some proxies and old deliveries drop or garble the header; since
 * the body is stored as bytes and verified by URL token, a missing header or
 * text/plain is accepted too (lenient where CRMs are sloppy). JSON sources
 * are signed JSON: a declared type must be application/json (any case, any
 * parameters such as charset), so a form or multipart body never reaches a
 * JSON parser downstream (strict where it protects us); a request without the
 * header is verified and decoded as JSON, because neither sender retries a 415.
 */
const ALLOWED: Record<Source, { types: readonly string[]; missing: boolean }> = {
  kommo: { types: ['application/x-www-form-urlencoded', 'text/plain'], missing: true },
  amocrm: { types: ['application/x-www-form-urlencoded', 'text/plain'], missing: true },
  'kommo-chat': { types: ['application/json'], missing: true },
  pipeliner: { types: ['application/json'], missing: true },
};

/** Every media type some source may send. */
export const ALLOWED_MEDIA_TYPES: readonly string[] = [
  ...new Set(Object.values(ALLOWED).flatMap((policy) => policy.types)),
];

/** The media type without parameters, lower-cased; '' when the header is absent or blank. */
export function mediaType(header: string | undefined): string {
  if (header === undefined) return '';
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

export function isContentTypeAllowed(source: Source, header: string | undefined): boolean {
  const policy = ALLOWED[source];
  const type = mediaType(header);
  return type === '' ? policy.missing : policy.types.includes(type);
}
