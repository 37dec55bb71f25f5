import type { TopicSpec } from '@crm/contracts';
import kafkajs, { type Admin } from 'kafkajs';

// kafkajs is CommonJS and this export is not detectable as a named ESM import.
const { ConfigResourceTypes } = kafkajs;

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
  /** Existing topics whose partitions or configs differ from the spec, with what differs. */
  drifted: string[];
}

function configEntries(spec: TopicSpec): { name: string; value: string }[] {
  return [
    { name: 'retention.ms', value: String(spec.retentionMs) },
    { name: 'max.message.bytes', value: String(spec.maxMessageBytes) },
  ];
}

/**
 * Creates the missing topics with their partitions and configs; existing
 * topics are left untouched (an operator may have tuned them) but any
 * difference from the spec is reported, so drift is visible, never silent.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  replicationFactor = 1,
): Promise<EnsureTopicsResult> {
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !present.has(spec.name));
  const existing = specs.filter((spec) => present.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: configEntries(spec),
      })),
    });
  }
  return {
    created: missing.map((spec) => spec.name),
    existing: existing.map((spec) => spec.name),
    drifted: existing.length > 0 ? await findDrift(admin, existing) : [],
  };
}

async function findDrift(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.name) });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({
      type: ConfigResourceTypes.TOPIC,
      name: spec.name,
      configNames: configEntries(spec).map((entry) => entry.name),
    })),
  });
  return specs.flatMap((spec) => {
    const differences: string[] = [];
    const partitions = metadata.topics.find((topic) => topic.name === spec.name)?.partitions.length;
    if (partitions !== undefined && partitions < spec.partitions) {
      differences.push(`partitions ${partitions} < ${spec.partitions}`);
    }
    const actual =
      configs.resources.find((resource) => resource.resourceName === spec.name)?.configEntries ??
      [];
    for (const wanted of configEntries(spec)) {
      const value = actual.find((entry) => entry.configName === wanted.name)?.configValue;
      if (value !== undefined && value !== wanted.value)
        differences.push(`${wanted.name}=${value} (spec ${wanted.value})`);
    }
    return differences.length > 0 ? [`${spec.name}: ${differences.join(', ')}`] : [];
  });
}
