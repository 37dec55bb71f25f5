import { InputError } from './cli-errors.js';

/** Option values as node:util parseArgs returns them. */
export type Values = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

export function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function texts(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** An http(s) URL without query or fragment, trailing slash removed. */
export function checkHttpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('bad_url', `${flag} must be an http(s) URL, got "${value}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    throw new InputError('bad_url', `${flag} must be an http(s) URL, got "${value}"`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw new InputError('bad_url', `${flag} must not carry a query, fragment or credentials`);
  return url.href.replace(/\/+$/, '');
}

/** An optional integer option within [min, max]. */
export function integerOption(
  values: Values,
  flag: string,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = values[name];
  if (typeof raw !== 'string') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new InputError(
      'bad_number',
      `${flag} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  return value;
}
