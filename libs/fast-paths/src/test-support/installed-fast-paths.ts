import assert from 'node:assert/strict';
import type { ValidationFastPaths } from '../class-validator/validation-fast-paths.js';
import { fastPathsState } from '../fast-paths-state.js';
import { installFastPaths } from '../install-fast-paths.js';
import type { KafkajsReplacements } from '../kafkajs/kafkajs-replacements.js';

/** Installs the fast paths (on, whatever the environment says) unless this process already did. */
function install(): string {
  const report = installFastPaths({ env: {} });
  return `installed in this process: ${report.installed.join(', ') || 'none'}; skipped: ${JSON.stringify(report.skipped)}`;
}

/** Every kafkajs fast path, installed in this spec process, with the kafkajs code it replaced. */
export function installedKafkajs(): Required<KafkajsReplacements> {
  const report = install();
  const { encoderPool, crc32c, recordEncoder, produceRequest, recordDecoder } =
    fastPathsState().kafkajs;
  assert.ok(encoderPool && crc32c && recordEncoder && produceRequest && recordDecoder, report);
  return { encoderPool, crc32c, recordEncoder, produceRequest, recordDecoder };
}

/** Both validation fast paths, installed in this spec process. */
export function installedValidation(): Required<ValidationFastPaths> {
  const report = install();
  const { instantiate, passesValidation } = fastPathsState().validation;
  assert.ok(instantiate && passesValidation, report);
  return { instantiate, passesValidation };
}
