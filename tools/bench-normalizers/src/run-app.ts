import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SOURCES, type Source } from '@crm/contracts';

/** Topics of one trial: the measured source's input, an empty one per other source, the outputs. */
export interface TrialTopics {
  readonly input: string;
  readonly idle: Readonly<Partial<Record<Source, string>>>;
  readonly events: string;
  readonly dlq: string;
}

const verifiedTopicVariable = (source: Source): string =>
  `VERIFIED_TOPIC_${source.toUpperCase().replace('-', '_')}`;

/**
 * The app under test: one built normalizer (`apps/<app>/dist/main.js`) as its
 * own process (one instance, as in production), reading `source` from
 * `topics.input` and every other source from an empty topic of this trial,
 * never a shared one. BENCH_NODE_ARGS adds node flags, e.g. `--cpu-prof`.
 */
export function startNormalizerApp(
  root: string,
  app: string,
  source: Source,
  topics: TrialTopics,
  groupId: string,
): ChildProcess {
  const env: Record<string, string> = {
    KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '',
    PORT: '0',
    EVENTS_TOPIC: topics.events,
    DLQ_TOPIC: topics.dlq,
    GROUP_ID: groupId,
  };
  for (const other of SOURCES) {
    const topic = other === source ? topics.input : topics.idle[other];
    if (topic) env[verifiedTopicVariable(other)] = topic;
  }
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'apps', app, 'dist', 'main.js')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (/"level":"(error|fatal)"/.test(text)) process.stderr.write(`[${app}] ${text}`);
  });
  return child;
}

export function stopApp(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
