import { spawnSync } from 'node:child_process';
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

function kafkaTool(command: 'up' | 'down', env: NodeJS.ProcessEnv): void {
  const result = spawnSync(
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
  if (result.status !== 0)
    throw new Error(`tools/kafka ${command} failed (exit ${result.status ?? 'signal'})`);
}

function startLocal(port: number): Promise<TestBroker> {
  const dataDir = join(REPO_ROOT, '.kafka', `test-${port}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + 1),
    KAFKA_DATA_DIR: dataDir,
  };
  delete env['KAFKA_BROKERS'];
  // A leftover broker from an interrupted run is stopped; every run starts from empty storage.
  kafkaTool('down', env);
  rmSync(dataDir, { recursive: true, force: true });
  kafkaTool('up', env);
  return Promise.resolve({
    brokers: `127.0.0.1:${port}`,
    kind: 'local',
    stop: () => {
      kafkaTool('down', env);
      return Promise.resolve();
    },
  });
}
