import type { K8sObject } from '../kustomize/render-kustomization.js';

export interface Probe {
  httpGet?: { path?: string; port?: string | number };
}
export interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; fsGroup?: number };
  volumes?: { name: string; secret?: { secretName?: string } }[];
}
export interface ClaimTemplate {
  metadata: { name: string };
  spec: { accessModes?: string[]; resources?: { requests?: { storage?: string } } };
}
/** A Deployment or a StatefulSet (the fields only a StatefulSet has are optional). */
export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    serviceName?: string;
    volumeClaimTemplates?: ClaimTemplate[];
    persistentVolumeClaimRetentionPolicy?: { whenScaled?: string; whenDeleted?: string };
    template: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: PodSpec;
    };
  };
}

const PART_OF = 'app.kubernetes.io/part-of';
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

export const ofKind = <T extends K8sObject = K8sObject>(
  objects: readonly K8sObject[],
  kind: string,
): T[] => objects.filter((object) => object.kind === kind) as T[];

/**
 * The platform's Deployments and StatefulSets: those of the base, which labels
 * everything `part-of: crm-webhook` (the dev-only Kafka of the local overlay is not).
 */
export const platformWorkloads = (objects: readonly K8sObject[]): Workload[] =>
  objects.filter(
    (object): object is Workload =>
      WORKLOAD_KINDS.has(object.kind) && object.metadata.labels?.[PART_OF] === 'crm-webhook',
  );

/** `StatefulSet/ingress`: how problems name a workload. */
export const workloadId = (workload: Workload): string =>
  `${workload.kind}/${workload.metadata.name}`;

export function envValue(container: Container, name: string): string | undefined {
  return container.env?.find((entry) => entry.name === name)?.value;
}

/** True when every `matchLabels` pair is among `labels`. */
export function selects(
  matchLabels: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!matchLabels || Object.keys(matchLabels).length === 0) return false;
  return Object.entries(matchLabels).every(([key, value]) => labels?.[key] === value);
}
