import type { FastPathName } from './fast-paths-report.js';

export type Library = 'kafkajs' | 'class-validator' | 'class-transformer';

/** One replacement of a library's private code. */
export interface FastPath {
  readonly name: FastPathName;
  readonly library: Library;
  /** A fast path this one builds on: skipped with it. */
  readonly needs?: FastPathName;
  /**
   * Checks the shape of what it replaces and, when it matches, swaps the
   * replacement in; otherwise returns why not, having changed nothing.
   */
  install(): string | undefined;
}

/** The library version the replacements were written and checked against, and what else must hold. */
export interface LibraryGuard {
  readonly library: Library;
  readonly writtenFor: string;
  /** Why none of the library's fast paths can be installed now, if so. */
  readonly notReady?: () => string | undefined;
}
