/** What a command may touch besides the file system: output streams, environment, clock, network. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  readonly fetch: typeof fetch;
}

export function processIo(): Io {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    env: process.env,
    now: () => Date.now(),
    fetch: (input, init) => fetch(input, init),
  };
}
