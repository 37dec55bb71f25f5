import type { K8sObject } from '../kustomize/render-kustomization.js';
import { ingressSetting, spoolDir } from './ingress-settings.js';
import { quantityBytes } from './quantity.js';
import { platformWorkloads, workloadId, type Workload } from './workloads.js';

/** The share of its claim the spool may fill: the rest is filesystem overhead (reserved blocks, metadata, journal). */
const SPOOL_SHARE_OF_CLAIM = 0.9;

/** A claim can hold what exists nowhere else yet: it needs a writable owner and must outlive scale-downs. */
function claimProblems(workload: Workload): string[] {
  if (!workload.spec.volumeClaimTemplates?.length) return [];
  const where = workloadId(workload);
  const problems: string[] = [];
  if (workload.spec.template.spec.securityContext?.fsGroup === undefined)
    problems.push(
      `${where}: volume claims need securityContext.fsGroup (the non-root user writes them)`,
    );
  const retention = workload.spec.persistentVolumeClaimRetentionPolicy;
  for (const when of ['whenScaled', 'whenDeleted'] as const)
    if (retention?.[when] === 'Delete')
      problems.push(
        `${where}: persistentVolumeClaimRetentionPolicy.${when} Delete drops what its claims hold`,
      );
  return problems;
}

/** Ingress spools to a volume of its own pod that outlives the pod, and the spool fits the volume. */
function ingressSpoolProblems(ingress: Workload): string[] {
  const where = workloadId(ingress);
  if (ingress.kind !== 'StatefulSet')
    return [
      `${where}: ingress must be a StatefulSet (its spool needs a volume per pod that outlives the pod)`,
    ];
  const container = ingress.spec.template.spec.containers.find((entry) => entry.name === 'ingress');
  if (!container) return [`${where}: no container named ingress`];
  const dir = spoolDir(container);
  if (dir === undefined)
    return [`${where}: the spool is off (INGRESS_SPOOL_ENABLED false or INGRESS_SPOOL_DIR empty)`];
  const mount = container.volumeMounts?.find((entry) => entry.mountPath === dir);
  if (!mount) return [`${where}: no volume mounted at INGRESS_SPOOL_DIR ${dir}`];
  const claim = ingress.spec.volumeClaimTemplates?.find(
    (entry) => entry.metadata.name === mount.name,
  );
  if (!claim)
    return [
      `${where}: ${dir} is volume "${mount.name}", not a volumeClaimTemplate (it would not outlive the pod)`,
    ];
  const size = claim.spec.resources?.requests?.storage;
  const sizeBytes = quantityBytes(size);
  if (sizeBytes === undefined)
    return [`${where}: claim "${claim.metadata.name}" has no readable storage size`];
  const maxBytes = Number(ingressSetting(container, 'INGRESS_SPOOL_MAX_BYTES'));
  return maxBytes <= sizeBytes * SPOOL_SHARE_OF_CLAIM
    ? []
    : [
        `${where}: INGRESS_SPOOL_MAX_BYTES ${maxBytes} exceeds ${SPOOL_SHARE_OF_CLAIM * 100} % of its ${size ?? ''} claim (${sizeBytes} bytes)`,
      ];
}

/** The durable-spool rules: ingress's spool volume and the claims of every StatefulSet. */
export function spoolProblems(objects: readonly K8sObject[]): string[] {
  const workloads = platformWorkloads(objects);
  const ingress = workloads.find((workload) => workload.metadata.name === 'ingress');
  return [
    ...(ingress ? ingressSpoolProblems(ingress) : ['ingress: no Deployment or StatefulSet']),
    ...workloads.flatMap(claimProblems),
  ];
}
