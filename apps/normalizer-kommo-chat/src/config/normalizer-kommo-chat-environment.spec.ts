import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizerConfig } from '@crm/normalizer-kit';
import { EnvironmentError, environmentVariableNames, validateEnvironment } from '@crm/service-kit';
import { CHAT_SOURCES } from '../app/normalizer-kommo-chat.service.js';
import { NormalizerKommoChatEnvironment } from './normalizer-kommo-chat-environment.js';

const environment = (env: NodeJS.ProcessEnv) =>
  validateEnvironment('normalizer-kommo-chat', NormalizerKommoChatEnvironment, env);
const config = (env: NodeJS.ProcessEnv) =>
  normalizerConfig(environment(env), 'normalizer-kommo-chat', CHAT_SOURCES);

describe('NormalizerKommoChatEnvironment', () => {
  it('defaults: ops port 9103, group crm-normalizer-kommo-chat, a 30 min window', () => {
    assert.equal(environment({}).PORT, 9103);
    const defaults = config({});
    assert.equal(defaults.groupId, 'crm-normalizer-kommo-chat');
    assert.deepEqual(defaults.windowMs, { 'kommo-chat': 1_800_000 });
    assert.deepEqual(defaults.inputTopics, {});
  });

  it("reads kommo-chat's own variables; its own window wins over DEDUP_WINDOW_MS", () => {
    const own = config({
      VERIFIED_TOPIC_KOMMO_CHAT: 'in.chat',
      DEDUP_WINDOW_MS: '60000',
      DEDUP_WINDOW_MS_KOMMO_CHAT: '120000',
    });
    assert.deepEqual(own.inputTopics, { 'kommo-chat': 'in.chat' });
    assert.deepEqual(own.windowMs, { 'kommo-chat': 120_000 });
  });

  it('declares the variables of its own source only', () => {
    const names = environmentVariableNames(NormalizerKommoChatEnvironment);
    assert.ok(names.includes('VERIFIED_TOPIC_KOMMO_CHAT'));
    assert.ok(names.includes('DEDUP_WINDOW_MS_KOMMO_CHAT'));
    assert.ok(!names.includes('VERIFIED_TOPIC_KOMMO'));
  });

  it('reports every problem at once, its own variables included', () => {
    assert.throws(
      () =>
        environment({
          PORT: '-1',
          DEDUP_WINDOW_MS_KOMMO_CHAT: '30m',
          VERIFIED_TOPIC_KOMMO_CHAT: 'a/b',
          LOG_LEVEL: 'verbose',
        }),
      (error: unknown) => {
        assert.ok(error instanceof EnvironmentError);
        assert.deepEqual(
          [...new Set(error.problems.map((problem) => problem.split(' ')[0]))],
          ['DEDUP_WINDOW_MS_KOMMO_CHAT', 'PORT', 'VERIFIED_TOPIC_KOMMO_CHAT'],
        );
        return true;
      },
    );
  });
});
