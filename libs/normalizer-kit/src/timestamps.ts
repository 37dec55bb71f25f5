const MIN_SECONDS = 946_684_800; // 2000-01-01: smaller values are "not set" (Kommo sends 0)
const MAX_SECONDS = 32_503_680_000; // year 3000

/** Unix seconds (number or digit string) to ISO-8601 UTC; undefined when absent, zero or absurd. */
export function unixSecondsToIso(value: unknown): string | undefined {
  const seconds = typeof value === 'string' && /^[0-9]{1,12}$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return undefined;
  return new Date(Math.trunc(seconds * 1000)).toISOString();
}

/** Epoch milliseconds to ISO-8601 UTC; undefined when not plausible. */
export function unixMillisToIso(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return unixSecondsToIso(value / 1000);
}

/** Any date string Date can read (ISO with offset, with microseconds, ...) to ISO-8601 UTC. */
export function dateStringToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A decimal form string or JSON number to a number; undefined for empty or not finite. */
export function toMoney(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Ids are strings everywhere: numbers become their decimal string, empty means absent. */
export function toId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value !== '' && value !== '0') return value;
  return undefined;
}
