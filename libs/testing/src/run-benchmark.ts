import { connect } from 'node:net';
import { constants } from 'node:os';
import type { Admin } from '@crm/kafka';
import { startTestBroker, type TestBroker } from './test-broker.js';
import { waitFor } from './wait-for.js';

/** KAFKA_BROKERS names a broker that does not answer. */
export class BrokerUnreachableError extends Error {
  readonly code = 'broker_unreachable';
  readonly retriable = false;
  override readonly name = 'BrokerUnreachableError';
}

/** Whether any of `brokers` ("host:port,...") accepts a TCP connection. */
export async function brokerReachable(brokers: string, timeoutMs = 3_000): Promise<boolean> {
  const attempts = brokers.split(',').map(
    (broker) =>
      new Promise<boolean>((done) => {
        const [host = '127.0.0.1', port = '9092'] = broker.trim().split(':');
        const socket = connect(Number(port), host);
        const finish = (open: boolean): void => {
          socket.destroy();
          done(open);
        };
        socket.setTimeout(timeoutMs, () => finish(false));
        socket.once('connect', () => finish(true));
        socket.once('error', () => finish(false));
      }),
  );
  return (await Promise.all(attempts)).includes(true);
}

/** One line for what the environment got wrong (no broker, a Kafka error); the stack for a bug. */
function failureLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof BrokerUnreachableError) return error.message;
  if (error.name.startsWith('KafkaJS')) return `${error.name}: ${error.message}`;
  return error.stack ?? error.message;
}

/**
 * A benchmark takes no arguments: `--help`/`-h` prints its usage and exits 0,
 * anything else prints the usage to stderr and exits 2.
 */
function exitOnArguments(usage: string, args: readonly string[]): void {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (args.length > 0) {
    process.stderr.write(`unexpected argument "${args[0] ?? ''}"\n${usage}\n`);
    process.exit(2);
  }
}

/**
 * Runs a benchmark, after answering its command line (see exitOnArguments).
 * `brokers()` gives it the broker at KAFKA_BROKERS or, when
 * that is unset, a fresh one of its own, started on first use like the test
 * runner's (on `port`, its own data dir) and stopped when the benchmark ends,
 * fails or is interrupted (SIGINT, SIGTERM, SIGHUP); it also sets
 * KAFKA_BROKERS for the apps the benchmark starts. Ends the process: 0, 1
 * with one line on stderr (a stack only for a bug), or 128 + the signal.
 */
export async function runBenchmark(
  name: string,
  port: number,
  bench: (brokers: () => Promise<string>) => Promise<void>,
  usage: string,
): Promise<never> {
  exitOnArguments(usage, process.argv.slice(2));
  let broker: Promise<TestBroker> | undefined;
  let finishing: Promise<never> | undefined;
  const finish = (code: number): Promise<never> =>
    (finishing ??= (async () => {
      await broker
        ?.then(
          (started) => started.stop(),
          () => undefined, // it never started: nothing to stop
        )
        .catch((error: unknown) => {
          process.stderr.write(`${name}: stopping the broker failed: ${failureLine(error)}\n`);
        });
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!finishing) process.stderr.write(`${name}: ${signal}, stopping\n`);
      void finish(128 + constants.signals[signal]);
    });
  }
  const brokers = async (): Promise<string> => {
    broker ??= startBenchBroker(name, port);
    const { brokers: started } = await broker;
    process.env['KAFKA_BROKERS'] = started;
    return started;
  };
  try {
    await bench(brokers);
  } catch (error) {
    if (!finishing) process.stderr.write(`${name}: ${failureLine(error)}\n`);
    return finish(1);
  }
  return finish(0);
}

async function startBenchBroker(name: string, port: number): Promise<TestBroker> {
  const external = process.env['KAFKA_BROKERS'];
  if (external && !(await brokerReachable(external)))
    throw new BrokerUnreachableError(
      `no Kafka broker answers at ${external} (KAFKA_BROKERS): start one (npm run kafka:up), or unset KAFKA_BROKERS and the benchmark starts its own`,
    );
  if (!external) process.stderr.write(`${name}: starting a broker of its own on port ${port}\n`);
  return startTestBroker({ ...process.env, KAFKA_TEST_PORT: String(port) });
}

export interface BenchTopic {
  readonly topic: string;
  readonly partitions: number;
}

/**
 * Creates topics and waits until every partition has a leader. Not kafkajs's
 * `waitForLeaders`: it gives up at the first "does not host this
 * topic-partition", which a broker whose metadata lags its controller (young
 * or busy) answers for a topic it just created.
 */
export async function createBenchTopics(
  admin: Admin,
  topics: readonly BenchTopic[],
  timeoutMs = 60_000,
): Promise<void> {
  await admin.createTopics({
    waitForLeaders: false,
    topics: topics.map(({ topic, partitions }) => ({
      topic,
      numPartitions: partitions,
      replicationFactor: 1,
    })),
  });
  const names = topics.map(({ topic }) => topic);
  await waitFor(
    async () => {
      // listTopics first: asking for metadata of a topic the broker does not know yet logs errors.
      const known = new Set(await admin.listTopics());
      if (!names.every((name) => known.has(name))) return false;
      const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
      return found.every(({ partitions }) => partitions.every(({ leader }) => leader >= 0));
    },
    { timeoutMs, intervalMs: 100, description: `leaders for ${names.join(', ')}` },
  );
}
