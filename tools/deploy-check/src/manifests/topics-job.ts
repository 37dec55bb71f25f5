import type { K8sObject } from '../kustomize/render-kustomization.js';

type ConfigMap = K8sObject & { data?: Record<string, string> };

function topicsConfig(objects: readonly K8sObject[]): Record<string, string> {
  const config = objects.find<ConfigMap>(
    (object): object is ConfigMap =>
      object.kind === 'ConfigMap' && object.metadata.name === 'crm-topics',
  );
  return config?.data ?? {};
}

/** The `name:partitions:retention.ms` entries the topic-init Job creates (ConfigMap crm-topics, key TOPICS). */
export function jobTopics(objects: readonly K8sObject[]): string[] {
  return (topicsConfig(objects)['TOPICS'] ?? '').split(/\s+/).filter((entry) => entry !== '');
}

/** The replication settings the Job applies. */
export function jobReplication(objects: readonly K8sObject[]): {
  replicationFactor: number;
  minInsync: number;
} {
  const data = topicsConfig(objects);
  return {
    replicationFactor: Number(data['REPLICATION_FACTOR']),
    minInsync: Number(data['MIN_INSYNC_REPLICAS']),
  };
}
