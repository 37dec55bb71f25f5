import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitFor } from '@crm/testing';

export interface VerifierTopics {
  readonly groupId: string;
  readonly raw: string;
  /** Contains `{source}`. */
  readonly verifiedTemplate: string;
  readonly rejected: string;
}

export interface VerifierProcess {
  readonly child: ChildProcess;
  readonly opsPort: number;
}

/**
 * The app under test: one built verifier (`main`, apps/verifier/dist/main.js)
 * as its own process on `topics`, resolved once its /metrics answers.
 * BENCH_NODE_ARGS adds node flags, e.g. `--cpu-prof`.
 */
export async function startVerifier(
  main: string,
  connectionsFile: string,
  topics: VerifierTopics,
): Promise<VerifierProcess> {
  const opsPort = await freePort();
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      ...process.env,
      CONNECTIONS_FILE: connectionsFile,
      PORT: String(opsPort),
      LOG_LEVEL: 'info',
      VERIFIER_GROUP_ID: topics.groupId,
      VERIFIER_RAW_TOPIC: topics.raw,
      VERIFIER_VERIFIED_TOPIC_TEMPLATE: topics.verifiedTemplate,
      VERIFIER_REJECTED_TOPIC: topics.rejected,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.resume();
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error('verifier exited before it started');
        return (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).ok;
      },
      { timeoutMs: 120_000, intervalMs: 50, description: 'the verifier to start' },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, opsPort };
}
