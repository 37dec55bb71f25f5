import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOPICS } from '@crm/contracts';
import { normalizerConfig } from '@crm/normalizer-kit';
import { EnvironmentError, environmentVariableNames, validateEnvironment } from '@crm/service-kit';
import { KOMMO_SOURCES } from '../app/normalizer-kommo.service.js';
import { NormalizerKommoEnvironment } from './normalizer-kommo-environment.js';

const environment = (env: NodeJS.ProcessEnv) =>
  validateEnvironment('normalizer-kommo', NormalizerKommoEnvironment, env);
const config = (env: NodeJS.ProcessEnv) =>
  normalizerConfig(environment(env), 'normalizer-kommo', KOMMO_SOURCES);

describe('NormalizerKommoEnvironment', () => {
  it('defaults: ops port 9102, group crm-normalizer-kommo, contract topics, 2 h windows', () => {
    assert.equal(environment({}).PORT, 9102);
    const defaults = config({});
    assert.equal(defaults.groupId, 'crm-normalizer-kommo');
    assert.equal(defaults.eventsTopic, TOPICS.events);
    assert.deepEqual(defaults.inputTopics, {});
    assert.deepEqual(defaults.windowMs, { kommo: 7_200_000, amocrm: 7_200_000 });
  });

  it("reads kommo's and amocrm's own variables", () => {
    const own = config({
      VERIFIED_TOPIC_KOMMO: 'in.kommo',
      VERIFIED_TOPIC_AMOCRM: 'in.amocrm',
      DEDUP_WINDOW_MS: '60000',
      DEDUP_WINDOW_MS_AMOCRM: '0',
    });
    assert.deepEqual(own.inputTopics, { kommo: 'in.kommo', amocrm: 'in.amocrm' });
    assert.deepEqual(own.windowMs, { kommo: 60_000, amocrm: 0 });
  });

  it('declares the variables of its own sources only', () => {
    const names = environmentVariableNames(NormalizerKommoEnvironment);
    for (const name of ['VERIFIED_TOPIC_KOMMO', 'VERIFIED_TOPIC_AMOCRM', 'DEDUP_WINDOW_MS_KOMMO'])
      assert.ok(names.includes(name), name);
    assert.ok(!names.includes('VERIFIED_TOPIC_PIPELINER'));
    assert.ok(!names.includes('DEDUP_WINDOW_MS_KOMMO_CHAT'));
  });

  it('reports every problem at once, its own variables included', () => {
    assert.throws(
      () =>
        environment({
          PORT: '65536',
          DEDUP_WINDOW_MS_KOMMO: '-1',
          VERIFIED_TOPIC_AMOCRM: 'not a topic',
          LOG_LEVEL: 'verbose',
        }),
      (error: unknown) => {
        assert.ok(error instanceof EnvironmentError);
        assert.deepEqual(
          error.problems.map((problem) => problem.split(' ')[0]),
          ['DEDUP_WINDOW_MS_KOMMO', 'PORT', 'VERIFIED_TOPIC_AMOCRM'],
        );
        return true;
      },
    );
  });
});
