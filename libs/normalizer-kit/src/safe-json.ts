import { requireUtf8 } from './utf8.js';

export interface JsonLimits {
  readonly maxBytes: number;
  /** Most nesting levels of arrays/objects. */
  readonly maxDepth: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxBytes: 1024 * 1024, maxDepth: 32 };

export class JsonLimitError extends Error {
  override name = 'JsonLimitError';
}

/** Nesting depth of a JSON text, counted over the bytes (strings skipped) before parsing. */
export function jsonDepth(bytes: Buffer, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) max = depth;
      if (max > stopAbove) return max;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return max;
}

/**
 * JSON.parse with a size and a depth limit checked first, so a hostile body
 * costs one linear scan. Bytes that are not UTF-8 throw `invalid_utf8` (a
 * PipelineError) rather than being read with replacement characters. JSON.parse defines `__proto__` as an own data
 * property: it never reaches a prototype.
 */
export function parseJson(bytes: Buffer, limits: JsonLimits = DEFAULT_JSON_LIMITS): unknown {
  if (bytes.length > limits.maxBytes)
    throw new JsonLimitError(`JSON body of ${bytes.length} bytes is over ${limits.maxBytes}`);
  if (jsonDepth(bytes, limits.maxDepth) > limits.maxDepth)
    throw new JsonLimitError(`JSON nested deeper than ${limits.maxDepth} levels`);
  requireUtf8(bytes);
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw new JsonLimitError(`not JSON: ${error instanceof Error ? error.message : 'parse error'}`);
  }
}
