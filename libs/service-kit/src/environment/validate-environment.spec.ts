import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvBoolean, EnvInteger, EnvOptional, EnvRequired } from './env-decorators.js';
import { ServiceEnvironment } from './service-environment.js';
import {
  EnvironmentError,
  environmentVariableNames,
  validateEnvironment,
} from './validate-environment.js';

class ProbeEnvironment extends ServiceEnvironment {
  override PORT = 9999;

  @EnvRequired()
  PROBE_FILE!: string;

  @EnvInteger(1, 10)
  PROBE_COUNT = 3;

  @EnvBoolean()
  PROBE_SWITCH = false;

  @EnvOptional()
  PROBE_SECRET_TOKEN?: string;
}

const problemsOf = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    validateEnvironment('probe', ProbeEnvironment, env);
  } catch (error) {
    assert.ok(error instanceof EnvironmentError);
    return error.problems;
  }
  return [];
};

describe('validateEnvironment', () => {
  it('applies defaults for unset and blank variables and converts the rest', () => {
    const env = validateEnvironment('probe', ProbeEnvironment, {
      PROBE_FILE: 'f',
      PROBE_COUNT: ' 7 ',
      PROBE_SWITCH: 'ON',
      LOG_LEVEL: '',
    });
    assert.ok(env instanceof ProbeEnvironment);
    assert.equal(env.PORT, 9999);
    assert.equal(env.PROBE_COUNT, 7);
    assert.equal(env.PROBE_SWITCH, true);
    assert.equal(env.LOG_LEVEL, 'info');
    assert.equal(env.KAFKA_BROKERS, '127.0.0.1:9092');
    assert.equal(env.CRM_FAST_PATHS, 'on');
  });

  it('accepts the switch words true/false, 1/0, yes/no, on/off', () => {
    for (const [word, value] of [
      ['true', true],
      ['0', false],
      ['Yes', true],
      ['off', false],
    ] as const) {
      const env = validateEnvironment('probe', ProbeEnvironment, {
        PROBE_FILE: 'f',
        PROBE_SWITCH: word,
      });
      assert.equal(env.PROBE_SWITCH, value, word);
    }
  });

  it('reports every bad variable at once, one problem each', () => {
    const problems = problemsOf({
      PORT: 'http',
      PROBE_COUNT: '11',
      PROBE_SWITCH: 'maybe',
      LOG_LEVEL: 'loud',
      KAFKA_BROKERS: 'nowhere',
      KAFKA_SASL_MECHANISM: 'kerberos',
    });
    assert.deepEqual(
      problems.map((problem) => problem.split(' ')[0]),
      [
        'KAFKA_BROKERS',
        'KAFKA_SASL_MECHANISM',
        'LOG_LEVEL',
        'PORT',
        'PROBE_COUNT',
        'PROBE_FILE',
        'PROBE_SWITCH',
      ],
    );
    assert.match(problems.find((p) => p.startsWith('PROBE_FILE')) ?? '', /is required/);
    assert.match(problems.find((p) => p.startsWith('PROBE_COUNT')) ?? '', /at most 10/);
  });

  it('accepts Nest and pino level words', () => {
    for (const level of ['verbose', 'trace', 'log', 'silent'])
      assert.deepEqual(problemsOf({ PROBE_FILE: 'f', LOG_LEVEL: level }), [], level);
  });

  it('never echoes the value of a secret-looking variable', () => {
    class SecretEnvironment extends ServiceEnvironment {
      @EnvInteger(1, 2)
      PROBE_API_KEY = 1;
    }
    assert.throws(
      () => validateEnvironment('probe', SecretEnvironment, { PROBE_API_KEY: 's3cr3t-value' }),
      (error: unknown) => error instanceof EnvironmentError && !error.message.includes('s3cr3t'),
    );
  });

  it('lists the variables a schema reads, the shared ones included', () => {
    const names = environmentVariableNames(ProbeEnvironment);
    for (const name of ['PROBE_FILE', 'PROBE_SECRET_TOKEN', 'KAFKA_BROKERS', 'CRM_FAST_PATHS'])
      assert.ok(names.includes(name), name);
  });
});
