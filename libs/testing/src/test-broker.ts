import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TestBroker {
  readonly brokers: string;
  readonly kind: 'external' | 'testcontainers' | 'local';
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/**
 * Provides the broker for one test run, in this order: KAFKA_BROKERS (an
 * existing cluster), a Docker engine (@testcontainers/kafka), or the local
 * Maven-resolved broker from tools/kafka on a dedicated port and data dir.
 */
export async function startTestBroker(env: NodeJS.ProcessEnv = process.env): Promise<TestBroker> {
  const external = env['KAFKA_BROKERS'];
  if (external) return { brokers: external, kind: 'external', stop: () => Promise.resolve() };
  if (dockerEngineAvailable()) return startContainer();
  return startLocal(Number(env['KAFKA_TEST_PORT'] ?? 19092));
}

function dockerEngineAvailable(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  return result.status === 0 && result.stdout.trim() !== '';
}

async function startContainer(): Promise<TestBroker> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0')
    .withKraft()
    .withExposedPorts(9093)
    .start();
  return {
    brokers: `${container.getHost()}:${container.getMappedPort(9093)}`,
    kind: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

/** Never blocking: signal handlers (and a tsx CLI parent waiting on them) keep working meanwhile. */
async function kafkaTool(command: 'up' | 'down', env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(
    join(REPO_ROOT, 'node_modules/.bin/tsx'),
    [
      '--tsconfig',
      'tsconfig.base.json',
      '--conditions=@crm/source',
      'tools/kafka/src/main.ts',
      command,
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`tools/kafka ${command} failed (exit ${code ?? signal})`);
}

async function startLocal(port: number): Promise<TestBroker> {
  const dataDir = join(REPO_ROOT, '.kafka', `test-${port}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + 1),
    KAFKA_DATA_DIR: dataDir,
  };
  delete env['KAFKA_BROKERS'];
  // The test broker is one node, whatever a developer exported for their own cluster.
  delete env['KAFKA_NODES'];
  const stop = async (): Promise<void> => {
    await kafkaTool('down', env);
    rmSync(dataDir, { recursive: true, force: true });
  };
  // A leftover broker from an interrupted run is stopped; every run starts from empty storage.
  await stop();
  try {
    await kafkaTool('up', env);
  } catch (error) {
    // `up` may have launched the broker before it failed (or was interrupted): never leave it behind.
    await stop();
    throw error;
  }
  return { brokers: `127.0.0.1:${port}`, kind: 'local', stop };
}
