import { Logger } from '@nestjs/common';
import { CE_HEADERS, type Source } from '@crm/contracts';
import { readTopicSince, type Kafka } from '@crm/kafka';
import { DedupWindow } from './dedup-window.js';
import { maxWindowMs, type NormalizerConfig } from './normalizer-config.js';

/**
 * Restores the dedup window after a restart from the output topic itself:
 * reads the last `windowMs` of events and remembers the ce_ids whose
 * ce_source belongs to one of `sources`. Returns how many ids were loaded.
 */
export async function loadDedupWindow(
  kafka: Kafka,
  eventsTopic: string,
  sources: readonly Source[],
  dedup: DedupWindow,
  windowMs: number,
  timeoutMs: number,
): Promise<number> {
  const prefixes = sources.map((source) => `/${source}/`);
  let loaded = 0;
  await readTopicSince(
    kafka,
    eventsTopic,
    Date.now() - windowMs,
    (record) => {
      const id = record.headers[CE_HEADERS.id]?.toString();
      const ceSource = record.headers[CE_HEADERS.source]?.toString();
      if (!id || !ceSource || !prefixes.some((prefix) => ceSource.startsWith(prefix))) return;
      dedup.remember(id, record.timestamp);
      loaded++;
    },
    { timeoutMs, groupPrefix: 'dedup-read-back' },
  );
  return loaded;
}

/** A dedup window sized by the config, filled from the events topic before the normalizer consumes. */
export async function restoreDedupWindow(
  kafka: Kafka,
  config: NormalizerConfig,
  sources: readonly Source[],
): Promise<DedupWindow> {
  const windowMs = maxWindowMs(config);
  const dedup = new DedupWindow(windowMs, config.maxDedupEntries);
  const started = Date.now();
  const ids = await loadDedupWindow(
    kafka,
    config.eventsTopic,
    sources,
    dedup,
    windowMs,
    config.readBackTimeoutMs,
  );
  new Logger('DedupWindow').log(
    { ids, windowMs, tookMs: Date.now() - started, topic: config.eventsTopic },
    'dedup window restored from the events topic',
  );
  return dedup;
}
