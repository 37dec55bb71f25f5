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
  signal(node: number, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void;
  /** SIGTERM, and resolves once the node's process is gone. */
  stop(node: number): Promise<void>;
  /** Starts a node that is down; resolves once every partition has its full ISR again. */
  start(node: number): Promise<void>;
}

export interface FaultContext {
  readonly cluster: ClusterControl;
  readonly fleet: ServiceFleet;
  /** Rewrites the connections file with rotated secrets; the senders switch a few seconds later. */
  readonly rotateSecrets: () => Promise<void>;
  readonly log: (line: string) => void;
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
  cluster.signal(node, 'SIGKILL');
  await seconds(15);
  await cluster.start(node);
  log(`node ${node} back, full ISR`);
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
    await cluster.start(node);
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

const killIngressAndVerifier: Fault['run'] = async ({ fleet, log }) => {
  const victims = [fleet.instance('ingress', 1), fleet.instance('verifier', 0)];
  log('kill -9 ingress#1 and verifier#0; back in 5 s');
  for (const victim of victims) fleet.kill(victim);
  await seconds(5);
  await Promise.all(victims.map((victim) => fleet.restart(victim)));
  log('ingress#1 and verifier#0 back');
};

const rotateSecrets: Fault['run'] = async ({ rotateSecrets: rotate, log }) => {
  log('connections file rewritten: every secret rotated');
  await rotate();
};

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
];
export const FULL_DURATION_S = 540;

/** The CI smoke: one broker kill, one service kill, in about two minutes. */
export const SMOKE_SCHEDULE: readonly Fault[] = [
  { name: 'kill -9 the raw topic leader, back after 15 s', atS: 15, run: killRawLeader },
  {
    name: 'kill -9 an ingress and a verifier, back after 5 s',
    atS: 60,
    run: killIngressAndVerifier,
  },
];
export const SMOKE_DURATION_S = 80;

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
    try {
      await fault.run(context);
    } catch (error) {
      // A fault that could not be carried out (or undone) is reported, and the run goes on.
      context.log(
        `fault "${fault.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      runs.push({ name: `${fault.name} (FAILED)`, at, endedAt: Date.now() });
      continue;
    }
    runs.push({ name: fault.name, at, endedAt: Date.now() });
  }
  return runs;
}
