import { parseArgs } from 'node:util';

export interface ChaosOptions {
  readonly smoke: boolean;
  /** Webhooks per second over all sources. */
  readonly rate: number;
  /** Seconds of load; the fault schedule decides the default. */
  readonly durationS: number | undefined;
  /** Seconds of load at the same rate before the measured load, not accounted for (0: none). */
  readonly warmupS: number;
  /** Client port of the first Kafka node; the cluster takes the ports above it. */
  readonly kafkaPort: number;
  /** Compression of Kommo's retry schedule: 60 makes a minute a second. */
  readonly retryCompression: number;
  /** Leave the cluster running at the end (for a look at the topics). */
  readonly keepCluster: boolean;
  /** Kafka nodes: 3, or 1 (the smoke only: its outage is every broker anyway). */
  readonly nodes: 1 | 3;
  /** Instances of every service: 2, or 1. */
  readonly instances: 1 | 2;
}

export const USAGE = `usage: npm run chaos -- [--smoke] [--rate N] [--duration S] [--warmup S] [--kafka-port P] [--retry-compression C] [--nodes 3|1] [--instances 2|1] [--keep-cluster]

  Starts a three-node Kafka cluster and two instances of every service (each
  ingress with a spool directory of its own), sends webhooks of every source
  at a steady rate while it kills, pauses and restarts brokers and services,
  takes every broker away for 20 s, rotates secrets, and accounts for every
  webhook by its trace id and webhook id, every event by its ce_id, and every
  reply by its status and where ingress stored the webhook (kafka / spooled).
  Prints a table and, last, one JSON line. Exit 1 when an acknowledged webhook
  is not on the raw topic or has no event, or a service instance exited.

  --smoke              75 s of load: every broker killed for 20 s at 10 s, then (at 45 s or
                       once the brokers are back) a verifier killed for 5 s (what npm test runs)
  --rate N             webhooks per second over all sources (default 200)
  --duration S         seconds of load (default: 600, smoke 75)
  --warmup S           seconds of load before it, not accounted for: services just started
                       are slow for a while (JIT, group rebalances, connection pools) (default 30)
  --kafka-port P       first node's client port (default 29500; the nodes use P..P+5)
  --retry-compression C  Kommo's retry schedule (5, 15, 15, 60 min) divided by C (default 60)
  --nodes 3|1          Kafka nodes (default 3); 1 only with --smoke, for the outage at a rate
                       three brokers and twelve services cannot carry on two cores
  --instances 2|1      instances of every service (default 2)
  --keep-cluster       do not stop the cluster at the end (stop it with kafka:down)
  -h, --help           this text`;

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${flag} must be a positive number`);
  return number;
}

/** Parses the command line; throws with a message naming the bad argument. `undefined`: help asked. */
export function parseChaosArgs(argv: readonly string[]): ChaosOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      smoke: { type: 'boolean', default: false },
      rate: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'kafka-port': { type: 'string' },
      'retry-compression': { type: 'string' },
      'keep-cluster': { type: 'boolean', default: false },
      nodes: { type: 'string' },
      instances: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const kafkaPort = positive('--kafka-port', values['kafka-port'], 29_500);
  if (!Number.isInteger(kafkaPort) || kafkaPort > 65_000)
    throw new Error('--kafka-port must be a TCP port below 65000');
  const duration = values.duration;
  const nodes = positive('--nodes', values.nodes, 3);
  if (nodes !== 1 && nodes !== 3) throw new Error('--nodes must be 3 or 1');
  if (nodes === 1 && !values.smoke)
    throw new Error('--nodes 1 needs --smoke: the full schedule kills and pauses single brokers');
  const instances = positive('--instances', values.instances, 2);
  if (instances !== 1 && instances !== 2) throw new Error('--instances must be 2 or 1');
  return {
    smoke: values.smoke,
    rate: positive('--rate', values.rate, 200),
    durationS: duration === undefined ? undefined : positive('--duration', duration, 1),
    warmupS: values.warmup === '0' ? 0 : positive('--warmup', values.warmup, 30),
    kafkaPort,
    retryCompression: positive('--retry-compression', values['retry-compression'], 60),
    keepCluster: values['keep-cluster'],
    nodes,
    instances,
  };
}
