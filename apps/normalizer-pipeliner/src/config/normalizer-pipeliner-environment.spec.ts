import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizerConfig } from '@crm/normalizer-kit';
import { EnvironmentError, environmentVariableNames, validateEnvironment } from '@crm/service-kit';
import { PIPELINER_SOURCES } from '../app/normalizer-pipeliner.service.js';
import { NormalizerPipelinerEnvironment } from './normalizer-pipeliner-environment.js';

const environment = (env: NodeJS.ProcessEnv) =>
  validateEnvironment('normalizer-pipeliner', NormalizerPipelinerEnvironment, env);
const config = (env: NodeJS.ProcessEnv) =>
  normalizerConfig(environment(env), 'normalizer-pipeliner', PIPELINER_SOURCES);

describe('NormalizerPipelinerEnvironment', () => {
  it('defaults: ops port 9104, group crm-normalizer-pipeliner, a 2 h window', () => {
    assert.equal(environment({}).PORT, 9104);
    const defaults = config({});
    assert.equal(defaults.groupId, 'crm-normalizer-pipeliner');
    assert.deepEqual(defaults.windowMs, { pipeliner: 7_200_000 });
    assert.deepEqual(defaults.inputTopics, {});
  });

  it("reads pipeliner's own variables", () => {
    const own = config({ VERIFIED_TOPIC_PIPELINER: 'in.pl', DEDUP_WINDOW_MS_PIPELINER: '5000' });
    assert.deepEqual(own.inputTopics, { pipeliner: 'in.pl' });
    assert.deepEqual(own.windowMs, { pipeliner: 5_000 });
  });

  it('declares the variables of its own source only', () => {
    const names = environmentVariableNames(NormalizerPipelinerEnvironment);
    assert.ok(names.includes('VERIFIED_TOPIC_PIPELINER'));
    assert.ok(names.includes('DEDUP_WINDOW_MS_PIPELINER'));
    assert.ok(!names.includes('VERIFIED_TOPIC_KOMMO_CHAT'));
  });

  it('reports every problem at once, its own variables included', () => {
    assert.throws(
      () =>
        environment({
          PORT: '99999',
          DEDUP_WINDOW_MS_PIPELINER: '604800001',
          VERIFIED_TOPIC_PIPELINER: 'in pl',
          LOG_LEVEL: 'verbose',
        }),
      (error: unknown) => {
        assert.ok(error instanceof EnvironmentError);
        assert.deepEqual(
          error.problems.map((problem) => problem.split(' ')[0]),
          ['DEDUP_WINDOW_MS_PIPELINER', 'PORT', 'VERIFIED_TOPIC_PIPELINER'],
        );
        return true;
      },
    );
  });
});
