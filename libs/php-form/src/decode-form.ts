import { emptyFormMap, isFormMap, ownValue, type FormMap, type FormValue } from './form-value.js';
import { parseKey } from './parse-key.js';
import { percentDecode } from './percent-decode.js';

export interface FormLimits {
  /** Most `key=value` pairs (PHP max_input_vars: 1000). */
  readonly maxPairs: number;
  /** Most bracket levels below the name (PHP max_input_nesting_level: 64). */
  readonly maxDepth: number;
  /** Most entries in one map or list; bounds `[]` appends and sparse indices. */
  readonly maxEntries: number;
}

export const DEFAULT_FORM_LIMITS: FormLimits = { maxPairs: 5_000, maxDepth: 12, maxEntries: 1_000 };

export class FormDecodeError extends Error {
  override name = 'FormDecodeError';
}

/** A key or value whose bytes (percent-decoded or raw) are not UTF-8. */
export class FormUtf8Error extends FormDecodeError {
  override name = 'FormUtf8Error';
}

const CANONICAL_INDEX = /^(0|[1-9][0-9]{0,8})$/;

/**
 * Decodes a PHP-style `application/x-www-form-urlencoded` body
 * (`leads[status][0][id]=1&account[subdomain]=acme`) into nested maps.
 * Later pairs win on conflicts, as in PHP. Maps whose keys are exactly
 * 0..n-1 become arrays in index order. CR/LF after the last pair (added by
 * some senders and proxies, never part of a form value, which would be
 * percent-encoded) is not part of it. With `only`, pairs under other top-level
 * names are skipped undecoded (their limits still count), and the result is
 * exactly what the full decode holds under those names. Throws FormDecodeError
 * on a limit, FormUtf8Error (a FormDecodeError) on bad UTF-8.
 */
export function decodeForm(
  body: Buffer,
  limits: FormLimits = DEFAULT_FORM_LIMITS,
  only?: ReadonlySet<string>,
): FormMap {
  const root = emptyFormMap();
  const sizes = new WeakMap<FormMap, number>();
  const length = lengthWithoutTrailingNewlines(body);
  let pairs = 0;
  let start = 0;
  while (start <= length) {
    let end = body.indexOf(0x26, start);
    if (end < 0 || end > length) end = length;
    if (end > start) {
      if (++pairs > limits.maxPairs)
        throw new FormDecodeError(`more than ${limits.maxPairs} form fields`);
      addPair(root, body, start, end, limits, sizes, only);
    }
    start = end + 1;
  }
  return listify(root) as FormMap;
}

function addPair(
  root: FormMap,
  body: Buffer,
  start: number,
  end: number,
  limits: FormLimits,
  sizes: WeakMap<FormMap, number>,
  only: ReadonlySet<string> | undefined,
): void {
  const equals = body.indexOf(0x3d, start);
  const keyEnd = equals >= 0 && equals < end ? equals : end;
  const key = decodeUtf8(body, start, keyEnd).trimStart();
  if (key === '') return;
  const path = parseKey(key);
  // A pair under another top-level name cannot change these: PHP applies each pair on its own.
  if (only && !only.has(path[0] ?? '')) return;
  const value = keyEnd < end ? decodeUtf8(body, keyEnd + 1, end) : '';
  if (path.length - 1 > limits.maxDepth)
    throw new FormDecodeError(`form field nested deeper than ${limits.maxDepth} levels`);
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] === '' ? nextIndex(node) : (path[i] ?? '');
    const existing = ownValue(node, segment);
    if (existing === undefined) {
      const size = (sizes.get(node) ?? 0) + 1;
      if (size > limits.maxEntries)
        throw new FormDecodeError(`more than ${limits.maxEntries} entries in one form map`);
      sizes.set(node, size);
    }
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    if (isFormMap(existing)) {
      node = existing;
    } else {
      const child = emptyFormMap();
      node[segment] = child;
      node = child;
    }
  }
}

function lengthWithoutTrailingNewlines(body: Buffer): number {
  let end = body.length;
  while (end > 0 && (body[end - 1] === 0x0a || body[end - 1] === 0x0d)) end -= 1;
  return end;
}

function decodeUtf8(body: Buffer, start: number, end: number): string {
  try {
    return percentDecode(body, start, end);
  } catch {
    throw new FormUtf8Error('form field is not valid UTF-8');
  }
}

/** PHP's `[]`: one past the largest integer key so far. */
function nextIndex(map: FormMap): string {
  let next = 0;
  for (const key of Object.keys(map)) {
    if (CANONICAL_INDEX.test(key)) next = Math.max(next, Number(key) + 1);
  }
  return String(next);
}

function listify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = listify(value[key] as FormValue);
  if (keys.length === 0) return value;
  for (const key of keys)
    if (!CANONICAL_INDEX.test(key) || Number(key) >= keys.length) return value;
  const list: FormValue[] = new Array<FormValue>(keys.length);
  for (const key of keys) list[Number(key)] = value[key] as FormValue;
  return list;
}
