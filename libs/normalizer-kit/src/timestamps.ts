/**
 * Readers for the non-essential fields of a webhook item: liberal in what they
 * accept (the variants real senders produce), and telling "absent" apart from
 * "present but unreadable" so the caller can leave the field out and count it.
 * Every time computation here is independent of the host's time zone.
 */

/** A field that is present but cannot be read. */
export const UNREADABLE: unique symbol = Symbol('unreadable');
export type Unreadable = typeof UNREADABLE;
/** A reader's verdict: the value, `undefined` when absent (or "not set"), or UNREADABLE. */
export type Read<T> = T | undefined | Unreadable;

const MIN_SECONDS = 946_684_800; // 2000-01-01: earlier unix times are not webhook times
const MAX_SECONDS = 32_503_680_000; // 3000-01-01
const MIN_DATE_MS = 0; // a written-out date may be older than 2000, not older than 1970
const UNIX_SECONDS = /^[0-9]{1,12}(\.[0-9]+)?$/;
/** `YYYY-MM-DD`, optionally `[T ]HH:MM[:SS[.fraction]]`, optionally `Z` or `±HH[[:]MM]`. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
/** MySQL's "no date" (PHP senders write it for an unset date). */
const ZERO_DATE = /^0000-00-00([Tt ]00:00(:00)?)?$/;

/** True when a reader found nothing usable but something was there. */
export function isUnreadable(value: unknown): value is Unreadable {
  return value === UNREADABLE;
}

/** The first readable value; UNREADABLE only when none is readable and one was unreadable. */
export function firstReadable<T>(...reads: readonly Read<T>[]): Read<T> {
  let sawUnreadable = false;
  for (const read of reads) {
    if (read === UNREADABLE) sawUnreadable = true;
    else if (read !== undefined) return read;
  }
  return sawUnreadable ? UNREADABLE : undefined;
}

function secondsToIso(seconds: number): Read<string> {
  if (seconds === 0) return undefined; // Kommo sends 0 for "not set"
  if (!Number.isFinite(seconds) || seconds < MIN_SECONDS || seconds > MAX_SECONDS)
    return UNREADABLE;
  return new Date(Math.trunc(seconds * 1000)).toISOString();
}

function dateTimeToIso(text: string): Read<string> {
  if (ZERO_DATE.test(text)) return undefined;
  const match = DATE_TIME.exec(text);
  if (!match) return UNREADABLE;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zulu, sign, oh = '0', om = '0'] =
    match;
  const parts = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [year, month, day, hour, minute, second] = parts;
  const offsetMinutes =
    zulu || !sign ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59)
    return UNREADABLE;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  // Date.UTC, never the local-time constructor: no offset means UTC (interfaces.md §5).
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1) return UNREADABLE;
  if (check.getUTCDate() !== day) return UNREADABLE; // 2024-02-30
  const time = local - offsetMinutes * 60_000;
  if (time < MIN_DATE_MS || time > MAX_SECONDS * 1000) return UNREADABLE;
  return new Date(time).toISOString();
}

/**
 * A time to ISO-8601 UTC. Accepts unix seconds (number or digit string),
 * `YYYY-MM-DD HH:MM:SS` and ISO-8601 with or without offset and with any
 * number of fraction digits; no offset means UTC. `0`, `""` and
 * `0000-00-00 00:00:00` are "not set".
 */
export function readTime(value: unknown): Read<string> {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return secondsToIso(value);
  if (typeof value !== 'string') return UNREADABLE;
  const text = value.trim();
  if (UNIX_SECONDS.test(text)) return secondsToIso(Number(text));
  return dateTimeToIso(text);
}

/** Epoch milliseconds (number or digit string) to ISO-8601 UTC. */
export function readUnixMillis(value: unknown): Read<string> {
  if (value === undefined || value === null || value === '') return undefined;
  const millis =
    typeof value === 'string' && /^[0-9]{1,15}$/.test(value.trim()) ? Number(value) : value;
  if (typeof millis !== 'number') return UNREADABLE;
  return secondsToIso(millis / 1000);
}

/** A decimal (number, or string like `1000`, `99.5`, `-3`) to a number; empty is absent. */
export function readMoney(value: unknown): Read<number> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : UNREADABLE;
  if (typeof value !== 'string') return UNREADABLE;
  const text = value.trim();
  if (text === '') return undefined;
  return /^-?[0-9]{1,18}(\.[0-9]{1,12})?$/.test(text) ? Number(text) : UNREADABLE;
}

/** A size or count (non-negative integer, number or digit string). */
export function readCount(value: unknown): Read<number> {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0
    ? number
    : UNREADABLE;
}

/**
 * An id as a string: a non-empty string, or an integer number. `0`, `"0"` and
 * `""` mean "not set" (Kommo sends them for an empty reference).
 */
export function readId(value: unknown): Read<string> {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0')
    return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : UNREADABLE;
  if (typeof value !== 'string') return UNREADABLE;
  const text = value.trim();
  return text === '' || text.length > 200 ? UNREADABLE : text;
}

/** A numeric id (Kommo): a positive integer, as a number or a digit string. */
export function readNumericId(value: unknown): Read<string> {
  const id = readId(value);
  if (id === undefined || id === UNREADABLE) return id;
  return /^[0-9]{1,20}$/.test(id) ? id : UNREADABLE;
}

/** Free text: a string as sent; a number or boolean as its string form. */
export function readText(value: unknown): Read<string> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return UNREADABLE;
}

/** Like readText, but `""` is absent (urls, names of files, phone numbers). */
export function readNonEmptyText(value: unknown): Read<string> {
  const text = readText(value);
  return text === '' ? undefined : text;
}

/** A flag: `1`/`0`, `true`/`false` (booleans, numbers or strings). */
export function readFlag(value: unknown): Read<boolean> {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return UNREADABLE;
}

/** One of a fixed set of words (an enum as sent). */
export function readOneOf<T extends string>(value: unknown, allowed: readonly T[]): Read<T> {
  const text = readNonEmptyText(value);
  if (text === undefined || text === UNREADABLE) return text;
  return (allowed as readonly string[]).includes(text) ? (text as T) : UNREADABLE;
}

/** An own property of a plain object; undefined for anything else (never reaches a prototype). */
export function member(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
