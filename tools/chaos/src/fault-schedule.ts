import { TOPICS } from '@crm/contracts';
import type { FaultRun } from './chaos-report.js';
import type { ServiceFleet } from './service-fleet.js';
import { FLEET_APPS } from './service-fleet.js';

/** What the faults need of the Kafka cluster. */
export interface ClusterControl {
  /** Node indexes 0..n-1. */
  readonly nodes: readonly number[];
  /** The node leading a partition now. */
  leaderOf(topic: string, partition: number): Promise<number>;
  signal(node: number, signal: 'SIGSTOP' | 'SIGCONT'): void;
  /** kill -9, and resolves once the node's process is gone. */
  kill(node: number): Promise<void>;
  /** SIGTERM, and resolves once the node's process is gone. */
  stop(node: number): Promise<void>;
  /** Starts every node that is down; resolves once every partition has its full ISR again. */
  startAll(): Promise<void>;
}

export interface FaultContext {
  readonly cluster: ClusterControl;
  readonly fleet: ServiceFleet;
  /** Rewrites the connections file with rotated secrets; the senders switch a few seconds later. */
  readonly rotateSecrets: () => Promise<void>;
  readonly log: (line: string) => void;
  /** Told of each fault once its action ended (for a log line on the replies while it lasted). */
  readonly faultEnded?: (run: FaultRun) => void;
}

export interface Fault {
  readonly name: string;
  /** Seconds into the load. */
  readonly atS: number;
  run(context: FaultContext): Promise<void>;
}

const seconds = (s: number) => new Promise((wait) => setTimeout(wait, s * 1000));

const killRawLeader: Fault['run'] = async ({ cluster, log }) => {
  const node = await cluster.leaderOf(TOPICS.raw, 0);
  log(`kill -9 node ${node} (leads ${TOPICS.raw}[0]); back in 15 s`);
  await cluster.kill(node);
  await seconds(15);
  await cluster.startAll();
  log(`node ${node} back, full ISR`);
};

/** No broker at all: ingress cannot reach Kafka and must spool every webhook, refusing none. */
const killEveryBroker: Fault['run'] = async ({ cluster, log }) => {
  log(`kill -9 every node (${cluster.nodes.join(', ')}); back in 20 s`);
  await Promise.all(cluster.nodes.map((node) => cluster.kill(node)));
  await seconds(20);
  await cluster.startAll();
  log('every node back, full ISR');
};

const pauseBroker: Fault['run'] = async ({ cluster, log }) => {
  const leader = await cluster.leaderOf(TOPICS.raw, 0);
  const node = cluster.nodes.find((n) => n !== leader) ?? leader;
  log(`SIGSTOP node ${node} for 10 s`);
  cluster.signal(node, 'SIGSTOP');
  await seconds(10);
  cluster.signal(node, 'SIGCONT');
  log(`SIGCONT node ${node}`);
};

const rollingRestart: Fault['run'] = async ({ cluster, log }) => {
  for (const node of cluster.nodes) {
    log(`rolling restart: node ${node}`);
    await cluster.stop(node);
    await cluster.startAll();
  }
  log('rolling restart done, full ISR');
};

const killOneOfEachService: Fault['run'] = async ({ fleet, log }) => {
  const victims = FLEET_APPS.map((app) => fleet.instance(app, 1));
  log(`kill -9 ${victims.map((v) => `${v.app}#1`).join(', ')}; back in 5 s`);
  for (const victim of victims) fleet.kill(victim);
  await seconds(5);
  await Promise.all(victims.map((victim) => fleet.restart(victim)));
  log('every service instance back');
};

// Not an ingress: killing one resets its requests in flight, which the smoke does not measure.
const killVerifier: Fault['run'] = async ({ fleet, log }) => {
  const victim = fleet.instance('verifier', 0);
  log('kill -9 verifier#0; back in 5 s');
  fleet.kill(victim);
  await seconds(5);
  await fleet.restart(victim);
  log('verifier#0 back');
};

const rotateSecrets: Fault['run'] = async ({ rotateSecrets: rotate, log }) => {
  log('connections file rewritten: every secret rotated');
  await rotate();
};

const EVERY_BROKER_OUTAGE = 'kill -9 every broker, back after 20 s';

/** The full run: every fault the issue names, spread over about ten minutes. */
export const FULL_SCHEDULE: readonly Fault[] = [
  { name: 'kill -9 the raw topic leader, back after 15 s', atS: 45, run: killRawLeader },
  { name: 'SIGSTOP a broker for 10 s', atS: 120, run: pauseBroker },
  { name: 'rolling restart of all three brokers', atS: 180, run: rollingRestart },
  {
    name: 'kill -9 one instance of each service, back after 5 s',
    atS: 330,
    run: killOneOfEachService,
  },
  { name: 'secrets rotated in the connections file', atS: 420, run: rotateSecrets },
  { name: EVERY_BROKER_OUTAGE, atS: 480, run: killEveryBroker },
];
export const FULL_DURATION_S = 600;

/**
 * The CI smoke: Kafka gone for 20 s (every webhook spooled, none refused),
 * then a verifier killed. Faults run one after the other, and bringing three
 * brokers back to a full ISR takes 20-30 s on a busy 2-core machine: the
 * verifier dies at about 55 s, while the spool drains, with load still coming.
 */
export const SMOKE_SCHEDULE: readonly Fault[] = [
  { name: EVERY_BROKER_OUTAGE, atS: 10, run: killEveryBroker },
  { name: 'kill -9 verifier#0, back after 5 s', atS: 45, run: killVerifier },
];
export const SMOKE_DURATION_S = 75;

/**
 * Runs each fault at its time (relative to `startedAt`), one after the other,
 * and none that would start after `durationS`; resolves when all are done.
 */
export async function runSchedule(
  schedule: readonly Fault[],
  context: FaultContext,
  startedAt: number,
  durationS: number,
): Promise<FaultRun[]> {
  const runs: FaultRun[] = [];
  for (const fault of schedule) {
    if (fault.atS >= durationS) continue;
    const wait = startedAt + fault.atS * 1000 - Date.now();
    if (wait > 0) await new Promise((resolveWait) => setTimeout(resolveWait, wait));
    const at = Date.now();
    let name = fault.name;
    try {
      await fault.run(context);
    } catch (error) {
      // A fault that could not be carried out (or undone) is reported, and the run goes on.
      context.log(
        `fault "${fault.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      name = `${fault.name} (FAILED)`;
    }
    const run = { name, at, endedAt: Date.now() };
    runs.push(run);
    context.faultEnded?.(run);
  }
  return runs;
}
