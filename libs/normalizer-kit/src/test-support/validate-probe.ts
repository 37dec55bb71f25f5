/**
 * `node validate-probe.js`: imports normalizer-kit as a service does, validates
 * a few Pipeliner items and prints, as JSON, the verdicts and which library
 * code is in place. validate.spec.ts runs it with and without the fast paths.
 */
import { createRequire } from 'node:module';
import { PipelinerWebhookItem } from '@crm/contracts';
import { fastPathsReport, validationFastPaths } from '@crm/fast-paths';
import { validatePayload } from '../index.js';

const require = createRequire(import.meta.url);

const VALID = {
  webhook: { id: 'wh-7', events: ['Opportunity.Move'] },
  event: 'Opportunity.Move',
  event_time: '2026-11-30T00:00:00.123Z',
  related_entity: { id: 'acc-1' },
  entity: { id: 'opp-1', name: 'Big deal', created: '2026-11-29T10:00:00Z' },
};
const ITEMS: unknown[] = [
  VALID,
  { ...VALID, entity: undefined },
  { ...VALID, event_time: 'yesterday' },
  { ...VALID, event: 'Opportunity' },
  { ...VALID, entity: { id: '', modified: 3 } },
  { ...VALID, webhook: { id: 'wh', events: [1, 'x'] } },
  { ...VALID, related_entity: 'acc-1', extra: { deep: [1, 2] } },
  JSON.parse('{"__proto__": {"polluted": true}, "event": "A.B"}'),
  [VALID],
  'not an object',
];

/** The kafkajs Encoder class in the module cache, by name, without loading kafkajs. */
function kafkajsEncoderName(): string | undefined {
  const entry = Object.entries(require.cache).find(([path]) =>
    path.endsWith('/kafkajs/src/protocol/encoder.js'),
  );
  const exported: unknown = entry?.[1]?.exports;
  return typeof exported === 'function' ? exported.name : undefined;
}

const { getMetadataStorage } = require('class-validator') as {
  getMetadataStorage: () => object;
};
process.stdout.write(
  `${JSON.stringify({
    report: fastPathsReport() ?? null,
    validationFastPaths: Object.keys(validationFastPaths()).sort(),
    kafkajsEncoder: kafkajsEncoderName(),
    classValidatorWrapped: Object.hasOwn(getMetadataStorage(), 'getTargetValidationMetadatas'),
    verdicts: ITEMS.map((item) => validatePayload(PipelinerWebhookItem, item)),
  })}\n`,
);
