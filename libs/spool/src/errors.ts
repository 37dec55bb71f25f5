/** The spool holds `maxBytes` of unforwarded records: ingress answers 503 until the forwarder drains it. */
export class SpoolFullError extends Error {
  readonly code = 'SPOOL_FULL';
  readonly retriable = true;
  override readonly name = 'SpoolFullError';
}

/** Another live process holds the spool directory (its `LOCK` file names it). */
export class SpoolLockedError extends Error {
  readonly code = 'SPOOL_LOCKED';
  readonly retriable = false;
  override readonly name = 'SpoolLockedError';
}

/** The directory cannot be used (not creatable, not writable, unreadable files). */
export class SpoolOpenError extends Error {
  readonly retriable = false;
  override readonly name = 'SpoolOpenError';

  /** `code` is the system error's (EACCES, EROFS, ENOTDIR, ...), `path` the one it failed on. */
  constructor(
    readonly dir: string,
    readonly code: string | undefined,
    readonly path: string | undefined,
    cause: unknown,
  ) {
    super(
      `cannot open spool in ${dir}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** The spool was closed: nothing more is appended or read. */
export class SpoolClosedError extends Error {
  readonly code = 'SPOOL_CLOSED';
  readonly retriable = false;
  override readonly name = 'SpoolClosedError';
}

export function isErrnoCode(error: unknown, code: string): boolean {
  return errnoCode(error) === code;
}

export function errnoCode(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}
