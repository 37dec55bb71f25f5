import { TOPIC_SPECS } from '@crm/contracts';
import type { K8sObject } from '../kustomize/render-kustomization.js';
import { ingressDrainMs } from './ingress-settings.js';
import { spoolProblems } from './ingress-spool-policy.js';
import { referenceProblems } from './references-policy.js';
import {
  ofKind,
  platformWorkloads,
  selects,
  workloadId,
  type Container,
  type Probe,
  type Workload,
} from './workloads.js';

/** Consumers drain within the 30 s Kafka request timeout; their grace period must exceed it. */
const CONSUMER_DRAIN_SECONDS = 30;
const CONSUMES = 'crm.io/consumes';

function probeProblems(
  where: string,
  container: Container,
  kind: string,
  probe: Probe | undefined,
  path: string,
): string[] {
  if (probe?.httpGet?.path !== path) return [`${where}: ${kind} must GET ${path}`];
  const port = probe.httpGet.port;
  const known = container.ports?.some(
    (entry) => entry.name === port || entry.containerPort === port,
  );
  return known ? [] : [`${where}: ${kind} port ${String(port)} is not a container port`];
}

function containerProblems(where: string, container: Container): string[] {
  const problems = [
    ...probeProblems(where, container, 'readinessProbe', container.readinessProbe, '/readyz'),
    ...probeProblems(where, container, 'livenessProbe', container.livenessProbe, '/healthz'),
  ];
  for (const bound of ['requests', 'limits'] as const)
    for (const resource of ['cpu', 'memory'])
      if (!container.resources?.[bound]?.[resource])
        problems.push(`${where}: no ${bound}.${resource}`);
  if (
    !container.image ||
    !/:[\w.-]+$|@sha256:/.test(container.image) ||
    container.image.endsWith(':latest')
  )
    problems.push(`${where}: image "${container.image ?? ''}" must carry a fixed tag (not latest)`);
  if (container.securityContext?.allowPrivilegeEscalation !== false)
    problems.push(`${where}: allowPrivilegeEscalation must be false`);
  return problems;
}

/**
 * The grace period must outlast the drain (5 s margin): ingress's not-ready delay, request deadline
 * and spool forwarding; a consumer's last slice.
 */
function drainProblems(where: string, workload: Workload, container: Container): string[] {
  const grace = workload.spec.template.spec.terminationGracePeriodSeconds ?? 30;
  const drainMs =
    workload.metadata.name === 'ingress'
      ? ingressDrainMs(container)
      : CONSUMER_DRAIN_SECONDS * 1000;
  return grace * 1000 > drainMs + 5000
    ? []
    : [
        `${where}: terminationGracePeriodSeconds ${grace} s does not outlast the ${drainMs} ms drain`,
      ];
}

function connectionsProblems(where: string, workload: Workload): string[] {
  const volume = workload.spec.template.spec.volumes?.find(
    (entry) => entry.secret?.secretName === 'crm-connections',
  );
  const mounted = workload.spec.template.spec.containers.every((container) =>
    container.volumeMounts?.some(
      (mount) => mount.name === volume?.name && mount.mountPath === '/etc/crm',
    ),
  );
  return volume && mounted ? [] : [`${where}: must mount Secret crm-connections at /etc/crm`];
}

/** The busiest input topic's partitions bound a consumer group's useful members. */
function sizingProblems(where: string, workload: Workload): string[] {
  const topics = workload.metadata.annotations?.[CONSUMES]?.split(',') ?? [];
  if (topics.length === 0)
    return [`${where}: a consumer must name its input topics in ${CONSUMES}`];
  const partitions = topics.map(
    (topic) => TOPIC_SPECS.find((spec) => spec.name === topic)?.partitions,
  );
  if (partitions.some((count) => count === undefined))
    return [`${where}: ${CONSUMES} names a topic not in TOPIC_SPECS`];
  const max = Math.max(...(partitions as number[]));
  const replicas = workload.spec.replicas ?? 1;
  return replicas <= max
    ? []
    : [`${where}: ${replicas} replicas but at most ${max} partitions to share`];
}

function scalingProblems(objects: readonly K8sObject[], ingress: Workload | undefined): string[] {
  const hpa = ofKind<
    K8sObject & {
      spec: { scaleTargetRef: { name: string }; metrics?: { resource?: { name: string } }[] };
    }
  >(objects, 'HorizontalPodAutoscaler').find(
    (entry) => entry.spec.scaleTargetRef.name === 'ingress',
  );
  const problems: string[] = [];
  if (!hpa?.spec.metrics?.some((metric) => metric.resource?.name === 'cpu'))
    problems.push('ingress: needs a HorizontalPodAutoscaler on CPU');
  if (ingress?.spec.replicas !== undefined)
    problems.push('ingress: spec.replicas must be unset (the HPA owns it)');
  return problems;
}

/** What running like production requires of every rendered overlay; returns the problems. */
export function platformProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const workloads = platformWorkloads(objects);
  const budgets = ofKind<
    K8sObject & { spec: { selector?: { matchLabels?: Record<string, string> } } }
  >(objects, 'PodDisruptionBudget');
  for (const workload of workloads) {
    const where = workloadId(workload);
    const podLabels = workload.spec.template.metadata?.labels;
    if (workload.spec.template.spec.securityContext?.runAsNonRoot !== true)
      problems.push(`${where}: must run as non-root`);
    if (workload.spec.template.metadata?.annotations?.['prometheus.io/scrape'] !== 'true')
      problems.push(`${where}: pods need prometheus.io/scrape annotations`);
    for (const container of workload.spec.template.spec.containers) {
      problems.push(
        ...containerProblems(`${where}/${container.name}`, container),
        ...drainProblems(where, workload, container),
      );
    }
    problems.push(...connectionsProblems(where, workload));
    if (!budgets.some((budget) => selects(budget.spec.selector?.matchLabels, podLabels)))
      problems.push(`${where}: no PodDisruptionBudget selects its pods`);
    if (workload.metadata.name !== 'ingress') problems.push(...sizingProblems(where, workload));
  }
  problems.push(
    ...scalingProblems(
      objects,
      workloads.find((workload) => workload.metadata.name === 'ingress'),
    ),
  );
  const policies = ofKind<
    K8sObject & { spec: { podSelector: { matchLabels?: Record<string, string> } } }
  >(objects, 'NetworkPolicy');
  for (const workload of workloads) {
    if (
      !policies.some((policy) =>
        selects(policy.spec.podSelector.matchLabels, workload.spec.template.metadata?.labels),
      )
    )
      problems.push(`${workloadId(workload)}: no NetworkPolicy selects its pods`);
  }
  return [...problems, ...referenceProblems(objects), ...spoolProblems(objects)];
}
