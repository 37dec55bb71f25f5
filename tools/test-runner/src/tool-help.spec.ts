import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** Scripts that are not a tool with a usage of its own. */
const NOT_TOOLS = new Set(['test', 'test:unit']);
/** A tool that ignored --help and started something is killed after this long. */
const TIMEOUT_MS = 60_000;

interface ToolScript {
  readonly script: string;
  /** The compiled entry (`tools/<name>/dist/main.js`): the test run has built everything. */
  readonly main: string;
  /** Arguments the npm script itself passes before the user's (`kafka:up` passes `up`). */
  readonly fixedArgs: readonly string[];
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every package.json script that runs a tools/<name>/src/main.ts. */
function toolScripts(): ToolScript[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return Object.entries(scripts).flatMap(([script, command]) => {
    const match = /(tools\/[\w-]+\/src\/main\.ts)((?: [\w-]+)*)\s*$/.exec(command);
    if (!match?.[1] || NOT_TOOLS.has(script)) return [];
    const main = match[1].replace('/src/main.ts', '/dist/main.js');
    return [{ script, main, fixedArgs: (match[2] ?? '').split(' ').filter(Boolean) }];
  });
}

/** The tool's compiled entry with the arguments `npm run <script> -- <args>` would give it. */
function runTool(tool: ToolScript, args: readonly string[]): Promise<Run> {
  // A tool that ignored --help would reach for a broker: fail fast, never touch a real one.
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' };
  return new Promise((done) => {
    execFile(
      process.execPath,
      [tool.main, ...tool.fixedArgs, ...args],
      { cwd: ROOT, env, timeout: TIMEOUT_MS, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the jobs at most `limit` at a time (loading a tool costs about a CPU-second). */
async function inBatches<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (job) results[index] = await job();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describe('every tool answers --help', () => {
  const tools = toolScripts();

  it('finds the tool scripts of package.json', () => {
    const names = tools.map((tool) => tool.script);
    for (const expected of ['dlq', 'events:tail', 'kafka:up', 'start', 'bench:verifier'])
      assert.ok(names.includes(expected), `${expected} not found in ${names.join(', ')}`);
  });

  it('--help: usage on stdout, exit 0', async () => {
    for (const tool of tools)
      assert.ok(existsSync(join(ROOT, tool.main)), `${tool.main} is not built`);
    const runs = await inBatches(
      tools.map((tool) => async () => ({ tool, run: await runTool(tool, ['--help']) })),
      Math.max(2, availableParallelism()),
    );
    const problems: string[] = [];
    for (const { tool, run } of runs) {
      const label = `npm run ${tool.script} -- --help`;
      if (run.code !== 0) problems.push(`${label}: exit ${String(run.code)}, expected 0`);
      if (!run.stdout.split('\n').some((line) => line.startsWith('usage:')))
        problems.push(
          `${label}: no line starting with "usage:" on stdout: ${JSON.stringify(`${run.stdout}${run.stderr}`.slice(0, 300))}`,
        );
    }
    assert.deepEqual(problems, []);
  });
});
