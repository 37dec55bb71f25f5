import { isUtf8 } from 'node:buffer';
import { PipelineError } from '@crm/contracts';

export const INVALID_UTF8 = 'invalid_utf8';

export function invalidUtf8(what: string): PipelineError {
  return new PipelineError(INVALID_UTF8, `${what} is not valid UTF-8`, false);
}

/**
 * Throws a non-retriable `invalid_utf8` unless the bytes are valid UTF-8: a
 * body is dead-lettered as sent, never decoded with replacement characters.
 * One native pass (about 0.2 ms per MB), far below the cost of parsing.
 */
export function requireUtf8(bytes: Buffer, what = 'body'): void {
  if (!isUtf8(bytes)) throw invalidUtf8(what);
}
