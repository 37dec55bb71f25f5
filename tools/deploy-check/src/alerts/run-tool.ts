import { spawnSync } from 'node:child_process';

export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  /** stdout and stderr. */
  readonly output: string;
  /** Set when the tool could not be started (not installed). */
  readonly error?: Error;
}

/** Runs a command line tool in `cwd`: its exit status and everything it printed. */
export function runTool(command: string, args: readonly string[], cwd: string): ToolRun {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(),
    ...(result.error && { error: result.error }),
  };
}

export function installed(command: string, versionArgs: readonly string[]): boolean {
  return runTool(command, versionArgs, process.cwd()).status === 0;
}
