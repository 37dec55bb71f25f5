/**
 * A fresh process for one installation scenario (`node install-probe.js
 * <scenario>`): installs the fast paths as the scenario says, then loads
 * kafkajs as a service would and prints, as JSON on stdout, the report, the
 * warnings, and which library code is in place. The install spec runs it,
 * because an installation cannot be undone within a process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MetadataStorage } from 'class-validator';
import type { FastPathsReport } from '../fast-paths-report.js';
import {
  installFastPaths,
  installFastPathsAgainst,
  validationFastPaths,
  type FastPathsOptions,
} from '../install-fast-paths.js';
import { installedVersion } from '../installed-version.js';
import { KAFKAJS_MODULES } from '../kafkajs/kafkajs-modules.js';

const PROBE_SCENARIOS = ['default', 'late', 'mismatch'] as const;
type ProbeScenario = (typeof PROBE_SCENARIOS)[number];

export interface ProbeOutput {
  readonly report: FastPathsReport;
  readonly sameReportTwice: boolean;
  readonly warnings: { message: string; fields: Record<string, unknown> }[];
  /** Per kafkajs module: false while its exports are the code in kafkajs's own file. */
  readonly kafkajsReplaced: Record<string, boolean>;
  readonly classValidatorReplaced: boolean;
  readonly validationFastPaths: string[];
}

/** Versions no fast path is written for; class-transformer stays the one installed. */
const MISMATCHED_VERSIONS = { kafkajs: '2.3.0', 'class-validator': '0.14.2' } as const;

const require = createRequire(import.meta.url);

function install(scenario: ProbeScenario, options: FastPathsOptions): FastPathsReport {
  if (scenario === 'late') require('kafkajs');
  if (scenario !== 'mismatch') return installFastPaths(options);
  return installFastPathsAgainst(
    {
      version: (library) =>
        library === 'class-transformer' ? installedVersion(library) : MISMATCHED_VERSIONS[library],
    },
    options,
  );
}

/** Whether a module's exports are code from another file than kafkajs's own. */
function replaced(id: string): boolean {
  const exported: unknown = require(id);
  if (typeof exported !== 'function') return true;
  return !readFileSync(require.resolve(id), 'utf8').includes(
    Function.prototype.toString.call(exported),
  );
}

function probe(scenario: ProbeScenario): ProbeOutput {
  const warnings: ProbeOutput['warnings'] = [];
  const options = {
    warn: (message: string, fields: Record<string, unknown>) =>
      void warnings.push({ message, fields }),
  };
  const report = install(scenario, options);
  const sameReportTwice = installFastPaths(options) === report;
  // Everything a producer and a consumer load.
  const { Kafka } = require('kafkajs') as { Kafka: new (config: object) => unknown };
  new Kafka({ clientId: 'probe', brokers: ['127.0.0.1:1'] });
  require('kafkajs/src/protocol/requests/produce/v7/request');
  require('kafkajs/src/protocol/requests/fetch/v11/response');
  const ids = [
    KAFKAJS_MODULES.encoder,
    KAFKAJS_MODULES.header,
    KAFKAJS_MODULES.crc32c,
    KAFKAJS_MODULES.record,
    KAFKAJS_MODULES.recordDecoder,
    KAFKAJS_MODULES.produceRequest,
    KAFKAJS_MODULES.framing,
  ];
  const { getMetadataStorage } = require('class-validator') as {
    getMetadataStorage: () => MetadataStorage;
  };
  return {
    report,
    sameReportTwice,
    warnings,
    kafkajsReplaced: Object.fromEntries(ids.map((id) => [id, replaced(id)])),
    classValidatorReplaced: Object.hasOwn(getMetadataStorage(), 'getTargetValidationMetadatas'),
    validationFastPaths: Object.keys(validationFastPaths()),
  };
}

const scenario = process.argv[2] as ProbeScenario;
if (!PROBE_SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${String(scenario)}`);
process.stdout.write(`${JSON.stringify(probe(scenario))}\n`);
