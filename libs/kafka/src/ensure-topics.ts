import type { TopicSpec } from '@crm/contracts';
import type { Admin } from 'kafkajs';

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
}

/** Creates the missing topics; existing ones are left as they are (idempotent). */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  replicationFactor = 1,
): Promise<EnsureTopicsResult> {
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !present.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
      })),
    });
  }
  return {
    created: missing.map((spec) => spec.name),
    existing: specs.filter((spec) => present.has(spec.name)).map((spec) => spec.name),
  };
}
