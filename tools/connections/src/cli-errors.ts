import { ConnectionsConfigError } from '@crm/contracts';

/** Exit status of a refused command line or input: the operator has to change what they typed. */
export const EXIT_INVALID = 2;
/** Exit status of a failure outside the operator's input: I/O, network, the CRM's API. */
export const EXIT_FAILED = 1;

/** Invalid input (bad argument, invalid file, unknown id): exit 2, nothing written or sent. */
export class InputError extends Error {
  readonly code: string;
  readonly exitCode = EXIT_INVALID;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The command could not be carried out (file system, network, remote API): exit 1. */
export class CommandFailure extends Error {
  readonly code: string;
  readonly exitCode = EXIT_FAILED;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Exit status and one-line message for anything a command threw. */
export function describeFailure(error: unknown): { exitCode: number; message: string } {
  if (error instanceof InputError || error instanceof CommandFailure)
    return { exitCode: error.exitCode, message: error.message };
  // The file the command would write fails the contracts' schema: the operator's input.
  if (error instanceof ConnectionsConfigError)
    return { exitCode: EXIT_INVALID, message: error.message };
  return { exitCode: EXIT_FAILED, message: error instanceof Error ? error.message : String(error) };
}
