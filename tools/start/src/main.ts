import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverApps, type AppProcess } from './apps.js';
import { pipePrefixed } from './prefixed-output.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const TSX = [
  join(ROOT, 'node_modules/.bin/tsx'),
  '--tsconfig',
  'tsconfig.base.json',
  '--conditions=@crm/source',
];
const STOP_GRACE_MS = 20_000;

function runStep(label: string, command: string[], env: NodeJS.ProcessEnv): void {
  const [file, ...args] = command;
  if (!file) throw new Error(`empty command for ${label}`);
  const result = spawnSync(file, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status ?? 'signal'})`);
}

/**
 * `npm start`: the broker (unless KAFKA_BROKERS is set), then every app,
 * with prefixed logs. Ctrl-C / SIGTERM stops the apps (SIGTERM, they drain),
 * then the broker this command started. If any app exits, everything stops.
 */
function main(): void {
  const startedBroker = !process.env['KAFKA_BROKERS'];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONNECTIONS_FILE:
      process.env['CONNECTIONS_FILE'] ?? join(ROOT, 'tools/start/connections.example.yaml'),
  };
  runStep('build', [join(ROOT, 'node_modules/.bin/tsc'), '-b'], env);
  runStep('kafka:up', [...TSX, 'tools/kafka/src/main.ts', 'up'], env);
  env['KAFKA_BROKERS'] ??= `127.0.0.1:${process.env['KAFKA_PORT'] ?? '9092'}`;

  const apps = discoverApps(ROOT, process.env['PORT'] ?? '8080');
  const width = Math.max(5, ...apps.map((app) => app.name.length));
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stopAll = async (exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('start: stopping apps...\n');
    await Promise.all([...children.values()].map((child) => stopChild(child)));
    if (startedBroker)
      runStep('kafka:down', [...TSX, 'tools/kafka/src/main.ts', 'down'], {
        ...env,
        KAFKA_BROKERS: '',
      });
    process.exit(exitCode);
  };

  apps.forEach((app, index) => {
    const child = launch(app, env);
    children.set(app.name, child);
    if (child.stdout) pipePrefixed(child.stdout, app.name, index, width);
    if (child.stderr) pipePrefixed(child.stderr, app.name, index, width);
    child.on('exit', (code, signal) => {
      children.delete(app.name);
      if (stopping) return;
      process.stdout.write(
        `start: ${app.name} exited (${signal ?? `code ${code ?? '?'}`}); stopping everything\n`,
      );
      void stopAll(1);
    });
  });
  const summary = apps.map((app) => `${app.name} (port ${app.env['PORT'] ?? '-'})`).join(', ');
  process.stdout.write(
    `start: running ${summary || 'no apps yet'} on Kafka ${env['KAFKA_BROKERS']}; Ctrl-C stops\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll(0));
  // Stay up until a signal even with no apps yet (the broker is the running part then).
  if (apps.length === 0) setInterval(() => undefined, 1 << 30);
}

function launch(app: AppProcess, env: NodeJS.ProcessEnv): ChildProcess {
  if (!existsSync(app.entry))
    throw new Error(`${app.entry} is missing: the build did not produce it`);
  return spawn(process.execPath, ['--enable-source-maps', app.entry], {
    cwd: ROOT,
    env: { ...env, ...app.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

try {
  main();
} catch (error) {
  process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
